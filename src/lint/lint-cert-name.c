/* lint-cert-name.c: certificate rules on the issuer and subject names. */
#include <string.h>

#include <openssl/objects.h>

#include "lint/lint-int.h"

static int
chk_issuer_bytes(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!cer_lint_name_eq(X509_get_issuer_name(c->cert), X509_get_subject_name(c->issuer)))
		return cer_lint_failf(c, "issuer DN is not byte-identical to the %s subject",
		    cer_lint_self_issued(c) ? "certificate's own" : "issuing CA's");
	return LINT_PASS;
}

static int
chk_rdn_shape(struct cer_lint_ctx *c, const void *arg)
{
	const X509_NAME *n = X509_get_subject_name(c->cert);
	int i, j, cnt = X509_NAME_entry_count(n);

	(void)arg;
	for (i = 0; i < cnt; i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(n, i);
		int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));

		if (i > 0 && X509_NAME_ENTRY_set(e) == X509_NAME_ENTRY_set(X509_NAME_get_entry(n, i - 1)))
			return cer_lint_failf(c, "a subject RDN holds more than one attribute");
		for (j = 0; j < i && nid != NID_streetAddress; j++)
			if (OBJ_obj2nid(X509_NAME_ENTRY_get_object(X509_NAME_get_entry(n, j))) == nid)
				return cer_lint_failf(c, "subject attribute %s repeats", OBJ_nid2sn(nid));
	}
	return LINT_PASS;
}

static const int rdn_order[] = {
	NID_domainComponent, NID_countryName, NID_stateOrProvinceName, NID_localityName,
	NID_postalCode, NID_streetAddress, NID_organizationName, NID_surname, NID_givenName,
	NID_organizationalUnitName, NID_commonName,
};

static int
rdn_rank(int nid)
{
	size_t i;

	for (i = 0; i < sizeof(rdn_order) / sizeof(rdn_order[0]); i++)
		if (rdn_order[i] == nid)
			return (int)i;
	return -1;
}

static int
chk_rdn_order(struct cer_lint_ctx *c, const void *arg)
{
	const X509_NAME *n = X509_get_subject_name(c->cert);
	int i, rank, last = -1, lastnid = NID_undef;

	(void)arg;
	for (i = 0; i < X509_NAME_entry_count(n); i++) {
		int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(X509_NAME_get_entry(n, i)));

		if ((rank = rdn_rank(nid)) < 0)
			continue;
		if (rank < last)
			return cer_lint_failf(c, "subject %s comes after %s", OBJ_nid2sn(nid),
			    OBJ_nid2sn(lastnid));
		last = rank;
		lastnid = nid;
	}
	return LINT_PASS;
}

static int
printable_ok(const ASN1_STRING *s)
{
	const unsigned char *p = ASN1_STRING_get0_data(s);
	int i;

	for (i = 0; i < ASN1_STRING_length(s); i++)
		if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= '0' && p[i] <= '9') || strchr(" '()+,-./:=?", p[i]) != NULL) ||
		    p[i] == '\0')
			return 0;
	return 1;
}

/* Length in characters of a UTF8String or PrintableString. */
static int
char_len(const ASN1_STRING *s)
{
	const unsigned char *p = ASN1_STRING_get0_data(s);
	int i, n = 0;

	for (i = 0; i < ASN1_STRING_length(s); i++)
		n += (p[i] & 0xc0) != 0x80;
	return n;
}

static int
max_len(int nid)
{
	switch (nid) {
	case NID_organizationName: case NID_organizationalUnitName: case NID_commonName:
		return 64;
	case NID_stateOrProvinceName: case NID_localityName: case NID_streetAddress:
		return 128;
	case NID_postalCode:
		return 40;
	default:
		return 0;
	}
}

static int
chk_attr_encoding(struct cer_lint_ctx *c, const void *arg)
{
	const X509_NAME *n = X509_get_subject_name(c->cert);
	int i, nid, type, max;

	(void)arg;
	for (i = 0; i < X509_NAME_entry_count(n); i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(n, i);
		const ASN1_STRING *s = X509_NAME_ENTRY_get_data(e);

		nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
		type = ASN1_STRING_type(s);
		if (nid == NID_countryName && (type != V_ASN1_PRINTABLESTRING ||
		    ASN1_STRING_length(s) != 2))
			return cer_lint_failf(c, "countryName is not a 2-character PrintableString");
		if ((max = max_len(nid)) == 0)
			continue;
		if (type != V_ASN1_UTF8STRING && type != V_ASN1_PRINTABLESTRING)
			return cer_lint_failf(c, "%s is a %s, not UTF8String or PrintableString",
			    OBJ_nid2sn(nid), ASN1_tag2str(type));
		if (char_len(s) > max)
			return cer_lint_failf(c, "%s is longer than %d characters", OBJ_nid2sn(nid), max);
		if (type == V_ASN1_PRINTABLESTRING && !printable_ok(s))
			return cer_lint_failf(c, "%s has characters outside PrintableString",
			    OBJ_nid2sn(nid));
	}
	return LINT_PASS;
}

static int
chk_ca_subject_other(struct cer_lint_ctx *c, const void *arg)
{
	const X509_NAME *n = X509_get_subject_name(c->cert);
	int i, nid;

	(void)arg;
	for (i = 0; i < X509_NAME_entry_count(n); i++) {
		nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(X509_NAME_get_entry(n, i)));
		/* OU is an error of its own (root.no_ou, subca.no_ou) in those profiles. */
		if (nid == NID_organizationalUnitName && (c->profile == CER_LINT_ROOT ||
		    c->profile == CER_LINT_SUBORDINATE || c->profile == CER_LINT_SUBORDINATE_TC))
			continue;
		if (max_len(nid) == 0 && nid != NID_countryName)
			return cer_lint_failf(c, "subject has %s; CA subjects hold C, ST, L, "
			    "postalCode, street, O and CN", OBJ_nid2sn(nid));
		if (nid == NID_organizationalUnitName)
			return cer_lint_failf(c, "subject has OU (NOT RECOMMENDED)");
	}
	return LINT_PASS;
}

/*
 * C and O in CA subjects since BR 1.0, CN since BR 1.4.8; OCSP responder
 * subjects since BR 2.0.0 (7.1.2.8, which points to 7.1.2.10.2).
 */
static int
chk_ca_subject(struct cer_lint_ctx *c, const void *arg)
{
	if (c->profile == CER_LINT_OCSP_RESPONDER && !cer_lint_in_force(c, CER_DATE_BR_2_0_0))
		return cer_lint_not_in_force(c, CER_DATE_BR_2_0_0);
	if (!cer_lint_in_force(c, CER_DATE_CA_CN) &&
	    !cer_lint_subject_has(c->cert, NID_commonName)) {
		if (!cer_lint_subject_has(c->cert, NID_countryName))
			return cer_lint_failf(c, "subject lacks C");
		if (!cer_lint_subject_has(c->cert, NID_organizationName))
			return cer_lint_failf(c, "subject lacks O");
		return LINT_PASS;	/* CN: BR 1.4.8 */
	}
	return cer_lint_chk_ca_subject_attrs(c, arg);
}

#define E CER_LINT_ERROR
#define W CER_LINT_WARNING

const struct cer_lint_rule cer_lint_cert_name_rules[] = {
	{ "cert.issuer_bytes", E, "BR 7.1.4.1; RFC 5280 4.1.2.4", CER_DATE_2020_09_30,
	    P_ALL | P_PRIV, chk_issuer_bytes, NULL,
	    "issuer DN byte-identical to the issuing CA's subject" },
	{ "cert.rdn_shape", E, "BR 7.1.4.1, 7.1.2.10.2", CER_DATE_BR_2_0_0, P_ALL, chk_rdn_shape,
	    NULL, "one attribute per RDN, no attribute repeated" },
	{ "cert.rdn_order", E, "BR 7.1.4.1-7.1.4.2", CER_DATE_BR_2_0_0, P_ALL, chk_rdn_order, NULL,
	    "subject RDNs in BR order" },
	{ "cert.attr_encoding", E, "BR 7.1.4.2; RFC 5280 4.1.2.4", CER_DATE_BR_2_0_0, P_ALL,
	    chk_attr_encoding, NULL, "subject attribute types, lengths and alphabets" },
	{ "cert.ca_subject_attrs", E, "BR 7.1.2.10.2, 7.1.2.8", CER_DATE_BR_1_0, P_ALL,
	    chk_ca_subject, NULL, "subject has countryName, organizationName and commonName" },
	{ "cert.ca_subject_other_attrs", W, "BR 7.1.2.10.2", CER_DATE_BR_2_0_0, P_ALL,
	    chk_ca_subject_other, NULL,
	    "subject holds no attributes beyond C, ST, L, postalCode, street, O, CN" },
};

const size_t cer_lint_cert_name_nrules =
    sizeof(cer_lint_cert_name_rules) / sizeof(cer_lint_cert_name_rules[0]);
