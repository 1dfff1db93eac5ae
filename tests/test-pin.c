/*
 * test-pin.c: the PIN sources (literal, env:, file:, fd:) and their checks.
 * The "prompt" source is not read here: it needs a terminal.
 */
#include "testlib.h"

#include <errno.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "base/err.h"
#include "run/pin.h"

#define ENV_NAME "CER_TEST_PIN"
#define ENV_UNSET "environment variable " ENV_NAME ", the PIN source of token 't', is " \
	"not set; set it or change the pin: source"
#define ENV_BAD(what) "environment variable " ENV_NAME ", the PIN source of token 't', " \
	"is " what "; it must hold the PIN (1 to 256 bytes)"

/* A PIN file in testlib_dir with these contents and mode; its path in buf. */
static char *
pin_file(char *buf, size_t n, const char *name, const char *contents, mode_t mode)
{
	testlib_path(buf, n, testlib_dir, name);
	assert_int_equal(testlib_write_file(buf, contents, strlen(contents), mode), 0);
	return buf;
}

/* spec for a file source in buf: "file:" + the path of a PIN file */
static char *
file_spec(char *buf, size_t n, const char *name, const char *contents, mode_t mode)
{
	char path[512];

	snprintf(buf, n, "file:%s", pin_file(path, sizeof(path), name, contents, mode));
	return buf;
}

/* Reads spec and requires that PIN. */
static void
assert_reads(const char *spec, const char *want)
{
	char *pin = NULL;
	size_t len = 0;

	assert_int_equal(cer_pin_read(spec, 0, "t", &pin, &len), CER_OK);
	assert_non_null(pin);
	assert_string_equal(pin, want);
	assert_int_equal(len, strlen(want));
	cer_pin_free(pin, len);
}

/* Requires that reading spec fails with CER_ERR_PIN, leaves no PIN, and says why. */
static void
assert_read_refused(const char *spec, const char *detail)
{
	char *pin = (char *)&pin;
	size_t len = 99;

	assert_int_equal(cer_pin_read(spec, 0, "t", &pin, &len), CER_ERR_PIN);
	assert_null(pin);
	assert_int_equal(len, 0);
	assert_string_equal(cer_err_detail(), detail);
}

/* Requires that both the check and the read of spec are refused with this detail. */
static void
assert_refused(const char *spec, const char *detail)
{
	assert_int_equal(cer_pin_check(spec, 0, "t"), CER_ERR_PIN);
	assert_string_equal(cer_err_detail(), detail);
	assert_read_refused(spec, detail);
}

/* A pipe holding data, its write end closed when close_write; returns the read end. */
static int
pipe_with(const char *data, int close_write, int *write_end)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], data, strlen(data)), (ssize_t)strlen(data));
	if (close_write) {
		close(p[1]);
		p[1] = -1;
	}
	if (write_end != NULL)
		*write_end = p[1];
	return p[0];
}

static int
fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1 || errno != EBADF;
}

/* A descriptor number that is not open. */
static int
closed_fd(void)
{
	int fd = pipe_with("", 1, NULL);

	close(fd);
	assert_false(fd_is_open(fd));
	return fd;
}

static void
test_pin_literal(void **state)
{
	const char *spec = "file:/not/a/source/when/literal";
	char *pin = NULL;
	size_t len = 0;

	assert_int_equal(cer_pin_check(spec, 1, "t"), CER_OK);
	assert_int_equal(cer_pin_read(spec, 1, "t", &pin, &len), CER_OK);
	assert_string_equal(pin, spec);
	assert_ptr_not_equal(pin, spec);
	assert_int_equal(len, strlen(spec));
	cer_pin_free(pin, len);
	assert_int_equal(cer_pin_read("1234", 1, "t", &pin, &len), CER_OK);
	assert_string_equal(pin, "1234");
	assert_int_equal(len, 4);
	cer_pin_free(pin, 0);	/* 0: the length is taken from the string */
}

/* Checking "prompt" needs no terminal: nothing is read. */
static void
test_pin_check_prompt(void **state)
{
	assert_int_equal(cer_pin_check("prompt", 0, "t"), CER_OK);
	assert_int_equal(cer_pin_check(NULL, 0, "t"), CER_OK);
}

/*
 * The check takes the variable (it runs before any module is loaded): the
 * environment no longer holds it, its bytes are wiped, and every token that
 * names the source, checked or read, gets the PIN it held.
 */
static void
test_pin_env(void **state)
{
	/* putenv: the environment holds this very buffer, so its wiping shows */
	static char entry[] = ENV_NAME "=env-pin-1234";
	const size_t name_len = strlen(ENV_NAME "=");
	size_t i;

	assert_int_equal(putenv(entry), 0);
	assert_int_equal(cer_pin_check("env:" ENV_NAME, 0, "t"), CER_OK);
	assert_null(getenv(ENV_NAME));
	for (i = name_len; i < sizeof(entry) - 1; i++)
		assert_int_equal(entry[i], '\0');
	assert_memory_equal(entry, ENV_NAME "=", name_len);
	assert_int_equal(cer_pin_check("env:" ENV_NAME, 0, "b"), CER_OK);
	assert_reads("env:" ENV_NAME, "env-pin-1234");
	assert_reads("env:" ENV_NAME, "env-pin-1234");
	/* forgotten: the source is gone, as in a new process without it */
	cer_pin_forget();
	assert_read_refused("env:" ENV_NAME, ENV_UNSET);
}

static void
test_pin_env_unset(void **state)
{
	unsetenv(ENV_NAME);
	assert_int_equal(cer_pin_check("env:" ENV_NAME, 0, "root"), CER_ERR_PIN);
	assert_string_equal(cer_err_detail(), "environment variable " ENV_NAME ", the PIN source "
	    "of token 'root', is not set; set it or change the pin: source");
	assert_read_refused("env:" ENV_NAME, ENV_UNSET);
}

/* Set but empty: the check refuses it as the read does (it used to pass the check). */
static void
test_pin_env_empty(void **state)
{
	assert_int_equal(setenv(ENV_NAME, "", 1), 0);
	assert_refused("env:" ENV_NAME, ENV_BAD("empty"));
	unsetenv(ENV_NAME);
}

static void
test_pin_env_too_long(void **state)
{
	char v[CER_PIN_MAX + 2];

	memset(v, '7', sizeof(v) - 1);
	v[sizeof(v) - 1] = '\0';
	assert_int_equal(strlen(v), CER_PIN_MAX + 1);
	assert_int_equal(setenv(ENV_NAME, v, 1), 0);
	assert_refused("env:" ENV_NAME, ENV_BAD("too long"));
	/* exactly CER_PIN_MAX bytes is a PIN */
	v[CER_PIN_MAX] = '\0';
	assert_int_equal(setenv(ENV_NAME, v, 1), 0);
	assert_reads("env:" ENV_NAME, v);
	assert_null(getenv(ENV_NAME));
}

static void
test_pin_file(void **state)
{
	char spec[600];

	file_spec(spec, sizeof(spec), "pin", "file-pin\nsecond line\n", 0600);
	assert_int_equal(cer_pin_check(spec, 0, "t"), CER_OK);
	assert_reads(spec, "file-pin");
	/* read-only for the owner is as good; no newline at the end; a CRLF line */
	assert_reads(file_spec(spec, sizeof(spec), "ro", "no-newline", 0400), "no-newline");
	assert_reads(file_spec(spec, sizeof(spec), "crlf", "crlf-pin\r\nx\r\n", 0600), "crlf-pin");
	/* the file is still there, unchanged: only env: is consumed */
	assert_reads(file_spec(spec, sizeof(spec), "pin", "file-pin\n", 0600), "file-pin");
	assert_reads(spec, "file-pin");
}

static void
test_pin_file_readable_by_others(void **state)
{
	static const mode_t modes[] = { 0640, 0604, 0660, 0644, 0610, 0601, 0700 | 0020 };
	char spec[600], want[1400];
	const char *path;
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		file_spec(spec, sizeof(spec), "shared", "secret\n", modes[i]);
		path = spec + 5;
		snprintf(want, sizeof(want), "PIN file %s for token 't' is accessible to other "
		    "users (mode %03o); run chmod 600 %s", path, (unsigned)modes[i], path);
		assert_refused(spec, want);
	}
}

static void
test_pin_file_missing(void **state)
{
	char spec[600], want[1400];

	snprintf(spec, sizeof(spec), "file:%s/absent", testlib_dir);
	snprintf(want, sizeof(want), "PIN file %s for token 't': No such file or directory; "
	    "create it or fix the pin: source", spec + 5);
	assert_refused(spec, want);
}

static void
test_pin_file_not_regular(void **state)
{
	char spec[600], want[1400];

	snprintf(spec, sizeof(spec), "file:%s", testlib_dir);
	snprintf(want, sizeof(want), "PIN file %s for token 't' is not a regular file",
	    testlib_dir);
	assert_refused(spec, want);
}

/* A symbolic link to a good PIN file: the check (lstat) refuses it as the read does. */
static void
test_pin_file_symlink(void **state)
{
	char target[512], link[512], spec[600], want[1400];

	pin_file(target, sizeof(target), "target", "linked\n", 0600);
	testlib_path(link, sizeof(link), testlib_dir, "link");
	assert_int_equal(symlink(target, link), 0);
	snprintf(spec, sizeof(spec), "file:%s", link);
	snprintf(want, sizeof(want), "PIN file %s for token 't' is a symbolic link; name the "
	    "file itself", link);
	assert_refused(spec, want);
}

/* A 50 MB PIN file is refused by its size, by the check and the read alike. */
static void
test_pin_file_huge(void **state)
{
	char spec[600], want[1400];
	int fd;

	file_spec(spec, sizeof(spec), "huge", "", 0600);
	assert_int_not_equal(fd = open(spec + 5, O_WRONLY), -1);
	assert_int_equal(ftruncate(fd, 50 << 20), 0);	/* sparse: nothing is written */
	close(fd);
	snprintf(want, sizeof(want), "PIN file %s for token 't' is %d bytes; a PIN file holds "
	    "one PIN of at most %d bytes and its newline", spec + 5, 50 << 20, CER_PIN_MAX);
	assert_refused(spec, want);
	/* the largest file the check accepts, the read accepts: a full PIN and a CRLF */
	file_spec(spec, sizeof(spec), "huge", "", 0600);
	assert_int_not_equal(fd = open(spec + 5, O_WRONLY), -1);
	assert_int_equal(ftruncate(fd, CER_PIN_MAX + 3), 0);
	close(fd);
	assert_int_equal(cer_pin_check(spec, 0, "t"), CER_ERR_PIN);
}

/* A FIFO named as the PIN file: refused at once, not waited on. */
static void
test_pin_file_fifo(void **state)
{
	char path[512], spec[600], want[1400];

	testlib_path(path, sizeof(path), testlib_dir, "fifo");
	assert_int_equal(mkfifo(path, 0600), 0);
	snprintf(spec, sizeof(spec), "file:%s", path);
	snprintf(want, sizeof(want), "PIN file %s for token 't' is not a regular file", path);
	assert_refused(spec, want);
}

/* A CRLF does not count toward the maximum; a NUL is not part of any PIN. */
static void
test_pin_file_crlf_max(void **state)
{
	char spec[600], want[1400], line[CER_PIN_MAX + 3];

	memset(line, 'q', CER_PIN_MAX);
	memcpy(line + CER_PIN_MAX, "\r\n", 3);
	file_spec(spec, sizeof(spec), "crlf", line, 0600);
	assert_int_equal(cer_pin_check(spec, 0, "t"), CER_OK);
	line[CER_PIN_MAX] = '\0';
	assert_reads(spec, line);
	testlib_path(line, sizeof(line), testlib_dir, "nul");
	assert_int_equal(testlib_write_file(line, "ab\0cd\n", 6, 0600), 0);
	snprintf(spec, sizeof(spec), "file:%s", line);
	snprintf(want, sizeof(want), "the PIN of token 't' from %s holds a NUL or a carriage "
	    "return", line);
	assert_read_refused(spec, want);
}

/* Every PIN in a page of its own, locked, left out of core dumps, wiped in a child. */
static void
test_pin_page(void **state)
{
	char spec[600], line[512], *pin = NULL;
	unsigned long lo, hi;
	struct rlimit ml;
	size_t len = 0;
	int in = 0, flags = 0;
	FILE *f;

	assert_int_equal(cer_pin_read(file_spec(spec, sizeof(spec), "pg", "paged\n", 0600), 0,
	    "t", &pin, &len), CER_OK);
	assert_int_equal((uintptr_t)pin % (uintptr_t)sysconf(_SC_PAGESIZE), 0);
	assert_non_null(f = fopen("/proc/self/smaps", "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		/* The mapping that holds the page; under valgrind it need not start there. */
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && line[0] != 'V')
			in = lo <= (unsigned long)(uintptr_t)pin && (unsigned long)(uintptr_t)pin < hi;
		if (in && strncmp(line, "VmFlags:", 8) == 0) {
			flags = 1;
			assert_non_null(strstr(line, " dd"));	/* MADV_DONTDUMP */
			assert_non_null(strstr(line, " wf"));	/* MADV_WIPEONFORK */
			assert_int_equal(getrlimit(RLIMIT_MEMLOCK, &ml), 0);
#ifndef __SANITIZE_ADDRESS__	/* ASan's mlock interceptor succeeds and locks nothing */
			if (ml.rlim_cur >= (rlim_t)sysconf(_SC_PAGESIZE) || getuid() == 0)
				assert_non_null(strstr(line, " lo"));	/* mlock */
#endif
		}
	}
	fclose(f);
	assert_true(flags);
	cer_pin_free(pin, len);
}

/* After cer_pin_protect_process: not dumpable, no core size. */
static void
test_pin_protect_process(void **state)
{
	struct rlimit core;
	pid_t pid;
	int status;

	if ((pid = fork()) == 0) {
		if (cer_pin_protect_process() != CER_OK || prctl(PR_GET_DUMPABLE) != 0 ||
		    getrlimit(RLIMIT_CORE, &core) != 0 || core.rlim_cur != 0 || core.rlim_max != 0)
			_exit(1);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void
test_pin_file_empty(void **state)
{
	char spec[600], want[1400];

	file_spec(spec, sizeof(spec), "empty", "", 0600);
	snprintf(want, sizeof(want), "the PIN of token 't' from %s is empty", spec + 5);
	assert_int_equal(cer_pin_check(spec, 0, "t"), CER_OK);
	assert_read_refused(spec, want);
	/* an empty first line is empty too, whatever follows */
	file_spec(spec, sizeof(spec), "empty", "\nsecond\n", 0600);
	assert_read_refused(spec, want);
	file_spec(spec, sizeof(spec), "empty", "\r\n", 0600);
	assert_read_refused(spec, want);
}

static void
test_pin_file_too_long(void **state)
{
	char spec[600], want[1400], line[CER_PIN_MAX + 3];

	memset(line, 'p', CER_PIN_MAX + 1);
	line[CER_PIN_MAX + 1] = '\n';
	line[CER_PIN_MAX + 2] = '\0';
	file_spec(spec, sizeof(spec), "long", line, 0600);
	snprintf(want, sizeof(want), "the PIN of token 't' from %s is longer than %d bytes",
	    spec + 5, CER_PIN_MAX);
	assert_read_refused(spec, want);
	/* CER_PIN_MAX bytes and a newline is a PIN */
	line[CER_PIN_MAX] = '\n';
	line[CER_PIN_MAX + 1] = '\0';
	file_spec(spec, sizeof(spec), "long", line, 0600);
	line[CER_PIN_MAX] = '\0';
	assert_reads(spec, line);
}

static void
test_pin_fd_newline(void **state)
{
	char spec[32], rest[32] = { 0 };
	int w, fd = pipe_with("fd-pin\nleft in the pipe\n", 0, &w), other = dup(fd);

	snprintf(spec, sizeof(spec), "fd:%d", fd);
	assert_int_equal(cer_pin_check(spec, 0, "t"), CER_OK);
	assert_true(fd_is_open(fd));	/* the check reads nothing and closes nothing */
	assert_reads(spec, "fd-pin");
	assert_false(fd_is_open(fd));
	/* read to the newline and no further: the rest is still in the pipe */
	close(w);
	assert_int_equal(read(other, rest, sizeof(rest) - 1), 17);
	assert_string_equal(rest, "left in the pipe\n");
	close(other);
}

static void
test_pin_fd_eof(void **state)
{
	char spec[32];
	int fd = pipe_with("eof-pin", 1, NULL);

	snprintf(spec, sizeof(spec), "fd:%d", fd);
	assert_reads(spec, "eof-pin");
	assert_false(fd_is_open(fd));
}

/* An empty pipe is refused, and its descriptor is closed all the same. */
static void
test_pin_fd_empty(void **state)
{
	char spec[32], want[128];
	int fd = pipe_with("", 1, NULL);

	snprintf(spec, sizeof(spec), "fd:%d", fd);
	snprintf(want, sizeof(want), "the PIN of token 't' from fd:%d is empty", fd);
	assert_read_refused(spec, want);
	assert_false(fd_is_open(fd));
}

static void
test_pin_fd_closed(void **state)
{
	char spec[32], want[256];
	int fd = closed_fd();

	snprintf(spec, sizeof(spec), "fd:%d", fd);
	snprintf(want, sizeof(want), "file descriptor %d, the PIN source of token 't', is not "
	    "open; pass the PIN on that descriptor", fd);
	assert_int_equal(cer_pin_check(spec, 0, "t"), CER_ERR_PIN);
	assert_string_equal(cer_err_detail(), want);
	snprintf(want, sizeof(want), "cannot read the PIN of token 't' from fd:%d: %s", fd,
	    strerror(EBADF));
	assert_read_refused(spec, want);
}

static void
test_pin_fd_bad_number(void **state)
{
	static const char *const bad[] = { "fd:", "fd:x", "fd:3x", "fd:-1", "fd:1025",
	    "fd:99999999999999999999" };
	char want[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(want, sizeof(want), "file descriptor %s, the PIN source of token 't', is "
		    "not open; pass the PIN on that descriptor", bad[i] + 3);
		assert_int_equal(cer_pin_check(bad[i], 0, "t"), CER_ERR_PIN);
		assert_string_equal(cer_err_detail(), want);
		assert_read_refused(bad[i], "bad descriptor in pin: for token 't'");
	}
}

static void
test_pin_unknown_source(void **state)
{
	assert_int_equal(cer_pin_check("vault:secret/pin", 0, "t"), CER_ERR_PIN);
	/* at most five bytes of the spec are shown: it may be a PIN missing its "literal" */
	assert_string_equal(cer_err_detail(), "unknown PIN source 'vault...' for token 't'");
	assert_read_refused("vault:secret/pin", "unknown PIN source for token 't'");
	assert_int_equal(cer_pin_check("123456", 0, "t"), CER_ERR_PIN);
	assert_null(strstr(cer_err_detail(), "123456"));
	assert_read_refused("123456", "unknown PIN source for token 't'");
	/* the source names are case-sensitive */
	assert_int_equal(cer_pin_check("ENV:" ENV_NAME, 0, "t"), CER_ERR_PIN);
}

static void
test_pin_free_null(void **state)
{
	cer_pin_free(NULL, 0);
	cer_pin_free(NULL, 8);
}

/* What env: and fd: sources gave is kept for the process; each test starts afresh. */
static int
forget(void **state)
{
	cer_pin_forget();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_pin_literal, forget),
		cmocka_unit_test_teardown(test_pin_check_prompt, forget),
		cmocka_unit_test_teardown(test_pin_env, forget),
		cmocka_unit_test_teardown(test_pin_env_unset, forget),
		cmocka_unit_test_teardown(test_pin_env_empty, forget),
		cmocka_unit_test_teardown(test_pin_env_too_long, forget),
		cmocka_unit_test_teardown(test_pin_file, forget),
		cmocka_unit_test_teardown(test_pin_file_readable_by_others, forget),
		cmocka_unit_test_teardown(test_pin_file_missing, forget),
		cmocka_unit_test_teardown(test_pin_file_not_regular, forget),
		cmocka_unit_test_teardown(test_pin_file_symlink, forget),
		cmocka_unit_test_teardown(test_pin_file_huge, forget),
		cmocka_unit_test_teardown(test_pin_file_fifo, forget),
		cmocka_unit_test_teardown(test_pin_file_crlf_max, forget),
		cmocka_unit_test_teardown(test_pin_page, forget),
		cmocka_unit_test_teardown(test_pin_protect_process, forget),
		cmocka_unit_test_teardown(test_pin_file_empty, forget),
		cmocka_unit_test_teardown(test_pin_file_too_long, forget),
		cmocka_unit_test_teardown(test_pin_fd_newline, forget),
		cmocka_unit_test_teardown(test_pin_fd_eof, forget),
		cmocka_unit_test_teardown(test_pin_fd_empty, forget),
		cmocka_unit_test_teardown(test_pin_fd_closed, forget),
		cmocka_unit_test_teardown(test_pin_fd_bad_number, forget),
		cmocka_unit_test_teardown(test_pin_unknown_source, forget),
		cmocka_unit_test_teardown(test_pin_free_null, forget),
	};

	return cmocka_run_group_tests(tests, testlib_dir_setup, testlib_dir_teardown);
}
