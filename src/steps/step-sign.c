/*
 * step-sign.c: the signing step family: intermediate, cross-certificate and
 * ocsp-signer certificates issued with an issuer's key, and the cross-csr
 * signed with the subject's own key.  Every key comes from the HSM (made
 * earlier in the run, or found by label and key material before anything
 * was made); every file input was loaded and checked by the plan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509v3.h>

#include "x509/profile.h"
#include "steps/step.h"
#include "base/util.h"

/* The certificate that issues this step's certificate. */
static X509 *
issuer_of(struct cer_ctx *ctx, const struct cer_step *step, size_t index)
{
	if (step->issuer != CER_NO_INDEX)
		return ctx->certs[step->issuer];
	return ctx->plan->steps[index].issuer_cert;
}

/* The certificate a cross-certificate copies, or NULL for other steps. */
static X509 *
existing_of(struct cer_ctx *ctx, const struct cer_step *step, size_t index)
{
	if (step->type != CER_STEP_CROSS_CERTIFICATE)
		return NULL;
	if (step->cross_of != CER_NO_INDEX)
		return ctx->certs[step->cross_of];
	return ctx->plan->steps[index].cross_cert;
}

/* The public key of the key made by step k, from its token. */
static int
step_public(struct cer_ctx *ctx, size_t k, EVP_PKEY **out)
{
	const struct cer_step *ks = &ctx->script->steps[k];

	return cer_hsm_key_public(ctx->tokens[ks->token], ctx->keys[k], out);
}

/* The subject's public key: the existing certificate's, a key step's, or an input file's. */
static int
subject_public(struct cer_ctx *ctx, const struct cer_step *step, size_t index, X509 *existing,
    EVP_PKEY **out)
{
	EVP_PKEY *file = ctx->plan->steps[index].subject_pub;

	*out = NULL;
	if (existing != NULL) {
		if (file != NULL && EVP_PKEY_eq(file, X509_get0_pubkey(existing)) != 1)
			return cer_fail(CER_ERR_VERIFY, "step %s: inputs.public-key-path is not the "
			    "key of the certificate being cross-signed; nothing was signed",
			    step->id);
		if ((*out = X509_get0_pubkey(existing)) != NULL)
			EVP_PKEY_up_ref(*out);
		return CER_OK;
	}
	if (step->subject_key != CER_NO_INDEX)
		return step_public(ctx, step->subject_key, out);
	if (file == NULL)
		return cer_fail(CER_ERR_INTERNAL, "step %s has no subject key", step->id);
	EVP_PKEY_up_ref(file);
	*out = file;
	return CER_OK;
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
	if (X509_NAME_cmp(X509_get_subject_name(tbs), X509_get_subject_name(existing)) != 0 ||
	    !same_ext(tbs, existing, NID_subject_key_identifier) ||
	    !same_ext(tbs, existing, NID_basic_constraints) ||
	    EVP_PKEY_eq(X509_get0_pubkey(tbs), X509_get0_pubkey(existing)) != 1)
		return cer_fail(CER_ERR_VERIFY, "step %s: the cross-certificate does not carry "
		    "the existing certificate's subject, key, SKI and basicConstraints; nothing "
		    "was signed", step->id);
	return CER_OK;
}

static enum cer_cert_kind
kind_of(enum cer_step_type t)
{
	return t == CER_STEP_CROSS_CERTIFICATE ? CER_CERT_CROSS :
	    t == CER_STEP_OCSP_SIGNER ? CER_CERT_OCSP_RESPONDER : CER_CERT_INTERMEDIATE;
}

static const char *
subject_text(X509 *x, char *buf, size_t n)
{
	X509_NAME_oneline(X509_get_subject_name(x), buf, (int)n);
	return buf;
}

/* intermediate, cross-certificate, ocsp-signer */
int
cer_step_run_issued(struct cer_ctx *ctx, const struct cer_step *step, size_t index)
{
	size_t owner = cer_step_key_owner(step, index);
	struct cer_signer s = { ctx->tokens[step->token], ctx->keys[owner], NULL,
	    ctx->plan->steps[index].alg };
	X509 *issuer = issuer_of(ctx, step, index), *existing = existing_of(ctx, step, index);
	unsigned char buf[1 + CER_SERIAL_RANDOM_LEN];
	const unsigned char *serial;
	char what[700], sub[256], iss[256];
	EVP_PKEY *subject = NULL;
	X509 *tbs = NULL;
	size_t slen;
	int r = CER_ERR_INTERNAL;

	if (cer_step_signed_before(ctx, index))
		return cer_step_write_recorded(ctx, step, index);
	if (issuer == NULL || s.key == NULL ||
	    (step->type == CER_STEP_CROSS_CERTIFICATE && existing == NULL)) {
		r = cer_fail(CER_ERR_INTERNAL, "step %s: an earlier step left no certificate "
		    "or key", step->id);
		goto out;
	}
	if ((r = cer_hsm_key_public(s.tok, s.key, &s.pub)) != CER_OK ||
	    (r = signer_matches(step, &s, issuer)) != CER_OK ||
	    (r = subject_public(ctx, step, index, existing, &subject)) != CER_OK ||
	    (r = cer_step_serial(ctx, index, s.tok, &step->profile, buf, &serial, &slen)) !=
	    CER_OK ||
	    (r = cer_profile_issued(kind_of(step->type), &step->profile, subject, issuer,
	    existing, serial, slen, &tbs)) != CER_OK)
		goto out;
	if (existing != NULL && (r = cross_copied(step, tbs, existing)) != CER_OK)
		goto out;
	snprintf(what, sizeof(what), "step %s: sign the %s certificate '%s' issued by '%s' "
	    "with key '%s' on token '%s' using %s", step->id, cer_step_type_name(step->type),
	    subject_text(tbs, sub, sizeof(sub)), subject_text(issuer, iss, sizeof(iss)),
	    cer_hsm_key_label(s.key), cer_hsm_token_label(s.tok), cer_sigalg_name(s.alg));
	r = cer_step_sign_certificate(ctx, step, index, tbs, &s, issuer,
	    cer_step_type_name(step->type), what);
 out:
	EVP_PKEY_free(s.pub);
	EVP_PKEY_free(subject);
	X509_free(tbs);
	return r;
}

static int
record_csr(struct cer_ctx *ctx, const struct cer_step *step, X509_REQ *csr, json_t *signing,
    const char *pem)
{
	char subject[256];
	json_t *key = NULL;
	int r;

	X509_NAME_oneline(X509_REQ_get_subject_name(csr), subject, sizeof(subject));
	if ((r = cer_profile_key_json(X509_REQ_get0_pubkey(csr), &key)) != CER_OK)
		return r;
	printf("%s: signed CSR %s\n", step->id, subject);
	return cer_step_record(ctx, "csr-signed", json_pack("{s:s, s:s, s:o, s:O, s:s}", "step",
	    step->id, "subject", subject, "public_key", key, "signing", signing, "pem", pem));
}

/* cross-csr: a CSR signed by the key it is for. */
int
cer_step_run_csr(struct cer_ctx *ctx, const struct cer_step *step, size_t index)
{
	size_t owner = cer_step_key_owner(step, index);
	struct cer_signer s = { ctx->tokens[step->token], ctx->keys[owner], NULL,
	    ctx->plan->steps[index].alg };
	const struct cer_cert_profile *p = &step->profile;
	X509_REQ *tbs = NULL, *csr = NULL;
	struct cer_step_confirm_arg cc = { ctx, step, NULL, NULL, NULL };
	json_t *record = NULL;
	char what[600], *pem = NULL;
	size_t pem_len = 0;
	int r = CER_ERR_INTERNAL;

	if (cer_step_signed_before(ctx, index))
		return cer_step_write_recorded(ctx, step, index);
	if ((r = cer_hsm_key_public(s.tok, s.key, &s.pub)) != CER_OK ||
	    (r = cer_profile_csr(p, s.pub, &tbs)) != CER_OK)
		goto out;
	snprintf(what, sizeof(what), "step %s: sign a CSR for 'CN=%s, O=%s, C=%s' with key '%s' "
	    "on token '%s' using %s", step->id, p->common_name, p->organization, p->country,
	    cer_hsm_key_label(s.key), cer_hsm_token_label(s.tok), cer_sigalg_name(s.alg));
	cc.what = what;
	if ((r = cer_sign_request(tbs, &s, cer_step_confirm_tbs, &cc, &csr, &record)) != CER_OK ||
	    (r = cer_profile_csr_pem(csr, &pem, &pem_len)) != CER_OK ||
	    (r = record_csr(ctx, step, csr, record, pem)) != CER_OK)
		goto out;
	r = cer_step_output(ctx, step, "csr", step->csr_path, pem, pem_len);
 out:
	EVP_PKEY_free(s.pub);
	X509_REQ_free(tbs);
	X509_REQ_free(csr);
	json_decref(record);
	free(pem);
	return r;
}
