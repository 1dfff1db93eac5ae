/* lint-cert-key.c: certificate rules on version, serial, signature algorithm, signature and key. */
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include "base/verified.h"
#include "lint/keycheck.h"
#include "lint/lint-int.h"

static int
chk_x509_v3(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (X509_get_version(c->cert) != X509_VERSION_3)
		return cer_lint_failf(c, "version is v%ld, not v3", X509_get_version(c->cert) + 1);
	return LINT_PASS;
}

static int
chk_serial_range(struct cer_lint_ctx *c, const void *arg)
{
	const ASN1_INTEGER *s = X509_get0_serialNumber(c->cert);
	BIGNUM *bn = ASN1_INTEGER_to_BN(s, NULL);
	int r = LINT_PASS;

	(void)arg;
	if (bn == NULL)
		r = cer_lint_failf(c, "serial number does not parse");
	else if (BN_is_negative(bn) || BN_is_zero(bn))
		r = cer_lint_failf(c, "serial number is not positive");
	else if (BN_num_bits(bn) > 159)
		r = cer_lint_failf(c, "serial number of %d bits is longer than 20 octets",
		    BN_num_bits(bn));
	BN_free(bn);
	return r;
}

/*
 * At least 64 bits, and bits that look random: a CSPRNG serial has about
 * half its bits set; a counter or a timestamp padded with zeros does not.
 */
static int
chk_serial_random(struct cer_lint_ctx *c, const void *arg)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(c->cert), NULL);
	int i, bits, ones = 0, r = LINT_PASS;

	(void)arg;
	if (bn == NULL)
		return cer_lint_failf(c, "serial number does not parse");
	bits = BN_num_bits(bn);
	for (i = 0; i < bits; i++)
		ones += BN_is_bit_set(bn, i);
	if (bits < 64)
		r = cer_lint_failf(c, "serial number has %d bits; at least 64 random bits needed",
		    bits);
	else if (ones < bits / 4 || ones > bits - bits / 4)
		r = cer_lint_failf(c, "serial number has %d of %d bits set: not random-looking",
		    ones, bits);
	BN_free(bn);
	return r;
}

static int
chk_no_unique_ids(struct cer_lint_ctx *c, const void *arg)
{
	const ASN1_BIT_STRING *iuid, *suid;

	(void)arg;
	X509_get0_uids(c->cert, &iuid, &suid);
	if (iuid != NULL || suid != NULL)
		return cer_lint_failf(c, "issuerUniqueID or subjectUniqueID present");
	return LINT_PASS;
}

static int
chk_sigalg_identical(struct cer_lint_ctx *c, const void *arg)
{
	const X509_ALGOR *outer;

	(void)arg;
	X509_get0_signature(NULL, &outer, c->cert);
	if (!cer_lint_algor_eq(outer, X509_get0_tbs_sigalg(c->cert)))
		return cer_lint_failf(c, "signatureAlgorithm differs from tbsCertificate.signature");
	return LINT_PASS;
}

static int
chk_sigalg_allowed(struct cer_lint_ctx *c, const void *arg)
{
	const X509_ALGOR *outer;
	char buf[80];

	(void)arg;
	X509_get0_signature(NULL, &outer, c->cert);
	if (!cer_lint_sig_in_table_a(outer) ||
	    !cer_lint_sig_in_table_a(X509_get0_tbs_sigalg(c->cert)))
		return cer_lint_failf(c, "signature algorithm %s is not one of the encodings "
		    "of table A", cer_lint_oid(outer->algorithm, buf, sizeof(buf)));
	return LINT_PASS;
}

static int
chk_spki_encoding(struct cer_lint_ctx *c, const void *arg)
{
	const X509_ALGOR *a = cer_lint_spki_algor(c->cert);
	char buf[80];

	(void)arg;
	if (a == NULL)
		return cer_lint_failf(c, "the SubjectPublicKeyInfo does not parse");
	if (!cer_lint_spki_in_table_a(a))
		return cer_lint_failf(c, "SPKI algorithm %s is not rsaEncryption with NULL or "
		    "id-ecPublicKey with a named NIST curve", cer_lint_oid(a->algorithm, buf, sizeof(buf)));
	return LINT_PASS;
}

static int
chk_sigalg_matches_signer(struct cer_lint_ctx *c, const void *arg)
{
	const X509_ALGOR *outer;

	(void)arg;
	X509_get0_signature(NULL, &outer, c->cert);
	return cer_lint_sig_fits_key(c, X509_get0_pubkey(c->issuer), outer);
}

static int
chk_signature(struct cer_lint_ctx *c, const void *arg)
{
	EVP_PKEY *ik = X509_get0_pubkey(c->issuer);

	(void)arg;
	if (cer_verified_seen_asn1(c->cert, ASN1_ITEM_rptr(X509), ik))
		return LINT_PASS;
	if (ik == NULL || X509_verify(c->cert, ik) != 1) {
		ERR_clear_error();
		return cer_lint_failf(c, "the signature does not verify under the %s key",
		    cer_lint_self_issued(c) ? "certificate's own" : "issuer's");
	}
	return LINT_PASS;
}

/* ---- keys (keycheck.c as rules) ---- */

enum key_check { K_RSA_SIZE, K_RSA_EXP, K_RSA_QUALITY, K_FERMAT, K_ROCA };

static int
chk_rsa(struct cer_lint_ctx *c, const void *arg)
{
	enum key_check k = *(const enum key_check *)arg;
	BIGNUM *n, *e;
	int r = CER_OK;

	if (c->pub == NULL || EVP_PKEY_get_base_id(c->pub) != EVP_PKEY_RSA)
		return LINT_NA;
	/* read once for the five rules: each read costs as much as the cheap checks */
	if (c->rsa_n == NULL)
		r = cer_keycheck_rsa_params(c->pub, &c->rsa_n, &c->rsa_e);
	n = c->rsa_n;
	e = c->rsa_e;
	if (r == CER_OK) {
		switch (k) {
		case K_RSA_SIZE:
			/* 2048 bits from 2013-12-31 (BR); a multiple of 8 from MRSP 2.4 */
			if ((r = cer_keycheck_rsa_size(n)) != CER_OK && BN_num_bits(n) >= 2048 &&
			    BN_num_bits(n) <= 8192 && !cer_lint_in_force(c, CER_DATE_MRSP_2_4))
				r = CER_OK;
			break;
		case K_RSA_EXP: r = cer_keycheck_rsa_exponent(e); break;
		case K_RSA_QUALITY:
			if ((r = cer_keycheck_rsa_small_factors(n)) == CER_OK)
				r = cer_keycheck_rsa_prime_power(n);
			break;
		case K_FERMAT: r = cer_keycheck_rsa_fermat(n, CER_KEYCHECK_FERMAT_ROUNDS); break;
		case K_ROCA: r = cer_keycheck_rsa_roca(n); break;
		}
	}
	return r == CER_OK ? LINT_PASS : cer_lint_failf(c, "%s", cer_err_detail());
}

static const enum key_check k_size = K_RSA_SIZE, k_exp = K_RSA_EXP,
    k_quality = K_RSA_QUALITY, k_fermat = K_FERMAT, k_roca = K_ROCA;

static int
chk_key_ec(struct cer_lint_ctx *c, const void *arg)
{
	const X509_ALGOR *a = cer_lint_spki_algor(c->cert);
	int nid = a != NULL ? OBJ_obj2nid(a->algorithm) : NID_undef, curve;

	(void)arg;
	if (nid == NID_rsaEncryption)
		return LINT_NA;
	if (nid != NID_X9_62_id_ecPublicKey)
		return cer_lint_failf(c, "key algorithm %s is neither RSA nor ECDSA",
		    OBJ_nid2sn(nid));
	curve = cer_lint_spki_curve(c->cert);
	if (curve != NID_X9_62_prime256v1 && curve != NID_secp384r1 && curve != NID_secp521r1)
		return cer_lint_failf(c, "EC key on %s, not P-256, P-384 or P-521",
		    curve == NID_undef ? "an unnamed curve" : OBJ_nid2sn(curve));
	return LINT_PASS;
}

static int
chk_ec_validation(struct cer_lint_ctx *c, const void *arg)
{
	const ASN1_BIT_STRING *bits = X509_get0_pubkey_bitstr(c->cert);
	int curve = cer_lint_spki_curve(c->cert);

	(void)arg;
	if (curve == NID_undef)
		return LINT_NA;
	if (cer_keycheck_ec_point(curve, ASN1_STRING_get0_data(bits),
	    (size_t)ASN1_STRING_length(bits)) != CER_OK)
		return cer_lint_failf(c, "%s", cer_err_detail());
	return LINT_PASS;
}

#define E CER_LINT_ERROR

/* The first rules of every certificate (§0 of profile-rules.md), up to the key. */
const struct cer_lint_rule cer_lint_cert_key_rules[] = {
	{ "cert.x509_v3", E, "BR 7.1.1; RFC 5280 4.1.2.1", CER_DATE_BR_1_0, P_ALL | P_PRIV,
	    chk_x509_v3, NULL, "version is v3" },
	{ "cert.serial_range", E, "BR 7.1.2.1; RFC 5280 4.1.2.2", 0, P_ALL | P_PRIV,
	    chk_serial_range, NULL,
	    "serial is positive and at most 20 octets" },
	{ "cert.serial_random", E, "BR 7.1.2.1; MRSP 5.2", CER_DATE_SERIAL_64, P_ALL,
	    chk_serial_random, NULL, "serial has at least 64 bits and looks random" },
	{ "cert.no_unique_ids", E, "BR profile tables; RFC 5280 4.1.2.8", 0, P_ALL | P_PRIV,
	    chk_no_unique_ids, NULL, "no issuerUniqueID or subjectUniqueID" },
	{ "cert.sigalg_identical", E, "RFC 5280 4.1.1.2, 4.1.2.3", 0, P_ALL | P_PRIV,
	    chk_sigalg_identical, NULL,
	    "signatureAlgorithm is byte-identical to tbsCertificate.signature" },
	{ "cert.sigalg_allowed", E, "BR 7.1.3.2; MRSP 5.1.1, 5.1.2", CER_DATE_MRSP_2_7, P_ALL,
	    chk_sigalg_allowed, NULL, "signature AlgorithmIdentifier is one of table A" },
	{ "cert.sigalg_matches_signer", E, "BR 7.1.3.2.1-7.1.3.2.2", CER_DATE_BR_1_7_1, P_ALL,
	    chk_sigalg_matches_signer, NULL, "signature algorithm fits the issuer's key" },
	{ "cert.no_sha1", E, "BR 7.1.3.2.1; MRSP 5.1.3", CER_DATE_NO_SHA1, P_ALL,
	    cer_lint_chk_no_sha1, NULL, "no SHA-1 signature" },
	{ "cert.signature", E, "RFC 5280 4.1.1.3; BR 4.3.1.3", 0, P_ALL | P_PRIV, chk_signature,
	    NULL,
	    "signature verifies under the issuer's key (skip when linting a throwaway-signed TBS)" },
	{ "cert.spki_encoding", E, "BR 7.1.3.1; MRSP 5.1.1-5.1.2", CER_DATE_MRSP_2_7, P_ALL,
	    chk_spki_encoding, NULL, "SPKI AlgorithmIdentifier is one of table A" },
	{ "cert.key_rsa", E, "BR 6.1.5; MRSP 5.1", CER_DATE_RSA_2048, P_ALL, chk_rsa, &k_size,
	    "RSA modulus of 2048 to 8192 bits, a multiple of 8" },
	{ "cert.key_ec", E, "BR 6.1.5; MRSP 5.1", CER_DATE_BR_1_0, P_ALL, chk_key_ec, NULL,
	    "key is RSA or ECDSA on P-256, P-384 or P-521" },
	{ "cert.rsa_exponent", E, "BR 6.1.6; MRSP 5.2", CER_DATE_RSA_EXPONENT, P_ALL, chk_rsa,
	    &k_exp, "RSA exponent odd, in 2^16+1..2^256-1" },
	{ "cert.rsa_modulus_quality", E, "BR 6.1.6 (NIST SP 800-89 5.3.3)", 0, P_ALL, chk_rsa,
	    &k_quality, "RSA modulus odd, no factor below 752, not prime or a prime power" },
	{ "key.rsa_fermat", E, "BR 6.1.6; Boulder goodkey", 0, P_ALL, chk_rsa, &k_fermat,
	    "RSA modulus resists 110 rounds of Fermat factorisation" },
	{ "key.rsa_roca", E, "BR 6.1.6; Boulder goodkey (CVE-2017-15361)", 0, P_ALL, chk_rsa,
	    &k_roca, "RSA modulus lacks the ROCA fingerprint" },
	{ "cert.ec_key_validation", E, "BR 6.1.6 (SP 800-56A 5.6.2.3.3)", 0, P_ALL,
	    chk_ec_validation, NULL, "EC point on the curve, in range, of the group's order" },
};

const size_t cer_lint_cert_key_nrules =
    sizeof(cer_lint_cert_key_rules) / sizeof(cer_lint_cert_key_rules[0]);
