/*
 * step-crl.c: the crl step type: a CRL signed with the issuer's key, as
 * Boulder's crl ceremony signs it (and what it leaves out: each entry keeps
 * its reasonCode, each revoked certificate is checked to be the issuer's,
 * and the CRL is verified and linted after signing as well as before).
 * The issuer is an earlier step (its key signs) or a file (the key found by
 * token and label, Boulder's way).  What the step is made of and its plan
 * are step-crl-input.c and step-crl-plan.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "base/util.h"
#include "run/steplint.h"
#include "script/fields.h"
#include "steps/step-crl.h"
#include "steps/step.h"
#include "x509/profile.h"

#define MASK(t) (1u << (t))

static const char *const scope_text[] = { "", "full", "ca-only", "partitioned" };

static const struct cer_step_key keys[] = {
	{ "token", 1 }, { "pkcs11", 0 }, { "label", 1 }, { "issuer", 1 }, { "inputs", 0 },
	{ "outputs", 0 }, { "crl-profile", 0 }, { "skip-lints", 0 }, { NULL, 0 },
};

/* ---- the script ---- */

static int
crl_inputs(const struct cer_parse *c, const struct cer_yaml_node *m, struct cer_step *st,
    const struct cer_yaml_node **in)
{
	static const char *const boulder[] = { "issuer-certificate-path", NULL };
	static const char *const native[] = { "issuer-certificate-path", "previous-crl-path",
	    NULL };
	int r;

	if ((*in = cer_yaml_val(m, "inputs")) == NULL)
		return CER_OK;
	if ((r = cer_yaml_check_map(&c->y, *in, "'inputs'", c->s->boulder ? boulder : native,
	    NULL)) != CER_OK)
		return r;
	return cer_yaml_opt_text(&c->y, *in, "issuer-certificate-path", &st->in_issuer_cert,
	    &st->in_issuer_cert_pos);
}

/* The issuer: an earlier root or intermediate step, or inputs.issuer-certificate-path. */
static int
crl_issuer(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx)
{
	struct cer_step *st = &c->s->steps[idx];
	const struct cer_yaml_node *v = cer_yaml_val(m, "issuer");
	int r;

	if (v != NULL && (r = cer_fields_step_ref(c, v, idx, "issuer", MASK(CER_STEP_ROOT) |
	    MASK(CER_STEP_INTERMEDIATE), "a root or intermediate step", &st->issuer,
	    &st->issuer_pos)) != CER_OK)
		return r;
	if (v != NULL && st->in_issuer_cert != NULL)
		return cer_yaml_fail(&c->y, st->in_issuer_cert_pos, "'issuer' and "
		    "inputs.issuer-certificate-path both say who issues the CRL; give only one");
	if (v == NULL && st->in_issuer_cert == NULL)
		return cer_yaml_fail(&c->y, m->pos, "this crl step needs %s; add it",
		    c->s->boulder ? "inputs.issuer-certificate-path" : "'issuer' (an earlier "
		    "step) or inputs.issuer-certificate-path (a file from an earlier ceremony)");
	return cer_step_parse_signing_key(c, m, idx);
}

static int
parse(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx)
{
	static const char *const outputs[] = { "crl-path", NULL };
	struct cer_step *st = &c->s->steps[idx];
	const struct cer_yaml_node *in, *ov = cer_yaml_val(m, "outputs"),
	    *pv = cer_yaml_val(m, "crl-profile"), *sl = cer_yaml_val(m, "skip-lints");
	const char *names[sizeof(keys) / sizeof(keys[0])];
	size_t n;
	int r;

	for (n = 0; keys[n].name != NULL; n++)
		names[n] = keys[n].name;
	names[n] = NULL;
	/* a key of another type first: what was meant is likely another type */
	if ((r = cer_fields_own_keys(c, m, CER_STEP_CRL, names)) != CER_OK ||
	    (r = crl_inputs(c, m, st, &in)) != CER_OK || (r = crl_issuer(c, m, idx)) != CER_OK)
		return r;
	if (ov == NULL)
		return cer_yaml_missing(&c->y, m, "this step", "outputs");
	if ((r = cer_yaml_check_map(&c->y, ov, "'outputs'", outputs, NULL)) != CER_OK)
		return r;
	if (cer_yaml_val(ov, "crl-path") == NULL)
		return cer_yaml_missing(&c->y, ov, "'outputs'", "crl-path");
	if ((r = cer_fields_output(c, ov, "crl-path", st)) != CER_OK)
		return r;
	if (pv == NULL)
		return cer_yaml_missing(&c->y, m, "this step", "crl-profile");
	if ((r = cer_crl_profile_parse(c, pv, in, st)) != CER_OK)
		return r;
	return sl == NULL ? CER_OK : cer_fields_skip_lints(c, sl, st);
}

static enum cer_lint_profile
lint_profile(const struct cer_step *st)
{
	(void)st;
	return CER_LINT_CRL;
}

/* ---- the CRL ---- */

/*
 * The script's entries with the serials of earlier steps' certificates
 * filled in (the file's are added from the plan as they are): each such
 * serial must not be on the list already.
 */
static int
script_entries(const struct cer_source *src, size_t i, struct cer_crl_entry **out)
{
	const struct cer_step *st = &src->script->steps[i];
	const struct crl_profile *p = st->own;
	const struct crl_inputs *in = src->plan->steps[i].own;
	const struct cer_crl_entry *o;
	struct cer_crl_entry *e;
	X509 *x;
	size_t k, j;

	if ((*out = e = calloc(in->nscript + 1, sizeof(*e))) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	memcpy(e, in->entries, in->nscript * sizeof(*e));
	for (k = 0; k < in->nscript; k++) {
		if (p->revoked[k].cert_step == CER_NO_INDEX)
			continue;
		if ((x = src->cert(src->arg, p->revoked[k].cert_step)) == NULL ||
		    cer_crl_serial_of(X509_get0_serialNumber(x), &e[k]) != CER_OK)
			return cer_fail(CER_ERR_INTERNAL, "step %s: an earlier step left no "
			    "certificate", st->id);
		for (j = 0; j < in->n; j++) {
			o = j < in->nscript ? &e[j] : &in->entries[j];
			if (j != k && o->serial_len == e[k].serial_len &&
			    memcmp(o->serial, e[k].serial, o->serial_len) == 0)
				return cer_fail(CER_ERR_SCRIPT, "step %s: the certificate of step %s "
				    "is revoked twice; list it once", st->id,
				    src->script->steps[p->revoked[k].cert_step].id);
		}
	}
	return CER_OK;
}

static int
build_tbs(const struct cer_source *src, size_t i, struct cer_tbs *out)
{
	const struct cer_step *st = &src->script->steps[i];
	const struct crl_profile *p = st->own;
	const struct crl_inputs *in = src->plan->steps[i].own;
	struct cer_crl_entry *e = NULL;
	char what[128];
	int r;

	memset(out, 0, sizeof(*out));
	out->issuer = st->issuer != CER_NO_INDEX ? src->cert(src->arg, st->issuer) :
	    src->plan->steps[i].issuer_cert;
	if (out->issuer == NULL || in == NULL)
		return cer_fail(CER_ERR_INTERNAL, "step %s: an earlier step left no certificate",
		    st->id);
	if (in->entries == NULL)
		return cer_fail(CER_ERR_INTERNAL, "step %s: the CRL was built already", st->id);
	snprintf(what, sizeof(what), "%s: building the CRL", st->id);
	if ((r = script_entries(src, i, &e)) == CER_OK &&
	    (r = cer_crl_build(&p->spec, out->issuer, &out->crl)) == CER_OK &&
	    (r = cer_crl_add(out->crl, e, in->nscript, NULL, NULL)) == CER_OK)
		r = cer_crl_add(out->crl, in->entries + in->nscript, in->n - in->nscript,
		    cer_crl_progress, what);
	out->crl_subscribers = cer_crl_about_subscribers(p, out->issuer);
	out->crl_spec = &p->spec;
	free(e);
	return r;
}

/* ---- the run ---- */

/* Lints the CRL and records the verdicts, also when they stop the ceremony. */
static int
lint_crl(struct cer_ctx *ctx, const struct cer_step *st, X509_CRL *crl,
    const struct cer_tbs *t, const char *stage, const unsigned char *tbs_sha256)
{
	json_t *rec = NULL;
	int r;

	r = cer_steplint_crl(crl, t->issuer, t->crl_subscribers, t->crl_spec, ctx->script, st,
	    cer_ctx_time(ctx), stage, &rec);
	return cer_step_record_lint(ctx, rec, r, tbs_sha256);
}

/*
 * Pre-issuance: the CRL itself signed by a throwaway key of the scheme
 * (no copy: it may hold 100 000 entries); *linted is its TBS's SHA-256,
 * which the confirmation compares with what the HSM will sign.
 */
static int
lint_tbs(struct cer_ctx *ctx, const struct cer_step *st, struct cer_tbs *t,
    enum cer_sigalg alg, unsigned char linted[static CER_SHA256_LEN])
{
	unsigned char *der = NULL;
	int len, r;

	if ((r = cer_sign_throwaway_crl(t->crl, alg)) != CER_OK)
		return r;
	if ((len = i2d_re_X509_CRL_tbs(t->crl, &der)) <= 0)
		return cer_fail(CER_ERR_OPENSSL, "cannot encode the CRL's TBS");
	if ((r = cer_sha256(der, (size_t)len, linted)) == CER_OK)
		r = lint_crl(ctx, st, t->crl, t, "pre-issuance", linted);
	OPENSSL_free(der);
	return r;
}

/*
 * The record of the signed CRL, with its PEM (consumed: *pem is NULL
 * afterwards); *kept is the record's data, whose "pem" is then the only
 * copy of the text (a long CRL's PEM is megabytes).
 */
static int
record_crl(struct cer_ctx *ctx, const struct cer_step *st, size_t i, const struct cer_tbs *t,
    json_t *summary, json_t *signing, char **pem)
{
	const struct crl_profile *p = st->own;
	const struct crl_inputs *in = ctx->plan->steps[i].own;
	char *ipem = NULL;
	json_t *rec;
	int r;

	if ((r = cer_profile_cert_pem(t->issuer, &ipem, NULL)) != CER_OK)
		goto out;
	printf("%s: signed CRL number %s of %s, %lld entr%s, SHA-256 %s\n", st->id,
	    json_string_value(json_object_get(summary, "number")),
	    json_string_value(json_object_get(summary, "issuer")),
	    (long long)json_integer_value(json_object_get(summary, "entries")),
	    json_integer_value(json_object_get(summary, "entries")) == 1 ? "y" : "ies",
	    json_string_value(json_object_get(summary, "sha256")));
	rec = json_pack("{s:s, s:s, s:s, s:s, s:O, s:O, s:O, s:s, s:s}", "step", st->id,
	    "profile", "crl", "scope", scope_text[p->spec.scope], "about",
	    t->crl_subscribers ? "subscriber certificates" : "CA certificates", "crl", summary,
	    "inputs", in->summary, "signing", signing, "pem", *pem, "issuer_pem", ipem);
	free(*pem);
	*pem = NULL;
	if (rec == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	r = cer_ctx_record(ctx, "crl-signed", rec);
 out:
	free(ipem);
	return r;
}

/*
 * The signed CRL's DER, summary and PEM from one encoding; the CRL
 * (consumed: *crl is NULL afterwards) goes before the PEM is made.  With
 * 100 000 entries the parsed CRL is 33 MB, the DER 5 MB, the PEM 6.6 MB.
 */
static int
signed_text(X509_CRL **crl, unsigned char **der, size_t *der_len, json_t **summary, char **pem,
    size_t *len)
{
	int n, r;

	*der = NULL;
	if ((n = i2d_X509_CRL(*crl, der)) <= 0)
		r = cer_fail(CER_ERR_OPENSSL, "cannot encode the signed CRL");
	else
		r = cer_crl_json(*crl, *der, (size_t)n, summary);
	*der_len = n > 0 ? (size_t)n : 0;
	X509_CRL_free(*crl);
	*crl = NULL;
	return r == CER_OK ? cer_crl_pem(*der, *der_len, pem, len) : r;
}

/* The CRL written, parsed back from all of the DER its PEM encodes: what the post-issuance lint judges. */
static int
parse_back(const unsigned char *der, size_t len, X509_CRL **out)
{
	const unsigned char *p = der;

	*out = d2i_X509_CRL(NULL, &p, (long)len);
	if (*out != NULL && p != der + len) {
		X509_CRL_free(*out);
		*out = NULL;
	}
	ERR_clear_error();
	return *out != NULL ? CER_OK : cer_fail(CER_ERR_VERIFY, "the signed CRL does not parse "
	    "back to one CRL");
}

/*
 * The text to write, made again from the DER after the lint, and the
 * recorded one byte for byte (its SHA-256 taken before the record went).
 */
static int
text_again(const unsigned char *der, size_t der_len, const unsigned char recorded[static
    CER_SHA256_LEN], char **pem, size_t *len)
{
	unsigned char d[CER_SHA256_LEN];
	int r;

	if ((r = cer_crl_pem(der, der_len, pem, len)) != CER_OK ||
	    (r = cer_sha256(*pem, *len, d)) != CER_OK)
		return r;
	return memcmp(d, recorded, sizeof(d)) == 0 ? CER_OK : cer_fail(CER_ERR_INTERNAL,
	    "the CRL's PEM made again is not the recorded one; nothing was written");
}

static int
sign_crl(struct cer_ctx *ctx, const struct cer_step *st, size_t i, const struct cer_signer *s,
    struct cer_tbs *t)
{
	const struct crl_profile *p = st->own;
	unsigned char linted[CER_SHA256_LEN];
	unsigned char recorded[CER_SHA256_LEN], *der = NULL;
	char what[2400], iss[1024], tu[21], nu[21], *pem = NULL;
	struct cer_ctx_confirm_arg ca = { ctx, st, what, NULL, linted };
	json_t *signing = NULL, *summary = NULL;
	X509_CRL *crl = NULL;
	size_t len = 0, der_len = 0;
	int r;

	cer_profile_name_text(X509_get_subject_name(t->issuer), iss, sizeof(iss));
	cer_time_str(p->spec.this_update, tu);
	cer_time_str(p->spec.next_update, nu);
	snprintf(what, sizeof(what), "step %s: sign CRL number %llu of '%s' (%s, %d entries, "
	    "thisUpdate %s, nextUpdate %s) with key '%s' on token '%s' using %s", st->id,
	    (unsigned long long)p->spec.number, iss, scope_text[p->spec.scope],
	    sk_X509_REVOKED_num(X509_CRL_get_REVOKED(t->crl)), tu, nu,
	    cer_hsm_key_label(s->key), cer_hsm_token_label(s->tok), cer_sigalg_name(s->alg));
	if ((r = lint_tbs(ctx, st, t, s->alg, linted)) != CER_OK ||
	    (r = cer_sign_crl(t->crl, s, X509_get0_pubkey(t->issuer),
	    X509_get_subject_name(t->issuer), cer_ctx_confirm_tbs, &ca, &crl, &signing)) != CER_OK)
		goto out;
	/* one CRL at a time: the one built, the one parsed back, then the one written */
	X509_CRL_free(t->crl);
	t->crl = NULL;
	/* the record takes the text and the transcript keeps it; the DER stays for the lint */
	if ((r = signed_text(&crl, &der, &der_len, &summary, &pem, &len)) != CER_OK ||
	    (r = cer_sha256(pem, len, recorded)) != CER_OK ||
	    (r = record_crl(ctx, st, i, t, summary, signing, &pem)) != CER_OK)
		goto out;
	if ((r = parse_back(der, der_len, &crl)) != CER_OK ||
	    (r = lint_crl(ctx, st, crl, t, "post-issuance", NULL)) != CER_OK)
		goto out;
	X509_CRL_free(crl);
	crl = NULL;
	if ((r = text_again(der, der_len, recorded, &pem, &len)) != CER_OK)
		goto out;
	OPENSSL_free(der);
	der = NULL;
	r = cer_ctx_output(ctx, st, "crl", cer_step_output_path(st, "crl-path"), pem, len);
 out:
	X509_CRL_free(crl);
	json_decref(signing);
	json_decref(summary);
	OPENSSL_free(der);
	free(pem);
	return r;
}

/* Resuming after the CRL was recorded: its PEM is written, never signed again. */
static int
write_recorded(struct cer_ctx *ctx, const struct cer_step *st, size_t i)
{
	const char *pem = json_string_value(json_object_get(ctx->resume->steps[i].signed_rec,
	    "pem"));

	if (pem == NULL)
		return cer_fail(CER_ERR_TRANSCRIPT, "step %s: no PEM in the transcript", st->id);
	printf("%s: signed before the interruption; the transcript's CRL is used, not signed "
	    "again\n", st->id);
	return cer_ctx_output(ctx, st, "crl", cer_step_output_path(st, "crl-path"), pem,
	    strlen(pem));
}

/*
 * The run builds its CRL once, and then the CRL holds the entries: the
 * plan's list (4 MB for 100 000 entries) goes before the CRL is signed,
 * encoded and parsed back.  Nothing reads it afterwards (build_tbs refuses).
 */
static void
drop_entries(struct crl_inputs *in)
{
	free(in->entries);
	in->entries = NULL;
}

/*
 * A CRL confirmed but not recorded before an interruption is signed again
 * over the same TBS: its number, window and entries all come from the
 * script and its inputs.
 */
static int
run(struct cer_ctx *ctx, const struct cer_step *st, size_t i)
{
	struct cer_signer s = { ctx->tokens[st->token], ctx->keys[cer_step_key_owner(st, i)],
	    NULL, ctx->plan->steps[i].alg };
	struct cer_source src;
	struct cer_tbs t = { 0 };
	int r;

	if (cer_step_signed_before(ctx, i))
		return write_recorded(ctx, st, i);
	if (s.key == NULL)
		return cer_fail(CER_ERR_INTERNAL, "step %s: an earlier step left no key", st->id);
	cer_step_run_source(ctx, &src);
	if ((r = cer_hsm_key_public(s.tok, s.key, &s.pub)) != CER_OK ||
	    (r = build_tbs(&src, i, &t)) != CER_OK)
		goto out;
	if (EVP_PKEY_eq(s.pub, X509_get0_pubkey(t.issuer)) != 1) {
		r = cer_fail(CER_ERR_KEY, "step %s: the key '%s' on token '%s' is not the issuer "
		    "certificate's key; nothing was signed", st->id, cer_hsm_key_label(s.key),
		    cer_hsm_token_label(s.tok));
		goto out;
	}
	if ((r = cer_crl_issued_check(&src, i, t.issuer)) != CER_OK)
		goto out;
	drop_entries(ctx->plan->steps[i].own);
	r = sign_crl(ctx, st, i, &s, &t);
 out:
	EVP_PKEY_free(s.pub);
	cer_tbs_clear(&t);
	return r;
}

static void
print(const struct cer_script *s, const struct cer_plan *plan, size_t i)
{
	const struct cer_step *st = &s->steps[i];
	const struct crl_profile *p = st->own;
	const struct crl_inputs *in = plan->steps[i].own;
	char tu[21], nu[21];

	cer_time_str(p->spec.this_update, tu);
	cer_time_str(p->spec.next_update, nu);
	printf(" sign CRL number %llu (%s) of %s%s, thisUpdate %s, nextUpdate %s (%lld days), ",
	    (unsigned long long)p->spec.number, scope_text[p->spec.scope],
	    st->issuer != CER_NO_INDEX ? "step " : "", st->issuer != CER_NO_INDEX ?
	    s->steps[st->issuer].id : st->in_issuer_cert, tu, nu,
	    (long long)((p->spec.next_update - p->spec.this_update) / 86400));
	if (in != NULL)
		printf("%zu entr%s (%zu from revoked-certificates%s%s), ", in->n, in->n == 1 ?
		    "y" : "ies", in->nscript, p->serials_path != NULL ? ", the rest from " : "",
		    p->serials_path != NULL ? p->serials_path : "");
	printf("with key '%s' on token %s using %s", st->label, s->tokens[st->token].name,
	    cer_sigalg_name(plan->steps[i].alg));
	if (p->previous_path != NULL)
		printf("; continues %s", p->previous_path);
}


const struct cer_step_impl cer_step_crl_impl = {
	.type = CER_STEP_CRL,
	.does = "sign a CRL with the issuer's key",
	.flags = CER_STEP_SIGNS,
	.keys = keys,
	.parse = parse,
	.lint_profile = lint_profile,
	.plan = cer_crl_plan,
	.build_tbs = build_tbs,
	.run = run,
	.print = print,
};
