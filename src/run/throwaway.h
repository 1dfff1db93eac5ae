/*
 * throwaway.h: throwaway SoftHSM tokens for ceremony rehearse.  A private
 * directory (mode 0700) holds a SoftHSM configuration of its own, which
 * SOFTHSM2_CONF names from then on, so no token of the machine's SoftHSM
 * is visible, let alone touched; the script's modules are never loaded.
 * Tokens are made, and stand-in keys imported, by Debian's softhsm2-util,
 * spawned (posix_spawn) before any PKCS#11 module is loaded in this
 * process: SoftHSM must not be forked after C_Initialize.  Everything is
 * removed with the directory.
 */
#ifndef CER_THROWAWAY_H
#define CER_THROWAWAY_H

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "base/err.h"
#include "script/model.h"

/* Debian's SoftHSM (package softhsm2). */
#define CER_SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so"
#define CER_SOFTHSM_UTIL "/usr/bin/softhsm2-util"

struct cer_throwaway;

/*
 * The directory (under $TMPDIR), its softhsm2.conf, a random PIN, and
 * SOFTHSM2_CONF pointing there.  CER_ERR_INPUT when SoftHSM is not
 * installed.  Call before any PKCS#11 module is loaded.
 */
int cer_throwaway_new(struct cer_throwaway **out) CER_WUR;

/*
 * One throwaway token for each place the tokens s uses are at (two roles
 * at the same module and selector share one, as on the day), labelled as
 * the script's token-label where it has one, else by its role; each used
 * token of s then selects it (SoftHSM's module, its label, the random PIN
 * as a literal, from "ceremony rehearse").  *out lists, per role, the
 * throwaway token and what it stands in for.
 */
int cer_throwaway_tokens(struct cer_throwaway *tw, struct cer_script *s,
    json_t **out) CER_WUR;

/*
 * A stand-in for a signing key that the real run finds on its token by
 * label and by the key of issuer (a certificate from an earlier
 * ceremony) or of pub (a public key file): a new software key of the same
 * kind and size, imported into the throwaway token of role t (a token
 * index of the script cer_throwaway_tokens placed) under label.
 * With issuer, *path is a copy of it carrying the stand-in key (subject,
 * extensions and validity byte for byte, so what it issues is as on the
 * day), self-signed; else the stand-in public key.  The same key is used
 * again for the same token, label and real key.
 */
int cer_throwaway_stand_in(struct cer_throwaway *tw, size_t t, const char *label,
    X509 *issuer, EVP_PKEY *pub, char **path) CER_WUR;

/*
 * Removes dir and everything below it (not following symbolic links, not
 * crossing mounts).  Accepts NULL.
 */
int cer_throwaway_remove_tree(const char *dir) CER_WUR;

/* Removes the directory with every token in it, and frees.  Accepts NULL. */
void cer_throwaway_free(struct cer_throwaway *tw);

#endif
