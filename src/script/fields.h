/*
 * fields.h: the fields steps of every type are made of: a key made by the
 * step (token, label, key block) or taken from a key step (signing-key),
 * outputs (every path unique in the script), skip-lints, and references
 * to earlier steps by id, with a message that names a later step or the
 * nearest id when a reference is wrong.
 */
#ifndef CER_FIELDS_H
#define CER_FIELDS_H

#include <stddef.h>

#include "script/parse.h"

/* The output keys a step may give, and Boulder's one that is refused. */
extern const char *const cer_fields_output_keys[];
extern const struct cer_yaml_hint cer_fields_output_hints[];

/* skip-lints: a list of {name, reason} (a Boulder config: plain names). */
int cer_fields_skip_lints(const struct cer_parse *c, const struct cer_yaml_node *v,
    struct cer_step *st) CER_WUR;

/* Output key of mapping m, when given, appended to st's outputs. */
int cer_fields_output(const struct cer_parse *c, const struct cer_yaml_node *m, const char *key,
    struct cer_step *st) CER_WUR;

/* The outputs: of a key-making step (key, root): public-key-path, certificate-path. */
int cer_fields_key_outputs(const struct cer_parse *c, const struct cer_yaml_node *m,
    size_t idx) CER_WUR;

/* Ed25519 is for private hierarchies only (profile rule cert.key_ec). */
int cer_fields_ed25519(const struct cer_parse *c, struct cer_pos pos) CER_WUR;

/* token: or pkcs11:, a label unique among the keys made on that token, and the key block. */
int cer_fields_new_key(const struct cer_parse *c, const struct cer_yaml_node *m,
    size_t idx) CER_WUR;

/* signing-key: the key, token and label of an earlier key step. */
int cer_fields_signing_key(const struct cer_parse *c, const struct cer_yaml_node *v,
    size_t idx) CER_WUR;

/* The key of a key or root step (signing-key:, or a key it makes), then its outputs. */
int cer_fields_key_step(const struct cer_parse *c, const struct cer_yaml_node *m,
    size_t idx) CER_WUR;

/*
 * Every key of step mapping m (but id and ceremony-type) is one of keys,
 * the step type's own: the loader allows the keys of every type.
 */
int cer_fields_own_keys(const struct cer_parse *c, const struct cer_yaml_node *m,
    enum cer_step_type type, const char *const *keys) CER_WUR;

/* "a key step", "an intermediate step" (a static buffer). */
const char *cer_fields_a_type(enum cer_step_type t);

/* An earlier step named by field, of one of the types in mask (1 << type). */
int cer_fields_step_ref(const struct cer_parse *c, const struct cer_yaml_node *v, size_t idx,
    const char *field, unsigned mask, const char *kinds, size_t *out,
    struct cer_pos *pos) CER_WUR;

#endif
