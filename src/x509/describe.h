/*
 * describe.h: an existing certificate, made by any tool, as the native
 * step and profile that make it again byte for byte: the step type it
 * fits (root, intermediate, ocsp-signer), every profile field including
 * the encoding choices (string types, subject order, extension order and
 * criticality, EKU order, SKI method, AKI form, pathLen, serial), and what
 * no profile can express.  The profile is proven by building the
 * certificate again with the builders a run uses and comparing the two
 * field by field: whatever still differs is named, never dropped.
 */
#ifndef CER_DESCRIBE_H
#define CER_DESCRIBE_H

#include <stdio.h>

#include <openssl/x509.h>

#include "base/err.h"
#include "script/model.h"
#include "x509/certdiff.h"

struct cer_description {
	enum cer_step_type type;	/* root, intermediate, ocsp-signer; 0 when none fits */
	struct cer_cert_profile profile;
	struct cer_key_spec key;	/* the certificate's key as a key block */
	char label[160];		/* a label for the signing key: "<CN of its owner> key" */
	struct cer_certdiff cannot;	/* "what: why", one line per thing not expressed */
};

/*
 * Describes cert, issued by issuer (NULL for a self-signed certificate).
 * CER_OK also when something cannot be expressed (d->cannot says what);
 * CER_ERR_INPUT when issuer did not issue cert.  Free d with
 * cer_describe_free.
 */
int cer_describe_cert(X509 *cert, X509 *issuer, struct cer_description *d) CER_WUR;

/* Frees what d holds. Accepts NULL. */
void cer_describe_free(struct cer_description *d);

/*
 * Writes the whole native script: a placeholder token for the signing key,
 * one step naming cert_path as its output (and as the subject key's
 * input), issuer_path as the issuer's certificate, and d's profile with
 * every field written out; what cannot be expressed as comments on top.
 */
int cer_describe_script(const struct cer_description *d, const char *cert_path,
    const char *issuer_path, FILE *f) CER_WUR;

#endif
