/*
 * step-ocsp-signer.c: the ocsp-signer step type (Boulder's historical
 * name): a delegated OCSP responder certificate (BR 7.1.2.8) signed with
 * the issuer's key.
 */
#include "steps/step.h"

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
	.lint_profile = lint_profile,
	.plan = cer_step_plan_issued,
	.build_tbs = cer_step_build_issued,
	.run = cer_step_run_issued,
	.print = cer_step_print_issued,
};
