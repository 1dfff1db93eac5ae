/*
 * certdiff.h: what differs between two certificates (or two CSRs), field
 * by field, in words a reviewer reads: "notAfter: script 2031-01-01
 * 00:00:00, file 2030-12-31 23:59:59", "extension order: script
 * KU,EKU,BC, file KU,BC,EKU".  `ceremony verify` compares what a script
 * makes with an existing file; `ceremony describe` what its profile makes
 * with the certificate it describes, to name what the profile cannot say.
 */
#ifndef CER_CERTDIFF_H
#define CER_CERTDIFF_H

#include <stddef.h>

#include <openssl/x509.h>

#include "base/err.h"

/*
 * The differences found, one line each (without a newline).  want and got
 * name the two sides in the lines: "script" and "file" when NULL.
 */
struct cer_certdiff {
	char **line;
	size_t n;
	const char *want, *got;
};

/* Frees the lines and empties d. Accepts NULL. */
void cer_certdiff_free(struct cer_certdiff *d);

/* Appends one line (printf format). */
int cer_certdiff_add(struct cer_certdiff *d, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3))) CER_WUR;

/*
 * Every field of want (what the script makes) that differs from got (the
 * file): version, serial, signature algorithm, issuer, validity, subject,
 * key, unique IDs, the extensions (which, their order, criticality and
 * values) and the outer signature algorithm.  Appends to d; CER_OK also
 * when there are differences.
 */
int cer_certdiff_x509(X509 *want, X509 *got, struct cer_certdiff *d) CER_WUR;

/*
 * The same for CSRs: version, subject, key, attributes (the signature
 * algorithm is outside the CertificationRequestInfo: want may be unsigned).
 */
int cer_certdiff_req(X509_REQ *want, X509_REQ *got, struct cer_certdiff *d) CER_WUR;

/* A key as a reviewer names it: "RSA-4096", "ECDSA P-384", "Ed25519". */
const char *cer_certdiff_key_text(EVP_PKEY *k, char *buf, size_t n);

/* An object's short name (CN, OU, subjectAltName), or its OID when it has none. */
const char *cer_certdiff_obj_name(const ASN1_OBJECT *o, char *buf, size_t n);

/* An extension's name: KU, EKU, ... for those a profile builds, else OpenSSL's or the OID. */
const char *cer_certdiff_ext_name(X509_EXTENSION *e, char *buf, size_t n);

#endif
