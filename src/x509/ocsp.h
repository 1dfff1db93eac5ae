/*
 * ocsp.h: an OCSP response (RFC 6960 4.2.1; RFC 5019 2.2) before its
 * signature, and the encodings a step writes and reads back.  A response
 * here says one thing about one certificate: one SingleResponse with a
 * CertID over the issuer's name and key (SHA-1, or SHA-256), thisUpdate
 * and nextUpdate, and good or revoked (revocationTime and the reason in
 * revokedInfo, BR 7.3; never a reasonCode singleExtension, BR 7.3.2); no
 * responseExtensions (no nonce: pre-produced, RFC 5019 2.2.1).  The
 * responderID (byKey), producedAt, the delegated responder's certificate
 * in certs and the signatureAlgorithm are written by sign.h's dry run.
 */
#ifndef CER_OCSP_H
#define CER_OCSP_H

#include <stddef.h>
#include <time.h>

#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include "base/err.h"

/* What a response says, besides which certificate it is about. */
struct cer_ocsp_params {
	int revoked;		/* 0: good; 1: revoked */
	time_t this_update;
	time_t next_update;
	time_t revocation_time;	/* revoked only */
	int reason;		/* revoked only: an RFC 5280 CRLReason code */
	int sha256_certid;	/* the CertID hashes with SHA-256 (else SHA-1) */
};

/*
 * A response to sign: one SingleResponse, and who signs it.  The dry run
 * of sign.h writes responderID, certs, producedAt and the algorithm into
 * bs, once: a tbs is signed (or throwaway-signed, or encoded) once.
 */
struct cer_ocsp_tbs {
	OCSP_BASICRESP *bs;
	X509 *signer;		/* borrowed: the issuer, or its delegated responder */
	int include_signer;	/* a delegated responder's certificate goes into certs */
	time_t produced_at;
	int prepared;		/* the dry run has written the fields above */
};

/*
 * The unsigned response about the certificate with this serial (its
 * octets, big-endian, without the DER sign octet), issued
 * by issuer, to be signed by signer (issuer itself, or a delegated
 * responder, whose certificate it will carry) at produced_at.
 */
int cer_ocsp_build(const struct cer_ocsp_params *p, X509 *issuer, const unsigned char *serial,
    size_t serial_len, X509 *signer, time_t produced_at, struct cer_ocsp_tbs **out) CER_WUR;

/* Accepts NULL. */
void cer_ocsp_tbs_free(struct cer_ocsp_tbs *t);

/* The OCSPResponse (status successful) around a signed basic response, DER. */
int cer_ocsp_response_der(OCSP_BASICRESP *bs, unsigned char **der, size_t *len) CER_WUR;

/*
 * Boulder's response-path form: the DER in standard base64 on one line,
 * and a newline (cmd/ceremony ocsp.go before ea200c2).  NUL-terminated.
 */
int cer_ocsp_base64(const unsigned char *der, size_t len, char **out, size_t *outlen) CER_WUR;

/*
 * A response file as this tool writes it (base64: Boulder's line; else
 * DER), decoded: *resp parsed, *der its DER, which must be exactly what
 * OpenSSL encodes again (no other encoding of the same response).
 * CER_ERR_VERIFY (no detail about the file: the caller names it) when not.
 */
int cer_ocsp_decode(const unsigned char *buf, size_t len, int base64, OCSP_RESPONSE **resp,
    unsigned char **der, size_t *derlen) CER_WUR;

/* "keyCompromise, affiliationChanged, ..." : the reasons BR 7.2.2 and 7.3 allow. */
const char *cer_ocsp_allowed_reasons(void);

#endif
