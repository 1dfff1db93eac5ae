/*
 * script-boulder.c: a Boulder ceremony config (cmd/ceremony of
 * letsencrypt/boulder) as a one-step script: its ceremony-type names the
 * step, its pkcs11: block becomes the step's token, and the rest is read
 * by the step type as in a native step.
 */
#include <stdlib.h>
#include <string.h>

#include "script/script-int.h"

int
cer_script_boulder_doc(struct cer_parse *c, const struct cer_yaml_node *m)
{
	const char *keys[CER_SCRIPT_KEYS_MAX];
	struct cer_step *st;
	size_t idx;
	int r;

	c->s->boulder = 1;
	if ((r = cer_script_add_step(c->s, &idx)) != CER_OK)
		return r;
	st = &c->s->steps[idx];
	st->pos = m->pos;
	if ((r = cer_script_step_type(c, cer_yaml_val(m, "ceremony-type"), st)) != CER_OK ||
	    (cer_script_step_keys(1, keys, sizeof(keys) / sizeof(keys[0])),
	    (r = cer_yaml_check_map(&c->y, m, "a Boulder config", keys, NULL))) != CER_OK)
		return r;
	st->id_pos = st->type_pos;
	if ((st->id = strdup(cer_step_type_name(st->type))) == NULL)
		return cer_yaml_nomem();
	return cer_script_step_body(c, m, idx);
}

