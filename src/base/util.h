/* util.h: small helpers shared by every module (hashing, hex, files, zeroing). */
#ifndef CER_UTIL_H
#define CER_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include <sys/stat.h>

#include "base/err.h"

#define CER_SHA256_LEN 32

/* SHA-256 of len bytes into out. */
int cer_sha256(const void *buf, size_t len, unsigned char out[static CER_SHA256_LEN]) CER_WUR;

/* SHA-256 of a file's contents (following symlinks). CER_ERR_INPUT if unreadable. */
int cer_sha256_file(const char *path, unsigned char out[static CER_SHA256_LEN]) CER_WUR;

/* The SHA-256 of len bytes as lowercase hex, a new string *hex (NULL on failure). */
int cer_sha256_hex(const void *buf, size_t len, char **hex) CER_WUR;

/* Lowercase hex of len bytes into a new string *out. */
int cer_hex(const unsigned char *buf, size_t len, char **out) CER_WUR;

/*
 * Reads fd until end of file or size bytes, retrying EINTR; *len is what
 * was read.  CER_ERR_SYSTEM with errno kept (no detail: the caller names
 * the file).
 */
int cer_read_all(int fd, unsigned char *buf, size_t size, size_t *len) CER_WUR;

/* Writes all len bytes to fd, retrying short writes and EINTR; as cer_read_all. */
int cer_write_all(int fd, const void *buf, size_t len) CER_WUR;

/*
 * Opens an input file for reading without ever blocking in open(2) (a FIFO,
 * a device) and refuses anything but a regular file: CER_ERR_INPUT naming
 * path.  *st is its fstat.
 */
int cer_open_input(const char *path, int *fd, struct stat *st) CER_WUR;

/* Reads a whole file (at most max bytes, else CER_ERR_INPUT) into *buf (NUL-terminated). */
int cer_read_file(const char *path, size_t max, unsigned char **buf, size_t *len) CER_WUR;

/*
 * RFC 3339 UTC "2026-12-01T09:00:00Z" into buf (at least 21 bytes), always
 * NUL-terminated; a time outside years 0000-9999, which RFC 3339 cannot
 * write, is "out-of-range", which nothing reads as a date.
 */
void cer_time_str(time_t t, char buf[static 21]);

/* t + n calendar months, UTC (timegm carries a 13th month into the next year). */
time_t cer_time_plus_months(time_t t, int n);
/* cer_escape flags: keep newlines as they are (multi-line text shown as lines). */
#define CER_ESC_KEEP_NL 1

/*
 * Text made safe to write to a terminal (or into HTML): every C0 control
 * (tab and newline included, unless CER_ESC_KEEP_NL keeps newlines) and
 * DEL as \xNN; C1 controls, bidirectional embeddings, overrides and
 * isolates (U+202A-202E, U+2066-2069) and the line and paragraph
 * separators (U+2028, U+2029) as \uNNNN; a byte that is not part of valid
 * UTF-8 as \xNN.  Everything else is copied.  *out is a new string.
 */
int cer_escape(const char *s, size_t len, int flags, char **out) CER_WUR;

/*
 * Where the first code point cer_escape would escape (newlines included)
 * is in the len bytes at s: its offset, with *cp the code point (or the
 * byte that is not UTF-8); -1 when there is none.
 */
long cer_text_unsafe(const char *s, size_t len, unsigned long *cp);

/* fputs(cer_escape(s)): what every text output writes of a value it did not make. */
void cer_fputs_safe(FILE *f, const char *s);

/* Zeroes len bytes at p, then frees it. Accepts NULL. */
void cer_freezero(void *p, size_t len);

/* Zeroes and frees a NUL-terminated secret string. Accepts NULL. */
void cer_free_secret(char *s);

#endif
