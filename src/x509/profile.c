/* profile.c: certificate profiles as OpenSSL objects; summaries. */
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "x509/profile.h"
#include "base/util.h"

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

/*
 * The string type Go's encoding/asn1 gives a Name attribute, as in Boulder's
 * names (marshal.go makeField, asn1.go isPrintable): PrintableString when
 * every character is in its X.680 alphabet (no '*' or '&'), else UTF8String.
 * BR 7.1.4.2 allows both; a country code is always a PrintableString.
 */
static int
go_string_type(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr(" '()+,-./:=?", *s) != NULL))
			return V_ASN1_UTF8STRING;
	return V_ASN1_PRINTABLESTRING;
}

/* One RDN of one attribute, appended; a NULL value adds nothing. */
static int
add_attr(X509_NAME *n, int nid, const char *value)
{
	return value == NULL || X509_NAME_add_entry_by_NID(n, nid, go_string_type(value),
	    (const unsigned char *)value, -1, -1, 0) == 1;
}

/* C, O, CN: the order of BR 7.1.4.2 and of Go's pkix.Name.ToRDNSequence. */
static int
subject_name(const struct cer_cert_profile *p, X509_NAME **out)
{
	X509_NAME *n;

	*out = NULL;
	if ((n = X509_NAME_new()) == NULL || !add_attr(n, NID_countryName, p->country) ||
	    !add_attr(n, NID_organizationName, p->organization) ||
	    !add_attr(n, NID_commonName, p->common_name)) {
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

/* SKI, then (aki not NULL) AKI with keyIdentifier alone. */
static int
add_key_ids(X509 *x, const unsigned char ski[static CER_SKI_LEN], const unsigned char *aki)
{
	ASN1_OCTET_STRING *os = NULL;
	AUTHORITY_KEYID *akid = NULL;
	int ok;

	ok = (os = ASN1_OCTET_STRING_new()) != NULL &&
	    ASN1_OCTET_STRING_set(os, ski, CER_SKI_LEN) == 1 &&
	    X509_add1_ext_i2d(x, NID_subject_key_identifier, os, 0, X509V3_ADD_DEFAULT) == 1;
	ok = ok && (aki == NULL || ((akid = AUTHORITY_KEYID_new()) != NULL &&
	    (akid->keyid = ASN1_OCTET_STRING_new()) != NULL &&
	    ASN1_OCTET_STRING_set(akid->keyid, aki, CER_SKI_LEN) == 1 &&
	    X509_add1_ext_i2d(x, NID_authority_key_identifier, akid, 0, X509V3_ADD_DEFAULT) == 1));
	ASN1_OCTET_STRING_free(os);
	AUTHORITY_KEYID_free(akid);
	return ok ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot add the key identifiers");
}

/*
 * Extensions in the order of Go's crypto/x509 (x509.go buildCertExtensions):
 * KU, EKU, BC, SKI, AKI, AIA, (SAN), CP, NC, CRL DP, then ExtraExtensions.
 */
int
cer_profile_root(const struct cer_cert_profile *p, EVP_PKEY *pub,
    const unsigned char *serial, size_t serial_len, int with_aki, X509 **out)
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
	    (r = add_ca_constraints(x, -1)) != CER_OK ||
	    (r = add_key_ids(x, ski, with_aki ? ski : NULL)) != CER_OK)
		goto out;
	*out = x;
	x = NULL; /* transferred */
	r = CER_OK;
 out:
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
		    (pi->policyid = OBJ_txt2obj(p->policies[i].oid, 1)) != NULL;
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

static int
subca_eku(X509 *x, const struct cer_cert_profile *p, X509 *existing)
{
	static const int server[] = { NID_server_auth };
	static const int both[] = { NID_server_auth, NID_client_auth };
	int crossing_root = existing != NULL &&
	    X509_NAME_cmp(X509_get_subject_name(existing), X509_get_issuer_name(existing)) == 0;

	if (existing != NULL && !crossing_root)
		return copy_ext(x, existing, NID_ext_key_usage);
	if (p->ekus == CER_EKUS_BOTH)
		return add_eku(x, both, 2);
	return add_eku(x, server, 1);
}

static int
key_ids(X509 *x, EVP_PKEY *pub, X509 *issuer, X509 *existing)
{
	const ASN1_OCTET_STRING *aki = X509_get0_subject_key_id(issuer);
	const ASN1_OCTET_STRING *eski = existing != NULL ?
	    X509_get0_subject_key_id(existing) : NULL;
	unsigned char ski[CER_SKI_LEN];
	int r;

	if (aki == NULL || aki->length != CER_SKI_LEN)
		return cer_fail(CER_ERR_VERIFY, "the issuer certificate has no 20-byte subject "
		    "key identifier for the AKI");
	if (existing != NULL) {
		if (eski == NULL || eski->length != CER_SKI_LEN)
			return cer_fail(CER_ERR_VERIFY, "the certificate being cross-signed has "
			    "no 20-byte subject key identifier to copy");
		memcpy(ski, eski->data, CER_SKI_LEN);
	} else if ((r = cer_profile_ski(pub, ski)) != CER_OK) {
		return r;
	}
	return add_key_ids(x, ski, aki->data);
}

/* ---- name constraints (BR 7.1.2.5.2) ---- */

static int
push_subtree(STACK_OF(GENERAL_SUBTREE) **sk, int type, void *value)
{
	GENERAL_SUBTREE *st;

	if ((*sk == NULL && (*sk = sk_GENERAL_SUBTREE_new_null()) == NULL) ||
	    (st = GENERAL_SUBTREE_new()) == NULL)
		return 0;
	GENERAL_NAME_set0_value(st->base, type, value);
	if (sk_GENERAL_SUBTREE_push(*sk, st) <= 0) {
		GENERAL_SUBTREE_free(st);
		return 0;
	}
	return 1;
}

static int
push_dns(STACK_OF(GENERAL_SUBTREE) **sk, const char *name)
{
	ASN1_IA5STRING *s = ASN1_IA5STRING_new();

	if (s == NULL || ASN1_STRING_set(s, name, -1) != 1 || !push_subtree(sk, GEN_DNS, s)) {
		ASN1_IA5STRING_free(s);
		return 0;
	}
	return 1;
}

/* An iPAddress subtree: address then mask (RFC 5280 4.2.1.10); n = 4 or 16. */
static int
push_ip_bytes(STACK_OF(GENERAL_SUBTREE) **sk, const unsigned char *addr,
    const unsigned char *mask, size_t n)
{
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	unsigned char b[32];

	memcpy(b, addr, n);
	memcpy(b + n, mask, n);
	if (os == NULL || ASN1_OCTET_STRING_set(os, b, (int)(2 * n)) != 1 ||
	    !push_subtree(sk, GEN_IPADD, os)) {
		ASN1_OCTET_STRING_free(os);
		return 0;
	}
	return 1;
}

static int
push_ip(STACK_OF(GENERAL_SUBTREE) **sk, const char *text)
{
	unsigned char addr[16], mask[16];
	int v6;

	return cer_script_ip_subtree(text, addr, mask, &v6) &&
	    push_ip_bytes(sk, addr, mask, v6 ? 16 : 4);
}

static int
push_dn(STACK_OF(GENERAL_SUBTREE) **sk, const struct cer_dn *d)
{
	X509_NAME *n = X509_NAME_new();

	if (n == NULL || !add_attr(n, NID_countryName, d->country) ||
	    !add_attr(n, NID_organizationName, d->organization) ||
	    !push_subtree(sk, GEN_DIRNAME, n)) {
		X509_NAME_free(n);
		return 0;
	}
	return 1;
}

/* Does any permitted IP subtree have this family? */
static int
has_family(const struct cer_strlist *l, int want_v6)
{
	unsigned char a[16], m[16];
	size_t i;
	int v6;

	for (i = 0; i < l->n; i++)
		if (cer_script_ip_subtree(l->v[i], a, m, &v6) && v6 == want_v6)
			return 1;
	return 0;
}

/*
 * The script's excluded subtrees, each type followed by the exclusion BR 7.1.2.5.2 requires
 * when nothing of it is permitted ("", 0.0.0.0/0, ::/0): DNS then IP, as Go writes them.
 */
static int
excluded(STACK_OF(GENERAL_SUBTREE) **ex, const struct cer_name_constraints *nc)
{
	static const unsigned char zero[16];
	size_t i;
	int ok = 1;

	for (i = 0; ok && i < nc->excluded_dns.n; i++)
		ok = push_dns(ex, nc->excluded_dns.v[i]);
	ok = ok && (nc->permitted_dns.n > 0 || push_dns(ex, ""));
	for (i = 0; ok && i < nc->excluded_ip.n; i++)
		ok = push_ip(ex, nc->excluded_ip.v[i]);
	return ok && (has_family(&nc->permitted_ip, 0) || push_ip_bytes(ex, zero, zero, 4)) &&
	    (has_family(&nc->permitted_ip, 1) || push_ip_bytes(ex, zero, zero, 16));
}

static int
add_name_constraints(X509 *x, const struct cer_name_constraints *nc)
{
	NAME_CONSTRAINTS *c;
	size_t i;
	int ok = 1;

	if (!nc->present)
		return CER_OK;
	if ((c = NAME_CONSTRAINTS_new()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	for (i = 0; ok && i < nc->permitted_dns.n; i++)
		ok = push_dns(&c->permittedSubtrees, nc->permitted_dns.v[i]);
	for (i = 0; ok && i < nc->permitted_ip.n; i++)
		ok = push_ip(&c->permittedSubtrees, nc->permitted_ip.v[i]);
	for (i = 0; ok && i < nc->npermitted_dn; i++)
		ok = push_dn(&c->permittedSubtrees, &nc->permitted_dn[i]);
	ok = ok && excluded(&c->excludedSubtrees, nc) &&
	    X509_add1_ext_i2d(x, NID_name_constraints, c, 1, X509V3_ADD_DEFAULT) == 1;
	NAME_CONSTRAINTS_free(c);
	return ok ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot add nameConstraints");
}

/* In Go's order (see cer_profile_root); directoryName subtrees follow the IP ones. */
static int
issued_extensions(X509 *x, enum cer_cert_kind kind, const struct cer_cert_profile *p,
    EVP_PKEY *pub, X509 *issuer, X509 *existing)
{
	static const int ocsp_signing[] = { NID_OCSP_sign };
	int ocsp = kind == CER_CERT_OCSP_RESPONDER;
	long pathlen = ocsp ? CER_NOT_A_CA : kind == CER_CERT_CROSS ?
	    X509_get_pathlen(existing) : (long)p->path_length;
	int r;

	if ((r = add_key_usage(x, ocsp ? CER_KU_DIGITAL_SIGNATURE : p->key_usages)) != CER_OK ||
	    (r = ocsp ? add_eku(x, ocsp_signing, 1) : subca_eku(x, p, existing)) != CER_OK ||
	    (r = add_ca_constraints(x, pathlen)) != CER_OK ||
	    (r = key_ids(x, pub, issuer, existing)) != CER_OK)
		return r;
	/* No AIA (BR 7.1.2.8.3); nocheck is one of Boulder's ExtraExtensions: last. */
	if (ocsp)
		return add_nocheck(x);
	if ((r = add_aia(x, p->ocsp_url, p->issuer_url)) != CER_OK ||
	    (r = add_policies(x, p)) != CER_OK ||
	    (r = add_name_constraints(x, &p->nc)) != CER_OK)
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
	if ((r = issued_extensions(x, kind, p, pub, issuer, existing)) != CER_OK)
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
