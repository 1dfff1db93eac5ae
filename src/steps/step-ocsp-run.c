/*
 * step-ocsp-run.c: an ocsp-response step in the ceremony.  Many responses
 * (10 000 in one step) are streamed in two passes, one response in memory
 * at a time plus 33 bytes per response:
 *
 *   1. each response is built at the step's signing time (producedAt),
 *      signed by a throwaway key and linted (pre-issuance); its TBS
 *      SHA-256 is kept.  The operator then confirms once: the count, what
 *      the responses say, and a fingerprint over the list of TBS SHA-256s
 *      (the TBS SHA-256 itself for one response).  A refusal here signs
 *      and writes nothing.
 *   2. each is built again, must have the TBS confirmed, is signed in the
 *      HSM, checked (sign.h), verified as relying parties do
 *      (OCSP_basic_verify with the issuer), linted again (post-issuance)
 *      and written.
 *
 * One summary record per step ("ocsp-responses-signed": the count, what
 * they say, a SHA-256 over the list), one aggregated lint record per
 * stage; a batch written into directories gets a manifest (sha256sum
 * format), an ordinary recorded output.  Resuming, a response file that
 * is there already is kept when it is exactly what this step makes (its
 * TBS rebuilt at its own producedAt is byte for byte the file's, and its
 * signature verifies with the signing key: ECDSA signatures differ each
 * time, so the bytes of a new signature could not be compared), else
 * refused; the rest is signed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>

#include "base/util.h"
#include "base/verified.h"
#include "record/outfile.h"
#include "run/steplint.h"
#include "steps/step-ocsp.h"
#include "x509/crl.h"
#include "x509/profile.h"

/* Responses whose lint verdicts differ from the first's that the record lists. */
#define DIFFER_MAX 10

/* A text that grows (the manifest). */
struct buf {
	char *p;
	size_t len, cap;
};

/* One stage's verdicts over many responses: the first's in full, and any that differ. */
struct lint_agg {
	json_t *first;
	size_t count;
	size_t ndiffer;
	json_t *differ;
};

struct batch {
	struct cer_ctx *ctx;
	const struct cer_step *st;
	const struct cer_ocsp_step *o;
	size_t i, n;
	struct cer_source src;
	struct cer_signer s;
	X509 *issuer, *signer;		/* borrowed */
	unsigned char (*hash)[CER_SHA256_LEN];	/* TBS to sign, or DER of a kept response */
	unsigned char *kept;		/* written before an interruption, checked */
	size_t nkept;
	struct lint_agg pre, post;
	EVP_MD_CTX *list;		/* over "<serial> <certificate> <response>\n" */
	struct buf manifest;
	unsigned char *single;		/* the response of a step with file outputs */
	size_t single_len;
	double shown;			/* when the progress line was last drawn */
};

/* ---- small things ---- */

static int
buf_add(struct buf *b, const char *fmt, const char *x, const char *y)
{
	int n = snprintf(NULL, 0, fmt, x, y);
	char *np;

	if (n < 0)
		return cer_fail(CER_ERR_INTERNAL, "bad format");
	if (b->len + (size_t)n + 1 > b->cap) {
		if ((np = realloc(b->p, (b->len + (size_t)n + 1) * 2)) == NULL)
			return cer_fail(CER_ERR_ALLOC, "out of memory");
		b->p = np;
		b->cap = (b->len + (size_t)n + 1) * 2;
	}
	snprintf(b->p + b->len, b->cap - b->len, fmt, x, y);
	b->len += (size_t)n;
	return CER_OK;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A progress line, on a terminal only, at most ten times a second. */
static void
progress(struct batch *b, const char *what, size_t k)
{
	double t;

	if (b->n < 2 || !isatty(STDOUT_FILENO))
		return;
	if (k + 1 < b->n && (t = now()) - b->shown < 0.1)
		return;
	b->shown = now();
	printf("\r%s: %s %zu/%zu OCSP responses%s", b->st->id, what, k + 1, b->n,
	    k + 1 == b->n ? "\n" : "");
	fflush(stdout);
}

/* The paths of response k: the step's files, or <serial> in its directories. */
static int
paths_of(const struct batch *b, const struct cer_ocsp_about *a, char **b64, char **der)
{
	char *hex = NULL;
	int r = CER_OK;

	*b64 = *der = NULL;
	if (b->o->dir == NULL && b->o->der_dir == NULL) {
		if ((cer_step_output_path(b->st, "response-path") != NULL &&
		    (*b64 = strdup(cer_step_output_path(b->st, "response-path"))) == NULL) ||
		    (cer_step_output_path(b->st, "response-der-path") != NULL &&
		    (*der = strdup(cer_step_output_path(b->st, "response-der-path"))) == NULL))
			r = cer_fail(CER_ERR_ALLOC, "out of memory");
		return r;
	}
	if ((r = cer_step_ocsp_serial_hex(a, &hex)) != CER_OK)
		return r;
	if ((b->o->dir != NULL && asprintf(b64, "%s/%s.b64", b->o->dir, hex) < 0) ||
	    (b->o->der_dir != NULL && asprintf(der, "%s/%s.der", b->o->der_dir, hex) < 0)) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		*b64 = *der = NULL;	/* asprintf leaves them undefined on failure */
	}
	free(hex);
	return r;
}

/* ---- lint ---- */

static void
agg_clear(struct lint_agg *a)
{
	json_decref(a->first);
	json_decref(a->differ);
	memset(a, 0, sizeof(*a));
}

/*
 * Lints one response; a refusal is recorded at once (with its serial) and
 * stops, else the verdicts join the stage's aggregate.
 */
static int
lint_one(struct batch *b, struct lint_agg *a, OCSP_BASICRESP *bs, const char *stage,
    const struct cer_ocsp_about *about)
{
	OCSP_RESPONSE *resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs);
	char detail[1024], *serial = NULL;
	json_t *rec = NULL;
	int r, r2;

	if (resp == NULL)
		return cer_fail(CER_ERR_OPENSSL, "cannot make an OCSP response");
	r = cer_steplint_ocsp(resp, b->issuer, b->ctx->script, b->st, b->src.at, stage, &rec);
	OCSP_RESPONSE_free(resp);
	if (rec == NULL)
		return r;
	if ((r2 = cer_step_ocsp_serial_hex(about, &serial)) != CER_OK) {
		json_decref(rec);
		return r2;
	}
	if (r != CER_OK) {
		snprintf(detail, sizeof(detail), "%s (the response about serial %s)",
		    cer_err_detail(), serial);
		json_object_set_new(rec, "serial", json_string(serial));
		free(serial);
		/* recording may replace the detail: the refusal is what is reported */
		return (r2 = cer_ctx_record(b->ctx, "lint", rec)) != CER_OK ? r2 :
		    cer_fail(r, "%s", detail);
	}
	a->count++;
	if (a->first == NULL) {
		a->first = rec;
		rec = NULL;
	} else if (!json_equal(json_object_get(rec, "verdicts"), json_object_get(a->first,
	    "verdicts")) && a->ndiffer++ < DIFFER_MAX) {
		if (a->differ == NULL)
			a->differ = json_array();
		json_array_append_new(a->differ, json_pack("{s:s, s:O}", "serial", serial,
		    "verdicts", json_object_get(rec, "verdicts")));
	}
	json_decref(rec);
	free(serial);
	return CER_OK;
}

/* The stage's record: the first response's verdicts, for all of them, and any that differ. */
static int
agg_record(struct batch *b, struct lint_agg *a, const char *tbs_key, const char *tbs_hex)
{
	json_t *rec = json_deep_copy(a->first);

	if (a->first == NULL)
		return CER_OK;
	if (rec == NULL || json_object_set_new(rec, "responses", json_integer((json_int_t)
	    a->count)) != 0 || json_object_set_new(rec, "differing", json_integer((json_int_t)
	    a->ndiffer)) != 0 || (a->differ != NULL && json_object_set(rec,
	    "differing_verdicts", a->differ) != 0) || (tbs_hex != NULL &&
	    json_object_set_new(rec, tbs_key, json_string(tbs_hex)) != 0)) {
		json_decref(rec);
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	}
	return cer_ctx_record(b->ctx, "lint", rec);
}

/* ---- checks ---- */

/* As a relying party verifies it (openssl ocsp -issuer): the issuer is the trust anchor. */
static int
verify_with_issuer(const struct batch *b, OCSP_BASICRESP *bs, time_t at)
{
	X509_STORE *store = X509_STORE_new();
	STACK_OF(X509) *extra = sk_X509_new_null();
	X509_VERIFY_PARAM *vp;
	X509 *signer = NULL;
	unsigned long flags = 0;
	int ok = 0;

	if (store != NULL && extra != NULL && X509_STORE_add_cert(store, b->issuer) == 1 &&
	    sk_X509_push(extra, b->issuer) > 0 && (vp = X509_STORE_get0_param(store)) != NULL) {
		/* an intermediate issuer is its own anchor; the response's time, not the clock */
		X509_VERIFY_PARAM_set_flags(vp, X509_V_FLAG_PARTIAL_CHAIN);
		X509_VERIFY_PARAM_set_time(vp, at);
		/* the signature over these very bytes verified when the token made it: the rest */
		if (OCSP_resp_get0_signer(bs, &signer, extra) == 1 && cer_verified_seen_asn1(bs,
		    ASN1_ITEM_rptr(OCSP_BASICRESP), X509_get0_pubkey(signer)))
			flags = OCSP_NOSIGS;
		ok = OCSP_basic_verify(bs, extra, store, flags) == 1;
	}
	X509_STORE_free(store);
	sk_X509_free(extra);
	ERR_clear_error();
	return ok ? CER_OK : cer_fail(CER_ERR_VERIFY, "step %s: the signed OCSP response does "
	    "not verify with the issuer as relying parties check it (OCSP_basic_verify); "
	    "nothing more was written", b->st->id);
}

static int
not_ours(const struct batch *b, const char *path)
{
	return cer_fail(CER_ERR_OUTPUT_EXISTS, "step %s: output %s exists but is not a response "
	    "this step makes; it was not written by this ceremony: move it away and resume "
	    "again", b->st->id, path);
}

/* One output file of a response, if it is there: its DER (NULL when absent). */
static int
read_file(const struct batch *b, const char *path, int base64, unsigned char **der,
    size_t *len, OCSP_RESPONSE **resp)
{
	unsigned char *buf = NULL;
	size_t n = 0;
	int r;

	*der = NULL;
	*resp = NULL;
	if (path == NULL || access(path, F_OK) == -1)
		return CER_OK;
	if ((r = cer_read_file(path, 1024 * 1024, &buf, &n)) != CER_OK)
		return r;
	r = cer_ocsp_decode(buf, n, base64, resp, der, len);
	free(buf);
	return r == CER_ERR_VERIFY ? not_ours(b, path) : r;
}

/*
 * Resuming: is the response in these bytes exactly what this step makes
 * for certificate k (built again at the response's own producedAt, and
 * signed with the signing key)?  Linted again, post-issuance.
 */
static int
ours(struct batch *b, size_t k, OCSP_RESPONSE *resp, const char *path)
{
	struct cer_source at = b->src;
	struct cer_tbs tbs = { 0 };
	OCSP_BASICRESP *bs = NULL;
	struct cer_ocsp_about about;
	int r = CER_ERR_VERIFY;

	if (OCSP_response_status(resp) != OCSP_RESPONSE_STATUS_SUCCESSFUL ||
	    (bs = OCSP_response_get1_basic(resp)) == NULL)
		goto out;
	at.at = cer_lint_time(OCSP_resp_get0_produced_at(bs));
	if (at.at == (time_t)-1 || at.at > b->src.at ||
	    (r = cer_step_ocsp_build(&at, b->i, k, &tbs, &about)) != CER_OK)
		goto out;
	if ((r = cer_sign_ocsp_same(tbs.ocsp, b->s.alg, bs)) == CER_OK &&
	    (r = verify_with_issuer(b, bs, at.at)) == CER_OK)
		r = lint_one(b, &b->post, bs, "post-issuance", &about);
 out:
	ERR_clear_error();
	if (r == CER_ERR_VERIFY)
		r = not_ours(b, path);
	OCSP_BASICRESP_free(bs);
	cer_tbs_clear(&tbs);
	return r;
}

/*
 * The response an interrupted run wrote for certificate k, in either file
 * (both, when both are there, the same), and checked; *der NULL if none.
 */
static int
written_before(struct batch *b, size_t k, const char *b64, const char *derp, int check,
    unsigned char **der, size_t *len)
{
	unsigned char *d1 = NULL, *d2 = NULL;
	OCSP_RESPONSE *r1 = NULL, *r2 = NULL;
	size_t l1 = 0, l2 = 0;
	int r;

	*der = NULL;
	if (b->ctx->resume == NULL)
		return CER_OK;
	if ((r = read_file(b, b64, 1, &d1, &l1, &r1)) != CER_OK ||
	    (r = read_file(b, derp, 0, &d2, &l2, &r2)) != CER_OK)
		goto out;
	if (d1 != NULL && d2 != NULL && (l1 != l2 || memcmp(d1, d2, l1) != 0))
		r = not_ours(b, derp);
	else if (check && (d1 != NULL || d2 != NULL))
		r = ours(b, k, r1 != NULL ? r1 : r2, d1 != NULL ? b64 : derp);
	if (r == CER_OK && (d1 != NULL || d2 != NULL)) {
		*der = d1 != NULL ? d1 : d2;
		*len = d1 != NULL ? l1 : l2;
		if (d1 != NULL)
			d1 = NULL;
		else
			d2 = NULL;
	}
 out:
	free(d1);
	free(d2);
	OCSP_RESPONSE_free(r1);
	OCSP_RESPONSE_free(r2);
	return r;
}

/* ---- pass 1: build, lint, keep the TBS SHA-256 ---- */

static int
prepare_one(struct batch *b, size_t k)
{
	struct cer_tbs tbs = { 0 };
	unsigned char *old = NULL;
	char *b64 = NULL, *der = NULL;
	struct cer_ocsp_about about;
	size_t oldlen = 0;
	int r;

	if ((r = cer_ctx_interrupted()) != CER_OK ||
	    (r = cer_step_ocsp_build(&b->src, b->i, k, &tbs, &about)) != CER_OK ||
	    (r = paths_of(b, &about, &b64, &der)) != CER_OK ||
	    (r = written_before(b, k, b64, der, 1, &old, &oldlen)) != CER_OK)
		goto out;
	if (old != NULL) {
		b->kept[k] = 1;
		b->nkept++;
		r = cer_sha256(old, oldlen, b->hash[k]);
		goto out;
	}
	if ((r = cer_sign_ocsp_throwaway(tbs.ocsp, b->s.alg, b->hash[k])) == CER_OK)
		r = lint_one(b, &b->pre, tbs.ocsp->bs, "pre-issuance", &about);
 out:
	cer_tbs_clear(&tbs);
	free(old);
	free(b64);
	free(der);
	return r;
}

/* What the operator confirms: the fingerprint of one TBS, or of the list of them. */
static int
fingerprint(const struct batch *b, unsigned char fp[static CER_SHA256_LEN])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	size_t k, last = 0, nsign = b->n - b->nkept;
	int ok;

	for (k = 0; k < b->n; k++)
		if (!b->kept[k])
			last = k;
	if (nsign == 1) {
		EVP_MD_CTX_free(md);
		memcpy(fp, b->hash[last], CER_SHA256_LEN);
		return CER_OK;
	}
	ok = md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;
	for (k = 0; ok && k < b->n; k++)
		ok = b->kept[k] || EVP_DigestUpdate(md, b->hash[k], CER_SHA256_LEN) == 1;
	ok = ok && EVP_DigestFinal_ex(md, fp, NULL) == 1;
	EVP_MD_CTX_free(md);
	return ok ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot hash the TBS list");
}

/* The pre-issuance record, then one confirmation for the whole step. */
static int
confirm(struct batch *b, char **fp_hex)
{
	const struct cer_ocsp_params *p = &b->o->p;
	unsigned char fp[CER_SHA256_LEN];
	size_t nsign = b->n - b->nkept;
	char what[3400], tu[21], nu[21], rd[21], iss[1024], sg[1024];
	int r;

	*fp_hex = NULL;
	if (nsign == 0)
		return agg_record(b, &b->pre, "tbs_sha256", NULL);
	if ((r = fingerprint(b, fp)) != CER_OK || (r = cer_hex(fp, sizeof(fp), fp_hex)) != CER_OK ||
	    (r = agg_record(b, &b->pre, nsign == 1 ? "tbs_sha256" : "tbs_list_sha256",
	    *fp_hex)) != CER_OK)
		return r;
	cer_time_str(p->this_update, tu);
	cer_time_str(p->next_update, nu);
	cer_time_str(p->revocation_time, rd);
	snprintf(what, sizeof(what), "step %s: sign %zu OCSP response%s%s: %s%s%s%s, thisUpdate "
	    "%s, nextUpdate %s, about certificates issued by '%s', %s%s%s with key '%s' on "
	    "token '%s' using %s%s", b->st->id, nsign, nsign == 1 ? "" : "s", b->nkept > 0 ?
	    " (the others were written before the interruption)" : "", p->revoked ?
	    "revoked at " : "good", p->revoked ? rd : "", p->revoked ? ", reason " : "",
	    p->revoked ? cer_crl_reason_name(p->reason) : "", tu, nu,
	    cer_profile_name_text(X509_get_subject_name(b->issuer), iss, sizeof(iss)),
	    b->signer != b->issuer ?
	    "through the delegated responder '" : "signed by the issuer", b->signer !=
	    b->issuer ? cer_profile_name_text(X509_get_subject_name(b->signer), sg, sizeof(sg)) :
	    "", b->signer != b->issuer ?
	    "'" : "", cer_hsm_key_label(b->s.key), cer_hsm_token_label(b->s.tok),
	    cer_sigalg_name(b->s.alg), nsign == 1 ? "" : " (the fingerprint is the SHA-256 of "
	    "their TBS SHA-256s, in order)");
	return cer_ctx_confirm(b->ctx, b->st, what, fp, NULL);
}

/* ---- pass 2: sign, check, write ---- */

struct sign_arg {
	const struct batch *b;
	size_t k;
};

/* Before each C_Sign: the TBS is the one linted and confirmed, and no signal came. */
static int
same_tbs(void *arg, const unsigned char tbs_sha256[32])
{
	const struct sign_arg *a = arg;

	if (memcmp(tbs_sha256, a->b->hash[a->k], CER_SHA256_LEN) != 0)
		return cer_fail(CER_ERR_VERIFY, "step %s: the TBS of OCSP response %zu is not the "
		    "one linted and confirmed; nothing more was signed", a->b->st->id, a->k + 1);
	return cer_ctx_interrupted();
}

/* A new response k: signed in the HSM, checked, verified as relying parties do, linted. */
static int
sign_new(struct batch *b, size_t k, struct cer_tbs *tbs, const struct cer_ocsp_about *a,
    unsigned char **der,
    size_t *len, json_t **signing)
{
	struct sign_arg sa = { b, k };
	OCSP_BASICRESP *bs = NULL;
	json_t *rec = NULL;
	int r;

	if ((r = cer_sign_ocsp_response(tbs->ocsp, &b->s, same_tbs, &sa, &bs, &rec)) == CER_OK &&
	    (r = verify_with_issuer(b, bs, b->src.at)) == CER_OK &&
	    (r = lint_one(b, &b->post, bs, "post-issuance", a)) == CER_OK)
		r = cer_ocsp_response_der(bs, der, len);
	if (r == CER_OK && *signing == NULL) {
		json_object_set_new(rec, "verified_with_issuer", json_true());
		json_object_del(rec, "issuer_bytes_identical");
		json_object_del(rec, "tbs_sha256");
		*signing = rec;
		rec = NULL;
	}
	json_decref(rec);
	OCSP_BASICRESP_free(bs);
	return r;
}

/*
 * One file of a batch, and its manifest line.  A file an interrupted run
 * wrote (kept: its response was checked) stays; any other is never replaced.
 */
static int
write_file(struct batch *b, const char *path, const void *data, size_t len, int kept)
{
	char *hex = NULL;
	int r;

	if (path == NULL)
		return CER_OK;
	if ((!kept || access(path, F_OK) == -1) &&
	    (r = cer_outfile_write(path, data, len)) != CER_OK)
		return r;
	if ((r = cer_sha256_hex(data, len, &hex)) == CER_OK)
		r = buf_add(&b->manifest, "%s  %s\n", hex, path);
	free(hex);
	return r;
}

/* The response's files, and its line of the list. */
static int
write_one(struct batch *b, const struct cer_ocsp_about *a, const char *b64p,
    const char *derp, unsigned char *der, size_t len, int kept)
{
	char *b64 = NULL, *serial = NULL, *ch = NULL, *rh = NULL, line[200];
	size_t b64len = 0;
	int r;

	if ((r = cer_step_ocsp_serial_hex(a, &serial)) != CER_OK ||
	    (r = cer_hex(a->sha256, sizeof(a->sha256), &ch)) != CER_OK ||
	    (r = cer_sha256_hex(der, len, &rh)) != CER_OK)
		goto out;
	if (b->o->dir == NULL && b->o->der_dir == NULL) {
		b->single = der;	/* written after the records */
		b->single_len = len;
	} else if ((r = cer_ocsp_base64(der, len, &b64, &b64len)) != CER_OK ||
	    (r = write_file(b, derp, der, len, kept)) != CER_OK ||
	    (r = write_file(b, b64p, b64, b64len, kept)) != CER_OK)
		goto out;
	/* in the list once written */
	snprintf(line, sizeof(line), "%s %s %s\n", serial, ch, rh);
	if (EVP_DigestUpdate(b->list, line, strlen(line)) != 1)
		r = cer_fail(CER_ERR_OPENSSL, "cannot hash the list");
 out:
	free(b64);
	free(serial);
	free(ch);
	free(rh);
	return r;
}

static int
sign_one(struct batch *b, size_t k, json_t **signing)
{
	struct cer_tbs tbs = { 0 };
	unsigned char *der = NULL, d[CER_SHA256_LEN];
	char *b64p = NULL, *derp = NULL;
	struct cer_ocsp_about about;
	size_t len = 0;
	int r;

	if ((r = cer_step_ocsp_build(&b->src, b->i, k, &tbs, &about)) != CER_OK ||
	    (r = paths_of(b, &about, &b64p, &derp)) != CER_OK)
		goto out;
	if (b->kept[k]) {
		/* what pass 1 checked, still there */
		if ((r = written_before(b, k, b64p, derp, 0, &der, &len)) != CER_OK ||
		    (r = der == NULL ? CER_ERR_VERIFY : cer_sha256(der, len, d)) != CER_OK ||
		    memcmp(d, b->hash[k], sizeof(d)) != 0) {
			r = cer_fail(CER_ERR_VERIFY, "step %s: a response written before the "
			    "interruption changed during the step", b->st->id);
			goto out;
		}
	} else if ((r = sign_new(b, k, &tbs, &about, &der, &len, signing)) != CER_OK)
		goto out;
	r = write_one(b, &about, b64p, derp, der, len, b->kept[k]);
	if (b->single == der)
		der = NULL;	/* kept for the outputs */
 out:
	cer_tbs_clear(&tbs);
	free(der);
	free(b64p);
	free(derp);
	return r;
}

/* ---- the step ---- */

static json_t *
cert_json(X509 *x)
{
	unsigned char d[CER_SHA256_LEN];
	unsigned int n = 0;
	char sub[1024], *hex = NULL, *pem = NULL;
	json_t *j = NULL;

	if (X509_digest(x, EVP_sha256(), d, &n) == 1 && cer_hex(d, n, &hex) == CER_OK &&
	    cer_profile_cert_pem(x, &pem, NULL) == CER_OK)
		j = json_pack("{s:s, s:s, s:s}", "subject",
		    cer_profile_name_text(X509_get_subject_name(x), sub, sizeof(sub)),
		    "sha256", hex, "pem", pem);
	free(hex);
	free(pem);
	return j;
}

/*
 * "ocsp-responses-signed": one record for the step, whatever the count;
 * done of the n are in the list (all, unless the step stopped).
 */
static int
summary(struct batch *b, json_t *signing, const char *fp_hex, size_t done)
{
	const struct cer_ocsp_params *p = &b->o->p;
	unsigned char d[CER_SHA256_LEN];
	char tu[21], nu[21], rd[21], pa[21], *b64 = NULL, *list = NULL;
	size_t b64len = 0;
	json_t *rec;
	int r;

	cer_time_str(p->this_update, tu);
	cer_time_str(p->next_update, nu);
	cer_time_str(p->revocation_time, rd);
	cer_time_str(b->src.at, pa);
	if (EVP_DigestFinal_ex(b->list, d, NULL) != 1)
		return cer_fail(CER_ERR_OPENSSL, "cannot hash the list");
	if ((r = cer_hex(d, sizeof(d), &list)) != CER_OK || (b->single != NULL &&
	    (r = cer_ocsp_base64(b->single, b->single_len, &b64, &b64len)) != CER_OK))
		goto out;
	rec = json_pack("{s:s, s:I, s:b, s:I, s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:o, s:o, "
	    "s:o, s:o, s:o, s:s, s:o}", "step", b->st->id, "count", (json_int_t)b->n,
	    "complete", done == b->n, "in_list", (json_int_t)done, "kept_from_interruption",
	    (json_int_t)b->nkept, "status", p->revoked ? "revoked" : "good", "this_update", tu,
	    "next_update", nu, "revocation", p->revoked ? json_pack("{s:s, s:s}", "date", rd,
	    "reason", cer_crl_reason_name(p->reason)) : json_null(), "cert_id_hash",
	    p->sha256_certid ? "sha256" : "sha1", "produced_at", pa,
	    "issuer", cert_json(b->issuer), "responder", b->signer != b->issuer ?
	    cert_json(b->signer) : json_null(), "signing", signing != NULL ?
	    json_incref(signing) : json_null(), "tbs_list_sha256", fp_hex != NULL ?
	    json_string(fp_hex) : json_null(), "list", json_pack("{s:s, s:s}", "format",
	    "<serial hex> <SHA-256 of the certificate> <SHA-256 of the response DER>\\n",
	    "sha256", list), "key_label", cer_hsm_key_label(b->s.key),
	    "response", b64 != NULL ? json_string(b64) : json_null());
	if (done == b->n)
		printf("%s: %zu OCSP response%s (%s): %zu signed%s, list SHA-256 %s\n", b->st->id,
		    b->n, b->n == 1 ? "" : "s", p->revoked ? "revoked" : "good", b->n - b->nkept,
		    b->nkept > 0 ? ", the others kept from before the interruption" : "", list);
	r = cer_ctx_record(b->ctx, "ocsp-responses-signed", rec);
 out:
	free(b64);
	free(list);
	return r;
}

/*
 * The step's records and its last output: a batch's manifest after them;
 * the files of one response before them (a batch's responses are written
 * as they are signed; either way, written responses are recognised on resume).
 */
static int
finish(struct batch *b, json_t *signing, const char *fp_hex)
{
	char *b64 = NULL;
	const char *path;
	size_t b64len = 0;
	int r;

	if (b->single == NULL) {
		if ((r = summary(b, signing, fp_hex, b->n)) == CER_OK &&
		    (r = agg_record(b, &b->post, NULL, NULL)) == CER_OK)
			r = cer_ctx_output(b->ctx, b->st, "ocsp-manifest",
			    cer_step_output_path(b->st, "manifest-path"), b->manifest.p,
			    b->manifest.len);
		goto out;
	}
	/* one response: its files, as a batch's, are written before the summary */
	if ((path = cer_step_output_path(b->st, "response-path")) != NULL &&
	    ((r = cer_ocsp_base64(b->single, b->single_len, &b64, &b64len)) != CER_OK ||
	    (r = cer_ctx_output(b->ctx, b->st, "ocsp-response", path, b64, b64len)) != CER_OK))
		goto out;
	if ((path = cer_step_output_path(b->st, "response-der-path")) != NULL &&
	    (r = cer_ctx_output(b->ctx, b->st, "ocsp-response-der", path, b->single,
	    b->single_len)) != CER_OK)
		goto out;
	if ((r = summary(b, signing, fp_hex, b->n)) == CER_OK)
		r = agg_record(b, &b->post, NULL, NULL);
 out:
	free(b64);
	return r;
}

/*
 * A batch that stops after writing some: what was written is recorded
 * (the records of a complete step, marked incomplete), then the failure.
 */
static int
stopped(struct batch *b, json_t *signing, const char *fp_hex, size_t done, int r)
{
	char detail[1024];
	int r2;

	if (done == 0 || b->single != NULL)
		return r;
	snprintf(detail, sizeof(detail), "%s", cer_err_detail());
	if ((r2 = summary(b, signing, fp_hex, done)) != CER_OK ||
	    (r2 = agg_record(b, &b->post, NULL, NULL)) != CER_OK)
		return r2;
	return cer_fail(r, "%s", detail);
}

static int
passes(struct batch *b)
{
	json_t *signing = NULL;
	char *fp_hex = NULL;
	size_t k;
	int r = CER_OK;

	for (k = 0; k < b->n && r == CER_OK; k++) {
		r = prepare_one(b, k);
		progress(b, "linted", k);
	}
	if (r != CER_OK || (r = confirm(b, &fp_hex)) != CER_OK)
		goto out;
	if (EVP_DigestInit_ex(b->list, EVP_sha256(), NULL) != 1) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot hash the list");
		goto out;
	}
	b->shown = 0;
	for (k = 0; k < b->n && r == CER_OK; k++)
		if ((r = sign_one(b, k, &signing)) == CER_OK)
			progress(b, "signed and wrote", k);
	r = r == CER_OK ? finish(b, signing, fp_hex) : stopped(b, signing, fp_hex, k - 1, r);
 out:
	if (r != CER_OK && b->shown > 0 && isatty(STDOUT_FILENO))
		printf("\n");	/* end the progress line: the error follows */
	json_decref(signing);
	free(fp_hex);
	return r;
}

/* Boulder's openSigner check: the HSM key is the key of the certificate that signs. */
static int
signer_matches(const struct batch *b)
{
	if (EVP_PKEY_eq(b->s.pub, X509_get0_pubkey(b->signer)) == 1)
		return CER_OK;
	return cer_fail(CER_ERR_KEY, "step %s: the key '%s' on token '%s' is not the key of the "
	    "%s certificate; nothing was signed", b->st->id, cer_hsm_key_label(b->s.key),
	    cer_hsm_token_label(b->s.tok), b->signer != b->issuer ? "delegated responder's" :
	    "issuer");
}

int
cer_step_ocsp_run(struct cer_ctx *ctx, const struct cer_step *st, size_t i)
{
	struct batch b;
	int r;

	memset(&b, 0, sizeof(b));
	b.ctx = ctx;
	b.st = st;
	b.o = cer_step_ocsp_of(st);
	b.i = i;
	b.n = cer_step_ocsp_count(st, &ctx->plan->steps[i]);
	b.s.tok = ctx->tokens[st->token];
	b.s.key = ctx->keys[cer_step_key_owner(st, i)];
	b.s.alg = ctx->plan->steps[i].alg;
	cer_step_run_source(ctx, &b.src);
	if (b.s.key == NULL || b.n == 0) {
		r = cer_fail(CER_ERR_INTERNAL, "step %s: no key, or nothing to sign", st->id);
		goto out;
	}
	if ((b.hash = calloc(b.n, sizeof(*b.hash))) == NULL ||
	    (b.kept = calloc(b.n, 1)) == NULL || (b.list = EVP_MD_CTX_new()) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	if ((r = cer_step_ocsp_signers(&b.src, i, &b.issuer, &b.signer)) != CER_OK ||
	    (r = cer_hsm_key_public(b.s.tok, b.s.key, &b.s.pub)) != CER_OK ||
	    (r = signer_matches(&b)) != CER_OK)
		goto out;
	r = passes(&b);
 out:
	EVP_PKEY_free(b.s.pub);
	EVP_MD_CTX_free(b.list);
	agg_clear(&b.pre);
	agg_clear(&b.post);
	free(b.hash);
	free(b.kept);
	free(b.manifest.p);
	free(b.single);
	return r;
}
