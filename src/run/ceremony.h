/*
 * ceremony.h: the step executor.  Validates the whole script and every
 * path before any HSM is opened; then opens and logs in to each token,
 * checks labels and mechanisms on every token before any key is made;
 * then runs the steps in order, each dispatched from a table by its
 * ceremony-type, recording everything in the transcript.
 */
#ifndef CER_CEREMONY_H
#define CER_CEREMONY_H

#include <time.h>

#include "base/err.h"

struct cer_options {
	const char *script_path;
	const char *transcript_path;	/* NULL: <script minus .yaml>.transcript.jsonl */
	int yes;			/* answer every confirmation (CI) */
	int allow_literal_pin;		/* accept literal PINs on hardware tokens */
	const char *resume_path;	/* continue the interrupted ceremony of this transcript */
	int has_at;			/* --at: the signing time of a rehearsal */
	time_t at;
};

/* ceremony run: the whole ceremony. */
int cer_ceremony_run(const struct cer_options *opt) CER_WUR;

/* ceremony check: validation and the plan on stdout; no HSM is opened. */
int cer_ceremony_check(const struct cer_options *opt) CER_WUR;

#endif
