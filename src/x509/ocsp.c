/* ocsp.c: the unsigned OCSP response and its encodings (CRLReason names: crl.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>

#include "base/br.h"
#include "x509/crl.h"
#include "x509/ocsp.h"

const char *
cer_ocsp_allowed_reasons(void)
{
	static char buf[160];
	size_t used = 0;
	int i;

	if (buf[0] != '\0')
		return buf;
	for (i = 0; i <= CRL_REASON_AA_COMPROMISE; i++)
		if (cer_br_is_allowed_reason(i))
			used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s",
			    used > 0 ? ", " : "", cer_crl_reason_name(i));
	return buf;
}

void
cer_ocsp_tbs_free(struct cer_ocsp_tbs *t)
{
	if (t == NULL)
		return;
	OCSP_BASICRESP_free(t->bs);
	free(t);
}

/* The SingleResponse: CertID, status, times (GeneralizedTime, as OpenSSL converts them). */
static int
add_single(OCSP_BASICRESP *bs, const struct cer_ocsp_params *p, X509 *issuer,
    const unsigned char *serial, size_t serial_len)
{
	ASN1_INTEGER *sn = ASN1_INTEGER_new();
	ASN1_TIME *tu = ASN1_TIME_set(NULL, p->this_update);
	ASN1_TIME *nu = ASN1_TIME_set(NULL, p->next_update);
	ASN1_TIME *rt = p->revoked ? ASN1_TIME_set(NULL, p->revocation_time) : NULL;
	OCSP_CERTID *id = NULL;
	int ok;

	ok = tu != NULL && nu != NULL && (!p->revoked || rt != NULL) && sn != NULL &&
	    ASN1_STRING_set(sn, serial, (int)serial_len) == 1 &&
	    (id = OCSP_cert_id_new(p->sha256_certid ? EVP_sha256() : EVP_sha1(),
	    X509_get_subject_name(issuer), X509_get0_pubkey_bitstr(issuer), sn)) != NULL &&
	    OCSP_basic_add1_status(bs, id, p->revoked ? V_OCSP_CERTSTATUS_REVOKED :
	    V_OCSP_CERTSTATUS_GOOD, p->revoked ? p->reason : OCSP_REVOKED_STATUS_NOSTATUS, rt, tu,
	    nu) != NULL;
	OCSP_CERTID_free(id);
	ASN1_INTEGER_free(sn);
	ASN1_TIME_free(tu);
	ASN1_TIME_free(nu);
	ASN1_TIME_free(rt);
	return ok ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot build the OCSP SingleResponse");
}

int
cer_ocsp_build(const struct cer_ocsp_params *p, X509 *issuer, const unsigned char *serial,
    size_t serial_len, X509 *signer, time_t produced_at, struct cer_ocsp_tbs **out)
{
	struct cer_ocsp_tbs *t;
	int r;

	*out = NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	if ((t->bs = OCSP_BASICRESP_new()) == NULL) {
		cer_ocsp_tbs_free(t);
		return cer_fail(CER_ERR_OPENSSL, "cannot make an OCSP response");
	}
	if ((r = add_single(t->bs, p, issuer, serial, serial_len)) != CER_OK) {
		cer_ocsp_tbs_free(t);
		return r;
	}
	t->signer = signer;
	t->include_signer = X509_cmp(signer, issuer) != 0;
	t->produced_at = produced_at;
	*out = t;
	return CER_OK;
}

int
cer_ocsp_response_der(OCSP_BASICRESP *bs, unsigned char **der, size_t *len)
{
	OCSP_RESPONSE *resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs);
	int n = resp != NULL ? i2d_OCSP_RESPONSE(resp, der) : -1;

	OCSP_RESPONSE_free(resp);
	if (n <= 0) {
		*der = NULL;
		return cer_fail(CER_ERR_OPENSSL, "cannot encode the OCSP response");
	}
	*len = (size_t)n;
	return CER_OK;
}

int
cer_ocsp_base64(const unsigned char *der, size_t len, char **out, size_t *outlen)
{
	size_t n = 4 * ((len + 2) / 3);
	char *b;

	*out = NULL;
	if (len > 64 * 1024 * 1024 || (b = malloc(n + 2)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	if (EVP_EncodeBlock((unsigned char *)b, der, (int)len) != (int)n) {
		free(b);
		return cer_fail(CER_ERR_OPENSSL, "cannot encode the response in base64");
	}
	b[n] = '\n';
	b[n + 1] = '\0';
	*out = b;
	*outlen = n + 1;
	return CER_OK;
}

/* Boulder's line back to DER: exactly what cer_ocsp_base64 writes for it. */
static int
unbase64(const unsigned char *buf, size_t len, unsigned char **der, size_t *derlen)
{
	unsigned char *d = NULL;
	char *again = NULL;
	size_t n, pad, alen = 0;
	int m, r = CER_ERR_VERIFY;

	if (len < 5 || buf[len - 1] != '\n' || (len - 1) % 4 != 0)
		return CER_ERR_VERIFY;
	n = len - 1;
	pad = (buf[n - 1] == '=') + (buf[n - 2] == '=');
	if ((d = malloc(n / 4 * 3 + 1)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	if ((m = EVP_DecodeBlock(d, buf, (int)n)) < 0 || (size_t)m < pad)
		goto out;
	/* one spelling only: what this tool writes (no spaces, no line breaks) */
	if ((r = cer_ocsp_base64(d, (size_t)m - pad, &again, &alen)) != CER_OK)
		goto out;
	r = CER_ERR_VERIFY;
	if (alen != len || memcmp(again, buf, len) != 0)
		goto out;
	*der = d;
	*derlen = (size_t)m - pad;
	d = NULL; /* transferred */
	r = CER_OK;
 out:
	free(d);
	free(again);
	return r;
}

int
cer_ocsp_decode(const unsigned char *buf, size_t len, int base64, OCSP_RESPONSE **resp,
    unsigned char **der, size_t *derlen)
{
	const unsigned char *p;
	unsigned char *d = NULL, *again = NULL;
	size_t n = len;
	int r, m;

	*resp = NULL;
	*der = NULL;
	if (base64 && (r = unbase64(buf, len, &d, &n)) != CER_OK)
		return r;
	if (!base64 && (d = malloc(len + 1)) != NULL)
		memcpy(d, buf, len);
	if (d == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	p = d;
	if ((*resp = d2i_OCSP_RESPONSE(NULL, &p, (long)n)) == NULL || p != d + n ||
	    (m = i2d_OCSP_RESPONSE(*resp, &again)) <= 0 || (size_t)m != n ||
	    memcmp(again, d, n) != 0) {
		ERR_clear_error();
		OCSP_RESPONSE_free(*resp);
		*resp = NULL;
		OPENSSL_free(again);
		free(d);
		return CER_ERR_VERIFY;
	}
	OPENSSL_free(again);
	*der = d;
	*derlen = n;
	return CER_OK;
}
