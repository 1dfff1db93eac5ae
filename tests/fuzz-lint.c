/*
 * fuzz-lint.c: libFuzzer harness for the linter on DER: a certificate
 * (every certificate profile), a CRL or an OCSP response, by what
 * FUZZ_LINT_KIND says at build time (make fuzz builds all three).  Any
 * input must give a result or a clean error, never a crash, a leak or
 * undefined behaviour.  The issuer of CRLs and OCSP responses is the seed
 * corpus's own root (tests/fuzz-corpus/lint-*), so mutated seeds keep
 * reaching the rules that compare with it.
 */
#include <stddef.h>
#include <stdint.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>

#include "base/err.h"
#include "lint/lint.h"

#define FUZZ_LINT_CERT 1
#define FUZZ_LINT_CRL 2
#define FUZZ_LINT_OCSP 3

#ifndef FUZZ_LINT_KIND
#define FUZZ_LINT_KIND FUZZ_LINT_CERT
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char issuer_pem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIB1DCCAVugAwIBAgICEjQwCgYIKoZIzj0EAwIwMzELMAkGA1UEBhMCVVMxEDAO\n"
    "BgNVBAoMB0Z1enogQ0ExEjAQBgNVBAMMCUZ1enogUm9vdDAeFw0yNjEyMDEyMDI2\n"
    "MDZaFw0zNjExMjgyMDI2MDZaMDMxCzAJBgNVBAYTAlVTMRAwDgYDVQQKDAdGdXp6\n"
    "IENBMRIwEAYDVQQDDAlGdXp6IFJvb3QwdjAQBgcqhkjOPQIBBgUrgQQAIgNiAATZ\n"
    "Zn2ztRgaDOgdPRO/UsQFyMpbC7P+XAbXAxJ5RPcUQorYWYTsmKJmOh3EU+fFoRkh\n"
    "vepDjy5mRXPR2KRn3mcNufMhyZMufBlWcNFVQnpvoo3Kbc0nnuhCf8QbMddEt7yj\n"
    "QjBAMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMB0GA1UdDgQWBBQD\n"
    "iEiC8D17kCsCk4rSdj9zQIrE1zAKBggqhkjOPQQDAgNnADBkAjAooKhO4vA4WZxY\n"
    "CHZEjnVX6butQjwoTipY6rr9bnvrA4DCRSvQFQjwHrpQ/P2O9RYCMA8lgK3pS2zj\n"
    "J8NU42uGn13Nr/aOZspfh0OgrCrXODNfCb8HFvAQcCteCPccnIOByg==\n"
    "-----END CERTIFICATE-----\n";

static X509 *issuer;
static const time_t at = 1798761600;	/* 2027-01-01: inside the seeds' validity */

static X509 *
the_issuer(void)
{
	BIO *b;

	if (issuer == NULL && (b = BIO_new_mem_buf(issuer_pem, -1)) != NULL) {
		issuer = PEM_read_bio_X509(b, NULL, NULL, NULL);
		BIO_free(b);
	}
	return issuer;
}

static void
done(int r, struct cer_lint_result *res)
{
	json_t *j = NULL;

	if (r == CER_OK && cer_lint_result_json(res, &j) == CER_OK)
		json_decref(j);
	cer_lint_result_free(res);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *p = data;
	struct cer_lint_result *res = NULL;
#if FUZZ_LINT_KIND == FUZZ_LINT_CERT
	X509 *x;
	int i;

	if ((x = d2i_X509(NULL, &p, (long)size)) != NULL) {
		for (i = CER_LINT_ROOT; i <= CER_LINT_OCSP_RESPONDER; i++) {
			res = NULL;
			done(cer_lint_certificate(x, i == CER_LINT_ROOT ? NULL : the_issuer(), i,
			    at, NULL, &res), res);
		}
		X509_free(x);
	}
#elif FUZZ_LINT_KIND == FUZZ_LINT_CRL
	X509_CRL *crl;

	if ((crl = d2i_X509_CRL(NULL, &p, (long)size)) != NULL) {
		done(cer_lint_crl(crl, the_issuer(), at, NULL, &res), res);
		X509_CRL_free(crl);
	}
#else
	OCSP_RESPONSE *o;

	if ((o = d2i_OCSP_RESPONSE(NULL, &p, (long)size)) != NULL) {
		done(cer_lint_ocsp_response(o, the_issuer(), at, NULL, &res), res);
		OCSP_RESPONSE_free(o);
	}
#endif
	ERR_clear_error();
	cer_err_clear();
	return 0;
}
