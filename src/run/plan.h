/*
 * plan.h: what the script's steps need from files and from each other,
 * loaded and checked before any HSM is opened.  The loader (script.h)
 * knows only the script's text; the plan reads the certificates and public
 * keys a step names (inputs.*), resolves each step's signature algorithm,
 * and checks every rule that needs both: an issuer that is a CA, an
 * algorithm that fits the issuer's key, a validity inside the issuer's, a
 * cross-certificate that matches the certificate it cross-signs.
 */
#ifndef CER_PLAN_H
#define CER_PLAN_H

#include <stddef.h>

#include <openssl/x509.h>

#include "base/err.h"
#include "script/script.h"

struct cer_plan_step {
	X509 *issuer_cert;	/* inputs.issuer-certificate-path */
	EVP_PKEY *subject_pub;	/* inputs.public-key-path */
	X509 *cross_cert;	/* inputs.certificate-to-cross-sign-path */
	enum cer_sigalg alg;	/* the profile's, or the key's default (cross-csr) */
};

struct cer_plan {
	size_t nsteps;
	struct cer_plan_step *steps;
};

/*
 * Loads every input file of s and checks the rules across steps and files.
 * CER_ERR_INPUT for a file that cannot be read or is not what it should be,
 * CER_ERR_SCRIPT for a script that contradicts its inputs; the detail names
 * the script position.
 */
int cer_plan_load(const struct cer_script *s, struct cer_plan **out) CER_WUR;

/* Frees a plan. Accepts NULL. */
void cer_plan_free(struct cer_plan *p);

/*
 * A certificate or public key file (PEM or DER), for the plan and for the
 * tests; what names it in messages ("issuer certificate").
 */
int cer_plan_read_cert(const char *path, X509 **out) CER_WUR;
int cer_plan_read_pubkey(const char *path, EVP_PKEY **out) CER_WUR;

#endif
