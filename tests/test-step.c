/*
 * test-step.c: the step-type registry (src/steps/) and the one TBS builder
 * every caller shares, driven by a source of its own (as ceremony verify
 * will drive it from existing files).
 */
#include "testlib.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "base/err.h"
#include "run/validate.h"
#include "script/script.h"
#include "steps/step.h"
#include "x509/sign.h"

#define UNUSED __attribute__((__unused__))

static const char SCRIPT[] =
    "tokens:\n"
    "  t: {module: /usr/lib/softhsm/libsofthsm2.so, token-label: t, pin: env:P}\n"
    "steps:\n"
    "  - {id: rk, ceremony-type: key, token: t, label: R, key: {type: ecdsa, ecdsa-curve: P-384},\n"
    "     outputs: {public-key-path: out/r.pub}}\n"
    "  - id: r\n"
    "    ceremony-type: root\n"
    "    signing-key: rk\n"
    "    outputs: {certificate-path: out/r.pem}\n"
    "    certificate-profile: {signature-algorithm: ECDSAWithSHA384, common-name: Root,\n"
    "      organization: Ex, country: US, not-before: 2026-12-01 00:00:00,\n"
    "      not-after: 2040-12-01 00:00:00}\n"
    "  - {id: ik, ceremony-type: key, token: t, label: I, key: {type: ecdsa, ecdsa-curve: P-256},\n"
    "     outputs: {public-key-path: out/i.pub}}\n"
    "  - id: i\n"
    "    ceremony-type: intermediate\n"
    "    issuer: r\n"
    "    subject-key: ik\n"
    "    outputs: {certificate-path: out/i.pem}\n"
    "    certificate-profile: {signature-algorithm: ECDSAWithSHA384, common-name: Issuing,\n"
    "      organization: Ex, country: US, not-before: 2026-12-01 00:00:00,\n"
    "      not-after: 2029-12-01 00:00:00, crl-url: 'http://c.example/r.crl',\n"
    "      issuer-url: 'http://c.example/r.der', policies: [{oid: 2.23.140.1.2.1}]}\n"
    "  - id: csr\n"
    "    ceremony-type: cross-csr\n"
    "    signing-key: ik\n"
    "    outputs: {csr-path: out/i.csr}\n"
    "    certificate-profile: {common-name: Issuing, organization: Ex, country: US}\n";

/* A source of software keys (one per key step) and the certificates built so far. */
struct fake {
	EVP_PKEY *keys[8];
	X509 *certs[8];
};

static int
fake_key(void *arg, size_t k, EVP_PKEY **out)
{
	struct fake *f = arg;

	if (f->keys[k] == NULL)
		return cer_fail(CER_ERR_INTERNAL, "no key %zu", k);
	EVP_PKEY_up_ref(f->keys[k]);
	*out = f->keys[k];
	return CER_OK;
}

static X509 *
fake_cert(void *arg, size_t k)
{
	return ((struct fake *)arg)->certs[k];
}

static int
fake_serial(void *arg, size_t i, unsigned char buf[static 20], size_t *len)
{
	(void)arg;
	buf[0] = 0x42;
	buf[1] = (unsigned char)i;
	*len = 2;
	return CER_OK;
}

static void
test_step_registry(void **state UNUSED)
{
	const struct cer_step_impl *impl;
	size_t i, j;

	for (i = 0; (impl = cer_step_impl_at(i)) != NULL; i++) {
		assert_ptr_equal(cer_step_impl(impl->type), impl);
		assert_non_null(impl->does);
		assert_non_null(impl->keys);
		assert_non_null(impl->parse);
		assert_non_null(impl->run);
		assert_true(impl->lint_profile == NULL || impl->build_tbs != NULL);
		for (j = 0; j < i; j++)
			assert_int_not_equal(cer_step_impl_at(j)->type, impl->type);
	}
	assert_int_equal(i, 8);
	assert_true(cer_step_impl(CER_STEP_OCSP_RESPONSE)->flags & CER_STEP_SIGNS);
	assert_null(cer_step_impl((enum cer_step_type)0));
	assert_true(cer_step_impl(CER_STEP_INTERMEDIATE)->flags & CER_STEP_SIGNS);
	assert_false(cer_step_impl(CER_STEP_ROOT)->flags & CER_STEP_SIGNS);
	assert_true(cer_step_impl(CER_STEP_CRL)->flags & CER_STEP_SIGNS);
}

static int
tbs_der(X509 *x, unsigned char **der)
{
	*der = NULL;
	return i2d_re_X509_tbs(x, der);
}

/* Builds every step of the script from the source; the same source gives the same bytes. */
static void
test_step_build_from_a_source(void **state UNUSED)
{
	struct cer_script *s = NULL;
	struct cer_plan *plan = NULL;
	struct fake f;
	struct cer_source src;
	struct cer_tbs tbs = { 0 }, again = { 0 };
	unsigned char *d1 = NULL, *d2 = NULL;
	const ASN1_INTEGER *sn;
	X509 *copy = NULL;
	size_t i;
	int n1, n2;

	memset(&f, 0, sizeof(f));
	assert_int_equal(cer_script_parse("s.yaml", (const unsigned char *)SCRIPT, strlen(SCRIPT),
	    &s), CER_OK);
	assert_int_equal(cer_validate_plan(s, &plan), CER_OK);
	assert_non_null(f.keys[0] = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384"));
	assert_non_null(f.keys[2] = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"));
	src = (struct cer_source){ s, plan, fake_key, fake_cert, fake_serial, &f, 0 };
	for (i = 0; i < s->nsteps; i++) {
		const struct cer_step_impl *impl = cer_step_impl(s->steps[i].type);

		if (impl->build_tbs == NULL)
			continue;
		assert_int_equal(impl->build_tbs(&src, i, &tbs), CER_OK);
		if (tbs.req != NULL) {		/* the CSR: the key step's key, the profile's subject */
			assert_int_equal(EVP_PKEY_eq(X509_REQ_get0_pubkey(tbs.req), f.keys[2]), 1);
			cer_tbs_clear(&tbs);
			continue;
		}
		sn = X509_get0_serialNumber(tbs.cert);
		assert_int_equal(ASN1_STRING_length(sn), 2);
		assert_int_equal(ASN1_STRING_get0_data(sn)[1], i);
		assert_int_equal(EVP_PKEY_eq(X509_get0_pubkey(tbs.cert), f.keys[i == 1 ? 0 : 2]), 1);
		if (i == 3) {		/* issued by the root built before it, by name */
			assert_ptr_equal(tbs.issuer, f.certs[1]);
			assert_int_equal(X509_NAME_cmp(X509_get_issuer_name(tbs.cert),
			    X509_get_subject_name(f.certs[1])), 0);
		}
		/* signed by the scheme's throwaway key, both builds have the same TBS */
		assert_int_equal(impl->build_tbs(&src, i, &again), CER_OK);
		assert_int_equal(cer_sign_throwaway(tbs.cert, plan->steps[i].alg, &f.certs[i]),
		    CER_OK);
		assert_int_equal(cer_sign_throwaway(again.cert, plan->steps[i].alg, &copy), CER_OK);
		assert_true((n1 = tbs_der(f.certs[i], &d1)) > 0);
		assert_true((n2 = tbs_der(copy, &d2)) > 0);
		assert_int_equal(n1, n2);
		assert_memory_equal(d1, d2, (size_t)n1);
		X509_free(copy);
		OPENSSL_free(d1);
		OPENSSL_free(d2);
		cer_tbs_clear(&tbs);
		cer_tbs_clear(&again);
	}
	for (i = 0; i < 8; i++) {
		EVP_PKEY_free(f.keys[i]);
		X509_free(f.certs[i]);
	}
	cer_sign_forget();
	cer_plan_free(plan);
	cer_script_free(s);
}

static void
test_step_tbs_clear_empty(void **state UNUSED)
{
	struct cer_tbs t = { 0 };

	cer_tbs_clear(&t);
	assert_null(t.cert);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_step_registry),
		cmocka_unit_test(test_step_build_from_a_source),
		cmocka_unit_test(test_step_tbs_clear_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
