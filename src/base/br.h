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
 * authentication hierarchies): a subordinate CA issued from 2026-06-15
 * 00:00:00 UTC asserts id-kp-serverAuth alone; before that date serverAuth
 * with clientAuth is still accepted.
 */
#define CER_BR_SERVERAUTH_ONLY_FROM	((time_t)1781481600)	/* 2026-06-15 00:00:00 UTC */

/*
 * BR 7.1.2, 7.1.2.4 (as subca.profile cites them): no Precertificate
 * Signing CA certificate may be issued from 2026-03-15 00:00:00 UTC.
 */
#define CER_BR_NO_PRECERT_CA_FROM	((time_t)1773532800)	/* 2026-03-15 00:00:00 UTC */

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
 * Chrome Root Program Policy 1.3.1.3 (a SHOULD; effective date not pinned
 * here, the rule subca.validity only warns): a subordinate CA valid for at
 * most 3 years, counted as 3 * 366 days.
 */
#define CER_BR_CHROME_SUBCA_MAX_DAYS	(3 * 366)

/*
 * BR 7.2, 4.9.7 (in force at least since BR 2.0.0, 2023-09-15): a CRL
 * about CA certificates has nextUpdate at most 12 calendar months after
 * thisUpdate.
 */
#define CER_BR_CRL_CA_MAX_MONTHS	12

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
