/* describe.c: a certificate read back into a native profile, proven by building it again. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "script/certprofile.h"
#include "x509/describe.h"
#include "x509/profile.h"
#include "x509/sign.h"

/* What the extensions said that picks the step type. */
struct seen {
	int ca, ocsp_signing, nocheck;
};

/* One thing the profile cannot say, as one line. */
__attribute__((__format__(__printf__, 2, 3)))
static int
cannot(struct cer_description *d, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return cer_certdiff_add(&d->cannot, "%s", line);
}

/* ---- the subject, validity, serial, algorithm, key ---- */

static int
attr_of(int nid)
{
	return nid == NID_countryName ? CER_ATTR_COUNTRY : nid == NID_organizationName ?
	    CER_ATTR_ORGANIZATION : nid == NID_commonName ? CER_ATTR_COMMON_NAME : 0;
}

/* C, O and CN, each once in an RDN of its own, as printable or UTF-8 strings, in any order. */
static int
subject(X509 *x, struct cer_description *d)
{
	struct cer_cert_profile *p = &d->profile;
	X509_NAME *n = X509_get_subject_name(x);
	char **field[CER_ATTR_MAX + 1] = { NULL, &p->country, &p->organization, &p->common_name };
	const X509_NAME_ENTRY *e;
	const ASN1_STRING *v;
	char obj[80];
	int i, a, r = CER_OK;

	for (i = 0; r == CER_OK && i < X509_NAME_entry_count(n); i++) {
		e = X509_NAME_get_entry(n, i);
		v = X509_NAME_ENTRY_get_data(e);
		cer_certdiff_obj_name(X509_NAME_ENTRY_get_object(e), obj, sizeof(obj));
		a = attr_of(OBJ_obj2nid(X509_NAME_ENTRY_get_object(e)));
		if (a == 0)
			r = cannot(d, "subject attribute %s: a profile writes country, "
			    "organization and common-name only", obj);
		else if (X509_NAME_ENTRY_set(e) != i)
			r = cannot(d, "subject attribute %s: in one RDN with another (a "
			    "profile writes one attribute per RDN)", obj);
		else if (*field[a] != NULL)
			r = cannot(d, "subject attribute %s: twice", obj);
		else if ((v->type != V_ASN1_PRINTABLESTRING && v->type != V_ASN1_UTF8STRING) ||
		    memchr(v->data, '\0', (size_t)v->length) != NULL)
			r = cannot(d, "subject attribute %s: not a PrintableString or "
			    "UTF8String (the types a profile writes)", obj);
		else if ((*field[a] = strndup((const char *)v->data, (size_t)v->length)) == NULL)
			r = cer_fail(CER_ERR_ALLOC, "out of memory");
		else {
			p->string_types[a] = v->type == V_ASN1_UTF8STRING ? CER_STR_UTF8 :
			    CER_STR_PRINTABLE;
			p->subject_order[p->nsubject_order++] = (enum cer_attr)a;
		}
	}
	for (a = 1; r == CER_OK && a <= CER_ATTR_MAX; a++)
		if (*field[a] == NULL && (r = cannot(d, "subject: no %s, which a profile "
		    "requires", cer_certprofile_attr_names[a])) == CER_OK &&
		    (*field[a] = strdup("")) == NULL)
			r = cer_fail(CER_ERR_ALLOC, "out of memory");
	return r;
}

static time_t
when(const ASN1_TIME *t)
{
	struct tm tm;

	return ASN1_TIME_to_tm(t, &tm) == 1 ? timegm(&tm) : 0;
}

/* The serial's octets (a profile pins 1 to 2^159 - 1). */
static int
serial(X509 *x, struct cer_description *d)
{
	struct cer_cert_profile *p = &d->profile;
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	int n = bn != NULL && !BN_is_negative(bn) && !BN_is_zero(bn) ? BN_num_bytes(bn) : 0;

	if (n > 0 && (n < 20 || (n == 20 && !BN_is_bit_set(bn, 159))))
		p->serial_len = (size_t)BN_bn2bin(bn, p->serial);
	BN_free(bn);
	if (p->serial_len == 0)
		return cannot(d, "serial: a profile pins a positive serial below 2^159 "
		    "(BR 7.1.2.1)");
	return CER_OK;
}

/* The signature algorithm by its OID and (RSA-PSS) hash; the rebuild checks the rest. */
static int
algorithm(X509 *x, struct cer_description *d)
{
	const char *const *names = cer_alg_sigalg_names();
	const struct cer_sigalg_info *sc;
	const ASN1_OBJECT *o;
	char oid[80];
	int i, md = NID_undef;

	X509_ALGOR_get0(&o, NULL, NULL, X509_get0_tbs_sigalg(x));
	OBJ_obj2txt(oid, sizeof(oid), o, 1);
	X509_get_signature_info(x, &md, NULL, NULL, NULL);
	ERR_clear_error();
	for (i = 1; names[i] != NULL; i++) {
		sc = cer_alg_sigalg((enum cer_sigalg)i);
		if (sc != NULL && strcmp(sc->oid, oid) == 0 &&
		    (sc->digest == NULL || OBJ_sn2nid(sc->digest) == md)) {
			d->profile.sigalg = sc->alg;
			return CER_OK;
		}
	}
	return cannot(d, "signature algorithm %s: not one a profile names", oid);
}

/* The key as a key block (a root's), and whether the hierarchy must be private. */
static int
key(X509 *x, struct cer_description *d)
{
	EVP_PKEY *k = X509_get0_pubkey(x);
	char group[64] = "", text[160];	/* type name, bits and group */
	int bits = EVP_PKEY_get_bits(k);

	d->key.present = 1;
	if (EVP_PKEY_is_a(k, "RSA")) {
		d->key.type = CER_KEY_RSA;
		d->key.rsa_bits = (unsigned)bits;
		if (bits == 2048 || bits == 3072 || bits == 4096)
			return CER_OK;
	} else if (EVP_PKEY_is_a(k, "EC")) {
		d->key.type = CER_KEY_EC;
		EVP_PKEY_get_utf8_string_param(k, "group", group, sizeof(group), NULL);
		if ((d->key.curve = cer_alg_curve_by_group(group)) != CER_CURVE_NONE)
			return CER_OK;
	} else if (EVP_PKEY_is_a(k, "ED25519")) {
		d->key.type = CER_KEY_ED25519;
		return CER_OK;
	}
	snprintf(text, sizeof(text), "%s %d %s", EVP_PKEY_get0_type_name(k), bits, group);
	return cannot(d, "key %s: a key block makes RSA 2048, 3072 or 4096, ECDSA P-256, "
	    "P-384 or P-521, or Ed25519", text);
}

/* ---- the extensions ---- */

static int
key_usage(X509_EXTENSION *e, struct cer_description *d)
{
	ASN1_BIT_STRING *ku = X509V3_EXT_d2i(e);
	int bit, r = CER_OK;

	d->profile.has_key_usages = 1;
	for (bit = 0; ku != NULL && r == CER_OK && bit < ku->length * 8; bit++) {
		if (!ASN1_BIT_STRING_get_bit(ku, bit))
			continue;
		if (bit == 0)
			d->profile.key_usages |= CER_KU_DIGITAL_SIGNATURE;
		else if (bit == 5)
			d->profile.key_usages |= CER_KU_CERT_SIGN;
		else if (bit == 6)
			d->profile.key_usages |= CER_KU_CRL_SIGN;
		else
			r = cannot(d, "keyUsage bit %d: a profile writes Digital Signature, "
			    "Cert Sign and CRL Sign only", bit);
	}
	ASN1_BIT_STRING_free(ku);
	return r;
}

static int
ext_key_usage(X509_EXTENSION *e, struct cer_description *d, struct seen *s)
{
	EXTENDED_KEY_USAGE *eku = X509V3_EXT_d2i(e);
	int i, n = eku != NULL ? sk_ASN1_OBJECT_num(eku) : 0, nid, r = CER_OK;
	char oid[80];

	for (i = 0; r == CER_OK && i < n; i++) {
		nid = OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i));
		if (nid == NID_OCSP_sign && n == 1)
			s->ocsp_signing = 1;
		else if ((nid == NID_server_auth || nid == NID_client_auth) &&
		    d->profile.neku_list < 2)
			d->profile.eku_list[d->profile.neku_list++] = nid == NID_server_auth ?
			    CER_EKU_SERVER : CER_EKU_CLIENT;
		else {
			cer_certdiff_obj_name(sk_ASN1_OBJECT_value(eku, i), oid, sizeof(oid));
			r = cannot(d, "extendedKeyUsage %s: a profile writes serverAuth and "
			    "clientAuth (a CA), or OCSPSigning alone (an OCSP responder)", oid);
		}
	}
	d->profile.ekus = d->profile.neku_list == 2 ? CER_EKUS_BOTH : CER_EKUS_SERVER;
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	return r;
}

static int
basic_constraints(X509_EXTENSION *e, struct cer_description *d, struct seen *s)
{
	BASIC_CONSTRAINTS *bc = X509V3_EXT_d2i(e);
	long len = bc != NULL && bc->pathlen != NULL ? ASN1_INTEGER_get(bc->pathlen) : -1;

	s->ca = bc != NULL && bc->ca;
	if (bc != NULL && bc->pathlen == NULL)
		d->profile.no_path_length = 1;
	else if (len >= 0 && len <= 16)
		d->profile.path_length = (unsigned long)len;
	BASIC_CONSTRAINTS_free(bc);
	if (bc == NULL || (s->ca && !d->profile.no_path_length && (len < 0 || len > 16)))
		return cannot(d, "basicConstraints: a profile writes a pathLen from 0 to 16");
	return CER_OK;
}

/* The method that gives this SKI from the key, or its octets. */
static int
subject_key_id(X509 *x, X509_EXTENSION *e, struct cer_description *d)
{
	ASN1_OCTET_STRING *ski = X509V3_EXT_d2i(e);
	unsigned char v[CER_SKI_MAX];
	size_t len;
	int m, r = CER_OK;

	for (m = CER_SKI_RFC7093_1; ski != NULL && m <= CER_SKI_RFC5280_2; m++)
		if ((r = cer_profile_ski(X509_get_X509_PUBKEY(x), (enum cer_ski_method)m, v,
		    &len)) != CER_OK || ((int)len == ski->length && memcmp(v, ski->data, len) == 0))
			break;
	d->profile.ski = (enum cer_ski_method)m;
	if (r == CER_OK && ski != NULL && m > CER_SKI_RFC5280_2) {
		if (ski->length <= 0 || ski->length > CER_SKI_VALUE_MAX)
			r = cannot(d, "subjectKeyIdentifier: a profile writes 1 to 64 octets");
		else {
			d->profile.ski = CER_SKI_VALUE;
			memcpy(d->profile.ski_value, ski->data, (size_t)ski->length);
			d->profile.ski_value_len = (size_t)ski->length;
		}
	}
	ASN1_OCTET_STRING_free(ski);
	return r;
}

static int
authority_key_id(X509_EXTENSION *e, struct cer_description *d)
{
	AUTHORITY_KEYID *akid = X509V3_EXT_d2i(e);
	int r = CER_OK;

	if (akid != NULL && akid->keyid != NULL && akid->issuer == NULL && akid->serial == NULL)
		d->profile.aki = CER_AKI_KEYID;
	else if (akid != NULL && akid->keyid != NULL && akid->issuer != NULL &&
	    akid->serial != NULL)
		d->profile.aki = CER_AKI_KEYID_ISSUER_SERIAL;
	else
		r = cannot(d, "authorityKeyIdentifier: a profile writes the keyIdentifier, "
		    "alone or with the issuer's issuer and serial");
	AUTHORITY_KEYID_free(akid);
	return r;
}

/* A URI general name's text, copied into *out (which must be unset). */
static int
uri(const GENERAL_NAME *gn, char **out)
{
	const ASN1_IA5STRING *s = gn != NULL && gn->type == GEN_URI ? gn->d.uniformResourceIdentifier :
	    NULL;

	if (s == NULL || *out != NULL || memchr(s->data, '\0', (size_t)s->length) != NULL)
		return 0;
	return (*out = strndup((const char *)s->data, (size_t)s->length)) != NULL;
}

/* AIA: one OCSP URI and one caIssuers URI at most (their order: the rebuild checks). */
static int
info_access(X509_EXTENSION *e, struct cer_description *d)
{
	AUTHORITY_INFO_ACCESS *aia = X509V3_EXT_d2i(e);
	ACCESS_DESCRIPTION *ad;
	int i, ok = aia != NULL, nid;

	for (i = 0; ok && i < sk_ACCESS_DESCRIPTION_num(aia); i++) {
		ad = sk_ACCESS_DESCRIPTION_value(aia, i);
		nid = OBJ_obj2nid(ad->method);
		ok = (nid == NID_ad_OCSP && uri(ad->location, &d->profile.ocsp_url)) ||
		    (nid == NID_ad_ca_issuers && uri(ad->location, &d->profile.issuer_url));
	}
	AUTHORITY_INFO_ACCESS_free(aia);
	return ok ? CER_OK : cannot(d, "authorityInfoAccess: a profile writes one OCSP "
	    "URI and one caIssuers URI at most");
}

static int
policies(X509_EXTENSION *e, struct cer_description *d)
{
	CERTIFICATEPOLICIES *cp = X509V3_EXT_d2i(e);
	struct cer_cert_profile *p = &d->profile;
	POLICYINFO *pi;
	char oid[128];
	int i, n = cp != NULL ? sk_POLICYINFO_num(cp) : 0, r = CER_OK;

	if (n > 0 && (p->policies = calloc((size_t)n, sizeof(*p->policies))) == NULL)
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
	for (i = 0; r == CER_OK && i < n; i++) {
		pi = sk_POLICYINFO_value(cp, i);
		OBJ_obj2txt(oid, sizeof(oid), pi->policyid, 1);
		if (pi->qualifiers != NULL)
			r = cannot(d, "certificatePolicies qualifiers of %s: a profile writes "
			    "policy OIDs only (no CPS URI, no user notice)", oid);
		else if ((p->policies[p->npolicies].oid = strdup(oid)) == NULL)
			r = cer_fail(CER_ERR_ALLOC, "out of memory");
		else
			p->npolicies++;
	}
	CERTIFICATEPOLICIES_free(cp);
	return r;
}

static int
crl_points(X509_EXTENSION *e, struct cer_description *d)
{
	CRL_DIST_POINTS *dps = X509V3_EXT_d2i(e);
	DIST_POINT *dp = dps != NULL && sk_DIST_POINT_num(dps) == 1 ? sk_DIST_POINT_value(dps, 0) :
	    NULL;
	int ok = dp != NULL && dp->reasons == NULL && dp->CRLissuer == NULL &&
	    dp->distpoint != NULL && dp->distpoint->type == 0 &&
	    sk_GENERAL_NAME_num(dp->distpoint->name.fullname) == 1 &&
	    uri(sk_GENERAL_NAME_value(dp->distpoint->name.fullname, 0), &d->profile.crl_url);

	CRL_DIST_POINTS_free(dps);
	return ok ? CER_OK : cannot(d, "cRLDistributionPoints: a profile writes one "
	    "distribution point with one URI");
}

/* The loader's strlist, grown by one copy of s. */
static int
push_text(struct cer_strlist *l, const char *s, size_t len)
{
	char **v = realloc(l->v, (l->n + 2) * sizeof(*v));

	if (v == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	l->v = v;
	if ((l->v[l->n] = strndup(s, len)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	l->n++;
	return CER_OK;
}

/* An iPAddress subtree as "address/prefix"; 0 when it is not one a profile writes. */
static int
ip_text(const ASN1_OCTET_STRING *ip, char *buf, size_t n, int *v6)
{
	int half = ip->length / 2, prefix = 0, i, bit;

	if (ip->length != 8 && ip->length != 32)
		return 0;
	*v6 = ip->length == 32;
	for (i = 0; i < half * 8; i++) {
		bit = (ip->data[half + i / 8] >> (7 - i % 8)) & 1;
		if (bit && prefix != i)
			return 0;	/* not a prefix mask */
		prefix += bit;
	}
	if (inet_ntop(*v6 ? AF_INET6 : AF_INET, ip->data, buf, (socklen_t)n) == NULL)
		return 0;
	snprintf(buf + strlen(buf), n - strlen(buf), "/%d", prefix);
	return 1;
}

/* A permitted directoryName of C and/or O. */
static int
push_dn(X509_NAME *nm, struct cer_name_constraints *nc)
{
	struct cer_dn *dn, *grown;
	const ASN1_STRING *v;
	int i, a;

	if ((grown = realloc(nc->permitted_dn, (nc->npermitted_dn + 1) * sizeof(*grown))) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	nc->permitted_dn = grown;
	dn = &grown[nc->npermitted_dn++];
	memset(dn, 0, sizeof(*dn));
	for (i = 0; i < X509_NAME_entry_count(nm); i++) {
		a = attr_of(OBJ_obj2nid(X509_NAME_ENTRY_get_object(X509_NAME_get_entry(nm, i))));
		v = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, i));
		if (a == CER_ATTR_COUNTRY && dn->country == NULL)
			dn->country = strndup((const char *)v->data, (size_t)v->length);
		else if (a == CER_ATTR_ORGANIZATION && dn->organization == NULL)
			dn->organization = strndup((const char *)v->data, (size_t)v->length);
		else
			return cer_fail(CER_ERR_VERIFY, "a directoryName constraint of C and O only");
	}
	return CER_OK;
}

/*
 * One subtree; an excluded one the builder adds by itself (BR 7.1.2.5.2:
 * "", 0.0.0.0/0, ::/0 when nothing of the kind is permitted) is left to it.
 */
static int
subtree(GENERAL_SUBTREE *st, int permitted, struct cer_name_constraints *nc)
{
	GENERAL_NAME *gn = st->base;
	char ip[INET6_ADDRSTRLEN + 8];
	int v6;

	if (st->minimum != NULL || st->maximum != NULL)
		return cer_fail(CER_ERR_VERIFY, "a subtree with a minimum or maximum");
	if (gn->type == GEN_DNS && permitted)
		return push_text(&nc->permitted_dns, (const char *)gn->d.dNSName->data,
		    (size_t)gn->d.dNSName->length);
	if (gn->type == GEN_DNS)
		return gn->d.dNSName->length == 0 && nc->permitted_dns.n == 0 ? CER_OK :
		    push_text(&nc->excluded_dns, (const char *)gn->d.dNSName->data,
		    (size_t)gn->d.dNSName->length);
	if (gn->type == GEN_IPADD && ip_text(gn->d.iPAddress, ip, sizeof(ip), &v6)) {
		if (permitted)
			return push_text(&nc->permitted_ip, ip, strlen(ip));
		if (strcmp(ip, v6 ? "::/0" : "0.0.0.0/0") == 0)
			return CER_OK;	/* the rebuild tells whether the builder adds it too */
		return push_text(&nc->excluded_ip, ip, strlen(ip));
	}
	if (gn->type == GEN_DIRNAME && permitted)
		return push_dn(gn->d.directoryName, nc);
	return cer_fail(CER_ERR_VERIFY, "a name form other than dNSName, iPAddress and a "
	    "permitted directoryName");
}

static int
name_constraints(X509_EXTENSION *e, struct cer_description *d)
{
	NAME_CONSTRAINTS *c = X509V3_EXT_d2i(e);
	struct cer_name_constraints *nc = &d->profile.nc;
	int i, r = CER_OK;

	nc->present = 1;
	if (c == NULL)
		return cannot(d, "nameConstraints: unreadable");
	for (i = 0; r == CER_OK && i < sk_GENERAL_SUBTREE_num(c->permittedSubtrees); i++)
		r = subtree(sk_GENERAL_SUBTREE_value(c->permittedSubtrees, i), 1, nc);
	for (i = 0; r == CER_OK && i < sk_GENERAL_SUBTREE_num(c->excludedSubtrees); i++)
		r = subtree(sk_GENERAL_SUBTREE_value(c->excludedSubtrees, i), 0, nc);
	NAME_CONSTRAINTS_free(c);
	if (r == CER_ERR_ALLOC)
		return r;
	return r == CER_OK ? CER_OK : cannot(d, "nameConstraints: %s", cer_err_detail());
}

/* One extension: its name in extension-order, its criticality, its fields. */
static int
extension(X509 *x, X509_EXTENSION *e, struct cer_description *d, struct seen *s)
{
	struct cer_cert_profile *p = &d->profile;
	enum cer_ext k = cer_profile_ext_of(e);
	char name[80], oid[80];
	size_t i;

	cer_certdiff_ext_name(e, name, sizeof(name));
	OBJ_obj2txt(oid, sizeof(oid), X509_EXTENSION_get_object(e), 1);
	for (i = 0; k != 0 && i < p->next_order; i++)
		if (p->ext_order[i] == k)
			return cannot(d, "extension %s (%s): twice", name, oid);
	if (k == 0)
		return cannot(d, "extension %s (%s): a profile does not make it", name, oid);
	p->ext_order[p->next_order++] = k;
	if (X509_EXTENSION_get_critical(e))
		p->critical |= 1u << k;
	switch (k) {
	case CER_EXT_KU: return key_usage(e, d);
	case CER_EXT_EKU: return ext_key_usage(e, d, s);
	case CER_EXT_BC: return basic_constraints(e, d, s);
	case CER_EXT_SKI: return subject_key_id(x, e, d);
	case CER_EXT_AKI: return authority_key_id(e, d);
	case CER_EXT_AIA: return info_access(e, d);
	case CER_EXT_CP: return policies(e, d);
	case CER_EXT_NC: return name_constraints(e, d);
	case CER_EXT_CRLDP: return crl_points(e, d);
	case CER_EXT_NOCHECK: s->nocheck = 1; return CER_OK;
	}
	return CER_OK;
}

/* ---- the step type, and the proof ---- */

static int
step_type(X509 *issuer, const struct seen *s, struct cer_description *d)
{
	if (issuer == NULL)
		d->type = CER_STEP_ROOT;
	else if (s->ocsp_signing && !s->ca)
		d->type = CER_STEP_OCSP_SIGNER;
	else if (s->ca)
		d->type = CER_STEP_INTERMEDIATE;
	else
		return cannot(d, "an end-entity certificate: no step type makes one");
	if (d->profile.aki == CER_AKI_DEFAULT)
		d->profile.aki = CER_AKI_NONE;	/* the certificate has no AKI */
	return CER_OK;
}

/* The certificate the profile makes, against cert: what still differs cannot be expressed. */
static int
rebuild(X509 *cert, X509 *issuer, struct cer_description *d)
{
	const struct cer_cert_profile *p = &d->profile;
	enum cer_cert_kind kind = d->type == CER_STEP_OCSP_SIGNER ? CER_CERT_OCSP_RESPONDER :
	    CER_CERT_INTERMEDIATE;
	EVP_PKEY *k = X509_get0_pubkey(cert);
	struct cer_certdiff diff = { NULL, 0, "profile", "certificate" };
	X509 *tbs = NULL, *made = NULL;
	size_t i;
	int r;

	struct cer_cert_profile go = *p;
	int pass;

	/*
	 * A profile whose extension-order or critical-extensions do not fit what
	 * its step type builds (a root without keyUsage): built again in Go's
	 * order, so the difference is named by extension.
	 */
	go.next_order = 0;
	go.has_critical = 0;
	for (pass = 0, r = CER_ERR_SCRIPT; pass < 2 && r == CER_ERR_SCRIPT; pass++) {
		X509_free(tbs);
		tbs = NULL;
		r = d->type == CER_STEP_ROOT ? cer_profile_root(pass ? &go : p, k, p->serial,
		    p->serial_len, 1, &tbs) : cer_profile_issued(kind, pass ? &go : p, k, issuer,
		    NULL, p->serial, p->serial_len, &tbs);
	}
	if (r == CER_ERR_SCRIPT || r == CER_ERR_VERIFY) {
		r = cannot(d, "%s", cer_err_detail());
		goto out;
	}
	if (r != CER_OK || (r = cer_sign_throwaway(tbs, p->sigalg, &made)) != CER_OK ||
	    (r = cer_certdiff_x509(made, cert, &diff)) != CER_OK)
		goto out;
	for (i = 0; r == CER_OK && i < diff.n; i++)
		r = cannot(d, "%s", diff.line[i]);
 out:
	cer_certdiff_free(&diff);
	X509_free(tbs);
	X509_free(made);
	return r;
}

/* issuer issued cert (its name and its signature), or cert is self-signed. */
static int
issued_by(X509 *cert, X509 *issuer)
{
	X509 *by = issuer != NULL ? issuer : cert;
	int ok = X509_check_issued(by, cert) == X509_V_OK &&
	    X509_verify(cert, X509_get0_pubkey(by)) == 1;

	ERR_clear_error();
	if (ok)
		return CER_OK;
	return cer_fail(CER_ERR_INPUT, issuer != NULL ? "the certificate is not issued by the "
	    "--issuer certificate (its issuer name, AKI or signature do not match)" :
	    "the certificate is not self-signed; give its issuer's certificate with --issuer");
}

int
cer_describe_cert(X509 *cert, X509 *issuer, struct cer_description *d)
{
	struct seen s = { 0 };
	int i, r;

	memset(d, 0, sizeof(*d));
	if ((r = issued_by(cert, issuer)) != CER_OK)
		return r;
	d->profile.has_critical = 1;
	d->profile.ski = CER_SKI_NONE;	/* until an SKI is found */
	d->profile.has_not_before = d->profile.has_not_after = 1;
	d->profile.not_before = when(X509_get0_notBefore(cert));
	d->profile.not_after = when(X509_get0_notAfter(cert));
	if ((r = subject(cert, d)) != CER_OK || (r = serial(cert, d)) != CER_OK ||
	    (r = algorithm(cert, d)) != CER_OK || (r = key(cert, d)) != CER_OK)
		return r;
	if (X509_get_version(cert) != X509_VERSION_3 &&
	    (r = cannot(d, "version %ld: a profile makes version 3",
	    X509_get_version(cert) + 1)) != CER_OK)
		return r;
	for (i = 0; i < X509_get_ext_count(cert); i++)
		if ((r = extension(cert, X509_get_ext(cert, i), d, &s)) != CER_OK)
			return r;
	X509_NAME_get_text_by_NID(X509_get_subject_name(issuer != NULL ? issuer : cert),
	    NID_commonName, d->label, (int)sizeof(d->label) - 4);
	strcat(d->label, " key");
	if ((r = step_type(issuer, &s, d)) != CER_OK || d->type == 0 ||
	    d->profile.sigalg == CER_SIG_NONE)
		return r;
	return rebuild(cert, issuer, d);
}

void
cer_describe_free(struct cer_description *d)
{
	if (d == NULL)
		return;
	cer_script_profile_free(&d->profile);
	cer_certdiff_free(&d->cannot);
}
