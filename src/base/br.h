/* br.h: CA/Browser Forum Baseline Requirements and root-program constants, each with its source. */
#ifndef CER_BR_H
#define CER_BR_H

#include <string.h>
#include <time.h>

/*
 * BR 6.3.2: a day is measured as 86,400 seconds; every limit in days below
 * counts such days.  In force at least since BR 2.0.0 (2023-09-15).
 */
#define CER_BR_DAY			86400

/*
 * What each hierarchy's rule set is (script 'hierarchy:'), in the words the
 * plan and the witness record use.  A private one never asserts an OID of
 * the CA/B Forum's policy arc (BR 7.1.6.1; the S/MIME and code-signing
 * requirements' OIDs are under it too).
 */
#define CER_BR_HIERARCHY_TLS_TEXT "public TLS: the CA/B Forum Baseline Requirements, " \
	"Mozilla's and Chrome's root program rules, and RFC 5280"
#define CER_BR_HIERARCHY_PRIVATE_TEXT "PRIVATE: RFC 5280 rules only, none of the CA/B " \
	"Forum's, Mozilla's or Chrome's; no CA/B Forum policy OID; not for a publicly " \
	"trusted CA"
/* The same, short enough for the first page of the witness record. */
#define CER_BR_HIERARCHY_TLS_SHORT "public TLS (CA/B Forum BRs, Mozilla, Chrome)"
#define CER_BR_HIERARCHY_PRIVATE_SHORT "PRIVATE (RFC 5280 rules only; not a publicly " \
	"trusted CA)"
#define CER_BR_CABF_POLICY_ARC "2.23.140."

/*
 * Reserved Certificate Policy Identifiers, BR 7.1.6.1; a TLS subordinate CA
 * asserts exactly one of them (BR 7.1.2.10.5, effective 2023-09-15 with the
 * 2.0.0 profiles; the OIDs themselves are older).
 */
#define CER_BR_POLICY_DV		"2.23.140.1.2.1"	/* domain-validated */
#define CER_BR_POLICY_OV		"2.23.140.1.2.2"	/* organization-validated */
#define CER_BR_POLICY_IV		"2.23.140.1.2.3"	/* individual-validated */
#define CER_BR_POLICY_EV		"2.23.140.1.1"		/* extended-validation (EVG) */
/* RFC 5280 4.2.1.4 anyPolicy; BR 7.1.2.10.5 lets an Affiliate's CA carry it alone. */
#define CER_BR_POLICY_ANY		"2.5.29.32.0"

/* Is oid (dotted) one of the four Reserved CP OIDs of BR 7.1.6.1? */
static inline int
cer_br_is_reserved_policy(const char *oid)
{
	return strcmp(oid, CER_BR_POLICY_DV) == 0 || strcmp(oid, CER_BR_POLICY_OV) == 0 ||
	    strcmp(oid, CER_BR_POLICY_IV) == 0 || strcmp(oid, CER_BR_POLICY_EV) == 0;
}

/*
 * Chrome Root Program Policy 1.3.2, 2.3 (dedicated TLS server
 * authentication hierarchies): a subordinate CA disclosed from 2026-06-15
 * 00:00:00 UTC asserts id-kp-serverAuth alone; one disclosed before that
 * date may assert serverAuth with clientAuth.  Policy 1.6 (2025-02-15)
 * brought this in for existing roots, for every unexpired subordinate CA.
 * Judged on the certificate's notBefore (disclosure follows issuance).
 */
#define CER_BR_SERVERAUTH_ONLY_FROM	((time_t)1781481600)	/* 2026-06-15 00:00:00 UTC */

/*
 * BR 1.2.2 (2026-03-15, 7.1.2.4), as subca.profile cites it: no
 * Precertificate Signing CA certificate may be issued from that date.
 */
#define CER_BR_NO_PRECERT_CA_FROM	((time_t)1773532800)	/* 2026-03-15 00:00:00 UTC */

/*
 * When lint rules took effect, 00:00:00 UTC, as `ceremony lint --list`
 * shows them.  A rule is judged against the artefact's own date
 * (certificate: notBefore; CRL: thisUpdate; OCSP response: producedAt),
 * as zlint's EffectiveDate is; an older artefact gets "not-applicable".
 * The BR dates are those of the "Relevant Dates" table of BR 1.2.2 (as it
 * stood before commit 168e0aa, 2026-04-01, pruned it) or of the version
 * table of BR 1.2; MRSP dates are those of the policy version that brought
 * the text (git -C mozilla+pkipolicy log -S).
 */
/* BR 1.0 effective date; BR 1.1: "apply only to relevant events ... on or after 1 July 2012". */
#define CER_DATE_BR_1_0			((time_t)1341100800)	/* 2012-07-01 */
/* BR 1.2.2 table, 6.1.6: the RSA public exponent is odd and at least 3. */
#define CER_DATE_RSA_EXPONENT		((time_t)1356998400)	/* 2013-01-01 */
/* BR 1.2.2 table, 6.1.5: RSA keys of at least 2048 bits. */
#define CER_DATE_RSA_2048		((time_t)1388448000)	/* 2013-12-31 */
/* BR 1.2.2 table, 7.1.3: no new Subordinate CA or Subscriber certificate signed with SHA-1. */
#define CER_DATE_NO_SHA1		((time_t)1451606400)	/* 2016-01-01 */
/* BR 1.2.2 table, 7.1 (ballot 164, BR 1.3.7): serials with 64 bits from a CSPRNG. */
#define CER_DATE_SERIAL_64		((time_t)1475193600)	/* 2016-09-30 */
/* BR 1.2.2 table, 7.1.3: no OCSP responder certificate signed with SHA-1. */
#define CER_DATE_OCSP_CERT_NO_SHA1	((time_t)1483228800)	/* 2017-01-01 */
/*
 * MRSP 2.4 (policy.md 2df4364): RSA moduli divisible by 8 (3d18836); an
 * OCSP response's nextUpdate no later than its signer's notAfter (696eb94).
 */
#define CER_DATE_MRSP_2_4		((time_t)1488240000)	/* 2017-02-28 */
/* BR 1.4.8 (ballot 199, 0a776f4): commonName required in root and subordinate CA subjects. */
#define CER_DATE_CA_CN			((time_t)1496880000)	/* 2017-06-08 */
/*
 * MRSP 2.6, 5.3 (81a5fe8, 1ccf315): "Intermediate certificates created
 * after January 1, 2019" have an EKU, no anyExtendedKeyUsage, never
 * serverAuth with emailProtection.
 */
#define CER_DATE_MRSP_EKU		((time_t)1546300800)	/* 2019-01-01 */
/* MRSP 2.7 (cc6355e), 5.1.1-5.1.2: the exact AlgorithmIdentifier encodings. */
#define CER_DATE_MRSP_2_7		((time_t)1577836800)	/* 2020-01-01 */
/*
 * BR 1.7.1 (ballot SC31, 6b870f9): signature algorithm per key, an EKU in
 * every subordinate CA, AKI keyIdentifier alone, no reasonCode in OCSP
 * singleExtensions.
 */
#define CER_DATE_BR_1_7_1		((time_t)1597881600)	/* 2020-08-20 */
/*
 * BR 1.7.1 "Effective 2020-09-30" (7.1.4.1 byte-identical names; 7.2.2
 * and 7.3 reason codes, none unspecified or certificateHold).
 */
#define CER_DATE_2020_09_30		((time_t)1601424000)	/* 2020-09-30 */
/* BR 1.2.2 table, 7.1.3.2.1 (SC53, 21c3982): no OCSP response signed with SHA-1. */
#define CER_DATE_OCSP_NO_SHA1		((time_t)1654041600)	/* 2022-06-01 */
/*
 * BR 1.8.6 7.2.2 (SC58, 2c63814), "Effective 2023-01-15": a partitioned
 * CRL has a critical IDP with a distributionPoint.
 */
#define CER_DATE_PARTITIONED_CRL	((time_t)1673740800)	/* 2023-01-15 */
/* MRSP 2.8 5.1.3 (0c215bb): "Effective July 1, 2023", no SHA-1 over CRLs or OCSP responses. */
#define CER_DATE_MRSP_SHA1_CRL		((time_t)1688169600)	/* 2023-07-01 */
/* BR 2.0.0 (ballot SC62, a0360b6): the certificate profiles of 7.1.2. */
#define CER_DATE_BR_2_0_0		((time_t)1694736000)	/* 2023-09-15 */
/* BR 2.0.1 (ballot SC63, 90a98dc) 7.2: "Effective 2024-03-15", the CRL profile of 7.2. */
#define CER_DATE_BR_CRL_PROFILE		((time_t)1710460800)	/* 2024-03-15 */
/* Chrome Root Program Policy 1.8 (3ffee97): 1.3.1.3, subordinate CAs valid at most 3 years. */
#define CER_DATE_CRP_1_8		((time_t)1770249600)	/* 2026-02-05 */

/*
 * RFC 6962 3.1 Precertificate Signing EKU; BR 7.1.2.10.6 and 7.1.2.3.3
 * (2023-09-15) keep it out of TLS and non-TLS CA EKUs.
 */
#define CER_BR_EKU_PRECERT		"1.3.6.1.4.1.11129.2.4.4"

/*
 * BR 7.1.2.1.1 (root) and 7.1.2.10.1 (other CAs), effective 2023-09-15:
 * notBefore no earlier than one day before the signing.
 */
#define CER_BR_NOTBEFORE_BACKDATE	CER_BR_DAY

/* BR 7.1.2.1.1, effective 2023-09-15: a root's validity, in days, both ends included. */
#define CER_BR_ROOT_MIN_DAYS		2922	/* about 8 years */
#define CER_BR_ROOT_MAX_DAYS		9132	/* about 25 years */

/*
 * Chrome Root Program Policy 1.3.1.3 (a SHOULD, from policy 1.8,
 * CER_DATE_CRP_1_8; the rule subca.validity only warns): a subordinate CA
 * valid for at most 3 years, counted as 3 * 366 days.
 */
#define CER_BR_CHROME_SUBCA_MAX_DAYS	(3 * 366)

/*
 * BR 4.9.7 and 7.2 (in BR 1.0 already; MRSP 6): a CRL about CA
 * certificates has nextUpdate at most 12 calendar months after
 * thisUpdate; one about Subscriber certificates at most 10 days after.
 */
#define CER_BR_CRL_CA_MAX_MONTHS	12
#define CER_BR_CRL_SUBSCRIBER_MAX_DAYS	10

/*
 * BR 4.9.9 (as ocsp.subca_interval cites it; in force at least since BR
 * 2.0.0, 2023-09-15): an OCSP response about a CA certificate is valid for
 * at most 12 months, counted as 366 days so that a leap year passes.
 */
#define CER_BR_OCSP_CA_MAX_DAYS		366

/*
 * BR 7.1.2.11.2 (cRLDistributionPoints) and 7.1.2.10.3 (authorityInfoAccess),
 * effective 2023-09-15: every URI uses the http scheme, never https.
 */
#define CER_BR_URL_SCHEME		"http://"

/*
 * BR 7.2.2 (CRL entries) and 7.3 (OCSP), as crl.reason_values and
 * ocsp.revoked_reason cite them (in force at least since 2023-09-15): the
 * reasons a CA may give: keyCompromise (1), affiliationChanged (3),
 * superseded (4), cessationOfOperation (5), privilegeWithdrawn (9).
 */
static inline int
cer_br_is_allowed_reason(long reason)
{
	return reason == 1 || reason == 3 || reason == 4 || reason == 5 || reason == 9;
}

#endif
