/*
 * lint-int.h: what lint.c (the engine) and lint-cert.c (the certificate
 * rules) share.  Private to src/lint/; the API is lint/lint.h.
 */
#ifndef CER_LINT_INT_H
#define CER_LINT_INT_H

#include <stddef.h>

#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "lint/lint.h"

#define P_ROOT	(1u << CER_LINT_ROOT)
#define P_SUB	(1u << CER_LINT_SUBORDINATE)
#define P_TC	(1u << CER_LINT_SUBORDINATE_TC)
#define P_TCN	(1u << CER_LINT_SUBORDINATE_TC_NONTLS)
#define P_CROSS	(1u << CER_LINT_CROSS)
#define P_OCSP	(1u << CER_LINT_OCSP_RESPONDER)
#define P_SUBS	(P_SUB | P_TC)		/* TLS subordinates */
#define P_ANYSUB (P_SUBS | P_TCN)
#define P_CAS	(P_ROOT | P_ANYSUB | P_CROSS)
#define P_NONROOT (P_ANYSUB | P_CROSS | P_OCSP)
#define P_ALL	(P_CAS | P_OCSP)
#define P_CRL	(1u << CER_LINT_CRL)
#define P_RESP	(1u << CER_LINT_OCSP_RESPONSE)

/* What a check sees: the certificate, its parsed extensions, the time. */
struct cer_lint_ctx {
	X509 *cert;			/* NULL when linting a CRL */
	X509_CRL *crl;			/* NULL unless linting a CRL */
	OCSP_RESPONSE *ocsp;		/* NULL unless linting an OCSP response */
	OCSP_BASICRESP *bs;		/* its basic response, or NULL */
	X509 *issuer;			/* == cert when self-signed */
	enum cer_lint_profile profile;
	time_t at;
	EVP_PKEY *pub;			/* NULL when the SPKI does not parse */
	BASIC_CONSTRAINTS *bc;		/* each NULL when absent or unparsable */
	EXTENDED_KEY_USAGE *eku;
	CERTIFICATEPOLICIES *cp;
	CRL_DIST_POINTS *cdp;
	AUTHORITY_INFO_ACCESS *aia;
	NAME_CONSTRAINTS *nc;
	AUTHORITY_KEYID *aki;
	ASN1_OCTET_STRING *ski;
	ISSUING_DIST_POINT *idp;	/* CRLs */
	char msg[512];			/* a failing check's message */
	enum cer_lint_severity sev;	/* a check may soften the rule's severity */
};

/* A check's answer. */
enum { LINT_PASS, LINT_FAIL, LINT_NA };

typedef int (*cer_lint_check_fn)(struct cer_lint_ctx *c, const void *arg);

struct cer_lint_rule {
	const char *id;
	enum cer_lint_severity severity;
	const char *citation;
	unsigned profiles;		/* P_* mask */
	cer_lint_check_fn fn;
	const void *arg;
	const char *description;
};

extern const struct cer_lint_rule cer_lint_cert_rules[];
extern const size_t cer_lint_cert_nrules;
extern const struct cer_lint_rule cer_lint_crl_rules[];
extern const size_t cer_lint_crl_nrules;
extern const struct cer_lint_rule cer_lint_ocsp_rules[];
extern const size_t cer_lint_ocsp_nrules;

/* Helpers of lint-cert.c that lint-crl.c shares. */
time_t cer_lint_time(const ASN1_TIME *t);	/* (time_t)-1 when unparsable */
const char *cer_lint_fmt_time(time_t t, char buf[static 32]);
int cer_lint_time_ok(const ASN1_TIME *t);	/* UTCTime to 2049, then GeneralizedTime */
int cer_lint_name_eq(const X509_NAME *a, const X509_NAME *b);	/* DER-identical */
int cer_lint_algor_eq(const X509_ALGOR *a, const X509_ALGOR *b);
const char *cer_lint_oid(const ASN1_OBJECT *obj, char *buf, size_t n);
int cer_lint_sig_in_table_a(const X509_ALGOR *a);
int cer_lint_sig_is_sha1(const X509_ALGOR *a);
int cer_lint_sig_fits_key(struct cer_lint_ctx *c, EVP_PKEY *key, const X509_ALGOR *outer);

/* Sets c->msg (printf) and returns LINT_FAIL. */
int cer_lint_failf(struct cer_lint_ctx *c, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

#endif
