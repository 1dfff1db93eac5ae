/*
 * step.c: the registry of step types.  A type this version recognised but
 * could not run yet had no row, and the loader said so (none today).
 */
#include <stddef.h>

#include "steps/step.h"

extern const struct cer_step_impl cer_step_key_impl;
extern const struct cer_step_impl cer_step_root_impl;
extern const struct cer_step_impl cer_step_intermediate_impl;
extern const struct cer_step_impl cer_step_cross_impl;
extern const struct cer_step_impl cer_step_ocsp_signer_impl;
extern const struct cer_step_impl cer_step_cross_csr_impl;
extern const struct cer_step_impl cer_step_crl_impl;
extern const struct cer_step_impl cer_step_ocsp_response_impl;

static const struct cer_step_impl *const impls[] = {
	&cer_step_key_impl,
	&cer_step_root_impl,
	&cer_step_intermediate_impl,
	&cer_step_cross_impl,
	&cer_step_ocsp_signer_impl,
	&cer_step_cross_csr_impl,
	&cer_step_crl_impl,
	&cer_step_ocsp_response_impl,
};

const struct cer_step_impl *
cer_step_impl(enum cer_step_type type)
{
	size_t i;

	for (i = 0; i < sizeof(impls) / sizeof(impls[0]); i++)
		if (impls[i]->type == type)
			return impls[i];
	return NULL;
}

const struct cer_step_impl *
cer_step_impl_at(size_t i)
{
	return i < sizeof(impls) / sizeof(impls[0]) ? impls[i] : NULL;
}

size_t
cer_step_key_owner(const struct cer_step *step, size_t index)
{
	return step->signing_key != CER_NO_INDEX ? step->signing_key : index;
}

void
cer_tbs_clear(struct cer_tbs *t)
{
	X509_free(t->cert);
	X509_REQ_free(t->req);
	X509_CRL_free(t->crl);
	t->cert = NULL;
	t->req = NULL;
	t->crl = NULL;
	cer_ocsp_tbs_free(t->ocsp);
	t->cert = NULL;
	t->req = NULL;
	t->ocsp = NULL;
	t->issuer = t->existing = NULL;
	t->crl_spec = NULL;
}
