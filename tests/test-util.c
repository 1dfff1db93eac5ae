/* test-util.c: hashing, hex, whole-file reads, time strings and zeroing frees. */
#include "testlib.h"

#include "base/err.h"
#include "base/util.h"

/* The hex of a SHA-256, through cer_hex and through cer_sha256_hex, so each vector is one line. */
static void
assert_sha256_hex(const void *buf, size_t len, const char *want)
{
	unsigned char md[CER_SHA256_LEN];
	char *hex = NULL;

	assert_int_equal(cer_sha256(buf, len, md), CER_OK);
	assert_int_equal(cer_hex(md, sizeof(md), &hex), CER_OK);
	assert_string_equal(hex, want);
	free(hex);
	assert_int_equal(cer_sha256_hex(buf, len, &hex), CER_OK);
	assert_string_equal(hex, want);
	free(hex);
}

/* FIPS 180-2 vectors: "abc", the empty string, and a million 'a's. */
static void
test_util_sha256_vectors(void **state)
{
	char *million = malloc(1000000);

	assert_non_null(million);
	memset(million, 'a', 1000000);
	assert_sha256_hex("abc", 3,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_sha256_hex("", 0,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_sha256_hex(million, 1000000,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

static void
test_util_sha256_file(void **state)
{
	unsigned char md[CER_SHA256_LEN], want[CER_SHA256_LEN];
	char path[512];

	testlib_path(path, sizeof(path), testlib_dir, "abc");
	assert_int_equal(testlib_write_file(path, "abc", 3, 0644), 0);
	assert_int_equal(cer_sha256_file(path, md), CER_OK);
	assert_int_equal(cer_sha256("abc", 3, want), CER_OK);
	assert_memory_equal(md, want, sizeof(md));
	assert_int_equal(cer_sha256_file("/nonexistent/file", md), CER_ERR_INPUT);
	assert_string_equal(cer_err_detail(),
	    "/nonexistent/file: cannot read: No such file or directory");
}

static void
test_util_hex(void **state)
{
	static const unsigned char b[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff };
	char *s = (char *)&s;

	assert_int_equal(cer_hex(b, sizeof(b), &s), CER_OK);
	assert_string_equal(s, "00017f80abcdefff");
	free(s);
	assert_int_equal(cer_hex(b, 1, &s), CER_OK);
	assert_string_equal(s, "00");
	free(s);
	/* no bytes: an empty string, not NULL */
	assert_int_equal(cer_hex(b, 0, &s), CER_OK);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void
test_util_read_file(void **state)
{
	static const unsigned char data[] = { 'a', 0, 'b', '\n', 0xff };
	unsigned char *buf = NULL;
	size_t len = 99;
	char path[512];

	testlib_path(path, sizeof(path), testlib_dir, "data");
	assert_int_equal(testlib_write_file(path, data, sizeof(data), 0600), 0);
	/* exactly max bytes is allowed; the buffer holds them and a NUL after */
	assert_int_equal(cer_read_file(path, sizeof(data), &buf, &len), CER_OK);
	assert_int_equal(len, sizeof(data));
	assert_memory_equal(buf, data, sizeof(data));
	assert_int_equal(buf[len], '\0');
	free(buf);
	assert_int_equal(cer_read_file(path, 1 << 20, &buf, &len), CER_OK);
	assert_int_equal(len, sizeof(data));
	free(buf);
}

static void
test_util_read_file_too_large(void **state)
{
	unsigned char *buf = (unsigned char *)&buf;
	size_t len = 99;
	char path[512], want[600];

	testlib_path(path, sizeof(path), testlib_dir, "five");
	assert_int_equal(testlib_write_file(path, "12345", 5, 0600), 0);
	assert_int_equal(cer_read_file(path, 4, &buf, &len), CER_ERR_INPUT);
	assert_null(buf);
	assert_int_equal(len, 0);
	snprintf(want, sizeof(want), "%s: 5 bytes, more than the 4 this file may have", path);
	assert_string_equal(cer_err_detail(), want);
	assert_int_equal(cer_read_file(path, 0, &buf, &len), CER_ERR_INPUT);
	assert_null(buf);
}

static void
test_util_read_file_empty(void **state)
{
	unsigned char *buf = NULL;
	size_t len = 99;
	char path[512];

	testlib_path(path, sizeof(path), testlib_dir, "empty");
	assert_int_equal(testlib_write_file(path, "", 0, 0600), 0);
	assert_int_equal(cer_read_file(path, 0, &buf, &len), CER_OK);
	assert_non_null(buf);
	assert_int_equal(len, 0);
	assert_int_equal(buf[0], '\0');
	free(buf);
}

static void
test_util_read_file_missing_or_not_regular(void **state)
{
	unsigned char *buf = (unsigned char *)&buf;
	size_t len = 99;
	char want[600], fifo[512];

	assert_int_equal(cer_read_file("/nonexistent/file", 100, &buf, &len), CER_ERR_INPUT);
	assert_null(buf);
	assert_int_equal(len, 0);
	assert_string_equal(cer_err_detail(),
	    "/nonexistent/file: cannot read: No such file or directory");
	/* a directory opens, but is not a regular file */
	buf = (unsigned char *)&buf;
	assert_int_equal(cer_read_file(testlib_dir, 1 << 20, &buf, &len), CER_ERR_INPUT);
	assert_null(buf);
	snprintf(want, sizeof(want), "%s: is a directory, not a regular file", testlib_dir);
	assert_string_equal(cer_err_detail(), want);
	/* nor is a character device */
	assert_int_equal(cer_read_file("/dev/null", 100, &buf, &len), CER_ERR_INPUT);
	assert_null(buf);
	assert_string_equal(cer_err_detail(), "/dev/null: is a character device, not a regular file");
	/* a FIFO with no writer is refused at once, not waited on (issue 14, defect 5) */
	testlib_path(fifo, sizeof(fifo), testlib_dir, "fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(cer_read_file(fifo, 100, &buf, &len), CER_ERR_INPUT);
	assert_null(buf);
	snprintf(want, sizeof(want), "%s: is a FIFO, not a regular file", fifo);
	assert_string_equal(cer_err_detail(), want);
}

static void
test_util_time_str(void **state)
{
	char buf[21];

	memset(buf, 'x', sizeof(buf));
	cer_time_str(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	cer_time_str(1796115600, buf);	/* the examples' ceremony day, 09:00 UTC */
	assert_string_equal(buf, "2026-12-01T09:00:00Z");
	cer_time_str(951868799, buf);	/* a leap day, last second */
	assert_string_equal(buf, "2000-02-29T23:59:59Z");
	cer_time_str(2147483647, buf);
	assert_string_equal(buf, "2038-01-19T03:14:07Z");
	cer_time_str(4102444800, buf);	/* past 2038: time_t is 64-bit here */
	assert_string_equal(buf, "2100-01-01T00:00:00Z");
	assert_int_equal(strlen(buf), 20);
	/* the last second RFC 3339 can write, then years it cannot: always a string */
	cer_time_str(253402300799, buf);
	assert_string_equal(buf, "9999-12-31T23:59:59Z");
	memset(buf, 'x', sizeof(buf));
	cer_time_str(253402300800, buf);	/* 10000-01-01 */
	assert_string_equal(buf, "out-of-range");
	memset(buf, 'x', sizeof(buf));
	cer_time_str(-62167219201, buf);	/* a second before year 0 */
	assert_string_equal(buf, "out-of-range");
	cer_time_str(-61851600000, buf);	/* year 10: four digits */
	assert_string_equal(buf, "0010-01-01T00:00:00Z");
}

/* Escapes s and requires want. */
static void
assert_escaped(const char *s, size_t len, int flags, const char *want)
{
	char *e = NULL;

	assert_int_equal(cer_escape(s, len, flags, &e), CER_OK);
	assert_string_equal(e, want);
	free(e);
}

#define ESCAPED(lit, flags, want) assert_escaped(lit, sizeof(lit) - 1, flags, want)

static void
test_util_escape(void **state)
{
	unsigned long cp = 0;

	/* plain text, UTF-8 letters and a backslash are kept */
	ESCAPED("root CA \xc3\xa9t\xc3\xa9 a\\b", 0, "root CA \xc3\xa9t\xc3\xa9 a\\b");
	/* the ESC[2K and CR that rewrite a line */
	ESCAPED("\x1b[2K\rall good", 0, "\\x1b[2K\\x0dall good");
	ESCAPED("a\tb\nc\x7f", 0, "a\\x09b\\x0ac\\x7f");
	ESCAPED("a\nb", CER_ESC_KEEP_NL, "a\nb");
	ESCAPED("a\0b", 0, "a\\x00b");
	/* C1 controls (CSI U+009B, NEL U+0085) */
	ESCAPED("\xc2\x9b" "2K\xc2\x85", 0, "\\u009b2K\\u0085");
	/* bidirectional embeddings, overrides, isolates; line and paragraph separators */
	ESCAPED("\xe2\x80\xaa\xe2\x80\xae\xe2\x81\xa6\xe2\x81\xa9", 0,
	    "\\u202a\\u202e\\u2066\\u2069");
	ESCAPED("\xe2\x80\xa8\xe2\x80\xa9", 0, "\\u2028\\u2029");
	/* the neighbours are text: U+202F, U+2065 (unassigned), U+206A */
	ESCAPED("\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa", 0,
	    "\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa");
	/* not UTF-8: a lone continuation byte, an overlong slash, a cut sequence, a surrogate */
	ESCAPED("\x80\xc0\xaf\xe2\x80\xed\xa0\x80", 0,
	    "\\x80\\xc0\\xaf\\xe2\\x80\\xed\\xa0\\x80");
	/* the same code points are what the script refuses */
	assert_int_equal(cer_text_unsafe("ok \xe2\x80\xae", 6, &cp), 3);
	assert_int_equal(cp, 0x202e);
	assert_int_equal(cer_text_unsafe("ok", 2, &cp), -1);
}

static void
test_util_freezero_null(void **state)
{
	char *s = strdup("secret");

	cer_freezero(NULL, 0);
	cer_freezero(NULL, 64);
	cer_free_secret(NULL);
	assert_non_null(s);
	cer_free_secret(s);
	cer_freezero(malloc(16), 16);
	cer_freezero(malloc(1), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util_sha256_vectors),
		cmocka_unit_test(test_util_sha256_file),
		cmocka_unit_test(test_util_hex),
		cmocka_unit_test(test_util_read_file),
		cmocka_unit_test(test_util_read_file_too_large),
		cmocka_unit_test(test_util_read_file_empty),
		cmocka_unit_test(test_util_read_file_missing_or_not_regular),
		cmocka_unit_test(test_util_time_str),
		cmocka_unit_test(test_util_escape),
		cmocka_unit_test(test_util_freezero_null),
	};

	return cmocka_run_group_tests(tests, testlib_dir_setup, testlib_dir_teardown);
}
