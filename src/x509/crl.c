/* crl.c: a CRL as Go's CreateRevocationList builds it, with reasonCodes; its summaries. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "base/util.h"
#include "x509/crl.h"
#include "x509/profile.h"

/* RFC 5280 5.3.1, as Boulder's revocation package spells them (value 7 is unused). */
static const char *const reason_names[] = { "unspecified", "keyCompromise", "cACompromise",
    "affiliationChanged", "superseded", "cessationOfOperation", "certificateHold", NULL,
    "removeFromCRL", "privilegeWithdrawn", "aACompromise" };
#define NREASONS ((int)(sizeof(reason_names) / sizeof(reason_names[0])))

int
cer_crl_reason_parse(const char *name)
{
	int i;

	for (i = 0; i < NREASONS; i++)
		if (reason_names[i] != NULL && strcmp(reason_names[i], name) == 0)
			return i;
	return -1;
}

const char *
cer_crl_reason_name(int reason)
{
	return reason >= 0 && reason < NREASONS && reason_names[reason] != NULL ?
	    reason_names[reason] : "unknown";
}

/* ---- serials ---- */

static int
hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The octets as stored: no leading zero octet, at most 20, the first below 0x80 at 20. */
static const char *
serial_octets(const unsigned char *b, size_t n, struct cer_crl_entry *e)
{
	size_t i;

	for (i = 0; i < n && b[i] == 0; i++)
		;
	if (i == n)
		return "a serial number is positive; 0 is none";
	if (n - i > 20 || (n - i == 20 && b[i] >= 0x80))
		return "a serial number is less than 2^159 (at most 20 octets, RFC 5280 4.1.2.2)";
	memcpy(e->serial, b + i, n - i);
	e->serial_len = (unsigned char)(n - i);
	return NULL;
}

const char *
cer_crl_serial_parse(const char *hex, size_t len, struct cer_crl_entry *e)
{
	unsigned char b[21];
	size_t i, n = (len + 1) / 2, odd = len % 2;
	int hi, lo;

	if (len == 0 || len > 42)
		return "a serial is 1 to 40 hex digits";
	for (i = 0; i < n; i++) {
		hi = i == 0 && odd ? 0 : hexval(hex[2 * i - odd]);
		lo = hexval(hex[2 * i + 1 - odd]);
		if (hi < 0 || lo < 0)
			return "a serial is written in hex digits only";
		b[i] = (unsigned char)(hi << 4 | lo);
	}
	/* a 00 octet is the DER sign octet only before a high bit; any other is not the serial */
	if (n > 1 && b[0] == 0 && b[1] < 0x80)
		return "a serial has no leading zero octet (but the one before a high bit); "
		    "write it as openssl prints it";
	return serial_octets(b, n, e);
}

int
cer_crl_serial_of(const ASN1_INTEGER *ai, struct cer_crl_entry *e)
{
	const char *why;

	if (ASN1_STRING_type(ai) != V_ASN1_INTEGER)
		return cer_fail(CER_ERR_INPUT, "its serial number is negative");
	if ((why = serial_octets(ASN1_STRING_get0_data(ai), (size_t)ASN1_STRING_length(ai),
	    e)) != NULL)
		return cer_fail(CER_ERR_INPUT, "its serial number is refused: %s", why);
	return CER_OK;
}

static int
serial_cmp(const struct cer_crl_entry *a, const unsigned char *s, size_t len)
{
	if (a->serial_len != len)
		return a->serial_len < len ? -1 : 1;
	return memcmp(a->serial, s, len);
}

/* qsort has no argument: the entries being sorted. */
static const struct cer_crl_entry *sorting;

static int
by_serial(const void *a, const void *b)
{
	const struct cer_crl_entry *x = &sorting[*(const size_t *)a],
	    *y = &sorting[*(const size_t *)b];
	int c = serial_cmp(x, y->serial, y->serial_len);

	return c != 0 ? c : *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

int
cer_crl_index(const struct cer_crl_entry *e, size_t n, size_t **idx, size_t *dup_a,
    size_t *dup_b)
{
	size_t i;

	*dup_a = *dup_b = n;
	if ((*idx = calloc(n + 1, sizeof(**idx))) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	for (i = 0; i < n; i++)
		(*idx)[i] = i;
	sorting = e;
	qsort(*idx, n, sizeof(**idx), by_serial);
	sorting = NULL;
	/* an entry without serial yet (an earlier step's certificate) is no duplicate */
	for (i = 1; i < n && *dup_a == n; i++)
		if (e[(*idx)[i]].serial_len > 0 && serial_cmp(&e[(*idx)[i - 1]], e[(*idx)[i]].serial,
		    e[(*idx)[i]].serial_len) == 0) {
			*dup_a = (*idx)[i - 1];
			*dup_b = (*idx)[i];
		}
	return CER_OK;
}

size_t
cer_crl_find(const struct cer_crl_entry *e, const size_t *idx, size_t n,
    const unsigned char *serial, size_t len)
{
	size_t lo = 0, hi = n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = serial_cmp(&e[idx[mid]], serial, len)) == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return n;
}

/* ---- building ---- */

static ISSUING_DIST_POINT *
make_idp(const struct cer_crl_spec *spec)
{
	ISSUING_DIST_POINT *idp = ISSUING_DIST_POINT_new();
	GENERAL_NAME *gn;
	ASN1_IA5STRING *uri;
	size_t i;

	if (idp == NULL)
		return NULL;
	if (spec->scope == CER_CRL_CA_ONLY)
		idp->onlyCA = 0xff;	/* DER TRUE, as Go's encoding/asn1 writes a bool */
	if (spec->scope != CER_CRL_PARTITIONED)
		return idp;
	if ((idp->distpoint = DIST_POINT_NAME_new()) == NULL ||
	    (idp->distpoint->name.fullname = GENERAL_NAMES_new()) == NULL)
		goto fail;
	idp->distpoint->type = 0;
	for (i = 0; i < spec->nurls; i++) {
		if ((uri = ASN1_IA5STRING_new()) == NULL ||
		    ASN1_STRING_set(uri, spec->urls[i], (int)strlen(spec->urls[i])) != 1 ||
		    (gn = GENERAL_NAME_new()) == NULL) {
			ASN1_IA5STRING_free(uri);
			goto fail;
		}
		GENERAL_NAME_set0_value(gn, GEN_URI, uri);
		if (sk_GENERAL_NAME_push(idp->distpoint->name.fullname, gn) <= 0) {
			GENERAL_NAME_free(gn);
			goto fail;
		}
	}
	return idp;
 fail:
	ISSUING_DIST_POINT_free(idp);
	return NULL;
}

int
cer_crl_idp_der(const struct cer_crl_spec *spec, unsigned char **der, int *len)
{
	ISSUING_DIST_POINT *idp;

	*der = NULL;
	*len = 0;
	if (spec->scope == CER_CRL_FULL)
		return CER_OK;
	if ((idp = make_idp(spec)) == NULL || (*len = i2d_ISSUING_DIST_POINT(idp, der)) <= 0) {
		ISSUING_DIST_POINT_free(idp);
		return cer_fail(CER_ERR_OPENSSL, "cannot encode the issuingDistributionPoint");
	}
	ISSUING_DIST_POINT_free(idp);
	return CER_OK;
}

void
cer_crl_idp_of(const X509_CRL *crl, const unsigned char **der, int *len, int *critical)
{
	int i = X509_CRL_get_ext_by_NID(crl, NID_issuing_distribution_point, -1);
	X509_EXTENSION *e = i >= 0 ? X509_CRL_get_ext(crl, i) : NULL;
	const ASN1_OCTET_STRING *v = e != NULL ? X509_EXTENSION_get_data(e) : NULL;

	*der = v != NULL ? ASN1_STRING_get0_data(v) : NULL;
	*len = v != NULL ? ASN1_STRING_length(v) : 0;
	*critical = e != NULL && X509_EXTENSION_get_critical(e);
}

/* AKI (keyIdentifier alone), cRLNumber, then the IDP: Go's order (AKI, number, ExtraExtensions). */
static int
add_extensions(X509_CRL *crl, const struct cer_crl_spec *spec, X509 *issuer)
{
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(issuer);
	AUTHORITY_KEYID *aki = AUTHORITY_KEYID_new();
	ISSUING_DIST_POINT *idp = NULL;
	ASN1_INTEGER *num = ASN1_INTEGER_new();
	int ok;

	ok = aki != NULL && num != NULL && (aki->keyid = ASN1_OCTET_STRING_dup(ski)) != NULL &&
	    X509_CRL_add1_ext_i2d(crl, NID_authority_key_identifier, aki, 0, 0) == 1 &&
	    ASN1_INTEGER_set_uint64(num, spec->number) == 1 &&
	    X509_CRL_add1_ext_i2d(crl, NID_crl_number, num, 0, 0) == 1;
	if (ok && spec->scope != CER_CRL_FULL)
		ok = (idp = make_idp(spec)) != NULL &&
		    X509_CRL_add1_ext_i2d(crl, NID_issuing_distribution_point, idp, 1, 0) == 1;
	AUTHORITY_KEYID_free(aki);
	ASN1_INTEGER_free(num);
	ISSUING_DIST_POINT_free(idp);
	return ok ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot add the CRL's extensions");
}

int
cer_crl_build(const struct cer_crl_spec *spec, X509 *issuer, X509_CRL **out)
{
	ASN1_TIME *tu = NULL, *nu = NULL;
	X509_CRL *crl = NULL;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if (X509_get0_subject_key_id(issuer) == NULL) {
		r = cer_fail(CER_ERR_INPUT, "the issuer certificate has no subject key identifier, "
		    "so a CRL's AKI cannot name it (BR 7.2.2)");
		goto out;
	}
	if ((crl = X509_CRL_new()) == NULL || X509_CRL_set_version(crl, X509_CRL_VERSION_2) != 1 ||
	    X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer)) != 1 ||
	    (tu = ASN1_TIME_set(NULL, spec->this_update)) == NULL ||
	    (nu = ASN1_TIME_set(NULL, spec->next_update)) == NULL ||
	    X509_CRL_set1_lastUpdate(crl, tu) != 1 || X509_CRL_set1_nextUpdate(crl, nu) != 1) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot fill in the CRL");
		goto out;
	}
	if ((r = add_extensions(crl, spec, issuer)) != CER_OK)
		goto out;
	*out = crl;
	crl = NULL; /* transferred */
 out:
	ASN1_TIME_free(tu);
	ASN1_TIME_free(nu);
	X509_CRL_free(crl);
	return r;
}

/* One entry: serial, revocationDate, and the reasonCode unless unspecified. */
static int
add_entry(X509_CRL *crl, const struct cer_crl_entry *e, ASN1_INTEGER *ai, ASN1_TIME *at,
    ASN1_ENUMERATED *reason)
{
	X509_REVOKED *rev;

	if ((rev = X509_REVOKED_new()) == NULL ||
	    ASN1_STRING_set(ai, e->serial, e->serial_len) != 1 ||
	    X509_REVOKED_set_serialNumber(rev, ai) != 1 ||
	    ASN1_TIME_set(at, (time_t)e->date) == NULL ||
	    X509_REVOKED_set_revocationDate(rev, at) != 1 ||
	    (e->reason != CER_CRL_UNSPECIFIED && (ASN1_ENUMERATED_set(reason, e->reason) != 1 ||
	    X509_REVOKED_add1_ext_i2d(rev, NID_crl_reason, reason, 0, 0) != 1)) ||
	    X509_CRL_add0_revoked(crl, rev) != 1) {
		X509_REVOKED_free(rev);
		return cer_fail(CER_ERR_OPENSSL, "cannot add an entry to the CRL");
	}
	return CER_OK;
}

int
cer_crl_add(X509_CRL *crl, const struct cer_crl_entry *e, size_t n,
    cer_crl_progress_fn progress, void *arg)
{
	ASN1_INTEGER *ai = ASN1_INTEGER_new();
	ASN1_TIME *at = ASN1_TIME_new();
	ASN1_ENUMERATED *reason = ASN1_ENUMERATED_new();
	size_t i;
	int r = CER_OK;

	if (ai == NULL || at == NULL || reason == NULL)
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
	for (i = 0; r == CER_OK && i < n; i++) {
		r = add_entry(crl, &e[i], ai, at, reason);
		if (progress != NULL && (i + 1) % 5000 == 0)
			progress(arg, i + 1, n);
	}
	if (progress != NULL && n > 0)
		progress(arg, n, n);
	ASN1_INTEGER_free(ai);
	ASN1_TIME_free(at);
	ASN1_ENUMERATED_free(reason);
	return r;
}

/* ---- reading and summarising ---- */

int
cer_crl_number(const X509_CRL *crl, BIGNUM **out)
{
	ASN1_INTEGER *n = X509_CRL_get_ext_d2i(crl, NID_crl_number, NULL, NULL);

	*out = n != NULL ? ASN1_INTEGER_to_BN(n, NULL) : NULL;
	ASN1_INTEGER_free(n);
	ERR_clear_error();
	return *out != NULL ? CER_OK : cer_fail(CER_ERR_INPUT, "it has no cRLNumber");
}

static time_t
seconds(const ASN1_TIME *t)
{
	struct tm tm;

	return t != NULL && ASN1_TIME_to_tm(t, &tm) == 1 ? timegm(&tm) : (time_t)-1;
}

/* "SERIAL REASON DATE\n" of one entry. */
static int
entry_line(X509_REVOKED *rev, char *buf, size_t size)
{
	const ASN1_INTEGER *sn = X509_REVOKED_get0_serialNumber(rev);
	ASN1_ENUMERATED *e = X509_REVOKED_get_ext_d2i(rev, NID_crl_reason, NULL, NULL);
	const unsigned char *p = ASN1_STRING_get0_data(sn);
	int i, n = 0, len = ASN1_STRING_length(sn);
	long reason = e != NULL ? ASN1_ENUMERATED_get(e) : CER_CRL_UNSPECIFIED;
	char when[21];

	ASN1_ENUMERATED_free(e);
	cer_time_str(seconds(X509_REVOKED_get0_revocationDate(rev)), when);
	for (i = 0; i < len && (size_t)n + 3 < size; i++)
		n += snprintf(buf + n, size - (size_t)n, "%02x", p[i]);
	return n + snprintf(buf + n, size - (size_t)n, " %s %s\n",
	    cer_crl_reason_name((int)reason), when);
}

int
cer_crl_list_sha256(const X509_CRL *crl, char **hex, size_t *count)
{
	STACK_OF(X509_REVOKED) *rev = X509_CRL_get_REVOKED((X509_CRL *)(uintptr_t)crl);
	unsigned char d[CER_SHA256_LEN];
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	char line[128];
	int i, n = sk_X509_REVOKED_num(rev), ok;

	*hex = NULL;
	*count = n > 0 ? (size_t)n : 0;
	ok = md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;
	for (i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(md, line, (size_t)entry_line(sk_X509_REVOKED_value(rev, i),
		    line, sizeof(line))) == 1;
	ok = ok && EVP_DigestFinal_ex(md, d, NULL) == 1;
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	return ok ? cer_hex(d, sizeof(d), hex) : cer_fail(CER_ERR_OPENSSL,
	    "cannot hash the CRL's entries");
}

/*
 * What PEM_write_bio_X509_CRL writes, made from the DER at hand: OpenSSL's
 * PEM encoder (EVP_EncodeUpdate: base64 in lines of 64 characters) into one
 * buffer, between the armour lines of PEM_STRING_X509_CRL.  The writer
 * itself encodes the CRL again and grows a memory BIO by copies, which for
 * 100 000 entries held three copies of the CRL (13 MB) at once.
 */
int
cer_crl_pem(const unsigned char *der, size_t len, char **pem, size_t *pem_len)
{
	static const char begin[] = "-----BEGIN " PEM_STRING_X509_CRL "-----\n",
	    end[] = "-----END " PEM_STRING_X509_CRL "-----\n";
	EVP_ENCODE_CTX *ctx = NULL;
	unsigned char *p = NULL;
	size_t off = sizeof(begin) - 1;
	int n = 0, r = CER_ERR_INTERNAL;

	*pem = NULL;
	*pem_len = 0;
	if (len == 0 || len > (size_t)1 << 30) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot write the CRL as PEM");
		goto out;
	}
	if ((ctx = EVP_ENCODE_CTX_new()) == NULL ||
	    (p = malloc(off + EVP_ENCODE_LENGTH(len) + sizeof(end))) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	memcpy(p, begin, off);
	EVP_EncodeInit(ctx);
	if (EVP_EncodeUpdate(ctx, p + off, &n, der, (int)len) != 1) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot write the CRL as PEM");
		goto out;
	}
	off += (size_t)n;
	EVP_EncodeFinal(ctx, p + off, &n);
	off += (size_t)n;
	memcpy(p + off, end, sizeof(end));	/* with its NUL */
	*pem = (char *)p;
	*pem_len = off + sizeof(end) - 1;
	p = NULL;	/* transferred */
	r = CER_OK;
 out:
	EVP_ENCODE_CTX_free(ctx);
	free(p);
	return r;
}

/* The extnValue of extension nid in hex, or JSON null. */
static json_t *
ext_hex(const X509_CRL *crl, int nid)
{
	int i = X509_CRL_get_ext_by_NID(crl, nid, -1);
	const ASN1_OCTET_STRING *v = i >= 0 ? X509_EXTENSION_get_data(X509_CRL_get_ext(crl, i)) :
	    NULL;
	char *hex = NULL;
	json_t *j;

	if (v == NULL || cer_hex(ASN1_STRING_get0_data(v), (size_t)ASN1_STRING_length(v),
	    &hex) != CER_OK)
		return json_null();
	j = json_string(hex);
	free(hex);
	return j;
}

int
cer_crl_json(X509_CRL *crl, const unsigned char *der, size_t len, json_t **out)
{
	char issuer[1024], *number = NULL, *list = NULL, *fp = NULL, tu[21], nu[21];
	BIGNUM *bn = NULL;
	size_t count = 0;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	cer_time_str(seconds(X509_CRL_get0_lastUpdate(crl)), tu);
	cer_time_str(seconds(X509_CRL_get0_nextUpdate(crl)), nu);
	if (len == 0 || len > INT_MAX ||
	    cer_profile_name_text(X509_CRL_get_issuer(crl), issuer, sizeof(issuer))[0] == '\0' ||
	    cer_crl_number(crl, &bn) != CER_OK || (number = BN_bn2dec(bn)) == NULL) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot describe the CRL");
		goto out;
	}
	if ((r = cer_sha256_hex(der, len, &fp)) != CER_OK ||
	    (r = cer_crl_list_sha256(crl, &list, &count)) != CER_OK)
		goto out;
	*out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:s, s:s, s:i}",
	    "issuer", issuer, "number", number, "this_update", tu, "next_update", nu,
	    "signature_algorithm", OBJ_nid2ln(X509_CRL_get_signature_nid(crl)),
	    "authority_key_identifier", ext_hex(crl, NID_authority_key_identifier),
	    "issuing_distribution_point", ext_hex(crl, NID_issuing_distribution_point),
	    "entries", (json_int_t)count, "entries_sha256", list, "sha256", fp,
	    "der_bytes", (int)len);
	r = *out != NULL ? CER_OK : cer_fail(CER_ERR_ALLOC, "out of memory");
 out:
	OPENSSL_free(number);
	BN_free(bn);
	free(list);
	free(fp);
	return r;
}
