/* script-int.h: what script.c and script-boulder.c share; private to the loader. */
#ifndef CER_SCRIPT_INT_H
#define CER_SCRIPT_INT_H

#include <stddef.h>

#include "script/parse.h"
#include "script/model.h"

/* Room for every key a step may have, and the top-level ones. */
#define CER_SCRIPT_KEYS_MAX 64

/* Appends an empty step to s; *idx is its index. */
int cer_script_add_step(struct cer_script *s, size_t *idx) CER_WUR;

/* ceremony-type: a step type this version runs. */
int cer_script_step_type(const struct cer_parse *c, const struct cer_yaml_node *v,
    struct cer_step *st) CER_WUR;

/* The rest of step idx, read by its step type. */
int cer_script_step_body(const struct cer_parse *c, const struct cer_yaml_node *m,
    size_t idx) CER_WUR;

/* The keys a step may have (a Boulder config's, when boulder), NULL-terminated. */
void cer_script_step_keys(int boulder, const char **keys, size_t max);

/* A Boulder config into a one-step script. */
int cer_script_boulder_doc(struct cer_parse *c, const struct cer_yaml_node *m) CER_WUR;

#endif
