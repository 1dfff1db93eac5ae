/* testlib.h: what every cmocka test file includes. */
#ifndef CER_TESTLIB_H
#define CER_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#define SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so"

/*
 * Makes a throwaway SoftHSM token directory under dir (which must exist)
 * and points SOFTHSM2_CONF at it; then initialises one token per label
 * with user PIN pin.  Returns 0 on success.
 */
static inline int
testlib_softhsm(const char *dir, const char *const *labels, const char *pin)
{
	char path[512], cmd[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/tokens", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
	if (system(cmd) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/softhsm2.conf", dir);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fprintf(f, "directories.tokendir = %s/tokens\nobjectstore.backend = file\n"
	    "log.level = ERROR\n", dir);
	fclose(f);
	setenv("SOFTHSM2_CONF", path, 1);
	for (; labels != NULL && *labels != NULL; labels++) {
		snprintf(cmd, sizeof(cmd), "softhsm2-util --init-token --free --label '%s' "
		    "--pin '%s' --so-pin 87654321 >/dev/null", *labels, pin);
		if (system(cmd) != 0)
			return -1;
	}
	return 0;
}

/* dir/name into buf (the caller's, n bytes); returns buf. */
static inline char *
testlib_path(char *buf, size_t n, const char *dir, const char *name)
{
	if (snprintf(buf, n, "%s/%s", dir, name) >= (int)n)
		fail_msg("path too long: %s/%s", dir, name);
	return buf;
}

/* Creates (or truncates) path with len bytes of data and exactly this mode; 0 on success. */
static inline int
testlib_write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd, rc = 0;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)) == -1)
		return -1;
	if (fchmod(fd, mode) != 0 || write(fd, data, len) != (ssize_t)len)
		rc = -1;
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

/* rm -rf dir (a directory a test made with mkdtemp); 0 on success. */
static inline int
testlib_rmtree(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/*
 * A scratch directory for a group of tests, /tmp/<program>.XXXXXX: pass
 * testlib_dir_setup and testlib_dir_teardown to cmocka_run_group_tests
 * (or call them from the group's own setup and teardown).
 */
static char testlib_dir[128] __attribute__((unused));

static inline int
testlib_dir_setup(void **state)
{
	(void)state;
	snprintf(testlib_dir, sizeof(testlib_dir), "/tmp/%s.XXXXXX",
	    program_invocation_short_name);
	return mkdtemp(testlib_dir) != NULL ? 0 : -1;
}

static inline int
testlib_dir_teardown(void **state)
{
	(void)state;
	return testlib_rmtree(testlib_dir);
}

#endif
