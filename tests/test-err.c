/* test-err.c: error names, the detail line, and the exit status of each code. */
#include "testlib.h"

#include <errno.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "base/err.h"

/* Every code of the enum, with its fixed name and exit status (err.c). */
static const struct {
	int code;
	const char *name;
	int status;
} codes[] = {
	{ CER_OK, "success", 0 },
	{ CER_ERR_INTERNAL, "internal error", 1 },
	{ CER_ERR_ALLOC, "out of memory", 1 },
	{ CER_ERR_SYSTEM, "system error", 1 },
	{ CER_ERR_OPENSSL, "OpenSSL error", 1 },
	{ CER_ERR_PKCS11, "PKCS#11 error", 1 },
	{ CER_ERR_USAGE, "usage error", 2 },
	{ CER_ERR_SCRIPT, "script error", 2 },
	{ CER_ERR_INPUT, "input file error", 2 },
	{ CER_ERR_OUTPUT_EXISTS, "output exists", 2 },
	{ CER_ERR_TOKEN, "token selection error", 1 },
	{ CER_ERR_PIN, "PIN error", 1 },
	{ CER_ERR_KEY, "key error", 1 },
	{ CER_ERR_VERIFY, "verification failed", 1 },
	{ CER_ERR_ABORTED, "aborted by the operator", 1 },
	{ CER_ERR_TRANSCRIPT, "transcript error", 1 },
	{ CER_ERR_MECHANISM, "mechanism not supported", 1 },
};
#define NCODES (sizeof(codes) / sizeof(codes[0]))

/* Runs first: before any failure the detail is empty, not NULL. */
static void
test_err_detail_initially_empty(void **state)
{
	assert_non_null(cer_err_detail());
	assert_string_equal(cer_err_detail(), "");
}

/* The table covers the enum: CER_OK down to the last code, with no gap. */
static void
test_err_table_complete(void **state)
{
	size_t i;

	assert_int_equal(NCODES, 17);
	for (i = 0; i < NCODES; i++)
		assert_int_equal(codes[i].code, -(int)i);
	assert_int_equal(codes[NCODES - 1].code, CER_ERR_MECHANISM);
}

static void
test_err_str_every_code(void **state)
{
	size_t i, j;

	for (i = 0; i < NCODES; i++) {
		assert_non_null(cer_err_str(codes[i].code));
		assert_string_equal(cer_err_str(codes[i].code), codes[i].name);
		for (j = 0; j < i; j++)	/* each name says which failure it was */
			assert_string_not_equal(codes[i].name, codes[j].name);
	}
}

static void
test_err_str_unknown(void **state)
{
	static const int unknown[] = { -555555, 1, -17, 42, -2147483647 - 1, 2147483647 };
	size_t i;

	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		assert_non_null(cer_err_str(unknown[i]));
		assert_string_equal(cer_err_str(unknown[i]), "unknown error");
	}
}

static void
test_err_fail_records_detail(void **state)
{
	assert_int_equal(cer_fail(CER_ERR_SCRIPT, "%s:%u:%u: unknown key '%s'", "s.yaml", 12u, 5u,
	    "comon-name"), CER_ERR_SCRIPT);
	assert_string_equal(cer_err_detail(), "s.yaml:12:5: unknown key 'comon-name'");
	/* the next failure replaces the line, it does not add to it */
	assert_int_equal(cer_fail(CER_ERR_KEY, "label %s taken", "root"), CER_ERR_KEY);
	assert_string_equal(cer_err_detail(), "label root taken");
	/* any code is handed back as it came, even one outside the enum */
	assert_int_equal(cer_fail(-555555, "odd"), -555555);
	assert_string_equal(cer_err_detail(), "odd");
	assert_int_equal(cer_fail(CER_OK, "%s", ""), CER_OK);
	assert_string_equal(cer_err_detail(), "");
}

/* Only SYSTEM appends errno and only OPENSSL the queue: the other codes keep the text exact. */
static void
test_err_fail_other_codes_append_nothing(void **state)
{
	static const unsigned char junk[] = { 0x30, 0x03 };
	const unsigned char *p;
	char want[32];
	size_t i;

	for (i = 0; i < NCODES; i++) {
		if (codes[i].code == CER_ERR_SYSTEM || codes[i].code == CER_ERR_OPENSSL)
			continue;
		p = junk;
		assert_null(d2i_X509(NULL, &p, sizeof(junk)));	/* something on the queue */
		errno = EACCES;
		snprintf(want, sizeof(want), "plain %d", (int)i);
		assert_int_equal(cer_fail(codes[i].code, "plain %d", (int)i), codes[i].code);
		assert_string_equal(cer_err_detail(), want);
		assert_int_equal(errno, EACCES);
		/* the queue is left for whoever reports it */
		assert_true(ERR_peek_error() != 0);
		ERR_clear_error();
	}
}

static void
test_err_fail_system_appends_strerror(void **state)
{
	char want[256];

	errno = ENOENT;
	assert_int_equal(cer_fail(CER_ERR_SYSTEM, "cannot open %s", "/x"), CER_ERR_SYSTEM);
	snprintf(want, sizeof(want), "cannot open /x: %s", strerror(ENOENT));
	assert_string_equal(cer_err_detail(), want);
	assert_string_equal(cer_err_detail(), "cannot open /x: No such file or directory");
	/* errno survives, for a caller that looks at it after cer_fail */
	assert_int_equal(errno, ENOENT);

	errno = EEXIST;
	assert_int_equal(cer_fail(CER_ERR_SYSTEM, "link"), CER_ERR_SYSTEM);
	assert_string_equal(cer_err_detail(), "link: File exists");
	assert_int_equal(errno, EEXIST);
}

static void
test_err_fail_openssl_appends_first_error(void **state)
{
	static const unsigned char junk[] = { 0x30, 0x03, 0x02, 0x01 };
	const unsigned char *p = junk;
	unsigned long first;
	char want[512], buf[256];

	ERR_clear_error();
	/* two errors on the queue: a failed parse, then one raised by hand */
	assert_null(d2i_X509(NULL, &p, sizeof(junk)));
	first = ERR_peek_error();
	assert_true(first != 0);
	ERR_raise(ERR_LIB_X509, X509_R_KEY_VALUES_MISMATCH);
	assert_true(ERR_peek_last_error() != first);
	ERR_error_string_n(first, buf, sizeof(buf));
	snprintf(want, sizeof(want), "cannot parse the certificate: %s", buf);

	assert_int_equal(cer_fail(CER_ERR_OPENSSL, "cannot parse the %s", "certificate"),
	    CER_ERR_OPENSSL);
	assert_string_equal(cer_err_detail(), want);
	assert_null(strstr(cer_err_detail(), "key values mismatch"));
	/* the queue is empty afterwards */
	assert_int_equal(ERR_peek_error(), 0);
}

static void
test_err_fail_openssl_empty_queue(void **state)
{
	ERR_clear_error();
	assert_int_equal(cer_fail(CER_ERR_OPENSSL, "nothing queued"), CER_ERR_OPENSSL);
	assert_string_equal(cer_err_detail(), "nothing queued");
	assert_int_equal(ERR_peek_error(), 0);
}

/* A detail longer than the buffer is cut, and nothing is appended past its end. */
static void
test_err_fail_long_detail(void **state)
{
	char big[2000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(cer_fail(CER_ERR_INPUT, "%s", big), CER_ERR_INPUT);
	assert_int_equal(strlen(cer_err_detail()), 1023);
	errno = ENOENT;
	assert_int_equal(cer_fail(CER_ERR_SYSTEM, "%s", big), CER_ERR_SYSTEM);
	assert_int_equal(strlen(cer_err_detail()), 1023);
	assert_null(strchr(cer_err_detail(), ':'));
	/* room for part of the suffix: it is cut too, still NUL-terminated */
	big[1020] = '\0';
	assert_int_equal(cer_fail(CER_ERR_SYSTEM, "%s", big), CER_ERR_SYSTEM);
	assert_int_equal(strlen(cer_err_detail()), 1023);
	assert_string_equal(cer_err_detail() + 1020, ": N");
}

static void
test_err_clear(void **state)
{
	assert_int_equal(cer_fail(CER_ERR_PIN, "wrong PIN"), CER_ERR_PIN);
	assert_string_not_equal(cer_err_detail(), "");
	cer_err_clear();
	assert_non_null(cer_err_detail());
	assert_string_equal(cer_err_detail(), "");
	cer_err_clear();
	assert_string_equal(cer_err_detail(), "");
	/* a failure after a clear is recorded as usual */
	assert_int_equal(cer_fail(CER_ERR_TOKEN, "t"), CER_ERR_TOKEN);
	assert_string_equal(cer_err_detail(), "t");
}

static void
test_err_exit_status_every_code(void **state)
{
	size_t i;

	for (i = 0; i < NCODES; i++)
		assert_int_equal(cer_err_exit_status(codes[i].code), codes[i].status);
	assert_int_equal(cer_err_exit_status(CER_OK), 0);
	assert_int_equal(cer_err_exit_status(CER_ERR_USAGE), 2);
	assert_int_equal(cer_err_exit_status(CER_ERR_SCRIPT), 2);
	assert_int_equal(cer_err_exit_status(CER_ERR_INPUT), 2);
	assert_int_equal(cer_err_exit_status(CER_ERR_OUTPUT_EXISTS), 2);
	assert_int_equal(cer_err_exit_status(CER_ERR_VERIFY), 1);
}

static void
test_err_exit_status_unknown(void **state)
{
	assert_int_equal(cer_err_exit_status(-555555), 1);
	assert_int_equal(cer_err_exit_status(1), 1);
	assert_int_equal(cer_err_exit_status(-17), 1);
	assert_int_equal(cer_err_exit_status(42), 1);
}

/* A saved detail put back is itself: a system error's strerror is not appended twice. */
static void
test_err_restore(void **state)
{
	char saved[1024];

	(void)state;
	errno = ENOENT;
	assert_int_equal(cer_fail(CER_ERR_SYSTEM, "open x"), CER_ERR_SYSTEM);
	snprintf(saved, sizeof(saved), "%s", cer_err_detail());
	(void)cer_fail(CER_ERR_SCRIPT, "something else");
	assert_int_equal(cer_err_restore(CER_ERR_SYSTEM, saved), CER_ERR_SYSTEM);
	assert_string_equal(cer_err_detail(), saved);
	assert_int_equal(cer_err_restore(CER_ERR_USAGE, cer_err_detail()), CER_ERR_USAGE);
	assert_string_equal(cer_err_detail(), saved);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_err_detail_initially_empty),
		cmocka_unit_test(test_err_table_complete),
		cmocka_unit_test(test_err_str_every_code),
		cmocka_unit_test(test_err_str_unknown),
		cmocka_unit_test(test_err_fail_records_detail),
		cmocka_unit_test(test_err_fail_other_codes_append_nothing),
		cmocka_unit_test(test_err_fail_system_appends_strerror),
		cmocka_unit_test(test_err_fail_openssl_appends_first_error),
		cmocka_unit_test(test_err_fail_openssl_empty_queue),
		cmocka_unit_test(test_err_fail_long_detail),
		cmocka_unit_test(test_err_clear),
		cmocka_unit_test(test_err_exit_status_every_code),
		cmocka_unit_test(test_err_exit_status_unknown),
		cmocka_unit_test(test_err_restore),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
