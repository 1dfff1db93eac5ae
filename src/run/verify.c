/*
 * verify.c: `ceremony verify`: every artefact the script makes, built again
 * from its existing files and compared with them, without any HSM.
 *
 * The third source of build_tbs (after the rehearsal's throwaway keys and
 * the run's HSM): keys as the transcript's key-generated records or the
 * public-key outputs hold them, certificates from the output files,
 * serials as the transcript recorded them or the script pins them.  What
 * build_tbs makes gets the scheme's AlgorithmIdentifiers (a throwaway
 * signature: they depend on the scheme only), and its TBS must equal the
 * file's byte for byte.  Each kind of artefact is one row of a table: a
 * CRL step fills cer_tbs's CRL member, and its row reads crl-path, takes
 * the TBSCertList span and verifies with the issuer's key in the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "base/der.h"
#include "base/util.h"
#include "record/tscheck.h"
#include "run/validate.h"
#include "run/verify.h"
#include "script/certprofile.h"
#include "script/script.h"
#include "steps/step.h"
#include "x509/certdiff.h"
#include "x509/crl.h"
#include "x509/profile.h"
#include "x509/sign.h"

#define ARTEFACT_MAX (1024 * 1024)

struct verifier {
	struct cer_script *s;
	struct cer_plan *plan;
	struct cer_tscheck *t;		/* the run's transcript, or NULL */
	X509 **certs;			/* per step: the certificate in its output file */
	EVP_PKEY **keys;		/* per step: the key it made, as recorded or written */
	EVP_PKEY *file_key;		/* the key in the file being checked */
	const char *file_serial_note;	/* set when its serial came from the file */
	size_t borrowed;		/* the step whose key the file's stood in for, or none */
	size_t artefacts, differ, problems, unchecked;
};

/* ---- what the transcript recorded ---- */

/* The data of the last record of this event for this step, or NULL. */
static json_t *
recorded(const struct verifier *v, const char *event, const char *step)
{
	json_t *rec, *data, *found = NULL;
	size_t i;

	for (i = 0; v->t != NULL && i < cer_tscheck_count(v->t); i++) {
		rec = cer_tscheck_record(v->t, i);
		data = json_object_get(rec, "data");
		if (strcmp(json_string_value(json_object_get(rec, "event")), event) == 0 &&
		    json_is_string(json_object_get(data, "step")) &&
		    strcmp(json_string_value(json_object_get(data, "step")), step) == 0)
			found = data;
	}
	return found;
}

static EVP_PKEY *
pem_key(const char *pem)
{
	BIO *b = pem != NULL ? BIO_new_mem_buf(pem, -1) : NULL;
	EVP_PKEY *k = b != NULL ? PEM_read_bio_PUBKEY(b, NULL, NULL, NULL) : NULL;

	BIO_free(b);
	ERR_clear_error();
	return k;
}

/* ---- the source build_tbs reads ---- */

static int
verify_key(void *arg, size_t k, EVP_PKEY **out)
{
	struct verifier *v = arg;

	*out = v->keys[k] != NULL ? v->keys[k] : v->plan->steps[k].subject_pub;
	if (*out == NULL) {
		/* neither transcript nor public-key output here: the file's own key */
		*out = v->file_key;
		v->borrowed = k;
	}
	if (*out == NULL)
		return cer_fail(CER_ERR_INTERNAL, "step %s has no key", v->s->steps[k].id);
	EVP_PKEY_up_ref(*out);
	return CER_OK;
}

static X509 *
verify_cert(void *arg, size_t k)
{
	return ((struct verifier *)arg)->certs[k];
}

static int
integer_octets(const ASN1_INTEGER *a, unsigned char buf[static 20], size_t *len)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(a, NULL);
	int n = bn != NULL && !BN_is_negative(bn) ? BN_num_bytes(bn) : -1;

	if (n > 0 && n <= 20)
		BN_bn2bin(bn, buf);
	BN_free(bn);
	if (n <= 0 || n > 20)
		return cer_fail(CER_ERR_INPUT, "the serial of the file is not a positive integer "
		    "of at most 20 octets, and neither a transcript nor the script gives one");
	*len = (size_t)n;
	return CER_OK;
}

/* The serial the transcript recorded, else the script's pin, else the file's (noted). */
static int
verify_serial(void *arg, size_t i, unsigned char buf[static 20], size_t *len)
{
	struct verifier *v = arg;
	const struct cer_step *st = &v->s->steps[i];
	json_t *rec = recorded(v, "certificate-signed", st->id);
	const char *hex = json_string_value(json_object_get(json_object_get(rec, "certificate"),
	    "serial"));

	if (hex != NULL && (*len = cer_certprofile_octets(hex, buf, 20)) > 0 && *len <= 20)
		return CER_OK;
	if (st->profile.serial_len > 0) {
		memcpy(buf, st->profile.serial, st->profile.serial_len);
		*len = st->profile.serial_len;
		return CER_OK;
	}
	if (v->certs[i] == NULL)
		return cer_fail(CER_ERR_INTERNAL, "step %s has no certificate", st->id);
	v->file_serial_note = "the serial is random in the script and no transcript records it: "
	    "the file's serial is used";
	return integer_octets(X509_get0_serialNumber(v->certs[i]), buf, len);
}

/* ---- reading the files ---- */

/* A PEM (the first block labelled one of labels, text around it allowed) or DER file's DER bytes. */
static int
read_der(const char *path, const char *const *labels, unsigned char **der, long *len)
{
	unsigned char *buf = NULL, *data = NULL;
	char *name = NULL, *header = NULL;
	size_t n = 0, k;
	BIO *b = NULL;
	int r;

	*der = NULL;
	if ((r = cer_read_file(path, ARTEFACT_MAX, &buf, &n)) != CER_OK)
		return r;
	if (memmem(buf, n, "-----BEGIN ", 11) == NULL) {
		*der = buf;
		*len = (long)n;
		return CER_OK;
	}
	r = CER_ERR_VERIFY;
	if ((b = BIO_new_mem_buf(buf, (int)n)) != NULL)
		while (r != CER_OK && PEM_read_bio(b, &name, &header, &data, len) == 1) {
			for (k = 0; labels[k] != NULL && r != CER_OK; k++)
				if (strcmp(name, labels[k]) == 0) {
					*der = data;
					data = NULL; /* transferred */
					r = CER_OK;
				}
			OPENSSL_free(name);
			OPENSSL_free(header);
			OPENSSL_free(data);
			name = header = NULL;
			data = NULL;
		}
	ERR_clear_error();
	BIO_free(b);
	free(buf);
	return r == CER_OK ? CER_OK : cer_fail(CER_ERR_VERIFY, "%s holds no %s", path, labels[0]);
}

/* The output file's certificate, kept for the steps after it; NULL when missing. */
static void
load_cert(struct verifier *v, size_t i)
{
	static const char *const labels[] = { "CERTIFICATE", "X509 CERTIFICATE", NULL };
	const char *path = cer_step_output_path(&v->s->steps[i], "certificate-path");
	const unsigned char *p;
	unsigned char *der = NULL;
	long len = 0;

	if (path == NULL || read_der(path, labels, &der, &len) != CER_OK)
		return;
	p = der;
	v->certs[i] = d2i_X509(NULL, &p, len);
	OPENSSL_free(der);
	ERR_clear_error();
	cer_err_clear();
}

/* ---- the report ---- */

static void
report(struct verifier *v, const struct cer_certdiff *d, const struct cer_certdiff *notes,
    const char *head, const char *same)
{
	size_t k;

	printf("%s: %s\n", head, d->n == 0 ? same : "DIFFERS");
	for (k = 0; k < d->n; k++)
		printf("    %s\n", d->line[k]);
	for (k = 0; notes != NULL && k < notes->n; k++)
		printf("    note: %s\n", notes->line[k]);
	v->problems += d->n;
}

/* A generated key is the kind the key block asks for. */
static int
key_fits(const struct cer_key_spec *ks, EVP_PKEY *k, struct cer_certdiff *d)
{
	char want[64], got[64];
	const struct cer_curve_info *c = cer_alg_curve(ks->curve);

	if (ks->type == CER_KEY_RSA)
		snprintf(want, sizeof(want), "RSA-%u", ks->rsa_bits);
	else if (ks->type == CER_KEY_EC)
		snprintf(want, sizeof(want), "ECDSA %s", c != NULL ? c->name : "?");
	else
		snprintf(want, sizeof(want), "ED25519");
	if (strcmp(want, cer_certdiff_key_text(k, got, sizeof(got))) == 0)
		return CER_OK;
	return cer_certdiff_add(d, "key: script %s, file %s", want, got);
}

/*
 * The key a step made: the transcript's key-generated record, and its
 * public-key output, which must hold the same key.  A key in neither (an
 * auditor without the transcript or the public key) is taken from the
 * certificate that carries it.
 */
static int
check_key(struct verifier *v, size_t i)
{
	const struct cer_step *st = &v->s->steps[i];
	const char *path = cer_step_output_path(st, "public-key-path");
	json_t *rec = recorded(v, "key-generated", st->id);
	struct cer_certdiff d = { 0 }, notes = { 0 };
	int here = path != NULL && access(path, F_OK) == 0, r = CER_OK;
	EVP_PKEY *file = NULL;
	char head[600];

	if (!cer_step_generates(st))
		return CER_OK;
	v->keys[i] = pem_key(json_string_value(json_object_get(rec, "public_key_pem")));
	if (here && cer_plan_read_pubkey(path, &file) != CER_OK)
		r = cer_certdiff_add(&d, "%s holds no public key", path);
	else if (file != NULL && v->keys[i] != NULL && EVP_PKEY_eq(file, v->keys[i]) != 1)
		r = cer_certdiff_add(&d, "public key: the transcript records another key than "
		    "the one in %s", path);
	else if (!here && path != NULL)
		r = cer_certdiff_add(&notes, "%s is not here; %s", path, v->keys[i] != NULL ?
		    "the transcript's key is used" : "the key is checked in the certificate that "
		    "carries it");
	cer_err_clear();
	if (v->keys[i] == NULL) {
		v->keys[i] = file;
		file = NULL; /* transferred */
	}
	if (r == CER_OK && v->keys[i] != NULL)
		r = key_fits(&st->key, v->keys[i], &d);
	snprintf(head, sizeof(head), "%s (%s): key '%s'%s%s%s", st->id,
	    cer_step_type_name(st->type), st->label, here ? " in " : "", here ? path : "",
	    rec == NULL ? "" : here ? " and the transcript" : " in the transcript");
	if (r == CER_OK)
		report(v, &d, &notes, head, "as the script says");
	EVP_PKEY_free(file);
	cer_certdiff_free(&d);
	cer_certdiff_free(&notes);
	return r;
}

/* ---- one artefact ---- */

/*
 * The TBS the script makes (tw) against the file's (the first element of
 * der): equal bytes, or when no field told them apart, the hashes.
 */
static int
compare_tbs(const unsigned char *tw, long lw, const unsigned char *der, long len,
    struct cer_certdiff *d)
{
	const unsigned char *tg;
	unsigned char hw[CER_SHA256_LEN], hg[CER_SHA256_LEN];
	char *xw = NULL, *xg = NULL;
	long lg;
	int r;

	if (cer_der_tbs(der, len, &tg, &lg) != CER_OK)
		return cer_certdiff_add(d, "the file is not DER a parser can split: %s",
		    cer_err_detail());
	if ((lw == lg && memcmp(tw, tg, (size_t)lw) == 0) || d->n > 0)
		return CER_OK;
	if ((r = cer_sha256(tw, (size_t)lw, hw)) != CER_OK ||
	    (r = cer_sha256(tg, (size_t)lg, hg)) != CER_OK ||
	    (r = cer_hex(hw, sizeof(hw), &xw)) != CER_OK || (r = cer_hex(hg, sizeof(hg), &xg)))
		goto out;
	r = cer_certdiff_add(d, "TBS: every field reads the same, but the bytes differ "
	    "(script SHA-256 %s, file %s)", xw, xg);
 out:
	free(xw);
	free(xg);
	return r;
}

/* The transcript's record of this artefact holds the file's bytes. */
static int
check_record(const struct verifier *v, const struct cer_step *st, const char *event,
    const unsigned char *der, long len, struct cer_certdiff *d)
{
	json_t *rec = recorded(v, event, st->id);
	const char *pem = json_string_value(json_object_get(rec, "pem"));
	unsigned char *rder = NULL;
	char *name = NULL, *header = NULL;
	long rlen = 0;
	BIO *b;
	int same;

	if (rec == NULL)
		return v->t == NULL ? CER_OK : cer_certdiff_add(d, "the transcript records no "
		    "%s for step %s", event, st->id);
	b = BIO_new_mem_buf(pem != NULL ? pem : "", -1);
	same = b != NULL && PEM_read_bio(b, &name, &header, &rder, &rlen) == 1 &&
	    rlen == len && memcmp(rder, der, (size_t)len) == 0;
	BIO_free(b);
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_free(rder);
	ERR_clear_error();
	return same ? CER_OK : cer_certdiff_add(d, "the file is not the %s the transcript "
	    "records (%s)", event, cer_tscheck_path(v->t));
}

/* The signature's verdict (ok: it verified with by), then the transcript's record of it. */
static int
signed_by(const struct verifier *v, const struct cer_step *st, const char *event, int ok,
    const char *by, const unsigned char *der, long len, struct cer_certdiff *d, char *done,
    size_t dn)
{
	int r = CER_OK;

	ERR_clear_error();
	if (!ok)
		r = cer_certdiff_add(d, "signature: does not verify with %s", by);
	else
		snprintf(done, dn, "; signature verified with %s", by);
	return r != CER_OK ? r : check_record(v, st, event, der, len, d);
}


/* A certificate: TBS, fields, outer algorithm, signature with the issuer's key, transcript. */
static int
check_cert(struct verifier *v, size_t i, struct cer_tbs *tbs, const unsigned char *der, long len,
    struct cer_certdiff *d, char *done, size_t dn)
{
	const struct cer_step *st = &v->s->steps[i];
	EVP_PKEY *issuer_pub = tbs->issuer != NULL ? X509_get0_pubkey(tbs->issuer) :
	    X509_get0_pubkey(tbs->cert);
	const unsigned char *tw;
	unsigned char *wder = NULL;
	X509 *want = NULL;
	char by[1100], name[1024];
	long lw;
	int wlen, r;

	if ((r = cer_sign_throwaway(tbs->cert, v->plan->steps[i].alg, &want)) != CER_OK)
		return r;
	if ((wlen = i2d_X509(want, &wder)) <= 0 ||
	    cer_der_tbs(wder, wlen, &tw, &lw) != CER_OK) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot encode the certificate");
		goto out;
	}
	if ((r = cer_certdiff_x509(want, v->certs[i], d)) != CER_OK ||
	    (r = compare_tbs(tw, lw, der, len, d)) != CER_OK)
		goto out;
	snprintf(by, sizeof(by), "the key of '%s'", cer_profile_name_text(tbs->issuer != NULL ?
	    X509_get_subject_name(tbs->issuer) : X509_get_subject_name(v->certs[i]), name,
	    sizeof(name)));
	if (tbs->issuer == NULL)
		snprintf(by + strlen(by), sizeof(by) - strlen(by), " (the root's own)");
	r = signed_by(v, st, "certificate-signed", X509_verify(v->certs[i], issuer_pub) == 1, by,
	    der, len, d, done, dn);
 out:
	OPENSSL_free(wder);
	X509_free(want);
	return r;
}

/* The scheme a key signs a CSR with when the profile names none (Boulder's). */
static enum cer_sigalg
default_alg(EVP_PKEY *k)
{
	char group[64] = "";

	if (EVP_PKEY_is_a(k, "RSA"))
		return cer_sigalg_default(CER_KEY_RSA, CER_CURVE_NONE);
	if (!EVP_PKEY_is_a(k, "EC"))
		return cer_sigalg_default(CER_KEY_ED25519, CER_CURVE_NONE);
	EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), NULL);
	return cer_sigalg_default(CER_KEY_EC, cer_alg_curve_by_group(group));
}

/* A CSR: its CertificationRequestInfo, fields, algorithm, and its self-signature. */
static int
check_req(struct verifier *v, size_t i, struct cer_tbs *tbs, const unsigned char *der, long len,
    struct cer_certdiff *d, char *done, size_t dn)
{
	const struct cer_step *st = &v->s->steps[i];
	const unsigned char *p = der;
	X509_REQ *got = d2i_X509_REQ(NULL, &p, len);
	EVP_PKEY *k = X509_REQ_get0_pubkey(tbs->req);
	const struct cer_sigalg_info *sc;
	enum cer_sigalg alg = v->plan->steps[i].alg;
	const X509_ALGOR *ga;
	const ASN1_OBJECT *go;
	unsigned char *wder = NULL;
	char oid[80];
	int wlen, r;

	if (got == NULL) {
		ERR_clear_error();
		return cer_certdiff_add(d, "the file holds no CSR");
	}
	if ((wlen = i2d_re_X509_REQ_tbs(tbs->req, &wder)) <= 0) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot encode the CSR");
		goto out;
	}
	X509_REQ_get0_signature(got, NULL, &ga);
	X509_ALGOR_get0(&go, NULL, NULL, ga);
	OBJ_obj2txt(oid, sizeof(oid), go, 1);
	if (alg == CER_SIG_NONE)	/* Boulder's cross-csr: the key's own default */
		alg = default_alg(k);
	sc = cer_alg_sigalg(alg);
	r = CER_OK;
	if (sc != NULL && strcmp(oid, sc->oid) != 0)
		r = cer_certdiff_add(d, "signature algorithm: script %s (%s), file %s", sc->name,
		    sc->oid, oid);
	/* a CSR's signature algorithm is outside its CertificationRequestInfo */
	if (r != CER_OK || (r = cer_certdiff_req(tbs->req, got, d)) != CER_OK ||
	    (r = compare_tbs(wder, wlen, der, len, d)) != CER_OK)
		goto out;
	r = signed_by(v, st, "csr-signed", X509_REQ_verify(got, k) == 1,
	    "the script's key (its own)", der, len, d, done, dn);
 out:
	OPENSSL_free(wder);
	X509_REQ_free(got);
	return r;
}

/* One field of a CRL as text: a difference when the script's and the file's differ. */
static int
crl_field(struct cer_certdiff *d, const char *what, const char *want, const char *got)
{
	return strcmp(want, got) == 0 ? CER_OK : cer_certdiff_add(d, "%s: script %s, file %s",
	    what, want, got);
}

/* A CRL's number, window and entries as text (the entries as count and list SHA-256). */
static int
crl_fields(X509_CRL *crl, char number[static 64], char this_update[static 32],
    char next_update[static 32], char entries[static 100])
{
	const ASN1_TIME *t[2] = { X509_CRL_get0_lastUpdate(crl), X509_CRL_get0_nextUpdate(crl) };
	char *out[2] = { this_update, next_update }, *dec = NULL, *hex = NULL;
	struct tm tm;
	BIGNUM *bn = NULL;
	size_t k, n = 0;
	int r;

	for (k = 0; k < 2; k++)
		if (t[k] == NULL || ASN1_TIME_to_tm(t[k], &tm) != 1 ||
		    strftime(out[k], 32, "%Y-%m-%d %H:%M:%S", &tm) == 0)
			snprintf(out[k], 32, "(none)");
	snprintf(number, 64, "(none)");
	if (cer_crl_number(crl, &bn) == CER_OK && (dec = BN_bn2dec(bn)) != NULL)
		snprintf(number, 64, "%s", dec);
	cer_err_clear();
	if ((r = cer_crl_list_sha256(crl, &hex, &n)) == CER_OK)
		snprintf(entries, 100, "%zu (list SHA-256 %.16s...)", n, hex);
	OPENSSL_free(dec);
	BN_free(bn);
	free(hex);
	ERR_clear_error();
	return r;
}

/* A CRL: its fields, TBSCertList, signature with the issuer's key, transcript. */
static int
check_crl(struct verifier *v, size_t i, struct cer_tbs *tbs, const unsigned char *der, long len,
    struct cer_certdiff *d, char *done, size_t dn)
{
	const unsigned char *p = der;
	X509_CRL *got = d2i_X509_CRL(NULL, &p, len);
	char wn[64], gn[64], wt[32], gt[32], wx[32], gx[32], we[100], ge[100], by[1100], name[1024];
	unsigned char *wder = NULL;
	int wlen, r;

	if (got == NULL) {
		ERR_clear_error();
		return cer_certdiff_add(d, "the file holds no CRL");
	}
	if ((r = cer_sign_throwaway_crl(tbs->crl, v->plan->steps[i].alg)) != CER_OK ||
	    (r = crl_fields(tbs->crl, wn, wt, wx, we)) != CER_OK ||
	    (r = crl_fields(got, gn, gt, gx, ge)) != CER_OK)
		goto out;
	if ((wlen = i2d_re_X509_CRL_tbs(tbs->crl, &wder)) <= 0) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot encode the CRL");
		goto out;
	}
	if ((r = crl_field(d, "cRLNumber", wn, gn)) != CER_OK ||
	    (r = crl_field(d, "thisUpdate", wt, gt)) != CER_OK ||
	    (r = crl_field(d, "nextUpdate", wx, gx)) != CER_OK ||
	    (r = crl_field(d, "entries", we, ge)) != CER_OK ||
	    (r = compare_tbs(wder, wlen, der, len, d)) != CER_OK)
		goto out;
	snprintf(by, sizeof(by), "the key of '%s'", cer_profile_name_text(
	    X509_get_subject_name(tbs->issuer), name, sizeof(name)));
	r = signed_by(v, &v->s->steps[i], "crl-signed", X509_CRL_verify(got,
	    X509_get0_pubkey(tbs->issuer)) == 1, by, der, len, d, done, dn);
 out:
	OPENSSL_free(wder);
	X509_CRL_free(got);
	return r;
}

/* The kinds of artefact: which output holds it, what it is, its PEM labels, and its check. */
static const struct artefact {
	const char *output;
	const char *what;
	const char *const labels[3];
	int (*check)(struct verifier *v, size_t i, struct cer_tbs *tbs, const unsigned char *der,
	    long len, struct cer_certdiff *d, char *done, size_t dn);
} artefacts[] = {
	{ "certificate-path", "certificate", { "CERTIFICATE", "X509 CERTIFICATE", NULL },
	    check_cert },
	{ "csr-path", "CSR", { "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST", NULL }, check_req },
	{ "crl-path", "CRL", { "X509 CRL", NULL, NULL }, check_crl },
};

/* Refers step i to an earlier step whose certificate is not here? */
static const char *
missing_ref(const struct verifier *v, size_t i)
{
	const struct cer_step *st = &v->s->steps[i];
	const size_t refs[] = { st->issuer, st->cross_of };
	size_t k;

	for (k = 0; k < sizeof(refs) / sizeof(refs[0]); k++)
		if (refs[k] != CER_NO_INDEX && v->certs[refs[k]] == NULL)
			return v->s->steps[refs[k]].id;
	return NULL;
}

/* The artefact's file, its key (the stand-in for a key not here) and the TBS the script makes. */
static int
build(struct verifier *v, size_t i, const struct artefact *a, const char *path,
    struct cer_tbs *tbs, unsigned char **der, long *len, struct cer_certdiff *d)
{
	const struct cer_step *st = &v->s->steps[i];
	const char *ref = missing_ref(v, i);
	const unsigned char *p;
	X509_REQ *req = NULL;
	int r;

	if (read_der(path, a->labels, der, len) != CER_OK) {
		cer_err_clear();
		return cer_certdiff_add(d, "%s is missing or holds no %s", path, a->what);
	}
	if (ref != NULL)
		return cer_certdiff_add(d, "not rebuilt: the certificate of step %s is missing", ref);
	p = *der;
	if (a == &artefacts[0])
		v->file_key = v->certs[i] != NULL ? X509_get0_pubkey(v->certs[i]) : NULL;
	else if ((req = d2i_X509_REQ(NULL, &p, *len)) != NULL)
		v->file_key = X509_REQ_get0_pubkey(req);
	ERR_clear_error();
	if (a == &artefacts[0] && v->certs[i] == NULL)
		return cer_certdiff_add(d, "%s holds no certificate a parser reads", path);
	r = cer_step_impl(st->type)->build_tbs(&(struct cer_source){ v->s, v->plan, verify_key,
	    verify_cert, verify_serial, v, 0 }, i, tbs);
	X509_REQ_free(req);
	v->file_key = NULL;
	if (r == CER_ERR_SCRIPT || r == CER_ERR_VERIFY)
		return cer_fail_prefix(CER_ERR_SCRIPT, "%s:%u:%u", v->s->path,
		    st->profile.pos.line, st->profile.pos.col);
	return r;
}

/* Step i's artefact against its output file; every difference reported. */
static int
check_artefact(struct verifier *v, size_t i)
{
	const struct cer_step *st = &v->s->steps[i];
	const struct cer_step_impl *impl = cer_step_impl(st->type);
	struct cer_certdiff d = { 0 }, notes = { 0 };
	const struct artefact *a = NULL;
	struct cer_tbs tbs = { 0 };
	unsigned char *der = NULL;
	char head[700], done[400] = "";
	const char *path = NULL;
	size_t k;
	long len = 0;
	int r = CER_OK;

	for (k = 0; a == NULL && k < sizeof(artefacts) / sizeof(artefacts[0]); k++)
		if ((path = cer_step_output_path(st, artefacts[k].output)) != NULL)
			a = &artefacts[k];
	if (impl != NULL && impl->build_tbs != NULL && a == NULL) {
		/* an OCSP response's producedAt is the signing time, which no script holds */
		printf("%s (%s): not rebuilt: verify rebuilds certificates, CSRs and CRLs; "
		    "transcript verify --outputs checks these files against the record\n", st->id,
		    cer_step_type_name(st->type));
		v->unchecked++;
		return CER_OK;
	}
	if (impl == NULL || impl->build_tbs == NULL)
		return CER_OK;
	v->artefacts++;
	v->borrowed = CER_NO_INDEX;
	v->file_serial_note = NULL;
	if ((r = build(v, i, a, path, &tbs, &der, &len, &d)) != CER_OK)
		goto out;
	if (d.n == 0 && (r = a->check(v, i, &tbs, der, len, &d, done, sizeof(done))) != CER_OK)
		goto out;
	if (v->file_serial_note != NULL)
		r = cer_certdiff_add(&notes, "%s", v->file_serial_note);
	if (r == CER_OK && v->borrowed != CER_NO_INDEX) {
		r = cer_certdiff_add(&notes, "the key of step %s is in neither a transcript nor a "
		    "public-key output here: the file's own key is used",
		    v->s->steps[v->borrowed].id);
		if (r == CER_OK && v->s->steps[v->borrowed].key.present && v->certs[i] != NULL)
			r = key_fits(&v->s->steps[v->borrowed].key, X509_get0_pubkey(v->certs[i]),
			    &d);
	}
	if (r != CER_OK)
		goto out;
	v->differ += d.n > 0;
	snprintf(head, sizeof(head), "%s (%s): %s", st->id, cer_step_type_name(st->type), path);
	report(v, &d, &notes, head, "identical to what the script makes");
	if (d.n == 0 && done[0] != '\0')
		printf("    %s\n", done + 2);
 out:
	cer_tbs_clear(&tbs);
	OPENSSL_free(der);
	cer_certdiff_free(&d);
	cer_certdiff_free(&notes);
	return r;
}

/* ---- the whole script ---- */

/* The transcript, verified as an auditor does, and of this very script. */
static int
open_transcript(struct verifier *v, const char *path)
{
	struct cer_tscheck_opts o = { 0 };
	struct cer_tscheck_summary sum;
	const char *want;
	char *hex = NULL;
	int r;

	if ((r = cer_tscheck_open(path, &o, &v->t, &sum)) != CER_OK)
		return r;
	want = json_string_value(json_object_get(json_object_get(cer_tscheck_record(v->t, 0),
	    "data"), "script_sha256"));
	if ((r = cer_sha256_hex(v->s->text, v->s->text_len, &hex)) != CER_OK)
		return r;
	printf("transcript %s: %zu records, verified%s\n", path, sum.records,
	    sum.complete ? "" : " (INCOMPLETE: no end record)");
	if (want == NULL || strcmp(want, hex) != 0) {
		printf("transcript: DIFFERS\n    script SHA-256: script %s, transcript %s\n", hex,
		    want != NULL ? want : "(none)");
		v->problems++;
	}
	free(hex);
	return CER_OK;
}

static void
verifier_free(struct verifier *v)
{
	size_t i;

	for (i = 0; v->s != NULL && i < v->s->nsteps; i++) {
		X509_free(v->certs != NULL ? v->certs[i] : NULL);
		EVP_PKEY_free(v->keys != NULL ? v->keys[i] : NULL);
	}
	free(v->certs);
	free(v->keys);
	cer_tscheck_free(v->t);
	cer_plan_free(v->plan);
	cer_script_free(v->s);
}

int
cer_verify_run(const char *script, const char *transcript)
{
	struct verifier v = { 0 };
	size_t i;
	int r = CER_ERR_INTERNAL;

	if ((r = cer_script_load(script, &v.s)) != CER_OK ||
	    (r = cer_validate_plan(v.s, &v.plan)) != CER_OK)
		goto out;
	if ((v.certs = calloc(v.s->nsteps + 1, sizeof(*v.certs))) == NULL ||
	    (v.keys = calloc(v.s->nsteps + 1, sizeof(*v.keys))) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	printf("verify %s: %zu step%s, no HSM\n", v.s->path, v.s->nsteps,
	    v.s->nsteps == 1 ? "" : "s");
	if (transcript != NULL && (r = open_transcript(&v, transcript)) != CER_OK)
		goto out;
	for (i = 0; i < v.s->nsteps; i++) {
		load_cert(&v, i);
		if ((r = check_key(&v, i)) != CER_OK || (r = check_artefact(&v, i)) != CER_OK)
			goto out;
	}
	if (v.problems > 0) {
		printf("verify: %zu of %zu artefacts differ from what the script makes\n", v.differ,
		    v.artefacts);
		r = cer_fail(CER_ERR_VERIFY, "%s: %zu difference%s from what the script makes "
		    "(%zu of %zu artefacts)", v.s->path, v.problems, v.problems == 1 ? "" : "s",
		    v.differ, v.artefacts);
		goto out;
	}
	printf("verify: %s %zu artefact%s %s what the script makes", v.artefacts == 1 ? "the" :
	    "all", v.artefacts, v.artefacts == 1 ? "" : "s", v.artefacts == 1 ? "is" : "are");
	if (v.unchecked > 0)
		printf(" (%zu step%s not rebuilt)", v.unchecked, v.unchecked == 1 ? "" : "s");
	printf("\n");
	r = CER_OK;
 out:
	fflush(stdout);
	cer_sign_forget();
	verifier_free(&v);
	return r;
}
