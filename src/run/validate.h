/*
 * validate.h: the first phase of a run, and all of `ceremony check`:
 * everything that needs no HSM.  The modules and PIN sources of the tokens
 * the steps use, every output (new, in an existing directory, no two the
 * same file), the skip-lints names, the plan (each step's input files and
 * the checks that need them, per step type), then the rehearsal.  Nothing
 * is written and no HSM is opened.
 */
#ifndef CER_VALIDATE_H
#define CER_VALIDATE_H

#include <time.h>

#include <jansson.h>

#include "base/err.h"
#include "run/plan.h"
#include "run/resume.h"
#include "script/model.h"

/*
 * The whole validation of s at signing time at (transcript: its path;
 * res: what an interrupted run did, or NULL).  *plan and *lint (the
 * rehearsal's lint records) are the caller's.  The detail names the
 * script position of the first problem.
 *
 * notready NULL: what depends on this machine fails like any problem (a
 * run, ceremony check --ready).  A JSON array: such a problem (a PKCS#11
 * module, a PIN source, an output's directory or an existing output, an
 * input file that is not here) is appended to it as one line, and the
 * validation goes on; a step whose inputs are not here is neither planned
 * nor rehearsed (plan->steps[i].unplanned), nor is one that needs it.
 */
int cer_validate(const struct cer_script *s, const char *transcript,
    const struct cer_resume *res, time_t at, json_t *notready, struct cer_plan **plan,
    json_t **lint) CER_WUR;

/*
 * The plan alone: every step's inputs loaded and checked by its step type.
 * CER_ERR_INPUT for a file that cannot be read or is not what it should be,
 * CER_ERR_SCRIPT for a script that contradicts its inputs.
 */
int cer_validate_plan(const struct cer_script *s, struct cer_plan **out) CER_WUR;

/* The default transcript path: <script without .yaml/.yml>.transcript.jsonl. */
int cer_validate_transcript_path(const char *script, char **out) CER_WUR;

#endif
