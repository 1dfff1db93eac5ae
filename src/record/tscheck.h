/*
 * tscheck.h: reading and verifying a transcript offline, for auditors.
 *
 * A separate module from transcript.h (the writer): the writer must stay
 * small and is used during the ceremony, while the checker parses
 * untrusted input, needs X.509 and runs afterwards, on another machine.
 * They share only the format, documented in docs/transcript.md.
 */
#ifndef CER_TSCHECK_H
#define CER_TSCHECK_H

#include <stddef.h>

#include <jansson.h>

#include "base/err.h"
#include "base/util.h"

struct cer_tscheck;

struct cer_tscheck_opts {
	int outputs;		/* also hash every output file */
	/*
	 * Resolve relative output paths here; NULL: in the directory the run
	 * began in (begin.cwd) when it exists, else in the transcript's.
	 */
	const char *dir;
	const char *digest;	/* the final digest the witnesses wrote down (hex or PGP words), or NULL */
};

struct cer_tscheck_summary {
	size_t records, steps, keys, certificates, csrs, crls, outputs, files;
	size_t pkcs11_configs;	/* Boulder's pkcs11-config-path files: recorded, never hashed */
	int complete;		/* the last record is 'end' */
	const char *status;	/* its status (valid while the transcript is), or NULL */
};

/*
 * Reads path and checks its form and hash chain: every line a JSON object
 * with exactly seq, time, event, prev and data; seq 0, 1, 2, ...; prev the
 * SHA-256 of the previous line's bytes; 'begin' first, nothing after 'end'.
 * CER_ERR_INPUT if unreadable, CER_ERR_TRANSCRIPT naming FILE:LINE of the
 * first broken line.  A transcript without 'end' loads (see verify).
 */
int cer_tscheck_load(const char *path, struct cer_tscheck **out) CER_WUR;

/* The same on len bytes already read; name stands for the file in messages. */
int cer_tscheck_parse(const char *name, const unsigned char *buf, size_t len,
    struct cer_tscheck **out) CER_WUR;

/*
 * Checks the content: each certificate's DER hash and signature (with
 * issuer_pem, or its own key), each CSR's self-signature, each key's SPKI
 * hash, certificate outputs against the recorded PEM, 'end' against the
 * outputs; with o->outputs each output file's SHA-256; with o->digest the
 * final digest.  CER_ERR_VERIFY (or CER_ERR_TRANSCRIPT for a malformed
 * record) naming FILE:LINE or the output file; CER_OK even when 'end' is
 * missing: sum->complete says so.
 */
int cer_tscheck_verify(const struct cer_tscheck *t, const struct cer_tscheck_opts *o,
    struct cer_tscheck_summary *sum) CER_WUR;

/* cer_tscheck_load, then cer_tscheck_verify: *out only when both pass. */
int cer_tscheck_open(const char *path, const struct cer_tscheck_opts *o,
    struct cer_tscheck **out, struct cer_tscheck_summary *sum) CER_WUR;

/* `ceremony transcript verify`: load, verify, print the summary; an incomplete transcript fails. */
int cer_tscheck_run(const char *path, const struct cer_tscheck_opts *o) CER_WUR;

/* The path, the number of records, record i (borrowed), the SHA-256 of the last line. */
const char *cer_tscheck_path(const struct cer_tscheck *t);
size_t cer_tscheck_count(const struct cer_tscheck *t);
json_t *cer_tscheck_record(const struct cer_tscheck *t, size_t i);
void cer_tscheck_digest(const struct cer_tscheck *t, unsigned char out[static CER_SHA256_LEN]);

/* Frees what load made. Accepts NULL. */
void cer_tscheck_free(struct cer_tscheck *t);

#endif
