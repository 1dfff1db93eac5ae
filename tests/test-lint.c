/*
 * test-lint.c: the lint engine on certificates built here with OpenSSL and
 * software keys; the flaws openssl(1) cannot make are made in C.
 */
#include "testlib.h"

#include <time.h>

#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "base/br.h"
#include "base/verified.h"
#include "lint/lint-int.h"
#include "lint/lint.h"

#define AT_2027 1798761600	/* 2027-01-01 00:00:00 UTC */

static EVP_PKEY *root_key, *sub_key;

/* notBefore of what make() builds; OCSP tests need "now" (OCSP_basic_sign's producedAt). */
static time_t not_before = AT_2027;

static int
setup(void **state)
{
	(void)state;
	root_key = EVP_EC_gen("P-384");
	sub_key = EVP_EC_gen("P-256");
	return root_key != NULL && sub_key != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(root_key);
	EVP_PKEY_free(sub_key);
	return 0;
}

static void
add_ext(X509 *x, X509 *issuer, const char *name, const char *value)
{
	/* certificatePolicies wants a config database, even an empty one. */
	CONF *conf = NCONF_new(NULL);
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx(&ctx, issuer != NULL ? issuer : x, x, NULL, NULL, 0);
	X509V3_set_nconf(&ctx, conf);
	e = X509V3_EXT_nconf(conf, &ctx, name, value);
	if (e == NULL)
		ERR_print_errors_fp(stderr);
	NCONF_free(conf);
	assert_non_null(e);
	assert_int_equal(X509_add_ext(x, e, -1), 1);
	X509_EXTENSION_free(e);
}

/*
 * A certificate for key with subject C/O/CN, valid from AT_2027 for
 * `days`, signed by signer as issuer (NULL: self-signed); exts are
 * name, value pairs ending in NULL.
 */
static X509 *
make(EVP_PKEY *key, EVP_PKEY *signer, X509 *issuer, const char *cn, long days,
    const char *const *exts)
{
	unsigned char serial[17] = { 0x01 };
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();
	ASN1_INTEGER *ai;
	BIGNUM *bn;

	assert_int_equal(RAND_bytes(serial + 1, 16), 1);
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	ai = BN_to_ASN1_INTEGER(bn, NULL);
	assert_int_equal(X509_set_version(x, X509_VERSION_3), 1);
	assert_int_equal(X509_set_serialNumber(x, ai), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC,
	    (const unsigned char *)"US", -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8,
	    (const unsigned char *)"Example CA", -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, -1, 0), 1);
	assert_int_equal(X509_set_subject_name(x, n), 1);
	assert_int_equal(X509_set_issuer_name(x, issuer != NULL ?
	    X509_get_subject_name(issuer) : n), 1);
	assert_non_null(ASN1_TIME_set(X509_getm_notBefore(x), not_before));
	assert_non_null(ASN1_TIME_set(X509_getm_notAfter(x), not_before + days * 86400));
	assert_int_equal(X509_set_pubkey(x, key), 1);
	for (; exts != NULL && *exts != NULL; exts += 2)
		add_ext(x, issuer, exts[0], exts[1]);
	assert_true(X509_sign(x, signer, EVP_sha384()) > 0);
	X509_NAME_free(n);
	ASN1_INTEGER_free(ai);
	BN_free(bn);
	return x;
}

static const char *const root_exts[] = {
	"basicConstraints", "critical,CA:TRUE",
	"keyUsage", "critical,keyCertSign,cRLSign,digitalSignature",
	"subjectKeyIdentifier", "hash",
	"authorityKeyIdentifier", "keyid:always",
	NULL,
};

static const char *const sub_exts[] = {
	"basicConstraints", "critical,CA:TRUE,pathlen:0",
	"keyUsage", "critical,keyCertSign,cRLSign,digitalSignature",
	"subjectKeyIdentifier", "hash",
	"authorityKeyIdentifier", "keyid:always",
	"extendedKeyUsage", "serverAuth",
	"certificatePolicies", "2.23.140.1.2.1",
	"crlDistributionPoints", "URI:http://crl.example.com/r1.crl",
	"authorityInfoAccess", "caIssuers;URI:http://example.com/r1.der",
	NULL,
};

/* A root with an EKU: root.no_eku, and nothing else, fails. */
static const char *const eku_root_exts[] = {
	"basicConstraints", "critical,CA:TRUE", "keyUsage", "critical,keyCertSign,cRLSign",
	"subjectKeyIdentifier", "hash", "extendedKeyUsage", "serverAuth", NULL,
};

static X509 *
make_root(void)
{
	return make(root_key, root_key, NULL, "Example Root R1", 3650, root_exts);
}

/* The finding of rule in res; fails the test when the rule did not run. */
static const struct cer_lint_finding *
finding(const struct cer_lint_result *res, const char *rule)
{
	const struct cer_lint_finding *f;
	size_t i;

	for (i = 0; (f = cer_lint_result_get(res, i)) != NULL; i++)
		if (strcmp(f->rule, rule) == 0)
			return f;
	fail_msg("rule %s did not run", rule);
	return NULL;
}

static enum cer_lint_verdict
verdict(const struct cer_lint_result *res, const char *rule)
{
	return finding(res, rule)->verdict;
}

static struct cer_lint_result *
lint(X509 *x, X509 *issuer, enum cer_lint_profile p, const char *const *skip)
{
	struct cer_lint_result *res = NULL;

	assert_int_equal(cer_lint_certificate(x, issuer, p, AT_2027, skip, &res), CER_OK);
	return res;
}

/* Lints x and asserts that rule fails. */
static void
assert_fails(X509 *x, X509 *issuer, enum cer_lint_profile p, const char *rule)
{
	struct cer_lint_result *res = lint(x, issuer, p, NULL);

	assert_int_equal(verdict(res, rule), CER_LINT_FAIL);
	cer_lint_result_free(res);
}

static void
test_lint_free_null(void **state)
{
	(void)state;
	cer_lint_result_free(NULL);
	assert_int_equal(cer_lint_result_errors(NULL), 0);
	assert_int_equal(cer_lint_result_count(NULL), 0);
	assert_null(cer_lint_result_get(NULL, 0));
}

static void
test_lint_clean_root(void **state)
{
	X509 *root = make_root();
	struct cer_lint_result *res = lint(root, NULL, CER_LINT_ROOT, NULL);
	json_t *j = NULL;
	size_t i;

	(void)state;
	assert_int_equal(cer_lint_result_errors(res), 0);
	assert_int_equal(cer_lint_result_warnings(res), 0);
	assert_true(cer_lint_result_count(res) >= 60);
	assert_int_equal(cer_lint_result_json(res, &j), CER_OK);
	assert_int_equal(json_array_size(j), cer_lint_result_count(res));
	for (i = 0; i < json_array_size(j); i++) {
		json_t *o = json_array_get(j, i);

		assert_non_null(json_string_value(json_object_get(o, "citation")));
		if (strcmp(json_string_value(json_object_get(o, "severity")), "notice") != 0)
			assert_string_equal(json_string_value(json_object_get(o, "verdict")), "pass");
	}
	json_decref(j);
	cer_lint_result_free(res);
	X509_free(root);
}

static void
test_lint_clean_sub(void **state)
{
	X509 *root = make_root(), *sub = make(sub_key, root_key, root, "Example Sub E1", 365,
	    sub_exts);
	struct cer_lint_result *res = lint(sub, root, CER_LINT_SUBORDINATE, NULL);

	(void)state;
	assert_int_equal(cer_lint_result_errors(res), 0);
	assert_int_equal(cer_lint_result_warnings(res), 0);
	assert_int_equal(verdict(res, "cert.aki"), CER_LINT_PASS);
	assert_int_equal(verdict(res, "cert.signature"), CER_LINT_PASS);
	cer_lint_result_free(res);
	X509_free(sub);
	X509_free(root);
}

static void
test_lint_profile_guess(void **state)
{
	static const char *const ocsp_exts[] = {
		"keyUsage", "critical,digitalSignature", "extendedKeyUsage", "OCSPSigning", NULL,
	};
	static const char *const ee_exts[] = { "keyUsage", "critical,digitalSignature", NULL };
	static const char *const tc_exts[] = {
		"basicConstraints", "critical,CA:TRUE", "nameConstraints", "critical,permitted;DNS:a.example",
		NULL,
	};
	X509 *root = make_root(), *sub = make(sub_key, root_key, root, "S", 365, sub_exts),
	    *ocsp = make(sub_key, root_key, root, "O", 90, ocsp_exts),
	    *ee = make(sub_key, root_key, root, "E", 90, ee_exts),
	    *tc = make(sub_key, root_key, root, "T", 90, tc_exts);
	enum cer_lint_profile p;

	(void)state;
	assert_int_equal(cer_lint_profile_guess(root, &p), CER_OK);
	assert_int_equal(p, CER_LINT_ROOT);
	assert_int_equal(cer_lint_profile_guess(sub, &p), CER_OK);
	assert_int_equal(p, CER_LINT_SUBORDINATE);
	assert_int_equal(cer_lint_profile_guess(tc, &p), CER_OK);
	assert_int_equal(p, CER_LINT_SUBORDINATE_TC);
	assert_int_equal(cer_lint_profile_guess(ocsp, &p), CER_OK);
	assert_int_equal(p, CER_LINT_OCSP_RESPONDER);
	assert_int_equal(cer_lint_profile_guess(ee, &p), CER_ERR_VERIFY);
	X509_free(root);
	X509_free(sub);
	X509_free(ocsp);
	X509_free(ee);
	X509_free(tc);
}

static void
test_lint_names(void **state)
{
	enum cer_lint_profile p;
	const char *id = NULL;

	(void)state;
	assert_int_equal(cer_lint_map_zlint("e_root_ca_extended_key_usage_present", &id), CER_OK);
	assert_string_equal(id, "root.no_eku");
	assert_int_equal(cer_lint_map_zlint("e_no_such_lint", &id), CER_ERR_USAGE);
	assert_int_equal(cer_lint_profile_parse("ocsp-responder", &p), CER_OK);
	assert_int_equal(p, CER_LINT_OCSP_RESPONDER);
	assert_int_equal(cer_lint_profile_parse("leaf", &p), CER_ERR_USAGE);
	assert_string_equal(cer_lint_profile_str(CER_LINT_SUBORDINATE_TC), "subordinate-tc");
	assert_string_equal(cer_lint_severity_str(CER_LINT_WARNING), "warning");
	assert_string_equal(cer_lint_verdict_str(CER_LINT_SKIPPED), "skipped");
	assert_string_equal(cer_lint_verdict_str(CER_LINT_NOT_APPLICABLE), "not-applicable");
	assert_true(cer_lint_rule_exists("key.rsa_roca"));
	assert_false(cer_lint_rule_exists("key.nope"));
}

static void
test_lint_parse_time(void **state)
{
	time_t t;

	(void)state;
	assert_int_equal(cer_lint_parse_time("2027-01-01 00:00:00", &t), CER_OK);
	assert_int_equal(t, AT_2027);
	assert_int_equal(cer_lint_parse_time("2027-01-01T00:00:00Z", &t), CER_OK);
	assert_int_equal(t, AT_2027);
	assert_int_equal(cer_lint_parse_time("2027-01-01", &t), CER_ERR_USAGE);
	assert_int_equal(cer_lint_parse_time("2027-01-01 00:00:00 junk", &t), CER_ERR_USAGE);
}

static void
test_lint_bad_arguments(void **state)
{
	static const char *const skip[] = { "root.no_eku", "no.such", NULL };
	X509 *root = make_root();
	struct cer_lint_result *res = (void *)1;

	(void)state;
	assert_int_equal(cer_lint_certificate(root, NULL, CER_LINT_NPROFILES, AT_2027, NULL, &res),
	    CER_ERR_USAGE);
	assert_null(res);
	assert_int_equal(cer_lint_certificate(root, NULL, CER_LINT_ROOT, AT_2027, skip, &res),
	    CER_ERR_USAGE);
	X509_free(root);
}

static void
test_lint_skip(void **state)
{
	static const char *const skip_id[] = { "root.no_eku", NULL };
	static const char *const skip_zlint[] = { "e_root_ca_extended_key_usage_present", NULL };
	X509 *x = make(root_key, root_key, NULL, "R", 3650, eku_root_exts);
	struct cer_lint_result *res = lint(x, NULL, CER_LINT_ROOT, NULL);

	(void)state;
	assert_int_equal(verdict(res, "root.no_eku"), CER_LINT_FAIL);
	assert_int_equal(cer_lint_result_errors(res), 1);
	cer_lint_result_free(res);
	res = lint(x, NULL, CER_LINT_ROOT, skip_id);
	assert_int_equal(verdict(res, "root.no_eku"), CER_LINT_SKIPPED);
	assert_int_equal(cer_lint_result_errors(res), 0);
	cer_lint_result_free(res);
	res = lint(x, NULL, CER_LINT_ROOT, skip_zlint);
	assert_int_equal(verdict(res, "root.no_eku"), CER_LINT_SKIPPED);
	cer_lint_result_free(res);
	X509_free(x);
}

/* Sets both AlgorithmIdentifiers, which X509_sign would otherwise keep in step. */
static void
set_algs(X509 *x, int nid, int ptype, int outer_only)
{
	const X509_ALGOR *outer;

	X509_get0_signature(NULL, &outer, x);
	assert_int_equal(X509_ALGOR_set0((X509_ALGOR *)outer, OBJ_nid2obj(nid), ptype, NULL), 1);
	if (!outer_only)
		assert_int_equal(X509_ALGOR_set0((X509_ALGOR *)X509_get0_tbs_sigalg(x),
		    OBJ_nid2obj(nid), ptype, NULL), 1);
}

static void
test_lint_sigalg_identical(void **state)
{
	X509 *x = make_root();

	(void)state;
	set_algs(x, NID_ecdsa_with_SHA384, V_ASN1_NULL, 1);
	assert_fails(x, NULL, CER_LINT_ROOT, "cert.sigalg_identical");
	assert_fails(x, NULL, CER_LINT_ROOT, "alg.ecdsa_sha384");
	assert_fails(x, NULL, CER_LINT_ROOT, "cert.sigalg_allowed");
	X509_free(x);
}

static void
test_lint_rsa_null_params(void **state)
{
	X509 *x = make_root();

	(void)state;
	set_algs(x, NID_sha256WithRSAEncryption, V_ASN1_UNDEF, 0);
	assert_fails(x, NULL, CER_LINT_ROOT, "alg.rsa_sha256");
	set_algs(x, NID_sha384WithRSAEncryption, V_ASN1_UNDEF, 0);
	assert_fails(x, NULL, CER_LINT_ROOT, "alg.rsa_sha384");
	set_algs(x, NID_sha512WithRSAEncryption, V_ASN1_UNDEF, 0);
	assert_fails(x, NULL, CER_LINT_ROOT, "alg.rsa_sha512");
	set_algs(x, NID_ecdsa_with_SHA256, V_ASN1_NULL, 0);
	assert_fails(x, NULL, CER_LINT_ROOT, "alg.ecdsa_sha256");
	set_algs(x, NID_ecdsa_with_SHA512, V_ASN1_NULL, 0);
	assert_fails(x, NULL, CER_LINT_ROOT, "alg.ecdsa_sha512");
	X509_free(x);
}

static void
test_lint_version(void **state)
{
	X509 *x = make_root();

	(void)state;
	assert_int_equal(X509_set_version(x, X509_VERSION_1), 1);
	assert_fails(x, NULL, CER_LINT_ROOT, "cert.x509_v3");
	X509_free(x);
}

/* rsaEncryption without its NULL parameters: alg.spki_rsa and cert.spki_encoding. */
static void
test_lint_spki_rsa_no_null(void **state)
{
	EVP_PKEY *rsa = EVP_RSA_gen(2048);
	X509 *x = make(rsa, rsa, NULL, "R", 3650, root_exts);
	X509_ALGOR *a = NULL;

	(void)state;
	assert_int_equal(X509_PUBKEY_get0_param(NULL, NULL, NULL, &a, X509_get_X509_PUBKEY(x)), 1);
	assert_int_equal(X509_ALGOR_set0(a, OBJ_nid2obj(NID_rsaEncryption), V_ASN1_UNDEF, NULL), 1);
	assert_fails(x, NULL, CER_LINT_ROOT, "alg.spki_rsa");
	assert_fails(x, NULL, CER_LINT_ROOT, "cert.spki_encoding");
	X509_free(x);
	EVP_PKEY_free(rsa);
}

static void
test_lint_time_encoding(void **state)
{
	X509 *x = make_root();
	ASN1_TIME *t = ASN1_GENERALIZEDTIME_set(NULL, AT_2027 + 3650L * 86400);

	(void)state;
	assert_int_equal(X509_set1_notAfter(x, t), 1);
	assert_fails(x, NULL, CER_LINT_ROOT, "cert.time_encoding");
	ASN1_TIME_free(t);
	X509_free(x);
}

static void
test_lint_ext_once(void **state)
{
	X509 *x = make_root();

	(void)state;
	add_ext(x, NULL, "basicConstraints", "critical,CA:TRUE");
	assert_fails(x, NULL, CER_LINT_ROOT, "cert.ext_once");
	X509_free(x);
}

static void
test_lint_sct_critical(void **state)
{
	static const unsigned char empty_list[] = { 0x04, 0x02, 0x00, 0x00 };
	X509 *x = make_root();
	ASN1_OCTET_STRING *v = ASN1_OCTET_STRING_new();
	X509_EXTENSION *e;

	(void)state;
	assert_int_equal(ASN1_OCTET_STRING_set(v, empty_list, sizeof(empty_list)), 1);
	e = X509_EXTENSION_create_by_NID(NULL, NID_ct_precert_scts, 1, v);
	assert_non_null(e);
	assert_int_equal(X509_add_ext(x, e, -1), 1);
	assert_fails(x, NULL, CER_LINT_ROOT, "ext.sct");
	X509_EXTENSION_free(e);
	ASN1_OCTET_STRING_free(v);
	X509_free(x);
}

/* Flips the last byte of the encoded public point: off the curve. */
static void
test_lint_ec_point_off_curve(void **state)
{
	X509 *x = make_root(), *bad;
	const ASN1_BIT_STRING *bits = X509_get0_pubkey_bitstr(x);
	unsigned char *der = NULL, *p;
	const unsigned char *q;
	int len = i2d_X509(x, &der);

	(void)state;
	p = memmem(der, (size_t)len, ASN1_STRING_get0_data(bits), (size_t)ASN1_STRING_length(bits));
	assert_non_null(p);
	p[ASN1_STRING_length(bits) - 1] ^= 1;
	q = der;
	bad = d2i_X509(NULL, &q, len);
	assert_non_null(bad);
	assert_fails(bad, NULL, CER_LINT_ROOT, "cert.ec_key_validation");
	OPENSSL_free(der);
	X509_free(bad);
	X509_free(x);
}

/*
 * The ceremony lints the exact TBS signed by a throwaway key of the same
 * algorithm: every verdict but cert.signature's is the same.
 */
static void
test_lint_throwaway_signature(void **state)
{
	static const char *const skip[] = { "cert.signature", NULL };
	EVP_PKEY *throwaway = EVP_EC_gen("P-384");
	X509 *root = make_root(), *sub = make(sub_key, root_key, root, "S", 365, sub_exts),
	    *lintcert = X509_dup(sub);
	struct cer_lint_result *real, *thrown;
	size_t i;

	(void)state;
	assert_true(X509_sign(lintcert, throwaway, EVP_sha384()) > 0);
	real = lint(sub, root, CER_LINT_SUBORDINATE, skip);
	thrown = lint(lintcert, root, CER_LINT_SUBORDINATE, skip);
	assert_int_equal(cer_lint_result_count(real), cer_lint_result_count(thrown));
	for (i = 0; i < cer_lint_result_count(real); i++) {
		assert_string_equal(cer_lint_result_get(real, i)->rule,
		    cer_lint_result_get(thrown, i)->rule);
		assert_int_equal(cer_lint_result_get(real, i)->verdict,
		    cer_lint_result_get(thrown, i)->verdict);
	}
	assert_int_equal(verdict(thrown, "cert.signature"), CER_LINT_SKIPPED);
	cer_lint_result_free(real);
	cer_lint_result_free(thrown);
	assert_fails(lintcert, root, CER_LINT_SUBORDINATE, "cert.signature");
	X509_free(lintcert);
	X509_free(sub);
	X509_free(root);
	EVP_PKEY_free(throwaway);
}

/*
 * cert.signature passes, without verifying, only the very bytes noted as
 * verified with the issuer's key when they were signed (base/verified.h):
 * a lie noted for a certificate signed by another key shows that the lint
 * takes the note; one flipped bit, or the same bytes noted under another
 * key, and it verifies again and fails.
 */
static void
test_lint_verified_at_signing(void **state)
{
	EVP_PKEY *other = EVP_EC_gen("P-384");
	X509 *root = make_root(), *forged = make(sub_key, other, root, "S", 365, sub_exts),
	    *flipped = NULL;
	struct cer_lint_result *res;
	unsigned char *der = NULL;
	const unsigned char *p;
	int len;

	(void)state;
	assert_fails(forged, root, CER_LINT_SUBORDINATE, "cert.signature");
	assert_true((len = i2d_X509(forged, &der)) > 0);
	cer_verified_note(der, (size_t)len, root_key);
	res = lint(forged, root, CER_LINT_SUBORDINATE, NULL);
	assert_int_equal(verdict(res, "cert.signature"), CER_LINT_PASS);
	cer_lint_result_free(res);
	cer_verified_clear();
	cer_verified_note(der, (size_t)len, other);
	assert_fails(forged, root, CER_LINT_SUBORDINATE, "cert.signature");
	cer_verified_note(der, (size_t)len, root_key);
	der[len - 1] ^= 1;	/* the last byte of the signature value */
	p = der;
	assert_non_null(flipped = d2i_X509(NULL, &p, len));
	assert_fails(flipped, root, CER_LINT_SUBORDINATE, "cert.signature");
	cer_verified_clear();
	OPENSSL_free(der);
	X509_free(flipped);
	X509_free(forged);
	X509_free(root);
	EVP_PKEY_free(other);
}

static void
test_lint_rule_list(void **state)
{
	char *buf = NULL;
	size_t len = 0, lines = 0, i;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_true(cer_lint_rule_count() >= 100);
	cer_lint_list(f, 0);
	assert_int_equal(fclose(f), 0);
	for (i = 0; i < len; i++)
		lines += buf[i] == '\n';
	assert_int_equal(lines, cer_lint_rule_count());
	assert_non_null(strstr(buf, "root.no_eku\terror\tBR 7.1.2.1.2\t"));
	free(buf);
}

static void
test_lint_print(void **state)
{
	X509 *x = make(root_key, root_key, NULL, "R", 3650, eku_root_exts);
	struct cer_lint_result *res = lint(x, NULL, CER_LINT_ROOT, NULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	cer_lint_result_print(res, "r.pem", f);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(buf, "r.pem: error root.no_eku BR 7.1.2.1.2: extKeyUsage is present\n"));
	free(buf);
	cer_lint_result_free(res);
	X509_free(x);
}

/* A v2 CRL by root: thisUpdate AT_2027, nextUpdate + 30 days, AKI, cRLNumber 1. */
static X509_CRL *
make_crl(X509 *root, int next)
{
	X509_CRL *crl = X509_CRL_new();
	ASN1_TIME *t = ASN1_TIME_set(NULL, AT_2027);
	ASN1_INTEGER *n = ASN1_INTEGER_new();
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	assert_int_equal(X509_CRL_set_version(crl, 1), 1);
	assert_int_equal(X509_CRL_set_issuer_name(crl, X509_get_subject_name(root)), 1);
	assert_int_equal(X509_CRL_set1_lastUpdate(crl, t), 1);
	assert_non_null(ASN1_TIME_set(t, AT_2027 + 30L * 86400));
	if (next)
		assert_int_equal(X509_CRL_set1_nextUpdate(crl, t), 1);
	assert_int_equal(ASN1_INTEGER_set(n, 1), 1);
	assert_int_equal(X509_CRL_add1_ext_i2d(crl, NID_crl_number, n, 0, 0), 1);
	X509V3_set_ctx(&ctx, root, NULL, NULL, crl, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, NID_authority_key_identifier, "keyid:always");
	assert_non_null(e);
	assert_int_equal(X509_CRL_add_ext(crl, e, -1), 1);
	X509_EXTENSION_free(e);
	assert_true(X509_CRL_sign(crl, root_key, EVP_sha384()) > 0);
	ASN1_TIME_free(t);
	ASN1_INTEGER_free(n);
	return crl;
}

/* Adds an entry revoked at `when`, with reasonCode (critical or not) unless reason < 0. */
static void
add_revoked(X509_CRL *crl, time_t when, int reason, int crit)
{
	X509_REVOKED *r = X509_REVOKED_new();
	ASN1_INTEGER *serial = ASN1_INTEGER_new();
	ASN1_TIME *t = ASN1_TIME_set(NULL, when);
	ASN1_ENUMERATED *e = ASN1_ENUMERATED_new();

	assert_int_equal(ASN1_INTEGER_set(serial, 4711), 1);
	assert_int_equal(X509_REVOKED_set_serialNumber(r, serial), 1);
	assert_int_equal(X509_REVOKED_set_revocationDate(r, t), 1);
	assert_int_equal(ASN1_ENUMERATED_set(e, reason), 1);
	if (reason >= 0)
		assert_int_equal(X509_REVOKED_add1_ext_i2d(r, NID_crl_reason, e, crit, 0), 1);
	assert_int_equal(X509_CRL_add0_revoked(crl, r), 1);
	ASN1_INTEGER_free(serial);
	ASN1_TIME_free(t);
	ASN1_ENUMERATED_free(e);
}

static void
assert_crl_fails(X509_CRL *crl, X509 *root, const char *rule)
{
	struct cer_lint_result *res = NULL;

	assert_int_equal(cer_lint_crl(crl, root, AT_2027 + 60, NULL, &res), CER_OK);
	assert_int_equal(verdict(res, rule), CER_LINT_FAIL);
	cer_lint_result_free(res);
}

static void
test_lint_crl_clean(void **state)
{
	X509 *root = make_root();
	X509_CRL *crl = make_crl(root, 1);
	struct cer_lint_result *res = NULL;

	(void)state;
	add_revoked(crl, AT_2027 - 60, 1, 0);
	assert_true(X509_CRL_sign(crl, root_key, EVP_sha384()) > 0);
	assert_int_equal(cer_lint_crl(crl, root, AT_2027 + 60, NULL, &res), CER_OK);
	assert_int_equal(cer_lint_result_errors(res), 0);
	assert_int_equal(cer_lint_result_warnings(res), 0);
	assert_int_equal(verdict(res, "crl.signature"), CER_LINT_PASS);
	assert_int_equal(verdict(res, "crl.sigalg"), CER_LINT_PASS);
	cer_lint_result_free(res);
	assert_int_equal(cer_lint_crl(crl, NULL, AT_2027, NULL, &res), CER_ERR_USAGE);
	assert_int_equal(cer_lint_certificate(root, NULL, CER_LINT_CRL, AT_2027, NULL, &res),
	    CER_ERR_USAGE);
	X509_CRL_free(crl);
	X509_free(root);
}

static void
test_lint_crl_flaws(void **state)
{
	X509 *root = make_root();
	X509_CRL *nonext = make_crl(root, 0), *crl = make_crl(root, 1);
	ASN1_TIME *gt = ASN1_GENERALIZEDTIME_set(NULL, AT_2027);

	(void)state;
	assert_non_null(gt);
	assert_crl_fails(nonext, root, "crl.nextupdate");
	add_revoked(crl, AT_2027 + 10, 4, 1);	/* after thisUpdate, critical reason */
	assert_crl_fails(crl, root, "crl.entry_date");
	assert_crl_fails(crl, root, "crl.reason_noncritical");
	assert_crl_fails(crl, root, "crl.signature");	/* entries added after signing */
	assert_int_equal(X509_CRL_set1_lastUpdate(crl, gt), 1);
	assert_crl_fails(crl, root, "crl.time_encoding");
	/* Drop the one entry: the list is present and empty. */
	X509_REVOKED_free(sk_X509_REVOKED_pop(X509_CRL_get_REVOKED(crl)));
	assert_int_equal(sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl)), 0);
	assert_crl_fails(crl, root, "crl.revoked_empty");
	ASN1_TIME_free(gt);
	X509_CRL_free(nonext);
	X509_CRL_free(crl);
	X509_free(root);
}

/* A CA-signed response about serial 4711: good, 7 days, byKey, no certs. */
static OCSP_RESPONSE *
make_response(X509 *root, int with_reason_ext)
{
	OCSP_BASICRESP *bs = OCSP_BASICRESP_new();
	ASN1_INTEGER *serial = ASN1_INTEGER_new();
	ASN1_TIME *tu = ASN1_TIME_set(NULL, not_before),
	    *nu = ASN1_TIME_set(NULL, not_before + 7 * 86400);
	ASN1_ENUMERATED *reason = ASN1_ENUMERATED_new();
	OCSP_CERTID *id;
	OCSP_SINGLERESP *single;
	OCSP_RESPONSE *resp;

	assert_int_equal(ASN1_INTEGER_set(serial, 4711), 1);
	id = OCSP_cert_id_new(EVP_sha1(), X509_get_subject_name(root),
	    X509_get0_pubkey_bitstr(root), serial);
	single = OCSP_basic_add1_status(bs, id, V_OCSP_CERTSTATUS_GOOD, 0, NULL, tu, nu);
	assert_non_null(single);
	assert_int_equal(ASN1_ENUMERATED_set(reason, 1), 1);
	if (with_reason_ext)
		assert_int_equal(OCSP_SINGLERESP_add1_ext_i2d(single, NID_crl_reason, reason, 0, 0), 1);
	assert_int_equal(OCSP_basic_sign(bs, root, root_key, EVP_sha384(), NULL,
	    OCSP_NOCERTS | OCSP_RESPID_KEY), 1);
	resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs);
	assert_non_null(resp);
	OCSP_CERTID_free(id);
	OCSP_BASICRESP_free(bs);
	ASN1_INTEGER_free(serial);
	ASN1_TIME_free(tu);
	ASN1_TIME_free(nu);
	ASN1_ENUMERATED_free(reason);
	return resp;
}

static struct cer_lint_result *
lint_response(OCSP_RESPONSE *resp, X509 *root)
{
	struct cer_lint_result *res = NULL;

	assert_int_equal(cer_lint_ocsp_response(resp, root, time(NULL) + 60, NULL, &res), CER_OK);
	return res;
}

static void
test_lint_ocsp_response(void **state)
{
	X509 *root;
	OCSP_RESPONSE *good, *ext, *unauth;
	struct cer_lint_result *res;

	(void)state;
	not_before = time(NULL) - 3600;
	root = make_root();
	good = make_response(root, 0);
	ext = make_response(root, 1);
	unauth = OCSP_response_create(OCSP_RESPONSE_STATUS_UNAUTHORIZED, NULL);
	not_before = AT_2027;
	res = lint_response(good, root);
	assert_int_equal(cer_lint_result_errors(res) + cer_lint_result_warnings(res), 0);
	assert_int_equal(verdict(res, "ocsp.profile"), CER_LINT_PASS);
	assert_int_equal(verdict(res, "ocsp.certid"), CER_LINT_PASS);
	cer_lint_result_free(res);
	res = lint_response(ext, root);
	assert_int_equal(verdict(res, "ocsp.no_reason_single_ext"), CER_LINT_FAIL);
	assert_int_equal(cer_lint_result_errors(res), 1);
	cer_lint_result_free(res);
	res = lint_response(unauth, root);
	assert_int_equal(verdict(res, "ocsp.profile"), CER_LINT_FAIL);
	cer_lint_result_free(res);
	assert_int_equal(cer_lint_ocsp_response(good, NULL, AT_2027, NULL, &res), CER_ERR_USAGE);
	OCSP_RESPONSE_free(good);
	OCSP_RESPONSE_free(ext);
	OCSP_RESPONSE_free(unauth);
	X509_free(root);
}

/* ---- lint-util.c and br.h: the helpers the rule files share ---- */

static ASN1_TIME *
asn1_time(int type, const char *s)
{
	ASN1_TIME *t = ASN1_STRING_type_new(type);

	assert_non_null(t);
	assert_int_equal(ASN1_STRING_set(t, s, (int)strlen(s)), 1);
	return t;
}

static void
test_lint_util_time(void **state)
{
	ASN1_TIME *utc = asn1_time(V_ASN1_UTCTIME, "270101000000Z"),
	    *gen49 = asn1_time(V_ASN1_GENERALIZEDTIME, "20491231235959Z"),
	    *gen50 = asn1_time(V_ASN1_GENERALIZEDTIME, "20500101000000Z"),
	    *nosec = asn1_time(V_ASN1_UTCTIME, "2701010000Z");
	char buf[32];

	(void)state;
	assert_int_equal(cer_lint_time(utc), AT_2027);
	assert_int_equal(cer_lint_time(NULL), (time_t)-1);
	assert_string_equal(cer_lint_fmt_time(AT_2027, buf), "2027-01-01 00:00:00");
	assert_true(cer_lint_time_ok(utc));
	assert_false(cer_lint_time_ok(gen49));	/* GeneralizedTime before 2050 */
	assert_true(cer_lint_time_ok(gen50));
	assert_false(cer_lint_time_ok(nosec));
	ASN1_TIME_free(utc);
	ASN1_TIME_free(gen49);
	ASN1_TIME_free(gen50);
	ASN1_TIME_free(nosec);
}

static void
test_lint_util_names(void **state)
{
	X509_NAME *a = X509_NAME_new(), *b = X509_NAME_new(), *c = X509_NAME_new();
	ASN1_OBJECT *o = OBJ_txt2obj("2.23.140.1.2.1", 1);
	char buf[80];

	(void)state;
	assert_int_equal(X509_NAME_add_entry_by_txt(a, "CN", V_ASN1_PRINTABLESTRING,
	    (const unsigned char *)"Root", -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(b, "CN", V_ASN1_PRINTABLESTRING,
	    (const unsigned char *)"Root", -1, -1, 0), 1);
	/* The same text as a UTF8String: equal to the eye, not in DER. */
	assert_int_equal(X509_NAME_add_entry_by_txt(c, "CN", V_ASN1_UTF8STRING,
	    (const unsigned char *)"Root", -1, -1, 0), 1);
	assert_true(cer_lint_name_eq(a, b));
	assert_false(cer_lint_name_eq(a, c));
	assert_string_equal(cer_lint_oid(o, buf, sizeof(buf)), CER_BR_POLICY_DV);
	ASN1_OBJECT_free(o);
	X509_NAME_free(a);
	X509_NAME_free(b);
	X509_NAME_free(c);
}

/* An AlgorithmIdentifier from its DER in hex. */
static X509_ALGOR *
algor_hex(const char *hex)
{
	unsigned char der[256];
	const unsigned char *p = der;
	size_t i, n = strlen(hex) / 2;
	unsigned v;
	X509_ALGOR *a;

	assert_true(n <= sizeof(der));
	for (i = 0; i < n; i++) {
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		der[i] = (unsigned char)v;
	}
	assert_non_null(a = d2i_X509_ALGOR(NULL, &p, (long)n));
	return a;
}

static void
test_lint_util_table_a(void **state)
{
	const struct cer_lint_rule *r = cer_lint_cert_tables_rules;
	size_t i, k = 0;
	X509_ALGOR *a;

	(void)state;
	/* The alg.* rules run the rows of cer_lint_algs, in order, each once. */
	for (i = 0; i < cer_lint_cert_tables_nrules; i++)
		if (strncmp(r[i].id, "alg.", 4) == 0)
			assert_ptr_equal(r[i].arg, &cer_lint_algs[k++]);
	assert_int_equal(k, cer_lint_nalgs);
	for (i = 0; i < cer_lint_nalgs; i++) {
		a = algor_hex(cer_lint_algs[i].hex);
		assert_ptr_equal(cer_lint_alg_match(a, cer_lint_algs[i].use), &cer_lint_algs[i]);
		assert_true(cer_lint_algor_is(a, cer_lint_algs[i].hex));
		assert_int_equal(cer_lint_sig_in_table_a(a), cer_lint_algs[i].use == CER_LINT_ALG_SIG);
		assert_int_equal(cer_lint_spki_in_table_a(a),
		    cer_lint_algs[i].use == CER_LINT_ALG_SPKI);
		assert_false(cer_lint_sig_is_sha1(a));
		X509_ALGOR_free(a);
	}
	/* sha256WithRSAEncryption without its NULL: the OID of a row, not its bytes. */
	a = algor_hex("300b06092a864886f70d01010b");
	assert_non_null(cer_lint_alg_match(a, CER_LINT_ALG_SIG));
	assert_false(cer_lint_sig_in_table_a(a));
	X509_ALGOR_free(a);
	a = algor_hex("300d06092a864886f70d0101050500");	/* sha1WithRSAEncryption */
	assert_true(cer_lint_sig_is_sha1(a));
	assert_null(cer_lint_alg_match(a, CER_LINT_ALG_SIG));
	X509_ALGOR_free(a);
	a = algor_hex("300b06092a864886f70d01010a");	/* RSASSA-PSS, no parameters: SHA-1 */
	assert_true(cer_lint_sig_is_sha1(a));
	X509_ALGOR_free(a);
}

static void
test_lint_util_http_uri(void **state)
{
	GENERAL_NAME *http = a2i_GENERAL_NAME(NULL, NULL, NULL, GEN_URI, "http://x.example/c", 0),
	    *https = a2i_GENERAL_NAME(NULL, NULL, NULL, GEN_URI, "https://x.example/c", 0),
	    *dns = a2i_GENERAL_NAME(NULL, NULL, NULL, GEN_DNS, "http.example", 0);

	(void)state;
	assert_true(http != NULL && https != NULL && dns != NULL);
	assert_true(cer_lint_is_http_uri(http));
	assert_false(cer_lint_is_http_uri(https));
	assert_false(cer_lint_is_http_uri(dns));
	GENERAL_NAME_free(http);
	GENERAL_NAME_free(https);
	GENERAL_NAME_free(dns);
}

/* A subordinate valid from nb for days, with EKU eku (NULL: none); signed by root. */
static X509 *
make_sub_at(X509 *root, time_t nb, long days, const char *eku)
{
	const char *exts[2 * 9 + 1];
	time_t saved = not_before;
	size_t i, n = 0;
	X509 *x;

	for (i = 0; sub_exts[i] != NULL; i += 2) {
		if (strcmp(sub_exts[i], "extendedKeyUsage") == 0 && eku == NULL)
			continue;	/* no extKeyUsage at all */
		exts[n++] = sub_exts[i];
		exts[n++] = strcmp(sub_exts[i], "extendedKeyUsage") == 0 ? eku : sub_exts[i + 1];
	}
	exts[n] = NULL;
	not_before = nb;
	x = make(sub_key, root_key, root, "Example Sub E1", days, exts);
	not_before = saved;
	return x;
}

/*
 * A dated rule is judged on the certificate's notBefore, not on the signing
 * time the caller gives: subca.validity (Chrome 1.8, 2026-02-05) is
 * not-applicable to a five-year subordinate from 2025-07-01 (Boulder's own
 * test intermediates) and fails one from 2027; the signing window is still
 * judged at `at`.
 */
static void
test_lint_dated(void **state)
{
	X509 *root = make_root(), *old = make_sub_at(root, 1751328000, 5 * 365, "serverAuth"),
	    *young = make_sub_at(root, AT_2027, 5 * 365, "serverAuth");
	struct cer_lint_result *res = lint(old, root, CER_LINT_SUBORDINATE, NULL);

	(void)state;
	assert_int_equal(verdict(res, "subca.validity"), CER_LINT_NOT_APPLICABLE);
	assert_non_null(strstr(finding(res, "subca.validity")->message, "2026-02-05"));
	assert_non_null(strstr(finding(res, "subca.validity")->message, "notBefore 2025-07-01"));
	assert_int_equal(verdict(res, "cert.notbefore_window"), CER_LINT_FAIL);	/* at 2027 */
	assert_int_equal(cer_lint_result_warnings(res), 0);
	cer_lint_result_free(res);
	assert_int_equal(cer_lint_certificate(old, root, CER_LINT_SUBORDINATE, 1751328000, NULL,
	    &res), CER_OK);
	assert_int_equal(cer_lint_result_errors(res) + cer_lint_result_warnings(res), 0);
	cer_lint_result_free(res);
	res = lint(young, root, CER_LINT_SUBORDINATE, NULL);
	assert_int_equal(verdict(res, "subca.validity"), CER_LINT_FAIL);
	cer_lint_result_free(res);
	X509_free(old);
	X509_free(young);
	X509_free(root);
}

/*
 * Lints x (at AT_2027, with opts) and asserts rule's verdict and, unless
 * sev is negative, its severity.
 */
static void
expect(X509 *x, X509 *issuer, enum cer_lint_profile p, const struct cer_lint_opts *opts,
    const char *rule, enum cer_lint_verdict want, int sev)
{
	struct cer_lint_result *res = NULL;

	assert_int_equal(cer_lint_certificate_opts(x, issuer, p, AT_2027, NULL, opts, &res),
	    CER_OK);
	assert_int_equal(verdict(res, rule), want);
	if (sev >= 0)
		assert_int_equal(finding(res, rule)->severity, sev);
	cer_lint_result_free(res);
}

/* Chrome's serverAuth + clientAuth: allowed for a notBefore before 2026-06-15 only. */
static void
test_lint_chrome_eku_split(void **state)
{
	const char *both = "serverAuth,clientAuth";
	X509 *root = make_root(),
	    *before = make_sub_at(root, CER_BR_SERVERAUTH_ONLY_FROM - 1, 365, both),
	    *after = make_sub_at(root, CER_BR_SERVERAUTH_ONLY_FROM, 365, both);

	(void)state;
	expect(before, root, CER_LINT_SUBORDINATE, NULL, "subca.eku_chrome", CER_LINT_PASS, -1);
	expect(after, root, CER_LINT_SUBORDINATE, NULL, "subca.eku_chrome", CER_LINT_FAIL, -1);
	X509_free(before);
	X509_free(after);
	X509_free(root);
}

/*
 * A cross-certificate without an EKU: a warning between affiliates, an
 * error otherwise (BR 7.1.2.2.3); anyExtendedKeyUsage only between affiliates.
 */
static void
test_lint_cross_affiliated(void **state)
{
	static const struct cer_lint_opts aff = { .affiliated = 1 };
	const char *rule = "cross.eku_unrestricted";
	X509 *root = make_root(), *noeku = make_sub_at(root, AT_2027, 365, NULL),
	    *any = make_sub_at(root, AT_2027, 365, "anyExtendedKeyUsage");

	(void)state;
	assert_int_equal(X509_get_ext_by_NID(noeku, NID_ext_key_usage, -1), -1);
	expect(noeku, root, CER_LINT_CROSS, &aff, rule, CER_LINT_FAIL, CER_LINT_WARNING);
	expect(noeku, root, CER_LINT_CROSS, NULL, rule, CER_LINT_FAIL, CER_LINT_ERROR);
	expect(any, root, CER_LINT_CROSS, &aff, rule, CER_LINT_PASS, -1);
	expect(any, root, CER_LINT_CROSS, NULL, rule, CER_LINT_FAIL, CER_LINT_ERROR);
	X509_free(noeku);
	X509_free(any);
	X509_free(root);
}

/* A 30-day CRL: fine about CA certificates, too long about subscriber certificates. */
static void
test_lint_crl_scope(void **state)
{
	static const struct cer_lint_opts subscriber = { .subscriber_crl = 1 };
	X509 *root = make_root();
	X509_CRL *crl = make_crl(root, 1);
	struct cer_lint_result *res = NULL;

	(void)state;
	assert_int_equal(cer_lint_crl_opts(crl, root, AT_2027 + 60, NULL, &subscriber, &res),
	    CER_OK);
	assert_int_equal(verdict(res, "crl.nextupdate_subscriber"), CER_LINT_FAIL);
	assert_int_equal(verdict(res, "crl.nextupdate_ca"), CER_LINT_PASS);
	cer_lint_result_free(res);
	assert_int_equal(cer_lint_crl(crl, root, AT_2027 + 60, NULL, &res), CER_OK);
	assert_int_equal(verdict(res, "crl.nextupdate_subscriber"), CER_LINT_PASS);
	assert_string_equal(finding(res, "crl.nextupdate_subscriber")->message, "not applicable");
	assert_int_equal(cer_lint_result_errors(res), 0);
	cer_lint_result_free(res);
	X509_CRL_free(crl);
	X509_free(root);
}

/*
 * The names of other linters: sorted (the lookup is a binary search), each
 * counterpart a rule, and every skip-lints name of Boulder's test/certs and
 * cmd/ceremony (main_test.go, crl_test.go) known.
 */
static void
test_lint_foreign_names(void **state)
{
	static const char *const boulder[] = {
		"n_ca_digital_signature_not_set", "n_mp_allowed_eku", "n_sub_ca_eku_missing",
		"e_ext_authority_key_identifier_missing",
		"e_ext_authority_key_identifier_no_key_identifier", "e_sub_ca_aia_missing",
		"e_sub_ca_certificate_policies_missing", "e_sub_ca_crl_distribution_points_missing",
		"w_sub_ca_aia_does_not_contain_issuing_ca_url", "w_sub_ca_aia_missing",
		"e_crl_next_update_invalid", "e_crl_has_idp", "w_validity_period_has_extra_second",
		"e_adobe_extensions_legacy_multipurpose_criticality",	/* zlint's first */
		NULL,
	};
	const char *rule = "x";
	size_t i;

	(void)state;
	assert_true(cer_lint_nforeign >= 431 + 4 + 20);
	for (i = 0; i < cer_lint_nforeign; i++) {
		if (i > 0)
			assert_true(strcmp(cer_lint_foreign_names[i - 1].name,
			    cer_lint_foreign_names[i].name) <= 0);
		if (cer_lint_foreign_names[i].rule != NULL && !cer_lint_rule_exists(
		    cer_lint_foreign_names[i].rule))
			fail_msg("%s maps to no rule %s", cer_lint_foreign_names[i].name,
			    cer_lint_foreign_names[i].rule);
	}
	for (i = 0; boulder[i] != NULL; i++)
		if (cer_lint_foreign_name(boulder[i], &rule) != CER_OK)
			fail_msg("%s is not in the table", boulder[i]);
	assert_int_equal(cer_lint_foreign_name("n_sub_ca_eku_missing", &rule), CER_OK);
	assert_string_equal(rule, "subca.eku_present");
	assert_int_equal(cer_lint_foreign_name("e_dnsname_not_valid_tld", &rule), CER_OK);
	assert_null(rule);
	assert_int_equal(cer_lint_foreign_name("w_subject_surname_recommended_max_length", &rule),
	    CER_OK);
	assert_int_equal(cer_lint_foreign_name("e_no_such_lint", &rule), CER_ERR_USAGE);
	assert_null(rule);
	assert_int_equal(cer_lint_foreign_name("root.no_eku", &rule), CER_ERR_USAGE);
	assert_int_equal(cer_lint_map_zlint("e_dnsname_not_valid_tld", &rule), CER_ERR_USAGE);
	assert_int_equal(cer_lint_map_zlint("e_crl_validity_period", &rule), CER_OK);
	assert_string_equal(rule, "crl.nextupdate_ca");
}

/* --list --json: every rule, with its date (null when it has none) and profiles. */
static void
test_lint_list_json(void **state)
{
	json_t *arr = NULL, *o;
	size_t i, dated = 0;

	(void)state;
	assert_int_equal(cer_lint_list_json(&arr), CER_OK);
	assert_int_equal(json_array_size(arr), cer_lint_rule_count());
	json_array_foreach(arr, i, o) {
		assert_true(json_array_size(json_object_get(o, "profiles")) > 0);
		dated += json_is_string(json_object_get(o, "effective"));
		if (strcmp(json_string_value(json_object_get(o, "id")), "subca.validity") == 0)
			assert_string_equal(json_string_value(json_object_get(o, "effective")),
			    "2026-02-05");
		if (strcmp(json_string_value(json_object_get(o, "id")), "cert.serial_range") == 0)
			assert_true(json_is_null(json_object_get(o, "effective")));
	}
	assert_true(dated > cer_lint_rule_count() / 2);
	json_decref(arr);
}

static void
test_lint_br_constants(void **state)
{
	struct tm tm = { .tm_year = 2026 - 1900, .tm_mon = 5, .tm_mday = 15 };

	(void)state;
	assert_int_equal(timegm(&tm), CER_BR_SERVERAUTH_ONLY_FROM);
	tm.tm_mon = 2;
	assert_int_equal(timegm(&tm), CER_BR_NO_PRECERT_CA_FROM);
	tm = (struct tm){ .tm_year = 2023 - 1900, .tm_mon = 8, .tm_mday = 15 };
	assert_int_equal(timegm(&tm), CER_DATE_BR_2_0_0);
	tm = (struct tm){ .tm_year = 2026 - 1900, .tm_mon = 1, .tm_mday = 5 };
	assert_int_equal(timegm(&tm), CER_DATE_CRP_1_8);
	tm = (struct tm){ .tm_year = 2012 - 1900, .tm_mon = 6, .tm_mday = 1 };
	assert_int_equal(timegm(&tm), CER_DATE_BR_1_0);
	tm = (struct tm){ .tm_year = 2024 - 1900, .tm_mon = 2, .tm_mday = 15 };
	assert_int_equal(timegm(&tm), CER_DATE_BR_CRL_PROFILE);
	assert_true(cer_br_is_reserved_policy(CER_BR_POLICY_DV));
	assert_true(cer_br_is_reserved_policy(CER_BR_POLICY_OV));
	assert_true(cer_br_is_reserved_policy(CER_BR_POLICY_IV));
	assert_true(cer_br_is_reserved_policy(CER_BR_POLICY_EV));
	assert_false(cer_br_is_reserved_policy(CER_BR_POLICY_ANY));
	assert_false(cer_br_is_reserved_policy("2.23.140.1.2"));
	assert_true(cer_br_is_allowed_reason(1) && cer_br_is_allowed_reason(9));
	assert_false(cer_br_is_allowed_reason(0) || cer_br_is_allowed_reason(2) ||
	    cer_br_is_allowed_reason(6) || cer_br_is_allowed_reason(-2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lint_free_null),
		cmocka_unit_test(test_lint_clean_root),
		cmocka_unit_test(test_lint_clean_sub),
		cmocka_unit_test(test_lint_profile_guess),
		cmocka_unit_test(test_lint_names),
		cmocka_unit_test(test_lint_parse_time),
		cmocka_unit_test(test_lint_bad_arguments),
		cmocka_unit_test(test_lint_skip),
		cmocka_unit_test(test_lint_sigalg_identical),
		cmocka_unit_test(test_lint_rsa_null_params),
		cmocka_unit_test(test_lint_version),
		cmocka_unit_test(test_lint_spki_rsa_no_null),
		cmocka_unit_test(test_lint_time_encoding),
		cmocka_unit_test(test_lint_ext_once),
		cmocka_unit_test(test_lint_sct_critical),
		cmocka_unit_test(test_lint_ec_point_off_curve),
		cmocka_unit_test(test_lint_throwaway_signature),
		cmocka_unit_test(test_lint_verified_at_signing),
		cmocka_unit_test(test_lint_rule_list),
		cmocka_unit_test(test_lint_print),
		cmocka_unit_test(test_lint_crl_clean),
		cmocka_unit_test(test_lint_crl_flaws),
		cmocka_unit_test(test_lint_ocsp_response),
		cmocka_unit_test(test_lint_util_time),
		cmocka_unit_test(test_lint_util_names),
		cmocka_unit_test(test_lint_util_table_a),
		cmocka_unit_test(test_lint_util_http_uri),
		cmocka_unit_test(test_lint_dated),
		cmocka_unit_test(test_lint_chrome_eku_split),
		cmocka_unit_test(test_lint_cross_affiliated),
		cmocka_unit_test(test_lint_crl_scope),
		cmocka_unit_test(test_lint_foreign_names),
		cmocka_unit_test(test_lint_list_json),
		cmocka_unit_test(test_lint_br_constants),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
