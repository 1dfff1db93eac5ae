/*
 * step-crl-input.c: what a crl step is made of: its crl-profile (the
 * window, the number, the scope, the entries: certificates, earlier
 * steps' certificates, serials, and a file of serials for lists too long
 * for a script), and the plan that loads its inputs and checks them before
 * any HSM is opened: each revoked certificate is the issuer's (name and
 * signature), each reason one the BR allow, the window inside the issuer's
 * validity and the BR's limits, and the previous CRL continued (a higher
 * number, the same issuer and scope, no entry dropped before its time).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "base/br.h"
#include "base/util.h"
#include "lint/lint.h"
#include "script/certprofile.h"
#include "script/fields.h"
#include "steps/step-crl.h"
#include "steps/step.h"

#define DAY 86400

static const char *const boulder_keys[] = { "this-update", "next-update", "number",
    "revoked-certificates", NULL };
static const char *const native_keys[] = { "this-update", "next-update", "number", "scope",
    "distribution-points", "signature-algorithm", "revoked-certificates",
    "revoked-serials-path", "remove-expired", NULL };
static const struct cer_yaml_hint boulder_hints[] = {
	{ "scope", "is a native script's (Boulder's CRL is always ca-only); remove it" },
	{ "distribution-points", "is a native script's; remove it" },
	{ "signature-algorithm", "is a native script's (Boulder's follows the key); remove it" },
	{ "revoked-serials-path", "is a native script's; remove it" },
	{ "remove-expired", "is a native script's; remove it" },
	{ NULL, NULL },
};
static const char *const scope_names[] = { "", "full", "ca-only", "partitioned", NULL };
static const char *const entry_boulder_keys[] = { "certificate-path", "revocation-date",
    "revocation-reason", NULL };
static const char *const entry_native_keys[] = { "certificate-path", "certificate", "serial",
    "revocation-date", "revocation-reason", NULL };
static const char *const allowed_reasons[] = { "keyCompromise", "affiliationChanged",
    "superseded", "cessationOfOperation", "privilegeWithdrawn", "unspecified", NULL };

#define MASK(t) (1u << (t))

static void
profile_free(void *own)
{
	struct crl_profile *p = own;
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->spec.nurls; i++)
		free(p->urls[i]);
	free(p->urls);
	for (i = 0; i < p->nrevoked; i++)
		free(p->revoked[i].cert_path);
	free(p->revoked);
	free(p->serials_path);
	free(p->previous_path);
	for (i = 0; i < p->nremove; i++)
		free(p->remove[i]);
	free(p->remove);
	free(p->remove_pos);
	free(p);
}

/* ---- the crl-profile ---- */

/* A CRL about CA certificates only: Boulder's, a ca-only one, or a root's. */
static int
about_ca(const struct cer_script *s, const struct crl_profile *p)
{
	return s->boulder || p->spec.scope == CER_CRL_CA_ONLY;
}

const char *
cer_crl_reason_refused(int reason, int ca)
{
	if (reason == CER_CRL_CERTIFICATE_HOLD)
		return "is forbidden (BR 7.2.2: no entry for a certificate subject to the BR "
		    "carries certificateHold); revoke for good with another reason";
	if (reason < 0 || (reason != CER_CRL_UNSPECIFIED && !cer_br_is_allowed_reason(reason)))
		return "is not one of the BR's CRLReasons (BR 7.2.2); use keyCompromise, "
		    "affiliationChanged, superseded, cessationOfOperation or privilegeWithdrawn";
	if (reason == CER_CRL_UNSPECIFIED && ca)
		return "is written by leaving the reasonCode out, which an entry for a CA "
		    "certificate may not do (BR 7.2.2); use keyCompromise, affiliationChanged, "
		    "superseded, cessationOfOperation or privilegeWithdrawn";
	return NULL;
}

static int
entry_reason(const struct cer_parse *c, const struct cer_yaml_node *v, int ca,
    struct crl_revoked *r)
{
	char b[CER_YAML_SHOW];
	const char *why, *s;
	int reason;

	r->reason_pos = v->pos;
	if (cer_yaml_check_text(&c->y, v, "revocation-reason") != CER_OK)
		return CER_ERR_SCRIPT;
	reason = cer_crl_reason_parse(v->str);
	if ((why = cer_crl_reason_refused(reason, ca)) == NULL) {
		r->e.reason = (signed char)reason;
		return CER_OK;
	}
	if (reason < 0 && (s = cer_yaml_suggest(v->str, allowed_reasons)) != NULL)
		return cer_yaml_fail(&c->y, v->pos, "'%s' is no RFC 5280 CRLReason; did you "
		    "mean '%s'?", cer_yaml_shown(b, v), s);
	return cer_yaml_fail(&c->y, v->pos, "revocation-reason %s %s", cer_yaml_shown(b, v),
	    why);
}

/* certificate: an intermediate, cross-certificate or OCSP responder this CRL's issuer issued. */
static int
entry_step(const struct cer_parse *c, const struct cer_yaml_node *v, size_t idx,
    struct crl_revoked *r)
{
	const struct cer_step *st = &c->s->steps[idx], *ref;
	struct cer_pos pos;
	char b[CER_YAML_SHOW];
	int r2;

	if ((r2 = cer_fields_step_ref(c, v, idx, "certificate", MASK(CER_STEP_INTERMEDIATE) |
	    MASK(CER_STEP_CROSS_CERTIFICATE) | MASK(CER_STEP_OCSP_SIGNER),
	    "an intermediate, cross-certificate or ocsp-signer step", &r->cert_step,
	    &pos)) != CER_OK)
		return r2;
	ref = &c->s->steps[r->cert_step];
	if (st->issuer != CER_NO_INDEX ? ref->issuer != st->issuer : ref->in_issuer_cert ==
	    NULL || st->in_issuer_cert == NULL || strcmp(ref->in_issuer_cert,
	    st->in_issuer_cert) != 0)
		return cer_yaml_fail(&c->y, v->pos, "step '%s' is not issued by this CRL's "
		    "issuer; a CRL lists only certificates of its own issuer (BR 7.2: no "
		    "indirect CRLs)", cer_yaml_shown(b, v));
	return CER_OK;
}

/* Which of certificate-path, certificate and serial the entry names: exactly one. */
static int
entry_what(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx,
    struct crl_revoked *r)
{
	const struct cer_yaml_node *v;
	const char *why;
	int n = (cer_yaml_key(m, "certificate-path") != NULL) + (cer_yaml_key(m,
	    "certificate") != NULL) + (cer_yaml_key(m, "serial") != NULL);

	if (n != 1)
		return cer_yaml_fail(&c->y, m->pos, "an entry of revoked-certificates names %s",
		    c->s->boulder ? "its certificate with certificate-path; add it" : n == 0 ?
		    "one certificate: certificate-path (a file), certificate (an earlier step) "
		    "or serial; add one" : "one certificate only: certificate-path, "
		    "certificate or serial; keep one");
	if ((v = cer_yaml_val(m, "certificate")) != NULL)
		return entry_step(c, v, idx, r);
	if ((v = cer_yaml_val(m, "serial")) == NULL)
		return cer_yaml_opt_text(&c->y, m, "certificate-path", &r->cert_path, &r->pos);
	if (cer_yaml_check_text(&c->y, v, "serial") != CER_OK)
		return CER_ERR_SCRIPT;
	if ((why = cer_crl_serial_parse(v->str, v->len, &r->e)) != NULL)
		return cer_yaml_fail(&c->y, v->pos, "serial: %s", why);
	return CER_OK;
}

static int
revoked_entry(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx,
    struct crl_revoked *r)
{
	const struct crl_profile *p = c->s->steps[idx].own;
	const struct cer_yaml_node *d = cer_yaml_val(m, "revocation-date"),
	    *rv = cer_yaml_val(m, "revocation-reason");
	const struct cer_step *ref;
	time_t t;
	int ca, r2;

	r->pos = m->pos;
	r->cert_step = CER_NO_INDEX;
	if ((r2 = cer_yaml_want_kind(&c->y, m, CER_YAML_MAP,
	    "an entry of revoked-certificates")) != CER_OK ||
	    (r2 = cer_yaml_check_map(&c->y, m, "an entry of revoked-certificates",
	    c->s->boulder ? entry_boulder_keys : entry_native_keys, NULL)) != CER_OK ||
	    (r2 = entry_what(c, m, idx, r)) != CER_OK)
		return r2;
	if (d == NULL || rv == NULL)
		return cer_yaml_missing(&c->y, m, "an entry of revoked-certificates",
		    d == NULL ? "revocation-date" : "revocation-reason");
	if ((r2 = cer_certprofile_time(&c->y, d, "revocation-date", &t)) != CER_OK)
		return r2;
	r->e.date = t;
	if (t > p->spec.this_update)
		return cer_yaml_fail(&c->y, d->pos, "revocation-date is after this-update; a "
		    "CRL lists revocations made by its thisUpdate (BR 7.2.2)");
	ref = r->cert_step != CER_NO_INDEX ? &c->s->steps[r->cert_step] : NULL;
	if (ref != NULL && ref->type == CER_STEP_OCSP_SIGNER && p->spec.scope == CER_CRL_CA_ONLY)
		return cer_yaml_fail(&c->y, m->pos, "an OCSP responder certificate is not a CA "
		    "certificate, so a ca-only CRL does not cover it; use scope full");
	ca = about_ca(c->s, p) || (ref != NULL && ref->type != CER_STEP_OCSP_SIGNER);
	return entry_reason(c, rv, ca, r);
}

static int
revoked_list(const struct cer_parse *c, const struct cer_yaml_node *v, size_t idx)
{
	struct crl_profile *p = c->s->steps[idx].own;
	size_t i;
	int r;

	if (v == NULL || cer_yaml_is_null(v))	/* Boulder: "May be empty" */
		return CER_OK;
	if ((r = cer_yaml_want_kind(&c->y, v, CER_YAML_SEQ, "'revoked-certificates'")) != CER_OK)
		return r;
	if ((p->revoked = calloc(v->nkids + 1, sizeof(*p->revoked))) == NULL)
		return cer_yaml_nomem();
	p->nrevoked = v->nkids;		/* all zero: freed as far as read */
	for (i = 0; i < v->nkids; i++)
		if ((r = revoked_entry(c, v->kids[i], idx, &p->revoked[i])) != CER_OK)
			return r;
	return CER_OK;
}

/* A list of text values (URLs, paths) into *out. */
static int
text_list(const struct cer_parse *c, const struct cer_yaml_node *v, const char *key,
    char ***out, struct cer_pos **pos, size_t *n)
{
	size_t i;
	int r;

	if ((r = cer_yaml_want_kind(&c->y, v, CER_YAML_SEQ, key)) != CER_OK)
		return r;
	if (v->nkids == 0)
		return cer_yaml_fail(&c->y, v->pos, "%s is empty; list at least one, or remove "
		    "it", key);
	if ((*out = calloc(v->nkids, sizeof(**out))) == NULL ||
	    (pos != NULL && (*pos = calloc(v->nkids, sizeof(**pos))) == NULL))
		return cer_yaml_nomem();
	for (i = 0; i < v->nkids; i++, (*n)++) {
		if (pos != NULL)
			(*pos)[i] = v->kids[i]->pos;
		if ((r = cer_yaml_want_text(&c->y, v->kids[i], key, &(*out)[i])) != CER_OK)
			return r;
	}
	return CER_OK;
}

/* scope, and the partition's distribution points (http URLs, BR 7.2.2.1, 7.1.2.11.2). */
static int
scope(const struct cer_parse *c, const struct cer_yaml_node *m, struct crl_profile *p)
{
	const struct cer_yaml_node *v = cer_yaml_val(m, "scope"),
	    *dp = cer_yaml_val(m, "distribution-points");
	unsigned e;
	size_t i;
	int r;

	p->spec.scope = CER_CRL_CA_ONLY;	/* Boulder's, always */
	if (c->s->boulder)
		return CER_OK;
	if (v == NULL)
		return cer_yaml_missing(&c->y, m, "a crl-profile (full, ca-only or partitioned: "
		    "say what the CRL covers)", "scope");
	p->scope_pos = v->pos;
	if ((r = cer_yaml_want_enum(&c->y, v, "scope", scope_names, &e)) != CER_OK)
		return r;
	p->spec.scope = (enum cer_crl_scope)e;
	if (dp == NULL && p->spec.scope == CER_CRL_PARTITIONED)
		return cer_yaml_missing(&c->y, m, "a partitioned CRL (BR 7.2.2.1: its IDP names "
		    "the partition's URLs)", "distribution-points");
	if (dp == NULL)
		return CER_OK;
	if (p->spec.scope == CER_CRL_FULL)
		return cer_yaml_fail(&c->y, dp->pos, "distribution-points name a partition; a "
		    "full CRL has no issuingDistributionPoint (BR 7.2.2.1): remove them, or "
		    "choose scope partitioned or ca-only");
	p->urls_pos = dp->pos;
	if ((r = text_list(c, dp, "distribution-points", &p->urls, NULL,
	    &p->spec.nurls)) != CER_OK)
		return r;
	p->spec.urls = p->urls;
	for (i = 0; i < p->spec.nurls; i++)
		if (strncmp(p->urls[i], "http://", 7) != 0 || p->urls[i][7] == '\0' ||
		    strpbrk(p->urls[i], " \t") != NULL)
			return cer_yaml_fail(&c->y, dp->kids[i]->pos, "a distribution point is an "
			    "http:// URL, byte for byte the one in the certificates' CRL "
			    "distribution points (BR 7.2.2.1, 7.1.2.11.2)");
	return CER_OK;
}

/* this-update, next-update: at most 12 months (Boulder: 365 days) apart (BR 4.9.7). */
static int
window(const struct cer_parse *c, const struct cer_yaml_node *m, struct crl_profile *p)
{
	const struct cer_yaml_node *tu = cer_yaml_val(m, "this-update"),
	    *nu = cer_yaml_val(m, "next-update");
	struct tm tm;
	time_t last;
	char when[21];
	int r;

	p->this_pos = tu->pos;
	p->next_pos = nu->pos;
	if ((r = cer_certprofile_time(&c->y, tu, "this-update", &p->spec.this_update)) != CER_OK ||
	    (r = cer_certprofile_time(&c->y, nu, "next-update", &p->spec.next_update)) != CER_OK)
		return r;
	if (p->spec.next_update <= p->spec.this_update)
		return cer_yaml_fail(&c->y, nu->pos, "next-update is not after this-update");
	if (c->s->boulder && p->spec.next_update - p->spec.this_update > 365 * DAY)
		return cer_yaml_fail(&c->y, nu->pos, "next-update is more than 365 days after "
		    "this-update; Boulder's crl ceremony allows 365 at most (BR 4.9.7: 12 "
		    "months)");
	gmtime_r(&p->spec.this_update, &tm);
	tm.tm_mon += CER_BR_CRL_CA_MAX_MONTHS;
	last = timegm(&tm);
	cer_time_str(last, when);
	if (p->spec.next_update > last)
		return cer_yaml_fail(&c->y, nu->pos, "a CRL is valid for at most 12 months "
		    "(BR 4.9.7, 7.2); move next-update to %s or earlier", when);
	return CER_OK;
}

/* The native crl-profile's inputs: a file of serials, what to remove, the algorithm. */
static int
native_fields(const struct cer_parse *c, const struct cer_yaml_node *m,
    const struct cer_yaml_node *in, struct cer_step *st)
{
	struct crl_profile *p = st->own;
	const struct cer_yaml_node *v;
	unsigned e;
	int r;

	if ((r = cer_yaml_opt_text(&c->y, m, "revoked-serials-path", &p->serials_path,
	    &p->serials_pos)) != CER_OK ||
	    (in != NULL && (r = cer_yaml_opt_text(&c->y, in, "previous-crl-path",
	    &p->previous_path, &p->previous_pos)) != CER_OK))
		return r;
	if ((v = cer_yaml_val(m, "remove-expired")) != NULL) {
		if (p->previous_path == NULL)
			return cer_yaml_fail(&c->y, v->pos, "remove-expired drops entries of the "
			    "previous CRL; name it with inputs.previous-crl-path");
		if ((r = text_list(c, v, "remove-expired", &p->remove, &p->remove_pos,
		    &p->nremove)) != CER_OK)
			return r;
	}
	if ((v = cer_yaml_val(m, "signature-algorithm")) == NULL)
		return CER_OK;
	st->profile.sigalg_pos = v->pos;
	if ((r = cer_yaml_want_enum(&c->y, v, "signature-algorithm", cer_alg_sigalg_names(),
	    &e)) != CER_OK)
		return r;
	st->profile.sigalg = (enum cer_sigalg)e;
	return CER_OK;
}

/* The signature algorithm fits the issuer step's key (a file issuer's: the plan). */
static int
fits_key(const struct cer_parse *c, struct cer_step *st)
{
	const struct cer_key_spec *k;
	int r;

	if (st->profile.sigalg == CER_SIG_ED25519 && (r = cer_fields_ed25519(c,
	    st->profile.sigalg_pos)) != CER_OK)
		return r;
	if (st->signing_key == CER_NO_INDEX)
		return CER_OK;
	k = &c->s->steps[st->signing_key].key;
	if (st->profile.sigalg == CER_SIG_NONE)
		st->profile.sigalg = cer_sigalg_default(k->type, k->curve);
	return cer_certprofile_sigalg_fits(&c->y, k, &st->profile);
}

int
cer_crl_profile_parse(const struct cer_parse *c, const struct cer_yaml_node *m,
    const struct cer_yaml_node *in, struct cer_step *st)
{
	static const char *const required[] = { "this-update", "next-update", "number", NULL };
	const char *const *k;
	struct crl_profile *p;
	unsigned long n;
	size_t idx = (size_t)(st - c->s->steps);
	int r;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return cer_yaml_nomem();
	st->own = p;
	st->own_free = profile_free;
	st->profile.present = 1;
	st->profile.pos = m->pos;
	if ((r = cer_yaml_want_kind(&c->y, m, CER_YAML_MAP, "'crl-profile'")) != CER_OK ||
	    (r = cer_yaml_check_map(&c->y, m, "'crl-profile'", c->s->boulder ? boulder_keys :
	    native_keys, c->s->boulder ? boulder_hints : NULL)) != CER_OK)
		return r;
	for (k = required; *k != NULL; k++)
		if (cer_yaml_val(m, *k) == NULL)
			return cer_yaml_missing(&c->y, m, "'crl-profile'", *k);
	p->number_pos = cer_yaml_val(m, "number")->pos;
	if ((r = cer_yaml_want_uint(&c->y, cer_yaml_val(m, "number"), "number", INT64_MAX,
	    &n)) != CER_OK)
		return r;
	if (n == 0 && c->s->boulder)
		return cer_yaml_fail(&c->y, p->number_pos, "number must be non-zero (Boulder's "
		    "crlConfig.validate)");
	p->spec.number = n;
	if ((r = window(c, m, p)) != CER_OK || (r = scope(c, m, p)) != CER_OK ||
	    (!c->s->boulder && (r = native_fields(c, m, in, st)) != CER_OK) ||
	    (r = fits_key(c, st)) != CER_OK)
		return r;
	return revoked_list(c, cer_yaml_val(m, "revoked-certificates"), idx);
}
