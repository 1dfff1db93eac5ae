/*
 * lint.h: the built-in linter.  Every rule has a stable id (the ids of
 * profile-rules.md, e.g. "root.no_eku"), a severity, a citation and the
 * profiles it applies to; a rule that took effect on a date carries it.
 * Linting a certificate runs every rule of its profile and records a
 * verdict for each, so a transcript can show what was checked, not only
 * what failed.  A dated rule is judged against the artefact's own date
 * (certificate: notBefore; CRL: thisUpdate; OCSP response: producedAt),
 * as zlint's EffectiveDate is: an artefact older than the rule gets the
 * verdict "not-applicable", neither a pass nor a fail.
 *
 * Pre-signing use: sign the exact TBS with a throwaway software key of the
 * same algorithm and lint that certificate with the real issuer; skip
 * "cert.signature", the only rule that looks at the signature value.
 */
#ifndef CER_LINT_H
#define CER_LINT_H

#include <stdio.h>
#include <time.h>

#include <jansson.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include "base/err.h"

enum cer_lint_profile {
	CER_LINT_ROOT,			/* BR 7.1.2.1 */
	CER_LINT_SUBORDINATE,		/* BR 7.1.2.6 TLS subordinate CA */
	CER_LINT_SUBORDINATE_TC,	/* BR 7.1.2.5 technically constrained TLS sub CA */
	CER_LINT_SUBORDINATE_TC_NONTLS,	/* BR 7.1.2.3 technically constrained non-TLS sub CA */
	CER_LINT_CROSS,			/* BR 7.1.2.2 cross-certificate */
	CER_LINT_OCSP_RESPONDER,	/* BR 7.1.2.8 delegated OCSP responder */
	CER_LINT_CRL,			/* BR 7.2 a CRL (cer_lint_crl) */
	CER_LINT_OCSP_RESPONSE,		/* BR 4.9.9 an OCSP response (cer_lint_ocsp_response) */
	/*
	 * A private hierarchy's ('hierarchy: private'): RFC 5280 (and RFC
	 * 6960) rules only, none of the CA/B Forum's, Mozilla's or Chrome's,
	 * and never a CA/B Forum policy OID.
	 */
	CER_LINT_PRIVATE_ROOT,		/* RFC 5280 a self-signed CA */
	CER_LINT_PRIVATE_SUBORDINATE,	/* RFC 5280 a subordinate (or cross-certified) CA */
	CER_LINT_PRIVATE_OCSP_RESPONDER,	/* RFC 6960 4.2.2.2 a delegated OCSP responder */
	CER_LINT_PRIVATE_CRL,		/* RFC 5280 5 a CRL (cer_lint_opts private_set) */
	CER_LINT_NPROFILES
};

enum cer_lint_severity { CER_LINT_NOTICE, CER_LINT_WARNING, CER_LINT_ERROR };

/* NOT_APPLICABLE: the rule took effect after the artefact's own date. */
enum cer_lint_verdict { CER_LINT_PASS, CER_LINT_FAIL, CER_LINT_SKIPPED, CER_LINT_NOT_APPLICABLE };

/* One rule's verdict on one artefact.  Strings live as long as the result. */
struct cer_lint_finding {
	const char *rule;		/* "root.no_eku" */
	enum cer_lint_severity severity;	/* of this finding (a rule may soften) */
	const char *citation;		/* "BR 7.1.2.1.2" */
	enum cer_lint_verdict verdict;
	const char *message;		/* why it failed, or "" */
};

struct cer_lint_result;

/*
 * Lints cert as profile p at signing time `at` (the rules on the signing
 * time window, such as cert.notbefore_window, compare the certificate
 * with it; dated rules look at the certificate's notBefore instead).
 * issuer is the issuing CA's certificate, or NULL when cert is
 * self-signed.  skip is a NULL-terminated list of rule ids or foreign
 * lint names (cer_lint_foreign_name) to skip (may be NULL); a foreign name
 * without a counterpart skips nothing.  *out gets every applicable rule's
 * verdict, also when some fail.  Returns CER_OK (look at the counts for
 * findings), CER_ERR_USAGE for a profile that is not a certificate profile
 * or an unknown skip name, CER_ERR_ALLOC.
 */
int cer_lint_certificate(X509 *cert, X509 *issuer, enum cer_lint_profile p, time_t at,
    const char *const *skip, struct cer_lint_result **out) CER_WUR;

/*
 * Lints a CRL issued by issuer (required) at signing time `at`, like
 * cer_lint_certificate; the rules are those of profile CER_LINT_CRL.  The
 * CRL is taken to cover CA certificates (cer_lint_crl_opts says otherwise).
 */
int cer_lint_crl(X509_CRL *crl, X509 *issuer, time_t at, const char *const *skip,
    struct cer_lint_result **out) CER_WUR;

/*
 * Lints an OCSP response about certificates issued by issuer (required),
 * signed by issuer itself or by a delegated responder whose certificate
 * is in the response; rules of profile CER_LINT_OCSP_RESPONSE.
 */
int cer_lint_ocsp_response(OCSP_RESPONSE *resp, X509 *issuer, time_t at,
    const char *const *skip, struct cer_lint_result **out) CER_WUR;

/* Failures of each severity. */
size_t cer_lint_result_errors(const struct cer_lint_result *res);
size_t cer_lint_result_warnings(const struct cer_lint_result *res);
size_t cer_lint_result_notices(const struct cer_lint_result *res);

/* Verdicts recorded, and the i-th of them (NULL when i is out of range). */
size_t cer_lint_result_count(const struct cer_lint_result *res);
const struct cer_lint_finding *cer_lint_result_get(const struct cer_lint_result *res, size_t i);

/*
 * [{"rule","severity","citation","verdict":"pass|fail|skipped|not-applicable",
 * "message"}], every verdict in rule order.  A rule that does not apply to
 * the artefact's content (an RSA rule on an EC key) passes with the message
 * "not applicable"; one that took effect after the artefact's date gets the
 * verdict "not-applicable" and a message with both dates.
 */
int cer_lint_result_json(const struct cer_lint_result *res, json_t **out) CER_WUR;

/* One line per failure: "[prefix: ]error root.no_eku BR 7.1.2.1.2: message". */
void cer_lint_result_print(const struct cer_lint_result *res, const char *prefix, FILE *f);

/* Accepts NULL. */
void cer_lint_result_free(struct cer_lint_result *res);

/* "error", "warning", "notice"; "pass", "fail", "skipped", "not-applicable"; "root", ... */
const char *cer_lint_severity_str(enum cer_lint_severity s);
const char *cer_lint_verdict_str(enum cer_lint_verdict v);
const char *cer_lint_profile_str(enum cer_lint_profile p);

/*
 * "root", "subordinate", "subordinate-tc", "subordinate-tc-nontls", "cross",
 * "ocsp-responder", "crl", "ocsp-response", "private-root",
 * "private-subordinate", "private-ocsp-responder", "private-crl".
 * CER_ERR_USAGE for anything else.
 */
int cer_lint_profile_parse(const char *name, enum cer_lint_profile *out) CER_WUR;

/*
 * A self-signed CA is a root; a CA with an EKU without serverAuth a
 * technically constrained non-TLS subordinate; a CA with nameConstraints a
 * technically constrained subordinate; another CA a subordinate; a
 * certificate with the OCSPSigning EKU an OCSP responder.  Cross-certificates
 * look like subordinates: name that profile.  CER_ERR_VERIFY for anything else.
 */
int cer_lint_profile_guess(X509 *cert, enum cer_lint_profile *out) CER_WUR;

/*
 * What a linter is told about an artefact beyond itself (all zero: a
 * cross-certificate between organisations that are not affiliates, a CRL
 * about CA certificates).  affiliated: a cross-certificate's issuer and
 * subject are the same organisation or affiliates, so extKeyUsage may be
 * left out (BR 7.1.2.2.3); otherwise it MUST be there, restricted.
 * subscriber_crl: the CRL's issuer issues subscriber certificates (BR
 * 4.9.7, 7.2; MRSP 6: nextUpdate at most 10 days after thisUpdate).
 */
struct cer_lint_opts {
	int affiliated;
	int subscriber_crl;
	int private_set;	/* a CRL of a private hierarchy: profile private-crl */
};

/*
 * The private counterpart of a public profile (root: private-root; the
 * subordinates and cross: private-subordinate; ocsp-responder:
 * private-ocsp-responder; crl: private-crl); a private profile itself.
 * An OCSP response has no private set yet: itself.
 */
enum cer_lint_profile cer_lint_profile_private(enum cer_lint_profile p);

/* Is p a private hierarchy's profile? */
int cer_lint_profile_is_private(enum cer_lint_profile p);

/* cer_lint_certificate and cer_lint_crl with opts (NULL: all zero). */
int cer_lint_certificate_opts(X509 *cert, X509 *issuer, enum cer_lint_profile p, time_t at,
    const char *const *skip, const struct cer_lint_opts *opts,
    struct cer_lint_result **out) CER_WUR;
int cer_lint_crl_opts(X509_CRL *crl, X509 *issuer, time_t at, const char *const *skip,
    const struct cer_lint_opts *opts, struct cer_lint_result **out) CER_WUR;

/*
 * Whether name is a lint another linter runs (every zlint v3 lint, Boulder's
 * own lints, and the pkilint names the project maps), and the rule id of
 * ours it corresponds to (*rule NULL when we have no counterpart).
 * CER_ERR_USAGE for a name no linter has (the message says so).
 */
int cer_lint_foreign_name(const char *name, const char **rule) CER_WUR;

/* The severity of rule id. CER_ERR_USAGE for an unknown id. */
int cer_lint_rule_severity(const char *id, enum cer_lint_severity *out) CER_WUR;

/* The rule id a zlint, pkilint or Boulder lint name maps to. CER_ERR_USAGE if none. */
int cer_lint_map_zlint(const char *name, const char **id) CER_WUR;

/* Is id a rule id? */
int cer_lint_rule_exists(const char *id);

/*
 * Every rule, one per line: "id severity citation effective description"
 * (tab separated; effective is YYYY-MM-DD or "-"), or as the Markdown table
 * of docs/lints.md.
 */
void cer_lint_list(FILE *f, int markdown);

/*
 * Every rule as [{"id","severity","citation","effective":"YYYY-MM-DD"|null,
 * "profiles":["root",...],"sets":["tls","private"],"description"}], in list order.
 */
int cer_lint_list_json(json_t **out) CER_WUR;

/* Number of rules. */
size_t cer_lint_rule_count(void);

/* An ASN.1 time as seconds since the epoch; (time_t)-1 when it does not parse. */
time_t cer_lint_time(const ASN1_TIME *t);

/* "2026-12-01 00:00:00" or "2026-12-01T00:00:00Z", UTC. CER_ERR_USAGE. */
int cer_lint_parse_time(const char *s, time_t *out) CER_WUR;

#endif
