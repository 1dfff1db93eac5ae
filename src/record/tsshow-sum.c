/*
 * tsshow-sum.c: the first page of the witness record: what was done (every
 * key with its token, label and SPKI fingerprint; every certificate and
 * CSR with its subject, validity, serial and SHA-256), anything unusual
 * (lint findings, skips and their reasons, a resume, a failure, a
 * rehearsal's --at), the final digest in hex and PGP words, and the
 * witnesses' boxes.  The full event log (tsshow.c) follows as an appendix.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alg.h"
#include "base/br.h"
#include "record/pgpwords.h"
#include "record/tsshow-int.h"

void
cer_tsshow_digest(struct cer_tsshow_out *o, const struct cer_tscheck *t)
{
	unsigned char d[CER_SHA256_LEN];
	char *hex = NULL;

	cer_tscheck_digest(t, d);
	cer_tsshow_section(o, "Final digest (SHA-256 of the last record)");
	if (cer_hex(d, sizeof(d), &hex) != CER_OK)
		return;
	if (o->html) {
		fprintf(o->f, "<div class=\"digest\"><p><code>%.16s %.16s %.16s %.16s</code></p>\n"
		    "<p class=\"words\">", hex, hex + 16, hex + 32, hex + 48);
		cer_pgpwords_print(o->f, d, sizeof(d), "", "<br>\n");
		fputs("</p></div>\n", o->f);
	} else {
		fprintf(o->f, "  %s\n\n  PGP words:\n", hex);
		cer_pgpwords_print(o->f, d, sizeof(d), "    ", "\n");
	}
	free(hex);
}

static void
witness_boxes(struct cer_tsshow_out *o)
{
	static const char box[] = "<div class=\"witness\"><div class=\"line\">Name</div>"
	    "<div class=\"line\">Role</div><div class=\"line\">Signature</div>"
	    "<div class=\"line\">Date and place</div></div>\n";
	int i;

	cer_tsshow_section(o, "Witnesses");
	fputs("<p>By signing, I confirm that I witnessed this ceremony and that the final "
	    "digest the run showed at its end is the one printed above.</p>\n<div class=\"witnesses\">\n",
	    o->f);
	for (i = 0; i < 6; i++)
		fputs(box, o->f);
	fputs("</div>\n", o->f);
}

static const char *
event_of(const json_t *rec)
{
	const char *e = json_string_value(json_object_get(rec, "event"));

	return e != NULL ? e : "";
}

/* The path of the output of this kind a step wrote, or NULL. */
static const char *
output_of(const struct cer_tscheck *t, const char *step, const char *kind)
{
	const json_t *d;
	size_t i;

	for (i = 0; i < cer_tscheck_count(t); i++) {
		d = json_object_get(cer_tscheck_record(t, i), "data");
		if (strcmp(event_of(cer_tscheck_record(t, i)), "output") == 0 &&
		    strcmp(cer_tsshow_text_of(d, "step"), step) == 0 && strcmp(cer_tsshow_text_of(d, "kind"), kind) == 0)
			return cer_tsshow_text_of(d, "path");
	}
	return NULL;
}

/*
 * One thing done: its cells, then rows of labelled values under them
 * (fingerprints, set in a monospaced face); kv is label, value, ...: a
 * NULL label starts a new row, a NULL value is left out.
 */
static void
item(struct cer_tsshow_out *o, const char *const *cell, size_t n, const char *const *kv, size_t nkv)
{
	size_t i;
	int first = 1;

	fputs(o->html ? "<tr>" : "  ", o->f);
	for (i = 0; i < n; i++) {
		fputs(o->html ? "<td>" : i > 0 ? "; " : "", o->f);
		cer_tsshow_put(o, cell[i]);
		fputs(o->html ? "</td>" : "", o->f);
	}
	for (i = 0; i + 1 < nkv; i += 2) {
		if (kv[i] == NULL || i == 0) {
			if (o->html)
				fprintf(o->f, "</tr>\n<tr><td class=\"fp\" colspan=\"%zu\">", n);
			else
				fputs("\n     ", o->f);
			first = 1;
		}
		if (kv[i] == NULL || kv[i + 1] == NULL)
			continue;
		fprintf(o->f, "%s%s ", first ? "" : o->html ? " &middot; " : ", ", kv[i]);
		fputs(o->html && cer_tsshow_is_hex(kv[i + 1]) ? "<code>" : "", o->f);
		cer_tsshow_put(o, kv[i + 1]);
		fputs(o->html && cer_tsshow_is_hex(kv[i + 1]) ? "</code>" : "", o->f);
		first = 0;
	}
	fputs(o->html ? "</td></tr>\n" : "\n", o->f);
}

/* "2026-12-01T00:00:00Z" as "2026-12-01 00:00:00" */
static const char *
day_time(const char *iso, char buf[static 32])
{
	snprintf(buf, 32, "%s", iso);
	if (strlen(buf) == 20 && buf[10] == 'T' && buf[19] == 'Z') {
		buf[10] = ' ';
		buf[19] = '\0';
	}
	return buf;
}

static void
table_open(struct cer_tsshow_out *o, const char *title, const char *const *head, size_t n)
{
	size_t i;

	fputs(o->html ? "<h3>" : "\n ", o->f);
	cer_tsshow_put(o, title);
	fputs(o->html ? "</h3>\n<table class=\"sum\"><tr>" : "\n", o->f);
	for (i = 0; o->html && i < n; i++)
		fprintf(o->f, "<th>%s</th>", head[i]);
	fputs(o->html ? "</tr>\n" : "", o->f);
}

/* Every key generated, found by label, with its token, label and SPKI fingerprint. */
static void
summary_keys(struct cer_tsshow_out *o, const struct cer_tscheck *t)
{
	static const char *const head[] = { "step", "token", "label", "key" };
	const json_t *rec, *d, *k;
	const char *cell[4], *kv[2], *ev;
	enum cer_curve c;
	char kt[96];
	size_t i;

	table_open(o, "Keys", head, 4);
	for (i = 0; i < cer_tscheck_count(t); i++) {
		rec = cer_tscheck_record(t, i);
		d = json_object_get(rec, "data");
		ev = event_of(rec);
		if (strcmp(ev, "key-generated") != 0 && strcmp(ev, "key-found") != 0)
			continue;
		k = json_object_get(d, "public_key");
		c = cer_alg_curve_by_group(cer_tsshow_text_of(k, "curve"));
		if (k == NULL)
			snprintf(kt, sizeof(kt), "found by label and key");
		else if (c != CER_CURVE_NONE)
			snprintf(kt, sizeof(kt), "ECDSA %s, generated", cer_curve_name(c));
		else
			snprintf(kt, sizeof(kt), "%s-%" JSON_INTEGER_FORMAT ", generated",
			    cer_tsshow_text_of(k, "algorithm"), json_integer_value(json_object_get(k, "bits")));
		cell[0] = cer_tsshow_text_of(d, "step");
		cell[1] = cer_tsshow_text_of(d, "token");
		cell[2] = cer_tsshow_text_of(d, "label");
		cell[3] = kt;
		kv[0] = "SPKI SHA-256";
		kv[1] = k != NULL ? cer_tsshow_text_of(k, "spki_sha256") : cer_tsshow_text_of(d, "spki_sha256");
		item(o, cell, 4, kv, 2);
	}
	fputs(o->html ? "</table>\n" : "", o->f);
}

/* Every certificate and CSR signed, with its subject, validity, serial and SHA-256. */
static void
summary_artefacts(struct cer_tsshow_out *o, const struct cer_tscheck *t)
{
	static const char *const head[] = { "step", "what", "subject", "file" };
	const json_t *rec, *d, *c;
	const char *cell[4], *kv[10], *ev;
	char nb[32], na[32], valid[80];
	size_t i;
	int csr;

	table_open(o, "Certificates and CSRs signed", head, 4);
	for (i = 0; i < cer_tscheck_count(t); i++) {
		rec = cer_tscheck_record(t, i);
		d = json_object_get(rec, "data");
		ev = event_of(rec);
		if (strcmp(ev, "certificate-signed") != 0 && strcmp(ev, "csr-signed") != 0)
			continue;
		csr = strcmp(ev, "csr-signed") == 0;
		c = csr ? d : json_object_get(d, "certificate");
		cell[0] = cer_tsshow_text_of(d, "step");
		cell[1] = csr ? "CSR" : cer_tsshow_text_of(d, "profile");
		cell[2] = cer_tsshow_text_of(c, "subject");
		cell[3] = output_of(t, cell[0], csr ? "csr" : "certificate");
		if (cell[3] == NULL)
			cell[3] = "(not written)";
		snprintf(valid, sizeof(valid), "%s to %s UTC", day_time(cer_tsshow_text_of(c, "not_before"),
		    nb), day_time(cer_tsshow_text_of(c, "not_after"), na));
		kv[0] = "valid";
		kv[1] = csr ? NULL : valid;
		kv[2] = "serial";
		kv[3] = csr ? NULL : cer_tsshow_text_of(c, "serial");
		kv[4] = "key SPKI SHA-256";
		kv[5] = csr ? cer_tsshow_text_of(json_object_get(c, "public_key"), "spki_sha256") : NULL;
		kv[6] = NULL;
		kv[7] = "";
		kv[8] = "SHA-256";
		kv[9] = csr ? NULL : cer_tsshow_text_of(c, "sha256");
		item(o, cell, 4, kv, csr ? 6 : 10);
	}
	fputs(o->html ? "</table>\n" : "", o->f);
}

/* Appends line to list unless it is there already. */
static void
note(json_t *list, const char *line)
{
	const json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		if (strcmp(json_string_value(v), line) == 0)
			return;
	json_array_append_new(list, json_string(line));
}

/* What a lint record holds that a witness should see: findings, and skips with reasons. */
static void
unusual_lint(json_t *list, const json_t *d)
{
	const json_t *v;
	char line[1024];
	size_t i;

	json_array_foreach(json_object_get(d, "verdicts"), i, v) {
		if (strcmp(cer_tsshow_text_of(v, "verdict"), "fail") != 0)
			continue;
		snprintf(line, sizeof(line), "step %s: lint %s (%s) found: %s", cer_tsshow_text_of(d, "step"),
		    cer_tsshow_text_of(v, "rule"), cer_tsshow_text_of(v, "severity"), cer_tsshow_text_of(v, "message"));
		note(list, line);
	}
	json_array_foreach(json_object_get(d, "skipped"), i, v) {
		snprintf(line, sizeof(line), "step %s skips lint %s: %s; reason: %s",
		    cer_tsshow_text_of(d, "step"), cer_tsshow_text_of(v, "name"), cer_tsshow_text_of(v, "effect"),
		    json_is_string(json_object_get(v, "reason")) ? cer_tsshow_text_of(v, "reason") :
		    "none given (a Boulder config)");
		note(list, line);
	}
}

/* Each record that is out of the ordinary, as one line. */
static void
unusual_record(json_t *list, const json_t *rec)
{
	const json_t *d = json_object_get(rec, "data");
	const char *ev = event_of(rec);
	char line[1024] = "";

	if (strcmp(ev, "begin") == 0 && json_is_string(json_object_get(json_object_get(d,
	    "options"), "at")))
		snprintf(line, sizeof(line), "a rehearsal on SoftHSM: dates judged as of %s (--at)",
		    cer_tsshow_text_of(json_object_get(d, "options"), "at"));
	else if (strcmp(ev, "login") == 0 && json_is_string(json_object_get(d, "warning")))
		snprintf(line, sizeof(line), "token %s: %s", cer_tsshow_text_of(d, "token"),
		    cer_tsshow_text_of(d, "warning"));
	else if (strcmp(ev, "login") == 0 &&
	    json_is_string(json_object_get(d, "literal_pin_allowed_because")))
		snprintf(line, sizeof(line), "token %s: a PIN written in the script was used (%s)",
		    cer_tsshow_text_of(d, "token"), cer_tsshow_text_of(d, "literal_pin_allowed_because"));
	else if (strcmp(ev, "lint") == 0)
		unusual_lint(list, d);
	else if (strcmp(ev, "resume") == 0)
		snprintf(line, sizeof(line), "RESUMED after record #%" JSON_INTEGER_FORMAT
		    ", from step %s", json_integer_value(cer_tsshow_lookup(d, "resumed/after_seq")),
		    json_is_string(cer_tsshow_lookup(d, "resumed/from_step")) ?
		    json_string_value(cer_tsshow_lookup(d, "resumed/from_step")) : "?");
	else if (strcmp(ev, "key-generated") == 0 && json_is_true(cer_tsshow_lookup(d,
	    "template/adopted_after_interruption")))
		snprintf(line, sizeof(line), "step %s: key '%s' taken over after an interruption",
		    cer_tsshow_text_of(d, "step"), cer_tsshow_text_of(d, "label"));
	else if (strcmp(ev, "orphan-removed") == 0)
		snprintf(line, sizeof(line), "step %s: the public half of an interrupted key "
		    "generation was removed", cer_tsshow_text_of(d, "step"));
	else if (strcmp(ev, "pkcs11-config") == 0)
		snprintf(line, sizeof(line), "step %s wrote %s, Boulder's pkcs11 config, which "
		    "holds the PIN in clear", cer_tsshow_text_of(d, "step"), cer_tsshow_text_of(d, "path"));
	else if (strcmp(ev, "error") == 0)
		snprintf(line, sizeof(line), "ERROR: %s", cer_tsshow_text_of(d, "message"));
	else if (strcmp(ev, "end") == 0 && strcmp(cer_tsshow_text_of(d, "status"), "ok") != 0)
		snprintf(line, sizeof(line), "the ceremony FAILED (end status %s)",
		    cer_tsshow_text_of(d, "status"));
	if (line[0] != '\0')
		note(list, line);
}

static void
summary_unusual(struct cer_tsshow_out *o, const struct cer_tscheck *t, int complete)
{
	json_t *list = json_array(), *v;
	size_t i;

	for (i = 0; list != NULL && i < cer_tscheck_count(t); i++)
		unusual_record(list, cer_tscheck_record(t, i));
	if (list != NULL && !complete)
		note(list, "INCOMPLETE: the transcript ends without an 'end' record");
	fputs(o->html ? "<h3>Anything unusual</h3>\n<ul class=\"unusual\">\n" :
	    "\n Anything unusual\n", o->f);
	if (json_array_size(list) == 0)
		json_array_append_new(list, json_string("nothing: no lint finding, no skipped "
		    "rule, no resume, no failure"));
	json_array_foreach(list, i, v) {
		fputs(o->html ? "<li>" : "  - ", o->f);
		cer_tsshow_put(o, json_string_value(v));
		fputs(o->html ? "</li>\n" : "\n", o->f);
	}
	fputs(o->html ? "</ul>\n" : "", o->f);
	json_decref(list);
}

/*
 * The rule set the hierarchy was held to (the begin record's "hierarchy";
 * older transcripts do not say), so that no witness takes a private CA for
 * a publicly trusted one.  The printed record says it in its title
 * (tsshow.c), as its first page has no line to spare.
 */
static void
summary_hierarchy(struct cer_tsshow_out *o, const json_t *begin)
{
	const char *h = json_string_value(json_object_get(begin, "hierarchy"));
	char line[200];

	if (h == NULL || o->html)
		return;
	snprintf(line, sizeof(line), "Hierarchy: %s.", strcmp(h, "private") == 0 ?
	    CER_BR_HIERARCHY_PRIVATE_SHORT : CER_BR_HIERARCHY_TLS_SHORT);
	cer_tsshow_put(o, line);
	fputs("\n", o->f);
}

/* What was done, anything unusual, the digest and (HTML) the witnesses' boxes. */
void
cer_tsshow_summary(struct cer_tsshow_out *o, const struct cer_tscheck *t, int complete)
{
	const json_t *b = json_object_get(cer_tscheck_record(t, 0), "data");
	const json_t *last = cer_tscheck_record(t, cer_tscheck_count(t) - 1);
	char line[1024];

	snprintf(line, sizeof(line), "Script %s (SHA-256 %s), run by %s on %s from %s to %s; %s.",
	    cer_tsshow_text_of(b, "script_path"), cer_tsshow_text_of(b, "script_sha256"), cer_tsshow_text_of(b, "tool"),
	    cer_tsshow_text_of(json_object_get(b, "host"), "nodename"),
	    cer_tsshow_text_of(cer_tscheck_record(t, 0), "time"), cer_tsshow_text_of(last, "time"), !complete ?
	    "INCOMPLETE" : strcmp(cer_tsshow_text_of(json_object_get(last, "data"), "status"), "ok") == 0 ?
	    "completed" : "FAILED");
	fputs(o->html ? "<div class=\"summary\">\n<p>" : "\n", o->f);
	cer_tsshow_put(o, line);
	fputs(o->html ? "</p>\n" : "\n", o->f);
	summary_hierarchy(o, b);
	summary_keys(o, t);
	summary_artefacts(o, t);
	summary_unusual(o, t, complete);
	cer_tsshow_digest(o, t);
	if (o->html) {
		witness_boxes(o);
		fputs("</div>\n", o->f);
	}
}

