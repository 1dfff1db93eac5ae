/* test-outfile.c: outputs are checked, named and created, never replaced. */
#include "testlib.h"

#include <dirent.h>
#include <errno.h>
#include <sys/wait.h>

#include "base/err.h"
#include "base/util.h"
#include "record/outfile.h"

/* A fresh, empty subdirectory of testlib_dir for one test; its path in buf. */
static char *
subdir(char *buf, size_t n, const char *name)
{
	testlib_path(buf, n, testlib_dir, name);
	assert_int_equal(mkdir(buf, 0755), 0);
	return buf;
}

/* The names in d, sorted and joined with spaces ("" when empty). */
static void
assert_listing(const char *d, const char *want)
{
	struct dirent **ents;
	char got[1024] = "";
	int i, n = scandir(d, &ents, NULL, alphasort);

	assert_true(n >= 2);
	for (i = 0; i < n; i++) {
		if (strcmp(ents[i]->d_name, ".") != 0 && strcmp(ents[i]->d_name, "..") != 0)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s",
			    got[0] != '\0' ? " " : "", ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	assert_string_equal(got, want);
}

/* path holds exactly len bytes of data, with this mode. */
static void
assert_file(const char *path, const void *data, size_t len, mode_t mode)
{
	unsigned char *buf = NULL;
	size_t got = 0;
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, mode);
	assert_int_equal(cer_read_file(path, 1 << 24, &buf, &got), CER_OK);
	assert_int_equal(got, len);
	assert_memory_equal(buf, data, len);
	free(buf);
}

static void
test_outfile_check_absent(void **state)
{
	char d[512], path[600];

	subdir(d, sizeof(d), "check-absent");
	testlib_path(path, sizeof(path), d, "a.pem");
	cer_err_clear();
	assert_int_equal(cer_outfile_check(path, "s.yaml:3:5"), CER_OK);
	assert_string_equal(cer_err_detail(), "");
	assert_listing(d, "");	/* the check touches nothing */
}

static void
test_outfile_check_exists(void **state)
{
	char d[512], path[600], dangling[600], want[1400];

	subdir(d, sizeof(d), "check-exists");
	testlib_path(path, sizeof(path), d, "a.pem");
	assert_int_equal(testlib_write_file(path, "old", 3, 0644), 0);
	snprintf(want, sizeof(want), "s.yaml:3:5: output %s already exists; ceremony never "
	    "replaces a file: move it away or choose another path", path);
	assert_int_equal(cer_outfile_check(path, "s.yaml:3:5"), CER_ERR_OUTPUT_EXISTS);
	assert_string_equal(cer_err_detail(), want);
	/* a symbolic link to nothing is a file that exists, too */
	testlib_path(dangling, sizeof(dangling), d, "dangling.pem");
	assert_int_equal(symlink("/nonexistent/target", dangling), 0);
	assert_int_equal(cer_outfile_check(dangling, "w"), CER_ERR_OUTPUT_EXISTS);
	/* and so is a directory */
	assert_int_equal(cer_outfile_check(d, "w"), CER_ERR_OUTPUT_EXISTS);
}

static void
test_outfile_check_no_directory(void **state)
{
	char d[512], path[600], file[600], want[1400];

	testlib_path(d, sizeof(d), testlib_dir, "missing");
	testlib_path(path, sizeof(path), d, "a.pem");
	snprintf(want, sizeof(want), "s.yaml:9:1: the directory '%s' of output %s does not exist; "
	    "create it first", d, path);
	assert_int_equal(cer_outfile_check(path, "s.yaml:9:1"), CER_ERR_INPUT);
	assert_string_equal(cer_err_detail(), want);
	/* a file where the directory should be */
	testlib_path(file, sizeof(file), testlib_dir, "plainfile");
	assert_int_equal(testlib_write_file(file, "x", 1, 0644), 0);
	testlib_path(path, sizeof(path), file, "a.pem");
	assert_int_equal(cer_outfile_check(path, "w"), CER_ERR_INPUT);
	assert_non_null(strstr(cer_err_detail(), "is not a directory"));
}

/*
 * Root may write anywhere, so the check runs in a child, as nobody when the
 * test runs as root; the child reports by its exit status.
 */
static void
test_outfile_check_not_writable(void **state)
{
	char d[512], path[600], want[1400];
	int status = -1;
	pid_t pid;

	subdir(d, sizeof(d), "read-only");
	assert_int_equal(chmod(d, 0555), 0);
	assert_int_equal(chmod(testlib_dir, 0711), 0);
	testlib_path(path, sizeof(path), d, "a.pem");
	snprintf(want, sizeof(want), "w: the directory '%s' of output %s is not writable", d, path);
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(3);
		_exit(cer_outfile_check(path, "w") != CER_ERR_INPUT ? 1 :
		    strcmp(cer_err_detail(), want) != 0 ? 2 : 0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(chmod(testlib_dir, 0700), 0);
}

static void
test_outfile_canonical(void **state)
{
	char d[512], a[600], b[1200], link[600], via_link[700], want[1200], *real;
	char *ca = NULL, *cb = NULL, *cl = NULL;

	subdir(d, sizeof(d), "canon");
	testlib_path(a, sizeof(a), d, "a.pem");
	snprintf(b, sizeof(b), "%s/../canon/./a.pem", d);
	assert_int_equal(cer_outfile_canonical(a, &ca), CER_OK);
	assert_int_equal(cer_outfile_canonical(b, &cb), CER_OK);
	assert_string_equal(ca, cb);
	/* the directory resolved, the file name kept (it need not exist) */
	assert_non_null(real = realpath(d, NULL));
	snprintf(want, sizeof(want), "%s/a.pem", real);
	assert_string_equal(ca, want);
	/* a link to the directory is refused: it could be re-pointed before the write */
	testlib_path(link, sizeof(link), testlib_dir, "canon-link");
	assert_int_equal(symlink(d, link), 0);
	testlib_path(via_link, sizeof(via_link), link, "a.pem");
	assert_int_equal(cer_outfile_canonical(via_link, &cl), CER_ERR_INPUT);
	assert_non_null(strstr(cer_err_detail(), "is a symbolic link"));
	assert_null(cl);
	free(real);
	free(ca);
	free(cb);
	free(cl);
}

static void
test_outfile_canonical_other_name(void **state)
{
	char d[512], a[600], b[600], *ca = NULL, *cb = NULL;

	subdir(d, sizeof(d), "canon-other");
	testlib_path(a, sizeof(a), d, "a.pem");
	testlib_path(b, sizeof(b), d, "b.pem");
	assert_int_equal(cer_outfile_canonical(a, &ca), CER_OK);
	assert_int_equal(cer_outfile_canonical(b, &cb), CER_OK);
	assert_string_not_equal(ca, cb);
	free(ca);
	free(cb);
}

static void
test_outfile_canonical_no_directory(void **state)
{
	char path[600], want[1400], *out = (char *)&out;

	snprintf(path, sizeof(path), "%s/missing/a.pem", testlib_dir);
	snprintf(want, sizeof(want), "%s: the directory '%s/missing' of output %s does not exist; "
	    "create it first", path, testlib_dir, path);
	assert_int_equal(cer_outfile_canonical(path, &out), CER_ERR_INPUT);
	assert_null(out);
	assert_string_equal(cer_err_detail(), want);
}

/* The mode is 0644 whatever the umask: the code sets it with fchmod after creating. */
static void
test_outfile_write(void **state)
{
	static const unsigned char data[] = "-----BEGIN CERTIFICATE-----\n\0binary\xff\n";
	static const mode_t umasks[] = { 022, 077, 0 };
	char d[512], path[600], name[16];
	mode_t old;
	size_t i;

	subdir(d, sizeof(d), "write");
	for (i = 0; i < sizeof(umasks) / sizeof(umasks[0]); i++) {
		snprintf(name, sizeof(name), "u%03o.pem", (unsigned)umasks[i]);
		testlib_path(path, sizeof(path), d, name);
		old = umask(umasks[i]);
		assert_int_equal(cer_outfile_write(path, data, sizeof(data)), CER_OK);
		umask(old);
		assert_file(path, data, sizeof(data), 0644);
	}
	/* nothing else in the directory: no temporary file left behind */
	assert_listing(d, "u000.pem u022.pem u077.pem");
}

static void
test_outfile_write_refuses_existing(void **state)
{
	char d[512], path[600], dangling[600], want[1400], target[64];
	ssize_t n;

	subdir(d, sizeof(d), "write-exists");
	testlib_path(path, sizeof(path), d, "a.pem");
	assert_int_equal(testlib_write_file(path, "old contents", 12, 0600), 0);
	snprintf(want, sizeof(want), "output %s appeared during the ceremony; nothing was "
	    "replaced", path);
	assert_int_equal(cer_outfile_write(path, "new", 3), CER_ERR_OUTPUT_EXISTS);
	assert_string_equal(cer_err_detail(), want);
	assert_file(path, "old contents", 12, 0600);
	/* a dangling link is not followed, not replaced */
	testlib_path(dangling, sizeof(dangling), d, "link.pem");
	assert_int_equal(symlink("/nonexistent/target", dangling), 0);
	assert_int_equal(cer_outfile_write(dangling, "new", 3), CER_ERR_OUTPUT_EXISTS);
	assert_int_equal(n = readlink(dangling, target, sizeof(target) - 1), 19);
	target[n] = '\0';
	assert_string_equal(target, "/nonexistent/target");
	/* and the refusals left nothing behind either */
	assert_listing(d, "a.pem link.pem");
}

static void
test_outfile_write_empty(void **state)
{
	char d[512], path[600];

	subdir(d, sizeof(d), "write-empty");
	testlib_path(path, sizeof(path), d, "empty.pem");
	assert_int_equal(cer_outfile_write(path, "", 0), CER_OK);
	assert_file(path, "", 0, 0644);
	assert_listing(d, "empty.pem");
}

static void
test_outfile_write_large(void **state)
{
	size_t len = 3 * 1024 * 1024 + 7, i;
	unsigned char *data = malloc(len);
	char d[512], path[600];

	assert_non_null(data);
	for (i = 0; i < len; i++)
		data[i] = (unsigned char)(i * 31 + (i >> 13));
	subdir(d, sizeof(d), "write-large");
	testlib_path(path, sizeof(path), d, "big.der");
	assert_int_equal(cer_outfile_write(path, data, len), CER_OK);
	assert_file(path, data, len, 0644);
	assert_listing(d, "big.der");
	free(data);
}

static void
test_outfile_write_no_directory(void **state)
{
	char path[600], want[1400];

	snprintf(path, sizeof(path), "%s/missing/a.pem", testlib_dir);
	snprintf(want, sizeof(want), "%s: the directory '%s/missing' of output %s does not exist; "
	    "create it first", path, testlib_dir, path);
	assert_int_equal(cer_outfile_write(path, "x", 1), CER_ERR_INPUT);
	assert_string_equal(cer_err_detail(), want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outfile_check_absent),
		cmocka_unit_test(test_outfile_check_exists),
		cmocka_unit_test(test_outfile_check_no_directory),
		cmocka_unit_test(test_outfile_check_not_writable),
		cmocka_unit_test(test_outfile_canonical),
		cmocka_unit_test(test_outfile_canonical_other_name),
		cmocka_unit_test(test_outfile_canonical_no_directory),
		cmocka_unit_test(test_outfile_write),
		cmocka_unit_test(test_outfile_write_refuses_existing),
		cmocka_unit_test(test_outfile_write_empty),
		cmocka_unit_test(test_outfile_write_large),
		cmocka_unit_test(test_outfile_write_no_directory),
	};

	return cmocka_run_group_tests(tests, testlib_dir_setup, testlib_dir_teardown);
}
