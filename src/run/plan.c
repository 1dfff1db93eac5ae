/* plan.c: input files and the rules across steps, checked before any HSM is opened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "base/util.h"
#include "run/plan.h"
#include "run/steplint.h"
#include "x509/input.h"

/* What a signature algorithm has to fit: the signer's key. */
struct keyinfo {
	enum cer_key_type type;
	enum cer_curve curve;
};

/* The lenient readers, for the commands that only look (describe, verify): x509/input.h. */
int
cer_plan_read_cert(const char *path, X509 **out)
{
	return cer_input_read_cert(path, CER_INPUT_LENIENT, out);
}

int
cer_plan_read_pubkey(const char *path, EVP_PKEY **out)
{
	return cer_input_read_pubkey(path, CER_INPUT_LENIENT, out);
}

/* Puts the script position in front of a file error. */
static int
input_error(const struct cer_script *s, struct cer_pos pos, const char *field)
{
	return cer_fail_at(CER_ERR_INPUT, s->path, pos, "%s; check inputs.%s", cer_err_detail(),
	    field);
}

/*
 * The subject's key from a certificate of the same subject (CN, O and C as
 * the profile writes them): renewing or re-making a certificate, such as
 * one `ceremony describe` wrote a step for.  Any other certificate there
 * is a file mix-up, refused as before.
 */
static int
key_of_same_subject(const struct cer_step *st, EVP_PKEY **out)
{
	const struct cer_cert_profile *p = &st->profile;
	char why[512], cn[256] = "", o[256] = "", c[8] = "";
	X509 *x = NULL;
	X509_NAME *n;

	snprintf(why, sizeof(why), "%s", cer_err_detail());
	if (cer_input_read_cert(st->in_public_key, CER_INPUT_STRICT, &x) != CER_OK)
		return cer_fail(CER_ERR_INPUT, "%s", why);
	n = X509_get_subject_name(x);
	X509_NAME_get_text_by_NID(n, NID_commonName, cn, sizeof(cn));
	X509_NAME_get_text_by_NID(n, NID_organizationName, o, sizeof(o));
	X509_NAME_get_text_by_NID(n, NID_countryName, c, sizeof(c));
	if (p->common_name != NULL && strcmp(cn, p->common_name) == 0 && p->organization != NULL &&
	    strcmp(o, p->organization) == 0 && p->country != NULL && strcmp(c, p->country) == 0)
		*out = X509_get_pubkey(x);
	X509_free(x);
	if (*out != NULL)
		return CER_OK;
	return cer_fail(CER_ERR_INPUT, "%s, and the certificate in it is not of this profile's "
	    "subject (CN=%s, O=%s, C=%s), so it does not stand for the subject's key", why, cn, o, c);
}

/*
 * Every input a signing step builds on, read strictly (one object, nothing
 * around it) and, for a certificate, fit to build on (x509/input.h).
 */
static int
load_inputs(const struct cer_script *s, const struct cer_step *st, struct cer_plan_step *ps)
{
	if (st->in_issuer_cert != NULL &&
	    (cer_input_read_cert(st->in_issuer_cert, CER_INPUT_STRICT, &ps->issuer_cert) !=
	    CER_OK || cer_input_check_ca(st->in_issuer_cert, ps->issuer_cert) != CER_OK))
		return input_error(s, st->in_issuer_cert_pos, "issuer-certificate-path");
	if (st->in_public_key != NULL &&
	    cer_input_read_pubkey(st->in_public_key, CER_INPUT_STRICT, &ps->subject_pub) !=
	    CER_OK && key_of_same_subject(st, &ps->subject_pub) != CER_OK)
		return input_error(s, st->in_public_key_pos, "public-key-path");
	if (st->in_cross_cert != NULL &&
	    (cer_input_read_cert(st->in_cross_cert, CER_INPUT_STRICT, &ps->cross_cert) !=
	    CER_OK || cer_input_check_ca(st->in_cross_cert, ps->cross_cert) != CER_OK))
		return input_error(s, st->in_cross_cert_pos, "certificate-to-cross-sign-path");
	return CER_OK;
}

/*
 * A certificate for the issuer's own key would make the issuer its own
 * subordinate: a loop no path builder resolves, and no CA issues it.
 */
static int
not_issuers_key(const struct cer_script *s, const struct cer_step *st,
    const struct cer_plan_step *ps)
{
	EVP_PKEY *ik = ps->issuer_cert != NULL ? X509_get0_pubkey(ps->issuer_cert) : NULL;

	if (ik == NULL)
		return CER_OK;
	if (ps->subject_pub != NULL && EVP_PKEY_eq(ps->subject_pub, ik) == 1)
		return cer_fail_at(CER_ERR_INPUT, s->path, st->in_public_key_pos, "the public key "
		    "in %s is the issuer's own key (%s); a CA does not certify its own key "
		    "under itself: check inputs.public-key-path", st->in_public_key,
		    st->in_issuer_cert);
	if (ps->cross_cert != NULL && EVP_PKEY_eq(X509_get0_pubkey(ps->cross_cert), ik) == 1)
		return cer_fail_at(CER_ERR_INPUT, s->path, st->in_cross_cert_pos, "%s has the "
		    "issuer's own key (%s); a CA does not cross-sign itself: check "
		    "inputs.certificate-to-cross-sign-path", st->in_cross_cert,
		    st->in_issuer_cert);
	return CER_OK;
}

static int
key_of_pkey(EVP_PKEY *k, struct keyinfo *ki)
{
	char group[64] = "";

	memset(ki, 0, sizeof(*ki));
	if (EVP_PKEY_is_a(k, "RSA")) {
		ki->type = CER_KEY_RSA;
		return 1;
	}
	if (EVP_PKEY_is_a(k, "ED25519")) {
		ki->type = CER_KEY_ED25519;
		return 1;
	}
	if (!EVP_PKEY_is_a(k, "EC") || EVP_PKEY_get_utf8_string_param(k,
	    OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), NULL) != 1)
		return 0;
	ki->type = CER_KEY_EC;
	ki->curve = cer_alg_curve_by_group(group);
	return ki->curve != CER_CURVE_NONE;
}

static enum cer_sigalg
default_alg(const struct keyinfo *k)
{
	return cer_sigalg_default(k->type, k->curve);
}

/* The key that signs step i, when it comes from a file (the issuer's, or the CSR's own). */
static int
file_signer(const struct cer_script *s, const struct cer_step *st,
    const struct cer_plan_step *ps, struct keyinfo *ki)
{
	EVP_PKEY *k = ps->issuer_cert != NULL ? X509_get0_pubkey(ps->issuer_cert) :
	    ps->subject_pub;
	struct cer_pos pos = ps->issuer_cert != NULL ? st->in_issuer_cert_pos :
	    st->in_public_key_pos;

	if (k == NULL || !key_of_pkey(k, ki))
		return cer_fail_at(CER_ERR_INPUT, s->path, pos, "the signing key in %s is not RSA, ECDSA "
		    "P-256/P-384/P-521 or Ed25519", ps->issuer_cert != NULL ?
		    st->in_issuer_cert : st->in_public_key);
	return CER_OK;
}

static int
resolve_alg(const struct cer_script *s, const struct cer_step *st, int signs,
    struct cer_plan_step *ps)
{
	struct keyinfo ki;
	int r;

	ps->alg = st->profile.sigalg;
	if (st->signing_key != CER_NO_INDEX || !signs)
		return CER_OK;		/* the loader checked the fit with the key step */
	if ((r = file_signer(s, st, ps, &ki)) != CER_OK)
		return r;
	if (ps->alg == CER_SIG_NONE)
		ps->alg = default_alg(&ki);
	if (!cer_sigalg_fits(ps->alg, ki.type, ki.curve))
		return cer_fail_at(CER_ERR_SCRIPT, s->path, st->profile.sigalg_pos, "signature-algorithm %s "
		    "does not fit the signing key (profile rule cert.sigalg_matches_signer); "
		    "use %s", cer_sigalg_name(ps->alg), ki.type == CER_KEY_RSA ?
		    "SHA256WithRSA, SHA384WithRSA, SHA512WithRSA or a ...WithRSAPSS name" :
		    cer_sigalg_name(default_alg(&ki)));
	if (ki.type == CER_KEY_ED25519 && !s->private_hierarchy)
		return cer_fail_at(CER_ERR_SCRIPT, s->path, st->in_issuer_cert != NULL ? st->in_issuer_cert_pos :
		    st->in_public_key_pos, "the signing key is Ed25519, which "
		    "a publicly trusted TLS hierarchy may not use (BR 6.1.5); for a private "
		    "hierarchy write 'hierarchy: private'");
	return CER_OK;
}

static time_t
asn1_time(const ASN1_TIME *t)
{
	struct tm tm;

	if (ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return timegm(&tm);
}

static void
info_of_cert(X509 *x, struct cer_plan_cert *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->not_before = asn1_time(X509_get0_notBefore(x));
	ci->not_after = asn1_time(X509_get0_notAfter(x));
	X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_organizationName, ci->org,
	    sizeof(ci->org));
	ci->self_signed = X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0;
}

static void
info_of_step(const struct cer_step *st, struct cer_plan_cert *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->not_before = st->profile.not_before;
	ci->not_after = st->profile.not_after;
	snprintf(ci->org, sizeof(ci->org), "%s", st->profile.organization);
	ci->self_signed = st->type == CER_STEP_ROOT;
}

/* An issuer certificate from a file must be able to issue: a CA with keyCertSign and an SKI. */
static int
issuer_can_sign(const struct cer_script *s, const struct cer_step *st, X509 *x)
{
	if (X509_check_ca(x) < 1 || (X509_get_extension_flags(x) & EXFLAG_KUSAGE &&
	    !(X509_get_key_usage(x) & KU_KEY_CERT_SIGN)))
		return cer_fail_at(CER_ERR_INPUT, s->path, st->in_issuer_cert_pos, "%s is not a CA "
		    "certificate with keyCertSign, so it cannot issue; check "
		    "inputs.issuer-certificate-path", st->in_issuer_cert);
	if (X509_get0_subject_key_id(x) == NULL)
		return cer_fail_at(CER_ERR_INPUT, s->path, st->in_issuer_cert_pos, "%s has no subject key "
		    "identifier, so the new certificate's AKI cannot name it (BR 7.1.2.11.1)",
		    st->in_issuer_cert);
	return CER_OK;
}

static void
day_str(time_t t, char buf[static 21])
{
	cer_time_str(t, buf);
}

/* A subordinate certificate lies inside its issuer's validity (good practice; profile-rules note 3). */
static int
inside_issuer(const struct cer_script *s, const struct cer_step *st,
    const struct cer_plan_cert *is)
{
	char when[21];

	if (st->profile.not_before < is->not_before) {
		day_str(is->not_before, when);
		return cer_fail_at(CER_ERR_SCRIPT, s->path, st->profile.not_before_pos, "not-before is "
		    "before the issuer's notBefore (%s); move it to %s or later", when, when);
	}
	if (st->profile.not_after > is->not_after) {
		day_str(is->not_after, when);
		return cer_fail_at(CER_ERR_SCRIPT, s->path, st->profile.not_after_pos, "the certificate would "
		    "outlive its issuer (valid until %s); move not-after to %s or earlier",
		    when, when);
	}
	return CER_OK;
}

/* The subject fields of the profile must say what the existing certificate's subject says. */
static int
same_subject(const struct cer_script *s, const struct cer_step *st, X509 *existing)
{
	const struct cer_cert_profile *p = &st->profile;
	X509_NAME *n = X509_get_subject_name(existing);
	char cn[256] = "", o[256] = "", c[8] = "";

	X509_NAME_get_text_by_NID(n, NID_commonName, cn, sizeof(cn));
	X509_NAME_get_text_by_NID(n, NID_organizationName, o, sizeof(o));
	X509_NAME_get_text_by_NID(n, NID_countryName, c, sizeof(c));
	if (strcmp(cn, p->common_name) != 0)
		return cer_fail_at(CER_ERR_SCRIPT, s->path, p->common_name_pos, "common-name differs from the "
		    "certificate being cross-signed ('%s'); a cross-certificate copies its "
		    "subject byte for byte (BR 7.1.2.2.2): write '%s'", cn, cn);
	if (strcmp(o, p->organization) != 0)
		return cer_fail_at(CER_ERR_SCRIPT, s->path, p->organization_pos, "organization differs from "
		    "the certificate being cross-signed ('%s'); write '%s'", o, o);
	if (strcmp(c, p->country) != 0)
		return cer_fail_at(CER_ERR_SCRIPT, s->path, p->country_pos, "country differs from the "
		    "certificate being cross-signed ('%s'); write '%s'", c, c);
	return CER_OK;
}

static int
same_subject_step(const struct cer_script *s, const struct cer_step *st,
    const struct cer_step *ex)
{
	const struct cer_cert_profile *p = &st->profile, *q = &ex->profile;

	if (strcmp(p->common_name, q->common_name) != 0 ||
	    strcmp(p->organization, q->organization) != 0 || strcmp(p->country,
	    q->country) != 0)
		return cer_fail_at(CER_ERR_SCRIPT, s->path, p->pos, "the subject (common-name, organization, "
		    "country) differs from that of step '%s'; a cross-certificate copies its "
		    "subject (BR 7.1.2.2.2): write the same values", ex->id);
	return CER_OK;
}

int
cer_plan_cross(const struct cer_script *s, const struct cer_step *st,
    const struct cer_plan_step *ps, const struct cer_plan_cert *issuer)
{
	const struct cer_step *ex = st->cross_of != CER_NO_INDEX ? &s->steps[st->cross_of] : NULL;
	struct cer_plan_cert ci;
	char when[21];
	int r;

	if (ex != NULL) {
		info_of_step(ex, &ci);
		r = same_subject_step(s, st, ex);
	} else {
		info_of_cert(ps->cross_cert, &ci);
		if (X509_check_ca(ps->cross_cert) < 1)
			return cer_fail_at(CER_ERR_INPUT, s->path, st->in_cross_cert_pos, "%s is not a CA "
			    "certificate; only a CA is cross-signed", st->in_cross_cert);
		r = same_subject(s, st, ps->cross_cert);
		if (r == CER_OK && ps->subject_pub != NULL &&
		    EVP_PKEY_eq(ps->subject_pub, X509_get0_pubkey(ps->cross_cert)) != 1)
			r = cer_fail_at(CER_ERR_INPUT, s->path, st->in_public_key_pos,
			    "the public key in %s is "
			    "not the key of the certificate being cross-signed (%s)",
			    st->in_public_key, st->in_cross_cert);
	}
	if (r != CER_OK)
		return r;
	if (st->profile.not_before < ci.not_before) {
		day_str(ci.not_before, when);
		return cer_fail_at(CER_ERR_SCRIPT, s->path, st->profile.not_before_pos, "not-before is before "
		    "the notBefore of the certificate being cross-signed (%s); move it to %s "
		    "or later (BR 7.1.2.2.1)", when, when);
	}
	if (!ci.self_signed && st->profile.ekus != CER_EKUS_UNSET)
		return cer_fail_at(CER_ERR_SCRIPT, s->path, st->profile.ekus_pos, "crossing an intermediate "
		    "copies its extended key usages; remove 'ekus'");
	if (strcmp(ci.org, issuer->org) != 0 && !st->profile.allow_other_org)
		return cer_fail_at(CER_ERR_SCRIPT, s->path, st->profile.pos, "the certificate being "
		    "cross-signed belongs to '%s', not to the issuer's organization '%s'; an "
		    "external cross-sign needs the restricted EKU form and a reviewed "
		    "decision: add 'allow-other-organization: true' if that is intended",
		    ci.org, issuer->org);
	return CER_OK;
}

static int
subject_key_ok(const struct cer_script *s, const struct cer_step *st, EVP_PKEY *k)
{
	struct keyinfo ki;

	if (!key_of_pkey(k, &ki))
		return cer_fail_at(CER_ERR_INPUT, s->path, st->in_public_key_pos, "the public key in %s is "
		    "not RSA, ECDSA P-256/P-384/P-521 or Ed25519", st->in_public_key);
	if (ki.type == CER_KEY_ED25519 && !s->private_hierarchy)
		return cer_fail_at(CER_ERR_SCRIPT, s->path, st->in_public_key_pos, "the public key in %s is "
		    "Ed25519, which a publicly trusted TLS hierarchy may not use (BR 6.1.5); "
		    "for a private hierarchy write 'hierarchy: private'", st->in_public_key);
	return CER_OK;
}

/* Boulder's goodkey and more on every key a file brings (profile-rules cert.key_*). */
static int
keys_good(const struct cer_script *s, const struct cer_step *st, const struct cer_plan_step *ps)
{
	const struct { EVP_PKEY *k; const char *field, *path; struct cer_pos pos; } in[] = {
		{ ps->subject_pub, "public-key-path", st->in_public_key,
		    st->in_public_key_pos },
		{ ps->issuer_cert != NULL ? X509_get0_pubkey(ps->issuer_cert) : NULL,
		    "issuer-certificate-path", st->in_issuer_cert, st->in_issuer_cert_pos },
		{ ps->cross_cert != NULL ? X509_get0_pubkey(ps->cross_cert) : NULL,
		    "certificate-to-cross-sign-path", st->in_cross_cert,
		    st->in_cross_cert_pos },
	};
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		if (in[i].k == NULL || cer_steplint_key(in[i].k, NULL) == CER_OK)
			continue;
		return cer_fail_at(CER_ERR_INPUT, s->path, in[i].pos, "the key in %s is refused: "
		    "%s; check inputs.%s", in[i].path, cer_err_detail(), in[i].field);
	}
	return CER_OK;
}

/*
 * What every step needs from its files: the inputs read, the signature
 * algorithm resolved, and every key a file brings checked.
 */
int
cer_plan_inputs(const struct cer_script *s, size_t i, int signs, struct cer_plan_step *ps)
{
	const struct cer_step *st = &s->steps[i];
	int r;

	if ((r = load_inputs(s, st, ps)) != CER_OK || (r = not_issuers_key(s, st, ps)) != CER_OK ||
	    (r = resolve_alg(s, st, signs, ps)) != CER_OK)
		return r;
	if (ps->subject_pub != NULL && (r = subject_key_ok(s, st, ps->subject_pub)) != CER_OK)
		return r;
	return keys_good(s, st, ps);
}

int
cer_plan_issued(const struct cer_script *s, size_t i, const struct cer_plan_step *ps,
    struct cer_plan_cert *issuer)
{
	const struct cer_step *st = &s->steps[i];
	int r;

	if (ps->issuer_cert != NULL) {
		if ((r = issuer_can_sign(s, st, ps->issuer_cert)) != CER_OK)
			return r;
		info_of_cert(ps->issuer_cert, issuer);
	} else {
		info_of_step(&s->steps[st->issuer], issuer);
	}
	return inside_issuer(s, st, issuer);
}

struct cer_plan *
cer_plan_new(size_t nsteps)
{
	struct cer_plan *p;

	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->steps = calloc(nsteps + 1, sizeof(*p->steps))) == NULL) {
		free(p);
		return NULL;
	}
	p->nsteps = nsteps;
	return p;
}

void
cer_plan_free(struct cer_plan *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nsteps; i++) {
		X509_free(p->steps[i].issuer_cert);
		EVP_PKEY_free(p->steps[i].subject_pub);
		X509_free(p->steps[i].cross_cert);
		if (p->steps[i].own_free != NULL)
			p->steps[i].own_free(p->steps[i].own);
	}
	free(p->steps);
	free(p);
}
