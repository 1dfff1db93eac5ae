/*
 * profile.h: certificate profiles turned into OpenSSL objects, and the
 * descriptions of keys and certificates the transcript and the plan use.
 * Nothing here encodes DER by hand.
 */
#ifndef CER_PROFILE_H
#define CER_PROFILE_H

#include <stddef.h>

#include <jansson.h>
#include <openssl/x509.h>

#include "base/err.h"
#include "script/model.h"

/* The longest subject key identifier a profile writes. */
#define CER_SKI_MAX CER_SKI_VALUE_MAX

/* The serial of a CA certificate: 0x01 followed by this many random bytes. */
#define CER_SERIAL_RANDOM_LEN 16

/*
 * The subject key identifier of the key in spki (a certificate's, whose
 * key is already encoded) by method m (RFC 7093 method 1, the leftmost 160
 * bits of SHA-256(subjectPublicKey), is Boulder's); *len is 0 for
 * CER_SKI_NONE and CER_SKI_VALUE, which no key gives.
 */
int cer_profile_ski(const X509_PUBKEY *spki, enum cer_ski_method m,
    unsigned char ski[static CER_SKI_MAX], size_t *len) CER_WUR;

/* The name an extension has in a profile (enum cer_ext), or 0 when it has none. */
enum cer_ext cer_profile_ext_of(X509_EXTENSION *e);

/*
 * Every certificate and CSR is encoded as Go's crypto/x509 (Boulder's
 * ceremony tool) encodes the same template: names in the string types of
 * encoding/asn1, extensions in buildCertExtensions' order (profile.c).
 * tests/oracle/ proves it.  A profile's encoding fields (string-types,
 * subject-order, extension-order, critical-extensions, subject-key-id,
 * authority-key-id, an ekus list, path-length none) choose otherwise; the
 * loader checked each, and a builder refuses (CER_ERR_SCRIPT) an
 * extension-order or critical-extensions that does not fit what it built.
 */

/*
 * The unsigned root certificate (BR 7.1.2.1; profile-rules.md (a)):
 * subject C/O/CN, issuer = subject, keyUsage critical, basicConstraints
 * critical cA, SKI, and with with_aki an AKI = SKI (BR RECOMMENDED; Go
 * writes none for a self-signed template without AuthorityKeyId, as
 * Boulder's roots are), no EKU, no policies.
 */
int cer_profile_root(const struct cer_cert_profile *p, EVP_PKEY *pub,
    const unsigned char *serial, size_t serial_len, int with_aki, X509 **out) CER_WUR;

/* What a signing step issues (BR 7.1.2.6, 7.1.2.2, 7.1.2.8). */
enum cer_cert_kind {
	CER_CERT_INTERMEDIATE = 1,
	CER_CERT_CROSS,
	CER_CERT_OCSP_RESPONDER,
};

/*
 * The unsigned certificate a signing step issues.  The issuer name is the
 * issuer certificate's subject (its DER unchanged) and the AKI its SKI.
 * An intermediate (profile-rules (b)): basicConstraints critical cA with
 * pathLen, keyUsage, EKU, SKI, CRL DP, AIA, certificatePolicies.  A
 * cross-certificate (c): the same, but subject, SKI and pathLen copied
 * from existing, and crossing an intermediate copies its EKU.  An OCSP
 * responder (d): keyUsage digitalSignature, EKU OCSPSigning only, nocheck, no AIA,
 * basicConstraints cA FALSE (3000), no CRL DP.
 */
int cer_profile_issued(enum cer_cert_kind kind, const struct cer_cert_profile *p,
    EVP_PKEY *pub, X509 *issuer, X509 *existing, const unsigned char *serial,
    size_t serial_len, X509 **out) CER_WUR;

/* An unsigned PKCS#10 request with the profile's subject and pub. */
int cer_profile_csr(const struct cer_cert_profile *p, EVP_PKEY *pub, X509_REQ **out) CER_WUR;

/* PEM of a CSR, NUL-terminated. */
int cer_profile_csr_pem(X509_REQ *req, char **pem, size_t *len) CER_WUR;

/* PEM of a public key (SubjectPublicKeyInfo), NUL-terminated. */
int cer_profile_pubkey_pem(EVP_PKEY *pub, char **pem, size_t *len) CER_WUR;

/* PEM of a certificate, NUL-terminated. */
int cer_profile_cert_pem(X509 *x, char **pem, size_t *len) CER_WUR;

/* SHA-256 of the DER SubjectPublicKeyInfo, hex. */
int cer_profile_spki_sha256(EVP_PKEY *pub, char **hex) CER_WUR;

/* {"algorithm","bits","curve"?,"spki_sha256"} */
int cer_profile_key_json(EVP_PKEY *pub, json_t **out) CER_WUR;

/*
 * A summary of a certificate: subject, issuer, serial, validity,
 * signature algorithm, key, SHA-256 fingerprint, extensions.
 */
int cer_profile_cert_json(X509 *x, json_t **out) CER_WUR;

/*
 * A name as openssl prints it by default (-nameopt oneline: "C = US, O = Example CA,
 * CN = Example Root R1", in encoded order), UTF-8 as is: the one notation of the plan, the
 * prompts, the result lines and the transcript.  Returns buf, "" if it cannot be printed.
 */
const char *cer_profile_name_text(const X509_NAME *n, char *buf, size_t len);

/* The subject the profile makes, as cer_profile_name_text writes it. */
const char *cer_profile_subject_text(const struct cer_cert_profile *p, char *buf, size_t len);

#endif
