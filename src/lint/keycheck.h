/*
 * keycheck.h: is a public key good enough to certify?  Boulder's goodkey
 * and more: RSA size, exponent, small factors, prime powers, Fermat
 * factorisation and the ROCA fingerprint; SP 800-56A validation of EC
 * points on P-256, P-384 and P-521.
 *
 * Each check returns CER_OK when the key passes, CER_ERR_VERIFY with a
 * one-line detail (cer_err_detail()) when it is weak, or CER_ERR_OPENSSL /
 * CER_ERR_ALLOC when the check itself could not run.
 */
#ifndef CER_KEYCHECK_H
#define CER_KEYCHECK_H

#include <stddef.h>

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/evp.h>

#include "base/err.h"

/* Rounds of Fermat's method; Boulder uses 110, the issue asks at least 100. */
#define CER_KEYCHECK_FERMAT_ROUNDS 110

/* The smallest factor a modulus may have (BR 6.1.6, NIST SP 800-89 5.3.3). */
#define CER_KEYCHECK_SMALLEST_FACTOR 752

/* The modulus and exponent of an RSA key (new BIGNUMs). CER_ERR_VERIFY if not RSA. */
int cer_keycheck_rsa_params(const EVP_PKEY *pub, BIGNUM **n, BIGNUM **e) CER_WUR;

/* 2048 <= bits(n) <= 8192 and bits(n) a multiple of 8 (BR 6.1.5). */
int cer_keycheck_rsa_size(const BIGNUM *n) CER_WUR;

/* e odd and 2^16+1 <= e <= 2^256-1 (BR 6.1.6). */
int cer_keycheck_rsa_exponent(const BIGNUM *e) CER_WUR;

/* n odd and without a prime factor below 752. */
int cer_keycheck_rsa_small_factors(const BIGNUM *n) CER_WUR;

/* n is neither prime nor a power of a prime. */
int cer_keycheck_rsa_prime_power(const BIGNUM *n) CER_WUR;

/* n does not fall to `rounds` rounds of Fermat's method (p and q too close). */
int cer_keycheck_rsa_fermat(const BIGNUM *n, unsigned rounds) CER_WUR;

/* n lacks the ROCA fingerprint (Infineon RSALib, CVE-2017-15361). */
int cer_keycheck_rsa_roca(const BIGNUM *n) CER_WUR;

/*
 * Full public-key validation (SP 800-56A 5.6.2.3.3) of an encoded point
 * on the named curve nid (NID_X9_62_prime256v1, NID_secp384r1,
 * NID_secp521r1): not infinity, coordinates in [0, p-1], on the curve,
 * n*Q = infinity.  Takes the raw bytes because OpenSSL refuses to
 * decode an off-curve point into an EVP_PKEY.
 */
int cer_keycheck_ec_point(int nid, const unsigned char *pt, size_t len) CER_WUR;

/*
 * Every check that applies to pub, plus the Boulder policy: RSA with
 * e = 65537, EC on P-256, P-384 or P-521, nothing else.  *findings (may
 * be NULL) gets [{"check","verdict":"pass|fail","message"}].  Returns
 * CER_ERR_VERIFY when any check failed (the detail names the first).
 */
int cer_keycheck(EVP_PKEY *pub, json_t **findings) CER_WUR;

#endif
