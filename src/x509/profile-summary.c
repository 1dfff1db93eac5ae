/*
 * profile-summary.c: what the transcript and the plan say about keys and
 * certificates: PEM text, SHA-256 fingerprints, JSON summaries.
 */
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "x509/profile.h"
#include "base/util.h"

/* Whatever a BIO holds, as a NUL-terminated string. */
static int
bio_string(BIO *b, char **out, size_t *len)
{
	char *data;
	long n = BIO_get_mem_data(b, &data);

	*out = NULL;
	if (n < 0 || (*out = malloc((size_t)n + 1)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	memcpy(*out, data, (size_t)n);
	(*out)[n] = '\0';
	if (len != NULL)
		*len = (size_t)n;
	return CER_OK;
}

static int pem_pubkey(BIO *b, const void *o) { return PEM_write_bio_PUBKEY(b, (EVP_PKEY *)o); }
static int pem_req(BIO *b, const void *o) { return PEM_write_bio_X509_REQ(b, (X509_REQ *)o); }
static int pem_cert(BIO *b, const void *o) { return PEM_write_bio_X509(b, (X509 *)o); }

/* obj as PEM, written by write, as a NUL-terminated string. */
static int
pem_of(int (*write)(BIO *, const void *), const void *obj, const char *what, char **pem,
    size_t *len)
{
	BIO *b;
	int r;

	*pem = NULL;
	if ((b = BIO_new(BIO_s_mem())) == NULL || write(b, obj) != 1)
		r = cer_fail(CER_ERR_OPENSSL, "cannot write the %s as PEM", what);
	else
		r = bio_string(b, pem, len);
	BIO_free(b);
	return r;
}

int
cer_profile_pubkey_pem(EVP_PKEY *pub, char **pem, size_t *len)
{
	return pem_of(pem_pubkey, pub, "public key", pem, len);
}

int
cer_profile_csr_pem(X509_REQ *req, char **pem, size_t *len)
{
	return pem_of(pem_req, req, "CSR", pem, len);
}

int
cer_profile_cert_pem(X509 *x, char **pem, size_t *len)
{
	return pem_of(pem_cert, x, "certificate", pem, len);
}

static int
der_sha256_hex(const unsigned char *der, int len, char **hex)
{
	*hex = NULL;
	if (len <= 0)
		return cer_fail(CER_ERR_OPENSSL, "cannot encode to DER");
	return cer_sha256_hex(der, (size_t)len, hex);
}

int
cer_profile_spki_sha256(EVP_PKEY *pub, char **hex)
{
	unsigned char *der = NULL;
	int len, r;

	len = i2d_PUBKEY(pub, &der);
	r = der_sha256_hex(der, len, hex);
	OPENSSL_free(der);
	return r;
}

int
cer_profile_key_json(EVP_PKEY *pub, json_t **out)
{
	char group[64] = "", *spki = NULL;
	int r;

	*out = NULL;
	if ((r = cer_profile_spki_sha256(pub, &spki)) != CER_OK)
		return r;
	if (EVP_PKEY_is_a(pub, "EC"))
		EVP_PKEY_get_utf8_string_param(pub, OSSL_PKEY_PARAM_GROUP_NAME, group,
		    sizeof(group), NULL);
	*out = json_pack("{s:s, s:i, s:s, s:s}", "algorithm", EVP_PKEY_get0_type_name(pub),
	    "bits", EVP_PKEY_get_bits(pub), "curve", group, "spki_sha256", spki);
	free(spki);
	return *out != NULL ? CER_OK : cer_fail(CER_ERR_ALLOC, "out of memory");
}

const char *
cer_profile_name_text(const X509_NAME *n, char *buf, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data;
	long k;

	buf[0] = '\0';
	if (b != NULL && X509_NAME_print_ex(b, n, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) >= 0 &&
	    (k = BIO_get_mem_data(b, &data)) > 0)
		snprintf(buf, len, "%.*s", (int)k, data);
	BIO_free(b);
	return buf;
}

static json_t *
name_json(const X509_NAME *n)
{
	char buf[1024];

	return json_string(cer_profile_name_text(n, buf, sizeof(buf)));
}

static json_t *
time_json(const ASN1_TIME *t)
{
	struct tm tm;
	char buf[21];

	if (ASN1_TIME_to_tm(t, &tm) != 1)
		return json_null();
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(buf);
}

static json_t *
extensions_json(const X509 *x)
{
	const ASN1_OCTET_STRING *v;
	X509_EXTENSION *e;
	char oid[80], *hex;
	json_t *a = json_array();
	int i;

	for (i = 0; a != NULL && i < X509_get_ext_count(x); i++) {
		e = X509_get_ext(x, i);
		v = X509_EXTENSION_get_data(e);
		OBJ_obj2txt(oid, sizeof(oid), X509_EXTENSION_get_object(e), 1);
		if (cer_hex(v->data, (size_t)v->length, &hex) != CER_OK)
			break;
		json_array_append_new(a, json_pack("{s:s, s:s, s:b, s:s}", "oid", oid,
		    "name", OBJ_nid2ln(OBJ_obj2nid(X509_EXTENSION_get_object(e))),
		    "critical", X509_EXTENSION_get_critical(e), "value", hex));
		free(hex);
	}
	return a;
}

int
cer_profile_cert_json(X509 *x, json_t **out)
{
	const ASN1_INTEGER *serial = X509_get0_serialNumber(x);
	char *serial_hex = NULL, *fp = NULL;
	unsigned char *der = NULL;
	json_t *key = NULL;
	BIGNUM *bn = NULL;
	int len, r = CER_ERR_INTERNAL;

	*out = NULL;
	len = i2d_X509(x, &der);
	if ((r = der_sha256_hex(der, len, &fp)) != CER_OK ||
	    (r = cer_profile_key_json(X509_get0_pubkey(x), &key)) != CER_OK)
		goto out;
	if ((bn = ASN1_INTEGER_to_BN(serial, NULL)) == NULL || (serial_hex = BN_bn2hex(bn)) == NULL) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot read the serial number");
		goto out;
	}
	*out = json_pack("{s:o, s:o, s:s, s:o, s:o, s:s, s:O, s:o, s:s}",
	    "subject", name_json(X509_get_subject_name(x)),
	    "issuer", name_json(X509_get_issuer_name(x)),
	    "serial", serial_hex,
	    "not_before", time_json(X509_get0_notBefore(x)),
	    "not_after", time_json(X509_get0_notAfter(x)),
	    "signature_algorithm", OBJ_nid2ln(X509_get_signature_nid(x)),
	    "public_key", key,
	    "extensions", extensions_json(x),
	    "sha256", fp);
	r = *out != NULL ? CER_OK : cer_fail(CER_ERR_ALLOC, "out of memory");
 out:
	OPENSSL_free(der);
	OPENSSL_free(serial_hex);
	BN_free(bn);
	json_decref(key);
	free(fp);
	return r;
}
