/*
 * step-crl.h: what the files of the crl step type share (step-crl.c, the
 * descriptor; step-crl-input.c, its crl-profile and the inputs its plan
 * loads and checks).  Private to them.
 */
#ifndef CER_STEP_CRL_H
#define CER_STEP_CRL_H

#include <stddef.h>

#include <jansson.h>
#include <openssl/x509.h>

#include "run/plan.h"
#include "script/parse.h"
#include "steps/step.h"
#include "x509/crl.h"

/* One entry of revoked-certificates: a certificate file, an earlier step's, or a serial. */
struct crl_revoked {
	char *cert_path;		/* certificate-path, or NULL */
	size_t cert_step;		/* certificate: (an earlier step), or CER_NO_INDEX */
	struct cer_crl_entry e;		/* its serial when written, its date and reason */
	struct cer_pos pos, reason_pos;
};

/* A crl step's crl-profile and its other inputs, held by the step (st->own). */
struct crl_profile {
	struct cer_crl_spec spec;	/* urls point into urls */
	char **urls;
	struct cer_pos this_pos, next_pos, number_pos, scope_pos, urls_pos;
	struct crl_revoked *revoked;
	size_t nrevoked;
	char *serials_path;		/* revoked-serials-path */
	struct cer_pos serials_pos;
	char *previous_path;		/* inputs.previous-crl-path */
	struct cer_pos previous_pos;
	char **remove;			/* remove-expired: certificate files */
	struct cer_pos *remove_pos;
	size_t nremove;
};

/* What the plan loads (ps->own): every entry, in the CRL's order. */
struct crl_inputs {
	struct cer_crl_entry *entries;	/* revoked-certificates, then the serials file */
	size_t n;
	size_t nscript;			/* the first nscript are revoked-certificates */
	X509 **certs;			/* per revoked-certificates entry: its file, or NULL */
	X509 **removed;			/* per remove-expired entry */
	size_t nremoved;
	/* the previous CRL's DER, to verify in the run when the issuer is made in it */
	unsigned char *previous_der;
	long previous_len;
	json_t *summary;		/* {"serials_file", "previous"} for the transcript */
};

/*
 * A reason (RFC 5280 5.3.1) for an entry: among the BR's CRLReasons (BR
 * 7.2.2), and for a CA certificate (ca) not unspecified, which is the
 * reasonCode's absence.  NULL when allowed, else why not ("is ...").
 */
const char *cer_crl_reason_refused(int reason, int ca);

/* The crl-profile at pv (and inputs.previous-crl-path at in, may be NULL) into st->own. */
int cer_crl_profile_parse(const struct cer_parse *c, const struct cer_yaml_node *pv,
    const struct cer_yaml_node *in, struct cer_step *st) CER_WUR;

/* The issuer's validity and key usage, the window, every entry, the previous CRL. */
int cer_crl_plan(const struct cer_script *s, size_t i, struct cer_plan_step *ps) CER_WUR;

/* The CRL is about subscriber certificates: not CA-only, and its issuer not a root. */
int cer_crl_about_subscribers(const struct crl_profile *p, X509 *issuer);

/*
 * In the run, with the issuer's certificate at hand: each certificate the
 * CRL names (files and earlier steps'), each removed and the previous CRL
 * are the issuer's, by name and by signature.
 */
int cer_crl_issued_check(const struct cer_source *src, size_t i, X509 *issuer) CER_WUR;

/* A progress line on a terminal (stderr), nothing elsewhere. */
void cer_crl_progress(void *what, size_t done, size_t total);

#endif
