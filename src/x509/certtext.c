/* certtext.c: a certificate's extensions as text, for the plan a reviewer signs off. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "x509/certtext.h"

/* One extension's value as OpenSSL prints it, its lines joined with "; ". */
static json_t *
ext_line(X509_EXTENSION *e)
{
	ASN1_OBJECT *obj = X509_EXTENSION_get_object(e);
	int nid = OBJ_obj2nid(obj), crit = X509_EXTENSION_get_critical(e);
	BIO *b = BIO_new(BIO_s_mem());
	char name[128], *data, *p, *q;
	json_t *line = NULL;
	long n, i;

	if (b == NULL)
		return NULL;
	if (nid != NID_undef)
		snprintf(name, sizeof(name), "%s", OBJ_nid2ln(nid));
	else
		OBJ_obj2txt(name, sizeof(name), obj, 1);
	BIO_printf(b, "%s%s: ", name, crit ? " (critical)" : "");
	if (nid == NID_subject_key_identifier)
		BIO_printf(b, "from the subject's key");
	else if (nid == NID_authority_key_identifier)
		BIO_printf(b, "the issuer's key identifier");
	else if (X509V3_EXT_print(b, e, X509V3_EXT_DEFAULT, 0) != 1)
		ASN1_STRING_print(b, X509_EXTENSION_get_data(e));
	if ((n = BIO_get_mem_data(b, &data)) > 0 && (p = malloc(2 * (size_t)n + 1)) != NULL) {
		/* OpenSSL's multi-line values (policies, AIA, constraints) on one line */
		for (q = p, i = 0; i < n; i++) {
			if (data[i] != '\n') {
				*q++ = data[i];
				continue;
			}
			while (i + 1 < n && (data[i + 1] == ' ' || data[i + 1] == '\n'))
				i++;
			if (i + 1 < n && q > p && q[-1] != ':')
				*q++ = ';';
			if (i + 1 < n)
				*q++ = ' ';
		}
		if (q - p >= 2 && q[-2] == ':' && q[-1] == ' ')	/* no value: OCSP No Check */
			q -= 2;
		*q = '\0';
		line = json_string(p);
		free(p);
	}
	ERR_clear_error();
	BIO_free(b);
	return line;
}

int
cer_certtext_extensions(X509 *c, json_t **out)
{
	json_t *a = json_array(), *line;
	int i;

	*out = NULL;
	if (a == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	for (i = 0; i < X509_get_ext_count(c); i++)
		if ((line = ext_line(X509_get_ext(c, i))) == NULL ||
		    json_array_append_new(a, line) != 0) {
			json_decref(a);
			return cer_fail(CER_ERR_ALLOC, "out of memory");
		}
	*out = a;
	return CER_OK;
}
