/*
 * fuzz-transcript.c: libFuzzer harness for the transcript checker and its
 * display (make fuzz-transcript).  The input's prev members are rewritten
 * to the real chain first, or almost no input would get past line 1; any
 * input must then give CER_OK or a clean error, never a crash, a leak or
 * undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/tscheck.h"
#include "record/tsshow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Puts the hex SHA-256 of each line into the next line's first "prev":"<64 chars>". */
static void
rechain(unsigned char *buf, size_t len)
{
	static const char key[] = "\"prev\":\"";
	unsigned char d[CER_SHA256_LEN] = { 0 };
	unsigned char *line = buf, *nl, *p;
	char *hex = NULL;

	for (; line < buf + len; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(buf + len - line))) == NULL)
			return;
		p = memmem(line, (size_t)(nl - line), key, sizeof(key) - 1);
		if (p != NULL && (size_t)(nl - p) >= sizeof(key) - 1 + 64 &&
		    cer_hex(d, sizeof(d), &hex) == CER_OK)
			memcpy(p + sizeof(key) - 1, hex, 64);
		free(hex);
		hex = NULL;
		if (cer_sha256(line, (size_t)(nl - line), d) != CER_OK)
			return;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cer_tscheck_opts opts;
	static FILE *devnull;
	struct cer_tscheck_summary sum;
	struct cer_tscheck *t = NULL;
	unsigned char *buf;

	if ((devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL) ||
	    (buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	rechain(buf, size);
	if (cer_tscheck_parse("fuzz.jsonl", buf, size, &t) == CER_OK &&
	    cer_tscheck_verify(t, &opts, &sum) == CER_OK) {
		cer_tsshow_write(t, sum.complete, devnull, 0);
		cer_tsshow_write(t, sum.complete, devnull, 1);
	}
	cer_tscheck_free(t);
	free(buf);
	cer_err_clear();
	return 0;
}
