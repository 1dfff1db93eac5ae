/*
 * yaml.c: the strict YAML reader.  libyaml's event API builds a small tree
 * of positioned nodes, so that anchors, aliases, tags, a second document
 * and over-deep nesting are refused where they appear; the accessors check
 * kinds, keys (unknown and duplicate, with a suggestion for a misspelling)
 * and values.  Every error is one line "file:line:col: what; what to do".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "base/util.h"
#include "script/yaml.h"
#include "base/suggest.h"

#define DEPTH_MAX	32		/* nested collections */

/* What building the tree needs besides the reader. */
struct ctx {
	const struct cer_yaml *y;
	yaml_parser_t *parser;
	const unsigned char *text;
	size_t len;
	int depth;
};

int
cer_yaml_fail(const struct cer_yaml *y, struct cer_pos p, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cer_fail_at(CER_ERR_SCRIPT, y->file, p, "%s", msg);
}

int
cer_yaml_nomem(void)
{
	return cer_fail(CER_ERR_ALLOC, "out of memory while reading the script");
}

/* User text for a message: at most CER_YAML_SHOW-4 bytes, control bytes as '?'. */
const char *
cer_yaml_show(char buf[CER_YAML_SHOW], const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && n < CER_YAML_SHOW - 4; i++)
		buf[n++] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
	if (i < len) {
		while (n > 0 && (unsigned char)buf[n - 1] >= 0x80)
			n--;
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

const char *
cer_yaml_shown(char buf[CER_YAML_SHOW], const struct cer_yaml_node *n)
{
	return cer_yaml_show(buf, n->str, n->len);
}

/* "a, b, c" from a NULL-terminated list. */
static const char *
join(char *buf, size_t size, const char *const *list)
{
	size_t n = 0;

	buf[0] = '\0';
	for (; *list != NULL && n < size; list++)
		n += snprintf(buf + n, size - n, "%s%s", n ? ", " : "", *list);
	return buf;
}

/* The closest name in a NULL-terminated list, or NULL when none is close. */
const char *
cer_yaml_suggest(const char *word, const char *const *list)
{
	return cer_suggest(word, list);
}

static struct cer_pos
mark_pos(yaml_mark_t m)
{
	struct cer_pos p = { (unsigned)m.line + 1, (unsigned)m.column + 1 };

	return p;
}

static struct cer_pos
offset_pos(const unsigned char *t, size_t len, size_t off)
{
	struct cer_pos p = { 1, 1 };
	size_t i;

	for (i = 0; i < off && i < len; i++) {
		if (t[i] == '\n') {
			p.line++;
			p.col = 1;
		} else if ((t[i] & 0xc0) != 0x80)
			p.col++;
	}
	return p;
}

void
cer_yaml_free(struct cer_yaml_node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		cer_yaml_free(n->kids[i]);
	free(n->kids);
	if (n->str != NULL) {
		explicit_bzero(n->str, n->len);
		free(n->str);
	}
	free(n);
}

static int
syntax_error(const struct ctx *c)
{
	const yaml_parser_t *p = c->parser;
	const char *problem = p->problem ? p->problem : "unknown problem";
	struct cer_pos pos;

	if (p->error == YAML_MEMORY_ERROR)
		return cer_yaml_nomem();
	if (p->error == YAML_READER_ERROR) {
		pos = offset_pos(c->text, c->len, p->problem_offset);
		return cer_yaml_fail(c->y, pos, "the script is not valid UTF-8 text (%s); "
		    "save it as UTF-8 without control characters", problem);
	}
	pos = mark_pos(p->problem_mark);
	if (p->context != NULL)
		return cer_yaml_fail(c->y, pos, "YAML syntax error: %s (%s at line %u); "
		    "fix the YAML syntax", problem, p->context,
		    (unsigned)p->context_mark.line + 1);
	return cer_yaml_fail(c->y, pos, "YAML syntax error: %s; fix the YAML syntax", problem);
}

static int
next_event(const struct ctx *c, yaml_event_t *ev)
{
	if (!yaml_parser_parse(c->parser, ev))
		return syntax_error(c);
	return CER_OK;
}

/* Refuses an anchor or a tag on the node that ev starts. */
static int
plain_node(const struct ctx *c, const yaml_event_t *ev)
{
	const yaml_char_t *anchor = NULL, *tag = NULL;
	struct cer_pos pos = mark_pos(ev->start_mark);
	char b[CER_YAML_SHOW];

	if (ev->type == YAML_SCALAR_EVENT) {
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
	} else if (ev->type == YAML_SEQUENCE_START_EVENT) {
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
	} else if (ev->type == YAML_MAPPING_START_EVENT) {
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
	}
	if (anchor != NULL)
		return cer_yaml_fail(c->y, pos, "anchors (&%s) are not allowed in a script; "
		    "write the value out in full", cer_yaml_show(b, (const char *)anchor,
		    strlen((const char *)anchor)));
	if (tag != NULL)
		return cer_yaml_fail(c->y, pos, "tags (%s) are not allowed in a script; "
		    "remove the tag", cer_yaml_show(b, (const char *)tag,
		    strlen((const char *)tag)));
	return CER_OK;
}

static int
node_new(const struct ctx *c, const yaml_event_t *ev, struct cer_yaml_node **out)
{
	struct cer_yaml_node *n;
	int r;

	*out = NULL;
	if ((r = plain_node(c, ev)) != CER_OK)
		return r;
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return cer_yaml_nomem();
	n->pos = mark_pos(ev->start_mark);
	if (ev->type == YAML_SEQUENCE_START_EVENT)
		n->kind = CER_YAML_SEQ;
	else if (ev->type == YAML_MAPPING_START_EVENT)
		n->kind = CER_YAML_MAP;
	else {
		n->kind = CER_YAML_SCALAR;
		n->len = ev->data.scalar.length;
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		n->block = ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
		    ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
		if ((n->str = malloc(n->len + 1)) == NULL) {
			free(n);
			return cer_yaml_nomem();
		}
		memcpy(n->str, ev->data.scalar.value, n->len);
		n->str[n->len] = '\0';
		explicit_bzero(ev->data.scalar.value, n->len);
	}
	*out = n;
	return CER_OK;
}

static int
add_kid(struct cer_yaml_node *n, struct cer_yaml_node *kid)
{
	struct cer_yaml_node **k;
	size_t cap;

	if (n->nkids == n->cap) {
		cap = n->cap ? 2 * n->cap : 8;
		if ((k = reallocarray(n->kids, cap, sizeof(*k))) == NULL)
			return cer_yaml_nomem();
		n->kids = k;
		n->cap = cap;
	}
	n->kids[n->nkids++] = kid;
	return CER_OK;
}

static int build_node(struct ctx *, const yaml_event_t *, struct cer_yaml_node **);

static int
build_kids(struct ctx *c, struct cer_yaml_node *n)
{
	int r = CER_ERR_INTERNAL;
	struct cer_yaml_node *kid = NULL;
	yaml_event_t ev;

	memset(&ev, 0, sizeof(ev));
	if (++c->depth > DEPTH_MAX) {
		r = cer_yaml_fail(c->y, n->pos, "collections are nested more than %d deep; "
		    "a script needs far fewer levels", DEPTH_MAX);
		goto out;
	}
	for (;;) {
		if ((r = next_event(c, &ev)) != CER_OK)
			goto out;
		if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
			break;
		if ((r = build_node(c, &ev, &kid)) != CER_OK)
			goto out;
		yaml_event_delete(&ev);
		if ((r = add_kid(n, kid)) != CER_OK)
			goto out;
		kid = NULL;
	}
	r = CER_OK;
 out:
	c->depth--;
	yaml_event_delete(&ev);
	cer_yaml_free(kid);
	return r;
}

/* Builds the node that ev starts, reading the events of its children. */
static int
build_node(struct ctx *c, const yaml_event_t *ev, struct cer_yaml_node **out)
{
	int r = CER_ERR_INTERNAL;
	struct cer_yaml_node *n = NULL;
	char b[CER_YAML_SHOW];

	*out = NULL;
	if (ev->type == YAML_ALIAS_EVENT) {
		r = cer_yaml_fail(c->y, mark_pos(ev->start_mark), "aliases (*%s) are not "
		    "allowed in a script; write the value out in full",
		    cer_yaml_show(b, (const char *)ev->data.alias.anchor,
		    strlen((const char *)ev->data.alias.anchor)));
		goto out;
	}
	if ((r = node_new(c, ev, &n)) != CER_OK)
		goto out;
	if (n->kind != CER_YAML_SCALAR && (r = build_kids(c, n)) != CER_OK)
		goto out;
	*out = n;
	n = NULL;
	r = CER_OK;
 out:
	cer_yaml_free(n);
	return r;
}

/* Reads the one document of the stream into a tree. */
static int
load_tree(struct ctx *c, struct cer_yaml_node **out)
{
	int r = CER_ERR_INTERNAL;
	struct cer_yaml_node *root = NULL;
	struct cer_pos start = { 1, 1 };
	yaml_event_t ev;

	*out = NULL;
	memset(&ev, 0, sizeof(ev));
	if ((r = next_event(c, &ev)) != CER_OK)		/* stream start */
		goto out;
	yaml_event_delete(&ev);
	if ((r = next_event(c, &ev)) != CER_OK)
		goto out;
	if (ev.type == YAML_STREAM_END_EVENT) {
		r = cer_yaml_fail(c->y, start, "the script is empty; write a native script "
		    "(steps:) or a Boulder config (ceremony-type:)");
		goto out;
	}
	yaml_event_delete(&ev);
	if ((r = next_event(c, &ev)) != CER_OK ||
	    (r = build_node(c, &ev, &root)) != CER_OK)
		goto out;
	yaml_event_delete(&ev);
	if ((r = next_event(c, &ev)) != CER_OK)		/* document end */
		goto out;
	yaml_event_delete(&ev);
	if ((r = next_event(c, &ev)) != CER_OK)
		goto out;
	if (ev.type == YAML_DOCUMENT_START_EVENT) {
		r = cer_yaml_fail(c->y, mark_pos(ev.start_mark), "a second YAML document; a "
		    "script is one document: remove this '---' and what follows");
		goto out;
	}
	*out = root;
	root = NULL;
	r = CER_OK;
 out:
	yaml_event_delete(&ev);
	cer_yaml_free(root);
	return r;
}

static const char *
kind_name(enum cer_yaml_kind k)
{
	return k == CER_YAML_SCALAR ? "a scalar" : k == CER_YAML_SEQ ? "a sequence" : "a mapping";
}

int
cer_yaml_is(const struct cer_yaml_node *n, const char *s)
{
	size_t l = strlen(s);

	return n->kind == CER_YAML_SCALAR && n->len == l && memcmp(n->str, s, l) == 0;
}

int
cer_yaml_is_null(const struct cer_yaml_node *n)
{
	return n->kind == CER_YAML_SCALAR && n->plain && (n->len == 0 || cer_yaml_is(n, "~") ||
	    cer_yaml_is(n, "null") || cer_yaml_is(n, "Null") || cer_yaml_is(n, "NULL"));
}

const struct cer_yaml_node *
cer_yaml_key(const struct cer_yaml_node *m, const char *key)
{
	size_t i;

	for (i = 0; i + 1 < m->nkids; i += 2)
		if (cer_yaml_is(m->kids[i], key))
			return m->kids[i];
	return NULL;
}

const struct cer_yaml_node *
cer_yaml_val(const struct cer_yaml_node *m, const char *key)
{
	size_t i;

	for (i = 0; i + 1 < m->nkids; i += 2)
		if (cer_yaml_is(m->kids[i], key))
			return m->kids[i + 1];
	return NULL;
}

int
cer_yaml_listed(const char *const *list, const struct cer_yaml_node *n)
{
	for (; *list != NULL; list++)
		if (cer_yaml_is(n, *list))
			return 1;
	return 0;
}

int
cer_yaml_want_kind(const struct cer_yaml *y, const struct cer_yaml_node *n,
    enum cer_yaml_kind kind,
    const char *what)
{
	static const char *const how[] = { "", "write a single value",
	    "write one '- item' line per entry",
	    "write indented 'name: value' lines under it" };

	if (n->kind == kind)
		return CER_OK;
	if (cer_yaml_is_null(n))
		return cer_yaml_fail(y, n->pos, "%s needs a value; %s", what, how[kind]);
	return cer_yaml_fail(y, n->pos, "%s must be %s, not %s; %s", what,
	    kind_name(kind), kind_name(n->kind), how[kind]);
}

static int
unknown_key(const struct cer_yaml *y, const struct cer_yaml_node *k, const char *what,
    const char *const *allowed)
{
	char b[CER_YAML_SHOW], list[512];
	const char *s = cer_yaml_suggest(k->str, allowed);

	if (s != NULL)
		return cer_yaml_fail(y, k->pos, "unknown key '%s' in %s; did you mean '%s'?",
		    cer_yaml_shown(b, k), what, s);
	return cer_yaml_fail(y, k->pos, "unknown key '%s' in %s; the keys allowed here "
	    "are: %s", cer_yaml_shown(b, k), what, join(list, sizeof(list), allowed));
}

/* A mapping whose keys are unique names from allowed (hints: refused keys). */
int
cer_yaml_check_map(const struct cer_yaml *y, const struct cer_yaml_node *m, const char *what,
    const char *const *allowed, const struct cer_yaml_hint *hints)
{
	const struct cer_yaml_node *k;
	const struct cer_yaml_hint *h;
	char b[CER_YAML_SHOW];
	size_t i, j;
	int r;

	if ((r = cer_yaml_want_kind(y, m, CER_YAML_MAP, what)) != CER_OK)
		return r;
	for (i = 0; i < m->nkids; i += 2) {
		k = m->kids[i];
		if (k->kind != CER_YAML_SCALAR)
			return cer_yaml_fail(y, k->pos, "a key in %s is %s; keys must be "
			    "plain names", what, kind_name(k->kind));
		for (h = hints; h != NULL && h->key != NULL; h++)
			if (cer_yaml_is(k, h->key))
				return cer_yaml_fail(y, k->pos, "'%s' %s", h->key, h->why);
		if (!cer_yaml_listed(allowed, k))
			return unknown_key(y, k, what, allowed);
		for (j = 0; j < i; j += 2)
			if (cer_yaml_is(m->kids[j], k->str))
				return cer_yaml_fail(y, k->pos, "duplicate key '%s' in %s "
				    "(first at line %u); keep only one", cer_yaml_shown(b, k),
				    what, m->kids[j]->pos.line);
	}
	return CER_OK;
}

/* The key key is missing from mapping m. */
int
cer_yaml_missing(const struct cer_yaml *y, const struct cer_yaml_node *m, const char *what,
    const char *key)
{
	return cer_yaml_fail(y, m->pos, "%s needs '%s'; add it", what, key);
}

/* A one-line text scalar with a value and no control characters. */
int
cer_yaml_check_text(const struct cer_yaml *y, const struct cer_yaml_node *n, const char *key)
{
	char what[80];
	unsigned long cp;
	size_t klen;
	int r;

	snprintf(what, sizeof(what), "'%s'", key);
	if ((r = cer_yaml_want_kind(y, n, CER_YAML_SCALAR, what)) != CER_OK)
		return r;
	if (cer_yaml_is_null(n) || n->len == 0)
		return cer_yaml_fail(y, n->pos, "'%s' needs a value; write it after the "
		    "colon", key);
	if (n->block)
		return cer_yaml_fail(y, n->pos, "'%s' must be one line; write it as a plain "
		    "or quoted scalar, not with | or >", key);
	/* the same code points every text output escapes, so none reaches one raw */
	if (cer_text_unsafe(n->str, n->len, &cp) >= 0)
		return cer_yaml_fail(y, n->pos, cp < 0x80 || cp > 0x10ffff ?
		    "'%s' contains a control character; remove it" : cp <= 0x9f ?
		    "'%s' contains a control character (U+%04lX); remove it" : cp >= 0x2028 &&
		    cp <= 0x2029 ? "'%s' contains a line or paragraph separator (U+%04lX); "
		    "remove it" : "'%s' contains a bidirectional override or isolate (U+%04lX), "
		    "which makes it read differently from what it is; remove it", key, cp);
	klen = strlen(key);
	if (klen >= 5 && strcmp(key + klen - 5, "label") == 0 && strcmp(key, "token-label") != 0 &&
	    n->len > CER_YAML_LABEL_MAX)
		return cer_yaml_fail(y, n->pos, "'%s' is %zu bytes; a label is at most %d",
		    key, n->len, CER_YAML_LABEL_MAX);
	return CER_OK;
}

int
cer_yaml_want_text(const struct cer_yaml *y, const struct cer_yaml_node *n, const char *key,
    char **out)
{
	int r;

	*out = NULL;
	if ((r = cer_yaml_check_text(y, n, key)) != CER_OK)
		return r;
	if ((*out = strdup(n->str)) == NULL)
		return cer_yaml_nomem();
	return CER_OK;
}

/* An optional text field of mapping m; *out stays NULL when absent. */
int
cer_yaml_opt_text(const struct cer_yaml *y, const struct cer_yaml_node *m, const char *key,
    char **out,
    struct cer_pos *pos)
{
	const struct cer_yaml_node *v = cer_yaml_val(m, key);

	*out = NULL;
	if (v == NULL)
		return CER_OK;
	*pos = v->pos;
	return cer_yaml_want_text(y, v, key, out);
}

int
cer_yaml_want_uint(const struct cer_yaml *y, const struct cer_yaml_node *n, const char *key,
    unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;
	int r;

	if ((r = cer_yaml_check_text(y, n, key)) != CER_OK)
		return r;
	if (!n->plain)
		return cer_yaml_fail(y, n->pos, "'%s' must be an integer, not quoted text; "
		    "remove the quotes", key);
	for (i = 0; i < n->len; i++) {
		if (n->str[i] < '0' || n->str[i] > '9')
			return cer_yaml_fail(y, n->pos, "'%s' must be a decimal integer "
			    "(digits only); write it as digits", key);
		if (v > (max - (unsigned long)(n->str[i] - '0')) / 10)
			return cer_yaml_fail(y, n->pos, "'%s' is out of range; it is at "
			    "most %lu", key, max);
		v = v * 10 + (unsigned long)(n->str[i] - '0');
	}
	if (n->len > 1 && n->str[0] == '0')
		return cer_yaml_fail(y, n->pos, "'%s' has a leading zero; write the number "
		    "without it", key);
	*out = v;
	return CER_OK;
}

/* One of the names tab[1..]; *out is its index. */
int
cer_yaml_want_enum(const struct cer_yaml *y, const struct cer_yaml_node *n, const char *key,
    const char *const *tab, unsigned *out)
{
	char b[CER_YAML_SHOW], list[512];
	const char *s;
	unsigned i;
	int r;

	if ((r = cer_yaml_check_text(y, n, key)) != CER_OK)
		return r;
	for (i = 1; tab[i] != NULL; i++) {
		if (cer_yaml_is(n, tab[i])) {
			*out = i;
			return CER_OK;
		}
	}
	join(list, sizeof(list), tab + 1);
	if ((s = cer_yaml_suggest(n->str, tab + 1)) != NULL)
		return cer_yaml_fail(y, n->pos, "'%s' is not a valid %s; did you mean '%s'? "
		    "(allowed: %s)", cer_yaml_shown(b, n), key, s, list);
	return cer_yaml_fail(y, n->pos, "'%s' is not a valid %s; use one of: %s",
	    cer_yaml_shown(b, n), key, list);
}

/* true or false, unquoted */
int
cer_yaml_want_bool(const struct cer_yaml *y, const struct cer_yaml_node *n, const char *key,
    int *out)
{
	int r;

	if ((r = cer_yaml_check_text(y, n, key)) != CER_OK)
		return r;
	if (n->plain && (cer_yaml_is(n, "true") || cer_yaml_is(n, "false"))) {
		*out = cer_yaml_is(n, "true");
		return CER_OK;
	}
	return cer_yaml_fail(y, n->pos, "'%s' must be true or false, unquoted; fix it", key);
}

/* [A-Za-z0-9._-]+ */
int
cer_yaml_is_id(const struct cer_yaml_node *n)
{
	size_t i;

	if (n->kind != CER_YAML_SCALAR || n->len == 0)
		return 0;
	for (i = 0; i < n->len; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._-", n->str[i]) == NULL || n->str[i] == '\0')
			return 0;
	return 1;
}

static int
check_bytes(const char *name, const unsigned char *text, size_t len)
{
	const unsigned char *z = memchr(text, '\0', len);
	struct cer_yaml y = { name };

	if (len > CER_YAML_MAX)
		return cer_yaml_fail(&y, (struct cer_pos){ 1, 1 }, "the script is too "
		    "large (more than %d bytes); a script is a short text file",
		    CER_YAML_MAX);
	if (z == NULL)
		return CER_OK;
	return cer_yaml_fail(&y, offset_pos(text, len, (size_t)(z - text)), "the script "
	    "contains a NUL byte; save it as UTF-8 text");
}

int
cer_yaml_parse(const struct cer_yaml *y, const unsigned char *text, size_t len,
    struct cer_yaml_node **root)
{
	int r = CER_ERR_INTERNAL, have_parser = 0;
	yaml_parser_t parser;
	struct ctx c;

	*root = NULL;
	if ((r = check_bytes(y->file, text, len)) != CER_OK)
		goto out;
	if (!yaml_parser_initialize(&parser)) {
		r = cer_yaml_nomem();
		goto out;
	}
	have_parser = 1;
	yaml_parser_set_input_string(&parser, text, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	memset(&c, 0, sizeof(c));
	c.y = y;
	c.parser = &parser;
	c.text = text;
	c.len = len;
	r = load_tree(&c, root);
 out:
	if (have_parser)
		yaml_parser_delete(&parser);
	return r;
}
