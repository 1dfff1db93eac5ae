/*
 * step-ocsp-signer.c: the ocsp-signer step type (Boulder's historical
 * name): a delegated OCSP responder certificate (BR 7.1.2.8) signed with
 * the issuer's key.
 */
#include "script/certprofile.h"
#include "steps/step.h"

/* BR 7.1.2.8: a delegated OCSP responder; Boulder's historical ocsp-signer fields. */
static int
ocsp_signer_rules(const struct cer_parse *c, const struct cer_yaml_node *m, struct cer_step *st)
{
	static const char *const banned[] = { "key-usages", "crl-url", "ocsp-url",
	    "policies", "ekus", "path-length", "allow-other-organization",
	    "name-constraints", NULL };
	static const char *const no_aia[] = { "issuer-url", NULL };
	struct cer_cert_profile *p = &st->profile;
	long long days;
	int r;

	if ((r = cer_certprofile_parse(&c->y, m, p, cer_certprofile_required)) != CER_OK ||
	    (r = cer_certprofile_refuse(&c->y, m, banned,
	    "is fixed for an OCSP responder certificate "
	    "(BR 7.1.2.8: keyUsage digitalSignature, EKU OCSPSigning, no CRL DP, no "
	    "policies)")) != CER_OK ||
	    (r = cer_certprofile_refuse(&c->y, m, no_aia,
	    "would put id-ad-caIssuers in an OCSP responder "
	    "certificate, which BR 7.1.2.8.3 forbids (relying parties hold the issuer already; "
	    "older Boulder configs carried it)")) != CER_OK)
		return r;
	p->key_usages = CER_KU_DIGITAL_SIGNATURE;
	days = (long long)((p->not_after - p->not_before) / 86400) + 1;
	if (days > (long long)p->max_validity_days)
		return cer_yaml_fail(&c->y, p->not_after_pos,
		    "an OCSP responder certificate is valid "
		    "for at most %lu days here (%lld asked); clients never check its "
		    "revocation (nocheck), so keep it short: move not-after earlier",
		    p->max_validity_days, days);
	return CER_OK;
}

static int
parse(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx)
{
	return cer_step_parse_signing(c, m, idx, ocsp_signer_rules);
}

static enum cer_lint_profile
lint_profile(const struct cer_step *st)
{
	(void)st;
	return CER_LINT_OCSP_RESPONDER;
}

const struct cer_step_impl cer_step_ocsp_signer_impl = {
	.type = CER_STEP_OCSP_SIGNER,
	.does = "sign a delegated OCSP responder certificate with the issuer's key",
	.flags = CER_STEP_SIGNS,
	.keys = cer_step_signing_keys,
	.parse = parse,
	.lint_profile = lint_profile,
	.plan = cer_step_plan_issued,
	.build_tbs = cer_step_build_issued,
	.run = cer_step_run_issued,
	.print = cer_step_print_issued,
};
