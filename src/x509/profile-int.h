/*
 * profile-int.h: what the files of the profile module share (profile.c
 * builds certificates, profile-nc.c their name constraints).
 */
#ifndef CER_PROFILE_INT_H
#define CER_PROFILE_INT_H

#include <openssl/x509.h>

#include "x509/profile.h"

/*
 * Appends one attribute of a name in its own RDN, in the profile's string
 * type for it (Go's rule by default); a NULL value adds nothing.
 * CER_ERR_SCRIPT when the value does not fit the type the profile names.
 */
int cer_profile_add_attr(X509_NAME *n, const struct cer_cert_profile *p, enum cer_attr attr,
    const char *value) CER_WUR;

/* nameConstraints, critical, when the profile has them (BR 7.1.2.5.2). */
int cer_profile_name_constraints(X509 *x, const struct cer_cert_profile *p) CER_WUR;

#endif
