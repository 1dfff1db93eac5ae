/*
 * step-root.c: the root step type: a self-signed root CA certificate, by a
 * key the step generates or the key of an earlier key step (signing-key).
 */
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "script/certprofile.h"
#include "script/fields.h"
#include "steps/step.h"
#include "x509/profile.h"

/* BR 7.1.2.1.2 and the root's key usages and EKUs. */
static int
root_rules(const struct cer_parse *c, const struct cer_yaml_node *m, struct cer_cert_profile *p)
{
	static const char *const banned[] = { "policies", "crl-url", "issuer-url",
	    "ocsp-url", "path-length", "max-validity-days", "allow-other-organization",
	    "name-constraints", NULL };
	const char *const *b;
	const unsigned need = CER_KU_CERT_SIGN | CER_KU_CRL_SIGN;

	for (b = banned; *b != NULL; b++)
		if (cer_yaml_key(m, *b) != NULL)
			return cer_yaml_fail(&c->y, cer_yaml_key(m, *b)->pos,
			    "a root certificate "
			    "carries no %s (BR 7.1.2.1.2); remove it", *b);
	if (!p->has_key_usages)
		p->key_usages = need;
	else if ((p->key_usages & need) != need)
		return cer_yaml_fail(&c->y, p->key_usages_pos,
		    "a root certificate's key-usages "
		    "must include Cert Sign and CRL Sign; add %s",
		    (p->key_usages & CER_KU_CERT_SIGN) ? "CRL Sign" :
		    (p->key_usages & CER_KU_CRL_SIGN) ? "Cert Sign" :
		    "Cert Sign and CRL Sign");
	if (p->ekus != CER_EKUS_UNSET && p->ekus != CER_EKUS_NONE)
		return cer_yaml_fail(&c->y, p->ekus_pos,
		    "a root certificate carries no extended "
		    "key usages; write 'ekus: none' or remove it");
	return CER_OK;
}

/* The root's certificate-profile, its signature algorithm against its key, skip-lints. */
static int
root_profile(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx)
{
	struct cer_step *st = &c->s->steps[idx];
	const struct cer_yaml_node *pv = cer_yaml_val(m, "certificate-profile");
	const struct cer_yaml_node *sl = cer_yaml_val(m, "skip-lints");
	const struct cer_key_spec *k;
	int r;

	if (pv == NULL)
		return cer_yaml_missing(&c->y, m, "a root step", "certificate-profile");
	if ((r = cer_certprofile_parse(&c->y, pv, &st->profile,
	    cer_certprofile_required)) != CER_OK ||
	    (r = st->profile.private_set ? cer_certprofile_private_root(&c->y, pv,
	    &st->profile) : root_rules(c, pv, &st->profile)) != CER_OK)
		return r;
	k = st->signing_key != CER_NO_INDEX ?
	    &c->s->steps[st->signing_key].key : &st->key;
	if ((r = cer_certprofile_sigalg_fits(&c->y, k, &st->profile)) != CER_OK)
		return r;
	return sl == NULL ? CER_OK : cer_fields_skip_lints(c, sl, st);
}

/* A root that signs with a key step's key names no token, label or key of its own. */
static int
parse(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx)
{
	static const char *const unused[] = { "token", "pkcs11", "label", "key", NULL };
	const char *const *k;
	int r;

	for (k = unused; cer_yaml_key(m, "signing-key") != NULL && *k != NULL; k++)
		if (cer_yaml_key(m, *k) != NULL)
			return cer_yaml_fail(&c->y, cer_yaml_key(m, *k)->pos,
			    "'%s' is not used "
			    "when signing-key names the key; remove it", *k);
	if ((r = cer_fields_key_step(c, m, idx)) != CER_OK)
		return r;
	return root_profile(c, m, idx);
}

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
		r = cer_profile_root(&st->profile, pub, serial, len, !src->script->boulder, &out->cert);
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
	char what[1400], subject[1024];
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
	char nb[21], na[21], subject[1024];

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

static const struct cer_step_key keys[] = {
	{ "token", 1 }, { "pkcs11", 0 }, { "label", 1 }, { "signing-key", 1 }, { "key", 0 },
	{ "outputs", 0 }, { "certificate-profile", 0 }, { "skip-lints", 0 }, { NULL, 0 },
};

const struct cer_step_impl cer_step_root_impl = {
	.type = CER_STEP_ROOT,
	.does = "generate (or use) a key and self-sign a root CA certificate",
	.keys = keys,
	.parse = parse,
	.lint_profile = lint_profile,
	.build_tbs = build_tbs,
	.run = run,
	.print = print,
};
