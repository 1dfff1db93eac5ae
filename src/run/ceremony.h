/*
 * ceremony.h: the ceremony driver.  Validates the whole script and every
 * path before any HSM is opened; then opens and logs in to each token,
 * checks labels and mechanisms on every token before any key is made;
 * then runs the steps in order, each by its step type's descriptor,
 * recording everything in the transcript.
 */
#ifndef CER_CEREMONY_H
#define CER_CEREMONY_H

#include "base/err.h"
#include "run/context.h"

/* ceremony run: the whole ceremony. */
int cer_ceremony_run(const struct cer_options *opt) CER_WUR;

/* ceremony check: validation and the plan on stdout; no HSM is opened (check.c). */
int cer_ceremony_check(const struct cer_options *opt) CER_WUR;

#endif
