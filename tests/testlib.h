/* testlib.h: what every cmocka test file includes. */
#ifndef CER_TESTLIB_H
#define CER_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#endif
