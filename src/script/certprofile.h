/*
 * certprofile.h: the parts of a script that describe keys and
 * certificates: a key block (type, size or curve) and a
 * certificate-profile (subject, validity, URLs, policies, key usages,
 * EKUs, serial, name constraints ...).  Each field is checked on its own;
 * the rules of a step type are the step type's.
 */
#ifndef CER_CERTPROFILE_H
#define CER_CERTPROFILE_H

#include <time.h>

#include "script/model.h"
#include "script/yaml.h"

/* The fields every certificate profile needs, and the subject alone (a CSR). */
extern const char *const cer_certprofile_required[];
extern const char *const cer_certprofile_subject_required[];

/* A key block: type (or Boulder's key-type), and rsa-mod-length or ecdsa-curve. */
int cer_certprofile_key(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_key_spec *key) CER_WUR;

/* The fields of a certificate-profile; required: those that must be there. */
int cer_certprofile_parse(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_cert_profile *p, const char *const *required) CER_WUR;

/* A field a profile of this step type does not take, with why (keys NULL-terminated). */
int cer_certprofile_refuse(const struct cer_yaml *y, const struct cer_yaml_node *m,
    const char *const *keys, const char *why) CER_WUR;

/* The profile's signature algorithm fits the signing key (profile rule cert.sigalg_matches_signer). */
int cer_certprofile_sigalg_fits(const struct cer_yaml *y, const struct cer_key_spec *k,
    const struct cer_cert_profile *p) CER_WUR;

/* name-constraints of a technically constrained CA (BR 7.1.2.5.2), when present. */
int cer_certprofile_nc(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_cert_profile *p) CER_WUR;

/*
 * The encoding fields (certprofile-enc.c): string-types, subject-order,
 * extension-order, critical-extensions, subject-key-id, authority-key-id.
 */
int cer_certprofile_encoding(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_cert_profile *p) CER_WUR;

/*
 * A private hierarchy's root and subordinate CA profiles (certprofile-private.c),
 * after cer_certprofile_parse: RFC 5280's rules for a CA certificate, none of
 * the CA/B Forum's, Mozilla's or Chrome's (docs/script.md, "Private hierarchies").
 */
int cer_certprofile_private_root(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_cert_profile *p) CER_WUR;
int cer_certprofile_private_subca(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_cert_profile *p, int cross) CER_WUR;

/* The names a private ekus list takes and their OIDs ({NULL, NULL}-terminated). */
struct cer_certprofile_eku_name {
	const char *name, *oid;
};
extern const struct cer_certprofile_eku_name cer_certprofile_eku_names[];

/* ekus written as a list ([server, client]): the order is kept. */
int cer_certprofile_eku_list(const struct cer_yaml *y, const struct cer_yaml_node *v,
    struct cer_cert_profile *p) CER_WUR;

/*
 * The names the encoding fields take: extensions by enum cer_ext (KU, EKU,
 * ...), string types by enum cer_strtype, attributes by enum cer_attr, AKI
 * forms by enum cer_aki_form (each from index 1, NULL-terminated), and
 * SKI methods by enum cer_ski_method (from index 0, CER_SKI_VALUE excluded).
 */
extern const char *const cer_certprofile_ext_names[];
extern const char *const cer_certprofile_strtype_names[];
extern const char *const cer_certprofile_attr_names[];
extern const char *const cer_certprofile_ski_names[];
extern const char *const cer_certprofile_aki_names[];

/*
 * The octets of hex text, big-endian ("c58a85", "c5:8a:85"; an odd number
 * of digits gets a leading 0): how many (buf holds the first max), 0 when
 * malformed.
 */
size_t cer_certprofile_octets(const char *s, unsigned char *buf, size_t max);

/* A UTC time "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SSZ" from 1950 on. */
int cer_certprofile_time(const struct cer_yaml *y, const struct cer_yaml_node *v,
    const char *key, time_t *out) CER_WUR;

#endif
