/*
 * profile.c: certificate profiles as OpenSSL objects: names, validity and
 * extensions, in Go's encoding unless the profile's encoding fields say
 * otherwise (name constraints: profile-nc.c; summaries: profile-summary.c).
 */
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "base/util.h"
#include "script/certprofile.h"
#include "x509/profile-int.h"

/*
 * The leftmost bits of a hash of the subjectPublicKey BIT STRING's content
 * (RFC 5280, 7093), read from the certificate's own SubjectPublicKeyInfo:
 * encoding the key again costs OpenSSL 3.0 an encoder and a decoder.
 */
static int
key_hash(const X509_PUBKEY *spki, const char *md, unsigned char d[static EVP_MAX_MD_SIZE])
{
	const unsigned char *bits;
	unsigned dlen;
	int len;

	if (spki == NULL || X509_PUBKEY_get0_param(NULL, &bits, &len, NULL, spki) != 1 ||
	    EVP_Digest(bits, (size_t)len, d, &dlen, EVP_get_digestbyname(md), NULL) != 1)
		return cer_fail(CER_ERR_OPENSSL, "cannot hash the public key");
	return CER_OK;
}

int
cer_profile_ski(const X509_PUBKEY *spki, enum cer_ski_method m, unsigned char ski[static CER_SKI_MAX],
    size_t *len)
{
	static const char *const md[] = { "SHA256", "SHA384", "SHA512", "SHA1", "SHA1" };
	unsigned char d[EVP_MAX_MD_SIZE];
	int r;

	*len = 0;
	if (m > CER_SKI_RFC5280_2)
		return CER_OK;
	if ((r = key_hash(spki, md[m], d)) != CER_OK)
		return r;
	if (m == CER_SKI_RFC5280_2) {
		/* RFC 5280 4.2.1.2 (2): 0100 and the least significant 60 bits of SHA-1 */
		ski[0] = 0x40 | (d[12] & 0x0f);
		memcpy(ski + 1, d + 13, 7);
		*len = 8;
	} else {
		memcpy(ski, d, 20);
		*len = 20;
	}
	return CER_OK;
}

/*
 * The string type Go's encoding/asn1 gives a Name attribute, as in Boulder's
 * names (marshal.go makeField, asn1.go isPrintable): PrintableString when
 * every character is in its X.680 alphabet (no '*' or '&'), else UTF8String.
 * BR 7.1.4.2 allows both; a country code is always a PrintableString.
 */
static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr(" '()+,-./:=?", *s) != NULL))
			return 0;
	return 1;
}

int
cer_profile_add_attr(X509_NAME *n, const struct cer_cert_profile *p, enum cer_attr attr,
    const char *value)
{
	static const int nids[] = { 0, NID_countryName, NID_organizationName, NID_commonName };
	enum cer_strtype t = p->string_types[attr];
	int type = t == CER_STR_UTF8 ? V_ASN1_UTF8STRING : t == CER_STR_PRINTABLE ||
	    printable(value != NULL ? value : "") ? V_ASN1_PRINTABLESTRING : V_ASN1_UTF8STRING;

	if (value == NULL)
		return CER_OK;
	if (type == V_ASN1_PRINTABLESTRING && !printable(value))
		return cer_fail(CER_ERR_SCRIPT, "string-types: '%s' has characters a "
		    "PrintableString cannot hold; write utf8", value);
	if (X509_NAME_add_entry_by_NID(n, nids[attr], type, (const unsigned char *)value, -1, -1,
	    0) != 1)
		return cer_fail(CER_ERR_OPENSSL, "cannot build a name");
	return CER_OK;
}

/* A private hierarchy's further attribute, when written: Go's string type rule. */
static int
add_extra(X509_NAME *n, int nid, const char *value)
{
	if (value == NULL)
		return CER_OK;
	return X509_NAME_add_entry_by_NID(n, nid, printable(value) ? V_ASN1_PRINTABLESTRING :
	    V_ASN1_UTF8STRING, (const unsigned char *)value, -1, -1, 0) == 1 ? CER_OK :
	    cer_fail(CER_ERR_OPENSSL, "cannot build a name");
}

/*
 * Go's pkix.Name.ToRDNSequence order with a private hierarchy's attributes:
 * C, ST, L, O, OU, CN, serialNumber (the loader refuses subject-order with them).
 */
static int
private_subject(const struct cer_cert_profile *p, X509_NAME *n)
{
	int r;

	if ((r = cer_profile_add_attr(n, p, CER_ATTR_COUNTRY, p->country)) != CER_OK ||
	    (r = add_extra(n, NID_stateOrProvinceName, p->state)) != CER_OK ||
	    (r = add_extra(n, NID_localityName, p->locality)) != CER_OK ||
	    (r = cer_profile_add_attr(n, p, CER_ATTR_ORGANIZATION, p->organization)) != CER_OK ||
	    (r = add_extra(n, NID_organizationalUnitName, p->org_unit)) != CER_OK ||
	    (r = cer_profile_add_attr(n, p, CER_ATTR_COMMON_NAME, p->common_name)) != CER_OK)
		return r;
	return add_extra(n, NID_serialNumber, p->subject_serial);
}

/* C, O, CN: the order of BR 7.1.4.2 and of Go's pkix.Name.ToRDNSequence, unless subject-order says. */
static int
subject_name(const struct cer_cert_profile *p, X509_NAME **out)
{
	static const enum cer_attr go[] = { CER_ATTR_COUNTRY, CER_ATTR_ORGANIZATION,
	    CER_ATTR_COMMON_NAME };
	const enum cer_attr *order = p->nsubject_order > 0 ? p->subject_order : go;
	const char *value[CER_ATTR_MAX + 1] = { NULL, p->country, p->organization,
	    p->common_name };
	X509_NAME *n;
	size_t i;
	int r = CER_OK;

	*out = NULL;
	if ((n = X509_NAME_new()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	if (p->org_unit != NULL || p->locality != NULL || p->state != NULL ||
	    p->subject_serial != NULL)
		r = private_subject(p, n);
	else
		for (i = 0; r == CER_OK && i < CER_ATTR_MAX; i++)
			r = cer_profile_add_attr(n, p, order[i], value[order[i]]);
	if (r != CER_OK) {
		X509_NAME_free(n);
		return r;
	}
	*out = n;
	return CER_OK;
}

const char *
cer_profile_subject_text(const struct cer_cert_profile *p, char *buf, size_t len)
{
	X509_NAME *n = NULL;

	buf[0] = '\0';
	if (subject_name(p, &n) == CER_OK)
		cer_profile_name_text(n, buf, len);
	X509_NAME_free(n);
	return buf;
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

/*
 * basicConstraints critical: cA TRUE, with pathLen when pathlen >= 0; or,
 * for pathlen < -1, not a CA (extnValue 3000: cA FALSE is the DEFAULT).
 */
#define CER_NOT_A_CA (-2)
static int
add_ca_constraints(X509 *x, long pathlen)
{
	BASIC_CONSTRAINTS *bc;
	int ok;

	if ((bc = BASIC_CONSTRAINTS_new()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	bc->ca = pathlen == CER_NOT_A_CA ? 0 : 0xff;
	ok = pathlen < 0 || ((bc->pathlen = ASN1_INTEGER_new()) != NULL &&
	    ASN1_INTEGER_set(bc->pathlen, pathlen) == 1);
	ok = ok && X509_add1_ext_i2d(x, NID_basic_constraints, bc, 1, X509V3_ADD_DEFAULT) == 1;
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

/* The SKI the profile gives x's key: by its method, or the octets written; *len 0: none. */
static int
profile_ski(const struct cer_cert_profile *p, const X509 *x, unsigned char ski[static CER_SKI_MAX],
    size_t *len)
{
	if (p->ski != CER_SKI_VALUE)
		return cer_profile_ski(X509_get_X509_PUBKEY(x), p->ski, ski, len);
	memcpy(ski, p->ski_value, p->ski_value_len);
	*len = p->ski_value_len;
	return CER_OK;
}

/* The subjectKeyIdentifier, unless len is 0 (subject-key-id: none). */
static int
add_ski(X509 *x, const unsigned char *ski, size_t len)
{
	ASN1_OCTET_STRING *os;
	int ok;

	if (len == 0)
		return CER_OK;
	ok = (os = ASN1_OCTET_STRING_new()) != NULL &&
	    ASN1_OCTET_STRING_set(os, ski, (int)len) == 1 &&
	    X509_add1_ext_i2d(x, NID_subject_key_identifier, os, 0, X509V3_ADD_DEFAULT) == 1;
	ASN1_OCTET_STRING_free(os);
	return ok ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot add the subject key identifier");
}

/*
 * The authorityKeyIdentifier in the profile's form: keyIdentifier, and for
 * key-id-issuer-serial the issuer certificate's own issuer name and serial
 * number too (RFC 5280 4.2.1.1), as OpenSSL's "keyid,issuer" writes it.
 */
static int
add_aki(X509 *x, enum cer_aki_form form, const ASN1_OCTET_STRING *keyid,
    const X509_NAME *issuer_issuer, const ASN1_INTEGER *issuer_serial)
{
	AUTHORITY_KEYID *akid;
	GENERAL_NAME *gn = NULL;
	int ok;

	if (form == CER_AKI_NONE)
		return CER_OK;
	if (keyid == NULL || keyid->length == 0)
		return cer_fail(CER_ERR_VERIFY, "the issuer has no subject key identifier for "
		    "the authority key identifier to name");
	if ((akid = AUTHORITY_KEYID_new()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	ok = (akid->keyid = ASN1_OCTET_STRING_dup(keyid)) != NULL;
	if (ok && form == CER_AKI_KEYID_ISSUER_SERIAL) {
		ok = (akid->issuer = GENERAL_NAMES_new()) != NULL &&
		    (akid->serial = ASN1_INTEGER_dup(issuer_serial)) != NULL &&
		    (gn = GENERAL_NAME_new()) != NULL &&
		    (gn->d.directoryName = X509_NAME_dup(issuer_issuer)) != NULL;
		if (ok) {
			gn->type = GEN_DIRNAME;
			ok = sk_GENERAL_NAME_push(akid->issuer, gn) > 0;
		}
		if (ok)
			gn = NULL; /* transferred */
	}
	ok = ok && X509_add1_ext_i2d(x, NID_authority_key_identifier, akid, 0,
	    X509V3_ADD_DEFAULT) == 1;
	GENERAL_NAME_free(gn);
	AUTHORITY_KEYID_free(akid);
	return ok ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot add the authority key identifier");
}

/* Each extension's NID, by enum cer_ext. */
static const int ext_nids[CER_EXT_MAX + 1] = { NID_undef, NID_key_usage, NID_ext_key_usage,
    NID_basic_constraints, NID_subject_key_identifier, NID_authority_key_identifier,
    NID_info_access, NID_certificate_policies, NID_name_constraints,
    NID_crl_distribution_points, NID_id_pkix_OCSP_noCheck };

enum cer_ext
cer_profile_ext_of(X509_EXTENSION *e)
{
	int nid = OBJ_obj2nid(X509_EXTENSION_get_object(e)), i;

	for (i = 1; i <= CER_EXT_MAX; i++)
		if (ext_nids[i] == nid)
			return (enum cer_ext)i;
	return (enum cer_ext)0;
}

/* critical-extensions: exactly the ones it names are critical; it names only ones x carries. */
static int
set_critical(X509 *x, const struct cer_cert_profile *p, unsigned carried)
{
	int i, e;

	for (e = 1; e <= CER_EXT_MAX; e++)
		if ((p->critical & (1u << e)) && !(carried & (1u << e)))
			return cer_fail(CER_ERR_SCRIPT, "critical-extensions names %s, which "
			    "this certificate does not carry; remove it",
			    cer_certprofile_ext_names[e]);
	for (i = 0; i < X509_get_ext_count(x); i++)
		X509_EXTENSION_set_critical(X509_get_ext(x, i),
		    (p->critical >> cer_profile_ext_of(X509_get_ext(x, i))) & 1);
	return CER_OK;
}

/* extension-order: every extension x carries, each once, and no other. */
static int
check_order(const struct cer_cert_profile *p, unsigned carried)
{
	unsigned listed = 0;
	size_t i;
	int e;

	for (i = 0; i < p->next_order; i++) {
		if (!(carried & (1u << p->ext_order[i])))
			return cer_fail(CER_ERR_SCRIPT, "extension-order lists %s, which this "
			    "certificate does not carry; remove it",
			    cer_certprofile_ext_names[p->ext_order[i]]);
		listed |= 1u << p->ext_order[i];
	}
	for (e = 1; e <= CER_EXT_MAX; e++)
		if ((carried & (1u << e)) && !(listed & (1u << e)))
			return cer_fail(CER_ERR_SCRIPT, "extension-order leaves out %s, which "
			    "this certificate carries; add it", cer_certprofile_ext_names[e]);
	return CER_OK;
}

/* The extensions of x (built in Go's order) in the profile's order and criticality. */
static int
arrange(X509 *x, const struct cer_cert_profile *p)
{
	X509_EXTENSION *ext[CER_EXT_MAX] = { NULL };
	unsigned carried = 0;
	size_t i, n = (size_t)X509_get_ext_count(x);
	int r = CER_OK, k;

	for (k = 0; k < (int)n; k++)
		carried |= 1u << cer_profile_ext_of(X509_get_ext(x, k));
	if (n > CER_EXT_MAX || (carried & 1u))
		return cer_fail(CER_ERR_INTERNAL, "an extension without a name was built");
	if ((p->has_critical && (r = set_critical(x, p, carried)) != CER_OK) ||
	    p->next_order == 0 || (r = check_order(p, carried)) != CER_OK)
		return r;
	for (i = 0; i < n; i++) {
		k = cer_profile_ext_of(X509_get_ext(x, 0));
		ext[k - 1] = X509_delete_ext(x, 0);
	}
	for (i = 0; r == CER_OK && i < p->next_order; i++)
		if (X509_add_ext(x, ext[p->ext_order[i] - 1], -1) != 1)
			r = cer_fail(CER_ERR_OPENSSL, "cannot add an extension");
	for (i = 0; i < CER_EXT_MAX; i++)
		X509_EXTENSION_free(ext[i]);
	return r;
}

/* A private hierarchy's CPS URI as the policy's one qualifier (RFC 5280 4.2.1.4). */
static int
add_cps(POLICYINFO *pi, const char *cps)
{
	POLICYQUALINFO *q;

	if (cps == NULL)
		return 1;
	if ((pi->qualifiers = sk_POLICYQUALINFO_new_null()) == NULL ||
	    (q = POLICYQUALINFO_new()) == NULL)
		return 0;
	q->pqualid = OBJ_nid2obj(NID_id_qt_cps);
	if ((q->d.cpsuri = ASN1_IA5STRING_new()) == NULL ||
	    ASN1_STRING_set(q->d.cpsuri, cps, -1) != 1 ||
	    sk_POLICYQUALINFO_push(pi->qualifiers, q) <= 0) {
		POLICYQUALINFO_free(q);
		return 0;
	}
	return 1;
}

static int
add_policies(X509 *x, const struct cer_cert_profile *p)
{
	CERTIFICATEPOLICIES *cp;
	POLICYINFO *pi;
	size_t i;
	int ok = 1;

	if (p->npolicies == 0)
		return CER_OK;	/* RFC 5280 4.2.1.4: SIZE (1..MAX) */
	if ((cp = sk_POLICYINFO_new_null()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	for (i = 0; ok && i < p->npolicies; i++) {
		ok = (pi = POLICYINFO_new()) != NULL &&
		    (pi->policyid = OBJ_txt2obj(p->policies[i].oid, 1)) != NULL &&
		    add_cps(pi, p->policies[i].cps);
		if (pi != NULL && (!ok || sk_POLICYINFO_push(cp, pi) <= 0)) {
			POLICYINFO_free(pi);
			ok = 0;
		}
	}
	ok = ok && X509_add1_ext_i2d(x, NID_certificate_policies, cp, 0,
	    X509V3_ADD_DEFAULT) == 1;
	sk_POLICYINFO_pop_free(cp, POLICYINFO_free);
	return ok ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot add certificatePolicies");
}

/*
 * A root's pathLenConstraint: none unless a private hierarchy's profile
 * writes path-length (a public root's never does: BR 7.1.2.1.4).
 */
static long
root_pathlen(const struct cer_cert_profile *p)
{
	return p->path_length_pos.line != 0 && !p->no_path_length ? (long)p->path_length : -1;
}

/*
 * Extensions in the order of Go's crypto/x509 (x509.go buildCertExtensions):
 * KU, EKU, BC, SKI, AKI, AIA, (SAN), CP, NC, CRL DP, then ExtraExtensions;
 * extension-order and critical-extensions rearrange them.
 */
int
cer_profile_root(const struct cer_cert_profile *p, EVP_PKEY *pub,
    const unsigned char *serial, size_t serial_len, int with_aki, X509 **out)
{
	enum cer_aki_form aki = p->aki != CER_AKI_DEFAULT ? p->aki :
	    with_aki ? CER_AKI_KEYID : CER_AKI_NONE;
	unsigned char ski[CER_SKI_MAX];
	ASN1_OCTET_STRING *keyid = NULL;
	X509_NAME *subject = NULL;
	X509 *x = NULL;
	size_t ski_len = 0;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if ((x = X509_new()) == NULL || (keyid = ASN1_OCTET_STRING_new()) == NULL) {
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
	if ((r = profile_ski(p, x, ski, &ski_len)) != CER_OK)
		goto out;
	if (ASN1_OCTET_STRING_set(keyid, ski, (int)ski_len) != 1) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot copy the key identifier");
		goto out;
	}
	/* self-signed: the AKI names the certificate itself */
	if ((r = add_key_usage(x, p->key_usages)) != CER_OK ||
	    (r = add_ca_constraints(x, root_pathlen(p))) != CER_OK ||
	    (r = add_ski(x, ski, ski_len)) != CER_OK ||
	    (r = add_aki(x, aki, keyid, subject, X509_get0_serialNumber(x))) != CER_OK ||
	    (r = add_policies(x, p)) != CER_OK ||
	    (r = arrange(x, p)) != CER_OK)
		goto out;
	*out = x;
	x = NULL; /* transferred */
	r = CER_OK;
 out:
	ASN1_OCTET_STRING_free(keyid);
	X509_NAME_free(subject);
	X509_free(x);
	return r;
}

/* ---- certificates a signing step issues ---- */

static int
add_eku(X509 *x, const int *nids, size_t n)
{
	EXTENDED_KEY_USAGE *eku;
	size_t i;
	int ok;

	if ((eku = sk_ASN1_OBJECT_new_null()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	for (ok = 1, i = 0; ok && i < n; i++)
		ok = sk_ASN1_OBJECT_push(eku, OBJ_nid2obj(nids[i])) > 0;
	ok = ok && X509_add1_ext_i2d(x, NID_ext_key_usage, eku, 0, X509V3_ADD_DEFAULT) == 1;
	sk_ASN1_OBJECT_free(eku);	/* the objects are OpenSSL's static ones */
	return ok ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot add extKeyUsage");
}

static GENERAL_NAME *
uri_name(const char *url)
{
	GENERAL_NAME *gn;
	ASN1_IA5STRING *s;

	if ((s = ASN1_IA5STRING_new()) == NULL || ASN1_STRING_set(s, url, -1) != 1 ||
	    (gn = GENERAL_NAME_new()) == NULL) {
		ASN1_IA5STRING_free(s);
		return NULL;
	}
	GENERAL_NAME_set0_value(gn, GEN_URI, s);
	return gn;
}

/* One DistributionPoint with fullName = the CRL URL (BR 7.1.2.11.2). */
static int
add_crl_dp(X509 *x, const char *url)
{
	CRL_DIST_POINTS *dps = NULL;
	DIST_POINT *dp = NULL;
	GENERAL_NAME *gn = NULL;
	int ok;

	if (url == NULL)
		return CER_OK;	/* not in this profile */
	ok = (dps = sk_DIST_POINT_new_null()) != NULL && (dp = DIST_POINT_new()) != NULL &&
	    (dp->distpoint = DIST_POINT_NAME_new()) != NULL &&
	    (dp->distpoint->name.fullname = GENERAL_NAMES_new()) != NULL &&
	    (gn = uri_name(url)) != NULL &&
	    sk_GENERAL_NAME_push(dp->distpoint->name.fullname, gn) > 0;
	if (ok) {
		gn = NULL; /* transferred */
		dp->distpoint->type = 0;	/* the CHOICE is fullName */
	}
	ok = ok && sk_DIST_POINT_push(dps, dp) > 0;
	if (ok)
		dp = NULL; /* transferred */
	ok = ok && X509_add1_ext_i2d(x, NID_crl_distribution_points, dps, 0,
	    X509V3_ADD_DEFAULT) == 1;
	GENERAL_NAME_free(gn);
	DIST_POINT_free(dp);
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	return ok ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot add cRLDistributionPoints");
}

static int
push_access(AUTHORITY_INFO_ACCESS *aia, int nid, const char *url)
{
	ACCESS_DESCRIPTION *ad;

	if (url == NULL)
		return 1;
	if ((ad = ACCESS_DESCRIPTION_new()) == NULL)
		return 0;
	GENERAL_NAME_free(ad->location);
	ad->method = OBJ_nid2obj(nid);
	if ((ad->location = uri_name(url)) == NULL || sk_ACCESS_DESCRIPTION_push(aia, ad) <= 0) {
		ACCESS_DESCRIPTION_free(ad);
		return 0;
	}
	return 1;
}

/* AIA: OCSP then caIssuers, each one HTTP URI (BR 7.1.2.10.3). */
static int
add_aia(X509 *x, const char *ocsp, const char *ca_issuers)
{
	AUTHORITY_INFO_ACCESS *aia;
	int ok;

	if (ocsp == NULL && ca_issuers == NULL)
		return CER_OK;
	if ((aia = sk_ACCESS_DESCRIPTION_new_null()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	ok = push_access(aia, NID_ad_OCSP, ocsp) && push_access(aia, NID_ad_ca_issuers, ca_issuers) &&
	    X509_add1_ext_i2d(x, NID_info_access, aia, 0, X509V3_ADD_DEFAULT) == 1;
	sk_ACCESS_DESCRIPTION_pop_free(aia, ACCESS_DESCRIPTION_free);
	return ok ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot add authorityInfoAccess");
}

/* id-pkix-ocsp-nocheck, NULL: extnValue 0500 (BR 7.1.2.8.6). */
static int
add_nocheck(X509 *x)
{
	ASN1_NULL *null;
	int ok;

	if ((null = ASN1_NULL_new()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	ok = X509_add1_ext_i2d(x, NID_id_pkix_OCSP_noCheck, null, 0, X509V3_ADD_DEFAULT) == 1;
	ASN1_NULL_free(null);
	return ok ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot add id-pkix-ocsp-nocheck");
}

/* The existing certificate's EKU, copied as it is (crossing an intermediate). */
static int
copy_ext(X509 *x, X509 *from, int nid)
{
	int i = X509_get_ext_by_NID(from, nid, -1);

	if (i < 0)
		return CER_OK;
	return X509_add_ext(x, X509_get_ext(from, i), -1) == 1 ? CER_OK :
	    cer_fail(CER_ERR_OPENSSL, "cannot copy an extension");
}

/* A private hierarchy's ekus list, in order; none: no extKeyUsage (RFC 5280 4.2.1.12). */
static int
private_eku(X509 *x, const struct cer_strlist *oids)
{
	EXTENDED_KEY_USAGE *eku;
	ASN1_OBJECT *o;
	size_t i;
	int ok;

	if (oids->n == 0)
		return CER_OK;
	if ((eku = sk_ASN1_OBJECT_new_null()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	for (ok = 1, i = 0; ok && i < oids->n; i++)
		if (!(ok = (o = OBJ_txt2obj(oids->v[i], 1)) != NULL &&
		    sk_ASN1_OBJECT_push(eku, o) > 0))
			ASN1_OBJECT_free(o);
	ok = ok && X509_add1_ext_i2d(x, NID_ext_key_usage, eku, 0, X509V3_ADD_DEFAULT) == 1;
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	return ok ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot add extKeyUsage");
}

/* serverAuth, or the ekus list in its order ('both': serverAuth then clientAuth). */
static int
subca_eku(X509 *x, const struct cer_cert_profile *p, X509 *existing)
{
	static const int server[] = { NID_server_auth };
	static const int both[] = { NID_server_auth, NID_client_auth };
	int crossing_root = existing != NULL &&
	    X509_NAME_cmp(X509_get_subject_name(existing), X509_get_issuer_name(existing)) == 0;
	int list[2];
	size_t i;

	if (existing != NULL && !crossing_root)
		return copy_ext(x, existing, NID_ext_key_usage);
	/* private: what the script lists, nothing when unset; server and both as for TLS */
	if (p->private_set && p->ekus != CER_EKUS_SERVER && p->ekus != CER_EKUS_BOTH)
		return private_eku(x, &p->eku_oids);
	for (i = 0; i < p->neku_list; i++)
		list[i] = p->eku_list[i] == CER_EKU_CLIENT ? NID_client_auth : NID_server_auth;
	if (p->neku_list > 0)
		return add_eku(x, list, p->neku_list);
	if (p->ekus == CER_EKUS_BOTH)
		return add_eku(x, both, 2);
	return add_eku(x, server, 1);
}

/*
 * SKI: the existing certificate's (a cross-certificate), else by the
 * profile; AKI: the issuer's SKI, in the profile's form.
 */
static int
key_ids(X509 *x, const struct cer_cert_profile *p, X509 *issuer, X509 *existing)
{
	const ASN1_OCTET_STRING *eski = existing != NULL ?
	    X509_get0_subject_key_id(existing) : NULL;
	unsigned char ski[CER_SKI_MAX];
	size_t len = 0;
	int r;

	if (existing != NULL) {
		if (eski == NULL || eski->length <= 0 || eski->length > CER_SKI_MAX)
			return cer_fail(CER_ERR_VERIFY, "the certificate being cross-signed has "
			    "no subject key identifier to copy");
		memcpy(ski, eski->data, (size_t)eski->length);
		len = (size_t)eski->length;
	} else if ((r = profile_ski(p, x, ski, &len)) != CER_OK) {
		return r;
	}
	if ((r = add_ski(x, ski, len)) != CER_OK)
		return r;
	return add_aki(x, p->aki, X509_get0_subject_key_id(issuer),
	    X509_get_issuer_name(issuer), X509_get0_serialNumber(issuer));
}

/* In Go's order (see cer_profile_root); directoryName subtrees follow the IP ones. */
static int
issued_extensions(X509 *x, enum cer_cert_kind kind, const struct cer_cert_profile *p,
    X509 *issuer, X509 *existing)
{
	static const int ocsp_signing[] = { NID_OCSP_sign };
	int ocsp = kind == CER_CERT_OCSP_RESPONDER;
	long pathlen = ocsp ? CER_NOT_A_CA : kind == CER_CERT_CROSS ?
	    X509_get_pathlen(existing) : p->no_path_length ? -1 : (long)p->path_length;
	int r;

	if ((r = add_key_usage(x, ocsp ? CER_KU_DIGITAL_SIGNATURE : p->key_usages)) != CER_OK ||
	    (r = ocsp ? add_eku(x, ocsp_signing, 1) : subca_eku(x, p, existing)) != CER_OK ||
	    (r = add_ca_constraints(x, pathlen)) != CER_OK ||
	    (r = key_ids(x, p, issuer, existing)) != CER_OK)
		return r;
	/* No AIA (BR 7.1.2.8.3); nocheck is one of Boulder's ExtraExtensions: last. */
	if (ocsp)
		return add_nocheck(x);
	if ((r = add_aia(x, p->ocsp_url, p->issuer_url)) != CER_OK ||
	    (r = add_policies(x, p)) != CER_OK ||
	    (r = cer_profile_name_constraints(x, p)) != CER_OK)
		return r;
	return add_crl_dp(x, p->crl_url);
}

int
cer_profile_issued(enum cer_cert_kind kind, const struct cer_cert_profile *p,
    EVP_PKEY *pub, X509 *issuer, X509 *existing, const unsigned char *serial,
    size_t serial_len, X509 **out)
{
	X509_NAME *subject = NULL;
	X509 *x = NULL;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if ((x = X509_new()) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	if (kind == CER_CERT_CROSS) {
		/* BR 7.1.2.2.2: the existing subject, byte for byte */
		if ((subject = X509_NAME_dup(X509_get_subject_name(existing))) == NULL) {
			r = cer_fail(CER_ERR_OPENSSL, "cannot copy the subject");
			goto out;
		}
	} else if ((r = subject_name(p, &subject)) != CER_OK) {
		goto out;
	}
	if ((r = set_common(x, p, pub, serial, serial_len, subject)) != CER_OK)
		goto out;
	if (X509_set_issuer_name(x, X509_get_subject_name(issuer)) != 1) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot set the issuer name");
		goto out;
	}
	if ((r = issued_extensions(x, kind, p, issuer, existing)) != CER_OK ||
	    (r = arrange(x, p)) != CER_OK)
		goto out;
	*out = x;
	x = NULL; /* transferred */
	r = CER_OK;
 out:
	X509_NAME_free(subject);
	X509_free(x);
	return r;
}

int
cer_profile_csr(const struct cer_cert_profile *p, EVP_PKEY *pub, X509_REQ **out)
{
	X509_NAME *subject = NULL;
	X509_REQ *req = NULL;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if ((r = subject_name(p, &subject)) != CER_OK)
		goto out;
	if ((req = X509_REQ_new()) == NULL || X509_REQ_set_version(req, X509_REQ_VERSION_1) != 1 ||
	    X509_REQ_set_subject_name(req, subject) != 1 || X509_REQ_set_pubkey(req, pub) != 1) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot build the CSR");
		goto out;
	}
	*out = req;
	req = NULL; /* transferred */
	r = CER_OK;
 out:
	X509_NAME_free(subject);
	X509_REQ_free(req);
	return r;
}

