/*
 * script.c: the ceremony script, read strictly from one YAML document:
 * a native script (ceremony, hierarchy, tokens, steps) or a Boulder config
 * (script-boulder.c).  The reader (yaml.h) builds the tree; each step's
 * id and ceremony-type are read here, and the rest by its step type.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "script/fields.h"
#include "script/script-int.h"
#include "script/tokenspec.h"
#include "steps/step.h"

static const char *const native_keys[] = { "ceremony", "hierarchy", "tokens",
    "steps", NULL };
static const char *const hierarchy_names[] = { "", "tls", "private", NULL };

int
cer_script_add_step(struct cer_script *s, size_t *idx)
{
	struct cer_step *st;

	if ((st = reallocarray(s->steps, s->nsteps + 1, sizeof(*st))) == NULL)
		return cer_yaml_nomem();
	s->steps = st;
	memset(&st[s->nsteps], 0, sizeof(*st));
	st[s->nsteps].token = CER_NO_INDEX;
	st[s->nsteps].signing_key = CER_NO_INDEX;
	st[s->nsteps].issuer = CER_NO_INDEX;
	st[s->nsteps].subject_key = CER_NO_INDEX;
	st[s->nsteps].cross_of = CER_NO_INDEX;
	/* 'hierarchy:' is read before the steps: each profile is read under its rules */
	st[s->nsteps].profile.private_set = s->private_hierarchy;
	*idx = s->nsteps++;
	return CER_OK;
}

/*
 * Everything after type and id, for native steps and Boulder configs: the
 * step type's.  A key only another type takes (the loader allows the union
 * of all) is refused once the type has said what it would of its own.
 */
int
cer_script_step_body(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx)
{
	const struct cer_step_impl *impl = cer_step_impl(c->s->steps[idx].type);
	const char *names[CER_SCRIPT_KEYS_MAX];
	size_t n;
	int r;

	if ((r = impl->parse(c, m, idx)) != CER_OK)
		return r;
	for (n = 0; impl->keys[n].name != NULL && n + 1 < CER_SCRIPT_KEYS_MAX; n++)
		names[n] = impl->keys[n].name;
	names[n] = NULL;
	return cer_fields_own_keys(c, m, impl->type, names);
}

/*
 * The keys a step may have: id and ceremony-type (native scripts), then
 * each step type's, in registry order, once; Boulder configs: those not
 * native_only.
 */
void
cer_script_step_keys(int boulder, const char **keys, size_t max)
{
	const struct cer_step_impl *impl;
	const struct cer_step_key *k;
	size_t i, j, n = 0;

	if (!boulder)
		keys[n++] = "id";
	keys[n++] = "ceremony-type";
	for (i = 0; (impl = cer_step_impl_at(i)) != NULL; i++)
		for (k = impl->keys; k->name != NULL && n + 1 < max; k++) {
			for (j = 0; j < n && strcmp(keys[j], k->name) != 0; j++)
				;
			if (j == n && !(boulder && k->native_only))
				keys[n++] = k->name;
		}
	keys[n] = NULL;
}

/* "key, root, ... and cross-csr": the step types of the registry. */
static const char *
runs(char *buf, size_t n)
{
	const struct cer_step_impl *impl;
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; (impl = cer_step_impl_at(i)) != NULL && used < n; i++)
		used += (size_t)snprintf(buf + used, n - used, "%s%s", i == 0 ? "" :
		    cer_step_impl_at(i + 1) == NULL ? " and " : ", ", cer_step_type_name(impl->type));
	return buf;
}

int
cer_script_step_type(const struct cer_parse *c, const struct cer_yaml_node *v,
    struct cer_step *st)
{
	char list[256];
	unsigned t;
	int r;

	st->type_pos = v->pos;
	if ((r = cer_yaml_want_enum(&c->y, v, "ceremony-type", cer_step_type_names,
	    &t)) != CER_OK)
		return r;
	if (cer_step_impl((enum cer_step_type)t) == NULL)
		return cer_yaml_fail(&c->y, v->pos, "ceremony-type '%s' is not supported by "
		    "this version of ceremony yet; this version runs %s steps",
		    cer_step_type_names[t], runs(list, sizeof(list)));
	st->type = (enum cer_step_type)t;
	return CER_OK;
}

static int
step_id(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx)
{
	struct cer_step *st = &c->s->steps[idx];
	const struct cer_yaml_node *v = cer_yaml_val(m, "id");
	char b[CER_YAML_SHOW];
	size_t i;
	int r;

	if (v == NULL)
		return cer_yaml_missing(&c->y, m, "this step", "id");
	st->id_pos = v->pos;
	if ((r = cer_yaml_check_text(&c->y, v, "id")) != CER_OK)
		return r;
	if (!cer_yaml_is_id(v) || v->len > 64)
		return cer_yaml_fail(&c->y, v->pos,
		    "'id' must be 1 to 64 letters, digits, '.', "
		    "'_' or '-'; rename the step");
	for (i = 0; i < idx; i++)
		if (strcmp(c->s->steps[i].id, v->str) == 0)
			return cer_yaml_fail(&c->y, v->pos, "duplicate step id '%s' (first at "
			    "line %u); give each step its own id", cer_yaml_shown(b, v),
			    c->s->steps[i].id_pos.line);
	return (st->id = strdup(v->str)) == NULL ? cer_yaml_nomem() : CER_OK;
}

static int
native_step(const struct cer_parse *c, const struct cer_yaml_node *m)
{
	const char *keys[CER_SCRIPT_KEYS_MAX];
	const struct cer_yaml_node *t;
	size_t idx;
	int r;

	if ((r = cer_yaml_want_kind(&c->y, m, CER_YAML_MAP,
	    "each entry of 'steps'")) != CER_OK ||
	    (r = cer_script_add_step(c->s, &idx)) != CER_OK)
		return r;
	c->s->steps[idx].pos = m->pos;
	if ((t = cer_yaml_val(m, "ceremony-type")) != NULL &&
	    (r = cer_script_step_type(c, t, &c->s->steps[idx])) != CER_OK)
		return r;
	cer_script_step_keys(0, keys, sizeof(keys) / sizeof(keys[0]));
	if ((r = cer_yaml_check_map(&c->y, m, "a step", keys, NULL)) != CER_OK)
		return r;
	if (t == NULL)
		return cer_yaml_missing(&c->y, m, "this step", "ceremony-type");
	if ((r = step_id(c, m, idx)) != CER_OK)
		return r;
	return cer_script_step_body(c, m, idx);
}

static int
native_doc(struct cer_parse *c, const struct cer_yaml_node *m)
{
	const struct cer_yaml_node *v;
	unsigned h;
	size_t i;
	int r;

	if ((r = cer_yaml_check_map(&c->y, m, "a native script", native_keys, NULL)) != CER_OK)
		return r;
	if ((v = cer_yaml_val(m, "ceremony")) != NULL &&
	    (r = cer_yaml_want_text(&c->y, v, "ceremony", &c->s->name)) != CER_OK)
		return r;
	if ((v = cer_yaml_val(m, "hierarchy")) != NULL) {
		c->s->hierarchy_pos = v->pos;
		if ((r = cer_yaml_want_enum(&c->y, v, "hierarchy", hierarchy_names,
		    &h)) != CER_OK)
			return r;
		c->s->private_hierarchy = h == 2;
	}
	if ((v = cer_yaml_val(m, "tokens")) != NULL && (r = cer_tokenspec_parse(c,
	    v, 0)) != CER_OK)
		return r;
	v = cer_yaml_val(m, "steps");
	if ((r = cer_yaml_want_kind(&c->y, v, CER_YAML_SEQ, "'steps'")) != CER_OK)
		return r;
	if (v->nkids == 0)
		return cer_yaml_fail(&c->y, v->pos, "'steps' is empty; add at least one step");
	if (v->nkids > CER_SCRIPT_COUNT_MAX)
		return cer_yaml_fail(&c->y, v->pos, "more than %d steps; split the ceremony",
		    CER_SCRIPT_COUNT_MAX);
	c->steps = v;
	for (i = 0; i < v->nkids; i++)
		if ((r = native_step(c, v->kids[i])) != CER_OK)
			return r;
	return CER_OK;
}

/* The keys of either kind of script, for a script that is neither. */
static void
top_keys(const char **keys, size_t max)
{
	size_t n;

	for (n = 0; native_keys[n] != NULL; n++)
		keys[n] = native_keys[n];
	cer_script_step_keys(1, keys + n, max - n);
}

static int
convert(struct cer_parse *c, const struct cer_yaml_node *root)
{
	const char *keys[CER_SCRIPT_KEYS_MAX];
	const struct cer_yaml_node *sk, *tk;
	int r;

	if (root->kind != CER_YAML_MAP)
		return cer_yaml_fail(&c->y, root->pos,
		    "a script is a YAML mapping with 'steps:' "
		    "(a native script) or 'ceremony-type:' (a Boulder config); "
		    "start from an example in docs/script.md");
	sk = cer_yaml_key(root, "steps");
	tk = cer_yaml_key(root, "ceremony-type");
	if (sk != NULL && tk != NULL)
		return cer_yaml_fail(&c->y, (sk->pos.line > tk->pos.line || (sk->pos.line ==
		    tk->pos.line && sk->pos.col > tk->pos.col) ? sk : tk)->pos,
		    "a script has either 'steps:' (native) or 'ceremony-type:' "
		    "(Boulder config), not both; remove one");
	if (sk == NULL && tk == NULL) {
		top_keys(keys, sizeof(keys) / sizeof(keys[0]));
		if ((r = cer_yaml_check_map(&c->y, root, "the script", keys, NULL)) != CER_OK)
			return r;
		return cer_yaml_fail(&c->y, root->pos, "a script needs 'steps:' (a native "
		    "script) or 'ceremony-type:' (a Boulder config); add one");
	}
	return tk != NULL ? cer_script_boulder_doc(c, root) : native_doc(c, root);
}

int
cer_script_parse(const char *name, const unsigned char *text, size_t len,
    struct cer_script **out)
{
	struct cer_yaml_node *root = NULL;
	struct cer_script *s = NULL;
	struct cer_parse c;
	int r = CER_ERR_INTERNAL;

	if (out != NULL)
		*out = NULL;
	if (name == NULL || out == NULL || (text == NULL && len > 0)) {
		r = cer_fail(CER_ERR_INTERNAL, "cer_script_parse: bad arguments");
		goto out;
	}
	if ((r = cer_script_new(name, text, len, &s)) != CER_OK)
		goto out;
	memset(&c, 0, sizeof(c));
	c.y.file = name;
	c.s = s;
	if ((r = cer_yaml_parse(&c.y, s->text, len, &root)) != CER_OK ||
	    (r = convert(&c, root)) != CER_OK || (r = cer_tokenspec_redact(s)) != CER_OK)
		goto out;
	*out = s;
	s = NULL;	/* transferred */
	r = CER_OK;
 out:
	cer_yaml_free(root);
	cer_script_free(s);
	return r;
}

int
cer_script_load(const char *path, struct cer_script **out)
{
	int r = CER_ERR_INTERNAL, fd = -1;
	struct stat st;
	unsigned char *buf = NULL;
	size_t len = 0;

	if (out != NULL)
		*out = NULL;
	if (path == NULL || out == NULL) {
		r = cer_fail(CER_ERR_INTERNAL, "cer_script_load: bad arguments");
		goto out;
	}
	if ((buf = malloc(CER_YAML_MAX + 1)) == NULL) {
		r = cer_yaml_nomem();
		goto out;
	}
	if ((r = cer_open_input(path, &fd, &st)) != CER_OK)
		goto out;
	if (cer_read_all(fd, buf, CER_YAML_MAX + 1, &len) != CER_OK) {
		r = cer_fail(CER_ERR_INPUT, "%s: cannot read the script: %s", path,
		    strerror(errno));
		goto out;
	}
	r = cer_script_parse(path, buf, len, out);
 out:
	if (fd != -1)
		close(fd);
	if (buf != NULL) {
		explicit_bzero(buf, len);
		free(buf);
	}
	return r;
}
