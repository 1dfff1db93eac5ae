/*
 * test-keycheck.c: the weak-key checks, on keys built here with BIGNUM.
 * `test-keycheck --write-weak DIR` writes the public keys DIR/fermat.pem,
 * DIR/roca.pem and DIR/small.pem (a factor 751) for tests/t-lint.sh, then exits.
 */
#include "testlib.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "lint/keycheck.h"

static BIGNUM *
bn_word(unsigned long w)
{
	BIGNUM *b = BN_new();

	assert_non_null(b);
	assert_int_equal(BN_set_word(b, w), 1);
	return b;
}

/* The first prime after x (x changes). */
static BIGNUM *
next_prime(BIGNUM *x)
{
	if (!BN_is_odd(x))
		assert_int_equal(BN_add_word(x, 1), 1);
	do
		assert_int_equal(BN_add_word(x, 2), 1);
	while (BN_check_prime(x, NULL, NULL) != 1);
	return BN_dup(x);
}

static BIGNUM *
random_prime(int bits)
{
	BIGNUM *p = BN_new();

	assert_int_equal(BN_generate_prime_ex(p, bits, 0, NULL, NULL, NULL), 1);
	return p;
}

static BIGNUM *
mul(const BIGNUM *a, const BIGNUM *b)
{
	BIGNUM *r = BN_new();
	BN_CTX *ctx = BN_CTX_new();

	assert_int_equal(BN_mul(r, a, b, ctx), 1);
	BN_CTX_free(ctx);
	return r;
}

/* a * b; frees both. */
static BIGNUM *
mul_free(BIGNUM *a, BIGNUM *b)
{
	BIGNUM *n = mul(a, b);

	BN_free(a);
	BN_free(b);
	return n;
}

/* n = p * q with q the next prime after p: Fermat finds it in one round. */
static BIGNUM *
fermat_modulus(void)
{
	BIGNUM *x = BN_new(), *p, *n;

	assert_int_equal(BN_rand(x, 1024, BN_RAND_TOP_TWO, BN_RAND_BOTTOM_ODD), 1);
	p = next_prime(x);
	n = mul_free(p, next_prime(x));
	BN_free(x);
	return n;
}

/* A prime k*M + (65537^a mod M), M the product of the ROCA primes (RSALib's form). */
static BIGNUM *
roca_prime(void)
{
	static const unsigned primes[] = { 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43,
	    47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137,
	    139, 149, 151, 157, 163, 167 };
	BIGNUM *m = bn_word(1), *g = bn_word(65537), *a = BN_new(), *c = BN_new(),
	    *k = BN_new(), *p = BN_new();
	BN_CTX *ctx = BN_CTX_new();
	size_t i;

	for (i = 0; i < sizeof(primes) / sizeof(primes[0]); i++)
		assert_int_equal(BN_mul_word(m, primes[i]), 1);
	assert_int_equal(BN_rand(a, 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), 1);
	assert_int_equal(BN_mod_exp(c, g, a, m, ctx), 1);
	assert_int_equal(BN_rand(k, 1024 - BN_num_bits(m), BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY), 1);
	do {
		assert_int_equal(BN_add_word(k, 1), 1);
		assert_int_equal(BN_mul(p, k, m, ctx), 1);
		assert_int_equal(BN_add(p, p, c), 1);
	} while (BN_check_prime(p, ctx, NULL) != 1);
	BN_free(m);
	BN_free(g);
	BN_free(a);
	BN_free(c);
	BN_free(k);
	BN_CTX_free(ctx);
	return p;
}

static BIGNUM *
roca_modulus(void)
{
	return mul_free(roca_prime(), roca_prime());
}

/* 751 times a prime: 2048 bits, with a factor just below the bound. */
static BIGNUM *
small_factor_modulus(void)
{
	return mul_free(random_prime(2039), bn_word(751));
}

static BIGNUM *
good_modulus(void)
{
	return mul_free(random_prime(1024), random_prime(1024));
}

static EVP_PKEY *
rsa_pub(const BIGNUM *n, unsigned long e)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *be = bn_word(e);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY *pk = NULL;
	OSSL_PARAM *params;

	assert_int_equal(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n), 1);
	assert_int_equal(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be), 1);
	params = OSSL_PARAM_BLD_to_param(bld);
	assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
	assert_int_equal(EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params), 1);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	BN_free(be);
	return pk;
}

static void
test_keycheck_findings_null(void **state)
{
	BIGNUM *n = good_modulus();
	EVP_PKEY *pk = rsa_pub(n, 65537);

	(void)state;
	assert_int_equal(cer_keycheck(pk, NULL), CER_OK);
	EVP_PKEY_free(pk);
	BN_free(n);
}

static void
test_keycheck_rsa_size(void **state)
{
	BIGNUM *n = BN_new();

	(void)state;
	assert_int_equal(BN_rand(n, 1024, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD), 1);
	assert_int_equal(cer_keycheck_rsa_size(n), CER_ERR_VERIFY);
	assert_non_null(strstr(cer_err_detail(), "1024 bits"));
	assert_int_equal(BN_rand(n, 2052, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD), 1);
	assert_int_equal(cer_keycheck_rsa_size(n), CER_ERR_VERIFY);
	assert_int_equal(BN_rand(n, 8200, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD), 1);
	assert_int_equal(cer_keycheck_rsa_size(n), CER_ERR_VERIFY);
	assert_int_equal(BN_rand(n, 3072, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD), 1);
	assert_int_equal(cer_keycheck_rsa_size(n), CER_OK);
	BN_free(n);
}

static void
test_keycheck_rsa_exponent(void **state)
{
	static const unsigned long bad[] = { 1, 3, 17, 65535, 65536, 65538 };
	BIGNUM *e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e = bn_word(bad[i]);
		assert_int_equal(cer_keycheck_rsa_exponent(e), CER_ERR_VERIFY);
		BN_free(e);
	}
	e = bn_word(65537);
	assert_int_equal(cer_keycheck_rsa_exponent(e), CER_OK);
	assert_int_equal(BN_lshift(e, e, 240), 1);
	assert_int_equal(BN_add_word(e, 1), 1);	/* 257 bits, odd */
	assert_int_equal(cer_keycheck_rsa_exponent(e), CER_ERR_VERIFY);
	BN_free(e);
}

static void
test_keycheck_rsa_small_factors(void **state)
{
	BIGNUM *p = random_prime(2040), *f = bn_word(751), *n = mul(p, f);

	(void)state;
	assert_int_equal(cer_keycheck_rsa_small_factors(n), CER_ERR_VERIFY);
	BN_free(f);
	BN_free(n);
	f = bn_word(2);
	n = mul(p, f);
	assert_int_equal(cer_keycheck_rsa_small_factors(n), CER_ERR_VERIFY);
	assert_non_null(strstr(cer_err_detail(), "even"));
	BN_free(f);
	BN_free(n);
	f = bn_word(757);	/* the first prime above the bound */
	n = mul(p, f);
	assert_int_equal(cer_keycheck_rsa_small_factors(n), CER_OK);
	BN_free(f);
	BN_free(n);
	BN_free(p);
}

static void
test_keycheck_rsa_prime_power(void **state)
{
	BIGNUM *p = random_prime(1024), *n = mul(p, p), *n3 = mul(n, p), *good = good_modulus();

	(void)state;
	assert_int_equal(cer_keycheck_rsa_prime_power(n), CER_ERR_VERIFY);
	assert_int_equal(cer_keycheck_rsa_prime_power(n3), CER_ERR_VERIFY);
	assert_int_equal(cer_keycheck_rsa_prime_power(p), CER_ERR_VERIFY);
	assert_int_equal(cer_keycheck_rsa_prime_power(good), CER_OK);
	BN_free(p);
	BN_free(n);
	BN_free(n3);
	BN_free(good);
}

static void
test_keycheck_rsa_fermat(void **state)
{
	BIGNUM *n = fermat_modulus(), *good = good_modulus();

	(void)state;
	assert_int_equal(cer_keycheck_rsa_fermat(n, CER_KEYCHECK_FERMAT_ROUNDS), CER_ERR_VERIFY);
	assert_non_null(strstr(cer_err_detail(), "Fermat"));
	assert_int_equal(cer_keycheck_rsa_fermat(good, CER_KEYCHECK_FERMAT_ROUNDS), CER_OK);
	BN_free(n);
	BN_free(good);
}

static void
test_keycheck_rsa_roca(void **state)
{
	BIGNUM *n = roca_modulus(), *good = good_modulus();

	(void)state;
	assert_int_equal(cer_keycheck_rsa_roca(n), CER_ERR_VERIFY);
	assert_non_null(strstr(cer_err_detail(), "ROCA"));
	assert_int_equal(cer_keycheck_rsa_roca(good), CER_OK);
	BN_free(n);
	BN_free(good);
}

/* The encoded public point of a fresh key on nid. */
static size_t
ec_point(int nid, unsigned char *buf, size_t n)
{
	EVP_PKEY *pk = EVP_EC_gen(OBJ_nid2sn(nid));
	size_t len = 0;

	assert_non_null(pk);
	assert_int_equal(EVP_PKEY_get_octet_string_param(pk, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
	    buf, n, &len), 1);
	EVP_PKEY_free(pk);
	return len;
}

static void
test_keycheck_ec_point(void **state)
{
	static const int nids[] = { NID_X9_62_prime256v1, NID_secp384r1, NID_secp521r1 };
	unsigned char pt[133], zero = 0;
	size_t i, len;

	(void)state;
	for (i = 0; i < 3; i++) {
		len = ec_point(nids[i], pt, sizeof(pt));
		assert_int_equal(cer_keycheck_ec_point(nids[i], pt, len), CER_OK);
		pt[len - 1] ^= 1;	/* y off by one: off the curve */
		assert_int_equal(cer_keycheck_ec_point(nids[i], pt, len), CER_ERR_VERIFY);
	}
	len = ec_point(NID_X9_62_prime256v1, pt, sizeof(pt));
	memset(pt + 1, 0xff, 32);	/* x = 2^256 - 1 > p */
	assert_int_equal(cer_keycheck_ec_point(NID_X9_62_prime256v1, pt, len), CER_ERR_VERIFY);
	assert_non_null(strstr(cer_err_detail(), "range"));
	assert_int_equal(cer_keycheck_ec_point(NID_X9_62_prime256v1, &zero, 1), CER_ERR_VERIFY);
	assert_non_null(strstr(cer_err_detail(), "infinity"));
	assert_int_equal(cer_keycheck_ec_point(NID_X9_62_prime256v1, pt, 10), CER_ERR_VERIFY);
	len = ec_point(NID_secp224r1, pt, sizeof(pt));
	assert_int_equal(cer_keycheck_ec_point(NID_secp224r1, pt, len), CER_ERR_VERIFY);
}

static void
test_keycheck_all_rsa(void **state)
{
	BIGNUM *n = good_modulus(), *weak = fermat_modulus();
	EVP_PKEY *pk = rsa_pub(n, 65537), *e3 = rsa_pub(n, 3), *wk = rsa_pub(weak, 65537);
	json_t *f = NULL;

	(void)state;
	assert_int_equal(cer_keycheck(pk, &f), CER_OK);
	assert_int_equal(json_array_size(f), 7);
	json_decref(f);
	assert_int_equal(cer_keycheck(e3, &f), CER_ERR_VERIFY);
	assert_non_null(strstr(cer_err_detail(), "rsa_exponent"));
	assert_string_equal(json_string_value(json_object_get(json_array_get(f, 1), "verdict")),
	    "fail");
	json_decref(f);
	assert_int_equal(cer_keycheck(wk, &f), CER_ERR_VERIFY);
	assert_non_null(strstr(cer_err_detail(), "rsa_fermat"));
	json_decref(f);
	EVP_PKEY_free(pk);
	EVP_PKEY_free(e3);
	EVP_PKEY_free(wk);
	BN_free(n);
	BN_free(weak);
}

static void
test_keycheck_all_ec_and_other(void **state)
{
	EVP_PKEY *ec = EVP_EC_gen("P-384"), *ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	json_t *f = NULL;

	(void)state;
	assert_int_equal(cer_keycheck(ec, &f), CER_OK);
	assert_int_equal(json_array_size(f), 1);
	json_decref(f);
	assert_int_equal(cer_keycheck(ed, NULL), CER_ERR_VERIFY);
	assert_int_equal(cer_keycheck_rsa_params(ec, &(BIGNUM *){ NULL }, &(BIGNUM *){ NULL }),
	    CER_ERR_VERIFY);
	EVP_PKEY_free(ec);
	EVP_PKEY_free(ed);
}

/* Writes a PEM public key for modulus n. */
static int
write_pub(const char *dir, const char *name, BIGNUM *n, unsigned long e)
{
	char path[512];
	EVP_PKEY *pk = rsa_pub(n, e);
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		return 0;
	ok = PEM_write_PUBKEY(f, pk) == 1;
	ok &= fclose(f) == 0;
	EVP_PKEY_free(pk);
	BN_free(n);
	return ok;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keycheck_findings_null),
		cmocka_unit_test(test_keycheck_rsa_size),
		cmocka_unit_test(test_keycheck_rsa_exponent),
		cmocka_unit_test(test_keycheck_rsa_small_factors),
		cmocka_unit_test(test_keycheck_rsa_prime_power),
		cmocka_unit_test(test_keycheck_rsa_fermat),
		cmocka_unit_test(test_keycheck_rsa_roca),
		cmocka_unit_test(test_keycheck_ec_point),
		cmocka_unit_test(test_keycheck_all_rsa),
		cmocka_unit_test(test_keycheck_all_ec_and_other),
	};

	if (argc == 3 && strcmp(argv[1], "--write-weak") == 0)
		return write_pub(argv[2], "fermat.pem", fermat_modulus(), 65537) &&
		    write_pub(argv[2], "roca.pem", roca_modulus(), 65537) &&
		    write_pub(argv[2], "small.pem", small_factor_modulus(), 65537) ? 0 : 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
