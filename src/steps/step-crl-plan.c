/*
 * step-crl-plan.c: a crl step's inputs, loaded and checked before any HSM
 * is opened: the issuer can sign CRLs and the window lies in its validity
 * and the BR's limits; each revoked certificate is the issuer's, by name
 * and by signature (Boulder checks neither); each reason is one the BR
 * allow; a file of serials is read line by line into a compact list and
 * hashed; no serial twice; and the previous CRL is continued: a higher
 * number, a later thisUpdate, the same issuer and scope, and no entry
 * dropped before it appeared on a CRL dated after its certificate expired.
 * An issuer made in the same run is checked by name here and by signature
 * in the run (cer_crl_issued_check).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "base/br.h"
#include "base/util.h"
#include "lint/lint.h"
#include "steps/step-crl.h"
#include "x509/input.h"

#define DAY 86400
#define CRL_FILE_MAX ((size_t)1 << 30)

/* The CRL's issuer as the plan knows it: a file's certificate, or an earlier step's profile. */
struct issuer {
	const struct cer_script *s;
	const struct cer_step *st;	/* the crl step */
	const struct crl_profile *p;
	X509 *cert;			/* a file issuer, or NULL */
	const struct cer_step *step;	/* an issuer step, or NULL */
	time_t not_before, not_after;
	int self_issued;
};

void
cer_crl_progress(void *what, size_t done, size_t total)
{
	if (!isatty(STDERR_FILENO))
		return;
	if (total == 0)
		fprintf(stderr, "\r%s: %zu entries", (const char *)what, done);
	else
		fprintf(stderr, "\r%s: %zu of %zu entries%s", (const char *)what, done, total,
		    done == total ? "\n" : "");
}

int
cer_crl_about_subscribers(const struct crl_profile *p, X509 *issuer)
{
	return p->spec.scope != CER_CRL_CA_ONLY && !(X509_get_extension_flags(issuer) & EXFLAG_SI);
}

static void
inputs_free(void *own)
{
	struct crl_inputs *in = own;
	size_t i;

	if (in == NULL)
		return;
	for (i = 0; in->certs != NULL && i < in->nscript; i++)
		X509_free(in->certs[i]);
	for (i = 0; in->removed != NULL && i < in->nremoved; i++)
		X509_free(in->removed[i]);
	free(in->certs);
	free(in->removed);
	free(in->entries);
	free(in->previous_der);
	json_decref(in->summary);
	free(in);
}

static time_t
seconds(const ASN1_TIME *t)
{
	struct tm tm;

	return t != NULL && ASN1_TIME_to_tm(t, &tm) == 1 ? timegm(&tm) : (time_t)-1;
}

/* ---- the issuer ---- */

static int
issuer_can_sign_crls(const struct issuer *is)
{
	const struct cer_step *st = is->st;

	if (is->step != NULL && !(is->step->profile.key_usages & CER_KU_CRL_SIGN))
		return cer_fail_at(CER_ERR_SCRIPT, is->s->path, st->issuer_pos, "step %s's "
		    "certificate has no CRL Sign key usage, so it cannot issue CRLs; add CRL "
		    "Sign to its key-usages", is->step->id);
	if (is->cert == NULL)
		return CER_OK;
	if (X509_check_ca(is->cert) < 1 || !(X509_get_extension_flags(is->cert) & EXFLAG_KUSAGE) ||
	    !(X509_get_key_usage(is->cert) & KU_CRL_SIGN))
		return cer_fail_at(CER_ERR_INPUT, is->s->path, st->in_issuer_cert_pos, "%s is not a "
		    "CA certificate with the cRLSign key usage, so it cannot issue CRLs (RFC 5280 "
		    "4.2.1.3); check inputs.issuer-certificate-path", st->in_issuer_cert);
	if (X509_get0_subject_key_id(is->cert) == NULL)
		return cer_fail_at(CER_ERR_INPUT, is->s->path, st->in_issuer_cert_pos, "%s has no "
		    "subject key identifier, so the CRL's AKI cannot name it (BR 7.2.2)",
		    st->in_issuer_cert);
	return CER_OK;
}

/*
 * A CA-only CRL without a distribution point (Boulder's) is complete only
 * for an issuer whose certificates are all CA certificates: a root (BR
 * 6.1.7) that issues no OCSP responder certificate in this script.  Any
 * other is a partition, which names its URLs (BR 7.2.2.1, MRSP 6.1.2).
 */
static int
ca_only_complete(const struct issuer *is)
{
	struct cer_pos pos = is->p->scope_pos.line != 0 ? is->p->scope_pos : is->st->type_pos;
	size_t k;

	if (!is->self_issued)
		return cer_fail_at(CER_ERR_SCRIPT, is->s->path, pos, "a CRL of CA certificates "
		    "only, without distribution-points, is complete only for a root (BR 6.1.7); "
		    "for this issuer it is a partition, which names its URLs (BR 7.2.2.1): %s",
		    is->s->boulder ? "Boulder's crl ceremony is for roots" :
		    "add distribution-points, or choose scope full");
	for (k = 0; is->step != NULL && k < is->s->nsteps; k++)
		if (is->s->steps[k].type == CER_STEP_OCSP_SIGNER &&
		    is->s->steps[k].issuer == is->st->issuer)
			return cer_fail_at(CER_ERR_SCRIPT, is->s->path, pos, "step %s issues an OCSP "
			    "responder certificate from this root, which a CA-only CRL does not "
			    "cover: choose scope full, or add distribution-points (a partition)",
			    is->s->steps[k].id);
	return CER_OK;
}

/* thisUpdate..nextUpdate inside the issuer's validity (Boulder's rule) and the BR's limit. */
static int
issuer_window(const struct issuer *is)
{
	const struct crl_profile *p = is->p;
	char when[21];
	int r;

	if (p->spec.this_update < is->not_before) {
		cer_time_str(is->not_before, when);
		return cer_fail_at(CER_ERR_SCRIPT, is->s->path, p->this_pos, "this-update is "
		    "before the issuer's notBefore; move it to %s or later", when);
	}
	if (p->spec.next_update > is->not_after) {
		cer_time_str(is->not_after, when);
		return cer_fail_at(CER_ERR_SCRIPT, is->s->path, p->next_pos, "next-update is after "
		    "the issuer's notAfter: the CRL would outlive its issuer; move it to %s or "
		    "earlier", when);
	}
	if (p->spec.scope == CER_CRL_CA_ONLY && p->spec.nurls == 0 && (r = ca_only_complete(is)) !=
	    CER_OK)
		return r;
	if (p->spec.scope != CER_CRL_CA_ONLY && !is->self_issued &&
	    p->spec.next_update - p->spec.this_update > CER_BR_CRL_SUBSCRIBER_MAX_DAYS * DAY)
		return cer_fail_at(CER_ERR_SCRIPT, is->s->path, p->next_pos, "this CRL covers "
		    "subscriber certificates (its issuer is not a root and its scope is not "
		    "ca-only), so nextUpdate is at most %d days after thisUpdate (BR 4.9.7, 7.2; "
		    "MRSP 6)", CER_BR_CRL_SUBSCRIBER_MAX_DAYS);
	return CER_OK;
}

static int
issuer_of(const struct cer_script *s, size_t i, const struct cer_plan_step *ps,
    struct issuer *is)
{
	const struct cer_step *st = &s->steps[i];
	int r;

	memset(is, 0, sizeof(*is));
	is->s = s;
	is->st = st;
	is->p = st->own;
	if (st->issuer != CER_NO_INDEX) {
		is->step = &s->steps[st->issuer];
		is->not_before = is->step->profile.not_before;
		is->not_after = is->step->profile.not_after;
		is->self_issued = is->step->type == CER_STEP_ROOT;
	} else {
		is->cert = ps->issuer_cert;
		is->not_before = seconds(X509_get0_notBefore(is->cert));
		is->not_after = seconds(X509_get0_notAfter(is->cert));
		is->self_issued = (X509_get_extension_flags(is->cert) & EXFLAG_SI) != 0;
	}
	if ((r = issuer_can_sign_crls(is)) != CER_OK)
		return r;
	return issuer_window(is);
}

static int
name_der_eq(const X509_NAME *a, const X509_NAME *b)
{
	const unsigned char *da, *db;
	size_t la, lb;

	return X509_NAME_get0_der((X509_NAME *)(uintptr_t)a, &da, &la) == 1 &&
	    X509_NAME_get0_der((X509_NAME *)(uintptr_t)b, &db, &lb) == 1 && la == lb &&
	    memcmp(da, db, la) == 0;
}

/* name is the issuer's subject: byte for byte (a file), or its profile's C, O, CN (a step). */
static int
issuer_named(const struct issuer *is, const X509_NAME *name)
{
	const struct cer_cert_profile *p;
	char cn[256] = "", o[256] = "", c[8] = "";

	if (is->cert != NULL)
		return name_der_eq(name, X509_get_subject_name(is->cert));
	p = &is->step->profile;
	X509_NAME_get_text_by_NID((X509_NAME *)(uintptr_t)name, NID_commonName, cn, sizeof(cn));
	X509_NAME_get_text_by_NID((X509_NAME *)(uintptr_t)name, NID_organizationName, o,
	    sizeof(o));
	X509_NAME_get_text_by_NID((X509_NAME *)(uintptr_t)name, NID_countryName, c, sizeof(c));
	return X509_NAME_entry_count(name) == 3 && strcmp(cn, p->common_name) == 0 &&
	    strcmp(o, p->organization) == 0 && strcmp(c, p->country) == 0;
}

/* A certificate the CRL names is the issuer's: by name, and by signature when it is a file. */
static int
cert_issued(const struct issuer *is, X509 *x, const char *path, struct cer_pos pos)
{
	if (!issuer_named(is, X509_get_issuer_name(x)))
		return cer_fail_at(CER_ERR_INPUT, is->s->path, pos, "%s was not issued by this "
		    "CRL's issuer (its issuer name differs); a CRL lists only certificates of "
		    "its own issuer (BR 7.2: no indirect CRLs)", path);
	if (is->cert != NULL && X509_verify(x, X509_get0_pubkey(is->cert)) != 1) {
		ERR_clear_error();
		return cer_fail_at(CER_ERR_INPUT, is->s->path, pos, "%s carries this CRL's "
		    "issuer's name but its signature does not verify with the issuer's key: it "
		    "was not issued by this issuer", path);
	}
	return CER_OK;
}

static int
read_cert_at(const struct issuer *is, const char *path, struct cer_pos pos, X509 **out)
{
	/* strict: a file with two certificates must not revoke the first one silently */
	if (cer_input_read_cert(path, CER_INPUT_STRICT, out) != CER_OK)
		return cer_fail_at(CER_ERR_INPUT, is->s->path, pos, "%s", cer_err_detail());
	return CER_OK;
}

/* ---- the entries ---- */

/* A revoked-certificates entry that names a file: its serial, its issuer, its kind. */
static int
script_cert(const struct issuer *is, const struct crl_revoked *rv, struct crl_inputs *in,
    size_t k)
{
	int ca, r;

	if ((r = read_cert_at(is, rv->cert_path, rv->pos, &in->certs[k])) != CER_OK ||
	    (r = cert_issued(is, in->certs[k], rv->cert_path, rv->pos)) != CER_OK)
		return r;
	if (cer_crl_serial_of(X509_get0_serialNumber(in->certs[k]), &in->entries[k]) != CER_OK)
		return cer_fail_at(CER_ERR_INPUT, is->s->path, rv->pos, "%s: %s", rv->cert_path,
		    cer_err_detail());
	ca = X509_check_ca(in->certs[k]) >= 1;
	ERR_clear_error();
	if (!ca && (is->s->boulder || is->p->spec.scope == CER_CRL_CA_ONLY))
		return cer_fail_at(CER_ERR_INPUT, is->s->path, rv->pos, "%s is not a CA "
		    "certificate, so a CRL about CA certificates does not cover it%s",
		    rv->cert_path, is->s->boulder ? " (Boulder's crl ceremony revokes CA "
		    "certificates only)" : "; use scope full");
	if (ca && rv->e.reason == CER_CRL_UNSPECIFIED)
		return cer_fail_at(CER_ERR_SCRIPT, is->s->path, rv->reason_pos, "%s is a CA "
		    "certificate, whose entry carries a reasonCode (BR 7.2.2); unspecified is "
		    "written by leaving it out: give the reason", rv->cert_path);
	return CER_OK;
}

static int
script_entries(const struct issuer *is, struct crl_inputs *in)
{
	const struct crl_profile *p = is->p;
	const struct crl_revoked *rv;
	size_t k;
	int r;

	in->n = in->nscript = p->nrevoked;	/* in->certs is all NULL: freed as far as loaded */
	for (k = 0; k < p->nrevoked; k++) {
		rv = &p->revoked[k];
		in->entries[k] = rv->e;
		if (rv->cert_path != NULL && (r = script_cert(is, rv, in, k)) != CER_OK)
			return r;
		if (rv->cert_path == NULL && rv->cert_step == CER_NO_INDEX && is->self_issued &&
		    rv->e.reason == CER_CRL_UNSPECIFIED)
			return cer_fail_at(CER_ERR_SCRIPT, is->s->path, rv->reason_pos, "a root "
			    "issues CA certificates only (BR 6.1.7), whose entries carry a "
			    "reasonCode (BR 7.2.2): give the reason");
	}
	return CER_OK;
}

/* A line of the serials file: "SERIAL REASON DATE"; NULL when fine, else why not at *col. */
static const char *
serial_line(char *line, size_t len, int ca, time_t this_update, struct cer_crl_entry *e,
    size_t *col)
{
	static char msg[400];
	char *reason, *date, *end;
	const char *why;
	time_t t;
	int rc;

	*col = 1;
	if ((end = memchr(line, '\r', len)) != NULL || strlen(line) != len)
		return "a control character or NUL (a DOS line end?); the file is plain text "
		    "with LF line ends";
	if ((reason = strpbrk(line, " \t")) == NULL)
		return "a line is 'SERIAL REASON DATE'";
	*reason++ = '\0';
	if ((why = cer_crl_serial_parse(line, strlen(line), e)) != NULL)
		return why;
	reason += strspn(reason, " \t");
	*col = (size_t)(reason - line) + 1;
	if ((date = strpbrk(reason, " \t")) == NULL)
		return "a line is 'SERIAL REASON DATE'";
	*date++ = '\0';
	date += strspn(date, " \t");
	for (end = date + strlen(date); end > date && (end[-1] == ' ' || end[-1] == '\t'); end--)
		end[-1] = '\0';
	rc = cer_crl_reason_parse(reason);
	if ((why = cer_crl_reason_refused(rc, ca)) != NULL) {
		snprintf(msg, sizeof(msg), "the reason %.40s %s", reason, why);
		return msg;
	}
	e->reason = (signed char)rc;
	*col = (size_t)(date - line) + 1;
	if (cer_lint_parse_time(date, &t) != CER_OK) {
		cer_err_clear();
		return "the date is UTC 'YYYY-MM-DDTHH:MM:SSZ' or 'YYYY-MM-DD HH:MM:SS'";
	}
	if (t > this_update)
		return "the revocation date is after this-update; a CRL lists revocations made "
		    "by its thisUpdate (BR 7.2.2)";
	e->date = t;
	return NULL;
}

/* The revoked-serials file, line by line: each entry appended, the file hashed as read. */
static int
serials_file(const struct issuer *is, struct crl_inputs *in, json_t **summary)
{
	const struct crl_profile *p = is->p;
	unsigned char d[CER_SHA256_LEN];
	struct cer_crl_entry e, *grown;
	EVP_MD_CTX *md = NULL;
	char *line = NULL, *hex = NULL, what[128];
	size_t cap = 0, room = in->n, col, n0 = in->n;
	const char *why;
	uint32_t ln = 0;
	ssize_t len;
	struct stat st;
	FILE *f;
	int r = CER_OK, fd = -1;

	/* cer_open_input: a FIFO or a device is refused, never waited on */
	if (cer_open_input(p->serials_path, &fd, &st) != CER_OK || (f = fdopen(fd, "r")) == NULL) {
		if (fd != -1)
			close(fd);
		return cer_fail_at(CER_ERR_INPUT, is->s->path, p->serials_pos, "cannot read "
		    "revoked-serials-path %s", p->serials_path);
	}
	snprintf(what, sizeof(what), "%s: reading %s", is->st->id, p->serials_path);
	if ((md = EVP_MD_CTX_new()) == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		r = cer_fail(CER_ERR_OPENSSL, "cannot hash %s", p->serials_path);
	while (r == CER_OK && (len = getline(&line, &cap, f)) != -1) {
		ln++;
		if (EVP_DigestUpdate(md, line, (size_t)len) != 1) {
			r = cer_fail(CER_ERR_OPENSSL, "cannot hash %s", p->serials_path);
			break;
		}
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (line[strspn(line, " \t")] == '\0' || line[strspn(line, " \t")] == '#')
			continue;
		memset(&e, 0, sizeof(e));
		e.line = ln;
		if ((why = serial_line(line, (size_t)len, is->self_issued || is->s->boulder ||
		    p->spec.scope == CER_CRL_CA_ONLY, p->spec.this_update, &e, &col)) != NULL) {
			r = cer_fail_at(CER_ERR_INPUT, p->serials_path, (struct cer_pos){ ln,
			    (unsigned)col }, "%s", why);
			break;
		}
		if (in->n == room) {
			room = room < 1024 ? 1024 : room * 2;
			if ((grown = reallocarray(in->entries, room, sizeof(*grown))) == NULL) {
				r = cer_fail(CER_ERR_ALLOC, "out of memory");
				break;
			}
			in->entries = grown;
		}
		in->entries[in->n++] = e;
		if ((in->n - n0) % 5000 == 0)
			cer_crl_progress(what, in->n - n0, 0);
	}
	if (r == CER_OK && ferror(f))
		r = cer_fail(CER_ERR_SYSTEM, "cannot read %s", p->serials_path);
	if (r == CER_OK && in->n > n0)
		cer_crl_progress(what, in->n - n0, in->n - n0);
	if (r == CER_OK && (EVP_DigestFinal_ex(md, d, NULL) != 1 ||
	    cer_hex(d, sizeof(d), &hex) != CER_OK))
		r = cer_fail(CER_ERR_OPENSSL, "cannot hash %s", p->serials_path);
	if (r == CER_OK && (*summary = json_pack("{s:s, s:s, s:I, s:I}", "path",
	    p->serials_path, "sha256", hex, "lines", (json_int_t)ln, "entries",
	    (json_int_t)(in->n - n0))) == NULL)
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
	EVP_MD_CTX_free(md);
	free(line);
	free(hex);
	fclose(f);
	return r;
}

/* "script.yaml:12:9" or "serials.txt:40" for entry k. */
static const char *
entry_place(const struct issuer *is, const struct crl_inputs *in, size_t k, char *buf,
    size_t n)
{
	if (k < in->nscript)
		snprintf(buf, n, "%s:%u:%u", is->s->path, is->p->revoked[k].pos.line,
		    is->p->revoked[k].pos.col);
	else
		snprintf(buf, n, "%s:%u", is->p->serials_path, in->entries[k].line);
	return buf;
}

static char *
serial_hex(const struct cer_crl_entry *e, char buf[static 41])
{
	size_t i;

	for (i = 0; i < e->serial_len; i++)
		snprintf(buf + 2 * i, 3, "%02x", e->serial[i]);
	buf[2 * e->serial_len] = '\0';
	return buf;
}

static int
no_duplicates(const struct issuer *is, const struct crl_inputs *in, size_t **idx)
{
	char a[600], b[600], hex[41];
	size_t i, j;
	int r;

	if ((r = cer_crl_index(in->entries, in->n, idx, &i, &j)) != CER_OK || i == in->n)
		return r;
	if (j < i) {
		size_t t = i;

		i = j;
		j = t;
	}
	return cer_fail(CER_ERR_SCRIPT, "%s: serial %s is revoked twice (also at %s); list each "
	    "certificate once", entry_place(is, in, j, b, sizeof(b)),
	    serial_hex(&in->entries[j], hex), entry_place(is, in, i, a, sizeof(a)));
}

/* ---- the previous CRL ---- */

static int
read_previous(const struct issuer *is, X509_CRL **out, char **sha)
{
	const struct crl_profile *p = is->p;
	unsigned char *buf = NULL;
	const unsigned char *q;
	size_t len = 0;
	BIO *b = NULL;
	int r;

	*out = NULL;
	if (cer_read_file(p->previous_path, CRL_FILE_MAX, &buf, &len) != CER_OK)
		return cer_fail_at(CER_ERR_INPUT, is->s->path, p->previous_pos, "%s",
		    cer_err_detail());
	if ((r = cer_sha256_hex(buf, len, sha)) == CER_OK) {
		if ((b = BIO_new_mem_buf(buf, (int)len)) != NULL)
			*out = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL);
		q = buf;
		if (*out == NULL)
			*out = d2i_X509_CRL(NULL, &q, (long)len);
		ERR_clear_error();
		if (*out == NULL)
			r = cer_fail_at(CER_ERR_INPUT, is->s->path, p->previous_pos, "%s holds no "
			    "CRL (PEM or DER); check inputs.previous-crl-path", p->previous_path);
	}
	BIO_free(b);
	free(buf);
	return r;
}

/* The same issuer (name, and key when it is a file) and scope (IDP), a higher number, later. */
static int
previous_header(const struct issuer *is, X509_CRL *prev)
{
	const struct crl_profile *p = is->p;
	const unsigned char *theirs;
	unsigned char *ours = NULL;
	BIGNUM *was = NULL, *now = BN_new();
	char *was_dec = NULL;
	int ours_len, theirs_len, crit, r;

	if (!issuer_named(is, X509_CRL_get_issuer(prev)) || (is->cert != NULL &&
	    X509_CRL_verify(prev, X509_get0_pubkey(is->cert)) != 1)) {
		ERR_clear_error();
		r = cer_fail_at(CER_ERR_INPUT, is->s->path, p->previous_pos, "%s is not a CRL of "
		    "this issuer (its issuer name or signature differs)", p->previous_path);
		goto out;
	}
	if ((r = cer_crl_idp_der(&p->spec, &ours, &ours_len)) != CER_OK)
		goto out;
	cer_crl_idp_of(prev, &theirs, &theirs_len, &crit);
	if ((ours == NULL) != (theirs == NULL) || (ours != NULL && (!crit || ours_len !=
	    theirs_len || memcmp(ours, theirs, (size_t)ours_len) != 0))) {
		r = cer_fail_at(CER_ERR_SCRIPT, is->s->path, p->scope_pos.line != 0 ? p->scope_pos :
		    p->previous_pos, "the previous CRL %s covers another scope (its "
		    "issuingDistributionPoint differs); a CRL continues one of the same scope",
		    p->previous_path);
		goto out;
	}
	if (now == NULL || BN_set_word(now, p->spec.number) != 1 ||
	    cer_crl_number(prev, &was) != CER_OK || (was_dec = BN_bn2dec(was)) == NULL) {
		r = cer_fail_at(CER_ERR_INPUT, is->s->path, p->previous_pos, "the previous CRL %s "
		    "has no readable cRLNumber", p->previous_path);
		goto out;
	}
	if (BN_cmp(now, was) <= 0)
		r = cer_fail_at(CER_ERR_SCRIPT, is->s->path, p->number_pos, "number %llu is not "
		    "above the previous CRL's %s; CRL numbers strictly increase (BR 7.2.2, RFC "
		    "5280 5.2.3)", (unsigned long long)p->spec.number, was_dec);
	else if (seconds(X509_CRL_get0_lastUpdate(prev)) >= p->spec.this_update)
		r = cer_fail_at(CER_ERR_SCRIPT, is->s->path, p->this_pos, "this-update is not "
		    "after the previous CRL's thisUpdate");
 out:
	OPENSSL_free(ours);
	OPENSSL_free(was_dec);
	BN_free(was);
	BN_free(now);
	return r;
}

/*
 * remove-expired: each certificate is the issuer's, on the previous CRL,
 * not on this one, and expired before the previous CRL's thisUpdate, so
 * its entry has appeared on a CRL dated after its validity (BR 7.2).
 */
static int
removed_certs(const struct issuer *is, struct crl_inputs *in, const size_t *idx,
    X509_CRL *prev, struct cer_crl_entry *rm)
{
	const struct crl_profile *p = is->p;
	X509_REVOKED *found;
	char when[21];
	size_t k;
	int r;

	if ((in->removed = calloc(p->nremove + 1, sizeof(*in->removed))) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	in->nremoved = p->nremove;	/* all NULL: freed as far as loaded */
	for (k = 0; k < p->nremove; k++) {
		if ((r = read_cert_at(is, p->remove[k], p->remove_pos[k], &in->removed[k])) !=
		    CER_OK || (r = cert_issued(is, in->removed[k], p->remove[k],
		    p->remove_pos[k])) != CER_OK)
			return r;
		if (cer_crl_serial_of(X509_get0_serialNumber(in->removed[k]), &rm[k]) != CER_OK ||
		    X509_CRL_get0_by_serial(prev, &found,
		    X509_get0_serialNumber(in->removed[k])) != 1)
			return cer_fail_at(CER_ERR_SCRIPT, is->s->path, p->remove_pos[k], "%s is "
			    "not on the previous CRL; there is nothing to remove", p->remove[k]);
		if (cer_crl_find(in->entries, idx, in->n, rm[k].serial, rm[k].serial_len) < in->n)
			return cer_fail_at(CER_ERR_SCRIPT, is->s->path, p->remove_pos[k], "%s is "
			    "listed by this CRL too; remove it from one of the two lists",
			    p->remove[k]);
		cer_time_str(seconds(X509_CRL_get0_lastUpdate(prev)), when);
		if (seconds(X509_get0_notAfter(in->removed[k])) >=
		    seconds(X509_CRL_get0_lastUpdate(prev)))
			return cer_fail_at(CER_ERR_SCRIPT, is->s->path, p->remove_pos[k], "%s had "
			    "not expired by the previous CRL's thisUpdate (%s), so its entry stays "
			    "until a CRL dated after its expiry has carried it (BR 7.2)",
			    p->remove[k], when);
	}
	return CER_OK;
}

/* Every entry of the previous CRL is on this one, or removed as expired. */
static int
previous_kept(const struct issuer *is, const struct crl_inputs *in, const size_t *idx,
    X509_CRL *prev, const struct cer_crl_entry *rm, size_t *kept)
{
	STACK_OF(X509_REVOKED) *rev = X509_CRL_get_REVOKED(prev);
	struct cer_crl_entry e;
	char hex[41];
	size_t k;
	int i;

	*kept = 0;
	for (i = 0; i < sk_X509_REVOKED_num(rev); i++) {
		memset(&e, 0, sizeof(e));
		if (cer_crl_serial_of(X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(rev,
		    i)), &e) != CER_OK)
			return cer_fail_at(CER_ERR_INPUT, is->s->path, is->p->previous_pos, "the "
			    "previous CRL %s has an entry whose %s", is->p->previous_path,
			    cer_err_detail());
		if (cer_crl_find(in->entries, idx, in->n, e.serial, e.serial_len) < in->n) {
			(*kept)++;
			continue;
		}
		for (k = 0; k < is->p->nremove && (rm[k].serial_len != e.serial_len ||
		    memcmp(rm[k].serial, e.serial, e.serial_len) != 0); k++)
			;
		if (k == is->p->nremove)
			return cer_fail_at(CER_ERR_SCRIPT, is->s->path, is->p->previous_pos, "the "
			    "previous CRL revokes serial %s, which this CRL leaves out; an entry "
			    "stays until a CRL dated after its certificate expired has carried it "
			    "(BR 7.2): revoke it again here, or name its certificate under "
			    "remove-expired", serial_hex(&e, hex));
	}
	return CER_OK;
}

static int
previous_crl(const struct issuer *is, struct crl_inputs *in, const size_t *idx,
    json_t **summary)
{
	struct cer_crl_entry *rm = calloc(is->p->nremove + 1, sizeof(*rm));
	X509_CRL *prev = NULL;
	BIGNUM *num = NULL;
	char *sha = NULL, *dec = NULL, when[21];
	size_t kept = 0;
	int r;

	if (rm == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	if ((r = read_previous(is, &prev, &sha)) != CER_OK ||
	    (r = previous_header(is, prev)) != CER_OK)
		goto out;
	/* an issuer made in this run verifies it in the run; get0_by_serial reorders the stack */
	if (is->cert == NULL && (in->previous_len = i2d_X509_CRL(prev, &in->previous_der)) <= 0) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot keep the previous CRL");
		goto out;
	}
	if ((r = removed_certs(is, in, idx, prev, rm)) != CER_OK ||
	    (r = previous_kept(is, in, idx, prev, rm, &kept)) != CER_OK ||
	    (r = cer_crl_number(prev, &num)) != CER_OK)
		goto out;
	if ((dec = BN_bn2dec(num)) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	cer_time_str(seconds(X509_CRL_get0_lastUpdate(prev)), when);
	if ((*summary = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "path",
	    is->p->previous_path, "sha256", sha, "number", dec, "this_update", when, "entries",
	    (json_int_t)sk_X509_REVOKED_num(X509_CRL_get_REVOKED(prev)), "kept",
	    (json_int_t)kept, "removed_expired", (json_int_t)is->p->nremove)) == NULL)
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
 out:
	X509_CRL_free(prev);
	BN_free(num);
	OPENSSL_free(dec);
	free(sha);
	free(rm);
	return r;
}

/* ---- the plan, and the run's check of an issuer made in it ---- */

int
cer_crl_plan(const struct cer_script *s, size_t i, struct cer_plan_step *ps)
{
	const struct crl_profile *p = s->steps[i].own;
	struct issuer is;
	struct crl_inputs *in;
	json_t *file = NULL, *prev = NULL;
	size_t *idx = NULL;
	int r;

	if ((r = issuer_of(s, i, ps, &is)) != CER_OK)
		return r;
	if ((in = calloc(1, sizeof(*in))) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	ps->own = in;
	ps->own_free = inputs_free;
	if ((in->entries = calloc(p->nrevoked + 1, sizeof(*in->entries))) == NULL ||
	    (in->certs = calloc(p->nrevoked + 1, sizeof(*in->certs))) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	if ((r = script_entries(&is, in)) != CER_OK ||
	    (p->serials_path != NULL && (r = serials_file(&is, in, &file)) != CER_OK) ||
	    (r = no_duplicates(&is, in, &idx)) != CER_OK ||
	    (p->previous_path != NULL && (r = previous_crl(&is, in, idx, &prev)) != CER_OK))
		goto out;
	if ((in->summary = json_pack("{s:I, s:o, s:o}", "from_script", (json_int_t)in->nscript,
	    "serials_file", file != NULL ? file : json_null(), "previous", prev != NULL ? prev :
	    json_null())) == NULL)
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
	file = prev = NULL; /* consumed */
 out:
	json_decref(file);
	json_decref(prev);
	free(idx);
	return r;
}

/* x names the issuer and verifies with its key. */
static int
really_issued(const struct cer_step *st, X509 *x, X509 *issuer, const char *what)
{
	if (x == NULL || (name_der_eq(X509_get_issuer_name(x), X509_get_subject_name(issuer)) &&
	    X509_verify(x, X509_get0_pubkey(issuer)) == 1))
		return CER_OK;
	ERR_clear_error();
	return cer_fail(CER_ERR_VERIFY, "step %s: %s was not issued by the CRL's issuer (its "
	    "issuer name or signature); nothing was signed", st->id, what);
}

int
cer_crl_issued_check(const struct cer_source *src, size_t i, X509 *issuer)
{
	const struct cer_step *st = &src->script->steps[i];
	const struct crl_profile *p = st->own;
	const struct crl_inputs *in = src->plan->steps[i].own;
	const unsigned char *q = in->previous_der;
	const struct crl_revoked *rv;
	X509_CRL *prev;
	size_t k;
	int r, ok;

	for (k = 0; k < in->nscript; k++) {
		rv = &p->revoked[k];
		if ((r = really_issued(st, rv->cert_step != CER_NO_INDEX ? src->cert(src->arg,
		    rv->cert_step) : in->certs[k], issuer, rv->cert_path != NULL ? rv->cert_path :
		    "a revoked certificate")) != CER_OK)
			return r;
	}
	for (k = 0; k < in->nremoved; k++)
		if ((r = really_issued(st, in->removed[k], issuer, p->remove[k])) != CER_OK)
			return r;
	if (in->previous_der == NULL)
		return CER_OK;
	prev = d2i_X509_CRL(NULL, &q, in->previous_len);
	ok = prev != NULL && name_der_eq(X509_CRL_get_issuer(prev), X509_get_subject_name(issuer)) &&
	    X509_CRL_verify(prev, X509_get0_pubkey(issuer)) == 1;
	X509_CRL_free(prev);
	ERR_clear_error();
	return ok ? CER_OK : cer_fail(CER_ERR_VERIFY, "step %s: the previous CRL %s was not "
	    "issued by this issuer (its issuer name or signature); nothing was signed", st->id,
	    p->previous_path);
}
