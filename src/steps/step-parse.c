/*
 * step-parse.c: how a signing step (intermediate, cross-certificate,
 * ocsp-signer, cross-csr) is written: its issuer, subject key and
 * existing certificate, each an earlier step or a file from an earlier
 * ceremony (Boulder's inputs:), the key that signs, its output, its
 * certificate-profile (each type's rules) and skip-lints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script/certprofile.h"
#include "script/fields.h"
#include "script/tokenspec.h"
#include "steps/step.h"

static const char *const input_keys[] = { "public-key-path", "issuer-certificate-path",
    "certificate-to-cross-sign-path", NULL };

#define MASK(t) (1u << (t))
#define CA_STEPS (MASK(CER_STEP_ROOT) | MASK(CER_STEP_INTERMEDIATE) | \
	MASK(CER_STEP_CROSS_CERTIFICATE))

const struct cer_step_key cer_step_signing_keys[] = {
	{ "token", 1 }, { "pkcs11", 0 }, { "label", 1 }, { "issuer", 1 }, { "subject-key", 1 },
	{ "certificate-to-cross-sign", 1 }, { "signing-key", 1 }, { "inputs", 0 },
	{ "outputs", 0 }, { "certificate-profile", 0 }, { "skip-lints", 0 }, { NULL, 0 },
};

/* Which inputs and outputs each signing type takes (Boulder's names). */
static int
signing_io_allowed(enum cer_step_type t, const char *key)
{
	if (strcmp(key, "public-key-path") == 0)
		return 1;
	if (strcmp(key, "issuer-certificate-path") == 0)
		return t != CER_STEP_CROSS_CSR;
	if (strcmp(key, "certificate-to-cross-sign-path") == 0)
		return t == CER_STEP_CROSS_CERTIFICATE;
	if (strcmp(key, "csr-path") == 0)
		return t == CER_STEP_CROSS_CSR;
	if (strcmp(key, "certificate-path") == 0)
		return t != CER_STEP_CROSS_CSR;
	return 0;
}

/* name: "inputs" or "outputs" */
static int
io_map(const struct cer_parse *c, const struct cer_yaml_node *m, const struct cer_step *st,
    const char *name, const char *const *keys)
{
	char what[16];
	const struct cer_yaml_node *k;
	size_t i;
	int r;

	snprintf(what, sizeof(what), "'%s'", name);
	if ((r = cer_yaml_check_map(&c->y, m, what, keys, cer_fields_output_hints)) != CER_OK)
		return r;
	for (i = 0; i < m->nkids; i += 2) {
		k = m->kids[i];
		if (!signing_io_allowed(st->type, k->str))
			return cer_yaml_fail(&c->y, k->pos,
			    "%s step takes no %s '%s'; remove it",
			    cer_fields_a_type(st->type), name, k->str);
	}
	return CER_OK;
}

static int
signing_inputs(const struct cer_parse *c, const struct cer_yaml_node *m, struct cer_step *st)
{
	const struct cer_yaml_node *v = cer_yaml_val(m, "inputs");
	int r;

	if (v == NULL)
		return CER_OK;
	if ((r = io_map(c, v, st, "inputs", input_keys)) != CER_OK ||
	    (r = cer_yaml_opt_text(&c->y, v, "public-key-path", &st->in_public_key,
	    &st->in_public_key_pos)) != CER_OK ||
	    (r = cer_yaml_opt_text(&c->y, v, "issuer-certificate-path", &st->in_issuer_cert,
	    &st->in_issuer_cert_pos)) != CER_OK)
		return r;
	return cer_yaml_opt_text(&c->y, v, "certificate-to-cross-sign-path", &st->in_cross_cert,
	    &st->in_cross_cert_pos);
}

static int
signing_outputs(const struct cer_parse *c, const struct cer_yaml_node *m, struct cer_step *st)
{
	const struct cer_yaml_node *v = cer_yaml_val(m, "outputs");
	const char *want = st->type == CER_STEP_CROSS_CSR ? "csr-path" : "certificate-path";
	int r;

	if (v == NULL)
		return cer_yaml_missing(&c->y, m, "this step", "outputs");
	if ((r = io_map(c, v, st, "outputs", cer_fields_output_keys)) != CER_OK)
		return r;
	if (cer_yaml_val(v, want) == NULL)
		return cer_yaml_missing(&c->y, v, "'outputs'", want);
	return cer_fields_output(c, v, want, st);
}

int
cer_step_one_of(const struct cer_parse *c, const struct cer_yaml_node *m, const struct cer_step *st,
    const char *field,
    const char *path, const char *path_val, struct cer_pos path_pos)
{
	const struct cer_yaml_node *k = cer_yaml_key(m, field);

	if (k != NULL && path_val != NULL)
		return cer_yaml_fail(&c->y, path_pos,
		    "'%s' and inputs.%s both say where it comes "
		    "from; give only one", field, path);
	if (k == NULL && path_val == NULL)
		return cer_yaml_fail(&c->y, m->pos,
		    "this %s step needs '%s' (an earlier step) or "
		    "inputs.%s (a file from an earlier ceremony); add one",
		    cer_step_type_name(st->type), field, path);
	return CER_OK;
}

/* The signing key: the issuer step's key, or token + label (or pkcs11) for a file issuer. */
int
cer_step_parse_signing_key(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx)
{
	static const char *const banned[] = { "token", "pkcs11", "label", NULL };
	struct cer_step *st = &c->s->steps[idx];
	const struct cer_step *ks;
	const char *const *b;
	char bb[CER_YAML_SHOW];
	size_t key;

	if (st->issuer == CER_NO_INDEX && st->signing_key == CER_NO_INDEX)
		return cer_tokenspec_step(c, m, idx, 1);
	for (b = banned; *b != NULL; b++)
		if (cer_yaml_key(m, *b) != NULL)
			return cer_yaml_fail(&c->y, cer_yaml_key(m, *b)->pos,
			    "'%s' is not used when %s "
			    "names the signing key; remove it", *b,
			    st->issuer != CER_NO_INDEX ? "issuer" : "signing-key");
	key = st->signing_key;
	if (st->issuer != CER_NO_INDEX) {
		if (c->s->steps[st->issuer].type == CER_STEP_CROSS_CERTIFICATE)
			return cer_yaml_fail(&c->y, st->issuer_pos,
			    "a cross-certificate is not an "
			    "issuer of its own: name the step that made the CA's key and "
			    "its first certificate");
		key = cer_script_cert_key_step(c->s, st->issuer);
		if (key == CER_NO_INDEX)
			return cer_yaml_fail(&c->y, st->issuer_pos,
			    "the key of step '%s' came from a "
			    "file, so this script does not know its token; give "
			    "inputs.issuer-certificate-path with token and label instead",
			    cer_yaml_show(bb, c->s->steps[st->issuer].id,
			    strlen(c->s->steps[st->issuer].id)));
	}
	ks = &c->s->steps[key];
	st->signing_key = key;
	st->token = ks->token;
	st->token_pos = ks->token_pos;
	st->label_pos = ks->label_pos;
	return (st->label = strdup(ks->label)) == NULL ? cer_yaml_nomem() : CER_OK;
}

/* issuer:, subject-key:, certificate-to-cross-sign:, signing-key: (cross-csr). */
static int
signing_refs(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx)
{
	struct cer_step *st = &c->s->steps[idx];
	const struct cer_yaml_node *v;
	int r;

	if ((v = cer_yaml_val(m, "issuer")) != NULL && (r = cer_fields_step_ref(c, v, idx,
	    "issuer",
	    CA_STEPS, "a root, intermediate or cross-certificate step", &st->issuer,
	    &st->issuer_pos)) != CER_OK)
		return r;
	if ((v = cer_yaml_val(m, "subject-key")) != NULL && (r = cer_fields_step_ref(c, v, idx,
	    "subject-key", MASK(CER_STEP_KEY), "a key step", &st->subject_key,
	    &st->subject_key_pos)) != CER_OK)
		return r;
	if ((v = cer_yaml_val(m,
	    "certificate-to-cross-sign")) != NULL && (r = cer_fields_step_ref(c, v,
	    idx, "certificate-to-cross-sign", MASK(CER_STEP_ROOT) |
	    MASK(CER_STEP_INTERMEDIATE), "a root or intermediate step", &st->cross_of,
	    &st->cross_of_pos)) != CER_OK)
		return r;
	if ((v = cer_yaml_val(m, "signing-key")) != NULL && (r = cer_fields_step_ref(c, v, idx,
	    "signing-key", MASK(CER_STEP_KEY), "a key step", &st->signing_key,
	    &st->signing_key_pos)) != CER_OK)
		return r;
	return CER_OK;
}

/* The keys each signing type refuses, with what to do instead. */
static int
signing_forbid(const struct cer_parse *c, const struct cer_yaml_node *m,
    const struct cer_step *st)
{
	static const char *const never[] = { "key", NULL };
	const char *const *k;
	const struct cer_yaml_node *n;
	int csr = st->type == CER_STEP_CROSS_CSR;

	for (k = never; *k != NULL; k++)
		if ((n = cer_yaml_key(m, *k)) != NULL)
			return cer_yaml_fail(&c->y, n->pos,
			    "%s step generates no key; remove '%s' "
			    "(a key step makes the key)", cer_fields_a_type(st->type), *k);
	if (!csr && (n = cer_yaml_key(m, "signing-key")) != NULL)
		return cer_yaml_fail(&c->y, n->pos, "%s step signs with its issuer's key: name "
		    "the issuer with 'issuer' instead of 'signing-key'",
		    cer_fields_a_type(st->type));
	if (csr && (n = cer_yaml_key(m, "issuer")) != NULL)
		return cer_yaml_fail(&c->y, n->pos,
		    "a cross-csr is signed by the subject's own key; "
		    "name it with 'signing-key' (a key step), not 'issuer'");
	if (csr && (n = cer_yaml_key(m, "subject-key")) != NULL)
		return cer_yaml_fail(&c->y, n->pos,
		    "a cross-csr is signed by the key it is for; "
		    "name it with 'signing-key', not 'subject-key'");
	if (st->type != CER_STEP_CROSS_CERTIFICATE &&
	    (n = cer_yaml_key(m, "certificate-to-cross-sign")) != NULL)
		return cer_yaml_fail(&c->y, n->pos, "only a cross-certificate step takes "
		    "'certificate-to-cross-sign'; remove it");
	if (st->type == CER_STEP_CROSS_CERTIFICATE && (n = cer_yaml_key(m,
	    "subject-key")) != NULL)
		return cer_yaml_fail(&c->y, n->pos,
		    "a cross-certificate's key is the key of the "
		    "certificate it cross-signs; remove 'subject-key'");
	if (csr && (n = cer_yaml_key(m, "skip-lints")) != NULL)
		return cer_yaml_fail(&c->y, n->pos,
		    "a cross-csr is not linted; remove 'skip-lints'");
	return CER_OK;
}

/* Where issuer, subject key and existing certificate come from: one way each. */
static int
signing_sources(const struct cer_parse *c, const struct cer_yaml_node *m,
    const struct cer_step *st)
{
	int csr = st->type == CER_STEP_CROSS_CSR,
	    cross = st->type == CER_STEP_CROSS_CERTIFICATE;
	int r;

	if (csr) {
		if (cer_yaml_key(m, "signing-key") != NULL && st->in_public_key != NULL)
			return cer_yaml_fail(&c->y, st->in_public_key_pos,
			    "'signing-key' names the "
			    "key already; remove inputs.public-key-path");
		if (cer_yaml_key(m, "signing-key") == NULL && st->in_public_key == NULL)
			return cer_yaml_fail(&c->y, m->pos,
			    "a cross-csr step needs 'signing-key' (an "
			    "earlier key step) or inputs.public-key-path with token and "
			    "label; add one");
		return CER_OK;
	}
	if ((r = cer_step_one_of(c, m, st, "issuer", "issuer-certificate-path", st->in_issuer_cert,
	    st->in_issuer_cert_pos)) != CER_OK)
		return r;
	if (cross)
		return cer_step_one_of(c, m, st, "certificate-to-cross-sign",
		    "certificate-to-cross-sign-path", st->in_cross_cert, st->in_cross_cert_pos);
	return cer_step_one_of(c, m, st, "subject-key", "public-key-path", st->in_public_key,
	    st->in_public_key_pos);
}

static int
signing_profile(const struct cer_parse *c, const struct cer_yaml_node *pv, struct cer_step *st,
    int (*rules)(const struct cer_parse *, const struct cer_yaml_node *, struct cer_step *))
{
	struct cer_cert_profile *p = &st->profile;
	const struct cer_key_spec *k;
	int r;

	if ((r = rules(c, pv, st)) != CER_OK)
		return r;
	if (p->sigalg == CER_SIG_ED25519 && (r = cer_fields_ed25519(c,
	    p->sigalg_pos)) != CER_OK)
		return r;
	if (st->signing_key == CER_NO_INDEX)	/* the plan checks it against the file */
		return CER_OK;
	k = &c->s->steps[st->signing_key].key;
	if (p->sigalg == CER_SIG_NONE)
		p->sigalg = cer_sigalg_default(k->type, k->curve);
	return cer_certprofile_sigalg_fits(&c->y, k, p);
}

int
cer_step_parse_signing(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx,
    int (*rules)(const struct cer_parse *, const struct cer_yaml_node *, struct cer_step *))
{
	struct cer_step *st = &c->s->steps[idx];
	const struct cer_yaml_node *pv = cer_yaml_val(m, "certificate-profile");
	const struct cer_yaml_node *sl = cer_yaml_val(m, "skip-lints");
	int r;

	if ((r = signing_forbid(c, m, st)) != CER_OK ||
	    (r = signing_refs(c, m, idx)) != CER_OK ||
	    (r = signing_inputs(c, m, st)) != CER_OK ||
	    (r = signing_sources(c, m, st)) != CER_OK ||
	    (r = cer_step_parse_signing_key(c, m, idx)) != CER_OK ||
	    (r = signing_outputs(c, m, st)) != CER_OK)
		return r;
	if (pv == NULL)
		return cer_yaml_missing(&c->y, m, "this step", "certificate-profile");
	if ((r = signing_profile(c, pv, st, rules)) != CER_OK)
		return r;
	return sl == NULL ? CER_OK : cer_fields_skip_lints(c, sl, st);
}
