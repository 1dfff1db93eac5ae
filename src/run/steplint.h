/*
 * steplint.h: the linter (lint.h) and the key checks (keycheck.h) where
 * the ceremony needs them.  Every certificate is linted three times:
 * during validation, on a rehearsal of the whole script in software
 * (throwaway keys of the planned kinds), so that a profile that breaks a
 * rule is refused before any key exists; before C_Sign, on the exact TBS
 * the HSM will sign (signed with a throwaway key); after, on the
 * certificate the HSM signed.  An error always stops; a warning stops
 * unless the step skips its rule (skip-lints, with a reason); a notice is
 * recorded.  The rehearsal itself is rehearse.h.
 */
#ifndef CER_STEPLINT_H
#define CER_STEPLINT_H

#include <time.h>

#include <jansson.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include "base/err.h"
#include "lint/lint.h"
#include "script/model.h"
#include "x509/crl.h"

/*
 * Every skip-lints name of the script is known: in a native script a rule
 * id or a zlint/pkilint/Boulder name that maps to one (skipping an error
 * rule is refused when the step is linted); in a Boulder config also any
 * zlint v3 lint name, as Boulder accepts.  CER_ERR_SCRIPT naming the entry.
 */
int cer_steplint_check_skips(const struct cer_script *s) CER_WUR;

/*
 * What skip-lints name does in script s: "skipped", or, in a Boulder
 * config, recorded only (no counterpart of ours; or an error rule, which
 * always runs and stops the run only if it fires).  *rule is our rule id
 * it stands for, or NULL.
 */
const char *cer_steplint_skip_effect(const struct cer_script *s, const char *name,
    const char **rule);

/*
 * [{"name","rule","effect","reason"}]: every skip-lints entry of st and
 * what it does; for the transcript.  NULL when out of memory.
 */
json_t *cer_steplint_skips_json(const struct cer_script *s, const struct cer_step *st);

/*
 * The profile an artefact of script s the step type lints as p is linted
 * as: p's private counterpart in a private hierarchy (lint.h), else p.
 */
enum cer_lint_profile cer_steplint_profile(const struct cer_script *s,
    enum cer_lint_profile p);

/*
 * Lints cert (issuer NULL: self-signed) of step st as profile p, or in a
 * private hierarchy its private counterpart, at signing time at;
 * stage ("plan", "pre-issuance", "post-issuance") goes into *record, the
 * transcript's data ({"step","stage","profile","at","errors","warnings",
 * "notices","skipped","verdicts"}).  CER_ERR_VERIFY when it stops the
 * ceremony: the detail names the rule, its citation and what to change.
 */
int cer_steplint_cert(X509 *cert, X509 *issuer, const struct cer_script *s,
    const struct cer_step *st, enum cer_lint_profile p, time_t at, const char *stage,
    json_t **record) CER_WUR;

/*
 * Lints the CRL crl of step st like cer_steplint_cert (profile crl),
 * issued by issuer; subscribers: it is about subscriber certificates (BR
 * 4.9.7, 7.2: nextUpdate at most 10 days on), else about CA certificates.
 * spec says what the script declares it covers, which its bytes cannot
 * (a partition, or Boulder's CA-only CRL): the IDP rules that makes moot
 * are skipped, with the reason in *record's "skipped".  Before
 * post-issuance crl is a throwaway's signature: crl.signature is skipped.
 * *record also says "crl_scope" ("subscriber" or "ca").
 */
int cer_steplint_crl(X509_CRL *crl, X509 *issuer, int subscribers,
    const struct cer_crl_spec *spec, const struct cer_script *s, const struct cer_step *st,
    time_t at, const char *stage, json_t **record) CER_WUR;

/*
 * Lints an OCSP response of step st (an ocsp-response step) about a
 * certificate issued by issuer, as cer_steplint_cert lints a certificate:
 * before signing (a throwaway's signature) ocsp.profile, the rule that
 * verifies the signature, is skipped; a private hierarchy skips
 * ocsp.sigalg.  The refusal says to change the ocsp-profile.
 */
int cer_steplint_ocsp(OCSP_RESPONSE *resp, X509 *issuer, const struct cer_script *s,
    const struct cer_step *st, time_t at, const char *stage, json_t **record) CER_WUR;

/*
 * The key checks on a key about to be certified or just generated (RSA
 * and ECDSA; Ed25519 has none).  CER_ERR_VERIFY for a weak key; *findings
 * (may be NULL) for the transcript.
 */
int cer_steplint_key(EVP_PKEY *pub, json_t **findings) CER_WUR;

/*
 * Whether one verdict of a lint record's "verdicts" is a notice that
 * fired: recorded, never blocking, and listed for the operator.
 */
int cer_steplint_is_notice(const json_t *verdict);

#endif
