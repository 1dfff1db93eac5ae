/*
 * tscheck.c: an auditor's check of a transcript.  The file is untrusted:
 * each line is hashed as read (never re-serialised), parsed on its own,
 * and the first line that breaks a rule is named.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libgen.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "record/pgpwords.h"
#include "record/tscheck.h"

#define MAX_TRANSCRIPT ((size_t)1 << 30)

struct cer_tscheck {
	char *path;
	json_t *recs;		/* the record objects, in order */
	unsigned char digest[CER_SHA256_LEN];
};

/* cer_fail with "FILE:LINE: " in front; line is 1-based. */
__attribute__((__format__(__printf__, 4, 5)))
static int
line_fail(int code, const struct cer_tscheck *t, size_t line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cer_fail(code, "%s:%zu: %s", t->path, line, msg);
}

static const char *
str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* "2026-12-01T09:00:00Z", digit by digit. */
static int
time_ok(const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t i;

	if (s == NULL || strlen(s) != sizeof(pat) - 1)
		return 0;
	for (i = 0; pat[i] != '\0'; i++)
		if (pat[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != pat[i])
			return 0;
	return 1;
}

/* The five members, their types, seq and the place of begin and end. */
static int
check_members(const struct cer_tscheck *t, size_t line, const json_t *rec)
{
	const json_t *seq = json_object_get(rec, "seq");
	const char *event = str(rec, "event");

	if (json_object_size(rec) != 5 || json_object_get(rec, "data") == NULL ||
	    str(rec, "prev") == NULL)
		return line_fail(CER_ERR_TRANSCRIPT, t, line, "a record has exactly the members "
		    "seq, time, event, prev and data");
	if (!json_is_integer(seq) || json_integer_value(seq) != (json_int_t)(line - 1))
		return line_fail(CER_ERR_TRANSCRIPT, t, line, "seq is not %zu (a line is missing, "
		    "added or moved)", line - 1);
	if (!time_ok(str(rec, "time")))
		return line_fail(CER_ERR_TRANSCRIPT, t, line, "time is not YYYY-MM-DDTHH:MM:SSZ");
	if (event == NULL || *event == '\0')
		return line_fail(CER_ERR_TRANSCRIPT, t, line, "event is not a name");
	if ((line == 1) != (strcmp(event, "begin") == 0))
		return line_fail(CER_ERR_TRANSCRIPT, t, line, line == 1 ? "the first event is "
		    "'%s', not 'begin'" : "a second 'begin' (%s)", event);
	return CER_OK;
}

/*
 * Nothing follows 'end', except that a failed ceremony may be resumed
 * (ceremony run --resume): its 'end' failed is followed by 'resume'.
 */
static int
continues(json_t *last, json_t *rec)
{
	const char *status = str(json_object_get(last, "data"), "status");

	if (strcmp(str(last, "event"), "end") != 0)
		return 1;
	return status != NULL && strcmp(status, "failed") == 0 && str(rec, "event") != NULL &&
	    strcmp(str(rec, "event"), "resume") == 0;
}

/* One line: JSON, members, prev; then its own hash becomes the next prev. */
static int
check_line(struct cer_tscheck *t, size_t line, const char *buf, size_t len)
{
	json_t *rec = NULL, *last;
	json_error_t e;
	char *want = NULL;
	int r = CER_ERR_INTERNAL;

	last = json_array_get(t->recs, json_array_size(t->recs) - 1);
	if ((rec = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &e)) == NULL ||
	    !json_is_object(rec)) {
		r = line_fail(CER_ERR_TRANSCRIPT, t, line, "not a JSON object%s%s",
		    rec == NULL ? ": " : "", rec == NULL ? e.text : "");
		goto out;
	}
	if (last != NULL && !continues(last, rec)) {
		r = line_fail(CER_ERR_TRANSCRIPT, t, line, "a record after 'end'");
		goto out;
	}
	if ((r = check_members(t, line, rec)) != CER_OK ||
	    (r = cer_hex(t->digest, sizeof(t->digest), &want)) != CER_OK)
		goto out;
	if (strcmp(str(rec, "prev"), want) != 0) {
		r = line == 1 ? line_fail(CER_ERR_TRANSCRIPT, t, line, "prev is not 64 zeros") :
		    line_fail(CER_ERR_TRANSCRIPT, t, line, "prev is not the SHA-256 of line %zu: "
		    "line %zu or this line was changed", line - 1, line - 1);
		goto out;
	}
	if ((r = cer_sha256(buf, len, t->digest)) != CER_OK)
		goto out;
	if (json_array_append_new(t->recs, rec) != 0) {
		rec = NULL;
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	rec = NULL; /* transferred */
	r = CER_OK;
 out:
	json_decref(rec);
	free(want);
	return r;
}

static int
check_lines(struct cer_tscheck *t, const unsigned char *buf, size_t len)
{
	const unsigned char *p = buf, *nl;
	size_t line = 1;
	int r;

	if (len == 0)
		return cer_fail(CER_ERR_TRANSCRIPT, "%s: empty", t->path);
	for (; p < buf + len; p = nl + 1, line++) {
		/* The writer writes each line with its newline: without one it was cut off. */
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			return line_fail(CER_ERR_TRANSCRIPT, t, line, "the last line has no newline "
			    "(cut off)");
		if ((r = check_line(t, line, (const char *)p, (size_t)(nl - p))) != CER_OK)
			return r;
	}
	return CER_OK;
}

int
cer_tscheck_parse(const char *name, const unsigned char *buf, size_t len,
    struct cer_tscheck **out)
{
	struct cer_tscheck *t = NULL;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL || (t->path = strdup(name)) == NULL ||
	    (t->recs = json_array()) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	if ((r = check_lines(t, buf, len)) != CER_OK)
		goto out;
	*out = t;
	t = NULL; /* transferred */
	r = CER_OK;
 out:
	cer_tscheck_free(t);
	return r;
}

int
cer_tscheck_load(const char *path, struct cer_tscheck **out)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	int r;

	*out = NULL;
	if ((r = cer_read_file(path, MAX_TRANSCRIPT, &buf, &len)) == CER_OK)
		r = cer_tscheck_parse(path, buf, len, out);
	free(buf);
	return r;
}

/* ---- content ---- */

/* State carried from record to record while verifying. */
struct walk {
	const struct cer_tscheck *t;
	const struct cer_tscheck_opts *o;
	struct cer_tscheck_summary *sum;
	json_t *pems;		/* "kind step" -> the PEM of its last certificate or CSR */
	json_t *outputs;	/* every output record's data, for 'end' */
	const char *cwd;	/* the directory the current run began in, or NULL */
};

/* SHA-256 of len bytes, compared with the lowercase hex recorded. */
static int
hash_matches(const void *buf, size_t len, const char *want, int *match)
{
	char *hex = NULL;
	int r;

	*match = 0;
	if ((r = cer_sha256_hex(buf, len, &hex)) != CER_OK)
		return r;
	*match = want != NULL && strcmp(hex, want) == 0;
	free(hex);
	return CER_OK;
}

enum pem_kind { PEM_CERT, PEM_CSR, PEM_PUBKEY };

/* The object in pem (which may be NULL), or NULL: the caller names the line. */
static void *
pem_read(const char *pem, enum pem_kind kind)
{
	BIO *b = pem != NULL ? BIO_new_mem_buf(pem, -1) : NULL;
	void *o = NULL;

	if (b != NULL)
		o = kind == PEM_CERT ? (void *)PEM_read_bio_X509(b, NULL, NULL, NULL) :
		    kind == PEM_CSR ? (void *)PEM_read_bio_X509_REQ(b, NULL, NULL, NULL) :
		    (void *)PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
	BIO_free(b);
	ERR_clear_error();
	return o;
}

/*
 * The SHA-256 of k's DER SubjectPublicKeyInfo against the spki_sha256 of
 * pub; required for a generated key, checked when recorded for the key of
 * a certificate or CSR.
 */
static int
check_spki(struct walk *w, size_t line, EVP_PKEY *k, const json_t *pub, int required,
    const char *what)
{
	const char *want = str(pub, "spki_sha256");
	unsigned char *der = NULL;
	int len, match = 0, r;

	if (want == NULL && !required)
		return CER_OK;
	if ((len = i2d_PUBKEY(k, &der)) <= 0)
		return cer_fail(CER_ERR_OPENSSL, "cannot encode a public key");
	r = hash_matches(der, (size_t)len, want, &match);
	OPENSSL_free(der);
	if (r == CER_OK && !match)
		r = line_fail(CER_ERR_VERIFY, w->t, line, "%s.spki_sha256 is not the SHA-256 of "
		    "the key in %s", what, required ? "public_key_pem" : "pem");
	return r;
}

/* The PEM of a certificate or CSR, for the output of that kind in the same step. */
static int
remember_pem(struct walk *w, const char *kind, const json_t *data, const char *pem)
{
	char key[300];

	snprintf(key, sizeof(key), "%s %s", kind, str(data, "step") != NULL ? str(data, "step") : "");
	if (json_object_set_new(w->pems, key, json_string(pem)) != 0)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	return CER_OK;
}

/* The DER's SHA-256 against certificate.sha256. */
static int
check_der_hash(struct walk *w, size_t line, X509 *x, const json_t *data)
{
	unsigned char *der = NULL;
	int len, match = 0, r;

	if ((len = i2d_X509(x, &der)) <= 0)
		return cer_fail(CER_ERR_OPENSSL, "cannot encode a certificate");
	r = hash_matches(der, (size_t)len, str(json_object_get(data, "certificate"), "sha256"),
	    &match);
	OPENSSL_free(der);
	if (r == CER_OK && !match)
		r = line_fail(CER_ERR_VERIFY, w->t, line, "certificate.sha256 is not the SHA-256 "
		    "of the certificate in pem");
	return r;
}

/* The signature, with issuer_pem's key when recorded, else its own (a root). */
static int
check_cert(struct walk *w, size_t line, const json_t *data)
{
	const char *pem = str(data, "pem"), *ipem = str(data, "issuer_pem");
	X509 *x = NULL, *issuer = NULL;
	int r = CER_ERR_INTERNAL;

	if ((x = pem_read(pem, PEM_CERT)) == NULL) {
		r = line_fail(CER_ERR_VERIFY, w->t, line, "pem is not a PEM certificate");
		goto out;
	}
	if (ipem != NULL && (issuer = pem_read(ipem, PEM_CERT)) == NULL) {
		r = line_fail(CER_ERR_VERIFY, w->t, line, "issuer_pem is not a PEM certificate");
		goto out;
	}
	if ((r = check_der_hash(w, line, x, data)) != CER_OK ||
	    (r = check_spki(w, line, X509_get0_pubkey(x), json_object_get(json_object_get(data,
	    "certificate"), "public_key"), 0, "certificate.public_key")) != CER_OK)
		goto out;
	if (X509_NAME_cmp(X509_get_issuer_name(x), X509_get_subject_name(issuer != NULL ?
	    issuer : x)) != 0 || X509_verify(x, X509_get0_pubkey(issuer != NULL ? issuer : x)) != 1) {
		ERR_clear_error();
		r = line_fail(CER_ERR_VERIFY, w->t, line, "the certificate's signature does not "
		    "verify with %s", issuer != NULL ? "issuer_pem" : "its own key (no issuer_pem)");
		goto out;
	}
	if ((r = remember_pem(w, "certificate", data, pem)) != CER_OK)
		goto out;
	w->sum->certificates++;
	r = CER_OK;
 out:
	X509_free(x);
	X509_free(issuer);
	return r;
}

/* A CRL record: its PEM parses, its DER is crl.sha256, its issuer and signature are issuer_pem's. */
static int
check_crl(struct walk *w, size_t line, const json_t *data)
{
	const char *pem = str(data, "pem"), *ipem = str(data, "issuer_pem");
	const json_t *c = json_object_get(data, "crl");
	BIO *b = pem != NULL ? BIO_new_mem_buf(pem, -1) : NULL;
	X509_CRL *crl = b != NULL ? PEM_read_bio_X509_CRL(b, NULL, NULL, NULL) : NULL;
	X509 *issuer = pem_read(ipem, PEM_CERT);
	unsigned char *der = NULL;
	int len, n, match = 0, r = CER_OK;

	BIO_free(b);
	ERR_clear_error();
	if (crl == NULL || issuer == NULL) {
		r = line_fail(CER_ERR_VERIFY, w->t, line, "%s is not a PEM %s", crl == NULL ? "pem" :
		    "issuer_pem", crl == NULL ? "CRL" : "certificate");
		goto out;
	}
	if ((len = i2d_X509_CRL(crl, &der)) <= 0) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot encode a CRL");
		goto out;
	}
	if ((r = hash_matches(der, (size_t)len, str(c, "sha256"), &match)) != CER_OK)
		goto out;
	/* an empty CRL has no revokedCertificates at all: OpenSSL gives no stack */
	n = X509_CRL_get_REVOKED(crl) != NULL ? sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl)) : 0;
	if (!match || json_integer_value(json_object_get(c, "entries")) != (json_int_t)n) {
		r = line_fail(CER_ERR_VERIFY, w->t, line, "crl.%s is not the %s of the CRL in pem",
		    !match ? "sha256" : "entries", !match ? "SHA-256" : "number of entries");
		goto out;
	}
	if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(issuer)) != 0 ||
	    X509_CRL_verify(crl, X509_get0_pubkey(issuer)) != 1) {
		ERR_clear_error();
		r = line_fail(CER_ERR_VERIFY, w->t, line, "the CRL's signature does not verify "
		    "with issuer_pem");
		goto out;
	}
	if ((r = remember_pem(w, "crl", data, pem)) == CER_OK)
		w->sum->crls++;
 out:
	OPENSSL_free(der);
	X509_CRL_free(crl);
	X509_free(issuer);
	return r;
}

static int
check_csr(struct walk *w, size_t line, const json_t *data)
{
	const char *pem = str(data, "pem");
	X509_REQ *req = NULL;
	int r = CER_ERR_INTERNAL;

	if ((req = pem_read(pem, PEM_CSR)) == NULL) {
		r = line_fail(CER_ERR_VERIFY, w->t, line, "pem is not a PEM CSR");
		goto out;
	}
	if (X509_REQ_verify(req, X509_REQ_get0_pubkey(req)) != 1) {
		ERR_clear_error();
		r = line_fail(CER_ERR_VERIFY, w->t, line, "the CSR's self-signature does not verify");
		goto out;
	}
	if ((r = check_spki(w, line, X509_REQ_get0_pubkey(req), json_object_get(data,
	    "public_key"), 0, "public_key")) != CER_OK ||
	    (r = remember_pem(w, "csr", data, pem)) != CER_OK)
		goto out;
	w->sum->csrs++;
	r = CER_OK;
 out:
	X509_REQ_free(req);
	return r;
}

/* public_key_pem is a public key, and spki_sha256 its hash. */
static int
check_key(struct walk *w, size_t line, const json_t *data)
{
	const char *pem = str(data, "public_key_pem");
	EVP_PKEY *k = NULL;
	int r = CER_ERR_INTERNAL;

	if ((k = pem_read(pem, PEM_PUBKEY)) == NULL) {
		r = line_fail(CER_ERR_VERIFY, w->t, line, "public_key_pem is not a PEM public key");
		goto out;
	}
	if ((r = check_spki(w, line, k, json_object_get(data, "public_key"), 1,
	    "public_key")) != CER_OK)
		goto out;
	w->sum->keys++;
	r = CER_OK;
 out:
	EVP_PKEY_free(k);
	return r;
}

/*
 * Where a relative output path is: --dir, else the directory the run
 * began in when this machine has it, else the transcript's directory (the
 * outputs copied beside it).  *tdir is freed by the caller.
 */
static const char *
output_base(const struct walk *w, char **tdir)
{
	struct stat st;
	char *copy;

	*tdir = NULL;
	if (w->o->dir != NULL)
		return w->o->dir;
	if (w->cwd != NULL && stat(w->cwd, &st) == 0 && S_ISDIR(st.st_mode))
		return w->cwd;
	if ((copy = strdup(w->t->path)) == NULL)
		return ".";
	*tdir = strdup(dirname(copy));
	free(copy);
	return *tdir != NULL ? *tdir : ".";
}

/* path has a ".." component. */
static int
dotdot(const char *path)
{
	const char *p = path;

	for (;;) {
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
			return 1;
		if ((p = strchr(p, '/')) == NULL)
			return 0;
		p++;
	}
}

/* The file as it is now, against the hash recorded when it was written. */
static int
check_file(struct walk *w, size_t line, const char *path, const char *want)
{
	unsigned char d[CER_SHA256_LEN];
	char *full = NULL, *hex = NULL, *tdir = NULL;
	const char *base = path[0] == '/' ? "" : output_base(w, &tdir);
	int r = CER_ERR_INTERNAL;

	/* --dir DIR: the auditor's copy; a path out of it would check some other file */
	if (w->o->dir != NULL && path[0] != '/' && dotdot(path)) {
		r = cer_fail(CER_ERR_VERIFY, "%s:%zu: output %s climbs out of --dir %s with '..'; "
		    "it is not checked there", w->t->path, line, path, w->o->dir);
		goto out;
	}
	if (asprintf(&full, "%s%s%s", base, base[0] != '\0' ? "/" : "", path) == -1) {
		full = NULL;
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	if (cer_sha256_file(full, d) != CER_OK) {
		r = cer_fail(CER_ERR_VERIFY, "%s: missing or unreadable (output recorded at %s:%zu%s)",
		    full, w->t->path, line, path[0] == '/' ? "" : "; relative paths are resolved "
		    "in the directory the ceremony ran in, else beside the transcript: give "
		    "--dir DIR if the outputs are elsewhere");
		goto out;
	}
	if ((r = cer_hex(d, sizeof(d), &hex)) != CER_OK)
		goto out;
	if (strcmp(hex, want) != 0) {
		r = cer_fail(CER_ERR_VERIFY, "%s: SHA-256 %s, but %s:%zu recorded %s: the file "
		    "changed", full, hex, w->t->path, line, want);
		goto out;
	}
	w->sum->files++;
	r = CER_OK;
 out:
	free(full);
	free(hex);
	free(tdir);
	return r;
}

static int
check_output(struct walk *w, size_t line, json_t *data)
{
	const char *path = str(data, "path"), *sha = str(data, "sha256"), *kind = str(data, "kind");
	const char *pem;
	char key[300];
	int match = 0, r;

	if (path == NULL || sha == NULL || kind == NULL)
		return line_fail(CER_ERR_TRANSCRIPT, w->t, line, "an output has a kind, a path "
		    "and a sha256");
	/* The file was written from the very PEM text the certificate, CSR or CRL record holds. */
	if (strcmp(kind, "certificate") == 0 || strcmp(kind, "csr") == 0 ||
	    strcmp(kind, "crl") == 0) {
		snprintf(key, sizeof(key), "%s %s", kind, str(data, "step") != NULL ?
		    str(data, "step") : "");
		if ((pem = json_string_value(json_object_get(w->pems, key))) == NULL)
			return line_fail(CER_ERR_VERIFY, w->t, line, "a %s output without its "
			    "signed record before it in step '%s'", kind, str(data, "step"));
		if ((r = hash_matches(pem, strlen(pem), sha, &match)) != CER_OK)
			return r;
		if (!match)
			return line_fail(CER_ERR_VERIFY, w->t, line, "sha256 is not the SHA-256 of "
			    "the %s PEM recorded for step '%s'", kind, str(data, "step"));
	}
	if (w->o->outputs && (r = check_file(w, line, path, sha)) != CER_OK)
		return r;
	if (json_array_append(w->outputs, data) != 0)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	w->sum->outputs++;
	return CER_OK;
}

/* Boulder's pkcs11 config: a path and what it holds; no hash (it holds a PIN), so no file check. */
static int
check_pkcs11_config(struct walk *w, size_t line, const json_t *data)
{
	if (str(data, "step") == NULL || str(data, "path") == NULL)
		return line_fail(CER_ERR_TRANSCRIPT, w->t, line, "a pkcs11-config record has a "
		    "step and a path");
	w->sum->pkcs11_configs++;
	return CER_OK;
}

static int
check_end(struct walk *w, size_t line, const json_t *data)
{
	const char *status = str(data, "status");

	if (status == NULL || (strcmp(status, "ok") != 0 && strcmp(status, "failed") != 0))
		return line_fail(CER_ERR_TRANSCRIPT, w->t, line, "status is not 'ok' or 'failed'");
	if (!json_equal(json_object_get(data, "outputs"), w->outputs))
		return line_fail(CER_ERR_VERIFY, w->t, line, "outputs is not the list of the "
		    "output records");
	w->sum->complete = 1;
	w->sum->status = status;
	return CER_OK;
}

static int
check_record(struct walk *w, size_t line, json_t *rec)
{
	const char *event = str(rec, "event");
	json_t *data = json_object_get(rec, "data");

	if (strcmp(event, "step-begin") == 0)
		w->sum->steps++;
	if (strcmp(event, "certificate-signed") == 0)
		return check_cert(w, line, data);
	if (strcmp(event, "csr-signed") == 0)
		return check_csr(w, line, data);
	if (strcmp(event, "crl-signed") == 0)
		return check_crl(w, line, data);
	if (strcmp(event, "key-generated") == 0)
		return check_key(w, line, data);
	if (strcmp(event, "output") == 0)
		return check_output(w, line, data);
	if (strcmp(event, "pkcs11-config") == 0)
		return check_pkcs11_config(w, line, data);
	if (strcmp(event, "end") == 0)
		return check_end(w, line, data);
	if (strcmp(event, "begin") == 0 || strcmp(event, "resume") == 0)
		w->cwd = str(data, "cwd");
	if (strcmp(event, "resume") == 0) {	/* the record goes on */
		w->sum->complete = 0;
		w->sum->status = NULL;
	}
	return CER_OK;
}

/*
 * Hex (any case, spaces and colons allowed) or PGP words (any case and
 * spacing) for the final digest.  A word that is no PGP word is a usage
 * error naming it, not a differing transcript: a witness's misspelling is
 * not tampering.
 */
static int
digest_matches(const struct cer_tscheck *t, const char *given, int *match)
{
	unsigned char got[CER_SHA256_LEN];
	char hex[2 * CER_SHA256_LEN + 1];
	size_t n = 0, k;
	const char *s;
	int r;

	*match = 0;
	for (s = given, k = 0; *s != '\0' && k < sizeof(hex) && (isxdigit((unsigned char)*s) ||
	    isspace((unsigned char)*s) || *s == ':'); s++)
		if (isxdigit((unsigned char)*s))
			hex[k++] = *s;
	if (*s == '\0' && k == 2 * CER_SHA256_LEN) {
		hex[k] = '\0';		/* sscanf reads the string it is given to its end */
		for (k = 0; k < CER_SHA256_LEN; k++)
			sscanf(hex + 2 * k, "%2hhx", &got[k]);
		*match = memcmp(got, t->digest, CER_SHA256_LEN) == 0;
		return CER_OK;
	}
	if ((r = cer_pgpwords_decode(given, got, sizeof(got), &n)) != CER_OK)
		return cer_fail_prefix(r, "--digest");
	if (n != CER_SHA256_LEN)
		return cer_fail(CER_ERR_USAGE, "--digest: %zu PGP words; the final digest is %d (or "
		    "%d hex digits)", n, CER_SHA256_LEN, 2 * CER_SHA256_LEN);
	*match = memcmp(got, t->digest, CER_SHA256_LEN) == 0;
	return CER_OK;
}

int
cer_tscheck_verify(const struct cer_tscheck *t, const struct cer_tscheck_opts *o,
    struct cer_tscheck_summary *sum)
{
	struct walk w = { .t = t, .o = o, .sum = sum };
	int match = 0, r = CER_ERR_INTERNAL;
	size_t i;

	memset(sum, 0, sizeof(*sum));
	sum->records = json_array_size(t->recs);
	if ((w.pems = json_object()) == NULL || (w.outputs = json_array()) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	for (i = 0; i < sum->records; i++)
		if ((r = check_record(&w, i + 1, json_array_get(t->recs, i))) != CER_OK)
			goto out;
	/* The last line is fixed by nothing in the file: only the witnesses' digest fixes it. */
	if (o->digest != NULL && (r = digest_matches(t, o->digest, &match)) == CER_OK && !match)
		r = cer_fail(CER_ERR_VERIFY, "%s:%zu: the final digest is not the one given with "
		    "--digest: the last line or the whole file differs", t->path, sum->records);
	if (r != CER_OK)
		goto out;
	r = CER_OK;
 out:
	json_decref(w.pems);
	json_decref(w.outputs);
	return r;
}

static void
print_summary(const struct cer_tscheck *t, const struct cer_tscheck_opts *o,
    const struct cer_tscheck_summary *s, const char *hex)
{
	printf("%s: %s\n", t->path, s->complete ? "verified" : "INCOMPLETE: no 'end' record");
	printf("  records: %zu, hash chain and sequence intact%s%s\n", s->records,
	    s->complete ? ", status " : "", s->complete ? s->status : "");
	printf("  steps: %zu; keys checked: %zu; certificates verified: %zu; CSRs verified: %zu",
	    s->steps, s->keys, s->certificates, s->csrs);
	if (s->crls > 0)
		printf("; CRLs verified: %zu", s->crls);
	printf("\n");
	if (o->outputs)
		printf("  outputs: %zu recorded, %zu files checked\n", s->outputs, s->files);
	else
		printf("  outputs: %zu recorded, files not checked (use --outputs)\n", s->outputs);
	if (s->pkcs11_configs > 0)
		printf("  pkcs11 configs: %zu written (they hold a PIN: recorded without a hash, "
		    "not checked)\n", s->pkcs11_configs);
	if (o->digest != NULL)
		printf("  final digest matches --digest\n");
	printf("final digest: %s\nfinal digest in PGP words:\n", hex);
	cer_pgpwords_print(stdout, t->digest, sizeof(t->digest), "  ", "\n");
}

int
cer_tscheck_open(const char *path, const struct cer_tscheck_opts *o,
    struct cer_tscheck **out, struct cer_tscheck_summary *sum)
{
	struct cer_tscheck *t = NULL;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if ((r = cer_tscheck_load(path, &t)) != CER_OK ||
	    (r = cer_tscheck_verify(t, o, sum)) != CER_OK)
		goto out;
	*out = t;
	t = NULL; /* transferred */
	r = CER_OK;
 out:
	cer_tscheck_free(t);
	return r;
}

int
cer_tscheck_run(const char *path, const struct cer_tscheck_opts *o)
{
	struct cer_tscheck_summary sum;
	struct cer_tscheck *t = NULL;
	char *hex = NULL;
	int r = CER_ERR_INTERNAL;

	if ((r = cer_tscheck_open(path, o, &t, &sum)) != CER_OK ||
	    (r = cer_hex(t->digest, sizeof(t->digest), &hex)) != CER_OK)
		goto out;
	print_summary(t, o, &sum, hex);
	/* A cut-off transcript checks up to its last line, but it is not a whole record. */
	if (!sum.complete) {
		r = cer_fail(CER_ERR_TRANSCRIPT, "%s:%zu: incomplete: the last record is '%s', not "
		    "'end' (the file was truncated, or the run was killed)", path, sum.records,
		    str(json_array_get(t->recs, sum.records - 1), "event"));
		goto out;
	}
	r = CER_OK;
 out:
	free(hex);
	cer_tscheck_free(t);
	return r;
}

const char *
cer_tscheck_path(const struct cer_tscheck *t)
{
	return t->path;
}

size_t
cer_tscheck_count(const struct cer_tscheck *t)
{
	return json_array_size(t->recs);
}

json_t *
cer_tscheck_record(const struct cer_tscheck *t, size_t i)
{
	return json_array_get(t->recs, i);
}

void
cer_tscheck_digest(const struct cer_tscheck *t, unsigned char out[static CER_SHA256_LEN])
{
	memcpy(out, t->digest, CER_SHA256_LEN);
}

void
cer_tscheck_free(struct cer_tscheck *t)
{
	if (t == NULL)
		return;
	json_decref(t->recs);
	free(t->path);
	free(t);
}
