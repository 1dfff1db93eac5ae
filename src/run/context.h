/*
 * context.h: a running ceremony, and the services its steps call.  A step
 * records every event in the transcript, confirms each HSM operation with
 * the operator, and writes its outputs only through this module; the
 * driver (ceremony.c) owns the phases, the steps (steps/) only act.
 */
#ifndef CER_CONTEXT_H
#define CER_CONTEXT_H

#include <signal.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>
#include <openssl/x509.h>

#include "base/err.h"
#include "hsm/hsm.h"
#include "record/transcript.h"
#include "run/plan.h"
#include "run/resume.h"
#include "script/model.h"

/* The command line of a run or a check. */
struct cer_options {
	const char *script_path;
	const char *transcript_path;	/* NULL: <script minus .yaml>.transcript.jsonl */
	int yes;			/* answer every confirmation (CI) */
	int allow_literal_pin;		/* accept literal PINs on hardware tokens */
	const char *resume_path;	/* continue the interrupted ceremony of this transcript */
	int has_at;			/* --at: the signing time of a rehearsal */
	time_t at;
	int ready;			/* check --ready: this machine must be ready to run it */
	const char *site_path;		/* --site: where each token role is here, or NULL */
	const char *keep_dir;		/* rehearse --keep: leave the rehearsal's files here */
	json_t *rehearsal;		/* a rehearsal's run: what it replaced, for begin.options */
};

struct cer_module {
	char *path;
	struct cer_hsm *hsm;
};

struct cer_ctx {
	const struct cer_options *opt;
	struct cer_script *script;
	struct cer_transcript *tr;
	struct cer_module *modules;
	size_t nmodules;
	struct cer_token **tokens;	/* one per script token; NULL when unused */
	struct cer_key **keys;		/* one per step: the key it made or used */
	X509 **certs;			/* one per step: the certificate it signed */
	struct cer_plan *plan;		/* inputs and resolved algorithms */
	struct cer_resume *resume;	/* --resume: what was done before, or NULL */
	int *adopt;			/* per step: take over a key made but not recorded */
	json_t *plan_lint;		/* the rehearsal's lint records, for the transcript */
	json_t *outputs;		/* [{"path","sha256","kind","step"}] */
	json_t *notices;		/* {"step rule": "message"}: the lint notices recorded */
};

/* Allocates the per-token and per-step arrays for script s. */
int cer_ctx_init(struct cer_ctx *ctx, const struct cer_options *opt,
    struct cer_script *s) CER_WUR;

/* Logs out, closes sessions, finalises modules, frees everything but the script. */
void cer_ctx_clear(struct cer_ctx *ctx);

/*
 * SIGINT, SIGTERM and SIGHUP do not kill a ceremony: they are noticed
 * before the next HSM operation, and the run stops through the ordinary
 * failure path.  catch_signals returns the previous handlers in old.
 */
#define CER_CTX_NSIGNALS 3
void cer_ctx_catch_signals(struct sigaction *old);
void cer_ctx_restore_signals(const struct sigaction *old);

/* CER_ERR_ABORTED (naming the signal) once a signal arrived, else CER_OK. */
int cer_ctx_interrupted(void) CER_WUR;

/* The signing time: --at for a rehearsal, else the clock. */
time_t cer_ctx_time(const struct cer_ctx *ctx);

/* Appends an event to the transcript (data consumed; NULL means out of memory). */
int cer_ctx_record(struct cer_ctx *ctx, const char *event, json_t *data) CER_WUR;

/*
 * Shows what is about to happen (and the fingerprint, when not NULL, in
 * hex and PGP words) and waits for the operator to type "yes"; --yes
 * answers for CI.  The question, the step, the serial about to be signed
 * (hex, or NULL) and the answer go into the transcript.  CER_ERR_ABORTED
 * for any other answer or a signal.
 */
int cer_ctx_confirm(struct cer_ctx *ctx, const struct cer_step *step, const char *what,
    const unsigned char *fingerprint, const char *serial) CER_WUR;

/* cer_ctx_confirm as a cer_sign_confirm_fn: arg is a struct cer_ctx_confirm_arg. */
struct cer_ctx_confirm_arg {
	struct cer_ctx *ctx;
	const struct cer_step *step;
	const char *what;
	const char *serial;	/* hex, or NULL */
	const unsigned char *linted;	/* SHA-256 of the TBS the linter saw, or NULL */
};
int cer_ctx_confirm_tbs(void *arg, const unsigned char tbs_sha256[32]) CER_WUR;

/*
 * Writes a new output file and records its path and SHA-256 (when
 * resuming, an output written or linked before the interruption is kept
 * only when it holds exactly data).
 */
int cer_ctx_output(struct cer_ctx *ctx, const struct cer_step *step, const char *kind,
    const char *path, const void *data, size_t len) CER_WUR;

/*
 * Boulder's pkcs11-config-path: a file holding the PIN, so not an
 * ordinary output.  It is recorded first ("pkcs11-config": its path and
 * what it holds, about merged in; never its hash, which would give a short
 * PIN away), then created with O_EXCL|O_NOFOLLOW, mode 0600, fsync'ed with
 * its directory, and one warning line is printed.  When resuming, a file
 * recorded before the interruption is kept only when it holds exactly data.
 */
int cer_ctx_pkcs11_config(struct cer_ctx *ctx, const struct cer_step *step,
    const char *path, const char *data, size_t len, json_t *about) CER_WUR;

#endif
