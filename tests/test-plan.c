/*
 * test-plan.c: the plan module: input files and the rules that need both the
 * script and the files.  The inputs are certificates and keys made here with
 * the openssl command (files from "an earlier ceremony"); nothing is signed.
 */
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#include "base/err.h"
#include "run/plan.h"
#include "run/validate.h"
#include "script/script.h"

#define UNUSED __attribute__((unused))

static char dir[] = "/tmp/test-plan.XXXXXX";
static char nb[32], na[32];	/* a validity inside the fixtures' (now-1h .. now+1y) */

static void
sh(const char *fmt, const char *arg)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "cd %s && ", dir);
	snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), fmt, arg, arg, arg, arg);
	if (system(cmd) != 0)
		fail_msg("fixture command failed: %s", cmd);
}

/*
 * name.key and name.pem: a self-signed CA (openssl req -x509 adds CA:TRUE and an SKI; the
 * keyUsage a CA a ceremony builds on must have is added).
 */
static void
fixture_ca(const char *name, const char *subj, const char *curve)
{
	char fmt[512];

	snprintf(fmt, sizeof(fmt), "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:%s "
	    "-nodes -keyout %%s.key -subj '%s' -addext keyUsage=critical,keyCertSign,cRLSign "
	    "-days 365 -out %%s.pem 2>/dev/null", curve, subj);
	sh(fmt, name);
}

static int
setup(void **state UNUSED)
{
	time_t now = time(NULL), t;

	if (mkdtemp(dir) == NULL)
		return -1;
	fixture_ca("root", "/C=US/O=Example CA/CN=Root", "P-384");
	fixture_ca("other", "/C=NL/O=Other CA/CN=Other Root", "P-256");
	/* an intermediate of root, with the root's key */
	sh("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout %s.key "
	    "-subj '/C=US/O=Example CA/CN=Sub' -out %s.csr 2>/dev/null && "
	    "printf 'basicConstraints=critical,CA:TRUE\\nkeyUsage=critical,keyCertSign,cRLSign\\n"
	    "subjectKeyIdentifier=hash\\nextendedKeyUsage=serverAuth\\n' > %s.ext && "
	    "openssl x509 -req -in sub.csr -CA root.pem -CAkey root.key -set_serial 2 -days 300 "
	    "-extfile %s.ext -out sub.pem 2>/dev/null", "sub");
	sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout /dev/null "
	    "-subj '/C=US/O=Example CA/CN=%s' -addext basicConstraints=critical,CA:FALSE -days 30 "
	    "-out leaf.pem 2>/dev/null", "Leaf");
	sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout /dev/null "
	    "-subj '/C=US/O=Example CA/CN=%s' -addext subjectKeyIdentifier=none -addext keyUsage=critical,keyCertSign -days 30 "
	    "-out noski.pem 2>/dev/null", "No SKI");
	sh("openssl pkey -in root.key -pubout -out root.pub 2>/dev/null && "
	    "openssl pkey -in other.key -pubout -out other.pub 2>/dev/null && "
	    "openssl pkey -in sub.key -pubout -out sub.pub 2>/dev/null && "
	    "openssl genpkey -algorithm ed25519 2>/dev/null | openssl pkey -pubout -out %s.pub", "ed");
	t = now + 60;
	strftime(nb, sizeof(nb), "%Y-%m-%d %H:%M:%S", gmtime(&t));
	t = now + 200 * 86400;
	strftime(na, sizeof(na), "%Y-%m-%d %H:%M:%S", gmtime(&t));
	return chdir(dir);
}

static int
teardown(void **state UNUSED)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A Boulder config of type with inputs, validity from..to and extra profile lines. */
static char *
config_dates(const char *type, const char *inputs, const char *from, const char *to,
    const char *profile)
{
	char *y = NULL;

	if (asprintf(&y, "ceremony-type: %s\n"
	    "pkcs11: {module: /m.so, signing-key-label: k}\n"
	    "inputs: {%s}\n"
	    "outputs: {certificate-path: out.pem}\n"
	    "certificate-profile:\n"
	    "  signature-algorithm: ECDSAWithSHA384\n"
	    "  not-before: %s\n"
	    "  not-after: %s\n"
	    "  crl-url: http://c.example/r.crl\n"
	    "  issuer-url: http://c.example/r.der\n"
	    "  policies: [{oid: 2.23.140.1.2.1}]\n"
	    "  policy-url: https://example.com/cps#sub\n"
	    "%s", type, inputs, from, to, profile) < 0)
		fail_msg("out of memory");
	return y;
}

/* The same with the validity nb..na, inside the fixtures'. */
static char *
config(const char *type, const char *inputs, const char *profile)
{
	return config_dates(type, inputs, nb, na, profile);
}

/* Loads script text and its plan; returns the plan's code, the detail in *d. */
static int
plan(const char *yaml, struct cer_plan **p)
{
	struct cer_script *s = NULL;
	int r;

	*p = NULL;
	cer_err_clear();
	if ((r = cer_script_parse("t.yaml", (const unsigned char *)yaml, strlen(yaml), &s)) !=
	    CER_OK)
		fail_msg("the script does not parse: %s", cer_err_detail());
	r = cer_validate_plan(s, p);
	cer_script_free(s);
	return r;
}

static void
expect_plan(char *yaml, int code, const char *phrase)
{
	struct cer_plan *p = NULL;
	int r = plan(yaml, &p);

	if (r != code || strstr(cer_err_detail(), phrase) == NULL)
		fail_msg("got %d \"%s\"; want %d \"...%s...\"", r, cer_err_detail(), code, phrase);
	if (code != CER_OK)
		assert_null(p);
	cer_plan_free(p);
	free(yaml);
}

#define SUBJECT(cn, o, c) "  common-name: " cn "\n  organization: " o "\n  country: " c "\n"

static void
test_plan_intermediate(void **state UNUSED)
{
	struct cer_plan *p = NULL;
	char *y = config("intermediate", "issuer-certificate-path: root.pem, public-key-path: other.pub",
	    SUBJECT("E1", "Example CA", "US"));

	assert_int_equal(plan(y, &p), CER_OK);
	assert_non_null(p->steps[0].issuer_cert);
	assert_non_null(p->steps[0].subject_pub);
	assert_int_equal(p->steps[0].alg, CER_SIG_ECDSA_SHA384);
	cer_plan_free(p);
	free(y);
}

static void
test_plan_inputs(void **state UNUSED)
{
	expect_plan(config("intermediate", "issuer-certificate-path: nope.pem, public-key-path: "
	    "other.pub", SUBJECT("E1", "O", "US")), CER_ERR_INPUT,
	    "t.yaml:3:35: nope.pem: cannot read");
	expect_plan(config("intermediate", "issuer-certificate-path: root.pub, public-key-path: "
	    "other.pub", SUBJECT("E1", "O", "US")), CER_ERR_INPUT, "root.pub holds a PEM 'PUBLIC KEY', not one 'CERTIFICATE'");
	expect_plan(config("intermediate", "issuer-certificate-path: root.pem, public-key-path: "
	    "root.pem", SUBJECT("E1", "O", "US")), CER_ERR_INPUT, "root.pem holds a PEM 'CERTIFICATE', not one 'PUBLIC KEY'");
	expect_plan(config("intermediate", "issuer-certificate-path: leaf.pem, public-key-path: "
	    "other.pub", SUBJECT("E1", "O", "US")), CER_ERR_INPUT,
	    "leaf.pem is not a CA certificate");
	expect_plan(config("intermediate", "issuer-certificate-path: noski.pem, public-key-path: "
	    "other.pub", SUBJECT("E1", "O", "US")), CER_ERR_INPUT, "has no subject key identifier");
}

static void
test_plan_algorithm(void **state UNUSED)
{
	char *y = config("intermediate", "issuer-certificate-path: other.pem, public-key-path: "
	    "root.pub", SUBJECT("E1", "Other CA", "NL"));

	/* other.pem has a P-256 key: ECDSAWithSHA384 does not fit */
	expect_plan(y, CER_ERR_SCRIPT, "t.yaml:6:24: signature-algorithm ECDSAWithSHA384 does not "
	    "fit the signing key (profile rule cert.sigalg_matches_signer); use ECDSAWithSHA256");
	expect_plan(config("intermediate", "issuer-certificate-path: root.pem, public-key-path: "
	    "ed.pub", SUBJECT("E1", "O", "US")), CER_ERR_SCRIPT,
	    "ed.pub is Ed25519, which a publicly trusted TLS hierarchy may not use");
}

static void
test_plan_validity(void **state UNUSED)
{
	const char *in = "issuer-certificate-path: root.pem, public-key-path: other.pub";

	expect_plan(config_dates("intermediate", in, nb, "2099-01-01 00:00:00",
	    SUBJECT("E1", "O", "US")), CER_ERR_SCRIPT,
	    "t.yaml:8:14: the certificate would outlive its issuer");
	expect_plan(config_dates("intermediate", in, "2001-01-01 00:00:00", na,
	    SUBJECT("E1", "O", "US")), CER_ERR_SCRIPT,
	    "t.yaml:7:15: not-before is before the issuer's notBefore");
}

static void
test_plan_csr_default_algorithm(void **state UNUSED)
{
	static const char y[] = "ceremony-type: cross-csr\n"
	    "pkcs11: {module: /m.so, signing-key-label: k}\n"
	    "inputs: {public-key-path: other.pub}\n"
	    "outputs: {csr-path: c.pem}\n"
	    "certificate-profile: {common-name: R, organization: O, country: US,\n"
	    "  policy-url: https://example.com/cps#csr}\n";
	struct cer_plan *p = NULL;

	assert_int_equal(plan(y, &p), CER_OK);
	assert_int_equal(p->steps[0].alg, CER_SIG_ECDSA_SHA256);	/* other.pub is P-256 */
	cer_plan_free(p);
}

static void
test_plan_cross(void **state UNUSED)
{
	/* other (NL, Other CA) crossed by root (US, Example CA) */
	expect_plan(config("cross-certificate", "issuer-certificate-path: root.pem, "
	    "certificate-to-cross-sign-path: other.pem", SUBJECT("Other Root", "Other CA", "NL")),
	    CER_ERR_SCRIPT, "belongs to 'Other CA', not to the issuer's organization 'Example CA'");
	expect_plan(config("cross-certificate", "issuer-certificate-path: root.pem, "
	    "certificate-to-cross-sign-path: other.pem", SUBJECT("Other Root", "Other CA", "NL")
	    "  allow-other-organization: true\n"), CER_OK, "");
	expect_plan(config("cross-certificate", "issuer-certificate-path: root.pem, "
	    "certificate-to-cross-sign-path: other.pem", SUBJECT("Another Root", "Other CA", "NL")),
	    CER_ERR_SCRIPT, "common-name differs from the certificate being cross-signed "
	    "('Other Root')");
	expect_plan(config("cross-certificate", "issuer-certificate-path: root.pem, "
	    "certificate-to-cross-sign-path: other.pem, public-key-path: sub.pub",
	    SUBJECT("Other Root", "Other CA", "NL") "  allow-other-organization: true\n"),
	    CER_ERR_INPUT, "is not the key of the certificate being cross-signed");
	/* the issuer's own key as the subject's (issue 14, defect 12) */
	expect_plan(config("cross-certificate", "issuer-certificate-path: root.pem, "
	    "certificate-to-cross-sign-path: other.pem, public-key-path: root.pub",
	    SUBJECT("Other Root", "Other CA", "NL") "  allow-other-organization: true\n"),
	    CER_ERR_INPUT, "the public key in root.pub is the issuer's own key (root.pem)");
	/* crossing an intermediate copies its EKU: the script may not set one */
	expect_plan(config("cross-certificate", "issuer-certificate-path: root.pem, "
	    "certificate-to-cross-sign-path: sub.pem", SUBJECT("Sub", "Example CA", "US")
	    "  ekus: server\n"), CER_ERR_SCRIPT,
	    "crossing an intermediate copies its extended key usages");
	expect_plan(config("cross-certificate", "issuer-certificate-path: root.pem, "
	    "certificate-to-cross-sign-path: leaf.pem", SUBJECT("Leaf", "Example CA", "US")),
	    CER_ERR_INPUT, "leaf.pem is not a CA certificate (no basicConstraints cA=TRUE)");
}

static void
test_plan_free_null(void **state UNUSED)
{
	cer_plan_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_intermediate),
		cmocka_unit_test(test_plan_inputs),
		cmocka_unit_test(test_plan_algorithm),
		cmocka_unit_test(test_plan_validity),
		cmocka_unit_test(test_plan_csr_default_algorithm),
		cmocka_unit_test(test_plan_cross),
		cmocka_unit_test(test_plan_free_null),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
