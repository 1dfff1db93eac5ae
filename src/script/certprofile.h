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

/* A UTC time "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SSZ" from 1950 on. */
int cer_certprofile_time(const struct cer_yaml *y, const struct cer_yaml_node *v,
    const char *key, time_t *out) CER_WUR;

#endif
