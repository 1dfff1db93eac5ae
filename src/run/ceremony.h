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
#include "script/site.h"

/* ceremony run: the whole ceremony. */
int cer_ceremony_run(const struct cer_options *opt) CER_WUR;

/*
 * The script opt names, and the site file opt names (NULL without one)
 * applied to it: each token role placed as the site says.  The caller
 * frees both, also on failure.
 */
int cer_ceremony_load(const struct cer_options *opt, struct cer_script **s,
    struct cer_site **site) CER_WUR;

/*
 * The whole ceremony of a loaded script (site: the site file applied to
 * it, for the transcript, or NULL); ceremony rehearse runs its throwaway
 * copy through here, as ceremony run does the real one.
 */
int cer_ceremony_run_script(const struct cer_options *opt, struct cer_script *s,
    const struct cer_site *site) CER_WUR;

/* ceremony check: validation and the plan on stdout; no HSM is opened (check.c). */
int cer_ceremony_check(const struct cer_options *opt) CER_WUR;

/*
 * The plan as check prints it: the ceremony's name, each token the steps
 * use (where, and from which file), each step with what it will do, what
 * its certificate carries (from lint, the rehearsal's plan-stage records;
 * may be NULL), what it skips and writes, and (notready not NULL) what this
 * machine lacks.
 */
void cer_ceremony_print_plan(const struct cer_script *s, const struct cer_plan *plan,
    const json_t *notready, const json_t *lint);

#endif
