/* test-verified.c: the notes of signatures verified in this process. */
#include "testlib.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "base/verified.h"

/* A copy of key's public half: another object, an equal key. */
static EVP_PKEY *
public_copy(EVP_PKEY *key)
{
	unsigned char *der = NULL;
	const unsigned char *p;
	EVP_PKEY *pub;
	int n;

	assert_true((n = i2d_PUBKEY(key, &der)) > 0);
	p = der;
	pub = d2i_PUBKEY(NULL, &p, n);
	assert_non_null(pub);
	OPENSSL_free(der);
	return pub;
}

/* Seen: the same bytes with an equal key; not: other bytes, another key, no key. */
static void
test_verified_same_bytes_same_key(void **state)
{
	static const unsigned char a[] = "the signed DER", b[] = "the signed DEr";
	EVP_PKEY *k = EVP_EC_gen("P-256"), *k2 = public_copy(k), *other = EVP_EC_gen("P-256");

	(void)state;
	assert_int_equal(cer_verified_seen(a, sizeof(a), k), 0);
	cer_verified_note(a, sizeof(a), k);
	assert_int_equal(cer_verified_seen(a, sizeof(a), k), 1);
	assert_int_equal(cer_verified_seen(a, sizeof(a), k2), 1);
	assert_int_equal(cer_verified_seen(b, sizeof(b), k), 0);
	assert_int_equal(cer_verified_seen(a, sizeof(a) - 1, k), 0);
	assert_int_equal(cer_verified_seen(a, sizeof(a), other), 0);
	assert_int_equal(cer_verified_seen(a, sizeof(a), NULL), 0);
	cer_verified_note(a, sizeof(a), NULL);	/* nothing noted, nothing lost */
	assert_int_equal(cer_verified_seen(a, sizeof(a), k), 1);
	cer_verified_clear();
	assert_int_equal(cer_verified_seen(a, sizeof(a), k), 0);
	EVP_PKEY_free(k);
	EVP_PKEY_free(k2);
	EVP_PKEY_free(other);
}

/* The notes are a ring of 16: the oldest goes first; each holds its own key. */
static void
test_verified_ring(void **state)
{
	EVP_PKEY *k = EVP_EC_gen("P-256"), *k2 = public_copy(k);
	unsigned char buf[2] = { 'n', 0 };
	int i;

	(void)state;
	for (i = 0; i < 17; i++) {
		buf[1] = (unsigned char)i;
		cer_verified_note(buf, sizeof(buf), k);
	}
	EVP_PKEY_free(k);	/* the notes keep it */
	buf[1] = 0;
	assert_int_equal(cer_verified_seen(buf, sizeof(buf), k2), 0);
	buf[1] = 1;
	assert_int_equal(cer_verified_seen(buf, sizeof(buf), k2), 1);
	buf[1] = 16;
	assert_int_equal(cer_verified_seen(buf, sizeof(buf), k2), 1);
	cer_verified_clear();
	cer_verified_clear();	/* twice: nothing left to free */
	assert_int_equal(cer_verified_seen(buf, sizeof(buf), k2), 0);
	EVP_PKEY_free(k2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verified_same_bytes_same_key),
		cmocka_unit_test(test_verified_ring),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
