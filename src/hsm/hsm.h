/*
 * hsm.h: the only code that speaks PKCS#11.  A thin layer over the raw
 * CK_FUNCTION_LIST of a dlopen'ed module (ARCHITECTURE §2): module life
 * cycle, token selection, login, CA key generation with the exact template
 * and its read-back, key lookup, randomness and signing.  CK_RV values are
 * turned into CER_ERR_PKCS11 (with the CKR_ name in the detail) on the line
 * that makes the call.  No PKCS#11 type crosses this interface: callers
 * name key types and signature schemes by the enums of base/alg.h, and
 * the PKCS#11 header stays inside src/hsm/ (hsm/hsm-int.h).
 *
 * Every int function returns CER_OK or a negative CER_ERR_*: besides those
 * listed with it, CER_ERR_PKCS11 when a call to the module fails and
 * CER_ERR_ALLOC when memory runs out.
 */
#ifndef CER_HSM_H
#define CER_HSM_H

#include <stddef.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "base/alg.h"
#include "base/err.h"

struct cer_hsm;		/* a loaded, initialised module */
struct cer_token;	/* a read-write session on one token */
struct cer_key;		/* a key pair on a token: both object handles */

/* How a token is chosen: exactly one of label, serial, uri or slot. */
struct cer_token_select {
	const char *label;
	const char *serial;
	const char *uri;
	int has_slot;
	unsigned long slot;
};

/* What to generate. */
struct cer_keygen {
	enum cer_key_type type;
	unsigned rsa_bits;
	enum cer_curve curve;
	const char *label;
};

/*
 * Whether uri (RFC 7512) can select a token: it parses, carries no PIN,
 * and names only token attributes.  CER_ERR_SCRIPT with the problem and
 * its fix in why (no detail recorded), CER_ERR_ALLOC.
 */
int cer_hsm_uri_check(const char *uri, char *why, size_t n) CER_WUR;

/*
 * dlopen()s the module, C_GetFunctionList, C_Initialize(CKF_OS_LOCKING_OK).
 * CER_ERR_PKCS11 also when path is no loadable PKCS#11 module.
 */
int cer_hsm_load(const char *path, struct cer_hsm **out) CER_WUR;

/* C_Finalize and dlclose. Accepts NULL. Every token must be closed first. */
void cer_hsm_free(struct cer_hsm *hsm);

/*
 * {"path","realpath","sha256","info":{C_GetInfo}} for the transcript.
 * CER_ERR_SYSTEM or CER_ERR_INPUT when the module file cannot be hashed.
 */
int cer_hsm_describe(struct cer_hsm *hsm, json_t **out) CER_WUR;

/*
 * Finds the one initialised token that sel matches and opens a read-write
 * session on it.  CER_ERR_TOKEN when none or several match (the detail
 * lists what is there and what to do); CER_ERR_SCRIPT when sel's uri does
 * not parse.
 */
int cer_hsm_open_token(struct cer_hsm *hsm, const struct cer_token_select *sel,
    struct cer_token **out) CER_WUR;

/* C_Logout (when logged in) and C_CloseSession. Accepts NULL. */
void cer_hsm_close(struct cer_token *tok);

/* {"slot_id","slot":{C_GetSlotInfo},"token":{C_GetTokenInfo}}. */
int cer_hsm_token_describe(struct cer_token *tok, json_t **out) CER_WUR;

/*
 * Takes the token's lock for as long as it stays open: flock(LOCK_EX|LOCK_NB)
 * on dir/ceremony-token-<hex>.lock, <hex> the first 32 hex digits of the
 * SHA-256 of "manufacturer\nmodel\nserial" (the token's identity, whatever
 * module reaches it).  CER_ERR_TOKEN, naming the lock file, when another
 * process holds it; CER_ERR_SYSTEM when it cannot be made.  *path gets the
 * lock file's path (static until the next call).
 */
int cer_hsm_token_lock(struct cer_token *tok, const char *dir, const char **path) CER_WUR;

/* Whether a and b are the same token (manufacturer, model and serial). */
int cer_hsm_token_same(const struct cer_token *a, const struct cer_token *b);

/* The token's label, serial and manufacturer, trimmed. */
const char *cer_hsm_token_label(const struct cer_token *tok);
const char *cer_hsm_token_serial(const struct cer_token *tok);
int cer_hsm_token_is_softhsm(const struct cer_token *tok);

/*
 * Logs the user in once: refuses a locked PIN, a PIN on its final try and
 * a PIN that must be changed, before calling C_Login; never retries.
 * CER_ERR_PIN for a wrong or unusable PIN.  *warning is set to a static
 * string when the token reports CKF_USER_PIN_COUNT_LOW, else NULL.
 */
int cer_hsm_login(struct cer_token *tok, const char *pin, size_t pin_len,
    const char **warning) CER_WUR;

/* *taken = 1 when any object on the token has this CKA_LABEL. */
int cer_hsm_label_taken(struct cer_token *tok, const char *label, int *taken) CER_WUR;

/*
 * Requires the token to offer the mechanism that generates key pairs of
 * this type (CKF_GENERATE_KEY_PAIR), or that signs by alg's scheme
 * (CKF_SIGN), and, when bits > 0 (an RSA modulus), for keys of that size;
 * CER_ERR_MECHANISM if not.  *info (may be NULL) receives
 * {"mechanism","min_key_size","max_key_size","flags":[CKF_...]}.
 */
int cer_hsm_can_generate(struct cer_token *tok, enum cer_key_type type, unsigned bits,
    json_t **info) CER_WUR;
int cer_hsm_can_sign(struct cer_token *tok, enum cer_sigalg alg, unsigned long bits,
    json_t **info) CER_WUR;

/* The name of the mechanism that signs by alg's scheme ("CKM_RSA_PKCS_PSS"), for the record. */
const char *cer_hsm_sign_mechanism(enum cer_sigalg alg);

/* len bytes of C_GenerateRandom. */
int cer_hsm_random(struct cer_token *tok, unsigned char *buf, size_t len) CER_WUR;

/*
 * Generates a CA key pair with the template of docs/tokens.md (label and
 * a fresh random CKA_ID on both halves); a token that rejects the template
 * gets it once more without the optional attributes.  *template gets the
 * template used as JSON, with "first_attempt" and "retried_without" after
 * such a retry.  CER_ERR_KEY when the token keeps giving CKA_IDs in use;
 * CER_ERR_PKCS11 naming the call, the CKR_*, the token and whether anything
 * was left when generation fails.  The key
 * comes back unchecked, so that the caller records it first; then it
 * checks it (cer_hsm_key_sole, cer_hsm_key_matches, cer_hsm_key_reread,
 * cer_hsm_key_attributes) and destroys it if refused.
 */
int cer_hsm_generate(struct cer_token *tok, const struct cer_keygen *kg,
    struct cer_key **out, json_t **template) CER_WUR;

/*
 * Reads every attribute of both halves back ({"private":{CKA_*:…},
 * "public":{…}}) and requires LOCAL, ALWAYS_SENSITIVE, NEVER_EXTRACTABLE,
 * SENSITIVE, !EXTRACTABLE, SIGN, !DECRYPT, !UNWRAP, !DERIVE, !SIGN_RECOVER
 * on the private half; CER_ERR_KEY naming the first that is wrong.
 */
int cer_hsm_key_attributes(struct cer_token *tok, struct cer_key *key,
    json_t **readback) CER_WUR;

/*
 * The public key of a key pair, rebuilt from CKA_MODULUS/EXPONENT or
 * CKA_EC_PARAMS/EC_POINT; the key also keeps a reference.  CER_ERR_KEY for
 * a key type or curve ceremony does not use, CER_ERR_OPENSSL when OpenSSL
 * will not take the values.
 */
int cer_hsm_key_public(struct cer_token *tok, struct cer_key *key, EVP_PKEY **out) CER_WUR;

/*
 * Finds a key pair by label: the public-key object with this label whose
 * key equals expected (any one, when expected is NULL and exactly one has
 * the label), then the private key with its CKA_ID.  CER_ERR_KEY otherwise.
 */
int cer_hsm_find_key(struct cer_token *tok, const char *label,
    const EVP_PKEY *expected, struct cer_key **out) CER_WUR;

/* The key's label and CKA_ID (hex). */
const char *cer_hsm_key_label(const struct cer_key *key);
const char *cer_hsm_key_id_hex(const struct cer_key *key);

/*
 * Signs in with the key by alg's scheme: C_SignInit with CKM_RSA_PKCS,
 * CKM_RSA_PKCS_PSS (the scheme's hash for digest and MGF1, a salt of the
 * hash's length), CKM_ECDSA or CKM_EDDSA, then C_Sign.  in is what that
 * mechanism signs, as alg's padding kind says (base/alg.h): the DER
 * DigestInfo, the digest, or the whole message; an ECDSA signature comes
 * back as r||s.  *sig is malloc'ed.  CER_ERR_INTERNAL for a scheme with
 * no mechanism.
 */
int cer_hsm_sign(struct cer_token *tok, struct cer_key *key, enum cer_sigalg alg,
    const unsigned char *in, size_t len, unsigned char **sig, size_t *sig_len) CER_WUR;

/*
 * After a key generation cut off by a kill: when label names exactly one
 * object and it is a public key, destroys it; *removed describes it for
 * the transcript.  CER_ERR_KEY (and nothing destroyed) for anything else.
 */
int cer_hsm_remove_orphan_public(struct cer_token *tok, const char *label,
    json_t **removed) CER_WUR;

/*
 * After generation, before anything else: the label names exactly the two
 * objects of key, and nothing else on the token (another process could
 * have made one since the label was found free).  CER_ERR_KEY if not.
 */
int cer_hsm_key_sole(struct cer_token *tok, struct cer_key *key) CER_WUR;

/*
 * The key is of the type, size or curve kg asked for (read from the
 * token).  CER_ERR_KEY if not.
 */
int cer_hsm_key_matches(struct cer_token *tok, struct cer_key *key,
    const struct cer_keygen *kg) CER_WUR;

/*
 * Reads the public key from the token a second time and requires it to
 * equal the one read before (cer_hsm_key_public): a key whose public half
 * reads back two ways is never recorded.  CER_ERR_KEY if they differ.
 */
int cer_hsm_key_reread(struct cer_token *tok, struct cer_key *key) CER_WUR;

/*
 * Destroys both halves of a key the run made and refused, private first.
 * CER_ERR_PKCS11 (the CKR_* in the detail) when the token does not allow
 * it; the key may then be half destroyed (*destroyed says what went).
 */
int cer_hsm_key_destroy(struct cer_token *tok, struct cer_key *key, json_t **destroyed) CER_WUR;

/* Frees the handle structure (the key stays on the token). Accepts NULL. */
void cer_hsm_key_free(struct cer_key *key);

#endif
