/*
 * script.h: the ceremony script, loaded strictly from YAML (libyaml).
 *
 * One YAML document is either a native script (top-level "steps:") or a
 * Boulder ceremony config (top-level "ceremony-type:"), which becomes a
 * one-step script whose token comes from its "pkcs11:" block.  Every
 * syntactic and within-file semantic error is found here, with the
 * file:line:column of the offending node; nothing here touches the file
 * system (beyond reading the script) or an HSM.  Each step's body is read
 * by its step type (steps/step.h).  docs/script.md is the reference for
 * the format; model.h is what a loaded script holds.
 */
#ifndef CER_SCRIPT_H
#define CER_SCRIPT_H

#include <stddef.h>

#include "base/err.h"
#include "script/model.h"

/*
 * Reads and parses the script at path.  Returns CER_OK, CER_ERR_INPUT when
 * the file cannot be read, CER_ERR_SCRIPT (detail "path:line:col: ...")
 * for any error in its content, CER_ERR_ALLOC.
 */
int cer_script_load(const char *path, struct cer_script **out) CER_WUR;

/*
 * Parses len bytes of script text; name is used in messages.  The fuzzing
 * entry point.  Same codes as cer_script_load but never CER_ERR_INPUT.
 */
int cer_script_parse(const char *name, const unsigned char *text, size_t len,
    struct cer_script **out) CER_WUR;

#endif
