/* lint-cert-boulder.c: notices where a CA certificate differs from what Boulder would make. */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/objects.h>

#include "base/br.h"
#include "lint/keycheck.h"
#include "lint/lint-int.h"

static const struct cer_lint_presence need_bc = { NID_basic_constraints, "basicConstraints", 1 };

static int
chk_boulder_goodkey(struct cer_lint_ctx *c, const void *arg)
{
	BIGNUM *n = NULL, *e = NULL;
	int bits, ok, curve;

	(void)arg;
	if (c->pub == NULL)
		return cer_lint_failf(c, "the public key does not parse");
	if (EVP_PKEY_get_base_id(c->pub) == EVP_PKEY_EC) {
		curve = cer_lint_spki_curve(c->cert);
		if (curve != NID_X9_62_prime256v1 && curve != NID_secp384r1)
			return cer_lint_failf(c, "Boulder accepts only P-256 and P-384");
		return LINT_PASS;
	}
	if (cer_keycheck_rsa_params(c->pub, &n, &e) != CER_OK)
		return cer_lint_failf(c, "%s", cer_err_detail());
	bits = BN_num_bits(n);
	ok = (bits == 2048 || bits == 3072 || bits == 4096) && BN_is_word(e, 65537);
	BN_free(n);
	BN_free(e);
	if (!ok)
		return cer_lint_failf(c, "Boulder accepts only 2048, 3072 or 4096-bit RSA with "
		    "e = 65537");
	return LINT_PASS;
}

static int
chk_boulder_subject(struct cer_lint_ctx *c, const void *arg)
{
	const X509_NAME *n = X509_get_subject_name(c->cert);
	int i, nid;

	if (cer_lint_chk_ca_subject_attrs(c, arg) == LINT_FAIL)
		return LINT_FAIL;
	for (i = 0; i < X509_NAME_entry_count(n); i++) {
		nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(X509_NAME_get_entry(n, i)));
		if (nid != NID_countryName && nid != NID_organizationName && nid != NID_commonName)
			return cer_lint_failf(c, "subject has %s besides C, O, CN", OBJ_nid2sn(nid));
	}
	return LINT_PASS;
}

static int
chk_boulder_ku(struct cer_lint_ctx *c, const void *arg)
{
	long ku = cer_lint_key_usage(c->cert);

	(void)arg;
	if (ku <= 0 || (ku & ~(long)(KU_DIGITAL_SIGNATURE | KU_KEY_CERT_SIGN | KU_CRL_SIGN)))
		return cer_lint_failf(c, "keyUsage is not a non-empty subset of digitalSignature, "
		    "keyCertSign, cRLSign");
	return LINT_PASS;
}

static int
chk_boulder_sigalg(struct cer_lint_ctx *c, const void *arg)
{
	const X509_ALGOR *outer;

	(void)arg;
	X509_get0_signature(NULL, &outer, c->cert);
	if (OBJ_obj2nid(outer->algorithm) == NID_rsassaPss)
		return cer_lint_failf(c, "Boulder does not sign with RSASSA-PSS");
	return LINT_PASS;
}

static int
chk_boulder_validity(struct cer_lint_ctx *c, const void *arg)
{
	double d = cer_lint_validity_days(c->cert);

	(void)arg;
	/* Boulder's own caps, not the BRs' (which a root may reach: 9132 days inclusive). */
	if (c->profile == CER_LINT_ROOT && d >= 9132)
		return cer_lint_failf(c, "root validity of %.2f days; Boulder wants < 9132", d);
	if (c->profile != CER_LINT_ROOT && d >= 8 * 365)
		return cer_lint_failf(c, "validity of %.2f days; Boulder wants < 2920", d);
	return LINT_PASS;
}

static int
chk_boulder_pathlen(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (c->bc == NULL || c->bc->pathlen == NULL || ASN1_INTEGER_get(c->bc->pathlen) != 0)
		return cer_lint_failf(c, "an issuing intermediate gets pathLenConstraint 0");
	return LINT_PASS;
}

static int
chk_boulder_ski(struct cer_lint_ctx *c, const void *arg)
{
	const ASN1_BIT_STRING *bits = X509_get0_pubkey_bitstr(c->cert);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len;

	(void)arg;
	if (c->ski == NULL)
		return LINT_NA;
	if (EVP_Digest(ASN1_STRING_get0_data(bits), (size_t)ASN1_STRING_length(bits), md, &len,
	    EVP_sha256(), NULL) != 1 || ASN1_STRING_length(c->ski) != 20 ||
	    memcmp(md, ASN1_STRING_get0_data(c->ski), 20) != 0)
		return cer_lint_failf(c, "SKI is not RFC 7093 method 1 (SHA-256, 160 bits)");
	return LINT_PASS;
}

static int
chk_boulder_policy_dv(struct cer_lint_ctx *c, const void *arg)
{
	char buf[80];

	(void)arg;
	if (c->cp == NULL || sk_POLICYINFO_num(c->cp) != 1 ||
	    strcmp(cer_lint_oid(sk_POLICYINFO_value(c->cp, 0)->policyid, buf, sizeof(buf)),
	    CER_BR_POLICY_DV) != 0)
		return cer_lint_failf(c, "policies are not exactly [" CER_BR_POLICY_DV "]");
	return LINT_PASS;
}

static int
chk_boulder_urls(struct cer_lint_ctx *c, const void *arg)
{
	int i, ca_issuers = 0;

	(void)arg;
	for (i = 0; c->aia != NULL && i < sk_ACCESS_DESCRIPTION_num(c->aia); i++)
		ca_issuers |= OBJ_obj2nid(sk_ACCESS_DESCRIPTION_value(c->aia, i)->method) ==
		    NID_ad_ca_issuers;
	if (c->cdp == NULL || !ca_issuers)
		return cer_lint_failf(c, "Boulder requires a CRL URL and an AIA caIssuers URL");
	return LINT_PASS;
}

static int
chk_boulder_serial(struct cer_lint_ctx *c, const void *arg)
{
	const ASN1_INTEGER *s = X509_get0_serialNumber(c->cert);

	(void)arg;
	if (ASN1_STRING_length(s) != 17 || ASN1_STRING_get0_data(s)[0] != 0x01)
		return cer_lint_failf(c, "serial is not 0x01 followed by 16 random bytes");
	return LINT_PASS;
}

#define N CER_LINT_NOTICE

/* (h) of profile-rules.md: notices only, for hierarchies Boulder signs under. */
const struct cer_lint_rule cer_lint_cert_boulder_rules[] = {
	{ "boulder.goodkey", N, "Boulder goodkey", 0, P_ALL, chk_boulder_goodkey, NULL,
	    "RSA 2048/3072/4096 with e = 65537, or ECDSA P-256/P-384" },
	{ "boulder.subject_minimal", N, "Boulder cert.go verifyProfile", 0, P_CAS,
	    chk_boulder_subject, NULL, "subject exactly C, O, CN" },
	{ "boulder.ku_allowlist", N, "Boulder cert.go stringToKeyUsage", 0, P_CAS, chk_boulder_ku,
	    NULL, "keyUsage a subset of digitalSignature, keyCertSign, cRLSign" },
	{ "boulder.sigalg_allowlist", N, "Boulder cert.go AllowedSigAlgs", 0, P_ALL,
	    chk_boulder_sigalg, NULL, "no RSASSA-PSS" },
	{ "boulder.validity_caps", N, "Boulder cert.go makeTemplate; CPS lints", 0, P_CAS,
	    chk_boulder_validity, NULL, "root < 9132 days, intermediate and cross < 2920 days" },
	{ "boulder.pathlen", N, "Boulder cert.go makeTemplate", 0, P_SUBS, chk_boulder_pathlen,
	    NULL, "issuing intermediates have pathLenConstraint 0" },
	{ "boulder.ski", N, "Boulder core GenerateSKID; RFC 7093", 0, P_ALL, chk_boulder_ski, NULL,
	    "SKI is RFC 7093 method 1" },
	{ "boulder.subca_policy_dv", N, "Boulder cert.go verifyProfile", 0, P_SUBS | P_CROSS,
	    chk_boulder_policy_dv, NULL, "policies exactly [" CER_BR_POLICY_DV "]" },
	{ "boulder.subca_urls", N, "Boulder cert.go verifyProfile", 0, P_SUBS | P_CROSS,
	    chk_boulder_urls, NULL, "CRL DP and AIA caIssuers present" },
	{ "boulder.serial_rng", N, "Boulder cert.go makeTemplate", 0, P_ALL, chk_boulder_serial,
	    NULL, "serial 0x01 followed by 16 random bytes" },
	{ "boulder.bc_present", N, "Boulder cert.go makeTemplate", 0, P_OCSP, cer_lint_chk_presence,
	    &need_bc, "OCSP responder has basicConstraints cA FALSE (the removed Boulder mode)" },
};

const size_t cer_lint_cert_boulder_nrules =
    sizeof(cer_lint_cert_boulder_rules) / sizeof(cer_lint_cert_boulder_rules[0]);
