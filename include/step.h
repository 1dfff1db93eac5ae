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

#include "ceremony.h"
#include "hsm.h"
#include "script.h"
#include "transcript.h"

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
 * The question and the answer go into the transcript.
 */
int cer_step_confirm(struct cer_ctx *ctx, const char *what,
    const unsigned char *fingerprint) CER_WUR;

/* Writes a new output file and records its path and SHA-256. */
int cer_step_output(struct cer_ctx *ctx, const struct cer_step *step, const char *kind,
    const char *path, const void *data, size_t len) CER_WUR;

#endif
