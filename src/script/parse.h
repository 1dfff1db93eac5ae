/*
 * parse.h: what every part of the script loader reads with: the YAML
 * reader (for messages), the script being built, and the native script's
 * list of steps (so a reference to a later step can say where it is).
 */
#ifndef CER_PARSE_H
#define CER_PARSE_H

#include "script/model.h"
#include "script/yaml.h"

/* Tokens and steps a script may hold. */
#define CER_SCRIPT_COUNT_MAX 1000

struct cer_parse {
	struct cer_yaml y;
	struct cer_script *s;
	const struct cer_yaml_node *steps;	/* the steps: sequence, or NULL (Boulder) */
};

#endif
