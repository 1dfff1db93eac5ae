/*
 * pubkey.c: a key's public half rebuilt from the token's attributes (RSA
 * modulus and exponent, EC or EdDSA parameters and point), read in one
 * cer_hsm_get_attrs, as the OpenSSL key every check and certificate uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "hsm/hsm-int.h"
#include "base/util.h"

static int
pkey_fromdata(const char *type, OSSL_PARAM_BLD *bld, EVP_PKEY **out)
{
	EVP_PKEY_CTX *ctx = NULL;
	OSSL_PARAM *params = NULL;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) != 1) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot rebuild the %s public key read from the token", type);
		goto out;
	}
	r = CER_OK;
 out:
	OSSL_PARAM_free(params);
	EVP_PKEY_CTX_free(ctx);
	return r;
}

/* What a public key is rebuilt from, read in one go (cer_hsm_get_attrs), and its CKA_ID. */
enum { PA_KEY_TYPE, PA_MODULUS, PA_EXPONENT, PA_EC_PARAMS, PA_EC_POINT, PA_ID, PA_N };
static const CK_ATTRIBUTE_TYPE public_attrs[PA_N] = {
	CKA_KEY_TYPE, CKA_MODULUS, CKA_PUBLIC_EXPONENT, CKA_EC_PARAMS, CKA_EC_POINT, CKA_ID,
};

static int
rsa_public(unsigned char **v, size_t *len, EVP_PKEY **out)
{
	BIGNUM *bn = NULL, *be = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	int r;

	r = cer_fail(CER_ERR_OPENSSL, "cannot rebuild the RSA public key read from the token");
	if (v[PA_MODULUS] == NULL || v[PA_EXPONENT] == NULL ||
	    (bn = BN_bin2bn(v[PA_MODULUS], (int)len[PA_MODULUS], NULL)) == NULL ||
	    (be = BN_bin2bn(v[PA_EXPONENT], (int)len[PA_EXPONENT], NULL)) == NULL ||
	    (bld = OSSL_PARAM_BLD_new()) == NULL ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) != 1)
		goto out;
	r = pkey_fromdata("RSA", bld, out);
 out:
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn);
	BN_free(be);
	return r;
}

/* CKA_EC_POINT is a DER OCTET STRING (PKCS#11 2.40+); some modules give it raw: unwrapped in place. */
static int
ec_point(struct cer_token *tok, unsigned char *raw, size_t *len)
{
	const unsigned char *p = raw;
	ASN1_OCTET_STRING *os = NULL;

	if (raw == NULL)
		return cer_fail(CER_ERR_KEY, "public key object on token '%s' has no CKA_EC_POINT",
		    tok->label);
	if ((os = d2i_ASN1_OCTET_STRING(NULL, &p, (long)*len)) != NULL && p == raw + *len) {
		memmove(raw, os->data, (size_t)os->length);
		*len = (size_t)os->length;
	}
	ERR_clear_error();
	ASN1_OCTET_STRING_free(os);
	return CER_OK;
}

static int
ec_public(struct cer_token *tok, unsigned char **v, size_t *len, int eddsa, EVP_PKEY **out)
{
	const struct cer_key_type_info *ed = cer_alg_key_type(CER_KEY_ED25519);
	const unsigned char *params = v[PA_EC_PARAMS], *pt = v[PA_EC_POINT];
	const struct cer_curve_info *cd = NULL;
	size_t plen = len[PA_EC_PARAMS], ptlen;
	OSSL_PARAM_BLD *bld = NULL;
	int r;

	if ((r = ec_point(tok, v[PA_EC_POINT], &len[PA_EC_POINT])) != CER_OK)
		goto out;
	ptlen = len[PA_EC_POINT];
	if (eddsa) {
		r = cer_fail(CER_ERR_KEY, "the Ed25519 public key on token '%s' is malformed", tok->label);
		if (params == NULL || plen != ed->params_len ||
		    memcmp(params, ed->params, plen) != 0 || ptlen != 32 ||
		    (*out = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pt, ptlen)) == NULL)
			goto out;
		r = CER_OK;
		goto out;
	}
	if (params == NULL || (cd = cer_alg_curve(cer_alg_curve_by_params(params, plen))) == NULL) {
		r = cer_fail(CER_ERR_KEY, "an EC key on token '%s' is on a curve other than "
		    "P-256, P-384 or P-521", tok->label);
		goto out;
	}
	r = cer_fail(CER_ERR_OPENSSL, "cannot rebuild the EC public key read from the token");
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, cd->group, 0) != 1 ||
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pt, ptlen) != 1)
		goto out;
	r = pkey_fromdata("EC", bld, out);
 out:
	OSSL_PARAM_BLD_free(bld);
	return r;
}

/*
 * The public key of a key object, rebuilt from its attributes (read afresh,
 * all in one cer_hsm_get_attrs), and its CKA_ID when id is not NULL
 * (malloc'ed; NULL when the object has none).
 */
int
cer_hsm_read_public(struct cer_token *tok, CK_OBJECT_HANDLE obj, EVP_PKEY **out,
    unsigned char **id, size_t *id_len)
{
	unsigned char *v[PA_N];
	size_t len[PA_N], i;
	CK_KEY_TYPE type;
	int r;

	*out = NULL;
	if ((r = cer_hsm_get_attrs(tok, obj, public_attrs, PA_N, v, len)) != CER_OK)
		return r;
	if (v[PA_KEY_TYPE] == NULL || len[PA_KEY_TYPE] != sizeof(type)) {
		r = cer_fail(CER_ERR_KEY, "a key object on token '%s' has no CKA_KEY_TYPE", tok->label);
		goto out;
	}
	memcpy(&type, v[PA_KEY_TYPE], sizeof(type));
	if (type == CKK_RSA)
		r = rsa_public(v, len, out);
	else if (type == CKK_EC || type == CKK_EC_EDWARDS)
		r = ec_public(tok, v, len, type == CKK_EC_EDWARDS, out);
	else
		r = cer_fail(CER_ERR_KEY, "a key on token '%s' has key type 0x%lx, which ceremony "
		    "does not use", tok->label, (unsigned long)type);
	if (r == CER_OK && id != NULL) {
		*id = v[PA_ID];
		*id_len = len[PA_ID];
		v[PA_ID] = NULL; /* transferred */
	}
 out:
	for (i = 0; i < PA_N; i++)
		free(v[i]);
	return r;
}

int
cer_hsm_object_public(struct cer_token *tok, CK_OBJECT_HANDLE obj, EVP_PKEY **out)
{
	return cer_hsm_read_public(tok, obj, out, NULL, NULL);
}

int
cer_hsm_key_public(struct cer_token *tok, struct cer_key *key, EVP_PKEY **out)
{
	int r;

	*out = NULL;
	if (key->pkey == NULL && (r = cer_hsm_object_public(tok, key->pub, &key->pkey)) != CER_OK)
		return r;
	if (EVP_PKEY_up_ref(key->pkey) != 1)
		return cer_fail(CER_ERR_OPENSSL, "EVP_PKEY_up_ref");
	*out = key->pkey;
	return CER_OK;
}
