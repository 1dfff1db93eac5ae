/*
 * lint-crl.c: the rules of profile-rules.md (e) for a CRL, and Boulder's CRL
 * input checks (h).  The CRL's issuer is always known; whether the CRL is
 * about subscriber certificates is told (c->subscriber_crl).
 */
#include <string.h>

#include <openssl/err.h>

#include "base/br.h"
#include "base/util.h"
#include "base/verified.h"
#include "lint/lint-int.h"

/* The CRL extension with this NID, or NULL; *crit its criticality. */
static X509_EXTENSION *
crl_ext(const X509_CRL *crl, int nid, int *crit)
{
	int i = X509_CRL_get_ext_by_NID(crl, nid, -1);
	X509_EXTENSION *e = i >= 0 ? X509_CRL_get_ext(crl, i) : NULL;

	*crit = e != NULL && X509_EXTENSION_get_critical(e);
	return e;
}

/*
 * tbsCertList.signature, read from the DER (3.0 has no getter): the first
 * SEQUENCE inside the TBS, since version is an INTEGER.  Only the headers
 * before it are walked: the generic decoder copied the whole TBS twice,
 * 10 MB of a 100 000-entry CRL at the step's peak of memory.
 */
static X509_ALGOR *
tbs_sigalg(X509_CRL *crl)
{
	unsigned char *der = NULL;
	const unsigned char *p, *end, *at;
	X509_ALGOR *alg = NULL;
	long n;
	int len = i2d_X509_CRL(crl, &der), tag, cls, i;

	p = der;
	end = der + (len > 0 ? len : 0);
	/* into the CertificateList, then into tbsCertList */
	for (i = 0; i < 2 && len > 0; i++)
		if ((ASN1_get_object(&p, &n, &tag, &cls, end - p) & 0x80) || tag != V_ASN1_SEQUENCE)
			goto out;
	while (p < end) {
		at = p;
		if (ASN1_get_object(&p, &n, &tag, &cls, end - p) & 0x80)
			goto out;
		if (tag == V_ASN1_SEQUENCE && cls == V_ASN1_UNIVERSAL) {
			n += (long)(p - at);	/* with its header */
			p = at;
			alg = d2i_X509_ALGOR(NULL, &p, n);
			break;
		}
		p += n;
	}
 out:
	OPENSSL_free(der);
	ERR_clear_error();
	return alg;
}

static int
chk_version(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (X509_CRL_get_version(c->crl) != 1)
		return cer_lint_failf(c, "version is v%ld, not v2", X509_CRL_get_version(c->crl) + 1);
	return LINT_PASS;
}

static int
chk_sigalg(struct cer_lint_ctx *c, const void *arg)
{
	const X509_ALGOR *outer;
	X509_ALGOR *inner = tbs_sigalg(c->crl);
	char buf[80];
	int r;

	(void)arg;
	X509_CRL_get0_signature(c->crl, NULL, &outer);
	if (inner == NULL || !cer_lint_algor_eq(outer, inner))
		r = cer_lint_failf(c, "signatureAlgorithm differs from tbsCertList.signature");
	else if (cer_lint_sig_is_sha1(outer) && !cer_lint_in_force(c, CER_DATE_MRSP_SHA1_CRL))
		r = LINT_PASS;	/* SHA-1 over CRLs: MRSP 5.1.3, from 2023-07-01 */
	else if (cer_lint_sig_is_sha1(outer))
		r = cer_lint_failf(c, "signed with SHA-1");
	else if (!cer_lint_sig_in_table_a(outer))
		r = cer_lint_failf(c, "signature algorithm %s is not one of the encodings of table A",
		    cer_lint_oid(outer->algorithm, buf, sizeof(buf)));
	else
		r = cer_lint_sig_fits_key(c, X509_get0_pubkey(c->issuer), outer);
	X509_ALGOR_free(inner);
	return r;
}

static int
chk_signature(struct cer_lint_ctx *c, const void *arg)
{
	EVP_PKEY *ik = X509_get0_pubkey(c->issuer);

	(void)arg;
	if (cer_verified_seen_asn1(c->crl, ASN1_ITEM_rptr(X509_CRL), ik))
		return LINT_PASS;
	if (ik == NULL || X509_CRL_verify(c->crl, ik) != 1)
		return cer_lint_failf(c, "the signature does not verify under the issuer's key");
	return LINT_PASS;
}

static int
chk_signer_key(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (X509_get_ext_by_NID(c->issuer, NID_key_usage, -1) >= 0 &&
	    !(X509_get_key_usage(c->issuer) & KU_CRL_SIGN))
		return cer_lint_failf(c, "the issuer certificate does not assert cRLSign");
	return LINT_PASS;
}

static int
chk_issuer(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!cer_lint_name_eq(X509_CRL_get_issuer(c->crl), X509_get_subject_name(c->issuer)))
		return cer_lint_failf(c, "issuer is not byte-identical to the issuing CA's subject");
	return LINT_PASS;
}

static int
chk_thisupdate(struct cer_lint_ctx *c, const void *arg)
{
	time_t t = cer_lint_time(X509_CRL_get0_lastUpdate(c->crl));
	char b1[32], b2[32];

	(void)arg;
	if (t == (time_t)-1)
		return cer_lint_failf(c, "thisUpdate does not parse");
	if (t > c->at)
		return cer_lint_failf(c, "thisUpdate %s is after the signing time %s",
		    cer_lint_fmt_time(t, b1), cer_lint_fmt_time(c->at, b2));
	return LINT_PASS;
}

static int
chk_nextupdate(struct cer_lint_ctx *c, const void *arg)
{
	const ASN1_TIME *nu = X509_CRL_get0_nextUpdate(c->crl);

	(void)arg;
	if (nu == NULL)
		return cer_lint_failf(c, "nextUpdate is absent");
	if (cer_lint_time(nu) <= cer_lint_time(X509_CRL_get0_lastUpdate(c->crl)))
		return cer_lint_failf(c, "nextUpdate is not later than thisUpdate");
	return LINT_PASS;
}

static int
chk_nextupdate_ca(struct cer_lint_ctx *c, const void *arg)
{
	const ASN1_TIME *nu = X509_CRL_get0_nextUpdate(c->crl);
	time_t tu = cer_lint_time(X509_CRL_get0_lastUpdate(c->crl));

	(void)arg;
	if (nu == NULL)
		return LINT_NA;
	if (cer_lint_time(nu) > cer_time_plus_months(tu, CER_BR_CRL_CA_MAX_MONTHS))
		return cer_lint_failf(c, "nextUpdate is more than 12 months after thisUpdate");
	return LINT_PASS;
}

static int
chk_nextupdate_subscriber(struct cer_lint_ctx *c, const void *arg)
{
	const ASN1_TIME *nu = X509_CRL_get0_nextUpdate(c->crl);
	time_t tu = cer_lint_time(X509_CRL_get0_lastUpdate(c->crl));

	(void)arg;
	if (!c->subscriber_crl || nu == NULL)
		return LINT_NA;
	if (cer_lint_time(nu) - tu > CER_BR_CRL_SUBSCRIBER_MAX_DAYS * CER_BR_DAY)
		return cer_lint_failf(c, "nextUpdate is more than %d days after thisUpdate, in a "
		    "CRL about subscriber certificates", CER_BR_CRL_SUBSCRIBER_MAX_DAYS);
	return LINT_PASS;
}

static int
chk_time_encoding(struct cer_lint_ctx *c, const void *arg)
{
	STACK_OF(X509_REVOKED) *rev = X509_CRL_get_REVOKED(c->crl);
	const ASN1_TIME *nu = X509_CRL_get0_nextUpdate(c->crl);
	int i;

	(void)arg;
	if (!cer_lint_time_ok(X509_CRL_get0_lastUpdate(c->crl)) ||
	    (nu != NULL && !cer_lint_time_ok(nu)))
		return cer_lint_failf(c, "thisUpdate or nextUpdate is not UTCTime through 2049 / "
		    "GeneralizedTime from 2050");
	for (i = 0; i < sk_X509_REVOKED_num(rev); i++)
		if (!cer_lint_time_ok(X509_REVOKED_get0_revocationDate(sk_X509_REVOKED_value(rev, i))))
			return cer_lint_failf(c, "a revocationDate is badly encoded");
	return LINT_PASS;
}

static int
chk_aki(struct cer_lint_ctx *c, const void *arg)
{
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(c->issuer);
	int crit;

	(void)arg;
	if (crl_ext(c->crl, NID_authority_key_identifier, &crit) == NULL)
		return cer_lint_failf(c, "authorityKeyIdentifier is missing");
	if (crit)
		return cer_lint_failf(c, "authorityKeyIdentifier is critical");
	if (c->aki == NULL || c->aki->keyid == NULL || c->aki->issuer != NULL ||
	    c->aki->serial != NULL)
		return cer_lint_failf(c, "authorityKeyIdentifier does not hold keyIdentifier alone");
	if (ski != NULL && ASN1_OCTET_STRING_cmp(c->aki->keyid, ski) != 0)
		return cer_lint_failf(c, "authorityKeyIdentifier differs from the issuer's SKI");
	return LINT_PASS;
}

static int
chk_number(struct cer_lint_ctx *c, const void *arg)
{
	ASN1_INTEGER *n;
	BIGNUM *bn = NULL;
	int crit, r = LINT_PASS;

	(void)arg;
	if (crl_ext(c->crl, NID_crl_number, &crit) == NULL)
		return cer_lint_failf(c, "cRLNumber is missing");
	if (crit)
		return cer_lint_failf(c, "cRLNumber is critical");
	if ((n = X509_CRL_get_ext_d2i(c->crl, NID_crl_number, NULL, NULL)) == NULL ||
	    (bn = ASN1_INTEGER_to_BN(n, NULL)) == NULL)
		r = cer_lint_failf(c, "cRLNumber does not parse");
	else if (BN_is_negative(bn) || BN_num_bits(bn) > 159)
		r = cer_lint_failf(c, "cRLNumber is negative or longer than 20 octets");
	BN_free(bn);
	ASN1_INTEGER_free(n);
	ERR_clear_error();
	return r;
}

static int
chk_idp_full(struct cer_lint_ctx *c, const void *arg)
{
	int crit;

	(void)arg;
	if (crl_ext(c->crl, NID_issuing_distribution_point, &crit) != NULL)
		return cer_lint_failf(c, "issuingDistributionPoint present: NOT RECOMMENDED on a "
		    "full-and-complete CRL");
	return LINT_PASS;
}

static int
chk_idp_partitioned(struct cer_lint_ctx *c, const void *arg)
{
	GENERAL_NAMES *names;
	int crit, i;

	(void)arg;
	if (crl_ext(c->crl, NID_issuing_distribution_point, &crit) == NULL)
		return LINT_NA;
	if (!crit)
		return cer_lint_failf(c, "issuingDistributionPoint is not critical");
	if (c->idp != NULL && c->idp->distpoint == NULL && c->idp->onlyCA > 0 &&
	    c->idp->onlyuser <= 0 && c->idp->onlysomereasons == NULL && c->idp->indirectCRL <= 0 &&
	    X509_check_issued(c->issuer, c->issuer) == X509_V_OK) {
		/*
		 * A root's CA-only CRL is full and complete when the root issued no
		 * end-entity certificate (an OCSP responder's): the file cannot say
		 * which, so this is a warning (Boulder's and Let's Encrypt's root CRLs).
		 */
		c->sev = CER_LINT_WARNING;
		return cer_lint_failf(c, "issuingDistributionPoint says onlyContainsCACerts without "
		    "a distributionPoint: full and complete only if this root issued no "
		    "end-entity certificate (such as an OCSP responder's); otherwise the CRL is "
		    "partitioned and needs a distributionPoint fullName (BR 7.2.2.1, MRSP 6.1.2)");
	}
	if (c->idp == NULL || c->idp->distpoint == NULL || c->idp->distpoint->type != 0)
		return cer_lint_failf(c, "issuingDistributionPoint has no distributionPoint fullName");
	names = c->idp->distpoint->name.fullname;
	/* URIs alone: BR 2.0.1 7.2.2.1 */
	for (i = 0; cer_lint_in_force(c, CER_DATE_BR_CRL_PROFILE) && i < sk_GENERAL_NAME_num(names);
	    i++)
		if (sk_GENERAL_NAME_value(names, i)->type != GEN_URI)
			return cer_lint_failf(c, "issuingDistributionPoint fullName holds a non-URI");
	return LINT_PASS;
}

static int
chk_idp_flags(struct cer_lint_ctx *c, const void *arg)
{
	const ISSUING_DIST_POINT *d = c->idp;
	int crit;

	(void)arg;
	if (crl_ext(c->crl, NID_issuing_distribution_point, &crit) == NULL)
		return LINT_NA;
	if (d == NULL)
		return cer_lint_failf(c, "issuingDistributionPoint does not parse");
	if (d->indirectCRL > 0 || d->onlyattr > 0)
		return cer_lint_failf(c, "indirectCRL or onlyContainsAttributeCerts is set");
	if (d->onlyuser > 0 && d->onlyCA > 0)
		return cer_lint_failf(c, "onlyContainsUserCerts and onlyContainsCACerts are both set");
	if (d->distpoint == NULL && d->onlyuser <= 0 && d->onlyCA <= 0 &&
	    d->onlysomereasons == NULL)
		return cer_lint_failf(c, "issuingDistributionPoint is an empty sequence");
	if (d->onlysomereasons != NULL) {
		c->sev = CER_LINT_WARNING;
		return cer_lint_failf(c, "onlySomeReasons is used (SHOULD NOT)");
	}
	return LINT_PASS;
}

static int
chk_no_indirect(struct cer_lint_ctx *c, const void *arg)
{
	STACK_OF(X509_REVOKED) *rev = X509_CRL_get_REVOKED(c->crl);
	int i;

	(void)arg;
	if (c->idp != NULL && c->idp->indirectCRL > 0)
		return cer_lint_failf(c, "the CRL is indirect");
	for (i = 0; i < sk_X509_REVOKED_num(rev); i++)
		if (X509_REVOKED_get_ext_by_NID(sk_X509_REVOKED_value(rev, i),
		    NID_certificate_issuer, -1) >= 0)
			return cer_lint_failf(c, "an entry has a certificateIssuer extension");
	return LINT_PASS;
}

static int
chk_other_ext(struct cer_lint_ctx *c, const void *arg)
{
	int i, nid;
	char buf[80];

	(void)arg;
	for (i = 0; i < X509_CRL_get_ext_count(c->crl); i++) {
		const ASN1_OBJECT *o = X509_EXTENSION_get_object(X509_CRL_get_ext(c->crl, i));

		nid = OBJ_obj2nid(o);
		if (nid != NID_authority_key_identifier && nid != NID_crl_number &&
		    nid != NID_issuing_distribution_point)
			return cer_lint_failf(c, "CRL extension %s is not AKI, cRLNumber or IDP",
			    cer_lint_oid(o, buf, sizeof(buf)));
	}
	return LINT_PASS;
}

static int
chk_revoked_empty(struct cer_lint_ctx *c, const void *arg)
{
	STACK_OF(X509_REVOKED) *rev = X509_CRL_get_REVOKED(c->crl);

	(void)arg;
	if (rev != NULL && sk_X509_REVOKED_num(rev) == 0)
		return cer_lint_failf(c, "revokedCertificates is present but empty");
	return LINT_PASS;
}

static int
chk_entry_date(struct cer_lint_ctx *c, const void *arg)
{
	STACK_OF(X509_REVOKED) *rev = X509_CRL_get_REVOKED(c->crl);
	time_t tu = cer_lint_time(X509_CRL_get0_lastUpdate(c->crl));
	int i;

	(void)arg;
	for (i = 0; i < sk_X509_REVOKED_num(rev); i++)
		if (cer_lint_time(X509_REVOKED_get0_revocationDate(sk_X509_REVOKED_value(rev, i))) > tu)
			return cer_lint_failf(c, "a revocationDate is after thisUpdate");
	return LINT_PASS;
}

/* The reasonCode of entry i: -1 absent, -2 unparsable; *crit its criticality. */
static long
entry_reason(X509_REVOKED *r, int *crit)
{
	ASN1_ENUMERATED *e;
	int i = X509_REVOKED_get_ext_by_NID(r, NID_crl_reason, -1);
	long v;

	*crit = i >= 0 && X509_EXTENSION_get_critical(X509_REVOKED_get_ext(r, i));
	if (i < 0)
		return -1;
	if ((e = X509_REVOKED_get_ext_d2i(r, NID_crl_reason, NULL, NULL)) == NULL) {
		ERR_clear_error();
		return -2;
	}
	v = ASN1_ENUMERATED_get(e);
	ASN1_ENUMERATED_free(e);
	return v;
}

static int
chk_reason_values(struct cer_lint_ctx *c, const void *arg)
{
	STACK_OF(X509_REVOKED) *rev = X509_CRL_get_REVOKED(c->crl);
	int i, crit;
	long v;

	(void)arg;
	for (i = 0; i < sk_X509_REVOKED_num(rev); i++) {
		v = entry_reason(sk_X509_REVOKED_value(rev, i), &crit);
		if (v == -1)
			continue;
		/* unspecified and certificateHold since 2020-09-30; the rest since 2024-03-15 */
		if (!cer_br_is_allowed_reason(v) && (v == 0 || v == 6 ||
		    cer_lint_in_force(c, CER_DATE_BR_CRL_PROFILE)))
			return cer_lint_failf(c, "reasonCode %ld is not 1, 3, 4, 5 or 9", v);
	}
	return LINT_PASS;
}

static int
chk_reason_noncritical(struct cer_lint_ctx *c, const void *arg)
{
	STACK_OF(X509_REVOKED) *rev = X509_CRL_get_REVOKED(c->crl);
	int i, crit;

	(void)arg;
	for (i = 0; i < sk_X509_REVOKED_num(rev); i++)
		if (entry_reason(sk_X509_REVOKED_value(rev, i), &crit) != -1 && crit)
			return cer_lint_failf(c, "a reasonCode is critical");
	return LINT_PASS;
}

static int
chk_entry_other_ext(struct cer_lint_ctx *c, const void *arg)
{
	STACK_OF(X509_REVOKED) *rev = X509_CRL_get_REVOKED(c->crl);
	int i, j;
	char buf[80];

	(void)arg;
	for (i = 0; i < sk_X509_REVOKED_num(rev); i++) {
		X509_REVOKED *r = sk_X509_REVOKED_value(rev, i);

		for (j = 0; j < X509_REVOKED_get_ext_count(r); j++) {
			const ASN1_OBJECT *o = X509_EXTENSION_get_object(X509_REVOKED_get_ext(r, j));

			if (OBJ_obj2nid(o) != NID_crl_reason)
				return cer_lint_failf(c, "entry extension %s is not reasonCode",
				    cer_lint_oid(o, buf, sizeof(buf)));
		}
	}
	return LINT_PASS;
}

static int
chk_boulder_inputs(struct cer_lint_ctx *c, const void *arg)
{
	time_t tu = cer_lint_time(X509_CRL_get0_lastUpdate(c->crl)),
	    nu = cer_lint_time(X509_CRL_get0_nextUpdate(c->crl));
	ASN1_INTEGER *n = X509_CRL_get_ext_d2i(c->crl, NID_crl_number, NULL, NULL);
	int zero = n == NULL || ASN1_INTEGER_get(n) == 0;

	(void)arg;
	ASN1_INTEGER_free(n);
	ERR_clear_error();
	if (zero)
		return cer_lint_failf(c, "cRLNumber is 0 or absent");
	if (tu < cer_lint_time(X509_get0_notBefore(c->issuer)) ||
	    nu > cer_lint_time(X509_get0_notAfter(c->issuer)))
		return cer_lint_failf(c, "thisUpdate..nextUpdate is not within the issuer's validity");
	if (nu - tu > 365 * CER_BR_DAY)
		return cer_lint_failf(c, "nextUpdate - thisUpdate exceeds 365 days");
	return LINT_PASS;
}

#define E CER_LINT_ERROR
#define W CER_LINT_WARNING
#define N CER_LINT_NOTICE

const struct cer_lint_rule cer_lint_crl_rules[] = {
	{ "crl.version", E, "BR 7.2, 7.2.1; RFC 5280 5.1.2.1", CER_DATE_BR_CRL_PROFILE,
	    P_CRL | P_PCRL,
	    chk_version, NULL, "version is v2" },
	{ "crl.sigalg", E, "BR 7.2, 7.1.3.2; RFC 5280 5.1.1.2; MRSP 5.1.3", CER_DATE_MRSP_2_7,
	    P_CRL, chk_sigalg, NULL,
	    "table A signature, identical in TBS and outer, fits the issuer key, no SHA-1" },
	{ "crl.signature", E, "RFC 5280 5.1.1.3", 0, P_CRL | P_PCRL, chk_signature, NULL,
	    "signature verifies under the issuer's key (skip for a throwaway-signed TBS)" },
	{ "crl.signer_key", E, "RFC 5280 4.2.1.3; BR 7.1.2.10.7", 0, P_CRL | P_PCRL,
	    chk_signer_key, NULL,
	    "the issuer certificate asserts cRLSign" },
	{ "crl.issuer", E, "BR 7.2; RFC 5280 5.1.2.3", CER_DATE_BR_CRL_PROFILE, P_CRL | P_PCRL,
	    chk_issuer,
	    NULL, "issuer byte-identical to the issuing CA's subject" },
	{ "crl.thisupdate", E, "BR 7.2; RFC 5280 5.1.2.4", 0, P_CRL | P_PCRL, chk_thisupdate, NULL,
	    "thisUpdate not after the signing time" },
	{ "crl.nextupdate", E, "BR 7.2; RFC 5280 5.1.2.5", 0, P_CRL | P_PCRL, chk_nextupdate, NULL,
	    "nextUpdate present and later than thisUpdate" },
	{ "crl.nextupdate_ca", E, "BR 7.2, 4.9.7", CER_DATE_BR_1_0, P_CRL, chk_nextupdate_ca, NULL,
	    "nextUpdate at most 12 months after thisUpdate" },
	{ "crl.nextupdate_subscriber", E, "BR 4.9.7, 7.2; MRSP 6", CER_DATE_BR_1_0, P_CRL,
	    chk_nextupdate_subscriber, NULL,
	    "about subscriber certificates: nextUpdate at most 10 days after thisUpdate" },
	{ "crl.time_encoding", E, "RFC 5280 5.1.2.4-5.1.2.6", 0, P_CRL | P_PCRL,
	    chk_time_encoding, NULL,
	    "UTCTime through 2049, GeneralizedTime from 2050" },
	{ "crl.aki", E, "BR 7.2.2, 7.1.2.11.1; RFC 5280 5.2.1", CER_DATE_BR_CRL_PROFILE,
	    P_CRL | P_PCRL,
	    chk_aki, NULL, "AKI non-critical, keyIdentifier only, equal to the issuer's SKI" },
	{ "crl.number", E, "BR 7.2.2; RFC 5280 5.2.3", 0, P_CRL | P_PCRL, chk_number, NULL,
	    "cRLNumber present, non-critical, 0 <= n < 2^159" },
	{ "crl.idp_full", W, "BR 7.2.2.1", CER_DATE_BR_CRL_PROFILE, P_CRL, chk_idp_full, NULL,
	    "no issuingDistributionPoint on a full-and-complete CRL" },
	{ "crl.idp_partitioned", E, "BR 7.2.2, 7.2.2.1; MRSP 5.2, 6.1.2; RFC 5280 5.2.5",
	    CER_DATE_PARTITIONED_CRL, P_CRL, chk_idp_partitioned, NULL,
	    "an IDP is critical with a distributionPoint of URIs" },
	{ "crl.idp_flags", E, "BR 7.2.2.1; RFC 5280 5.2.5", CER_DATE_BR_CRL_PROFILE, P_CRL,
	    chk_idp_flags, NULL,
	    "IDP not indirect, not attribute certs, not user and CA, not empty" },
	{ "crl.no_indirect", E, "BR 7.2, 7.2.2.1; RFC 5280 5.3.3", CER_DATE_BR_CRL_PROFILE, P_CRL,
	    chk_no_indirect, NULL, "no indirect CRL, no certificateIssuer entry extension" },
	{ "crl.other_ext", W, "BR 7.2.2", CER_DATE_BR_CRL_PROFILE, P_CRL, chk_other_ext, NULL,
	    "only AKI, cRLNumber and IDP extensions" },
	{ "crl.revoked_empty", E, "RFC 5280 5.1.2.6", 0, P_CRL | P_PCRL, chk_revoked_empty, NULL,
	    "no empty revokedCertificates" },
	{ "crl.entry_date", E, "BR 7.2.2", 0, P_CRL, chk_entry_date, NULL,
	    "revocationDate not after thisUpdate" },
	{ "crl.reason_values", E, "BR 7.2.2", CER_DATE_2020_09_30, P_CRL, chk_reason_values, NULL,
	    "reasonCode 1, 3, 4, 5 or 9" },
	{ "crl.reason_noncritical", E, "BR 7.2.2; RFC 5280 5.3.1", CER_DATE_2020_09_30,
	    P_CRL | P_PCRL,
	    chk_reason_noncritical, NULL, "reasonCode non-critical" },
	{ "crl.entry_other_ext", W, "BR 7.2.2", CER_DATE_BR_CRL_PROFILE, P_CRL, chk_entry_other_ext,
	    NULL, "no entry extension but reasonCode" },
	{ "boulder.crl_inputs", N, "Boulder main.go crlConfig.validate", 0, P_CRL,
	    chk_boulder_inputs, NULL,
	    "number != 0; within the issuer's validity; at most 365 days" },
};

const size_t cer_lint_crl_nrules = sizeof(cer_lint_crl_rules) / sizeof(cer_lint_crl_rules[0]);
