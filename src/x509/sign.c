/* sign.c: dry run, TBS, C_Sign, assemble, parse back, verify. */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "x509/sign.h"
#include "base/der.h"
#include "base/util.h"
#include "base/verified.h"

/*
 * What differs between the artefacts that take the one signing path: how
 * OpenSSL signs, encodes and verifies each.
 */
struct artefact {
	const char *what;
	int (*sign_ctx)(void *obj, EVP_MD_CTX *ctx);
	int (*i2d_tbs)(void *obj, unsigned char **out);
	ASN1_BIT_STRING *(*signature)(void *obj);
	int (*i2d)(void *obj, unsigned char **out);
	void *(*d2i)(const unsigned char **p, long len);
	void (*free)(void *obj);
	/* the parsed artefact's own checks: algorithms, issuer name, signature */
	int (*check)(void *parsed, EVP_PKEY *issuer_pub, const X509_NAME *issuer_name);
	/* may be NULL: frees what the artefact built holds once it is encoded */
	void (*release)(void *obj);
};

/*
 * Lets OpenSSL choose and write the AlgorithmIdentifiers by starting a
 * signature with the public key; the signing itself must fail, since there
 * is no private key here.
 */
/* A signing context for the scheme with key (public: a dry run; private: a throwaway). */
static int
scheme_ctx(const struct cer_sigalg_info *sc, EVP_PKEY *key, EVP_MD_CTX **out)
{
	EVP_PKEY_CTX *pctx = NULL;
	EVP_MD_CTX *mctx = NULL;

	*out = NULL;
	if ((mctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit_ex(mctx, &pctx, sc->digest, NULL, NULL, key, NULL) != 1) {
		EVP_MD_CTX_free(mctx);
		return cer_fail(CER_ERR_OPENSSL, "cannot prepare the signature algorithm");
	}
	if (sc->padding == CER_PAD_PSS &&
	    (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, sc->digest, NULL) != 1)) {
		EVP_MD_CTX_free(mctx);
		return cer_fail(CER_ERR_OPENSSL, "cannot set the RSA-PSS parameters");
	}
	*out = mctx;
	return CER_OK;
}

static int
dry_run(const struct artefact *a, void *x, const struct cer_sigalg_info *sc, EVP_PKEY *pub)
{
	EVP_MD_CTX *mctx = NULL;
	int r = CER_ERR_INTERNAL;

	if ((r = scheme_ctx(sc, pub, &mctx)) != CER_OK)
		goto out;
	if (a->sign_ctx(x, mctx) > 0) {
		r = cer_fail(CER_ERR_INTERNAL, "a dry-run signature succeeded without a private key");
		goto out;
	}
	ERR_clear_error();
	r = CER_OK;
 out:
	EVP_MD_CTX_free(mctx);
	return r;
}

/* DER DigestInfo { algorithm, digest }: what PKCS#1 v1.5 signs. */
static int
digest_info(const char *mdname, const unsigned char *d, size_t dlen, unsigned char **out,
    int *outlen)
{
	X509_ALGOR *alg;
	ASN1_OCTET_STRING *os;
	X509_SIG *sig = NULL;
	EVP_MD *md = NULL;
	int r = CER_ERR_OPENSSL;

	*out = NULL;
	if ((md = EVP_MD_fetch(NULL, mdname, NULL)) == NULL || (sig = X509_SIG_new()) == NULL)
		goto out;
	X509_SIG_getm(sig, &alg, &os);
	if (X509_ALGOR_set0(alg, OBJ_nid2obj(EVP_MD_get_type(md)), V_ASN1_NULL, NULL) != 1 ||
	    ASN1_OCTET_STRING_set(os, d, (int)dlen) != 1 ||
	    (*outlen = i2d_X509_SIG(sig, out)) <= 0)
		goto out;
	r = CER_OK;
 out:
	if (r != CER_OK)
		r = cer_fail(CER_ERR_OPENSSL, "cannot encode the DigestInfo");
	X509_SIG_free(sig);
	EVP_MD_free(md);
	return r;
}

/* The HSM gives r||s; X.509 wants DER Ecdsa-Sig-Value. */
static int
ecdsa_der(const unsigned char *rs, size_t len, unsigned char **out, int *outlen)
{
	ECDSA_SIG *sig = NULL;
	BIGNUM *br = NULL, *bs = NULL;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if (len == 0 || len % 2 != 0) {
		r = cer_fail(CER_ERR_VERIFY, "the HSM returned an ECDSA signature of odd length %zu", len);
		goto out;
	}
	if ((br = BN_bin2bn(rs, (int)(len / 2), NULL)) == NULL ||
	    (bs = BN_bin2bn(rs + len / 2, (int)(len / 2), NULL)) == NULL ||
	    (sig = ECDSA_SIG_new()) == NULL || ECDSA_SIG_set0(sig, br, bs) != 1) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot encode the ECDSA signature");
		goto out;
	}
	br = bs = NULL; /* transferred */
	if ((*outlen = i2d_ECDSA_SIG(sig, out)) <= 0) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot encode the ECDSA signature");
		goto out;
	}
	r = CER_OK;
 out:
	BN_free(br);
	BN_free(bs);
	ECDSA_SIG_free(sig);
	return r;
}

/* Signs tbs in the HSM and returns the signature as X.509 carries it. */
static int
hsm_sign(const struct cer_sigalg_info *sc, const struct cer_signer *s, const unsigned char *tbs,
    size_t tbs_len, unsigned char **sig, int *sig_len)
{
	unsigned char digest[EVP_MAX_MD_SIZE], *in = NULL, *raw = NULL;
	unsigned int dlen = 0;
	size_t raw_len = 0;
	int in_len = 0, r = CER_ERR_INTERNAL;

	*sig = NULL;
	if (sc->digest != NULL && EVP_Digest(tbs, tbs_len, digest, &dlen,
	    EVP_get_digestbyname(sc->digest), NULL) != 1) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot hash the TBS");
		goto out;
	}
	/* what the HSM signs: PKCS#1 v1.5 the DigestInfo, PSS and ECDSA the digest, EdDSA the TBS */
	if (sc->padding == CER_PAD_PKCS1) {
		if ((r = digest_info(sc->digest, digest, dlen, &in, &in_len)) != CER_OK)
			goto out;
		r = cer_hsm_sign(s->tok, s->key, s->alg, in, (size_t)in_len, &raw, &raw_len);
	} else if (sc->padding == CER_PAD_PSS || sc->padding == CER_PAD_ECDSA) {
		r = cer_hsm_sign(s->tok, s->key, s->alg, digest, dlen, &raw, &raw_len);
	} else {
		r = cer_hsm_sign(s->tok, s->key, s->alg, tbs, tbs_len, &raw, &raw_len);
	}
	if (r != CER_OK)
		goto out;
	if (sc->padding == CER_PAD_ECDSA) {
		r = ecdsa_der(raw, raw_len, sig, sig_len);
		goto out;
	}
	*sig = raw;
	*sig_len = (int)raw_len;
	raw = NULL; /* transferred */
	r = CER_OK;
 out:
	OPENSSL_free(in);
	free(raw);
	return r;
}

/* Puts sig into the signature BIT STRING, as ASN1_item_sign_ctx does. */
static int
set_signature(const struct artefact *a, void *x, unsigned char *sig, int sig_len)
{
	ASN1_BIT_STRING *psig = a->signature(x);

	ASN1_STRING_set0(psig, sig, sig_len);
	psig->flags &= ~(ASN1_STRING_FLAG_BITS_LEFT | 0x07);
	psig->flags |= ASN1_STRING_FLAG_BITS_LEFT;
	return CER_OK;
}

static int
name_der_eq(const X509_NAME *a, const X509_NAME *b)
{
	const unsigned char *da, *db;
	size_t la, lb;

	if (X509_NAME_get0_der((X509_NAME *)(uintptr_t)a, &da, &la) != 1 ||
	    X509_NAME_get0_der((X509_NAME *)(uintptr_t)b, &db, &lb) != 1)
		return 0;
	return la == lb && memcmp(da, db, la) == 0;
}

/* The certificate's own checks: both AlgorithmIdentifiers, issuer bytes, signature. */
static int
check_x509(void *obj, EVP_PKEY *issuer_pub, const X509_NAME *issuer_name)
{
	const X509_ALGOR *outer, *inner;
	X509 *y = obj;

	X509_get0_signature(NULL, &outer, y);
	inner = X509_get0_tbs_sigalg(y);
	if (X509_ALGOR_cmp(outer, inner) != 0)
		return cer_fail(CER_ERR_VERIFY, "signatureAlgorithm differs from "
		    "tbsCertificate.signature");
	if (!name_der_eq(X509_get_issuer_name(y), issuer_name))
		return cer_fail(CER_ERR_VERIFY, "the issuer name is not byte-identical to the "
		    "issuer's subject; nothing was written");
	if (X509_verify(y, issuer_pub) != 1) {
		ERR_clear_error();
		return cer_fail(CER_ERR_VERIFY, "the HSM's signature does not verify with the "
		    "issuer's public key; nothing was written");
	}
	return CER_OK;
}

/* A CSR's own check: its signature verifies with the key it carries, the HSM key's. */
static int
check_req(void *obj, EVP_PKEY *signer_pub, const X509_NAME *unused)
{
	X509_REQ *y = obj;

	(void)unused;
	if (EVP_PKEY_eq(X509_REQ_get0_pubkey(y), signer_pub) != 1 ||
	    X509_REQ_verify(y, signer_pub) != 1) {
		ERR_clear_error();
		return cer_fail(CER_ERR_VERIFY, "the HSM's signature on the CSR does not verify "
		    "with its public key; nothing was written");
	}
	return CER_OK;
}

/*
 * tbsCertList.signature, read from the CRL's own encoding (OpenSSL 3.0 has
 * no getter, and re-encoding would drop the bytes that were signed): the
 * AlgorithmIdentifier after the version INTEGER.  NULL if none.
 */
static X509_ALGOR *
crl_tbs_alg(X509_CRL *crl)
{
	unsigned char *der = NULL;
	const unsigned char *tbs, *p, *q;
	X509_ALGOR *alg = NULL;
	int tag, cls, len;
	long tbs_len, l;

	if ((len = i2d_X509_CRL(crl, &der)) <= 0 || cer_der_tbs(der, len, &tbs, &tbs_len) != CER_OK) {
		OPENSSL_free(der);
		return NULL;
	}
	p = tbs;
	if (!(ASN1_get_object(&p, &l, &tag, &cls, tbs_len) & 0x80)) {
		q = p;
		if (!(ASN1_get_object(&q, &l, &tag, &cls, tbs_len - (q - tbs)) & 0x80) &&
		    tag == V_ASN1_INTEGER)
			p = q + l;	/* the version */
		alg = d2i_X509_ALGOR(NULL, &p, tbs_len - (p - tbs));
	}
	OPENSSL_free(der);
	return alg;
}

/* A CRL's own checks: both AlgorithmIdentifiers, issuer bytes, signature. */
static int
check_crl(void *obj, EVP_PKEY *issuer_pub, const X509_NAME *issuer_name)
{
	const X509_ALGOR *outer;
	X509_ALGOR *inner = crl_tbs_alg(obj);
	int same;

	X509_CRL_get0_signature(obj, NULL, &outer);
	same = inner != NULL && X509_ALGOR_cmp(outer, inner) == 0;
	X509_ALGOR_free(inner);
	if (!same)
		return cer_fail(CER_ERR_VERIFY, "signatureAlgorithm differs from "
		    "tbsCertList.signature");
	if (!name_der_eq(X509_CRL_get_issuer(obj), issuer_name))
		return cer_fail(CER_ERR_VERIFY, "the CRL's issuer name is not byte-identical to "
		    "the issuer's subject; nothing was written");
	if (X509_CRL_verify(obj, issuer_pub) != 1) {
		ERR_clear_error();
		return cer_fail(CER_ERR_VERIFY, "the HSM's signature on the CRL does not verify "
		    "with the issuer's public key; nothing was written");
	}
	return CER_OK;
}

/* Encodes x, parses it back and checks the result against what was signed. */
static int
check_signed(const struct artefact *a, void *x, const unsigned char signed_sha256[static
    CER_SHA256_LEN], EVP_PKEY *issuer_pub, const X509_NAME *issuer_name, void **out)
{
	const unsigned char *p, *tbs2;
	unsigned char *der = NULL, d[CER_SHA256_LEN];
	void *y = NULL;
	long tbs2_len;
	int der_len, r = CER_ERR_INTERNAL;

	*out = NULL;
	if ((der_len = a->i2d(x, &der)) <= 0) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot encode the signed %s", a->what);
		goto out;
	}
	if (a->release != NULL)
		a->release(x);
	p = der;
	if ((y = a->d2i(&p, der_len)) == NULL || p != der + der_len) {
		r = cer_fail(CER_ERR_VERIFY, "the signed %s does not parse back", a->what);
		goto out;
	}
	if (cer_der_tbs(der, der_len, &tbs2, &tbs2_len) != CER_OK ||
	    cer_sha256(tbs2, (size_t)tbs2_len, d) != CER_OK ||
	    memcmp(d, signed_sha256, sizeof(d)) != 0) {
		r = cer_fail(CER_ERR_VERIFY, "the %s's TBS differs from the bytes the HSM "
		    "signed; nothing was written", a->what);
		goto out;
	}
	if ((r = a->check(y, issuer_pub, issuer_name)) != CER_OK)
		goto out;
	/* the lints of these bytes look this up rather than verify them again */
	cer_verified_note(der, (size_t)der_len, issuer_pub);
	*out = y;
	y = NULL; /* transferred */
	r = CER_OK;
 out:
	OPENSSL_free(der);
	if (y != NULL)
		a->free(y);
	return r;
}

/* ---- the rows ---- */

static int x509_sign_ctx(void *o, EVP_MD_CTX *c) { return X509_sign_ctx(o, c); }
static int x509_i2d_tbs(void *o, unsigned char **p) { return i2d_re_X509_tbs(o, p); }
static int x509_i2d(void *o, unsigned char **p) { return i2d_X509(o, p); }
static void *x509_d2i(const unsigned char **p, long n) { return d2i_X509(NULL, p, n); }
static void x509_free(void *o) { X509_free(o); }

/* OpenSSL 3.0 has no setter; this is the object X509_sign_ctx fills. */
static ASN1_BIT_STRING *
x509_signature(void *o)
{
	const ASN1_BIT_STRING *s;

	X509_get0_signature(&s, NULL, o);
	return (ASN1_BIT_STRING *)(uintptr_t)s;
}

static int req_sign_ctx(void *o, EVP_MD_CTX *c) { return X509_REQ_sign_ctx(o, c); }
static int req_i2d_tbs(void *o, unsigned char **p) { return i2d_re_X509_REQ_tbs(o, p); }
static int req_i2d(void *o, unsigned char **p) { return i2d_X509_REQ(o, p); }
static void *req_d2i(const unsigned char **p, long n) { return d2i_X509_REQ(NULL, p, n); }
static void req_free(void *o) { X509_REQ_free(o); }

static ASN1_BIT_STRING *
req_signature(void *o)
{
	const ASN1_BIT_STRING *s;

	X509_REQ_get0_signature(o, &s, NULL);
	return (ASN1_BIT_STRING *)(uintptr_t)s;
}

static int crl_sign_ctx(void *o, EVP_MD_CTX *c) { return X509_CRL_sign_ctx(o, c); }
static int crl_i2d_tbs(void *o, unsigned char **p) { return i2d_re_X509_CRL_tbs(o, p); }
static int crl_i2d(void *o, unsigned char **p) { return i2d_X509_CRL(o, p); }
static void *crl_d2i(const unsigned char **p, long n) { return d2i_X509_CRL(NULL, p, n); }
static void crl_free(void *o) { X509_CRL_free(o); }

static ASN1_BIT_STRING *
crl_signature(void *o)
{
	const ASN1_BIT_STRING *s;

	X509_CRL_get0_signature(o, &s, NULL);
	return (ASN1_BIT_STRING *)(uintptr_t)s;
}

/*
 * The entries of a CRL being signed, once it is encoded: only the CRL
 * parsed back goes on, and with 100 000 entries each copy is 40 MB.
 */
static void
crl_release(void *o)
{
	STACK_OF(X509_REVOKED) *rev = X509_CRL_get_REVOKED(o);
	X509_REVOKED *r;

	while ((r = sk_X509_REVOKED_pop(rev)) != NULL)
		X509_REVOKED_free(r);
}

/*
 * The OCSP response row.  What is signed is a struct cer_ocsp_tbs (the
 * basic response and who signs it); what is parsed back an
 * OCSP_BASICRESP.  OpenSSL 3.0 has no public OCSP_BASICRESP_sign_ctx or
 * _verify: OCSP_basic_sign_ctx does the dry run (responderID byKey, the
 * responder's certificate, the algorithm), and ASN1_item_sign_ctx and
 * ASN1_item_verify over tbsResponseData do the rest.
 */
static int
ocsp_sign_ctx(void *o, EVP_MD_CTX *c)
{
	struct cer_ocsp_tbs *t = o;
	/* producedAt is the ceremony's signing time (--at in a rehearsal), not the clock */
	ASN1_GENERALIZEDTIME *pa = (ASN1_GENERALIZEDTIME *)(uintptr_t)
	    OCSP_resp_get0_produced_at(t->bs);

	t->prepared = 1;
	if (pa == NULL || ASN1_GENERALIZEDTIME_set(pa, t->produced_at) == NULL)
		return 0;
	return OCSP_basic_sign_ctx(t->bs, t->signer, c, NULL, OCSP_RESPID_KEY | OCSP_NOTIME |
	    (t->include_signer ? 0 : OCSP_NOCERTS));
}

/* The dry run wrote what it should: byKey of the signer, producedAt; then the TBS. */
static int
ocsp_i2d_tbs(void *o, unsigned char **p)
{
	struct cer_ocsp_tbs *t = o;
	STACK_OF(X509) *one = sk_X509_new_null();
	X509 *who = NULL;
	int ok;

	ok = one != NULL && sk_X509_push(one, t->signer) > 0 &&
	    OCSP_resp_get0_signer(t->bs, &who, one) == 1 && X509_cmp(who, t->signer) == 0 &&
	    ASN1_TIME_cmp_time_t(OCSP_resp_get0_produced_at(t->bs), t->produced_at) == 0 &&
	    (OCSP_resp_get0_certs(t->bs) == NULL ? 0 : sk_X509_num(OCSP_resp_get0_certs(t->bs)))
	    == (t->include_signer ? 1 : 0);
	sk_X509_free(one);
	ERR_clear_error();
	return ok ? i2d_OCSP_RESPDATA(OCSP_resp_get0_respdata(t->bs), p) : -1;
}

static ASN1_BIT_STRING *
ocsp_signature(void *o)
{
	return (ASN1_BIT_STRING *)(uintptr_t)OCSP_resp_get0_signature(((struct cer_ocsp_tbs *)
	    o)->bs);
}

static int ocsp_i2d(void *o, unsigned char **p) { return i2d_OCSP_BASICRESP(((struct cer_ocsp_tbs *)o)->bs, p); }
static void *ocsp_d2i(const unsigned char **p, long n) { return d2i_OCSP_BASICRESP(NULL, p, n); }
static void ocsp_free(void *o) { OCSP_BASICRESP_free(o); }

/* A response's own check: its signature over tbsResponseData verifies with the signer's key. */
static int
check_ocsp(void *obj, EVP_PKEY *signer_pub, const X509_NAME *unused)
{
	OCSP_BASICRESP *y = obj;

	(void)unused;
	if (ASN1_item_verify(ASN1_ITEM_rptr(OCSP_RESPDATA), OCSP_resp_get0_tbs_sigalg(y),
	    OCSP_resp_get0_signature(y), OCSP_resp_get0_respdata(y), signer_pub) != 1) {
		ERR_clear_error();
		return cer_fail(CER_ERR_VERIFY, "the HSM's signature on the OCSP response does not "
		    "verify with the signer's public key; nothing was written");
	}
	return CER_OK;
}

static const struct artefact certificate = { "certificate", x509_sign_ctx, x509_i2d_tbs,
    x509_signature, x509_i2d, x509_d2i, x509_free, check_x509, NULL };
static const struct artefact request = { "CSR", req_sign_ctx, req_i2d_tbs, req_signature,
    req_i2d, req_d2i, req_free, check_req, NULL };
static const struct artefact revocation_list = { "CRL", crl_sign_ctx, crl_i2d_tbs,
    crl_signature, crl_i2d, crl_d2i, crl_free, check_crl, crl_release };
static const struct artefact ocsp_response = { "OCSP response", ocsp_sign_ctx, ocsp_i2d_tbs,
    ocsp_signature, ocsp_i2d, ocsp_d2i, ocsp_free, check_ocsp, NULL };

static int
sign_artefact(const struct artefact *a, void *x, const struct cer_signer *s,
    EVP_PKEY *issuer_pub, const X509_NAME *issuer_name, cer_sign_confirm_fn confirm,
    void *arg, void **out, json_t **record)
{
	const struct cer_sigalg_info *sc = cer_alg_sigalg(s->alg);
	unsigned char *tbs = NULL, *sig = NULL, digest[CER_SHA256_LEN];
	char *hex = NULL;
	int tbs_len, sig_len = 0, r = CER_ERR_INTERNAL;

	*out = NULL;
	*record = NULL;
	if (sc == NULL) {
		r = cer_fail(CER_ERR_INTERNAL, "no signature scheme");
		goto out;
	}
	if ((r = dry_run(a, x, sc, s->pub)) != CER_OK)
		goto out;
	if ((tbs_len = a->i2d_tbs(x, &tbs)) <= 0) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot encode the TBS %s", a->what);
		goto out;
	}
	if ((r = cer_sha256(tbs, (size_t)tbs_len, digest)) != CER_OK ||
	    (r = cer_hex(digest, sizeof(digest), &hex)) != CER_OK)
		goto out;
	if (confirm != NULL && (r = confirm(arg, digest)) != CER_OK)
		goto out;
	if ((r = hsm_sign(sc, s, tbs, (size_t)tbs_len, &sig, &sig_len)) != CER_OK)
		goto out;
	/* a CRL's TBS can be 5 MB: what parses back is compared by the SHA-256 confirmed */
	OPENSSL_free(tbs);
	tbs = NULL;
	set_signature(a, x, sig, sig_len);
	sig = NULL; /* transferred to x */
	if ((r = check_signed(a, x, digest, issuer_pub, issuer_name, out)) != CER_OK)
		goto out;
	*record = json_pack("{s:s, s:s, s:s, s:b, s:b, s:b}", "tbs_sha256", hex,
	    "signature_algorithm", cer_sigalg_name(s->alg),
	    "mechanism", cer_hsm_sign_mechanism(s->alg), "signature_verified", 1,
	    "tbs_identical", 1, "issuer_bytes_identical", 1);
	if (*record == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	r = CER_OK;
 out:
	if (r != CER_OK && *out != NULL) {
		a->free(*out);
		*out = NULL;
	}
	OPENSSL_free(tbs);
	OPENSSL_free(sig);
	free(hex);
	return r;
}

int
cer_sign_certificate(X509 *x, const struct cer_signer *s, EVP_PKEY *issuer_pub,
    const X509_NAME *issuer_name, cer_sign_confirm_fn confirm, void *arg, X509 **out,
    json_t **record)
{
	return sign_artefact(&certificate, x, s, issuer_pub, issuer_name, confirm, arg,
	    (void **)out, record);
}

/* A response is prepared once: a second dry run would add the responder's certificate again. */
static int
ocsp_fresh(const struct cer_ocsp_tbs *t)
{
	return t->prepared ? cer_fail(CER_ERR_INTERNAL, "an OCSP response prepared twice") : CER_OK;
}

int
cer_sign_ocsp_response(struct cer_ocsp_tbs *t, const struct cer_signer *s,
    cer_sign_confirm_fn confirm, void *arg, OCSP_BASICRESP **out, json_t **record)
{
	int r;

	*out = NULL;
	*record = NULL;
	if ((r = ocsp_fresh(t)) != CER_OK)
		return r;
	if (EVP_PKEY_eq(s->pub, X509_get0_pubkey(t->signer)) != 1)
		return cer_fail(CER_ERR_KEY, "the HSM key is not the key of the certificate that "
		    "signs the OCSP response; nothing was signed");
	return sign_artefact(&ocsp_response, t, s, s->pub, NULL, confirm, arg, (void **)out,
	    record);
}

int
cer_sign_ocsp_check(OCSP_BASICRESP *bs, EVP_PKEY *signer_pub)
{
	return check_ocsp(bs, signer_pub, NULL);
}

int
cer_sign_request(X509_REQ *req, const struct cer_signer *s, cer_sign_confirm_fn confirm,
    void *arg, X509_REQ **out, json_t **record)
{
	return sign_artefact(&request, req, s, s->pub, NULL, confirm, arg, (void **)out, record);
}

int
cer_sign_crl(X509_CRL *crl, const struct cer_signer *s, EVP_PKEY *issuer_pub,
    const X509_NAME *issuer_name, cer_sign_confirm_fn confirm, void *arg, X509_CRL **out,
    json_t **record)
{
	return sign_artefact(&revocation_list, crl, s, issuer_pub, issuer_name, confirm, arg,
	    (void **)out, record);
}

/*
 * A software key that signs by alg's scheme.  Its size and curve do not
 * matter: the AlgorithmIdentifiers depend only on the scheme, and the
 * signature value is not what is linted.
 */
/*
 * One throwaway key per kind for the whole run, and its public half alone,
 * for a dry run that must not sign (decoding a key costs as much as a small
 * signature).  The RSA one has the smallest usual size that signs by every
 * scheme offered: RSA-PSS with SHA-512 and a 64-byte salt needs 1 041 bits
 * (RFC 8017 9.1.1: emLen >= hLen + sLen + 2); 1 536 bits take about 50 ms
 * to make here, 2 048 bits about 250 ms.
 */
static EVP_PKEY *throwaway[3], *throwaway_pub[3];

/* The public half alone, through its SubjectPublicKeyInfo. */
static EVP_PKEY *
public_half(EVP_PKEY *key)
{
	const unsigned char *p;
	unsigned char *der = NULL;
	EVP_PKEY *pub = NULL;
	int n;

	if ((n = i2d_PUBKEY(key, &der)) > 0) {
		p = der;
		pub = d2i_PUBKEY(NULL, &p, n);
	}
	OPENSSL_free(der);
	return pub;
}

/*
 * The throwaway key of sc's kind (*out, up-referenced) and, if pub is not
 * NULL, its public half (borrowed: kept until cer_sign_forget).
 */
static int
throwaway_key(const struct cer_sigalg_info *sc, EVP_PKEY **out, EVP_PKEY **pub)
{
	int kind = sc->key_type == CER_KEY_ED25519 ? 0 : sc->key_type == CER_KEY_EC ? 1 : 2;

	if (throwaway[kind] == NULL)
		throwaway[kind] = kind == 0 ? EVP_PKEY_Q_keygen(NULL, NULL, "ED25519") :
		    kind == 1 ? EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256") :
		    EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1536);
	if (throwaway[kind] != NULL && throwaway_pub[kind] == NULL)
		throwaway_pub[kind] = public_half(throwaway[kind]);
	if (throwaway_pub[kind] == NULL || EVP_PKEY_up_ref(throwaway[kind]) != 1)
		return cer_fail(CER_ERR_OPENSSL, "cannot make a throwaway key");
	*out = throwaway[kind];
	if (pub != NULL)
		*pub = throwaway_pub[kind];
	return CER_OK;
}

void
cer_sign_forget(void)
{
	size_t i;

	for (i = 0; i < sizeof(throwaway) / sizeof(throwaway[0]); i++) {
		EVP_PKEY_free(throwaway[i]);
		EVP_PKEY_free(throwaway_pub[i]);
		throwaway[i] = throwaway_pub[i] = NULL;
	}
	cer_verified_clear();
}

/* Signs x itself by alg's scheme with the throwaway key. */
static int
throwaway_sign(const struct artefact *a, void *x, enum cer_sigalg alg)
{
	const struct cer_sigalg_info *sc = cer_alg_sigalg(alg);
	EVP_MD_CTX *mctx = NULL;
	EVP_PKEY *key = NULL;
	int r;

	if (sc == NULL)
		return cer_fail(CER_ERR_INTERNAL, "no signature scheme");
	if ((r = throwaway_key(sc, &key, NULL)) == CER_OK && (r = scheme_ctx(sc, key, &mctx)) == CER_OK &&
	    a->sign_ctx(x, mctx) <= 0)
		r = cer_fail(CER_ERR_OPENSSL, "cannot sign the %s's lint copy", a->what);
	EVP_MD_CTX_free(mctx);
	EVP_PKEY_free(key);
	return r;
}

int
cer_sign_throwaway(X509 *x, enum cer_sigalg alg, X509 **out)
{
	const struct cer_sigalg_info *sc = cer_alg_sigalg(alg);
	EVP_PKEY *key = NULL, *pub = NULL;
	X509 *copy = NULL;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if (sc == NULL) {
		r = cer_fail(CER_ERR_INTERNAL, "no signature scheme");
		goto out;
	}
	if ((r = throwaway_key(sc, &key, &pub)) != CER_OK)
		goto out;
	/* x gets the scheme's AlgorithmIdentifiers (as the HSM's dry run will give it), so it can be copied */
	if ((r = dry_run(&certificate, x, sc, pub)) != CER_OK)
		goto out;
	if ((copy = X509_dup(x)) == NULL) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot copy the certificate");
		goto out;
	}
	if ((r = throwaway_sign(&certificate, copy, alg)) != CER_OK)
		goto out;
	*out = copy;
	copy = NULL; /* transferred */
	r = CER_OK;
 out:
	EVP_PKEY_free(key);
	X509_free(copy);
	return r;
}

int
cer_sign_throwaway_crl(X509_CRL *crl, enum cer_sigalg alg)
{
	return throwaway_sign(&revocation_list, crl, alg);
}

/* The dry run of t with its signer's public key, and the TBS it gives. */
static int
ocsp_prepare(struct cer_ocsp_tbs *t, const struct cer_sigalg_info *sc, unsigned char **tbs,
    int *len)
{
	int r;

	*tbs = NULL;
	if ((r = ocsp_fresh(t)) != CER_OK ||
	    (r = dry_run(&ocsp_response, t, sc, X509_get0_pubkey(t->signer))) != CER_OK)
		return r;
	if ((*len = ocsp_i2d_tbs(t, tbs)) <= 0)
		return cer_fail(CER_ERR_OPENSSL, "cannot encode the TBS OCSP response");
	return CER_OK;
}

int
cer_sign_ocsp_tbs(struct cer_ocsp_tbs *t, enum cer_sigalg alg, unsigned char **tbs, int *len)
{
	const struct cer_sigalg_info *sc = cer_alg_sigalg(alg);

	if (sc == NULL)
		return cer_fail(CER_ERR_INTERNAL, "no signature scheme");
	return ocsp_prepare(t, sc, tbs, len);
}

int
cer_sign_ocsp_same(struct cer_ocsp_tbs *t, enum cer_sigalg alg, OCSP_BASICRESP *found)
{
	const struct cer_sigalg_info *sc = cer_alg_sigalg(alg);
	unsigned char *tbs = NULL, *mine = NULL, *theirs = NULL;
	int len = 0, n1, n2, r;

	if (sc == NULL)
		return cer_fail(CER_ERR_INTERNAL, "no signature scheme");
	if ((r = ocsp_prepare(t, sc, &tbs, &len)) != CER_OK)
		goto out;
	/* everything but the signature value is what this step makes: compare all of it */
	if (ASN1_STRING_copy(ocsp_signature(t), OCSP_resp_get0_signature(found)) != 1) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot copy a signature");
		goto out;
	}
	n1 = i2d_OCSP_BASICRESP(t->bs, &mine);
	n2 = i2d_OCSP_BASICRESP(found, &theirs);
	r = n1 > 0 && n1 == n2 && memcmp(mine, theirs, (size_t)n1) == 0 ?
	    check_ocsp(found, X509_get0_pubkey(t->signer), NULL) : CER_ERR_VERIFY;
 out:
	OPENSSL_free(tbs);
	OPENSSL_free(mine);
	OPENSSL_free(theirs);
	return r;
}

int
cer_sign_ocsp_throwaway(struct cer_ocsp_tbs *t, enum cer_sigalg alg,
    unsigned char tbs_sha256[static CER_SHA256_LEN])
{
	const struct cer_sigalg_info *sc = cer_alg_sigalg(alg);
	unsigned char *tbs = NULL;
	EVP_MD_CTX *mctx = NULL;
	EVP_PKEY *key = NULL;
	int len = 0, r = CER_ERR_INTERNAL;

	if (sc == NULL) {
		r = cer_fail(CER_ERR_INTERNAL, "no signature scheme");
		goto out;
	}
	if ((r = ocsp_prepare(t, sc, &tbs, &len)) != CER_OK ||
	    (r = cer_sha256(tbs, (size_t)len, tbs_sha256)) != CER_OK ||
	    (r = throwaway_key(sc, &key, NULL)) != CER_OK ||
	    (r = scheme_ctx(sc, key, &mctx)) != CER_OK)
		goto out;
	/* the algorithm (the scheme's, the same) and a throwaway's signature; the TBS as it was */
	if (ASN1_item_sign_ctx(ASN1_ITEM_rptr(OCSP_RESPDATA),
	    (X509_ALGOR *)(uintptr_t)OCSP_resp_get0_tbs_sigalg(t->bs), NULL,
	    ocsp_signature(t), OCSP_resp_get0_respdata(t->bs), mctx) <= 0) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot sign the lint copy");
		goto out;
	}
	r = CER_OK;
 out:
	EVP_MD_CTX_free(mctx);
	EVP_PKEY_free(key);
	OPENSSL_free(tbs);
	return r;
}
