/*
 * step-intermediate.c: the intermediate step type: a subordinate CA
 * certificate (BR 7.1.2.6; 7.1.2.5 when it carries name constraints)
 * signed with the issuer's key.
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
	return st->profile.nc.present ? CER_LINT_SUBORDINATE_TC : CER_LINT_SUBORDINATE;
}

const struct cer_step_impl cer_step_intermediate_impl = {
	.type = CER_STEP_INTERMEDIATE,
	.does = "sign a subordinate CA certificate with the issuer's key",
	.flags = CER_STEP_SIGNS,
	.keys = cer_step_signing_keys,
	.parse = parse,
	.lint_profile = lint_profile,
	.plan = cer_step_plan_issued,
	.build_tbs = cer_step_build_issued,
	.run = cer_step_run_issued,
	.print = cer_step_print_issued,
};
