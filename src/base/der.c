/* der.c: spans inside signed DER objects, read with OpenSSL's ASN1_get_object. */
#include <openssl/asn1.h>

#include "base/der.h"

int
cer_der_tbs(const unsigned char *der, long len, const unsigned char **tbs, long *tbs_len)
{
	const unsigned char *p = der, *start;
	long n;
	int tag, cls;

	if ((ASN1_get_object(&p, &n, &tag, &cls, len) & 0x80) || tag != V_ASN1_SEQUENCE)
		return cer_fail(CER_ERR_VERIFY, "not a DER SEQUENCE");
	start = p;
	if ((ASN1_get_object(&p, &n, &tag, &cls, len - (p - der)) & 0x80) ||
	    tag != V_ASN1_SEQUENCE)
		return cer_fail(CER_ERR_VERIFY, "no to-be-signed SEQUENCE");
	*tbs = start;
	*tbs_len = (long)(p - start) + n;
	return CER_OK;
}
