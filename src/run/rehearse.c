/*
 * rehearse.c: every certificate and CRL (and the first OCSP response of
 * each ocsp-response step) of the script built, signed by a throwaway key
 * and linted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/rand.h>

#include "run/rehearse.h"
#include "run/steplint.h"
#include "steps/step.h"
#include "x509/certtext.h"
#include "x509/sign.h"

struct rehearsal {
	const struct cer_script *script;
	const struct cer_plan *plan;
	EVP_PKEY **keys;	/* per step: the key a key step (or a root) makes */
	X509 **certs;		/* per step: its certificate, signed by a throwaway key */
	json_t *records;
};

static int
planned_key(const struct cer_key_spec *k, EVP_PKEY **out)
{
	const struct cer_curve_info *c = cer_alg_curve(k->curve);

	if (k->type == CER_KEY_RSA)
		*out = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)k->rsa_bits);
	else if (k->type == CER_KEY_EC)
		*out = c != NULL ? EVP_PKEY_Q_keygen(NULL, NULL, "EC", c->group) : NULL;
	else
		*out = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	return *out != NULL ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot make a throwaway key");
}

/* ---- the rehearsal's source ---- */

/* A planned key, or (for a step that finds its key on a token) the key its file brings. */
static int
rehearsal_key(void *arg, size_t k, EVP_PKEY **out)
{
	struct rehearsal *h = arg;

	*out = h->keys[k] != NULL ? h->keys[k] : h->plan->steps[k].subject_pub;
	if (*out == NULL)
		return cer_fail(CER_ERR_INTERNAL, "step %s has no key in the rehearsal",
		    h->script->steps[k].id);
	EVP_PKEY_up_ref(*out);
	return CER_OK;
}

static X509 *
rehearsal_cert(void *arg, size_t k)
{
	struct rehearsal *h = arg;

	return h->certs[k];
}

/* The serial the step pins, or one of the shape the HSM's would have. */
static int
rehearsal_serial(void *arg, size_t i, unsigned char buf[static 20], size_t *len)
{
	const struct cer_cert_profile *p = &((struct rehearsal *)arg)->script->steps[i].profile;

	if (p->serial_len > 0) {
		memcpy(buf, p->serial, p->serial_len);
		*len = p->serial_len;
		return CER_OK;
	}
	buf[0] = 0x01;
	if (RAND_bytes(buf + 1, 16) != 1)
		memset(buf + 1, 0x5a, 16);
	*len = 17;
	return CER_OK;
}

/* The refusal with the step's place in the script in front. */
static int
at_profile(const struct cer_script *s, const struct cer_step *st, int r)
{
	return cer_fail_prefix(r == CER_ERR_VERIFY ? CER_ERR_SCRIPT : r, "%s:%u:%u", s->path,
	    st->profile.pos.line, st->profile.pos.col);
}

/* An OCSP response signed by a throwaway key at the signing time, linted. */
static int
lint_ocsp(struct rehearsal *h, const struct cer_step *st, size_t i, struct cer_tbs *tbs,
    time_t at, json_t **rec)
{
	unsigned char tbs_sha256[32];
	OCSP_RESPONSE *resp = NULL;
	int r;

	if ((r = cer_sign_ocsp_throwaway(tbs->ocsp, h->plan->steps[i].alg, tbs_sha256)) != CER_OK)
		return r;
	if ((resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, tbs->ocsp->bs)) == NULL)
		return cer_fail(CER_ERR_OPENSSL, "cannot make an OCSP response");
	r = cer_steplint_ocsp(resp, tbs->issuer, h->script, st, at, "plan", rec);
	OCSP_RESPONSE_free(resp);
	return r;
}

/* A CRL signed where it is (it may be long) by a throwaway key, linted; it names no key a later step needs. */
static int
lint_crl(struct rehearsal *h, const struct cer_step *st, size_t i, struct cer_tbs *tbs,
    time_t at, json_t **rec)
{
	int r;

	if ((r = cer_sign_throwaway_crl(tbs->crl, h->plan->steps[i].alg)) != CER_OK)
		return r;
	return cer_steplint_crl(tbs->crl, tbs->issuer, tbs->crl_subscribers, tbs->crl_spec,
	    h->script, st, at, "plan", rec);
}

/* The rehearsed certificate's extensions, as text, in its plan-stage lint record. */
static int
add_contents(json_t *rec, X509 *cert)
{
	json_t *lines = NULL;
	int r;

	if (cert == NULL)
		return CER_OK;
	if ((r = cer_certtext_extensions(cert, &lines)) != CER_OK)
		return r;
	return json_object_set_new(rec, "contents", lines) == 0 ? CER_OK :
	    cer_fail(CER_ERR_ALLOC, "out of memory");
}

static int
rehearse_step(struct rehearsal *h, const struct cer_source *src, size_t i, time_t at)
{
	const struct cer_step *st = &h->script->steps[i];
	const struct cer_step_impl *impl = cer_step_impl(st->type);
	struct cer_tbs tbs = { 0 };
	json_t *rec = NULL;
	int r = CER_OK, cr;

	if (st->key.present && st->signing_key == CER_NO_INDEX &&
	    (r = planned_key(&st->key, &h->keys[i])) != CER_OK)
		return r;
	if (impl == NULL || impl->build_tbs == NULL || impl->lint_profile == NULL ||
	    h->plan->steps[i].unplanned)
		return CER_OK;
	if ((r = impl->build_tbs(src, i, &tbs)) != CER_OK)
		goto out;
	if (tbs.ocsp != NULL)
		r = lint_ocsp(h, st, i, &tbs, at, &rec);
	else if (tbs.crl != NULL)
		r = lint_crl(h, st, i, &tbs, at, &rec);
	else if ((r = cer_sign_throwaway(tbs.cert, h->plan->steps[i].alg, &h->certs[i])) ==
	    CER_OK)
		r = cer_steplint_cert(h->certs[i], tbs.issuer, h->script, st,
		    impl->lint_profile(st), at, "plan", &rec);
	/* what the certificate will carry, for the plan a reviewer signs off */
	if (rec != NULL && tbs.cert != NULL && (cr = add_contents(rec, h->certs[i])) != CER_OK &&
	    r == CER_OK)
		r = cr;
	if (rec != NULL && json_array_append(h->records, rec) != 0)
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
	if (r != CER_OK)
		r = at_profile(h->script, st, r);
 out:
	json_decref(rec);
	cer_tbs_clear(&tbs);
	return r;
}

int
cer_rehearse(const struct cer_script *s, const struct cer_plan *plan, time_t at,
    json_t **records)
{
	struct rehearsal h = { s, plan, NULL, NULL, NULL };
	struct cer_source src = { s, plan, rehearsal_key, rehearsal_cert, rehearsal_serial,
	    &h, at };
	size_t i;
	int r = CER_ERR_INTERNAL;

	*records = NULL;
	if ((h.keys = calloc(s->nsteps + 1, sizeof(*h.keys))) == NULL ||
	    (h.certs = calloc(s->nsteps + 1, sizeof(*h.certs))) == NULL ||
	    (h.records = json_array()) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	for (i = 0; i < s->nsteps; i++)
		if ((r = rehearse_step(&h, &src, i, at)) != CER_OK)
			goto out;
	*records = h.records;
	h.records = NULL; /* transferred */
	r = CER_OK;
 out:
	for (i = 0; i < s->nsteps; i++) {
		EVP_PKEY_free(h.keys != NULL ? h.keys[i] : NULL);
		X509_free(h.certs != NULL ? h.certs[i] : NULL);
	}
	free(h.keys);
	free(h.certs);
	json_decref(h.records);
	return r;
}
