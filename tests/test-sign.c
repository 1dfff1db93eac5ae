/*
 * test-sign.c: the one signing path (x509/sign) against keys in a real,
 * throwaway SoftHSM token: certificates and a CSR signed by RSA PKCS#1 v1.5,
 * RSA-PSS, ECDSA P-256 and Ed25519; what the confirm callback sees and
 * what stopping there leaves; the throwaway copies made for linting.
 */
#include "testlib.h"

#include <dlfcn.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "base/util.h"
#include "base/verified.h"
#include "hsm/hsm.h"
#include "script/script.h"
#include "x509/sign.h"

#define PIN "1234-sign"

static struct cer_hsm *hsm;
static struct cer_token *tok;

/*
 * The token: a fresh SoftHSM token with one label, the module loaded, the
 * token selected, opened and logged in.
 */
static int
token_open(const char *label)
{
	const char *const labels[] = { label, NULL };
	struct cer_token_select sel = { .label = label };
	const char *warning;

	if (testlib_dir_setup(NULL) != 0 || testlib_softhsm(testlib_dir, labels, PIN) != 0)
		return -1;
	if (cer_hsm_load(SOFTHSM_MODULE, &hsm) != CER_OK ||
	    cer_hsm_open_token(hsm, &sel, &tok) != CER_OK ||
	    cer_hsm_login(tok, PIN, strlen(PIN), &warning) != CER_OK)
		return -1;
	return 0;
}

/* A key pair in the token and its public half. */
struct key {
	struct cer_key *key;
	EVP_PKEY *pub;
};
static struct key rsa, ec, ed;

/* What each scheme under test gives: its key, the signature's NID and the HSM mechanism. */
struct scheme {
	enum cer_sigalg alg;
	struct key *key;
	int nid;
	const char *mech;
};
static const struct scheme rsa_pkcs1 = { CER_SIG_SHA256_RSA, &rsa,
    NID_sha256WithRSAEncryption, "CKM_RSA_PKCS" };
static const struct scheme rsa_pss = { CER_SIG_SHA256_RSAPSS, &rsa, NID_rsassaPss,
    "CKM_RSA_PKCS_PSS" };
static const struct scheme ecdsa_p256 = { CER_SIG_ECDSA_SHA256, &ec, NID_ecdsa_with_SHA256,
    "CKM_ECDSA" };
static const struct scheme ed25519 = { CER_SIG_ED25519, &ed, NID_ED25519, "CKM_EDDSA" };
static const struct scheme *const schemes[] = { &rsa_pkcs1, &rsa_pss, &ecdsa_p256, &ed25519 };
#define NSCHEMES (sizeof(schemes) / sizeof(schemes[0]))

static int
generate(struct key *k, enum cer_key_type type, unsigned bits, enum cer_curve curve,
    const char *label)
{
	struct cer_keygen kg = { type, bits, curve, label };
	json_t *tmpl = NULL;
	int r;

	r = cer_hsm_generate(tok, &kg, &k->key, &tmpl);
	json_decref(tmpl);
	if (r != CER_OK)
		return -1;
	return cer_hsm_key_public(tok, k->key, &k->pub) == CER_OK ? 0 : -1;
}

static int
setup(void **state)
{
	/* SoftHSM stays mapped after dlclose, so tests/lsan.supp can name its leaks */
	if (dlopen(SOFTHSM_MODULE, RTLD_NOW | RTLD_NODELETE) == NULL || token_open("sign") != 0)
		return -1;
	if (generate(&rsa, CER_KEY_RSA, 2048, CER_CURVE_NONE, "rsa") != 0 ||
	    generate(&ec, CER_KEY_EC, 0, CER_CURVE_P256, "p256") != 0 ||
	    generate(&ed, CER_KEY_ED25519, 0, CER_CURVE_NONE, "ed25519") != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	struct key *keys[] = { &rsa, &ec, &ed };
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		EVP_PKEY_free(keys[i]->pub);
		cer_hsm_key_free(keys[i]->key);
	}
	cer_sign_forget();
	cer_hsm_close(tok);
	cer_hsm_free(hsm);
	return testlib_dir_teardown(NULL);
}

static struct cer_signer
signer(const struct scheme *sc)
{
	struct cer_signer s = { tok, sc->key->key, sc->key->pub, sc->alg };

	return s;
}

static X509_NAME *
cn_name(const char *cn)
{
	X509_NAME *n = X509_NAME_new();

	assert_non_null(n);
	assert_int_equal(X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, -1, 0), 1);
	return n;
}

/* An unsigned CA certificate for pub named CN=cn, issued by issuer (NULL: itself). */
static X509 *
unsigned_cert(const char *cn, const X509_NAME *issuer, EVP_PKEY *pub)
{
	BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
	X509_NAME *name = cn_name(cn);
	X509 *x = X509_new();

	assert_non_null(x);
	assert_non_null(bc);
	bc->ca = 1;
	assert_int_equal(X509_set_version(x, X509_VERSION_3), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), 0x51c0), 1);
	assert_int_equal(X509_set_subject_name(x, name), 1);
	assert_int_equal(X509_set_issuer_name(x, issuer != NULL ? issuer : name), 1);
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), 0));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 365L * 86400));
	assert_int_equal(X509_set_pubkey(x, pub), 1);
	assert_int_equal(X509_add1_ext_i2d(x, NID_basic_constraints, bc, 1, X509V3_ADD_DEFAULT),
	    1);
	BASIC_CONSTRAINTS_free(bc);
	X509_NAME_free(name);
	return x;
}

static X509_REQ *
unsigned_csr(const char *cn, EVP_PKEY *pub)
{
	X509_NAME *name = cn_name(cn);
	X509_REQ *req = X509_REQ_new();

	assert_non_null(req);
	assert_int_equal(X509_REQ_set_subject_name(req, name), 1);
	assert_int_equal(X509_REQ_set_pubkey(req, pub), 1);
	X509_NAME_free(name);
	return req;
}

/* What the confirm callback saw, and what it answers. */
struct seen {
	int calls;
	unsigned char digest[CER_SHA256_LEN];
	int answer;
};

static int
confirm(void *arg, const unsigned char tbs_sha256[32])
{
	struct seen *s = arg;

	s->calls++;
	memcpy(s->digest, tbs_sha256, CER_SHA256_LEN);
	return s->answer;
}

/* The SHA-256 of a DER encoding that i2d made (len > 0), which is then freed. */
static void
assert_der_sha256(unsigned char *der, int len, const unsigned char want[CER_SHA256_LEN])
{
	unsigned char md[CER_SHA256_LEN];

	assert_true(len > 0);
	assert_int_equal(cer_sha256(der, (size_t)len, md), CER_OK);
	assert_memory_equal(md, want, CER_SHA256_LEN);
	OPENSSL_free(der);
}

static void
assert_cert_tbs_sha256(X509 *x, const unsigned char want[CER_SHA256_LEN])
{
	unsigned char *der = NULL;
	int len = i2d_re_X509_tbs(x, &der);

	assert_der_sha256(der, len, want);
}

/* The transcript record of a signature made with sc whose TBS hashed to digest. */
static void
assert_record(json_t *record, const struct scheme *sc, const unsigned char *digest)
{
	char *hex = NULL;

	assert_non_null(record);
	assert_int_equal(cer_hex(digest, CER_SHA256_LEN, &hex), CER_OK);
	assert_string_equal(json_string_value(json_object_get(record, "tbs_sha256")), hex);
	assert_string_equal(json_string_value(json_object_get(record, "mechanism")), sc->mech);
	assert_string_equal(json_string_value(json_object_get(record, "signature_algorithm")),
	    cer_sigalg_name(sc->alg));
	assert_true(json_is_true(json_object_get(record, "signature_verified")));
	assert_true(json_is_true(json_object_get(record, "tbs_identical")));
	assert_true(json_is_true(json_object_get(record, "issuer_bytes_identical")));
	free(hex);
	json_decref(record);
}

/* The signature value of x: empty until something signs it. */
static int
signature_len(const X509 *x)
{
	const ASN1_BIT_STRING *sig = NULL;

	X509_get0_signature(&sig, NULL, x);
	return sig != NULL ? ASN1_STRING_length(sig) : 0;
}

/* Whether out's bytes are noted as verified with key (base/verified.h), for the lints. */
static void
assert_noted(X509 *out, EVP_PKEY *key, int want)
{
	unsigned char *der = NULL;
	int len;

	assert_true((len = i2d_X509(out, &der)) > 0);
	assert_int_equal(cer_verified_seen(der, (size_t)len, key), want);
	OPENSSL_free(der);
}

/* A self-signed root for sc's key, signed in the HSM and checked every way. */
static void
assert_signs_root(const struct scheme *sc)
{
	struct cer_signer s = signer(sc);
	X509 *x = unsigned_cert("Sign Test Root", NULL, sc->key->pub), *out = NULL;
	struct seen seen = { 0 };
	json_t *record = NULL;
	int mdnid = 0, pknid = 0;

	assert_int_equal(cer_sign_certificate(x, &s, sc->key->pub, X509_get_subject_name(x),
	    confirm, &seen, &out, &record), CER_OK);
	assert_non_null(out);
	assert_int_equal(X509_verify(out, sc->key->pub), 1);
	assert_noted(out, sc->key->pub, 1);
	assert_int_equal(X509_get_signature_nid(out), sc->nid);
	assert_int_equal(X509_NAME_cmp(X509_get_issuer_name(out), X509_get_subject_name(out)), 0);
	/* the callback saw, once, the hash of exactly the TBS that was signed */
	assert_int_equal(seen.calls, 1);
	assert_cert_tbs_sha256(out, seen.digest);
	assert_record(record, sc, seen.digest);
	if (sc->alg == CER_SIG_SHA256_RSAPSS) {
		assert_int_equal(X509_get_signature_info(out, &mdnid, &pknid, NULL, NULL), 1);
		assert_int_equal(mdnid, NID_sha256);
		assert_int_equal(pknid, NID_rsassaPss);
	}
	X509_free(out);
	X509_free(x);
}

static void
test_sign_certificate_rsa_pkcs1(void **state)
{
	assert_signs_root(&rsa_pkcs1);
}

static void
test_sign_certificate_rsa_pss(void **state)
{
	assert_signs_root(&rsa_pss);
}

static void
test_sign_certificate_ecdsa_p256(void **state)
{
	assert_signs_root(&ecdsa_p256);
}

static void
test_sign_certificate_ed25519(void **state)
{
	assert_signs_root(&ed25519);
}

/* A certificate for another key, issued by the HSM key: verifies with the issuer's key only. */
static void
test_sign_certificate_issued(void **state)
{
	struct cer_signer s = signer(&ecdsa_p256);
	EVP_PKEY *subject = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	X509_NAME *issuer = cn_name("Sign Test Issuer");
	X509 *x, *out = NULL;
	struct seen seen = { 0 };
	json_t *record = NULL;

	assert_non_null(subject);
	x = unsigned_cert("Sign Test Subordinate", issuer, subject);
	assert_int_equal(cer_sign_certificate(x, &s, ec.pub, issuer, confirm, &seen, &out,
	    &record), CER_OK);
	assert_int_equal(X509_verify(out, ec.pub), 1);
	assert_int_equal(X509_verify(out, subject), 0);
	ERR_clear_error();
	assert_noted(out, ec.pub, 1);
	assert_noted(out, subject, 0);
	assert_int_equal(X509_NAME_cmp(X509_get_issuer_name(out), issuer), 0);
	assert_cert_tbs_sha256(out, seen.digest);
	assert_record(record, &ecdsa_p256, seen.digest);
	X509_free(out);
	X509_free(x);
	X509_NAME_free(issuer);
	EVP_PKEY_free(subject);
}

/*
 * Signs x with s, confirm answering seen->answer, and requires code, nothing
 * out, an empty OpenSSL queue and (when detail is not NULL) this detail.
 * issuer_name NULL: x's own subject.
 */
static void
assert_sign_fails(X509 *x, const struct cer_signer *s, EVP_PKEY *issuer_pub,
    const X509_NAME *issuer_name, struct seen *seen, int code, const char *detail)
{
	X509 *out = (X509 *)&out;
	json_t *record = (json_t *)&record;

	assert_int_equal(cer_sign_certificate(x, s, issuer_pub, issuer_name != NULL ?
	    issuer_name : X509_get_subject_name(x), confirm, seen, &out, &record), code);
	assert_null(out);
	assert_null(record);
	if (detail != NULL)
		assert_string_equal(cer_err_detail(), detail);
	assert_int_equal(ERR_peek_error(), 0);
}

#define NOT_VERIFIED "the HSM's signature does not verify with the issuer's public key; " \
	"nothing was written"

static void
test_sign_certificate_wrong_issuer_name(void **state)
{
	struct cer_signer s = signer(&ecdsa_p256);
	X509 *x = unsigned_cert("Sign Test Root", NULL, ec.pub);
	X509_NAME *other = cn_name("Someone Else");
	struct seen seen = { 0 };

	assert_sign_fails(x, &s, ec.pub, other, &seen, CER_ERR_VERIFY, "the issuer name is not "
	    "byte-identical to the issuer's subject; nothing was written");
	X509_NAME_free(other);
	X509_free(x);
}

static void
test_sign_certificate_wrong_issuer_key(void **state)
{
	struct cer_signer s = signer(&rsa_pss);
	X509 *x = unsigned_cert("Sign Test Root", NULL, rsa.pub);
	struct seen seen = { 0 };

	assert_sign_fails(x, &s, ec.pub, NULL, &seen, CER_ERR_VERIFY, NOT_VERIFIED);
	X509_free(x);
}

/* A P-256 public key (no private half, as the HSM's public keys have none) of no token. */
static EVP_PKEY *
software_public_key(void)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), *pub;
	unsigned char *der = NULL;
	const unsigned char *p;
	int len;

	assert_non_null(key);
	assert_true((len = i2d_PUBKEY(key, &der)) > 0);
	p = der;
	assert_non_null(pub = d2i_PUBKEY(NULL, &p, len));
	OPENSSL_free(der);
	EVP_PKEY_free(key);
	return pub;
}

/* The signer's public key is not its private key's: the HSM's signature does not verify. */
static void
test_sign_certificate_key_mismatch(void **state)
{
	EVP_PKEY *other = software_public_key();
	struct cer_signer s = { tok, ec.key, other, CER_SIG_ECDSA_SHA256 };
	X509 *x = unsigned_cert("Sign Test Root", NULL, other);
	struct seen seen = { 0 };

	assert_sign_fails(x, &s, other, NULL, &seen, CER_ERR_VERIFY, NOT_VERIFIED);
	assert_int_equal(seen.calls, 1);
	X509_free(x);
	EVP_PKEY_free(other);
}

/* A signer's "public" key with a private half would let the dry run sign: refused, as a bug. */
static void
test_sign_certificate_private_key_refused(void **state)
{
	EVP_PKEY *priv = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	struct cer_signer s = { tok, ec.key, priv, CER_SIG_ECDSA_SHA256 };
	X509 *x = unsigned_cert("Sign Test Root", NULL, priv);
	struct seen seen = { 0 };

	assert_sign_fails(x, &s, priv, NULL, &seen, CER_ERR_INTERNAL,
	    "a dry-run signature succeeded without a private key");
	assert_int_equal(seen.calls, 0);
	X509_free(x);
	EVP_PKEY_free(priv);
}

/* A non-zero answer from confirm stops before C_Sign and is handed back as it came. */
static void
test_sign_certificate_confirm_stops(void **state)
{
	static const int answers[] = { CER_ERR_ABORTED, 42, -1 };
	struct cer_signer s = signer(&ecdsa_p256);
	struct seen seen;
	size_t i;
	X509 *x;

	for (i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		x = unsigned_cert("Sign Test Root", NULL, ec.pub);
		memset(&seen, 0, sizeof(seen));
		seen.answer = answers[i];
		assert_sign_fails(x, &s, ec.pub, NULL, &seen, answers[i], NULL);
		assert_int_equal(seen.calls, 1);
		/* nothing was signed: the certificate still has no signature value */
		assert_int_equal(signature_len(x), 0);
		/* and what was shown is the TBS that would have been signed */
		assert_cert_tbs_sha256(x, seen.digest);
		X509_free(x);
	}
}

static void
test_sign_certificate_no_scheme(void **state)
{
	struct cer_signer s = { tok, ec.key, ec.pub, CER_SIG_NONE };
	X509 *x = unsigned_cert("Sign Test Root", NULL, ec.pub);
	struct seen seen = { 0 };

	assert_sign_fails(x, &s, ec.pub, NULL, &seen, CER_ERR_INTERNAL, "no signature scheme");
	assert_int_equal(seen.calls, 0);
	X509_free(x);
}

static void
test_sign_request(void **state)
{
	X509_REQ *req, *out;
	unsigned char *der;
	struct cer_signer s;
	struct seen seen;
	json_t *record;
	size_t i;
	int len;

	for (i = 0; i < NSCHEMES; i++) {
		s = signer(schemes[i]);
		req = unsigned_csr("Sign Test CSR", schemes[i]->key->pub);
		memset(&seen, 0, sizeof(seen));
		out = NULL;
		record = NULL;
		assert_int_equal(cer_sign_request(req, &s, confirm, &seen, &out, &record), CER_OK);
		assert_non_null(out);
		assert_int_equal(X509_REQ_verify(out, schemes[i]->key->pub), 1);
		assert_int_equal(X509_REQ_get_signature_nid(out), schemes[i]->nid);
		assert_int_equal(seen.calls, 1);
		der = NULL;
		len = i2d_re_X509_REQ_tbs(out, &der);
		assert_der_sha256(der, len, seen.digest);
		assert_record(record, schemes[i], seen.digest);
		X509_REQ_free(out);
		X509_REQ_free(req);
	}
}

/* Signs the CSR as assert_sign_fails signs a certificate, with the same requirements. */
static void
assert_request_fails(X509_REQ *req, const struct cer_signer *s, struct seen *seen, int code,
    const char *detail)
{
	X509_REQ *out = (X509_REQ *)&out;
	json_t *record = (json_t *)&record;

	assert_int_equal(cer_sign_request(req, s, confirm, seen, &out, &record), code);
	assert_null(out);
	assert_null(record);
	if (detail != NULL)
		assert_string_equal(cer_err_detail(), detail);
	assert_int_equal(ERR_peek_error(), 0);
}

/* A CSR for another key than the signer's: its signature cannot verify with the key it carries. */
static void
test_sign_request_other_key(void **state)
{
	struct cer_signer s = signer(&ecdsa_p256);
	X509_REQ *req = unsigned_csr("Sign Test CSR", rsa.pub);
	struct seen seen = { 0 };

	assert_request_fails(req, &s, &seen, CER_ERR_VERIFY, "the HSM's signature on the CSR "
	    "does not verify with its public key; nothing was written");
	X509_REQ_free(req);
}

static void
test_sign_request_confirm_stops(void **state)
{
	struct cer_signer s = signer(&ed25519);
	X509_REQ *req = unsigned_csr("Sign Test CSR", ed.pub);
	struct seen seen = { .answer = CER_ERR_ABORTED };
	const ASN1_BIT_STRING *sig = NULL;

	assert_request_fails(req, &s, &seen, CER_ERR_ABORTED, NULL);
	assert_int_equal(seen.calls, 1);
	/* nothing was signed */
	X509_REQ_get0_signature(req, &sig, NULL);
	assert_true(sig == NULL || ASN1_STRING_length(sig) == 0);
	X509_REQ_free(req);
}

/* The throwaway RSA key, however small, signs by every RSA scheme (PSS-SHA512: 1 041 bits). */
static void
test_sign_throwaway_every_rsa_scheme(void **state)
{
	static const enum cer_sigalg algs[] = { CER_SIG_SHA256_RSA, CER_SIG_SHA384_RSA,
	    CER_SIG_SHA512_RSA, CER_SIG_SHA256_RSAPSS, CER_SIG_SHA384_RSAPSS,
	    CER_SIG_SHA512_RSAPSS };
	X509 *x, *copy;
	size_t i;

	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		x = unsigned_cert("Sign Test Root", NULL, rsa.pub);
		copy = NULL;
		assert_int_equal(cer_sign_throwaway(x, algs[i], &copy), CER_OK);
		assert_true(signature_len(copy) > 0);
		X509_free(copy);
		X509_free(x);
	}
}

/*
 * The lint copy: its TBS is the original's after the dry run, byte for byte,
 * and it is the TBS the HSM then signs for the same scheme.
 */
static void
test_sign_throwaway(void **state)
{
	unsigned char *tbs_x, *tbs_copy, md[CER_SHA256_LEN];
	int len_x, len_copy;
	struct cer_signer s;
	X509 *x, *copy, *out;
	struct seen seen;
	json_t *record;
	size_t i;

	for (i = 0; i < NSCHEMES; i++) {
		x = unsigned_cert("Sign Test Root", NULL, schemes[i]->key->pub);
		copy = NULL;
		assert_int_equal(cer_sign_throwaway(x, schemes[i]->alg, &copy), CER_OK);
		assert_non_null(copy);
		assert_ptr_not_equal(copy, x);
		assert_int_equal(X509_get_signature_nid(copy), schemes[i]->nid);
		assert_true(signature_len(copy) > 0);
		assert_int_equal(signature_len(x), 0);	/* the original is not signed */
		/* signed by a throwaway key, not by the one the certificate holds */
		assert_int_equal(X509_verify(copy, schemes[i]->key->pub), 0);
		ERR_clear_error();
		tbs_x = tbs_copy = NULL;
		len_x = i2d_re_X509_tbs(x, &tbs_x);
		len_copy = i2d_re_X509_tbs(copy, &tbs_copy);
		assert_true(len_x > 0);
		assert_int_equal(len_copy, len_x);
		assert_memory_equal(tbs_copy, tbs_x, (size_t)len_x);
		assert_int_equal(cer_sha256(tbs_copy, (size_t)len_copy, md), CER_OK);

		/* the HSM signs exactly the TBS that was linted */
		s = signer(schemes[i]);
		memset(&seen, 0, sizeof(seen));
		out = NULL;
		record = NULL;
		assert_int_equal(cer_sign_certificate(x, &s, s.pub, X509_get_subject_name(x),
		    confirm, &seen, &out, &record), CER_OK);
		assert_memory_equal(seen.digest, md, CER_SHA256_LEN);
		json_decref(record);
		X509_free(out);
		OPENSSL_free(tbs_x);
		OPENSSL_free(tbs_copy);
		X509_free(copy);
		X509_free(x);
	}
}

/* The throwaway keys are made again after they are freed; a freed set can be freed again. */
static void
test_sign_throwaway_free(void **state)
{
	X509 *x = unsigned_cert("Sign Test Root", NULL, ec.pub), *copy = NULL;

	cer_sign_forget();
	cer_sign_forget();
	assert_int_equal(cer_sign_throwaway(x, CER_SIG_ECDSA_SHA256, &copy), CER_OK);
	assert_non_null(copy);
	X509_free(copy);
	X509_free(x);
}

static void
test_sign_throwaway_no_scheme(void **state)
{
	X509 *x = unsigned_cert("Sign Test Root", NULL, ec.pub), *copy = (X509 *)&copy;

	assert_int_equal(cer_sign_throwaway(x, CER_SIG_NONE, &copy), CER_ERR_INTERNAL);
	assert_null(copy);
	assert_string_equal(cer_err_detail(), "no signature scheme");
	X509_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_certificate_rsa_pkcs1),
		cmocka_unit_test(test_sign_certificate_rsa_pss),
		cmocka_unit_test(test_sign_certificate_ecdsa_p256),
		cmocka_unit_test(test_sign_certificate_ed25519),
		cmocka_unit_test(test_sign_certificate_issued),
		cmocka_unit_test(test_sign_certificate_wrong_issuer_name),
		cmocka_unit_test(test_sign_certificate_wrong_issuer_key),
		cmocka_unit_test(test_sign_certificate_key_mismatch),
		cmocka_unit_test(test_sign_certificate_private_key_refused),
		cmocka_unit_test(test_sign_certificate_confirm_stops),
		cmocka_unit_test(test_sign_certificate_no_scheme),
		cmocka_unit_test(test_sign_request),
		cmocka_unit_test(test_sign_request_other_key),
		cmocka_unit_test(test_sign_request_confirm_stops),
		cmocka_unit_test(test_sign_throwaway),
		cmocka_unit_test(test_sign_throwaway_every_rsa_scheme),
		cmocka_unit_test(test_sign_throwaway_free),
		cmocka_unit_test(test_sign_throwaway_no_scheme),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
