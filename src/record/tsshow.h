/*
 * tsshow.h: a verified transcript for people: plain text for a terminal or
 * a printer, or a self-contained HTML witness record to print and sign.
 */
#ifndef CER_TSSHOW_H
#define CER_TSSHOW_H

#include <stdio.h>

#include "base/err.h"
#include "record/tscheck.h"

/*
 * Writes t (loaded and verified by the caller) to f as text, or as HTML
 * when html is set.  complete is the summary's: an incomplete transcript
 * is shown, marked INCOMPLETE at the top and the bottom.
 */
void cer_tsshow_write(const struct cer_tscheck *t, int complete, FILE *f, int html);

/*
 * `ceremony transcript show [--html] FILE`: loads and verifies FILE (no
 * output files) and writes it to stdout.  Refuses, with the codes of
 * cer_tscheck_load and cer_tscheck_verify, a transcript that fails them.
 */
int cer_tsshow_run(const char *path, int html) CER_WUR;

#endif
