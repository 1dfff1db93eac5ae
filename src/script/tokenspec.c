/*
 * tokenspec.c: where a script's keys live: the tokens: mapping, a step's
 * token and label, and Boulder's inline pkcs11: block.  A token is
 * selected by label, serial or RFC 7512 URI (slot IDs only in Boulder
 * blocks); its PIN comes from a source (prompt, file:, env:, fd:) or, for
 * rehearsals, a literal that is never shown in a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "hsm/hsm.h"
#include "script/tokenspec.h"

#define SLOT_WHY "is not allowed in a native token: slot IDs change when " \
	"tokens are initialised; select the token with token-label (or " \
	"token-serial, or uri)"

static const char *const token_keys[] = { "module", "token-label",
    "token-serial", "uri", "pin", NULL };
static const char *const pkcs11_keys[] = { "module", "pin", "store-key-in-slot",
    "store-key-with-label", "token-label", "token-serial", "uri", NULL };
static const char *const pkcs11_sign_keys[] = { "module", "pin", "signing-key-slot",
    "signing-key-label", "token-label", "token-serial", "uri", NULL };
static const char *const selector_keys[] = { "token-label", "token-serial", "uri",
    NULL };
static const struct cer_yaml_hint token_hints[] = {
	{ "slot", SLOT_WHY },
	{ "store-key-in-slot", SLOT_WHY },
	{ "signing-key-slot", SLOT_WHY },
	{ NULL, NULL },
};
static const struct cer_yaml_hint pkcs11_hints[] = {
	{ "signing-key-slot", "is for signing ceremony types; a key or root step "
	    "uses store-key-in-slot (or token-label)" },
	{ "signing-key-label", "is for signing ceremony types; a key or root step "
	    "uses store-key-with-label" },
	{ NULL, NULL },
};
static const struct cer_yaml_hint pkcs11_sign_hints[] = {
	{ "store-key-in-slot", "is for key-generating ceremony types; a signing "
	    "step uses signing-key-slot (or token-label)" },
	{ "store-key-with-label", "is for key-generating ceremony types; a signing "
	    "step names its key with signing-key-label" },
	{ NULL, NULL },
};

static int
add_token(struct cer_script *s, size_t *idx)
{
	struct cer_token_spec *t;

	if ((t = reallocarray(s->tokens, s->ntokens + 1, sizeof(*t))) == NULL)
		return cer_yaml_nomem();
	s->tokens = t;
	memset(&t[s->ntokens], 0, sizeof(*t));
	*idx = s->ntokens++;
	return CER_OK;
}

static int
pin_source_ok(const char *p)
{
	size_t i;

	if (strncmp(p, "file:", 5) == 0)
		return p[5] != '\0';
	if (strncmp(p, "env:", 4) == 0) {
		if (!((p[4] >= 'A' && p[4] <= 'Z') || (p[4] >= 'a' && p[4] <= 'z') ||
		    p[4] == '_'))
			return 0;
		return strspn(p + 4, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == strlen(p + 4);
	}
	for (i = 3; p[i] != '\0'; i++)		/* fd: */
		if (p[i] < '0' || p[i] > '9' || i > 11)
			return 0;
	return i > 3;
}

/* pin: a source, or a literal (secret: never shown in a message). */
static int
parse_pin(const struct cer_parse *c, const struct cer_yaml_node *m, struct cer_token_spec *t)
{
	const struct cer_yaml_node *v = cer_yaml_val(m, "pin");
	const char *p;
	int r;

	if (v == NULL)
		return CER_OK;
	t->pin_pos = v->pos;
	if ((r = cer_yaml_want_text(&c->y, v, "pin", &t->pin)) != CER_OK)
		return r;
	p = t->pin;
	if (strcmp(p, "prompt") == 0)
		return CER_OK;
	if (strncmp(p, "file:", 5) == 0 || strncmp(p, "env:", 4) == 0 ||
	    strncmp(p, "fd:", 3) == 0) {
		if (!pin_source_ok(p))
			return cer_yaml_fail(&c->y, v->pos,
			    "'pin' names a malformed PIN source; "
			    "write file:PATH, env:NAME (letters, digits, _) or fd:N");
		return CER_OK;
	}
	t->pin_literal = 1;
	return CER_OK;
}

static int
check_uri(const struct cer_parse *c, const struct cer_yaml_node *v, const char *s)
{
	char why[300];
	int r;

	if ((r = cer_hsm_uri_check(s, why, sizeof(why))) == CER_ERR_SCRIPT)
		return cer_yaml_fail(&c->y, v->pos, "'uri' %s", why);
	return r;
}

/* The one of token-label, token-serial, uri given in m, or NULL. */
static int
one_selector(const struct cer_parse *c, const struct cer_yaml_node *m,
    const struct cer_yaml_node **sel)
{
	size_t i;

	*sel = NULL;
	for (i = 0; i < m->nkids; i += 2) {
		if (!cer_yaml_listed(selector_keys, m->kids[i]))
			continue;
		if (*sel != NULL)
			return cer_yaml_fail(&c->y, m->kids[i]->pos,
			    "'%s' and '%s' both select "
			    "the token; give only one of token-label, token-serial and "
			    "uri", (*sel)->str, m->kids[i]->str);
		*sel = m->kids[i];
	}
	return CER_OK;
}

static int
parse_selector(const struct cer_parse *c, const struct cer_yaml_node *k,
    const struct cer_yaml_node *v,
    struct cer_token_spec *t)
{
	int r;

	t->selector_pos = v->pos;
	if (cer_yaml_is(k, "token-label")) {
		if ((r = cer_yaml_want_text(&c->y, v, "token-label",
		    &t->token_label)) != CER_OK)
			return r;
		if (strlen(t->token_label) > 32)
			return cer_yaml_fail(&c->y, v->pos,
			    "'token-label' is longer than 32 bytes, "
			    "so no PKCS#11 token can carry it; shorten it");
		return CER_OK;
	}
	if (cer_yaml_is(k, "token-serial")) {
		if ((r = cer_yaml_want_text(&c->y, v, "token-serial",
		    &t->token_serial)) != CER_OK)
			return r;
		if (strlen(t->token_serial) > 16)
			return cer_yaml_fail(&c->y, v->pos, "'token-serial' is longer than 16 "
			    "bytes, so no PKCS#11 token can carry it; check it");
		return CER_OK;
	}
	if ((r = cer_yaml_want_text(&c->y, v, "uri", &t->uri)) != CER_OK)
		return r;
	return check_uri(c, v, t->uri);
}

/*
 * Token selection; slot_key for Boulder blocks (store-key-in-slot or
 * signing-key-slot, default 0), NULL where slots are refused.
 */
static int
selectors(const struct cer_parse *c, const struct cer_yaml_node *m, const char *what,
    struct cer_token_spec *t, const char *slot_key)
{
	const struct cer_yaml_node *sel, *slotk = slot_key != NULL ? cer_yaml_key(m,
	    slot_key) : NULL;
	int r;

	if ((r = one_selector(c, m, &sel)) != CER_OK)
		return r;
	if (sel != NULL && slotk != NULL)
		return cer_yaml_fail(&c->y, slotk->pos,
		    "'%s' and '%s' both select the token; give "
		    "only one (token-label is safer: slot IDs change)", slot_key, sel->str);
	if (sel != NULL)
		return parse_selector(c, sel, cer_yaml_val(m, sel->str), t);
	if (slot_key == NULL)
		return cer_yaml_fail(&c->y, m->pos, "%s needs one of token-label, token-serial "
		    "or uri; add one", what);
	t->has_slot = 1;
	if (slotk == NULL)
		return CER_OK;
	t->selector_pos = cer_yaml_val(m, slot_key)->pos;
	return cer_yaml_want_uint(&c->y, cer_yaml_val(m, slot_key), slot_key, 0xfffffffful,
	    &t->slot);
}

static int
token_common(const struct cer_parse *c, const struct cer_yaml_node *m, const char *what,
    size_t idx, const char *slot_key)
{
	struct cer_token_spec *t = &c->s->tokens[idx];
	const struct cer_yaml_node *v = cer_yaml_val(m, "module");
	int r;

	if (v == NULL)
		return cer_yaml_missing(&c->y, m, what, "module");
	t->module_pos = v->pos;
	if ((r = cer_yaml_want_text(&c->y, v, "module", &t->module)) != CER_OK)
		return r;
	if ((r = selectors(c, m, what, t, slot_key)) != CER_OK)
		return r;
	return parse_pin(c, m, t);
}

/*
 * A token of tokens: (a script's, or a site file's when site).  A script
 * may name a role and leave everything else to the site file: a token
 * with none of module, selector and PIN.
 */
static int
native_token(const struct cer_parse *c, const struct cer_yaml_node *k,
    const struct cer_yaml_node *v, int site)
{
	static const char *const location_keys[] = { "module", "token-label",
	    "token-serial", "uri", "pin", NULL };
	char what[CER_YAML_SHOW + 16], b[CER_YAML_SHOW];
	size_t idx, i;
	int r;

	if ((r = add_token(c->s, &idx)) != CER_OK)
		return r;
	c->s->tokens[idx].pos = k->pos;
	if ((c->s->tokens[idx].name = strdup(k->str)) == NULL)
		return cer_yaml_nomem();
	snprintf(what, sizeof(what), "token '%s'", cer_yaml_shown(b, k));
	if ((r = cer_yaml_check_map(&c->y, v, what, token_keys, token_hints)) != CER_OK)
		return r;
	for (i = 0; !site && i < v->nkids && !cer_yaml_listed(location_keys, v->kids[i]);
	    i += 2)
		;
	if (!site && i == v->nkids)
		return CER_OK;	/* a role: the site file says where it is */
	return token_common(c, v, what, idx, NULL);
}

int
cer_tokenspec_parse(struct cer_parse *c, const struct cer_yaml_node *m, int site)
{
	const struct cer_yaml_node *k;
	size_t i, j;
	char b[CER_YAML_SHOW];
	int r;

	if ((r = cer_yaml_want_kind(&c->y, m, CER_YAML_MAP, "'tokens'")) != CER_OK)
		return r;
	if (m->nkids == 0)
		return cer_yaml_fail(&c->y, m->pos, site ? "'tokens' is empty; map each token "
		    "role of the script to its module, token and PIN" :
		    "'tokens' is empty; define a token or remove 'tokens:'");
	if (m->nkids / 2 > CER_SCRIPT_COUNT_MAX)
		return cer_yaml_fail(&c->y, m->pos, "more than %d tokens; split the ceremony",
		    CER_SCRIPT_COUNT_MAX);
	for (i = 0; i < m->nkids; i += 2) {
		k = m->kids[i];
		if (!cer_yaml_is_id(k))
			return cer_yaml_fail(&c->y, k->pos,
			    "a token name must be letters, digits, "
			    "'.', '_' or '-'; rename it");
		for (j = 0; j < i; j += 2)
			if (cer_yaml_is(m->kids[j], k->str))
				return cer_yaml_fail(&c->y, k->pos,
				    "duplicate token name '%s' (first "
				    "at line %u); give each token its own name",
				    cer_yaml_shown(b, k), m->kids[j]->pos.line);
		if ((r = native_token(c, k, m->kids[i + 1], site)) != CER_OK)
			return r;
	}
	return CER_OK;
}

/* A named token from tokens:. */
static int
named_token(const struct cer_parse *c, const struct cer_yaml_node *v, size_t *idx)
{
	const char *names[CER_SCRIPT_COUNT_MAX + 1];
	const char *s;
	char b[CER_YAML_SHOW];
	size_t i, n = 0;
	int r;

	if ((r = cer_yaml_check_text(&c->y, v, "token")) != CER_OK)
		return r;
	for (i = 0; i < c->s->ntokens; i++) {
		if (c->s->tokens[i].boulder)
			continue;
		if (strcmp(c->s->tokens[i].name, v->str) == 0) {
			*idx = i;
			return CER_OK;
		}
		if (n < CER_SCRIPT_COUNT_MAX)
			names[n++] = c->s->tokens[i].name;
	}
	names[n] = NULL;
	if ((s = cer_yaml_suggest(v->str, names)) != NULL)
		return cer_yaml_fail(&c->y, v->pos,
		    "no token named '%s' in tokens:; did you mean "
		    "'%s'?", cer_yaml_shown(b, v), s);
	return cer_yaml_fail(&c->y, v->pos, "no token named '%s' in tokens:; define it there "
	    "or use an inline pkcs11 block", cer_yaml_shown(b, v));
}

/*
 * A Boulder pkcs11 block: a token of its own, and the key label (the key
 * to generate, or with signing, the key that signs).
 */
static int
pkcs11_block(const struct cer_parse *c, const struct cer_yaml_node *k,
    const struct cer_yaml_node *m,
    size_t sidx, int signing)
{
	const char *label_key = signing ? "signing-key-label" : "store-key-with-label";
	struct cer_step *st = &c->s->steps[sidx];
	const struct cer_yaml_node *lv;
	char name[256];
	size_t i, idx;
	int r;

	if (c->s->boulder)
		snprintf(name, sizeof(name), "pkcs11");
	else
		snprintf(name, sizeof(name), "%s.pkcs11", st->id);
	for (i = 0; i < c->s->ntokens; i++)
		if (strcmp(c->s->tokens[i].name, name) == 0)
			return cer_yaml_fail(&c->y, k->pos,
			    "this pkcs11 block becomes token '%s', "
			    "but tokens: already has a token of that name; rename that "
			    "token", name);
	if ((r = cer_yaml_check_map(&c->y, m, "the pkcs11 block",
	    signing ? pkcs11_sign_keys : pkcs11_keys,
	    signing ? pkcs11_sign_hints : pkcs11_hints)) != CER_OK ||
	    (r = add_token(c->s, &idx)) != CER_OK)
		return r;
	st->token = idx;
	st->token_pos = k->pos;
	c->s->tokens[idx].pos = k->pos;
	c->s->tokens[idx].boulder = 1;
	if ((c->s->tokens[idx].name = strdup(name)) == NULL)
		return cer_yaml_nomem();
	if ((r = token_common(c, m, "the pkcs11 block", idx, signing ? "signing-key-slot" :
	    "store-key-in-slot")) != CER_OK)
		return r;
	if ((lv = cer_yaml_val(m, label_key)) == NULL)
		return cer_yaml_missing(&c->y, m, "the pkcs11 block", label_key);
	st->label_pos = lv->pos;
	return cer_yaml_want_text(&c->y, lv, label_key, &st->label);
}

/* token: + label:, or an inline pkcs11 block: where the step's key is. */
int
cer_tokenspec_step(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx,
    int signing)
{
	struct cer_step *st = &c->s->steps[idx];
	const struct cer_yaml_node *tk = cer_yaml_val(m, "token"), *pk = cer_yaml_key(m,
	    "pkcs11");
	const struct cer_yaml_node *lv = cer_yaml_val(m, "label");
	int r;

	if (tk != NULL && pk != NULL)
		return cer_yaml_fail(&c->y, pk->pos,
		    "give either 'token' or an inline 'pkcs11' "
		    "block, not both; remove one");
	if (tk == NULL && pk == NULL)
		return cer_yaml_fail(&c->y, m->pos, "this step needs %s; add it",
		    c->s->boulder ?
		    "a 'pkcs11' block" : "'token' (a name from tokens:) or a 'pkcs11' block");
	if (pk != NULL) {
		if (lv != NULL)
			return cer_yaml_fail(&c->y, cer_yaml_key(m, "label")->pos,
			    "the label comes from "
			    "store-key-with-label in the pkcs11 block; remove 'label'");
		return pkcs11_block(c, pk, cer_yaml_val(m, "pkcs11"), idx, signing);
	}
	st->token_pos = tk->pos;
	if ((r = named_token(c, tk, &st->token)) != CER_OK)
		return r;
	if (lv == NULL)
		return cer_yaml_missing(&c->y, m, "this step", "label");
	st->label_pos = lv->pos;
	return cer_yaml_want_text(&c->y, lv, "label", &st->label);
}

/* a is later in the text than b */
static int
pos_after(struct cer_pos a, struct cer_pos b)
{
	return a.line > b.line || (a.line == b.line && a.col > b.col);
}

/* Where t's literal PIN is in text: its offset and length (the rest of the line for escapes). */
static void
pin_span(const char *text, size_t text_len, const struct cer_token_spec *t, size_t *off,
    size_t *len)
{
	unsigned line;
	size_t o;

	for (o = 0, line = 1; o < text_len && line < t->pin_pos.line; o++)
		if (text[o] == '\n')
			line++;
	o += t->pin_pos.col - 1;
	if (o < text_len && (text[o] == '"' || text[o] == '\''))
		o++;
	*len = strlen(t->pin);
	if (o + *len > text_len || memcmp(text + o, t->pin, *len) != 0)
		for (*len = 0; o + *len < text_len && text[o + *len] != '\n'; (*len)++)
			;
	*off = o;
}

/*
 * The script's text as the transcript keeps it: each literal PIN replaced
 * by the same eight asterisks whatever its length, which one asterisk per
 * character would tell (the rest of the line when it was written with
 * escapes).  The last PIN in the text first, so earlier offsets hold.
 */
int
cer_tokenspec_redact(struct cer_script *s)
{
	static const char mask[] = "********";
	size_t i, k, best, off, len, n;
	char *text, *next;
	unsigned char *done;

	s->pins_redacted = 0;
	if ((text = strndup((const char *)s->text, s->text_len)) == NULL ||
	    (done = calloc(s->ntokens + 1, 1)) == NULL) {
		free(text);
		return cer_yaml_nomem();
	}
	n = s->text_len;
	for (k = 0; k < s->ntokens; k++) {
		for (i = 0, best = s->ntokens; i < s->ntokens; i++)
			if (!done[i] && s->tokens[i].pin_literal && s->tokens[i].pin_pos.line != 0 &&
			    (best == s->ntokens || pos_after(s->tokens[i].pin_pos,
			    s->tokens[best].pin_pos)))
				best = i;
		if (best == s->ntokens)
			break;
		done[best] = 1;
		pin_span(text, n, &s->tokens[best], &off, &len);
		if ((next = malloc(n - len + sizeof(mask))) == NULL) {
			free(text);
			free(done);
			return cer_yaml_nomem();
		}
		memcpy(next, text, off);
		memcpy(next + off, mask, sizeof(mask) - 1);
		memcpy(next + off + sizeof(mask) - 1, text + off + len, n - off - len);
		n = n - len + sizeof(mask) - 1;
		next[n] = '\0';
		cer_freezero(text, strlen(text) + 1);
		text = next;
		s->pins_redacted = 1;
	}
	free(done);
	free(s->redacted);
	s->redacted = text;
	return CER_OK;
}

static int
dup_opt(const char *src, char **dst)
{
	*dst = NULL;
	return src == NULL || (*dst = strdup(src)) != NULL ? CER_OK : cer_yaml_nomem();
}

int
cer_tokenspec_locate(struct cer_token_spec *dst, const struct cer_token_spec *src,
    const char *from)
{
	int r;

	free(dst->module);
	free(dst->token_label);
	free(dst->token_serial);
	cer_free_secret(dst->uri);
	cer_free_secret(dst->pin);
	dst->module = dst->token_label = dst->token_serial = dst->uri = dst->pin = NULL;
	if ((r = dup_opt(src->module, &dst->module)) != CER_OK ||
	    (r = dup_opt(src->token_label, &dst->token_label)) != CER_OK ||
	    (r = dup_opt(src->token_serial, &dst->token_serial)) != CER_OK ||
	    (r = dup_opt(src->uri, &dst->uri)) != CER_OK ||
	    (r = dup_opt(src->pin, &dst->pin)) != CER_OK)
		return r;
	dst->module_pos = src->module_pos;
	dst->has_slot = src->has_slot;
	dst->slot = src->slot;
	dst->selector_pos = src->selector_pos;
	dst->pin_literal = src->pin_literal;
	dst->pin_pos = src->pin_pos;
	dst->from = from;
	return CER_OK;
}
