/*
 * lint-int.h: what lint.c (the engine) and lint-cert.c (the certificate
 * rules) share.  Private to src/lint*.c; the API is include/lint.h.
 */
#ifndef CER_LINT_INT_H
#define CER_LINT_INT_H

#include <stddef.h>

#include <openssl/x509v3.h>

#include "lint.h"

#define P_ROOT	(1u << CER_LINT_ROOT)
#define P_SUB	(1u << CER_LINT_SUBORDINATE)
#define P_TC	(1u << CER_LINT_SUBORDINATE_TC)
#define P_CROSS	(1u << CER_LINT_CROSS)
#define P_OCSP	(1u << CER_LINT_OCSP_RESPONDER)
#define P_SUBS	(P_SUB | P_TC)
#define P_CAS	(P_ROOT | P_SUBS | P_CROSS)
#define P_NONROOT (P_SUBS | P_CROSS | P_OCSP)
#define P_ALL	(P_CAS | P_OCSP)

/* What a check sees: the certificate, its parsed extensions, the time. */
struct cer_lint_ctx {
	X509 *cert;
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

/* Sets c->msg (printf) and returns LINT_FAIL. */
int cer_lint_failf(struct cer_lint_ctx *c, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

#endif
