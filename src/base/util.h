/* util.h: small helpers shared by every module (hashing, hex, files, zeroing). */
#ifndef CER_UTIL_H
#define CER_UTIL_H

#include <stddef.h>
#include <time.h>
#include <sys/stat.h>

#include "base/err.h"

#define CER_SHA256_LEN 32

/* SHA-256 of len bytes into out. */
int cer_sha256(const void *buf, size_t len, unsigned char out[static CER_SHA256_LEN]) CER_WUR;

/* SHA-256 of a file's contents (following symlinks). CER_ERR_INPUT if unreadable. */
int cer_sha256_file(const char *path, unsigned char out[static CER_SHA256_LEN]) CER_WUR;

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

/* RFC 3339 UTC "2026-12-01T09:00:00Z" into buf (at least 21 bytes). */
void cer_time_str(time_t t, char buf[static 21]);

/* Zeroes len bytes at p, then frees it. Accepts NULL. */
void cer_freezero(void *p, size_t len);

/* Zeroes and frees a NUL-terminated secret string. Accepts NULL. */
void cer_free_secret(char *s);

#endif
