/*
 * outfile.h: outputs are created, never replaced.  Each is written to a
 * temporary file in its directory, fsync'ed, linked into place (link(2)
 * fails rather than replace an existing file) and the directory fsync'ed,
 * so a crash leaves either the whole file or nothing under its name.
 * Each is created relative to its directory's descriptor, opened once at
 * validation, so swapping the directory for a symlink later is no use.
 */
#ifndef CER_OUTFILE_H
#define CER_OUTFILE_H

#include <stddef.h>
#include <sys/types.h>

#include "base/err.h"

/*
 * Checks before anything is touched that path can be created exactly as
 * cer_outfile_write will create it: a file name (no trailing '/') within
 * NAME_MAX, the path within PATH_MAX, nothing there yet (not even a
 * symlink), and its directory a real directory (not a symlink in its last
 * component), writable, not world-writable without the sticky bit, in
 * which a temporary file can be made.  The directory is opened here once
 * and kept: every later write goes into it, whatever its path names by then.
 * CER_ERR_OUTPUT_EXISTS, CER_ERR_SCRIPT (the path itself) or
 * CER_ERR_INPUT (the directory), with what to do; where is the script
 * position prefix ("s.yaml:12:5") for the message.
 */
int cer_outfile_check(const char *path, const char *where) CER_WUR;

/*
 * The path an output will have once written: its directory as opened
 * (resolved through /proc/self/fd), then its file name; two spellings of
 * one file compare equal.
 */
int cer_outfile_canonical(const char *path, char **out) CER_WUR;

/*
 * Creates path with len bytes of data, mode 0644 (_private: 0600), in the
 * directory cer_outfile_check opened (opened now, with its checks, if it
 * was not).  CER_ERR_OUTPUT_EXISTS if it appeared.
 */
int cer_outfile_write(const char *path, const void *data, size_t len) CER_WUR;
int cer_outfile_write_private(const char *path, const void *data, size_t len) CER_WUR;

/*
 * openat(2) of path's file name in its opened directory, with O_NOFOLLOW
 * and O_CLOEXEC added (the transcript, which is appended to).
 * CER_ERR_SYSTEM with errno kept and no detail when openat fails.
 */
int cer_outfile_open(const char *path, int flags, mode_t mode, int *fd) CER_WUR;

/* Closes every directory opened (tests; the process's end does it otherwise). */
void cer_outfile_close_all(void);

#endif
