/*
 * lint-cert.c: the certificate rules of profile-rules.md (§0, tables A and
 * B, (a) root, (b) subordinate, (c) cross, (d) OCSP responder, (h) Boulder)
 * and the key checks of keycheck.c.  Each check answers LINT_PASS,
 * LINT_FAIL (with c->msg) or LINT_NA.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include "lint/keycheck.h"
#include "lint/lint-int.h"

#define DAY 86400

/* ---- helpers ---- */

/* The extension with this NID, its criticality and how often it occurs. */
static X509_EXTENSION *
ext_find(const X509 *x, int nid, int *count)
{
	X509_EXTENSION *first = NULL;
	int i, n = X509_get_ext_count(x);

	*count = 0;
	for (i = 0; i < n; i++) {
		X509_EXTENSION *e = X509_get_ext(x, i);

		if (OBJ_obj2nid(X509_EXTENSION_get_object(e)) != nid)
			continue;
		if ((*count)++ == 0)
			first = e;
	}
	return first;
}

static int
has_ext(const X509 *x, int nid)
{
	int n;

	return ext_find(x, nid, &n) != NULL;
}

static int
ext_critical(const X509 *x, int nid)
{
	int n;
	X509_EXTENSION *e = ext_find(x, nid, &n);

	return e != NULL && X509_EXTENSION_get_critical(e);
}

/* Key usage bits (KU_*), or -1 when the extension is absent. */
static long
key_usage(X509 *x)
{
	if (!has_ext(x, NID_key_usage))
		return -1;
	return (long)X509_get_key_usage(x);
}

/* The dotted OID of obj into buf. */
const char *
cer_lint_oid(const ASN1_OBJECT *obj, char *buf, size_t n)
{
	if (OBJ_obj2txt(buf, (int)n, obj, 1) <= 0)
		snprintf(buf, n, "?");
	return buf;
}

static int
eku_has(const EXTENDED_KEY_USAGE *eku, int nid)
{
	int i;

	for (i = 0; eku != NULL && i < sk_ASN1_OBJECT_num(eku); i++)
		if (OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i)) == nid)
			return 1;
	return 0;
}

static int
eku_has_txt(const EXTENDED_KEY_USAGE *eku, const char *dotted)
{
	char buf[80];
	int i;

	for (i = 0; eku != NULL && i < sk_ASN1_OBJECT_num(eku); i++)
		if (strcmp(cer_lint_oid(sk_ASN1_OBJECT_value(eku, i), buf, sizeof(buf)), dotted) == 0)
			return 1;
	return 0;
}

#define OID_PRECERT_EKU "1.3.6.1.4.1.11129.2.4.4"

/* Cut-offs of the date-gated rules (profile-rules.md note 7). */
#define T_2026_06_15 1781481600	/* Chrome: sub CAs serverAuth only */
#define T_2026_03_15 1773532800	/* BR: no precertificate-signing CAs */

time_t
cer_lint_time(const ASN1_TIME *t)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return (time_t)-1;
	return timegm(&tm);
}

const char *
cer_lint_fmt_time(time_t t, char buf[static 32])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, 32, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, 32, "?");
	return buf;
}

static int
is_self_issued(const struct cer_lint_ctx *c)
{
	return c->issuer == c->cert;
}

/* Count of policies with these dotted OIDs, and whether anyPolicy is present. */
static int
reserved_policies(const CERTIFICATEPOLICIES *cp, int *any, int *first_is_reserved)
{
	static const char *const reserved[] = {
		"2.23.140.1.2.1", "2.23.140.1.2.2", "2.23.140.1.2.3", "2.23.140.1.1",
	};
	char buf[80];
	int i, n = 0;
	size_t j;

	*any = 0;
	*first_is_reserved = 0;
	for (i = 0; i < sk_POLICYINFO_num(cp); i++) {
		const POLICYINFO *pi = sk_POLICYINFO_value(cp, i);

		if (OBJ_obj2nid(pi->policyid) == NID_any_policy)
			*any = 1;
		cer_lint_oid(pi->policyid, buf, sizeof(buf));
		for (j = 0; j < sizeof(reserved) / sizeof(reserved[0]); j++)
			if (strcmp(buf, reserved[j]) == 0) {
				n++;
				if (i == 0)
					*first_is_reserved = 1;
			}
	}
	return n;
}

static int
is_http_uri(const GENERAL_NAME *gn, int https_ok)
{
	const char *s;

	if (gn->type != GEN_URI)
		return 0;
	s = (const char *)ASN1_STRING_get0_data(gn->d.uniformResourceIdentifier);
	return strncmp(s, "http://", 7) == 0 || (https_ok && strncmp(s, "https://", 8) == 0);
}

/* ---- §0: every certificate ---- */

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

/* DER of an AlgorithmIdentifier; *der to be freed with OPENSSL_free. */
static int
algor_der(const X509_ALGOR *a, unsigned char **der)
{
	*der = NULL;
	return a == NULL ? -1 : i2d_X509_ALGOR(a, der);
}

int
cer_lint_algor_eq(const X509_ALGOR *a, const X509_ALGOR *b)
{
	unsigned char *da = NULL, *db = NULL;
	int la = algor_der(a, &da), lb = algor_der(b, &db);
	int eq = la > 0 && la == lb && memcmp(da, db, (size_t)la) == 0;

	OPENSSL_free(da);
	OPENSSL_free(db);
	return eq;
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

/* ---- table A ---- */

enum alg_use { ALG_SPKI, ALG_SIG };

struct alg {
	const char *id;
	enum alg_use use;
	int nid;		/* the algorithm OID */
	int param_nid;		/* the curve for EC SPKIs; the hash for PSS; 0 */
	const char *hex;
};

static const struct alg algs[] = {
	{ "alg.spki_rsa", ALG_SPKI, NID_rsaEncryption, 0, "300d06092a864886f70d0101010500" },
	{ "alg.spki_p256", ALG_SPKI, NID_X9_62_id_ecPublicKey, NID_X9_62_prime256v1,
	    "301306072a8648ce3d020106082a8648ce3d030107" },
	{ "alg.spki_p384", ALG_SPKI, NID_X9_62_id_ecPublicKey, NID_secp384r1,
	    "301006072a8648ce3d020106052b81040022" },
	{ "alg.spki_p521", ALG_SPKI, NID_X9_62_id_ecPublicKey, NID_secp521r1,
	    "301006072a8648ce3d020106052b81040023" },
	{ "alg.rsa_sha256", ALG_SIG, NID_sha256WithRSAEncryption, 0,
	    "300d06092a864886f70d01010b0500" },
	{ "alg.rsa_sha384", ALG_SIG, NID_sha384WithRSAEncryption, 0,
	    "300d06092a864886f70d01010c0500" },
	{ "alg.rsa_sha512", ALG_SIG, NID_sha512WithRSAEncryption, 0,
	    "300d06092a864886f70d01010d0500" },
	{ "alg.pss_sha256", ALG_SIG, NID_rsassaPss, NID_sha256,
	    "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a0609"
	    "2a864886f70d010108300d06096086480165030402010500a203020120" },
	{ "alg.pss_sha384", ALG_SIG, NID_rsassaPss, NID_sha384,
	    "304106092a864886f70d01010a3034a00f300d06096086480165030402020500a11c301a0609"
	    "2a864886f70d010108300d06096086480165030402020500a203020130" },
	{ "alg.pss_sha512", ALG_SIG, NID_rsassaPss, NID_sha512,
	    "304106092a864886f70d01010a3034a00f300d06096086480165030402030500a11c301a0609"
	    "2a864886f70d010108300d06096086480165030402030500a203020140" },
	{ "alg.ecdsa_sha256", ALG_SIG, NID_ecdsa_with_SHA256, 0, "300a06082a8648ce3d040302" },
	{ "alg.ecdsa_sha384", ALG_SIG, NID_ecdsa_with_SHA384, 0, "300a06082a8648ce3d040303" },
	{ "alg.ecdsa_sha512", ALG_SIG, NID_ecdsa_with_SHA512, 0, "300a06082a8648ce3d040304" },
};
#define NALGS (sizeof(algs) / sizeof(algs[0]))

static const X509_ALGOR *
spki_algor(const X509 *x)
{
	X509_ALGOR *a = NULL;

	if (X509_PUBKEY_get0_param(NULL, NULL, NULL, &a, X509_get_X509_PUBKEY(x)) != 1)
		return NULL;
	return a;
}

/*
 * The second-level NID an AlgorithmIdentifier names: the curve of an EC
 * SPKI, the hash of PSS (the first hash OID in the parameters), else 0.
 */
static int
algor_param_nid(const X509_ALGOR *a)
{
	static const unsigned char sha2[] = { 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
	    0x04, 0x02 };
	unsigned char *der = NULL, *p;
	const void *pval;
	int ptype, len, nid = 0;

	X509_ALGOR_get0(NULL, &ptype, &pval, a);
	if (OBJ_obj2nid(a->algorithm) == NID_X9_62_id_ecPublicKey)
		return ptype == V_ASN1_OBJECT ? OBJ_obj2nid(pval) : 0;
	if (OBJ_obj2nid(a->algorithm) != NID_rsassaPss || (len = algor_der(a, &der)) <= 0)
		return 0;
	if ((p = memmem(der, (size_t)len, sha2, sizeof(sha2))) != NULL &&
	    p + sizeof(sha2) < der + len)
		nid = p[sizeof(sha2)] == 1 ? NID_sha256 : p[sizeof(sha2)] == 2 ? NID_sha384 :
		    p[sizeof(sha2)] == 3 ? NID_sha512 : 0;
	OPENSSL_free(der);
	return nid;
}

/* Is a byte-identical to hex? */
static int
algor_is(const X509_ALGOR *a, const char *hex)
{
	unsigned char *der = NULL;
	char buf[512];
	int i, len = algor_der(a, &der), eq;

	eq = len > 0 && (size_t)len * 2 < sizeof(buf);
	for (i = 0; eq && i < len; i++)
		snprintf(buf + 2 * i, 3, "%02x", der[i]);
	eq = eq && strcmp(buf, hex) == 0;
	OPENSSL_free(der);
	return eq;
}

static const struct alg *
alg_match(const X509_ALGOR *a, enum alg_use use)
{
	size_t i;
	int nid, pnid;

	if (a == NULL)
		return NULL;
	nid = OBJ_obj2nid(a->algorithm);
	pnid = algor_param_nid(a);
	for (i = 0; i < NALGS; i++)
		if (algs[i].use == use && algs[i].nid == nid &&
		    (algs[i].param_nid == 0 || algs[i].param_nid == pnid))
			return &algs[i];
	return NULL;
}

/* alg.*: when the OID (and curve or hash) is this row's, the bytes are too. */
static int
chk_alg_row(struct cer_lint_ctx *c, const void *arg)
{
	const struct alg *row = arg;
	const X509_ALGOR *outer, *a[2];
	int i, n = 0, applies = 0;

	X509_get0_signature(NULL, &outer, c->cert);
	if (row->use == ALG_SPKI)
		a[n++] = spki_algor(c->cert);
	else {
		a[n++] = X509_get0_tbs_sigalg(c->cert);
		a[n++] = outer;
	}
	for (i = 0; i < n; i++) {
		if (alg_match(a[i], row->use) != row)
			continue;
		applies = 1;
		if (!algor_is(a[i], row->hex))
			return cer_lint_failf(c, "%s AlgorithmIdentifier is not encoded as %s",
			    row->use == ALG_SPKI ? "SPKI" : i == 0 ? "TBS signature" : "outer signature",
			    row->hex);
	}
	return applies ? LINT_PASS : LINT_NA;
}

/* One of table A's encodings, of the kind asked for. */
static int
is_table_a(const X509_ALGOR *a, enum alg_use use)
{
	const struct alg *row = alg_match(a, use);

	return row != NULL && algor_is(a, row->hex);
}

static int
chk_sigalg_allowed(struct cer_lint_ctx *c, const void *arg)
{
	const X509_ALGOR *outer;
	char buf[80];

	(void)arg;
	X509_get0_signature(NULL, &outer, c->cert);
	if (!is_table_a(outer, ALG_SIG) || !is_table_a(X509_get0_tbs_sigalg(c->cert), ALG_SIG))
		return cer_lint_failf(c, "signature algorithm %s is not one of the encodings "
		    "of table A", cer_lint_oid(outer->algorithm, buf, sizeof(buf)));
	return LINT_PASS;
}

static int
chk_spki_encoding(struct cer_lint_ctx *c, const void *arg)
{
	const X509_ALGOR *a = spki_algor(c->cert);
	char buf[80];

	(void)arg;
	if (a == NULL)
		return cer_lint_failf(c, "the SubjectPublicKeyInfo does not parse");
	if (!is_table_a(a, ALG_SPKI))
		return cer_lint_failf(c, "SPKI algorithm %s is not rsaEncryption with NULL or "
		    "id-ecPublicKey with a named NIST curve", cer_lint_oid(a->algorithm, buf, sizeof(buf)));
	return LINT_PASS;
}

/* Does outer fit the signer's key ik (BR 7.1.3.2)?  LINT_PASS or LINT_FAIL. */
int
cer_lint_sig_fits_key(struct cer_lint_ctx *c, EVP_PKEY *ik, const X509_ALGOR *outer)
{
	int snid = OBJ_obj2nid(outer->algorithm), want = 0;
	char curve[64];

	if (ik == NULL)
		return cer_lint_failf(c, "the issuer's public key does not parse");
	if (EVP_PKEY_get_base_id(ik) == EVP_PKEY_RSA) {
		if (snid != NID_sha256WithRSAEncryption && snid != NID_sha384WithRSAEncryption &&
		    snid != NID_sha512WithRSAEncryption && snid != NID_rsassaPss)
			return cer_lint_failf(c, "an RSA issuer key needs PKCS#1 v1.5 or PSS "
			    "with SHA-256/384/512, not %s", OBJ_nid2sn(snid));
		return LINT_PASS;
	}
	if (EVP_PKEY_get_base_id(ik) != EVP_PKEY_EC ||
	    EVP_PKEY_get_utf8_string_param(ik, "group", curve, sizeof(curve), NULL) != 1)
		return cer_lint_failf(c, "the issuer key is neither RSA nor ECDSA");
	switch (OBJ_sn2nid(curve)) {
	case NID_X9_62_prime256v1: want = NID_ecdsa_with_SHA256; break;
	case NID_secp384r1: want = NID_ecdsa_with_SHA384; break;
	case NID_secp521r1: want = NID_ecdsa_with_SHA512; break;
	default: return cer_lint_failf(c, "the issuer key's curve %s is not allowed", curve);
	}
	if (snid != want)
		return cer_lint_failf(c, "a %s issuer key signs with %s, not %s", curve,
		    OBJ_nid2sn(want), OBJ_nid2sn(snid));
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

int
cer_lint_sig_is_sha1(const X509_ALGOR *outer)
{
	int md = NID_undef, pk;

	if (OBJ_find_sigid_algs(OBJ_obj2nid(outer->algorithm), &md, &pk) == 1 && md == NID_sha1)
		return 1;
	/* RSASSA-PSS without a hash in its parameters means SHA-1. */
	return OBJ_obj2nid(outer->algorithm) == NID_rsassaPss && algor_param_nid(outer) == 0;
}

int
cer_lint_sig_in_table_a(const X509_ALGOR *a)
{
	return is_table_a(a, ALG_SIG);
}

static int
chk_no_sha1(struct cer_lint_ctx *c, const void *arg)
{
	const X509_ALGOR *outer;

	(void)arg;
	X509_get0_signature(NULL, &outer, c->cert);
	if (cer_lint_sig_is_sha1(outer))
		return cer_lint_failf(c, "signed with SHA-1");
	return LINT_PASS;
}

static int
chk_signature(struct cer_lint_ctx *c, const void *arg)
{
	EVP_PKEY *ik = X509_get0_pubkey(c->issuer);

	(void)arg;
	if (ik == NULL || X509_verify(c->cert, ik) != 1) {
		ERR_clear_error();
		return cer_lint_failf(c, "the signature does not verify under the %s key",
		    is_self_issued(c) ? "certificate's own" : "issuer's");
	}
	return LINT_PASS;
}

/* ---- keys (keycheck.c as rules) ---- */

enum key_check { K_RSA_SIZE, K_RSA_EXP, K_RSA_QUALITY, K_FERMAT, K_ROCA };

static int
chk_rsa(struct cer_lint_ctx *c, const void *arg)
{
	enum key_check k = *(const enum key_check *)arg;
	BIGNUM *n = NULL, *e = NULL;
	int r;

	if (c->pub == NULL || EVP_PKEY_get_base_id(c->pub) != EVP_PKEY_RSA)
		return LINT_NA;
	if ((r = cer_keycheck_rsa_params(c->pub, &n, &e)) == CER_OK) {
		switch (k) {
		case K_RSA_SIZE: r = cer_keycheck_rsa_size(n); break;
		case K_RSA_EXP: r = cer_keycheck_rsa_exponent(e); break;
		case K_RSA_QUALITY:
			if ((r = cer_keycheck_rsa_small_factors(n)) == CER_OK)
				r = cer_keycheck_rsa_prime_power(n);
			break;
		case K_FERMAT: r = cer_keycheck_rsa_fermat(n, CER_KEYCHECK_FERMAT_ROUNDS); break;
		case K_ROCA: r = cer_keycheck_rsa_roca(n); break;
		}
	}
	BN_free(n);
	BN_free(e);
	return r == CER_OK ? LINT_PASS : cer_lint_failf(c, "%s", cer_err_detail());
}

static const enum key_check k_size = K_RSA_SIZE, k_exp = K_RSA_EXP,
    k_quality = K_RSA_QUALITY, k_fermat = K_FERMAT, k_roca = K_ROCA;

/* The curve of an EC SPKI from its parameters: the key may not decode. */
static int
spki_curve(const X509 *x)
{
	const X509_ALGOR *a = spki_algor(x);

	if (a == NULL || OBJ_obj2nid(a->algorithm) != NID_X9_62_id_ecPublicKey)
		return NID_undef;
	return algor_param_nid(a);
}

static int
chk_key_ec(struct cer_lint_ctx *c, const void *arg)
{
	const X509_ALGOR *a = spki_algor(c->cert);
	int nid = a != NULL ? OBJ_obj2nid(a->algorithm) : NID_undef, curve;

	(void)arg;
	if (nid == NID_rsaEncryption)
		return LINT_NA;
	if (nid != NID_X9_62_id_ecPublicKey)
		return cer_lint_failf(c, "key algorithm %s is neither RSA nor ECDSA",
		    OBJ_nid2sn(nid));
	curve = spki_curve(c->cert);
	if (curve != NID_X9_62_prime256v1 && curve != NID_secp384r1 && curve != NID_secp521r1)
		return cer_lint_failf(c, "EC key on %s, not P-256, P-384 or P-521",
		    curve == NID_undef ? "an unnamed curve" : OBJ_nid2sn(curve));
	return LINT_PASS;
}

static int
chk_ec_validation(struct cer_lint_ctx *c, const void *arg)
{
	const ASN1_BIT_STRING *bits = X509_get0_pubkey_bitstr(c->cert);
	int curve = spki_curve(c->cert);

	(void)arg;
	if (curve == NID_undef)
		return LINT_NA;
	if (cer_keycheck_ec_point(curve, ASN1_STRING_get0_data(bits),
	    (size_t)ASN1_STRING_length(bits)) != CER_OK)
		return cer_lint_failf(c, "%s", cer_err_detail());
	return LINT_PASS;
}

/* ---- names ---- */

int
cer_lint_name_eq(const X509_NAME *a, const X509_NAME *b)
{
	const unsigned char *da, *db;
	size_t la, lb;

	return X509_NAME_get0_der(a, &da, &la) == 1 && X509_NAME_get0_der(b, &db, &lb) == 1 &&
	    la == lb && memcmp(da, db, la) == 0;
}

static int
chk_issuer_bytes(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!cer_lint_name_eq(X509_get_issuer_name(c->cert), X509_get_subject_name(c->issuer)))
		return cer_lint_failf(c, "issuer DN is not byte-identical to the %s subject",
		    is_self_issued(c) ? "certificate's own" : "issuing CA's");
	return LINT_PASS;
}

static int
chk_rdn_shape(struct cer_lint_ctx *c, const void *arg)
{
	const X509_NAME *n = X509_get_subject_name(c->cert);
	int i, j, cnt = X509_NAME_entry_count(n);

	(void)arg;
	for (i = 0; i < cnt; i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(n, i);
		int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));

		if (i > 0 && X509_NAME_ENTRY_set(e) == X509_NAME_ENTRY_set(X509_NAME_get_entry(n, i - 1)))
			return cer_lint_failf(c, "a subject RDN holds more than one attribute");
		for (j = 0; j < i && nid != NID_streetAddress; j++)
			if (OBJ_obj2nid(X509_NAME_ENTRY_get_object(X509_NAME_get_entry(n, j))) == nid)
				return cer_lint_failf(c, "subject attribute %s repeats", OBJ_nid2sn(nid));
	}
	return LINT_PASS;
}

static const int rdn_order[] = {
	NID_domainComponent, NID_countryName, NID_stateOrProvinceName, NID_localityName,
	NID_postalCode, NID_streetAddress, NID_organizationName, NID_surname, NID_givenName,
	NID_organizationalUnitName, NID_commonName,
};

static int
rdn_rank(int nid)
{
	size_t i;

	for (i = 0; i < sizeof(rdn_order) / sizeof(rdn_order[0]); i++)
		if (rdn_order[i] == nid)
			return (int)i;
	return -1;
}

static int
chk_rdn_order(struct cer_lint_ctx *c, const void *arg)
{
	const X509_NAME *n = X509_get_subject_name(c->cert);
	int i, rank, last = -1, lastnid = NID_undef;

	(void)arg;
	for (i = 0; i < X509_NAME_entry_count(n); i++) {
		int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(X509_NAME_get_entry(n, i)));

		if ((rank = rdn_rank(nid)) < 0)
			continue;
		if (rank < last)
			return cer_lint_failf(c, "subject %s comes after %s", OBJ_nid2sn(nid),
			    OBJ_nid2sn(lastnid));
		last = rank;
		lastnid = nid;
	}
	return LINT_PASS;
}

static int
printable_ok(const ASN1_STRING *s)
{
	const unsigned char *p = ASN1_STRING_get0_data(s);
	int i;

	for (i = 0; i < ASN1_STRING_length(s); i++)
		if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= '0' && p[i] <= '9') || strchr(" '()+,-./:=?", p[i]) != NULL) ||
		    p[i] == '\0')
			return 0;
	return 1;
}

/* Length in characters of a UTF8String or PrintableString. */
static int
char_len(const ASN1_STRING *s)
{
	const unsigned char *p = ASN1_STRING_get0_data(s);
	int i, n = 0;

	for (i = 0; i < ASN1_STRING_length(s); i++)
		n += (p[i] & 0xc0) != 0x80;
	return n;
}

static int
max_len(int nid)
{
	switch (nid) {
	case NID_organizationName: case NID_organizationalUnitName: case NID_commonName:
		return 64;
	case NID_stateOrProvinceName: case NID_localityName: case NID_streetAddress:
		return 128;
	case NID_postalCode:
		return 40;
	default:
		return 0;
	}
}

static int
chk_attr_encoding(struct cer_lint_ctx *c, const void *arg)
{
	const X509_NAME *n = X509_get_subject_name(c->cert);
	int i, nid, type, max;

	(void)arg;
	for (i = 0; i < X509_NAME_entry_count(n); i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(n, i);
		const ASN1_STRING *s = X509_NAME_ENTRY_get_data(e);

		nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
		type = ASN1_STRING_type(s);
		if (nid == NID_countryName && (type != V_ASN1_PRINTABLESTRING ||
		    ASN1_STRING_length(s) != 2))
			return cer_lint_failf(c, "countryName is not a 2-character PrintableString");
		if ((max = max_len(nid)) == 0)
			continue;
		if (type != V_ASN1_UTF8STRING && type != V_ASN1_PRINTABLESTRING)
			return cer_lint_failf(c, "%s is a %s, not UTF8String or PrintableString",
			    OBJ_nid2sn(nid), ASN1_tag2str(type));
		if (char_len(s) > max)
			return cer_lint_failf(c, "%s is longer than %d characters", OBJ_nid2sn(nid), max);
		if (type == V_ASN1_PRINTABLESTRING && !printable_ok(s))
			return cer_lint_failf(c, "%s has characters outside PrintableString",
			    OBJ_nid2sn(nid));
	}
	return LINT_PASS;
}

static int
subject_has(const X509 *x, int nid)
{
	return X509_NAME_get_index_by_NID(X509_get_subject_name(x), nid, -1) >= 0;
}

static int
chk_ca_subject_attrs(struct cer_lint_ctx *c, const void *arg)
{
	static const int need[] = { NID_countryName, NID_organizationName, NID_commonName };
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!subject_has(c->cert, need[i]))
			return cer_lint_failf(c, "subject lacks %s", OBJ_nid2sn(need[i]));
	return LINT_PASS;
}

static int
chk_ca_subject_other(struct cer_lint_ctx *c, const void *arg)
{
	const X509_NAME *n = X509_get_subject_name(c->cert);
	int i, nid;

	(void)arg;
	for (i = 0; i < X509_NAME_entry_count(n); i++) {
		nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(X509_NAME_get_entry(n, i)));
		/* OU is an error of its own (root.no_ou, subca.no_ou) in those profiles. */
		if (nid == NID_organizationalUnitName && (c->profile == CER_LINT_ROOT ||
		    c->profile == CER_LINT_SUBORDINATE || c->profile == CER_LINT_SUBORDINATE_TC))
			continue;
		if (max_len(nid) == 0 && nid != NID_countryName)
			return cer_lint_failf(c, "subject has %s; CA subjects hold C, ST, L, "
			    "postalCode, street, O and CN", OBJ_nid2sn(nid));
		if (nid == NID_organizationalUnitName)
			return cer_lint_failf(c, "subject has OU (NOT RECOMMENDED)");
	}
	return LINT_PASS;
}

static int
chk_no_ou(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (subject_has(c->cert, NID_organizationalUnitName))
		return cer_lint_failf(c, "organizationalUnitName in a CA subject");
	return LINT_PASS;
}

static int
chk_issuer_eq_subject(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!cer_lint_name_eq(X509_get_issuer_name(c->cert), X509_get_subject_name(c->cert)))
		return cer_lint_failf(c, "issuer is not byte-identical to subject");
	return LINT_PASS;
}

/* ---- validity ---- */

int
cer_lint_time_ok(const ASN1_TIME *t)
{
	time_t v = cer_lint_time(t);
	struct tm tm;

	if (v == (time_t)-1 || gmtime_r(&v, &tm) == NULL)
		return 0;
	if (tm.tm_year + 1900 < 2050)
		return ASN1_STRING_type(t) == V_ASN1_UTCTIME && ASN1_STRING_length(t) == 13 &&
		    ASN1_STRING_get0_data(t)[12] == 'Z';
	return ASN1_STRING_type(t) == V_ASN1_GENERALIZEDTIME && ASN1_STRING_length(t) == 15 &&
	    ASN1_STRING_get0_data(t)[14] == 'Z';
}

static int
chk_time_encoding(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!cer_lint_time_ok(X509_get0_notBefore(c->cert)))
		return cer_lint_failf(c, "notBefore is not UTCTime through 2049 / GeneralizedTime "
		    "from 2050, in Z with seconds");
	if (!cer_lint_time_ok(X509_get0_notAfter(c->cert)))
		return cer_lint_failf(c, "notAfter is not UTCTime through 2049 / GeneralizedTime "
		    "from 2050, in Z with seconds");
	return LINT_PASS;
}

/* notBefore within [at - 1 day, at]; arg non-NULL: only the upper bound (cross). */
static int
chk_notbefore(struct cer_lint_ctx *c, const void *arg)
{
	time_t nb = cer_lint_time(X509_get0_notBefore(c->cert));
	char b1[32], b2[32];

	if (nb == (time_t)-1)
		return cer_lint_failf(c, "notBefore does not parse");
	if (nb > c->at)
		return cer_lint_failf(c, "notBefore %s is after the signing time %s",
		    cer_lint_fmt_time(nb, b1), cer_lint_fmt_time(c->at, b2));
	if (arg == NULL && nb < c->at - DAY)
		return cer_lint_failf(c, "notBefore %s is more than a day before the signing "
		    "time %s", cer_lint_fmt_time(nb, b1), cer_lint_fmt_time(c->at, b2));
	return LINT_PASS;
}

static const int upper_only = 1;

static int
chk_notafter(struct cer_lint_ctx *c, const void *arg)
{
	time_t na = cer_lint_time(X509_get0_notAfter(c->cert));
	char b1[32], b2[32];

	(void)arg;
	if (na == (time_t)-1 || na < c->at)
		return cer_lint_failf(c, "notAfter %s is before the signing time %s",
		    cer_lint_fmt_time(na, b1), cer_lint_fmt_time(c->at, b2));
	return LINT_PASS;
}

/* Validity period in days, both endpoints included (BR 1.6.1). */
static double
validity_days(const X509 *x)
{
	time_t nb = cer_lint_time(X509_get0_notBefore(x)), na = cer_lint_time(X509_get0_notAfter(x));

	return ((double)na - (double)nb + 1) / DAY;
}

static int
chk_root_validity(struct cer_lint_ctx *c, const void *arg)
{
	double d = validity_days(c->cert);

	(void)arg;
	if (d < 2922 || d > 9132)
		return cer_lint_failf(c, "validity of %.2f days; a root needs 2922 to 9132", d);
	return LINT_PASS;
}

static int
chk_subca_validity(struct cer_lint_ctx *c, const void *arg)
{
	double d = validity_days(c->cert);

	(void)arg;
	if (d > 3 * 366)
		return cer_lint_failf(c, "validity of %.0f days; Chrome asks at most 3 years", d);
	return LINT_PASS;
}

/* ---- extensions: shape ---- */

static int
chk_ext_once(struct cer_lint_ctx *c, const void *arg)
{
	int i, j, n = X509_get_ext_count(c->cert);
	char buf[80];

	(void)arg;
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (OBJ_cmp(X509_EXTENSION_get_object(X509_get_ext(c->cert, i)),
			    X509_EXTENSION_get_object(X509_get_ext(c->cert, j))) == 0)
				return cer_lint_failf(c, "extension %s appears more than once",
				    cer_lint_oid(X509_EXTENSION_get_object(X509_get_ext(c->cert, i)), buf,
				    sizeof(buf)));
	return LINT_PASS;
}

/* keyUsage's BIT STRING has no trailing zero bits (X.690 11.2.2). */
static int
ku_minimal(const X509 *x)
{
	const ASN1_OCTET_STRING *v;
	const unsigned char *p;
	int n;
	X509_EXTENSION *e = ext_find(x, NID_key_usage, &n);

	if (e == NULL)
		return 1;
	v = X509_EXTENSION_get_data(e);
	p = ASN1_STRING_get0_data(v);
	n = ASN1_STRING_length(v);
	/* 03 len unused bits...; the last octet's lowest used bit is set. */
	if (n < 4 || p[0] != 0x03 || p[1] != n - 2 || p[2] > 7)
		return n == 3 && p[0] == 0x03 && p[1] == 1 && p[2] == 0;
	return p[n - 1] != 0 && ((p[n - 1] >> p[2]) & 1) == 1;
}

/*
 * Re-encoding the parsed TBS gives the same bytes only if it was DER:
 * OpenSSL drops an explicit `critical FALSE` and other defaults.
 */
static int
tbs_is_der(X509 *x)
{
	unsigned char *a = NULL, *b = NULL, *t = NULL;
	X509 *copy = X509_dup(x);
	int la = -1, lb = -2, eq;

	/* i2d_re_X509_tbs drops the cached encoding, so i2d_X509 re-encodes. */
	if (copy != NULL && i2d_re_X509_tbs(copy, &t) > 0) {
		la = i2d_X509(x, &a);
		lb = i2d_X509(copy, &b);
	}
	eq = la > 0 && la == lb && memcmp(a, b, (size_t)la) == 0;
	OPENSSL_free(a);
	OPENSSL_free(b);
	OPENSSL_free(t);
	X509_free(copy);
	return eq;
}

/* A known extension's value decodes (unknown ones are not judged here). */
static int
ext_parses(X509_EXTENSION *e)
{
	const X509V3_EXT_METHOD *m = X509V3_EXT_get(e);
	void *v;

	if (m == NULL)
		return 1;
	if ((v = X509V3_EXT_d2i(e)) == NULL) {
		ERR_clear_error();
		return 0;
	}
	if (m->it != NULL)
		ASN1_item_free(v, ASN1_ITEM_ptr(m->it));
	else if (m->ext_free != NULL)
		m->ext_free(v);
	return 1;
}

static int
chk_ext_der(struct cer_lint_ctx *c, const void *arg)
{
	int i, n = X509_get_ext_count(c->cert);
	char buf[80];

	(void)arg;
	for (i = 0; i < n; i++) {
		X509_EXTENSION *e = X509_get_ext(c->cert, i);

		if (!ext_parses(e))
			return cer_lint_failf(c, "extension %s does not parse",
			    cer_lint_oid(X509_EXTENSION_get_object(e), buf, sizeof(buf)));
	}
	if (!ku_minimal(c->cert))
		return cer_lint_failf(c, "keyUsage has trailing zero bits or a bad encoding");
	if (!tbs_is_der(c->cert))
		return cer_lint_failf(c, "the TBS is not DER (for example an explicit "
		    "critical FALSE or a DEFAULT value encoded)");
	return LINT_PASS;
}

/* ---- table B: criticality of each extension, when present ---- */

struct crit {
	int nid;
	const char *name;
	/* Per certificate profile, in enum order: 'C' critical, 'N' non-critical, '-' either. */
	char want[CER_LINT_NPROFILES];
};

static const struct crit crit_aki = { NID_authority_key_identifier, "AKI", "NNNNNN" };
static const struct crit crit_bc = { NID_basic_constraints, "basicConstraints", "CCCCCC" };
static const struct crit crit_ku = { NID_key_usage, "keyUsage", "CCCCCC" };
static const struct crit crit_ski = { NID_subject_key_identifier, "SKI", "NNNNNN" };
static const struct crit crit_eku = { NID_ext_key_usage, "extKeyUsage", "-NNNN-" };
static const struct crit crit_cp = { NID_certificate_policies, "certificatePolicies", "NNNNNN" };
static const struct crit crit_cdp = { NID_crl_distribution_points, "cRLDistributionPoints",
    "NNNNNN" };
static const struct crit crit_aia = { NID_info_access, "authorityInfoAccess", "NNNNNN" };
static const struct crit crit_nc = { NID_name_constraints, "nameConstraints", "CCCCCC" };
static const struct crit crit_nocheck = { NID_id_pkix_OCSP_noCheck, "ocsp-nocheck", "NNNNNN" };
static const struct crit crit_sct = { NID_ct_precert_scts, "SCT list", "NNNNNN" };

static int
chk_crit(struct cer_lint_ctx *c, const void *arg)
{
	const struct crit *k = arg;
	char want = k->want[c->profile];
	int n;
	X509_EXTENSION *e = ext_find(c->cert, k->nid, &n);

	if (e == NULL || want == '-')
		return LINT_NA;
	if (want == 'C' && !X509_EXTENSION_get_critical(e))
		return cer_lint_failf(c, "%s is not critical", k->name);
	if (want == 'N' && X509_EXTENSION_get_critical(e))
		return cer_lint_failf(c, "%s is critical", k->name);
	return LINT_PASS;
}

/* ---- extension presence by profile ---- */

struct presence {
	int nid;
	const char *name;
	int must;	/* 1 present, 0 absent */
};

static const struct presence need_bc = { NID_basic_constraints, "basicConstraints", 1 };
static const struct presence need_ski = { NID_subject_key_identifier, "SKI", 1 };
static const struct presence need_cdp = { NID_crl_distribution_points, "cRLDistributionPoints", 1 };
static const struct presence need_aia = { NID_info_access, "authorityInfoAccess", 1 };
static const struct presence need_eku = { NID_ext_key_usage, "extKeyUsage", 1 };
static const struct presence no_eku = { NID_ext_key_usage, "extKeyUsage", 0 };
static const struct presence no_cp = { NID_certificate_policies, "certificatePolicies", 0 };
static const struct presence no_cdp = { NID_crl_distribution_points, "cRLDistributionPoints", 0 };

static int
chk_presence(struct cer_lint_ctx *c, const void *arg)
{
	const struct presence *k = arg;
	int has = has_ext(c->cert, k->nid);

	if (k->must && !has)
		return cer_lint_failf(c, "%s is missing", k->name);
	if (!k->must && has)
		return cer_lint_failf(c, "%s is present", k->name);
	return LINT_PASS;
}

/*
 * Extensions each profile lists; anything else is NOT RECOMMENDED.  Those
 * a rule of the profile forbids outright (root.no_eku, root.no_cdp,
 * ocspcert.no_cdp, ocspcert.no_nc_san) count as listed, to be reported once.
 */
static int
ext_listed(int nid, enum cer_lint_profile p)
{
	switch (nid) {
	case NID_subject_alt_name:
		return p == CER_LINT_OCSP_RESPONDER;
	case NID_authority_key_identifier: case NID_basic_constraints: case NID_key_usage:
	case NID_subject_key_identifier: case NID_certificate_policies: case NID_ct_precert_scts:
		return 1;
	case NID_ext_key_usage: case NID_crl_distribution_points:
		return 1;
	case NID_name_constraints:
		return p != CER_LINT_ROOT;
	case NID_info_access:
		return p != CER_LINT_ROOT;
	case NID_id_pkix_OCSP_noCheck:
		return p == CER_LINT_OCSP_RESPONDER;
	default:
		return 0;
	}
}

static int
chk_other_ext(struct cer_lint_ctx *c, const void *arg)
{
	int i;
	char buf[80];

	(void)arg;
	for (i = 0; i < X509_get_ext_count(c->cert); i++) {
		const ASN1_OBJECT *o = X509_EXTENSION_get_object(X509_get_ext(c->cert, i));

		if (!ext_listed(OBJ_obj2nid(o), c->profile))
			return cer_lint_failf(c, "extension %s is not in the %s profile",
			    cer_lint_oid(o, buf, sizeof(buf)), cer_lint_profile_str(c->profile));
	}
	return LINT_PASS;
}

/* ---- AKI / SKI ---- */

static int
aki_shape(struct cer_lint_ctx *c, const ASN1_OCTET_STRING *want)
{
	if (c->aki == NULL)
		return cer_lint_failf(c, "authorityKeyIdentifier does not parse");
	if (c->aki->keyid == NULL)
		return cer_lint_failf(c, "authorityKeyIdentifier has no keyIdentifier");
	if (c->aki->issuer != NULL || c->aki->serial != NULL)
		return cer_lint_failf(c, "authorityKeyIdentifier has authorityCertIssuer or serial");
	if (want != NULL && ASN1_OCTET_STRING_cmp(c->aki->keyid, want) != 0)
		return cer_lint_failf(c, "authorityKeyIdentifier differs from the issuer's SKI");
	return LINT_PASS;
}

static int
chk_aki(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!has_ext(c->cert, NID_authority_key_identifier))
		return cer_lint_failf(c, "authorityKeyIdentifier is missing");
	return aki_shape(c, X509_get0_subject_key_id(c->issuer));
}

static int
chk_root_aki(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!has_ext(c->cert, NID_authority_key_identifier)) {
		c->sev = CER_LINT_NOTICE;
		return cer_lint_failf(c, "authorityKeyIdentifier is absent (RECOMMENDED)");
	}
	return aki_shape(c, c->ski);
}

/* The leftmost 160 bits of a hash of the subjectPublicKey BIT STRING value. */
static int
ski_matches(const X509 *x, const ASN1_OCTET_STRING *ski)
{
	const EVP_MD *mds[] = { EVP_sha1(), EVP_sha256(), EVP_sha384(), EVP_sha512() };
	const ASN1_BIT_STRING *bits = X509_get0_pubkey_bitstr(x);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen;
	size_t i;

	if (ASN1_STRING_length(ski) != 20)
		return 0;
	for (i = 0; i < sizeof(mds) / sizeof(mds[0]); i++)
		if (EVP_Digest(ASN1_STRING_get0_data(bits), (size_t)ASN1_STRING_length(bits), md,
		    &mdlen, mds[i], NULL) == 1 && memcmp(md, ASN1_STRING_get0_data(ski), 20) == 0)
			return 1;
	return 0;
}

static int
chk_ski(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!has_ext(c->cert, NID_subject_key_identifier))
		return LINT_NA;
	if (c->ski == NULL)
		return cer_lint_failf(c, "subjectKeyIdentifier does not parse");
	if (!ski_matches(c->cert, c->ski))
		return cer_lint_failf(c, "subjectKeyIdentifier is not derived from the public key "
		    "(RFC 5280 4.2.1.2 method 1 or RFC 7093)");
	return LINT_PASS;
}

static int
chk_aki_ski(struct cer_lint_ctx *c, const void *arg)
{
	int r;

	(void)arg;
	if ((r = chk_aki(c, NULL)) != LINT_PASS)
		return r;
	if (!has_ext(c->cert, NID_subject_key_identifier)) {
		if (c->profile == CER_LINT_OCSP_RESPONDER)
			c->sev = CER_LINT_WARNING;
		return cer_lint_failf(c, "subjectKeyIdentifier is missing");
	}
	return LINT_PASS;
}

/* ---- basicConstraints, keyUsage ---- */

static int
chk_bc_ca(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!has_ext(c->cert, NID_basic_constraints))
		return cer_lint_failf(c, "basicConstraints is missing");
	if (c->bc == NULL || !c->bc->ca)
		return cer_lint_failf(c, "basicConstraints does not assert cA TRUE");
	if (c->bc->pathlen != NULL && ASN1_INTEGER_get(c->bc->pathlen) < 0)
		return cer_lint_failf(c, "pathLenConstraint is negative");
	if (c->bc->pathlen != NULL && !(key_usage(c->cert) > 0 &&
	    (key_usage(c->cert) & KU_KEY_CERT_SIGN)))
		return cer_lint_failf(c, "pathLenConstraint without keyCertSign");
	return LINT_PASS;
}

static int
chk_root_pathlen(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (c->bc != NULL && c->bc->pathlen != NULL)
		return cer_lint_failf(c, "pathLenConstraint present (NOT RECOMMENDED)");
	return LINT_PASS;
}

static int
chk_ca_ku(struct cer_lint_ctx *c, const void *arg)
{
	long ku = key_usage(c->cert);
	long other = KU_NON_REPUDIATION | KU_KEY_ENCIPHERMENT | KU_DATA_ENCIPHERMENT |
	    KU_KEY_AGREEMENT | KU_ENCIPHER_ONLY | KU_DECIPHER_ONLY;

	(void)arg;
	if (ku < 0)
		return cer_lint_failf(c, "keyUsage is missing");
	if (!(ku & KU_KEY_CERT_SIGN) || !(ku & KU_CRL_SIGN))
		return cer_lint_failf(c, "keyUsage lacks keyCertSign or cRLSign");
	if (ku & other)
		return cer_lint_failf(c, "keyUsage sets a bit other than keyCertSign, cRLSign "
		    "and digitalSignature");
	return LINT_PASS;
}

static int
chk_ku_digsig(struct cer_lint_ctx *c, const void *arg)
{
	long ku = key_usage(c->cert);

	(void)arg;
	if (ku >= 0 && !(ku & KU_DIGITAL_SIGNATURE))
		return cer_lint_failf(c, "no digitalSignature: this key must not sign OCSP responses");
	return LINT_PASS;
}

/* ---- CRL DP, AIA, policies, name constraints: format when present ---- */

static int
chk_cdp_format(struct cer_lint_ctx *c, const void *arg)
{
	int i, j;

	(void)arg;
	if (!has_ext(c->cert, NID_crl_distribution_points))
		return LINT_NA;
	if (c->cdp == NULL || sk_DIST_POINT_num(c->cdp) < 1)
		return cer_lint_failf(c, "cRLDistributionPoints is empty or does not parse");
	for (i = 0; i < sk_DIST_POINT_num(c->cdp); i++) {
		const DIST_POINT *dp = sk_DIST_POINT_value(c->cdp, i);

		if (dp->reasons != NULL || dp->CRLissuer != NULL || dp->distpoint == NULL ||
		    dp->distpoint->type != 0)
			return cer_lint_failf(c, "a DistributionPoint holds more than fullName");
		for (j = 0; j < sk_GENERAL_NAME_num(dp->distpoint->name.fullname); j++)
			if (!is_http_uri(sk_GENERAL_NAME_value(dp->distpoint->name.fullname, j), 0))
				return cer_lint_failf(c, "a CRL distribution point is not an http:// URI");
	}
	return LINT_PASS;
}

/* arg non-NULL: only id-ad-ocsp (OCSP responder certificates). */
static int
chk_aia_format(struct cer_lint_ctx *c, const void *arg)
{
	int i;

	if (!has_ext(c->cert, NID_info_access))
		return LINT_NA;
	if (c->aia == NULL || sk_ACCESS_DESCRIPTION_num(c->aia) < 1)
		return cer_lint_failf(c, "authorityInfoAccess is empty or does not parse");
	for (i = 0; i < sk_ACCESS_DESCRIPTION_num(c->aia); i++) {
		const ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(c->aia, i);
		int m = OBJ_obj2nid(ad->method);

		if (m != NID_ad_OCSP && (m != NID_ad_ca_issuers || arg != NULL))
			return cer_lint_failf(c, "authorityInfoAccess has an access method other "
			    "than %s", arg != NULL ? "id-ad-ocsp" : "id-ad-ocsp and id-ad-caIssuers");
		if (!is_http_uri(ad->location, 0))
			return cer_lint_failf(c, "an authorityInfoAccess location is not an "
			    "http:// URI");
	}
	return LINT_PASS;
}

static int
chk_cp_qualifiers(struct cer_lint_ctx *c, const void *arg)
{
	int i, j;

	(void)arg;
	if (!has_ext(c->cert, NID_certificate_policies))
		return LINT_NA;
	if (c->cp == NULL)
		return cer_lint_failf(c, "certificatePolicies does not parse");
	for (i = 0; i < sk_POLICYINFO_num(c->cp); i++) {
		const POLICYINFO *pi = sk_POLICYINFO_value(c->cp, i);

		for (j = 0; j < i; j++)
			if (OBJ_cmp(pi->policyid, sk_POLICYINFO_value(c->cp, j)->policyid) == 0)
				return cer_lint_failf(c, "a policy OID repeats");
		for (j = 0; j < sk_POLICYQUALINFO_num(pi->qualifiers); j++) {
			const POLICYQUALINFO *q = sk_POLICYQUALINFO_value(pi->qualifiers, j);
			const char *s;

			if (OBJ_obj2nid(q->pqualid) != NID_id_qt_cps)
				return cer_lint_failf(c, "a policy qualifier other than id-qt-cps");
			s = (const char *)ASN1_STRING_get0_data(q->d.cpsuri);
			if (ASN1_STRING_type(q->d.cpsuri) != V_ASN1_IA5STRING ||
			    (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0))
				return cer_lint_failf(c, "a CPS qualifier is not an IA5String HTTP URL");
		}
	}
	return LINT_PASS;
}

static int
chk_cp_no_qualifiers(struct cer_lint_ctx *c, const void *arg)
{
	int i;

	(void)arg;
	for (i = 0; c->cp != NULL && i < sk_POLICYINFO_num(c->cp); i++)
		if (sk_POLICYQUALINFO_num(sk_POLICYINFO_value(c->cp, i)->qualifiers) > 0)
			return cer_lint_failf(c, "policyQualifiers present (NOT RECOMMENDED)");
	return LINT_PASS;
}

static int
subtrees_ok(const STACK_OF(GENERAL_SUBTREE) *st)
{
	int i;

	for (i = 0; i < sk_GENERAL_SUBTREE_num(st); i++) {
		const GENERAL_SUBTREE *s = sk_GENERAL_SUBTREE_value(st, i);

		if (s->minimum != NULL || s->maximum != NULL)
			return 0;
	}
	return 1;
}

static int
chk_nc_format(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!has_ext(c->cert, NID_name_constraints))
		return LINT_NA;
	if (c->nc == NULL)
		return cer_lint_failf(c, "nameConstraints does not parse");
	if (sk_GENERAL_SUBTREE_num(c->nc->permittedSubtrees) <= 0 &&
	    sk_GENERAL_SUBTREE_num(c->nc->excludedSubtrees) <= 0)
		return cer_lint_failf(c, "nameConstraints is an empty sequence");
	if (!subtrees_ok(c->nc->permittedSubtrees) || !subtrees_ok(c->nc->excludedSubtrees))
		return cer_lint_failf(c, "a GeneralSubtree has minimum or maximum");
	return LINT_PASS;
}

/* Name-constraint types in use: bits 1 << GEN_*. */
static unsigned
subtree_types(const STACK_OF(GENERAL_SUBTREE) *st, int ip_len)
{
	unsigned m = 0;
	int i;

	for (i = 0; i < sk_GENERAL_SUBTREE_num(st); i++) {
		const GENERAL_NAME *b = sk_GENERAL_SUBTREE_value(st, i)->base;

		if (ip_len != 0 && (b->type != GEN_IPADD || ASN1_STRING_length(b->d.ip) != ip_len))
			continue;
		m |= 1u << b->type;
	}
	return m;
}

/* Is there an excluded subtree of this type whose value is all zero bytes of len? */
static int
excluded_zero(const NAME_CONSTRAINTS *nc, int type, int len)
{
	int i, j;

	for (i = 0; i < sk_GENERAL_SUBTREE_num(nc->excludedSubtrees); i++) {
		const GENERAL_NAME *b = sk_GENERAL_SUBTREE_value(nc->excludedSubtrees, i)->base;
		const ASN1_STRING *s = type == GEN_DNS ? b->d.dNSName : b->d.iPAddress;
		int zero = 1;

		if (b->type != type || ASN1_STRING_length(s) != len)
			continue;
		for (j = 0; j < len; j++)
			zero &= ASN1_STRING_get0_data(s)[j] == 0;
		if (zero)
			return 1;
	}
	return 0;
}

static int
chk_tc_nc_required(struct cer_lint_ctx *c, const void *arg)
{
	unsigned m;

	(void)arg;
	if (c->nc == NULL)
		return cer_lint_failf(c, "nameConstraints is missing");
	m = subtree_types(c->nc->permittedSubtrees, 0);
	if (!(m & (1u << GEN_DIRNAME)))
		return cer_lint_failf(c, "no directoryName in permittedSubtrees");
	if (!(m & (1u << GEN_DNS)) && !excluded_zero(c->nc, GEN_DNS, 0))
		return cer_lint_failf(c, "no dNSName permitted and the empty dNSName not excluded");
	return LINT_PASS;
}

static int
chk_tc_nc_exclusions(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (c->nc == NULL)
		return LINT_NA;
	if (!subtree_types(c->nc->permittedSubtrees, 8) && !excluded_zero(c->nc, GEN_IPADD, 8))
		return cer_lint_failf(c, "no IPv4 range permitted and 0.0.0.0/0 not excluded");
	if (!subtree_types(c->nc->permittedSubtrees, 32) && !excluded_zero(c->nc, GEN_IPADD, 32))
		return cer_lint_failf(c, "no IPv6 range permitted and ::/0 not excluded");
	return LINT_PASS;
}

static int
chk_nc_types(struct cer_lint_ctx *c, const void *arg)
{
	unsigned ok = 1u << GEN_DNS | 1u << GEN_IPADD | 1u << GEN_DIRNAME;

	(void)arg;
	if (c->nc == NULL)
		return LINT_NA;
	if ((subtree_types(c->nc->permittedSubtrees, 0) | subtree_types(c->nc->excludedSubtrees,
	    0)) & ~ok)
		return cer_lint_failf(c, "nameConstraints uses a name type other than dNSName, "
		    "iPAddress and directoryName");
	return LINT_PASS;
}


/* ---- subordinate ---- */

static int
chk_cp_present(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!has_ext(c->cert, NID_certificate_policies))
		return cer_lint_failf(c, "certificatePolicies is missing");
	if (c->cp == NULL || sk_POLICYINFO_num(c->cp) < 1)
		return cer_lint_failf(c, "certificatePolicies holds no PolicyInformation");
	return LINT_PASS;
}

static int
chk_cp_anypolicy(struct cer_lint_ctx *c, const void *arg)
{
	int any, first;

	(void)arg;
	if (c->cp == NULL)
		return LINT_NA;
	(void)reserved_policies(c->cp, &any, &first);
	if (any && sk_POLICYINFO_num(c->cp) != 1)
		return cer_lint_failf(c, "anyPolicy is not the only policy");
	return LINT_PASS;
}

static int
chk_cp_reserved(struct cer_lint_ctx *c, const void *arg)
{
	int any, first, n;

	(void)arg;
	if (c->cp == NULL)
		return LINT_NA;
	n = reserved_policies(c->cp, &any, &first);
	if (any)
		return LINT_PASS;	/* the Affiliate case, subca.cp_anypolicy */
	if (n != 1)
		return cer_lint_failf(c, "%d Reserved CP OIDs (2.23.140.1.x); exactly one needed", n);
	return LINT_PASS;
}

static int
chk_cp_reserved_first(struct cer_lint_ctx *c, const void *arg)
{
	int any, first, n;

	(void)arg;
	if (c->cp == NULL)
		return LINT_NA;
	n = reserved_policies(c->cp, &any, &first);
	if (n > 0 && !first)
		return cer_lint_failf(c, "the Reserved CP OID is not the first policy");
	return LINT_PASS;
}

static int
chk_eku_br(struct cer_lint_ctx *c, const void *arg)
{
	static const int bad[] = { NID_code_sign, NID_email_protect, NID_time_stamp,
	    NID_OCSP_sign, NID_anyExtendedKeyUsage };
	size_t i;

	(void)arg;
	if (c->eku == NULL)
		return LINT_NA;
	if (!eku_has(c->eku, NID_server_auth))
		return cer_lint_failf(c, "extKeyUsage lacks id-kp-serverAuth");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (eku_has(c->eku, bad[i]))
			return cer_lint_failf(c, "extKeyUsage has %s", OBJ_nid2sn(bad[i]));
	if (eku_has_txt(c->eku, OID_PRECERT_EKU))
		return cer_lint_failf(c, "extKeyUsage has precertificate signing");
	return LINT_PASS;
}

static int
chk_eku_chrome(struct cer_lint_ctx *c, const void *arg)
{
	int n;

	(void)arg;
	if (c->eku == NULL)
		return LINT_NA;
	n = sk_ASN1_OBJECT_num(c->eku);
	if (n == 1 && eku_has(c->eku, NID_server_auth))
		return LINT_PASS;
	if (c->at < T_2026_06_15 && n == 2 && eku_has(c->eku, NID_server_auth) &&
	    eku_has(c->eku, NID_client_auth))
		return LINT_PASS;
	return cer_lint_failf(c, "extKeyUsage is not serverAuth only%s",
	    c->at < T_2026_06_15 ? " or serverAuth + clientAuth" : " (from 2026-06-15)");
}

static int
chk_eku_mozilla(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (c->eku == NULL)
		return LINT_NA;
	if (eku_has(c->eku, NID_anyExtendedKeyUsage))
		return cer_lint_failf(c, "extKeyUsage has anyExtendedKeyUsage");
	if (eku_has(c->eku, NID_server_auth) && eku_has(c->eku, NID_email_protect))
		return cer_lint_failf(c, "extKeyUsage has serverAuth with emailProtection");
	return LINT_PASS;
}

static int
chk_subca_profile(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (c->at >= T_2026_03_15 && eku_has_txt(c->eku, OID_PRECERT_EKU))
		return cer_lint_failf(c, "a Precertificate Signing CA may not be issued from "
		    "2026-03-15");
	return LINT_PASS;
}


static int
chk_tcnontls_eku(struct cer_lint_ctx *c, const void *arg)
{
	static const int bad[] = { NID_server_auth, NID_OCSP_sign, NID_anyExtendedKeyUsage };
	size_t i;

	(void)arg;
	if (c->eku == NULL)
		return cer_lint_failf(c, "extKeyUsage is missing");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (eku_has(c->eku, bad[i]))
			return cer_lint_failf(c, "extKeyUsage has %s", OBJ_nid2sn(bad[i]));
	if (eku_has_txt(c->eku, OID_PRECERT_EKU))
		return cer_lint_failf(c, "extKeyUsage has precertificate signing");
	return LINT_PASS;
}

static int
chk_tcnontls_cp(struct cer_lint_ctx *c, const void *arg)
{
	int any, first;

	(void)arg;
	if (c->cp == NULL)
		return LINT_NA;
	if (reserved_policies(c->cp, &any, &first) > 0)
		return cer_lint_failf(c, "a Reserved CP OID (2.23.140.1.x) in a non-TLS CA");
	if (any && sk_POLICYINFO_num(c->cp) != 1)
		return cer_lint_failf(c, "anyPolicy is not the only policy");
	return LINT_PASS;
}

/* ---- cross ---- */

static int
chk_cross_ext(struct cer_lint_ctx *c, const void *arg)
{
	static const struct { int nid; const char *name; } need[] = {
		{ NID_authority_key_identifier, "AKI" },
		{ NID_basic_constraints, "basicConstraints" },
		{ NID_certificate_policies, "certificatePolicies" },
		{ NID_crl_distribution_points, "cRLDistributionPoints" },
		{ NID_key_usage, "keyUsage" },
		{ NID_subject_key_identifier, "SKI" },
	};
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!has_ext(c->cert, need[i].nid))
			return cer_lint_failf(c, "%s is missing", need[i].name);
	if (!has_ext(c->cert, NID_info_access)) {
		c->sev = CER_LINT_WARNING;
		return cer_lint_failf(c, "authorityInfoAccess is missing (SHOULD)");
	}
	return LINT_PASS;
}

static int
chk_cross_eku_unrestricted(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (c->eku == NULL) {
		c->sev = CER_LINT_WARNING;
		return cer_lint_failf(c, "extKeyUsage is absent (SHOULD be present)");
	}
	if (eku_has(c->eku, NID_anyExtendedKeyUsage) && sk_ASN1_OBJECT_num(c->eku) != 1)
		return cer_lint_failf(c, "anyExtendedKeyUsage is not the only EKU");
	return LINT_PASS;
}

static int
chk_cross_eku_tls(struct cer_lint_ctx *c, const void *arg)
{
	static const int bad[] = { NID_email_protect, NID_code_sign, NID_time_stamp,
	    NID_anyExtendedKeyUsage };
	size_t i;

	(void)arg;
	if (c->eku == NULL || !eku_has(c->eku, NID_server_auth))
		return LINT_NA;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (eku_has(c->eku, bad[i]))
			return cer_lint_failf(c, "a serverAuth cross-certificate has %s",
			    OBJ_nid2sn(bad[i]));
	return LINT_PASS;
}

static int
chk_cross_eku_programs(struct cer_lint_ctx *c, const void *arg)
{
	if (c->eku == NULL)
		return cer_lint_failf(c, "no extKeyUsage; the root programs want [serverAuth]");
	return chk_eku_chrome(c, arg);
}

static int
chk_cross_cp(struct cer_lint_ctx *c, const void *arg)
{
	int any, first, n;

	if (chk_cp_present(c, arg) == LINT_FAIL)
		return LINT_FAIL;
	n = reserved_policies(c->cp, &any, &first);
	if (any && sk_POLICYINFO_num(c->cp) != 1)
		return cer_lint_failf(c, "anyPolicy is not the only policy");
	if (!any && n < 1)
		return cer_lint_failf(c, "no Reserved CP OID (2.23.140.1.x)");
	return LINT_PASS;
}

/* ---- OCSP responder ---- */

static int
chk_ocsp_eku(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (c->eku == NULL)
		return cer_lint_failf(c, "extKeyUsage is missing or does not parse");
	if (sk_ASN1_OBJECT_num(c->eku) != 1 || !eku_has(c->eku, NID_OCSP_sign))
		return cer_lint_failf(c, "extKeyUsage is not exactly id-kp-OCSPSigning");
	return LINT_PASS;
}

/* An extension's extnValue is exactly these bytes. */
static int
ext_value_is(const X509 *x, int nid, const unsigned char *want, int len)
{
	int n;
	X509_EXTENSION *e = ext_find(x, nid, &n);
	const ASN1_OCTET_STRING *v = e != NULL ? X509_EXTENSION_get_data(e) : NULL;

	return v != NULL && ASN1_STRING_length(v) == len &&
	    memcmp(ASN1_STRING_get0_data(v), want, (size_t)len) == 0;
}

static int
chk_ocsp_nocheck(struct cer_lint_ctx *c, const void *arg)
{
	static const unsigned char null[] = { 0x05, 0x00 };

	(void)arg;
	if (!has_ext(c->cert, NID_id_pkix_OCSP_noCheck))
		return cer_lint_failf(c, "id-pkix-ocsp-nocheck is missing");
	if (ext_critical(c->cert, NID_id_pkix_OCSP_noCheck))
		return cer_lint_failf(c, "id-pkix-ocsp-nocheck is critical");
	if (!ext_value_is(c->cert, NID_id_pkix_OCSP_noCheck, null, sizeof(null)))
		return cer_lint_failf(c, "id-pkix-ocsp-nocheck's value is not 0500");
	return LINT_PASS;
}

static int
chk_ocsp_ku(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (key_usage(c->cert) < 0)
		return cer_lint_failf(c, "keyUsage is missing");
	if (!ext_critical(c->cert, NID_key_usage))
		return cer_lint_failf(c, "keyUsage is not critical");
	if (key_usage(c->cert) != KU_DIGITAL_SIGNATURE)
		return cer_lint_failf(c, "keyUsage is not digitalSignature only");
	return LINT_PASS;
}

static int
chk_ocsp_bc(struct cer_lint_ctx *c, const void *arg)
{
	static const unsigned char empty[] = { 0x30, 0x00 };

	(void)arg;
	if (!has_ext(c->cert, NID_basic_constraints))
		return LINT_PASS;
	if (!ext_value_is(c->cert, NID_basic_constraints, empty, sizeof(empty)))
		return cer_lint_failf(c, "basicConstraints is not exactly 3000 (cA FALSE, no pathLen)");
	if (!ext_critical(c->cert, NID_basic_constraints))
		return cer_lint_failf(c, "basicConstraints is not critical");
	return LINT_PASS;
}

static int
chk_ocsp_no_nc_san(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (has_ext(c->cert, NID_name_constraints) || has_ext(c->cert, NID_subject_alt_name))
		return cer_lint_failf(c, "nameConstraints or subjectAltName present");
	return LINT_PASS;
}

static int
chk_ocsp_aia(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!has_ext(c->cert, NID_info_access))
		return LINT_PASS;
	/* BR 7.1.2.8.3: any method but id-ad-ocsp MUST NOT; AIA at all is NOT RECOMMENDED */
	if (chk_aia_format(c, &upper_only) == LINT_FAIL)
		return LINT_FAIL;
	c->sev = CER_LINT_WARNING;
	return cer_lint_failf(c, "authorityInfoAccess present (NOT RECOMMENDED)");
}

/* ---- Boulder ---- */

static int
chk_boulder_goodkey(struct cer_lint_ctx *c, const void *arg)
{
	BIGNUM *n = NULL, *e = NULL;
	int bits, ok, curve;

	(void)arg;
	if (c->pub == NULL)
		return cer_lint_failf(c, "the public key does not parse");
	if (EVP_PKEY_get_base_id(c->pub) == EVP_PKEY_EC) {
		curve = spki_curve(c->cert);
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

	if (chk_ca_subject_attrs(c, arg) == LINT_FAIL)
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
	long ku = key_usage(c->cert);

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
	double d = validity_days(c->cert);

	(void)arg;
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
	    "2.23.140.1.2.1") != 0)
		return cer_lint_failf(c, "policies are not exactly [2.23.140.1.2.1]");
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

/* ---- the table ---- */

#define E CER_LINT_ERROR
#define W CER_LINT_WARNING
#define N CER_LINT_NOTICE

#define ALG(i, cite, d) { algs[i].id, E, cite, P_ALL, chk_alg_row, &algs[i], d }
#define CRIT(id, sev, k, d) { id, sev, "BR 7.1.2 profile tables; RFC 5280 4.2", P_ALL, \
	chk_crit, &k, d }

const struct cer_lint_rule cer_lint_cert_rules[] = {
	/* §0 */
	{ "cert.x509_v3", E, "BR 7.1.1; RFC 5280 4.1.2.1", P_ALL, chk_x509_v3, NULL,
	    "version is v3" },
	{ "cert.serial_range", E, "BR 7.1.2.1; RFC 5280 4.1.2.2", P_ALL, chk_serial_range, NULL,
	    "serial is positive and at most 20 octets" },
	{ "cert.serial_random", E, "BR 7.1.2.1; MRSP 5.2", P_ALL, chk_serial_random, NULL,
	    "serial has at least 64 bits and looks random" },
	{ "cert.no_unique_ids", E, "BR profile tables; RFC 5280 4.1.2.8", P_ALL,
	    chk_no_unique_ids, NULL, "no issuerUniqueID or subjectUniqueID" },
	{ "cert.sigalg_identical", E, "RFC 5280 4.1.1.2, 4.1.2.3", P_ALL, chk_sigalg_identical,
	    NULL, "signatureAlgorithm is byte-identical to tbsCertificate.signature" },
	{ "cert.sigalg_allowed", E, "BR 7.1.3.2; MRSP 5.1.1, 5.1.2", P_ALL, chk_sigalg_allowed,
	    NULL, "signature AlgorithmIdentifier is one of table A" },
	{ "cert.sigalg_matches_signer", E, "BR 7.1.3.2.1-7.1.3.2.2", P_ALL,
	    chk_sigalg_matches_signer, NULL, "signature algorithm fits the issuer's key" },
	{ "cert.no_sha1", E, "BR 7.1.3.2.1; MRSP 5.1.3", P_ALL, chk_no_sha1, NULL,
	    "no SHA-1 signature" },
	{ "cert.signature", E, "RFC 5280 4.1.1.3; BR 4.3.1.3", P_ALL, chk_signature, NULL,
	    "signature verifies under the issuer's key (skip when linting a throwaway-signed TBS)" },
	{ "cert.spki_encoding", E, "BR 7.1.3.1; MRSP 5.1.1-5.1.2", P_ALL, chk_spki_encoding,
	    NULL, "SPKI AlgorithmIdentifier is one of table A" },
	{ "cert.key_rsa", E, "BR 6.1.5; MRSP 5.1", P_ALL, chk_rsa, &k_size,
	    "RSA modulus of 2048 to 8192 bits, a multiple of 8" },
	{ "cert.key_ec", E, "BR 6.1.5; MRSP 5.1", P_ALL, chk_key_ec, NULL,
	    "key is RSA or ECDSA on P-256, P-384 or P-521" },
	{ "cert.rsa_exponent", E, "BR 6.1.6; MRSP 5.2", P_ALL, chk_rsa, &k_exp,
	    "RSA exponent odd, in 2^16+1..2^256-1" },
	{ "cert.rsa_modulus_quality", E, "BR 6.1.6 (NIST SP 800-89 5.3.3)", P_ALL, chk_rsa,
	    &k_quality, "RSA modulus odd, no factor below 752, not prime or a prime power" },
	{ "key.rsa_fermat", E, "BR 6.1.6; Boulder goodkey", P_ALL, chk_rsa, &k_fermat,
	    "RSA modulus resists 110 rounds of Fermat factorisation" },
	{ "key.rsa_roca", E, "BR 6.1.6; Boulder goodkey (CVE-2017-15361)", P_ALL, chk_rsa,
	    &k_roca, "RSA modulus lacks the ROCA fingerprint" },
	{ "cert.ec_key_validation", E, "BR 6.1.6 (SP 800-56A 5.6.2.3.3)", P_ALL,
	    chk_ec_validation, NULL, "EC point on the curve, in range, of the group's order" },
	{ "cert.issuer_bytes", E, "BR 7.1.4.1; RFC 5280 4.1.2.4", P_ALL, chk_issuer_bytes, NULL,
	    "issuer DN byte-identical to the issuing CA's subject" },
	{ "cert.rdn_shape", E, "BR 7.1.4.1, 7.1.2.10.2", P_ALL, chk_rdn_shape, NULL,
	    "one attribute per RDN, no attribute repeated" },
	{ "cert.rdn_order", E, "BR 7.1.4.1-7.1.4.2", P_ALL, chk_rdn_order, NULL,
	    "subject RDNs in BR order" },
	{ "cert.attr_encoding", E, "BR 7.1.4.2; RFC 5280 4.1.2.4", P_ALL, chk_attr_encoding, NULL,
	    "subject attribute types, lengths and alphabets" },
	{ "cert.ca_subject_attrs", E, "BR 7.1.2.10.2, 7.1.2.8", P_ALL, chk_ca_subject_attrs, NULL,
	    "subject has countryName, organizationName and commonName" },
	{ "cert.ca_subject_other_attrs", W, "BR 7.1.2.10.2", P_ALL, chk_ca_subject_other, NULL,
	    "subject holds no attributes beyond C, ST, L, postalCode, street, O, CN" },
	{ "cert.time_encoding", E, "RFC 5280 4.1.2.5", P_ALL, chk_time_encoding, NULL,
	    "UTCTime through 2049, GeneralizedTime from 2050" },
	{ "cert.notbefore_window", E, "BR 7.1.2.10.1, 7.1.2.8.1", P_ANYSUB | P_OCSP, chk_notbefore,
	    NULL, "notBefore within one day before the signing time" },
	{ "cert.notafter_after_signing", E, "BR 7.1.2.10.1, 7.1.2.8.1", P_ALL, chk_notafter,
	    NULL, "notAfter at or after the signing time" },
	{ "cert.ext_once", E, "RFC 5280 4.2", P_ALL, chk_ext_once, NULL,
	    "no extension appears twice" },
	{ "cert.ext_der", E, "BR 7.1.2.11.5; X.690 11.5, 11.2.2", P_ALL, chk_ext_der, NULL,
	    "extensions parse, keyUsage minimal, TBS is DER" },
	{ "cert.aki", E, "BR 7.1.2.11.1; RFC 5280 4.2.1.1", P_NONROOT, chk_aki, NULL,
	    "AKI present, keyIdentifier only, equal to the issuer's SKI" },
	{ "cert.ski", E, "BR 7.1.2.11.4; RFC 5280 4.2.1.2; RFC 7093", P_ALL, chk_ski, NULL,
	    "SKI derived from the public key" },
	{ "cert.cdp_format", E, "BR 7.1.2.11.2", P_ALL, chk_cdp_format, NULL,
	    "CRL DP: fullName http:// URIs only" },
	{ "cert.aia_format", E, "BR 7.1.2.10.3; RFC 5280 4.2.2.1", P_CAS, chk_aia_format, NULL,
	    "AIA: id-ad-ocsp and id-ad-caIssuers http:// URIs only" },
	{ "cert.cp_qualifiers", E, "BR 7.1.2.10.5; RFC 5280 4.2.1.4", P_ALL, chk_cp_qualifiers,
	    NULL, "policy qualifiers only id-qt-cps HTTP URLs; no policy repeated" },
	{ "cert.cp_no_qualifiers", W, "BR 7.1.2.10.5", P_ALL, chk_cp_no_qualifiers, NULL,
	    "no policyQualifiers (NOT RECOMMENDED)" },
	{ "cert.nc_format", E, "BR 7.1.2.10.8; RFC 5280 4.2.1.10", P_ALL, chk_nc_format, NULL,
	    "nameConstraints not empty, no minimum or maximum" },
	{ "cert.other_ext", W, "BR 7.1.2.11.5", P_NONROOT, chk_other_ext, NULL,
	    "no extension the profile does not list" },
	/* table A */
	ALG(0, "BR 7.1.3.1.1; MRSP 5.1.1", "rsaEncryption SPKI encoded exactly"),
	ALG(1, "BR 7.1.3.1.2; MRSP 5.1.2", "P-256 SPKI encoded exactly"),
	ALG(2, "BR 7.1.3.1.2; MRSP 5.1.2", "P-384 SPKI encoded exactly"),
	ALG(3, "BR 7.1.3.1.2; MRSP 5.1.2", "P-521 SPKI encoded exactly"),
	ALG(4, "BR 7.1.3.2.1; MRSP 5.1.1", "sha256WithRSAEncryption encoded with NULL"),
	ALG(5, "BR 7.1.3.2.1; MRSP 5.1.1", "sha384WithRSAEncryption encoded with NULL"),
	ALG(6, "BR 7.1.3.2.1; MRSP 5.1.1", "sha512WithRSAEncryption encoded with NULL"),
	ALG(7, "BR 7.1.3.2.1; MRSP 5.1.1", "RSASSA-PSS SHA-256 encoded exactly"),
	ALG(8, "BR 7.1.3.2.1; MRSP 5.1.1", "RSASSA-PSS SHA-384 encoded exactly"),
	ALG(9, "BR 7.1.3.2.1; MRSP 5.1.1", "RSASSA-PSS SHA-512 encoded exactly"),
	ALG(10, "BR 7.1.3.2.2; MRSP 5.1.2", "ecdsa-with-SHA256 encoded without parameters"),
	ALG(11, "BR 7.1.3.2.2; MRSP 5.1.2", "ecdsa-with-SHA384 encoded without parameters"),
	ALG(12, "BR 7.1.3.2.2; MRSP 5.1.2", "ecdsa-with-SHA512 encoded without parameters"),
	/* table B: criticality when present */
	CRIT("ext.aki", E, crit_aki, "authorityKeyIdentifier is non-critical"),
	CRIT("ext.bc", E, crit_bc, "basicConstraints is critical"),
	CRIT("ext.ku", E, crit_ku, "keyUsage is critical"),
	CRIT("ext.ski", E, crit_ski, "subjectKeyIdentifier is non-critical"),
	CRIT("ext.eku", E, crit_eku, "extKeyUsage is non-critical in CA certificates"),
	CRIT("ext.cp", E, crit_cp, "certificatePolicies is non-critical"),
	CRIT("ext.crldp", E, crit_cdp, "cRLDistributionPoints is non-critical"),
	CRIT("ext.aia", E, crit_aia, "authorityInfoAccess is non-critical"),
	CRIT("ext.nc", W, crit_nc, "nameConstraints SHOULD be critical"),
	CRIT("ext.nocheck", E, crit_nocheck, "id-pkix-ocsp-nocheck is non-critical"),
	CRIT("ext.sct", E, crit_sct, "the SCT list is non-critical"),
	/* (a) root */
	{ "root.issuer_eq_subject", E, "BR 7.1.2.1", P_ROOT, chk_issuer_eq_subject, NULL,
	    "issuer byte-identical to subject" },
	{ "root.validity_range", E, "BR 7.1.2.1.1", P_ROOT, chk_root_validity, NULL,
	    "validity 2922 to 9132 days inclusive" },
	{ "root.notbefore", E, "BR 7.1.2.1.1", P_ROOT, chk_notbefore, NULL,
	    "notBefore within one day before the signing time" },
	{ "root.bc", E, "BR 7.1.2.1.2, 7.1.2.1.4", P_ROOT, chk_bc_ca, NULL,
	    "basicConstraints present with cA TRUE" },
	{ "root.pathlen", W, "BR 7.1.2.1.4", P_ROOT, chk_root_pathlen, NULL,
	    "no pathLenConstraint (NOT RECOMMENDED)" },
	{ "root.ku", E, "BR 7.1.2.1.2, 7.1.2.10.7", P_ROOT, chk_ca_ku, NULL,
	    "keyUsage keyCertSign and cRLSign, optionally digitalSignature, nothing else" },
	{ "root.ku_digsig_for_ocsp", N, "BR 7.1.2.10.7", P_ROOT, chk_ku_digsig, NULL,
	    "without digitalSignature the key must not sign OCSP responses" },
	{ "root.ski", E, "BR 7.1.2.1.2; RFC 5280 4.2.1.2", P_ROOT, chk_presence, &need_ski,
	    "SKI present" },
	{ "root.aki", W, "BR 7.1.2.1.2-7.1.2.1.3", P_ROOT, chk_root_aki, NULL,
	    "AKI (RECOMMENDED) equals the root's own SKI, keyIdentifier only" },
	{ "root.no_eku", E, "BR 7.1.2.1.2", P_ROOT, chk_presence, &no_eku, "no extKeyUsage" },
	{ "root.no_cp", W, "BR 7.1.2.1.2", P_ROOT, chk_presence, &no_cp,
	    "no certificatePolicies (NOT RECOMMENDED)" },
	{ "root.no_cdp", W, "BR 7.1.2.11.2", P_ROOT, chk_presence, &no_cdp,
	    "no cRLDistributionPoints (SHOULD NOT)" },
	{ "root.no_other_ext", W, "BR 7.1.2.1.2", P_ROOT, chk_other_ext, NULL,
	    "only AKI, BC, KU, SKI, CP and the SCT list" },
	{ "root.no_ou", E, "BR 7.1.2.10.2", P_ROOT, chk_no_ou, NULL, "no organizationalUnitName" },
	/* (b) subordinate */
	{ "subca.profile", E, "BR 7.1.2, 7.1.2.4", P_SUBS, chk_subca_profile, NULL,
	    "not a Precertificate Signing CA (from 2026-03-15)" },
	{ "subca.validity", W, "CRP 1.3.1.3", P_SUBS, chk_subca_validity, NULL,
	    "validity at most 3 years (Chrome SHOULD)" },
	{ "subca.bc", E, "BR 7.1.2.10.4; RFC 5280 4.2.1.9", P_ANYSUB, chk_bc_ca, NULL,
	    "basicConstraints cA TRUE; pathLen >= 0 and only with keyCertSign" },
	{ "subca.ku", E, "BR 7.1.2.10.7", P_ANYSUB, chk_ca_ku, NULL,
	    "keyUsage keyCertSign and cRLSign, optionally digitalSignature, nothing else" },
	{ "subca.aki_ski", E, "BR 7.1.2.6.1, 7.1.2.5.1", P_ANYSUB, chk_aki_ski, NULL,
	    "AKI and SKI present" },
	{ "subca.cdp", E, "BR 7.1.2.11.2", P_ANYSUB, chk_presence, &need_cdp,
	    "cRLDistributionPoints present" },
	{ "subca.aia", W, "BR 7.1.2.6.1, 7.1.2.10.3", P_ANYSUB, chk_presence, &need_aia,
	    "authorityInfoAccess present (SHOULD)" },
	{ "subca.cp_present", E, "BR 7.1.2.6.1, 7.1.2.5.1, 7.1.2.10.5", P_SUBS, chk_cp_present,
	    NULL, "certificatePolicies with at least one policy" },
	{ "subca.cp_anypolicy", E, "BR 7.1.2.10.5", P_SUBS, chk_cp_anypolicy, NULL,
	    "anyPolicy only as the sole policy" },
	{ "subca.cp_reserved", E, "BR 7.1.2.10.5, 7.1.6.1", P_SUBS, chk_cp_reserved, NULL,
	    "exactly one Reserved CP OID unless anyPolicy" },
	{ "subca.cp_reserved_first", N, "BR 7.1.2.10.5", P_SUBS, chk_cp_reserved_first, NULL,
	    "the Reserved CP OID comes first (RECOMMENDED)" },
	{ "subca.eku_present", E, "BR 7.1.2.6.1, 7.1.2.5.1; MRSP 5.3", P_ANYSUB, chk_presence,
	    &need_eku, "extKeyUsage present" },
	{ "subca.eku_br", E, "BR 7.1.2.10.6", P_SUBS, chk_eku_br, NULL,
	    "serverAuth present; no codeSigning, emailProtection, timeStamping, OCSPSigning, "
	    "anyEKU, precert" },
	{ "subca.eku_chrome", E, "CRP 1.3.2, 2.3", P_SUBS, chk_eku_chrome, NULL,
	    "EKU serverAuth only (serverAuth + clientAuth before 2026-06-15)" },
	{ "subca.eku_mozilla", E, "MRSP 7.5.1, 5.3", P_SUBS | P_CROSS, chk_eku_mozilla, NULL,
	    "no anyEKU; never serverAuth with emailProtection" },
	{ "subca.no_ou", E, "BR 7.1.2.10.2", P_SUBS, chk_no_ou, NULL,
	    "no organizationalUnitName" },
	{ "subca.nc_optional", W, "BR 7.1.2.10.8", P_SUB, chk_nc_types, NULL,
	    "nameConstraints only dNSName, iPAddress, directoryName" },
	{ "subca.tc_nc_required", E, "BR 7.1.2.5.1-7.1.2.5.2; MRSP 5.3.1", P_TC,
	    chk_tc_nc_required, NULL, "TC: nameConstraints with directoryName and dNSName" },
	{ "subca.tc_nc_exclusions", E, "BR 7.1.2.5.2", P_TC, chk_tc_nc_exclusions, NULL,
	    "TC: unpermitted IPv4/IPv6 ranges excluded with all-zero iPAddress" },
	{ "subca.tc_nc_types", E, "BR 7.1.2.5.2", P_TC, chk_nc_types, NULL,
	    "TC: only dNSName, iPAddress, directoryName" },
	{ "subca.tcnontls_eku", E, "BR 7.1.2.3.3", P_TCN, chk_tcnontls_eku, NULL,
	    "TC non-TLS: EKU without serverAuth, OCSPSigning, anyEKU, precert" },
	{ "subca.tcnontls_cp", E, "BR 7.1.2.3.2", P_TCN, chk_tcnontls_cp, NULL,
	    "TC non-TLS: anyPolicy alone or CA-defined OIDs only, no Reserved OID" },
	/* (c) cross */
	{ "cross.notbefore", E, "BR 7.1.2.2.1", P_CROSS, chk_notbefore, &upper_only,
	    "notBefore not after the signing time" },
	{ "cross.ext", E, "BR 7.1.2.2.3, 7.1.2.10.4, 7.1.2.10.7", P_CROSS, chk_cross_ext, NULL,
	    "AKI, BC, CP, CRL DP, KU, SKI present; AIA SHOULD" },
	{ "cross.bc", E, "BR 7.1.2.2.3, 7.1.2.10.4", P_CROSS, chk_bc_ca, NULL,
	    "basicConstraints cA TRUE" },
	{ "cross.ku", E, "BR 7.1.2.2.3, 7.1.2.10.7", P_CROSS, chk_ca_ku, NULL,
	    "keyUsage keyCertSign and cRLSign, optionally digitalSignature" },
	{ "cross.eku_unrestricted", E, "BR 7.1.2.2.3-7.1.2.2.4", P_CROSS,
	    chk_cross_eku_unrestricted, NULL, "EKU present; anyEKU only alone" },
	{ "cross.eku_restricted_tls", E, "BR 7.1.2.2.5", P_CROSS, chk_cross_eku_tls, NULL,
	    "with serverAuth: no emailProtection, codeSigning, timeStamping, anyEKU" },
	{ "cross.eku_programs", W, "CRP 1.3.2; MRSP 5.3, 7.5.1", P_CROSS, chk_cross_eku_programs,
	    NULL, "EKU [serverAuth] for Chrome and Mozilla hierarchies" },
	{ "cross.cp", E, "BR 7.1.2.2.6", P_CROSS, chk_cross_cp, NULL,
	    "policies present; anyPolicy alone or a Reserved CP OID" },
	/* (d) OCSP responder */
	{ "ocspcert.eku", E, "BR 7.1.2.8.5; RFC 6960 4.2.2.2", P_OCSP, chk_ocsp_eku, NULL,
	    "EKU exactly id-kp-OCSPSigning" },
	{ "ocspcert.nocheck", E, "BR 7.1.2.8.6; RFC 6960 4.2.2.2.1", P_OCSP, chk_ocsp_nocheck,
	    NULL, "id-pkix-ocsp-nocheck present, non-critical, 0500" },
	{ "ocspcert.ku", E, "BR 7.1.2.8.7", P_OCSP, chk_ocsp_ku, NULL,
	    "keyUsage critical, digitalSignature only" },
	{ "ocspcert.bc", E, "BR 7.1.2.8.4", P_OCSP, chk_ocsp_bc, NULL,
	    "basicConstraints absent, or critical and exactly 3000" },
	{ "ocspcert.aki_ski", E, "BR 7.1.2.8.2", P_OCSP, chk_aki_ski, NULL,
	    "AKI present (MUST), SKI present (SHOULD)" },
	{ "ocspcert.no_cdp", E, "BR 7.1.2.8.2, 7.1.2.11.2", P_OCSP, chk_presence, &no_cdp,
	    "no cRLDistributionPoints" },
	{ "ocspcert.no_nc_san", E, "BR 7.1.2.8.2", P_OCSP, chk_ocsp_no_nc_san, NULL,
	    "no nameConstraints or subjectAltName" },
	{ "ocspcert.aia", E, "BR 7.1.2.8.3; RFC 5019 2.2.2", P_OCSP, chk_ocsp_aia, NULL,
	    "no AIA (NOT RECOMMENDED: a warning); if present id-ad-ocsp only (MUST NOT other methods)" },
	{ "ocspcert.cp", W, "BR 7.1.2.8.8", P_OCSP, chk_presence, &no_cp,
	    "no certificatePolicies (SHOULD NOT)" },
	{ "ocspcert.no_sha1", E, "MRSP 5.1.3", P_OCSP, chk_no_sha1, NULL,
	    "no SHA-1 signature over an OCSPSigning certificate" },
	/* (h) Boulder */
	{ "boulder.goodkey", N, "Boulder goodkey", P_ALL, chk_boulder_goodkey, NULL,
	    "RSA 2048/3072/4096 with e = 65537, or ECDSA P-256/P-384" },
	{ "boulder.subject_minimal", N, "Boulder cert.go verifyProfile", P_CAS,
	    chk_boulder_subject, NULL, "subject exactly C, O, CN" },
	{ "boulder.ku_allowlist", N, "Boulder cert.go stringToKeyUsage", P_CAS, chk_boulder_ku,
	    NULL, "keyUsage a subset of digitalSignature, keyCertSign, cRLSign" },
	{ "boulder.sigalg_allowlist", N, "Boulder cert.go AllowedSigAlgs", P_ALL,
	    chk_boulder_sigalg, NULL, "no RSASSA-PSS" },
	{ "boulder.validity_caps", N, "Boulder cert.go makeTemplate; CPS lints", P_CAS,
	    chk_boulder_validity, NULL, "root < 9132 days, intermediate and cross < 2920 days" },
	{ "boulder.pathlen", N, "Boulder cert.go makeTemplate", P_SUBS, chk_boulder_pathlen,
	    NULL, "issuing intermediates have pathLenConstraint 0" },
	{ "boulder.ski", N, "Boulder core GenerateSKID; RFC 7093", P_ALL, chk_boulder_ski, NULL,
	    "SKI is RFC 7093 method 1" },
	{ "boulder.subca_policy_dv", N, "Boulder cert.go verifyProfile", P_SUBS | P_CROSS,
	    chk_boulder_policy_dv, NULL, "policies exactly [2.23.140.1.2.1]" },
	{ "boulder.subca_urls", N, "Boulder cert.go verifyProfile", P_SUBS | P_CROSS,
	    chk_boulder_urls, NULL, "CRL DP and AIA caIssuers present" },
	{ "boulder.serial_rng", N, "Boulder cert.go makeTemplate", P_ALL, chk_boulder_serial,
	    NULL, "serial 0x01 followed by 16 random bytes" },
	{ "boulder.bc_present", N, "Boulder cert.go makeTemplate", P_OCSP, chk_presence,
	    &need_bc, "OCSP responder has basicConstraints cA FALSE (the removed Boulder mode)" },
};

const size_t cer_lint_cert_nrules = sizeof(cer_lint_cert_rules) / sizeof(cer_lint_cert_rules[0]);
