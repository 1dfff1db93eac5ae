/*
 * step-root.c: the root step type: a self-signed root CA certificate, by a
 * key the step generates or the key of an earlier key step (signing-key).
 */
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "steps/step.h"
#include "x509/profile.h"

static enum cer_lint_profile
lint_profile(const struct cer_step *st)
{
	(void)st;
	return CER_LINT_ROOT;
}

static int
build_tbs(const struct cer_source *src, size_t i, struct cer_tbs *out)
{
	const struct cer_step *st = &src->script->steps[i];
	unsigned char serial[20];
	EVP_PKEY *pub = NULL;
	size_t len = 0;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = src->key(src->arg, cer_step_key_owner(st, i), &pub)) == CER_OK &&
	    (r = src->serial(src->arg, i, serial, &len)) == CER_OK)
		r = cer_profile_root(&st->profile, pub, serial, len, &out->cert);
	EVP_PKEY_free(pub);
	return r;
}

static int
sign_root(struct cer_ctx *ctx, const struct cer_step *step, size_t index)
{
	size_t owner = cer_step_key_owner(step, index);
	struct cer_signer s = { ctx->tokens[ctx->script->steps[owner].token], ctx->keys[owner],
	    NULL, step->profile.sigalg };
	struct cer_source src;
	struct cer_tbs tbs = { 0 };
	char what[400], subject[300];
	int r = CER_ERR_INTERNAL;

	cer_step_run_source(ctx, &src);
	if ((r = cer_hsm_key_public(s.tok, s.key, &s.pub)) != CER_OK ||
	    (r = build_tbs(&src, index, &tbs)) != CER_OK)
		goto out;
	snprintf(what, sizeof(what), "step %s: sign the root certificate %s with key '%s' on "
	    "token '%s' using %s", step->id, cer_step_subject_text(&step->profile, subject,
	    sizeof(subject)), cer_hsm_key_label(s.key), cer_hsm_token_label(s.tok),
	    cer_sigalg_name(step->profile.sigalg));
	r = cer_step_sign_certificate(ctx, step, index, tbs.cert, &s, NULL, "root", what);
 out:
	EVP_PKEY_free(s.pub);
	cer_tbs_clear(&tbs);
	return r;
}

static int
run(struct cer_ctx *ctx, const struct cer_step *step, size_t index)
{
	int r;

	if (step->signing_key == CER_NO_INDEX &&
	    (r = cer_step_generate_key(ctx, step, index)) != CER_OK)
		return r;
	if (cer_step_signed_before(ctx, index))
		return cer_step_write_recorded(ctx, step, index);
	return sign_root(ctx, step, index);
}

static void
print(const struct cer_script *s, const struct cer_plan *plan, size_t i)
{
	const struct cer_step *st = &s->steps[i];
	const struct cer_cert_profile *p = &st->profile;
	char nb[21], na[21], subject[300];

	(void)plan;
	cer_time_str(p->not_before, nb);
	cer_time_str(p->not_after, na);
	printf(" self-sign %s with %s%s using %s, valid %s to %s (%lld days)",
	    cer_step_subject_text(p, subject, sizeof(subject)),
	    st->signing_key != CER_NO_INDEX ? "the key of step " : "that key",
	    st->signing_key != CER_NO_INDEX ? s->steps[st->signing_key].id : "",
	    cer_sigalg_name(p->sigalg), nb, na,
	    (long long)((p->not_after - p->not_before) / 86400 + 1));
}

const struct cer_step_impl cer_step_root_impl = {
	.type = CER_STEP_ROOT,
	.does = "generate (or use) a key and self-sign a root CA certificate",
	.lint_profile = lint_profile,
	.build_tbs = build_tbs,
	.run = run,
	.print = print,
};
