/* test-hsm.c: the PKCS#11 layer against throwaway SoftHSM tokens. */
#include "testlib.h"

#include <dlfcn.h>
#include <unistd.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "hsm/hsm.h"
#include "hsm/hsm-int.h"	/* the CKR_/CKM_ names, cer_hsm_mechanism, the slot of a token */
#include "base/util.h"

#define PIN "1234-test"

static struct cer_hsm *hsm;
static char dir[] = "/tmp/test-hsm.XXXXXX";

static int
setup(void **state)
{
	static const char *const labels[] = { "t1", "t2", "dup", "dup", NULL };

	(void)state;
	/*
	 * Keep SoftHSM mapped after cer_hsm_free's dlclose, so a leak inside it
	 * (2.6.1 leaks 37 bytes per Ed25519 C_Sign) is attributed to it and
	 * tests/lsan.supp can name it; our own leaks stay errors.
	 */
	if (dlopen(SOFTHSM_MODULE, RTLD_NOW | RTLD_NODELETE) == NULL)
		return -1;
	if (mkdtemp(dir) == NULL || testlib_softhsm(dir, labels, PIN) != 0)
		return -1;
	return cer_hsm_load(SOFTHSM_MODULE, &hsm) == CER_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	cer_hsm_free(hsm);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Opens and logs in to the token with this label. */
static struct cer_token *
open_label(const char *label)
{
	struct cer_token_select sel = { .label = label };
	struct cer_token *tok = NULL;
	const char *warning;

	assert_int_equal(cer_hsm_open_token(hsm, &sel, &tok), CER_OK);
	assert_int_equal(cer_hsm_login(tok, PIN, strlen(PIN), &warning), CER_OK);
	return tok;
}

/* The slot of the token that sel opens. */
static CK_SLOT_ID
selected_slot(const struct cer_token_select *sel)
{
	struct cer_token *tok = NULL;
	CK_SLOT_ID slot;

	assert_int_equal(cer_hsm_open_token(hsm, sel, &tok), CER_OK);
	slot = tok->slot;
	cer_hsm_close(tok);
	return slot;
}

static void
test_hsm_free_null(void **state)
{
	(void)state;
	cer_hsm_free(NULL);
	cer_hsm_close(NULL);
	cer_hsm_key_free(NULL);
}

static void
test_hsm_rv_name(void **state)
{
	(void)state;
	assert_string_equal(cer_hsm_rv_name(CKR_PIN_INCORRECT), "CKR_PIN_INCORRECT");
	assert_string_equal(cer_hsm_rv_name(CKR_OK), "CKR_OK");
	assert_string_equal(cer_hsm_rv_name(0x7ffffff0UL), "CKR_0x7ffffff0");
	assert_string_equal(cer_hsm_mech_name(CKM_ECDSA), "CKM_ECDSA");
}

static void
test_hsm_load_missing(void **state)
{
	struct cer_hsm *h = NULL;

	(void)state;
	assert_int_equal(cer_hsm_load("/nonexistent/module.so", &h), CER_ERR_PKCS11);
	assert_null(h);
	assert_non_null(strstr(cer_err_detail(), "cannot load PKCS#11 module"));
}

static void
test_hsm_load_not_a_module(void **state)
{
	struct cer_hsm *h = NULL;

	(void)state;
	assert_int_equal(cer_hsm_load("libyaml-0.so.2", &h), CER_ERR_PKCS11);
	assert_non_null(strstr(cer_err_detail(), "no C_GetFunctionList"));
}

static void
test_hsm_select_by_label_serial_uri_slot(void **state)
{
	struct cer_token_select sel = { .label = "t1" };
	struct cer_token *tok = NULL;
	CK_SLOT_ID slot;
	char uri[128], serial[17];

	(void)state;
	assert_int_equal(cer_hsm_open_token(hsm, &sel, &tok), CER_OK);
	slot = tok->slot;
	assert_string_equal(cer_hsm_token_label(tok), "t1");
	assert_true(cer_hsm_token_is_softhsm(tok));
	snprintf(serial, sizeof(serial), "%s", cer_hsm_token_serial(tok));
	cer_hsm_close(tok);

	memset(&sel, 0, sizeof(sel));
	sel.serial = serial;
	assert_true(selected_slot(&sel) == slot);

	memset(&sel, 0, sizeof(sel));
	snprintf(uri, sizeof(uri), "pkcs11:manufacturer=SoftHSM%%20project;token=t1");
	sel.uri = uri;
	assert_true(selected_slot(&sel) == slot);

	memset(&sel, 0, sizeof(sel));
	sel.has_slot = 1;
	sel.slot = slot;
	assert_true(selected_slot(&sel) == slot);
}

static void
test_hsm_select_none(void **state)
{
	struct cer_token_select sel = { .label = "nope" };
	struct cer_token *tok = NULL;

	(void)state;
	assert_int_equal(cer_hsm_open_token(hsm, &sel, &tok), CER_ERR_TOKEN);
	assert_null(tok);
	assert_non_null(strstr(cer_err_detail(), "no initialised token matches token-label 'nope'"));
	assert_non_null(strstr(cer_err_detail(), "'t1'"));
}

static void
test_hsm_select_ambiguous(void **state)
{
	struct cer_token_select sel = { .label = "dup" };
	struct cer_token *tok = NULL;

	(void)state;
	assert_int_equal(cer_hsm_open_token(hsm, &sel, &tok), CER_ERR_TOKEN);
	assert_non_null(strstr(cer_err_detail(), "2 tokens match token-label 'dup'"));
	memset(&sel, 0, sizeof(sel));
	sel.uri = "pkcs11:model=SoftHSM%20v2";
	assert_int_equal(cer_hsm_open_token(hsm, &sel, &tok), CER_ERR_TOKEN);
}

static void
test_hsm_select_slot_missing(void **state)
{
	struct cer_token_select sel = { .has_slot = 1, .slot = 424242 };
	struct cer_token *tok = NULL;

	(void)state;
	assert_int_equal(cer_hsm_open_token(hsm, &sel, &tok), CER_ERR_TOKEN);
	assert_non_null(strstr(cer_err_detail(), "slot ID 424242"));
}

static void
test_hsm_login_wrong_pin(void **state)
{
	struct cer_token_select sel = { .label = "t2" };
	struct cer_token *tok = NULL;
	const char *warning;

	(void)state;
	assert_int_equal(cer_hsm_open_token(hsm, &sel, &tok), CER_OK);
	assert_int_equal(cer_hsm_login(tok, "wrong", 5, &warning), CER_ERR_PIN);
	assert_non_null(strstr(cer_err_detail(), "CKR_PIN_INCORRECT"));
	assert_non_null(strstr(cer_err_detail(), "not retried"));
	assert_null(strstr(cer_err_detail(), "wrong"));
	/* The right PIN works, and the token's failure counter is reported. */
	assert_int_equal(cer_hsm_login(tok, PIN, strlen(PIN), &warning), CER_OK);
	assert_non_null(warning);
	assert_non_null(strstr(warning, "CKF_USER_PIN_COUNT_LOW"));
	cer_hsm_close(tok);
}

/* Generates, checks the read-back attributes, and returns the key. */
static struct cer_key *
generate(struct cer_token *tok, enum cer_key_type type, unsigned bits, enum cer_curve curve,
    const char *label)
{
	struct cer_keygen kg = { type, bits, curve, label };
	struct cer_key *key = NULL;
	json_t *tmpl = NULL, *rb = NULL, *priv;
	int taken = 1;

	assert_int_equal(cer_hsm_label_taken(tok, label, &taken), CER_OK);
	assert_false(taken);
	assert_int_equal(cer_hsm_generate(tok, &kg, &key, &tmpl), CER_OK);
	assert_int_equal(cer_hsm_key_attributes(tok, key, &rb), CER_OK);
	priv = json_object_get(rb, "private");
	assert_true(json_is_true(json_object_get(priv, "CKA_LOCAL")));
	assert_true(json_is_true(json_object_get(priv, "CKA_ALWAYS_SENSITIVE")));
	assert_true(json_is_true(json_object_get(priv, "CKA_NEVER_EXTRACTABLE")));
	assert_true(json_is_false(json_object_get(priv, "CKA_EXTRACTABLE")));
	assert_true(json_is_false(json_object_get(priv, "CKA_DECRYPT")));
	assert_true(json_is_false(json_object_get(priv, "CKA_UNWRAP")));
	assert_string_equal(json_string_value(json_object_get(priv, "CKA_LABEL")), label);
	assert_string_equal(json_string_value(json_object_get(priv, "CKA_ID")),
	    cer_hsm_key_id_hex(key));
	assert_string_equal(json_string_value(json_object_get(json_object_get(rb, "public"),
	    "CKA_ID")), cer_hsm_key_id_hex(key));
	assert_non_null(json_object_get(json_object_get(tmpl, "private"), "CKA_SENSITIVE"));
	assert_int_equal(cer_hsm_label_taken(tok, label, &taken), CER_OK);
	assert_true(taken);
	json_decref(tmpl);
	json_decref(rb);
	return key;
}

/* Signs a digest (or, for EdDSA, the message) by alg in the HSM and verifies it in software. */
static void
sign_and_verify(struct cer_token *tok, struct cer_key *key, enum cer_sigalg alg, int raw_ecdsa)
{
	unsigned char msg[] = "tbs bytes", *sig = NULL, *der = NULL;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY *pub = NULL;
	unsigned char digest[32];
	ECDSA_SIG *es;
	size_t sig_len = 0;
	int der_len;

	assert_int_equal(cer_hsm_key_public(tok, key, &pub), CER_OK);
	if (raw_ecdsa) {
		assert_int_equal(cer_sha256(msg, sizeof(msg), digest), CER_OK);
		assert_int_equal(cer_hsm_sign(tok, key, alg, digest, 32, &sig, &sig_len), CER_OK);
		es = ECDSA_SIG_new();
		ECDSA_SIG_set0(es, BN_bin2bn(sig, (int)sig_len / 2, NULL),
		    BN_bin2bn(sig + sig_len / 2, (int)sig_len / 2, NULL));
		der_len = i2d_ECDSA_SIG(es, &der);
		ECDSA_SIG_free(es);
		assert_int_equal(EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, pub), 1);
		assert_int_equal(EVP_DigestVerify(ctx, der, (size_t)der_len, msg, sizeof(msg)), 1);
		OPENSSL_free(der);
	} else {
		assert_int_equal(cer_hsm_sign(tok, key, alg, msg, sizeof(msg), &sig, &sig_len), CER_OK);
		assert_int_equal(EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pub), 1);
		assert_int_equal(EVP_DigestVerify(ctx, sig, sig_len, msg, sizeof(msg)), 1);
	}
	free(sig);
	EVP_PKEY_free(pub);
	EVP_MD_CTX_free(ctx);
}

static void
test_hsm_generate_ec_curves(void **state)
{
	struct cer_token *tok = open_label("t1");
	struct cer_key *k;
	EVP_PKEY *pub = NULL;

	(void)state;
	k = generate(tok, CER_KEY_EC, 0, CER_CURVE_P256, "p256");
	assert_int_equal(cer_hsm_key_public(tok, k, &pub), CER_OK);
	assert_int_equal(EVP_PKEY_get_bits(pub), 256);
	EVP_PKEY_free(pub);
	sign_and_verify(tok, k, CER_SIG_ECDSA_SHA256, 1);
	cer_hsm_key_free(k);
	cer_hsm_key_free(generate(tok, CER_KEY_EC, 0, CER_CURVE_P384, "p384"));
	cer_hsm_key_free(generate(tok, CER_KEY_EC, 0, CER_CURVE_P521, "p521"));
	cer_hsm_close(tok);
}

static void
test_hsm_generate_ed25519(void **state)
{
	struct cer_token *tok = open_label("t1");
	struct cer_key *k = generate(tok, CER_KEY_ED25519, 0, CER_CURVE_NONE, "ed");

	(void)state;
	sign_and_verify(tok, k, CER_SIG_ED25519, 0);
	cer_hsm_key_free(k);
	cer_hsm_close(tok);
}

static void
test_hsm_generate_rsa_and_find(void **state)
{
	struct cer_token *tok = open_label("t1");
	struct cer_key *k = generate(tok, CER_KEY_RSA, 2048, CER_CURVE_NONE, "rsa");
	struct cer_key *found = NULL;
	EVP_PKEY *pub = NULL, *other = NULL;
	BIGNUM *e = NULL;

	(void)state;
	assert_int_equal(cer_hsm_key_public(tok, k, &pub), CER_OK);
	assert_int_equal(EVP_PKEY_get_bits(pub), 2048);
	assert_int_equal(EVP_PKEY_get_bn_param(pub, "e", &e), 1);
	assert_true(BN_is_word(e, 65537));
	assert_int_equal(cer_hsm_find_key(tok, "rsa", pub, &found), CER_OK);
	assert_string_equal(cer_hsm_key_id_hex(found), cer_hsm_key_id_hex(k));
	cer_hsm_key_free(found);
	found = NULL;
	assert_int_equal(cer_hsm_find_key(tok, "rsa", NULL, &found), CER_OK);
	cer_hsm_key_free(found);
	found = NULL;
	/* A key that is not the expected one is refused. */
	other = EVP_RSA_gen(2048);
	assert_int_equal(cer_hsm_find_key(tok, "rsa", other, &found), CER_ERR_KEY);
	assert_null(found);
	assert_int_equal(cer_hsm_find_key(tok, "no such label", NULL, &found), CER_ERR_KEY);
	BN_free(e);
	EVP_PKEY_free(other);
	EVP_PKEY_free(pub);
	cer_hsm_key_free(k);
	cer_hsm_close(tok);
}

/* PKCS#1 v1.5 signs the DigestInfo, PSS the digest; the HSM builds each mechanism. */
static void
test_hsm_sign_rsa_schemes(void **state)
{
	static const unsigned char sha256_info[] = { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
	    0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20 };
	static const struct { enum cer_sigalg alg; const char *md; } pss[] = {
		{ CER_SIG_SHA256_RSAPSS, "SHA256" }, { CER_SIG_SHA384_RSAPSS, "SHA384" },
		{ CER_SIG_SHA512_RSAPSS, "SHA512" },
	};
	struct cer_token *tok = open_label("t2");
	struct cer_key *k = generate(tok, CER_KEY_RSA, 2048, CER_CURVE_NONE, "rsa-schemes");
	unsigned char msg[] = "tbs bytes", in[sizeof(sha256_info) + 32], d[64], *sig = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	EVP_MD_CTX *ctx;
	EVP_PKEY *pub = NULL;
	unsigned int dlen;
	size_t sig_len = 0, i;

	(void)state;
	assert_int_equal(cer_hsm_key_public(tok, k, &pub), CER_OK);
	memcpy(in, sha256_info, sizeof(sha256_info));
	assert_int_equal(cer_sha256(msg, sizeof(msg), in + sizeof(sha256_info)), CER_OK);
	assert_int_equal(cer_hsm_sign(tok, k, CER_SIG_SHA256_RSA, in, sizeof(in), &sig, &sig_len),
	    CER_OK);
	ctx = EVP_MD_CTX_new();
	assert_int_equal(EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, pub), 1);
	assert_int_equal(EVP_DigestVerify(ctx, sig, sig_len, msg, sizeof(msg)), 1);
	EVP_MD_CTX_free(ctx);
	free(sig);
	for (i = 0; i < sizeof(pss) / sizeof(pss[0]); i++) {
		assert_int_equal(EVP_Digest(msg, sizeof(msg), d, &dlen,
		    EVP_get_digestbyname(pss[i].md), NULL), 1);
		assert_int_equal(cer_hsm_sign(tok, k, pss[i].alg, d, dlen, &sig, &sig_len), CER_OK);
		ctx = EVP_MD_CTX_new();
		assert_int_equal(EVP_DigestVerifyInit(ctx, &pctx, EVP_get_digestbyname(pss[i].md),
		    NULL, pub), 1);
		/* the salt must be as long as the hash */
		assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING), 1);
		assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST), 1);
		assert_int_equal(EVP_DigestVerify(ctx, sig, sig_len, msg, sizeof(msg)), 1);
		EVP_MD_CTX_free(ctx);
		free(sig);
	}
	sig = NULL;
	assert_int_equal(cer_hsm_sign(tok, k, CER_SIG_NONE, d, 32, &sig, &sig_len), CER_ERR_INTERNAL);
	assert_null(sig);
	EVP_PKEY_free(pub);
	cer_hsm_key_free(k);
	cer_hsm_close(tok);
}

static void
test_hsm_sign_mechanism_names(void **state)
{
	(void)state;
	assert_string_equal(cer_hsm_sign_mechanism(CER_SIG_SHA384_RSA), "CKM_RSA_PKCS");
	assert_string_equal(cer_hsm_sign_mechanism(CER_SIG_SHA256_RSAPSS), "CKM_RSA_PKCS_PSS");
	assert_string_equal(cer_hsm_sign_mechanism(CER_SIG_ECDSA_SHA512), "CKM_ECDSA");
	assert_string_equal(cer_hsm_sign_mechanism(CER_SIG_ED25519), "CKM_EDDSA");
	assert_string_equal(cer_hsm_sign_mechanism(CER_SIG_NONE), "CKM_0x80000000");
}

static void
test_hsm_random(void **state)
{
	struct cer_token *tok = open_label("t2");
	unsigned char a[16] = { 0 }, b[16] = { 0 };

	(void)state;
	assert_int_equal(cer_hsm_random(tok, a, sizeof(a)), CER_OK);
	assert_int_equal(cer_hsm_random(tok, b, sizeof(b)), CER_OK);
	assert_memory_not_equal(a, b, sizeof(a));
	cer_hsm_close(tok);
}

/* The token lock: a second holder is refused, naming the file; closing releases it. */
static void
test_hsm_token_lock(void **state)
{
	struct cer_token *a = open_label("t2"), *b = open_label("t2"), *c = open_label("t1");
	const char *path = NULL;
	char first[4096];

	(void)state;
	assert_true(cer_hsm_token_same(a, b));
	assert_false(cer_hsm_token_same(a, c));
	assert_int_equal(cer_hsm_token_lock(a, dir, &path), CER_OK);
	snprintf(first, sizeof(first), "%s", path);
	assert_int_equal(strncmp(first, dir, strlen(dir)), 0);
	assert_int_equal(cer_hsm_token_lock(b, dir, &path), CER_ERR_TOKEN);
	assert_non_null(strstr(cer_err_detail(), "is in use by another ceremony"));
	assert_non_null(strstr(cer_err_detail(), first));
	assert_int_equal(cer_hsm_token_lock(c, dir, &path), CER_OK);	/* another token */
	cer_hsm_close(a);
	assert_int_equal(cer_hsm_token_lock(b, dir, &path), CER_OK);
	cer_hsm_close(b);
	cer_hsm_close(c);
}

/* A new pair alone with its label passes; with another pair there, it is found out and destroyed. */
static void
test_hsm_key_sole_and_destroy(void **state)
{
	struct cer_token *tok = open_label("t1");
	struct cer_key *k = generate(tok, CER_KEY_EC, 0, CER_CURVE_P256, "sole");
	struct cer_key *twin = generate(tok, CER_KEY_EC, 0, CER_CURVE_P256, "solo");
	struct cer_keygen kg = { CER_KEY_EC, 0, CER_CURVE_P384, "sole" };
	json_t *gone = NULL;
	int taken = 0;

	(void)state;
	assert_int_equal(cer_hsm_key_sole(tok, k), CER_OK);
	assert_int_equal(cer_hsm_key_reread(tok, k), CER_OK);
	assert_int_equal(cer_hsm_key_matches(tok, k, &kg), CER_ERR_KEY);	/* P-256, not P-384 */
	free(twin->label);
	twin->label = strdup("sole");	/* as if another process had made "sole" too */
	assert_int_equal(cer_hsm_key_sole(tok, twin), CER_ERR_KEY);
	assert_non_null(strstr(cer_err_detail(), "holds 2 objects labelled 'sole'"));
	assert_int_equal(cer_hsm_key_destroy(tok, k, &gone), CER_OK);
	assert_int_equal(json_array_size(gone), 2);
	assert_int_equal(cer_hsm_label_taken(tok, "sole", &taken), CER_OK);
	assert_false(taken);
	json_decref(gone);
	cer_hsm_key_free(k);
	cer_hsm_key_free(twin);
	cer_hsm_close(tok);
}

static void
test_hsm_mechanism(void **state)
{
	struct cer_token *tok = open_label("t2");
	json_t *info = NULL;

	(void)state;
	assert_int_equal(cer_hsm_can_sign(tok, CER_SIG_ECDSA_SHA256, 0, &info), CER_OK);
	assert_string_equal(json_string_value(json_object_get(info, "mechanism")), "CKM_ECDSA");
	json_decref(info);
	assert_int_equal(cer_hsm_can_generate(tok, CER_KEY_RSA, 100000, NULL), CER_ERR_MECHANISM);
	assert_int_equal(cer_hsm_mechanism(tok, CKM_VENDOR_DEFINED + 7, CKF_SIGN, 0, NULL),
	    CER_ERR_MECHANISM);
	assert_non_null(strstr(cer_err_detail(), "does not offer"));
	cer_hsm_close(tok);
}

static void
test_hsm_describe(void **state)
{
	struct cer_token *tok = open_label("t2");
	json_t *d = NULL;

	(void)state;
	assert_int_equal(cer_hsm_describe(hsm, &d), CER_OK);
	assert_int_equal(strlen(json_string_value(json_object_get(d, "sha256"))), 64);
	json_decref(d);
	assert_int_equal(cer_hsm_token_describe(tok, &d), CER_OK);
	assert_string_equal(json_string_value(json_object_get(json_object_get(d, "token"),
	    "label")), "t2");
	json_decref(d);
	cer_hsm_close(tok);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hsm_free_null),
		cmocka_unit_test(test_hsm_rv_name),
		cmocka_unit_test(test_hsm_load_missing),
		cmocka_unit_test(test_hsm_load_not_a_module),
		cmocka_unit_test(test_hsm_select_by_label_serial_uri_slot),
		cmocka_unit_test(test_hsm_select_none),
		cmocka_unit_test(test_hsm_select_ambiguous),
		cmocka_unit_test(test_hsm_select_slot_missing),
		cmocka_unit_test(test_hsm_login_wrong_pin),
		cmocka_unit_test(test_hsm_generate_ec_curves),
		cmocka_unit_test(test_hsm_generate_ed25519),
		cmocka_unit_test(test_hsm_token_lock),
		cmocka_unit_test(test_hsm_key_sole_and_destroy),
		cmocka_unit_test(test_hsm_generate_rsa_and_find),
		cmocka_unit_test(test_hsm_sign_rsa_schemes),
		cmocka_unit_test(test_hsm_sign_mechanism_names),
		cmocka_unit_test(test_hsm_random),
		cmocka_unit_test(test_hsm_mechanism),
		cmocka_unit_test(test_hsm_describe),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
