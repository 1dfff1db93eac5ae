/* lint-cert-profile.c: the rules of one certificate profile each: root, subca, cross, ocspcert. */
#include <string.h>

#include <openssl/objects.h>

#include "base/br.h"
#include "lint/lint-int.h"

static int
ext_critical(const X509 *x, int nid)
{
	int n;
	X509_EXTENSION *e = cer_lint_ext_find(x, nid, &n);

	return e != NULL && X509_EXTENSION_get_critical(e);
}

static int
eku_has(const EXTENDED_KEY_USAGE *eku, int nid)
{
	int i;

	for (i = 0; eku != NULL && i < sk_ASN1_OBJECT_num(eku); i++)
		if (OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i)) == nid)
			return 1;
	return 0;
}

static int
eku_has_txt(const EXTENDED_KEY_USAGE *eku, const char *dotted)
{
	char buf[80];
	int i;

	for (i = 0; eku != NULL && i < sk_ASN1_OBJECT_num(eku); i++)
		if (strcmp(cer_lint_oid(sk_ASN1_OBJECT_value(eku, i), buf, sizeof(buf)), dotted) == 0)
			return 1;
	return 0;
}

/*
 * LINT_FAIL naming the first EKU of bad[n] present, or precertificate
 * signing when precert; else LINT_PASS.
 */
static int
eku_none_of(struct cer_lint_ctx *c, const int *bad, size_t n, int precert)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (eku_has(c->eku, bad[i]))
			return cer_lint_failf(c, "extKeyUsage has %s", OBJ_nid2sn(bad[i]));
	if (precert && eku_has_txt(c->eku, CER_BR_EKU_PRECERT))
		return cer_lint_failf(c, "extKeyUsage has precertificate signing");
	return LINT_PASS;
}

/* Count of Reserved CP OIDs (BR 7.1.6.1), and whether anyPolicy is present. */
static int
reserved_policies(const CERTIFICATEPOLICIES *cp, int *any, int *first_is_reserved)
{
	char buf[80];
	int i, n = 0;

	*any = 0;
	*first_is_reserved = 0;
	for (i = 0; i < sk_POLICYINFO_num(cp); i++) {
		cer_lint_oid(sk_POLICYINFO_value(cp, i)->policyid, buf, sizeof(buf));
		if (strcmp(buf, CER_BR_POLICY_ANY) == 0)
			*any = 1;
		if (cer_br_is_reserved_policy(buf)) {
			n++;
			if (i == 0)
				*first_is_reserved = 1;
		}
	}
	return n;
}

/* A non-NULL arg: cer_lint_chk_notbefore's upper bound alone, chk_aia_format's OCSP alone. */
static const int upper_only = 1;

static const struct cer_lint_presence need_ski = { NID_subject_key_identifier, "SKI", 1 };
static const struct cer_lint_presence need_cdp = { NID_crl_distribution_points,
    "cRLDistributionPoints", 1 };
static const struct cer_lint_presence need_aia = { NID_info_access, "authorityInfoAccess", 1 };
static const struct cer_lint_presence need_eku = { NID_ext_key_usage, "extKeyUsage", 1 };
static const struct cer_lint_presence no_eku = { NID_ext_key_usage, "extKeyUsage", 0 };
static const struct cer_lint_presence no_cp = { NID_certificate_policies,
    "certificatePolicies", 0 };
static const struct cer_lint_presence no_cdp = { NID_crl_distribution_points,
    "cRLDistributionPoints", 0 };

/* ---- root ---- */

static int
chk_issuer_eq_subject(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!cer_lint_name_eq(X509_get_issuer_name(c->cert), X509_get_subject_name(c->cert)))
		return cer_lint_failf(c, "issuer is not byte-identical to subject");
	return LINT_PASS;
}

static int
chk_root_validity(struct cer_lint_ctx *c, const void *arg)
{
	double d = cer_lint_validity_days(c->cert);

	(void)arg;
	if (d < CER_BR_ROOT_MIN_DAYS || d > CER_BR_ROOT_MAX_DAYS)
		return cer_lint_failf(c, "validity of %.2f days; a root needs %d to %d", d,
		    CER_BR_ROOT_MIN_DAYS, CER_BR_ROOT_MAX_DAYS);
	return LINT_PASS;
}

static int
chk_bc_ca(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!cer_lint_has_ext(c->cert, NID_basic_constraints))
		return cer_lint_failf(c, "basicConstraints is missing");
	if (c->bc == NULL || !c->bc->ca)
		return cer_lint_failf(c, "basicConstraints does not assert cA TRUE");
	if (c->bc->pathlen != NULL && ASN1_INTEGER_get(c->bc->pathlen) < 0)
		return cer_lint_failf(c, "pathLenConstraint is negative");
	if (c->bc->pathlen != NULL && !(cer_lint_key_usage(c->cert) > 0 &&
	    (cer_lint_key_usage(c->cert) & KU_KEY_CERT_SIGN)))
		return cer_lint_failf(c, "pathLenConstraint without keyCertSign");
	return LINT_PASS;
}

static int
chk_root_pathlen(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (c->bc != NULL && c->bc->pathlen != NULL)
		return cer_lint_failf(c, "pathLenConstraint present (NOT RECOMMENDED)");
	return LINT_PASS;
}

static int
chk_ca_ku(struct cer_lint_ctx *c, const void *arg)
{
	long ku = cer_lint_key_usage(c->cert);
	long other = KU_NON_REPUDIATION | KU_KEY_ENCIPHERMENT | KU_DATA_ENCIPHERMENT |
	    KU_KEY_AGREEMENT | KU_ENCIPHER_ONLY | KU_DECIPHER_ONLY;

	(void)arg;
	if (ku < 0)
		return cer_lint_failf(c, "keyUsage is missing");
	if (!(ku & KU_KEY_CERT_SIGN) || !(ku & KU_CRL_SIGN))
		return cer_lint_failf(c, "keyUsage lacks keyCertSign or cRLSign");
	/* nothing else: BR 2.0.0 7.1.2.10.7 (BR 1.x named the bits a CA sets, no others) */
	if ((ku & other) && cer_lint_in_force(c, CER_DATE_BR_2_0_0))
		return cer_lint_failf(c, "keyUsage sets a bit other than keyCertSign, cRLSign "
		    "and digitalSignature");
	return LINT_PASS;
}

static int
chk_ku_digsig(struct cer_lint_ctx *c, const void *arg)
{
	long ku = cer_lint_key_usage(c->cert);

	(void)arg;
	if (ku >= 0 && !(ku & KU_DIGITAL_SIGNATURE))
		return cer_lint_failf(c, "no digitalSignature: this key must not sign OCSP responses");
	return LINT_PASS;
}

static int
chk_root_aki(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!cer_lint_has_ext(c->cert, NID_authority_key_identifier)) {
		c->sev = CER_LINT_NOTICE;
		return cer_lint_failf(c, "authorityKeyIdentifier is absent (RECOMMENDED)");
	}
	return cer_lint_aki_shape(c, c->ski);
}

static int
chk_no_ou(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (cer_lint_subject_has(c->cert, NID_organizationalUnitName))
		return cer_lint_failf(c, "organizationalUnitName in a CA subject");
	return LINT_PASS;
}

/* ---- subordinate ---- */

/* In force from CER_BR_NO_PRECERT_CA_FROM, on the certificate's notBefore. */
static int
chk_subca_profile(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (eku_has_txt(c->eku, CER_BR_EKU_PRECERT))
		return cer_lint_failf(c, "a Precertificate Signing CA may not be issued from "
		    "2026-03-15");
	return LINT_PASS;
}

static int
chk_subca_validity(struct cer_lint_ctx *c, const void *arg)
{
	double d = cer_lint_validity_days(c->cert);

	(void)arg;
	if (d > CER_BR_CHROME_SUBCA_MAX_DAYS)
		return cer_lint_failf(c, "validity of %.0f days; Chrome asks at most 3 years", d);
	return LINT_PASS;
}

static int
chk_aki_ski(struct cer_lint_ctx *c, const void *arg)
{
	int r;

	(void)arg;
	if ((r = cer_lint_chk_aki(c, NULL)) != LINT_PASS)
		return r;
	if (!cer_lint_has_ext(c->cert, NID_subject_key_identifier)) {
		if (c->profile == CER_LINT_OCSP_RESPONDER)
			c->sev = CER_LINT_WARNING;
		return cer_lint_failf(c, "subjectKeyIdentifier is missing");
	}
	return LINT_PASS;
}

static int
chk_cp_present(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!cer_lint_has_ext(c->cert, NID_certificate_policies))
		return cer_lint_failf(c, "certificatePolicies is missing");
	if (c->cp == NULL || sk_POLICYINFO_num(c->cp) < 1)
		return cer_lint_failf(c, "certificatePolicies holds no PolicyInformation");
	return LINT_PASS;
}

static int
chk_cp_anypolicy(struct cer_lint_ctx *c, const void *arg)
{
	int any, first;

	(void)arg;
	if (c->cp == NULL)
		return LINT_NA;
	(void)reserved_policies(c->cp, &any, &first);
	if (any && sk_POLICYINFO_num(c->cp) != 1)
		return cer_lint_failf(c, "anyPolicy is not the only policy");
	return LINT_PASS;
}

static int
chk_cp_reserved(struct cer_lint_ctx *c, const void *arg)
{
	int any, first, n;

	(void)arg;
	if (c->cp == NULL)
		return LINT_NA;
	n = reserved_policies(c->cp, &any, &first);
	if (any)
		return LINT_PASS;	/* the Affiliate case, subca.cp_anypolicy */
	if (n != 1)
		return cer_lint_failf(c, "%d Reserved CP OIDs (2.23.140.1.x); exactly one needed", n);
	return LINT_PASS;
}

static int
chk_cp_reserved_first(struct cer_lint_ctx *c, const void *arg)
{
	int any, first, n;

	(void)arg;
	if (c->cp == NULL)
		return LINT_NA;
	n = reserved_policies(c->cp, &any, &first);
	if (n > 0 && !first)
		return cer_lint_failf(c, "the Reserved CP OID is not the first policy");
	return LINT_PASS;
}

/* BR 1.7.1 7.1.2.2(g); OCSPSigning and precertificate signing out since BR 2.0.0 7.1.2.10.6. */
static int
chk_eku_br(struct cer_lint_ctx *c, const void *arg)
{
	static const int bad[] = { NID_code_sign, NID_email_protect, NID_time_stamp,
	    NID_anyExtendedKeyUsage, NID_OCSP_sign };	/* the last: BR 2.0.0 */
	int v2 = cer_lint_in_force(c, CER_DATE_BR_2_0_0);

	(void)arg;
	if (c->eku == NULL)
		return LINT_NA;
	if (!eku_has(c->eku, NID_server_auth))
		return cer_lint_failf(c, "extKeyUsage lacks id-kp-serverAuth");
	return eku_none_of(c, bad, sizeof(bad) / sizeof(bad[0]) - !v2, v2);
}

/*
 * Chrome judges every unexpired subordinate CA, so the rule has no
 * effective date; whether clientAuth may join serverAuth depends on when
 * the CA was disclosed, which its notBefore stands for.
 */
static int
chk_eku_chrome(struct cer_lint_ctx *c, const void *arg)
{
	int n, both_ok = c->date != (time_t)-1 && c->date < CER_BR_SERVERAUTH_ONLY_FROM;

	(void)arg;
	if (c->eku == NULL)
		return LINT_NA;
	n = sk_ASN1_OBJECT_num(c->eku);
	if (n == 1 && eku_has(c->eku, NID_server_auth))
		return LINT_PASS;
	if (both_ok && n == 2 && eku_has(c->eku, NID_server_auth) &&
	    eku_has(c->eku, NID_client_auth))
		return LINT_PASS;
	return cer_lint_failf(c, "extKeyUsage is not serverAuth only%s",
	    both_ok ? " or serverAuth + clientAuth" : " (notBefore from 2026-06-15)");
}

static int
chk_eku_mozilla(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (c->eku == NULL)
		return LINT_NA;
	if (eku_has(c->eku, NID_anyExtendedKeyUsage))
		return cer_lint_failf(c, "extKeyUsage has anyExtendedKeyUsage");
	if (eku_has(c->eku, NID_server_auth) && eku_has(c->eku, NID_email_protect))
		return cer_lint_failf(c, "extKeyUsage has serverAuth with emailProtection");
	return LINT_PASS;
}

/* Name-constraint types in use: bits 1 << GEN_*. */
static unsigned
subtree_types(const STACK_OF(GENERAL_SUBTREE) *st, int ip_len)
{
	unsigned m = 0;
	int i;

	for (i = 0; i < sk_GENERAL_SUBTREE_num(st); i++) {
		const GENERAL_NAME *b = sk_GENERAL_SUBTREE_value(st, i)->base;

		if (ip_len != 0 && (b->type != GEN_IPADD || ASN1_STRING_length(b->d.ip) != ip_len))
			continue;
		m |= 1u << b->type;
	}
	return m;
}

/* Is there an excluded subtree of this type whose value is all zero bytes of len? */
static int
excluded_zero(const NAME_CONSTRAINTS *nc, int type, int len)
{
	int i, j;

	for (i = 0; i < sk_GENERAL_SUBTREE_num(nc->excludedSubtrees); i++) {
		const GENERAL_NAME *b = sk_GENERAL_SUBTREE_value(nc->excludedSubtrees, i)->base;
		const ASN1_STRING *s = type == GEN_DNS ? b->d.dNSName : b->d.iPAddress;
		int zero = 1;

		if (b->type != type || ASN1_STRING_length(s) != len)
			continue;
		for (j = 0; j < len; j++)
			zero &= ASN1_STRING_get0_data(s)[j] == 0;
		if (zero)
			return 1;
	}
	return 0;
}

static int
chk_nc_types(struct cer_lint_ctx *c, const void *arg)
{
	unsigned ok = 1u << GEN_DNS | 1u << GEN_IPADD | 1u << GEN_DIRNAME;

	(void)arg;
	if (c->nc == NULL)
		return LINT_NA;
	if ((subtree_types(c->nc->permittedSubtrees, 0) | subtree_types(c->nc->excludedSubtrees,
	    0)) & ~ok)
		return cer_lint_failf(c, "nameConstraints uses a name type other than dNSName, "
		    "iPAddress and directoryName");
	return LINT_PASS;
}

static int
chk_tc_nc_required(struct cer_lint_ctx *c, const void *arg)
{
	unsigned m;

	(void)arg;
	if (c->nc == NULL)
		return cer_lint_failf(c, "nameConstraints is missing");
	m = subtree_types(c->nc->permittedSubtrees, 0);
	if (!(m & (1u << GEN_DIRNAME)))
		return cer_lint_failf(c, "no directoryName in permittedSubtrees");
	if (!(m & (1u << GEN_DNS)) && !excluded_zero(c->nc, GEN_DNS, 0))
		return cer_lint_failf(c, "no dNSName permitted and the empty dNSName not excluded");
	return LINT_PASS;
}

static int
chk_tc_nc_exclusions(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (c->nc == NULL)
		return LINT_NA;
	if (!subtree_types(c->nc->permittedSubtrees, 8) && !excluded_zero(c->nc, GEN_IPADD, 8))
		return cer_lint_failf(c, "no IPv4 range permitted and 0.0.0.0/0 not excluded");
	if (!subtree_types(c->nc->permittedSubtrees, 32) && !excluded_zero(c->nc, GEN_IPADD, 32))
		return cer_lint_failf(c, "no IPv6 range permitted and ::/0 not excluded");
	return LINT_PASS;
}

static int
chk_tcnontls_eku(struct cer_lint_ctx *c, const void *arg)
{
	static const int bad[] = { NID_server_auth, NID_OCSP_sign, NID_anyExtendedKeyUsage };

	(void)arg;
	if (c->eku == NULL)
		return cer_lint_failf(c, "extKeyUsage is missing");
	return eku_none_of(c, bad, sizeof(bad) / sizeof(bad[0]), 1);
}

static int
chk_tcnontls_cp(struct cer_lint_ctx *c, const void *arg)
{
	int any, first;

	(void)arg;
	if (c->cp == NULL)
		return LINT_NA;
	if (reserved_policies(c->cp, &any, &first) > 0)
		return cer_lint_failf(c, "a Reserved CP OID (2.23.140.1.x) in a non-TLS CA");
	if (any && sk_POLICYINFO_num(c->cp) != 1)
		return cer_lint_failf(c, "anyPolicy is not the only policy");
	return LINT_PASS;
}

/* ---- cross ---- */

static int
chk_cross_ext(struct cer_lint_ctx *c, const void *arg)
{
	static const struct { int nid; const char *name; } need[] = {
		{ NID_authority_key_identifier, "AKI" },
		{ NID_basic_constraints, "basicConstraints" },
		{ NID_certificate_policies, "certificatePolicies" },
		{ NID_crl_distribution_points, "cRLDistributionPoints" },
		{ NID_key_usage, "keyUsage" },
		{ NID_subject_key_identifier, "SKI" },
	};
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!cer_lint_has_ext(c->cert, need[i].nid))
			return cer_lint_failf(c, "%s is missing", need[i].name);
	if (!cer_lint_has_ext(c->cert, NID_info_access)) {
		c->sev = CER_LINT_WARNING;
		return cer_lint_failf(c, "authorityInfoAccess is missing (SHOULD)");
	}
	return LINT_PASS;
}

/*
 * BR 7.1.2.2.3: between affiliates (c->affiliated) the EKU SHOULD be there
 * and may be anyExtendedKeyUsage alone; otherwise it MUST be there,
 * restricted (7.1.2.2.5: never anyExtendedKeyUsage).
 */
static int
chk_cross_eku_unrestricted(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (c->eku == NULL && c->affiliated) {
		c->sev = CER_LINT_WARNING;
		return cer_lint_failf(c, "extKeyUsage is absent (SHOULD be present)");
	}
	if (c->eku == NULL)
		return cer_lint_failf(c, "extKeyUsage is absent; it MUST be present when "
		    "issuer and subject are not the same organisation or affiliates");
	if (!c->affiliated && eku_has(c->eku, NID_anyExtendedKeyUsage))
		return cer_lint_failf(c, "anyExtendedKeyUsage in a cross-certificate between "
		    "organisations that are not affiliates");
	if (eku_has(c->eku, NID_anyExtendedKeyUsage) && sk_ASN1_OBJECT_num(c->eku) != 1)
		return cer_lint_failf(c, "anyExtendedKeyUsage is not the only EKU");
	return LINT_PASS;
}

static int
chk_cross_eku_tls(struct cer_lint_ctx *c, const void *arg)
{
	static const int bad[] = { NID_email_protect, NID_code_sign, NID_time_stamp,
	    NID_anyExtendedKeyUsage };
	size_t i;

	(void)arg;
	if (c->eku == NULL || !eku_has(c->eku, NID_server_auth))
		return LINT_NA;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (eku_has(c->eku, bad[i]))
			return cer_lint_failf(c, "a serverAuth cross-certificate has %s",
			    OBJ_nid2sn(bad[i]));
	return LINT_PASS;
}

static int
chk_cross_eku_programs(struct cer_lint_ctx *c, const void *arg)
{
	if (c->eku == NULL)
		return cer_lint_failf(c, "no extKeyUsage; the root programs want [serverAuth]");
	return chk_eku_chrome(c, arg);
}

static int
chk_cross_cp(struct cer_lint_ctx *c, const void *arg)
{
	int any, first, n;

	if (chk_cp_present(c, arg) == LINT_FAIL)
		return LINT_FAIL;
	n = reserved_policies(c->cp, &any, &first);
	if (any && sk_POLICYINFO_num(c->cp) != 1)
		return cer_lint_failf(c, "anyPolicy is not the only policy");
	if (!any && n < 1)
		return cer_lint_failf(c, "no Reserved CP OID (2.23.140.1.x)");
	return LINT_PASS;
}

/* ---- OCSP responder ---- */

static int
chk_ocsp_eku(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (c->eku == NULL)
		return cer_lint_failf(c, "extKeyUsage is missing or does not parse");
	if (!eku_has(c->eku, NID_OCSP_sign))
		return cer_lint_failf(c, "extKeyUsage lacks id-kp-OCSPSigning");
	/* OCSPSigning alone: BR 2.0.0 7.1.2.8.5; RFC 6960 asks only for its presence */
	if (sk_ASN1_OBJECT_num(c->eku) != 1 && cer_lint_in_force(c, CER_DATE_BR_2_0_0))
		return cer_lint_failf(c, "extKeyUsage is not exactly id-kp-OCSPSigning");
	return LINT_PASS;
}

/* An extension's extnValue is exactly these bytes. */
static int
ext_value_is(const X509 *x, int nid, const unsigned char *want, int len)
{
	int n;
	X509_EXTENSION *e = cer_lint_ext_find(x, nid, &n);
	const ASN1_OCTET_STRING *v = e != NULL ? X509_EXTENSION_get_data(e) : NULL;

	return v != NULL && ASN1_STRING_length(v) == len &&
	    memcmp(ASN1_STRING_get0_data(v), want, (size_t)len) == 0;
}

static int
chk_ocsp_nocheck(struct cer_lint_ctx *c, const void *arg)
{
	static const unsigned char null[] = { 0x05, 0x00 };

	(void)arg;
	if (!cer_lint_has_ext(c->cert, NID_id_pkix_OCSP_noCheck))
		return cer_lint_failf(c, "id-pkix-ocsp-nocheck is missing");
	/* present since BR 1.0 (4.9.9); its form since BR 2.0.0 7.1.2.8.6 */
	if (!cer_lint_in_force(c, CER_DATE_BR_2_0_0))
		return LINT_PASS;
	if (ext_critical(c->cert, NID_id_pkix_OCSP_noCheck))
		return cer_lint_failf(c, "id-pkix-ocsp-nocheck is critical");
	if (!ext_value_is(c->cert, NID_id_pkix_OCSP_noCheck, null, sizeof(null)))
		return cer_lint_failf(c, "id-pkix-ocsp-nocheck's value is not 0500");
	return LINT_PASS;
}

static int
chk_ocsp_ku(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (cer_lint_key_usage(c->cert) < 0)
		return cer_lint_failf(c, "keyUsage is missing");
	if (!ext_critical(c->cert, NID_key_usage))
		return cer_lint_failf(c, "keyUsage is not critical");
	if (cer_lint_key_usage(c->cert) != KU_DIGITAL_SIGNATURE)
		return cer_lint_failf(c, "keyUsage is not digitalSignature only");
	return LINT_PASS;
}

static int
chk_ocsp_bc(struct cer_lint_ctx *c, const void *arg)
{
	static const unsigned char empty[] = { 0x30, 0x00 };

	(void)arg;
	if (!cer_lint_has_ext(c->cert, NID_basic_constraints))
		return LINT_PASS;
	if (!ext_value_is(c->cert, NID_basic_constraints, empty, sizeof(empty)))
		return cer_lint_failf(c, "basicConstraints is not exactly 3000 (cA FALSE, no pathLen)");
	if (!ext_critical(c->cert, NID_basic_constraints))
		return cer_lint_failf(c, "basicConstraints is not critical");
	return LINT_PASS;
}

static int
chk_ocsp_no_nc_san(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (cer_lint_has_ext(c->cert, NID_name_constraints) ||
	    cer_lint_has_ext(c->cert, NID_subject_alt_name))
		return cer_lint_failf(c, "nameConstraints or subjectAltName present");
	return LINT_PASS;
}

static int
chk_ocsp_aia(struct cer_lint_ctx *c, const void *arg)
{
	(void)arg;
	if (!cer_lint_has_ext(c->cert, NID_info_access))
		return LINT_PASS;
	/* BR 7.1.2.8.3: any method but id-ad-ocsp MUST NOT; AIA at all is NOT RECOMMENDED */
	if (cer_lint_chk_aia_format(c, &upper_only) == LINT_FAIL)
		return LINT_FAIL;
	c->sev = CER_LINT_WARNING;
	return cer_lint_failf(c, "authorityInfoAccess present (NOT RECOMMENDED)");
}

#define E CER_LINT_ERROR
#define W CER_LINT_WARNING
#define N CER_LINT_NOTICE

const struct cer_lint_rule cer_lint_cert_profile_rules[] = {
	/* (a) root */
	{ "root.issuer_eq_subject", E, "BR 7.1.2.1", CER_DATE_2020_09_30, P_ROOT,
	    chk_issuer_eq_subject, NULL, "issuer byte-identical to subject" },
	{ "root.validity_range", E, "BR 7.1.2.1.1", CER_DATE_BR_2_0_0, P_ROOT, chk_root_validity,
	    NULL, "validity 2922 to 9132 days inclusive" },
	{ "root.notbefore", E, "BR 7.1.2.1.1", CER_DATE_BR_2_0_0, P_ROOT, cer_lint_chk_notbefore,
	    NULL, "notBefore within one day before the signing time" },
	{ "root.bc", E, "BR 7.1.2.1.2, 7.1.2.1.4", CER_DATE_BR_1_0, P_ROOT, chk_bc_ca, NULL,
	    "basicConstraints present with cA TRUE" },
	{ "root.pathlen", W, "BR 7.1.2.1.4", CER_DATE_BR_1_0, P_ROOT, chk_root_pathlen, NULL,
	    "no pathLenConstraint (NOT RECOMMENDED)" },
	{ "root.ku", E, "BR 7.1.2.1.2, 7.1.2.10.7", CER_DATE_BR_1_0, P_ROOT, chk_ca_ku, NULL,
	    "keyUsage keyCertSign and cRLSign, optionally digitalSignature, nothing else" },
	{ "root.ku_digsig_for_ocsp", N, "BR 7.1.2.10.7", CER_DATE_BR_1_0, P_ROOT, chk_ku_digsig,
	    NULL, "without digitalSignature the key must not sign OCSP responses" },
	{ "root.ski", E, "BR 7.1.2.1.2; RFC 5280 4.2.1.2", 0, P_ROOT, cer_lint_chk_presence,
	    &need_ski, "SKI present" },
	{ "root.aki", W, "BR 7.1.2.1.2-7.1.2.1.3", CER_DATE_BR_2_0_0, P_ROOT, chk_root_aki, NULL,
	    "AKI (RECOMMENDED) equals the root's own SKI, keyIdentifier only" },
	{ "root.no_eku", E, "BR 7.1.2.1.2", CER_DATE_BR_1_0, P_ROOT, cer_lint_chk_presence, &no_eku,
	    "no extKeyUsage" },
	{ "root.no_cp", W, "BR 7.1.2.1.2", CER_DATE_BR_1_0, P_ROOT, cer_lint_chk_presence, &no_cp,
	    "no certificatePolicies (NOT RECOMMENDED)" },
	{ "root.no_cdp", W, "BR 7.1.2.11.2", CER_DATE_BR_2_0_0, P_ROOT, cer_lint_chk_presence,
	    &no_cdp, "no cRLDistributionPoints (SHOULD NOT)" },
	{ "root.no_other_ext", W, "BR 7.1.2.1.2", CER_DATE_BR_2_0_0, P_ROOT, cer_lint_chk_other_ext,
	    NULL, "only AKI, BC, KU, SKI, CP and the SCT list" },
	{ "root.no_ou", E, "BR 7.1.2.10.2", CER_DATE_BR_2_0_0, P_ROOT, chk_no_ou, NULL,
	    "no organizationalUnitName" },
	/* (b) subordinate */
	{ "subca.profile", E, "BR 7.1.2, 7.1.2.4", CER_BR_NO_PRECERT_CA_FROM, P_SUBS,
	    chk_subca_profile, NULL, "not a Precertificate Signing CA (from 2026-03-15)" },
	{ "subca.validity", W, "CRP 1.3.1.3", CER_DATE_CRP_1_8, P_SUBS, chk_subca_validity, NULL,
	    "validity at most 3 years (Chrome SHOULD)" },
	{ "subca.bc", E, "BR 7.1.2.10.4; RFC 5280 4.2.1.9", CER_DATE_BR_1_0, P_ANYSUB, chk_bc_ca,
	    NULL, "basicConstraints cA TRUE; pathLen >= 0 and only with keyCertSign" },
	{ "subca.ku", E, "BR 7.1.2.10.7", CER_DATE_BR_1_0, P_ANYSUB, chk_ca_ku, NULL,
	    "keyUsage keyCertSign and cRLSign, optionally digitalSignature, nothing else" },
	{ "subca.aki_ski", E, "BR 7.1.2.6.1, 7.1.2.5.1", CER_DATE_BR_1_7_1, P_ANYSUB, chk_aki_ski,
	    NULL, "AKI and SKI present" },
	{ "subca.cdp", E, "BR 7.1.2.11.2", CER_DATE_BR_1_0, P_ANYSUB, cer_lint_chk_presence,
	    &need_cdp, "cRLDistributionPoints present" },
	{ "subca.aia", W, "BR 7.1.2.6.1, 7.1.2.10.3", CER_DATE_BR_1_0, P_ANYSUB,
	    cer_lint_chk_presence, &need_aia, "authorityInfoAccess present (SHOULD)" },
	{ "subca.cp_present", E, "BR 7.1.2.6.1, 7.1.2.5.1, 7.1.2.10.5", CER_DATE_BR_1_0, P_SUBS,
	    chk_cp_present, NULL, "certificatePolicies with at least one policy" },
	{ "subca.cp_anypolicy", E, "BR 7.1.2.10.5", CER_DATE_BR_2_0_0, P_SUBS, chk_cp_anypolicy,
	    NULL, "anyPolicy only as the sole policy" },
	{ "subca.cp_reserved", E, "BR 7.1.2.10.5, 7.1.6.1", CER_DATE_BR_2_0_0, P_SUBS,
	    chk_cp_reserved, NULL, "exactly one Reserved CP OID unless anyPolicy" },
	{ "subca.cp_reserved_first", N, "BR 7.1.2.10.5", CER_DATE_BR_2_0_0, P_SUBS,
	    chk_cp_reserved_first, NULL, "the Reserved CP OID comes first (RECOMMENDED)" },
	{ "subca.eku_present", E, "BR 7.1.2.6.1, 7.1.2.5.1; MRSP 5.3", CER_DATE_MRSP_EKU, P_ANYSUB,
	    cer_lint_chk_presence, &need_eku, "extKeyUsage present" },
	{ "subca.eku_br", E, "BR 7.1.2.10.6", CER_DATE_BR_1_7_1, P_SUBS, chk_eku_br, NULL,
	    "serverAuth present; no codeSigning, emailProtection, timeStamping, OCSPSigning, "
	    "anyEKU, precert" },
	{ "subca.eku_chrome", E, "CRP 1.3.2, 2.3", 0, P_SUBS, chk_eku_chrome, NULL,
	    "EKU serverAuth only (serverAuth + clientAuth before 2026-06-15)" },
	{ "subca.eku_mozilla", E, "MRSP 7.5.1, 5.3", CER_DATE_MRSP_EKU, P_SUBS | P_CROSS,
	    chk_eku_mozilla, NULL, "no anyEKU; never serverAuth with emailProtection" },
	{ "subca.no_ou", E, "BR 7.1.2.10.2", CER_DATE_BR_2_0_0, P_SUBS, chk_no_ou, NULL,
	    "no organizationalUnitName" },
	{ "subca.nc_optional", W, "BR 7.1.2.10.8", CER_DATE_BR_2_0_0, P_SUB, chk_nc_types, NULL,
	    "nameConstraints only dNSName, iPAddress, directoryName" },
	{ "subca.tc_nc_required", E, "BR 7.1.2.5.1-7.1.2.5.2; MRSP 5.3.1", CER_DATE_BR_1_0, P_TC,
	    chk_tc_nc_required, NULL, "TC: nameConstraints with directoryName and dNSName" },
	{ "subca.tc_nc_exclusions", E, "BR 7.1.2.5.2", CER_DATE_BR_1_0, P_TC, chk_tc_nc_exclusions,
	    NULL, "TC: unpermitted IPv4/IPv6 ranges excluded with all-zero iPAddress" },
	{ "subca.tc_nc_types", E, "BR 7.1.2.5.2", CER_DATE_BR_2_0_0, P_TC, chk_nc_types, NULL,
	    "TC: only dNSName, iPAddress, directoryName" },
	{ "subca.tcnontls_eku", E, "BR 7.1.2.3.3", CER_DATE_BR_2_0_0, P_TCN, chk_tcnontls_eku, NULL,
	    "TC non-TLS: EKU without serverAuth, OCSPSigning, anyEKU, precert" },
	{ "subca.tcnontls_cp", E, "BR 7.1.2.3.2", CER_DATE_BR_2_0_0, P_TCN, chk_tcnontls_cp, NULL,
	    "TC non-TLS: anyPolicy alone or CA-defined OIDs only, no Reserved OID" },
	/* (c) cross */
	{ "cross.notbefore", E, "BR 7.1.2.2.1", CER_DATE_BR_2_0_0, P_CROSS, cer_lint_chk_notbefore,
	    &upper_only, "notBefore not after the signing time" },
	{ "cross.ext", E, "BR 7.1.2.2.3, 7.1.2.10.4, 7.1.2.10.7", CER_DATE_BR_1_0, P_CROSS,
	    chk_cross_ext, NULL, "AKI, BC, CP, CRL DP, KU, SKI present; AIA SHOULD" },
	{ "cross.bc", E, "BR 7.1.2.2.3, 7.1.2.10.4", CER_DATE_BR_1_0, P_CROSS, chk_bc_ca, NULL,
	    "basicConstraints cA TRUE" },
	{ "cross.ku", E, "BR 7.1.2.2.3, 7.1.2.10.7", CER_DATE_BR_1_0, P_CROSS, chk_ca_ku, NULL,
	    "keyUsage keyCertSign and cRLSign, optionally digitalSignature" },
	{ "cross.eku_unrestricted", E, "BR 7.1.2.2.3-7.1.2.2.4", CER_DATE_BR_2_0_0, P_CROSS,
	    chk_cross_eku_unrestricted, NULL, "EKU present; anyEKU only alone" },
	{ "cross.eku_restricted_tls", E, "BR 7.1.2.2.5", CER_DATE_BR_2_0_0, P_CROSS,
	    chk_cross_eku_tls, NULL,
	    "with serverAuth: no emailProtection, codeSigning, timeStamping, anyEKU" },
	{ "cross.eku_programs", W, "CRP 1.3.2; MRSP 5.3, 7.5.1", 0, P_CROSS, chk_cross_eku_programs,
	    NULL, "EKU [serverAuth] for Chrome and Mozilla hierarchies" },
	{ "cross.cp", E, "BR 7.1.2.2.6", CER_DATE_BR_2_0_0, P_CROSS, chk_cross_cp, NULL,
	    "policies present; anyPolicy alone or a Reserved CP OID" },
	/* (d) OCSP responder */
	{ "ocspcert.eku", E, "BR 7.1.2.8.5; RFC 6960 4.2.2.2", 0, P_OCSP | P_POCSP,
	    chk_ocsp_eku, NULL,
	    "EKU exactly id-kp-OCSPSigning" },
	{ "ocspcert.nocheck", E, "BR 7.1.2.8.6; RFC 6960 4.2.2.2.1", CER_DATE_BR_1_0, P_OCSP,
	    chk_ocsp_nocheck, NULL, "id-pkix-ocsp-nocheck present, non-critical, 0500" },
	{ "ocspcert.ku", E, "BR 7.1.2.8.7", CER_DATE_BR_2_0_0, P_OCSP, chk_ocsp_ku, NULL,
	    "keyUsage critical, digitalSignature only" },
	{ "ocspcert.bc", E, "BR 7.1.2.8.4", CER_DATE_BR_2_0_0, P_OCSP, chk_ocsp_bc, NULL,
	    "basicConstraints absent, or critical and exactly 3000" },
	{ "ocspcert.aki_ski", E, "BR 7.1.2.8.2", CER_DATE_BR_2_0_0, P_OCSP, chk_aki_ski, NULL,
	    "AKI present (MUST), SKI present (SHOULD)" },
	{ "ocspcert.no_cdp", E, "BR 7.1.2.8.2, 7.1.2.11.2", CER_DATE_BR_2_0_0, P_OCSP,
	    cer_lint_chk_presence, &no_cdp, "no cRLDistributionPoints" },
	{ "ocspcert.no_nc_san", E, "BR 7.1.2.8.2", CER_DATE_BR_2_0_0, P_OCSP, chk_ocsp_no_nc_san,
	    NULL, "no nameConstraints or subjectAltName" },
	{ "ocspcert.aia", E, "BR 7.1.2.8.3; RFC 5019 2.2.2", CER_DATE_BR_2_0_0, P_OCSP,
	    chk_ocsp_aia, NULL,
	    "no AIA (NOT RECOMMENDED: a warning); if present id-ad-ocsp only (MUST NOT other methods)" },
	{ "ocspcert.cp", W, "BR 7.1.2.8.8", CER_DATE_BR_2_0_0, P_OCSP, cer_lint_chk_presence,
	    &no_cp, "no certificatePolicies (SHOULD NOT)" },
	{ "ocspcert.no_sha1", E, "MRSP 5.1.3", CER_DATE_OCSP_CERT_NO_SHA1, P_OCSP,
	    cer_lint_chk_no_sha1, NULL, "no SHA-1 signature over an OCSPSigning certificate" },
};

const size_t cer_lint_cert_profile_nrules =
    sizeof(cer_lint_cert_profile_rules) / sizeof(cer_lint_cert_profile_rules[0]);
