/*
 * step.h: the step types.  Each ceremony-type is one descriptor in its own
 * file (step-<type>.c), in the manner of OpenSSH's sshkey_impl: what it
 * does, how it is planned, how its to-be-signed artefact is built, how it
 * runs and how the plan shows it.  The rehearsal, the run and `ceremony
 * verify` build every artefact with the same build_tbs, over a
 * different source of keys, certificates and serials.  A new step type is
 * one new file and one row of the registry in step.c.
 */
#ifndef CER_STEP_H
#define CER_STEP_H

#include <stddef.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "base/err.h"
#include "lint/lint.h"
#include "run/context.h"
#include "run/plan.h"
#include "script/model.h"
#include "script/parse.h"
#include "x509/crl.h"
#include "x509/ocsp.h"
#include "x509/sign.h"

/*
 * Where build_tbs finds what an artefact is made of: throwaway keys in the
 * rehearsal, the HSM's keys in the run, existing files when verifying.
 */
struct cer_source {
	const struct cer_script *script;
	const struct cer_plan *plan;
	/* the public key of the key pair step k made or found (a new reference) */
	int (*key)(void *arg, size_t k, EVP_PKEY **out);
	/* the certificate step k signed (borrowed), or NULL */
	X509 *(*cert)(void *arg, size_t k);
	/* the serial of step i's certificate, at most 20 bytes */
	int (*serial)(void *arg, size_t i, unsigned char buf[static 20], size_t *len);
	void *arg;
	time_t at;	/* the signing time: an OCSP response's producedAt */
};

/* What build_tbs makes: one artefact to sign, and what it was made from. */
struct cer_tbs {
	X509 *cert;		/* a certificate, or NULL */
	X509_REQ *req;		/* a CSR, or NULL */
	X509 *issuer;		/* borrowed: the issuer's certificate; NULL when self-signed */
	X509 *existing;		/* borrowed: the certificate a cross-certificate copies */
	X509_CRL *crl;		/* a CRL, or NULL */
	int crl_subscribers;	/* the CRL is about subscriber certificates (BR 7.2: 10 days) */
	const struct cer_crl_spec *crl_spec;	/* borrowed: what the script says it covers */
	struct cer_ocsp_tbs *ocsp;	/* an OCSP response (its step's first), or NULL */
};

/* Frees what a cer_tbs owns and empties it. */
void cer_tbs_clear(struct cer_tbs *t);

/* The step type signs with a key found by its issuer or by label: the signing family. */
#define CER_STEP_SIGNS	0x1u

/* A key a step of this type may have in the script (besides id and ceremony-type). */
struct cer_step_key {
	const char *name;
	int native_only;	/* not in a Boulder config */
};

struct cer_step_impl {
	enum cer_step_type type;
	const char *does;	/* one line, for the transcript's step-begin */
	unsigned flags;		/* CER_STEP_* */
	const struct cer_step_key *keys;	/* {NULL}-terminated */
	/* the step's mapping after id and ceremony-type, into c->s->steps[idx] */
	int (*parse)(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx);
	/* the lint profile of what it signs; NULL when nothing of it is linted */
	enum cer_lint_profile (*lint_profile)(const struct cer_step *st);
	/* checks that need its input files (after cer_plan_inputs); may be NULL */
	int (*plan)(const struct cer_script *s, size_t i, struct cer_plan_step *ps);
	/* the unsigned artefact; NULL for a step that signs nothing */
	int (*build_tbs)(const struct cer_source *src, size_t i, struct cer_tbs *out);
	/* the step in the ceremony */
	int (*run)(struct cer_ctx *ctx, const struct cer_step *st, size_t i);
	/* what it will do, for the plan `ceremony check` prints (after "step N id (type):") */
	void (*print)(const struct cer_script *s, const struct cer_plan *plan, size_t i);
};

/* The descriptor of a step type, or NULL when this version has none. */
const struct cer_step_impl *cer_step_impl(enum cer_step_type type);

/* The i-th descriptor of the registry, or NULL past the last. */
const struct cer_step_impl *cer_step_impl_at(size_t i);

/* The step whose key signs step index (itself when it made or found one). */
size_t cer_step_key_owner(const struct cer_step *step, size_t index);

/* ---- what the run of every step type shares (step-common.c) ---- */

/* The source of a running ceremony: the HSM's keys, the certificates signed so far. */
void cer_step_run_source(struct cer_ctx *ctx, struct cer_source *src);

/* Generates the key of a key-generating step (key, root), records it, writes its public key. */
int cer_step_generate_key(struct cer_ctx *ctx, const struct cer_step *step,
    size_t index) CER_WUR;

/*
 * Lints the TBS (pre-issuance), confirms it with its fingerprint, signs it
 * in the HSM, checks it, records "certificate-signed" (with issuer_pem
 * unless issuer is NULL: a root), lints it again (post-issuance) and writes
 * certificate-path; the certificate is kept in ctx->certs[index].
 */
int cer_step_sign_certificate(struct cer_ctx *ctx, const struct cer_step *step, size_t index,
    X509 *tbs, const struct cer_signer *s, X509 *issuer, const char *profile,
    const char *what) CER_WUR;

/*
 * Records a lint record rec (the data of a "lint" event, consumed; with
 * tbs_sha256, when not NULL, the TBS it linted) and returns r, the lint's
 * verdict, with its detail kept.
 */
int cer_step_record_lint(struct cer_ctx *ctx, json_t *rec, int r,
    const unsigned char *tbs_sha256) CER_WUR;

/* Resuming: the step's certificate or CSR is in the transcript already. */
int cer_step_signed_before(const struct cer_ctx *ctx, size_t index);

/* Writes (what is not written yet of) the recorded certificate or CSR; never signs. */
int cer_step_write_recorded(struct cer_ctx *ctx, const struct cer_step *step,
    size_t index) CER_WUR;

/* "'CN=..., O=..., C=...'" of a profile's subject, for plans and prompts. */
const char *cer_step_subject_text(const struct cer_cert_profile *p, char *buf, size_t n);

/* ---- the signing family (step-signing.c, step-subca.c) ---- */

/*
 * The body of a signing step: issuer, subject key and existing
 * certificate (an earlier step or a file), the signing key, outputs,
 * certificate-profile (read and checked by rules), skip-lints.
 */
int cer_step_parse_signing(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx,
    int (*rules)(const struct cer_parse *c, const struct cer_yaml_node *pv,
    struct cer_step *st)) CER_WUR;

/* "X: ID" and inputs.Y-path are two ways to say one thing (field and path): exactly one. */
int cer_step_one_of(const struct cer_parse *c, const struct cer_yaml_node *m,
    const struct cer_step *st, const char *field, const char *path, const char *path_val,
    struct cer_pos path_pos) CER_WUR;

/* The certificate-profile of an intermediate or a cross-certificate (BR 7.1.2.6, 7.1.2.2). */
int cer_step_subca_rules(const struct cer_parse *c, const struct cer_yaml_node *pv,
    struct cer_step *st) CER_WUR;

/*
 * The key that signs with issuer's key: the issuer step's (its token and
 * label), or token and label (or a pkcs11 block) for an issuer from a file.
 */
int cer_step_parse_signing_key(const struct cer_parse *c, const struct cer_yaml_node *m,
    size_t idx) CER_WUR;

/* The keys of intermediate, cross-certificate, ocsp-signer and cross-csr. */
extern const struct cer_step_key cer_step_signing_keys[];

/* build_tbs of intermediate, cross-certificate and ocsp-signer. */
int cer_step_build_issued(const struct cer_source *src, size_t i, struct cer_tbs *out) CER_WUR;

/* run of intermediate, cross-certificate and ocsp-signer. */
int cer_step_run_issued(struct cer_ctx *ctx, const struct cer_step *st, size_t i) CER_WUR;

/* print of intermediate, cross-certificate and ocsp-signer. */
void cer_step_print_issued(const struct cer_script *s, const struct cer_plan *plan, size_t i);

/* plan of intermediate and ocsp-signer (cross-certificate adds its own checks). */
int cer_step_plan_issued(const struct cer_script *s, size_t i,
    struct cer_plan_step *ps) CER_WUR;

#endif
