/* err.c: error names and the one detail line of the current failure. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "base/err.h"

/* Single-threaded by design (ARCHITECTURE §6), so one buffer suffices. */
static char detail[1024];

const char *
cer_err_str(int code)
{
	switch (code) {
	case CER_OK:			return "success";
	case CER_ERR_INTERNAL:		return "internal error";
	case CER_ERR_ALLOC:		return "out of memory";
	case CER_ERR_SYSTEM:		return "system error";
	case CER_ERR_OPENSSL:		return "OpenSSL error";
	case CER_ERR_PKCS11:		return "PKCS#11 error";
	case CER_ERR_USAGE:		return "usage error";
	case CER_ERR_SCRIPT:		return "script error";
	case CER_ERR_INPUT:		return "input file error";
	case CER_ERR_OUTPUT_EXISTS:	return "output exists";
	case CER_ERR_TOKEN:		return "token selection error";
	case CER_ERR_PIN:		return "PIN error";
	case CER_ERR_KEY:		return "key error";
	case CER_ERR_VERIFY:		return "verification failed";
	case CER_ERR_ABORTED:		return "aborted by the operator";
	case CER_ERR_TRANSCRIPT:	return "transcript error";
	case CER_ERR_MECHANISM:		return "mechanism not supported";
	default:			return "unknown error";
	}
}

static void
append(const char *s)
{
	size_t n = strlen(detail);

	if (n < sizeof(detail) - 1)
		snprintf(detail + n, sizeof(detail) - n, "%s", s);
}

/* The detail from a format whose arguments may be the detail itself. */
static void
set_detail(const char *prefix, const char *fmt, va_list ap)
{
	char buf[sizeof(detail)];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	snprintf(detail, sizeof(detail), "%s%s", prefix, buf);
}

int
cer_fail(int code, const char *fmt, ...)
{
	int saved = errno;
	unsigned long e;
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	set_detail("", fmt, ap);
	va_end(ap);
	if (code == CER_ERR_SYSTEM) {
		append(": ");
		append(strerror(saved));
	} else if (code == CER_ERR_OPENSSL) {
		if ((e = ERR_get_error()) != 0) {
			ERR_error_string_n(e, buf, sizeof(buf));
			append(": ");
			append(buf);
		}
		ERR_clear_error();
	}
	errno = saved;
	return code;
}

int
cer_fail_at(int code, const char *file, struct cer_pos pos, const char *fmt, ...)
{
	char where[300] = "";
	va_list ap;

	if (pos.line != 0)
		snprintf(where, sizeof(where), "%s:%u:%u: ", file, pos.line, pos.col);
	va_start(ap, fmt);
	set_detail(where, fmt, ap);
	va_end(ap);
	return code;
}

int
cer_fail_prefix(int code, const char *fmt, ...)
{
	char was[sizeof(detail)];
	size_t n;
	va_list ap;

	memcpy(was, detail, sizeof(was));
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if ((n = strlen(detail)) < sizeof(detail) - 2) {
		memcpy(detail + n, ": ", 3);
		append(was);
	}
	return code;
}

int
cer_err_restore(int code, const char *saved)
{
	char buf[sizeof(detail)];

	snprintf(buf, sizeof(buf), "%s", saved);
	memcpy(detail, buf, sizeof(detail));
	return code;
}

const char *
cer_err_detail(void)
{
	return detail;
}

void
cer_err_clear(void)
{
	detail[0] = '\0';
}

int
cer_err_exit_status(int code)
{
	switch (code) {
	case CER_OK:
		return 0;
	case CER_ERR_USAGE:
	case CER_ERR_SCRIPT:
	case CER_ERR_INPUT:
	case CER_ERR_OUTPUT_EXISTS:
		return 2;
	default:
		return 1;
	}
}
