/*
 * crl.h: a CRL (RFC 5280 5, BR 7.2) as OpenSSL objects, encoded as Go's
 * x509.CreateRevocationList encodes the same template (Boulder's crl
 * ceremony): v2, the issuer's subject DER unchanged, thisUpdate and
 * nextUpdate (UTCTime to 2049, then GeneralizedTime), the entries in the
 * order given, then the extensions AKI (keyIdentifier = the issuer's SKI),
 * cRLNumber and, for a scoped CRL, a critical issuingDistributionPoint.
 * An entry carries a non-critical reasonCode (ENUMERATED) unless its reason
 * is unspecified.  Nothing here encodes DER by hand.
 */
#ifndef CER_CRL_H
#define CER_CRL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>
#include <openssl/x509.h>

#include "base/err.h"

/* RFC 5280 5.3.1 CRLReason values */
#define CER_CRL_UNSPECIFIED	0
#define CER_CRL_CERTIFICATE_HOLD	6

/* One revoked certificate. */
struct cer_crl_entry {
	unsigned char serial[20];	/* the integer's octets, big-endian, no sign octet */
	unsigned char serial_len;
	signed char reason;		/* RFC 5280 CRLReason; unspecified: no reasonCode */
	uint32_t line;			/* where it was written (a line of a file), 0 if nowhere */
	int64_t date;			/* revocationDate, UTC seconds */
};

/*
 * What the CRL is about (BR 7.2): every certificate of the issuer (no
 * IDP), CA certificates only (IDP onlyContainsCACerts, Boulder's), or a
 * partition named by the URLs of its distribution point (IDP fullName).
 */
enum cer_crl_scope { CER_CRL_FULL = 1, CER_CRL_CA_ONLY, CER_CRL_PARTITIONED };

struct cer_crl_spec {
	time_t this_update;
	time_t next_update;
	uint64_t number;
	enum cer_crl_scope scope;
	char *const *urls;		/* partitioned: the IDP's fullName, in order */
	size_t nurls;
};

/* Progress while entries are added: done of total (for a line on a terminal). */
typedef void (*cer_crl_progress_fn)(void *arg, size_t done, size_t total);

/*
 * The unsigned CRL of spec, issued by issuer (which must carry an SKI),
 * without entries: cer_crl_add appends them.  CER_ERR_INPUT for an issuer
 * without SKI.
 */
int cer_crl_build(const struct cer_crl_spec *spec, X509 *issuer, X509_CRL **out) CER_WUR;

/* Appends n entries, in order; progress (may be NULL) every few thousand. */
int cer_crl_add(X509_CRL *crl, const struct cer_crl_entry *e, size_t n,
    cer_crl_progress_fn progress, void *arg) CER_WUR;

/*
 * The issuingDistributionPoint's extnValue spec asks for (*der NULL for a
 * full CRL, which has none), to compare with another CRL's.
 */
int cer_crl_idp_der(const struct cer_crl_spec *spec, unsigned char **der, int *len) CER_WUR;

/* The IDP extnValue of crl (*der NULL when it has none; borrowed) and its criticality. */
void cer_crl_idp_of(const X509_CRL *crl, const unsigned char **der, int *len, int *critical);

/* The cRLNumber of crl into *out (a new BIGNUM); CER_ERR_INPUT when absent or bad. */
int cer_crl_number(const X509_CRL *crl, BIGNUM **out) CER_WUR;

/* The reason of a name of RFC 5280 5.3.1 ("keyCompromise"); -1 for none. */
int cer_crl_reason_parse(const char *name);

/* The name of reason; "unknown" for a value RFC 5280 does not define. */
const char *cer_crl_reason_name(int reason);

/* A serial from the octets of an ASN1_INTEGER (a certificate's); CER_ERR_INPUT if too long. */
int cer_crl_serial_of(const ASN1_INTEGER *ai, struct cer_crl_entry *e) CER_WUR;

/*
 * The serial written as hex (either case, 1 to 40 digits, as openssl
 * prints serials): below 2^159, positive, no leading zero octet but the
 * one DER needs before a high bit (dropped).  NULL when fine, else why not.
 */
const char *cer_crl_serial_parse(const char *hex, size_t len, struct cer_crl_entry *e);

/*
 * A sorted index of the entries by serial (*idx, n elements, to free);
 * *dup_a and *dup_b are two entries with the same serial, or both n.  An
 * entry of serial_len 0 (not known yet) has no duplicate.
 */
int cer_crl_index(const struct cer_crl_entry *e, size_t n, size_t **idx, size_t *dup_a,
    size_t *dup_b) CER_WUR;

/* The position of serial in the index, or n when it is not there. */
size_t cer_crl_find(const struct cer_crl_entry *e, const size_t *idx, size_t n,
    const unsigned char *serial, size_t len);

/*
 * The hash over the list, which an auditor can recompute from the CRL
 * alone: SHA-256 of one line per entry, in the CRL's order,
 * "SERIAL REASON YYYY-MM-DDTHH:MM:SSZ\n" (serial as lowercase hex of its
 * octets, reason by its RFC 5280 name, unspecified when no reasonCode):
 * the format of a revoked-serials file.  *count is the number of entries.
 */
int cer_crl_list_sha256(const X509_CRL *crl, char **hex, size_t *count) CER_WUR;

/*
 * The PEM ("X509 CRL", as Boulder writes it) of a CRL's DER, NUL-terminated:
 * the bytes PEM_write_bio_X509_CRL writes, by OpenSSL's own encoder.
 */
int cer_crl_pem(const unsigned char *der, size_t len, char **pem, size_t *pem_len) CER_WUR;

/*
 * A summary for the transcript: issuer, number, this_update, next_update,
 * signature_algorithm, extensions (oid, name, critical, value hex),
 * entries (the count), entries_sha256 (cer_crl_list_sha256), sha256 (of
 * the DER), der_bytes; der is crl's encoding, which the caller has at hand.
 */
int cer_crl_json(X509_CRL *crl, const unsigned char *der, size_t len, json_t **out) CER_WUR;

#endif
