/*
 * der.h: where the to-be-signed part of a signed DER object is.  OpenSSL
 * parses the object; these spans are for comparing and hashing the exact
 * bytes that were signed, which re-encoding a parsed object may not give.
 */
#ifndef CER_DER_H
#define CER_DER_H

#include "base/err.h"

/*
 * The to-be-signed part of a DER certificate, CSR, CRL or any signed
 * SEQUENCE: the first element of the outer SEQUENCE, header included, as it
 * is in der (*tbs points into der).  CER_ERR_VERIFY, naming what is
 * missing, unless both are SEQUENCEs whose headers parse.
 */
int cer_der_tbs(const unsigned char *der, long len, const unsigned char **tbs, long *tbs_len)
    CER_WUR;

#endif
