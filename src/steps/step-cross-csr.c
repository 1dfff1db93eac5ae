/*
 * step-cross-csr.c: the cross-csr step type (Boulder's): a PKCS#10
 * request carrying the profile's subject, signed by the key it is for, for
 * another CA to cross-sign.  A CSR is not linted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script/certprofile.h"
#include "steps/step.h"
#include "x509/profile.h"

/*
 * A CSR carries the subject only (Boulder's cross-csr); policy-url names
 * the CPS profile it follows, as on every Boulder profile, and is not in it.
 */
static int
csr_rules(const struct cer_parse *c, const struct cer_yaml_node *m, struct cer_step *st)
{
	static const char *const banned[] = { "not-before", "not-after", "crl-url",
	    "issuer-url", "ocsp-url", "policies", "key-usages", "ekus", "serial",
	    "path-length", "max-validity-days", "allow-other-organization",
	    "name-constraints", "extension-order", "critical-extensions", "subject-key-id",
	    "authority-key-id", NULL };
	int r;

	if ((r = cer_certprofile_refuse(&c->y, m, banned, "is not part of a CSR (a cross-csr "
	    "carries the subject only)")) != CER_OK)
		return r;
	return cer_certprofile_parse(&c->y, m, &st->profile, cer_certprofile_subject_required);
}

static int
parse(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx)
{
	return cer_step_parse_signing(c, m, idx, csr_rules);
}

static int
build_tbs(const struct cer_source *src, size_t i, struct cer_tbs *out)
{
	const struct cer_step *st = &src->script->steps[i];
	EVP_PKEY *pub = NULL;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = src->key(src->arg, cer_step_key_owner(st, i), &pub)) == CER_OK)
		r = cer_profile_csr(&st->profile, pub, &out->req);
	EVP_PKEY_free(pub);
	return r;
}

static int
record_csr(struct cer_ctx *ctx, const struct cer_step *step, X509_REQ *csr, json_t *signing,
    const char *pem)
{
	char subject[1024];
	json_t *key = NULL;
	int r;

	cer_profile_name_text(X509_REQ_get_subject_name(csr), subject, sizeof(subject));
	if ((r = cer_profile_key_json(X509_REQ_get0_pubkey(csr), &key)) != CER_OK)
		return r;
	printf("%s: signed CSR '%s'\n", step->id, subject);
	return cer_ctx_record(ctx, "csr-signed", json_pack("{s:s, s:s, s:o, s:O, s:s}", "step",
	    step->id, "subject", subject, "public_key", key, "signing", signing, "pem", pem));
}

static int
sign_csr(struct cer_ctx *ctx, const struct cer_step *step, size_t index, struct cer_signer *s,
    struct cer_tbs *tbs)
{
	struct cer_ctx_confirm_arg cc = { ctx, step, NULL, NULL, NULL };
	struct cer_source src;
	X509_REQ *csr = NULL;
	json_t *record = NULL;
	char what[1600], subject[1024], *pem = NULL;
	size_t pem_len = 0;
	int r;

	cer_step_run_source(ctx, &src);
	if ((r = cer_hsm_key_public(s->tok, s->key, &s->pub)) != CER_OK ||
	    (r = build_tbs(&src, index, tbs)) != CER_OK)
		goto out;
	snprintf(what, sizeof(what), "step %s: sign a CSR for %s with key '%s' on token '%s' "
	    "using %s", step->id, cer_step_subject_text(&step->profile, subject,
	    sizeof(subject)),
	    cer_hsm_key_label(s->key), cer_hsm_token_label(s->tok), cer_sigalg_name(s->alg));
	cc.what = what;
	if ((r = cer_sign_request(tbs->req, s, cer_ctx_confirm_tbs, &cc, &csr, &record)) !=
	    CER_OK || (r = cer_profile_csr_pem(csr, &pem, &pem_len)) != CER_OK ||
	    (r = record_csr(ctx, step, csr, record, pem)) != CER_OK)
		goto out;
	r = cer_ctx_output(ctx, step, "csr", cer_step_output_path(step, "csr-path"), pem,
	    pem_len);
 out:
	X509_REQ_free(csr);
	json_decref(record);
	free(pem);
	return r;
}

static int
run(struct cer_ctx *ctx, const struct cer_step *step, size_t index)
{
	size_t owner = cer_step_key_owner(step, index);
	struct cer_signer s = { ctx->tokens[step->token], ctx->keys[owner], NULL,
	    ctx->plan->steps[index].alg };
	struct cer_tbs tbs = { 0 };
	int r;

	if (cer_step_signed_before(ctx, index))
		return cer_step_write_recorded(ctx, step, index);
	r = sign_csr(ctx, step, index, &s, &tbs);
	EVP_PKEY_free(s.pub);
	cer_tbs_clear(&tbs);
	return r;
}

static void
print(const struct cer_script *s, const struct cer_plan *plan, size_t i)
{
	const struct cer_step *st = &s->steps[i];
	char subject[1024];

	printf(" sign a CSR for %s with key '%s' on token %s using %s",
	    cer_step_subject_text(&st->profile, subject, sizeof(subject)), st->label,
	    s->tokens[st->token].name, plan->steps[i].alg != CER_SIG_NONE ?
	    cer_sigalg_name(plan->steps[i].alg) : "the key's default algorithm");
}

const struct cer_step_impl cer_step_cross_csr_impl = {
	.type = CER_STEP_CROSS_CSR,
	.does = "sign a CSR with the subject's own HSM key",
	.flags = CER_STEP_SIGNS,
	.keys = cer_step_signing_keys,
	.parse = parse,
	.build_tbs = build_tbs,
	.run = run,
	.print = print,
};
