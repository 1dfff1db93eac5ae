/* test-alg.c: the algorithm tables, checked against themselves and against OpenSSL. */
#include "testlib.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include "base/alg.h"

#define NKEYS 3
#define NCURVES 3
#define NSIGALGS 10

/* The names scripts use today: a script that loaded before loads now. */
static const char *const key_names[] = { "", "rsa", "ecdsa", "ed25519" };
static const char *const curve_names[] = { "", "P-256", "P-384", "P-521" };
static const char *const sigalg_names[] = { "", "SHA256WithRSA", "SHA384WithRSA",
    "SHA512WithRSA", "SHA256WithRSAPSS", "SHA384WithRSAPSS", "SHA512WithRSAPSS",
    "ECDSAWithSHA256", "ECDSAWithSHA384", "ECDSAWithSHA512", "PureEd25519" };

/* The index of name in a loader list, as the loader finds it; 0 if absent. */
static unsigned
index_of(const char *const *list, const char *name)
{
	unsigned i;

	for (i = 1; list[i] != NULL; i++)
		if (strcmp(list[i], name) == 0)
			return i;
	return 0;
}

/* The DER of an OID as OpenSSL encodes it, compared with der. */
static void
assert_oid_der(const char *oid, const unsigned char *der, size_t len)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	unsigned char *enc = NULL;
	int n;

	assert_non_null(obj);
	n = i2d_ASN1_OBJECT(obj, &enc);
	assert_true(n > 0);
	assert_int_equal((size_t)n, len);
	assert_memory_equal(enc, der, len);
	OPENSSL_free(enc);
	ASN1_OBJECT_free(obj);
}

static void
test_alg_names_round_trip(void **state)
{
	const char *const *kl = cer_alg_key_type_names(), *const *cl = cer_alg_curve_names(),
	    *const *sl = cer_alg_sigalg_names();
	unsigned v;

	(void)state;
	for (v = 1; v <= NKEYS; v++) {
		assert_int_equal(cer_alg_key_type((enum cer_key_type)v)->type, v);
		assert_string_equal(cer_alg_key_type((enum cer_key_type)v)->name, key_names[v]);
		assert_string_equal(kl[v], key_names[v]);
		assert_int_equal(index_of(kl, key_names[v]), v);
	}
	for (v = 1; v <= NCURVES; v++) {
		assert_int_equal(cer_alg_curve((enum cer_curve)v)->curve, v);
		assert_string_equal(cer_alg_curve((enum cer_curve)v)->name, curve_names[v]);
		assert_string_equal(cer_curve_name((enum cer_curve)v), curve_names[v]);
		assert_string_equal(cl[v], curve_names[v]);
		assert_int_equal(index_of(cl, curve_names[v]), v);
	}
	for (v = 1; v <= NSIGALGS; v++) {
		assert_int_equal(cer_alg_sigalg((enum cer_sigalg)v)->alg, v);
		assert_string_equal(cer_alg_sigalg((enum cer_sigalg)v)->name, sigalg_names[v]);
		assert_string_equal(cer_sigalg_name((enum cer_sigalg)v), sigalg_names[v]);
		assert_string_equal(sl[v], sigalg_names[v]);
		assert_int_equal(index_of(sl, sigalg_names[v]), v);
	}
	/* the lists as the loader walks them: "" first, NULL after the last */
	assert_string_equal(kl[0], "");
	assert_string_equal(cl[0], "");
	assert_string_equal(sl[0], "");
	assert_null(kl[NKEYS + 1]);
	assert_null(cl[NCURVES + 1]);
	assert_null(sl[NSIGALGS + 1]);
	assert_int_equal(index_of(cl, "p384"), 0);
	/* NONE and values past the end have no row */
	assert_null(cer_alg_key_type(CER_KEY_NONE));
	assert_null(cer_alg_curve(CER_CURVE_NONE));
	assert_null(cer_alg_sigalg(CER_SIG_NONE));
	assert_null(cer_alg_sigalg((enum cer_sigalg)(NSIGALGS + 1)));
	assert_string_equal(cer_curve_name(CER_CURVE_NONE), "unknown");
	assert_string_equal(cer_sigalg_name(CER_SIG_NONE), "unknown");
}

static void
test_alg_defaults(void **state)
{
	(void)state;
	assert_int_equal(cer_sigalg_default(CER_KEY_EC, CER_CURVE_P256), CER_SIG_ECDSA_SHA256);
	assert_int_equal(cer_sigalg_default(CER_KEY_EC, CER_CURVE_P384), CER_SIG_ECDSA_SHA384);
	assert_int_equal(cer_sigalg_default(CER_KEY_EC, CER_CURVE_P521), CER_SIG_ECDSA_SHA512);
	assert_int_equal(cer_sigalg_default(CER_KEY_RSA, CER_CURVE_NONE), CER_SIG_SHA256_RSA);
	assert_int_equal(cer_sigalg_default(CER_KEY_ED25519, CER_CURVE_NONE), CER_SIG_ED25519);
	assert_int_equal(cer_sigalg_default(CER_KEY_EC, CER_CURVE_NONE), CER_SIG_NONE);
	assert_int_equal(cer_sigalg_default(CER_KEY_EC, (enum cer_curve)(NCURVES + 1)),
	    CER_SIG_NONE);
	assert_int_equal(cer_sigalg_default(CER_KEY_NONE, CER_CURVE_NONE), CER_SIG_NONE);
}

/* Boulder's rule: any RSA scheme for an RSA key; for the others, their default only. */
static void
test_alg_fits(void **state)
{
	const struct cer_sigalg_info *s;
	unsigned a, t, c;
	int want;

	(void)state;
	for (a = 0; a <= NSIGALGS; a++) {
		for (t = 0; t <= NKEYS; t++) {
			for (c = 0; c <= NCURVES; c++) {
				s = cer_alg_sigalg((enum cer_sigalg)a);
				want = s != NULL && s->key_type == t && (t == CER_KEY_RSA ||
				    a == cer_sigalg_default((enum cer_key_type)t, (enum cer_curve)c));
				assert_int_equal(cer_sigalg_fits((enum cer_sigalg)a,
				    (enum cer_key_type)t, (enum cer_curve)c), want);
			}
		}
	}
	assert_true(cer_sigalg_fits(CER_SIG_SHA512_RSAPSS, CER_KEY_RSA, CER_CURVE_NONE));
	assert_true(cer_sigalg_fits(CER_SIG_ECDSA_SHA384, CER_KEY_EC, CER_CURVE_P384));
	assert_false(cer_sigalg_fits(CER_SIG_ECDSA_SHA384, CER_KEY_EC, CER_CURVE_P256));
	assert_false(cer_sigalg_fits(CER_SIG_SHA256_RSA, CER_KEY_EC, CER_CURVE_P256));
	assert_true(cer_sigalg_fits(CER_SIG_ED25519, CER_KEY_ED25519, CER_CURVE_NONE));
	assert_false(cer_sigalg_fits(CER_SIG_NONE, CER_KEY_RSA, CER_CURVE_NONE));
}

/* Each curve's CKA_EC_PARAMS is OpenSSL's DER of its OID, and its group is that OID's curve. */
static void
test_alg_curves_match_openssl(void **state)
{
	const struct cer_key_type_info *ed = cer_alg_key_type(CER_KEY_ED25519);
	const struct cer_curve_info *c;
	EVP_PKEY *k;
	char group[64];
	unsigned v;

	(void)state;
	for (v = 1; v <= NCURVES; v++) {
		c = cer_alg_curve((enum cer_curve)v);
		assert_oid_der(c->oid, c->params, c->params_len);
		assert_int_equal(OBJ_txt2nid(c->oid), OBJ_sn2nid(c->group));
		assert_non_null(EVP_get_digestbyname(c->hash));
		assert_int_equal(cer_alg_curve_by_group(c->group), v);
		assert_int_equal(cer_alg_curve_by_params(c->params, c->params_len), v);
		/* what a key on the curve reports as its group, as the HSM and plan read it back */
		assert_non_null(k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", c->group));
		assert_int_equal(EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME,
		    group, sizeof(group), NULL), 1);
		assert_int_equal(cer_alg_curve_by_group(group), v);
		EVP_PKEY_free(k);
	}
	assert_oid_der("1.3.101.112", ed->params, ed->params_len);
	assert_null(cer_alg_key_type(CER_KEY_RSA)->params);
	assert_null(cer_alg_key_type(CER_KEY_EC)->params);
	assert_int_equal(cer_alg_curve_by_group("secp256k1"), CER_CURVE_NONE);
	assert_int_equal(cer_alg_curve_by_params(ed->params, ed->params_len), CER_CURVE_NONE);
}

/* Each scheme's OID is OpenSSL's for its hash and key type (or id-RSASSA-PSS, id-Ed25519). */
static void
test_alg_sigalgs_match_openssl(void **state)
{
	static const int key_nids[] = { NID_undef, NID_rsaEncryption, NID_X9_62_id_ecPublicKey,
	    NID_ED25519 };
	const struct cer_sigalg_info *s;
	const struct cer_key_type_info *k;
	EVP_PKEY_CTX *ctx;
	int md_nid, sig_nid;
	unsigned v;

	(void)state;
	for (v = 1; v <= NKEYS; v++) {
		k = cer_alg_key_type((enum cer_key_type)v);
		assert_non_null(ctx = EVP_PKEY_CTX_new_from_name(NULL, k->ossl, NULL));
		EVP_PKEY_CTX_free(ctx);
	}
	for (v = 1; v <= NSIGALGS; v++) {
		s = cer_alg_sigalg((enum cer_sigalg)v);
		assert_int_equal(s->digest == NULL, s->padding == CER_PAD_EDDSA);
		assert_int_equal(s->key_type, s->padding == CER_PAD_ECDSA ? CER_KEY_EC :
		    s->padding == CER_PAD_EDDSA ? CER_KEY_ED25519 : CER_KEY_RSA);
		md_nid = s->digest != NULL ? EVP_MD_get_type(EVP_get_digestbyname(s->digest)) :
		    NID_undef;
		assert_true(s->digest == NULL || md_nid != NID_undef);
		if (s->padding == CER_PAD_PSS)
			sig_nid = NID_rsassaPss;
		else if (s->padding == CER_PAD_EDDSA)	/* RFC 8410: the key's own OID, no hash */
			sig_nid = key_nids[s->key_type];
		else
			assert_int_equal(OBJ_find_sigid_by_algs(&sig_nid, md_nid,
			    key_nids[s->key_type]), 1);
		assert_int_equal(OBJ_txt2nid(s->oid), sig_nid);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alg_names_round_trip),
		cmocka_unit_test(test_alg_defaults),
		cmocka_unit_test(test_alg_fits),
		cmocka_unit_test(test_alg_curves_match_openssl),
		cmocka_unit_test(test_alg_sigalgs_match_openssl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
