/*
 * step-signing.c: what intermediate, cross-certificate and ocsp-signer
 * share: a certificate issued with an issuer's key.  Every key comes from
 * the HSM (made earlier in the run, or found by label and key material
 * before anything was made); every file input was loaded and checked by
 * the plan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509v3.h>

#include "base/util.h"
#include "steps/step.h"
#include "x509/profile.h"

static enum cer_cert_kind
kind_of(enum cer_step_type t)
{
	return t == CER_STEP_CROSS_CERTIFICATE ? CER_CERT_CROSS :
	    t == CER_STEP_OCSP_SIGNER ? CER_CERT_OCSP_RESPONDER : CER_CERT_INTERMEDIATE;
}

/* The certificate that issues step i's certificate, and the one a cross-certificate copies. */
static int
issuer_and_existing(const struct cer_source *src, size_t i, struct cer_tbs *out)
{
	const struct cer_step *st = &src->script->steps[i];
	const struct cer_plan_step *ps = &src->plan->steps[i];

	out->issuer = st->issuer != CER_NO_INDEX ? src->cert(src->arg, st->issuer) :
	    ps->issuer_cert;
	if (st->type == CER_STEP_CROSS_CERTIFICATE)
		out->existing = st->cross_of != CER_NO_INDEX ? src->cert(src->arg,
		    st->cross_of) :
		    ps->cross_cert;
	if (out->issuer == NULL || (st->type == CER_STEP_CROSS_CERTIFICATE && out->existing == NULL))
		return cer_fail(CER_ERR_INTERNAL,
		    "step %s: an earlier step left no certificate",
		    st->id);
	return CER_OK;
}

/* The subject's public key: the existing certificate's, a key step's, or an input file's. */
static int
subject_key(const struct cer_source *src, size_t i, X509 *existing, EVP_PKEY **out)
{
	const struct cer_step *st = &src->script->steps[i];
	EVP_PKEY *file = src->plan->steps[i].subject_pub;

	*out = existing != NULL ? X509_get0_pubkey(existing) : file;
	if (existing == NULL && st->subject_key != CER_NO_INDEX)
		return src->key(src->arg, st->subject_key, out);
	if (*out == NULL)
		return cer_fail(CER_ERR_INTERNAL, "step %s has no subject key", st->id);
	EVP_PKEY_up_ref(*out);
	return CER_OK;
}

int
cer_step_build_issued(const struct cer_source *src, size_t i, struct cer_tbs *out)
{
	const struct cer_step *st = &src->script->steps[i];
	unsigned char serial[20];
	EVP_PKEY *subject = NULL;
	size_t len = 0;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = issuer_and_existing(src, i, out)) == CER_OK &&
	    (r = subject_key(src, i, out->existing, &subject)) == CER_OK &&
	    (r = src->serial(src->arg, i, serial, &len)) == CER_OK)
		r = cer_profile_issued(kind_of(st->type), &st->profile, subject, out->issuer,
		    out->existing, serial, len, &out->cert);
	EVP_PKEY_free(subject);
	return r;
}

/* Boulder's openSigner check: the HSM key is the issuer certificate's key. */
static int
signer_matches(const struct cer_step *step, const struct cer_signer *s, X509 *issuer)
{
	if (EVP_PKEY_eq(s->pub, X509_get0_pubkey(issuer)) == 1)
		return CER_OK;
	return cer_fail(CER_ERR_KEY, "step %s: the key '%s' on token '%s' is not the issuer "
	    "certificate's key; nothing was signed", step->id, cer_hsm_key_label(s->key),
	    cer_hsm_token_label(s->tok));
}

/* A public-key file given beside an existing certificate must be that certificate's key. */
static int
file_key_matches(struct cer_ctx *ctx, const struct cer_step *step, size_t index, X509 *existing)
{
	EVP_PKEY *file = ctx->plan->steps[index].subject_pub;

	if (existing == NULL || file == NULL || EVP_PKEY_eq(file,
	    X509_get0_pubkey(existing)) == 1)
		return CER_OK;
	return cer_fail(CER_ERR_VERIFY, "step %s: inputs.public-key-path is not the key of the "
	    "certificate being cross-signed; nothing was signed", step->id);
}

/*
 * pathLen and SKI decoded from the extensions themselves: OpenSSL caches
 * what it reads of a certificate once, and the one being built has changed
 * since.
 */
static int
same_ext(X509 *x, X509 *y, int nid)
{
	int i = X509_get_ext_by_NID(x, nid, -1), j = X509_get_ext_by_NID(y, nid, -1);

	if (i < 0 || j < 0)
		return i == j;
	return ASN1_OCTET_STRING_cmp(X509_EXTENSION_get_data(X509_get_ext(x, i)),
	    X509_EXTENSION_get_data(X509_get_ext(y, j))) == 0;
}

/* What was built is what the cross-certificate rules say (BR 7.1.2.2). */
static int
cross_copied(const struct cer_step *step, X509 *tbs, X509 *existing)
{
	if (existing == NULL)
		return CER_OK;
	if (X509_NAME_cmp(X509_get_subject_name(tbs), X509_get_subject_name(existing)) != 0 ||
	    !same_ext(tbs, existing, NID_subject_key_identifier) ||
	    !same_ext(tbs, existing, NID_basic_constraints) ||
	    EVP_PKEY_eq(X509_get0_pubkey(tbs), X509_get0_pubkey(existing)) != 1)
		return cer_fail(CER_ERR_VERIFY, "step %s: the cross-certificate does not carry "
		    "the existing certificate's subject, key, SKI and basicConstraints; nothing "
		    "was signed", step->id);
	return CER_OK;
}

static int
sign_issued(struct cer_ctx *ctx, const struct cer_step *step, size_t index,
    struct cer_signer *s, struct cer_tbs *tbs)
{
	struct cer_source src;
	char what[2400], sub[1024], iss[1024];
	int r;

	cer_step_run_source(ctx, &src);
	if ((r = issuer_and_existing(&src, index, tbs)) != CER_OK ||
	    (r = cer_hsm_key_public(s->tok, s->key, &s->pub)) != CER_OK ||
	    (r = signer_matches(step, s, tbs->issuer)) != CER_OK ||
	    (r = file_key_matches(ctx, step, index, tbs->existing)) != CER_OK ||
	    (r = cer_step_build_issued(&src, index, tbs)) != CER_OK ||
	    (r = cross_copied(step, tbs->cert, tbs->existing)) != CER_OK)
		return r;
	snprintf(what, sizeof(what), "step %s: sign the %s%s '%s' issued by '%s' "
	    "with key '%s' on token '%s' using %s", step->id, cer_step_type_name(step->type),
	    step->type == CER_STEP_CROSS_CERTIFICATE ? "" : " certificate",
	    cer_profile_name_text(X509_get_subject_name(tbs->cert), sub, sizeof(sub)),
	    cer_profile_name_text(X509_get_subject_name(tbs->issuer), iss,
	    sizeof(iss)),
	    cer_hsm_key_label(s->key), cer_hsm_token_label(s->tok), cer_sigalg_name(s->alg));
	return cer_step_sign_certificate(ctx, step, index, tbs->cert, s, tbs->issuer,
	    cer_step_type_name(step->type), what);
}

int
cer_step_run_issued(struct cer_ctx *ctx, const struct cer_step *step, size_t index)
{
	struct cer_signer s = { ctx->tokens[step->token], ctx->keys[cer_step_key_owner(step,
	    index)], NULL, ctx->plan->steps[index].alg };
	struct cer_tbs tbs = { 0 };
	int r;

	if (cer_step_signed_before(ctx, index))
		return cer_step_write_recorded(ctx, step, index);
	if (s.key == NULL)
		return cer_fail(CER_ERR_INTERNAL, "step %s: an earlier step left no key",
		    step->id);
	r = sign_issued(ctx, step, index, &s, &tbs);
	EVP_PKEY_free(s.pub);
	cer_tbs_clear(&tbs);
	return r;
}

int
cer_step_plan_issued(const struct cer_script *s, size_t i, struct cer_plan_step *ps)
{
	struct cer_plan_cert issuer;

	return cer_plan_issued(s, i, ps, &issuer);
}

void
cer_step_print_issued(const struct cer_script *s, const struct cer_plan *plan, size_t i)
{
	const struct cer_step *st = &s->steps[i];
	const struct cer_cert_profile *p = &st->profile;
	char nb[21], na[21], subject[1024];

	cer_time_str(p->not_before, nb);
	cer_time_str(p->not_after, na);
	printf(" issue %s for the key of %s%s, issued by %s%s, signed with key '%s' on token %s "
	    "using %s, valid %s to %s (%lld days)", cer_step_subject_text(p, subject,
	    sizeof(subject)),
	    st->cross_of != CER_NO_INDEX ? "the certificate of step " :
	    st->in_cross_cert != NULL ? "the certificate in " :
	    st->subject_key != CER_NO_INDEX ? "step " : "",
	    st->cross_of != CER_NO_INDEX ? s->steps[st->cross_of].id :
	    st->in_cross_cert != NULL ? st->in_cross_cert :
	    st->subject_key != CER_NO_INDEX ? s->steps[st->subject_key].id : st->in_public_key,
	    st->issuer != CER_NO_INDEX ? "step " : "",
	    st->issuer != CER_NO_INDEX ? s->steps[st->issuer].id : st->in_issuer_cert,
	    st->label, s->tokens[st->token].name, cer_sigalg_name(plan->steps[i].alg), nb, na,
	    (long long)((p->not_after - p->not_before) / 86400 + 1));
}
