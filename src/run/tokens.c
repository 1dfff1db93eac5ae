/*
 * tokens.c: the second phase of a run: every token the script uses opened
 * and logged in to, every label to be generated checked free, every
 * signing key found, every mechanism checked, before any key is made; and,
 * when resuming, what the interrupted run made found again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/pem.h>

#include "run/pin.h"
#include "run/tokens.h"
#include "run/validate.h"
#include "steps/step.h"
#include "x509/profile.h"
#include "x509/sign.h"

static int
module_for(struct cer_ctx *ctx, const char *path, struct cer_hsm **out)
{
	struct cer_module *m;
	json_t *desc = NULL;
	size_t i;
	int r;

	for (i = 0; i < ctx->nmodules; i++)
		if (strcmp(ctx->modules[i].path, path) == 0) {
			*out = ctx->modules[i].hsm;
			return CER_OK;
		}
	m = &ctx->modules[ctx->nmodules];
	if ((m->path = strdup(path)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	ctx->nmodules++;
	if ((r = cer_hsm_load(path, &m->hsm)) != CER_OK ||
	    (r = cer_hsm_describe(m->hsm, &desc)) != CER_OK ||
	    (r = cer_ctx_record(ctx, "module", desc)) != CER_OK)
		return r;
	*out = m->hsm;
	return CER_OK;
}

const char *
cer_tokens_pin_kind(const struct cer_token_spec *t)
{
	if (t->pin_literal)
		return "literal";
	if (t->pin == NULL || strcmp(t->pin, "prompt") == 0)
		return "prompt";
	return t->pin;		/* file:PATH, env:NAME, fd:N: where, never what */
}

/*
 * PINs read in this run, by source: a variable is unset and a descriptor
 * closed once read, so two tokens that name the same env: or fd: source
 * share what the first read.  Wiped when every token is logged in.
 */
struct pins {
	const char **spec;
	char **pin;
	size_t *len;
	size_t n;
};

static int
shared_source(const struct cer_token_spec *t)
{
	return !t->pin_literal && t->pin != NULL && (strncmp(t->pin, "env:", 4) == 0 ||
	    strncmp(t->pin, "fd:", 3) == 0);
}

/* The PIN of t (the selected tok): read from its source, or what a token with the same source read. */
static int
pin_for(struct pins *p, const struct cer_token_spec *t, const struct cer_token *tok,
    char **pin, size_t *len)
{
	size_t i;
	int r;

	*pin = NULL;
	*len = 0;
	for (i = 0; shared_source(t) && i < p->n; i++)
		if (strcmp(p->spec[i], t->pin) == 0) {
			if ((*pin = strdup(p->pin[i])) == NULL)
				return cer_fail(CER_ERR_ALLOC, "out of memory");
			*len = p->len[i];
			return CER_OK;
		}
	if ((r = cer_pin_read_for(t->pin, t->pin_literal, t->name, cer_hsm_token_label(tok),
	    cer_hsm_token_serial(tok), pin, len)) != CER_OK ||
	    !shared_source(t))
		return r;
	p->spec[p->n] = t->pin;
	if ((p->pin[p->n] = strdup(*pin)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	p->len[p->n++] = *len;
	return CER_OK;
}

static void
pins_clear(struct pins *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		cer_pin_free(p->pin[i], p->len[i]);
	free(p->spec);
	free(p->pin);
	free(p->len);
	memset(p, 0, sizeof(*p));
}

static int
login(struct cer_ctx *ctx, struct pins *pins, const struct cer_token_spec *t,
    struct cer_token *tok)
{
	const char *warning = NULL, *why = NULL;
	char *pin = NULL;
	size_t len = 0;
	int r;

	if (t->pin_literal) {
		why = cer_hsm_token_is_softhsm(tok) ? "SoftHSM rehearsal token" :
		    ctx->opt->allow_literal_pin ? "--allow-literal-pin" : NULL;
		if (why == NULL)
			return cer_fail(CER_ERR_PIN,
			    "token '%s' is not a SoftHSM rehearsal token, "
			    "so the literal PIN in the %s is refused; use pin: prompt, file:, "
			    "env: or fd:, or pass --allow-literal-pin", t->name,
			    t->from != NULL ? "site file" : "script");
	}
	if ((r = pin_for(pins, t, tok, &pin, &len)) == CER_OK)
		r = cer_hsm_login(tok, pin, len, &warning);
	cer_pin_free(pin, len);
	if (r != CER_OK)
		return r;
	if (warning != NULL)
		fprintf(stderr, "ceremony: warning: token '%s': %s\n", t->name, warning);
	return cer_ctx_record(ctx, "login", json_pack("{s:s, s:s, s:o, s:o}", "token", t->name,
	    "pin_source", cer_tokens_pin_kind(t), "literal_pin_allowed_because",
	    why != NULL ? json_string(why) : json_null(),
	    "warning", warning != NULL ? json_string(warning) : json_null()));
}

/* Puts a position in file in front of the current detail. */
static int
file_pos(const char *file, struct cer_pos pos, int r)
{
	if (r == CER_OK || pos.line == 0)
		return r;
	return cer_fail_prefix(r, "%s:%u:%u", file, pos.line, pos.col);
}

/* The same for a script position. */
static int
at_pos(const struct cer_script *s, struct cer_pos pos, int r)
{
	return file_pos(s->path, pos, r);
}

/*
 * "file:L:C: WHO: detail": the place the detail already starts with (a
 * more precise one: the label, the key), else pos.  WHO (the step or the
 * token) in front of a PKCS#11 error, and of a step's error that had no
 * place; never twice.
 */
static int
place_who(const char *file, struct cer_pos pos, const char *who, int step, int r)
{
	char detail[1024], place[300];
	const char *d = cer_err_detail(), *rest = d;
	size_t n = strlen(file), wn = strlen(who);
	unsigned line, col;
	int used = 0;

	if (r == CER_OK)
		return r;
	if (strncmp(d, file, n) == 0 && sscanf(d + n, ":%u:%u: %n", &line, &col, &used) == 2 &&
	    used > 0) {
		snprintf(place, sizeof(place), "%.*s", (int)(n + (size_t)used - 2), d);
		rest = d + n + used;
	} else if (pos.line != 0)
		snprintf(place, sizeof(place), "%s:%u:%u", file, pos.line, pos.col);
	else
		snprintf(place, sizeof(place), "%s", file);
	/* who for an HSM error, or (a step) where there was no place; others say whom they concern */
	if ((strncmp(rest, who, wn) == 0 && rest[wn] == ':') ||
	    (r != CER_ERR_PKCS11 && (rest != d || !step)))
		snprintf(detail, sizeof(detail), "%s: %s", place, rest);
	else
		snprintf(detail, sizeof(detail), "%s: %s: %s", place, who, rest);
	return cer_err_restore(r, detail);
}

int
cer_tokens_at_step(const struct cer_script *s, const struct cer_step *st, int r)
{
	char who[300];

	snprintf(who, sizeof(who), "step %s", st->id);
	return place_who(s->path, st->pos, who, 1, r);
}

int
cer_tokens_at_token(const char *file, const struct cer_token_spec *t, struct cer_pos pos,
    int r)
{
	char who[300];

	snprintf(who, sizeof(who), "token %s", t->name);
	return place_who(file, pos.line != 0 ? pos : t->pos, who, 0, r);
}

/*
 * The token lock (hsm.h), held from before the labels are checked until the
 * run ends: two ceremonies on one token never both find a label free.  In
 * /run/lock, the FHS place for lock files, shared by every user and every
 * output directory on the machine (/tmp where there is none); a lock in
 * the output directory or $XDG_RUNTIME_DIR would not see a run started
 * elsewhere or by another user.  Taken once per token, even when two
 * roles of the script name the same one.
 */
static int
lock_token(struct cer_ctx *ctx, size_t i)
{
	struct stat st;
	const char *dir = stat("/run/lock", &st) == 0 && S_ISDIR(st.st_mode) ? "/run/lock" : "/tmp";
	const char *path = NULL;
	size_t j;
	int r;

	for (j = 0; j < i; j++)
		if (ctx->tokens[j] != NULL && cer_hsm_token_same(ctx->tokens[j], ctx->tokens[i]))
			return CER_OK;
	if ((r = cer_hsm_token_lock(ctx->tokens[i], dir, &path)) != CER_OK)
		return r;
	return cer_ctx_record(ctx, "token-lock", json_pack("{s:s, s:s}", "token",
	    ctx->script->tokens[i].name, "lock_file", path));
}

static int
open_token(struct cer_ctx *ctx, struct pins *pins, size_t i)
{
	const struct cer_token_spec *t = &ctx->script->tokens[i];
	const char *file = cer_script_token_file(ctx->script, i);
	struct cer_token_select sel = { t->token_label, t->token_serial, t->uri, t->has_slot,
	    t->slot };
	struct cer_hsm *hsm = NULL;
	json_t *desc = NULL;
	int r;

	if ((r = cer_tokens_at_token(file, t, t->module_pos, module_for(ctx, t->module,
	    &hsm))) != CER_OK ||
	    (r = cer_tokens_at_token(file, t, t->selector_pos, cer_hsm_open_token(hsm, &sel,
	    &ctx->tokens[i]))) != CER_OK ||
	    (r = cer_tokens_at_token(file, t, t->selector_pos, lock_token(ctx, i))) != CER_OK)
		return r;
	if (ctx->opt->has_at && !cer_hsm_token_is_softhsm(ctx->tokens[i]))
		return cer_fail(CER_ERR_USAGE, "token '%s' is not a SoftHSM rehearsal token: "
		    "--at is for rehearsals; a ceremony lints against the clock", t->name);
	if ((r = cer_tokens_at_token(file, t, t->selector_pos,
	    cer_hsm_token_describe(ctx->tokens[i], &desc))) != CER_OK)
		return r;
	json_object_set_new(desc, "name", json_string(t->name));
	json_object_set_new(desc, "module", json_string(t->module));
	json_object_set_new(desc, "from", json_string(t->from != NULL ? t->from : "script"));
	if ((r = cer_ctx_record(ctx, "token", desc)) != CER_OK)
		return r;
	return cer_tokens_at_token(file, t, t->pin_pos, login(ctx, pins, t, ctx->tokens[i]));
}

/*
 * A signing key named by label for an issuer (or a CSR key) from a file:
 * Boulder's lookup, the public key object with that label whose key is the
 * expected one, then the private key with its CKA_ID.  Found before any key
 * is made, so a key that does not match its issuer changes nothing.
 */
static int
find_signing_key(struct cer_ctx *ctx, const struct cer_step *st, size_t i)
{
	const struct cer_plan_step *ps = &ctx->plan->steps[i];
	EVP_PKEY *expected = ps->issuer_cert != NULL ? X509_get0_pubkey(ps->issuer_cert) :
	    ps->subject_pub;
	struct cer_token *tok = ctx->tokens[st->token];
	char *spki = NULL;
	int r;

	if ((r = at_pos(ctx->script, st->label_pos, cer_hsm_find_key(tok, st->label, expected,
	    &ctx->keys[i]))) != CER_OK || (r = cer_profile_spki_sha256(expected,
	    &spki)) != CER_OK)
		goto out;
	r = cer_ctx_record(ctx, "key-found", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "step",
	    st->id, "token", cer_hsm_token_label(tok), "label", st->label, "id",
	    cer_hsm_key_id_hex(ctx->keys[i]), "matches", ps->issuer_cert != NULL ?
	    "the issuer certificate's public key" : "inputs.public-key-path", "spki_sha256",
	    spki));
 out:
	free(spki);
	return r;
}

/* The RSA modulus size the signing key will have, for the mechanism's range; 0 if not RSA. */
static unsigned long
signing_bits(const struct cer_ctx *ctx, const struct cer_step *owner, size_t i)
{
	const struct cer_plan_step *ps = &ctx->plan->steps[i];
	EVP_PKEY *k = ps->issuer_cert != NULL ? X509_get0_pubkey(ps->issuer_cert) : ps->subject_pub;

	if (owner->key.present)
		return owner->key.type == CER_KEY_RSA ? owner->key.rsa_bits : 0;
	return k != NULL && EVP_PKEY_is_a(k, "RSA") ? (unsigned long)EVP_PKEY_get_bits(k) : 0;
}

/* Before any key exists: every label free, every signing key found, every mechanism there. */
static int
preflight_step(struct cer_ctx *ctx, const struct cer_step *st, size_t i, json_t *checks)
{
	const struct cer_step *owner = st->signing_key != CER_NO_INDEX ?
	    &ctx->script->steps[st->signing_key] : st;
	struct cer_token *tok = ctx->tokens[owner->token];
	enum cer_sigalg alg = ctx->plan->steps[i].alg;
	const struct cer_resume *res = ctx->resume;
	json_t *info = NULL;
	int taken = 0, r;

	if (st->key.present && st->signing_key == CER_NO_INDEX) {
		if ((r = cer_hsm_label_taken(tok, st->label, &taken)) != CER_OK)
			return r;
		/* resuming: the key is the interrupted run's, recorded or not (then adopted) */
		if (taken && res != NULL && res->steps[i].key == NULL && res->steps[i].keygen_confirmed)
			ctx->adopt[i] = 1;
		else if (taken && (res == NULL || res->steps[i].key == NULL))
			return cer_fail_at(CER_ERR_KEY, ctx->script->path, st->label_pos,
			    "token '%s' already holds an object labelled '%s'; ceremony never "
			    "reuses a label: choose another", cer_hsm_token_label(tok), st->label);
		if ((r = at_pos(ctx->script, st->key.pos, cer_hsm_can_generate(tok,
		    st->key.type,
		    st->key.type == CER_KEY_RSA ? st->key.rsa_bits : 0, &info))) != CER_OK)
			return r;
		json_array_append_new(checks, info);
	}
	if ((cer_step_impl(st->type)->flags & CER_STEP_SIGNS) && st->signing_key == CER_NO_INDEX &&
	    (res == NULL || (!res->steps[i].done && res->steps[i].signed_rec == NULL)) &&
	    (r = find_signing_key(ctx, st, i)) != CER_OK)
		return r;
	if (alg != CER_SIG_NONE) {
		if ((r = at_pos(ctx->script, st->profile.sigalg_pos.line != 0 ?
		    st->profile.sigalg_pos : st->pos, cer_hsm_can_sign(tok, alg,
		    signing_bits(ctx, owner, i), &info))) != CER_OK)
			return r;
		json_array_append_new(checks, info);
	}
	return CER_OK;
}

/*
 * Resuming: each key the interrupted run generated is found again on its
 * token, by label and by the key material the transcript recorded; each
 * certificate it signed is taken from the transcript (never signed again);
 * its outputs go into the end record with the new ones.
 */
static int
restore_key(struct cer_ctx *ctx, size_t i)
{
	const struct cer_step *st = &ctx->script->steps[i];
	json_t *rec = ctx->resume->steps[i].key;
	const char *pem = json_string_value(json_object_get(rec, "public_key_pem"));
	EVP_PKEY *pub = NULL;
	BIO *b = NULL;
	int r;

	if (pem == NULL || (b = BIO_new_mem_buf(pem, -1)) == NULL ||
	    (pub = PEM_read_bio_PUBKEY(b, NULL, NULL, NULL)) == NULL) {
		r = cer_fail(CER_ERR_TRANSCRIPT,
		    "step %s: the transcript's key-generated record "
		    "has no public key", st->id);
		goto out;
	}
	if ((r = at_pos(ctx->script, st->label_pos, cer_hsm_find_key(ctx->tokens[st->token],
	    st->label, pub, &ctx->keys[i]))) != CER_OK)
		goto out;
	r = cer_ctx_record(ctx, "key-rechecked", json_pack("{s:s, s:s, s:s, s:O}", "step",
	    st->id, "label", st->label, "id", cer_hsm_key_id_hex(ctx->keys[i]), "public_key",
	    json_object_get(rec, "public_key")));
 out:
	EVP_PKEY_free(pub);
	BIO_free(b);
	return r;
}

static int
restore_cert(struct cer_ctx *ctx, size_t i)
{
	const char *pem = json_string_value(json_object_get(ctx->resume->steps[i].signed_rec,
	    "pem"));
	BIO *b;

	if (ctx->script->steps[i].type == CER_STEP_CROSS_CSR ||
	    ctx->script->steps[i].type == CER_STEP_CRL)	/* no certificate a later step uses */
		return CER_OK;
	if (pem == NULL || (b = BIO_new_mem_buf(pem, -1)) == NULL)
		return cer_fail(CER_ERR_TRANSCRIPT, "step %s: no certificate in the transcript",
		    ctx->script->steps[i].id);
	ctx->certs[i] = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	return ctx->certs[i] != NULL ? CER_OK : cer_fail(CER_ERR_TRANSCRIPT, "step %s: the "
	    "transcript's certificate does not parse", ctx->script->steps[i].id);
}

static int
restore(struct cer_ctx *ctx)
{
	size_t i;
	int r;

	if (ctx->resume == NULL)
		return CER_OK;
	for (i = 0; i < ctx->script->nsteps; i++) {
		if (ctx->resume->steps[i].key != NULL && (r = cer_tokens_at_step(ctx->script,
		    &ctx->script->steps[i], restore_key(ctx, i))) != CER_OK)
			return r;
		if (ctx->resume->steps[i].signed_rec != NULL && (r = restore_cert(ctx,
		    i)) != CER_OK)
			return r;
	}
	json_decref(ctx->outputs);
	if ((ctx->outputs = json_deep_copy(ctx->resume->outputs)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	return CER_OK;
}

int
cer_tokens_prepare(struct cer_ctx *ctx)
{
	size_t n = ctx->script->ntokens + 1, i;
	struct pins pins = { calloc(n, sizeof(char *)), calloc(n, sizeof(char *)),
	    calloc(n, sizeof(size_t)), 0 };
	json_t *checks = NULL;
	int r = CER_ERR_INTERNAL;

	if (pins.spec == NULL || pins.pin == NULL || pins.len == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	for (i = 0; i < ctx->script->ntokens; i++)
		if (cer_script_token_used(ctx->script, i) &&
		    ((r = cer_ctx_interrupted()) != CER_OK || (r = open_token(ctx, &pins,
		    i)) != CER_OK))
			goto out;
	pins_clear(&pins);
	if ((checks = json_array()) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	for (i = 0; i < ctx->script->nsteps; i++)
		if ((r = cer_tokens_at_step(ctx->script, &ctx->script->steps[i],
		    preflight_step(ctx, &ctx->script->steps[i], i, checks))) != CER_OK)
			goto out;
	if ((r = cer_ctx_record(ctx, "preflight", json_pack("{s:O}", "mechanisms", checks))) !=
	    CER_OK)
		goto out;
	r = restore(ctx);
 out:
	pins_clear(&pins);
	json_decref(checks);
	return r;
}
