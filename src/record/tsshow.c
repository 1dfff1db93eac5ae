/*
 * tsshow.c: a verified transcript as text or as a printable HTML witness
 * record.  What is shown of each event is a table (event, label, path in
 * data), so text and HTML cannot drift apart; an event the table does not
 * know (a newer step type) still shows its scalar members.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "record/pgpwords.h"
#include "record/tsshow-int.h"

static const struct {
	const char *event, *title;
} titles[] = {
	{ "begin", "Ceremony" },
	{ "module", "PKCS#11 module" },
	{ "token", "Token" },
	{ "login", "Login" },
	{ "preflight", "Mechanisms checked" },
	{ "confirmation", "Operator confirmation" },
	{ "key-generated", "Key generated" },
	{ "key-found", "Key found" },
	{ "certificate-signed", "Certificate signed" },
	{ "csr-signed", "CSR signed" },
	{ "output", "Output written" },
	{ "step-end", "Step end" },
	{ "error", "ERROR" },
	{ "end", "End of the ceremony" },
	{ "lint", "Lint" },
	{ "resume", "Ceremony resumed" },
	{ "key-rechecked", "Key checked again on its token" },
	{ "orphan-removed", "Half-made key removed" },
	{ "token-lock", "Token locked for the run" },
	{ "key-created", "Key pair created (checks follow)" },
	{ "key-destroyed", "Refused key destroyed" },
	{ "key-refused", "Refused key left on the token" },
	{ "crl-signed", "CRL signed" },
	{ "ocsp-responses-signed", "OCSP responses signed" },
};

static const struct {
	const char *event, *label, *path;
} fields[] = {
	{ "begin", "ceremony", "ceremony" },
	{ "begin", "tool", "tool" },
	{ "begin", "tool SHA-256", "tool_sha256" },
	{ "begin", "script", "script_path" },
	{ "begin", "script SHA-256", "script_sha256" },
	{ "begin", "script redacted", "script_redacted" },
	{ "begin", "Boulder config", "boulder_config" },
	{ "begin", "hierarchy", "hierarchy" },
	{ "begin", "options", "options" },
	{ "begin", "host", "host" },
	{ "begin", "versions", "versions" },
	{ "module", "path", "path" },
	{ "module", "real path", "realpath" },
	{ "module", "SHA-256", "sha256" },
	{ "module", "library", "info" },
	{ "token", "name in script", "name" },
	{ "token", "label", "token/label" },
	{ "token", "serial", "token/serial" },
	{ "token", "manufacturer", "token/manufacturer" },
	{ "token", "model", "token/model" },
	{ "token", "firmware", "token/firmware_version" },
	{ "token", "module", "module" },
	{ "login", "token", "token" },
	{ "login", "PIN source", "pin_source" },
	{ "login", "literal PIN allowed", "literal_pin_allowed_because" },
	{ "login", "warning", "warning" },
	{ "preflight", "mechanisms", "mechanisms" },
	{ "step-begin", "does", "does" },
	{ "confirmation", "question", "question" },
	{ "confirmation", "TBS SHA-256", "tbs_sha256" },
	{ "confirmation", "serial", "serial" },
	{ "confirmation", "transcript so far", "transcript_sha256" },
	{ "confirmation", "answer", "answer" },
	{ "lint", "step", "step" },
	{ "lint", "stage", "stage" },
	{ "lint", "profile", "profile" },
	{ "lint", "signing time", "at" },
	{ "lint", "TBS SHA-256", "tbs_sha256" },
	{ "lint", "errors", "errors" },
	{ "lint", "warnings", "warnings" },
	{ "lint", "notices", "notices" },
	{ "resume", "tool", "tool" },
	{ "resume", "tool SHA-256", "tool_sha256" },
	{ "resume", "script SHA-256", "script_sha256" },
	{ "resume", "after record", "resumed/after_seq" },
	{ "resume", "transcript SHA-256", "resumed/transcript_sha256" },
	{ "resume", "from step", "resumed/from_step" },
	{ "key-rechecked", "step", "step" },
	{ "key-rechecked", "label", "label" },
	{ "key-rechecked", "CKA_ID", "id" },
	{ "key-rechecked", "SPKI SHA-256", "public_key/spki_sha256" },
	{ "orphan-removed", "step", "step" },
	{ "orphan-removed", "label", "object/label" },
	{ "orphan-removed", "CKA_ID", "object/id" },
	{ "key-generated", "label", "label" },
	{ "key-generated", "token", "token" },
	{ "key-generated", "CKA_ID", "id" },
	{ "key-generated", "key", "public_key/algorithm" },
	{ "key-generated", "bits", "public_key/bits" },
	{ "key-generated", "curve", "public_key/curve" },
	{ "key-generated", "SPKI SHA-256", "public_key/spki_sha256" },
	{ "key-generated", "CKA_LOCAL", "read_back/private/CKA_LOCAL" },
	{ "key-generated", "CKA_ALWAYS_SENSITIVE", "read_back/private/CKA_ALWAYS_SENSITIVE" },
	{ "key-generated", "CKA_NEVER_EXTRACTABLE", "read_back/private/CKA_NEVER_EXTRACTABLE" },
	{ "certificate-signed", "subject", "certificate/subject" },
	{ "certificate-signed", "issuer", "certificate/issuer" },
	{ "certificate-signed", "serial", "certificate/serial" },
	{ "certificate-signed", "not before", "certificate/not_before" },
	{ "certificate-signed", "not after", "certificate/not_after" },
	{ "certificate-signed", "signature algorithm", "certificate/signature_algorithm" },
	{ "certificate-signed", "key SPKI SHA-256", "certificate/public_key/spki_sha256" },
	{ "certificate-signed", "SHA-256 fingerprint", "certificate/sha256" },
	{ "certificate-signed", "TBS SHA-256", "signing/tbs_sha256" },
	{ "certificate-signed", "mechanism", "signing/mechanism" },
	{ "certificate-signed", "signature verified", "signing/signature_verified" },
	{ "csr-signed", "subject", "subject" },
	{ "csr-signed", "key", "public_key/algorithm" },
	{ "csr-signed", "key SPKI SHA-256", "public_key/spki_sha256" },
	{ "csr-signed", "TBS SHA-256", "signing/tbs_sha256" },
	{ "csr-signed", "mechanism", "signing/mechanism" },
	{ "csr-signed", "signature verified", "signing/signature_verified" },
	{ "key-found", "label", "label" },
	{ "key-found", "token", "token" },
	{ "key-found", "CKA_ID", "id" },
	{ "key-found", "matches", "matches" },
	{ "key-found", "SPKI SHA-256", "spki_sha256" },
	{ "token-lock", "token", "token" },
	{ "token-lock", "lock file", "lock_file" },
	{ "key-created", "step", "step" },
	{ "key-created", "token", "token" },
	{ "key-created", "label", "label" },
	{ "key-created", "CKA_ID", "id" },
	{ "key-destroyed", "step", "step" },
	{ "key-destroyed", "token", "token" },
	{ "key-destroyed", "label", "label" },
	{ "key-destroyed", "CKA_ID", "id" },
	{ "key-destroyed", "why", "why" },
	{ "key-refused", "step", "step" },
	{ "key-refused", "token", "token" },
	{ "key-refused", "label", "label" },
	{ "key-refused", "CKA_ID", "id" },
	{ "key-refused", "why", "why" },
	{ "key-refused", "not destroyed", "destroy_error" },
	{ "crl-signed", "step", "step" },
	{ "crl-signed", "scope", "scope" },
	{ "crl-signed", "issuer", "crl/issuer" },
	{ "crl-signed", "CRL number", "crl/number" },
	{ "crl-signed", "thisUpdate", "crl/this_update" },
	{ "crl-signed", "nextUpdate", "crl/next_update" },
	{ "crl-signed", "entries", "crl/entries" },
	{ "crl-signed", "entries SHA-256", "crl/entries_sha256" },
	{ "crl-signed", "signature algorithm", "crl/signature_algorithm" },
	{ "crl-signed", "SHA-256", "crl/sha256" },
	{ "crl-signed", "TBS SHA-256", "signing/tbs_sha256" },
	{ "crl-signed", "mechanism", "signing/mechanism" },
	{ "crl-signed", "signature verified", "signing/signature_verified" },
	{ "ocsp-responses-signed", "step", "step" },
	{ "ocsp-responses-signed", "responses", "count" },
	{ "ocsp-responses-signed", "complete", "complete" },
	{ "ocsp-responses-signed", "status", "status" },
	{ "ocsp-responses-signed", "revoked at", "revocation/date" },
	{ "ocsp-responses-signed", "reason", "revocation/reason" },
	{ "ocsp-responses-signed", "thisUpdate", "this_update" },
	{ "ocsp-responses-signed", "nextUpdate", "next_update" },
	{ "ocsp-responses-signed", "producedAt", "produced_at" },
	{ "ocsp-responses-signed", "issuer", "issuer/subject" },
	{ "ocsp-responses-signed", "responder", "responder/subject" },
	{ "ocsp-responses-signed", "signing key", "key_label" },
	{ "ocsp-responses-signed", "mechanism", "signing/mechanism" },
	{ "ocsp-responses-signed", "signature verified", "signing/signature_verified" },
	{ "output", "kind", "kind" },
	{ "output", "path", "path" },
	{ "output", "SHA-256", "sha256" },
	{ "step-end", "status", "status" },
	{ "error", "code", "code" },
	{ "error", "message", "message" },
	{ "end", "status", "status" },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))


static const char css[] =
    "@page{margin:14mm 15mm}\n"
    "body{font:10pt/1.35 'DejaVu Sans',Arial,sans-serif;color:#000;max-width:180mm;"
    "margin:8mm auto}\n"
    "@media print{body{margin:0 auto}}\n"
    "h1{font-size:15pt;margin:0 0 1mm}\n"
    "h2{font-size:12.5pt;border-bottom:1.5pt solid #000;margin:6mm 0 2mm;break-after:avoid}\n"
    "h3{font-size:10.5pt;margin:3mm 0 1mm;break-after:avoid}\n"
    ".meta{font-weight:normal;color:#444;font-size:8.5pt}\n"
    ".ev,.digest,.witness{break-inside:avoid}\n"
    "table{border-collapse:collapse;width:100%}\n"
    "th{text-align:left;font-weight:normal;color:#333;width:42mm;vertical-align:top;"
    "padding:.4mm 2mm .4mm 0}\n"
    "td{vertical-align:top;padding:.4mm 0;overflow-wrap:anywhere}\n"
    "code{font:9pt 'DejaVu Sans Mono',monospace}\n"
    ".digest code{font-size:11pt}\n"
    ".digest{border:2pt solid #000;padding:3mm;margin:2mm 0}\n"
    ".words{font-size:12pt;margin:1mm 0}\n"
    ".warn{border:2pt solid #000;padding:2mm;font-weight:bold}\n"
    ".witnesses{display:grid;grid-template-columns:1fr 1fr 1fr;gap:3mm}\n"
    ".witness{border:1pt solid #000;padding:2mm 3mm}\n"
    ".line{border-bottom:.5pt solid #000;height:6mm;font-size:7.5pt;color:#444}\n"
    ".summary{font-size:8.5pt;line-height:1.25}\n"
    ".summary p{margin:1mm 0}\n"
    ".summary h2{font-size:11pt;margin:3mm 0 1mm}\n"
    ".summary h3{font-size:9.5pt;margin:2.5mm 0 .5mm}\n"
    ".summary .digest{padding:2mm 3mm;margin:1mm 0}\n"
    ".summary .words{font-size:10.5pt}\n"
    ".summary ul{margin:.5mm 0;padding-left:5mm}\n"
    ".sum th,.sum td{border-top:.5pt solid #999;padding:.4mm 1.5mm .2mm 0;width:auto}\n"
    ".sum th{font-weight:bold;color:#000}\n"
    ".sum .fp{border-top:none;padding:0 0 .3mm 3mm;font-size:7.5pt}\n"
    ".sum code{font-size:7.5pt}\n"
    ".appendix{break-before:page}\n";

/*
 * Text as HTML character data or attribute value: controls and
 * bidirectional overrides first made visible (cer_escape), as a browser
 * would otherwise reorder the text around them.
 */
static void
html_escape(FILE *f, const char *s)
{
	char *e = NULL;
	const char *p;

	if (cer_escape(s, strlen(s), 0, &e) != CER_OK) {
		fputs("(out of memory)", f);
		return;
	}
	for (p = e; *p != '\0'; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*p, f);
		}
	}
	free(e);
}

/* Anything read from the transcript, for a terminal or a page: never raw. */
void
cer_tsshow_put(struct cer_tsshow_out *o, const char *s)
{
	if (o->html)
		html_escape(o->f, s);
	else
		cer_fputs_safe(o->f, s);
}

static void
event_close(struct cer_tsshow_out *o)
{
	if (o->html && o->open)
		fputs("</table></div>\n", o->f);
	o->open = 0;
}

void
cer_tsshow_section(struct cer_tsshow_out *o, const char *title)
{
	event_close(o);
	fputs(o->html ? "<h2>" : "\n", o->f);
	cer_tsshow_put(o, title);
	fputs(o->html ? "</h2>\n" : "\n", o->f);
	if (!o->html)
		fprintf(o->f, "%.*s\n", (int)strlen(title), "========================================"
		    "========================================");
}

static void
event_open(struct cer_tsshow_out *o, const char *title, const json_t *rec)
{
	event_close(o);
	fprintf(o->f, o->html ? "<div class=\"ev\"><h3>" : "\n  ");
	cer_tsshow_put(o, title);
	fprintf(o->f, o->html ? " <span class=\"meta\">#%" JSON_INTEGER_FORMAT " " :
	    "  [#%" JSON_INTEGER_FORMAT " ", json_integer_value(json_object_get(rec, "seq")));
	cer_tsshow_put(o, cer_tsshow_text_of(rec, "time"));
	fputs(o->html ? "</span></h3><table>\n" : "]\n", o->f);
	o->open = 1;
}

/* Hex digests and IDs are set in a monospaced face, where they are compared. */
int
cer_tsshow_is_hex(const char *s)
{
	size_t n = 0;

	for (; isxdigit((unsigned char)s[n]); n++)
		;
	return s[n] == '\0' && n >= 16;
}

static void
row(struct cer_tsshow_out *o, const char *label, const char *value)
{
	if (!o->html) {
		fputs("      ", o->f);
		cer_fputs_safe(o->f, label);
		fprintf(o->f, "%*s ", strlen(label) < 22 ? (int)(22 - strlen(label)) : 0, "");
		cer_fputs_safe(o->f, value);
		fputc('\n', o->f);
		return;
	}
	fputs("<tr><th>", o->f);
	html_escape(o->f, label);
	fputs(cer_tsshow_is_hex(value) ? "</th><td><code>" : "</th><td>", o->f);
	html_escape(o->f, value);
	fputs(cer_tsshow_is_hex(value) ? "</code></td></tr>\n" : "</td></tr>\n", o->f);
}

static void
add(char *buf, size_t n, const char *sep, const char *s)
{
	size_t used = strlen(buf);

	if (used < n)
		snprintf(buf + used, n - used, "%s%s", used > 0 ? sep : "", s);
}

static json_t *
first_string(json_t *obj)
{
	const char *k;
	json_t *m;

	json_object_foreach(obj, k, m)
		if (json_is_string(m))
			return m;
	return NULL;
}

/*
 * A value as one line: scalars as they are; an array as its elements (an
 * object element by its first string, e.g. a mechanism's name); an
 * object as "key: value" for its scalar members.
 */
/* The element of array a at index i, as value_str shows it (an object by its first string). */
static const json_t *
shown(const json_t *a, size_t i)
{
	json_t *m = json_array_get(a, i);

	return json_is_object(m) ? first_string(m) : m;
}

/* Whether an element of a before index i shows as m does. */
static int
seen_before(const json_t *a, size_t i, const json_t *m)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (shown(a, j) != NULL && json_equal((json_t *)shown(a, j), (json_t *)m))
			return 1;
	return 0;
}

/* "(3 times)" when m shows more than once in a, else NULL. */
static const char *
times(const json_t *a, const json_t *m)
{
	static char buf[32];
	size_t j, k = 0;

	for (j = 0; j < json_array_size(a); j++)
		k += shown(a, j) != NULL && json_equal((json_t *)shown(a, j), (json_t *)m);
	if (k < 2)
		return NULL;
	snprintf(buf, sizeof(buf), "(%zu times)", k);
	return buf;
}

static const char *
value_str(const json_t *v, char *buf, size_t n)
{
	char sub[256], kv[512];
	const char *k;
	json_t *m;
	size_t i;

	buf[0] = '\0';
	if (v == NULL)
		return "(none)";
	switch (json_typeof(v)) {
	case JSON_STRING: return json_string_value(v);
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	case JSON_NULL: return "(none)";
	case JSON_INTEGER:
		snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf;
	case JSON_REAL:
		snprintf(buf, n, "%g", json_real_value(v));
		return buf;
	case JSON_ARRAY:
		/* each value once, with how often it comes when more than once (mechanisms) */
		json_array_foreach(v, i, m) {
			if (json_is_object(m))
				m = first_string(m);
			if (m == NULL || json_is_array(m) || seen_before(v, i, m))
				continue;
			snprintf(kv, sizeof(kv), "%s", value_str(m, sub, sizeof(sub)));
			if ((k = times(v, m)) != NULL)
				snprintf(kv + strlen(kv), sizeof(kv) - strlen(kv), " %s", k);
			add(buf, n, ", ", kv);
		}
		return buf;
	case JSON_OBJECT:
		json_object_foreach((json_t *)v, k, m) {
			if (json_is_object(m) || json_is_array(m))
				continue;
			snprintf(kv, sizeof(kv), "%s: %s", k, value_str(m, sub, sizeof(sub)));
			add(buf, n, "; ", kv);
		}
		return buf;
	}
	return buf;
}

/* data member at a "a/b/c" path, or NULL. */
const json_t *
cer_tsshow_lookup(const json_t *data, const char *path)
{
	char p[128], *tok, *save = NULL;

	snprintf(p, sizeof(p), "%s", path);
	for (tok = strtok_r(p, "/", &save); tok != NULL && data != NULL;
	    tok = strtok_r(NULL, "/", &save))
		data = json_object_get(data, tok);
	return data;
}

/* An event the tables do not know: its scalar members, one level deep; never PEM or script text. */
static void
generic_rows(struct cer_tsshow_out *o, const json_t *data, const char *prefix)
{
	char buf[1024], label[128];
	const char *k, *s;
	json_t *m;

	json_object_foreach((json_t *)data, k, m) {
		snprintf(label, sizeof(label), "%s%s", prefix, k);
		if (json_is_object(m) && *prefix == '\0') {
			snprintf(label, sizeof(label), "%s/", k);
			generic_rows(o, m, label);
		} else if (!json_is_object(m)) {
			s = value_str(m, buf, sizeof(buf));
			if (strchr(s, '\n') == NULL)
				row(o, label, s);
		}
	}
}

/*
 * A string member, or "?": the checker verifies the chain and the records
 * it relies on, not every member of every event, and a transcript is
 * untrusted input.
 */
const char *
cer_tsshow_text_of(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s != NULL ? s : "?";
}

/*
 * A rule that reads the signature, on a copy signed by a throwaway key (the
 * plan and pre-issuance stages): it cannot apply there, and runs after
 * signing.  In the plan stage, also the rule that checks the delegated OCSP
 * responder's signature: the rehearsal's responder has a throwaway's.
 */
static int
not_at_stage(const json_t *data, const json_t *v)
{
	static const char *const signature_rules[] = { "cert.signature", "crl.signature",
	    "ocsp.profile", NULL };
	const char *rule = cer_tsshow_text_of(v, "rule"), *stage = cer_tsshow_text_of(data, "stage");
	size_t i;

	if (strcmp(cer_tsshow_text_of(v, "verdict"), "skipped") != 0 ||
	    strcmp(stage, "post-issuance") == 0)
		return 0;
	for (i = 0; signature_rules[i] != NULL; i++)
		if (strcmp(rule, signature_rules[i]) == 0)
			return 1;
	return strcmp(rule, "ocsp.authorized_signer") == 0 && strcmp(stage, "plan") == 0;
}

/*
 * The rules that did not pass, each with its verdict; the rest passed.  A
 * rule that cannot apply at this stage, or to an artefact of this date, is
 * shown as not applicable, not as a skipped error.
 */
static void
lint_rows(struct cer_tsshow_out *o, const json_t *data)
{
	const json_t *v, *skip;
	char buf[1024], na[1024] = "";
	size_t i;

	json_array_foreach(json_object_get(data, "verdicts"), i, v) {
		if (strcmp(cer_tsshow_text_of(v, "verdict"), "pass") == 0)
			continue;
		if (not_at_stage(data, v)) {
			row(o, cer_tsshow_text_of(v, "rule"), strcmp(cer_tsshow_text_of(v, "rule"),
			    "ocsp.authorized_signer") == 0 ? "not applicable at this stage: the "
			    "rehearsal's responder certificate is signed by a throwaway key; the real "
			    "one is checked before signing (pre-issuance)" : "not applicable at this "
			    "stage: this copy is signed by a throwaway key; the HSM's signature is "
			    "checked after signing (post-issuance)");
			continue;
		}
		if (strcmp(cer_tsshow_text_of(v, "verdict"), "not-applicable") == 0) {
			add(na, sizeof(na), ", ", cer_tsshow_text_of(v, "rule"));
			continue;
		}
		snprintf(buf, sizeof(buf), "%s %s (%s): %s", cer_tsshow_text_of(v, "verdict"),
		    cer_tsshow_text_of(v, "severity"), cer_tsshow_text_of(v, "citation"), cer_tsshow_text_of(v, "message"));
		row(o, cer_tsshow_text_of(v, "rule"), buf);
	}
	if (na[0] != '\0')
		row(o, "not applicable", na);
	json_array_foreach(json_object_get(data, "skipped"), i, skip)
		row(o, "skip reason", value_str(json_object_get(skip, "reason"), buf, sizeof(buf)));
	snprintf(buf, sizeof(buf), "%zu", json_array_size(json_object_get(data, "verdicts")));
	row(o, "rules run", buf);
}

static void
show_record(struct cer_tsshow_out *o, const json_t *rec)
{
	const char *event = json_string_value(json_object_get(rec, "event")), *title = event;
	const json_t *data = json_object_get(rec, "data"), *v;
	char buf[2048], head[256];
	size_t i;
	int known = 0;

	if (strcmp(event, "step-begin") == 0) {
		snprintf(head, sizeof(head), "Step %s (%s)", cer_tsshow_text_of(data, "step"),
		    cer_tsshow_text_of(data, "ceremony_type"));
		cer_tsshow_section(o, head);
		title = "Step begin";
	}
	for (i = 0; i < NELEM(titles); i++)
		if (strcmp(titles[i].event, event) == 0)
			title = titles[i].title;
	if (strcmp(event, "end") == 0)
		cer_tsshow_section(o, "End");
	event_open(o, title, rec);
	for (i = 0; i < NELEM(fields); i++) {
		if (strcmp(fields[i].event, event) != 0)
			continue;
		known = 1;
		/* a member without a value (an RSA key's curve) gets no row */
		if ((v = cer_tsshow_lookup(data, fields[i].path)) != NULL && !json_is_null(v) &&
		    (!json_is_string(v) || json_string_length(v) > 0))
			row(o, fields[i].label, value_str(v, buf, sizeof(buf)));
	}
	if (!known && json_is_object(data))
		generic_rows(o, data, "");
	if (strcmp(event, "lint") == 0)
		lint_rows(o, data);
	event_close(o);
}

static void
html_head(struct cer_tsshow_out *o, const struct cer_tscheck *t)
{
	const json_t *data = json_object_get(cer_tscheck_record(t, 0), "data");
	const char *name = json_string_value(json_object_get(data, "ceremony"));
	const char *h = json_string_value(json_object_get(data, "hierarchy"));

	fprintf(o->f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	    "<title>Witness record: ");
	html_escape(o->f, name != NULL ? name : cer_tscheck_path(t));
	/* the hierarchy in the title: page 1 has no line to spare (tsshow-sum.c) */
	fprintf(o->f, "</title>\n<style>\n%s</style></head><body>\n<h1>Key ceremony witness "
	    "record%s</h1>\n<p>", css, h == NULL ? "" : strcmp(h, "private") == 0 ?
	    ": PRIVATE hierarchy" : ": public TLS hierarchy");
	html_escape(o->f, name != NULL ? name : "");
	fputs("<br>Transcript <code>", o->f);
	html_escape(o->f, cer_tscheck_path(t));
	fprintf(o->f, "</code>, %zu records; hash chain, signatures and recorded hashes "
	    "verified by <code>ceremony transcript show</code>.</p>\n", cer_tscheck_count(t));
}

static void
incomplete_note(struct cer_tsshow_out *o, const struct cer_tscheck *t)
{
	char msg[200];

	snprintf(msg, sizeof(msg), "INCOMPLETE: the transcript ends after record #%zu without "
	    "an 'end' record (truncated, or the run was killed).", cer_tscheck_count(t) - 1);
	fputs(o->html ? "<p class=\"warn\">" : "\n", o->f);
	cer_tsshow_put(o, msg);
	fputs(o->html ? "</p>\n" : "\n", o->f);
}

void
cer_tsshow_write(const struct cer_tscheck *t, int complete, FILE *f, int html)
{
	struct cer_tsshow_out o = { .f = f, .html = html };
	size_t i;

	if (html)
		html_head(&o, t);
	else
	{
		fputs("Ceremony transcript ", f);
		cer_fputs_safe(f, cer_tscheck_path(t));
		fprintf(f, ": %zu records, verified\n", cer_tscheck_count(t));
	}
	cer_tsshow_summary(&o, t, complete);
	if (html)
		fputs("<h2 class=\"appendix\">Appendix: every record, in order</h2>\n", f);
	else
		cer_tsshow_section(&o, "Appendix: every record, in order");
	if (!complete)
		incomplete_note(&o, t);
	for (i = 0; i < cer_tscheck_count(t); i++)
		show_record(&o, cer_tscheck_record(t, i));
	if (!complete)
		incomplete_note(&o, t);
	if (html)
		fputs("</body></html>\n", f);
	else
		cer_tsshow_digest(&o, t);
}

int
cer_tsshow_run(const char *path, int html)
{
	struct cer_tscheck_opts opts = { 0 };
	struct cer_tscheck_summary sum;
	struct cer_tscheck *t = NULL;
	int r = CER_ERR_INTERNAL;

	if ((r = cer_tscheck_open(path, &opts, &t, &sum)) != CER_OK)
		goto out;
	cer_tsshow_write(t, sum.complete, stdout, html);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		r = cer_fail(CER_ERR_SYSTEM, "cannot write to standard output");
		goto out;
	}
	r = CER_OK;
 out:
	cer_tscheck_free(t);
	return r;
}
