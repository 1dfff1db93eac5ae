/*
 * script-boulder.c: a Boulder ceremony config (cmd/ceremony of
 * letsencrypt/boulder) as a one-step script: its ceremony-type names the
 * step, its pkcs11: block becomes the step's token, and the rest is read
 * by the step type as in a native step.
 */
#include <stdlib.h>
#include <string.h>

#include "script/script-int.h"

/*
 * Boulder's verifyProfile requires policy-url on every profile it reads
 * (cmd/ceremony cert.go, since 2026-06-02): the CPS section the profile
 * follows, put in front of those who plan and run the ceremony.  The
 * historical ocsp-signer type was removed from Boulder before that and
 * never had it.
 */
static int
policy_url_required(const struct cer_parse *c, const struct cer_yaml_node *m,
    const struct cer_step *st)
{
	const struct cer_yaml_node *pv = cer_yaml_val(m, "certificate-profile");

	/* first, as in Boulder; the step type reads the rest of the profile */
	if (st->type == CER_STEP_KEY || st->type == CER_STEP_OCSP_SIGNER || pv == NULL ||
	    pv->kind != CER_YAML_MAP || cer_yaml_key(pv, "policy-url") != NULL)
		return CER_OK;
	return cer_yaml_fail(&c->y, pv->pos, "a Boulder certificate-profile needs "
	    "'policy-url', the URL of the CPS section it follows (Boulder's verifyProfile "
	    "requires it); add it");
}

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
	if ((r = policy_url_required(c, m, st)) != CER_OK)
		return r;
	return cer_script_step_body(c, m, idx);
}

