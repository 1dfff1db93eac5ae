/*
 * step-ocsp.h: what the three files of the ocsp-response step type share
 * (step-ocsp-response.c: the descriptor and the script; step-ocsp-plan.c:
 * the input files and the rules across them, and the builder;
 * step-ocsp-run.c: the ceremony).  Private to src/steps/.
 */
#ifndef CER_STEP_OCSP_H
#define CER_STEP_OCSP_H

#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

#include "run/context.h"
#include "run/plan.h"
#include "script/model.h"
#include "steps/step.h"
#include "x509/ocsp.h"

/* What an ocsp-response step says beyond struct cer_step (its cer_step.own). */
struct cer_ocsp_step {
	struct cer_ocsp_params p;
	struct cer_pos profile_pos, this_update_pos, next_update_pos, status_pos;
	struct cer_pos revocation_date_pos, reason_pos;
	enum cer_sigalg sigalg;		/* ocsp-profile signature-algorithm, or CER_SIG_NONE */
	struct cer_pos sigalg_pos;
	size_t signer;			/* signer: an ocsp-signer step, or CER_NO_INDEX */
	struct cer_pos signer_pos;
	char *in_signer;		/* inputs.delegated-issuer-certificate-path */
	struct cer_pos in_signer_pos;
	size_t *certs;			/* certificate: earlier steps, in order */
	struct cer_pos *certs_pos;
	size_t ncerts;
	struct cer_strlist cert_paths;	/* inputs.certificate-path: one or a list */
	char *cert_dir;			/* inputs.certificate-dir */
	struct cer_pos cert_dir_pos;
	char *dir, *der_dir;		/* outputs.response-dir, response-der-dir */
	struct cer_pos dir_pos, der_dir_pos;
};

/* Which certificate a response is about: its serial, and the SHA-256 of its DER. */
struct cer_ocsp_about {
	unsigned char serial[20];
	size_t serial_len;
	unsigned char sha256[32];
};

/*
 * A certificate from a file, as the plan read and checked it; the run
 * needs no more of it (so the file is read once, and what was checked is
 * what the responses are about).
 */
struct cer_ocsp_item {
	char *path;
	struct cer_ocsp_about about;
};

/* What the plan keeps of an ocsp-response step (its cer_plan_step.own). */
struct cer_ocsp_plan {
	X509 *issuer;		/* from inputs.issuer-certificate-path, or NULL */
	X509 *signer;		/* from inputs.delegated-issuer-certificate-path, or NULL */
	struct cer_ocsp_item *items;	/* certificate files: certificate-path, then the directory */
	size_t nitems;
};

/* The step's own parts. */
const struct cer_ocsp_step *cer_step_ocsp_of(const struct cer_step *st);
const struct cer_ocsp_plan *cer_step_ocsp_plan_of(const struct cer_plan_step *ps);

/* How many responses the step makes: one per certificate. */
size_t cer_step_ocsp_count(const struct cer_step *st, const struct cer_plan_step *ps);

/* The plan of an ocsp-response step (its descriptor's plan). */
int cer_step_ocsp_plan(const struct cer_script *s, size_t i, struct cer_plan_step *ps) CER_WUR;

/*
 * The issuer and the certificate whose key signs (the issuer, or the
 * delegated responder) of step i, from src; borrowed.
 */
int cer_step_ocsp_signers(const struct cer_source *src, size_t i, X509 **issuer,
    X509 **signer) CER_WUR;

/*
 * Response k of step i, unsigned, produced at src->at: out->ocsp, and
 * out->issuer; *about the certificate it is about (a step's, checked to be
 * the issuer's by name and key identifier; a file's, as the plan read it).
 */
int cer_step_ocsp_build(const struct cer_source *src, size_t i, size_t k, struct cer_tbs *out,
    struct cer_ocsp_about *about) CER_WUR;

/* The run of an ocsp-response step (its descriptor's run). */
int cer_step_ocsp_run(struct cer_ctx *ctx, const struct cer_step *st, size_t i) CER_WUR;

/* The lowercase hex of a serial, as the transcript and the file names write it. */
int cer_step_ocsp_serial_hex(const struct cer_ocsp_about *a, char **out) CER_WUR;

#endif
