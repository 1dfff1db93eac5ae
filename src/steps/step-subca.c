/*
 * step-subca.c: what a subordinate CA's certificate-profile must say, for
 * intermediate and cross-certificate steps: CRL and issuer URLs over
 * http:// (BR 7.1.2.11.2, 7.1.2.10.3), the CA/B Forum reserved policy
 * first (BR 7.1.2.10.5; SC-079 for crosses), serverAuth (BR 7.1.2.6.1,
 * Chrome 1.3.2), Cert Sign and CRL Sign, and name constraints.
 */
#include <string.h>

#include "base/br.h"
#include "script/certprofile.h"
#include "steps/step.h"

static int
http_only(const struct cer_parse *c, const char *url, struct cer_pos pos, const char *key)
{
	if (url == NULL || strncmp(url, CER_BR_URL_SCHEME, strlen(CER_BR_URL_SCHEME)) == 0)
		return CER_OK;
	return cer_yaml_fail(&c->y, pos, "'%s' must be an http:// URL (BR 7.1.2.11.2 and "
	    "7.1.2.10.3: relying parties fetch it without TLS); fix it", key);
}


/* BR 7.1.2.10.5 (subordinate) and 7.1.2.2.6 (cross, SC-079): the policies. */
static int
subca_policies(const struct cer_parse *c, const struct cer_yaml_node *m,
    const struct cer_step *st)
{
	const struct cer_cert_profile *p = &st->profile;
	size_t i, j, reserved = 0;

	if (p->npolicies == 0)
		return cer_yaml_missing(&c->y, m,
		    "a subordinate CA's certificate-profile (BR 7.1.2.6.1)",
		    "policies");
	for (i = 0; i < p->npolicies; i++) {
		if (strcmp(p->policies[i].oid, CER_BR_POLICY_ANY) == 0)
			return cer_yaml_fail(&c->y, p->policies[i].pos,
			    "anyPolicy is only for a CA "
			    "operated by an Affiliate of the issuer (BR 7.1.2.10.5); name the "
			    "reserved policy OID instead");
		for (j = 0; j < i; j++)
			if (strcmp(p->policies[i].oid, p->policies[j].oid) == 0)
				return cer_yaml_fail(&c->y, p->policies[i].pos,
				    "policy %s is listed "
				    "twice; list it once", p->policies[i].oid);
		reserved += cer_br_is_reserved_policy(p->policies[i].oid);
	}
	if (!cer_br_is_reserved_policy(p->policies[0].oid))
		return cer_yaml_fail(&c->y, p->policies[0].pos,
		    "the first policy must be a CA/B "
		    "Forum reserved OID (2.23.140.1.2.1 DV, .2.2 OV, .2.3 IV or 2.23.140.1.1 "
		    "EV; BR 7.1.2.10.5); put it first");
	if (reserved > 1 && st->type == CER_STEP_INTERMEDIATE)
		return cer_yaml_fail(&c->y, p->policies_pos,
		    "a subordinate CA carries exactly one "
		    "reserved policy OID (BR 7.1.2.10.5); keep the one for the certificates "
		    "it will issue");
	return CER_OK;
}

/* EKUs of a subordinate CA: serverAuth, and clientAuth only before 2026-06-15. */
static int
subca_ekus(const struct cer_parse *c, struct cer_step *st)
{
	struct cer_cert_profile *p = &st->profile;

	if (p->ekus == CER_EKUS_NONE)
		return cer_yaml_fail(&c->y, p->ekus_pos,
		    "a TLS subordinate CA must carry extended key "
		    "usages (BR 7.1.2.6.1); write 'ekus: server' or remove it");
	if (p->ekus == CER_EKUS_BOTH && p->not_before >= CER_BR_SERVERAUTH_ONLY_FROM)
		return cer_yaml_fail(&c->y, p->ekus_pos,
		    "'ekus: both' (serverAuth + clientAuth) is "
		    "accepted only for a notBefore before 2026-06-15 (Chrome Root Program "
		    "1.3.2: serverAuth only); write 'ekus: server'");
	if (p->ekus == CER_EKUS_UNSET && st->type == CER_STEP_INTERMEDIATE)
		p->ekus = CER_EKUS_SERVER;
	return CER_OK;
}

static int
ca_key_usages(const struct cer_parse *c, struct cer_cert_profile *p, const char *what)
{
	const unsigned need = CER_KU_CERT_SIGN | CER_KU_CRL_SIGN;

	if (!p->has_key_usages)
		p->key_usages = need;
	else if ((p->key_usages & need) != need)
		return cer_yaml_fail(&c->y, p->key_usages_pos,
		    "%s's key-usages must include Cert Sign "
		    "and CRL Sign (BR 7.1.2.10.7); add them", what);
	return CER_OK;
}

/* BR 7.1.2.6 (intermediate) and 7.1.2.2 (cross-certificate). */
int
cer_step_subca_rules(const struct cer_parse *c, const struct cer_yaml_node *m,
    struct cer_step *st)
{
	static const char *const banned[] = { "max-validity-days", NULL };
	static const char *const cross_banned[] = { "path-length", "subject-order",
	    "subject-key-id", NULL };
	static const char *const int_banned[] = { "allow-other-organization", NULL };
	struct cer_cert_profile *p = &st->profile;
	int cross = st->type == CER_STEP_CROSS_CERTIFICATE, r;

	if ((r = cer_certprofile_parse(&c->y, m, p, cer_certprofile_required)) != CER_OK ||
	    (!p->private_set && (r = cer_certprofile_refuse(&c->y, m, banned,
	    "is for ocsp-signer steps")) != CER_OK) ||
	    (r = cer_certprofile_refuse(&c->y, m, cross ? cross_banned : int_banned, cross ?
	    "is copied from the certificate being cross-signed" :
	    "is for cross-certificate steps")) != CER_OK)
		return r;
	if (p->private_set)	/* RFC 5280 only (docs/script.md, "Private hierarchies") */
		return cer_certprofile_private_subca(&c->y, m, p, cross);
	if (p->crl_url == NULL)
		return cer_yaml_missing(&c->y, m,
		    "a subordinate CA's certificate-profile (BR 7.1.2.11.2)",
		    "crl-url");
	if (p->issuer_url == NULL)
		return cer_yaml_missing(&c->y, m,
		    "a subordinate CA's certificate-profile (Boulder, "
		    "BR 7.1.2.10.3)", "issuer-url");
	if ((r = http_only(c, p->crl_url, p->crl_url_pos, "crl-url")) != CER_OK ||
	    (r = http_only(c, p->issuer_url, p->issuer_url_pos, "issuer-url")) != CER_OK ||
	    (r = http_only(c, p->ocsp_url, p->ocsp_url_pos, "ocsp-url")) != CER_OK ||
	    (r = subca_policies(c, m, st)) != CER_OK ||
	    (r = subca_ekus(c, st)) != CER_OK ||
	    (r = cer_certprofile_nc(&c->y, m, p)) != CER_OK)
		return r;
	return ca_key_usages(c, p, "a subordinate CA");
}
