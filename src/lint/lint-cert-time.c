/* lint-cert-time.c: certificate rules on the validity period that every profile shares. */
#include "lint/lint-int.h"

static int
chk_time_encoding(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!cer_lint_time_ok(X509_get0_notBefore(c->cert)))
		return cer_lint_failf(c, "notBefore is not UTCTime through 2049 / GeneralizedTime "
		    "from 2050, in Z with seconds");
	if (!cer_lint_time_ok(X509_get0_notAfter(c->cert)))
		return cer_lint_failf(c, "notAfter is not UTCTime through 2049 / GeneralizedTime "
		    "from 2050, in Z with seconds");
	return LINT_PASS;
}

static int
chk_notafter(struct cer_lint_ctx *c, const void *arg)
{
	time_t na = cer_lint_time(X509_get0_notAfter(c->cert));
	char b1[32], b2[32];

	(void)arg;
	if (na == (time_t)-1 || na < c->at)
		return cer_lint_failf(c, "notAfter %s is before the signing time %s",
		    cer_lint_fmt_time(na, b1), cer_lint_fmt_time(c->at, b2));
	return LINT_PASS;
}

#define E CER_LINT_ERROR

const struct cer_lint_rule cer_lint_cert_time_rules[] = {
	{ "cert.time_encoding", E, "RFC 5280 4.1.2.5", 0, P_ALL | P_PRIV, chk_time_encoding, NULL,
	    "UTCTime through 2049, GeneralizedTime from 2050" },
	{ "cert.notbefore_window", E, "BR 7.1.2.10.1, 7.1.2.8.1", CER_DATE_BR_2_0_0,
	    P_ANYSUB | P_OCSP, cer_lint_chk_notbefore, NULL,
	    "notBefore within one day before the signing time" },
	{ "cert.notafter_after_signing", E, "BR 7.1.2.10.1, 7.1.2.8.1", CER_DATE_BR_2_0_0, P_ALL,
	    chk_notafter, NULL, "notAfter at or after the signing time" },
};

const size_t cer_lint_cert_time_nrules =
    sizeof(cer_lint_cert_time_rules) / sizeof(cer_lint_cert_time_rules[0]);
