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

/* a CRL of 100 000 entries, as a crl step makes, is 6.6 MB of PEM */
#define LINT_MAX_FILE (1u << 28)
#define LINT_MAX_SKIP 64

static const char usage_text[] =
    "usage: ceremony lint [--profile P] [--issuer CERT] [--at TIME]\n"
    "                     [--affiliated | --not-affiliated] [--skip ID]... [--json] FILE...\n"
    "       ceremony lint --list [--markdown | --json]\n"
    "\n"
    "Lints certificates and CRLs (PEM or DER) and OCSP responses (DER); a CRL or an\n"
    "OCSP response needs --issuer.  Exit status: 0 clean (notices allowed), 1 an error\n"
    "or a warning was found, 2 usage or unreadable input.\n"
    "\n"
    "  --profile P      root, subordinate, subordinate-tc, subordinate-tc-nontls, cross,\n"
    "                   ocsp-responder (guessed when absent; cross must be named);\n"
    "                   crl-subscriber or crl-ca for a CRL about subscriber or CA\n"
    "                   certificates (default: crl-ca when the issuer is self-issued or\n"
    "                   the CRL's issuingDistributionPoint says onlyContainsCACerts,\n"
    "                   crl-subscriber otherwise); crl, ocsp-response; for a private\n"
    "                   hierarchy (RFC 5280 rules only) private-root, private-subordinate,\n"
    "                   private-ocsp-responder, private-crl\n"
    "  --issuer CERT    the issuing CA's certificate\n"
    "  --at TIME        the signing time, UTC ('2026-12-01 00:00:00' or\n"
    "                   2026-12-01T00:00:00Z), for the signing-window rules; without it,\n"
    "                   each file's own notBefore, thisUpdate or producedAt\n"
    "  --affiliated     a cross-certificate between the same organisation or affiliates\n"
    "                   (BR 7.1.2.2.3: extKeyUsage SHOULD); --not-affiliated: it MUST be\n"
    "                   there, restricted; default: affiliated when the certificate's\n"
    "                   issuer and subject organizationName are equal\n"
    "  --skip ID        skip a rule, by id or by a zlint, Boulder or pkilint name\n"
    "  --json           one JSON object per file, every rule's verdict\n"
    "  --list           the rules (--markdown: docs/lints.md's table; --json: an array)\n"
    "\n"
    "Rules that took effect on a date are judged against the file's own date and are\n"
    "\"not-applicable\" to older files.\n";

/* How a CRL's scope and a cross-certificate's affiliation are decided. */
enum { FROM_FILE = -1 };

struct lint_opts {
	int private_crl;		/* --profile private-crl */
	int have_profile, have_at, json, list, markdown, help;
	int subscriber_crl;		/* FROM_FILE, 0, 1 */
	int affiliated;			/* FROM_FILE, 0, 1 */
	enum cer_lint_profile profile;
	const char *profile_name;
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

/* --profile: a profile of the engine, or crl-subscriber / crl-ca. */
static int
parse_profile(const char *name, struct lint_opts *o)
{
	o->have_profile = 1;
	o->profile_name = name;
	/* private-crl: the CRL rules of the private set (lint.h cer_lint_opts private_set) */
	o->private_crl = strcmp(name, "private-crl") == 0;
	if (strcmp(name, "crl-subscriber") == 0 || strcmp(name, "crl-ca") == 0 || o->private_crl) {
		o->profile = CER_LINT_CRL;
		o->subscriber_crl = strcmp(name, "crl-subscriber") == 0;
		return CER_OK;
	}
	if (cer_lint_profile_parse(name, &o->profile) == CER_OK)
		return CER_OK;
	cer_err_clear();
	return cer_fail(CER_ERR_USAGE, "unknown profile '%s'; use root, subordinate, "
	    "subordinate-tc, subordinate-tc-nontls, cross, ocsp-responder, crl-subscriber, crl-ca, "
	    "crl, ocsp-response, private-root, private-subordinate, private-ocsp-responder or "
	    "private-crl", name);
}

static int
parse_opts(int argc, char **argv, struct lint_opts *o)
{
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "issuer", required_argument, NULL, 'i' },
		{ "at", required_argument, NULL, 'a' },
		{ "skip", required_argument, NULL, 's' },
		{ "affiliated", no_argument, NULL, 'A' },
		{ "not-affiliated", no_argument, NULL, 'N' },
		{ "json", no_argument, NULL, 'j' },
		{ "list", no_argument, NULL, 'l' },
		{ "markdown", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, r;

	memset(o, 0, sizeof(*o));
	o->subscriber_crl = o->affiliated = FROM_FILE;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if ((r = parse_profile(optarg, o)) != CER_OK)
				return r;
			break;
		case 'i': o->issuer_path = optarg; break;
		case 'a':
			if ((r = cer_lint_parse_time(optarg, &o->at)) != CER_OK)
				return r;
			o->have_at = 1;
			break;
		case 's':
			if (o->nskip == LINT_MAX_SKIP)
				return cer_fail(CER_ERR_USAGE, "at most %d --skip", LINT_MAX_SKIP);
			o->skip[o->nskip++] = optarg;
			break;
		case 'A': case 'N':
			if (o->affiliated != FROM_FILE && o->affiliated != (c == 'A'))
				return cer_fail(CER_ERR_USAGE, "--affiliated and --not-affiliated "
				    "contradict each other");
			o->affiliated = c == 'A';
			break;
		case 'j': o->json = 1; break;
		case 'l': o->list = 1; break;
		case 'm': o->markdown = 1; break;
		case 'h': o->help = 1; break;
		case ':':
			return cer_fail(CER_ERR_USAGE, "%s needs a value; see ceremony lint --help",
			    argv[optind - 1]);
		default:
			return cer_fail(CER_ERR_USAGE, "unknown option %s; see ceremony lint "
			    "--help", argv[optind - 1]);
		}
	}
	if (o->help)
		return CER_OK;
	if (o->list && o->markdown && o->json)
		return cer_fail(CER_ERR_USAGE, "--list takes --markdown or --json, not both");
	if (!o->list && o->markdown)
		return cer_fail(CER_ERR_USAGE, "--markdown goes with --list");
	if (!o->list && optind >= argc)
		return cer_fail(CER_ERR_USAGE, "expected FILE...; see ceremony lint --help");
	return CER_OK;
}

/* The first organizationName of n, as UTF-8 (OPENSSL_free it), or NULL. */
static unsigned char *
org_utf8(const X509_NAME *n, int *len)
{
	int i = X509_NAME_get_index_by_NID(n, NID_organizationName, -1);
	unsigned char *s = NULL;

	if (i < 0 || (*len = ASN1_STRING_to_UTF8(&s,
	    X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i)))) < 0) {
		ERR_clear_error();
		return NULL;
	}
	return s;
}

/*
 * Without --affiliated or --not-affiliated, a cross-certificate is taken
 * for one between affiliates when its issuer and subject name the same
 * organizationName (BR 7.1.2.2.3's first condition, the one a certificate
 * shows); affiliates under different names must say --affiliated.
 */
static int
affiliated(const struct lint_opts *o, X509 *cert)
{
	unsigned char *a, *b;
	int la = 0, lb = 0, same;

	if (o->affiliated != FROM_FILE)
		return o->affiliated;
	a = org_utf8(X509_get_issuer_name(cert), &la);
	b = org_utf8(X509_get_subject_name(cert), &lb);
	same = a != NULL && b != NULL && la == lb && memcmp(a, b, (size_t)la) == 0;
	OPENSSL_free(a);
	OPENSSL_free(b);
	return same;
}

/*
 * Without a crl-subscriber or crl-ca profile: a root issues no subscriber
 * certificates (BR 6.1.7), so its CRL is about CA certificates; so is a CRL
 * whose issuingDistributionPoint asserts onlyContainsCACerts (as Boulder's
 * CRL lints decide).  Any other CA's CRL is taken to be about subscriber
 * certificates, the stricter reading (10 days, not 12 months).
 */
static int
subscriber_crl(const struct lint_opts *o, X509_CRL *crl, X509 *issuer)
{
	ISSUING_DIST_POINT *idp;
	int only_ca;

	if (o->subscriber_crl != FROM_FILE)
		return o->subscriber_crl;
	if (X509_get_extension_flags(issuer) & EXFLAG_SI)
		return 0;
	idp = X509_CRL_get_ext_d2i(crl, NID_issuing_distribution_point, NULL, NULL);
	only_ca = idp != NULL && idp->onlyCA > 0;
	ISSUING_DIST_POINT_free(idp);
	ERR_clear_error();
	return !only_ca;
}

/* The artefact's own date: notBefore, thisUpdate or producedAt; -1 when unknown. */
static time_t
own_date(const struct artefact *a, const char **what)
{
	OCSP_BASICRESP *bs;
	time_t t = (time_t)-1;

	*what = a->cert != NULL ? "notBefore" : a->crl != NULL ? "thisUpdate" : "producedAt";
	if (a->cert != NULL)
		t = cer_lint_time(X509_get0_notBefore(a->cert));
	else if (a->crl != NULL)
		t = cer_lint_time(X509_CRL_get0_lastUpdate(a->crl));
	else if ((bs = OCSP_response_get1_basic(a->ocsp)) != NULL) {
		t = cer_lint_time(OCSP_resp_get0_produced_at(bs));
		OCSP_BASICRESP_free(bs);
	}
	ERR_clear_error();
	return t;
}

/* How one file is linted: its profile, signing time and what it is told. */
struct job {
	const char *path;
	enum cer_lint_profile profile;
	time_t at;
	const char *at_from;		/* "--at", "notBefore", ... */
	int guessed;			/* the profile is the guess from the file */
	struct cer_lint_opts opts;
};

/*
 * The findings as text, escaped: they quote the file (names, URLs), which
 * must not reach the terminal as controls or bidirectional overrides.
 */
static int
print_safe(const struct cer_lint_result *res, const char *prefix)
{
	char *text = NULL, *shown = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	if ((f = open_memstream(&text, &len)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	cer_lint_result_print(res, prefix, f);
	if (fclose(f) != 0)
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
	else if ((r = cer_escape(text, len, CER_ESC_KEEP_NL, &shown)) == CER_OK)
		fputs(shown, stdout);
	free(text);
	free(shown);
	return r;
}

/* Prints res as text or as one JSON line; *bad counts errors and warnings. */
static int
report(const struct lint_opts *o, const struct job *jb, const struct cer_lint_result *res,
    int many, size_t *bad)
{
	json_t *j = NULL, *doc;
	char when[21];
	int r;

	*bad += cer_lint_result_errors(res) + cer_lint_result_warnings(res);
	/* a cross-certificate reads as a subordinate CA: only the operator knows which */
	if (!o->json && jb->guessed && jb->profile == CER_LINT_SUBORDINATE &&
	    cer_lint_result_errors(res) + cer_lint_result_warnings(res) > 0)
		printf("%s: linted as a subordinate CA (guessed from the file); for a "
		    "cross-certificate give --profile cross\n", jb->path);
	if (!o->json)
		return print_safe(res, many ? jb->path : NULL);
	if ((r = cer_lint_result_json(res, &j)) != CER_OK)
		return r;
	cer_time_str(jb->at, when);
	doc = json_pack("{s:s, s:s, s:s, s:s, s:o}", "file", jb->path, "profile",
	    cer_lint_profile_str(jb->opts.private_set ? cer_lint_profile_private(jb->profile) :
	    jb->profile), "at", when, "at_from", jb->at_from, "findings", j);
	if (doc != NULL && jb->profile == CER_LINT_CRL)
		json_object_set_new(doc, "crl_scope",
		    json_string(jb->opts.subscriber_crl ? "subscriber" : "ca"));
	if (doc != NULL)
		json_object_set_new(doc, "profile_guessed", json_boolean(jb->guessed));
	if (doc != NULL && jb->profile == CER_LINT_CROSS)
		json_object_set_new(doc, "affiliated", json_boolean(jb->opts.affiliated));
	r = doc != NULL && json_dumpf(doc, stdout, JSON_COMPACT) == 0 ? CER_OK :
	    cer_fail(CER_ERR_ALLOC, "cannot write JSON");
	putchar('\n');
	json_decref(doc);
	return r;
}

/* The profile the file gets, refusing one of another kind of artefact. */
static int
job_profile(const struct lint_opts *o, const struct artefact *a, struct job *jb)
{
	enum cer_lint_profile want = a->crl != NULL ? CER_LINT_CRL : CER_LINT_OCSP_RESPONSE;
	int is_cert_profile = o->profile != CER_LINT_CRL && o->profile != CER_LINT_OCSP_RESPONSE;

	if (a->cert != NULL) {
		if (o->have_profile && !is_cert_profile)
			return cer_fail(CER_ERR_USAGE, "%s is a certificate; --profile %s is "
			    "for %s", jb->path, o->profile_name, o->profile == CER_LINT_CRL ?
			    "CRLs" : "OCSP responses");
		if (!o->have_profile && cer_lint_profile_guess(a->cert, &jb->profile) != CER_OK)
			return cer_fail_prefix(CER_ERR_USAGE, "%s", jb->path);
		jb->guessed = !o->have_profile;
		if (o->have_profile)
			jb->profile = o->profile;
		return CER_OK;
	}
	if (o->have_profile && o->profile != want)
		return cer_fail(CER_ERR_USAGE, "%s is %s; --profile %s is for %s", jb->path,
		    a->crl != NULL ? "a CRL" : "an OCSP response", o->profile_name,
		    is_cert_profile ? "certificates" : o->profile == CER_LINT_CRL ? "CRLs" :
		    "OCSP responses");
	jb->profile = want;
	return CER_OK;
}

/* Lints one loaded file against issuer (NULL: none given). */
static int
lint_artefact(const struct lint_opts *o, struct job *jb, const struct artefact *a,
    X509 *issuer, struct cer_lint_result **res)
{
	const char *what;
	time_t own = own_date(a, &what);
	int r;

	if ((r = job_profile(o, a, jb)) != CER_OK)
		return r;
	jb->at = o->have_at || own == (time_t)-1 ? o->at : own;
	jb->at_from = o->have_at || own == (time_t)-1 ? "--at" : what;
	if (a->cert == NULL && issuer == NULL)
		return cer_fail(CER_ERR_USAGE, "%s is %s: give --issuer CERT", jb->path,
		    a->crl != NULL ? "a CRL" : "an OCSP response");
	if (a->crl != NULL) {
		jb->opts.subscriber_crl = subscriber_crl(o, a->crl, issuer);
		jb->opts.private_set = o->private_crl;
		return cer_lint_crl_opts(a->crl, issuer, jb->at, o->skip, &jb->opts, res);
	}
	if (a->ocsp != NULL)
		return cer_lint_ocsp_response(a->ocsp, issuer, jb->at, o->skip, res);
	if (issuer == NULL && !(X509_get_extension_flags(a->cert) & EXFLAG_SI))
		return cer_fail(CER_ERR_USAGE, "%s is not self-issued: give --issuer CERT",
		    jb->path);
	jb->opts.affiliated = affiliated(o, a->cert);
	return cer_lint_certificate_opts(a->cert, issuer, jb->profile, jb->at, o->skip, &jb->opts,
	    res);
}

/* Lints one file. */
static int
lint_one(const struct lint_opts *o, const char *path, X509 *issuer, int many, size_t *bad)
{
	struct cer_lint_result *res = NULL;
	struct job jb;
	struct artefact a;
	int r;

	memset(&jb, 0, sizeof(jb));
	jb.path = path;
	if ((r = load(path, 0, &a)) != CER_OK)
		return r;
	if ((r = lint_artefact(o, &jb, &a, issuer, &res)) == CER_OK)
		r = report(o, &jb, res, many, bad);
	cer_lint_result_free(res);
	artefact_free(&a);
	return r;
}

/* --list, as text, Markdown or JSON. */
static int
list(const struct lint_opts *o)
{
	json_t *arr;
	int r;

	if (!o->json) {
		cer_lint_list(stdout, o->markdown);
		return CER_OK;
	}
	if ((r = cer_lint_list_json(&arr)) != CER_OK)
		return r;
	r = json_dumpf(arr, stdout, JSON_INDENT(1)) == 0 ? CER_OK :
	    cer_fail(CER_ERR_ALLOC, "cannot write JSON");
	putchar('\n');
	json_decref(arr);
	return r;
}

/* Another linter's name that no rule here corresponds to skips nothing: say so. */
static void
note_skips(const struct lint_opts *o)
{
	const char *rule;
	size_t i;

	for (i = 0; i < o->nskip; i++)
		if (!cer_lint_rule_exists(o->skip[i]) &&
		    cer_lint_foreign_name(o->skip[i], &rule) == CER_OK && rule == NULL)
			fprintf(stderr, "ceremony lint: --skip %s: no rule here corresponds to "
			    "that lint; it skips nothing\n", o->skip[i]);
	cer_err_clear();
}

int
cer_lint_main(int argc, char **argv)
{
	struct lint_opts o;
	struct artefact issuer = { NULL, NULL, NULL };
	size_t bad = 0;
	int i, r, first = CER_OK, unread = 0;

	if ((r = parse_opts(argc, argv, &o)) != CER_OK)
		return r;
	if (o.help) {
		fputs(usage_text, stdout);
		return CER_OK;
	}
	if (o.list)
		return list(&o);
	if (!o.have_at)
		o.at = time(NULL);
	note_skips(&o);
	if (o.issuer_path != NULL && (r = load(o.issuer_path, 1, &issuer)) != CER_OK)
		return r;
	/* one file: its error is the one line */
	if (argc - optind == 1 && (r = lint_one(&o, argv[optind], issuer.cert, 0, &bad)) != CER_OK)
		goto out;
	/* every file is linted, even after one that cannot be: its error is named at once */
	for (i = optind; argc - optind > 1 && i < argc; i++)
		if ((r = lint_one(&o, argv[i], issuer.cert, 1, &bad)) != CER_OK) {
			fprintf(stderr, "ceremony: %s\n", cer_err_detail());
			if (first == CER_OK)
				first = r;
			unread++;
		}
	if (unread > 0)
		r = cer_fail(first, "lint: %d file%s could not be linted (named above)%s", unread,
		    unread == 1 ? "" : "s", bad > 0 ? "; the others have errors or warnings" : "");
	else
		r = bad > 0 ? cer_fail(CER_ERR_VERIFY, "lint: %zu error%s or warning%s", bad,
		    bad == 1 ? "" : "s", bad == 1 ? "" : "s") : CER_OK;
 out:
	artefact_free(&issuer);
	return r;
}
