/*
 * tsshow-int.h: what the files of tsshow share: the output (text or HTML)
 * and the readers of a record's members (tsshow.c), the summary and the
 * digest (tsshow-sum.c).
 */
#ifndef CER_TSSHOW_INT_H
#define CER_TSSHOW_INT_H

#include <stdio.h>

#include <jansson.h>

#include "record/tsshow.h"

/* Where the output goes, and whether an HTML event block is open. */
struct cer_tsshow_out {
	FILE *f;
	int html, open;
};

/* Text, escaped for HTML when the output is HTML. */
void cer_tsshow_put(struct cer_tsshow_out *o, const char *s);

/* A heading of the record (closes an open event block). */
void cer_tsshow_section(struct cer_tsshow_out *o, const char *title);

/* At least 16 hex digits and nothing else: set in a monospaced face. */
int cer_tsshow_is_hex(const char *s);

/* A string member of obj, or "?" (a transcript is untrusted input). */
const char *cer_tsshow_text_of(const json_t *obj, const char *key);

/* A member at an "a/b/c" path, or NULL. */
const json_t *cer_tsshow_lookup(const json_t *data, const char *path);

/* The final digest in hex and PGP words. */
void cer_tsshow_digest(struct cer_tsshow_out *o, const struct cer_tscheck *t);

/* The summary: keys, certificates and CSRs, anything unusual, digest, witnesses (HTML). */
void cer_tsshow_summary(struct cer_tsshow_out *o, const struct cer_tscheck *t, int complete);

#endif
