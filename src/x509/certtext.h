/* certtext.h: a certificate's contents as the lines a reviewer reads in the plan. */
#ifndef CER_CERTTEXT_H
#define CER_CERTTEXT_H

#include <jansson.h>
#include <openssl/x509.h>

#include "base/err.h"

/*
 * Every extension of c, in its order, one string each: "Name: value" as
 * OpenSSL prints it (lines joined with "; "), "(critical)" after critical
 * ones.  Key identifiers, which come from a rehearsal's throwaway keys, are
 * named without their value.  *out is a new JSON array.
 */
int cer_certtext_extensions(X509 *c, json_t **out) CER_WUR;

#endif
