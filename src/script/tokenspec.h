/*
 * tokenspec.h: the token part of a script: the tokens: mapping of a native
 * script, and where a step's key lives (token: and label:, or an inline
 * Boulder pkcs11: block, which becomes a token of its own).
 */
#ifndef CER_TOKENSPEC_H
#define CER_TOKENSPEC_H

#include <stddef.h>

#include "script/parse.h"

/*
 * tokens: of a native script (each a module, one selector and a PIN
 * source, or nothing: a role a site file places), or of a site file
 * (site: each complete).
 */
int cer_tokenspec_parse(struct cer_parse *c, const struct cer_yaml_node *m, int site) CER_WUR;

/*
 * The token and key label of step idx: token: (a name from tokens:) with
 * label:, or a pkcs11: block (signing: Boulder's signing-key-* names, else
 * the store-key-* names).
 */
int cer_tokenspec_step(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx,
    int signing) CER_WUR;

/*
 * s->redacted: the text with every literal PIN of its tokens replaced by
 * eight asterisks (whatever its length), as the transcript records it;
 * s->pins_redacted says whether there was one.  Run right after loading,
 * while every position is the text's.
 */
int cer_tokenspec_redact(struct cer_script *s) CER_WUR;

/*
 * Puts src's module, selector and PIN (copies, with their positions) in
 * place of dst's; from is the file they were read from (model.h).  For a
 * site file, and for a rehearsal's throwaway tokens.
 */
int cer_tokenspec_locate(struct cer_token_spec *dst, const struct cer_token_spec *src,
    const char *from) CER_WUR;

#endif
