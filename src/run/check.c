/* check.c: `ceremony check`: the validation phase, and the plan a reviewer signs off. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/util.h"
#include "run/ceremony.h"
#include "script/script.h"
#include "run/tokens.h"
#include "run/validate.h"
#include "steps/step.h"
#include "x509/sign.h"

static void
print_token(const struct cer_script *s, size_t i)
{
	const struct cer_token_spec *t = &s->tokens[i];

	printf("token %s: module %s, ", t->name, t->module);
	if (t->has_slot)
		printf("slot ID %lu", t->slot);
	else if (t->token_label != NULL)
		printf("token-label '%s'", t->token_label);
	else if (t->token_serial != NULL)
		printf("token-serial '%s'", t->token_serial);
	else
		printf("uri %s", t->uri);
	printf(", PIN from %s\n", cer_tokens_pin_kind(t));
}

/* One line per step (its type says what it will do), then its skips and its outputs. */
static void
print_step(const struct cer_script *s, const struct cer_plan *plan, size_t i)
{
	const struct cer_step_impl *impl = cer_step_impl(s->steps[i].type);
	const struct cer_step *st = &s->steps[i];
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
	for (j = 0; j < st->nskip_lints; j++)
		printf("    skips lint %s%s%s\n", st->skip_lints[j].name,
		    st->skip_lints[j].reason != NULL ? ": " : "",
		    st->skip_lints[j].reason != NULL ? st->skip_lints[j].reason : "");
	for (j = 0; j < st->noutputs; j++)
		printf("    writes %s\n", st->outputs[j].path);
}

int
cer_ceremony_check(const struct cer_options *opt)
{
	unsigned char d[CER_SHA256_LEN];
	struct cer_script *s = NULL;
	struct cer_plan *plan = NULL;
	json_t *lint = NULL;
	char *tpath = NULL, *hex = NULL, when[21];
	const char *transcript;
	size_t i;
	int r = CER_ERR_INTERNAL;

	if ((r = cer_script_load(opt->script_path, &s)) != CER_OK ||
	    (r = cer_validate_transcript_path(s->path, &tpath)) != CER_OK)
		goto out;
	transcript = opt->transcript_path != NULL ? opt->transcript_path : tpath;
	if ((r = cer_validate(s, transcript, NULL, opt->has_at ? opt->at : time(NULL), &plan,
	    &lint)) != CER_OK ||
	    (r = cer_sha256(s->text, s->text_len, d)) != CER_OK ||
	    (r = cer_hex(d, sizeof(d), &hex)) != CER_OK)
		goto out;
	printf("%s: valid %s, %zu step%s, SHA-256 %s\n", s->path,
	    s->boulder ? "Boulder config" : "ceremony script", s->nsteps,
	    s->nsteps == 1 ? "" : "s", hex);
	if (s->name != NULL)
		printf("ceremony: %s\n", s->name);
	for (i = 0; i < s->ntokens; i++)
		if (cer_script_token_used(s, i))
			print_token(s, i);
	for (i = 0; i < s->nsteps; i++)
		print_step(s, plan, i);
	cer_time_str(opt->has_at ? opt->at : time(NULL), when);
	printf("lint: %zu certificate%s rehearsed with throwaway keys and linted clean as of %s%s\n",
	    json_array_size(lint), json_array_size(lint) == 1 ? "" : "s", when,
	    opt->has_at ? " (--at)" : "");
	printf("transcript: %s\nno HSM was opened; nothing was written\n", transcript);
	r = CER_OK;
 out:
	cer_plan_free(plan);
	json_decref(lint);
	cer_sign_throwaway_free();
	cer_script_free(s);
	free(tpath);
	free(hex);
	return r;
}
