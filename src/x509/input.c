/* input.c: input certificates and public keys, strictly or leniently read. */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "base/util.h"
#include "x509/input.h"

/* How one kind of object is read. */
struct kind {
	const char *pem_name;	/* "CERTIFICATE" */
	const char *what;	/* "certificate" */
	void *(*pem)(BIO *b);
	void *(*der)(const unsigned char **p, long len);
	void (*free)(void *o);
};

static void *pem_cert(BIO *b) { return PEM_read_bio_X509(b, NULL, NULL, NULL); }
static void *der_cert(const unsigned char **p, long n) { return d2i_X509(NULL, p, n); }
static void free_cert(void *o) { X509_free(o); }
static void *pem_pubkey(BIO *b) { return PEM_read_bio_PUBKEY(b, NULL, NULL, NULL); }
static void *der_pubkey(const unsigned char **p, long n) { return d2i_PUBKEY(NULL, p, n); }
static void free_pubkey(void *o) { EVP_PKEY_free(o); }

static const struct kind cert_kind = { "CERTIFICATE", "certificate", pem_cert, der_cert,
    free_cert };
static const struct kind pubkey_kind = { "PUBLIC KEY", "public key (SubjectPublicKeyInfo)",
    pem_pubkey, der_pubkey, free_pubkey };

static int
only_space(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

static int
has_pem(const unsigned char *p, size_t n)
{
	return memmem(p, n, "-----BEGIN ", 11) != NULL;
}

/* Exactly one DER object, len bytes long. */
static int
der_exact(const struct kind *k, const char *name, const unsigned char *buf, size_t len,
    void **out)
{
	const unsigned char *p = buf;

	if (len > CER_INPUT_MAX || (*out = k->der(&p, (long)len)) == NULL)
		return cer_fail(CER_ERR_INPUT, "%s holds no %s (PEM or DER)%s", name, k->what,
		    has_pem(buf, len) ? "; it has text before its PEM block, which a signing "
		    "input may not have" : "");
	if (p != buf + len) {
		k->free(*out);
		*out = NULL;
		return cer_fail(CER_ERR_INPUT, "%s has %zu bytes after its DER %s; a signing input "
		    "holds exactly one object", name, (size_t)(buf + len - p), k->what);
	}
	return CER_OK;
}

/* Exactly one PEM block of the kind, no headers, only whitespace around it. */
static int
pem_exact(const struct kind *k, const char *name, BIO *b, void **out)
{
	char *type = NULL, *header = NULL;
	unsigned char *data = NULL;
	const unsigned char *p;
	char *rest = NULL;
	long n = 0, nrest;
	int r = CER_ERR_INPUT;

	if (PEM_read_bio(b, &type, &header, &data, &n) != 1) {
		r = cer_fail(CER_ERR_INPUT, "%s: its PEM block cannot be decoded", name);
		goto out;
	}
	if (strcmp(type, k->pem_name) != 0 || header[0] != '\0') {
		r = cer_fail(CER_ERR_INPUT, "%s holds a PEM '%s'%s, not one '%s'", name, type,
		    header[0] != '\0' ? " with headers" : "", k->pem_name);
		goto out;
	}
	nrest = BIO_get_mem_data(b, &rest);
	if (nrest > 0 && !only_space((unsigned char *)rest, (size_t)nrest)) {
		r = cer_fail(CER_ERR_INPUT, "%s %s; a signing input holds exactly one %s", name,
		    has_pem((unsigned char *)rest, (size_t)nrest) ? "holds more than one PEM "
		    "block" : "has text after its PEM block", k->what);
		goto out;
	}
	p = data;
	if ((*out = k->der(&p, n)) == NULL || p != data + n) {
		k->free(*out);
		*out = NULL;
		r = cer_fail(CER_ERR_INPUT, "%s: its PEM block is not one well-formed %s", name,
		    k->what);
		goto out;
	}
	r = CER_OK;
 out:
	OPENSSL_free(type);
	OPENSSL_free(header);
	OPENSSL_free(data);
	return r;
}

static int
parse(const struct kind *k, const char *name, const unsigned char *buf, size_t len,
    enum cer_input_mode mode, void **out)
{
	size_t lead = 0;
	BIO *b = NULL;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if (len > CER_INPUT_MAX)
		return cer_fail(CER_ERR_INPUT, "%s: more than %d bytes", name, CER_INPUT_MAX);
	if ((b = BIO_new_mem_buf(buf, (int)len)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	if (mode == CER_INPUT_LENIENT) {
		if ((*out = k->pem(b)) == NULL) {
			const unsigned char *p = buf;

			*out = k->der(&p, (long)len);
		}
		r = *out != NULL ? CER_OK : cer_fail(CER_ERR_INPUT, "%s holds no %s (PEM or DER)",
		    name, k->what);
		goto out;
	}
	while (lead < len && only_space(buf + lead, 1))
		lead++;
	if (len - lead >= 11 && memcmp(buf + lead, "-----BEGIN ", 11) == 0)
		r = pem_exact(k, name, b, out);
	else
		r = der_exact(k, name, buf, len, out);
 out:
	ERR_clear_error();
	BIO_free(b);
	return r;
}

int
cer_input_parse_cert(const char *name, const unsigned char *buf, size_t len,
    enum cer_input_mode mode, X509 **out)
{
	return parse(&cert_kind, name, buf, len, mode, (void **)out);
}

int
cer_input_parse_pubkey(const char *name, const unsigned char *buf, size_t len,
    enum cer_input_mode mode, EVP_PKEY **out)
{
	return parse(&pubkey_kind, name, buf, len, mode, (void **)out);
}

static int
read_file(const struct kind *k, const char *path, enum cer_input_mode mode, void **out)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	int r;

	*out = NULL;
	if ((r = cer_read_file(path, CER_INPUT_MAX, &buf, &len)) != CER_OK)
		return r;
	r = parse(k, path, buf, len, mode, out);
	free(buf);
	return r;
}

int
cer_input_read_cert(const char *path, enum cer_input_mode mode, X509 **out)
{
	return read_file(&cert_kind, path, mode, (void **)out);
}

int
cer_input_read_pubkey(const char *path, enum cer_input_mode mode, EVP_PKEY **out)
{
	return read_file(&pubkey_kind, path, mode, (void **)out);
}

/* A positive serial of at most 20 octets (RFC 5280 4.1.2.2; BR 7.1.2.x serialNumber). */
static int
serial_ok(const char *name, X509 *x)
{
	const ASN1_INTEGER *sn = X509_get0_serialNumber(x);
	BIGNUM *bn;
	int neg, zero, bytes;

	if ((bn = ASN1_INTEGER_to_BN(sn, NULL)) == NULL)
		return cer_fail(CER_ERR_INPUT, "%s: its serial number cannot be read", name);
	neg = BN_is_negative(bn);
	zero = BN_is_zero(bn);
	bytes = BN_num_bytes(bn) + (BN_num_bits(bn) % 8 == 0);	/* DER adds a 0x00 */
	BN_free(bn);
	if (neg || zero)
		return cer_fail(CER_ERR_INPUT, "%s has a %s serial number; RFC 5280 4.1.2.2 "
		    "requires a positive one, so a CA must not build on it", name,
		    neg ? "negative" : "zero");
	if (bytes > 20)
		return cer_fail(CER_ERR_INPUT, "%s has a serial number of %d octets; RFC 5280 "
		    "4.1.2.2 allows at most 20, so a CA must not build on it", name, bytes);
	return CER_OK;
}

int
cer_input_check_ca(const char *name, X509 *x)
{
	uint32_t flags;
	int r;

	if (X509_get_version(x) != X509_VERSION_3)
		return cer_fail(CER_ERR_INPUT, "%s is not an X.509 v3 certificate", name);
	if ((r = serial_ok(name, x)) != CER_OK)
		return r;
	flags = X509_get_extension_flags(x);	/* also decodes every extension */
	if (flags & EXFLAG_INVALID)
		return cer_fail(CER_ERR_INPUT, "%s has an extension that does not decode", name);
	if (!(flags & EXFLAG_BCONS) || !(flags & EXFLAG_CA))
		return cer_fail(CER_ERR_INPUT, "%s is not a CA certificate (no basicConstraints "
		    "cA=TRUE)", name);
	if (!(flags & EXFLAG_KUSAGE))
		return cer_fail(CER_ERR_INPUT, "%s has no keyUsage; a CA certificate must have one "
		    "with keyCertSign (RFC 5280 4.2.1.3, BR 7.1.2.10.7)", name);
	if (!(X509_get_key_usage(x) & KU_KEY_CERT_SIGN))
		return cer_fail(CER_ERR_INPUT, "%s: its keyUsage lacks keyCertSign, so it "
		    "cannot issue", name);
	/* self-signed by name and key identifiers: the signature must then verify too */
	if (X509_self_signed(x, 0) == 1 && X509_self_signed(x, 1) != 1) {
		ERR_clear_error();
		return cer_fail(CER_ERR_INPUT, "%s is self-signed but its self-signature does not "
		    "verify with its own key; it is damaged or forged", name);
	}
	return CER_OK;
}
