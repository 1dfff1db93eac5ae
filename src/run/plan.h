/*
 * plan.h: what the script's steps need from files and from each other,
 * loaded and checked before any HSM is opened.  The loader (script.h)
 * knows only the script's text; the plan reads the certificates and public
 * keys a step names (inputs.*), resolves each step's signature algorithm,
 * and holds the checks that need both: an issuer that is a CA, an
 * algorithm that fits the issuer's key, a validity inside the issuer's, a
 * cross-certificate that matches the certificate it cross-signs.  Each
 * step type's descriptor (steps/step.h) picks the checks it needs;
 * validate.h walks the steps.
 */
#ifndef CER_PLAN_H
#define CER_PLAN_H

#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

#include "base/err.h"
#include "script/model.h"

struct cer_plan_step {
	X509 *issuer_cert;	/* inputs.issuer-certificate-path */
	EVP_PKEY *subject_pub;	/* inputs.public-key-path */
	X509 *cross_cert;	/* inputs.certificate-to-cross-sign-path */
	enum cer_sigalg alg;	/* the profile's, or the key's default (cross-csr) */
	/*
	 * ceremony check on a reviewer's machine: an input file, or the
	 * certificate of an earlier step this one needs, is not here, so the
	 * step is neither planned nor rehearsed (a run refuses that).
	 */
	int unplanned;
	/*
	 * The run continues an interrupted one (--resume): outputs the step
	 * type writes beyond its outputs: list may be there already.
	 */
	int resuming;
	/* What a step type's plan keeps for its run, freed with own_free; may be NULL. */
	void *own;
	void (*own_free)(void *own);
};

struct cer_plan {
	size_t nsteps;
	struct cer_plan_step *steps;
};

/* Validity and organization of an issuer or an existing certificate. */
struct cer_plan_cert {
	time_t not_before;
	time_t not_after;
	char org[256];
	int self_signed;
};

/* An empty plan for nsteps steps, or NULL (out of memory). */
struct cer_plan *cer_plan_new(size_t nsteps);

/* Frees a plan. Accepts NULL. */
void cer_plan_free(struct cer_plan *p);

/*
 * What every step needs: its inputs.* read, its signature algorithm
 * resolved (signs: the key is found by issuer or label, so the algorithm
 * must fit the key a file brings), every key a file brings checked.
 * CER_ERR_INPUT for a file that cannot be read or is not what it should
 * be, CER_ERR_SCRIPT for a script that contradicts its inputs; the detail
 * names the script position.
 */
int cer_plan_inputs(const struct cer_script *s, size_t i, int signs,
    struct cer_plan_step *ps) CER_WUR;

/*
 * A certificate issued by step i's issuer: a file issuer can issue (a CA
 * with keyCertSign and an SKI), and the validity lies inside the issuer's.
 * *issuer describes the issuer, for further checks.
 */
int cer_plan_issued(const struct cer_script *s, size_t i, const struct cer_plan_step *ps,
    struct cer_plan_cert *issuer) CER_WUR;

/*
 * A cross-certificate's checks (Boulder's, and BR 7.1.2.2): the profile's
 * subject is the existing certificate's, notBefore not before its, EKUs
 * copied from a crossed intermediate, the same organization unless allowed.
 */
int cer_plan_cross(const struct cer_script *s, const struct cer_step *st,
    const struct cer_plan_step *ps, const struct cer_plan_cert *issuer) CER_WUR;

/*
 * A certificate or public key file (PEM or DER), for the plan and for the
 * tests; what names it in messages ("issuer certificate").
 */
int cer_plan_read_cert(const char *path, X509 **out) CER_WUR;
int cer_plan_read_pubkey(const char *path, EVP_PKEY **out) CER_WUR;

#endif
