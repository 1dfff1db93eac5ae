/* lint-cmd.c: `ceremony lint`, the command-line face of the linter. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "lint.h"
#include "util.h"

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

/* A certificate or (crl != NULL) a CRL, in PEM or DER. */
static int
load(const char *path, X509 **cert, X509_CRL **crl)
{
	unsigned char *buf = NULL;
	const unsigned char *p;
	size_t len;
	BIO *bio = NULL;
	int r;

	*cert = NULL;
	if (crl != NULL)
		*crl = NULL;
	if ((r = cer_read_file(path, LINT_MAX_FILE, &buf, &len)) != CER_OK)
		return r;
	if ((bio = BIO_new_mem_buf(buf, (int)len)) != NULL &&
	    (*cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) == NULL && crl != NULL &&
	    BIO_reset(bio) == 1)
		*crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL);
	if (*cert == NULL && (crl == NULL || *crl == NULL)) {
		p = buf;
		*cert = d2i_X509(NULL, &p, (long)len);
	}
	if (*cert == NULL && crl != NULL && *crl == NULL) {
		p = buf;
		*crl = d2i_X509_CRL(NULL, &p, (long)len);
	}
	ERR_clear_error();
	BIO_free(bio);
	free(buf);
	if (*cert == NULL && (crl == NULL || *crl == NULL))
		return cer_fail(CER_ERR_INPUT, "%s: not a certificate%s (PEM or DER)", path,
		    crl != NULL ? " or CRL" : "");
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

/* Lints one file. */
static int
lint_one(const struct lint_opts *o, const char *path, X509 *issuer, int many, size_t *bad)
{
	struct cer_lint_result *res = NULL;
	enum cer_lint_profile p = o->profile;
	X509_CRL *crl = NULL;
	X509 *cert = NULL;
	int r;

	if ((r = load(path, &cert, &crl)) != CER_OK)
		goto out;
	if (crl != NULL) {
		p = CER_LINT_CRL;
		if (issuer == NULL) {
			r = cer_fail(CER_ERR_USAGE, "%s is a CRL: give --issuer CERT", path);
			goto out;
		}
		if ((r = cer_lint_crl(crl, issuer, o->at, o->skip, &res)) != CER_OK)
			goto out;
	} else {
		if (!o->have_profile && (r = cer_lint_profile_guess(cert, &p)) != CER_OK) {
			r = cer_fail(CER_ERR_USAGE, "%s: %s", path, cer_err_detail());
			goto out;
		}
		if (issuer == NULL && !(X509_get_extension_flags(cert) & EXFLAG_SI)) {
			r = cer_fail(CER_ERR_USAGE, "%s is not self-issued: give --issuer CERT", path);
			goto out;
		}
		if ((r = cer_lint_certificate(cert, issuer, p, o->at, o->skip, &res)) != CER_OK)
			goto out;
	}
	r = report(o, path, p, res, many, bad);
out:
	cer_lint_result_free(res);
	X509_CRL_free(crl);
	X509_free(cert);
	return r;
}

int
cer_lint_main(int argc, char **argv)
{
	struct lint_opts o;
	X509 *issuer = NULL;
	size_t bad = 0;
	int i, r;

	if ((r = parse_opts(argc, argv, &o)) != CER_OK)
		return r;
	if (o.list) {
		cer_lint_list(stdout, o.markdown);
		return CER_OK;
	}
	if (o.issuer_path != NULL && (r = load(o.issuer_path, &issuer, NULL)) != CER_OK)
		return r;
	for (i = optind; i < argc; i++)
		if ((r = lint_one(&o, argv[i], issuer, argc - optind > 1, &bad)) != CER_OK)
			goto out;
	r = bad > 0 ? cer_fail(CER_ERR_VERIFY, "lint: %zu error%s or warning%s", bad,
	    bad == 1 ? "" : "s", bad == 1 ? "" : "s") : CER_OK;
out:
	X509_free(issuer);
	return r;
}
