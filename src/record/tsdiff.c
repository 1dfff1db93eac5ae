/*
 * tsdiff.c: two verified transcripts compared record by record.  Each
 * record becomes an item: its step (or the ceremony), its event (with a
 * lint's stage) and its occurrence among those; its data, less what
 * must differ between runs (the table below), flattened to path = value
 * lines, arrays of identified entries (lint rules, key checks, extensions,
 * outputs) by their identifier rather than their place.  Items are paired
 * by step, event and occurrence; each differing value, and each item only
 * one side has, is one line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/tsdiff.h"

/* Events that describe the token, the module and the login: token identity only. */
static const char *const skipped_events[] = { "module", "token", "login", "preflight", NULL };

/* What must differ between two runs of one script, by event; "*" is every entry of an array. */
static const struct {
	const char *event;
	const char *path;
} ignored[] = {
	{ "begin", "tool_sha256" }, { "begin", "script_path" }, { "begin", "script" },
	{ "begin", "script_redacted" }, { "begin", "cwd" }, { "begin", "host" },
	{ "begin", "options" }, { "begin", "versions" }, { "begin", "site_path" },
	{ "begin", "site_sha256" }, { "begin", "site" }, { "begin", "site_redacted" },
	{ "resume", "tool_sha256" }, { "resume", "script_path" }, { "resume", "script" },
	{ "resume", "script_redacted" }, { "resume", "cwd" }, { "resume", "host" },
	{ "resume", "options" }, { "resume", "versions" }, { "resume", "site_path" },
	{ "resume", "site_sha256" }, { "resume", "site" }, { "resume", "site_redacted" },
	{ "resume", "resumed.transcript_sha256" }, { "resume", "resumed.after_seq" },
	{ "lint", "at" }, { "lint", "tbs_sha256" }, { "lint", "verdicts.*.message" },
	/* what the rehearsed certificate carries: its record says it, once */
	{ "lint", "contents" },
	{ "confirmation", "question" }, { "confirmation", "tbs_sha256" },
	{ "confirmation", "transcript_sha256" }, { "confirmation", "serial" },
	{ "key-generated", "token" }, { "key-generated", "id" },
	{ "key-generated", "template.public.CKA_ID" },
	{ "key-generated", "template.private.CKA_ID" }, { "key-generated", "read_back" },
	{ "key-generated", "public_key.spki_sha256" }, { "key-generated", "public_key_pem" },
	{ "key-generated", "public_key.keycheck.*.message" },
	{ "key-created", "token" }, { "key-created", "id" },
	{ "key-created", "template.public.CKA_ID" }, { "key-created", "template.private.CKA_ID" },
	{ "token-lock", "lock_file" },
	{ "key-rechecked", "id" }, { "key-rechecked", "public_key.spki_sha256" },
	{ "key-rechecked", "public_key.keycheck.*.message" },
	{ "key-found", "token" }, { "key-found", "id" }, { "key-found", "spki_sha256" },
	{ "orphan-removed", "removed" },
	{ "certificate-signed", "certificate.sha256" },
	{ "certificate-signed", "certificate.public_key.spki_sha256" },
	{ "certificate-signed", "signing.tbs_sha256" }, { "certificate-signed", "pem" },
	{ "certificate-signed", "issuer_pem" },
	{ "csr-signed", "public_key.spki_sha256" }, { "csr-signed", "signing.tbs_sha256" },
	{ "csr-signed", "pem" },
	{ "output", "sha256" }, { "end", "outputs.*.sha256" },
	{ "pkcs11-config", "module" },
};

/* Members that identify an entry of an array of objects, in this order of preference. */
static const char *const id_members[] = { "rule", "check", "oid", "name", "path", NULL };

#define SKI_OID "2.5.29.14"
#define AKI_OID "2.5.29.35"

struct item {
	const char *section;	/* the step, or NULL for the ceremony */
	char key[64];		/* the event, and a lint's stage */
	size_t nth;		/* among the side's items of the same section and key */
	json_t *flat;		/* [[path, value], ...] */
	int paired;
};

struct side {
	const struct cer_tscheck *t;
	struct item *items;
	size_t n;
	char *moved;		/* a rehearsal: the prefix of outputs it put elsewhere, or NULL */
};

static const char *
member(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int
listed(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* Removes the member at path ("a.b", "a.*.c") from v. */
static void
drop(json_t *v, const char *path)
{
	const char *dot = strchr(path, '.');
	char head[64];
	json_t *e;
	size_t i;

	snprintf(head, sizeof(head), "%.*s", dot != NULL ? (int)(dot - path) : (int)strlen(path),
	    path);
	if (strcmp(head, "*") == 0 && json_is_array(v)) {
		json_array_foreach(v, i, e)
			if (dot != NULL)
				drop(e, dot + 1);
	} else if (json_is_object(v)) {
		if (dot == NULL)
			json_object_del(v, head);
		else
			drop(json_object_get(v, head), dot + 1);
	}
}

/* An output path as the real run would record it: a rehearsal's prefix taken off. */
static void
unmove(const struct side *s, json_t *o)
{
	const char *p = member(o, "path");
	size_t n = s->moved != NULL ? strlen(s->moved) : 0;

	if (p != NULL && n > 0 && strncmp(p, s->moved, n) == 0 && p[n] == '/')
		json_object_set_new(o, "path", json_string(p + n));
}

/* data less what must differ (the table), with the few rules a table cannot say. */
static void
normalize(const struct side *s, const char *event, json_t *data)
{
	json_t *e;
	size_t i;

	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		if (strcmp(ignored[i].event, event) == 0)
			drop(data, ignored[i].path);
	if (strcmp(event, "confirmation") == 0 && member(data, "answer") != NULL &&
	    strcmp(member(data, "answer"), "--yes") == 0)
		json_object_set_new(data, "answer", json_string("yes"));	/* confirmed either way */
	if (strcmp(event, "certificate-signed") == 0) {
		if (!json_is_true(json_object_get(data, "serial_pinned")))
			drop(data, "certificate.serial");
		json_array_foreach(json_object_get(json_object_get(data, "certificate"),
		    "extensions"), i, e)
			if (member(e, "oid") != NULL && (strcmp(member(e, "oid"), SKI_OID) == 0 ||
			    strcmp(member(e, "oid"), AKI_OID) == 0))
				json_object_del(e, "value");	/* key identifiers: of the keys */
	}
	if (strcmp(event, "output") == 0 || strcmp(event, "pkcs11-config") == 0)
		unmove(s, data);
	if (strcmp(event, "end") == 0)
		json_array_foreach(json_object_get(data, "outputs"), i, e)
			unmove(s, e);
}

/* The member every entry of array a is identified by, or NULL. */
static const char *
id_member(const json_t *a)
{
	const json_t *e;
	size_t i, k;

	for (k = 0; id_members[k] != NULL; k++) {
		json_array_foreach(a, i, e)
			if (member(e, id_members[k]) == NULL)
				break;
		if (i == json_array_size(a) && i > 0)
			return id_members[k];
	}
	return NULL;
}

static int
add(json_t *flat, const char *path, json_t *value)
{
	char *v = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
	int r = v == NULL || json_array_append_new(flat, json_pack("[s, s]", path, v)) != 0 ?
	    cer_fail(CER_ERR_ALLOC, "out of memory") : CER_OK;

	free(v);
	return r;
}

/* v as path = value lines; an array of identified entries by identifier (extensions: with their order). */
static int
flatten(json_t *flat, const char *path, json_t *v)
{
	const char *key, *id;
	char sub[512], order[2048];
	json_t *e;
	size_t i, used = 0;
	int r = CER_OK;

	if (json_is_object(v)) {
		json_object_foreach(v, key, e) {
			snprintf(sub, sizeof(sub), "%s%s%s", path, *path != '\0' ? "." : "", key);
			if ((r = flatten(flat, sub, e)) != CER_OK)
				return r;
		}
		return CER_OK;
	}
	if (!json_is_array(v))
		return add(flat, path, v);
	id = id_member(v);
	order[0] = '\0';
	json_array_foreach(v, i, e) {
		if (id != NULL) {
			snprintf(sub, sizeof(sub), "%s[%s]", path, member(e, id));
			if (used < sizeof(order))
				used += (size_t)snprintf(order + used, sizeof(order) - used, "%s%s",
				    i > 0 ? "," : "", member(e, id));
		} else {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		}
		if ((r = flatten(flat, sub, e)) != CER_OK)
			return r;
	}
	if (id != NULL && strcmp(id, "oid") == 0) {
		snprintf(sub, sizeof(sub), "%s order", path);
		e = json_string(order);
		r = add(flat, sub, e);
		json_decref(e);
	} else if (json_array_size(v) == 0) {
		r = add(flat, path, v);
	}
	return r;
}

static int
load_side(struct side *s, const struct cer_tscheck *t)
{
	json_t *rec, *data, *reh, *copy;
	const char *event, *step;
	struct item *it;
	size_t i, j;
	int r;

	s->t = t;
	reh = json_object_get(json_object_get(json_object_get(cer_tscheck_record(t, 0), "data"),
	    "options"), "rehearsal");
	if (member(reh, "directory") != NULL && member(reh, "outputs_elsewhere_under") != NULL &&
	    asprintf(&s->moved, "%s/%s", member(reh, "directory"),
	    member(reh, "outputs_elsewhere_under")) < 0)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	if ((s->items = calloc(cer_tscheck_count(t) + 1, sizeof(*s->items))) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	for (i = 0; i < cer_tscheck_count(t); i++) {
		rec = cer_tscheck_record(t, i);
		data = json_object_get(rec, "data");
		event = member(rec, "event");
		if (listed(skipped_events, event))
			continue;
		it = &s->items[s->n++];
		it->section = step = member(data, "step");
		if (strcmp(event, "lint") == 0 && member(data, "stage") != NULL)
			snprintf(it->key, sizeof(it->key), "lint (%s)", member(data, "stage"));
		else
			snprintf(it->key, sizeof(it->key), "%s", event);
		for (j = 0; j + 1 < s->n; j++)
			if (strcmp(s->items[j].key, it->key) == 0 && ((step == NULL &&
			    s->items[j].section == NULL) || (step != NULL && s->items[j].section !=
			    NULL && strcmp(step, s->items[j].section) == 0)))
				it->nth++;
		if ((copy = json_deep_copy(data)) == NULL || (it->flat = json_array()) == NULL) {
			json_decref(copy);
			return cer_fail(CER_ERR_ALLOC, "out of memory");
		}
		normalize(s, event, copy);
		r = flatten(it->flat, "", copy);
		json_decref(copy);
		if (r != CER_OK)
			return r;
	}
	return CER_OK;
}

static void
free_side(struct side *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		json_decref(s->items[i].flat);
	free(s->items);
	free(s->moved);
}

static int
same_section(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static struct item *
partner(struct side *s, const struct item *it)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!s->items[i].paired && same_section(s->items[i].section, it->section) &&
		    strcmp(s->items[i].key, it->key) == 0 && s->items[i].nth == it->nth)
			return &s->items[i];
	return NULL;
}

static const char *
where(char *buf, size_t n, const struct item *it)
{
	if (it->section == NULL)
		snprintf(buf, n, "ceremony, %s", it->key);
	else
		snprintf(buf, n, "step %s, %s", it->section, it->key);
	return buf;
}

static const char *
shown(const char *v)
{
	return v != NULL ? v : "(absent)";
}

/* The value at path in a flat list, or NULL. */
static const char *
value_at(const json_t *flat, const char *path)
{
	const json_t *e;
	size_t i;

	json_array_foreach(flat, i, e)
		if (strcmp(json_string_value(json_array_get(e, 0)), path) == 0)
			return json_string_value(json_array_get(e, 1));
	return NULL;
}

static void
line(FILE *f, const struct item *it, const char *path, const char *a, const char *b, size_t *n)
{
	char w[200];

	fprintf(f, "%s: %s: A %s, B %s\n", where(w, sizeof(w), it), path, shown(a), shown(b));
	(*n)++;
}

/*
 * The identified entry path belongs to ("outputs[out/a.pem]" of
 * "outputs[out/a.pem].kind") when the other side has nothing of it, in
 * entry (which must hold the path's length); else 0.
 */
static int
whole_entry(const char *path, const json_t *other, char *entry)
{
	const char *close = strrchr(path, ']');
	const json_t *e;
	size_t n, i;

	if (close == NULL)
		return 0;
	n = (size_t)(close - path) + 1;
	json_array_foreach(other, i, e)
		if (strncmp(json_string_value(json_array_get(e, 0)), path, n) == 0)
			return 0;
	memcpy(entry, path, n);
	entry[n] = '\0';
	return 1;
}

/* The paths of one side the other lacks or holds otherwise; an entry it lacks whole is one line. */
static void
one_way(FILE *f, const struct item *it, const json_t *mine, const json_t *other, int a_side,
    size_t *n)
{
	const char *path, *v, *w;
	char entry[512] = "", last[512] = "", where_[200];
	const json_t *e;
	size_t i;

	json_array_foreach(mine, i, e) {
		path = json_string_value(json_array_get(e, 0));
		v = json_string_value(json_array_get(e, 1));
		if ((w = value_at(other, path)) != NULL) {
			if (a_side && strcmp(v, w) != 0)
				line(f, it, path, v, w, n);
			continue;
		}
		if (strlen(path) < sizeof(entry) && whole_entry(path, other, entry)) {
			if (strcmp(entry, last) != 0) {
				fprintf(f, "%s: %s: only in %s\n", where(where_, sizeof(where_), it),
				    entry, a_side ? "A" : "B");
				(*n)++;
			}
			memcpy(last, entry, sizeof(last));
			continue;
		}
		line(f, it, path, a_side ? v : NULL, a_side ? NULL : v, n);
	}
}

/* Every path whose value differs, A's paths first, then those only B has. */
static void
compare(FILE *f, const struct item *a, const struct item *b, size_t *n)
{
	one_way(f, a, a->flat, b->flat, 1, n);
	one_way(f, a, b->flat, a->flat, 0, n);
}

static void
only(FILE *f, const struct item *it, const char *side, size_t *n)
{
	char w[200];

	fprintf(f, "%s: only in %s\n", where(w, sizeof(w), it), side);
	(*n)++;
}

/* The items of one section: A's in order (paired or only in A), then those only B has. */
static void
section(FILE *f, struct side *a, struct side *b, const char *name, size_t *n)
{
	struct item *p;
	size_t i;

	for (i = 0; i < a->n; i++) {
		if (a->items[i].paired || !same_section(a->items[i].section, name))
			continue;
		a->items[i].paired = 1;
		if ((p = partner(b, &a->items[i])) == NULL) {
			only(f, &a->items[i], "A", n);
			continue;
		}
		p->paired = 1;
		compare(f, &a->items[i], p, n);
	}
	for (i = 0; i < b->n; i++)
		if (!b->items[i].paired && same_section(b->items[i].section, name)) {
			b->items[i].paired = 1;
			only(f, &b->items[i], "B", n);
		}
}

int
cer_tsdiff(const struct cer_tscheck *ta, const struct cer_tscheck *tb, FILE *f, size_t *n)
{
	struct side a, b;
	size_t i;
	int r;

	*n = 0;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	if ((r = load_side(&a, ta)) != CER_OK || (r = load_side(&b, tb)) != CER_OK)
		goto out;
	/* the ceremony's own records first, then each step in the order A (then B) met it */
	section(f, &a, &b, NULL, n);
	for (i = 0; i < a.n; i++)
		if (!a.items[i].paired)
			section(f, &a, &b, a.items[i].section, n);
	for (i = 0; i < b.n; i++)
		if (!b.items[i].paired)
			section(f, &a, &b, b.items[i].section, n);
	r = CER_OK;
 out:
	free_side(&a);
	free_side(&b);
	return r;
}

static void
describe(const char *name, const struct cer_tscheck *t, const struct cer_tscheck_summary *s)
{
	printf("%s: %s, %zu records, %s%s\n", name, cer_tscheck_path(t), s->records,
	    s->status != NULL ? s->status : "no end", s->complete ? "" : ", INCOMPLETE");
}

int
cer_tsdiff_run(const char *pa, const char *pb)
{
	struct cer_tscheck_opts o = { 0, NULL, NULL };
	struct cer_tscheck_summary sa, sb;
	struct cer_tscheck *a = NULL, *b = NULL;
	size_t n = 0;
	int r;

	memset(&sa, 0, sizeof(sa));
	memset(&sb, 0, sizeof(sb));
	if ((r = cer_tscheck_open(pa, &o, &a, &sa)) != CER_OK ||
	    (r = cer_tscheck_open(pb, &o, &b, &sb)) != CER_OK)
		goto out;
	describe("A", a, &sa);
	describe("B", b, &sb);
	fflush(stdout);
	if ((r = cer_tsdiff(a, b, stdout, &n)) != CER_OK)
		goto out;
	if (n == 0)
		printf("no differences beyond keys, signatures, random values, token identity "
		    "and times\n");
	else
		r = cer_fail(CER_ERR_VERIFY, "%zu difference%s between %s and %s", n,
		    n == 1 ? "" : "s", pa, pb);
 out:
	cer_tscheck_free(a);
	cer_tscheck_free(b);
	return r;
}
