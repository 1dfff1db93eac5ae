/*
 * certprofile-int.h: what certprofile.c shares with the private
 * hierarchy's profile rules (certprofile-private.c).  Private to
 * src/script/certprofile*.c; the API is script/certprofile.h.
 */
#ifndef CER_CERTPROFILE_INT_H
#define CER_CERTPROFILE_INT_H

#include "script/certprofile.h"

/* The largest max-validity-days a private hierarchy's profile may state (100 years). */
#define CER_PRIVATE_MAX_DAYS 36525

/* An http:// or https:// URL with something after the scheme. */
int cer_certprofile_is_url(const char *s);

/* Dotted decimal with at least two arcs: 0..2 first, < 40 second below 2. */
int cer_certprofile_oid_ok(const char *s);

/* A DNS name for a constraint: LDH labels of 1-63 characters, at most 253 in all. */
int cer_certprofile_dns_ok(const char *s);

/*
 * The text list under key in m, each checked by ok (NULL: an IP subtree);
 * how says what a good value is.  Absent: nothing.
 */
int cer_certprofile_strlist(const struct cer_yaml *y, const struct cer_yaml_node *m,
    const char *key, struct cer_strlist *l, int (*ok)(const char *),
    const char *how) CER_WUR;

/* The directoryName subtrees under key: country, organization or both. */
int cer_certprofile_dn_list(const struct cer_yaml *y, const struct cer_yaml_node *m,
    const char *key, struct cer_dn **out, size_t *n) CER_WUR;

/* ---- certprofile-private.c ---- */

/* Policy i of a private profile (its mapping item): the CPS URI, no CA/B Forum OID, once. */
int cer_certprofile_private_policy(const struct cer_yaml *y, const struct cer_yaml_node *item,
    struct cer_cert_profile *p, size_t i) CER_WUR;

/* A private profile's ekus list: names or dotted OIDs, in order, each once. */
int cer_certprofile_private_ekus(const struct cer_yaml *y, const struct cer_yaml_node *v,
    struct cer_cert_profile *p) CER_WUR;

/* A private profile's validity against its own max-validity-days, when stated. */
int cer_certprofile_private_cap(const struct cer_yaml *y,
    const struct cer_cert_profile *p) CER_WUR;

/* The rest of a private name-constraints mapping v: DN, email and URI subtrees. */
int cer_certprofile_private_nc(const struct cer_yaml *y, const struct cer_yaml_node *v,
    struct cer_name_constraints *nc) CER_WUR;

#endif
