/*
 * resume.h: what an interrupted ceremony's transcript says was done, for
 * `ceremony run --resume TRANSCRIPT`.  The transcript is checked first as
 * an auditor would (chain, content, and every output file against its
 * recorded SHA-256); then its records are sorted by step: which steps
 * ended, which keys were generated, which certificates and CSRs signed,
 * which outputs written, and the serial of a signature that was confirmed
 * but not recorded (so it is signed again with the same serial, never
 * with another).
 */
#ifndef CER_RESUME_H
#define CER_RESUME_H

#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#include "base/err.h"
#include "script/model.h"
#include "script/site.h"
#include "base/util.h"

struct cer_resume_step {
	int done;		/* its step-end ok is recorded */
	int keygen_confirmed;	/* a key generation was confirmed ... */
	json_t *key;		/* ... and this key-generated record written, or NULL */
	json_t *signed_rec;	/* certificate-signed, csr-signed or crl-signed, or NULL */
	unsigned char serial[20];	/* of a confirmed signature not recorded */
	size_t serial_len;	/* 0: none */
	char refused_id[129];	/* CKA_ID (hex) of a key it refused and left on the token, or "" */
	char own_id[129];	/* CKA_ID of the key it made (key-created), while not destroyed */
	int destroyed;		/* its last key was destroyed and no generation confirmed since */
};

struct cer_resume {
	char *path;
	size_t nrecords;	/* the next seq */
	unsigned char digest[CER_SHA256_LEN];	/* of the last line */
	off_t size;		/* of the file as read */
	json_t *outputs;	/* every output record's data, in order */
	json_t *pkcs11_configs;	/* every pkcs11-config record's data (not outputs: no hash) */
	struct cer_resume_step *steps;	/* one per script step */
	size_t nsteps;
	size_t first;		/* the first step not done */
};

/*
 * Loads and checks the transcript at path for script s: the chain, the
 * content, every recorded output file, that it began with this very script
 * (same SHA-256), with the same site file (or none) and in this directory
 * (relative outputs are relative to it).  CER_ERR_INPUT or CER_ERR_TRANSCRIPT naming the problem;
 * CER_ERR_USAGE when the ceremony finished (nothing to resume) or began
 * elsewhere.
 */
int cer_resume_load(const char *path, const struct cer_script *s,
    const struct cer_site *site, struct cer_resume **out) CER_WUR;

/* 1 when step wrote path (an output, or recorded a pkcs11 config) before the interruption. */
int cer_resume_wrote(const struct cer_resume *r, const char *step, const char *path);

/* Accepts NULL. */
void cer_resume_free(struct cer_resume *r);

#endif
