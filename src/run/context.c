/*
 * context.c: the services a step calls while the ceremony runs: the
 * transcript, the operator's confirmations, the signing time, outputs,
 * and the signal flag that stops a run before the next HSM operation.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "record/outfile.h"
#include "record/pgpwords.h"
#include "run/context.h"
#include "run/steplint.h"

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

static const int caught[CER_CTX_NSIGNALS] = { SIGINT, SIGTERM, SIGHUP };

void
cer_ctx_catch_signals(struct sigaction *old)
{
	struct sigaction sa;
	size_t i;

	interrupted = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: a waiting prompt returns */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < CER_CTX_NSIGNALS; i++)
		sigaction(caught[i], &sa, &old[i]);
}

void
cer_ctx_restore_signals(const struct sigaction *old)
{
	size_t i;

	for (i = 0; i < CER_CTX_NSIGNALS; i++)
		sigaction(caught[i], &old[i], NULL);
}

int
cer_ctx_interrupted(void)
{
	if (interrupted == 0)
		return CER_OK;
	return cer_fail(CER_ERR_ABORTED, "interrupted by %s; stopped before the next HSM "
	    "operation", strsignal(interrupted));
}

int
cer_ctx_init(struct cer_ctx *ctx, const struct cer_options *opt, struct cer_script *s)
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
	ctx->notices = json_object();
	if (ctx->modules == NULL || ctx->tokens == NULL || ctx->keys == NULL ||
	    ctx->certs == NULL || ctx->adopt == NULL || ctx->outputs == NULL ||
	    ctx->notices == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	return CER_OK;
}

void
cer_ctx_clear(struct cer_ctx *ctx)
{
	size_t i;

	if (ctx->script == NULL)
		return;
	for (i = 0; ctx->keys != NULL && i < ctx->script->nsteps; i++)
		cer_hsm_key_free(ctx->keys[i]);
	for (i = 0; ctx->certs != NULL && i < ctx->script->nsteps; i++)
		X509_free(ctx->certs[i]);
	free(ctx->certs);
	free(ctx->adopt);
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
	json_decref(ctx->notices);
	cer_transcript_free(ctx->tr);
}

time_t
cer_ctx_time(const struct cer_ctx *ctx)
{
	return ctx->opt->has_at ? ctx->opt->at : time(NULL);
}

/*
 * The notices of a lint record, kept to be listed when the ceremony ends:
 * they never stop it, and "linted clean" must not hide them.  One per step
 * and rule, whatever the stages that found it.
 */
static void
keep_notices(struct cer_ctx *ctx, const json_t *data)
{
	const json_t *v;
	char key[300];
	size_t i;

	json_array_foreach(json_object_get(data, "verdicts"), i, v) {
		if (!cer_steplint_is_notice(v))
			continue;
		snprintf(key, sizeof(key), "step %s: %s", json_string_value(json_object_get(data,
		    "step")), json_string_value(json_object_get(v, "rule")));
		json_object_set(ctx->notices, key, json_object_get(v, "message"));
	}
}

int
cer_ctx_record(struct cer_ctx *ctx, const char *event, json_t *data)
{
	if (data == NULL)
		return cer_fail(CER_ERR_ALLOC, "cannot build transcript record '%s'", event);
	if (strcmp(event, "lint") == 0 && ctx->notices != NULL)
		keep_notices(ctx, data);
	return cer_transcript_append(ctx->tr, event, data);
}

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

/*
 * A line from the terminal fd into answer (the rest of a longer line read
 * and dropped).  The run's signals are blocked except inside ppoll(), so
 * one that comes just before the wait ends it at once instead of being
 * noticed only after the operator types a line.
 */
static int
read_answer(int fd, char *answer, size_t n)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	sigset_t block, old, wait;
	size_t have = 0, i;
	char c;
	ssize_t got;
	int r = CER_ERR_ABORTED;

	sigemptyset(&block);
	for (i = 0; i < CER_CTX_NSIGNALS; i++)
		sigaddset(&block, caught[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	wait = old;
	for (i = 0; i < CER_CTX_NSIGNALS; i++)
		sigdelset(&wait, caught[i]);
	answer[0] = '\0';
	while (interrupted == 0) {
		if (ppoll(&p, 1, NULL, &wait) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if ((got = read(fd, &c, 1)) == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (got <= 0)
			break;
		if (c == '\n') {
			r = CER_OK;
			break;
		}
		if (have + 1 < n)
			answer[have++] = c;
		answer[have] = '\0';
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (r != CER_OK)
		return cer_fail(CER_ERR_ABORTED, "no answer at the terminal");
	answer[strcspn(answer, "\r")] = '\0';
	return CER_OK;
}

/* Asks at the terminal; what and label come from the script: escaped. */
static int
ask(const char *what, const char *label, const unsigned char *fp, char *answer, size_t n)
{
	FILE *tty;
	int r = CER_OK;

	if ((tty = fopen("/dev/tty", "r+")) == NULL)
		return cer_fail(CER_ERR_ABORTED,
		    "no terminal to confirm '%s'; run at a terminal "
		    "or pass --yes", what);
	fputc('\n', tty);
	cer_fputs_safe(tty, what);
	fputc('\n', tty);
	show_fingerprint(tty, label, fp);
	/* "y" is not consent, and not a refusal either: ask again until yes or no */
	for (;;) {
		fprintf(tty, "Type yes to proceed, or no to stop here: ");
		fflush(tty);
		if ((r = read_answer(fileno(tty), answer, n)) != CER_OK ||
		    strcmp(answer, "yes") == 0 || strcmp(answer, "no") == 0)
			break;
		fputc('\'', tty);
		cer_fputs_safe(tty, answer);
		fprintf(tty, "' is neither yes nor no.\n");
	}
	fclose(tty);
	return r;
}

int
cer_ctx_confirm(struct cer_ctx *ctx, const struct cer_step *step, const char *what,
    const unsigned char *fingerprint, const char *serial)
{
	unsigned char so_far[CER_SHA256_LEN];
	char answer[64] = "--yes", *fp = NULL, *tr = NULL;
	int r;

	if ((r = cer_ctx_interrupted()) != CER_OK)
		return r;
	cer_transcript_digest(ctx->tr, so_far);
	if ((fingerprint != NULL && (r = cer_hex(fingerprint, CER_SHA256_LEN,
	    &fp)) != CER_OK) ||
	    (fingerprint == NULL && (r = cer_hex(so_far, CER_SHA256_LEN, &tr)) != CER_OK))
		goto out;
	if (!ctx->opt->yes && (r = ask(what, fingerprint != NULL ? "TBS SHA-256" :
	    "transcript so far (SHA-256 of its last record)",
	    fingerprint != NULL ? fingerprint :
	    so_far, answer, sizeof(answer))) != CER_OK)
		goto out;
	if ((r = cer_ctx_record(ctx, "confirmation", json_pack("{s:s, s:s, s:o, s:o, s:o, s:s}",
	    "step", step->id, "question", what, "tbs_sha256", fp != NULL ? json_string(fp) :
	    json_null(), "transcript_sha256", tr != NULL ? json_string(tr) : json_null(),
	    "serial", serial != NULL ? json_string(serial) : json_null(), "answer",
	    answer))) != CER_OK || (r = cer_ctx_interrupted()) != CER_OK)
		goto out;
	if (strcmp(answer, "yes") != 0 && strcmp(answer, "--yes") != 0)
		r = cer_fail(CER_ERR_ABORTED,
		    "the operator answered no; stopped before the HSM operation");
 out:
	/* A signal during the prompt ends the read: say so, not "no answer". */
	if (r != CER_OK && interrupted != 0)
		r = cer_ctx_interrupted();
	free(fp);
	free(tr);
	return r;
}

int
cer_ctx_confirm_tbs(void *arg, const unsigned char tbs_sha256[32])
{
	struct cer_ctx_confirm_arg *a = arg;

	if (a->linted != NULL && memcmp(a->linted, tbs_sha256, CER_SHA256_LEN) != 0)
		return cer_fail(CER_ERR_VERIFY,
		    "step %s: the TBS about to be signed is not the one "
		    "the linter saw; nothing was signed", a->step->id);
	return cer_ctx_confirm(a->ctx, a->step, a->what, tbs_sha256, a->serial);
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
		r = cer_fail(CER_ERR_OUTPUT_EXISTS,
		    "output %s exists but is not what this step "
		    "makes; it was not written by this ceremony: move it away and resume again",
		    path);
	free(buf);
	return r;
}

int
cer_ctx_output(struct cer_ctx *ctx, const struct cer_step *step, const char *kind,
    const char *path, const void *data, size_t len)
{
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
	if (r != CER_OK || (r = cer_sha256_hex(data, len, &hex)) != CER_OK)
		goto out;
	o = json_pack("{s:s, s:s, s:s, s:s}", "step", step->id, "kind", kind, "path", path,
	    "sha256", hex);
	if (o == NULL || json_array_append(ctx->outputs, o) != 0) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	printf("%s: wrote %s (SHA-256 %s)\n", step->id, path, hex);
	r = cer_ctx_record(ctx, "output", o);
	o = NULL; /* consumed */
 out:
	json_decref(o);
	free(hex);
	return r;
}

int
cer_ctx_pkcs11_config(struct cer_ctx *ctx, const struct cer_step *step, const char *path,
    const char *data, size_t len, json_t *about)
{
	json_t *rec = NULL;
	int r;

	if (about == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	if (cer_resume_wrote(ctx->resume, step->id, path)) {
		/* recorded before the interruption, so perhaps written: the same bytes or none */
		json_decref(about);
		if ((r = linked_before(path, data, len)) != CER_ERR_INPUT)
			return r;
		r = cer_outfile_write_private(path, data, len);
	} else {
		if ((rec = json_pack("{s:s, s:s}", "step", step->id, "path", path)) == NULL ||
		    json_object_update(rec, about) != 0) {
			json_decref(about);
			json_decref(rec);
			return cer_fail(CER_ERR_ALLOC, "out of memory");
		}
		json_decref(about);
		if ((r = cer_ctx_record(ctx, "pkcs11-config", rec)) == CER_OK)
			r = cer_outfile_write_private(path, data, len);
	}
	if (r == CER_OK)
		fprintf(stderr, "ceremony: warning: %s: wrote %s (Boulder's pkcs11-config-path), "
		    "which holds the token's PIN in clear; keep it as you keep the PIN\n",
		    step->id, path);
	return r;
}
