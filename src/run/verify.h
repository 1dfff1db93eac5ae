/*
 * verify.h: `ceremony verify SCRIPT [--transcript FILE]`, without any HSM.
 * Every artefact the script's steps make is built again by its step type's
 * build_tbs (the builder the rehearsal and the run use) over a third
 * source: the script's existing output files and inputs, the keys the
 * transcript recorded (or the public-key outputs), and the serials the
 * transcript recorded or the script pins.  Each is compared byte for byte
 * with its output file, every difference reported by field, and every
 * signature verified with the issuer's public key.
 */
#ifndef CER_VERIFY_H
#define CER_VERIFY_H

#include "base/err.h"

/*
 * Verifies the outputs of script (transcript: the run's, or NULL) and
 * prints a report on stdout.  CER_OK when every artefact is what the
 * script makes; CER_ERR_VERIFY (exit 1) naming how many differ; the
 * loader's and the plan's codes (exit 2) for a script or input that is
 * wrong in itself; the checker's for a broken transcript.
 */
int cer_verify_run(const char *script, const char *transcript) CER_WUR;

#endif
