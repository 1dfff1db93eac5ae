/*
 * tokenspec.h: the token part of a script: the tokens: mapping of a native
 * script, and where a step's key lives (token: and label:, or an inline
 * Boulder pkcs11: block, which becomes a token of its own).
 */
#ifndef CER_TOKENSPEC_H
#define CER_TOKENSPEC_H

#include <stddef.h>

#include "script/parse.h"

/* tokens: of a native script, each a module, one selector and a PIN source. */
int cer_tokenspec_parse(struct cer_parse *c, const struct cer_yaml_node *m) CER_WUR;

/*
 * The token and key label of step idx: token: (a name from tokens:) with
 * label:, or a pkcs11: block (signing: Boulder's signing-key-* names, else
 * the store-key-* names).
 */
int cer_tokenspec_step(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx,
    int signing) CER_WUR;

#endif
