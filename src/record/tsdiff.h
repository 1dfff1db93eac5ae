/*
 * tsdiff.h: `ceremony diff-transcripts A B`: what two transcripts of one
 * script (a rehearsal and the real run, or two runs) did differently,
 * beyond what must differ: keys and what derives from them (SPKI hashes,
 * key identifiers, CKA_IDs, signatures, TBS and file hashes), random
 * values (serials not pinned by the script), token identity (modules,
 * tokens, logins, PIN sources, mechanisms, the site file, token labels in
 * questions), times (record times, lint times, --at), the machine (host,
 * directory, library versions, the binary's hash) and where a rehearsal
 * put outputs the script names outside its directory.  Everything else
 * is compared: the script's SHA-256, the tool's version, every step's
 * events, each certificate's subject, issuer, validity, algorithm, key
 * kind and extensions (names, order, criticality, values but SKI/AKI),
 * every lint verdict, outputs by path, errors and the end status.
 */
#ifndef CER_TSDIFF_H
#define CER_TSDIFF_H

#include <stddef.h>
#include <stdio.h>

#include "base/err.h"
#include "record/tscheck.h"

/*
 * Writes one line per difference to f, by step and event, in the order
 * of a's records (then b's), and counts them in *n.
 */
int cer_tsdiff(const struct cer_tscheck *a, const struct cer_tscheck *b, FILE *f,
    size_t *n) CER_WUR;

/*
 * The command: both transcripts verified (an incomplete one is compared
 * and said to be), the differences printed; CER_ERR_VERIFY (exit 1) when
 * there is one.
 */
int cer_tsdiff_run(const char *a, const char *b) CER_WUR;

#endif
