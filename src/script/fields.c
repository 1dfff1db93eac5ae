/*
 * fields.c: what steps of every type are made of: the key a step makes
 * (its token, label and key block) or the key step it signs with, its
 * outputs, its skip-lints, and references to earlier steps by id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script/certprofile.h"
#include "script/fields.h"
#include "script/tokenspec.h"

const char *const cer_fields_output_keys[] = { "public-key-path", "certificate-path",
    "csr-path", NULL };
/* A Boulder key config's outputs: Boulder's pkcs11-config-path besides the public key. */
static const char *const boulder_key_output_keys[] = { "public-key-path",
    "pkcs11-config-path", "certificate-path", "csr-path", NULL };
const struct cer_yaml_hint cer_fields_output_hints[] = {
	{ "pkcs11-config-path", "is written only by a Boulder key config (it holds "
	    "the PIN in clear); remove it" },
	{ NULL, NULL },
};
static const char *const lint_keys[] = { "name", "reason", NULL };

int
cer_fields_skip_lints(const struct cer_parse *c, const struct cer_yaml_node *v,
    struct cer_step *st)
{
	const struct cer_yaml_node *it;
	struct cer_skip_lint *l;
	size_t i;
	int r;

	if ((r = cer_yaml_want_kind(&c->y, v, CER_YAML_SEQ, "'skip-lints'")) != CER_OK)
		return r;
	if ((st->skip_lints = calloc(v->nkids ? v->nkids : 1, sizeof(*l))) == NULL)
		return cer_yaml_nomem();
	for (i = 0; i < v->nkids; i++) {
		it = v->kids[i];
		l = &st->skip_lints[st->nskip_lints++];
		l->pos = it->pos;
		if (it->kind == CER_YAML_SCALAR) {
			if ((r = cer_yaml_want_text(&c->y, it, "skip-lints",
			    &l->name)) != CER_OK)
				return r;
			if (!c->s->boulder)	/* Boulder's form has no reason; a native script gives one */
				return cer_yaml_fail(&c->y, it->pos,
				    "say why '%s' is skipped: write "
				    "{name: %s, reason: ...}; the transcript records the reason",
				    l->name, l->name);
			continue;
		}
		if ((r = cer_yaml_check_map(&c->y, it, "a skip-lints entry", lint_keys,
		    NULL)) != CER_OK)
			return r;
		if (cer_yaml_val(it, "name") == NULL || cer_yaml_val(it, "reason") == NULL)
			return cer_yaml_missing(&c->y, it, "a skip-lints entry",
			    cer_yaml_val(it, "name") == NULL ? "name" : "reason");
		if ((r = cer_yaml_want_text(&c->y, cer_yaml_val(it, "name"), "name",
		    &l->name)) != CER_OK ||
		    (r = cer_yaml_want_text(&c->y, cer_yaml_val(it, "reason"), "reason",
		    &l->reason)) != CER_OK)
			return r;
	}
	return CER_OK;
}

/* Output paths (outputs and pkcs11 configs) are unique in the whole script. */
static int
path_unique(const struct cer_parse *c, const char *path, struct cer_pos pos, const char *self)
{
	const struct cer_step *st;
	char b[CER_YAML_SHOW];
	unsigned line = 0;
	size_t i, k;

	for (i = 0; i < c->s->nsteps && line == 0; i++) {
		st = &c->s->steps[i];
		for (k = 0; k < st->noutputs && line == 0; k++)
			if (st->outputs[k].path != self && strcmp(st->outputs[k].path, path) == 0)
				line = st->outputs[k].pos.line;
		if (line == 0 && st->pkcs11_config != NULL && st->pkcs11_config != self &&
		    strcmp(st->pkcs11_config, path) == 0)
			line = st->pkcs11_config_pos.line;
	}
	if (line == 0)
		return CER_OK;
	return cer_yaml_fail(&c->y, pos, "output path '%s' is also written at line %u; give "
	    "each output its own path", cer_yaml_show(b, path, strlen(path)), line);
}

int
cer_fields_output(const struct cer_parse *c, const struct cer_yaml_node *m, const char *key,
    struct cer_step *st)
{
	struct cer_output *o;
	struct cer_pos pos;
	char *path = NULL;
	int r;

	if ((r = cer_yaml_opt_text(&c->y, m, key, &path, &pos)) != CER_OK || path == NULL)
		return r;
	if (st->noutputs == CER_STEP_MAX_OUTPUTS) {
		free(path);
		return cer_fail(CER_ERR_INTERNAL, "step %s has too many outputs", st->id);
	}
	o = &st->outputs[st->noutputs++];
	o->key = key;
	o->path = path;
	o->pos = pos;
	return path_unique(c, o->path, o->pos, o->path);
}

/*
 * Boulder's outputs.pkcs11-config-path: the JSON its CA reads (module,
 * tokenLabel, pin), the PIN in clear, as Boulder writes it.  A PIN that
 * the config keeps out of files (prompt, file:, env:, fd:) is not put
 * into one.
 */
static int
pkcs11_config(const struct cer_parse *c, const struct cer_yaml_node *m, struct cer_step *st)
{
	const struct cer_token_spec *t;
	int r;

	if ((r = cer_yaml_opt_text(&c->y, m, "pkcs11-config-path", &st->pkcs11_config,
	    &st->pkcs11_config_pos)) != CER_OK || st->pkcs11_config == NULL)
		return r;
	t = &c->s->tokens[st->token];
	if (t->pin != NULL && !t->pin_literal)
		return cer_yaml_fail(&c->y, st->pkcs11_config_pos, "pkcs11-config-path writes the "
		    "PIN into that file in clear, but this config takes it from '%s' to keep "
		    "it out of files; give the PIN in the config as Boulder does (rehearsals), "
		    "or remove pkcs11-config-path", t->pin);
	return path_unique(c, st->pkcs11_config, st->pkcs11_config_pos, st->pkcs11_config);
}

int
cer_fields_key_outputs(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx)
{
	struct cer_step *st = &c->s->steps[idx];
	const struct cer_yaml_node *pk = cer_yaml_key(m, "public-key-path");
	const struct cer_yaml_node *cp = cer_yaml_key(m, "certificate-path");
	int boulder_key = c->s->boulder && st->type == CER_STEP_KEY, r;

	if ((r = cer_yaml_check_map(&c->y, m, "'outputs'", boulder_key ?
	    boulder_key_output_keys : cer_fields_output_keys,
	    boulder_key ? NULL : cer_fields_output_hints)) != CER_OK ||
	    (r = pkcs11_config(c, m, st)) != CER_OK)
		return r;
	if (st->type == CER_STEP_KEY && cp != NULL)
		return cer_yaml_fail(&c->y, cp->pos, "a key step writes no certificate; remove "
		    "'certificate-path'");
	if (cer_yaml_key(m, "csr-path") != NULL)
		return cer_yaml_fail(&c->y, cer_yaml_key(m, "csr-path")->pos,
		    "only a cross-csr step writes "
		    "a CSR; remove 'csr-path'");
	if (!cer_step_generates(st) && pk != NULL)
		return cer_yaml_fail(&c->y, pk->pos,
		    "the key step '%s' already wrote the public "
		    "key; remove 'public-key-path'", c->s->steps[st->signing_key].id);
	if (cer_step_generates(st) && pk == NULL)
		return cer_yaml_missing(&c->y, m, "'outputs'", "public-key-path");
	if (st->type == CER_STEP_ROOT && cp == NULL)
		return cer_yaml_missing(&c->y, m, "'outputs'", "certificate-path");
	if ((r = cer_fields_output(c, m, "public-key-path", st)) != CER_OK)
		return r;
	return cer_fields_output(c, m, "certificate-path", st);
}

/* Two key-generating steps on one token never share a label. */
static int
label_unique(const struct cer_parse *c, size_t idx)
{
	const struct cer_step *st = &c->s->steps[idx], *o;
	char b[CER_YAML_SHOW];
	size_t i;

	for (i = 0; i < idx; i++) {
		o = &c->s->steps[i];
		if (cer_step_generates(o) && o->token == st->token &&
		    strcmp(o->label, st->label) == 0)
			return cer_yaml_fail(&c->y, st->label_pos,
			    "label '%s' is already used for "
			    "a key on token '%s' (line %u); choose another label",
			    cer_yaml_show(b, st->label, strlen(st->label)),
			    c->s->tokens[st->token].name, o->label_pos.line);
	}
	return CER_OK;
}

/* Ed25519 is for private hierarchies only (profile rule cert.key_ec). */
int
cer_fields_ed25519(const struct cer_parse *c, struct cer_pos pos)
{
	if (c->s->private_hierarchy)
		return CER_OK;
	return cer_yaml_fail(&c->y, pos, "Ed25519 is not allowed in a publicly trusted TLS "
	    "hierarchy (BR 6.1.5, profile rule cert.key_ec); for a private hierarchy "
	    "write 'hierarchy: private' at the top of the script");
}

/* token: or pkcs11:, the label, and the key of a key-generating step. */
int
cer_fields_new_key(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx)
{
	struct cer_step *st = &c->s->steps[idx];
	const struct cer_yaml_node *kv = cer_yaml_val(m, "key");
	int r;

	if ((r = cer_tokenspec_step(c, m, idx, 0)) != CER_OK ||
	    (r = label_unique(c, idx)) != CER_OK)
		return r;
	if (kv == NULL)
		return cer_yaml_missing(&c->y, m, "this step", "key");
	if ((r = cer_certprofile_key(&c->y, kv, &st->key)) != CER_OK)
		return r;
	return st->key.type == CER_KEY_ED25519 ? cer_fields_ed25519(c, st->key.pos) : CER_OK;
}

/* The step with this id among the later entries of steps:, or NULL. */
static const struct cer_yaml_node *
later_step(const struct cer_parse *c, size_t idx, const char *id)
{
	const struct cer_yaml_node *it, *v;
	size_t i;

	for (i = idx + 1; c->steps != NULL && i < c->steps->nkids; i++) {
		it = c->steps->kids[i];
		if (it->kind == CER_YAML_MAP && (v = cer_yaml_val(it,
		    "id")) != NULL && cer_yaml_is(v, id))
			return it;
	}
	return NULL;
}

static int
unknown_step(const struct cer_parse *c, const struct cer_yaml_node *v, size_t idx,
    const char *field)
{
	const char *ids[CER_SCRIPT_COUNT_MAX + 1], *s;
	const struct cer_yaml_node *later;
	char b[CER_YAML_SHOW];
	size_t i;

	if (cer_yaml_is(v, c->s->steps[idx].id))
		return cer_yaml_fail(&c->y, v->pos, "a step cannot name itself in %s; name an "
		    "earlier step", field);
	if ((later = later_step(c, idx, v->str)) != NULL)
		return cer_yaml_fail(&c->y, v->pos, "%s '%s' is a later step (line %u); a step "
		    "can only use what an earlier step made, so move that step up",
		    field, cer_yaml_shown(b, v), later->pos.line);
	for (i = 0; i < idx; i++)
		ids[i] = c->s->steps[i].id;
	ids[idx] = NULL;
	if ((s = cer_yaml_suggest(v->str, ids)) != NULL)
		return cer_yaml_fail(&c->y, v->pos, "no step has id '%s'; did you mean '%s'?",
		    cer_yaml_shown(b, v), s);
	return cer_yaml_fail(&c->y, v->pos, "no step has id '%s'; %s must be the id of an "
	    "earlier step", cer_yaml_shown(b, v), field);
}

/* signing-key: the key, token and label of an earlier key step. */
int
cer_fields_signing_key(const struct cer_parse *c, const struct cer_yaml_node *v, size_t idx)
{
	struct cer_step *st = &c->s->steps[idx];
	const struct cer_step *ks;
	char b[CER_YAML_SHOW];
	size_t i;
	int r;

	st->signing_key_pos = v->pos;
	if ((r = cer_yaml_check_text(&c->y, v, "signing-key")) != CER_OK)
		return r;
	for (i = 0; i < idx && !cer_yaml_is(v, c->s->steps[i].id); i++)
		;
	if (i == idx)
		return unknown_step(c, v, idx, "signing-key");
	ks = &c->s->steps[i];
	if (ks->type != CER_STEP_KEY)
		return cer_yaml_fail(&c->y, v->pos, "step '%s' is a %s step; signing-key must "
		    "name a key step", cer_yaml_shown(b, v), cer_step_type_name(ks->type));
	st->signing_key = i;
	st->token = ks->token;
	st->token_pos = ks->token_pos;
	st->label_pos = ks->label_pos;
	if ((st->label = strdup(ks->label)) == NULL)
		return cer_yaml_nomem();
	return CER_OK;
}

int
cer_fields_own_keys(const struct cer_parse *c, const struct cer_yaml_node *m,
    enum cer_step_type type, const char *const *keys)
{
	const char *const *k;
	const char *name;
	size_t i;

	for (i = 0; i < m->nkids; i += 2) {
		name = m->kids[i]->str;
		for (k = keys; *k != NULL && strcmp(*k, name) != 0; k++)
			;
		if (*k == NULL && strcmp(name, "id") != 0 && strcmp(name, "ceremony-type") != 0)
			return cer_yaml_fail(&c->y, m->kids[i]->pos, "'%s' is not used by %s step; "
			    "remove it", name, cer_fields_a_type(type));
	}
	return CER_OK;
}

/* "a key step", "an intermediate step" */
const char *
cer_fields_a_type(enum cer_step_type t)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s %s", strchr("aeiou", cer_step_type_name(t)[0]) != NULL ?
	    "an" : "a", cer_step_type_name(t));
	return buf;
}

/* An earlier step named by field, of one of the types in mask (1 << type). */
int
cer_fields_step_ref(const struct cer_parse *c, const struct cer_yaml_node *v, size_t idx,
    const char *field,
    unsigned mask, const char *kinds, size_t *out, struct cer_pos *pos)
{
	const struct cer_step *ref;
	char b[CER_YAML_SHOW];
	size_t i;
	int r;

	*pos = v->pos;
	if ((r = cer_yaml_check_text(&c->y, v, field)) != CER_OK)
		return r;
	for (i = 0; i < idx && !cer_yaml_is(v, c->s->steps[i].id); i++)
		;
	if (i == idx)
		return unknown_step(c, v, idx, field);
	ref = &c->s->steps[i];
	if ((mask & (1u << ref->type)) == 0)
		return cer_yaml_fail(&c->y, v->pos, "step '%s' is %s step; %s must name %s",
		    cer_yaml_shown(b, v), cer_fields_a_type(ref->type), field, kinds);
	*out = i;
	return CER_OK;
}

int
cer_fields_key_step(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx)
{
	const struct cer_yaml_node *sk = cer_yaml_val(m, "signing-key"), *ov;
	int r;

	if (sk != NULL)
		r = cer_fields_signing_key(c, sk, idx);
	else
		r = cer_fields_new_key(c, m, idx);
	if (r != CER_OK)
		return r;
	if ((ov = cer_yaml_val(m, "outputs")) == NULL)
		return cer_yaml_missing(&c->y, m, "this step", "outputs");
	return cer_fields_key_outputs(c, ov, idx);
}
