/*
 * tokens.h: the token phase of a run.  Opens and logs in to every token
 * the script uses (recording the module, the token and the login), checks
 * that every label to be generated is free, finds every signing key named
 * by label, and checks every mechanism (key generation with its size,
 * signing) before any key is made; when resuming, finds again what the
 * interrupted run made.  Nothing on a token changes here.
 */
#ifndef CER_TOKENS_H
#define CER_TOKENS_H

#include "base/err.h"
#include "run/context.h"

/* The whole phase; the detail names the token, step or script position. */
int cer_tokens_prepare(struct cer_ctx *ctx) CER_WUR;

/*
 * r with its place in front of the detail: "script:L:C: step ID: ..." (or
 * "token NAME"), pos the step's (or token's) own when the detail names no
 * place of the script yet; a place already there is kept.  Every runtime
 * failure goes through it, so that an HSM error says where it happened.
 */
int cer_tokens_at_step(const struct cer_script *s, const struct cer_step *st, int r);
int cer_tokens_at_token(const char *file, const struct cer_token_spec *t, struct cer_pos pos,
    int r);

/* Where a token's PIN comes from, for plans and the transcript (never the PIN). */
const char *cer_tokens_pin_kind(const struct cer_token_spec *t);

#endif
