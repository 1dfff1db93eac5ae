/* lint-cert-ext.c: certificate rules on the shape and format of extensions, in any profile. */
#include <string.h>

#include <openssl/asn1t.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include "base/der.h"
#include "lint/lint-int.h"

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
	X509_EXTENSION *e = cer_lint_ext_find(x, NID_key_usage, &n);

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
 * TBSCertificate (RFC 5280 4.1) with the key left as its algorithm and bit
 * string, and no cached encoding of its own: a parse of the TBS bytes that
 * re-encodes from its fields.  X509_CINF would decode the key (a third of
 * a lint's time when done through X509_dup) and caches its encoding.
 */
typedef struct {
	X509_ALGOR *algor;
	ASN1_BIT_STRING *key;
} LINT_SPKI;

typedef struct {
	ASN1_INTEGER *version;
	ASN1_INTEGER *serial;
	X509_ALGOR *sigalg;
	X509_NAME *issuer;
	X509_VAL *validity;
	X509_NAME *subject;
	LINT_SPKI *spki;
	ASN1_BIT_STRING *issuer_uid, *subject_uid;
	STACK_OF(X509_EXTENSION) *exts;
} LINT_TBS;

ASN1_SEQUENCE(LINT_SPKI) = {
	ASN1_SIMPLE(LINT_SPKI, algor, X509_ALGOR),
	ASN1_SIMPLE(LINT_SPKI, key, ASN1_BIT_STRING)
} static_ASN1_SEQUENCE_END(LINT_SPKI)

ASN1_SEQUENCE(LINT_TBS) = {
	ASN1_EXP_OPT(LINT_TBS, version, ASN1_INTEGER, 0),
	ASN1_SIMPLE(LINT_TBS, serial, ASN1_INTEGER),
	ASN1_SIMPLE(LINT_TBS, sigalg, X509_ALGOR),
	ASN1_SIMPLE(LINT_TBS, issuer, X509_NAME),
	ASN1_SIMPLE(LINT_TBS, validity, X509_VAL),
	ASN1_SIMPLE(LINT_TBS, subject, X509_NAME),
	ASN1_SIMPLE(LINT_TBS, spki, LINT_SPKI),
	ASN1_IMP_OPT(LINT_TBS, issuer_uid, ASN1_BIT_STRING, 1),
	ASN1_IMP_OPT(LINT_TBS, subject_uid, ASN1_BIT_STRING, 2),
	ASN1_EXP_SEQUENCE_OF_OPT(LINT_TBS, exts, X509_EXTENSION, 3)
} static_ASN1_SEQUENCE_END(LINT_TBS)

/*
 * Re-encoding the parsed TBS gives the same bytes only if it was DER:
 * OpenSSL drops an explicit `critical FALSE` and other defaults.  (Names
 * keep the bytes they were parsed from, as they do in an X509.)
 */
static int
tbs_is_der(X509 *x)
{
	unsigned char *der = NULL, *again = NULL;
	const unsigned char *p, *orig = NULL;
	LINT_TBS *tbs = NULL;
	long lo = -1;
	int len, la = -2, eq;

	/* the TBS as parsed: the first element of the certificate's SEQUENCE */
	if ((len = i2d_X509(x, &der)) > 0 && cer_der_tbs(der, len, &orig, &lo) != CER_OK)
		lo = -1;
	if (lo > 0 && (p = orig) != NULL &&
	    (tbs = (LINT_TBS *)ASN1_item_d2i(NULL, &p, lo, ASN1_ITEM_rptr(LINT_TBS))) != NULL &&
	    p == orig + lo)
		la = ASN1_item_i2d((ASN1_VALUE *)tbs, &again, ASN1_ITEM_rptr(LINT_TBS));
	eq = la == lo && memcmp(orig, again, (size_t)lo) == 0;
	ERR_clear_error();
	ASN1_item_free((ASN1_VALUE *)tbs, ASN1_ITEM_rptr(LINT_TBS));
	OPENSSL_free(der);
	OPENSSL_free(again);
	return eq;
}

/*
 * Whether the extension encodes critical FALSE, which DER forbids (the
 * field is DEFAULT FALSE, X.690 11.5).  OpenSSL keeps the explicit value
 * and writes it back, so re-encoding the TBS cannot see it: read the
 * extension's own encoding, SEQUENCE { OID, BOOLEAN?, OCTET STRING }.
 */
static int
critical_false_explicit(X509_EXTENSION *e)
{
	unsigned char *der = NULL;
	const unsigned char *p;
	long len;
	int n, tag, cls, explicit_false = 0;

	if ((n = i2d_X509_EXTENSION(e, &der)) <= 0)
		return 0;
	p = der;
	if (!(ASN1_get_object(&p, &len, &tag, &cls, n) & 0x80) && tag == V_ASN1_SEQUENCE &&
	    !(ASN1_get_object(&p, &len, &tag, &cls, n - (p - der)) & 0x80) &&
	    tag == V_ASN1_OBJECT) {
		p += len;
		explicit_false = p + 3 <= der + n && p[0] == V_ASN1_BOOLEAN && p[1] == 1 &&
		    p[2] == 0;
	}
	OPENSSL_free(der);
	return explicit_false;
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
		if (critical_false_explicit(e))
			return cer_lint_failf(c, "extension %s encodes critical FALSE, a DEFAULT "
			    "value DER leaves out", cer_lint_oid(X509_EXTENSION_get_object(e), buf,
			    sizeof(buf)));
	}
	if (!ku_minimal(c->cert))
		return cer_lint_failf(c, "keyUsage has trailing zero bits or a bad encoding");
	if (!tbs_is_der(c->cert))
		return cer_lint_failf(c, "the TBS is not DER (for example a DEFAULT value "
		    "encoded)");
	return LINT_PASS;
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
	if (!cer_lint_has_ext(c->cert, NID_subject_key_identifier))
		return LINT_NA;
	if (c->ski == NULL)
		return cer_lint_failf(c, "subjectKeyIdentifier does not parse");
	if (ASN1_STRING_length(c->ski) == 0)
		return cer_lint_failf(c, "subjectKeyIdentifier is empty");
	if (!ski_matches(c->cert, c->ski)) {
		/* BR 7.1.2.11.4 allows a large unique random number: only worth a look */
		c->sev = CER_LINT_NOTICE;
		return cer_lint_failf(c, "subjectKeyIdentifier is not derived from the public key "
		    "(RFC 5280 4.2.1.2 method 1 or RFC 7093); BR 7.1.2.11.4 allows a unique "
		    "random value, but its uniqueness cannot be checked from one certificate");
	}
	return LINT_PASS;
}

static int
chk_cdp_format(struct cer_lint_ctx *c, const void *arg)
{
	int i, j;

	(void)arg;
	if (!cer_lint_has_ext(c->cert, NID_crl_distribution_points))
		return LINT_NA;
	if (c->cdp == NULL || sk_DIST_POINT_num(c->cdp) < 1)
		return cer_lint_failf(c, "cRLDistributionPoints is empty or does not parse");
	for (i = 0; i < sk_DIST_POINT_num(c->cdp); i++) {
		const DIST_POINT *dp = sk_DIST_POINT_value(c->cdp, i);

		if (dp->reasons != NULL || dp->CRLissuer != NULL || dp->distpoint == NULL ||
		    dp->distpoint->type != 0)
			return cer_lint_failf(c, "a DistributionPoint holds more than fullName");
		for (j = 0; j < sk_GENERAL_NAME_num(dp->distpoint->name.fullname); j++)
			if (!cer_lint_is_http_uri(sk_GENERAL_NAME_value(dp->distpoint->name.fullname, j)))
				return cer_lint_failf(c, "a CRL distribution point is not an http:// URI");
	}
	return LINT_PASS;
}

static int
chk_cp_qualifiers(struct cer_lint_ctx *c, const void *arg)
{
	int i, j;

	(void)arg;
	if (!cer_lint_has_ext(c->cert, NID_certificate_policies))
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
	if (!cer_lint_has_ext(c->cert, NID_name_constraints))
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

/*
 * A dNSName in preferred name syntax (RFC 5280 4.2.1.6, from RFC 1034 3.5
 * and RFC 1123 2.1): labels of 1 to 63 letters, digits and hyphens, none
 * starting or ending with a hyphen, at most 253 octets in all.  RFC 5280
 * 4.2.1.10 writes a DNS constraint as "host.example.com", which every
 * name with more labels on the left satisfies; the leading-period form
 * ".example.com" belongs to URI and rfc822Name constraints, and verifiers
 * read it differently in a dNSName (a name that no subject can match, or
 * subdomains only).  The empty name is the exclusion of every DNS name,
 * BR 7.1.2.5.2, in excludedSubtrees only.
 */
static int
dns_constraint_ok(const ASN1_IA5STRING *s, int excluded)
{
	const unsigned char *p = ASN1_STRING_get0_data(s);
	int n = ASN1_STRING_length(s), i, label = 0;

	if (n == 0)
		return excluded;
	if (n > 253)
		return 0;
	for (i = 0; i <= n; i++) {
		if (i == n || p[i] == '.') {
			if (label == 0 || label > 63 || p[i - label] == '-' || p[i - 1] == '-')
				return 0;
			label = 0;
		} else if ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
		    (p[i] >= '0' && p[i] <= '9') || p[i] == '-')
			label++;
		else
			return 0;
	}
	return 1;
}

/* The first dNSName of st that is not a valid constraint, or NULL. */
static const ASN1_IA5STRING *
bad_dns_constraint(const STACK_OF(GENERAL_SUBTREE) *st, int excluded)
{
	const GENERAL_NAME *b;
	int i;

	for (i = 0; i < sk_GENERAL_SUBTREE_num(st); i++) {
		b = sk_GENERAL_SUBTREE_value(st, i)->base;
		if (b->type == GEN_DNS && !dns_constraint_ok(b->d.dNSName, excluded))
			return b->d.dNSName;
	}
	return NULL;
}

static int
chk_nc_dns_syntax(struct cer_lint_ctx *c, const void *arg)
{
	const ASN1_IA5STRING *bad;
	int ex, len;

	(void)arg;
	if (c->nc == NULL)
		return LINT_NA;
	for (ex = 0; ex < 2; ex++) {
		if ((bad = bad_dns_constraint(ex ? c->nc->excludedSubtrees :
		    c->nc->permittedSubtrees, ex)) == NULL)
			continue;
		len = ASN1_STRING_length(bad);
		return cer_lint_failf(c, "%s dNSName '%.*s' is not a domain name in preferred name "
		    "syntax%s", ex ? "excluded" : "permitted", len > 80 ? 80 : len,
		    (const char *)ASN1_STRING_get0_data(bad),
		    len > 0 && ASN1_STRING_get0_data(bad)[0] == '.' ?
		    " (no leading period: RFC 5280 4.2.1.10 writes host.example.com)" : "");
	}
	return LINT_PASS;
}

/* BR 1.7.1 for CA certificates; OCSP responder certificates since BR 2.0.0 (7.1.2.8.2). */
static int
chk_aki(struct cer_lint_ctx *c, const void *arg)
{
	if (c->profile == CER_LINT_OCSP_RESPONDER && !cer_lint_in_force(c, CER_DATE_BR_2_0_0))
		return cer_lint_not_in_force(c, CER_DATE_BR_2_0_0);
	return cer_lint_chk_aki(c, arg);
}

#define E CER_LINT_ERROR
#define W CER_LINT_WARNING

const struct cer_lint_rule cer_lint_cert_ext_rules[] = {
	{ "cert.ext_once", E, "RFC 5280 4.2", 0, P_ALL | P_PRIV, chk_ext_once, NULL,
	    "no extension appears twice" },
	{ "cert.ext_der", E, "BR 7.1.2.11.5; X.690 11.5, 11.2.2", 0, P_ALL | P_PRIV,
	    chk_ext_der, NULL,
	    "extensions parse, no explicit critical FALSE, keyUsage minimal, TBS is DER" },
	{ "cert.aki", E, "BR 7.1.2.11.1; RFC 5280 4.2.1.1", CER_DATE_BR_1_7_1, P_NONROOT, chk_aki,
	    NULL, "AKI present, keyIdentifier only, equal to the issuer's SKI" },
	{ "cert.ski", E, "BR 7.1.2.11.4; RFC 5280 4.2.1.2; RFC 7093", 0, P_ALL | P_PRIV,
	    chk_ski, NULL,
	    "SKI present and not empty; derived from the public key (else a notice)" },
	{ "cert.cdp_format", E, "BR 7.1.2.11.2", CER_DATE_BR_2_0_0, P_ALL, chk_cdp_format, NULL,
	    "CRL DP: fullName http:// URIs only" },
	{ "cert.aia_format", E, "BR 7.1.2.10.3; RFC 5280 4.2.2.1", CER_DATE_BR_2_0_0, P_CAS,
	    cer_lint_chk_aia_format, NULL,
	    "AIA: id-ad-ocsp and id-ad-caIssuers http:// URIs only" },
	{ "cert.cp_qualifiers", E, "BR 7.1.2.10.5; RFC 5280 4.2.1.4", CER_DATE_BR_2_0_0, P_ALL,
	    chk_cp_qualifiers, NULL,
	    "policy qualifiers only id-qt-cps HTTP URLs; no policy repeated" },
	{ "cert.cp_no_qualifiers", W, "BR 7.1.2.10.5", CER_DATE_BR_2_0_0, P_ALL,
	    chk_cp_no_qualifiers, NULL, "no policyQualifiers (NOT RECOMMENDED)" },
	{ "cert.nc_format", E, "BR 7.1.2.10.8; RFC 5280 4.2.1.10", 0, P_ALL | P_PRIV,
	    chk_nc_format, NULL,
	    "nameConstraints not empty, no minimum or maximum" },
	{ "cert.nc_dns_syntax", E, "BR 7.1.2.10.8; RFC 5280 4.2.1.10, 4.2.1.6", 0, P_ALL | P_PRIV,
	    chk_nc_dns_syntax, NULL,
	    "nameConstraints dNSNames are domain names in preferred name syntax, no leading "
	    "period; empty only when excluded" },
	{ "cert.other_ext", W, "BR 7.1.2.11.5", CER_DATE_BR_2_0_0, P_NONROOT,
	    cer_lint_chk_other_ext, NULL, "no extension the profile does not list" },
};

const size_t cer_lint_cert_ext_nrules =
    sizeof(cer_lint_cert_ext_rules) / sizeof(cer_lint_cert_ext_rules[0]);
