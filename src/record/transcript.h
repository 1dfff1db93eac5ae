/*
 * transcript.h: the hash-chained ceremony record (JSON Lines, jansson).
 *
 * Each line is one object {"seq","time","event","prev","data"}, where prev
 * is the lowercase hex SHA-256 of the previous line's bytes without its
 * newline (64 zeros on line 0).  The file is created with O_EXCL and every
 * line is fsync'ed as it is written, so a crash loses at most the line
 * being written.  Nothing secret is ever given to it.
 */
#ifndef CER_TRANSCRIPT_H
#define CER_TRANSCRIPT_H

#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#include "base/err.h"
#include "base/util.h"

struct cer_transcript;

/*
 * A transcript for path, held in memory until cer_transcript_commit: a
 * ceremony that stops before anything on a token can change (bad PIN, no
 * token, a label taken) leaves no file at all.
 */
int cer_transcript_new(const char *path, struct cer_transcript **out) CER_WUR;

/*
 * A transcript that continues an existing file (--resume): the next line
 * gets seq and prev, and is appended.  size is the file's size when it was
 * read; the commit refuses a file that has changed since.
 */
int cer_transcript_continue(const char *path, size_t seq,
    const unsigned char prev[static CER_SHA256_LEN], off_t size,
    struct cer_transcript **out) CER_WUR;

/*
 * Creates the file (O_EXCL: never replacing one), writes what is held and
 * from then on writes each line as it is appended.  CER_ERR_OUTPUT_EXISTS
 * if the file exists.
 */
int cer_transcript_commit(struct cer_transcript *t) CER_WUR;

/* Appends one event; data is consumed (decref'ed) on every path. */
int cer_transcript_append(struct cer_transcript *t, const char *event, json_t *data) CER_WUR;

/* SHA-256 of the last line written (all zeros before the first). */
void cer_transcript_digest(const struct cer_transcript *t, unsigned char out[static CER_SHA256_LEN]);

/* 1 once the file exists. */
int cer_transcript_committed(const struct cer_transcript *t);

/* The path, and the number of lines written. */
const char *cer_transcript_path(const struct cer_transcript *t);
size_t cer_transcript_lines(const struct cer_transcript *t);

/* Closes the file (an uncommitted transcript is dropped). Accepts NULL. */
void cer_transcript_free(struct cer_transcript *t);

#endif
