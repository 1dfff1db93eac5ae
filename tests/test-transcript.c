/*
 * test-transcript.c: the transcript checker (tscheck) and its display
 * (tsshow) on transcripts written by the real writer, with certificates,
 * issuers and CSRs made here with OpenSSL.
 */
#include "testlib.h"

#include <ctype.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "record/pgpwords.h"
#include "record/transcript.h"
#include "record/tscheck.h"
#include "record/tsshow.h"

static char dir[] = "/tmp/test-transcript.XXXXXX";
static EVP_PKEY *root_key, *int_key, *other_key;
static char *root_pem, *int_pem, *bad_int_pem, *csr_pem, *bad_csr_pem;

static char *
bio_string(BIO *b)
{
	char *data, *s;
	long n = BIO_get_mem_data(b, &data);

	s = strndup(data, (size_t)n);
	BIO_free(b);
	return s;
}

static char *
make_cert(const char *cn, const char *issuer_cn, EVP_PKEY *key, EVP_PKEY *signer)
{
	X509 *x = X509_new();
	X509_NAME *subj = X509_NAME_new(), *iss = X509_NAME_new();
	BIO *b = BIO_new(BIO_s_mem());

	X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_NAME_add_entry_by_txt(iss, "CN", MBSTRING_ASC, (const unsigned char *)issuer_cn,
	    -1, -1, 0);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	X509_set_subject_name(x, subj);
	X509_set_issuer_name(x, iss);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, key);
	X509_sign(x, signer, EVP_sha256());
	PEM_write_bio_X509(b, x);
	X509_free(x);
	X509_NAME_free(subj);
	X509_NAME_free(iss);
	return bio_string(b);
}

/* A CSR; with broken set, one with its last signature byte changed. */
static char *
make_csr(EVP_PKEY *key, int broken)
{
	X509_REQ *req = X509_REQ_new(), *bad;
	unsigned char *der = NULL;
	const unsigned char *p;
	BIO *b = BIO_new(BIO_s_mem());
	int n;

	X509_REQ_set_pubkey(req, key);
	X509_REQ_sign(req, key, EVP_sha256());
	n = i2d_X509_REQ(req, &der);
	if (broken)
		der[n - 1] ^= 1;
	p = der;
	bad = d2i_X509_REQ(NULL, &p, n);
	PEM_write_bio_X509_REQ(b, bad);
	X509_REQ_free(bad);
	X509_REQ_free(req);
	OPENSSL_free(der);
	return bio_string(b);
}

static int
setup(void **state)
{
	if (mkdtemp(dir) == NULL)
		return -1;
	root_key = EVP_EC_gen("P-256");
	int_key = EVP_EC_gen("P-256");
	other_key = EVP_EC_gen("P-256");
	root_pem = make_cert("Test Root", "Test Root", root_key, root_key);
	int_pem = make_cert("Test Intermediate", "Test Root", int_key, root_key);
	bad_int_pem = make_cert("Test Intermediate", "Test Root", int_key, other_key);
	csr_pem = make_csr(int_key, 0);
	bad_csr_pem = make_csr(int_key, 1);
	return root_pem != NULL && bad_csr_pem != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[600];

	EVP_PKEY_free(root_key);
	EVP_PKEY_free(int_key);
	EVP_PKEY_free(other_key);
	free(root_pem);
	free(int_pem);
	free(bad_int_pem);
	free(csr_pem);
	free(bad_csr_pem);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *
sha256_hex(const void *buf, size_t len)
{
	unsigned char d[CER_SHA256_LEN];
	char *hex = NULL;

	assert_int_equal(cer_sha256(buf, len, d), CER_OK);
	assert_int_equal(cer_hex(d, sizeof(d), &hex), CER_OK);
	return hex;
}

/* certificate-signed data for pem, with issuer_pem when issuer is not NULL. */
static json_t *
cert_data(const char *step, const char *pem, const char *issuer)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der);
	char *hex = sha256_hex(der, (size_t)n);
	json_t *d = json_pack("{s:s, s:{s:s, s:s}, s:s}", "step", step, "certificate",
	    "subject", "CN=Test", "sha256", hex, "pem", pem);

	if (issuer != NULL)
		json_object_set_new(d, "issuer_pem", json_string(issuer));
	free(hex);
	OPENSSL_free(der);
	X509_free(x);
	BIO_free(b);
	return d;
}

static json_t *
output_data(const char *step, const char *kind, const char *pem)
{
	char *hex = sha256_hex(pem, strlen(pem));
	json_t *d = json_pack("{s:s, s:s, s:s, s:s}", "step", step, "kind", kind,
	    "path", "out/x.pem", "sha256", hex);

	free(hex);
	return d;
}

/* Writes a transcript with the real writer: pairs of event name and data (consumed), then NULL. */
static const char *
write_ts(const char *name, ...)
{
	static char path[600];
	struct cer_transcript *t = NULL;
	const char *event;
	va_list ap;

	snprintf(path, sizeof(path), "%s/%s.jsonl", dir, name);
	unlink(path);
	assert_int_equal(cer_transcript_new(path, &t), CER_OK);
	assert_int_equal(cer_transcript_commit(t), CER_OK);
	va_start(ap, name);
	while ((event = va_arg(ap, const char *)) != NULL)
		assert_int_equal(cer_transcript_append(t, event, va_arg(ap, json_t *)), CER_OK);
	va_end(ap);
	cer_transcript_free(t);
	return path;
}

static const char *
write_raw(const char *name, const char *text)
{
	static char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.jsonl", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	return path;
}

static json_t *
begin(void)
{
	return json_pack("{s:s}", "ceremony", "Test ceremony");
}

/* Loads and verifies path; returns the code and fills sum. */
static int
check(const char *path, const struct cer_tscheck_opts *o, struct cer_tscheck_summary *sum)
{
	static const struct cer_tscheck_opts none;
	struct cer_tscheck *t = NULL;
	int r;

	static char status[32];

	cer_err_clear();
	r = cer_tscheck_open(path, o != NULL ? o : &none, &t, sum);
	/* sum->status points into t */
	if (r == CER_OK && sum->status != NULL) {
		snprintf(status, sizeof(status), "%s", sum->status);
		sum->status = status;
	}
	cer_tscheck_free(t);
	return r;
}

static void
assert_detail(const char *part)
{
	if (strstr(cer_err_detail(), part) == NULL)
		fail_msg("detail '%s' lacks '%s'", cer_err_detail(), part);
}

static void
test_transcript_free_null(void **state)
{
	cer_tscheck_free(NULL);
}

static void
test_transcript_chain_of_certificates(void **state)
{
	struct cer_tscheck_summary sum;
	json_t *out = output_data("root", "certificate", root_pem);
	json_t *csr_out = output_data("csr", "csr", csr_pem);
	const char *p = write_ts("good", "begin", begin(),
	    "step-begin", json_pack("{s:s}", "step", "root"),
	    "certificate-signed", cert_data("root", root_pem, NULL),
	    "output", json_incref(out),
	    "certificate-signed", cert_data("int", int_pem, root_pem),
	    "csr-signed", json_pack("{s:s, s:s}", "step", "csr", "pem", csr_pem),
	    "output", json_incref(csr_out),
	    "end", json_pack("{s:s, s:[o, o]}", "status", "ok", "outputs", out, csr_out), NULL);

	assert_int_equal(check(p, NULL, &sum), CER_OK);
	assert_int_equal(sum.records, 8);
	assert_int_equal(sum.steps, 1);
	assert_int_equal(sum.certificates, 2);
	assert_int_equal(sum.csrs, 1);
	assert_int_equal(sum.outputs, 2);
	assert_int_equal(sum.complete, 1);
	assert_string_equal(sum.status, "ok");
}

static void
test_transcript_wrong_issuer(void **state)
{
	struct cer_tscheck_summary sum;
	const char *p = write_ts("issuer", "begin", begin(),
	    "certificate-signed", cert_data("int", bad_int_pem, root_pem), NULL);

	assert_int_equal(check(p, NULL, &sum), CER_ERR_VERIFY);
	assert_detail("issuer.jsonl:2: the certificate's signature does not verify with issuer_pem");
}

static void
test_transcript_root_not_self_signed(void **state)
{
	struct cer_tscheck_summary sum;
	const char *p = write_ts("notself", "begin", begin(),
	    "certificate-signed", cert_data("int", int_pem, NULL), NULL);

	assert_int_equal(check(p, NULL, &sum), CER_ERR_VERIFY);
	assert_detail("notself.jsonl:2: the certificate's signature does not verify with its own key");
}

static void
test_transcript_der_hash(void **state)
{
	struct cer_tscheck_summary sum;
	json_t *d = cert_data("root", root_pem, NULL);
	const char *p;

	json_object_set_new(json_object_get(d, "certificate"), "sha256", json_string("00"));
	p = write_ts("der", "begin", begin(), "certificate-signed", d, NULL);
	assert_int_equal(check(p, NULL, &sum), CER_ERR_VERIFY);
	assert_detail("der.jsonl:2: certificate.sha256");
}

static void
test_transcript_spki_hash(void **state)
{
	struct cer_tscheck_summary sum;
	json_t *d = cert_data("root", root_pem, NULL);
	const char *p;

	json_object_set_new(json_object_get(d, "certificate"), "public_key",
	    json_pack("{s:s}", "spki_sha256", "00"));
	p = write_ts("spki", "begin", begin(), "certificate-signed", d, NULL);
	assert_int_equal(check(p, NULL, &sum), CER_ERR_VERIFY);
	assert_detail("spki.jsonl:2: certificate.public_key.spki_sha256 is not the SHA-256");
}

static void
test_transcript_csr_signature(void **state)
{
	struct cer_tscheck_summary sum;
	const char *p = write_ts("csr", "begin", begin(),
	    "csr-signed", json_pack("{s:s}", "pem", bad_csr_pem), NULL);

	assert_int_equal(check(p, NULL, &sum), CER_ERR_VERIFY);
	assert_detail("csr.jsonl:2: the CSR's self-signature does not verify");
}

static void
test_transcript_output_not_the_pem(void **state)
{
	struct cer_tscheck_summary sum;
	const char *p = write_ts("outpem", "begin", begin(),
	    "certificate-signed", cert_data("root", root_pem, NULL),
	    "output", output_data("root", "certificate", int_pem), NULL);

	assert_int_equal(check(p, NULL, &sum), CER_ERR_VERIFY);
	assert_detail("outpem.jsonl:3: sha256 is not the SHA-256 of the certificate PEM");
}

static void
test_transcript_csr_output_without_csr(void **state)
{
	struct cer_tscheck_summary sum;
	const char *p = write_ts("nocsr", "begin", begin(),
	    "output", output_data("x", "csr", csr_pem), NULL);

	assert_int_equal(check(p, NULL, &sum), CER_ERR_VERIFY);
	assert_detail("nocsr.jsonl:2: a csr output without its signed record before it in step 'x'");
}

static void
test_transcript_end_outputs_differ(void **state)
{
	struct cer_tscheck_summary sum;
	const char *p = write_ts("endout", "begin", begin(),
	    "certificate-signed", cert_data("root", root_pem, NULL),
	    "output", output_data("root", "certificate", root_pem),
	    "end", json_pack("{s:s, s:[]}", "status", "ok", "outputs"), NULL);

	assert_int_equal(check(p, NULL, &sum), CER_ERR_VERIFY);
	assert_detail("endout.jsonl:4: outputs");
}

static void
test_transcript_first_not_begin(void **state)
{
	struct cer_tscheck_summary sum;
	const char *p = write_ts("nobegin", "step-begin", json_object(), NULL);

	assert_int_equal(check(p, NULL, &sum), CER_ERR_TRANSCRIPT);
	assert_detail("nobegin.jsonl:1: the first event is 'step-begin', not 'begin'");
}

#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

/* Lines the writer never writes, each refused with the line named. */
static void
test_transcript_malformed_lines(void **state)
{
	static const struct {
		const char *name, *text, *detail;
	} cases[] = {
		{ "extra", "{\"seq\":0,\"time\":\"2026-12-01T09:00:00Z\",\"event\":\"begin\","
		    "\"prev\":\"" ZEROS "\",\"data\":null,\"x\":1}\n",
		    "extra.jsonl:1: a record has exactly the members" },
		{ "dup", "{\"seq\":0,\"seq\":0,\"time\":\"2026-12-01T09:00:00Z\",\"event\":\"begin\","
		    "\"prev\":\"" ZEROS "\",\"data\":null}\n", "dup.jsonl:1: not a JSON object" },
		{ "time", "{\"seq\":0,\"time\":\"2026-12-01 09:00:00\",\"event\":\"begin\","
		    "\"prev\":\"" ZEROS "\",\"data\":null}\n", "time.jsonl:1: time" },
		{ "prev0", "{\"seq\":0,\"time\":\"2026-12-01T09:00:00Z\",\"event\":\"begin\","
		    "\"prev\":\"" ZEROS "1\",\"data\":null}\n", "prev0.jsonl:1: prev is not 64 zeros" },
		{ "array", "[]\n", "array.jsonl:1: not a JSON object" },
		{ "blank", "\n", "blank.jsonl:1: not a JSON object" },
	};
	struct cer_tscheck_summary sum;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(check(write_raw(cases[i].name, cases[i].text), NULL, &sum),
		    CER_ERR_TRANSCRIPT);
		assert_detail(cases[i].detail);
	}
}

static void
test_transcript_incomplete(void **state)
{
	struct cer_tscheck_opts o = { 0 };
	struct cer_tscheck_summary sum;
	const char *p = write_ts("incomplete", "begin", begin(),
	    "step-begin", json_pack("{s:s}", "step", "x"), NULL);

	assert_int_equal(check(p, NULL, &sum), CER_OK);
	assert_int_equal(sum.complete, 0);
	assert_null(sum.status);
	assert_int_equal(cer_tscheck_run(p, &o), CER_ERR_TRANSCRIPT);
	assert_detail("incomplete.jsonl:2: incomplete: the last record is 'step-begin'");
}

static void
test_transcript_failed_run(void **state)
{
	struct cer_tscheck_summary sum;
	const char *p = write_ts("failed", "begin", begin(),
	    "error", json_pack("{s:s, s:s}", "code", "PIN error", "message", "wrong PIN"),
	    "end", json_pack("{s:s, s:[]}", "status", "failed", "outputs"), NULL);

	assert_int_equal(check(p, NULL, &sum), CER_OK);
	assert_string_equal(sum.status, "failed");
}

static void
test_transcript_missing_file(void **state)
{
	struct cer_tscheck_summary sum;

	assert_int_equal(check("/nonexistent/t.jsonl", NULL, &sum), CER_ERR_INPUT);
}

static void
test_transcript_digest_hex_and_words(void **state)
{
	struct cer_tscheck_opts o = { 0 };
	struct cer_tscheck_summary sum;
	struct cer_tscheck *t = NULL;
	unsigned char d[CER_SHA256_LEN];
	char *hex = NULL, *words = NULL, given[1024], *s;
	const char *p = write_ts("digest", "begin", begin(), NULL);

	assert_int_equal(cer_tscheck_load(p, &t), CER_OK);
	cer_tscheck_digest(t, d);
	cer_tscheck_free(t);
	assert_int_equal(cer_hex(d, sizeof(d), &hex), CER_OK);
	assert_int_equal(cer_pgpwords_encode(d, sizeof(d), &words), CER_OK);
	for (s = hex; *s != '\0'; s++)
		*s = (char)toupper((unsigned char)*s);
	o.digest = hex;
	assert_int_equal(check(p, &o, &sum), CER_OK);
	snprintf(given, sizeof(given), "  %s \n", words);
	for (s = given; *s != '\0'; s++)
		*s = *s == ' ' ? '\t' : (char)tolower((unsigned char)*s);
	o.digest = given;
	assert_int_equal(check(p, &o, &sum), CER_OK);
	o.digest = "aardvark";
	assert_int_equal(check(p, &o, &sum), CER_ERR_USAGE);
	assert_detail("--digest: 1 PGP words; the final digest is 32");
	/* 32 PGP words, the first another: a differing transcript */
	snprintf(given, sizeof(given), "%s%s", strncasecmp(words, "aardvark ", 9) == 0 ?
	    "absurd" : "aardvark", strchr(words, ' '));
	o.digest = given;
	assert_int_equal(check(p, &o, &sum), CER_ERR_VERIFY);
	assert_detail("digest.jsonl:1: the final digest is not the one given");
	free(hex);
	free(words);
}

/* Shows path as text or HTML into a new string. */
static char *
show(const char *path, int html)
{
	struct cer_tscheck_summary sum;
	struct cer_tscheck_opts o = { 0 };
	struct cer_tscheck *t = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_int_equal(cer_tscheck_open(path, &o, &t, &sum), CER_OK);
	assert_non_null(f = open_memstream(&buf, &len));
	cer_tsshow_write(t, sum.complete, f, html);
	fclose(f);
	cer_tscheck_free(t);
	return buf;
}

static void
test_transcript_html_escaped(void **state)
{
	const char *p = write_ts("escape", "begin", json_pack("{s:s}", "ceremony",
	    "<script>alert(\"x\")&'</script>"), "end", json_pack("{s:s, s:[]}", "status", "ok",
	    "outputs"), NULL);
	char *html = show(p, 1), *text = show(p, 0);

	assert_non_null(strstr(html, "&lt;script&gt;alert(&quot;x&quot;)&amp;&#39;&lt;/script&gt;"));
	assert_null(strstr(html, "<script>"));
	assert_non_null(strstr(html, "@page"));
	assert_null(strstr(html, "INCOMPLETE"));
	assert_non_null(strstr(text, "<script>alert(\"x\")&'</script>"));
	free(html);
	free(text);
}

static void
test_transcript_show_unknown_event(void **state)
{
	/* an event of a later version: show lists its scalar members, never a PEM */
	const char *p = write_ts("unknown", "begin", begin(), "timestamp-signed",
	    json_pack("{s:i, s:{s:s}, s:s}", "number", 7, "crl", "issuer", "CN=Test Root",
	    "pem", "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n"), NULL);
	char *text = show(p, 0);

	assert_non_null(strstr(text, "timestamp-signed"));
	assert_non_null(strstr(text, "number"));
	assert_non_null(strstr(text, "crl/issuer"));
	assert_null(strstr(text, "BEGIN X509 CRL"));
	assert_non_null(strstr(text, "INCOMPLETE"));
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transcript_free_null),
		cmocka_unit_test(test_transcript_chain_of_certificates),
		cmocka_unit_test(test_transcript_wrong_issuer),
		cmocka_unit_test(test_transcript_root_not_self_signed),
		cmocka_unit_test(test_transcript_der_hash),
		cmocka_unit_test(test_transcript_spki_hash),
		cmocka_unit_test(test_transcript_csr_signature),
		cmocka_unit_test(test_transcript_output_not_the_pem),
		cmocka_unit_test(test_transcript_csr_output_without_csr),
		cmocka_unit_test(test_transcript_end_outputs_differ),
		cmocka_unit_test(test_transcript_first_not_begin),
		cmocka_unit_test(test_transcript_malformed_lines),
		cmocka_unit_test(test_transcript_incomplete),
		cmocka_unit_test(test_transcript_failed_run),
		cmocka_unit_test(test_transcript_missing_file),
		cmocka_unit_test(test_transcript_digest_hex_and_words),
		cmocka_unit_test(test_transcript_html_escaped),
		cmocka_unit_test(test_transcript_show_unknown_event),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
