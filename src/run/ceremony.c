/*
 * ceremony.c: running a script.  Three phases, each complete before the
 * next: validate (script, every path, every PIN source; no HSM), prepare
 * (open and log in to every token, check every label and mechanism; no
 * object created), execute (steps in order).  The transcript is opened
 * between the first and the second phase, and ends with the status
 * whatever happens.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <yaml.h>

#include "record/outfile.h"
#include "record/pgpwords.h"
#include "x509/profile.h"
#include "run/pin.h"
#include "run/plan.h"
#include "run/steplint.h"
#include "x509/sign.h"
#include "record/pgpwords.h"
#include "steps/step.h"
#include "base/util.h"

/*
 * A signal does not kill a ceremony: it is noticed before the next HSM
 * operation, and the run stops through the same path as any failure, so
 * sessions are closed and the transcript ends with the status.
 */
static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	interrupted = sig;
}

static const int caught[] = { SIGINT, SIGTERM, SIGHUP };
#define NCAUGHT (sizeof(caught) / sizeof(caught[0]))

static void
catch_signals(struct sigaction old[static NCAUGHT])
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: a waiting prompt returns */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NCAUGHT; i++)
		sigaction(caught[i], &sa, &old[i]);
}

static void
restore_signals(const struct sigaction old[static NCAUGHT])
{
	size_t i;

	for (i = 0; i < NCAUGHT; i++)
		sigaction(caught[i], &old[i], NULL);
}

static int
check_interrupted(void)
{
	if (interrupted == 0)
		return CER_OK;
	return cer_fail(CER_ERR_ABORTED, "interrupted by %s; stopped before the next HSM "
	    "operation", strsignal(interrupted));
}

static const char *
where(const struct cer_script *s, struct cer_pos pos, char *buf, size_t n)
{
	snprintf(buf, n, "%s:%u:%u", s->path, pos.line, pos.col);
	return buf;
}

/* ---- phase 1: validation (no HSM) ---- */

static int
check_module(const struct cer_script *s, const struct cer_token_spec *t)
{
	struct stat st;
	char w[300];

	if (stat(t->module, &st) == -1 || !S_ISREG(st.st_mode))
		return cer_fail(CER_ERR_INPUT, "%s: PKCS#11 module %s does not exist or is not "
		    "a file; check module:", where(s, t->module_pos, w, sizeof(w)), t->module);
	return CER_OK;
}

static int
check_pin_source(const struct cer_script *s, const struct cer_token_spec *t)
{
	char w[300], msg[1024];

	if (cer_pin_check(t->pin, t->pin_literal, t->name) == CER_OK)
		return CER_OK;
	snprintf(msg, sizeof(msg), "%s", cer_err_detail());
	return cer_fail(CER_ERR_INPUT, "%s: %s", where(s, t->pin_pos, w, sizeof(w)), msg);
}

struct out_path {
	const char *path;
	const char *step;	/* NULL for the transcript */
	char where[300];
	char *canonical;
};

static void
add_output(const struct cer_script *s, const char *step, const char *path, struct cer_pos pos,
    struct out_path *o, size_t *n)
{
	if (path == NULL)
		return;
	o[*n].path = path;
	o[*n].step = step;
	where(s, pos, o[*n].where, sizeof(o->where));
	(*n)++;
}

/* Every output of the script, and the transcript, with where each is named. */
static size_t
list_outputs(const struct cer_script *s, const char *transcript, struct out_path *o)
{
	const struct cer_step *st;
	size_t i, n = 0;

	for (i = 0; i < s->nsteps; i++) {
		st = &s->steps[i];
		add_output(s, st->id, st->public_key_path, st->public_key_path_pos, o, &n);
		add_output(s, st->id, st->certificate_path, st->certificate_path_pos, o, &n);
		add_output(s, st->id, st->csr_path, st->csr_path_pos, o, &n);
	}
	if (transcript != NULL) {
		o[n].step = NULL;
		o[n].path = transcript;
		snprintf(o[n++].where, sizeof(o->where), "transcript");
	}
	return n;
}

/*
 * Resuming: the transcript itself, an output the transcript records
 * (checked against its SHA-256 already), or an output of a step that had
 * not finished (compared with what the step makes when it gets there: it
 * may have been linked just before the kill).
 */
static int
written_before(const struct cer_script *s, const struct cer_resume *res,
    const struct out_path *o)
{
	size_t i;

	if (res == NULL)
		return 0;
	if (o->step == NULL || cer_resume_wrote(res, o->step, o->path))
		return 1;
	for (i = 0; i < s->nsteps; i++)
		if (strcmp(s->steps[i].id, o->step) == 0)
			return !res->steps[i].done;
	return 0;
}

/*
 * Each output is new, in an existing directory, and no two name the same
 * file; when resuming, what the transcript says was written is there.
 */
static int
check_outputs(const struct cer_script *s, const char *transcript, const struct cer_resume *res)
{
	struct out_path *o;
	size_t i, j, n = 0;
	int r = CER_OK;

	if ((o = calloc(3 * s->nsteps + 1, sizeof(*o))) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	n = list_outputs(s, transcript, o);
	for (i = 0; i < n && r == CER_OK; i++)
		if (written_before(s, res, &o[i]) ||
		    (r = cer_outfile_check(o[i].path, o[i].where)) == CER_OK)
			r = cer_outfile_canonical(o[i].path, &o[i].canonical);
	for (i = 0; i < n && r == CER_OK; i++)
		for (j = 0; j < i && r == CER_OK; j++)
			if (strcmp(o[i].canonical, o[j].canonical) == 0)
				r = cer_fail(CER_ERR_SCRIPT, "%s: output %s is the same file as %s "
				    "(named at %s); give each output its own path", o[i].where,
				    o[i].path, o[j].path, o[j].where);
	for (i = 0; i < n; i++)
		free(o[i].canonical);
	free(o);
	return r;
}

static int
token_used(const struct cer_script *s, size_t t)
{
	size_t i;

	for (i = 0; i < s->nsteps; i++)
		if (s->steps[i].token == t)
			return 1;
	return 0;
}

/*
 * Everything that needs no HSM: modules, PIN sources, outputs, the inputs
 * (the plan), then every certificate rehearsed in software and linted at
 * the signing time, so a profile that breaks a rule stops here.
 */
static int
validate(const struct cer_script *s, const char *transcript, const struct cer_resume *res,
    time_t at, struct cer_plan **plan, json_t **lint)
{
	size_t i;
	int r;

	for (i = 0; i < s->ntokens; i++) {
		if (!token_used(s, i))
			continue;
		if ((r = check_module(s, &s->tokens[i])) != CER_OK ||
		    (r = check_pin_source(s, &s->tokens[i])) != CER_OK)
			return r;
	}
	if ((r = check_outputs(s, transcript, res)) != CER_OK ||
	    (r = cer_steplint_check_skips(s)) != CER_OK ||
	    (r = cer_plan_load(s, plan)) != CER_OK)
		return r;
	return cer_steplint_plan(s, *plan, at, lint);
}

/* <script without .yaml/.yml>.transcript.jsonl */
static int
default_transcript(const char *script, char **out)
{
	size_t n = strlen(script);

	if (n > 5 && strcmp(script + n - 5, ".yaml") == 0)
		n -= 5;
	else if (n > 4 && strcmp(script + n - 4, ".yml") == 0)
		n -= 4;
	if (asprintf(out, "%.*s.transcript.jsonl", (int)n, script) < 0) {
		*out = NULL;
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	}
	return CER_OK;
}

/* ---- the begin record ---- */

/* The script text with every literal PIN replaced by asterisks. */
static char *
redacted_script(const struct cer_script *s, int *redacted)
{
	const struct cer_token_spec *t;
	unsigned line;
	size_t i, off, len;
	char *text;

	*redacted = 0;
	if ((text = strndup((const char *)s->text, s->text_len)) == NULL)
		return NULL;
	for (i = 0; i < s->ntokens; i++) {
		t = &s->tokens[i];
		if (!t->pin_literal || t->pin_pos.line == 0)
			continue;
		for (off = 0, line = 1; off < s->text_len && line < t->pin_pos.line; off++)
			if (text[off] == '\n')
				line++;
		off += t->pin_pos.col - 1;
		if (off < s->text_len && (text[off] == '"' || text[off] == '\''))
			off++;
		len = strlen(t->pin);
		/* Fall back to the rest of the line when the literal was escaped. */
		if (off + len > s->text_len || memcmp(text + off, t->pin, len) != 0)
			for (len = 0; off + len < s->text_len && text[off + len] != '\n'; len++)
				;
		memset(text + off, '*', len);
		*redacted = 1;
	}
	return text;
}

static json_t *
host_json(void)
{
	struct utsname u;

	if (uname(&u) == -1)
		return json_null();
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "sysname", u.sysname, "nodename",
	    u.nodename, "release", u.release, "version", u.version, "machine", u.machine);
}

/* What a resumed run adds to its first record: where it takes up the thread. */
static json_t *
resume_json(const struct cer_script *s, const struct cer_resume *res)
{
	json_t *done = json_array();
	char *hex = NULL;
	json_t *j;
	size_t i;

	for (i = 0; done != NULL && i < res->nsteps; i++)
		if (res->steps[i].done)
			json_array_append_new(done, json_string(s->steps[i].id));
	if (cer_hex(res->digest, sizeof(res->digest), &hex) != CER_OK) {
		json_decref(done);
		return NULL;
	}
	j = json_pack("{s:I, s:s, s:o, s:o}", "after_seq", (json_int_t)res->nrecords - 1,
	    "transcript_sha256", hex, "completed_steps", done, "from_step",
	    res->first < s->nsteps ? json_string(s->steps[res->first].id) : json_null());
	free(hex);
	return j;
}

/* "begin", or "resume" when continuing an interrupted ceremony's transcript. */
static int
begin_record(struct cer_transcript *tr, const struct cer_script *s, const struct cer_options *o,
    const struct cer_resume *res)
{
	unsigned char bin[CER_SHA256_LEN], sc[CER_SHA256_LEN];
	char *bin_hex = NULL, *sc_hex = NULL, *text = NULL, at[21];
	int redacted = 0, r;

	cer_time_str(o->at, at);
	if ((r = cer_sha256_file("/proc/self/exe", bin)) != CER_OK ||
	    (r = cer_hex(bin, sizeof(bin), &bin_hex)) != CER_OK ||
	    (r = cer_sha256(s->text, s->text_len, sc)) != CER_OK ||
	    (r = cer_hex(sc, sizeof(sc), &sc_hex)) != CER_OK)
		goto out;
	if ((text = redacted_script(s, &redacted)) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	r = cer_transcript_append(tr, res != NULL ? "resume" : "begin", json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:b, s:{s:b, s:b, s:o}, s:o, "
	    "s:{s:s, s:s, s:s, s:s}, s:o*}",
	    "tool", "ceremony " CER_VERSION, "tool_sha256", bin_hex,
	    "script_path", s->path, "script_sha256", sc_hex, "script", text,
	    "ceremony", s->name != NULL ? json_string(s->name) : json_null(),
	    "boulder_config", s->boulder, "script_redacted", redacted,
	    "options", "yes", o->yes, "allow_literal_pin", o->allow_literal_pin, "at",
	    o->has_at ? json_string(at) : json_null(),
	    "host", host_json(),
	    "versions", "openssl", OpenSSL_version(OPENSSL_VERSION),
	    "libyaml", yaml_get_version_string(), "jansson", JANSSON_VERSION,
	    "p11-kit (build)", CER_P11KIT_VERSION,
	    "resumed", res != NULL ? resume_json(s, res) : NULL));
 out:
	free(bin_hex);
	free(sc_hex);
	free(text);
	return r;
}

/* The rehearsal's lint verdicts, one record per certificate, after begin. */
static int
record_plan_lint(struct cer_ctx *ctx)
{
	json_t *rec;
	size_t i;
	int r;

	json_array_foreach(ctx->plan_lint, i, rec)
		if ((r = cer_step_record(ctx, "lint", json_incref(rec))) != CER_OK)
			return r;
	return CER_OK;
}

/* ---- phase 2: tokens ---- */

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
	    (r = cer_step_record(ctx, "module", desc)) != CER_OK)
		return r;
	*out = m->hsm;
	return CER_OK;
}

static const char *
pin_kind(const struct cer_token_spec *t)
{
	if (t->pin_literal)
		return "literal";
	if (t->pin == NULL || strcmp(t->pin, "prompt") == 0)
		return "prompt";
	return t->pin;		/* file:PATH, env:NAME, fd:N: where, never what */
}

static int
login(struct cer_ctx *ctx, const struct cer_token_spec *t, struct cer_token *tok)
{
	const char *warning = NULL, *why = NULL;
	char *pin = NULL;
	size_t len = 0;
	int r;

	if (t->pin_literal) {
		why = cer_hsm_token_is_softhsm(tok) ? "SoftHSM rehearsal token" :
		    ctx->opt->allow_literal_pin ? "--allow-literal-pin" : NULL;
		if (why == NULL)
			return cer_fail(CER_ERR_PIN, "token '%s' is not a SoftHSM rehearsal token, "
			    "so the literal PIN in the script is refused; use pin: prompt, file:, "
			    "env: or fd:, or pass --allow-literal-pin", t->name);
	}
	if ((r = cer_pin_read(t->pin, t->pin_literal, t->name, &pin, &len)) == CER_OK)
		r = cer_hsm_login(tok, pin, len, &warning);
	cer_pin_free(pin, len);
	if (r != CER_OK)
		return r;
	if (warning != NULL)
		fprintf(stderr, "ceremony: warning: token '%s': %s\n", t->name, warning);
	return cer_step_record(ctx, "login", json_pack("{s:s, s:s, s:o, s:o}", "token", t->name,
	    "pin_source", pin_kind(t), "literal_pin_allowed_because",
	    why != NULL ? json_string(why) : json_null(),
	    "warning", warning != NULL ? json_string(warning) : json_null()));
}

/* Puts the script position of a token's field in front of the current detail. */
static int
at_pos(const struct cer_script *s, struct cer_pos pos, int r)
{
	char msg[1024];

	if (r == CER_OK || pos.line == 0)
		return r;
	snprintf(msg, sizeof(msg), "%s", cer_err_detail());
	return cer_fail(r, "%s:%u:%u: %s", s->path, pos.line, pos.col, msg);
}

static int
open_token(struct cer_ctx *ctx, size_t i)
{
	const struct cer_token_spec *t = &ctx->script->tokens[i];
	struct cer_token_select sel = { t->token_label, t->token_serial, t->uri, t->has_slot,
	    t->slot };
	struct cer_hsm *hsm = NULL;
	json_t *desc = NULL;
	int r;

	if ((r = at_pos(ctx->script, t->module_pos, module_for(ctx, t->module, &hsm))) != CER_OK ||
	    (r = at_pos(ctx->script, t->selector_pos, cer_hsm_open_token(hsm, &sel,
	    &ctx->tokens[i]))) != CER_OK ||
	    (r = cer_hsm_token_describe(ctx->tokens[i], &desc)) != CER_OK)
		return r;
	if (ctx->opt->has_at && !cer_hsm_token_is_softhsm(ctx->tokens[i]))
		return cer_fail(CER_ERR_USAGE, "token '%s' is not a SoftHSM rehearsal token: "
		    "--at is for rehearsals; a ceremony lints against the clock", t->name);
	json_object_set_new(desc, "name", json_string(t->name));
	json_object_set_new(desc, "module", json_string(t->module));
	if ((r = cer_step_record(ctx, "token", desc)) != CER_OK)
		return r;
	return at_pos(ctx->script, t->pin_pos, login(ctx, t, ctx->tokens[i]));
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
	    &ctx->keys[i]))) != CER_OK || (r = cer_profile_spki_sha256(expected, &spki)) != CER_OK)
		goto out;
	r = cer_step_record(ctx, "key-found", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "step",
	    st->id, "token", cer_hsm_token_label(tok), "label", st->label, "id",
	    cer_hsm_key_id_hex(ctx->keys[i]), "matches", ps->issuer_cert != NULL ?
	    "the issuer certificate's public key" : "inputs.public-key-path", "spki_sha256", spki));
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
			return cer_fail(CER_ERR_KEY, "%s:%u:%u: token '%s' already holds an object "
			    "labelled '%s'; ceremony never reuses a label: choose another",
			    ctx->script->path, st->label_pos.line, st->label_pos.col,
			    cer_hsm_token_label(tok), st->label);
		if ((r = at_pos(ctx->script, st->key.pos, cer_hsm_can_generate(tok, st->key.type,
		    st->key.type == CER_KEY_RSA ? st->key.rsa_bits : 0, &info))) != CER_OK)
			return r;
		json_array_append_new(checks, info);
	}
	if (cer_step_type_signs(st->type) && st->signing_key == CER_NO_INDEX &&
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
		r = cer_fail(CER_ERR_TRANSCRIPT, "step %s: the transcript's key-generated record "
		    "has no public key", st->id);
		goto out;
	}
	if ((r = at_pos(ctx->script, st->label_pos, cer_hsm_find_key(ctx->tokens[st->token],
	    st->label, pub, &ctx->keys[i]))) != CER_OK)
		goto out;
	r = cer_step_record(ctx, "key-rechecked", json_pack("{s:s, s:s, s:s, s:O}", "step",
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

	if (ctx->script->steps[i].type == CER_STEP_CROSS_CSR)
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
		if (ctx->resume->steps[i].key != NULL && (r = restore_key(ctx, i)) != CER_OK)
			return r;
		if (ctx->resume->steps[i].signed_rec != NULL && (r = restore_cert(ctx, i)) != CER_OK)
			return r;
	}
	json_decref(ctx->outputs);
	if ((ctx->outputs = json_deep_copy(ctx->resume->outputs)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	return CER_OK;
}

static int
prepare(struct cer_ctx *ctx)
{
	json_t *checks = NULL;
	size_t i;
	int r = CER_ERR_INTERNAL;

	for (i = 0; i < ctx->script->ntokens; i++)
		if (token_used(ctx->script, i) &&
		    ((r = check_interrupted()) != CER_OK || (r = open_token(ctx, i)) != CER_OK))
			goto out;
	if ((checks = json_array()) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	for (i = 0; i < ctx->script->nsteps; i++)
		if ((r = preflight_step(ctx, &ctx->script->steps[i], i, checks)) != CER_OK)
			goto out;
	if ((r = cer_step_record(ctx, "preflight", json_pack("{s:O}", "mechanisms", checks))) !=
	    CER_OK)
		goto out;
	r = restore(ctx);
 out:
	json_decref(checks);
	return r;
}

/* ---- what step handlers call ---- */

time_t
cer_step_time(const struct cer_ctx *ctx)
{
	return ctx->opt->has_at ? ctx->opt->at : time(NULL);
}

int
cer_step_record(struct cer_ctx *ctx, const char *event, json_t *data)
{
	if (data == NULL)
		return cer_fail(CER_ERR_ALLOC, "cannot build transcript record '%s'", event);
	return cer_transcript_append(ctx->tr, event, data);
}

/* Reads the operator's answer from the terminal. */
/*
 * What the witnesses compare and write down: the fingerprint of what is
 * about to happen, in hex and as PGP words (the TBS of a signature; for a
 * key generation, the transcript so far, which the key's record will extend).
 */
static void
show_fingerprint(FILE *tty, const char *label, const unsigned char d[static CER_SHA256_LEN])
{
	size_t i;

	fprintf(tty, "  %s:\n    ", label);
	for (i = 0; i < CER_SHA256_LEN; i++)
		fprintf(tty, "%02x%s", d[i], i % 8 == 7 && i + 1 < CER_SHA256_LEN ? " " : "");
	fprintf(tty, "\n");
	cer_pgpwords_print(tty, d, CER_SHA256_LEN, "    ", "\n");
}

static int
ask(const char *what, const char *label, const unsigned char *fp, char *answer, size_t n)
{
	FILE *tty;
	int r = CER_OK;

	if ((tty = fopen("/dev/tty", "r+")) == NULL)
		return cer_fail(CER_ERR_ABORTED, "no terminal to confirm '%s'; run at a terminal "
		    "or pass --yes", what);
	fprintf(tty, "\n%s\n", what);
	show_fingerprint(tty, label, fp);
	fprintf(tty, "Type yes to proceed: ");
	fflush(tty);
	if (fgets(answer, (int)n, tty) == NULL)
		r = cer_fail(CER_ERR_ABORTED, "no answer at the terminal");
	answer[strcspn(answer, "\r\n")] = '\0';
	fclose(tty);
	return r;
}

int
cer_step_confirm(struct cer_ctx *ctx, const struct cer_step *step, const char *what,
    const unsigned char *fingerprint, const char *serial)
{
	unsigned char so_far[CER_SHA256_LEN];
	char answer[64] = "--yes", *fp = NULL, *tr = NULL;
	int r;

	if ((r = check_interrupted()) != CER_OK)
		return r;
	cer_transcript_digest(ctx->tr, so_far);
	if ((fingerprint != NULL && (r = cer_hex(fingerprint, CER_SHA256_LEN, &fp)) != CER_OK) ||
	    (fingerprint == NULL && (r = cer_hex(so_far, CER_SHA256_LEN, &tr)) != CER_OK))
		goto out;
	if (!ctx->opt->yes && (r = ask(what, fingerprint != NULL ? "TBS SHA-256" :
	    "transcript so far (SHA-256 of its last record)", fingerprint != NULL ? fingerprint :
	    so_far, answer, sizeof(answer))) != CER_OK)
		goto out;
	if ((r = cer_step_record(ctx, "confirmation", json_pack("{s:s, s:s, s:o, s:o, s:o, s:s}",
	    "step", step->id, "question", what, "tbs_sha256", fp != NULL ? json_string(fp) :
	    json_null(), "transcript_sha256", tr != NULL ? json_string(tr) : json_null(),
	    "serial", serial != NULL ? json_string(serial) : json_null(), "answer",
	    answer))) != CER_OK || (r = check_interrupted()) != CER_OK)
		goto out;
	if (strcmp(answer, "yes") != 0 && strcmp(answer, "--yes") != 0)
		r = cer_fail(CER_ERR_ABORTED, "the operator did not type yes; stopped before the "
		    "HSM operation");
 out:
	/* A signal during the prompt ends the read: say so, not "no answer". */
	if (r != CER_OK && interrupted != 0)
		r = check_interrupted();
	free(fp);
	free(tr);
	return r;
}

/*
 * Resuming: an output linked into place just before the kill, before its
 * record, holds exactly what the step makes now (recorded before it was
 * written).  CER_ERR_INPUT when there is no such file.
 */
static int
linked_before(const char *path, const void *data, size_t len)
{
	unsigned char *buf = NULL;
	size_t n = 0;
	int r;

	if (access(path, F_OK) == -1)
		return CER_ERR_INPUT;
	if ((r = cer_read_file(path, len + 1, &buf, &n)) != CER_OK || n != len ||
	    memcmp(buf, data, len) != 0)
		r = cer_fail(CER_ERR_OUTPUT_EXISTS, "output %s exists but is not what this step "
		    "makes; it was not written by this ceremony: move it away and resume again",
		    path);
	free(buf);
	return r;
}

int
cer_step_output(struct cer_ctx *ctx, const struct cer_step *step, const char *kind,
    const char *path, const void *data, size_t len)
{
	unsigned char d[CER_SHA256_LEN];
	char *hex = NULL;
	json_t *o = NULL;
	int r;

	if (cer_resume_wrote(ctx->resume, step->id, path)) {
		printf("%s: %s was written before the interruption (its SHA-256 checked)\n",
		    step->id, path);
		return CER_OK;
	}
	r = ctx->resume != NULL ? linked_before(path, data, len) : CER_ERR_INPUT;
	if (r == CER_ERR_INPUT)
		r = cer_outfile_write(path, data, len);
	if (r != CER_OK || (r = cer_sha256(data, len, d)) != CER_OK ||
	    (r = cer_hex(d, sizeof(d), &hex)) != CER_OK)
		goto out;
	o = json_pack("{s:s, s:s, s:s, s:s}", "step", step->id, "kind", kind, "path", path,
	    "sha256", hex);
	if (o == NULL || json_array_append(ctx->outputs, o) != 0) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	printf("%s: wrote %s (SHA-256 %s)\n", step->id, path, hex);
	r = cer_step_record(ctx, "output", o);
	o = NULL; /* consumed */
 out:
	json_decref(o);
	free(hex);
	return r;
}

/* ---- phase 3: the steps ---- */

/* [{"name","reason"}]: lints the script skips (the linter arrives later; they are recorded now). */
static json_t *
skip_lints_json(const struct cer_step *st)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < st->nskip_lints; i++)
		json_array_append_new(a, json_pack("{s:s, s:o}", "name", st->skip_lints[i].name,
		    "reason", st->skip_lints[i].reason != NULL ?
		    json_string(st->skip_lints[i].reason) : json_null()));
	return a;
}

static int
execute(struct cer_ctx *ctx)
{
	const struct cer_step_handler *h;
	const struct cer_step *st;
	size_t i;
	int r;

	for (i = 0; i < ctx->script->nsteps; i++) {
		st = &ctx->script->steps[i];
		if ((r = check_interrupted()) != CER_OK)
			return r;
		if (ctx->resume != NULL && ctx->resume->steps[i].done)
			continue;	/* done before the interruption; its results restored */
		if ((h = cer_step_handler(st->type)) == NULL)
			return cer_fail(CER_ERR_SCRIPT, "%s:%u:%u: ceremony-type %s is not supported "
			    "by this version", ctx->script->path, st->type_pos.line,
			    st->type_pos.col, cer_step_type_name(st->type));
		if ((r = cer_step_record(ctx, "step-begin", json_pack("{s:s, s:s, s:s, s:o}", "step",
		    st->id, "ceremony_type", cer_step_type_name(st->type), "does",
		    h->description, "skip_lints", skip_lints_json(st)))) != CER_OK ||
		    (r = h->run(ctx, st, i)) != CER_OK ||
		    (r = cer_step_record(ctx, "step-end", json_pack("{s:s, s:s}", "step", st->id,
		    "status", "ok"))) != CER_OK)
			return r;
	}
	return CER_OK;
}

/* ---- run ---- */

static int
ctx_init(struct cer_ctx *ctx, const struct cer_options *opt, struct cer_script *s)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->opt = opt;
	ctx->script = s;
	ctx->modules = calloc(s->ntokens + 1, sizeof(*ctx->modules));
	ctx->tokens = calloc(s->ntokens + 1, sizeof(*ctx->tokens));
	ctx->keys = calloc(s->nsteps + 1, sizeof(*ctx->keys));
	ctx->certs = calloc(s->nsteps + 1, sizeof(*ctx->certs));
	ctx->adopt = calloc(s->nsteps + 1, sizeof(*ctx->adopt));
	ctx->outputs = json_array();
	if (ctx->modules == NULL || ctx->tokens == NULL || ctx->keys == NULL ||
	    ctx->certs == NULL || ctx->adopt == NULL || ctx->outputs == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	return CER_OK;
}

/* Logs out, closes sessions, finalises modules: on every path. */
static void
ctx_clear(struct cer_ctx *ctx)
{
	size_t i;

	for (i = 0; ctx->keys != NULL && i < ctx->script->nsteps; i++)
		cer_hsm_key_free(ctx->keys[i]);
	for (i = 0; ctx->certs != NULL && i < ctx->script->nsteps; i++)
		X509_free(ctx->certs[i]);
	free(ctx->certs);
	free(ctx->adopt);
	cer_plan_free(ctx->plan);
	cer_resume_free(ctx->resume);
	json_decref(ctx->plan_lint);
	for (i = 0; ctx->tokens != NULL && i < ctx->script->ntokens; i++)
		cer_hsm_close(ctx->tokens[i]);
	for (i = 0; i < ctx->nmodules; i++) {
		cer_hsm_free(ctx->modules[i].hsm);
		free(ctx->modules[i].path);
	}
	free(ctx->keys);
	free(ctx->tokens);
	free(ctx->modules);
	json_decref(ctx->outputs);
	cer_transcript_free(ctx->tr);
}

/* The error and end records, written whatever went wrong before. */
static void
finish(struct cer_ctx *ctx, int status)
{
	unsigned char d[CER_SHA256_LEN];
	char detail[1024], *hex = NULL, *words = NULL;

	if (ctx->tr == NULL)
		return;
	snprintf(detail, sizeof(detail), "%s", cer_err_detail());
	if (status != CER_OK &&
	    cer_transcript_append(ctx->tr, "error", json_pack("{s:s, s:s}", "code",
	    cer_err_str(status), "message", detail)) != CER_OK)
		fprintf(stderr, "ceremony: %s\n", cer_err_detail());
	if (cer_transcript_append(ctx->tr, "end", json_pack("{s:s, s:O}", "status",
	    status == CER_OK ? "ok" : "failed", "outputs", ctx->outputs)) != CER_OK)
		fprintf(stderr, "ceremony: %s\n", cer_err_detail());
	cer_transcript_digest(ctx->tr, d);
	/* An uncommitted transcript means nothing changed: the error line says it all. */
	/* Hex for the record, PGP words for the witnesses to read aloud and write down. */
	if (cer_transcript_committed(ctx->tr) && cer_hex(d, sizeof(d), &hex) == CER_OK &&
	    cer_pgpwords_encode(d, sizeof(d), &words) == CER_OK)
		printf("transcript: %s (%zu records)\nfinal digest (SHA-256 of the last record): %s\n"
		    "final digest in PGP words: %s\n", cer_transcript_path(ctx->tr),
		    cer_transcript_lines(ctx->tr), hex, words);
	free(hex);
	free(words);
	if (status != CER_OK)		/* recording may have overwritten it; main prints this */
		cer_fail(status, "%s", detail);
}

int
cer_ceremony_run(const struct cer_options *opt)
{
	struct sigaction old[NCAUGHT];
	struct cer_script *s = NULL;
	struct cer_ctx ctx;
	const char *transcript;
	char *tpath = NULL;
	int r = CER_ERR_INTERNAL, fd;

	memset(&ctx, 0, sizeof(ctx));
	interrupted = 0;
	catch_signals(old);
	if ((r = cer_script_load(opt->script_path, &s)) != CER_OK)
		goto out;
	if ((r = ctx_init(&ctx, opt, s)) != CER_OK)
		goto out;
	if (opt->transcript_path == NULL && (r = default_transcript(s->path, &tpath)) != CER_OK)
		goto out;
	transcript = opt->resume_path != NULL ? opt->resume_path :
	    opt->transcript_path != NULL ? opt->transcript_path : tpath;
	if (opt->resume_path != NULL &&
	    (r = cer_resume_load(opt->resume_path, s, &ctx.resume)) != CER_OK)
		goto out;
	if ((r = validate(s, transcript, ctx.resume, cer_step_time(&ctx), &ctx.plan,
	    &ctx.plan_lint)) != CER_OK)
		goto out;
	if (!opt->yes) {
		if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1) {
			r = cer_fail(CER_ERR_USAGE, "no terminal for the operator's confirmations; "
			    "run at a terminal, or pass --yes (rehearsals and CI)");
			goto out;
		}
		close(fd);
	}
	r = ctx.resume != NULL ? cer_transcript_continue(transcript, ctx.resume->nrecords,
	    ctx.resume->digest, ctx.resume->size, &ctx.tr) : cer_transcript_new(transcript, &ctx.tr);
	if (r != CER_OK)
		goto out;
	/* Nothing can change on a token before the commit, and nothing is written. */
	if ((r = begin_record(ctx.tr, s, opt, ctx.resume)) != CER_OK ||
	    (r = record_plan_lint(&ctx)) != CER_OK ||
	    (r = prepare(&ctx)) != CER_OK ||
	    (r = cer_transcript_commit(ctx.tr)) != CER_OK ||
	    (r = execute(&ctx)) != CER_OK)
		goto out;
	r = CER_OK;
 out:
	finish(&ctx, r);
	if (s != NULL)
		ctx_clear(&ctx);
	cer_script_free(s);
	free(tpath);
	cer_sign_throwaway_free();
	restore_signals(old);
	return r;
}

/* ---- check ---- */

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
	printf(", PIN from %s\n", pin_kind(t));
}

/* Where a signing step's issuer, subject key and signing key come from. */
static void
print_signing(const struct cer_script *s, const struct cer_step *st, enum cer_sigalg alg)
{
	const struct cer_cert_profile *p = &st->profile;
	char nb[21], na[21];

	if (st->type == CER_STEP_CROSS_CSR) {
		printf(" sign a CSR for 'CN=%s, O=%s, C=%s' with key '%s' on token %s using %s",
		    p->common_name, p->organization, p->country, st->label,
		    s->tokens[st->token].name, cer_sigalg_name(alg));
		return;
	}
	cer_time_str(p->not_before, nb);
	cer_time_str(p->not_after, na);
	printf(" issue 'CN=%s, O=%s, C=%s' for the key of %s%s, issued by %s%s, signed with "
	    "key '%s' on token %s using %s, valid %s to %s (%lld days)", p->common_name,
	    p->organization, p->country,
	    st->cross_of != CER_NO_INDEX ? "the certificate of step " :
	    st->in_cross_cert != NULL ? "the certificate in " :
	    st->subject_key != CER_NO_INDEX ? "step " : "",
	    st->cross_of != CER_NO_INDEX ? s->steps[st->cross_of].id :
	    st->in_cross_cert != NULL ? st->in_cross_cert :
	    st->subject_key != CER_NO_INDEX ? s->steps[st->subject_key].id : st->in_public_key,
	    st->issuer != CER_NO_INDEX ? "step " : "",
	    st->issuer != CER_NO_INDEX ? s->steps[st->issuer].id : st->in_issuer_cert,
	    st->label, s->tokens[st->token].name, cer_sigalg_name(alg), nb, na,
	    (long long)((p->not_after - p->not_before) / 86400 + 1));
}

static void
print_step(const struct cer_script *s, const struct cer_plan *plan, size_t i)
{
	enum cer_sigalg alg = plan->steps[i].alg;
	const struct cer_step *st = &s->steps[i];
	const struct cer_cert_profile *p = &st->profile;
	char nb[21], na[21];
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
	if (st->type == CER_STEP_ROOT) {
		cer_time_str(p->not_before, nb);
		cer_time_str(p->not_after, na);
		printf(" self-sign 'CN=%s, O=%s, C=%s' with %s%s using %s, valid %s to %s (%lld days)",
		    p->common_name, p->organization, p->country,
		    st->signing_key != CER_NO_INDEX ? "the key of step " : "that key",
		    st->signing_key != CER_NO_INDEX ? s->steps[st->signing_key].id : "",
		    cer_sigalg_name(p->sigalg), nb, na,
		    (long long)((p->not_after - p->not_before) / 86400 + 1));
	} else if (cer_step_type_signs(st->type)) {
		print_signing(s, st, alg);
	}
	printf("\n");
	for (j = 0; j < st->nskip_lints; j++)
		printf("    skips lint %s%s%s\n", st->skip_lints[j].name,
		    st->skip_lints[j].reason != NULL ? ": " : "",
		    st->skip_lints[j].reason != NULL ? st->skip_lints[j].reason : "");
	if (st->public_key_path != NULL)
		printf("    writes %s\n", st->public_key_path);
	if (st->certificate_path != NULL)
		printf("    writes %s\n", st->certificate_path);
	if (st->csr_path != NULL)
		printf("    writes %s\n", st->csr_path);
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
	    (r = default_transcript(s->path, &tpath)) != CER_OK)
		goto out;
	transcript = opt->transcript_path != NULL ? opt->transcript_path : tpath;
	if ((r = validate(s, transcript, NULL, opt->has_at ? opt->at : time(NULL), &plan,
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
		if (token_used(s, i))
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
