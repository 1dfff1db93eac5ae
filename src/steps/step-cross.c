/*
 * step-cross.c: the cross-certificate step type: an existing CA
 * certificate's subject, key, SKI and pathLen certified again by another
 * issuer (BR 7.1.2.2).
 */
#include "steps/step.h"

static int
parse(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx)
{
	return cer_step_parse_signing(c, m, idx, cer_step_subca_rules);
}

static enum cer_lint_profile
lint_profile(const struct cer_step *st)
{
	(void)st;
	return CER_LINT_CROSS;
}

static int
plan(const struct cer_script *s, size_t i, struct cer_plan_step *ps)
{
	struct cer_plan_cert issuer;
	int r;

	if ((r = cer_plan_issued(s, i, ps, &issuer)) != CER_OK)
		return r;
	return cer_plan_cross(s, &s->steps[i], ps, &issuer);
}

const struct cer_step_impl cer_step_cross_impl = {
	.type = CER_STEP_CROSS_CERTIFICATE,
	.does = "cross-sign an existing CA certificate with the issuer's key",
	.flags = CER_STEP_SIGNS,
	.keys = cer_step_signing_keys,
	.parse = parse,
	.lint_profile = lint_profile,
	.plan = plan,
	.build_tbs = cer_step_build_issued,
	.run = cer_step_run_issued,
	.print = cer_step_print_issued,
};
