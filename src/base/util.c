/* util.c: hashing, hex, whole reads and writes, zeroing frees. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "base/util.h"

int
cer_sha256(const void *buf, size_t len, unsigned char out[static CER_SHA256_LEN])
{
	unsigned int n = 0;

	if (EVP_Digest(buf, len, out, &n, EVP_sha256(), NULL) != 1 || n != CER_SHA256_LEN)
		return cer_fail(CER_ERR_OPENSSL, "SHA-256 failed");
	return CER_OK;
}

int
cer_sha256_hex(const void *buf, size_t len, char **hex)
{
	unsigned char d[CER_SHA256_LEN];
	int r;

	*hex = NULL;
	if ((r = cer_sha256(buf, len, d)) != CER_OK)
		return r;
	return cer_hex(d, sizeof(d), hex);
}

int
cer_sha256_file(const char *path, unsigned char out[static CER_SHA256_LEN])
{
	unsigned char *buf = NULL;
	size_t len = 0;
	int r;

	if ((r = cer_read_file(path, (size_t)1 << 30, &buf, &len)) != CER_OK)
		return r;
	r = cer_sha256(buf, len, out);
	free(buf);
	return r;
}

int
cer_hex(const unsigned char *buf, size_t len, char **out)
{
	static const char digits[] = "0123456789abcdef";
	char *s;
	size_t i;

	*out = NULL;
	if ((s = malloc(len * 2 + 1)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	for (i = 0; i < len; i++) {
		s[2 * i] = digits[buf[i] >> 4];
		s[2 * i + 1] = digits[buf[i] & 0xf];
	}
	s[len * 2] = '\0';
	*out = s;
	return CER_OK;
}

int
cer_read_all(int fd, unsigned char *buf, size_t size, size_t *len)
{
	ssize_t n;

	*len = 0;
	while (*len < size) {
		if ((n = read(fd, buf + *len, size - *len)) < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return CER_ERR_SYSTEM;
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	return CER_OK;
}

int
cer_write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return CER_ERR_SYSTEM;
		p += n;
		len -= (size_t)n;
	}
	return CER_OK;
}

/* What a file that is not a regular file is, for the message. */
static const char *
kind_of(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ?
	    "a character device" : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" :
	    "not a regular file";
}

/*
 * O_NONBLOCK so that a FIFO or a device cannot block the open itself (a
 * FIFO with no writer would wait forever); cleared once fstat says it is a
 * regular file, where it means nothing anyway.
 */
int
cer_open_input(const char *path, int *fd, struct stat *st)
{
	int flags;

	*fd = -1;
	if ((*fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) == -1 ||
	    fstat(*fd, st) == -1)
		goto fail;
	if (!S_ISREG(st->st_mode)) {
		close(*fd);
		*fd = -1;
		return cer_fail(CER_ERR_INPUT, "%s: is %s, not a regular file", path,
		    kind_of(st->st_mode));
	}
	if ((flags = fcntl(*fd, F_GETFL)) == -1 || fcntl(*fd, F_SETFL, flags & ~O_NONBLOCK) == -1)
		goto fail;
	return CER_OK;
 fail:
	if (*fd != -1)
		close(*fd);
	*fd = -1;
	return cer_fail(CER_ERR_INPUT, "%s: cannot read: %s", path, strerror(errno));
}

int
cer_read_file(const char *path, size_t max, unsigned char **buf, size_t *len)
{
	int r = CER_ERR_INTERNAL, fd = -1;
	unsigned char *b = NULL;
	struct stat st;
	size_t have = 0;

	*buf = NULL;
	*len = 0;
	if ((r = cer_open_input(path, &fd, &st)) != CER_OK)
		goto out;
	if ((size_t)st.st_size > max) {
		r = cer_fail(CER_ERR_INPUT, "%s: %lld bytes, more than the %zu this file may have",
		    path, (long long)st.st_size, max);
		goto out;
	}
	if ((b = malloc((size_t)st.st_size + 1)) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	if ((r = cer_read_all(fd, b, (size_t)st.st_size, &have)) != CER_OK ||
	    have < (size_t)st.st_size) {
		r = cer_fail(CER_ERR_INPUT, "%s: read failed: %s", path,
		    r == CER_OK ? "file shrank" : strerror(errno));
		goto out;
	}
	b[have] = '\0';
	*buf = b;
	*len = have;
	b = NULL; /* transferred */
	r = CER_OK;
 out:
	free(b);
	if (fd != -1)
		close(fd);
	return r;
}

void
cer_time_str(time_t t, char buf[static 21])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year < -1900 || tm.tm_year > 9999 - 1900) {
		snprintf(buf, 21, "out-of-range");
		return;
	}
	/* the ranges are known; the remainders only tell the compiler so */
	snprintf(buf, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)(tm.tm_year + 1900) % 10000u,
	    (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u,
	    (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes) and its code point; 0 if invalid. */
static size_t
utf8_at(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t k, len = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 :
	    (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	unsigned long v;

	if (len == 0 || len > n)
		return 0;
	v = len == 1 ? s[0] : (unsigned long)s[0] & (0x7fu >> len);
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[k] & 0x3fu);
	}
	if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
	    v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/* A code point a terminal or a browser acts on instead of showing. */
static int
unsafe_cp(unsigned long cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

long
cer_text_unsafe(const char *s, size_t len, unsigned long *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		if ((n = utf8_at(p + i, len - i, cp)) == 0) {
			*cp = p[i];
			return (long)i;
		}
		if (unsafe_cp(*cp))
			return (long)i;
		i += n;
	}
	return -1;
}

int
cer_escape(const char *s, size_t len, int flags, char **out)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp = 0;
	size_t i = 0, n, o = 0;
	char *buf;

	*out = NULL;
	/* the worst case is \xNN for every byte */
	if (len > ((size_t)-1 - 1) / 4 || (buf = malloc(4 * len + 1)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	while (i < len) {
		if ((n = utf8_at(p + i, len - i, &cp)) == 0 ||
		    (cp < 0x80 && unsafe_cp(cp) && !(cp == '\n' && (flags & CER_ESC_KEEP_NL)))) {
			o += (size_t)snprintf(buf + o, 5, "\\x%02x", p[i]);
			i++;
		} else if (cp >= 0x80 && unsafe_cp(cp)) {
			o += (size_t)snprintf(buf + o, 7, "\\u%04lx", cp);
			i += n;
		} else {
			memcpy(buf + o, p + i, n);
			o += n;
			i += n;
		}
	}
	buf[o] = '\0';
	*out = buf;
	return CER_OK;
}

void
cer_fputs_safe(FILE *f, const char *s)
{
	char *e = NULL;

	if (s == NULL)
		return;
	if (cer_escape(s, strlen(s), 0, &e) == CER_OK)
		fputs(e, f);
	else
		fputs("(out of memory)", f);
	free(e);
}

void
cer_freezero(void *p, size_t len)
{
	if (p == NULL)
		return;
	explicit_bzero(p, len);
	free(p);
}

void
cer_free_secret(char *s)
{
	if (s != NULL)
		cer_freezero(s, strlen(s));
}

time_t
cer_time_plus_months(time_t t, int n)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		return (time_t)-1;
	tm.tm_mon += n;
	return timegm(&tm);
}
