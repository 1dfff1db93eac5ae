/* profile.c: certificate profiles as OpenSSL objects; summaries. */
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "profile.h"
#include "util.h"

int
cer_profile_ski(EVP_PKEY *pub, unsigned char ski[static CER_SKI_LEN])
{
	unsigned char digest[CER_SHA256_LEN];
	const unsigned char *bits;
	X509_PUBKEY *xpk = NULL;
	int len, r;

	if (X509_PUBKEY_set(&xpk, pub) != 1 ||
	    X509_PUBKEY_get0_param(NULL, &bits, &len, NULL, xpk) != 1) {
		X509_PUBKEY_free(xpk);
		return cer_fail(CER_ERR_OPENSSL, "cannot encode the public key");
	}
	r = cer_sha256(bits, (size_t)len, digest);
	X509_PUBKEY_free(xpk);
	if (r == CER_OK)
		memcpy(ski, digest, CER_SKI_LEN);
	return r;
}

/* C, O, CN in the order of BR 7.1.4.2; C is a PrintableString, O and CN UTF8String. */
static int
subject_name(const struct cer_cert_profile *p, X509_NAME **out)
{
	X509_NAME *n;

	*out = NULL;
	if ((n = X509_NAME_new()) == NULL ||
	    X509_NAME_add_entry_by_NID(n, NID_countryName, V_ASN1_PRINTABLESTRING,
	    (const unsigned char *)p->country, -1, -1, 0) != 1 ||
	    X509_NAME_add_entry_by_NID(n, NID_organizationName, V_ASN1_UTF8STRING,
	    (const unsigned char *)p->organization, -1, -1, 0) != 1 ||
	    X509_NAME_add_entry_by_NID(n, NID_commonName, V_ASN1_UTF8STRING,
	    (const unsigned char *)p->common_name, -1, -1, 0) != 1) {
		X509_NAME_free(n);
		return cer_fail(CER_ERR_OPENSSL, "cannot build the subject name");
	}
	*out = n;
	return CER_OK;
}

static int
set_serial(X509 *x, const unsigned char *serial, size_t len)
{
	ASN1_INTEGER *ai = NULL;
	BIGNUM *bn;
	int ok;

	ok = (bn = BN_bin2bn(serial, (int)len, NULL)) != NULL &&
	    (ai = BN_to_ASN1_INTEGER(bn, NULL)) != NULL && X509_set_serialNumber(x, ai) == 1;
	BN_free(bn);
	ASN1_INTEGER_free(ai);
	return ok ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot set the serial number");
}

/* Version, serial, subject, validity (UTCTime to 2049, then GeneralizedTime), key. */
static int
set_common(X509 *x, const struct cer_cert_profile *p, EVP_PKEY *pub,
    const unsigned char *serial, size_t serial_len, X509_NAME *subject)
{
	int r;

	if ((r = set_serial(x, serial, serial_len)) != CER_OK)
		return r;
	if (X509_set_version(x, X509_VERSION_3) != 1 ||
	    X509_set_subject_name(x, subject) != 1 ||
	    ASN1_TIME_set(X509_getm_notBefore(x), p->not_before) == NULL ||
	    ASN1_TIME_set(X509_getm_notAfter(x), p->not_after) == NULL ||
	    X509_set_pubkey(x, pub) != 1)
		return cer_fail(CER_ERR_OPENSSL, "cannot fill in the certificate");
	return CER_OK;
}

static int
add_basic_constraints(X509 *x, int ca)
{
	BASIC_CONSTRAINTS *bc;
	int ok;

	if ((bc = BASIC_CONSTRAINTS_new()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	bc->ca = ca ? 0xff : 0;
	ok = X509_add1_ext_i2d(x, NID_basic_constraints, bc, 1, X509V3_ADD_DEFAULT) == 1;
	BASIC_CONSTRAINTS_free(bc);
	return ok ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot add basicConstraints");
}

static int
add_key_usage(X509 *x, unsigned usages)
{
	ASN1_BIT_STRING *ku;
	int ok;

	if ((ku = ASN1_BIT_STRING_new()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	/* RFC 5280 4.2.1.3 bit numbers; i2d drops trailing zero bits (DER). */
	ok = ((usages & CER_KU_DIGITAL_SIGNATURE) == 0 || ASN1_BIT_STRING_set_bit(ku, 0, 1)) &&
	    ((usages & CER_KU_CERT_SIGN) == 0 || ASN1_BIT_STRING_set_bit(ku, 5, 1)) &&
	    ((usages & CER_KU_CRL_SIGN) == 0 || ASN1_BIT_STRING_set_bit(ku, 6, 1)) &&
	    X509_add1_ext_i2d(x, NID_key_usage, ku, 1, X509V3_ADD_DEFAULT) == 1;
	ASN1_BIT_STRING_free(ku);
	return ok ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot add keyUsage");
}

static int
add_key_ids(X509 *x, const unsigned char ski[static CER_SKI_LEN],
    const unsigned char aki[static CER_SKI_LEN])
{
	ASN1_OCTET_STRING *os = NULL;
	AUTHORITY_KEYID *akid = NULL;
	int ok;

	ok = (os = ASN1_OCTET_STRING_new()) != NULL &&
	    ASN1_OCTET_STRING_set(os, ski, CER_SKI_LEN) == 1 &&
	    X509_add1_ext_i2d(x, NID_subject_key_identifier, os, 0, X509V3_ADD_DEFAULT) == 1 &&
	    (akid = AUTHORITY_KEYID_new()) != NULL &&
	    (akid->keyid = ASN1_OCTET_STRING_new()) != NULL &&
	    ASN1_OCTET_STRING_set(akid->keyid, aki, CER_SKI_LEN) == 1 &&
	    X509_add1_ext_i2d(x, NID_authority_key_identifier, akid, 0, X509V3_ADD_DEFAULT) == 1;
	ASN1_OCTET_STRING_free(os);
	AUTHORITY_KEYID_free(akid);
	return ok ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot add the key identifiers");
}

int
cer_profile_root(const struct cer_cert_profile *p, EVP_PKEY *pub,
    const unsigned char *serial, size_t serial_len, X509 **out)
{
	unsigned char ski[CER_SKI_LEN];
	X509_NAME *subject = NULL;
	X509 *x = NULL;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if ((x = X509_new()) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	if ((r = subject_name(p, &subject)) != CER_OK ||
	    (r = set_common(x, p, pub, serial, serial_len, subject)) != CER_OK)
		goto out;
	if (X509_set_issuer_name(x, subject) != 1) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot set the issuer name");
		goto out;
	}
	if ((r = cer_profile_ski(pub, ski)) != CER_OK ||
	    (r = add_key_usage(x, p->key_usages)) != CER_OK ||
	    (r = add_basic_constraints(x, 1)) != CER_OK ||
	    (r = add_key_ids(x, ski, ski)) != CER_OK)
		goto out;
	*out = x;
	x = NULL; /* transferred */
	r = CER_OK;
 out:
	X509_NAME_free(subject);
	X509_free(x);
	return r;
}

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

int
cer_profile_pubkey_pem(EVP_PKEY *pub, char **pem, size_t *len)
{
	BIO *b;
	int r;

	*pem = NULL;
	if ((b = BIO_new(BIO_s_mem())) == NULL || PEM_write_bio_PUBKEY(b, pub) != 1)
		r = cer_fail(CER_ERR_OPENSSL, "cannot write the public key as PEM");
	else
		r = bio_string(b, pem, len);
	BIO_free(b);
	return r;
}

int
cer_profile_cert_pem(X509 *x, char **pem, size_t *len)
{
	BIO *b;
	int r;

	*pem = NULL;
	if ((b = BIO_new(BIO_s_mem())) == NULL || PEM_write_bio_X509(b, x) != 1)
		r = cer_fail(CER_ERR_OPENSSL, "cannot write the certificate as PEM");
	else
		r = bio_string(b, pem, len);
	BIO_free(b);
	return r;
}

static int
der_sha256_hex(const unsigned char *der, int len, char **hex)
{
	unsigned char d[CER_SHA256_LEN];
	int r;

	*hex = NULL;
	if (len <= 0)
		return cer_fail(CER_ERR_OPENSSL, "cannot encode to DER");
	if ((r = cer_sha256(der, (size_t)len, d)) != CER_OK)
		return r;
	return cer_hex(d, sizeof(d), hex);
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

static json_t *
name_json(const X509_NAME *n)
{
	char *s = NULL;
	json_t *j;
	BIO *b;

	if ((b = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	j = bio_string(b, &s, NULL) == CER_OK ? json_string(s) : NULL;
	free(s);
	BIO_free(b);
	return j;
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
