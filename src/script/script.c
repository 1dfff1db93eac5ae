/*
 * script.c: the ceremony script, read strictly from one YAML document.
 *
 * libyaml's event API builds a small tree of nodes (so that anchors,
 * aliases and tags can be refused where they appear); the tree is then
 * converted into struct cer_script, checking every key, value and
 * reference.  Every error is one line "name:line:col: what; what to do".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <p11-kit/uri.h>
#include <yaml.h>

#include "base/err.h"
#include "script/script.h"
#include "base/util.h"

#define SCRIPT_MAX	(1024 * 1024)	/* bytes of script text */
#define DEPTH_MAX	32		/* nested collections */
#define COUNT_MAX	1000		/* tokens, steps */
#define SHOW		64		/* buffer for user text in a message */

enum kind { K_SCALAR = 1, K_SEQ, K_MAP };

/* A YAML node; a mapping's kids are key, value, key, value, ... */
struct node {
	enum kind kind;
	struct cer_pos pos;
	char *str;		/* scalar text (may hold a NUL from an escape) */
	size_t len;
	int plain;		/* plain scalar style */
	int block;		/* literal or folded scalar */
	struct node **kids;
	size_t nkids;
	size_t cap;
};

struct ctx {
	const char *name;
	struct cer_script *s;
	yaml_parser_t *parser;
	const unsigned char *text;
	size_t len;
	const struct node *steps;	/* the steps: sequence */
	int depth;
};

/* A key that is known but refused in a mapping, and why. */
struct hint {
	const char *key;
	const char *why;
};

/* Index = enum value; NULL-terminated from index 1. */
static const char *const step_names[] = { "", "key", "root", "intermediate",
    "cross-certificate", "cross-csr", "ocsp-signer", "crl", "ocsp-response", NULL };
static const char *const ekus_names[] = { "", "none", "server", "both", NULL };
static const char *const ku_names[] = { "", "Digital Signature", "Cert Sign",
    "CRL Sign", NULL };

static const char *const hierarchy_names[] = { "", "tls", "private", NULL };

static const char *const native_keys[] = { "ceremony", "hierarchy", "tokens",
    "steps", NULL };
static const char *const boulder_keys[] = { "ceremony-type", "pkcs11", "key",
    "inputs", "outputs", "certificate-profile", "skip-lints", NULL };
static const char *const top_keys[] = { "ceremony", "hierarchy", "tokens", "steps",
    "ceremony-type", "pkcs11", "key", "inputs", "outputs", "certificate-profile",
    "skip-lints", NULL };
static const char *const token_keys[] = { "module", "token-label",
    "token-serial", "uri", "pin", NULL };
static const char *const pkcs11_keys[] = { "module", "pin", "store-key-in-slot",
    "store-key-with-label", "token-label", "token-serial", "uri", NULL };
static const char *const pkcs11_sign_keys[] = { "module", "pin", "signing-key-slot",
    "signing-key-label", "token-label", "token-serial", "uri", NULL };
static const char *const step_keys[] = { "id", "ceremony-type", "token", "pkcs11",
    "label", "signing-key", "issuer", "subject-key", "certificate-to-cross-sign",
    "key", "inputs", "outputs", "certificate-profile", "skip-lints", NULL };
static const char *const keyspec_keys[] = { "type", "key-type", "rsa-mod-length",
    "ecdsa-curve", NULL };
static const char *const output_keys[] = { "public-key-path", "certificate-path",
    "csr-path", NULL };
static const char *const input_keys[] = { "public-key-path", "issuer-certificate-path",
    "certificate-to-cross-sign-path", NULL };
static const char *const profile_keys[] = { "policy-url", "signature-algorithm",
    "common-name", "organization", "country", "not-before", "not-after",
    "crl-url", "issuer-url", "ocsp-url", "policies", "key-usages", "ekus",
    "serial", "path-length", "max-validity-days", "allow-other-organization",
    "name-constraints", NULL };
static const char *const profile_required[] = { "signature-algorithm",
    "common-name", "organization", "country", "not-before", "not-after", NULL };
static const char *const subject_required[] = { "common-name", "organization",
    "country", NULL };
static const char *const policy_keys[] = { "oid", NULL };
static const char *const nc_keys[] = { "permitted-dns", "excluded-dns", "permitted-ip",
    "excluded-ip", "permitted-dn", NULL };
static const char *const dn_keys[] = { "country", "organization", NULL };
static const char *const lint_keys[] = { "name", "reason", NULL };
static const char *const selector_keys[] = { "token-label", "token-serial", "uri",
    NULL };

#define SLOT_WHY "is not allowed in a native token: slot IDs change when " \
	"tokens are initialised; select the token with token-label (or " \
	"token-serial, or uri)"
static const struct hint token_hints[] = {
	{ "slot", SLOT_WHY },
	{ "store-key-in-slot", SLOT_WHY },
	{ "signing-key-slot", SLOT_WHY },
	{ NULL, NULL },
};
static const struct hint pkcs11_hints[] = {
	{ "signing-key-slot", "is for signing ceremony types; a key or root step "
	    "uses store-key-in-slot (or token-label)" },
	{ "signing-key-label", "is for signing ceremony types; a key or root step "
	    "uses store-key-with-label" },
	{ NULL, NULL },
};
static const struct hint pkcs11_sign_hints[] = {
	{ "store-key-in-slot", "is for key-generating ceremony types; a signing "
	    "step uses signing-key-slot (or token-label)" },
	{ "store-key-with-label", "is for key-generating ceremony types; a signing "
	    "step names its key with signing-key-label" },
	{ NULL, NULL },
};
static const struct hint output_hints[] = {
	{ "pkcs11-config-path", "is not supported: Boulder writes the PIN into "
	    "that file in clear; remove it" },
	{ NULL, NULL },
};

/* ---- messages ---- */

static int __attribute__((__format__(__printf__, 3, 4)))
fail_at(const struct ctx *c, struct cer_pos p, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cer_fail(CER_ERR_SCRIPT, "%s:%u:%u: %s", c->name, p.line, p.col, msg);
}

static int
nomem(void)
{
	return cer_fail(CER_ERR_ALLOC, "out of memory while reading the script");
}

/* User text for a message: at most SHOW-4 bytes, control bytes as '?'. */
static const char *
show(char buf[SHOW], const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && n < SHOW - 4; i++)
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

static const char *
shown(char buf[SHOW], const struct node *n)
{
	return show(buf, n->str, n->len);
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

static int
lower(int ch)
{
	return (ch >= 'A' && ch <= 'Z') ? ch - 'A' + 'a' : ch;
}

/* Optimal string alignment distance, ignoring ASCII case; 255 when too long. */
static unsigned
distance(const char *a, const char *b)
{
	unsigned char d[33][33];
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned v;

	if (la > 32 || lb > 32)
		return 255;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			v = d[i - 1][j - 1] + (lower(a[i - 1]) != lower(b[j - 1]));
			if (d[i - 1][j] + 1u < v)
				v = d[i - 1][j] + 1u;
			if (d[i][j - 1] + 1u < v)
				v = d[i][j - 1] + 1u;
			if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
			    lower(a[i - 2]) == lower(b[j - 1]) && d[i - 2][j - 2] + 1u < v)
				v = d[i - 2][j - 2] + 1u;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/* The closest name in a NULL-terminated list, or NULL when none is close. */
static const char *
suggest(const char *word, const char *const *list)
{
	const char *best = NULL;
	unsigned d, bestd = 255;

	for (; *list != NULL; list++) {
		d = distance(word, *list);
		if (d < bestd && d <= 1 + strlen(*list) / 4) {
			bestd = d;
			best = *list;
		}
	}
	return best;
}

/* ---- the node tree ---- */

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

static void
node_free(struct node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
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
		return nomem();
	if (p->error == YAML_READER_ERROR) {
		pos = offset_pos(c->text, c->len, p->problem_offset);
		return fail_at(c, pos, "the script is not valid UTF-8 text (%s); "
		    "save it as UTF-8 without control characters", problem);
	}
	pos = mark_pos(p->problem_mark);
	if (p->context != NULL)
		return fail_at(c, pos, "YAML syntax error: %s (%s at line %u); "
		    "fix the YAML syntax", problem, p->context,
		    (unsigned)p->context_mark.line + 1);
	return fail_at(c, pos, "YAML syntax error: %s; fix the YAML syntax", problem);
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
	char b[SHOW];

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
		return fail_at(c, pos, "anchors (&%s) are not allowed in a script; "
		    "write the value out in full", show(b, (const char *)anchor,
		    strlen((const char *)anchor)));
	if (tag != NULL)
		return fail_at(c, pos, "tags (%s) are not allowed in a script; "
		    "remove the tag", show(b, (const char *)tag, strlen((const char *)tag)));
	return CER_OK;
}

static int
node_new(const struct ctx *c, const yaml_event_t *ev, struct node **out)
{
	struct node *n;
	int r;

	*out = NULL;
	if ((r = plain_node(c, ev)) != CER_OK)
		return r;
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return nomem();
	n->pos = mark_pos(ev->start_mark);
	if (ev->type == YAML_SEQUENCE_START_EVENT)
		n->kind = K_SEQ;
	else if (ev->type == YAML_MAPPING_START_EVENT)
		n->kind = K_MAP;
	else {
		n->kind = K_SCALAR;
		n->len = ev->data.scalar.length;
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		n->block = ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
		    ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
		if ((n->str = malloc(n->len + 1)) == NULL) {
			free(n);
			return nomem();
		}
		memcpy(n->str, ev->data.scalar.value, n->len);
		n->str[n->len] = '\0';
		explicit_bzero(ev->data.scalar.value, n->len);
	}
	*out = n;
	return CER_OK;
}

static int
add_kid(struct node *n, struct node *kid)
{
	struct node **k;
	size_t cap;

	if (n->nkids == n->cap) {
		cap = n->cap ? 2 * n->cap : 8;
		if ((k = reallocarray(n->kids, cap, sizeof(*k))) == NULL)
			return nomem();
		n->kids = k;
		n->cap = cap;
	}
	n->kids[n->nkids++] = kid;
	return CER_OK;
}

static int build_node(struct ctx *, const yaml_event_t *, struct node **);

static int
build_kids(struct ctx *c, struct node *n)
{
	int r = CER_ERR_INTERNAL;
	struct node *kid = NULL;
	yaml_event_t ev;

	memset(&ev, 0, sizeof(ev));
	if (++c->depth > DEPTH_MAX) {
		r = fail_at(c, n->pos, "collections are nested more than %d deep; "
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
	node_free(kid);
	return r;
}

/* Builds the node that ev starts, reading the events of its children. */
static int
build_node(struct ctx *c, const yaml_event_t *ev, struct node **out)
{
	int r = CER_ERR_INTERNAL;
	struct node *n = NULL;
	char b[SHOW];

	*out = NULL;
	if (ev->type == YAML_ALIAS_EVENT) {
		r = fail_at(c, mark_pos(ev->start_mark), "aliases (*%s) are not "
		    "allowed in a script; write the value out in full",
		    show(b, (const char *)ev->data.alias.anchor,
		    strlen((const char *)ev->data.alias.anchor)));
		goto out;
	}
	if ((r = node_new(c, ev, &n)) != CER_OK)
		goto out;
	if (n->kind != K_SCALAR && (r = build_kids(c, n)) != CER_OK)
		goto out;
	*out = n;
	n = NULL;
	r = CER_OK;
 out:
	node_free(n);
	return r;
}

/* Reads the one document of the stream into a tree. */
static int
load_tree(struct ctx *c, struct node **out)
{
	int r = CER_ERR_INTERNAL;
	struct node *root = NULL;
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
		r = fail_at(c, start, "the script is empty; write a native script "
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
		r = fail_at(c, mark_pos(ev.start_mark), "a second YAML document; a "
		    "script is one document: remove this '---' and what follows");
		goto out;
	}
	*out = root;
	root = NULL;
	r = CER_OK;
 out:
	yaml_event_delete(&ev);
	node_free(root);
	return r;
}

/* ---- node access and value checks ---- */

static const char *
kind_name(enum kind k)
{
	return k == K_SCALAR ? "a scalar" : k == K_SEQ ? "a sequence" : "a mapping";
}

static int
is(const struct node *n, const char *s)
{
	size_t l = strlen(s);

	return n->kind == K_SCALAR && n->len == l && memcmp(n->str, s, l) == 0;
}

static int
is_null(const struct node *n)
{
	return n->kind == K_SCALAR && n->plain && (n->len == 0 || is(n, "~") ||
	    is(n, "null") || is(n, "Null") || is(n, "NULL"));
}

static const struct node *
key_of(const struct node *m, const char *key)
{
	size_t i;

	for (i = 0; i + 1 < m->nkids; i += 2)
		if (is(m->kids[i], key))
			return m->kids[i];
	return NULL;
}

static const struct node *
val_of(const struct node *m, const char *key)
{
	size_t i;

	for (i = 0; i + 1 < m->nkids; i += 2)
		if (is(m->kids[i], key))
			return m->kids[i + 1];
	return NULL;
}

static int
listed(const char *const *list, const struct node *n)
{
	for (; *list != NULL; list++)
		if (is(n, *list))
			return 1;
	return 0;
}

static int
want_kind(const struct ctx *c, const struct node *n, enum kind kind,
    const char *what)
{
	static const char *const how[] = { "", "write a single value",
	    "write one '- item' line per entry",
	    "write indented 'name: value' lines under it" };

	if (n->kind == kind)
		return CER_OK;
	if (is_null(n))
		return fail_at(c, n->pos, "%s needs a value; %s", what, how[kind]);
	return fail_at(c, n->pos, "%s must be %s, not %s; %s", what,
	    kind_name(kind), kind_name(n->kind), how[kind]);
}

static int
unknown_key(const struct ctx *c, const struct node *k, const char *what,
    const char *const *allowed)
{
	char b[SHOW], list[512];
	const char *s = suggest(k->str, allowed);

	if (s != NULL)
		return fail_at(c, k->pos, "unknown key '%s' in %s; did you mean '%s'?",
		    shown(b, k), what, s);
	return fail_at(c, k->pos, "unknown key '%s' in %s; the keys allowed here "
	    "are: %s", shown(b, k), what, join(list, sizeof(list), allowed));
}

/* A mapping whose keys are unique names from allowed (hints: refused keys). */
static int
check_map(const struct ctx *c, const struct node *m, const char *what,
    const char *const *allowed, const struct hint *hints)
{
	const struct node *k;
	const struct hint *h;
	char b[SHOW];
	size_t i, j;
	int r;

	if ((r = want_kind(c, m, K_MAP, what)) != CER_OK)
		return r;
	for (i = 0; i < m->nkids; i += 2) {
		k = m->kids[i];
		if (k->kind != K_SCALAR)
			return fail_at(c, k->pos, "a key in %s is %s; keys must be "
			    "plain names", what, kind_name(k->kind));
		for (h = hints; h != NULL && h->key != NULL; h++)
			if (is(k, h->key))
				return fail_at(c, k->pos, "'%s' %s", h->key, h->why);
		if (!listed(allowed, k))
			return unknown_key(c, k, what, allowed);
		for (j = 0; j < i; j += 2)
			if (is(m->kids[j], k->str))
				return fail_at(c, k->pos, "duplicate key '%s' in %s "
				    "(first at line %u); keep only one", shown(b, k),
				    what, m->kids[j]->pos.line);
	}
	return CER_OK;
}

/* The key key is missing from mapping m. */
static int
missing(const struct ctx *c, const struct node *m, const char *what,
    const char *key)
{
	return fail_at(c, m->pos, "%s needs '%s'; add it", what, key);
}

/* A one-line text scalar with a value and no control characters. */
static int
check_text(const struct ctx *c, const struct node *n, const char *key)
{
	char what[80];
	size_t i;
	int r;

	snprintf(what, sizeof(what), "'%s'", key);
	if ((r = want_kind(c, n, K_SCALAR, what)) != CER_OK)
		return r;
	if (is_null(n) || n->len == 0)
		return fail_at(c, n->pos, "'%s' needs a value; write it after the "
		    "colon", key);
	if (n->block)
		return fail_at(c, n->pos, "'%s' must be one line; write it as a plain "
		    "or quoted scalar, not with | or >", key);
	for (i = 0; i < n->len; i++)
		if ((unsigned char)n->str[i] < 0x20 || n->str[i] == 0x7f)
			return fail_at(c, n->pos, "'%s' contains a control character; "
			    "remove it", key);
	return CER_OK;
}

static int
want_text(const struct ctx *c, const struct node *n, const char *key, char **out)
{
	int r;

	*out = NULL;
	if ((r = check_text(c, n, key)) != CER_OK)
		return r;
	if ((*out = strdup(n->str)) == NULL)
		return nomem();
	return CER_OK;
}

/* An optional text field of mapping m; *out stays NULL when absent. */
static int
opt_text(const struct ctx *c, const struct node *m, const char *key, char **out,
    struct cer_pos *pos)
{
	const struct node *v = val_of(m, key);

	*out = NULL;
	if (v == NULL)
		return CER_OK;
	*pos = v->pos;
	return want_text(c, v, key, out);
}

static int
want_uint(const struct ctx *c, const struct node *n, const char *key,
    unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;
	int r;

	if ((r = check_text(c, n, key)) != CER_OK)
		return r;
	if (!n->plain)
		return fail_at(c, n->pos, "'%s' must be an integer, not quoted text; "
		    "remove the quotes", key);
	for (i = 0; i < n->len; i++) {
		if (n->str[i] < '0' || n->str[i] > '9')
			return fail_at(c, n->pos, "'%s' must be a decimal integer "
			    "(digits only); write it as digits", key);
		if (v > (max - (unsigned long)(n->str[i] - '0')) / 10)
			return fail_at(c, n->pos, "'%s' is out of range; it is at "
			    "most %lu", key, max);
		v = v * 10 + (unsigned long)(n->str[i] - '0');
	}
	if (n->len > 1 && n->str[0] == '0')
		return fail_at(c, n->pos, "'%s' has a leading zero; write the number "
		    "without it", key);
	*out = v;
	return CER_OK;
}

/* One of the names tab[1..]; *out is its index. */
static int
want_enum(const struct ctx *c, const struct node *n, const char *key,
    const char *const *tab, unsigned *out)
{
	char b[SHOW], list[512];
	const char *s;
	unsigned i;
	int r;

	if ((r = check_text(c, n, key)) != CER_OK)
		return r;
	for (i = 1; tab[i] != NULL; i++) {
		if (is(n, tab[i])) {
			*out = i;
			return CER_OK;
		}
	}
	join(list, sizeof(list), tab + 1);
	if ((s = suggest(n->str, tab + 1)) != NULL)
		return fail_at(c, n->pos, "'%s' is not a valid %s; did you mean '%s'? "
		    "(allowed: %s)", shown(b, n), key, s, list);
	return fail_at(c, n->pos, "'%s' is not a valid %s; use one of: %s",
	    shown(b, n), key, list);
}

/* [A-Za-z0-9._-]+ */
static int
is_id(const struct node *n)
{
	size_t i;

	if (n->kind != K_SCALAR || n->len == 0)
		return 0;
	for (i = 0; i < n->len; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._-", n->str[i]) == NULL || n->str[i] == '\0')
			return 0;
	return 1;
}

/* ---- tokens ---- */

static int
add_token(struct cer_script *s, size_t *idx)
{
	struct cer_token_spec *t;

	if ((t = reallocarray(s->tokens, s->ntokens + 1, sizeof(*t))) == NULL)
		return nomem();
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
parse_pin(const struct ctx *c, const struct node *m, struct cer_token_spec *t)
{
	const struct node *v = val_of(m, "pin");
	const char *p;
	int r;

	if (v == NULL)
		return CER_OK;
	t->pin_pos = v->pos;
	if ((r = want_text(c, v, "pin", &t->pin)) != CER_OK)
		return r;
	p = t->pin;
	if (strcmp(p, "prompt") == 0)
		return CER_OK;
	if (strncmp(p, "file:", 5) == 0 || strncmp(p, "env:", 4) == 0 ||
	    strncmp(p, "fd:", 3) == 0) {
		if (!pin_source_ok(p))
			return fail_at(c, v->pos, "'pin' names a malformed PIN source; "
			    "write file:PATH, env:NAME (letters, digits, _) or fd:N");
		return CER_OK;
	}
	t->pin_literal = 1;
	return CER_OK;
}

static int
check_uri(const struct ctx *c, const struct node *v, const char *s)
{
	int r = CER_ERR_INTERNAL, pr;
	P11KitUri *uri;

	if ((uri = p11_kit_uri_new()) == NULL)
		return nomem();
	if ((pr = p11_kit_uri_parse(s, P11_KIT_URI_FOR_TOKEN, uri)) != P11_KIT_URI_OK)
		r = fail_at(c, v->pos, "'uri' is not a PKCS#11 URI: %s; write it as "
		    "in RFC 7512, e.g. pkcs11:token=Example%%20Root",
		    p11_kit_uri_message(pr));
	else if (p11_kit_uri_get_pin_value(uri) != NULL ||
	    p11_kit_uri_get_pin_source(uri) != NULL)
		r = fail_at(c, v->pos, "'uri' carries a PIN (pin-value or "
		    "pin-source); PINs never go into the script that way: remove it "
		    "and use pin: (prompt, file:, env: or fd:)");
	else if (p11_kit_uri_any_unrecognized(uri))
		r = fail_at(c, v->pos, "'uri' has attributes that do not describe a "
		    "token (such as object= or id=); keep only token attributes");
	else
		r = CER_OK;
	p11_kit_uri_free(uri);
	return r;
}

/* The one of token-label, token-serial, uri given in m, or NULL. */
static int
one_selector(const struct ctx *c, const struct node *m, const struct node **sel)
{
	size_t i;

	*sel = NULL;
	for (i = 0; i < m->nkids; i += 2) {
		if (!listed(selector_keys, m->kids[i]))
			continue;
		if (*sel != NULL)
			return fail_at(c, m->kids[i]->pos, "'%s' and '%s' both select "
			    "the token; give only one of token-label, token-serial and "
			    "uri", (*sel)->str, m->kids[i]->str);
		*sel = m->kids[i];
	}
	return CER_OK;
}

static int
parse_selector(const struct ctx *c, const struct node *k, const struct node *v,
    struct cer_token_spec *t)
{
	int r;

	t->selector_pos = v->pos;
	if (is(k, "token-label")) {
		if ((r = want_text(c, v, "token-label", &t->token_label)) != CER_OK)
			return r;
		if (strlen(t->token_label) > 32)
			return fail_at(c, v->pos, "'token-label' is longer than 32 bytes, "
			    "so no PKCS#11 token can carry it; shorten it");
		return CER_OK;
	}
	if (is(k, "token-serial")) {
		if ((r = want_text(c, v, "token-serial", &t->token_serial)) != CER_OK)
			return r;
		if (strlen(t->token_serial) > 16)
			return fail_at(c, v->pos, "'token-serial' is longer than 16 "
			    "bytes, so no PKCS#11 token can carry it; check it");
		return CER_OK;
	}
	if ((r = want_text(c, v, "uri", &t->uri)) != CER_OK)
		return r;
	return check_uri(c, v, t->uri);
}

/*
 * Token selection; slot_key for Boulder blocks (store-key-in-slot or
 * signing-key-slot, default 0), NULL where slots are refused.
 */
static int
selectors(const struct ctx *c, const struct node *m, const char *what,
    struct cer_token_spec *t, const char *slot_key)
{
	const struct node *sel, *slotk = slot_key != NULL ? key_of(m, slot_key) : NULL;
	int r;

	if ((r = one_selector(c, m, &sel)) != CER_OK)
		return r;
	if (sel != NULL && slotk != NULL)
		return fail_at(c, slotk->pos, "'%s' and '%s' both select the token; give "
		    "only one (token-label is safer: slot IDs change)", slot_key, sel->str);
	if (sel != NULL)
		return parse_selector(c, sel, val_of(m, sel->str), t);
	if (slot_key == NULL)
		return fail_at(c, m->pos, "%s needs one of token-label, token-serial "
		    "or uri; add one", what);
	t->has_slot = 1;
	if (slotk == NULL)
		return CER_OK;
	t->selector_pos = val_of(m, slot_key)->pos;
	return want_uint(c, val_of(m, slot_key), slot_key, 0xfffffffful, &t->slot);
}

static int
token_common(const struct ctx *c, const struct node *m, const char *what,
    size_t idx, const char *slot_key)
{
	struct cer_token_spec *t = &c->s->tokens[idx];
	const struct node *v = val_of(m, "module");
	int r;

	if (v == NULL)
		return missing(c, m, what, "module");
	t->module_pos = v->pos;
	if ((r = want_text(c, v, "module", &t->module)) != CER_OK)
		return r;
	if ((r = selectors(c, m, what, t, slot_key)) != CER_OK)
		return r;
	return parse_pin(c, m, t);
}

static int
native_token(const struct ctx *c, const struct node *k, const struct node *v)
{
	char what[SHOW + 16], b[SHOW];
	size_t idx;
	int r;

	if ((r = add_token(c->s, &idx)) != CER_OK)
		return r;
	c->s->tokens[idx].pos = k->pos;
	if ((c->s->tokens[idx].name = strdup(k->str)) == NULL)
		return nomem();
	snprintf(what, sizeof(what), "token '%s'", shown(b, k));
	if ((r = check_map(c, v, what, token_keys, token_hints)) != CER_OK)
		return r;
	return token_common(c, v, what, idx, NULL);
}

static int
parse_tokens(struct ctx *c, const struct node *m)
{
	const struct node *k;
	size_t i, j;
	char b[SHOW];
	int r;

	if ((r = want_kind(c, m, K_MAP, "'tokens'")) != CER_OK)
		return r;
	if (m->nkids == 0)
		return fail_at(c, m->pos, "'tokens' is empty; define a token or remove "
		    "'tokens:'");
	if (m->nkids / 2 > COUNT_MAX)
		return fail_at(c, m->pos, "more than %d tokens; split the ceremony",
		    COUNT_MAX);
	for (i = 0; i < m->nkids; i += 2) {
		k = m->kids[i];
		if (!is_id(k))
			return fail_at(c, k->pos, "a token name must be letters, digits, "
			    "'.', '_' or '-'; rename it");
		for (j = 0; j < i; j += 2)
			if (is(m->kids[j], k->str))
				return fail_at(c, k->pos, "duplicate token name '%s' (first "
				    "at line %u); give each token its own name",
				    shown(b, k), m->kids[j]->pos.line);
		if ((r = native_token(c, k, m->kids[i + 1])) != CER_OK)
			return r;
	}
	return CER_OK;
}

/* ---- key spec ---- */

static int
key_params(const struct ctx *c, const struct node *m, struct cer_key_spec *key)
{
	const struct node *bits = val_of(m, "rsa-mod-length");
	const struct node *curve = val_of(m, "ecdsa-curve");
	unsigned long n;
	unsigned cv;
	int r;

	if (key->type != CER_KEY_EC && curve != NULL)
		return fail_at(c, key_of(m, "ecdsa-curve")->pos, "'ecdsa-curve' is "
		    "only for type ecdsa; remove it");
	if (key->type != CER_KEY_RSA && bits != NULL)
		return fail_at(c, key_of(m, "rsa-mod-length")->pos, "'rsa-mod-length' "
		    "is only for type rsa; remove it");
	if (key->type == CER_KEY_RSA) {
		if (bits == NULL)
			return missing(c, m, "a key of type rsa", "rsa-mod-length");
		if ((r = want_uint(c, bits, "rsa-mod-length", 65536, &n)) != CER_OK)
			return r;
		if (n != 2048 && n != 3072 && n != 4096)
			return fail_at(c, bits->pos, "'rsa-mod-length' %lu is not "
			    "allowed; use 2048, 3072 or 4096", n);
		key->rsa_bits = (unsigned)n;
	} else if (key->type == CER_KEY_EC) {
		if (curve == NULL)
			return missing(c, m, "a key of type ecdsa", "ecdsa-curve");
		if ((r = want_enum(c, curve, "ecdsa-curve", cer_alg_curve_names(), &cv)) != CER_OK)
			return r;
		key->curve = (enum cer_curve)cv;
	}
	return CER_OK;
}

static int
parse_key(const struct ctx *c, const struct node *m, struct cer_key_spec *key)
{
	const struct node *t = val_of(m, "type");
	unsigned kt;
	int r;

	if ((r = check_map(c, m, "the key block", keyspec_keys, NULL)) != CER_OK)
		return r;
	if (t != NULL && key_of(m, "key-type") != NULL)
		return fail_at(c, key_of(m, "key-type")->pos, "'key-type' is Boulder's "
		    "old name for 'type'; give only one of them");
	if (t == NULL && (t = val_of(m, "key-type")) == NULL)
		return missing(c, m, "the key block", "type");
	if ((r = want_enum(c, t, "type", cer_alg_key_type_names(), &kt)) != CER_OK)
		return r;
	key->present = 1;
	key->pos = m->pos;
	key->type = (enum cer_key_type)kt;
	return key_params(c, m, key);
}

/* ---- certificate profile ---- */

static int
is_url(const char *s)
{
	return (strncmp(s, "http://", 7) == 0 && s[7] != '\0') ||
	    (strncmp(s, "https://", 8) == 0 && s[8] != '\0');
}

static int
url_field(const struct ctx *c, const struct node *m, const char *key, char **out,
    struct cer_pos *pos)
{
	int r;

	if ((r = opt_text(c, m, key, out, pos)) != CER_OK)
		return r;
	if (*out != NULL && !is_url(*out))
		return fail_at(c, *pos, "'%s' must be an http:// or https:// URL; "
		    "fix it", key);
	return CER_OK;
}

/* Code points in s, or -1 when s is not UTF-8 or holds a control character. */
static long
text_chars(const unsigned char *s, size_t len)
{
	size_t i = 0, k, n;
	unsigned long cp;
	long count = 0;

	while (i < len) {
		n = s[i] < 0x80 ? 1 : (s[i] & 0xe0) == 0xc0 ? 2 :
		    (s[i] & 0xf0) == 0xe0 ? 3 : (s[i] & 0xf8) == 0xf0 ? 4 : 0;
		if (n == 0 || i + n > len)
			return -1;
		cp = n == 1 ? s[i] : (unsigned long)s[i] & (0x7fu >> n);
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return -1;
			cp = cp << 6 | (s[i + k] & 0x3fu);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
		    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp < 0x20 ||
		    (cp >= 0x7f && cp <= 0x9f))
			return -1;
		i += n;
		count++;
	}
	return count;
}

static int
name_field(const struct ctx *c, const struct node *m, const char *key, char **out,
    struct cer_pos *pos)
{
	long n;
	int r;

	if ((r = opt_text(c, m, key, out, pos)) != CER_OK)
		return r;
	n = text_chars((const unsigned char *)*out, strlen(*out));
	if (n < 0)
		return fail_at(c, *pos, "'%s' is not valid UTF-8 text or holds a "
		    "control character; fix it", key);
	if (n > 64)
		return fail_at(c, *pos, "'%s' is %ld characters; X.509 allows at most "
		    "64, so shorten it", key, n);
	return CER_OK;
}

static int
profile_subject(const struct ctx *c, const struct node *m,
    struct cer_cert_profile *p)
{
	const char *cc;
	int r;

	if ((r = name_field(c, m, "common-name", &p->common_name,
	    &p->common_name_pos)) != CER_OK ||
	    (r = name_field(c, m, "organization", &p->organization,
	    &p->organization_pos)) != CER_OK ||
	    (r = opt_text(c, m, "country", &p->country, &p->country_pos)) != CER_OK)
		return r;
	cc = p->country;
	if (strlen(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
		return fail_at(c, p->country_pos, "'country' must be a two-letter "
		    "ISO 3166 code in capitals, such as US; fix it");
	return CER_OK;
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SSZ" into f[6]. */
static int
time_fields(const char *s, int f[6])
{
	static const char shape[] = "dddd-dd-dd?dd:dd:dd";
	size_t len = strlen(s), i;
	int k = 0;

	if (!(len == 19 && s[10] == ' ') && !(len == 20 && s[10] == 'T' && s[19] == 'Z'))
		return 0;
	memset(f, 0, 6 * sizeof(*f));
	for (i = 0; i < 19; i++) {
		if (shape[i] == 'd') {
			if (s[i] < '0' || s[i] > '9')
				return 0;
			f[k] = f[k] * 10 + (s[i] - '0');
		} else if (shape[i] == '?') {
			k++;
		} else if (s[i] != shape[i]) {
			return 0;
		} else
			k++;
	}
	return 1;
}

static int
parse_time(const struct ctx *c, const struct node *v, const char *key,
    time_t *out)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	struct tm tm;
	char b[SHOW];
	int f[6], r;

	if ((r = check_text(c, v, key)) != CER_OK)
		return r;
	if (!time_fields(v->str, f))
		return fail_at(c, v->pos, "'%s' must be a UTC time written "
		    "'YYYY-MM-DD HH:MM:SS' (or 'YYYY-MM-DDTHH:MM:SSZ'), not '%s'; "
		    "fix it", key, shown(b, v));
	if (f[0] < 1950)
		return fail_at(c, v->pos, "'%s' is before 1950, which X.509 validity "
		    "cannot carry; fix the year", key);
	if (f[1] < 1 || f[1] > 12 || f[2] < 1 ||
	    f[2] > mdays[f[1] - 1] + (f[1] == 2 && is_leap(f[0])) ||
	    f[3] > 23 || f[4] > 59 || f[5] > 59)
		return fail_at(c, v->pos, "'%s' is not a real date and time ('%s'); "
		    "check the month, the day of the month and the time", key,
		    shown(b, v));
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = f[0] - 1900;
	tm.tm_mon = f[1] - 1;
	tm.tm_mday = f[2];
	tm.tm_hour = f[3];
	tm.tm_min = f[4];
	tm.tm_sec = f[5];
	*out = timegm(&tm);
	return CER_OK;
}

static int
profile_dates(const struct ctx *c, const struct node *m, struct cer_cert_profile *p)
{
	const struct node *nb = val_of(m, "not-before"), *na = val_of(m, "not-after");
	int r;

	p->not_before_pos = nb->pos;
	p->not_after_pos = na->pos;
	if ((r = parse_time(c, nb, "not-before", &p->not_before)) != CER_OK)
		return r;
	p->has_not_before = 1;
	if ((r = parse_time(c, na, "not-after", &p->not_after)) != CER_OK)
		return r;
	p->has_not_after = 1;
	if (p->not_after <= p->not_before)
		return fail_at(c, na->pos, "'not-after' is not after 'not-before' "
		    "(line %u); fix the validity period", nb->pos.line);
	return CER_OK;
}

/* Dotted decimal with at least two arcs: 0..2 first, < 40 second below 2. */
static int
oid_ok(const char *s)
{
	unsigned long first = 0, second = 0;
	size_t arcs = 0, n;

	for (;;) {
		n = strspn(s, "0123456789");
		if (n == 0 || n > 20 || (n > 1 && s[0] == '0'))
			return 0;
		if (arcs == 0)
			first = strtoul(s, NULL, 10);
		else if (arcs == 1)
			second = strtoul(s, NULL, 10);
		arcs++;
		s += n;
		if (*s == '\0')
			break;
		if (*s++ != '.')
			return 0;
	}
	return arcs >= 2 && first <= 2 && (first == 2 || second < 40);
}

static int
profile_policies(const struct ctx *c, const struct node *v,
    struct cer_cert_profile *p)
{
	const struct node *item, *oid;
	size_t i;
	int r;

	p->policies_pos = v->pos;
	if ((r = want_kind(c, v, K_SEQ, "'policies'")) != CER_OK)
		return r;
	if ((p->policies = calloc(v->nkids ? v->nkids : 1, sizeof(*p->policies))) == NULL)
		return nomem();
	for (i = 0; i < v->nkids; i++) {
		item = v->kids[i];
		if ((r = check_map(c, item, "a policies entry", policy_keys,
		    NULL)) != CER_OK)
			return r;
		if ((oid = val_of(item, "oid")) == NULL)
			return missing(c, item, "a policies entry", "oid");
		p->policies[i].pos = oid->pos;
		if ((r = want_text(c, oid, "oid", &p->policies[i].oid)) != CER_OK)
			return r;
		p->npolicies++;
		if (!oid_ok(p->policies[i].oid))
			return fail_at(c, oid->pos, "'oid' must be a dotted decimal "
			    "OID such as 2.23.140.1.2.1; fix it");
	}
	return CER_OK;
}

static int
profile_key_usages(const struct ctx *c, const struct node *v,
    struct cer_cert_profile *p)
{
	unsigned i, ku, bit;
	char b[SHOW];
	int r;

	p->key_usages_pos = v->pos;
	if ((r = want_kind(c, v, K_SEQ, "'key-usages'")) != CER_OK)
		return r;
	p->has_key_usages = 1;
	for (i = 0; i < v->nkids; i++) {
		if ((r = want_enum(c, v->kids[i], "key-usages", ku_names, &ku)) != CER_OK)
			return r;
		bit = 1u << (ku - 1);
		if (p->key_usages & bit)
			return fail_at(c, v->kids[i]->pos, "'%s' is listed twice in "
			    "key-usages; list it once", shown(b, v->kids[i]));
		p->key_usages |= bit;
	}
	return CER_OK;
}

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Hex bytes, optionally colon-separated ("01:02" or "0102"); 0 when malformed. */
static size_t
serial_bytes(const char *s, unsigned char *buf, size_t max)
{
	int colons = strchr(s, ':') != NULL;
	size_t n = 0;

	while (*s != '\0') {
		if (hexval(s[0]) < 0 || hexval(s[1]) < 0)
			return 0;
		if (n < max)
			buf[n] = (unsigned char)(hexval(s[0]) << 4 | hexval(s[1]));
		n++;
		s += 2;
		if (colons && *s != '\0' && (*s++ != ':' || *s == '\0'))
			return 0;
	}
	return n;
}

static int
profile_serial(const struct ctx *c, const struct node *v, struct cer_cert_profile *p)
{
	size_t n;
	int r;

	p->serial_pos = v->pos;
	if ((r = check_text(c, v, "serial")) != CER_OK)
		return r;
	if ((n = serial_bytes(v->str, p->serial, sizeof(p->serial))) == 0)
		return fail_at(c, v->pos, "'serial' must be hex bytes such as "
		    "'7a:01:c3' or '7a01c3'; fix it");
	if (n > sizeof(p->serial))
		return fail_at(c, v->pos, "'serial' is %zu bytes; a serial number is "
		    "at most 20 bytes", n);
	if (p->serial[0] == 0 || p->serial[0] & 0x80) {
		explicit_bzero(p->serial, sizeof(p->serial));
		return fail_at(c, v->pos, "'serial' must start with a byte from 01 "
		    "to 7f (a positive DER INTEGER without padding); change the first "
		    "byte");
	}
	p->serial_len = n;
	return CER_OK;
}

static int
profile_enums(const struct ctx *c, const struct node *m, struct cer_cert_profile *p)
{
	const struct node *v;
	unsigned e;
	int r;

	if ((v = val_of(m, "signature-algorithm")) != NULL) {
		p->sigalg_pos = v->pos;
		if ((r = want_enum(c, v, "signature-algorithm", cer_alg_sigalg_names(), &e)) != CER_OK)
			return r;
		p->sigalg = (enum cer_sigalg)e;
	}
	if ((v = val_of(m, "ekus")) != NULL) {
		p->ekus_pos = v->pos;
		if ((r = want_enum(c, v, "ekus", ekus_names, &e)) != CER_OK)
			return r;
		p->ekus = (enum cer_ekus)e;
	}
	if ((v = val_of(m, "policies")) != NULL &&
	    (r = profile_policies(c, v, p)) != CER_OK)
		return r;
	if ((v = val_of(m, "key-usages")) != NULL &&
	    (r = profile_key_usages(c, v, p)) != CER_OK)
		return r;
	if ((v = val_of(m, "serial")) != NULL)
		return profile_serial(c, v, p);
	return CER_OK;
}

/* true or false, unquoted */
static int
want_bool(const struct ctx *c, const struct node *n, const char *key, int *out)
{
	int r;

	if ((r = check_text(c, n, key)) != CER_OK)
		return r;
	if (n->plain && (is(n, "true") || is(n, "false"))) {
		*out = is(n, "true");
		return CER_OK;
	}
	return fail_at(c, n->pos, "'%s' must be true or false, unquoted; fix it", key);
}

/* path-length, max-validity-days, allow-other-organization */
static int
profile_numbers(const struct ctx *c, const struct node *m, struct cer_cert_profile *p)
{
	const struct node *v;
	int r;

	p->max_validity_days = CER_OCSP_SIGNER_MAX_DAYS;
	if ((v = val_of(m, "path-length")) != NULL) {
		p->path_length_pos = v->pos;
		if ((r = want_uint(c, v, "path-length", 16, &p->path_length)) != CER_OK)
			return r;
	}
	if ((v = val_of(m, "max-validity-days")) != NULL) {
		p->max_validity_days_pos = v->pos;
		if ((r = want_uint(c, v, "max-validity-days", CER_OCSP_SIGNER_MAX_DAYS,
		    &p->max_validity_days)) != CER_OK)
			return r;
		if (p->max_validity_days == 0)
			return fail_at(c, v->pos, "'max-validity-days' must be at least 1");
	}
	if ((v = val_of(m, "allow-other-organization")) != NULL) {
		p->allow_other_org_pos = v->pos;
		return want_bool(c, v, "allow-other-organization", &p->allow_other_org);
	}
	return CER_OK;
}

/* The fields of a certificate-profile; required: those that must be there. */
static int
parse_profile(const struct ctx *c, const struct node *m, struct cer_cert_profile *p,
    const char *const *required)
{
	const char *const *k;
	int r;

	if ((r = check_map(c, m, "the certificate-profile", profile_keys,
	    NULL)) != CER_OK)
		return r;
	for (k = required; *k != NULL; k++)
		if (key_of(m, *k) == NULL)
			return missing(c, m, "the certificate-profile", *k);
	p->present = 1;
	p->pos = m->pos;
	if ((r = url_field(c, m, "policy-url", &p->policy_url,
	    &p->policy_url_pos)) != CER_OK ||
	    (r = profile_enums(c, m, p)) != CER_OK ||
	    (r = profile_numbers(c, m, p)) != CER_OK ||
	    (r = profile_subject(c, m, p)) != CER_OK ||
	    (key_of(m, "not-before") != NULL && (r = profile_dates(c, m, p)) != CER_OK) ||
	    (r = url_field(c, m, "crl-url", &p->crl_url, &p->crl_url_pos)) != CER_OK ||
	    (r = url_field(c, m, "issuer-url", &p->issuer_url,
	    &p->issuer_url_pos)) != CER_OK)
		return r;
	return url_field(c, m, "ocsp-url", &p->ocsp_url, &p->ocsp_url_pos);
}

/* BR 7.1.2.1.2 and the root's key usages and EKUs. */
static int
root_rules(const struct ctx *c, const struct node *m, struct cer_cert_profile *p)
{
	static const char *const banned[] = { "policies", "crl-url", "issuer-url",
	    "ocsp-url", "path-length", "max-validity-days", "allow-other-organization",
	    "name-constraints", NULL };
	const char *const *b;
	const unsigned need = CER_KU_CERT_SIGN | CER_KU_CRL_SIGN;

	for (b = banned; *b != NULL; b++)
		if (key_of(m, *b) != NULL)
			return fail_at(c, key_of(m, *b)->pos, "a root certificate "
			    "carries no %s (BR 7.1.2.1.2); remove it", *b);
	if (!p->has_key_usages)
		p->key_usages = need;
	else if ((p->key_usages & need) != need)
		return fail_at(c, p->key_usages_pos, "a root certificate's key-usages "
		    "must include Cert Sign and CRL Sign; add %s",
		    (p->key_usages & CER_KU_CERT_SIGN) ? "CRL Sign" :
		    (p->key_usages & CER_KU_CRL_SIGN) ? "Cert Sign" :
		    "Cert Sign and CRL Sign");
	if (p->ekus != CER_EKUS_UNSET && p->ekus != CER_EKUS_NONE)
		return fail_at(c, p->ekus_pos, "a root certificate carries no extended "
		    "key usages; write 'ekus: none' or remove it");
	return CER_OK;
}

/* profile-rules cert.sigalg_matches_signer */
static int
sigalg_fits(const struct ctx *c, const struct cer_key_spec *k,
    const struct cer_cert_profile *p)
{
	const char *alg = cer_sigalg_name(p->sigalg);

	if (cer_sigalg_fits(p->sigalg, k->type, k->curve))
		return CER_OK;
	if (k->type == CER_KEY_RSA)
		return fail_at(c, p->sigalg_pos, "signature-algorithm %s does not fit "
		    "an RSA key; use SHA256WithRSA, SHA384WithRSA, SHA512WithRSA or "
		    "a ...WithRSAPSS name", alg);
	if (k->type == CER_KEY_EC)
		return fail_at(c, p->sigalg_pos, "signature-algorithm %s does not fit "
		    "a %s key (profile rule cert.sigalg_matches_signer); use %s", alg,
		    cer_curve_name(k->curve), cer_sigalg_name(cer_sigalg_default(k->type,
		    k->curve)));
	return fail_at(c, p->sigalg_pos, "signature-algorithm %s does not fit "
	    "an ed25519 key; use PureEd25519", alg);
}

/* ---- steps ---- */

static int
add_step(struct cer_script *s, size_t *idx)
{
	struct cer_step *st;

	if ((st = reallocarray(s->steps, s->nsteps + 1, sizeof(*st))) == NULL)
		return nomem();
	s->steps = st;
	memset(&st[s->nsteps], 0, sizeof(*st));
	st[s->nsteps].token = CER_NO_INDEX;
	st[s->nsteps].signing_key = CER_NO_INDEX;
	st[s->nsteps].issuer = CER_NO_INDEX;
	st[s->nsteps].subject_key = CER_NO_INDEX;
	st[s->nsteps].cross_of = CER_NO_INDEX;
	*idx = s->nsteps++;
	return CER_OK;
}

static int
generates(const struct cer_step *st)
{
	return st->type == CER_STEP_KEY ||
	    (st->type == CER_STEP_ROOT && st->signing_key == CER_NO_INDEX);
}

static int
parse_skip_lints(const struct ctx *c, const struct node *v, struct cer_step *st)
{
	const struct node *it;
	struct cer_skip_lint *l;
	size_t i;
	int r;

	if ((r = want_kind(c, v, K_SEQ, "'skip-lints'")) != CER_OK)
		return r;
	if ((st->skip_lints = calloc(v->nkids ? v->nkids : 1, sizeof(*l))) == NULL)
		return nomem();
	for (i = 0; i < v->nkids; i++) {
		it = v->kids[i];
		l = &st->skip_lints[st->nskip_lints++];
		l->pos = it->pos;
		if (it->kind == K_SCALAR) {
			if ((r = want_text(c, it, "skip-lints", &l->name)) != CER_OK)
				return r;
			if (!c->s->boulder)	/* Boulder's form has no reason; a native script gives one */
				return fail_at(c, it->pos, "say why '%s' is skipped: write "
				    "{name: %s, reason: ...}; the transcript records the reason",
				    l->name, l->name);
			continue;
		}
		if ((r = check_map(c, it, "a skip-lints entry", lint_keys, NULL)) != CER_OK)
			return r;
		if (val_of(it, "name") == NULL || val_of(it, "reason") == NULL)
			return missing(c, it, "a skip-lints entry",
			    val_of(it, "name") == NULL ? "name" : "reason");
		if ((r = want_text(c, val_of(it, "name"), "name", &l->name)) != CER_OK ||
		    (r = want_text(c, val_of(it, "reason"), "reason", &l->reason)) != CER_OK)
			return r;
	}
	return CER_OK;
}

/* Output paths are unique in the whole script. */
static int
path_unique(const struct ctx *c, const char *path, struct cer_pos pos)
{
	const struct cer_step *st;
	const char *p[2];
	unsigned line[2];
	char b[SHOW];
	size_t i, k;

	for (i = 0; i < c->s->nsteps; i++) {
		st = &c->s->steps[i];
		p[0] = st->public_key_path;
		line[0] = st->public_key_path_pos.line;
		p[1] = st->certificate_path;
		line[1] = st->certificate_path_pos.line;
		for (k = 0; k < 2; k++)
			if (p[k] != NULL && p[k] != path && strcmp(p[k], path) == 0)
				return fail_at(c, pos, "output path '%s' is also written "
				    "at line %u; give each output its own path",
				    show(b, path, strlen(path)), line[k]);
	}
	return CER_OK;
}

static int
output_path(const struct ctx *c, const struct node *m, const char *key,
    char **out, struct cer_pos *pos)
{
	int r;

	if ((r = opt_text(c, m, key, out, pos)) != CER_OK)
		return r;
	return *out == NULL ? CER_OK : path_unique(c, *out, *pos);
}

static int
parse_outputs(const struct ctx *c, const struct node *m, size_t idx)
{
	struct cer_step *st = &c->s->steps[idx];
	const struct node *pk = key_of(m, "public-key-path");
	const struct node *cp = key_of(m, "certificate-path");
	int r;

	if ((r = check_map(c, m, "'outputs'", output_keys, output_hints)) != CER_OK)
		return r;
	if (st->type == CER_STEP_KEY && cp != NULL)
		return fail_at(c, cp->pos, "a key step writes no certificate; remove "
		    "'certificate-path'");
	if (key_of(m, "csr-path") != NULL)
		return fail_at(c, key_of(m, "csr-path")->pos, "only a cross-csr step writes "
		    "a CSR; remove 'csr-path'");
	if (!generates(st) && pk != NULL)
		return fail_at(c, pk->pos, "the key step '%s' already wrote the public "
		    "key; remove 'public-key-path'", c->s->steps[st->signing_key].id);
	if (generates(st) && pk == NULL)
		return missing(c, m, "'outputs'", "public-key-path");
	if (st->type == CER_STEP_ROOT && cp == NULL)
		return missing(c, m, "'outputs'", "certificate-path");
	if ((r = output_path(c, m, "public-key-path", &st->public_key_path,
	    &st->public_key_path_pos)) != CER_OK)
		return r;
	return output_path(c, m, "certificate-path", &st->certificate_path,
	    &st->certificate_path_pos);
}

/* A named token from tokens:. */
static int
named_token(const struct ctx *c, const struct node *v, size_t *idx)
{
	const char *names[COUNT_MAX + 1];
	const char *s;
	char b[SHOW];
	size_t i, n = 0;
	int r;

	if ((r = check_text(c, v, "token")) != CER_OK)
		return r;
	for (i = 0; i < c->s->ntokens; i++) {
		if (c->s->tokens[i].boulder)
			continue;
		if (strcmp(c->s->tokens[i].name, v->str) == 0) {
			*idx = i;
			return CER_OK;
		}
		if (n < COUNT_MAX)
			names[n++] = c->s->tokens[i].name;
	}
	names[n] = NULL;
	if ((s = suggest(v->str, names)) != NULL)
		return fail_at(c, v->pos, "no token named '%s' in tokens:; did you mean "
		    "'%s'?", shown(b, v), s);
	return fail_at(c, v->pos, "no token named '%s' in tokens:; define it there "
	    "or use an inline pkcs11 block", shown(b, v));
}

/*
 * A Boulder pkcs11 block: a token of its own, and the key label (the key
 * to generate, or with signing, the key that signs).
 */
static int
pkcs11_block(const struct ctx *c, const struct node *k, const struct node *m,
    size_t sidx, int signing)
{
	const char *label_key = signing ? "signing-key-label" : "store-key-with-label";
	struct cer_step *st = &c->s->steps[sidx];
	const struct node *lv;
	char name[256];
	size_t i, idx;
	int r;

	if (c->s->boulder)
		snprintf(name, sizeof(name), "pkcs11");
	else
		snprintf(name, sizeof(name), "%s.pkcs11", st->id);
	for (i = 0; i < c->s->ntokens; i++)
		if (strcmp(c->s->tokens[i].name, name) == 0)
			return fail_at(c, k->pos, "this pkcs11 block becomes token '%s', "
			    "but tokens: already has a token of that name; rename that "
			    "token", name);
	if ((r = check_map(c, m, "the pkcs11 block", signing ? pkcs11_sign_keys : pkcs11_keys,
	    signing ? pkcs11_sign_hints : pkcs11_hints)) != CER_OK ||
	    (r = add_token(c->s, &idx)) != CER_OK)
		return r;
	st->token = idx;
	st->token_pos = k->pos;
	c->s->tokens[idx].pos = k->pos;
	c->s->tokens[idx].boulder = 1;
	if ((c->s->tokens[idx].name = strdup(name)) == NULL)
		return nomem();
	if ((r = token_common(c, m, "the pkcs11 block", idx, signing ? "signing-key-slot" :
	    "store-key-in-slot")) != CER_OK)
		return r;
	if ((lv = val_of(m, label_key)) == NULL)
		return missing(c, m, "the pkcs11 block", label_key);
	st->label_pos = lv->pos;
	return want_text(c, lv, label_key, &st->label);
}

/* Two key-generating steps on one token never share a label. */
static int
label_unique(const struct ctx *c, size_t idx)
{
	const struct cer_step *st = &c->s->steps[idx], *o;
	char b[SHOW];
	size_t i;

	for (i = 0; i < idx; i++) {
		o = &c->s->steps[i];
		if (generates(o) && o->token == st->token &&
		    strcmp(o->label, st->label) == 0)
			return fail_at(c, st->label_pos, "label '%s' is already used for "
			    "a key on token '%s' (line %u); choose another label",
			    show(b, st->label, strlen(st->label)),
			    c->s->tokens[st->token].name, o->label_pos.line);
	}
	return CER_OK;
}

/* Ed25519 is for private hierarchies only (profile rule cert.key_ec). */
static int
tls_ed25519(const struct ctx *c, struct cer_pos pos)
{
	if (c->s->private_hierarchy)
		return CER_OK;
	return fail_at(c, pos, "Ed25519 is not allowed in a publicly trusted TLS "
	    "hierarchy (BR 6.1.5, profile rule cert.key_ec); for a private hierarchy "
	    "write 'hierarchy: private' at the top of the script");
}

/* token: + label:, or an inline pkcs11 block: where the step's key is. */
static int
step_token_label(const struct ctx *c, const struct node *m, size_t idx, int signing)
{
	struct cer_step *st = &c->s->steps[idx];
	const struct node *tk = val_of(m, "token"), *pk = key_of(m, "pkcs11");
	const struct node *lv = val_of(m, "label");
	int r;

	if (tk != NULL && pk != NULL)
		return fail_at(c, pk->pos, "give either 'token' or an inline 'pkcs11' "
		    "block, not both; remove one");
	if (tk == NULL && pk == NULL)
		return fail_at(c, m->pos, "this step needs %s; add it", c->s->boulder ?
		    "a 'pkcs11' block" : "'token' (a name from tokens:) or a 'pkcs11' block");
	if (pk != NULL) {
		if (lv != NULL)
			return fail_at(c, key_of(m, "label")->pos, "the label comes from "
			    "store-key-with-label in the pkcs11 block; remove 'label'");
		return pkcs11_block(c, pk, val_of(m, "pkcs11"), idx, signing);
	}
	st->token_pos = tk->pos;
	if ((r = named_token(c, tk, &st->token)) != CER_OK)
		return r;
	if (lv == NULL)
		return missing(c, m, "this step", "label");
	st->label_pos = lv->pos;
	return want_text(c, lv, "label", &st->label);
}

/* token: or pkcs11:, the label, and the key of a key-generating step. */
static int
step_new_key(const struct ctx *c, const struct node *m, size_t idx)
{
	struct cer_step *st = &c->s->steps[idx];
	const struct node *kv = val_of(m, "key");
	int r;

	if ((r = step_token_label(c, m, idx, 0)) != CER_OK ||
	    (r = label_unique(c, idx)) != CER_OK)
		return r;
	if (kv == NULL)
		return missing(c, m, "this step", "key");
	if ((r = parse_key(c, kv, &st->key)) != CER_OK)
		return r;
	return st->key.type == CER_KEY_ED25519 ? tls_ed25519(c, st->key.pos) : CER_OK;
}

/* The step with this id among the later entries of steps:, or NULL. */
static const struct node *
later_step(const struct ctx *c, size_t idx, const char *id)
{
	const struct node *it, *v;
	size_t i;

	for (i = idx + 1; c->steps != NULL && i < c->steps->nkids; i++) {
		it = c->steps->kids[i];
		if (it->kind == K_MAP && (v = val_of(it, "id")) != NULL && is(v, id))
			return it;
	}
	return NULL;
}

static int
unknown_step(const struct ctx *c, const struct node *v, size_t idx, const char *field)
{
	const char *ids[COUNT_MAX + 1], *s;
	const struct node *later;
	char b[SHOW];
	size_t i;

	if (is(v, c->s->steps[idx].id))
		return fail_at(c, v->pos, "a step cannot name itself in %s; name an "
		    "earlier step", field);
	if ((later = later_step(c, idx, v->str)) != NULL)
		return fail_at(c, v->pos, "%s '%s' is a later step (line %u); a step "
		    "can only use what an earlier step made, so move that step up",
		    field, shown(b, v), later->pos.line);
	for (i = 0; i < idx; i++)
		ids[i] = c->s->steps[i].id;
	ids[idx] = NULL;
	if ((s = suggest(v->str, ids)) != NULL)
		return fail_at(c, v->pos, "no step has id '%s'; did you mean '%s'?",
		    shown(b, v), s);
	return fail_at(c, v->pos, "no step has id '%s'; %s must be the id of an "
	    "earlier step", shown(b, v), field);
}

/* signing-key: the key, token and label of an earlier key step. */
static int
step_signing_key(const struct ctx *c, const struct node *v, size_t idx)
{
	struct cer_step *st = &c->s->steps[idx];
	const struct cer_step *ks;
	char b[SHOW];
	size_t i;
	int r;

	st->signing_key_pos = v->pos;
	if ((r = check_text(c, v, "signing-key")) != CER_OK)
		return r;
	for (i = 0; i < idx && !is(v, c->s->steps[i].id); i++)
		;
	if (i == idx)
		return unknown_step(c, v, idx, "signing-key");
	ks = &c->s->steps[i];
	if (ks->type != CER_STEP_KEY)
		return fail_at(c, v->pos, "step '%s' is a %s step; signing-key must "
		    "name a key step", shown(b, v), cer_step_type_name(ks->type));
	st->signing_key = i;
	st->token = ks->token;
	st->token_pos = ks->token_pos;
	st->label_pos = ks->label_pos;
	if ((st->label = strdup(ks->label)) == NULL)
		return nomem();
	return CER_OK;
}

/* ---- signing steps: intermediate, cross-certificate, ocsp-signer, cross-csr ---- */

int
cer_step_type_signs(enum cer_step_type type)
{
	return type == CER_STEP_INTERMEDIATE || type == CER_STEP_CROSS_CERTIFICATE ||
	    type == CER_STEP_OCSP_SIGNER || type == CER_STEP_CROSS_CSR;
}

size_t
cer_script_cert_key_step(const struct cer_script *s, size_t i)
{
	const struct cer_step *st = &s->steps[i];

	switch (st->type) {
	case CER_STEP_KEY:
		return i;
	case CER_STEP_ROOT:
		return st->signing_key != CER_NO_INDEX ? st->signing_key : i;
	case CER_STEP_CROSS_CERTIFICATE:
		if (st->subject_key == CER_NO_INDEX && st->cross_of != CER_NO_INDEX)
			return cer_script_cert_key_step(s, st->cross_of);
		return st->subject_key;
	default:
		return st->subject_key;
	}
}

/* "a key step", "an intermediate step" */
static const char *
a_type(enum cer_step_type t)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s %s", strchr("aeiou", cer_step_type_name(t)[0]) != NULL ?
	    "an" : "a", cer_step_type_name(t));
	return buf;
}

/* An earlier step named by field, of one of the types in mask (1 << type). */
static int
step_ref(const struct ctx *c, const struct node *v, size_t idx, const char *field,
    unsigned mask, const char *kinds, size_t *out, struct cer_pos *pos)
{
	const struct cer_step *ref;
	char b[SHOW];
	size_t i;
	int r;

	*pos = v->pos;
	if ((r = check_text(c, v, field)) != CER_OK)
		return r;
	for (i = 0; i < idx && !is(v, c->s->steps[i].id); i++)
		;
	if (i == idx)
		return unknown_step(c, v, idx, field);
	ref = &c->s->steps[i];
	if ((mask & (1u << ref->type)) == 0)
		return fail_at(c, v->pos, "step '%s' is %s step; %s must name %s",
		    shown(b, v), a_type(ref->type), field, kinds);
	*out = i;
	return CER_OK;
}

#define MASK(t) (1u << (t))
#define CA_STEPS (MASK(CER_STEP_ROOT) | MASK(CER_STEP_INTERMEDIATE) | \
	MASK(CER_STEP_CROSS_CERTIFICATE))

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
io_map(const struct ctx *c, const struct node *m, const struct cer_step *st,
    const char *name, const char *const *keys)
{
	char what[16];
	const struct node *k;
	size_t i;
	int r;

	snprintf(what, sizeof(what), "'%s'", name);
	if ((r = check_map(c, m, what, keys, output_hints)) != CER_OK)
		return r;
	for (i = 0; i < m->nkids; i += 2) {
		k = m->kids[i];
		if (!signing_io_allowed(st->type, k->str))
			return fail_at(c, k->pos, "%s step takes no %s '%s'; remove it",
			    a_type(st->type), name, k->str);
	}
	return CER_OK;
}

static int
signing_inputs(const struct ctx *c, const struct node *m, struct cer_step *st)
{
	const struct node *v = val_of(m, "inputs");
	int r;

	if (v == NULL)
		return CER_OK;
	if ((r = io_map(c, v, st, "inputs", input_keys)) != CER_OK ||
	    (r = opt_text(c, v, "public-key-path", &st->in_public_key,
	    &st->in_public_key_pos)) != CER_OK ||
	    (r = opt_text(c, v, "issuer-certificate-path", &st->in_issuer_cert,
	    &st->in_issuer_cert_pos)) != CER_OK)
		return r;
	return opt_text(c, v, "certificate-to-cross-sign-path", &st->in_cross_cert,
	    &st->in_cross_cert_pos);
}

static int
signing_outputs(const struct ctx *c, const struct node *m, struct cer_step *st)
{
	const struct node *v = val_of(m, "outputs");
	const char *want = st->type == CER_STEP_CROSS_CSR ? "csr-path" : "certificate-path";
	int r;

	if (v == NULL)
		return missing(c, m, "this step", "outputs");
	if ((r = io_map(c, v, st, "outputs", output_keys)) != CER_OK)
		return r;
	if (val_of(v, want) == NULL)
		return missing(c, v, "'outputs'", want);
	if (st->type == CER_STEP_CROSS_CSR)
		return output_path(c, v, "csr-path", &st->csr_path, &st->csr_path_pos);
	return output_path(c, v, "certificate-path", &st->certificate_path,
	    &st->certificate_path_pos);
}

/* "X: ID" and inputs.Y-path are two ways to say one thing: exactly one. */
static int
one_of(const struct ctx *c, const struct node *m, const struct cer_step *st, const char *field,
    const char *path, const char *path_val, struct cer_pos path_pos)
{
	const struct node *k = key_of(m, field);

	if (k != NULL && path_val != NULL)
		return fail_at(c, path_pos, "'%s' and inputs.%s both say where it comes "
		    "from; give only one", field, path);
	if (k == NULL && path_val == NULL)
		return fail_at(c, m->pos, "this %s step needs '%s' (an earlier step) or "
		    "inputs.%s (a file from an earlier ceremony); add one",
		    cer_step_type_name(st->type), field, path);
	return CER_OK;
}

/* The signing key: the issuer step's key, or token + label (or pkcs11) for a file issuer. */
static int
signing_key_location(const struct ctx *c, const struct node *m, size_t idx)
{
	static const char *const banned[] = { "token", "pkcs11", "label", NULL };
	struct cer_step *st = &c->s->steps[idx];
	const struct cer_step *ks;
	const char *const *b;
	char bb[SHOW];
	size_t key;

	if (st->issuer == CER_NO_INDEX && st->signing_key == CER_NO_INDEX)
		return step_token_label(c, m, idx, 1);
	for (b = banned; *b != NULL; b++)
		if (key_of(m, *b) != NULL)
			return fail_at(c, key_of(m, *b)->pos, "'%s' is not used when %s "
			    "names the signing key; remove it", *b,
			    st->issuer != CER_NO_INDEX ? "issuer" : "signing-key");
	key = st->signing_key;
	if (st->issuer != CER_NO_INDEX) {
		if (c->s->steps[st->issuer].type == CER_STEP_CROSS_CERTIFICATE)
			return fail_at(c, st->issuer_pos, "a cross-certificate is not an "
			    "issuer of its own: name the step that made the CA's key and "
			    "its first certificate");
		key = cer_script_cert_key_step(c->s, st->issuer);
		if (key == CER_NO_INDEX)
			return fail_at(c, st->issuer_pos, "the key of step '%s' came from a "
			    "file, so this script does not know its token; give "
			    "inputs.issuer-certificate-path with token and label instead",
			    show(bb, c->s->steps[st->issuer].id,
			    strlen(c->s->steps[st->issuer].id)));
	}
	ks = &c->s->steps[key];
	st->signing_key = key;
	st->token = ks->token;
	st->token_pos = ks->token_pos;
	st->label_pos = ks->label_pos;
	return (st->label = strdup(ks->label)) == NULL ? nomem() : CER_OK;
}

/* issuer:, subject-key:, certificate-to-cross-sign:, signing-key: (cross-csr). */
static int
signing_refs(const struct ctx *c, const struct node *m, size_t idx)
{
	struct cer_step *st = &c->s->steps[idx];
	const struct node *v;
	int r;

	if ((v = val_of(m, "issuer")) != NULL && (r = step_ref(c, v, idx, "issuer",
	    CA_STEPS, "a root, intermediate or cross-certificate step", &st->issuer,
	    &st->issuer_pos)) != CER_OK)
		return r;
	if ((v = val_of(m, "subject-key")) != NULL && (r = step_ref(c, v, idx,
	    "subject-key", MASK(CER_STEP_KEY), "a key step", &st->subject_key,
	    &st->subject_key_pos)) != CER_OK)
		return r;
	if ((v = val_of(m, "certificate-to-cross-sign")) != NULL && (r = step_ref(c, v,
	    idx, "certificate-to-cross-sign", MASK(CER_STEP_ROOT) |
	    MASK(CER_STEP_INTERMEDIATE), "a root or intermediate step", &st->cross_of,
	    &st->cross_of_pos)) != CER_OK)
		return r;
	if ((v = val_of(m, "signing-key")) != NULL && (r = step_ref(c, v, idx,
	    "signing-key", MASK(CER_STEP_KEY), "a key step", &st->signing_key,
	    &st->signing_key_pos)) != CER_OK)
		return r;
	return CER_OK;
}

/* The keys each signing type refuses, with what to do instead. */
static int
signing_forbid(const struct ctx *c, const struct node *m, const struct cer_step *st)
{
	static const char *const never[] = { "key", NULL };
	const char *const *k;
	const struct node *n;
	int csr = st->type == CER_STEP_CROSS_CSR;

	for (k = never; *k != NULL; k++)
		if ((n = key_of(m, *k)) != NULL)
			return fail_at(c, n->pos, "%s step generates no key; remove '%s' "
			    "(a key step makes the key)", a_type(st->type), *k);
	if (!csr && (n = key_of(m, "signing-key")) != NULL)
		return fail_at(c, n->pos, "%s step signs with its issuer's key: name "
		    "the issuer with 'issuer' instead of 'signing-key'", a_type(st->type));
	if (csr && (n = key_of(m, "issuer")) != NULL)
		return fail_at(c, n->pos, "a cross-csr is signed by the subject's own key; "
		    "name it with 'signing-key' (a key step), not 'issuer'");
	if (csr && (n = key_of(m, "subject-key")) != NULL)
		return fail_at(c, n->pos, "a cross-csr is signed by the key it is for; "
		    "name it with 'signing-key', not 'subject-key'");
	if (st->type != CER_STEP_CROSS_CERTIFICATE &&
	    (n = key_of(m, "certificate-to-cross-sign")) != NULL)
		return fail_at(c, n->pos, "only a cross-certificate step takes "
		    "'certificate-to-cross-sign'; remove it");
	if (st->type == CER_STEP_CROSS_CERTIFICATE && (n = key_of(m, "subject-key")) != NULL)
		return fail_at(c, n->pos, "a cross-certificate's key is the key of the "
		    "certificate it cross-signs; remove 'subject-key'");
	if (csr && (n = key_of(m, "skip-lints")) != NULL)
		return fail_at(c, n->pos, "a cross-csr is not linted; remove 'skip-lints'");
	return CER_OK;
}

/* Where issuer, subject key and existing certificate come from: one way each. */
static int
signing_sources(const struct ctx *c, const struct node *m, const struct cer_step *st)
{
	int csr = st->type == CER_STEP_CROSS_CSR, cross = st->type == CER_STEP_CROSS_CERTIFICATE;
	int r;

	if (csr) {
		if (key_of(m, "signing-key") != NULL && st->in_public_key != NULL)
			return fail_at(c, st->in_public_key_pos, "'signing-key' names the "
			    "key already; remove inputs.public-key-path");
		if (key_of(m, "signing-key") == NULL && st->in_public_key == NULL)
			return fail_at(c, m->pos, "a cross-csr step needs 'signing-key' (an "
			    "earlier key step) or inputs.public-key-path with token and "
			    "label; add one");
		return CER_OK;
	}
	if ((r = one_of(c, m, st, "issuer", "issuer-certificate-path", st->in_issuer_cert,
	    st->in_issuer_cert_pos)) != CER_OK)
		return r;
	if (cross)
		return one_of(c, m, st, "certificate-to-cross-sign",
		    "certificate-to-cross-sign-path", st->in_cross_cert, st->in_cross_cert_pos);
	return one_of(c, m, st, "subject-key", "public-key-path", st->in_public_key,
	    st->in_public_key_pos);
}

/* A field a profile of this step type does not take, and why. */
static int
profile_refuse(const struct ctx *c, const struct node *m, const char *const *keys,
    const char *why)
{
	const char *const *k;

	for (k = keys; *k != NULL; k++)
		if (key_of(m, *k) != NULL)
			return fail_at(c, key_of(m, *k)->pos, "'%s' %s; remove it", *k, why);
	return CER_OK;
}

static int
http_only(const struct ctx *c, const char *url, struct cer_pos pos, const char *key)
{
	if (url == NULL || strncmp(url, "http://", 7) == 0)
		return CER_OK;
	return fail_at(c, pos, "'%s' must be an http:// URL (BR 7.1.2.11.2 and "
	    "7.1.2.10.3: relying parties fetch it without TLS); fix it", key);
}

static int
is_reserved_policy(const char *oid)
{
	return strcmp(oid, "2.23.140.1.2.1") == 0 || strcmp(oid, "2.23.140.1.2.2") == 0 ||
	    strcmp(oid, "2.23.140.1.2.3") == 0 || strcmp(oid, "2.23.140.1.1") == 0;
}

/* BR 7.1.2.10.5 (subordinate) and 7.1.2.2.6 (cross, SC-079): the policies. */
static int
subca_policies(const struct ctx *c, const struct node *m, const struct cer_step *st)
{
	const struct cer_cert_profile *p = &st->profile;
	size_t i, j, reserved = 0;

	if (p->npolicies == 0)
		return missing(c, m, "a subordinate CA's certificate-profile (BR 7.1.2.6.1)",
		    "policies");
	for (i = 0; i < p->npolicies; i++) {
		if (strcmp(p->policies[i].oid, "2.5.29.32.0") == 0)
			return fail_at(c, p->policies[i].pos, "anyPolicy is only for a CA "
			    "operated by an Affiliate of the issuer (BR 7.1.2.10.5); name the "
			    "reserved policy OID instead");
		for (j = 0; j < i; j++)
			if (strcmp(p->policies[i].oid, p->policies[j].oid) == 0)
				return fail_at(c, p->policies[i].pos, "policy %s is listed "
				    "twice; list it once", p->policies[i].oid);
		reserved += is_reserved_policy(p->policies[i].oid);
	}
	if (!is_reserved_policy(p->policies[0].oid))
		return fail_at(c, p->policies[0].pos, "the first policy must be a CA/B "
		    "Forum reserved OID (2.23.140.1.2.1 DV, .2.2 OV, .2.3 IV or 2.23.140.1.1 "
		    "EV; BR 7.1.2.10.5); put it first");
	if (reserved > 1 && st->type == CER_STEP_INTERMEDIATE)
		return fail_at(c, p->policies_pos, "a subordinate CA carries exactly one "
		    "reserved policy OID (BR 7.1.2.10.5); keep the one for the certificates "
		    "it will issue");
	return CER_OK;
}

/* EKUs of a subordinate CA: serverAuth, and clientAuth only before 2026-06-15. */
static int
subca_ekus(const struct ctx *c, struct cer_step *st)
{
	struct cer_cert_profile *p = &st->profile;

	if (p->ekus == CER_EKUS_NONE)
		return fail_at(c, p->ekus_pos, "a TLS subordinate CA must carry extended key "
		    "usages (BR 7.1.2.6.1); write 'ekus: server' or remove it");
	if (p->ekus == CER_EKUS_BOTH && p->not_before >= CER_EKUS_BOTH_UNTIL)
		return fail_at(c, p->ekus_pos, "'ekus: both' (serverAuth + clientAuth) is "
		    "accepted only for a notBefore before 2026-06-15 (Chrome Root Program "
		    "1.3.2: serverAuth only); write 'ekus: server'");
	if (p->ekus == CER_EKUS_UNSET && st->type == CER_STEP_INTERMEDIATE)
		p->ekus = CER_EKUS_SERVER;
	return CER_OK;
}

static int
ca_key_usages(const struct ctx *c, struct cer_cert_profile *p, const char *what)
{
	const unsigned need = CER_KU_CERT_SIGN | CER_KU_CRL_SIGN;

	if (!p->has_key_usages)
		p->key_usages = need;
	else if ((p->key_usages & need) != need)
		return fail_at(c, p->key_usages_pos, "%s's key-usages must include Cert Sign "
		    "and CRL Sign (BR 7.1.2.10.7); add them", what);
	return CER_OK;
}

/* A DNS name for a constraint: LDH labels of 1-63 characters, at most 253 in all. */
static int
dns_ok(const char *s)
{
	size_t len = strlen(s), label = 0, i;

	if (len == 0 || len > 253)
		return 0;
	for (i = 0; i <= len; i++) {
		if (s[i] == '.' || s[i] == '\0') {
			if (label == 0 || label > 63 || s[i - 1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    (s[i] == '-' && label > 0)))
			return 0;
		label++;
	}
	return 1;
}

/* "address/prefix" with the host bits zero; family 4 or 6 into *v6. */
int
cer_script_ip_subtree(const char *s, unsigned char addr[static 16], unsigned char mask[static 16],
    int *v6)
{
	char buf[64], *slash, *end;
	unsigned long prefix;
	size_t n, i;

	if (strlen(s) >= sizeof(buf) || (slash = strchr(strcpy(buf, s), '/')) == NULL)
		return 0;
	*slash++ = '\0';
	*v6 = strchr(buf, ':') != NULL;
	n = *v6 ? 16 : 4;
	if (inet_pton(*v6 ? AF_INET6 : AF_INET, buf, addr) != 1 || *slash == '\0' ||
	    (slash[0] == '0' && slash[1] != '\0'))
		return 0;
	prefix = strtoul(slash, &end, 10);
	if (*end != '\0' || prefix > n * 8)
		return 0;
	for (i = 0; i < n; i++) {
		mask[i] = prefix >= (i + 1) * 8 ? 0xff : prefix <= i * 8 ? 0 :
		    (unsigned char)(0xff << (8 - (prefix - i * 8)));
		if (addr[i] & ~mask[i])
			return 0;
	}
	return 1;
}

static int
strlist(const struct ctx *c, const struct node *m, const char *key, struct cer_strlist *l,
    int (*ok)(const char *), const char *how)
{
	const struct node *v = val_of(m, key);
	unsigned char a[16], k[16];
	char what[64];
	size_t i;
	int r, v6;

	if (v == NULL)
		return CER_OK;
	snprintf(what, sizeof(what), "'%s'", key);
	if ((r = want_kind(c, v, K_SEQ, what)) != CER_OK)
		return r;
	if ((l->v = calloc(v->nkids + 1, sizeof(*l->v))) == NULL ||
	    (l->pos = calloc(v->nkids + 1, sizeof(*l->pos))) == NULL)
		return nomem();
	for (i = 0; i < v->nkids; i++) {
		l->pos[i] = v->kids[i]->pos;
		if ((r = want_text(c, v->kids[i], key, &l->v[l->n])) != CER_OK)
			return r;
		l->n++;
		if (ok != NULL ? !ok(l->v[i]) : !cer_script_ip_subtree(l->v[i], a, k, &v6))
			return fail_at(c, v->kids[i]->pos, "'%s' is not %s; fix it", l->v[i], how);
	}
	return CER_OK;
}

static int
parse_dns(const struct ctx *c, const struct node *m, struct cer_name_constraints *nc)
{
	const char *how = "a DNS name in lower case, such as example.com (it covers the "
	    "name and every name below it)";
	int r;

	if ((r = strlist(c, m, "permitted-dns", &nc->permitted_dns, dns_ok, how)) != CER_OK)
		return r;
	return strlist(c, m, "excluded-dns", &nc->excluded_dns, dns_ok, how);
}

static int
parse_ips(const struct ctx *c, const struct node *m, struct cer_name_constraints *nc)
{
	const char *how = "an address range such as 192.0.2.0/24 or 2001:db8::/32 (host "
	    "bits zero)";
	int r;

	if ((r = strlist(c, m, "permitted-ip", &nc->permitted_ip, NULL, how)) != CER_OK)
		return r;
	return strlist(c, m, "excluded-ip", &nc->excluded_ip, NULL, how);
}

static int
parse_dns_names(const struct ctx *c, const struct node *m, struct cer_name_constraints *nc)
{
	const struct node *v = val_of(m, "permitted-dn"), *it;
	struct cer_dn *d;
	size_t i;
	int r;

	if (v == NULL)
		return fail_at(c, m->pos, "a technically constrained CA's name-constraints "
		    "permit at least one directoryName (BR 7.1.2.5.2); add permitted-dn: "
		    "[{country: .., organization: ..}] naming the subscriber");
	if ((r = want_kind(c, v, K_SEQ, "'permitted-dn'")) != CER_OK)
		return r;
	if ((nc->permitted_dn = calloc(v->nkids + 1, sizeof(*d))) == NULL)
		return nomem();
	for (i = 0; i < v->nkids; i++) {
		it = v->kids[i];
		d = &nc->permitted_dn[nc->npermitted_dn++];
		d->pos = it->pos;
		if ((r = check_map(c, it, "a permitted-dn entry", dn_keys, NULL)) != CER_OK ||
		    (r = opt_text(c, it, "country", &d->country, &d->pos)) != CER_OK ||
		    (r = opt_text(c, it, "organization", &d->organization, &d->pos)) != CER_OK)
			return r;
		d->pos = it->pos;
		if (d->country == NULL && d->organization == NULL)
			return fail_at(c, it->pos, "a permitted-dn entry names country, "
			    "organization or both; add them");
		if (d->country != NULL && (strlen(d->country) != 2 || d->country[0] < 'A' ||
		    d->country[0] > 'Z' || d->country[1] < 'A' || d->country[1] > 'Z'))
			return fail_at(c, it->pos, "'country' must be a two-letter ISO 3166 "
			    "code in capitals, such as US; fix it");
	}
	if (nc->npermitted_dn == 0)
		return fail_at(c, v->pos, "'permitted-dn' is empty; name the subscriber's "
		    "country and organization");
	return CER_OK;
}

/* BR 7.1.2.5: a technically constrained TLS subordinate CA. */
static int
parse_name_constraints(const struct ctx *c, const struct node *m, struct cer_cert_profile *p)
{
	const struct node *v = val_of(m, "name-constraints");
	struct cer_name_constraints *nc = &p->nc;
	int r;

	if (v == NULL)
		return CER_OK;
	nc->present = 1;
	nc->pos = v->pos;
	if ((r = check_map(c, v, "name-constraints", nc_keys, NULL)) != CER_OK ||
	    (r = parse_dns(c, v, nc)) != CER_OK || (r = parse_ips(c, v, nc)) != CER_OK)
		return r;
	return parse_dns_names(c, v, nc);
}

/* BR 7.1.2.6 (intermediate) and 7.1.2.2 (cross-certificate). */
static int
subca_rules(const struct ctx *c, const struct node *m, struct cer_step *st)
{
	static const char *const banned[] = { "max-validity-days", NULL };
	static const char *const cross_banned[] = { "path-length", NULL };
	static const char *const int_banned[] = { "allow-other-organization", NULL };
	struct cer_cert_profile *p = &st->profile;
	int cross = st->type == CER_STEP_CROSS_CERTIFICATE, r;

	if ((r = profile_refuse(c, m, banned, "is for ocsp-signer steps")) != CER_OK ||
	    (r = profile_refuse(c, m, cross ? cross_banned : int_banned, cross ?
	    "is copied from the certificate being cross-signed" :
	    "is for cross-certificate steps")) != CER_OK)
		return r;
	if (p->crl_url == NULL)
		return missing(c, m, "a subordinate CA's certificate-profile (BR 7.1.2.11.2)",
		    "crl-url");
	if (p->issuer_url == NULL)
		return missing(c, m, "a subordinate CA's certificate-profile (Boulder, "
		    "BR 7.1.2.10.3)", "issuer-url");
	if ((r = http_only(c, p->crl_url, p->crl_url_pos, "crl-url")) != CER_OK ||
	    (r = http_only(c, p->issuer_url, p->issuer_url_pos, "issuer-url")) != CER_OK ||
	    (r = http_only(c, p->ocsp_url, p->ocsp_url_pos, "ocsp-url")) != CER_OK ||
	    (r = subca_policies(c, m, st)) != CER_OK ||
	    (r = subca_ekus(c, st)) != CER_OK ||
	    (r = parse_name_constraints(c, m, p)) != CER_OK)
		return r;
	return ca_key_usages(c, p, "a subordinate CA");
}

/* BR 7.1.2.8: a delegated OCSP responder; Boulder's historical ocsp-signer fields. */
static int
ocsp_signer_rules(const struct ctx *c, const struct node *m, struct cer_step *st)
{
	static const char *const banned[] = { "key-usages", "crl-url", "ocsp-url",
	    "policies", "ekus", "path-length", "allow-other-organization",
	    "name-constraints", NULL };
	static const char *const no_aia[] = { "issuer-url", NULL };
	struct cer_cert_profile *p = &st->profile;
	long long days;
	int r;

	if ((r = profile_refuse(c, m, banned, "is fixed for an OCSP responder certificate "
	    "(BR 7.1.2.8: keyUsage digitalSignature, EKU OCSPSigning, no CRL DP, no "
	    "policies)")) != CER_OK ||
	    (r = profile_refuse(c, m, no_aia, "would put id-ad-caIssuers in an OCSP responder "
	    "certificate, which BR 7.1.2.8.3 forbids (relying parties hold the issuer already; "
	    "older Boulder configs carried it)")) != CER_OK)
		return r;
	p->key_usages = CER_KU_DIGITAL_SIGNATURE;
	days = (long long)((p->not_after - p->not_before) / 86400) + 1;
	if (days > (long long)p->max_validity_days)
		return fail_at(c, p->not_after_pos, "an OCSP responder certificate is valid "
		    "for at most %lu days here (%lld asked); clients never check its "
		    "revocation (nocheck), so keep it short: move not-after earlier",
		    p->max_validity_days, days);
	return CER_OK;
}

/* A CSR carries the subject only (Boulder's cross-csr). */
static int
csr_rules(const struct ctx *c, const struct node *m)
{
	static const char *const banned[] = { "not-before", "not-after", "crl-url",
	    "issuer-url", "ocsp-url", "policies", "key-usages", "ekus", "serial",
	    "path-length", "max-validity-days", "allow-other-organization",
	    "policy-url", "name-constraints", NULL };

	return profile_refuse(c, m, banned, "is not part of a CSR (a cross-csr carries "
	    "the subject only)");
}

static int
signing_profile(const struct ctx *c, const struct node *pv, struct cer_step *st)
{
	struct cer_cert_profile *p = &st->profile;
	const struct cer_key_spec *k;
	int r;

	if (st->type == CER_STEP_CROSS_CSR)
		r = csr_rules(c, pv);
	else
		r = parse_profile(c, pv, p, profile_required);
	if (r != CER_OK)
		return r;
	if (st->type == CER_STEP_CROSS_CSR)
		r = parse_profile(c, pv, p, subject_required);
	else if (st->type == CER_STEP_OCSP_SIGNER)
		r = ocsp_signer_rules(c, pv, st);
	else
		r = subca_rules(c, pv, st);
	if (r != CER_OK)
		return r;
	if (p->sigalg == CER_SIG_ED25519 && (r = tls_ed25519(c, p->sigalg_pos)) != CER_OK)
		return r;
	if (st->signing_key == CER_NO_INDEX)	/* the plan checks it against the file */
		return CER_OK;
	k = &c->s->steps[st->signing_key].key;
	if (p->sigalg == CER_SIG_NONE)
		p->sigalg = cer_sigalg_default(k->type, k->curve);
	return sigalg_fits(c, k, p);
}

static int
step_signing(const struct ctx *c, const struct node *m, size_t idx)
{
	struct cer_step *st = &c->s->steps[idx];
	const struct node *pv = val_of(m, "certificate-profile");
	const struct node *sl = val_of(m, "skip-lints");
	int r;

	if ((r = signing_forbid(c, m, st)) != CER_OK ||
	    (r = signing_refs(c, m, idx)) != CER_OK ||
	    (r = signing_inputs(c, m, st)) != CER_OK ||
	    (r = signing_sources(c, m, st)) != CER_OK ||
	    (r = signing_key_location(c, m, idx)) != CER_OK ||
	    (r = signing_outputs(c, m, st)) != CER_OK)
		return r;
	if (pv == NULL)
		return missing(c, m, "this step", "certificate-profile");
	if ((r = signing_profile(c, pv, st)) != CER_OK)
		return r;
	return sl == NULL ? CER_OK : parse_skip_lints(c, sl, st);
}

/* Keys a step type does not use. */
static int
step_forbid(const struct ctx *c, const struct node *m, const struct cer_step *st)
{
	static const char *const key_step[] = { "signing-key",
	    "certificate-profile", "skip-lints", NULL };
	static const char *const signed_root[] = { "token", "pkcs11", "label",
	    "key", NULL };
	const char *const *k;

	if (st->type == CER_STEP_KEY) {
		for (k = key_step; *k != NULL; k++)
			if (key_of(m, *k) != NULL)
				return fail_at(c, key_of(m, *k)->pos, "'%s' is not used "
				    "by a key step; remove it", *k);
	} else if (key_of(m, "signing-key") != NULL) {
		for (k = signed_root; *k != NULL; k++)
			if (key_of(m, *k) != NULL)
				return fail_at(c, key_of(m, *k)->pos, "'%s' is not used "
				    "when signing-key names the key; remove it", *k);
	}
	return CER_OK;
}

static int
step_root(const struct ctx *c, const struct node *m, size_t idx)
{
	struct cer_step *st = &c->s->steps[idx];
	const struct node *pv = val_of(m, "certificate-profile");
	const struct node *sl = val_of(m, "skip-lints");
	const struct cer_key_spec *k;
	int r;

	if (pv == NULL)
		return missing(c, m, "a root step", "certificate-profile");
	if ((r = parse_profile(c, pv, &st->profile, profile_required)) != CER_OK ||
	    (r = root_rules(c, pv, &st->profile)) != CER_OK)
		return r;
	k = st->signing_key != CER_NO_INDEX ?
	    &c->s->steps[st->signing_key].key : &st->key;
	if ((r = sigalg_fits(c, k, &st->profile)) != CER_OK)
		return r;
	return sl == NULL ? CER_OK : parse_skip_lints(c, sl, st);
}

/* Everything after type and id, for native steps and Boulder configs. */
static int
step_body(const struct ctx *c, const struct node *m, size_t idx)
{
	const struct node *sk = val_of(m, "signing-key"), *ov;
	int r;

	if (cer_step_type_signs(c->s->steps[idx].type))
		return step_signing(c, m, idx);
	if ((r = step_forbid(c, m, &c->s->steps[idx])) != CER_OK)
		return r;
	if (sk != NULL)
		r = step_signing_key(c, sk, idx);
	else
		r = step_new_key(c, m, idx);
	if (r != CER_OK)
		return r;
	if ((ov = val_of(m, "outputs")) == NULL)
		return missing(c, m, "this step", "outputs");
	if ((r = parse_outputs(c, ov, idx)) != CER_OK)
		return r;
	if (c->s->steps[idx].type == CER_STEP_ROOT)
		return step_root(c, m, idx);
	return CER_OK;
}

static int
step_type(const struct ctx *c, const struct node *v, struct cer_step *st)
{
	unsigned t;
	int r;

	st->type_pos = v->pos;
	if ((r = want_enum(c, v, "ceremony-type", step_names, &t)) != CER_OK)
		return r;
	if (t == CER_STEP_CRL || t == CER_STEP_OCSP_RESPONSE)
		return fail_at(c, v->pos, "ceremony-type '%s' is not supported by "
		    "this version of ceremony yet; this version runs key, root, "
		    "intermediate, cross-certificate, cross-csr and ocsp-signer steps",
		    step_names[t]);
	st->type = (enum cer_step_type)t;
	return CER_OK;
}

static int
step_id(const struct ctx *c, const struct node *m, size_t idx)
{
	struct cer_step *st = &c->s->steps[idx];
	const struct node *v = val_of(m, "id");
	char b[SHOW];
	size_t i;
	int r;

	if (v == NULL)
		return missing(c, m, "this step", "id");
	st->id_pos = v->pos;
	if ((r = check_text(c, v, "id")) != CER_OK)
		return r;
	if (!is_id(v) || v->len > 64)
		return fail_at(c, v->pos, "'id' must be 1 to 64 letters, digits, '.', "
		    "'_' or '-'; rename the step");
	for (i = 0; i < idx; i++)
		if (strcmp(c->s->steps[i].id, v->str) == 0)
			return fail_at(c, v->pos, "duplicate step id '%s' (first at "
			    "line %u); give each step its own id", shown(b, v),
			    c->s->steps[i].id_pos.line);
	return (st->id = strdup(v->str)) == NULL ? nomem() : CER_OK;
}

static int
native_step(const struct ctx *c, const struct node *m)
{
	const struct node *t;
	size_t idx;
	int r;

	if ((r = want_kind(c, m, K_MAP, "each entry of 'steps'")) != CER_OK ||
	    (r = add_step(c->s, &idx)) != CER_OK)
		return r;
	c->s->steps[idx].pos = m->pos;
	if ((t = val_of(m, "ceremony-type")) != NULL &&
	    (r = step_type(c, t, &c->s->steps[idx])) != CER_OK)
		return r;
	if ((r = check_map(c, m, "a step", step_keys, NULL)) != CER_OK)
		return r;
	if (t == NULL)
		return missing(c, m, "this step", "ceremony-type");
	if ((r = step_id(c, m, idx)) != CER_OK)
		return r;
	return step_body(c, m, idx);
}

/* ---- documents ---- */

static int
native_doc(struct ctx *c, const struct node *m)
{
	const struct node *v;
	unsigned h;
	size_t i;
	int r;

	if ((r = check_map(c, m, "a native script", native_keys, NULL)) != CER_OK)
		return r;
	if ((v = val_of(m, "ceremony")) != NULL &&
	    (r = want_text(c, v, "ceremony", &c->s->name)) != CER_OK)
		return r;
	if ((v = val_of(m, "hierarchy")) != NULL) {
		c->s->hierarchy_pos = v->pos;
		if ((r = want_enum(c, v, "hierarchy", hierarchy_names, &h)) != CER_OK)
			return r;
		c->s->private_hierarchy = h == 2;
	}
	if ((v = val_of(m, "tokens")) != NULL && (r = parse_tokens(c, v)) != CER_OK)
		return r;
	v = val_of(m, "steps");
	if ((r = want_kind(c, v, K_SEQ, "'steps'")) != CER_OK)
		return r;
	if (v->nkids == 0)
		return fail_at(c, v->pos, "'steps' is empty; add at least one step");
	if (v->nkids > COUNT_MAX)
		return fail_at(c, v->pos, "more than %d steps; split the ceremony",
		    COUNT_MAX);
	c->steps = v;
	for (i = 0; i < v->nkids; i++)
		if ((r = native_step(c, v->kids[i])) != CER_OK)
			return r;
	return CER_OK;
}

static int
boulder_doc(struct ctx *c, const struct node *m)
{
	struct cer_step *st;
	size_t idx;
	int r;

	c->s->boulder = 1;
	if ((r = add_step(c->s, &idx)) != CER_OK)
		return r;
	st = &c->s->steps[idx];
	st->pos = m->pos;
	if ((r = step_type(c, val_of(m, "ceremony-type"), st)) != CER_OK ||
	    (r = check_map(c, m, "a Boulder config", boulder_keys, NULL)) != CER_OK)
		return r;
	st->id_pos = st->type_pos;
	if ((st->id = strdup(cer_step_type_name(st->type))) == NULL)
		return nomem();
	return step_body(c, m, idx);
}

static int
convert(struct ctx *c, const struct node *root)
{
	const struct node *sk, *tk;
	int r;

	if (root->kind != K_MAP)
		return fail_at(c, root->pos, "a script is a YAML mapping with 'steps:' "
		    "(a native script) or 'ceremony-type:' (a Boulder config); "
		    "start from an example in docs/script.md");
	sk = key_of(root, "steps");
	tk = key_of(root, "ceremony-type");
	if (sk != NULL && tk != NULL)
		return fail_at(c, (sk->pos.line > tk->pos.line || (sk->pos.line ==
		    tk->pos.line && sk->pos.col > tk->pos.col) ? sk : tk)->pos,
		    "a script has either 'steps:' (native) or 'ceremony-type:' "
		    "(Boulder config), not both; remove one");
	if (sk == NULL && tk == NULL) {
		if ((r = check_map(c, root, "the script", top_keys, NULL)) != CER_OK)
			return r;
		return fail_at(c, root->pos, "a script needs 'steps:' (a native "
		    "script) or 'ceremony-type:' (a Boulder config); add one");
	}
	return tk != NULL ? boulder_doc(c, root) : native_doc(c, root);
}

/* ---- public API ---- */

static int
check_bytes(const char *name, const unsigned char *text, size_t len)
{
	const unsigned char *z = memchr(text, '\0', len);
	struct ctx c = { .name = name };

	if (len > SCRIPT_MAX)
		return fail_at(&c, (struct cer_pos){ 1, 1 }, "the script is too "
		    "large (more than %d bytes); a script is a short text file",
		    SCRIPT_MAX);
	if (z == NULL)
		return CER_OK;
	return fail_at(&c, offset_pos(text, len, (size_t)(z - text)), "the script "
	    "contains a NUL byte; save it as UTF-8 text");
}

static int
new_script(const char *name, const unsigned char *text, size_t len,
    struct cer_script **out)
{
	struct cer_script *s;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return nomem();
	if ((s->path = strdup(name)) == NULL || (s->text = malloc(len + 1)) == NULL) {
		cer_script_free(s);
		return nomem();
	}
	if (len > 0)
		memcpy(s->text, text, len);
	s->text[len] = '\0';
	s->text_len = len;
	*out = s;
	return CER_OK;
}

int
cer_script_parse(const char *name, const unsigned char *text, size_t len,
    struct cer_script **out)
{
	int r = CER_ERR_INTERNAL, have_parser = 0;
	struct cer_script *s = NULL;
	struct node *root = NULL;
	yaml_parser_t parser;
	struct ctx c;

	if (out != NULL)
		*out = NULL;
	if (name == NULL || out == NULL || (text == NULL && len > 0)) {
		r = cer_fail(CER_ERR_INTERNAL, "cer_script_parse: bad arguments");
		goto out;
	}
	if ((r = check_bytes(name, text, len)) != CER_OK ||
	    (r = new_script(name, text, len, &s)) != CER_OK)
		goto out;
	if (!yaml_parser_initialize(&parser)) {
		r = nomem();
		goto out;
	}
	have_parser = 1;
	yaml_parser_set_input_string(&parser, s->text, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	memset(&c, 0, sizeof(c));
	c.name = name;
	c.s = s;
	c.parser = &parser;
	c.text = s->text;
	c.len = len;
	if ((r = load_tree(&c, &root)) != CER_OK || (r = convert(&c, root)) != CER_OK)
		goto out;
	*out = s;
	s = NULL;	/* transferred */
	r = CER_OK;
 out:
	node_free(root);
	if (have_parser)
		yaml_parser_delete(&parser);
	cer_script_free(s);
	return r;
}

static int
read_all(int fd, unsigned char *buf, size_t size, size_t *len)
{
	ssize_t n;

	*len = 0;
	while (*len < size) {
		n = read(fd, buf + *len, size - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	return 0;
}

int
cer_script_load(const char *path, struct cer_script **out)
{
	int r = CER_ERR_INTERNAL, fd = -1;
	unsigned char *buf = NULL;
	size_t len = 0;

	if (out != NULL)
		*out = NULL;
	if (path == NULL || out == NULL) {
		r = cer_fail(CER_ERR_INTERNAL, "cer_script_load: bad arguments");
		goto out;
	}
	if ((buf = malloc(SCRIPT_MAX + 1)) == NULL) {
		r = nomem();
		goto out;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    read_all(fd, buf, SCRIPT_MAX + 1, &len) == -1) {
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

static void
strlist_free(struct cer_strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->pos);
}

static void
nc_free(struct cer_name_constraints *nc)
{
	size_t i;

	strlist_free(&nc->permitted_dns);
	strlist_free(&nc->excluded_dns);
	strlist_free(&nc->permitted_ip);
	strlist_free(&nc->excluded_ip);
	for (i = 0; i < nc->npermitted_dn; i++) {
		free(nc->permitted_dn[i].country);
		free(nc->permitted_dn[i].organization);
	}
	free(nc->permitted_dn);
}

static void
step_free(struct cer_step *st)
{
	size_t i;

	free(st->id);
	free(st->label);
	free(st->public_key_path);
	free(st->certificate_path);
	free(st->csr_path);
	free(st->in_issuer_cert);
	free(st->in_public_key);
	free(st->in_cross_cert);
	free(st->profile.policy_url);
	free(st->profile.common_name);
	free(st->profile.organization);
	free(st->profile.country);
	free(st->profile.crl_url);
	free(st->profile.issuer_url);
	free(st->profile.ocsp_url);
	for (i = 0; i < st->profile.npolicies; i++)
		free(st->profile.policies[i].oid);
	free(st->profile.policies);
	nc_free(&st->profile.nc);
	for (i = 0; i < st->nskip_lints; i++) {
		free(st->skip_lints[i].name);
		free(st->skip_lints[i].reason);
	}
	free(st->skip_lints);
}

void
cer_script_free(struct cer_script *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ntokens; i++) {
		free(s->tokens[i].name);
		free(s->tokens[i].module);
		free(s->tokens[i].token_label);
		free(s->tokens[i].token_serial);
		cer_free_secret(s->tokens[i].uri);
		cer_free_secret(s->tokens[i].pin);
	}
	free(s->tokens);
	for (i = 0; i < s->nsteps; i++)
		step_free(&s->steps[i]);
	free(s->steps);
	if (s->text != NULL) {
		explicit_bzero(s->text, s->text_len);
		free(s->text);
	}
	free(s->path);
	free(s->name);
	free(s);
}

static const char *
name_of(const char *const *tab, unsigned v)
{
	unsigned i;

	for (i = 1; tab[i] != NULL; i++)
		if (i == v)
			return tab[i];
	return "unknown";
}

const char *
cer_step_type_name(enum cer_step_type type)
{
	return name_of(step_names, (unsigned)type);
}
