/*
 * sign.h: the one path every artefact takes to a signature (ARCHITECTURE
 * §2): a dry run with the public key makes OpenSSL write both
 * AlgorithmIdentifiers; the TBS is encoded once; the HSM signs exactly
 * those bytes; the signature is put in; the result is encoded, parsed
 * back, its TBS compared byte for byte with what was signed, and its
 * signature verified with the issuer's public key in software.  Nothing
 * leaves this module unverified.
 */
#ifndef CER_SIGN_H
#define CER_SIGN_H

#include <jansson.h>
#include <openssl/x509.h>

#include "base/alg.h"
#include "base/err.h"
#include "hsm/hsm.h"
#include "x509/ocsp.h"

struct cer_signer {
	struct cer_token *tok;
	struct cer_key *key;
	EVP_PKEY *pub;		/* the signing key's public half */
	enum cer_sigalg alg;
};

/*
 * Signs the certificate x in the HSM.  issuer_pub verifies the result;
 * issuer_name (the issuer certificate's subject; x's own for a root) must
 * equal x's issuer byte for byte.  *out is the parsed, verified
 * certificate; *record {"tbs_sha256","mechanism","signature_verified",
 * "tbs_identical","issuer_bytes_identical"} goes into the transcript.
 * CER_ERR_VERIFY if any check fails.
 */
/*
 * confirm (may be NULL) is called with the SHA-256 of the exact TBS after it
 * is built and before the HSM is asked to sign; a non-zero return stops.
 */
typedef int (*cer_sign_confirm_fn)(void *arg, const unsigned char tbs_sha256[32]);

int cer_sign_certificate(X509 *x, const struct cer_signer *s, EVP_PKEY *issuer_pub,
    const X509_NAME *issuer_name, cer_sign_confirm_fn confirm, void *arg, X509 **out,
    json_t **record) CER_WUR;

/*
 * A copy of x signed with a throwaway software key by alg's scheme, for
 * linting: both AlgorithmIdentifiers, and so the TBS, are those the HSM
 * will sign; only the signature value differs.
 */
int cer_sign_throwaway(X509 *x, enum cer_sigalg alg, X509 **out) CER_WUR;

/*
 * Frees what signing keeps for the whole run: the throwaway keys (one per
 * kind) and the notes of the signatures verified (base/verified.h).
 */
void cer_sign_forget(void);

/*
 * Signs the CSR req in the HSM by the same path; the result must verify
 * with s->pub, which must be the key req carries.
 */
int cer_sign_request(X509_REQ *req, const struct cer_signer *s, cer_sign_confirm_fn confirm,
    void *arg, X509_REQ **out, json_t **record) CER_WUR;

/*
 * Signs the CRL crl in the HSM by the same path; issuer_pub verifies it and
 * issuer_name (the issuer certificate's subject) must be its issuer byte
 * for byte.  Once signed and encoded, crl's entries are freed (a long CRL
 * is not held twice): only *out is used afterwards.
 */
int cer_sign_crl(X509_CRL *crl, const struct cer_signer *s, EVP_PKEY *issuer_pub,
    const X509_NAME *issuer_name, cer_sign_confirm_fn confirm, void *arg, X509_CRL **out,
    json_t **record) CER_WUR;

/*
 * Signs crl itself (not a copy: a CRL can be large) with a throwaway key by
 * alg's scheme, for linting; its TBS is the one the HSM will sign, since
 * cer_sign_crl's dry run writes the same AlgorithmIdentifiers again and
 * replaces the signature.
 */
int cer_sign_throwaway_crl(X509_CRL *crl, enum cer_sigalg alg) CER_WUR;

/*
 * Signs the OCSP response t in the HSM by the same path (t is used once):
 * the dry run with s->pub writes responderID byKey of t->signer (whose key
 * s->pub must be), producedAt t->produced_at, the responder's certificate
 * into certs when t->include_signer, and the signatureAlgorithm; the TBS
 * is tbsResponseData; the signature must verify with s->pub.  *out is the
 * parsed basic response.  CER_ERR_KEY when s->pub is not the signer's key.
 */
int cer_sign_ocsp_response(struct cer_ocsp_tbs *t, const struct cer_signer *s,
    cer_sign_confirm_fn confirm, void *arg, OCSP_BASICRESP **out, json_t **record) CER_WUR;

/*
 * t signed by a throwaway software key of alg's scheme after the same dry
 * run (with the signer certificate's public key), for linting: the TBS is
 * the one the HSM will sign, and *tbs_sha256 its SHA-256.
 */
int cer_sign_ocsp_throwaway(struct cer_ocsp_tbs *t, enum cer_sigalg alg,
    unsigned char tbs_sha256[static 32]) CER_WUR;

/* The dry run alone: *tbs the DER tbsResponseData the HSM would sign (OPENSSL_free). */
int cer_sign_ocsp_tbs(struct cer_ocsp_tbs *t, enum cer_sigalg alg, unsigned char **tbs,
    int *len) CER_WUR;

/*
 * Whether found is t signed by t->signer's key: after the dry run (t is
 * used up), found and t differ in the signature value alone, and found's
 * signature verifies.  CER_ERR_VERIFY when not.
 */
int cer_sign_ocsp_same(struct cer_ocsp_tbs *t, enum cer_sigalg alg, OCSP_BASICRESP *found) CER_WUR;

/* CER_OK when bs's signature over tbsResponseData verifies with signer_pub, else CER_ERR_VERIFY. */
int cer_sign_ocsp_check(OCSP_BASICRESP *bs, EVP_PKEY *signer_pub) CER_WUR;

#endif
