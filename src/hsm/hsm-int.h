/*
 * hsm-int.h: what the files of src/hsm/ share: the structures behind the
 * opaque handles of hsm/hsm.h, and the PKCS#11 header, which goes no
 * further.  Private to src/hsm/ (and its unit test); the API is hsm/hsm.h.
 *
 *	module.c	module life cycle, token selection, sessions, login
 *	keys.c		CA key generation, read-back, public keys, lookup
 *	mech.c		mechanisms the token offers, and signing
 *	names.c		CKR_/CKM_/CKF_ names and the attribute descriptions
 */
#ifndef CER_HSM_INT_H
#define CER_HSM_INT_H

#include <stddef.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <p11-kit/pkcs11.h>

#include "hsm/hsm.h"

struct cer_hsm {
	char *path;
	void *dl;
	CK_FUNCTION_LIST *f;
	int initialized;
	CK_INFO info;		/* C_GetInfo, asked once */
	int have_info;
};

/* A mechanism's C_GetMechanismInfo, asked once per token. */
struct cer_mech_seen {
	CK_MECHANISM_TYPE type;
	CK_MECHANISM_INFO info;
};

struct cer_token {
	struct cer_hsm *hsm;
	CK_SLOT_ID slot;
	CK_SESSION_HANDLE session;
	int logged_in;
	CK_TOKEN_INFO info;
	char label[33];
	char serial[17];
	char manufacturer[33];
	int lock_fd;		/* the token lock (cer_hsm_token_lock), or -1 */
	CK_MECHANISM_TYPE *mechs;	/* C_GetMechanismList, asked once (NULL before) */
	CK_ULONG nmechs;
	struct cer_mech_seen seen[8];	/* C_GetMechanismInfo answers */
	size_t nseen;
};

struct cer_key {
	CK_OBJECT_HANDLE pub;
	CK_OBJECT_HANDLE priv;
	char *label;
	unsigned char id[64];
	size_t id_len;
	char *id_hex;
	enum cer_key_type type;
	EVP_PKEY *pkey;		/* cached public key */
};

/* ---- names.c ---- */

/* "CKR_PIN_INCORRECT", ... or "CKR_0x…" (static buffer) for unknown values. */
const char *cer_hsm_rv_name(CK_RV rv);

/* "CKM_ECDSA", ... or "CKM_0x…" (static buffer). */
const char *cer_hsm_mech_name(CK_MECHANISM_TYPE mech);

/* CER_ERR_PKCS11: "<call> failed with <CKR_name> (<what>)". */
int cer_hsm_fail(CK_RV rv, const char *call, const char *what);

/*
 * What the operator can do about rv, for the end of an error from a module
 * ceremony may not know: "check that the token is there ...".
 */
const char *cer_hsm_rv_advice(CK_RV rv);

/* The CKF_ names of the token or mechanism flags set in flags; NULL when out of memory. */
json_t *cer_hsm_token_flags_json(CK_FLAGS flags);
json_t *cer_hsm_mech_flags_json(CK_FLAGS flags);

/* The attributes this module knows, how each is shown in the transcript. */
enum cer_hsm_attr_kind { CER_HSM_A_BOOL, CER_HSM_A_ULONG, CER_HSM_A_BYTES, CER_HSM_A_TEXT };

struct cer_hsm_attr {
	CK_ATTRIBUTE_TYPE type;
	const char *name;	/* "CKA_SIGN" */
	enum cer_hsm_attr_kind kind;
};

extern const struct cer_hsm_attr cer_hsm_attrs[];
extern const size_t cer_hsm_nattrs;

/* The description of type, or NULL when this module does not know it. */
const struct cer_hsm_attr *cer_hsm_attr_find(CK_ATTRIBUTE_TYPE type);

/* An attribute's value as JSON (a boolean, a number, text or hex); NULL when out of memory. */
json_t *cer_hsm_attr_json(const struct cer_hsm_attr *d, const void *v, size_t len);

/* A template as {CKA_*: value}, the attributes this module knows. */
int cer_hsm_attrs_to_json(const CK_ATTRIBUTE *t, size_t n, json_t **out) CER_WUR;

/* ---- keys.c ---- */

/* Up to max handles of objects matching tmpl (C_FindObjectsInit/C_FindObjects/Final). */
int cer_hsm_find_objects(struct cer_token *tok, CK_ATTRIBUTE *tmpl, CK_ULONG n,
    CK_OBJECT_HANDLE *found, CK_ULONG max, CK_ULONG *nfound) CER_WUR;

/*
 * Attributes of one object in two calls however many (lengths, then values),
 * each value in a new buffer; vals[i] stays NULL when the object lacks
 * types[i] or keeps it sensitive.
 */
int cer_hsm_get_attrs(struct cer_token *tok, CK_OBJECT_HANDLE obj,
    const CK_ATTRIBUTE_TYPE *types, size_t n, unsigned char **vals, size_t *lens) CER_WUR;

/* One attribute in a new buffer; *buf stays NULL when the object lacks it. */
int cer_hsm_get_attr(struct cer_token *tok, CK_OBJECT_HANDLE obj, CK_ATTRIBUTE_TYPE type,
    unsigned char **buf, size_t *len) CER_WUR;

/* The public key of a key object, rebuilt from its attributes (read afresh). */
int cer_hsm_object_public(struct cer_token *tok, CK_OBJECT_HANDLE obj, EVP_PKEY **out) CER_WUR;

/* The public key of a key object and, when id is not NULL, its CKA_ID (malloc'ed; NULL if none). */
int cer_hsm_read_public(struct cer_token *tok, CK_OBJECT_HANDLE obj, EVP_PKEY **out,
    unsigned char **id, size_t *id_len) CER_WUR;

/* The module's C_GetInfo, asked once per load (struct cer_hsm keeps it). */
CK_RV cer_hsm_module_info(struct cer_hsm *hsm, CK_INFO *info);

/* ---- mech.c ---- */

/*
 * Requires mech with the flags (CKF_SIGN, CKF_GENERATE_KEY_PAIR) and, when
 * bits > 0, a key size range that includes bits; CER_ERR_MECHANISM if not,
 * CER_ERR_PKCS11 or CER_ERR_ALLOC.  *info (may be NULL) receives
 * {"mechanism","min_key_size","max_key_size","flags":[...]}.
 */
int cer_hsm_mechanism(struct cer_token *tok, CK_MECHANISM_TYPE mech,
    CK_FLAGS flags, unsigned long bits, json_t **info) CER_WUR;

/* The key-pair-generation mechanism for a key type (CKM_VENDOR_DEFINED for none). */
CK_MECHANISM_TYPE cer_hsm_keygen_mechanism(enum cer_key_type type);

#endif
