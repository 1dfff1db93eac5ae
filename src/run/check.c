/* check.c: `ceremony check`: the validation phase, and the plan a reviewer signs off. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "run/ceremony.h"
#include "run/steplint.h"
#include "script/script.h"
#include "run/tokens.h"
#include "run/validate.h"
#include "steps/step.h"
#include "x509/sign.h"

static void
print_token(const struct cer_script *s, size_t i)
{
	const struct cer_token_spec *t = &s->tokens[i];

	if (t->module == NULL) {
		printf("token %s: a role for a site file to place (--site)\n", t->name);
		return;
	}
	printf("token %s: module %s, ", t->name, t->module);
	if (t->has_slot)
		printf("slot ID %lu", t->slot);
	else if (t->token_label != NULL)
		printf("token-label '%s'", t->token_label);
	else if (t->token_serial != NULL)
		printf("token-serial '%s'", t->token_serial);
	else
		printf("uri %s", t->uri);
	printf(", PIN from %s%s%s\n", cer_tokens_pin_kind(t), t->from != NULL ? "; from " : "",
	    t->from != NULL ? t->from : "");
}

/* What the rehearsal's certificate of step id carries, one extension a line. */
static void
print_contents(const json_t *lint, const char *id)
{
	const json_t *rec, *line;
	size_t i, j;

	json_array_foreach(lint, i, rec) {
		if (strcmp(json_string_value(json_object_get(rec, "step")), id) != 0)
			continue;
		json_array_foreach(json_object_get(rec, "contents"), j, line)
			printf("    carries %s\n", json_string_value(line));
	}
}

/* One line per step (its type says what it will do), what it carries, its skips and outputs. */
static void
print_step(const struct cer_script *s, const struct cer_plan *plan, const json_t *lint, size_t i)
{
	const struct cer_step_impl *impl = cer_step_impl(s->steps[i].type);
	const struct cer_step *st = &s->steps[i];
	const char *effect, *rule;
	size_t j;

	printf("step %zu %s (%s):", i + 1, st->id, cer_step_type_name(st->type));
	if (st->key.present && st->signing_key == CER_NO_INDEX) {
		if (st->key.type == CER_KEY_RSA)
			printf(" generate an RSA-%u key", st->key.rsa_bits);
		else if (st->key.type == CER_KEY_EC)
			printf(" generate an ECDSA %s key", cer_curve_name(st->key.curve));
		else
			printf(" generate an Ed25519 key");
		printf(" '%s' on token %s;", st->label, s->tokens[st->token].name);
	}
	if (impl->print != NULL)
		impl->print(s, plan, i);
	printf("\n");
	print_contents(lint, st->id);
	if (st->profile.policy_url != NULL)
		printf("    follows the CPS profile %s\n", st->profile.policy_url);
	for (j = 0; j < st->nskip_lints; j++) {
		effect = cer_steplint_skip_effect(s, st->skip_lints[j].name, &rule);
		printf("    skips lint %s%s%s%s%s (%s)\n", st->skip_lints[j].name,
		    rule != NULL && strcmp(rule, st->skip_lints[j].name) != 0 ? " = " : "",
		    rule != NULL && strcmp(rule, st->skip_lints[j].name) != 0 ? rule : "",
		    st->skip_lints[j].reason != NULL ? ": " : "",
		    st->skip_lints[j].reason != NULL ? st->skip_lints[j].reason : "", effect);
	}
	for (j = 0; j < st->noutputs; j++)
		printf("    writes %s\n", st->outputs[j].path);
	if (st->pkcs11_config != NULL)
		printf("    writes %s (Boulder's pkcs11 config: the module, the key label and "
		    "the PIN in clear, mode 0600, not hashed)\n", st->pkcs11_config);
	if (plan->steps[i].unplanned)
		printf("    not planned or rehearsed here: its inputs are not on this machine\n");
}

/*
 * What the rehearsal linted, by kind ("2 certificates, a CRL and an OCSP
 * response"), or nothing when the script signs nothing (a key ceremony).
 */
static void
print_rehearsed(const json_t *lint, size_t unplanned, size_t notices, const char *when, int at)
{
	static const char *const kinds[][3] = { { "crl", "a CRL", "CRLs" },
	    { "ocsp-response", "an OCSP response", "OCSP responses" },
	    { NULL, "a certificate", "certificates" } };
	size_t n[3] = { 0, 0, 0 }, i, k, shown = 0, total = 0;
	const char *p;
	const json_t *rec;

	json_array_foreach(lint, i, rec) {
		p = json_string_value(json_object_get(rec, "profile"));
		for (k = 0; kinds[k][0] != NULL && (p == NULL || strcmp(p, kinds[k][0]) != 0); k++)
			;
		n[k]++;
		total++;
	}
	if (total == 0 && unplanned == 0)
		return;
	printf("lint: ");
	for (i = 0; i < 3; i++) {
		k = (i + 2) % 3;	/* certificates, then CRLs, then OCSP responses */
		if (n[k] == 0)
			continue;
		if (shown > 0)
			printf(shown + 1 == (size_t)((n[0] > 0) + (n[1] > 0) + (n[2] > 0)) ? " and " : ", ");
		if (n[k] == 1)
			printf("%s", kinds[k][1]);
		else
			printf("%zu %s", n[k], kinds[k][2]);
		shown++;
	}
	if (total > 0)
		printf(" rehearsed with throwaway keys and linted clean as of %s%s", when,
		    at ? " (--at)" : "");
	if (notices > 0)
		printf(" (%zu notice%s above)", notices, notices == 1 ? "" : "s");
	if (unplanned > 0)
		printf("%s%zu step%s not rehearsed (inputs not on this machine)", total > 0 ? "; " :
		    "", unplanned, unplanned == 1 ? "" : "s");
	printf("\n");
}

/*
 * The notices the rehearsal's lint found: they never stop a ceremony, and
 * the transcript records them, so the reviewer reads them here rather than
 * only "linted clean".  How many there were.
 */
static size_t
print_notices(const json_t *lint)
{
	const json_t *rec, *v;
	size_t i, j, n = 0;

	json_array_foreach(lint, i, rec)
		json_array_foreach(json_object_get(rec, "verdicts"), j, v) {
			if (!cer_steplint_is_notice(v))
				continue;
			if (n++ == 0)
				printf("notices (recorded in the transcript; they do not stop the "
				    "ceremony):\n");
			printf("  step %s: %s (%s): %s\n", json_string_value(json_object_get(rec,
			    "step")), json_string_value(json_object_get(v, "rule")),
			    json_string_value(json_object_get(v, "citation")),
			    json_string_value(json_object_get(v, "message")));
		}
	return n;
}

/* What this machine lacks to run the script; ceremony check --ready makes it an error. */
static void
print_not_ready(const json_t *notready)
{
	size_t i;
	json_t *v;

	if (json_array_size(notready) == 0)
		return;
	printf("not ready on this machine (a run here would stop; check --ready makes these "
	    "errors):\n");
	json_array_foreach(notready, i, v)
		printf("  %s\n", json_string_value(v));
}

void
cer_ceremony_print_plan(const struct cer_script *s, const struct cer_plan *plan,
    const json_t *notready, const json_t *lint)
{
	size_t i;

	if (s->name != NULL)
		printf("ceremony: %s\n", s->name);
	printf("hierarchy: %s\n", cer_script_hierarchy_text(cer_script_hierarchy(s)));
	for (i = 0; i < s->ntokens; i++)
		if (cer_script_token_used(s, i))
			print_token(s, i);
	for (i = 0; i < s->nsteps; i++)
		print_step(s, plan, lint, i);
	print_not_ready(notready);
}

/* "PATH: valid ..., SHA-256 ..." for the script, and the same for its site file. */
static int
print_files(const struct cer_script *s, const struct cer_site *site)
{
	char *hex = NULL;
	int r;

	if ((r = cer_sha256_hex(s->text, s->text_len, &hex)) != CER_OK)
		return r;
	printf("%s: valid %s, %zu step%s, SHA-256 %s\n", s->path,
	    s->boulder ? "Boulder config" : "ceremony script", s->nsteps,
	    s->nsteps == 1 ? "" : "s", hex);
	free(hex);
	hex = NULL;
	if (site == NULL)
		return CER_OK;
	if ((r = cer_sha256_hex(site->doc->text, site->doc->text_len, &hex)) != CER_OK)
		return r;
	printf("%s: valid site file%s%s, SHA-256 %s\n", site->doc->path,
	    site->doc->name != NULL ? ", " : "", site->doc->name != NULL ? site->doc->name : "",
	    hex);
	free(hex);
	return CER_OK;
}

int
cer_ceremony_check(const struct cer_options *opt)
{
	struct cer_script *s = NULL;
	struct cer_site *site = NULL;
	struct cer_plan *plan = NULL;
	json_t *lint = NULL, *notready = NULL;
	char *tpath = NULL, when[21];
	const char *transcript;
	size_t i, unplanned = 0;
	int r = CER_ERR_INTERNAL;

	if ((r = cer_ceremony_load(opt, &s, &site)) != CER_OK ||
	    (r = cer_validate_transcript_path(s->path, &tpath)) != CER_OK)
		goto out;
	if (!opt->ready && (notready = json_array()) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	transcript = opt->transcript_path != NULL ? opt->transcript_path : tpath;
	if ((r = cer_validate(s, transcript, NULL, opt->has_at ? opt->at : time(NULL), notready,
	    &plan, &lint)) != CER_OK || (r = print_files(s, site)) != CER_OK)
		goto out;
	cer_ceremony_print_plan(s, plan, NULL, lint);
	for (i = 0; i < s->nsteps; i++)
		unplanned += plan->steps[i].unplanned;
	cer_time_str(opt->has_at ? opt->at : time(NULL), when);
	print_rehearsed(lint, unplanned, print_notices(lint), when, opt->has_at);
	print_not_ready(notready);
	printf("transcript: %s\nno HSM was opened; nothing was written\n", transcript);
	r = CER_OK;
 out:
	cer_plan_free(plan);
	json_decref(lint);
	json_decref(notready);
	cer_sign_forget();
	cer_script_free(s);
	cer_site_free(site);
	free(tpath);
	return r;
}
