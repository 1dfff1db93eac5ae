/*
 * lint-ocsp.c: the rules of profile-rules.md (f) for an OCSP response
 * signed offline by a CA (the issuer) or by its delegated responder.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>

#include "base/br.h"
#include "base/verified.h"
#include "lint/lint-int.h"

/* The certificate that signed the response: the issuer or one in `certs`. */
static X509 *
signer(struct cer_lint_ctx *c)
{
	STACK_OF(X509) *extra = sk_X509_new_null();
	X509 *s = NULL;

	if (extra != NULL && sk_X509_push(extra, c->issuer) > 0 &&
	    OCSP_resp_get0_signer(c->bs, &s, extra) != 1)
		s = NULL;
	sk_X509_free(extra);
	ERR_clear_error();
	return s;
}

static int
is_delegated(struct cer_lint_ctx *c)
{
	X509 *s = signer(c);

	return s != NULL && X509_cmp(s, c->issuer) != 0;
}

static int
chk_profile(struct cer_lint_ctx *c, const void *arg)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	X509 *s;
	int ok;

	(void)arg;
	if (OCSP_response_status(c->ocsp) != OCSP_RESPONSE_STATUS_SUCCESSFUL || c->bs == NULL) {
		sk_X509_free(certs);
		return cer_lint_failf(c, "responseStatus is not successful with a basic response");
	}
	/* the signer found as OCSP_basic_verify finds it; its signature checked once a run */
	ok = certs != NULL && sk_X509_push(certs, c->issuer) > 0 &&
	    ((s = signer(c)) != NULL && cer_verified_seen_asn1(c->bs,
	    ASN1_ITEM_rptr(OCSP_BASICRESP), X509_get0_pubkey(s)) ? 1 :
	    OCSP_basic_verify(c->bs, certs, NULL, OCSP_NOVERIFY) == 1);
	sk_X509_free(certs);
	ERR_clear_error();
	if (!ok)
		return cer_lint_failf(c, "the signature over ResponseData does not verify");
	return LINT_PASS;
}

static int
chk_sigalg(struct cer_lint_ctx *c, const void *arg)
{
	const X509_ALGOR *a;
	char buf[80];
	X509 *s;

	(void)arg;
	if (c->bs == NULL)
		return LINT_NA;
	a = OCSP_resp_get0_tbs_sigalg(c->bs);
	if (cer_lint_sig_is_sha1(a) && !cer_lint_in_force(c, CER_DATE_OCSP_NO_SHA1))
		return LINT_PASS;	/* SHA-1 OCSP responses: BR 7.1.3.2.1, until 2022-06-01 */
	if (cer_lint_sig_is_sha1(a))
		return cer_lint_failf(c, "signed with SHA-1");
	if (!cer_lint_sig_in_table_a(a))
		return cer_lint_failf(c, "signature algorithm %s is not one of the encodings of "
		    "table A", cer_lint_oid(a->algorithm, buf, sizeof(buf)));
	if ((s = signer(c)) == NULL)
		return LINT_PASS;	/* ocsp.certs_field says why */
	return cer_lint_sig_fits_key(c, X509_get0_pubkey(s), a);
}

static int
chk_authorized_signer(struct cer_lint_ctx *c, const void *arg)
{
	X509 *s;

	(void)arg;
	if (c->bs == NULL)
		return LINT_NA;
	if ((s = signer(c)) == NULL)
		return cer_lint_failf(c, "the signer is neither the issuer nor a certificate in certs");
	if (X509_cmp(s, c->issuer) == 0)
		return LINT_PASS;
	if (X509_check_issued(c->issuer, s) != X509_V_OK ||
	    (!cer_verified_seen_asn1(s, ASN1_ITEM_rptr(X509), X509_get0_pubkey(c->issuer)) &&
	    X509_verify(s, X509_get0_pubkey(c->issuer)) != 1)) {
		ERR_clear_error();
		return cer_lint_failf(c, "the delegated responder was not issued by the issuer");
	}
	return LINT_PASS;
}

static int
chk_ca_digsig(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (c->bs == NULL || is_delegated(c))
		return LINT_NA;
	if (X509_get_ext_by_NID(c->issuer, NID_key_usage, -1) >= 0 &&
	    !(X509_get_key_usage(c->issuer) & KU_DIGITAL_SIGNATURE))
		return cer_lint_failf(c, "the CA signs OCSP without digitalSignature in its keyUsage");
	return LINT_PASS;
}

static int
chk_delegate_valid(struct cer_lint_ctx *c, const void *arg)
{
	time_t pa;
	X509 *s;

	(void)arg;
	if (c->bs == NULL || !is_delegated(c))
		return LINT_NA;
	s = signer(c);
	pa = cer_lint_time(OCSP_resp_get0_produced_at(c->bs));
	if (!(X509_get_extended_key_usage(s) & XKU_OCSP_SIGN) ||
	    X509_get_ext_by_NID(s, NID_ext_key_usage, -1) < 0)
		return cer_lint_failf(c, "the delegated responder lacks the OCSPSigning EKU");
	if (pa < cer_lint_time(X509_get0_notBefore(s)) || pa > cer_lint_time(X509_get0_notAfter(s)))
		return cer_lint_failf(c, "the delegated responder is not valid at producedAt");
	return LINT_PASS;
}

/* Does this CertID name the issuer (name and key hash)? */
static int
certid_issuer_ok(const OCSP_CERTID *id, X509 *issuer)
{
	ASN1_OBJECT *md = NULL;
	ASN1_INTEGER *serial = NULL;
	OCSP_CERTID *want;
	int nid, ok;

	if (OCSP_id_get0_info(NULL, &md, NULL, &serial, (OCSP_CERTID *)id) != 1)
		return 0;
	nid = OBJ_obj2nid(md);
	if (nid != NID_sha1 && nid != NID_sha256)
		return 0;
	want = OCSP_cert_id_new(EVP_get_digestbynid(nid), X509_get_subject_name(issuer),
	    X509_get0_pubkey_bitstr(issuer), serial);
	ok = want != NULL && OCSP_id_issuer_cmp(want, id) == 0;
	OCSP_CERTID_free(want);
	return ok;
}

static int
chk_certid(struct cer_lint_ctx *c, const void *arg)
{
	int i;

	(void)arg;
	if (c->bs == NULL)
		return LINT_NA;
	for (i = 0; i < OCSP_resp_count(c->bs); i++)
		if (!certid_issuer_ok(OCSP_SINGLERESP_get0_id(OCSP_resp_get0(c->bs, i)), c->issuer))
			return cer_lint_failf(c, "a CertID is not SHA-1 or SHA-256 over the issuer's "
			    "name and key");
	return LINT_PASS;
}

static int
chk_single_response(struct cer_lint_ctx *c, const void *arg)
{
	int n;

	(void)arg;
	if (c->bs == NULL)
		return LINT_NA;
	n = OCSP_resp_count(c->bs);
	if (n == 1)
		return LINT_PASS;
	if (n == 2) {
		ASN1_INTEGER *s0 = NULL, *s1 = NULL;

		OCSP_id_get0_info(NULL, NULL, NULL, &s0,
		    (OCSP_CERTID *)OCSP_SINGLERESP_get0_id(OCSP_resp_get0(c->bs, 0)));
		OCSP_id_get0_info(NULL, NULL, NULL, &s1,
		    (OCSP_CERTID *)OCSP_SINGLERESP_get0_id(OCSP_resp_get0(c->bs, 1)));
		if (s0 != NULL && s1 != NULL && ASN1_INTEGER_cmp(s0, s1) == 0)
			return LINT_PASS;	/* a twin with the other CertID hash */
	}
	return cer_lint_failf(c, "%d SingleResponses; one (or a SHA-1/SHA-256 twin) expected", n);
}

static int
chk_no_response_ext(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (c->bs != NULL && OCSP_BASICRESP_get_ext_count(c->bs) > 0)
		return cer_lint_failf(c, "responseExtensions present (a nonce in a pre-produced "
		    "response?)");
	return LINT_PASS;
}

/*
 * RFC 9919 3.2.2, "Signed OCSPResponses" (RFC 5019's 2.2.2; read in the
 * draft-ietf-lamps-rfc5019bis source that became it): "Older responders
 * which provide backward compatibility with RFC 5019 MAY use the byName
 * field ... but should transition to using the byKey field as soon as
 * practical.  Newer responders that conform to this profile MUST use the
 * byKey field".  A linter cannot tell an older responder from a newer one,
 * and RFC 6960 4.2.1 allows either: byName earns a notice, not a warning.
 */
static int
chk_responder_id(struct cer_lint_ctx *c, const void *arg)
{
	const ASN1_OCTET_STRING *key = NULL;
	const X509_NAME *name = NULL;

	(void)arg;
	if (c->bs == NULL)
		return LINT_NA;
	if (OCSP_resp_get0_id(c->bs, &key, &name) != 1 || key == NULL)
		return cer_lint_failf(c, "ResponderID is byName; RFC 9919 lets only responders "
		    "kept for RFC 5019 clients use byName, newer ones MUST use byKey");
	return LINT_PASS;
}

static int
chk_certs_field(struct cer_lint_ctx *c, const void *arg)
{
	const STACK_OF(X509) *certs;

	(void)arg;
	if (c->bs == NULL)
		return LINT_NA;
	certs = OCSP_resp_get0_certs(c->bs);
	if (certs != NULL && sk_X509_num(certs) == 0)
		return cer_lint_failf(c, "certs is present but empty");
	if (signer(c) == NULL)
		return cer_lint_failf(c, "the delegated responder's certificate is not in certs");
	return LINT_PASS;
}

/*
 * GeneralizedTime YYYYMMDDHHMMSSZ: fourteen digits and a Z, a valid time.  The
 * length alone lets a fraction without seconds through (YYYYMMDDHHMM.fZ).
 */
static int
gt_ok(const ASN1_GENERALIZEDTIME *t)
{
	const unsigned char *s;
	int i;

	if (t == NULL)
		return 1;
	if (ASN1_STRING_type(t) != V_ASN1_GENERALIZEDTIME || ASN1_STRING_length(t) != 15)
		return 0;
	s = ASN1_STRING_get0_data(t);
	for (i = 0; i < 14; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[14] == 'Z' && ASN1_GENERALIZEDTIME_check(t) == 1;
}

/* The status, times and reason of SingleResponse i. */
struct single {
	int status, reason;
	ASN1_GENERALIZEDTIME *rev, *thisupd, *nextupd;
};

static void
single(struct cer_lint_ctx *c, int i, struct single *s)
{
	memset(s, 0, sizeof(*s));
	s->status = OCSP_single_get0_status(OCSP_resp_get0(c->bs, i), &s->reason, &s->rev,
	    &s->thisupd, &s->nextupd);
}

static int
chk_times_format(struct cer_lint_ctx *c, const void *arg)
{
	struct single s;
	int i;

	(void)arg;
	if (c->bs == NULL)
		return LINT_NA;
	if (!gt_ok(OCSP_resp_get0_produced_at(c->bs)))
		return cer_lint_failf(c, "producedAt is not GeneralizedTime YYYYMMDDHHMMSSZ");
	for (i = 0; i < OCSP_resp_count(c->bs); i++) {
		single(c, i, &s);
		if (!gt_ok(s.thisupd) || !gt_ok(s.nextupd) || !gt_ok(s.rev))
			return cer_lint_failf(c, "a SingleResponse time is not GeneralizedTime "
			    "YYYYMMDDHHMMSSZ");
	}
	return LINT_PASS;
}

static int
chk_nextupdate_present(struct cer_lint_ctx *c, const void *arg)
{
	struct single s;
	int i;

	(void)arg;
	for (i = 0; c->bs != NULL && i < OCSP_resp_count(c->bs); i++) {
		single(c, i, &s);
		if (s.nextupd == NULL)
			return cer_lint_failf(c, "a SingleResponse has no nextUpdate");
	}
	return LINT_PASS;
}

static int
chk_time_order(struct cer_lint_ctx *c, const void *arg)
{
	struct single s;
	time_t pa, tu;
	int i;

	(void)arg;
	if (c->bs == NULL)
		return LINT_NA;
	pa = cer_lint_time(OCSP_resp_get0_produced_at(c->bs));
	if (pa > c->at)
		return cer_lint_failf(c, "producedAt is after the signing time");
	for (i = 0; i < OCSP_resp_count(c->bs); i++) {
		single(c, i, &s);
		tu = cer_lint_time(s.thisupd);
		if (tu > pa || tu > c->at)
			return cer_lint_failf(c, "thisUpdate is after producedAt or the signing time");
		if (s.nextupd != NULL && cer_lint_time(s.nextupd) <= tu)
			return cer_lint_failf(c, "nextUpdate is not after thisUpdate");
	}
	return LINT_PASS;
}

static int
chk_subca_interval(struct cer_lint_ctx *c, const void *arg)
{
	struct single s;
	int i;

	(void)arg;
	for (i = 0; c->bs != NULL && i < OCSP_resp_count(c->bs); i++) {
		single(c, i, &s);
		if (s.nextupd != NULL && cer_lint_time(s.nextupd) - cer_lint_time(s.thisupd) >
		    CER_BR_OCSP_CA_MAX_DAYS * CER_BR_DAY)
			return cer_lint_failf(c, "nextUpdate is more than 12 months after thisUpdate");
	}
	return LINT_PASS;
}

static int
chk_within_signer(struct cer_lint_ctx *c, const void *arg)
{
	struct single s;
	X509 *sg;
	int i;

	(void)arg;
	if (c->bs == NULL || (sg = signer(c)) == NULL)
		return LINT_NA;
	for (i = 0; i < OCSP_resp_count(c->bs); i++) {
		single(c, i, &s);
		if (cer_lint_time(s.thisupd) < cer_lint_time(X509_get0_notBefore(sg)) ||
		    (s.nextupd != NULL &&
		    cer_lint_time(s.nextupd) > cer_lint_time(X509_get0_notAfter(sg))))
			return cer_lint_failf(c, "thisUpdate..nextUpdate is not within the signer's "
			    "validity");
	}
	return LINT_PASS;
}

static int
chk_revoked_reason(struct cer_lint_ctx *c, const void *arg)
{
	struct single s;
	int i;

	(void)arg;
	for (i = 0; c->bs != NULL && i < OCSP_resp_count(c->bs); i++) {
		single(c, i, &s);
		if (s.status != V_OCSP_CERTSTATUS_REVOKED)
			continue;
		/* absent, unspecified, certificateHold: since 2020-09-30; others: 2024-03-15 */
		if (!cer_br_is_allowed_reason(s.reason) && (s.reason <= 0 || s.reason == 6 ||
		    cer_lint_in_force(c, CER_DATE_BR_CRL_PROFILE)))
			return cer_lint_failf(c, "a revoked status has reason %d; 1, 3, 4, 5 or 9 "
			    "needed", s.reason);
	}
	return LINT_PASS;
}

static int
chk_no_reason_single_ext(struct cer_lint_ctx *c, const void *arg)
{
	int i;

	(void)arg;
	for (i = 0; c->bs != NULL && i < OCSP_resp_count(c->bs); i++)
		if (OCSP_SINGLERESP_get_ext_by_NID(OCSP_resp_get0(c->bs, i), NID_crl_reason, -1) >= 0)
			return cer_lint_failf(c, "reasonCode in singleExtensions");
	return LINT_PASS;
}

static int
chk_boulder_status(struct cer_lint_ctx *c, const void *arg)
{
	struct single s;
	int i;

	(void)arg;
	for (i = 0; c->bs != NULL && i < OCSP_resp_count(c->bs); i++) {
		single(c, i, &s);
		if (s.status != V_OCSP_CERTSTATUS_GOOD && s.status != V_OCSP_CERTSTATUS_REVOKED)
			return cer_lint_failf(c, "a status is neither good nor revoked");
	}
	return LINT_PASS;
}

#define E CER_LINT_ERROR
#define W CER_LINT_WARNING
#define N CER_LINT_NOTICE

const struct cer_lint_rule cer_lint_ocsp_rules[] = {
	{ "ocsp.profile", E, "BR 4.9.9; RFC 6960 4.2.1; RFC 5019 2.2.1", 0, P_RESP, chk_profile,
	    NULL, "successful basic response whose signature verifies" },
	{ "ocsp.sigalg", E, "BR 7.1.3.2, 7.1.3.2.1; MRSP 5.1, 5.1.3", CER_DATE_MRSP_2_7, P_RESP,
	    chk_sigalg, NULL,
	    "signatureAlgorithm one of table A, fits the signer's key, no SHA-1" },
	{ "ocsp.authorized_signer", E, "BR 4.9.9; RFC 6960 2.2, 4.2.2.2", 0, P_RESP,
	    chk_authorized_signer, NULL, "signed by the issuer or a responder it issued" },
	{ "ocsp.ca_digsig", E, "BR 7.1.2.10.7", CER_DATE_BR_1_0, P_RESP, chk_ca_digsig, NULL,
	    "a CA signing directly asserts digitalSignature" },
	{ "ocsp.delegate_valid", E, "RFC 6960 3.2, 4.2.2.2", 0, P_RESP, chk_delegate_valid, NULL,
	    "the delegated responder has OCSPSigning and is valid at producedAt" },
	{ "ocsp.certid", E, "RFC 6960 4.1.1; RFC 5019 2.1.1; RFC 9919", 0, P_RESP, chk_certid, NULL,
	    "CertID SHA-1 or SHA-256 over the issuer's name and key" },
	{ "ocsp.single_response", W, "RFC 5019 2.2.1; RFC 9919", 0, P_RESP, chk_single_response,
	    NULL, "one SingleResponse (or a twin with the other hash)" },
	{ "ocsp.no_response_ext", W, "RFC 5019 2.2.1", 0, P_RESP, chk_no_response_ext, NULL,
	    "no responseExtensions" },
	{ "ocsp.responder_id", N, "RFC 6960 4.2.1; RFC 9919 3.2.2", 0, P_RESP, chk_responder_id,
	    NULL, "ResponderID byKey (byName only for responders kept for RFC 5019 clients)" },
	{ "ocsp.certs_field", E, "RFC 5019 2.2.2; RFC 6960 4.2.1", 0, P_RESP, chk_certs_field, NULL,
	    "delegated: responder certificate in certs; certs never empty" },
	{ "ocsp.times_format", E, "RFC 6960 4.2.1; RFC 5019 2.2.4", 0, P_RESP, chk_times_format,
	    NULL, "GeneralizedTime in Z with seconds" },
	{ "ocsp.nextupdate_present", E, "RFC 5019 2.2.4; MRSP 6", 0, P_RESP, chk_nextupdate_present,
	    NULL, "nextUpdate present" },
	{ "ocsp.time_order", E, "RFC 6960 2.4, 4.2.2.1; RFC 5019 2.2.4", 0, P_RESP, chk_time_order,
	    NULL, "thisUpdate <= producedAt <= signing time; thisUpdate < nextUpdate" },
	{ "ocsp.subca_interval", E, "BR 4.9.9", CER_DATE_BR_1_0, P_RESP, chk_subca_interval, NULL,
	    "nextUpdate at most 12 months after thisUpdate" },
	{ "ocsp.within_signer_validity", E, "MRSP 6; Boulder ocsp.go", CER_DATE_MRSP_2_4, P_RESP,
	    chk_within_signer, NULL, "thisUpdate..nextUpdate within the signer's validity" },
	{ "ocsp.revoked_reason", E, "BR 7.3", CER_DATE_2020_09_30, P_RESP, chk_revoked_reason, NULL,
	    "revoked: revocationReason 1, 3, 4, 5 or 9" },
	{ "ocsp.no_reason_single_ext", E, "BR 7.3.2", CER_DATE_BR_1_7_1, P_RESP,
	    chk_no_reason_single_ext, NULL, "no reasonCode in singleExtensions" },
	{ "boulder.ocsp_status", N, "Boulder ocsp.go (before ea200c2)", 0, P_RESP,
	    chk_boulder_status, NULL, "status good or revoked only" },
};

const size_t cer_lint_ocsp_nrules = sizeof(cer_lint_ocsp_rules) / sizeof(cer_lint_ocsp_rules[0]);
