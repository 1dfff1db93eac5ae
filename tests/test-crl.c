/*
 * test-crl.c: a CRL's PEM as x509/crl.c writes it from the DER at hand:
 * byte for byte what OpenSSL's PEM_write_bio writes, at every length
 * around the line and padding boundaries, and what PEM_read_bio reads back.
 */
#include "testlib.h"

#include <openssl/pem.h>

#include "x509/crl.h"

/* What OpenSSL's own PEM writer makes of the same bytes under the same name. */
static char *
openssl_pem(const unsigned char *der, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data, *s = NULL;
	long n;

	if (b != NULL && PEM_write_bio(b, "X509 CRL", "", der, (long)len) > 0 &&
	    (n = BIO_get_mem_data(b, &data)) > 0 && (s = malloc((size_t)n + 1)) != NULL) {
		memcpy(s, data, (size_t)n);
		s[n] = '\0';
	}
	BIO_free(b);
	return s;
}

static void
test_crl_pem_as_openssl(void **state)
{
	unsigned char der[300], *back = NULL;
	char *ours = NULL, *theirs, *name = NULL, *header = NULL;
	size_t len, n = 0;
	long back_len = 0;
	BIO *b;

	for (len = 0; len < sizeof(der); len++)
		der[len] = (unsigned char)(len * 37 + 11);
	for (len = 1; len <= sizeof(der); len++) {
		theirs = openssl_pem(der, len);
		assert_non_null(theirs);
		assert_int_equal(cer_crl_pem(der, len, &ours, &n), CER_OK);
		assert_string_equal(ours, theirs);
		assert_int_equal(n, strlen(theirs));
		assert_non_null(b = BIO_new_mem_buf(ours, (int)n));
		assert_int_equal(PEM_read_bio(b, &name, &header, &back, &back_len), 1);
		assert_string_equal(name, "X509 CRL");
		assert_int_equal(back_len, (long)len);
		assert_memory_equal(back, der, len);
		BIO_free(b);
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_free(back);
		free(ours);
		free(theirs);
	}
}

/* Nothing to encode: refused, nothing returned. */
static void
test_crl_pem_empty(void **state)
{
	char *pem = (char *)"x";
	size_t n = 1;

	assert_int_equal(cer_crl_pem((const unsigned char *)"", 0, &pem, &n), CER_ERR_OPENSSL);
	assert_null(pem);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crl_pem_as_openssl),
		cmocka_unit_test(test_crl_pem_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
