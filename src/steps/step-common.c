/*
 * step-common.c: what every signing step type does once its TBS is built:
 * the pre-issuance lint, the confirmation, the HSM signature and its
 * checks, the record, the post-issuance lint and the output; and the run's
 * source of keys, certificates and serials for build_tbs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>
#include <openssl/x509.h>

#include "base/util.h"
#include "run/steplint.h"
#include "steps/step.h"
#include "x509/profile.h"

/* ---- the run's source ---- */

static int
run_key(void *arg, size_t k, EVP_PKEY **out)
{
	struct cer_ctx *ctx = arg;
	const struct cer_step *ks = &ctx->script->steps[k];

	*out = NULL;
	if (ctx->keys[k] == NULL)
		return cer_fail(CER_ERR_INTERNAL, "step %s left no key", ks->id);
	return cer_hsm_key_public(ctx->tokens[ks->token], ctx->keys[k], out);
}

static X509 *
run_cert(void *arg, size_t k)
{
	struct cer_ctx *ctx = arg;

	return ctx->certs[k];
}

/* 0x01 then 16 bytes of HSM randomness XORed with OpenSSL's (Boulder: 0x01 ‖ 16 HSM bytes). */
static int
random_serial(struct cer_token *tok, unsigned char serial[static 1 + CER_SERIAL_RANDOM_LEN])
{
	unsigned char local[CER_SERIAL_RANDOM_LEN];
	size_t i;
	int r;

	serial[0] = 0x01;
	if ((r = cer_hsm_random(tok, serial + 1, CER_SERIAL_RANDOM_LEN)) != CER_OK)
		return r;
	if (RAND_bytes(local, sizeof(local)) != 1)
		return cer_fail(CER_ERR_OPENSSL, "RAND_bytes failed");
	for (i = 0; i < sizeof(local); i++)
		serial[1 + i] ^= local[i];
	explicit_bzero(local, sizeof(local));
	return CER_OK;
}

/*
 * A confirmed signature that was not recorded before an interruption is
 * made again with its confirmed serial: the same certificate, never a
 * second one.  Else the profile's pinned serial, else a random one.
 */
static int
run_serial(void *arg, size_t i, unsigned char buf[static 20], size_t *len)
{
	struct cer_ctx *ctx = arg;
	const struct cer_step *st = &ctx->script->steps[i];
	const struct cer_step *owner = &ctx->script->steps[cer_step_key_owner(st, i)];
	const struct cer_resume_step *rs = ctx->resume != NULL ? &ctx->resume->steps[i] : NULL;

	if (rs != NULL && rs->serial_len > 0) {
		memcpy(buf, rs->serial, rs->serial_len);
		*len = rs->serial_len;
		return CER_OK;
	}
	if (st->profile.serial_len > 0) {
		memcpy(buf, st->profile.serial, st->profile.serial_len);
		*len = st->profile.serial_len;
		return CER_OK;
	}
	*len = 1 + CER_SERIAL_RANDOM_LEN;
	return random_serial(ctx->tokens[owner->token], buf);
}

void
cer_step_run_source(struct cer_ctx *ctx, struct cer_source *src)
{
	src->script = ctx->script;
	src->plan = ctx->plan;
	src->key = run_key;
	src->cert = run_cert;
	src->serial = run_serial;
	src->arg = ctx;
	src->at = cer_ctx_time(ctx);
}

/* ---- signing, recording, writing ---- */

int
cer_step_signed_before(const struct cer_ctx *ctx, size_t index)
{
	return ctx->resume != NULL && ctx->resume->steps[index].signed_rec != NULL;
}

const char *
cer_step_subject_text(const struct cer_cert_profile *p, char *buf, size_t n)
{
	char name[1024];

	snprintf(buf, n, "'%s'", cer_profile_subject_text(p, name, sizeof(name)));
	return buf;
}

/* The record of a signed certificate; issuer NULL for a self-signed root. */
static int
record_certificate(struct cer_ctx *ctx, const struct cer_step *step, const char *profile,
    X509 *cert, X509 *issuer, json_t *signing, const char *pem)
{
	char *ipem = NULL;
	json_t *summary = NULL;
	int r;

	if ((r = cer_profile_cert_json(cert, &summary)) != CER_OK ||
	    (issuer != NULL && (r = cer_profile_cert_pem(issuer, &ipem, NULL)) != CER_OK))
		goto out;
	printf("%s: signed %s%s '%s', serial %s, SHA-256 %s\n", step->id, profile,
	    strstr(profile, "certificate") != NULL ? "" : " certificate",	/* cross-certificate */
	    json_string_value(json_object_get(summary, "subject")),
	    json_string_value(json_object_get(summary, "serial")),
	    json_string_value(json_object_get(summary, "sha256")));
	r = cer_ctx_record(ctx, "certificate-signed",
	    json_pack("{s:s, s:s, s:b, s:O, s:O, s:s, "
	    "s:o}", "step", step->id, "profile", profile, "serial_pinned",
	    step->profile.serial_len > 0, "certificate", summary, "signing", signing, "pem",
	    pem,
	    "issuer_pem", ipem != NULL ? json_string(ipem) : json_null()));
 out:
	json_decref(summary);
	free(ipem);
	return r;
}

int
cer_step_record_lint(struct cer_ctx *ctx, json_t *rec, int r, const unsigned char *tbs_sha256)
{
	char detail[1024], *hex = NULL;
	int r2;

	snprintf(detail, sizeof(detail), "%s", cer_err_detail());
	/* the TBS linted: the confirmation and the signing record show the same hash */
	if (rec != NULL && tbs_sha256 != NULL && cer_hex(tbs_sha256, CER_SHA256_LEN,
	    &hex) == CER_OK)
		json_object_set_new(rec, "tbs_sha256", json_string(hex));
	free(hex);
	if (rec != NULL && (r2 = cer_ctx_record(ctx, "lint", rec)) != CER_OK)
		return r2;
	/* recording may have replaced the detail: the refusal is what is reported */
	return r != CER_OK ? cer_err_restore(r, detail) : CER_OK;
}

/* Lints cert and records the verdicts, also when they stop the ceremony. */
static int
lint_record(struct cer_ctx *ctx, const struct cer_step *step, X509 *cert, X509 *issuer,
    const char *stage, const unsigned char *tbs_sha256)
{
	enum cer_lint_profile p = cer_step_impl(step->type)->lint_profile(step);
	json_t *rec = NULL;
	int r;

	r = cer_steplint_cert(cert, issuer, ctx->script, step, p, cer_ctx_time(ctx), stage,
	    &rec);
	return cer_step_record_lint(ctx, rec, r, tbs_sha256);
}

/*
 * Pre-issuance: the TBS signed by a throwaway key by the same scheme (so
 * with the same AlgorithmIdentifiers) is linted; *linted is its TBS's
 * SHA-256, which the confirmation compares with what the HSM will sign.
 */
static int
lint_tbs(struct cer_ctx *ctx, const struct cer_step *step, X509 *tbs, X509 *issuer,
    enum cer_sigalg alg, unsigned char linted[static CER_SHA256_LEN])
{
	unsigned char *der = NULL;
	X509 *copy = NULL;
	int len, r;

	if ((r = cer_sign_throwaway(tbs, alg, &copy)) != CER_OK)
		goto out;
	if ((len = i2d_re_X509_tbs(copy, &der)) <= 0) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot encode the TBS");
		goto out;
	}
	if ((r = cer_sha256(der, (size_t)len, linted)) != CER_OK)
		goto out;
	r = lint_record(ctx, step, copy, issuer, "pre-issuance", linted);
 out:
	OPENSSL_free(der);
	X509_free(copy);
	return r;
}

int
cer_step_sign_certificate(struct cer_ctx *ctx, const struct cer_step *step, size_t index,
    X509 *tbs, const struct cer_signer *s, X509 *issuer, const char *profile,
    const char *what)
{
	const ASN1_INTEGER *sn = X509_get0_serialNumber(tbs);
	unsigned char linted[CER_SHA256_LEN];
	struct cer_ctx_confirm_arg ca = { ctx, step, what, NULL, linted };
	EVP_PKEY *issuer_pub = issuer != NULL ? X509_get0_pubkey(issuer) : s->pub;
	const X509_NAME *issuer_name = X509_get_subject_name(issuer != NULL ? issuer : tbs);
	json_t *record = NULL;
	X509 *cert = NULL;
	char *pem = NULL, *serial = NULL;
	size_t pem_len = 0;
	int r = CER_ERR_INTERNAL;

	if ((r = cer_hex(ASN1_STRING_get0_data(sn), (size_t)ASN1_STRING_length(sn), &serial)) !=
	    CER_OK)
		goto out;
	ca.serial = serial;
	if ((r = lint_tbs(ctx, step, tbs, issuer, s->alg, linted)) != CER_OK)
		goto out;
	if ((r = cer_sign_certificate(tbs, s, issuer_pub, issuer_name, cer_ctx_confirm_tbs, &ca,
	    &cert, &record)) != CER_OK ||
	    (r = cer_profile_cert_pem(cert, &pem, &pem_len)) != CER_OK ||
	    (r = record_certificate(ctx, step, profile, cert, issuer, record, pem)) != CER_OK ||
	    (r = lint_record(ctx, step, cert, issuer, "post-issuance", NULL)) != CER_OK ||
	    (r = cer_ctx_output(ctx, step, "certificate",
	    cer_step_output_path(step, "certificate-path"), pem, pem_len)) != CER_OK)
		goto out;
	ctx->certs[index] = cert;
	cert = NULL; /* transferred */
 out:
	X509_free(cert);
	json_decref(record);
	free(pem);
	free(serial);
	return r;
}

int
cer_step_write_recorded(struct cer_ctx *ctx, const struct cer_step *step, size_t index)
{
	const char *pem = json_string_value(json_object_get(ctx->resume->steps[index].signed_rec,
	    "pem"));
	const char *csr = cer_step_output_path(step, "csr-path");

	if (pem == NULL)
		return cer_fail(CER_ERR_TRANSCRIPT, "step %s: no PEM in the transcript",
		    step->id);
	printf("%s: signed before the interruption; the transcript's %s is used, not signed again\n",
	    step->id, csr != NULL ? "CSR" : "certificate");
	return cer_ctx_output(ctx, step, csr ? "csr" : "certificate", csr != NULL ? csr :
	    cer_step_output_path(step, "certificate-path"), pem, strlen(pem));
}
