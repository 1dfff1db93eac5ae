/* lint-cmd.c: `ceremony lint`, the command-line face of the linter. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "cli/lint-cmd.h"
#include "lint/lint.h"
#include "base/util.h"

#define LINT_MAX_FILE (1u << 20)
#define LINT_MAX_SKIP 64

struct lint_opts {
	int have_profile, json, list, markdown;
	enum cer_lint_profile profile;
	const char *issuer_path;
	time_t at;
	const char *skip[LINT_MAX_SKIP + 1];
	size_t nskip;
};

/* What a FILE holds: exactly one of these is set. */
struct artefact {
	X509 *cert;
	X509_CRL *crl;
	OCSP_RESPONSE *ocsp;
};

static void
artefact_free(struct artefact *a)
{
	X509_free(a->cert);
	X509_CRL_free(a->crl);
	OCSP_RESPONSE_free(a->ocsp);
}

/* Tries a certificate, then a CRL (PEM, then DER), then a DER OCSP response. */
static void
decode(const unsigned char *buf, size_t len, struct artefact *a)
{
	BIO *bio = BIO_new_mem_buf(buf, (int)len);
	const unsigned char *p;

	if (bio != NULL && (a->cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) == NULL &&
	    BIO_reset(bio) == 1)
		a->crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL);
	BIO_free(bio);
	ERR_clear_error();
	if (a->cert != NULL || a->crl != NULL)
		return;
	p = buf;
	if ((a->cert = d2i_X509(NULL, &p, (long)len)) != NULL)
		return;
	p = buf;
	if ((a->crl = d2i_X509_CRL(NULL, &p, (long)len)) != NULL)
		return;
	p = buf;
	a->ocsp = d2i_OCSP_RESPONSE(NULL, &p, (long)len);
	ERR_clear_error();
}

/* A certificate (certs_only) or any artefact, in PEM or DER. */
static int
load(const char *path, int certs_only, struct artefact *a)
{
	unsigned char *buf = NULL;
	size_t len;
	int r;

	memset(a, 0, sizeof(*a));
	if ((r = cer_read_file(path, LINT_MAX_FILE, &buf, &len)) != CER_OK)
		return r;
	decode(buf, len, a);
	free(buf);
	if (a->cert == NULL && (certs_only || (a->crl == NULL && a->ocsp == NULL))) {
		artefact_free(a);
		memset(a, 0, sizeof(*a));
		return cer_fail(CER_ERR_INPUT, "%s: not a certificate%s", path,
		    certs_only ? " (PEM or DER)" : ", CRL or OCSP response");
	}
	return CER_OK;
}

static int
parse_opts(int argc, char **argv, struct lint_opts *o)
{
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "issuer", required_argument, NULL, 'i' },
		{ "at", required_argument, NULL, 'a' },
		{ "skip", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "list", no_argument, NULL, 'l' },
		{ "markdown", no_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	int c, r;

	memset(o, 0, sizeof(*o));
	o->at = time(NULL);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if ((r = cer_lint_profile_parse(optarg, &o->profile)) != CER_OK)
				return r;
			o->have_profile = 1;
			break;
		case 'i': o->issuer_path = optarg; break;
		case 'a':
			if ((r = cer_lint_parse_time(optarg, &o->at)) != CER_OK)
				return r;
			break;
		case 's':
			if (o->nskip == LINT_MAX_SKIP)
				return cer_fail(CER_ERR_USAGE, "at most %d --skip", LINT_MAX_SKIP);
			o->skip[o->nskip++] = optarg;
			break;
		case 'j': o->json = 1; break;
		case 'l': o->list = 1; break;
		case 'm': o->markdown = 1; break;
		case ':':
			return cer_fail(CER_ERR_USAGE, "%s needs a value; see ceremony help",
			    argv[optind - 1]);
		default:
			return cer_fail(CER_ERR_USAGE, "unknown option %s; see ceremony help",
			    argv[optind - 1]);
		}
	}
	if (!o->list && optind >= argc)
		return cer_fail(CER_ERR_USAGE, "expected FILE...; usage: ceremony lint [--profile P] "
		    "[--issuer CERT] [--at TIME] [--json] FILE...");
	return CER_OK;
}

/* Prints res as text or as one JSON line; *bad counts errors and warnings. */
static int
report(const struct lint_opts *o, const char *path, enum cer_lint_profile p,
    const struct cer_lint_result *res, int many, size_t *bad)
{
	json_t *j = NULL, *doc;
	int r;

	*bad += cer_lint_result_errors(res) + cer_lint_result_warnings(res);
	if (!o->json) {
		cer_lint_result_print(res, many ? path : NULL, stdout);
		return CER_OK;
	}
	if ((r = cer_lint_result_json(res, &j)) != CER_OK)
		return r;
	doc = json_pack("{s:s, s:s, s:o}", "file", path, "profile", cer_lint_profile_str(p),
	    "findings", j);
	r = doc != NULL && json_dumpf(doc, stdout, JSON_COMPACT) == 0 ? CER_OK :
	    cer_fail(CER_ERR_ALLOC, "cannot write JSON");
	putchar('\n');
	json_decref(doc);
	return r;
}

/* Lints a certificate of profile o->profile or the guessed one. */
static int
lint_cert(const struct lint_opts *o, const char *path, X509 *cert, X509 *issuer,
    enum cer_lint_profile *p, struct cer_lint_result **res)
{
	int r;

	if (!o->have_profile && (r = cer_lint_profile_guess(cert, p)) != CER_OK)
		return cer_fail_prefix(CER_ERR_USAGE, "%s", path);
	if (issuer == NULL && !(X509_get_extension_flags(cert) & EXFLAG_SI))
		return cer_fail(CER_ERR_USAGE, "%s is not self-issued: give --issuer CERT", path);
	return cer_lint_certificate(cert, issuer, *p, o->at, o->skip, res);
}

/* Lints one file. */
static int
lint_one(const struct lint_opts *o, const char *path, X509 *issuer, int many, size_t *bad)
{
	struct cer_lint_result *res = NULL;
	enum cer_lint_profile p = o->profile;
	struct artefact a;
	int r;

	if ((r = load(path, 0, &a)) != CER_OK)
		return r;
	if (a.cert != NULL)
		r = lint_cert(o, path, a.cert, issuer, &p, &res);
	else if (issuer == NULL)
		r = cer_fail(CER_ERR_USAGE, "%s is %s: give --issuer CERT", path,
		    a.crl != NULL ? "a CRL" : "an OCSP response");
	else if (a.crl != NULL)
		r = cer_lint_crl(a.crl, issuer, o->at, o->skip, &res);
	else
		r = cer_lint_ocsp_response(a.ocsp, issuer, o->at, o->skip, &res);
	if (a.cert == NULL)
		p = a.crl != NULL ? CER_LINT_CRL : CER_LINT_OCSP_RESPONSE;
	if (r == CER_OK)
		r = report(o, path, p, res, many, bad);
	cer_lint_result_free(res);
	artefact_free(&a);
	return r;
}

int
cer_lint_main(int argc, char **argv)
{
	struct lint_opts o;
	struct artefact issuer = { NULL, NULL, NULL };
	size_t bad = 0;
	int i, r;

	if ((r = parse_opts(argc, argv, &o)) != CER_OK)
		return r;
	if (o.list) {
		cer_lint_list(stdout, o.markdown);
		return CER_OK;
	}
	if (o.issuer_path != NULL && (r = load(o.issuer_path, 1, &issuer)) != CER_OK)
		return r;
	for (i = optind; i < argc; i++)
		if ((r = lint_one(&o, argv[i], issuer.cert, argc - optind > 1, &bad)) != CER_OK)
			goto out;
	r = bad > 0 ? cer_fail(CER_ERR_VERIFY, "lint: %zu error%s or warning%s", bad,
	    bad == 1 ? "" : "s", bad == 1 ? "" : "s") : CER_OK;
out:
	artefact_free(&issuer);
	return r;
}
