/*
 * rehearse.h: the whole script rehearsed in software before any HSM is
 * opened.  Every certificate is built by its step type's build_tbs (the
 * same builder the run uses) from throwaway keys of the planned kinds and
 * the plan's input files, signed by a throwaway key and linted, so that a
 * profile that breaks a rule is refused before any key exists.
 */
#ifndef CER_REHEARSE_H
#define CER_REHEARSE_H

#include <time.h>

#include <jansson.h>

#include "base/err.h"
#include "run/plan.h"
#include "script/model.h"

/*
 * Rehearses script s with its plan at signing time at.  CER_ERR_SCRIPT
 * with the step's position for the first refusal; *records gets one
 * "plan" lint record per certificate.
 */
int cer_rehearse(const struct cer_script *s, const struct cer_plan *plan, time_t at,
    json_t **records) CER_WUR;

#endif
