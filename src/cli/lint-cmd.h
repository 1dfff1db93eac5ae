/* lint-cmd.h: `ceremony lint`, the linter on files (the engine is lint/lint.h). */
#ifndef CER_LINT_CMD_H
#define CER_LINT_CMD_H

#include "base/err.h"

/*
 * ceremony lint [--profile P] [--issuer CERT] [--at TIME] [--affiliated |
 * --not-affiliated] [--json] [--skip ID]... FILE... | --list [--markdown |
 * --json] | --help.  A FILE is a certificate or a CRL (PEM or DER) or an
 * OCSP response (DER); the last two need --issuer.  Without --at each file
 * is judged as signed at its own notBefore, thisUpdate or producedAt.
 * Returns CER_OK when clean, CER_ERR_VERIFY when any error or warning was
 * found (the lines are printed), CER_ERR_USAGE / CER_ERR_INPUT otherwise.
 */
int cer_lint_main(int argc, char **argv) CER_WUR;

#endif
