/* lint-util.c: helpers and checks that more than one rule file shares (see lint-int.h). */
#include <stdarg.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/objects.h>

#include "base/br.h"
#include "lint/lint-int.h"

int
cer_lint_failf(struct cer_lint_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
	va_end(ap);
	return LINT_FAIL;
}

/* ---- times ---- */

int
cer_lint_in_force(const struct cer_lint_ctx *c, time_t since)
{
	return since == 0 || c->date == (time_t)-1 || c->date >= since;
}

int
cer_lint_not_in_force(struct cer_lint_ctx *c, time_t since)
{
	char b1[32], b2[32];

	snprintf(c->msg, sizeof(c->msg), "not in force: %s %s is before %s, when this took "
	    "effect", c->crl != NULL ? "thisUpdate" : c->ocsp != NULL ? "producedAt" : "notBefore",
	    cer_lint_fmt_time(c->date, b1), cer_lint_fmt_day(since, b2));
	return LINT_NE;
}

time_t
cer_lint_time(const ASN1_TIME *t)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return (time_t)-1;
	return timegm(&tm);
}

/* t in UTC as strftime's fmt, or "?". */
static const char *
fmt_utc(time_t t, const char *fmt, char buf[static 32])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, 32, fmt, &tm) == 0)
		snprintf(buf, 32, "?");
	return buf;
}

const char *
cer_lint_fmt_time(time_t t, char buf[static 32])
{
	return fmt_utc(t, "%Y-%m-%d %H:%M:%S", buf);
}

const char *
cer_lint_fmt_day(time_t t, char buf[static 32])
{
	return fmt_utc(t, "%Y-%m-%d", buf);
}

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

double
cer_lint_validity_days(const X509 *x)
{
	time_t nb = cer_lint_time(X509_get0_notBefore(x)), na = cer_lint_time(X509_get0_notAfter(x));

	return ((double)na - (double)nb + 1) / CER_BR_DAY;
}

/* ---- names and OIDs ---- */

int
cer_lint_name_eq(const X509_NAME *a, const X509_NAME *b)
{
	const unsigned char *da, *db;
	size_t la, lb;

	return X509_NAME_get0_der(a, &da, &la) == 1 && X509_NAME_get0_der(b, &db, &lb) == 1 &&
	    la == lb && memcmp(da, db, la) == 0;
}

int
cer_lint_subject_has(const X509 *x, int nid)
{
	return X509_NAME_get_index_by_NID(X509_get_subject_name(x), nid, -1) >= 0;
}

int
cer_lint_self_issued(const struct cer_lint_ctx *c)
{
	return c->issuer == c->cert;
}

const char *
cer_lint_oid(const ASN1_OBJECT *obj, char *buf, size_t n)
{
	if (OBJ_obj2txt(buf, (int)n, obj, 1) <= 0)
		snprintf(buf, n, "?");
	return buf;
}

/* ---- table A: algorithm identifiers ---- */

const struct cer_lint_alg cer_lint_algs[] = {
	{ CER_LINT_ALG_SPKI, NID_rsaEncryption, 0, "300d06092a864886f70d0101010500" },
	{ CER_LINT_ALG_SPKI, NID_X9_62_id_ecPublicKey, NID_X9_62_prime256v1,
	    "301306072a8648ce3d020106082a8648ce3d030107" },
	{ CER_LINT_ALG_SPKI, NID_X9_62_id_ecPublicKey, NID_secp384r1,
	    "301006072a8648ce3d020106052b81040022" },
	{ CER_LINT_ALG_SPKI, NID_X9_62_id_ecPublicKey, NID_secp521r1,
	    "301006072a8648ce3d020106052b81040023" },
	{ CER_LINT_ALG_SIG, NID_sha256WithRSAEncryption, 0, "300d06092a864886f70d01010b0500" },
	{ CER_LINT_ALG_SIG, NID_sha384WithRSAEncryption, 0, "300d06092a864886f70d01010c0500" },
	{ CER_LINT_ALG_SIG, NID_sha512WithRSAEncryption, 0, "300d06092a864886f70d01010d0500" },
	{ CER_LINT_ALG_SIG, NID_rsassaPss, NID_sha256,
	    "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a0609"
	    "2a864886f70d010108300d06096086480165030402010500a203020120" },
	{ CER_LINT_ALG_SIG, NID_rsassaPss, NID_sha384,
	    "304106092a864886f70d01010a3034a00f300d06096086480165030402020500a11c301a0609"
	    "2a864886f70d010108300d06096086480165030402020500a203020130" },
	{ CER_LINT_ALG_SIG, NID_rsassaPss, NID_sha512,
	    "304106092a864886f70d01010a3034a00f300d06096086480165030402030500a11c301a0609"
	    "2a864886f70d010108300d06096086480165030402030500a203020140" },
	{ CER_LINT_ALG_SIG, NID_ecdsa_with_SHA256, 0, "300a06082a8648ce3d040302" },
	{ CER_LINT_ALG_SIG, NID_ecdsa_with_SHA384, 0, "300a06082a8648ce3d040303" },
	{ CER_LINT_ALG_SIG, NID_ecdsa_with_SHA512, 0, "300a06082a8648ce3d040304" },
};

const size_t cer_lint_nalgs = sizeof(cer_lint_algs) / sizeof(cer_lint_algs[0]);

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

int
cer_lint_algor_is(const X509_ALGOR *a, const char *hex)
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

const struct cer_lint_alg *
cer_lint_alg_match(const X509_ALGOR *a, enum cer_lint_alg_use use)
{
	size_t i;
	int nid, pnid;

	if (a == NULL)
		return NULL;
	nid = OBJ_obj2nid(a->algorithm);
	pnid = algor_param_nid(a);
	for (i = 0; i < cer_lint_nalgs; i++)
		if (cer_lint_algs[i].use == use && cer_lint_algs[i].nid == nid &&
		    (cer_lint_algs[i].param_nid == 0 || cer_lint_algs[i].param_nid == pnid))
			return &cer_lint_algs[i];
	return NULL;
}

/* One of table A's encodings, of the kind asked for. */
static int
is_table_a(const X509_ALGOR *a, enum cer_lint_alg_use use)
{
	const struct cer_lint_alg *row = cer_lint_alg_match(a, use);

	return row != NULL && cer_lint_algor_is(a, row->hex);
}

int
cer_lint_sig_in_table_a(const X509_ALGOR *a)
{
	return is_table_a(a, CER_LINT_ALG_SIG);
}

int
cer_lint_spki_in_table_a(const X509_ALGOR *a)
{
	return is_table_a(a, CER_LINT_ALG_SPKI);
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

const X509_ALGOR *
cer_lint_spki_algor(const X509 *x)
{
	X509_ALGOR *a = NULL;

	if (X509_PUBKEY_get0_param(NULL, NULL, NULL, &a, X509_get_X509_PUBKEY(x)) != 1)
		return NULL;
	return a;
}

/* The curve of an EC SPKI from its parameters: the key may not decode. */
int
cer_lint_spki_curve(const X509 *x)
{
	const X509_ALGOR *a = cer_lint_spki_algor(x);

	if (a == NULL || OBJ_obj2nid(a->algorithm) != NID_X9_62_id_ecPublicKey)
		return NID_undef;
	return algor_param_nid(a);
}

/* ---- extensions ---- */

/* The first extension with this NID, and in *count how often it occurs. */
X509_EXTENSION *
cer_lint_ext_find(const X509 *x, int nid, int *count)
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

int
cer_lint_has_ext(const X509 *x, int nid)
{
	int n;

	return cer_lint_ext_find(x, nid, &n) != NULL;
}

long
cer_lint_key_usage(X509 *x)
{
	if (!cer_lint_has_ext(x, NID_key_usage))
		return -1;
	return (long)X509_get_key_usage(x);
}

int
cer_lint_is_http_uri(const GENERAL_NAME *gn)
{
	const char *s;

	if (gn->type != GEN_URI)
		return 0;
	s = (const char *)ASN1_STRING_get0_data(gn->d.uniformResourceIdentifier);
	return strncmp(s, CER_BR_URL_SCHEME, strlen(CER_BR_URL_SCHEME)) == 0;
}

/* ---- shared checks ---- */

int
cer_lint_chk_presence(struct cer_lint_ctx *c, const void *arg)
{
	const struct cer_lint_presence *k = arg;
	int has = cer_lint_has_ext(c->cert, k->nid);

	if (k->must && !has)
		return cer_lint_failf(c, "%s is missing", k->name);
	if (!k->must && has)
		return cer_lint_failf(c, "%s is present", k->name);
	return LINT_PASS;
}

int
cer_lint_chk_no_sha1(struct cer_lint_ctx *c, const void *arg)
{
	const X509_ALGOR *outer;

	(void)arg;
	X509_get0_signature(NULL, &outer, c->cert);
	if (cer_lint_sig_is_sha1(outer))
		return cer_lint_failf(c, "signed with SHA-1");
	return LINT_PASS;
}

int
cer_lint_chk_notbefore(struct cer_lint_ctx *c, const void *arg)
{
	time_t nb = cer_lint_time(X509_get0_notBefore(c->cert));
	char b1[32], b2[32];

	if (nb == (time_t)-1)
		return cer_lint_failf(c, "notBefore does not parse");
	if (nb > c->at)
		return cer_lint_failf(c, "notBefore %s is after the signing time %s",
		    cer_lint_fmt_time(nb, b1), cer_lint_fmt_time(c->at, b2));
	if (arg == NULL && nb < c->at - CER_BR_NOTBEFORE_BACKDATE)
		return cer_lint_failf(c, "notBefore %s is more than a day before the signing "
		    "time %s", cer_lint_fmt_time(nb, b1), cer_lint_fmt_time(c->at, b2));
	return LINT_PASS;
}

int
cer_lint_chk_ca_subject_attrs(struct cer_lint_ctx *c, const void *arg)
{
	static const int need[] = { NID_countryName, NID_organizationName, NID_commonName };
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!cer_lint_subject_has(c->cert, need[i]))
			return cer_lint_failf(c, "subject lacks %s", OBJ_nid2sn(need[i]));
	return LINT_PASS;
}

int
cer_lint_aki_shape(struct cer_lint_ctx *c, const ASN1_OCTET_STRING *want)
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

int
cer_lint_chk_aki(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!cer_lint_has_ext(c->cert, NID_authority_key_identifier))
		return cer_lint_failf(c, "authorityKeyIdentifier is missing");
	return cer_lint_aki_shape(c, X509_get0_subject_key_id(c->issuer));
}

int
cer_lint_chk_aia_format(struct cer_lint_ctx *c, const void *arg)
{
	int i;

	if (!cer_lint_has_ext(c->cert, NID_info_access))
		return LINT_NA;
	if (c->aia == NULL || sk_ACCESS_DESCRIPTION_num(c->aia) < 1)
		return cer_lint_failf(c, "authorityInfoAccess is empty or does not parse");
	for (i = 0; i < sk_ACCESS_DESCRIPTION_num(c->aia); i++) {
		const ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(c->aia, i);
		int m = OBJ_obj2nid(ad->method);

		if (m != NID_ad_OCSP && (m != NID_ad_ca_issuers || arg != NULL))
			return cer_lint_failf(c, "authorityInfoAccess has an access method other "
			    "than %s", arg != NULL ? "id-ad-ocsp" : "id-ad-ocsp and id-ad-caIssuers");
		if (!cer_lint_is_http_uri(ad->location))
			return cer_lint_failf(c, "an authorityInfoAccess location is not an "
			    "http:// URI");
	}
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

int
cer_lint_chk_other_ext(struct cer_lint_ctx *c, const void *arg)
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
