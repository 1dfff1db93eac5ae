/* keycheck.c: weak-key checks on public keys (Boulder goodkey and more). */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include "lint/keycheck.h"

static int
bn_fail(void)
{
	return cer_fail(CER_ERR_OPENSSL, "big-number arithmetic failed");
}

int
cer_keycheck_rsa_params(const EVP_PKEY *pub, BIGNUM **n, BIGNUM **e)
{
	*n = *e = NULL;
	if (EVP_PKEY_get_base_id(pub) != EVP_PKEY_RSA)
		return cer_fail(CER_ERR_VERIFY, "not an RSA key");
	if (EVP_PKEY_get_bn_param(pub, OSSL_PKEY_PARAM_RSA_N, n) != 1 ||
	    EVP_PKEY_get_bn_param(pub, OSSL_PKEY_PARAM_RSA_E, e) != 1) {
		BN_free(*n);
		BN_free(*e);
		*n = *e = NULL;
		return cer_fail(CER_ERR_OPENSSL, "cannot read the RSA modulus and exponent");
	}
	return CER_OK;
}

int
cer_keycheck_rsa_size(const BIGNUM *n)
{
	int bits = BN_num_bits(n);

	if (bits < 2048 || bits > 8192)
		return cer_fail(CER_ERR_VERIFY, "RSA modulus of %d bits; must be 2048 to 8192", bits);
	if (bits % 8 != 0)
		return cer_fail(CER_ERR_VERIFY, "RSA modulus of %d bits is not a multiple of 8", bits);
	return CER_OK;
}

int
cer_keycheck_rsa_exponent(const BIGNUM *e)
{
	char *dec = NULL;
	int r;

	/* 17 bits and odd means at least 2^16 + 1. */
	if (!BN_is_odd(e) || BN_num_bits(e) < 17 || BN_num_bits(e) > 256) {
		dec = BN_bn2dec(e);
		r = cer_fail(CER_ERR_VERIFY, "RSA exponent %s; must be odd and in 2^16+1..2^256-1",
		    dec != NULL ? dec : "?");
		OPENSSL_free(dec);
		return r;
	}
	return CER_OK;
}

/* The odd primes below CER_KEYCHECK_SMALLEST_FACTOR (130 of them), sieved once. */
static unsigned small_primes[CER_KEYCHECK_SMALLEST_FACTOR / 2];
static size_t nsmall_primes;

static void
sieve_small_primes(void)
{
	unsigned p, d;
	int prime;

	if (nsmall_primes > 0)
		return;
	for (p = 3; p < CER_KEYCHECK_SMALLEST_FACTOR; p += 2) {
		prime = 1;
		for (d = 3; d * d <= p && prime; d += 2)
			prime = p % d != 0;
		if (prime)
			small_primes[nsmall_primes++] = p;
	}
}

/*
 * Trial division: one BN_mod_word per prime.  (A gcd with the product of
 * the primes, rebuilt each time, cost a 4096-bit modulus 26 million
 * instructions; this, a few hundred thousand.)
 */
int
cer_keycheck_rsa_small_factors(const BIGNUM *n)
{
	BN_ULONG m;
	size_t i;

	if (!BN_is_odd(n))
		return cer_fail(CER_ERR_VERIFY, "RSA modulus is even");
	sieve_small_primes();
	for (i = 0; i < nsmall_primes; i++) {
		if ((m = BN_mod_word(n, small_primes[i])) == (BN_ULONG)-1)
			return bn_fail();
		if (m == 0)
			return cer_fail(CER_ERR_VERIFY, "RSA modulus has a prime factor below %d",
			    CER_KEYCHECK_SMALLEST_FACTOR);
	}
	return CER_OK;
}

/*
 * Moduli found neither prime nor a prime power, or resisting Fermat, kept
 * whole (compared byte for byte, never by a digest): the first test is one modular
 * exponentiation as long as n, about 15 ms for 4096 bits on this project's
 * machine, and a run lints the same key several times (the TBS, the
 * signed certificate, each certificate it issues when it is the issuer's;
 * `ceremony lint` on many certificates of one key).  A pure function of
 * the modulus, so the verdict is the same as computing it again.
 */
#define PP_CACHE 8
enum { PP_PRIME_POWER, PP_FERMAT };	/* which test a modulus passed */
static struct { unsigned char *n; int len, test; } pp_cache[PP_CACHE];
static unsigned pp_next;

/* Whether n passed test before; buf (room for 8192 bits) gets its bytes. */
static int
pp_cached(int test, const BIGNUM *n, unsigned char *buf, size_t size)
{
	int len = BN_num_bytes(n);
	unsigned i;

	if (len > (int)size || BN_bn2bin(n, buf) != len)
		return 0;
	for (i = 0; i < PP_CACHE; i++)
		if (pp_cache[i].n != NULL && pp_cache[i].test == test && pp_cache[i].len == len &&
		    memcmp(pp_cache[i].n, buf, (size_t)len) == 0)
			return 1;
	return 0;
}

static void
pp_remember(int test, const BIGNUM *n, const unsigned char *buf, size_t size)
{
	int len = BN_num_bytes(n);
	unsigned char *copy;

	if (len > (int)size || (copy = OPENSSL_memdup(buf, (size_t)len)) == NULL)
		return;		/* only a cache */
	OPENSSL_free(pp_cache[pp_next].n);
	pp_cache[pp_next].n = copy;
	pp_cache[pp_next].len = len;
	pp_cache[pp_next].test = test;
	pp_next = (pp_next + 1) % PP_CACHE;
}

/*
 * For n = p^k, p divides 2^(n-1) - 1 (n-1 is a multiple of p-1), so the
 * gcd below shows the factor; a prime n gives n itself.  For n = pq the
 * gcd is 1 unless ord_p(2) divides q-1, and then n is factored anyway.
 */
int
cer_keycheck_rsa_prime_power(const BIGNUM *n)
{
	BIGNUM *t = NULL, *nm1 = NULL, *g = NULL;
	unsigned char buf[8192 / 8];
	BN_CTX *ctx = NULL;
	int r = CER_ERR_INTERNAL;

	if (pp_cached(PP_PRIME_POWER, n, buf, sizeof(buf)))
		return CER_OK;
	if ((ctx = BN_CTX_new()) == NULL || (t = BN_new()) == NULL ||
	    (nm1 = BN_dup(n)) == NULL || (g = BN_new()) == NULL ||
	    BN_sub_word(nm1, 1) != 1 || BN_set_word(t, 2) != 1 ||
	    BN_mod_exp(t, t, nm1, n, ctx) != 1 || BN_sub_word(t, 1) != 1 ||
	    BN_gcd(g, t, n, ctx) != 1) {
		r = bn_fail();
		goto out;
	}
	if (!BN_is_one(g)) {
		r = cer_fail(CER_ERR_VERIFY, "RSA modulus is prime or a prime power "
		    "(gcd(2^(n-1)-1, n) > 1 gives a factor)");
		goto out;
	}
	pp_remember(PP_PRIME_POWER, n, buf, sizeof(buf));
	r = CER_OK;
out:
	BN_free(t);
	BN_free(nm1);
	BN_free(g);
	BN_CTX_free(ctx);
	return r;
}

/* *root = floor(sqrt(a)) by Newton's method; a >= 1. */
static int
isqrt(BIGNUM *root, const BIGNUM *a, BN_CTX *ctx)
{
	BIGNUM *x, *y;
	int ok;

	x = BN_CTX_get(ctx);
	y = BN_CTX_get(ctx);
	/* Start above the root: 2^ceil(bits/2) > sqrt(a). */
	ok = y != NULL && BN_set_word(x, 0) == 1 &&
	    BN_set_bit(x, (BN_num_bits(a) + 1) / 2) == 1;
	while (ok) {
		ok = BN_div(y, NULL, a, x, ctx) == 1 && BN_add(y, y, x) == 1 &&
		    BN_rshift1(y, y) == 1;
		if (!ok || BN_cmp(y, x) >= 0)
			break;
		ok = BN_copy(x, y) != NULL;
	}
	return ok && BN_copy(root, x) != NULL;
}

/*
 * Whether x can be a square, by its residues mod 64, 63, 65 and 11: a
 * square is a square modulo anything, and fewer than 1 number in 300
 * passes all four (Cohen, A Course in Computational Algebraic Number
 * Theory, 1.7.3).  Saves the square root of the others.
 */
static int
maybe_square(const BIGNUM *x)
{
	static const unsigned mods[] = { 64, 63, 65, 11 };
	unsigned char sq[65];
	BN_ULONG m;
	size_t i;
	unsigned k;

	for (i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		memset(sq, 0, sizeof(sq));
		for (k = 0; k < mods[i]; k++)
			sq[k * k % mods[i]] = 1;
		if ((m = BN_mod_word(x, mods[i])) == (BN_ULONG)-1)
			return 1;	/* let the square root decide */
		if (!sq[m])
			return 0;
	}
	return 1;
}

/* Fermat: n = a^2 - b^2 = (a-b)(a+b); try a = ceil(sqrt(n)) onwards. */
int
cer_keycheck_rsa_fermat(const BIGNUM *n, unsigned rounds)
{
	BIGNUM *a, *b2, *b;
	unsigned char buf[8192 / 8];
	BN_CTX *ctx = NULL;
	unsigned i;
	int r = CER_ERR_INTERNAL, ok, cache = rounds == CER_KEYCHECK_FERMAT_ROUNDS;

	if (cache && pp_cached(PP_FERMAT, n, buf, sizeof(buf)))
		return CER_OK;
	if ((ctx = BN_CTX_new()) == NULL)
		return bn_fail();
	BN_CTX_start(ctx);
	a = BN_CTX_get(ctx);
	b2 = BN_CTX_get(ctx);
	b = BN_CTX_get(ctx);
	ok = b != NULL && isqrt(a, n, ctx) && BN_sqr(b2, a, ctx) == 1;
	if (ok && BN_cmp(b2, n) < 0)
		ok = BN_add_word(a, 1) == 1;
	for (i = 0; ok && i < rounds; i++) {
		ok = BN_sqr(b2, a, ctx) == 1 && BN_sub(b2, b2, n) == 1;
		if (ok && !maybe_square(b2)) {
			ok = BN_add_word(a, 1) == 1;
			continue;
		}
		ok = ok && isqrt(b, b2, ctx) && BN_sqr(b, b, ctx) == 1;
		if (ok && BN_cmp(b, b2) == 0) {
			r = cer_fail(CER_ERR_VERIFY, "RSA modulus falls to Fermat factorisation "
			    "in %u rounds: p and q are too close", i + 1);
			goto out;
		}
		ok = ok && BN_add_word(a, 1) == 1;
	}
	r = ok ? CER_OK : bn_fail();
	if (r == CER_OK && cache)
		pp_remember(PP_FERMAT, n, buf, sizeof(buf));
out:
	BN_CTX_end(ctx);
	BN_CTX_free(ctx);
	return r;
}

/*
 * ROCA (Nemec et al., CCS 2017): RSALib primes are k*M + (65537^a mod M),
 * with M a product of small primes, so for every small prime p dividing M,
 * n mod p lies in the subgroup of (Z/pZ)* generated by 65537.  A random
 * modulus does so for all of these primes with negligible probability.
 */
static const unsigned roca_primes[] = {
	3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71,
	73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149,
	151, 157, 163, 167,
};

/* Is x in the subgroup of (Z/pZ)* generated by 65537? */
static int
in_65537_subgroup(unsigned long x, unsigned p)
{
	unsigned long g = 1, gen = 65537 % p;
	unsigned k;

	for (k = 0; k < p; k++) {
		if (g == x)
			return 1;
		g = g * gen % p;
		if (g == 1)
			break;
	}
	return 0;
}

int
cer_keycheck_rsa_roca(const BIGNUM *n)
{
	BN_ULONG m;
	size_t i;

	for (i = 0; i < sizeof(roca_primes) / sizeof(roca_primes[0]); i++) {
		if ((m = BN_mod_word(n, roca_primes[i])) == (BN_ULONG)-1)
			return bn_fail();
		if (!in_65537_subgroup((unsigned long)m, roca_primes[i]))
			return CER_OK;
	}
	return cer_fail(CER_ERR_VERIFY, "RSA modulus has the ROCA fingerprint "
	    "(CVE-2017-15361): generated by a vulnerable Infineon RSALib");
}

/* Sets q from an uncompressed or compressed encoding; coordinates must be < p. */
static int
ec_decode(const EC_GROUP *grp, const BIGNUM *p, EC_POINT *q, const unsigned char *pt,
    size_t len, BN_CTX *ctx)
{
	size_t fl = (size_t)(BN_num_bits(p) + 7) / 8;
	BIGNUM *x, *y;

	if (len == 1 && pt[0] == 0x00)
		return cer_fail(CER_ERR_VERIFY, "EC public key is the point at infinity");
	if (len == 1 + 2 * fl && pt[0] == 0x04) {
		x = BN_CTX_get(ctx);
		y = BN_CTX_get(ctx);
		if (y == NULL || BN_bin2bn(pt + 1, (int)fl, x) == NULL ||
		    BN_bin2bn(pt + 1 + fl, (int)fl, y) == NULL)
			return bn_fail();
		if (BN_cmp(x, p) >= 0 || BN_cmp(y, p) >= 0)
			return cer_fail(CER_ERR_VERIFY, "EC public key coordinate out of range");
		if (EC_POINT_set_affine_coordinates(grp, q, x, y, ctx) != 1)
			return cer_fail(CER_ERR_VERIFY, "EC public key is not on the curve");
		return CER_OK;
	}
	if (len == 1 + fl && (pt[0] == 0x02 || pt[0] == 0x03)) {
		if (EC_POINT_oct2point(grp, q, pt, len, ctx) != 1)
			return cer_fail(CER_ERR_VERIFY, "EC public key is not on the curve");
		return CER_OK;
	}
	return cer_fail(CER_ERR_VERIFY, "EC public key has a malformed encoding (%zu bytes)", len);
}

int
cer_keycheck_ec_point(int nid, const unsigned char *pt, size_t len)
{
	EC_GROUP *grp = NULL;
	EC_POINT *q = NULL, *nq = NULL;
	BN_CTX *ctx = NULL;
	BIGNUM *p;
	int r = CER_ERR_INTERNAL;

	if (nid != NID_X9_62_prime256v1 && nid != NID_secp384r1 && nid != NID_secp521r1)
		return cer_fail(CER_ERR_VERIFY, "EC curve %s is not P-256, P-384 or P-521",
		    OBJ_nid2sn(nid));
	if ((ctx = BN_CTX_new()) == NULL)
		return bn_fail();
	BN_CTX_start(ctx);
	if ((grp = EC_GROUP_new_by_curve_name(nid)) == NULL ||
	    (q = EC_POINT_new(grp)) == NULL || (nq = EC_POINT_new(grp)) == NULL ||
	    (p = BN_CTX_get(ctx)) == NULL || EC_GROUP_get_curve(grp, p, NULL, NULL, ctx) != 1) {
		r = bn_fail();
		goto out;
	}
	if ((r = ec_decode(grp, p, q, pt, len, ctx)) != CER_OK)
		goto out;
	if (EC_POINT_is_at_infinity(grp, q) || EC_POINT_is_on_curve(grp, q, ctx) != 1) {
		r = cer_fail(CER_ERR_VERIFY, "EC public key is not a finite point on the curve");
		goto out;
	}
	/*
	 * n*Q = O (step 4), a full scalar multiplication, decides something
	 * only when the cofactor h is not 1: the group of points then has the
	 * prime order n, so every finite point on the curve has order n
	 * (Lagrange).  P-256, P-384 and P-521 have h = 1; the check stays for
	 * any curve that does not, and costs a lint of a P-384 certificate
	 * 4.5 million instructions each time it ran.
	 */
	if (BN_is_one(EC_GROUP_get0_cofactor(grp))) {
		r = CER_OK;
		goto out;
	}
	if (EC_POINT_mul(grp, nq, NULL, q, EC_GROUP_get0_order(grp), ctx) != 1) {
		r = bn_fail();
		goto out;
	}
	if (!EC_POINT_is_at_infinity(grp, nq)) {
		r = cer_fail(CER_ERR_VERIFY, "EC public key is not in the prime-order subgroup");
		goto out;
	}
	r = CER_OK;
out:
	EC_POINT_free(q);
	EC_POINT_free(nq);
	EC_GROUP_free(grp);
	BN_CTX_end(ctx);
	BN_CTX_free(ctx);
	return r;
}

/* Appends {"check","verdict","message"} for a check that returned r. */
static int
record(json_t *arr, const char *check, int r)
{
	json_t *o;

	if (arr == NULL)
		return CER_OK;
	o = json_pack("{s:s, s:s, s:s}", "check", check, "verdict", r == CER_OK ? "pass" : "fail",
	    "message", r == CER_OK ? "" : cer_err_detail());
	if (o == NULL || json_array_append_new(arr, o) != 0)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	return CER_OK;
}

/* Runs one check; keeps the first failure in *first and its detail in buf. */
static int
run(json_t *arr, const char *check, int r, int *first, char *buf, size_t n)
{
	if (r != CER_OK && r != CER_ERR_VERIFY)
		return r;
	if (r != CER_OK && *first == CER_OK) {
		*first = r;
		snprintf(buf, n, "%s: %s", check, cer_err_detail());
	}
	return record(arr, check, r);
}

static int
check_rsa(EVP_PKEY *pub, json_t *arr, int *first, char *buf, size_t n)
{
	BIGNUM *mod = NULL, *e = NULL;
	int r;

	if ((r = cer_keycheck_rsa_params(pub, &mod, &e)) != CER_OK)
		goto out;
	if ((r = run(arr, "rsa_size", cer_keycheck_rsa_size(mod), first, buf, n)) != CER_OK ||
	    (r = run(arr, "rsa_exponent", cer_keycheck_rsa_exponent(e), first, buf, n)) != CER_OK ||
	    (r = run(arr, "rsa_exponent_65537", BN_is_word(e, 65537) ? CER_OK :
	    cer_fail(CER_ERR_VERIFY, "RSA exponent is not 65537"), first, buf, n)) != CER_OK ||
	    (r = run(arr, "rsa_small_factors", cer_keycheck_rsa_small_factors(mod),
	    first, buf, n)) != CER_OK ||
	    (r = run(arr, "rsa_prime_power", cer_keycheck_rsa_prime_power(mod),
	    first, buf, n)) != CER_OK ||
	    (r = run(arr, "rsa_fermat", cer_keycheck_rsa_fermat(mod, CER_KEYCHECK_FERMAT_ROUNDS),
	    first, buf, n)) != CER_OK)
		goto out;
	r = run(arr, "rsa_roca", cer_keycheck_rsa_roca(mod), first, buf, n);
out:
	BN_free(mod);
	BN_free(e);
	return r;
}

static int
check_ec(EVP_PKEY *pub, json_t *arr, int *first, char *buf, size_t n)
{
	unsigned char pt[1 + 2 * 66];
	char curve[64];
	size_t len = 0;
	int nid;

	if (EVP_PKEY_get_utf8_string_param(pub, OSSL_PKEY_PARAM_GROUP_NAME, curve,
	    sizeof(curve), NULL) != 1 ||
	    EVP_PKEY_get_octet_string_param(pub, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pt,
	    sizeof(pt), &len) != 1)
		return cer_fail(CER_ERR_OPENSSL, "cannot read the EC public key");
	nid = OBJ_sn2nid(curve);
	return run(arr, "ec_point", cer_keycheck_ec_point(nid, pt, len), first, buf, n);
}

int
cer_keycheck(EVP_PKEY *pub, json_t **findings)
{
	json_t *arr = NULL;
	char buf[512] = "";
	int r = CER_ERR_INTERNAL, first = CER_OK;

	if (findings != NULL) {
		*findings = NULL;
		if ((arr = json_array()) == NULL)
			return cer_fail(CER_ERR_ALLOC, "out of memory");
	}
	switch (EVP_PKEY_get_base_id(pub)) {
	case EVP_PKEY_RSA:
		r = check_rsa(pub, arr, &first, buf, sizeof(buf));
		break;
	case EVP_PKEY_EC:
		r = check_ec(pub, arr, &first, buf, sizeof(buf));
		break;
	default:
		r = run(arr, "algorithm", cer_fail(CER_ERR_VERIFY, "key type %s is neither RSA "
		    "nor ECDSA", OBJ_nid2sn(EVP_PKEY_get_base_id(pub))), &first, buf, sizeof(buf));
		break;
	}
	if (r != CER_OK)
		goto out;
	if (first != CER_OK) {
		r = cer_fail(first, "weak key: %s", buf);
		goto out;
	}
	r = CER_OK;
out:
	if (findings != NULL && (r == CER_OK || r == CER_ERR_VERIFY)) {
		*findings = arr;
		arr = NULL; /* transferred */
	}
	json_decref(arr);
	return r;
}
