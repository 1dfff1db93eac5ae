/*
 * step.c: the key and root step types (the key-generating family).
 * Other families arrive in their own files and rows of the table below.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>
#include <openssl/x509.h>

#include "x509/profile.h"
#include "x509/sign.h"
#include "steps/step.h"
#include "run/steplint.h"
#include "base/util.h"

static const char *
key_text(const struct cer_key_spec *k, char *buf, size_t n)
{
	if (k->type == CER_KEY_RSA)
		snprintf(buf, n, "RSA-%u", k->rsa_bits);
	else if (k->type == CER_KEY_EC)
		snprintf(buf, n, "ECDSA %s", cer_curve_name(k->curve));
	else
		snprintf(buf, n, "Ed25519");
	return buf;
}

/*
 * Resuming after a kill between C_GenerateKeyPair and its record: the one
 * key pair with the label is taken over, if its attributes read back show
 * it was made in the token and never left it; recorded as adopted.
 */
static int
adopt_key(struct cer_ctx *ctx, const struct cer_step *step, size_t index, json_t **template)
{
	json_t *removed = NULL;
	int r;

	*template = NULL;
	if ((r = cer_hsm_find_key(ctx->tokens[step->token], step->label, NULL,
	    &ctx->keys[index])) != CER_OK) {
		/* only the public half was made: remove it, and generate the key afresh */
		if ((r = cer_hsm_remove_orphan_public(ctx->tokens[step->token], step->label,
		    &removed)) != CER_OK)
			return r;
		printf("%s: removed the public half of the key generation cut off by the "
		    "interruption\n", step->id);
		ctx->adopt[index] = 0;
		return cer_step_record(ctx, "orphan-removed", json_pack("{s:s, s:o}", "step",
		    step->id, "object", removed));
	}
	printf("%s: taking over key '%s', generated before the interruption but not recorded\n",
	    step->id, step->label);
	*template = json_pack("{s:b}", "adopted_after_interruption", 1);
	return *template != NULL ? CER_OK : cer_fail(CER_ERR_ALLOC, "out of memory");
}

/* The public-key output of a key the step generated (or made before an interruption). */
static int
write_public_key(struct cer_ctx *ctx, const struct cer_step *step, size_t index)
{
	EVP_PKEY *pub = NULL;
	char *pem = NULL;
	size_t len = 0;
	int r;

	if (step->public_key_path == NULL)
		return CER_OK;
	if ((r = cer_hsm_key_public(ctx->tokens[step->token], ctx->keys[index], &pub)) == CER_OK &&
	    (r = cer_profile_pubkey_pem(pub, &pem, &len)) == CER_OK)
		r = cer_step_output(ctx, step, "public-key", step->public_key_path, pem, len);
	EVP_PKEY_free(pub);
	free(pem);
	return r;
}

/*
 * The summary of a generated key with the key checks (keycheck.h): a weak
 * key is recorded, stays on the token (fail closed) and stops the run.
 */
static int
key_summary(EVP_PKEY *pub, json_t **keyj, char weak[static 512])
{
	json_t *findings = NULL;
	int r;

	weak[0] = '\0';
	if ((r = cer_profile_key_json(pub, keyj)) != CER_OK)
		return r;
	if ((r = cer_steplint_key(pub, &findings)) == CER_ERR_VERIFY) {
		snprintf(weak, 512, "%s", cer_err_detail());
		r = CER_OK;
	}
	json_object_set_new(*keyj, "keycheck", findings != NULL ? findings : json_null());
	return r;
}

/* Generates the step's key, checks it on the token, records it, writes its public key. */
static int
generate_key(struct cer_ctx *ctx, const struct cer_step *step, size_t index)
{
	struct cer_token *tok = ctx->tokens[step->token];
	struct cer_keygen kg = { step->key.type, step->key.rsa_bits, step->key.curve, step->label };
	json_t *template = NULL, *readback = NULL, *keyj = NULL;
	char what[300], kt[32], weak[512], *pem = NULL;
	EVP_PKEY *pub = NULL;
	size_t pem_len = 0;
	int r = CER_ERR_INTERNAL;

	key_text(&step->key, kt, sizeof(kt));
	if (ctx->keys[index] != NULL)		/* recorded before an interruption */
		return write_public_key(ctx, step, index);
	snprintf(what, sizeof(what), "step %s: generate a %s key labelled '%s' on token '%s' "
	    "(serial %s)", step->id, kt, step->label, cer_hsm_token_label(tok),
	    cer_hsm_token_serial(tok));
	if (ctx->adopt[index])
		r = adopt_key(ctx, step, index, &template);
	if (!ctx->adopt[index] && (r = cer_step_confirm(ctx, step, what, NULL, NULL)) == CER_OK)
		r = cer_hsm_generate(tok, &kg, &ctx->keys[index], &template);
	if (r != CER_OK)
		goto out;
	if ((r = cer_hsm_key_attributes(tok, ctx->keys[index], &readback)) != CER_OK ||
	    (r = cer_hsm_key_public(tok, ctx->keys[index], &pub)) != CER_OK ||
	    (r = key_summary(pub, &keyj, weak)) != CER_OK ||
	    (r = cer_profile_pubkey_pem(pub, &pem, &pem_len)) != CER_OK)
		goto out;
	printf("%s: generated %s key '%s' (CKA_ID %s) on token '%s'; SPKI SHA-256 %s\n",
	    step->id, kt, step->label, cer_hsm_key_id_hex(ctx->keys[index]),
	    cer_hsm_token_label(tok), json_string_value(json_object_get(keyj, "spki_sha256")));
	r = cer_step_record(ctx, "key-generated", json_pack("{s:s, s:s, s:s, s:s, s:O, s:O, s:O, s:s}",
	    "step", step->id, "token", cer_hsm_token_label(tok), "label", step->label,
	    "id", cer_hsm_key_id_hex(ctx->keys[index]), "template", template,
	    "read_back", readback, "public_key", keyj, "public_key_pem", pem));
	if (r != CER_OK)
		goto out;
	if (weak[0] != '\0') {	/* recorded, left on the token (fail closed), and refused */
		r = cer_fail(CER_ERR_KEY, "step %s: the key the HSM generated is refused: %s",
		    step->id, weak);
		goto out;
	}
	r = write_public_key(ctx, step, index);
 out:
	EVP_PKEY_free(pub);
	json_decref(template);
	json_decref(readback);
	json_decref(keyj);
	free(pem);
	return r;
}

static int
run_key(struct cer_ctx *ctx, const struct cer_step *step, size_t index)
{
	return generate_key(ctx, step, index);
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

int
cer_step_serial(struct cer_ctx *ctx, size_t index, struct cer_token *tok,
    const struct cer_cert_profile *p, unsigned char buf[static 1 + CER_SERIAL_RANDOM_LEN],
    const unsigned char **serial, size_t *len)
{
	const struct cer_resume_step *rs = ctx->resume != NULL ? &ctx->resume->steps[index] : NULL;

	if (rs != NULL && rs->serial_len > 0) {
		/* a signature was confirmed but not recorded: the same certificate, never another */
		*serial = rs->serial;
		*len = rs->serial_len;
		return CER_OK;
	}
	if (p->serial_len > 0) {
		*serial = p->serial;
		*len = p->serial_len;
		return CER_OK;
	}
	*serial = buf;
	*len = 1 + CER_SERIAL_RANDOM_LEN;
	return random_serial(tok, buf);
}

int
cer_step_confirm_tbs(void *arg, const unsigned char tbs_sha256[32])
{
	struct cer_step_confirm_arg *a = arg;

	if (a->linted != NULL && memcmp(a->linted, tbs_sha256, CER_SHA256_LEN) != 0)
		return cer_fail(CER_ERR_VERIFY, "step %s: the TBS about to be signed is not the one "
		    "the linter saw; nothing was signed", a->step->id);
	return cer_step_confirm(a->ctx, a->step, a->what, tbs_sha256, a->serial);
}

size_t
cer_step_key_owner(const struct cer_step *step, size_t index)
{
	return step->signing_key != CER_NO_INDEX ? step->signing_key : index;
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
	printf("%s: signed %s certificate %s, serial %s, SHA-256 %s\n", step->id, profile,
	    json_string_value(json_object_get(summary, "subject")),
	    json_string_value(json_object_get(summary, "serial")),
	    json_string_value(json_object_get(summary, "sha256")));
	r = cer_step_record(ctx, "certificate-signed", json_pack("{s:s, s:s, s:b, s:O, s:O, s:s, "
	    "s:o}", "step", step->id, "profile", profile, "serial_pinned",
	    step->profile.serial_len > 0, "certificate", summary, "signing", signing, "pem", pem,
	    "issuer_pem", ipem != NULL ? json_string(ipem) : json_null()));
 out:
	json_decref(summary);
	free(ipem);
	return r;
}

/* Lints cert and records the verdicts, also when they stop the ceremony. */
static int
lint_record(struct cer_ctx *ctx, const struct cer_step *step, X509 *cert, X509 *issuer,
    const char *stage, const unsigned char *tbs_sha256)
{
	char detail[1024], *hex = NULL;
	json_t *rec = NULL;
	int r, r2;

	r = cer_steplint_cert(cert, issuer, ctx->script, step, cer_step_time(ctx), stage, &rec);
	snprintf(detail, sizeof(detail), "%s", cer_err_detail());
	/* the TBS linted: the confirmation and the signing record show the same hash */
	if (rec != NULL && tbs_sha256 != NULL && cer_hex(tbs_sha256, CER_SHA256_LEN, &hex) == CER_OK)
		json_object_set_new(rec, "tbs_sha256", json_string(hex));
	free(hex);
	if (rec != NULL && (r2 = cer_step_record(ctx, "lint", rec)) != CER_OK)
		return r2;
	if (r != CER_OK)
		return cer_fail(r, "%s", detail);
	return CER_OK;
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
	struct cer_step_confirm_arg ca = { ctx, step, what, NULL, linted };
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
	if ((r = cer_sign_certificate(tbs, s, issuer_pub, issuer_name, cer_step_confirm_tbs, &ca, &cert,
	    &record)) != CER_OK ||
	    (r = cer_profile_cert_pem(cert, &pem, &pem_len)) != CER_OK ||
	    (r = record_certificate(ctx, step, profile, cert, issuer, record, pem)) != CER_OK ||
	    (r = lint_record(ctx, step, cert, issuer, "post-issuance", NULL)) != CER_OK ||
	    (r = cer_step_output(ctx, step, "certificate", step->certificate_path, pem,
	    pem_len)) != CER_OK)
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
	int csr = step->type == CER_STEP_CROSS_CSR;

	if (pem == NULL)
		return cer_fail(CER_ERR_TRANSCRIPT, "step %s: no PEM in the transcript", step->id);
	printf("%s: signed before the interruption; the transcript's %s is used, not signed again\n",
	    step->id, csr ? "CSR" : "certificate");
	return cer_step_output(ctx, step, csr ? "csr" : "certificate", csr ? step->csr_path :
	    step->certificate_path, pem, strlen(pem));
}

static int
sign_root(struct cer_ctx *ctx, const struct cer_step *step, size_t index)
{
	size_t owner = cer_step_key_owner(step, index);
	struct cer_signer s = { ctx->tokens[ctx->script->steps[owner].token], ctx->keys[owner],
	    NULL, step->profile.sigalg };
	unsigned char buf[1 + CER_SERIAL_RANDOM_LEN];
	const unsigned char *serial;
	X509 *tbs = NULL;
	char what[400];
	size_t slen;
	int r = CER_ERR_INTERNAL;

	if (cer_step_signed_before(ctx, index))
		return cer_step_write_recorded(ctx, step, index);
	if ((r = cer_hsm_key_public(s.tok, s.key, &s.pub)) != CER_OK ||
	    (r = cer_step_serial(ctx, index, s.tok, &step->profile, buf, &serial, &slen)) !=
	    CER_OK ||
	    (r = cer_profile_root(&step->profile, s.pub, serial, slen, &tbs)) != CER_OK)
		goto out;
	snprintf(what, sizeof(what), "step %s: sign the root certificate 'CN=%s, O=%s, C=%s' "
	    "with key '%s' on token '%s' using %s", step->id, step->profile.common_name,
	    step->profile.organization, step->profile.country, cer_hsm_key_label(s.key),
	    cer_hsm_token_label(s.tok), cer_sigalg_name(step->profile.sigalg));
	r = cer_step_sign_certificate(ctx, step, index, tbs, &s, NULL, "root", what);
 out:
	EVP_PKEY_free(s.pub);
	X509_free(tbs);
	return r;
}

static int
run_root(struct cer_ctx *ctx, const struct cer_step *step, size_t index)
{
	int r;

	if (step->signing_key == CER_NO_INDEX && (r = generate_key(ctx, step, index)) != CER_OK)
		return r;
	return sign_root(ctx, step, index);
}

static const struct cer_step_handler handlers[] = {
	{ CER_STEP_KEY, run_key, "generate a key pair in the HSM and write its public key" },
	{ CER_STEP_ROOT, run_root, "generate (or use) a key and self-sign a root CA certificate" },
	{ CER_STEP_INTERMEDIATE, cer_step_run_issued,
	    "sign a subordinate CA certificate with the issuer's key" },
	{ CER_STEP_CROSS_CERTIFICATE, cer_step_run_issued,
	    "cross-sign an existing CA certificate with the issuer's key" },
	{ CER_STEP_OCSP_SIGNER, cer_step_run_issued,
	    "sign a delegated OCSP responder certificate with the issuer's key" },
	{ CER_STEP_CROSS_CSR, cer_step_run_csr, "sign a CSR with the subject's own HSM key" },
};

const struct cer_step_handler *
cer_step_handler(enum cer_step_type type)
{
	size_t i;

	for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (handlers[i].type == type)
			return &handlers[i];
	return NULL;
}
