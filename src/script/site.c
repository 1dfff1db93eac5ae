/*
 * site.c: the site file: where each token role of a script is on this
 * site.  Read with the strict YAML reader and the script's own token
 * reader (tokenspec.c), so a site entry takes exactly what a script's
 * token takes, with the same messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "script/site.h"
#include "script/tokenspec.h"

static const char *const site_keys[] = { "site", "tokens", NULL };
static const struct cer_yaml_hint site_hints[] = {
	{ "steps", "belongs in the script: a site file says only where each token "
	    "role is (site, tokens)" },
	{ "ceremony-type", "belongs in the Boulder config: a site file maps its "
	    "token role 'pkcs11' under tokens:" },
	{ "pkcs11", "is the Boulder config's token role: write it under tokens: as "
	    "'pkcs11:' with module, token-label (or token-serial, or uri) and pin" },
	{ NULL, NULL },
};

static int
site_doc(struct cer_parse *c, const struct cer_yaml_node *root, struct cer_site *site)
{
	const struct cer_yaml_node *v;
	int r;

	if (root->kind != CER_YAML_MAP)
		return cer_yaml_fail(&c->y, root->pos, "a site file is a YAML mapping with "
		    "'tokens:' (and optionally 'site:'); see docs/script.md, Site files");
	if ((r = cer_yaml_check_map(&c->y, root, "a site file", site_keys,
	    site_hints)) != CER_OK)
		return r;
	if ((v = cer_yaml_val(root, "site")) != NULL &&
	    (r = cer_yaml_want_text(&c->y, v, "site", &c->s->name)) != CER_OK)
		return r;
	if ((v = cer_yaml_val(root, "tokens")) == NULL)
		return cer_yaml_missing(&c->y, root, "a site file", "tokens");
	site->tokens_pos = v->pos;
	return cer_tokenspec_parse(c, v, 1);
}

int
cer_site_parse(const char *name, const unsigned char *text, size_t len,
    struct cer_site **out)
{
	struct cer_yaml_node *root = NULL;
	struct cer_site *site = NULL;
	struct cer_parse c;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if ((site = calloc(1, sizeof(*site))) == NULL) {
		r = cer_yaml_nomem();
		goto out;
	}
	if ((r = cer_script_new(name, text, len, &site->doc)) != CER_OK)
		goto out;
	memset(&c, 0, sizeof(c));
	c.y.file = site->doc->path;
	c.s = site->doc;
	if ((r = cer_yaml_parse(&c.y, site->doc->text, len, &root)) != CER_OK ||
	    (r = site_doc(&c, root, site)) != CER_OK ||
	    (r = cer_tokenspec_redact(site->doc)) != CER_OK)
		goto out;
	*out = site;
	site = NULL;	/* transferred */
 out:
	cer_yaml_free(root);
	cer_site_free(site);
	return r;
}

int
cer_site_load(const char *path, struct cer_site **out)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	int r;

	*out = NULL;
	if ((r = cer_read_file(path, CER_YAML_MAX, &buf, &len)) != CER_OK)
		return cer_fail_prefix(r, "the site file");
	r = cer_site_parse(path, buf, len, out);
	cer_freezero(buf, len);
	return r;
}

/* The index of the token named name in s, or CER_NO_INDEX. */
static size_t
token_named(const struct cer_script *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->ntokens; i++)
		if (strcmp(s->tokens[i].name, name) == 0)
			return i;
	return CER_NO_INDEX;
}

/* A site entry whose role the script does not have: name the closest, or list them. */
static int
unknown_role(const struct cer_site *site, const struct cer_script *s,
    const struct cer_token_spec *e)
{
	const char *names[CER_SCRIPT_COUNT_MAX + 1], *near;
	char list[256];
	size_t i, used = 0;

	for (i = 0; i < s->ntokens && i < CER_SCRIPT_COUNT_MAX; i++)
		names[i] = s->tokens[i].name;
	names[i] = NULL;
	if ((near = cer_yaml_suggest(e->name, names)) != NULL)
		return cer_fail_at(CER_ERR_SCRIPT, site->doc->path, e->pos, "%s has no token "
		    "role '%s'; did you mean '%s'?", s->path, e->name, near);
	list[0] = '\0';
	for (i = 0; names[i] != NULL && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
		    i > 0 ? ", " : "", names[i]);
	return cer_fail_at(CER_ERR_SCRIPT, site->doc->path, e->pos, "%s has no token role "
	    "'%s'; its roles are: %s", s->path, e->name, list[0] != '\0' ? list : "none");
}

/* Boulder's pkcs11-config-path holds the PIN in clear: the site's PIN must be one to write. */
static int
pkcs11_config_ok(const struct cer_site *site, const struct cer_script *s)
{
	const struct cer_token_spec *t;
	size_t i;

	for (i = 0; i < s->nsteps; i++) {
		if (s->steps[i].pkcs11_config == NULL || s->steps[i].token == CER_NO_INDEX)
			continue;
		t = &s->tokens[s->steps[i].token];
		if (t->pin != NULL && !t->pin_literal)
			return cer_fail_at(CER_ERR_SCRIPT, site->doc->path, t->pin_pos,
			    "%s:%u:%u writes pkcs11-config-path, which holds the PIN in clear, "
			    "but this site takes the PIN from '%s' to keep it out of files; give "
			    "a literal PIN here (rehearsals) or remove pkcs11-config-path",
			    s->path, s->steps[i].pkcs11_config_pos.line,
			    s->steps[i].pkcs11_config_pos.col, t->pin);
	}
	return CER_OK;
}

int
cer_site_apply(const struct cer_site *site, struct cer_script *s)
{
	const struct cer_script *d = site->doc;
	size_t i, k;
	int r;

	for (k = 0; k < d->ntokens; k++)
		if (token_named(s, d->tokens[k].name) == CER_NO_INDEX)
			return unknown_role(site, s, &d->tokens[k]);
	for (i = 0; i < s->ntokens; i++) {
		k = token_named(d, s->tokens[i].name);
		if (k == CER_NO_INDEX && cer_script_token_used(s, i))
			return cer_fail_at(CER_ERR_SCRIPT, d->path, site->tokens_pos, "no entry "
			    "for token role '%s', which %s uses (defined at line %u); add it: "
			    "with a site file, every token comes from the site file",
			    s->tokens[i].name, s->path, s->tokens[i].pos.line);
		if (k != CER_NO_INDEX &&
		    (r = cer_tokenspec_locate(&s->tokens[i], &d->tokens[k], d->path)) != CER_OK)
			return r;
	}
	return pkcs11_config_ok(site, s);
}

void
cer_site_free(struct cer_site *site)
{
	if (site == NULL)
		return;
	cer_script_free(site->doc);
	free(site);
}
