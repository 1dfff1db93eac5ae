/* test-der.c: the to-be-signed span of signed DER objects. */
#include "testlib.h"

#include "base/der.h"
#include "base/err.h"

/* SEQUENCE { SEQUENCE { INTEGER 5 }, NULL }: the span is the inner SEQUENCE, header included. */
static void
test_der_tbs_span(void **state)
{
	static const unsigned char der[] = { 0x30, 0x07, 0x30, 0x03, 0x02, 0x01, 0x05, 0x05,
	    0x00 };
	const unsigned char *tbs = NULL;
	long len = 0;

	(void)state;
	assert_int_equal(cer_der_tbs(der, sizeof(der), &tbs, &len), CER_OK);
	assert_ptr_equal(tbs, der + 2);
	assert_int_equal(len, 5);
}

/* Not a SEQUENCE, a first element that is not one, a length past the end: refused. */
static void
test_der_tbs_refused(void **state)
{
	static const unsigned char not_seq[] = { 0x31, 0x03, 0x02, 0x01, 0x05 };
	static const unsigned char first_int[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
	static const unsigned char truncated[] = { 0x30, 0x07, 0x30, 0x05, 0x02, 0x01 };
	const unsigned char *tbs = NULL;
	long len = -1;

	(void)state;
	assert_int_equal(cer_der_tbs(not_seq, sizeof(not_seq), &tbs, &len), CER_ERR_VERIFY);
	assert_string_equal(cer_err_detail(), "not a DER SEQUENCE");
	assert_int_equal(cer_der_tbs(first_int, sizeof(first_int), &tbs, &len), CER_ERR_VERIFY);
	assert_string_equal(cer_err_detail(), "no to-be-signed SEQUENCE");
	assert_int_equal(cer_der_tbs(truncated, sizeof(truncated), &tbs, &len), CER_ERR_VERIFY);
	assert_int_equal(cer_der_tbs(not_seq, 0, &tbs, &len), CER_ERR_VERIFY);
	assert_null(tbs);
	assert_int_equal(len, -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_der_tbs_span),
		cmocka_unit_test(test_der_tbs_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
