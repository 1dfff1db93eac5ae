/*
 * outfile.h: outputs are created, never replaced.  Each is written to a
 * temporary file in its directory, fsync'ed, linked into place (link(2)
 * fails rather than replace an existing file) and the directory fsync'ed,
 * so a crash leaves either the whole file or nothing under its name.
 */
#ifndef CER_OUTFILE_H
#define CER_OUTFILE_H

#include <stddef.h>

#include "base/err.h"

/*
 * Checks before anything is touched that path does not exist and that its
 * directory does.  CER_ERR_OUTPUT_EXISTS or CER_ERR_INPUT, with what to do.
 * where is the script position prefix ("s.yaml:12:5") for the message.
 */
int cer_outfile_check(const char *path, const char *where) CER_WUR;

/*
 * The path an output will have once written: its directory resolved with
 * realpath(3), then its file name; two spellings of one file compare equal.
 * The directory must exist (cer_outfile_check first).
 */
int cer_outfile_canonical(const char *path, char **out) CER_WUR;

/* Creates path with len bytes of data, mode 0644. CER_ERR_OUTPUT_EXISTS if it appeared. */
int cer_outfile_write(const char *path, const void *data, size_t len) CER_WUR;

#endif
