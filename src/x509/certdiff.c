/* certdiff.c: two certificates or CSRs compared field by field, each difference in one line. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/x509v3.h>

#include "base/alg.h"
#include "base/util.h"
#include "script/certprofile.h"
#include "x509/certdiff.h"
#include "x509/profile.h"

/* Room for one value in a line: a name, an extension printed, a key. */
#define VAL 512

#define WANT(d) ((d)->want != NULL ? (d)->want : "script")
#define GOT(d) ((d)->got != NULL ? (d)->got : "file")

void
cer_certdiff_free(struct cer_certdiff *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++)
		free(d->line[i]);
	free(d->line);
	d->line = NULL;
	d->n = 0;
}

int
cer_certdiff_add(struct cer_certdiff *d, const char *fmt, ...)
{
	char **grown, *s = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0 || (grown = realloc(d->line, (d->n + 1) * sizeof(*grown))) == NULL) {
		free(n < 0 ? NULL : s);
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	}
	d->line = grown;
	d->line[d->n++] = s;
	return CER_OK;
}

const char *
cer_certdiff_key_text(EVP_PKEY *k, char *buf, size_t n)
{
	char group[64] = "";
	enum cer_curve c;

	if (k == NULL)
		snprintf(buf, n, "no key");
	else if (EVP_PKEY_is_a(k, "RSA"))
		snprintf(buf, n, "RSA-%d", EVP_PKEY_get_bits(k));
	else if (EVP_PKEY_is_a(k, "EC")) {
		EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
		    NULL);
		c = cer_alg_curve_by_group(group);
		snprintf(buf, n, "ECDSA %s", c != CER_CURVE_NONE ? cer_curve_name(c) : group);
	} else
		snprintf(buf, n, "%s", EVP_PKEY_get0_type_name(k));
	return buf;
}

const char *
cer_certdiff_obj_name(const ASN1_OBJECT *o, char *buf, size_t n)
{
	int nid = OBJ_obj2nid(o);

	if (nid != NID_undef)
		snprintf(buf, n, "%s", OBJ_nid2sn(nid));
	else
		OBJ_obj2txt(buf, (int)n, o, 1);
	return buf;
}

const char *
cer_certdiff_ext_name(X509_EXTENSION *e, char *buf, size_t n)
{
	enum cer_ext k = cer_profile_ext_of(e);

	if (k != 0)
		snprintf(buf, n, "%s", cer_certprofile_ext_names[k]);
	else
		cer_certdiff_obj_name(X509_EXTENSION_get_object(e), buf, n);
	return buf;
}

/* ---- values as text ---- */

/* What a memory BIO holds, on one line: newlines and the indents after them become "; ". */
static const char *
bio_line(BIO *b, char *buf, size_t n)
{
	char *data;
	long len = BIO_get_mem_data(b, &data);
	size_t i, o = 0;

	for (i = 0; i < (size_t)(len > 0 ? len : 0) && o + 3 < n; i++) {
		if (data[i] == '\n') {
			while (i + 1 < (size_t)len && data[i + 1] == ' ')
				i++;
			if (i + 1 < (size_t)len) {
				buf[o++] = ';';
				buf[o++] = ' ';
			}
		} else if (data[i] != '\r')
			buf[o++] = data[i];
	}
	buf[o] = '\0';
	return buf;
}

static const char *
hex_text(const unsigned char *p, size_t len, char *buf, size_t n)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < len && o + 4 < n; i++)
		o += (size_t)snprintf(buf + o, n - o, "%02x", p[i]);
	if (i < len && o + 4 < n)
		snprintf(buf + o, n - o, "...");
	return buf;
}

/* An extension's value as OpenSSL prints it, on one line; its hex when OpenSSL cannot. */
static const char *
ext_text(X509_EXTENSION *e, char *buf, size_t n)
{
	const ASN1_OCTET_STRING *v = X509_EXTENSION_get_data(e);
	BIO *b = BIO_new(BIO_s_mem());

	if (b == NULL || X509V3_EXT_print(b, e, 0, 0) != 1)
		hex_text(v->data, (size_t)v->length, buf, n);
	else
		bio_line(b, buf, n);
	BIO_free(b);
	return buf;
}

static const char *
strtype_text(int type)
{
	switch (type) {
	case V_ASN1_PRINTABLESTRING: return "printable";
	case V_ASN1_UTF8STRING: return "utf8";
	case V_ASN1_IA5STRING: return "ia5";
	case V_ASN1_T61STRING: return "teletex";
	case V_ASN1_BMPSTRING: return "bmp";
	case V_ASN1_UNIVERSALSTRING: return "universal";
	default: return "other";
	}
}

/* A name's string types in its encoded order: "C printable, O utf8, CN utf8". */
static const char *
name_types(const X509_NAME *nm, char *buf, size_t n)
{
	const X509_NAME_ENTRY *e;
	const ASN1_STRING *v;
	char field[256], obj[80];
	int i, set = -1;

	buf[0] = '\0';
	for (i = 0; i < X509_NAME_entry_count(nm); i++) {
		e = X509_NAME_get_entry(nm, i);
		v = X509_NAME_ENTRY_get_data(e);
		cer_certdiff_obj_name(X509_NAME_ENTRY_get_object(e), obj, sizeof(obj));
		snprintf(field, sizeof(field), "%s %s", obj, strtype_text(v->type));
		snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", i == 0 ? "" :
		    X509_NAME_ENTRY_set(e) == set ? " + " : ", ", field);
		set = X509_NAME_ENTRY_set(e);
	}
	return buf[0] != '\0' ? buf : "(empty)";
}

static const char *
time_text(const ASN1_TIME *t, char *buf, size_t n)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		snprintf(buf, n, "(unreadable)");
	else
		strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}

static const char *
integer_text(const ASN1_INTEGER *a, char *buf, size_t n)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(a, NULL);
	char *h = bn != NULL ? BN_bn2hex(bn) : NULL;

	snprintf(buf, n, "%s", h != NULL ? h : "(unreadable)");
	OPENSSL_free(h);
	BN_free(bn);
	return buf;
}

/* A key and its SPKI's SHA-256, shortened: "RSA-2048 (SPKI SHA-256 ab12cd34...)". */
static const char *
key_line(EVP_PKEY *k, char *buf, size_t n)
{
	unsigned char *der = NULL, d[CER_SHA256_LEN];
	char kt[64], hx[40];
	int len = k != NULL ? i2d_PUBKEY(k, &der) : 0;

	if (len > 0 && cer_sha256(der, (size_t)len, d) == CER_OK)
		snprintf(buf, n, "%s (SPKI SHA-256 %s)", cer_certdiff_key_text(k, kt, sizeof(kt)),
		    hex_text(d, 8, hx, sizeof(hx)));
	else
		snprintf(buf, n, "%s", cer_certdiff_key_text(k, kt, sizeof(kt)));
	OPENSSL_free(der);
	return buf;
}

static const char *
algor_text(const X509_ALGOR *a, char *buf, size_t n)
{
	const ASN1_OBJECT *o;

	X509_ALGOR_get0(&o, NULL, NULL, a);
	OBJ_obj2txt(buf, (int)n, o, 0);
	return buf;
}

/* ---- comparisons ---- */

/* Equal DER encodings (a NULL equals only a NULL). */
static int
same_der(const void *a, const void *b, int (*i2d)(const void *, unsigned char **))
{
	unsigned char *da = NULL, *db = NULL;
	int la, lb, eq;

	if (a == NULL || b == NULL)
		return a == b;
	la = i2d(a, &da);
	lb = i2d(b, &db);
	eq = la > 0 && la == lb && memcmp(da, db, (size_t)la) == 0;
	OPENSSL_free(da);
	OPENSSL_free(db);
	return eq;
}

static int i2d_name(const void *o, unsigned char **p) { return i2d_X509_NAME((X509_NAME *)o, p); }
static int i2d_algor(const void *o, unsigned char **p) { return i2d_X509_ALGOR((X509_ALGOR *)o, p); }
static int i2d_time(const void *o, unsigned char **p) { return i2d_ASN1_TIME((ASN1_TIME *)o, p); }
static int i2d_pub(const void *o, unsigned char **p) { return i2d_PUBKEY((EVP_PKEY *)o, p); }
static int i2d_bits(const void *o, unsigned char **p) { return i2d_ASN1_BIT_STRING((ASN1_BIT_STRING *)o, p); }
static int i2d_attr(const void *o, unsigned char **p) { return i2d_X509_ATTRIBUTE((X509_ATTRIBUTE *)o, p); }

/* A name: its attributes and values in order, else their string types. */
static int
diff_name(struct cer_certdiff *d, const char *what, const X509_NAME *a, const X509_NAME *b)
{
	char ta[VAL], tb[VAL];

	if (same_der(a, b, i2d_name))
		return CER_OK;
	if (strcmp(cer_profile_name_text(a, ta, sizeof(ta)),
	    cer_profile_name_text(b, tb, sizeof(tb))) != 0)
		return cer_certdiff_add(d, "%s: %s '%s'; %s '%s'", what, WANT(d), ta, GOT(d), tb);
	return cer_certdiff_add(d, "%s string types: %s %s; %s %s", what, WANT(d),
	    name_types(a, ta, sizeof(ta)), GOT(d), name_types(b, tb, sizeof(tb)));
}

static int
diff_time(struct cer_certdiff *d, const char *what, const ASN1_TIME *a, const ASN1_TIME *b)
{
	char ta[32], tb[32];

	if (same_der(a, b, i2d_time))
		return CER_OK;
	if (strcmp(time_text(a, ta, sizeof(ta)), time_text(b, tb, sizeof(tb))) != 0)
		return cer_certdiff_add(d, "%s: %s %s, %s %s", what, WANT(d), ta, GOT(d), tb);
	return cer_certdiff_add(d, "%s encoding: %s %s, %s %s (the same time)", what, WANT(d),
	    ASN1_STRING_type(a) == V_ASN1_UTCTIME ? "UTCTime" : "GeneralizedTime", GOT(d),
	    ASN1_STRING_type(b) == V_ASN1_UTCTIME ? "UTCTime" : "GeneralizedTime");
}

static int
diff_algor(struct cer_certdiff *d, const char *what, const X509_ALGOR *a, const X509_ALGOR *b)
{
	char ta[80], tb[80];

	if (same_der(a, b, i2d_algor))
		return CER_OK;
	if (strcmp(algor_text(a, ta, sizeof(ta)), algor_text(b, tb, sizeof(tb))) != 0)
		return cer_certdiff_add(d, "%s: %s %s, %s %s", what, WANT(d), ta, GOT(d), tb);
	return cer_certdiff_add(d, "%s parameters differ (%s)", what, ta);
}

static int
diff_key(struct cer_certdiff *d, EVP_PKEY *a, EVP_PKEY *b)
{
	char ta[VAL], tb[VAL];

	if (same_der(a, b, i2d_pub))
		return CER_OK;
	return cer_certdiff_add(d, "public key: %s %s, %s %s", WANT(d), key_line(a, ta, sizeof(ta)),
	    GOT(d), key_line(b, tb, sizeof(tb)));
}

/* The extensions' names in order, "KU,EKU,BC". */
static const char *
ext_list(const X509 *x, char *buf, size_t n)
{
	char nm[80];
	int i;

	buf[0] = '\0';
	for (i = 0; i < X509_get_ext_count(x); i++)
		snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", i > 0 ? "," : "",
		    cer_certdiff_ext_name(X509_get_ext(x, i), nm, sizeof(nm)));
	return buf[0] != '\0' ? buf : "(none)";
}

static int
index_of(const X509 *x, X509_EXTENSION *e)
{
	return X509_get_ext_by_OBJ(x, X509_EXTENSION_get_object(e), -1);
}

/* Extensions of a that b lacks: "only in the script" or "only in the file". */
static int
diff_presence(struct cer_certdiff *d, const X509 *a, const X509 *b, const char *where)
{
	X509_EXTENSION *e;
	char nm[80], v[VAL];
	int i, r;

	for (i = 0; i < X509_get_ext_count(a); i++) {
		e = X509_get_ext(a, i);
		if (index_of(b, e) >= 0)
			continue;
		if ((r = cer_certdiff_add(d, "extension %s: only in the %s (%s%s)",
		    cer_certdiff_ext_name(e, nm, sizeof(nm)), where,
		    X509_EXTENSION_get_critical(e) ? "critical, " : "",
		    ext_text(e, v, sizeof(v)))) != CER_OK)
			return r;
	}
	return CER_OK;
}

/* One extension both carry: its criticality and its value. */
static int
diff_ext(struct cer_certdiff *d, X509_EXTENSION *a, X509_EXTENSION *b)
{
	const ASN1_OCTET_STRING *va = X509_EXTENSION_get_data(a), *vb = X509_EXTENSION_get_data(b);
	char nm[80], ta[VAL], tb[VAL];
	int r;

	cer_certdiff_ext_name(a, nm, sizeof(nm));
	if (X509_EXTENSION_get_critical(a) != X509_EXTENSION_get_critical(b) &&
	    (r = cer_certdiff_add(d, "extension %s critical: %s %s, %s %s", nm, WANT(d),
	    X509_EXTENSION_get_critical(a) ? "yes" : "no", GOT(d),
	    X509_EXTENSION_get_critical(b) ? "yes" : "no")) != CER_OK)
		return r;
	if (ASN1_OCTET_STRING_cmp(va, vb) == 0)
		return CER_OK;
	if (strcmp(ext_text(a, ta, sizeof(ta)), ext_text(b, tb, sizeof(tb))) == 0) {
		hex_text(va->data, (size_t)va->length, ta, sizeof(ta));
		hex_text(vb->data, (size_t)vb->length, tb, sizeof(tb));
	}
	return cer_certdiff_add(d, "extension %s: %s %s; %s %s", nm, WANT(d), ta, GOT(d), tb);
}

/* The order of the extensions both carry. */
static int
same_order(const X509 *a, const X509 *b)
{
	int i, j = -1, k;

	for (i = 0; i < X509_get_ext_count(a); i++) {
		if ((k = index_of(b, X509_get_ext(a, i))) < 0)
			continue;
		if (k < j)
			return 0;
		j = k;
	}
	return 1;
}

static int
diff_extensions(struct cer_certdiff *d, const X509 *a, const X509 *b)
{
	char la[VAL], lb[VAL];
	int i, k, r;

	if ((r = diff_presence(d, a, b, WANT(d))) != CER_OK ||
	    (r = diff_presence(d, b, a, GOT(d))) != CER_OK)
		return r;
	if (!same_order(a, b) && (r = cer_certdiff_add(d, "extension order: %s %s, %s %s",
	    WANT(d), ext_list(a, la, sizeof(la)), GOT(d), ext_list(b, lb, sizeof(lb)))) != CER_OK)
		return r;
	for (i = 0; i < X509_get_ext_count(a); i++)
		if ((k = index_of(b, X509_get_ext(a, i))) >= 0 &&
		    (r = diff_ext(d, X509_get_ext(a, i), X509_get_ext(b, k))) != CER_OK)
			return r;
	return CER_OK;
}

static int
diff_uids(struct cer_certdiff *d, const X509 *a, const X509 *b)
{
	const ASN1_BIT_STRING *ia, *sa, *ib, *sb;
	int r = CER_OK;

	X509_get0_uids(a, &ia, &sa);
	X509_get0_uids(b, &ib, &sb);
	if (!same_der(ia, ib, i2d_bits))
		r = cer_certdiff_add(d, "issuerUniqueID: only in the %s", ib != NULL ? GOT(d) :
		    WANT(d));
	if (r == CER_OK && !same_der(sa, sb, i2d_bits))
		r = cer_certdiff_add(d, "subjectUniqueID: only in the %s", sb != NULL ? GOT(d) :
		    WANT(d));
	return r;
}

int
cer_certdiff_x509(X509 *want, X509 *got, struct cer_certdiff *d)
{
	const X509_ALGOR *oa, *ob;
	char ta[VAL], tb[VAL];
	int r = CER_OK;

	if (X509_get_version(want) != X509_get_version(got))
		r = cer_certdiff_add(d, "version: %s %ld, %s %ld", WANT(d),
		    X509_get_version(want) + 1, GOT(d), X509_get_version(got) + 1);
	if (r == CER_OK && ASN1_INTEGER_cmp(X509_get0_serialNumber(want),
	    X509_get0_serialNumber(got)) != 0)
		r = cer_certdiff_add(d, "serial: %s %s, %s %s", WANT(d),
		    integer_text(X509_get0_serialNumber(want), ta, sizeof(ta)), GOT(d),
		    integer_text(X509_get0_serialNumber(got), tb, sizeof(tb)));
	X509_get0_signature(NULL, &oa, want);
	X509_get0_signature(NULL, &ob, got);
	if (r != CER_OK ||
	    (r = diff_algor(d, "signature algorithm", X509_get0_tbs_sigalg(want),
	    X509_get0_tbs_sigalg(got))) != CER_OK ||
	    (r = diff_name(d, "issuer", X509_get_issuer_name(want),
	    X509_get_issuer_name(got))) != CER_OK ||
	    (r = diff_time(d, "notBefore", X509_get0_notBefore(want),
	    X509_get0_notBefore(got))) != CER_OK ||
	    (r = diff_time(d, "notAfter", X509_get0_notAfter(want),
	    X509_get0_notAfter(got))) != CER_OK ||
	    (r = diff_name(d, "subject", X509_get_subject_name(want),
	    X509_get_subject_name(got))) != CER_OK ||
	    (r = diff_key(d, X509_get0_pubkey(want), X509_get0_pubkey(got))) != CER_OK ||
	    (r = diff_uids(d, want, got)) != CER_OK ||
	    (r = diff_extensions(d, want, got)) != CER_OK)
		return r;
	return diff_algor(d, "outer signature algorithm", oa, ob);
}

int
cer_certdiff_req(X509_REQ *want, X509_REQ *got, struct cer_certdiff *d)
{
	int i, n = X509_REQ_get_attr_count(want), r = CER_OK;

	if (X509_REQ_get_version(want) != X509_REQ_get_version(got))
		r = cer_certdiff_add(d, "version: %s %ld, %s %ld", WANT(d),
		    X509_REQ_get_version(want) + 1, GOT(d), X509_REQ_get_version(got) + 1);
	if (r != CER_OK ||
	    (r = diff_name(d, "subject", X509_REQ_get_subject_name(want),
	    X509_REQ_get_subject_name(got))) != CER_OK ||
	    (r = diff_key(d, X509_REQ_get0_pubkey(want), X509_REQ_get0_pubkey(got))) != CER_OK)
		return r;
	if (n != X509_REQ_get_attr_count(got))
		r = cer_certdiff_add(d, "attributes: %s %d, %s %d", WANT(d), n, GOT(d),
		    X509_REQ_get_attr_count(got));
	for (i = 0; r == CER_OK && i < n && i < X509_REQ_get_attr_count(got); i++)
		if (!same_der(X509_REQ_get_attr(want, i), X509_REQ_get_attr(got, i), i2d_attr))
			r = cer_certdiff_add(d, "attribute %d differs", i + 1);
	return r;
}
