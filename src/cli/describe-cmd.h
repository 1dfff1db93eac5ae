/*
 * describe-cmd.h: `ceremony describe CERT [--issuer CERT]`: the native
 * script that makes an existing certificate again, on stdout.
 */
#ifndef CER_DESCRIBE_CMD_H
#define CER_DESCRIBE_CMD_H

#include "base/err.h"

/*
 * Describes the certificate at cert (issued by the one at issuer, NULL when
 * self-signed) and prints the script.  CER_OK when the script says all of
 * it and the loader accepts it; CER_ERR_VERIFY (exit 1) when something
 * cannot be expressed (each named on stderr and in the script);
 * CER_ERR_INPUT or CER_ERR_USAGE (exit 2) for files that cannot be used.
 */
int cer_describe_run(const char *cert, const char *issuer) CER_WUR;

#endif
