/*
 * lint-int.h: what the engine (lint.c), the rule files (lint-cert-*.c,
 * lint-crl.c, lint-ocsp.c) and their helpers (lint-util.c) share.
 * Private to src/lint/; the API is lint/lint.h.
 */
#ifndef CER_LINT_INT_H
#define CER_LINT_INT_H

#include <stddef.h>

#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "base/br.h"	/* the CER_DATE_* of each rule */
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
/* A private hierarchy's profiles (docs/lints.md, "Rule sets") */
#define P_PROOT	(1u << CER_LINT_PRIVATE_ROOT)
#define P_PSUB	(1u << CER_LINT_PRIVATE_SUBORDINATE)
#define P_POCSP	(1u << CER_LINT_PRIVATE_OCSP_RESPONDER)
#define P_PCRL	(1u << CER_LINT_PRIVATE_CRL)
#define P_PCAS	(P_PROOT | P_PSUB)
#define P_PRIV	(P_PCAS | P_POCSP)	/* every private certificate */
/* The public TLS set and the private set: the sets a rule is in. */
#define P_TLS_SET	(P_ALL | P_CRL | P_RESP)
#define P_PRIVATE_SET	(P_PRIV | P_PCRL)

/* What a check sees: the certificate, its parsed extensions, the time. */
struct cer_lint_ctx {
	X509 *cert;			/* NULL when linting a CRL */
	X509_CRL *crl;			/* NULL unless linting a CRL */
	OCSP_RESPONSE *ocsp;		/* NULL unless linting an OCSP response */
	OCSP_BASICRESP *bs;		/* its basic response, or NULL */
	X509 *issuer;			/* == cert when self-signed */
	enum cer_lint_profile profile;
	time_t at;			/* the signing time */
	time_t date;			/* notBefore, thisUpdate or producedAt; -1 if unknown */
	int affiliated, subscriber_crl;	/* struct cer_lint_opts */
	EVP_PKEY *pub;			/* NULL when the SPKI does not parse */
	BIGNUM *rsa_n, *rsa_e;		/* pub's, read once by the RSA rules; else NULL */
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

/*
 * A check's answer.  LINT_NA: the rule does not apply to this content (a
 * pass, "not applicable"); LINT_NE: the rule, or the part of it this
 * profile needs, took effect after the artefact's date (the verdict
 * "not-applicable"; cer_lint_not_in_force sets the message).
 */
enum { LINT_PASS, LINT_FAIL, LINT_NA, LINT_NE };

typedef int (*cer_lint_check_fn)(struct cer_lint_ctx *c, const void *arg);

struct cer_lint_rule {
	const char *id;
	enum cer_lint_severity severity;
	const char *citation;
	time_t effective;		/* when it took effect (base/br.h CER_DATE_*), or 0 */
	unsigned profiles;		/* P_* mask */
	cer_lint_check_fn fn;
	const void *arg;
	const char *description;
};

/*
 * Each rule file exports one table; lint.c runs and lists the tables in
 * this order, which is the order of `ceremony lint --list`.
 */
extern const struct cer_lint_rule cer_lint_cert_key_rules[];	/* lint-cert-key.c */
extern const size_t cer_lint_cert_key_nrules;
extern const struct cer_lint_rule cer_lint_cert_name_rules[];	/* lint-cert-name.c */
extern const size_t cer_lint_cert_name_nrules;
extern const struct cer_lint_rule cer_lint_cert_time_rules[];	/* lint-cert-time.c */
extern const size_t cer_lint_cert_time_nrules;
extern const struct cer_lint_rule cer_lint_cert_ext_rules[];	/* lint-cert-ext.c */
extern const size_t cer_lint_cert_ext_nrules;
extern const struct cer_lint_rule cer_lint_cert_tables_rules[];	/* lint-cert-tables.c */
extern const size_t cer_lint_cert_tables_nrules;
extern const struct cer_lint_rule cer_lint_cert_profile_rules[];	/* lint-cert-profile.c */
extern const size_t cer_lint_cert_profile_nrules;
extern const struct cer_lint_rule cer_lint_cert_private_rules[];	/* lint-cert-private.c */
extern const size_t cer_lint_cert_private_nrules;
extern const struct cer_lint_rule cer_lint_cert_boulder_rules[];	/* lint-cert-boulder.c */
extern const size_t cer_lint_cert_boulder_nrules;
extern const struct cer_lint_rule cer_lint_crl_rules[];		/* lint-crl.c */
extern const size_t cer_lint_crl_nrules;
extern const struct cer_lint_rule cer_lint_ocsp_rules[];	/* lint-ocsp.c */
extern const size_t cer_lint_ocsp_nrules;

/*
 * lint-names.c: zlint v3, Boulder and pkilint lint names, each with the rule
 * it corresponds to or NULL, sorted by name (a name may repeat, once per
 * rule).
 */
struct cer_lint_foreign {
	const char *name;
	const char *rule;
};

extern const struct cer_lint_foreign cer_lint_foreign_names[];
extern const size_t cer_lint_nforeign;

/* ---- lint-util.c: helpers of more than one rule file ---- */

/* Sets c->msg (printf) and returns LINT_FAIL. */
int cer_lint_failf(struct cer_lint_ctx *c, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

/*
 * Was a requirement of date `since` in force for the artefact (its date on
 * or after since, or unknown)?  cer_lint_not_in_force says why not in c->msg
 * and returns LINT_NE.
 */
int cer_lint_in_force(const struct cer_lint_ctx *c, time_t since);
int cer_lint_not_in_force(struct cer_lint_ctx *c, time_t since);

/* Times. */
const char *cer_lint_fmt_time(time_t t, char buf[static 32]);	/* 2026-12-01 00:00:00 */
const char *cer_lint_fmt_day(time_t t, char buf[static 32]);	/* 2026-12-01 */
int cer_lint_time_ok(const ASN1_TIME *t);	/* UTCTime to 2049, then GeneralizedTime */
double cer_lint_validity_days(const X509 *x);	/* both endpoints included (BR 1.6.1) */

/* Names and OIDs. */
int cer_lint_name_eq(const X509_NAME *a, const X509_NAME *b);	/* DER-identical */
int cer_lint_subject_has(const X509 *x, int nid);
int cer_lint_self_issued(const struct cer_lint_ctx *c);	/* the issuer is the certificate */
const char *cer_lint_oid(const ASN1_OBJECT *obj, char *buf, size_t n);	/* dotted */

/* Table A of profile-rules.md: the allowed AlgorithmIdentifier encodings. */
enum cer_lint_alg_use { CER_LINT_ALG_SPKI, CER_LINT_ALG_SIG };

struct cer_lint_alg {
	enum cer_lint_alg_use use;
	int nid;		/* the algorithm OID */
	int param_nid;		/* the curve for EC SPKIs; the hash for PSS; 0 */
	const char *hex;	/* the one DER encoding allowed */
};

/* The rows of table A, in the order of the alg.* rules (lint-cert-tables.c). */
extern const struct cer_lint_alg cer_lint_algs[];
extern const size_t cer_lint_nalgs;

/* The row whose OID (and curve or hash) a names, whatever its bytes; NULL if none. */
const struct cer_lint_alg *cer_lint_alg_match(const X509_ALGOR *a, enum cer_lint_alg_use use);
int cer_lint_algor_is(const X509_ALGOR *a, const char *hex);	/* DER is exactly hex */
int cer_lint_algor_eq(const X509_ALGOR *a, const X509_ALGOR *b);
int cer_lint_sig_in_table_a(const X509_ALGOR *a);
int cer_lint_spki_in_table_a(const X509_ALGOR *a);
int cer_lint_sig_is_sha1(const X509_ALGOR *a);
int cer_lint_sig_fits_key(struct cer_lint_ctx *c, EVP_PKEY *key, const X509_ALGOR *outer);
const X509_ALGOR *cer_lint_spki_algor(const X509 *x);	/* NULL when it does not parse */
int cer_lint_spki_curve(const X509 *x);		/* NID_undef unless a named EC curve */

/* Extensions. */
X509_EXTENSION *cer_lint_ext_find(const X509 *x, int nid, int *count);
int cer_lint_has_ext(const X509 *x, int nid);
long cer_lint_key_usage(X509 *x);		/* KU_* bits, -1 when absent */
int cer_lint_is_http_uri(const GENERAL_NAME *gn);	/* a URI with CER_BR_URL_SCHEME */

/* Checks that rules of more than one file run. */
struct cer_lint_presence {
	int nid;
	const char *name;
	int must;	/* 1 present, 0 absent */
};

int cer_lint_chk_presence(struct cer_lint_ctx *c, const void *arg);	/* arg a presence */
int cer_lint_chk_no_sha1(struct cer_lint_ctx *c, const void *arg);
/* notBefore within [at - 1 day, at]; arg non-NULL: only the upper bound. */
int cer_lint_chk_notbefore(struct cer_lint_ctx *c, const void *arg);
int cer_lint_chk_ca_subject_attrs(struct cer_lint_ctx *c, const void *arg);
int cer_lint_chk_aki(struct cer_lint_ctx *c, const void *arg);
/* AKI holds keyIdentifier alone, equal to want unless want is NULL. */
int cer_lint_aki_shape(struct cer_lint_ctx *c, const ASN1_OCTET_STRING *want);
/* arg non-NULL: only id-ad-ocsp (OCSP responder certificates). */
int cer_lint_chk_aia_format(struct cer_lint_ctx *c, const void *arg);
int cer_lint_chk_other_ext(struct cer_lint_ctx *c, const void *arg);

#endif
