/*
 * trial.h: `ceremony rehearse SCRIPT [--site FILE] [--at TIME] [--keep DIR]`:
 * the whole ceremony, as `ceremony run --yes` runs it, on throwaway SoftHSM
 * tokens (throwaway.h) with its outputs in a directory of its own, then
 * checked (transcript verify --outputs, every certificate's chain with
 * OpenSSL's strict verifier) and cleared away; it prints what the real
 * run will do.  Nothing is written at the script's output paths and no
 * module the script names is loaded.  (run/rehearse.h is the software
 * rehearsal every validation makes, without any token.)
 */
#ifndef CER_TRIAL_H
#define CER_TRIAL_H

#include "base/err.h"
#include "run/context.h"

/*
 * opt: script_path, site_path, has_at/at, keep_dir (a new directory that
 * keeps the outputs and the transcript; NULL: a temporary one, removed).
 */
int cer_trial_run(const struct cer_options *opt) CER_WUR;

#endif
