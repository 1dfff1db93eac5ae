/*
 * lint-cert-private.c: the rules a private hierarchy's certificates are
 * held to that the TLS profiles state in their own (BR) terms: RFC 5280's
 * demands on CA certificates, said as RFC 5280 says them, and the one rule
 * that keeps a private CA from passing for a public one (no CA/B Forum
 * policy OID).  The RFC 5280 rules both sets share are in their own files,
 * with both sets' profiles.
 */
#include <string.h>

#include "lint/lint-int.h"


static int
chk_no_cabf_policy(struct cer_lint_ctx *c, const void *arg)
{
	char oid[128];
	int i;

	(void)arg;
	if (c->cp == NULL)
		return LINT_NA;
	for (i = 0; i < sk_POLICYINFO_num(c->cp); i++) {
		cer_lint_oid(sk_POLICYINFO_value(c->cp, i)->policyid, oid, sizeof(oid));
		if (strncmp(oid, CER_BR_CABF_POLICY_ARC, strlen(CER_BR_CABF_POLICY_ARC)) == 0)
			return cer_lint_failf(c, "certificatePolicies holds %s, a CA/B Forum "
			    "policy OID: it asserts compliance with the Forum's requirements, "
			    "which a private hierarchy does not claim", oid);
	}
	return LINT_PASS;
}

static int
chk_validity(struct cer_lint_ctx *c, const void *arg)
{
	time_t nb = cer_lint_time(X509_get0_notBefore(c->cert)),
	    na = cer_lint_time(X509_get0_notAfter(c->cert));

	(void)arg;
	if (nb == (time_t)-1 || na == (time_t)-1)
		return cer_lint_failf(c, "the validity does not parse");
	if (na < nb)
		return cer_lint_failf(c, "notAfter is before notBefore");
	return LINT_PASS;
}

static int
chk_subject(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (X509_NAME_entry_count(X509_get_subject_name(c->cert)) == 0)
		return cer_lint_failf(c, "the subject is empty (a CA's, and a subject "
		    "without subjectAltName, is a non-empty distinguished name)");
	return LINT_PASS;
}

static int
chk_self_issued(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!cer_lint_name_eq(X509_get_issuer_name(c->cert), X509_get_subject_name(c->cert)))
		return cer_lint_failf(c, "issuer and subject differ: not a self-issued "
		    "certificate, so no trust anchor");
	return LINT_PASS;
}

/* CAs: cA TRUE, pathLen only with keyCertSign; an OCSP responder: not a CA. */
static int
chk_bc(struct cer_lint_ctx *c, const void *arg)
{
	long ku = cer_lint_key_usage(c->cert);

	(void)arg;
	if (c->profile == CER_LINT_PRIVATE_OCSP_RESPONDER)
		return c->bc != NULL && c->bc->ca ? cer_lint_failf(c, "basicConstraints "
		    "asserts cA in a delegated OCSP responder's certificate") : LINT_PASS;
	if (c->bc == NULL)
		return cer_lint_failf(c, "basicConstraints is absent or does not parse");
	if (!c->bc->ca)
		return cer_lint_failf(c, "basicConstraints does not assert cA");
	if (c->bc->pathlen != NULL && (ku < 0 || !(ku & KU_KEY_CERT_SIGN)))
		return cer_lint_failf(c, "pathLenConstraint without keyCertSign");
	return LINT_PASS;
}

static int
chk_ca_ku(struct cer_lint_ctx *c, const void *arg)
{
	long ku = cer_lint_key_usage(c->cert);

	(void)arg;
	if (ku < 0)
		return cer_lint_failf(c, "keyUsage is absent; a CA's key verifies "
		    "certificates, so keyUsage is there with keyCertSign");
	if (!(ku & KU_KEY_CERT_SIGN))
		return cer_lint_failf(c, "keyUsage lacks keyCertSign");
	return LINT_PASS;
}

static int
chk_ca_ski(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	return cer_lint_has_ext(c->cert, NID_subject_key_identifier) ? LINT_PASS :
	    cer_lint_failf(c, "subjectKeyIdentifier is absent");
}

/*
 * keyIdentifier there, equal to the issuer's SKI (a self-signed
 * certificate may leave the AKI out); authorityCertIssuer and
 * authorityCertSerialNumber both or neither.
 */
static int
chk_aki(struct cer_lint_ctx *c, const void *arg)
{
	const ASN1_OCTET_STRING *want = X509_get0_subject_key_id(c->issuer);

	(void)arg;
	if (!cer_lint_has_ext(c->cert, NID_authority_key_identifier))
		return cer_lint_self_issued(c) ? LINT_PASS :
		    cer_lint_failf(c, "authorityKeyIdentifier is absent");
	if (c->aki == NULL)
		return cer_lint_failf(c, "authorityKeyIdentifier does not parse");
	if (c->aki->keyid == NULL)
		return cer_lint_failf(c, "authorityKeyIdentifier has no keyIdentifier");
	if ((c->aki->issuer == NULL) != (c->aki->serial == NULL))
		return cer_lint_failf(c, "authorityKeyIdentifier has authorityCertIssuer or "
		    "authorityCertSerialNumber without the other");
	if (want != NULL && ASN1_OCTET_STRING_cmp(c->aki->keyid, want) != 0)
		return cer_lint_failf(c, "the keyIdentifier is not the %s subjectKeyIdentifier",
		    cer_lint_self_issued(c) ? "certificate's own" : "issuer's");
	return LINT_PASS;
}

static int
chk_cp_once(struct cer_lint_ctx *c, const void *arg)
{
	char oid[128];
	int i, j;

	(void)arg;
	if (!cer_lint_has_ext(c->cert, NID_certificate_policies))
		return LINT_NA;
	if (c->cp == NULL || sk_POLICYINFO_num(c->cp) < 1)
		return cer_lint_failf(c, "certificatePolicies is empty or does not parse");
	for (i = 0; i < sk_POLICYINFO_num(c->cp); i++)
		for (j = 0; j < i; j++)
			if (OBJ_cmp(sk_POLICYINFO_value(c->cp, i)->policyid,
			    sk_POLICYINFO_value(c->cp, j)->policyid) == 0)
				return cer_lint_failf(c, "policy %s appears twice",
				    cer_lint_oid(sk_POLICYINFO_value(c->cp, i)->policyid, oid,
				    sizeof(oid)));
	return LINT_PASS;
}

static int
chk_nc_ca_only(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	return cer_lint_has_ext(c->cert, NID_name_constraints) ?
	    cer_lint_failf(c, "nameConstraints in a certificate that is not a CA's") : LINT_PASS;
}

#define E CER_LINT_ERROR

const struct cer_lint_rule cer_lint_cert_private_rules[] = {
	{ "private.no_cabf_policy", E, "BR 7.1.6.1; docs/script.md Private hierarchies", 0,
	    P_PRIV, chk_no_cabf_policy, NULL,
	    "no CA/B Forum policy OID (2.23.140.*): a private CA claims no public one's rules" },
	{ "pkix.validity", E, "RFC 5280 4.1.2.5", 0, P_PRIV, chk_validity, NULL,
	    "notAfter not before notBefore" },
	{ "pkix.subject", E, "RFC 5280 4.1.2.6", 0, P_PRIV, chk_subject, NULL,
	    "subject is a non-empty distinguished name" },
	{ "pkix.root_self_issued", E, "RFC 5280 3.2, 6.1.1", 0, P_PROOT, chk_self_issued, NULL,
	    "issuer equal to subject (a self-issued trust anchor)" },
	{ "pkix.bc", E, "RFC 5280 4.2.1.9; RFC 6960 4.2.2.2", 0, P_PRIV, chk_bc, NULL,
	    "basicConstraints cA TRUE in a CA (pathLen only with keyCertSign); not a CA in a "
	    "responder" },
	{ "pkix.ca_ku", E, "RFC 5280 4.2.1.3", 0, P_PCAS, chk_ca_ku, NULL,
	    "keyUsage present with keyCertSign" },
	{ "pkix.ca_ski", E, "RFC 5280 4.2.1.2", 0, P_PCAS, chk_ca_ski, NULL,
	    "subjectKeyIdentifier present" },
	{ "pkix.aki", E, "RFC 5280 4.2.1.1, 4.2.1.2", 0, P_PRIV, chk_aki, NULL,
	    "AKI keyIdentifier equal to the issuer's SKI (optional when self-signed); "
	    "authorityCertIssuer and serial together" },
	{ "pkix.cp_once", E, "RFC 5280 4.2.1.4", 0, P_PRIV, chk_cp_once, NULL,
	    "certificatePolicies not empty; no policy OID twice" },
	{ "pkix.nc_ca_only", E, "RFC 5280 4.2.1.10", 0, P_POCSP, chk_nc_ca_only, NULL,
	    "nameConstraints only in a CA certificate" },
};

const size_t cer_lint_cert_private_nrules =
    sizeof(cer_lint_cert_private_rules) / sizeof(cer_lint_cert_private_rules[0]);
