/*
 * step.h: the ceremony context the step handlers share, and the table of
 * step types.  A handler runs one step: it asks the context for its token
 * and keys, records every event in the transcript, confirms each HSM
 * operation with the operator, and writes its outputs only through
 * cer_step_output.
 */
#ifndef CER_STEP_H
#define CER_STEP_H

#include <stddef.h>

#include <jansson.h>
#include <openssl/evp.h>

#include <openssl/x509.h>

#include "run/ceremony.h"
#include "hsm/hsm.h"
#include "run/plan.h"
#include "run/resume.h"
#include "script/script.h"
#include "x509/sign.h"
#include "record/transcript.h"

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
};

struct cer_step_handler {
	enum cer_step_type type;
	int (*run)(struct cer_ctx *ctx, const struct cer_step *step, size_t index);
	const char *description;
};

/* The handler for a step type, or NULL when this version has none. */
const struct cer_step_handler *cer_step_handler(enum cer_step_type type);

/* Appends an event to the transcript (data consumed). */
int cer_step_record(struct cer_ctx *ctx, const char *event, json_t *data) CER_WUR;

/*
 * Shows what is about to happen (and the fingerprint, when not NULL, in
 * hex) and waits for the operator to type "yes"; --yes answers for CI.
 * The question, the step, the serial about to be signed (hex, or NULL)
 * and the answer go into the transcript.
 */
int cer_step_confirm(struct cer_ctx *ctx, const struct cer_step *step, const char *what,
    const unsigned char *fingerprint, const char *serial) CER_WUR;

/* cer_step_confirm as a cer_sign_confirm_fn: arg is a struct cer_step_confirm_arg. */
struct cer_step_confirm_arg {
	struct cer_ctx *ctx;
	const struct cer_step *step;
	const char *what;
	const char *serial;	/* hex, or NULL */
	const unsigned char *linted;	/* SHA-256 of the TBS the linter saw, or NULL */
};

/* The signing time: --at for a rehearsal, else the clock. */
time_t cer_step_time(const struct cer_ctx *ctx);
int cer_step_confirm_tbs(void *arg, const unsigned char tbs_sha256[32]) CER_WUR;

/* Writes a new output file and records its path and SHA-256. */
int cer_step_output(struct cer_ctx *ctx, const struct cer_step *step, const char *kind,
    const char *path, const void *data, size_t len) CER_WUR;

/* The step whose key signs step index (itself when it made or found one). */
size_t cer_step_key_owner(const struct cer_step *step, size_t index);

/*
 * The serial of a new certificate: the profile's pinned serial, or 0x01
 * followed by 16 bytes of HSM randomness XORed with OpenSSL's.  *serial
 * points into buf or into the profile.
 */
int cer_step_serial(struct cer_ctx *ctx, size_t index, struct cer_token *tok,
    const struct cer_cert_profile *p, unsigned char buf[static 17],
    const unsigned char **serial, size_t *len) CER_WUR;

/*
 * Confirms (with the TBS fingerprint), signs tbs in the HSM, checks it,
 * records "certificate-signed" (with issuer_pem unless issuer is NULL: a
 * root) and writes certificate-path; the certificate is kept in
 * ctx->certs[index] for later steps.
 */
int cer_step_sign_certificate(struct cer_ctx *ctx, const struct cer_step *step, size_t index,
    X509 *tbs, const struct cer_signer *s, X509 *issuer, const char *profile,
    const char *what) CER_WUR;

/* Resuming: the step's certificate or CSR is in the transcript already. */
static inline int
cer_step_signed_before(const struct cer_ctx *ctx, size_t index)
{
	return ctx->resume != NULL && ctx->resume->steps[index].signed_rec != NULL;
}

/* Writes (what is not written yet of) the recorded certificate or CSR; never signs. */
int cer_step_write_recorded(struct cer_ctx *ctx, const struct cer_step *step,
    size_t index) CER_WUR;

/* The signing step families (step-sign.c). */
int cer_step_run_issued(struct cer_ctx *ctx, const struct cer_step *step, size_t index) CER_WUR;
int cer_step_run_csr(struct cer_ctx *ctx, const struct cer_step *step, size_t index) CER_WUR;

#endif
