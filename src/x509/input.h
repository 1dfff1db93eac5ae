/*
 * input.h: reading the certificates and public keys a script names as
 * inputs (PEM or DER), in two modes.
 *
 * Strict, for what a signing step builds on: the file holds exactly one
 * object and nothing else: one PEM block of the right type with no
 * headers and only whitespace around it, or DER with no trailing byte.  A
 * CA must not guess which of two certificates, or which bytes, were meant.
 * Lenient, for the commands that only look (describe, verify): the first
 * PEM object of the type anywhere in the file, else DER from the start,
 * so that a certificate saved with `openssl x509 -text` output around it
 * can still be described and compared.
 */
#ifndef CER_X509_INPUT_H
#define CER_X509_INPUT_H

#include <stddef.h>

#include <openssl/x509.h>

#include "base/err.h"

#define CER_INPUT_MAX (1024 * 1024)	/* bytes in one input file */

enum cer_input_mode { CER_INPUT_LENIENT, CER_INPUT_STRICT };

/*
 * A certificate or a SubjectPublicKeyInfo from len bytes of a file named
 * name (for the message).  CER_ERR_INPUT, naming name and what is wrong.
 */
int cer_input_parse_cert(const char *name, const unsigned char *buf, size_t len,
    enum cer_input_mode mode, X509 **out) CER_WUR;
int cer_input_parse_pubkey(const char *name, const unsigned char *buf, size_t len,
    enum cer_input_mode mode, EVP_PKEY **out) CER_WUR;

/* The same from the file at path (a regular file of at most CER_INPUT_MAX bytes). */
int cer_input_read_cert(const char *path, enum cer_input_mode mode, X509 **out) CER_WUR;
int cer_input_read_pubkey(const char *path, enum cer_input_mode mode, EVP_PKEY **out) CER_WUR;

/*
 * What a CA may build on (issue under, or cross-sign), whatever the
 * profile: an X.509 v3 certificate with a positive serial of at most 20
 * octets (RFC 5280 4.1.2.2), a basicConstraints CA and a keyUsage with
 * keyCertSign (RFC 5280 4.2.1.3, 4.2.1.9), and, when it is self-signed, a
 * self-signature that verifies.  CER_ERR_INPUT naming name.
 */
int cer_input_check_ca(const char *name, X509 *x) CER_WUR;

#endif
