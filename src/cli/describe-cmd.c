/*
 * describe-cmd.c: `ceremony describe`: the description of a certificate,
 * written as a script, and that script read back by the loader, so that
 * what is printed is a script `ceremony verify` takes as it is.
 */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "base/util.h"
#include "cli/describe-cmd.h"
#include "run/plan.h"
#include "script/script.h"
#include "x509/describe.h"
#include "x509/sign.h"

/* The script text; *refused is the loader's refusal of it, or "" when it loads. */
static int
render(const struct cer_description *d, const char *cert, const char *issuer, char **text,
    size_t *len, char *refused, size_t n)
{
	struct cer_script *s = NULL;
	FILE *f;
	int r;

	refused[0] = '\0';
	if ((f = open_memstream(text, len)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	r = cer_describe_script(d, cert, issuer, f);
	if (fclose(f) != 0 && r == CER_OK)
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
	if (r != CER_OK)
		return r;
	if (cer_script_parse(cert, (const unsigned char *)*text, *len, &s) != CER_OK)
		snprintf(refused, n, "%s", cer_err_detail());
	cer_err_clear();
	cer_script_free(s);
	return CER_OK;
}

/* A self-signed certificate is a root: an --issuer beside it is not used. */
static int
self_signed(X509 *x)
{
	int ok = X509_check_issued(x, x) == X509_V_OK && X509_verify(x, X509_get0_pubkey(x)) == 1;

	ERR_clear_error();
	return ok;
}

int
cer_describe_run(const char *cert_path, const char *issuer_path)
{
	struct cer_description d = { 0 };
	X509 *cert = NULL, *issuer = NULL;
	char *text = NULL, *shown = NULL, refused[1024];
	size_t len = 0, i, n;
	int r;

	if ((r = cer_plan_read_cert(cert_path, &cert)) != CER_OK ||
	    (issuer_path != NULL && (r = cer_plan_read_cert(issuer_path, &issuer)) != CER_OK))
		goto out;
	if (issuer != NULL && self_signed(cert)) {
		fprintf(stderr, "ceremony: %s is self-signed (a root): --issuer %s is not used\n",
		    cert_path, issuer_path);
		X509_free(issuer);
		issuer = NULL;
		issuer_path = NULL;
	}
	if ((r = cer_describe_cert(cert, issuer, &d)) != CER_OK ||
	    (r = render(&d, cert_path, issuer_path, &text, &len, refused,
	    sizeof(refused))) != CER_OK)
		goto out;
	/* the certificate's text (names, URLs) reaches the terminal escaped */
	if ((r = cer_escape(text, len, CER_ESC_KEEP_NL, &shown)) != CER_OK)
		goto out;
	fputs(shown, stdout);
	if (refused[0] != '\0') {
		fputs("# refused by the loader: ", stdout);
		cer_fputs_safe(stdout, refused);
		fputc('\n', stdout);
	}
	fflush(stdout);
	for (i = 0; i < d.cannot.n; i++) {
		fprintf(stderr, "ceremony: %s: cannot be expressed: ", cert_path);
		cer_fputs_safe(stderr, d.cannot.line[i]);
		fputc('\n', stderr);
	}
	if (refused[0] != '\0') {
		fprintf(stderr, "ceremony: %s: the script is refused: ", cert_path);
		cer_fputs_safe(stderr, refused);
		fputc('\n', stderr);
	}
	n = d.cannot.n + (refused[0] != '\0');
	r = n == 0 ? CER_OK : cer_fail(CER_ERR_VERIFY, "%s: %zu thing%s the script cannot "
	    "say; it does not make this certificate again", cert_path, n, n == 1 ? "" : "s");
 out:
	cer_describe_free(&d);
	cer_sign_forget();
	X509_free(cert);
	X509_free(issuer);
	free(text);
	free(shown);
	return r;
}
