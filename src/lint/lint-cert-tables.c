/* lint-cert-tables.c: a certificate rule per row of tables A (encodings) and B (criticality). */
#include "lint/lint-int.h"

/* alg.*: when the OID (and curve or hash) is this row's, the bytes are too. */
static int
chk_alg_row(struct cer_lint_ctx *c, const void *arg)
{
	const struct cer_lint_alg *row = arg;
	const X509_ALGOR *outer, *a[2];
	int i, n = 0, applies = 0;

	X509_get0_signature(NULL, &outer, c->cert);
	if (row->use == CER_LINT_ALG_SPKI)
		a[n++] = cer_lint_spki_algor(c->cert);
	else {
		a[n++] = X509_get0_tbs_sigalg(c->cert);
		a[n++] = outer;
	}
	for (i = 0; i < n; i++) {
		if (cer_lint_alg_match(a[i], row->use) != row)
			continue;
		applies = 1;
		if (!cer_lint_algor_is(a[i], row->hex))
			return cer_lint_failf(c, "%s AlgorithmIdentifier is not encoded as %s",
			    row->use == CER_LINT_ALG_SPKI ? "SPKI" : i == 0 ? "TBS signature" :
			    "outer signature", row->hex);
	}
	return applies ? LINT_PASS : LINT_NA;
}

/* ---- table B: criticality of each extension, when present ---- */

struct crit {
	int nid;
	const char *name;
	/*
	 * Per profile, in enum order: 'C' critical, 'N' non-critical, '-' either
	 * (the CRL and OCSP response columns are never read).  The private
	 * profiles' columns are RFC 5280 4.2.1's and RFC 6960 4.2.2.2.1's.
	 */
	char want[CER_LINT_NPROFILES];
	/*
	 * When the demand on OCSP responder certificates took effect, if later
	 * than the rule's: BR 2.0.0's 7.1.2.8 table, where BR 1.x said nothing.
	 */
	time_t ocsp_since;
};

static const struct crit crit_aki = { NID_authority_key_identifier, "AKI", "NNNNNN--NNN-", 0 };
static const struct crit crit_bc = { NID_basic_constraints, "basicConstraints", "CCCCCC--CC--",
    CER_DATE_BR_2_0_0 };
static const struct crit crit_ku = { NID_key_usage, "keyUsage", "CCCCCC--CCC-", CER_DATE_BR_2_0_0 };
static const struct crit crit_ski = { NID_subject_key_identifier, "SKI", "NNNNNN--NNN-", 0 };
static const struct crit crit_eku = { NID_ext_key_usage, "extKeyUsage", "-NNNN-------", 0 };
static const struct crit crit_cp = { NID_certificate_policies, "certificatePolicies",
    "NNNNNN------", 0 };
static const struct crit crit_cdp = { NID_crl_distribution_points, "cRLDistributionPoints",
    "NNNNNN--NNN-", CER_DATE_BR_2_0_0 };
static const struct crit crit_aia = { NID_info_access, "authorityInfoAccess", "NNNNNN--NNN-", 0 };
static const struct crit crit_nc = { NID_name_constraints, "nameConstraints", "CCCCCC--CC--", 0 };
static const struct crit crit_nocheck = { NID_id_pkix_OCSP_noCheck, "ocsp-nocheck", "NNNNNN--NNN-",
    0 };
static const struct crit crit_sct = { NID_ct_precert_scts, "SCT list", "NNNNNN------", 0 };

static int
chk_crit(struct cer_lint_ctx *c, const void *arg)
{
	const struct crit *k = arg;
	char want = k->want[c->profile];
	int n;
	X509_EXTENSION *e = cer_lint_ext_find(c->cert, k->nid, &n);

	if (e == NULL || want == '-')
		return LINT_NA;
	if (c->profile == CER_LINT_OCSP_RESPONDER && !cer_lint_in_force(c, k->ocsp_since))
		return cer_lint_not_in_force(c, k->ocsp_since);
	if (want == 'C' && !X509_EXTENSION_get_critical(e))
		return cer_lint_failf(c, "%s is not critical", k->name);
	if (want == 'N' && X509_EXTENSION_get_critical(e))
		return cer_lint_failf(c, "%s is critical", k->name);
	return LINT_PASS;
}

#define E CER_LINT_ERROR
#define W CER_LINT_WARNING

/*
 * Row i of cer_lint_algs (lint-util.c): the rows there are in this order.
 * The exact encodings came with MRSP 2.7, before BR 1.7.1 (SC31).
 */
#define ALG(id, i, cite, d) { id, E, cite, CER_DATE_MRSP_2_7, P_ALL, chk_alg_row, \
	&cer_lint_algs[i], d }
/*
 * since: 0 where RFC 5280 4.2 itself demands it; BR 1.0 (7.1.2.1-7.1.2.2 of
 * BR 1.x) for the CA certificate demands it already made; BR 2.0.0 for
 * those its profile tables brought.
 */
#define CRIT(id, sev, since, k, d) { id, sev, "BR 7.1.2 profile tables; RFC 5280 4.2", since, \
	P_ALL, chk_crit, &k, d }
/* The same, where RFC 5280 4.2.1 (or RFC 6960) states it: the private profiles too. */
#define CRITP(id, sev, since, k, d) { id, sev, "BR 7.1.2 profile tables; RFC 5280 4.2", since, \
	P_ALL | P_PRIV, chk_crit, &k, d }

const struct cer_lint_rule cer_lint_cert_tables_rules[] = {
	/* table A */
	ALG("alg.spki_rsa", 0, "BR 7.1.3.1.1; MRSP 5.1.1", "rsaEncryption SPKI encoded exactly"),
	ALG("alg.spki_p256", 1, "BR 7.1.3.1.2; MRSP 5.1.2", "P-256 SPKI encoded exactly"),
	ALG("alg.spki_p384", 2, "BR 7.1.3.1.2; MRSP 5.1.2", "P-384 SPKI encoded exactly"),
	ALG("alg.spki_p521", 3, "BR 7.1.3.1.2; MRSP 5.1.2", "P-521 SPKI encoded exactly"),
	ALG("alg.rsa_sha256", 4, "BR 7.1.3.2.1; MRSP 5.1.1",
	    "sha256WithRSAEncryption encoded with NULL"),
	ALG("alg.rsa_sha384", 5, "BR 7.1.3.2.1; MRSP 5.1.1",
	    "sha384WithRSAEncryption encoded with NULL"),
	ALG("alg.rsa_sha512", 6, "BR 7.1.3.2.1; MRSP 5.1.1",
	    "sha512WithRSAEncryption encoded with NULL"),
	ALG("alg.pss_sha256", 7, "BR 7.1.3.2.1; MRSP 5.1.1", "RSASSA-PSS SHA-256 encoded exactly"),
	ALG("alg.pss_sha384", 8, "BR 7.1.3.2.1; MRSP 5.1.1", "RSASSA-PSS SHA-384 encoded exactly"),
	ALG("alg.pss_sha512", 9, "BR 7.1.3.2.1; MRSP 5.1.1", "RSASSA-PSS SHA-512 encoded exactly"),
	ALG("alg.ecdsa_sha256", 10, "BR 7.1.3.2.2; MRSP 5.1.2",
	    "ecdsa-with-SHA256 encoded without parameters"),
	ALG("alg.ecdsa_sha384", 11, "BR 7.1.3.2.2; MRSP 5.1.2",
	    "ecdsa-with-SHA384 encoded without parameters"),
	ALG("alg.ecdsa_sha512", 12, "BR 7.1.3.2.2; MRSP 5.1.2",
	    "ecdsa-with-SHA512 encoded without parameters"),
	/* table B: criticality when present */
	CRITP("ext.aki", E, 0, crit_aki, "authorityKeyIdentifier is non-critical"),
	CRITP("ext.bc", E, CER_DATE_BR_1_0, crit_bc, "basicConstraints is critical"),
	CRITP("ext.ku", E, CER_DATE_BR_1_0, crit_ku, "keyUsage is critical"),
	CRITP("ext.ski", E, 0, crit_ski, "subjectKeyIdentifier is non-critical"),
	CRIT("ext.eku", E, CER_DATE_BR_2_0_0, crit_eku,
	    "extKeyUsage is non-critical in CA certificates"),
	CRIT("ext.cp", E, CER_DATE_BR_2_0_0, crit_cp, "certificatePolicies is non-critical"),
	CRITP("ext.crldp", E, CER_DATE_BR_1_0, crit_cdp, "cRLDistributionPoints is non-critical"),
	CRITP("ext.aia", E, 0, crit_aia, "authorityInfoAccess is non-critical"),
	CRITP("ext.nc", W, CER_DATE_BR_1_0, crit_nc, "nameConstraints SHOULD be critical"),
	CRITP("ext.nocheck", E, CER_DATE_BR_2_0_0, crit_nocheck,
	    "id-pkix-ocsp-nocheck is non-critical"),
	CRIT("ext.sct", E, CER_DATE_BR_2_0_0, crit_sct, "the SCT list is non-critical"),
};

const size_t cer_lint_cert_tables_nrules =
    sizeof(cer_lint_cert_tables_rules) / sizeof(cer_lint_cert_tables_rules[0]);
