/*
 * step-ocsp-response.c: the ocsp-response step type: pre-signed OCSP
 * responses (RFC 6960, RFC 5019; BR 4.9.9, 7.3), one per certificate the
 * issuer issued, signed with the issuer's key or by its delegated
 * responder (BR 7.1.2.8).  Boulder's historical fields (cmd/ceremony
 * ocsp.go and main.go before ea200c2: inputs certificate-path,
 * issuer-certificate-path, delegated-issuer-certificate-path; outputs
 * response-path; ocsp-profile this-update, next-update, status) and more:
 * the revocation date and reason, the DER form, many certificates in one
 * step (a list or a directory, written into directories), the CertID hash.
 * This file reads the script; step-ocsp-plan.c and step-ocsp-run.c do
 * the rest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/br.h"
#include "base/util.h"
#include "script/certprofile.h"
#include "script/fields.h"
#include "script/tokenspec.h"
#include "steps/step-ocsp.h"
#include "x509/crl.h"

#define MASK(t) (1u << (t))

static const char *const input_keys[] = { "certificate-path", "certificate-dir",
    "issuer-certificate-path", "delegated-issuer-certificate-path", NULL };
static const char *const output_keys[] = { "response-path", "response-der-path",
    "response-dir", "response-der-dir", "manifest-path", NULL };
static const char *const profile_keys[] = { "this-update", "next-update", "status",
    "revocation-date", "revocation-reason", "cert-id-hash", "signature-algorithm", NULL };
static const char *const statuses[] = { "", "good", "revoked", NULL };
static const char *const hashes[] = { "", "sha1", "sha256", NULL };

/* The manifest of a batch when outputs names none: SHA256SUMS in its directory. */
#define MANIFEST_NAME "SHA256SUMS"

const struct cer_ocsp_step *
cer_step_ocsp_of(const struct cer_step *st)
{
	return st->own;
}

static void
own_free(void *p)
{
	struct cer_ocsp_step *o = p;
	size_t i;

	if (o == NULL)
		return;
	free(o->in_signer);
	free(o->certs);
	free(o->certs_pos);
	for (i = 0; i < o->cert_paths.n; i++)
		free(o->cert_paths.v[i]);
	free(o->cert_paths.v);
	free(o->cert_paths.pos);
	free(o->cert_dir);
	free(o->dir);
	free(o->der_dir);
	free(o);
}

/* A scalar or a list of scalars: the nodes (one: room for a scalar), and how many. */
static int
one_or_list(const struct cer_parse *c, const struct cer_yaml_node *v, const char *key,
    const struct cer_yaml_node **one, const struct cer_yaml_node *const **items, size_t *n)
{
	if (v->kind == CER_YAML_SEQ) {
		if (v->nkids == 0)
			return cer_yaml_fail(&c->y, v->pos, "'%s' is an empty list; name at least "
			    "one, or remove it", key);
		*items = (const struct cer_yaml_node *const *)v->kids;
		*n = v->nkids;
		return CER_OK;
	}
	*one = v;
	*items = one;
	*n = 1;
	return cer_yaml_check_text(&c->y, v, key);
}

/* certificate: an earlier intermediate or cross-certificate step, or a list of them. */
static int
cert_steps(const struct cer_parse *c, const struct cer_yaml_node *v, size_t idx,
    struct cer_ocsp_step *o)
{
	const struct cer_step *st = &c->s->steps[idx], *ref;
	const struct cer_yaml_node *const *items, *one;
	size_t n, j, k;
	int r;

	if ((r = one_or_list(c, v, "certificate", &one, &items, &n)) != CER_OK)
		return r;
	if ((o->certs = calloc(n, sizeof(*o->certs))) == NULL ||
	    (o->certs_pos = calloc(n, sizeof(*o->certs_pos))) == NULL)
		return cer_yaml_nomem();
	for (j = 0; j < n; j++) {
		if ((r = cer_fields_step_ref(c, items[j], idx, "certificate",
		    MASK(CER_STEP_INTERMEDIATE) | MASK(CER_STEP_CROSS_CERTIFICATE),
		    "an intermediate or cross-certificate step", &o->certs[j],
		    &o->certs_pos[j])) != CER_OK)
			return r;
		o->ncerts++;
		for (k = 0; k < j; k++)
			if (o->certs[k] == o->certs[j])
				return cer_yaml_fail(&c->y, items[j]->pos, "step '%s' is named twice; "
				    "one response each", c->s->steps[o->certs[j]].id);
		ref = &c->s->steps[o->certs[j]];
		if (st->issuer != CER_NO_INDEX && ref->issuer != st->issuer)
			return cer_yaml_fail(&c->y, items[j]->pos, "step '%s' is issued by %s%s, "
			    "not by this step's issuer '%s'; an OCSP response is signed for the "
			    "issuer's own certificates only", ref->id, ref->issuer != CER_NO_INDEX ?
			    "step " : "", ref->issuer != CER_NO_INDEX ? c->s->steps[ref->issuer].id :
			    ref->in_issuer_cert, c->s->steps[st->issuer].id);
	}
	return CER_OK;
}

/* issuer:, signer:, certificate: (native scripts). */
static int
refs(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx,
    struct cer_ocsp_step *o)
{
	struct cer_step *st = &c->s->steps[idx];
	const struct cer_yaml_node *v;
	int r;

	if ((v = cer_yaml_val(m, "issuer")) != NULL && (r = cer_fields_step_ref(c, v, idx,
	    "issuer", MASK(CER_STEP_ROOT) | MASK(CER_STEP_INTERMEDIATE),
	    "a root or intermediate step", &st->issuer, &st->issuer_pos)) != CER_OK)
		return r;
	if ((v = cer_yaml_val(m, "signer")) != NULL && (r = cer_fields_step_ref(c, v, idx,
	    "signer", MASK(CER_STEP_OCSP_SIGNER), "an ocsp-signer step (a delegated responder)",
	    &o->signer, &o->signer_pos)) != CER_OK)
		return r;
	if ((v = cer_yaml_val(m, "certificate")) != NULL && (r = cert_steps(c, v, idx,
	    o)) != CER_OK)
		return r;
	return CER_OK;
}

/* inputs.certificate-path: one file (Boulder) or a list of files. */
static int
cert_paths(const struct cer_parse *c, const struct cer_yaml_node *v, struct cer_ocsp_step *o)
{
	const struct cer_yaml_node *const *items, *one;
	struct cer_strlist *l = &o->cert_paths;
	size_t n, j;
	int r;

	if ((r = one_or_list(c, v, "certificate-path", &one, &items, &n)) != CER_OK)
		return r;
	if ((l->v = calloc(n, sizeof(*l->v))) == NULL ||
	    (l->pos = calloc(n, sizeof(*l->pos))) == NULL)
		return cer_yaml_nomem();
	for (j = 0; j < n; j++) {
		if ((r = cer_yaml_want_text(&c->y, items[j], "certificate-path",
		    &l->v[j])) != CER_OK)
			return r;
		l->pos[l->n++] = items[j]->pos;
	}
	return CER_OK;
}

static int
inputs(const struct cer_parse *c, const struct cer_yaml_node *m, struct cer_step *st,
    struct cer_ocsp_step *o)
{
	const struct cer_yaml_node *v = cer_yaml_val(m, "inputs"), *cp;
	int r;

	if (v == NULL)
		return CER_OK;
	if ((r = cer_yaml_check_map(&c->y, v, "'inputs'", input_keys, NULL)) != CER_OK ||
	    ((cp = cer_yaml_val(v, "certificate-path")) != NULL &&
	    (r = cert_paths(c, cp, o)) != CER_OK) ||
	    (r = cer_yaml_opt_text(&c->y, v, "certificate-dir", &o->cert_dir,
	    &o->cert_dir_pos)) != CER_OK ||
	    (r = cer_yaml_opt_text(&c->y, v, "issuer-certificate-path", &st->in_issuer_cert,
	    &st->in_issuer_cert_pos)) != CER_OK)
		return r;
	return cer_yaml_opt_text(&c->y, v, "delegated-issuer-certificate-path", &o->in_signer,
	    &o->in_signer_pos);
}

/* One issuer, at most one delegated responder, at least one certificate. */
static int
sources(const struct cer_parse *c, const struct cer_yaml_node *m, const struct cer_step *st,
    const struct cer_ocsp_step *o)
{
	const struct cer_step *sg;
	int r;

	if ((r = cer_step_one_of(c, m, st, "issuer", "issuer-certificate-path",
	    st->in_issuer_cert, st->in_issuer_cert_pos)) != CER_OK)
		return r;
	if (o->signer != CER_NO_INDEX && o->in_signer != NULL)
		return cer_yaml_fail(&c->y, o->in_signer_pos, "'signer' and "
		    "inputs.delegated-issuer-certificate-path both name the delegated responder; "
		    "give only one");
	if (o->in_signer != NULL && st->issuer != CER_NO_INDEX)
		return cer_yaml_fail(&c->y, o->in_signer_pos, "a delegated responder from a file "
		    "was issued before this ceremony, so its issuer is a file too: give "
		    "inputs.issuer-certificate-path instead of 'issuer'");
	if (o->signer != CER_NO_INDEX) {
		sg = &c->s->steps[o->signer];
		if ((sg->issuer == CER_NO_INDEX) != (st->issuer == CER_NO_INDEX) ||
		    (sg->issuer != CER_NO_INDEX && sg->issuer != st->issuer))
			return cer_yaml_fail(&c->y, o->signer_pos, "the responder of step '%s' is "
			    "issued by %s, not by this step's issuer; a delegated responder "
			    "is issued by the CA whose certificates it speaks for (RFC 6960 "
			    "4.2.2.2)", sg->id, sg->issuer != CER_NO_INDEX ?
			    c->s->steps[sg->issuer].id : sg->in_issuer_cert);
	}
	if (o->ncerts == 0 && o->cert_paths.n == 0 && o->cert_dir == NULL)
		return cer_yaml_fail(&c->y, m->pos, "this ocsp-response step names no certificate: "
		    "add 'certificate' (earlier steps), inputs.certificate-path (files) or "
		    "inputs.certificate-dir (a directory of certificates)");
	return CER_OK;
}

/*
 * The key that signs: that of the step whose certificate signs (the
 * responder's, or the issuer's), else found by token + label and the
 * signing certificate's key (Boulder's way).
 */
static int
signing_key(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx,
    const struct cer_ocsp_step *o)
{
	static const char *const banned[] = { "token", "pkcs11", "label", NULL };
	struct cer_step *st = &c->s->steps[idx];
	size_t from = o->signer != CER_NO_INDEX ? o->signer : o->in_signer != NULL ?
	    CER_NO_INDEX : st->issuer, key;
	const char *const *b;
	const struct cer_step *ks;

	if (from == CER_NO_INDEX)
		return cer_tokenspec_step(c, m, idx, 1);
	for (b = banned; *b != NULL; b++)
		if (cer_yaml_key(m, *b) != NULL)
			return cer_yaml_fail(&c->y, cer_yaml_key(m, *b)->pos, "'%s' is not used "
			    "when %s names the certificate whose key signs; remove it", *b,
			    o->signer != CER_NO_INDEX ? "signer" : "issuer");
	if ((key = cer_script_cert_key_step(c->s, from)) == CER_NO_INDEX)
		return cer_yaml_fail(&c->y, o->signer != CER_NO_INDEX ? o->signer_pos :
		    st->issuer_pos, "the key of step '%s' came from a file, so this script does "
		    "not know its token; sign in a later ceremony, with the certificate as an "
		    "input file and token and label", c->s->steps[from].id);
	ks = &c->s->steps[key];
	st->signing_key = key;
	st->token = ks->token;
	st->token_pos = ks->token_pos;
	st->label_pos = ks->label_pos;
	return (st->label = strdup(ks->label)) == NULL ? cer_yaml_nomem() : CER_OK;
}

/* How many certificates the script names (a directory: many). */
static size_t
named(const struct cer_ocsp_step *o)
{
	return o->cert_dir != NULL ? 2 : o->ncerts + o->cert_paths.n;
}

/* dir + "/SHA256SUMS", the manifest a batch writes when outputs names none. */
static int
default_manifest(const struct cer_parse *c, struct cer_step *st, const char *dir,
    struct cer_pos pos)
{
	struct cer_output *out;
	size_t n = strlen(dir);
	char *path;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (asprintf(&path, "%.*s/%s", (int)n, dir, MANIFEST_NAME) < 0)
		return cer_yaml_nomem();
	if (st->noutputs == CER_STEP_MAX_OUTPUTS) {
		free(path);
		return cer_yaml_fail(&c->y, pos, "too many outputs");
	}
	out = &st->outputs[st->noutputs++];
	out->key = "manifest-path";
	out->path = path;
	out->pos = pos;
	return CER_OK;
}

/* Files for one certificate (Boulder's response-path), or directories for many. */
static int
outputs(const struct cer_parse *c, const struct cer_yaml_node *m, struct cer_step *st,
    struct cer_ocsp_step *o)
{
	const struct cer_yaml_node *v = cer_yaml_val(m, "outputs"), *file, *dir, *man;
	int r;

	if (v == NULL)
		return cer_yaml_missing(&c->y, m, "this step", "outputs");
	if ((r = cer_yaml_check_map(&c->y, v, "'outputs'", output_keys, NULL)) != CER_OK)
		return r;
	file = cer_yaml_key(v, "response-path") != NULL ? cer_yaml_key(v, "response-path") :
	    cer_yaml_key(v, "response-der-path");
	dir = cer_yaml_key(v, "response-dir") != NULL ? cer_yaml_key(v, "response-dir") :
	    cer_yaml_key(v, "response-der-dir");
	man = cer_yaml_key(v, "manifest-path");
	if (file == NULL && dir == NULL)
		return cer_yaml_fail(&c->y, v->pos, "'outputs' needs response-path (Boulder's "
		    "base64 line) or response-der-path for one certificate, or response-dir or "
		    "response-der-dir for many; add one");
	if (file != NULL && dir != NULL)
		return cer_yaml_fail(&c->y, dir->pos, "give files (response-path, "
		    "response-der-path) for one certificate or directories for many, not both");
	if (file != NULL && named(o) != 1)
		return cer_yaml_fail(&c->y, file->pos, "'%s' is one file, for one certificate, "
		    "and this step names %s; write response-dir (base64) and/or response-der-dir "
		    "(DER) instead: one response per certificate, named by its serial", file->str,
		    o->cert_dir != NULL ? "a directory of them" : "several");
	if (file != NULL && man != NULL)
		return cer_yaml_fail(&c->y, man->pos, "manifest-path lists the files of a batch "
		    "written into directories; remove it");
	if (file != NULL)
		return (r = cer_fields_output(c, v, "response-path", st)) != CER_OK ? r :
		    cer_fields_output(c, v, "response-der-path", st);
	if ((r = cer_yaml_opt_text(&c->y, v, "response-dir", &o->dir, &o->dir_pos)) != CER_OK ||
	    (r = cer_yaml_opt_text(&c->y, v, "response-der-dir", &o->der_dir,
	    &o->der_dir_pos)) != CER_OK)
		return r;
	if (man != NULL)
		return cer_fields_output(c, v, "manifest-path", st);
	return o->dir != NULL ? default_manifest(c, st, o->dir, o->dir_pos) :
	    default_manifest(c, st, o->der_dir, o->der_dir_pos);
}

/* revocation-reason: an RFC 5280 name BR 7.2.2 allows for a revoked certificate. */
static int
reason(const struct cer_parse *c, const struct cer_yaml_node *v, struct cer_ocsp_step *o)
{
	int code, r;

	o->reason_pos = v->pos;
	if ((r = cer_yaml_check_text(&c->y, v, "revocation-reason")) != CER_OK)
		return r;
	code = cer_crl_reason_parse(v->str);
	if (code == 6)
		return cer_yaml_fail(&c->y, v->pos, "certificateHold is forbidden (BR 7.2.2: not "
		    "for a certificate subject to the Baseline Requirements, nor for any issued "
		    "since 2020-09-30), and a certificate on hold is not revoked; use one of %s",
		    cer_ocsp_allowed_reasons());
	if (code == 0)
		return cer_yaml_fail(&c->y, v->pos, "unspecified is never written (BR 7.2.2 "
		    "expresses it by leaving the reason out) and BR 7.3 requires a reason for "
		    "a CA certificate; use one of %s", cer_ocsp_allowed_reasons());
	if (code < 0 || !cer_br_is_allowed_reason(code))
		return cer_yaml_fail(&c->y, v->pos, "'%s' is not a revocation reason BR 7.2.2 "
		    "allows (RFC 5280 names, as written there); use one of %s", v->str,
		    cer_ocsp_allowed_reasons());
	o->p.reason = code;
	return CER_OK;
}

/* status good or revoked, with the revocation's date and reason when revoked. */
static int
status(const struct cer_parse *c, const struct cer_yaml_node *pv, struct cer_ocsp_step *o)
{
	const struct cer_yaml_node *v = cer_yaml_val(pv, "status");
	const struct cer_yaml_node *rd = cer_yaml_val(pv, "revocation-date");
	const struct cer_yaml_node *rr = cer_yaml_val(pv, "revocation-reason");
	unsigned u;
	int r;

	o->status_pos = v->pos;
	if ((r = cer_yaml_want_enum(&c->y, v, "status", statuses, &u)) != CER_OK)
		return r;
	o->p.revoked = u == 2;
	if (!o->p.revoked && (rd != NULL || rr != NULL))
		return cer_yaml_fail(&c->y, cer_yaml_key(pv, rd != NULL ? "revocation-date" :
		    "revocation-reason")->pos, "a good status has no revocation; remove it, or "
		    "write status: revoked");
	if (!o->p.revoked)
		return CER_OK;
	if (rd == NULL || rr == NULL)
		return cer_yaml_fail(&c->y, v->pos, "status revoked needs revocation-date and "
		    "revocation-reason (BR 7.3: a revoked CA certificate's response carries its "
		    "reason; Boulder wrote year 1 and no reason); add %s", rd == NULL ?
		    "revocation-date" : "revocation-reason");
	o->revocation_date_pos = rd->pos;
	if ((r = cer_certprofile_time(&c->y, rd, "revocation-date",
	    &o->p.revocation_time)) != CER_OK || (r = reason(c, rr, o)) != CER_OK)
		return r;
	if (o->p.revocation_time > o->p.this_update)
		return cer_yaml_fail(&c->y, rd->pos, "the revocation date is after this-update: "
		    "a response cannot report a revocation that has not happened; move it to "
		    "this-update or earlier");
	return CER_OK;
}

/*
 * this-update and next-update: in order, and at most 12 months apart (BR
 * 4.9.9, a response about a CA certificate); a subscriber certificate's
 * tighter window (8 hours to 10 days) is checked when the plan reads it.
 */
static int
window(const struct cer_parse *c, const struct cer_yaml_node *pv, struct cer_ocsp_step *o)
{
	const struct cer_yaml_node *tu = cer_yaml_val(pv, "this-update");
	const struct cer_yaml_node *nu = cer_yaml_val(pv, "next-update");
	char when[21];
	int r;

	o->this_update_pos = tu->pos;
	o->next_update_pos = nu->pos;
	if ((r = cer_certprofile_time(&c->y, tu, "this-update", &o->p.this_update)) != CER_OK ||
	    (r = cer_certprofile_time(&c->y, nu, "next-update", &o->p.next_update)) != CER_OK)
		return r;
	if (o->p.next_update <= o->p.this_update)
		return cer_yaml_fail(&c->y, nu->pos, "next-update must be after this-update");
	if (o->p.next_update > cer_time_plus_months(o->p.this_update, CER_BR_CRL_CA_MAX_MONTHS)) {
		cer_time_str(cer_time_plus_months(o->p.this_update, CER_BR_CRL_CA_MAX_MONTHS), when);
		return cer_yaml_fail(&c->y, nu->pos, "next-update is more than 12 months after "
		    "this-update; BR 4.9.9 wants a response about a CA certificate renewed at "
		    "least every twelve months (and one about a subscriber certificate valid "
		    "10 days at most): move next-update to %s or earlier", when);
	}
	return CER_OK;
}

static int
profile(const struct cer_parse *c, const struct cer_yaml_node *m, struct cer_step *st,
    struct cer_ocsp_step *o)
{
	static const char *const required[] = { "this-update", "next-update", "status", NULL };
	const struct cer_yaml_node *pv = cer_yaml_val(m, "ocsp-profile"), *v;
	const char *const *k;
	unsigned u;
	int r;

	if (pv == NULL)
		return cer_yaml_missing(&c->y, m, "this step", "ocsp-profile");
	if ((r = cer_yaml_check_map(&c->y, pv, "the ocsp-profile", profile_keys, NULL)) != CER_OK)
		return r;
	for (k = required; *k != NULL; k++)
		if (cer_yaml_val(pv, *k) == NULL)
			return cer_yaml_missing(&c->y, pv, "the ocsp-profile", *k);
	o->profile_pos = st->profile.pos = pv->pos;
	st->profile.present = 1;
	if ((r = window(c, pv, o)) != CER_OK || (r = status(c, pv, o)) != CER_OK)
		return r;
	if ((v = cer_yaml_val(pv, "cert-id-hash")) != NULL) {
		if ((r = cer_yaml_want_enum(&c->y, v, "cert-id-hash", hashes, &u)) != CER_OK)
			return r;
		o->p.sha256_certid = u == 2;
	}
	if ((v = cer_yaml_val(pv, "signature-algorithm")) != NULL) {
		o->sigalg_pos = st->profile.sigalg_pos = v->pos;
		if ((r = cer_yaml_want_enum(&c->y, v, "signature-algorithm",
		    cer_alg_sigalg_names(), &u)) != CER_OK)
			return r;
		o->sigalg = (enum cer_sigalg)u;
		if (o->sigalg == CER_SIG_ED25519 && (r = cer_fields_ed25519(c, v->pos)) != CER_OK)
			return r;
	}
	return CER_OK;
}

/* Boulder's openSigner: the key step's algorithm fits now; a file's key is the plan's. */
static int
key_step_sigalg(const struct cer_parse *c, struct cer_step *st, struct cer_ocsp_step *o)
{
	const struct cer_key_spec *k;

	if (st->signing_key == CER_NO_INDEX)
		return CER_OK;
	k = &c->s->steps[st->signing_key].key;
	st->profile.sigalg = o->sigalg != CER_SIG_NONE ? o->sigalg :
	    cer_sigalg_default(k->type, k->curve);
	if (!cer_sigalg_fits(st->profile.sigalg, k->type, k->curve))
		return cer_yaml_fail(&c->y, o->sigalg_pos, "signature-algorithm %s does not fit "
		    "the signing key (%s); use %s", cer_sigalg_name(st->profile.sigalg),
		    c->s->steps[st->signing_key].id, cer_sigalg_name(cer_sigalg_default(k->type,
		    k->curve)));
	return CER_OK;
}

static int
parse(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx)
{
	struct cer_step *st = &c->s->steps[idx];
	const struct cer_yaml_node *sl = cer_yaml_val(m, "skip-lints");
	struct cer_ocsp_step *o;
	int r;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return cer_yaml_nomem();
	o->signer = CER_NO_INDEX;
	o->p.reason = -1;
	st->own = o;
	st->own_free = own_free;
	if ((r = refs(c, m, idx, o)) != CER_OK || (r = inputs(c, m, st, o)) != CER_OK ||
	    (r = sources(c, m, st, o)) != CER_OK || (r = signing_key(c, m, idx, o)) != CER_OK ||
	    (r = outputs(c, m, st, o)) != CER_OK || (r = profile(c, m, st, o)) != CER_OK ||
	    (r = key_step_sigalg(c, st, o)) != CER_OK)
		return r;
	return sl == NULL ? CER_OK : cer_fields_skip_lints(c, sl, st);
}

static enum cer_lint_profile
lint_profile(const struct cer_step *st)
{
	(void)st;
	return CER_LINT_OCSP_RESPONSE;
}

/* The first response, for the rehearsal (which lints it for all: only the CertID differs). */
static int
build_tbs(const struct cer_source *src, size_t i, struct cer_tbs *out)
{
	struct cer_ocsp_about about;

	return cer_step_ocsp_build(src, i, 0, out, &about);
}

static void
print(const struct cer_script *s, const struct cer_plan *plan, size_t i)
{
	const struct cer_step *st = &s->steps[i];
	const struct cer_ocsp_step *o = cer_step_ocsp_of(st);
	/* unplanned (ceremony check without the input files): the files are not counted yet */
	size_t n = cer_step_ocsp_count(st, &plan->steps[i]) + (plan->steps[i].unplanned ?
	    o->cert_paths.n : 0);
	char tu[21], nu[21], rd[21];

	cer_time_str(o->p.this_update, tu);
	cer_time_str(o->p.next_update, nu);
	cer_time_str(o->p.revocation_time, rd);
	if (plan->steps[i].unplanned && o->cert_dir != NULL)
		printf(" sign one OCSP response per certificate in %s", o->cert_dir);
	else
		printf(" sign %zu OCSP response%s", n, n == 1 ? "" : "s");
	if (o->p.revoked)
		printf(" (revoked at %s, %s)", rd, cer_crl_reason_name(o->p.reason));
	else
		printf(" (good)");
	printf(" about certificates issued by %s%s, valid %s to %s, signed by ",
	    st->issuer != CER_NO_INDEX ? "step " : "", st->issuer != CER_NO_INDEX ?
	    s->steps[st->issuer].id : st->in_issuer_cert, tu, nu);
	if (o->signer != CER_NO_INDEX)
		printf("the delegated responder of step %s", s->steps[o->signer].id);
	else if (o->in_signer != NULL)
		printf("the delegated responder in %s", o->in_signer);
	else
		printf("the issuer");
	printf(" with key '%s' on token %s using %s, CertID %s", st->label,
	    s->tokens[st->token].name, plan->steps[i].alg != CER_SIG_NONE ?
	    cer_sigalg_name(plan->steps[i].alg) : "the key's algorithm",
	    o->p.sha256_certid ? "SHA-256" : "SHA-1");
	if (o->dir != NULL)
		printf("\n    writes one response per certificate into %s (base64, "
		    "<serial>.b64)", o->dir);
	if (o->der_dir != NULL)
		printf("\n    writes one response per certificate into %s (DER, <serial>.der)",
		    o->der_dir);
}

static const struct cer_step_key keys[] = {
	{ "token", 1 }, { "pkcs11", 0 }, { "label", 1 }, { "issuer", 1 }, { "signer", 1 },
	{ "certificate", 1 }, { "inputs", 0 }, { "outputs", 0 }, { "ocsp-profile", 0 },
	{ "skip-lints", 0 }, { NULL, 0 },
};

const struct cer_step_impl cer_step_ocsp_response_impl = {
	.type = CER_STEP_OCSP_RESPONSE,
	.does = "sign OCSP responses about certificates the issuer issued, with the issuer's "
	    "key or its delegated responder's",
	.flags = CER_STEP_SIGNS,
	.keys = keys,
	.parse = parse,
	.lint_profile = lint_profile,
	.plan = cer_step_ocsp_plan,
	.build_tbs = build_tbs,
	.run = cer_step_ocsp_run,
	.print = print,
};
