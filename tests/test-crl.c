/*
 * test-crl.c: a CRL's PEM as x509/crl.c writes it without OpenSSL's PEM
 * writer, and reads it back: byte for byte what PEM_write_bio writes, at
 * every length around the line and padding boundaries; and only that text.
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
	char *ours = NULL, *theirs;
	size_t len, n = 0, back_len = 0;

	for (len = 0; len < sizeof(der); len++)
		der[len] = (unsigned char)(len * 37 + 11);
	for (len = 1; len <= sizeof(der); len++) {
		theirs = openssl_pem(der, len);
		assert_non_null(theirs);
		assert_int_equal(cer_crl_pem(der, len, &ours, &n), CER_OK);
		assert_string_equal(ours, theirs);
		assert_int_equal(n, strlen(theirs));
		assert_int_equal(cer_crl_pem_der(ours, n, &back, &back_len), CER_OK);
		assert_int_equal(back_len, len);
		assert_memory_equal(back, der, len);
		free(back);
		free(ours);
		free(theirs);
	}
}

/* Each text is refused, with nothing returned. */
static void
test_crl_pem_der_refuses(void **state)
{
	static const char *const bad[] = {
		"",
		"-----BEGIN X509 CRL-----\n-----END X509 CRL-----\n",
		"-----BEGIN X509 CRL-----\nQUJD\n",					/* no END */
		"-----BEGIN X509 CRL-----\nQUJD\n-----END X509 CRL-----\nQUJD\n",	/* more after */
		"-----BEGIN X509 CERTIFICATE-----\nQUJD\n-----END X509 CRL-----\n",
		"-----BEGIN X509 CRL-----\r\nQUJD\r\n-----END X509 CRL-----\n",
		"-----BEGIN X509 CRL-----\nQUJ\n-----END X509 CRL-----\n",		/* not 4 */
		"-----BEGIN X509 CRL-----\nQQ=A\n-----END X509 CRL-----\n",		/* = inside */
		"-----BEGIN X509 CRL-----\nQQ==\nQUJD\n-----END X509 CRL-----\n",	/* pad, then more */
		"-----BEGIN X509 CRL-----\nQUJD\nQUJD\n-----END X509 CRL-----\n",	/* short, then more */
		"-----BEGIN X509 CRL-----\nQU*D\n-----END X509 CRL-----\n",
		"-----BEGIN X509 CRL-----\n\n-----END X509 CRL-----\n",
		/* 68 columns, as base64 -w 68 would wrap */
		"-----BEGIN X509 CRL-----\n"
		    "QUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJD\n"
		    "-----END X509 CRL-----\n",
	};
	unsigned char *der = (unsigned char *)"x";
	size_t i, n = 1;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cer_crl_pem_der(bad[i], strlen(bad[i]), &der, &n),
		    CER_ERR_VERIFY);
		assert_null(der);
		assert_int_equal(n, 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crl_pem_as_openssl),
		cmocka_unit_test(test_crl_pem_der_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
