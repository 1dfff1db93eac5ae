/*
 * ceremony.c: running a script.  Three phases, each complete before the
 * next: validate (validate.h: script, every path, every PIN source, the
 * plan and the rehearsal; no HSM), prepare (tokens.h: open and log in to
 * every token, check every label and mechanism; no object created),
 * execute (the steps in order, each by its step type's descriptor).  The
 * transcript is opened between the first and the second phase, and ends
 * with the status whatever happens.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <yaml.h>

#include "base/util.h"
#include "record/pgpwords.h"
#include "run/ceremony.h"
#include "run/steplint.h"
#include "script/script.h"
#include "script/site.h"
#include "run/tokens.h"
#include "run/validate.h"
#include "steps/step.h"
#include "x509/sign.h"

/* ---- the begin record ---- */

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

/* The site file's path, SHA-256 and text (literal PINs redacted), or nulls without one. */
static int
site_json(const struct cer_site *site, json_t **out)
{
	char *hex = NULL;
	int r;

	*out = NULL;
	if (site == NULL) {
		*out = json_pack("{s:n, s:n, s:n, s:n}", "site_path", "site_sha256", "site",
		    "site_redacted");
	} else {
		if ((r = cer_sha256_hex(site->doc->text, site->doc->text_len, &hex)) != CER_OK)
			return r;
		*out = json_pack("{s:s, s:s, s:s, s:b}", "site_path", site->doc->path,
		    "site_sha256", hex, "site", site->doc->redacted, "site_redacted",
		    site->doc->pins_redacted);
		free(hex);
	}
	return *out != NULL ? CER_OK : cer_fail(CER_ERR_ALLOC, "out of memory");
}

/* "begin", or "resume" when continuing an interrupted ceremony's transcript. */
static int
begin_record(struct cer_transcript *tr, const struct cer_script *s, const struct cer_site *site,
    const struct cer_options *o, const struct cer_resume *res)
{
	unsigned char bin[CER_SHA256_LEN], sc[CER_SHA256_LEN];
	char *bin_hex = NULL, *sc_hex = NULL, *cwd = NULL, at[21];
	json_t *data = NULL, *sj = NULL;
	int r;

	cer_time_str(o->at, at);
	/* relative paths in the script are relative to it: the auditor's verify --outputs needs it */
	if ((cwd = getcwd(NULL, 0)) == NULL) {
		r = cer_fail(CER_ERR_SYSTEM, "cannot find the current directory");
		goto out;
	}
	if ((r = cer_sha256_file("/proc/self/exe", bin)) != CER_OK ||
	    (r = cer_hex(bin, sizeof(bin), &bin_hex)) != CER_OK ||
	    (r = cer_sha256(s->text, s->text_len, sc)) != CER_OK ||
	    (r = cer_hex(sc, sizeof(sc), &sc_hex)) != CER_OK ||
	    (r = site_json(site, &sj)) != CER_OK)
		goto out;
	data = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:b, s:b, s:{s:b, s:b, s:o, s:O}, s:o, "
	    "s:{s:s, s:s, s:s, s:s}, s:o*}",
	    "tool", "ceremony " CER_VERSION, "tool_sha256", bin_hex,
	    "script_path", s->path, "script_sha256", sc_hex, "script", s->redacted, "cwd", cwd,
	    "ceremony", s->name != NULL ? json_string(s->name) : json_null(),
	    "hierarchy", cer_script_hierarchy(s), "boulder_config", s->boulder, "script_redacted", s->pins_redacted,
	    "options", "yes", o->yes, "allow_literal_pin", o->allow_literal_pin, "at",
	    o->has_at ? json_string(at) : json_null(),
	    "rehearsal", o->rehearsal != NULL ? o->rehearsal : json_null(),
	    "host", host_json(),
	    "versions", "openssl", OpenSSL_version(OPENSSL_VERSION),
	    "libyaml", yaml_get_version_string(), "jansson", JANSSON_VERSION,
	    "p11-kit (build)", CER_P11KIT_VERSION,
	    "resumed", res != NULL ? resume_json(s, res) : NULL);
	if (data == NULL || json_object_update(data, sj) != 0) {
		json_decref(data);
		r = cer_fail(CER_ERR_ALLOC, "cannot build transcript record 'begin'");
		goto out;
	}
	r = cer_transcript_append(tr, res != NULL ? "resume" : "begin", data);
 out:
	json_decref(sj);
	free(bin_hex);
	free(sc_hex);
	free(cwd);
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
		if ((r = cer_ctx_record(ctx, "lint", json_incref(rec))) != CER_OK)
			return r;
	return CER_OK;
}

/* ---- phase 3: the steps ---- */

static int
execute(struct cer_ctx *ctx)
{
	const struct cer_step_impl *h;
	const struct cer_step *st;
	size_t i;
	int r;

	for (i = 0; i < ctx->script->nsteps; i++) {
		st = &ctx->script->steps[i];
		if ((r = cer_ctx_interrupted()) != CER_OK)
			return r;
		if (ctx->resume != NULL && ctx->resume->steps[i].done)
			continue;	/* done before the interruption; its results restored */
		if ((h = cer_step_impl(st->type)) == NULL)
			return cer_fail_at(CER_ERR_SCRIPT, ctx->script->path, st->type_pos,
			    "ceremony-type %s is not supported by this version",
			    cer_step_type_name(st->type));
		if ((r = cer_ctx_record(ctx, "step-begin", json_pack("{s:s, s:s, s:s, s:o, s:o}",
		    "step",
		    st->id, "ceremony_type", cer_step_type_name(st->type), "does",
		    h->does, "policy_url", st->profile.policy_url != NULL ?
		    json_string(st->profile.policy_url) : json_null(),
		    "skip_lints", cer_steplint_skips_json(ctx->script, st)))) != CER_OK ||
		    (r = cer_tokens_at_step(ctx->script, st, h->run(ctx, st, i))) != CER_OK ||
		    (r = cer_ctx_record(ctx, "step-end", json_pack("{s:s, s:s}", "step", st->id,
		    "status", "ok"))) != CER_OK)
			return r;
	}
	return CER_OK;
}

/* ---- run ---- */

/* The lint notices the run recorded: they stop nothing, and are not hidden. */
static void
print_notices(const struct cer_ctx *ctx)
{
	const char *k;
	json_t *v;

	if (json_object_size(ctx->notices) == 0)
		return;
	printf("notices (recorded in the transcript; they did not stop the ceremony):\n");
	json_object_foreach(ctx->notices, k, v) {
		printf("  %s: ", k);
		cer_fputs_safe(stdout, json_is_string(v) ? json_string_value(v) : "");
		printf("\n");
	}
}

/* One word of a shell command, quoted when it holds anything but plain characters. */
static void
print_word(const char *w)
{
	char one[2] = { '\0', '\0' };
	const char *c;

	printf(" ");
	if (w[0] != '\0' && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_./:=@+-,") == strlen(w)) {
		printf("%s", w);
		return;
	}
	printf("'");
	for (c = w; *c != '\0'; c++) {
		one[0] = *c;
		if (*c == '\'')
			printf("'\\''");
		else
			cer_fputs_safe(stdout, one);
	}
	printf("'");
}

/*
 * After a failure once the transcript exists: the exact command that
 * continues this ceremony (docs/script.md, resuming), with the options it
 * needs again.  A rehearsal is run again instead.
 */
static void
print_resume(const struct cer_ctx *ctx)
{
	const struct cer_options *o = ctx->opt;
	char at[21];

	if (o->rehearsal != NULL)
		return;
	printf("to continue once the cause is fixed: ceremony");
	if (ctx->script->boulder) {
		print_word("--config");
		print_word(o->script_path);
	} else {
		print_word("run");
	}
	if (o->yes)
		print_word("--yes");
	print_word("--resume");
	print_word(cer_transcript_path(ctx->tr));
	if (o->site_path != NULL) {
		print_word("--site");
		print_word(o->site_path);
	}
	if (o->has_at) {
		cer_time_str(o->at, at);
		print_word("--at");
		print_word(at);
	}
	if (o->allow_literal_pin)
		print_word("--allow-literal-pin");
	if (!ctx->script->boulder)
		print_word(o->script_path);
	printf("\n");
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
	/* an uncommitted transcript means nothing changed: the error line says it all */
	if (cer_transcript_committed(ctx->tr))
		print_notices(ctx);
	if (status != CER_OK && cer_transcript_committed(ctx->tr))
		print_resume(ctx);
	if (status != CER_OK)		/* recording may have overwritten it; main prints this */
		cer_err_restore(status, detail);
}

int
cer_ceremony_run_script(const struct cer_options *opt, struct cer_script *s,
    const struct cer_site *site)
{
	struct sigaction old[CER_CTX_NSIGNALS];
	struct cer_ctx ctx;
	const char *transcript;
	char *tpath = NULL;
	int r = CER_ERR_INTERNAL, fd;

	memset(&ctx, 0, sizeof(ctx));
	cer_ctx_catch_signals(old);
	if ((r = cer_ctx_init(&ctx, opt, s)) != CER_OK)
		goto out;
	if (opt->transcript_path == NULL &&
	    (r = cer_validate_transcript_path(s->path, &tpath)) != CER_OK)
		goto out;
	transcript = opt->resume_path != NULL ? opt->resume_path :
	    opt->transcript_path != NULL ? opt->transcript_path : tpath;
	if (opt->resume_path != NULL &&
	    (r = cer_resume_load(opt->resume_path, s, site, &ctx.resume)) != CER_OK)
		goto out;
	if ((r = cer_validate(s, transcript, ctx.resume, cer_ctx_time(&ctx), NULL, &ctx.plan,
	    &ctx.plan_lint)) != CER_OK)
		goto out;
	if (!opt->yes) {
		if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1) {
			r = cer_fail(CER_ERR_USAGE,
			    "no terminal for the operator's confirmations; "
			    "run at a terminal, or pass --yes (rehearsals and CI)");
			goto out;
		}
		close(fd);
	}
	r = ctx.resume != NULL ? cer_transcript_continue(transcript, ctx.resume->nrecords,
	    ctx.resume->digest, ctx.resume->size, &ctx.tr) : cer_transcript_new(transcript,
	    &ctx.tr);
	if (r != CER_OK)
		goto out;
	/* Nothing can change on a token before the commit, and nothing is written. */
	if ((r = begin_record(ctx.tr, s, site, opt, ctx.resume)) != CER_OK ||
	    (r = record_plan_lint(&ctx)) != CER_OK ||
	    (r = cer_tokens_prepare(&ctx)) != CER_OK ||
	    (r = cer_transcript_commit(ctx.tr)) != CER_OK ||
	    (r = execute(&ctx)) != CER_OK)
		goto out;
	r = CER_OK;
 out:
	finish(&ctx, r);
	/* After the commit a token may have changed: exit 2 would say "nothing touched". */
	if (r != CER_OK && cer_err_exit_status(r) == 2 && ctx.tr != NULL &&
	    cer_transcript_committed(ctx.tr))
		r = cer_err_restore(CER_ERR_SYSTEM, cer_err_detail());
	cer_ctx_clear(&ctx);
	cer_plan_free(ctx.plan);
	free(tpath);
	cer_sign_forget();
	cer_ctx_restore_signals(old);
	return r;
}

int
cer_ceremony_load(const struct cer_options *opt, struct cer_script **s,
    struct cer_site **site)
{
	int r;

	*site = NULL;
	if ((r = cer_script_load(opt->script_path, s)) != CER_OK ||
	    opt->site_path == NULL)
		return r;
	if ((r = cer_site_load(opt->site_path, site)) != CER_OK ||
	    (r = cer_site_apply(*site, *s)) != CER_OK)
		return r;
	return CER_OK;
}

int
cer_ceremony_run(const struct cer_options *opt)
{
	struct cer_script *s = NULL;
	struct cer_site *site = NULL;
	int r;

	if ((r = cer_ceremony_load(opt, &s, &site)) == CER_OK)
		r = cer_ceremony_run_script(opt, s, site);
	cer_script_free(s);
	cer_site_free(site);
	return r;
}
