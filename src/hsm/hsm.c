/*
 * hsm.c: raw PKCS#11 through the module's CK_FUNCTION_LIST.
 *
 * Why raw and not libp11: ARCHITECTURE §2 (libp11 0.4.12 cannot make EC or
 * Ed25519 keys, sets DECRYPT/UNWRAP on its keys and mishandles PINs).
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>
#include <p11-kit/uri.h>

#include "hsm/hsm.h"
#include "base/util.h"

#define MAX_SLOTS 256
#define MAX_OBJECTS 64
#define CKA_ID_LEN 16

struct cer_hsm {
	char *path;
	void *dl;
	CK_FUNCTION_LIST *f;
	int initialized;
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

/* ---- names ---- */

#define N(x) { x, #x }
static const struct { CK_RV rv; const char *name; } rv_names[] = {
	N(CKR_OK), N(CKR_CANCEL), N(CKR_HOST_MEMORY), N(CKR_SLOT_ID_INVALID),
	N(CKR_GENERAL_ERROR), N(CKR_FUNCTION_FAILED), N(CKR_ARGUMENTS_BAD),
	N(CKR_NO_EVENT), N(CKR_NEED_TO_CREATE_THREADS), N(CKR_CANT_LOCK),
	N(CKR_ATTRIBUTE_READ_ONLY), N(CKR_ATTRIBUTE_SENSITIVE),
	N(CKR_ATTRIBUTE_TYPE_INVALID), N(CKR_ATTRIBUTE_VALUE_INVALID),
	N(CKR_DATA_INVALID), N(CKR_DATA_LEN_RANGE), N(CKR_DEVICE_ERROR),
	N(CKR_DEVICE_MEMORY), N(CKR_DEVICE_REMOVED), N(CKR_FUNCTION_CANCELED),
	N(CKR_FUNCTION_NOT_PARALLEL), N(CKR_FUNCTION_NOT_SUPPORTED),
	N(CKR_KEY_HANDLE_INVALID), N(CKR_KEY_SIZE_RANGE), N(CKR_KEY_TYPE_INCONSISTENT),
	N(CKR_KEY_FUNCTION_NOT_PERMITTED), N(CKR_MECHANISM_INVALID),
	N(CKR_MECHANISM_PARAM_INVALID), N(CKR_OBJECT_HANDLE_INVALID),
	N(CKR_OPERATION_ACTIVE), N(CKR_OPERATION_NOT_INITIALIZED),
	N(CKR_PIN_INCORRECT), N(CKR_PIN_INVALID), N(CKR_PIN_LEN_RANGE),
	N(CKR_PIN_EXPIRED), N(CKR_PIN_LOCKED), N(CKR_SESSION_CLOSED),
	N(CKR_SESSION_COUNT), N(CKR_SESSION_HANDLE_INVALID),
	N(CKR_SESSION_PARALLEL_NOT_SUPPORTED), N(CKR_SESSION_READ_ONLY),
	N(CKR_SESSION_EXISTS), N(CKR_SESSION_READ_ONLY_EXISTS),
	N(CKR_SESSION_READ_WRITE_SO_EXISTS), N(CKR_SIGNATURE_INVALID),
	N(CKR_SIGNATURE_LEN_RANGE), N(CKR_TEMPLATE_INCOMPLETE),
	N(CKR_TEMPLATE_INCONSISTENT), N(CKR_TOKEN_NOT_PRESENT),
	N(CKR_TOKEN_NOT_RECOGNIZED), N(CKR_TOKEN_WRITE_PROTECTED),
	N(CKR_USER_ALREADY_LOGGED_IN), N(CKR_USER_NOT_LOGGED_IN),
	N(CKR_USER_PIN_NOT_INITIALIZED), N(CKR_USER_TYPE_INVALID),
	N(CKR_USER_ANOTHER_ALREADY_LOGGED_IN), N(CKR_USER_TOO_MANY_TYPES),
	N(CKR_DOMAIN_PARAMS_INVALID), N(CKR_CURVE_NOT_SUPPORTED),
	N(CKR_BUFFER_TOO_SMALL), N(CKR_RANDOM_SEED_NOT_SUPPORTED),
	N(CKR_RANDOM_NO_RNG), N(CKR_CRYPTOKI_NOT_INITIALIZED),
	N(CKR_CRYPTOKI_ALREADY_INITIALIZED), N(CKR_MUTEX_BAD),
	N(CKR_MUTEX_NOT_LOCKED), N(CKR_FUNCTION_REJECTED),
};

static const struct { CK_MECHANISM_TYPE m; const char *name; } mech_names[] = {
	N(CKM_RSA_PKCS_KEY_PAIR_GEN), N(CKM_RSA_PKCS), N(CKM_RSA_PKCS_PSS),
	N(CKM_RSA_X_509), N(CKM_SHA256_RSA_PKCS), N(CKM_SHA384_RSA_PKCS),
	N(CKM_SHA512_RSA_PKCS), N(CKM_EC_KEY_PAIR_GEN), N(CKM_ECDSA),
	N(CKM_EC_EDWARDS_KEY_PAIR_GEN), N(CKM_EDDSA), N(CKM_SHA256), N(CKM_SHA384),
	N(CKM_SHA512),
};
#undef N

const char *
cer_hsm_rv_name(CK_RV rv)
{
	static char buf[32];
	size_t i;

	for (i = 0; i < sizeof(rv_names) / sizeof(rv_names[0]); i++)
		if (rv_names[i].rv == rv)
			return rv_names[i].name;
	snprintf(buf, sizeof(buf), "CKR_0x%08lx", (unsigned long)rv);
	return buf;
}

const char *
cer_hsm_mech_name(CK_MECHANISM_TYPE mech)
{
	static char buf[32];
	size_t i;

	for (i = 0; i < sizeof(mech_names) / sizeof(mech_names[0]); i++)
		if (mech_names[i].m == mech)
			return mech_names[i].name;
	snprintf(buf, sizeof(buf), "CKM_0x%08lx", (unsigned long)mech);
	return buf;
}

static int
p11fail(CK_RV rv, const char *call, const char *what)
{
	return cer_fail(CER_ERR_PKCS11, "%s failed with %s (%s)", call,
	    cer_hsm_rv_name(rv), what);
}

/* Copies a blank-padded PKCS#11 text field into a trimmed C string. */
static void
padded(char *dst, const CK_UTF8CHAR *src, size_t n)
{
	memcpy(dst, src, n);
	while (n > 0 && (dst[n - 1] == ' ' || dst[n - 1] == '\0'))
		n--;
	dst[n] = '\0';
}

/* ---- module ---- */

int
cer_hsm_load(const char *path, struct cer_hsm **out)
{
	CK_C_INITIALIZE_ARGS args;
	CK_C_GetFunctionList getfl;
	struct cer_hsm *h = NULL;
	int r = CER_ERR_INTERNAL;
	CK_RV rv;

	*out = NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL || (h->path = strdup(path)) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	if ((h->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		r = cer_fail(CER_ERR_PKCS11, "cannot load PKCS#11 module %s: %s; check the module path",
		    path, dlerror());
		goto out;
	}
	if ((getfl = (CK_C_GetFunctionList)dlsym(h->dl, "C_GetFunctionList")) == NULL) {
		r = cer_fail(CER_ERR_PKCS11, "%s is not a PKCS#11 module (no C_GetFunctionList)", path);
		goto out;
	}
	if ((rv = getfl(&h->f)) != CKR_OK || h->f == NULL) {
		r = p11fail(rv, "C_GetFunctionList", path);
		goto out;
	}
	memset(&args, 0, sizeof(args));
	args.flags = CKF_OS_LOCKING_OK;
	if ((rv = h->f->C_Initialize(&args)) != CKR_OK) {
		r = p11fail(rv, "C_Initialize", path);
		goto out;
	}
	h->initialized = 1;
	*out = h;
	h = NULL; /* transferred */
	r = CER_OK;
 out:
	cer_hsm_free(h);
	return r;
}

void
cer_hsm_free(struct cer_hsm *hsm)
{
	if (hsm == NULL)
		return;
	/* Explicitly, before main returns: SoftHSM's static destructors run early. */
	if (hsm->initialized)
		hsm->f->C_Finalize(NULL);
	if (hsm->dl != NULL)
		dlclose(hsm->dl);
	free(hsm->path);
	free(hsm);
}

static json_t *
version_json(CK_VERSION v)
{
	return json_sprintf("%u.%u", v.major, v.minor);
}

static json_t *
text_json(const CK_UTF8CHAR *s, size_t n)
{
	char buf[65];

	padded(buf, s, n < 64 ? n : 64);
	return json_string(buf);
}

int
cer_hsm_describe(struct cer_hsm *hsm, json_t **out)
{
	unsigned char digest[CER_SHA256_LEN];
	char *hex = NULL, *real = NULL;
	json_t *o = NULL;
	int r = CER_ERR_INTERNAL;
	CK_INFO info;
	CK_RV rv;

	*out = NULL;
	if ((rv = hsm->f->C_GetInfo(&info)) != CKR_OK) {
		r = p11fail(rv, "C_GetInfo", hsm->path);
		goto out;
	}
	if ((real = realpath(hsm->path, NULL)) == NULL) {
		r = cer_fail(CER_ERR_SYSTEM, "realpath %s", hsm->path);
		goto out;
	}
	if ((r = cer_sha256_file(real, digest)) != CER_OK ||
	    (r = cer_hex(digest, sizeof(digest), &hex)) != CER_OK)
		goto out;
	o = json_pack("{s:s, s:s, s:s, s:{s:o, s:o, s:o, s:o, s:I}}",
	    "path", hsm->path, "realpath", real, "sha256", hex, "info",
	    "cryptoki_version", version_json(info.cryptokiVersion),
	    "manufacturer", text_json(info.manufacturerID, sizeof(info.manufacturerID)),
	    "library_description", text_json(info.libraryDescription, sizeof(info.libraryDescription)),
	    "library_version", version_json(info.libraryVersion),
	    "flags", (json_int_t)info.flags);
	if (o == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	*out = o;
	r = CER_OK;
 out:
	free(hex);
	free(real);
	return r;
}

/* ---- tokens ---- */

static int
selector_matches(const struct cer_token_select *sel, P11KitUri *uri, CK_SLOT_ID slot,
    CK_SLOT_INFO *si, CK_TOKEN_INFO *ti, CK_INFO *mi)
{
	char buf[33];

	if (sel->has_slot)
		return slot == sel->slot;
	if (sel->label != NULL) {
		padded(buf, ti->label, sizeof(ti->label));
		return strcmp(buf, sel->label) == 0;
	}
	if (sel->serial != NULL) {
		padded(buf, ti->serialNumber, sizeof(ti->serialNumber));
		return strcmp(buf, sel->serial) == 0;
	}
	return p11_kit_uri_match_module_info(uri, mi) &&
	    p11_kit_uri_match_slot_info(uri, si) &&
	    p11_kit_uri_match_token_info(uri, ti);
}

static const char *
selector_text(const struct cer_token_select *sel, char *buf, size_t n)
{
	if (sel->has_slot)
		snprintf(buf, n, "slot ID %lu", sel->slot);
	else if (sel->label != NULL)
		snprintf(buf, n, "token-label '%s'", sel->label);
	else if (sel->serial != NULL)
		snprintf(buf, n, "token-serial '%s'", sel->serial);
	else
		snprintf(buf, n, "uri '%s'", sel->uri);
	return buf;
}

/* Appends "'label' (serial S, slot N)" to a list of what is present. */
static void
list_token(char *list, size_t n, CK_SLOT_ID slot, CK_TOKEN_INFO *ti)
{
	char label[33], serial[17];
	size_t len = strlen(list);

	padded(label, ti->label, sizeof(ti->label));
	padded(serial, ti->serialNumber, sizeof(ti->serialNumber));
	if (len < n)
		snprintf(list + len, n - len, "%s'%s' (serial %s, slot ID %lu)",
		    len > 0 ? ", " : "", label, serial, (unsigned long)slot);
}

int
cer_hsm_select(struct cer_hsm *hsm, const struct cer_token_select *sel, CK_SLOT_ID *slot)
{
	CK_SLOT_ID slots[MAX_SLOTS], found = 0;
	CK_ULONG nslots = MAX_SLOTS, i, nfound = 0;
	char present[1024] = "", matched[1024] = "", what[300];
	P11KitUri *uri = NULL;
	CK_SLOT_INFO si;
	CK_TOKEN_INFO ti;
	CK_INFO mi;
	int r = CER_ERR_INTERNAL;
	CK_RV rv;

	*slot = 0;
	selector_text(sel, what, sizeof(what));
	if (sel->uri != NULL) {
		if ((uri = p11_kit_uri_new()) == NULL) {
			r = cer_fail(CER_ERR_ALLOC, "out of memory");
			goto out;
		}
		if (p11_kit_uri_parse(sel->uri, P11_KIT_URI_FOR_TOKEN | P11_KIT_URI_FOR_SLOT |
		    P11_KIT_URI_FOR_MODULE, uri) != P11_KIT_URI_OK) {
			r = cer_fail(CER_ERR_SCRIPT, "cannot parse %s", what);
			goto out;
		}
	}
	if ((rv = hsm->f->C_GetInfo(&mi)) != CKR_OK) {
		r = p11fail(rv, "C_GetInfo", hsm->path);
		goto out;
	}
	if ((rv = hsm->f->C_GetSlotList(CK_TRUE, slots, &nslots)) != CKR_OK) {
		r = p11fail(rv, "C_GetSlotList", hsm->path);
		goto out;
	}
	for (i = 0; i < nslots; i++) {
		if (hsm->f->C_GetSlotInfo(slots[i], &si) != CKR_OK ||
		    hsm->f->C_GetTokenInfo(slots[i], &ti) != CKR_OK)
			continue;
		/* SoftHSM always offers one uninitialised slot; it is never a CA token. */
		if (!(ti.flags & CKF_TOKEN_INITIALIZED))
			continue;
		list_token(present, sizeof(present), slots[i], &ti);
		if (!selector_matches(sel, uri, slots[i], &si, &ti, &mi))
			continue;
		list_token(matched, sizeof(matched), slots[i], &ti);
		found = slots[i];
		nfound++;
	}
	if (nfound == 0) {
		r = cer_fail(CER_ERR_TOKEN, "no initialised token matches %s in %s (present: %s); "
		    "check the token selector in the script", what, hsm->path,
		    present[0] != '\0' ? present : "none");
		goto out;
	}
	if (nfound > 1) {
		r = cer_fail(CER_ERR_TOKEN, "%lu tokens match %s in %s: %s; select one by "
		    "token-serial or uri", (unsigned long)nfound, what, hsm->path, matched);
		goto out;
	}
	*slot = found;
	r = CER_OK;
 out:
	p11_kit_uri_free(uri);
	return r;
}

int
cer_hsm_open(struct cer_hsm *hsm, CK_SLOT_ID slot, struct cer_token **out)
{
	struct cer_token *t = NULL;
	int r = CER_ERR_INTERNAL;
	CK_RV rv;

	*out = NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	t->hsm = hsm;
	t->slot = slot;
	t->session = CK_INVALID_HANDLE;
	if ((rv = hsm->f->C_GetTokenInfo(slot, &t->info)) != CKR_OK) {
		r = p11fail(rv, "C_GetTokenInfo", hsm->path);
		goto out;
	}
	padded(t->label, t->info.label, sizeof(t->info.label));
	padded(t->serial, t->info.serialNumber, sizeof(t->info.serialNumber));
	padded(t->manufacturer, t->info.manufacturerID, sizeof(t->info.manufacturerID));
	if ((rv = hsm->f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL,
	    &t->session)) != CKR_OK) {
		r = p11fail(rv, "C_OpenSession", t->label);
		goto out;
	}
	*out = t;
	t = NULL; /* transferred */
	r = CER_OK;
 out:
	free(t);
	return r;
}

void
cer_hsm_close(struct cer_token *tok)
{
	if (tok == NULL)
		return;
	if (tok->logged_in)
		tok->hsm->f->C_Logout(tok->session);
	if (tok->session != CK_INVALID_HANDLE)
		tok->hsm->f->C_CloseSession(tok->session);
	free(tok);
}

const char *
cer_hsm_token_label(const struct cer_token *tok)
{
	return tok->label;
}

const char *
cer_hsm_token_serial(const struct cer_token *tok)
{
	return tok->serial;
}

int
cer_hsm_token_is_softhsm(const struct cer_token *tok)
{
	return strcmp(tok->manufacturer, "SoftHSM project") == 0;
}

static const struct { CK_FLAGS flag; const char *name; } token_flags[] = {
	{ CKF_RNG, "CKF_RNG" }, { CKF_WRITE_PROTECTED, "CKF_WRITE_PROTECTED" },
	{ CKF_LOGIN_REQUIRED, "CKF_LOGIN_REQUIRED" },
	{ CKF_USER_PIN_INITIALIZED, "CKF_USER_PIN_INITIALIZED" },
	{ CKF_PROTECTED_AUTHENTICATION_PATH, "CKF_PROTECTED_AUTHENTICATION_PATH" },
	{ CKF_TOKEN_INITIALIZED, "CKF_TOKEN_INITIALIZED" },
	{ CKF_USER_PIN_COUNT_LOW, "CKF_USER_PIN_COUNT_LOW" },
	{ CKF_USER_PIN_FINAL_TRY, "CKF_USER_PIN_FINAL_TRY" },
	{ CKF_USER_PIN_LOCKED, "CKF_USER_PIN_LOCKED" },
	{ CKF_USER_PIN_TO_BE_CHANGED, "CKF_USER_PIN_TO_BE_CHANGED" },
	{ CKF_SO_PIN_LOCKED, "CKF_SO_PIN_LOCKED" },
};

static json_t *
flags_json(CK_FLAGS flags)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < sizeof(token_flags) / sizeof(token_flags[0]); i++)
		if (flags & token_flags[i].flag)
			json_array_append_new(a, json_string(token_flags[i].name));
	return a;
}

int
cer_hsm_token_describe(struct cer_token *tok, json_t **out)
{
	CK_TOKEN_INFO *ti = &tok->info;
	CK_SLOT_INFO si;
	json_t *o;
	CK_RV rv;

	*out = NULL;
	if ((rv = tok->hsm->f->C_GetSlotInfo(tok->slot, &si)) != CKR_OK)
		return p11fail(rv, "C_GetSlotInfo", tok->label);
	o = json_pack("{s:I, s:{s:o, s:o, s:o, s:o}, s:{s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:I, s:I}}",
	    "slot_id", (json_int_t)tok->slot,
	    "slot", "description", text_json(si.slotDescription, sizeof(si.slotDescription)),
	    "manufacturer", text_json(si.manufacturerID, sizeof(si.manufacturerID)),
	    "hardware_version", version_json(si.hardwareVersion),
	    "firmware_version", version_json(si.firmwareVersion),
	    "token", "label", tok->label, "manufacturer", tok->manufacturer,
	    "model", text_json(ti->model, sizeof(ti->model)),
	    "serial", tok->serial,
	    "hardware_version", version_json(ti->hardwareVersion),
	    "firmware_version", version_json(ti->firmwareVersion),
	    "flags", flags_json(ti->flags),
	    "min_pin_len", (json_int_t)ti->ulMinPinLen,
	    "max_pin_len", (json_int_t)ti->ulMaxPinLen);
	if (o == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	*out = o;
	return CER_OK;
}

int
cer_hsm_login(struct cer_token *tok, const char *pin, size_t pin_len, const char **warning)
{
	CK_TOKEN_INFO ti;
	CK_RV rv;

	*warning = NULL;
	/* Fresh flags: a real HSM counts failures made by other tools too. */
	if ((rv = tok->hsm->f->C_GetTokenInfo(tok->slot, &ti)) != CKR_OK)
		return p11fail(rv, "C_GetTokenInfo", tok->label);
	if (ti.flags & CKF_USER_PIN_LOCKED)
		return cer_fail(CER_ERR_PIN, "the user PIN of token '%s' is locked; unlock it "
		    "with the security officer before the ceremony", tok->label);
	if (ti.flags & CKF_USER_PIN_FINAL_TRY)
		return cer_fail(CER_ERR_PIN, "the user PIN of token '%s' is on its final try; "
		    "one more wrong PIN locks it, so ceremony will not try; reset the "
		    "counter with the vendor's tools first", tok->label);
	if (ti.flags & CKF_USER_PIN_TO_BE_CHANGED)
		return cer_fail(CER_ERR_PIN, "the user PIN of token '%s' must be changed "
		    "before use; change it with the vendor's tools", tok->label);
	if (ti.flags & CKF_USER_PIN_COUNT_LOW)
		*warning = "the token reports CKF_USER_PIN_COUNT_LOW: a wrong PIN was entered recently";
	if ((ti.flags & CKF_PROTECTED_AUTHENTICATION_PATH) && pin_len == 0)
		rv = tok->hsm->f->C_Login(tok->session, CKU_USER, NULL, 0);
	else
		rv = tok->hsm->f->C_Login(tok->session, CKU_USER,
		    (CK_UTF8CHAR *)(uintptr_t)pin, (CK_ULONG)pin_len);
	if (rv == CKR_USER_ALREADY_LOGGED_IN)
		rv = CKR_OK;
	if (rv == CKR_PIN_INCORRECT || rv == CKR_PIN_INVALID || rv == CKR_PIN_LEN_RANGE ||
	    rv == CKR_PIN_LOCKED || rv == CKR_PIN_EXPIRED)
		return cer_fail(CER_ERR_PIN, "C_Login on token '%s' failed with %s; the PIN "
		    "was not retried: check the PIN source and run again", tok->label,
		    cer_hsm_rv_name(rv));
	if (rv != CKR_OK)
		return p11fail(rv, "C_Login", tok->label);
	tok->logged_in = 1;
	return CER_OK;
}

/* Up to max handles of objects matching tmpl. */
static int
find_objects(struct cer_token *tok, CK_ATTRIBUTE *tmpl, CK_ULONG n,
    CK_OBJECT_HANDLE *found, CK_ULONG max, CK_ULONG *nfound)
{
	CK_FUNCTION_LIST *f = tok->hsm->f;
	CK_RV rv;

	*nfound = 0;
	if ((rv = f->C_FindObjectsInit(tok->session, tmpl, n)) != CKR_OK)
		return p11fail(rv, "C_FindObjectsInit", tok->label);
	rv = f->C_FindObjects(tok->session, found, max, nfound);
	f->C_FindObjectsFinal(tok->session);
	if (rv != CKR_OK)
		return p11fail(rv, "C_FindObjects", tok->label);
	return CER_OK;
}

int
cer_hsm_label_taken(struct cer_token *tok, const char *label, int *taken)
{
	CK_ATTRIBUTE t[] = {{ CKA_LABEL, (void *)(uintptr_t)label, strlen(label) }};
	CK_OBJECT_HANDLE h[1];
	CK_ULONG n = 0;
	int r;

	*taken = 0;
	if ((r = find_objects(tok, t, 1, h, 1, &n)) != CER_OK)
		return r;
	*taken = n > 0;
	return CER_OK;
}

static const struct { CK_FLAGS flag; const char *name; } mech_flags[] = {
	{ CKF_HW, "CKF_HW" }, { CKF_SIGN, "CKF_SIGN" }, { CKF_VERIFY, "CKF_VERIFY" },
	{ CKF_GENERATE_KEY_PAIR, "CKF_GENERATE_KEY_PAIR" }, { CKF_DIGEST, "CKF_DIGEST" },
	{ CKF_ENCRYPT, "CKF_ENCRYPT" }, { CKF_DECRYPT, "CKF_DECRYPT" },
};

/*
 * Whether the token lists mech.  C_GetMechanismInfo alone is not enough:
 * SoftHSM 2.6.1 answers it for mechanisms its configuration disables.
 */
static int
mechanism_listed(struct cer_token *tok, CK_MECHANISM_TYPE mech, int *listed)
{
	CK_MECHANISM_TYPE *list = NULL;
	CK_ULONG n = 0, i;
	CK_RV rv;

	*listed = 0;
	if ((rv = tok->hsm->f->C_GetMechanismList(tok->slot, NULL, &n)) != CKR_OK)
		return p11fail(rv, "C_GetMechanismList", tok->label);
	if ((list = calloc(n + 1, sizeof(*list))) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	if ((rv = tok->hsm->f->C_GetMechanismList(tok->slot, list, &n)) != CKR_OK) {
		free(list);
		return p11fail(rv, "C_GetMechanismList", tok->label);
	}
	for (i = 0; i < n; i++)
		if (list[i] == mech)
			*listed = 1;
	free(list);
	return CER_OK;
}

int
cer_hsm_mechanism(struct cer_token *tok, CK_MECHANISM_TYPE mech, CK_FLAGS flags,
    unsigned long bits, json_t **info)
{
	CK_MECHANISM_INFO mi;
	json_t *a = NULL;
	int listed = 0, r;
	size_t i;
	CK_RV rv;

	if (info != NULL)
		*info = NULL;
	if ((r = mechanism_listed(tok, mech, &listed)) != CER_OK)
		return r;
	rv = listed ? tok->hsm->f->C_GetMechanismInfo(tok->slot, mech, &mi) : CKR_MECHANISM_INVALID;
	if (rv == CKR_MECHANISM_INVALID)
		return cer_fail(CER_ERR_MECHANISM, "token '%s' does not offer %s, which the "
		    "script needs; choose another key type or signature-algorithm, or another token",
		    tok->label, cer_hsm_mech_name(mech));
	if (rv != CKR_OK)
		return p11fail(rv, "C_GetMechanismInfo", tok->label);
	if ((mi.flags & flags) != flags)
		return cer_fail(CER_ERR_MECHANISM, "token '%s' offers %s but not for this use "
		    "(flags 0x%lx, needed 0x%lx)", tok->label, cer_hsm_mech_name(mech),
		    (unsigned long)mi.flags, (unsigned long)flags);
	if (bits > 0 && (bits < mi.ulMinKeySize || bits > mi.ulMaxKeySize))
		return cer_fail(CER_ERR_MECHANISM, "token '%s' supports %s keys of %lu to %lu "
		    "bits, not %lu", tok->label, cer_hsm_mech_name(mech),
		    (unsigned long)mi.ulMinKeySize, (unsigned long)mi.ulMaxKeySize, bits);
	if (info == NULL)
		return CER_OK;
	if ((a = json_array()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	for (i = 0; i < sizeof(mech_flags) / sizeof(mech_flags[0]); i++)
		if (mi.flags & mech_flags[i].flag)
			json_array_append_new(a, json_string(mech_flags[i].name));
	*info = json_pack("{s:s, s:I, s:I, s:o}", "mechanism", cer_hsm_mech_name(mech),
	    "min_key_size", (json_int_t)mi.ulMinKeySize,
	    "max_key_size", (json_int_t)mi.ulMaxKeySize, "flags", a);
	if (*info == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	return CER_OK;
}

CK_MECHANISM_TYPE
cer_hsm_keygen_mechanism(enum cer_key_type type)
{
	switch (type) {
	case CER_KEY_RSA:	return CKM_RSA_PKCS_KEY_PAIR_GEN;
	case CER_KEY_EC:	return CKM_EC_KEY_PAIR_GEN;
	case CER_KEY_ED25519:	return CKM_EC_EDWARDS_KEY_PAIR_GEN;
	default:		return CKM_VENDOR_DEFINED;
	}
}

int
cer_hsm_random(struct cer_token *tok, unsigned char *buf, size_t len)
{
	CK_RV rv;

	if ((rv = tok->hsm->f->C_GenerateRandom(tok->session, buf, (CK_ULONG)len)) != CKR_OK)
		return p11fail(rv, "C_GenerateRandom", tok->label);
	return CER_OK;
}

/* ---- attributes ---- */

enum attr_kind { A_BOOL, A_ULONG, A_BYTES, A_TEXT };

#define A(x, k) { x, #x, k }
static const struct attr_desc {
	CK_ATTRIBUTE_TYPE type;
	const char *name;
	enum attr_kind kind;
} attrs[] = {
	A(CKA_CLASS, A_ULONG), A(CKA_KEY_TYPE, A_ULONG), A(CKA_LABEL, A_TEXT),
	A(CKA_ID, A_BYTES), A(CKA_TOKEN, A_BOOL), A(CKA_PRIVATE, A_BOOL),
	A(CKA_MODIFIABLE, A_BOOL), A(CKA_COPYABLE, A_BOOL), A(CKA_DESTROYABLE, A_BOOL),
	A(CKA_LOCAL, A_BOOL), A(CKA_KEY_GEN_MECHANISM, A_ULONG),
	A(CKA_SENSITIVE, A_BOOL), A(CKA_ALWAYS_SENSITIVE, A_BOOL),
	A(CKA_EXTRACTABLE, A_BOOL), A(CKA_NEVER_EXTRACTABLE, A_BOOL),
	A(CKA_SIGN, A_BOOL), A(CKA_SIGN_RECOVER, A_BOOL), A(CKA_DECRYPT, A_BOOL),
	A(CKA_UNWRAP, A_BOOL), A(CKA_DERIVE, A_BOOL), A(CKA_ALWAYS_AUTHENTICATE, A_BOOL),
	A(CKA_WRAP_WITH_TRUSTED, A_BOOL), A(CKA_VERIFY, A_BOOL),
	A(CKA_VERIFY_RECOVER, A_BOOL), A(CKA_ENCRYPT, A_BOOL), A(CKA_WRAP, A_BOOL),
	A(CKA_TRUSTED, A_BOOL), A(CKA_MODULUS_BITS, A_ULONG), A(CKA_MODULUS, A_BYTES),
	A(CKA_PUBLIC_EXPONENT, A_BYTES), A(CKA_EC_PARAMS, A_BYTES), A(CKA_EC_POINT, A_BYTES),
};
#undef A

static const struct attr_desc *
attr_find(CK_ATTRIBUTE_TYPE type)
{
	size_t i;

	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		if (attrs[i].type == type)
			return &attrs[i];
	return NULL;
}

static json_t *
attr_value_json(const struct attr_desc *d, const void *v, size_t len)
{
	char *hex = NULL;
	json_t *j;

	switch (d->kind) {
	case A_BOOL:
		return len == sizeof(CK_BBOOL) ? json_boolean(*(const CK_BBOOL *)v) : json_null();
	case A_ULONG:
		return len == sizeof(CK_ULONG) ? json_integer((json_int_t)*(const CK_ULONG *)v) :
		    json_null();
	case A_TEXT:
		return json_stringn(v, len);
	case A_BYTES:
	default:
		if (cer_hex(v, len, &hex) != CER_OK)
			return NULL;
		j = json_string(hex);
		free(hex);
		return j;
	}
}

static int
attrs_to_json(const CK_ATTRIBUTE *t, size_t n, json_t **out)
{
	const struct attr_desc *d;
	json_t *o;
	size_t i;

	if ((o = json_object()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	for (i = 0; i < n; i++)
		if ((d = attr_find(t[i].type)) != NULL)
			json_object_set_new(o, d->name, attr_value_json(d, t[i].pValue,
			    t[i].ulValueLen));
	*out = o;
	return CER_OK;
}

/* Reads one attribute into a new buffer; *buf stays NULL when the object lacks it. */
static int
get_attr(struct cer_token *tok, CK_OBJECT_HANDLE obj, CK_ATTRIBUTE_TYPE type,
    unsigned char **buf, size_t *len)
{
	CK_ATTRIBUTE a = { type, NULL, 0 };
	CK_FUNCTION_LIST *f = tok->hsm->f;
	CK_RV rv;

	*buf = NULL;
	*len = 0;
	rv = f->C_GetAttributeValue(tok->session, obj, &a, 1);
	if (rv == CKR_ATTRIBUTE_TYPE_INVALID || rv == CKR_ATTRIBUTE_SENSITIVE ||
	    a.ulValueLen == CK_UNAVAILABLE_INFORMATION)
		return CER_OK;
	if (rv != CKR_OK)
		return p11fail(rv, "C_GetAttributeValue", tok->label);
	if ((a.pValue = calloc(1, a.ulValueLen + 1)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	if ((rv = f->C_GetAttributeValue(tok->session, obj, &a, 1)) != CKR_OK) {
		free(a.pValue);
		return p11fail(rv, "C_GetAttributeValue", tok->label);
	}
	*buf = a.pValue;
	*len = a.ulValueLen;
	return CER_OK;
}

/* Every attribute this module knows, read from obj, as {CKA_*: value}. */
static int
object_json(struct cer_token *tok, CK_OBJECT_HANDLE obj, json_t **out)
{
	unsigned char *v = NULL;
	json_t *o = NULL, *val;
	int r = CER_ERR_INTERNAL;
	size_t i, len;

	*out = NULL;
	if ((o = json_object()) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		if ((r = get_attr(tok, obj, attrs[i].type, &v, &len)) != CER_OK)
			goto out;
		val = v == NULL ? json_null() : attr_value_json(&attrs[i], v, len);
		free(v);
		v = NULL;
		if (val == NULL || json_object_set_new(o, attrs[i].name, val) != 0) {
			r = cer_fail(CER_ERR_ALLOC, "out of memory");
			goto out;
		}
	}
	*out = o;
	o = NULL; /* transferred */
	r = CER_OK;
 out:
	json_decref(o);
	return r;
}

/* Attributes a CA private key must have after generation, and their values. */
static const struct { CK_ATTRIBUTE_TYPE type; int want; int may_be_absent; } required_priv[] = {
	{ CKA_TOKEN, 1, 0 }, { CKA_PRIVATE, 1, 0 }, { CKA_LOCAL, 1, 0 },
	{ CKA_SENSITIVE, 1, 0 }, { CKA_ALWAYS_SENSITIVE, 1, 0 },
	{ CKA_EXTRACTABLE, 0, 0 }, { CKA_NEVER_EXTRACTABLE, 1, 0 }, { CKA_SIGN, 1, 0 },
	{ CKA_DECRYPT, 0, 1 }, { CKA_UNWRAP, 0, 1 }, { CKA_DERIVE, 0, 1 },
	{ CKA_SIGN_RECOVER, 0, 1 },
};

static int
check_required(const char *label, json_t *priv)
{
	const char *name;
	json_t *v;
	size_t i;

	for (i = 0; i < sizeof(required_priv) / sizeof(required_priv[0]); i++) {
		name = attr_find(required_priv[i].type)->name;
		v = json_object_get(priv, name);
		if ((v == NULL || json_is_null(v)) && required_priv[i].may_be_absent)
			continue;
		if (!json_is_boolean(v) || json_is_true(v) != required_priv[i].want)
			return cer_fail(CER_ERR_KEY, "private key '%s' has %s = %s, a CA key "
			    "needs %s; this token cannot hold a CA key as required",
			    label, name, json_is_boolean(v) ? (json_is_true(v) ? "true" : "false") :
			    "no value", required_priv[i].want ? "true" : "false");
	}
	return CER_OK;
}

int
cer_hsm_key_attributes(struct cer_token *tok, struct cer_key *key, json_t **readback)
{
	json_t *priv = NULL, *pub = NULL;
	int r = CER_ERR_INTERNAL;

	*readback = NULL;
	if ((r = object_json(tok, key->priv, &priv)) != CER_OK ||
	    (r = object_json(tok, key->pub, &pub)) != CER_OK)
		goto out;
	if ((r = check_required(key->label, priv)) != CER_OK)
		goto out;
	if ((*readback = json_pack("{s:O, s:O}", "private", priv, "public", pub)) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	r = CER_OK;
 out:
	json_decref(priv);
	json_decref(pub);
	return r;
}

/* ---- key generation ---- */

static const unsigned char oid_p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static const unsigned char oid_p384[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22 };
static const unsigned char oid_p521[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23 };
static const unsigned char oid_ed25519[] = { 0x06, 0x03, 0x2b, 0x65, 0x70 };
static const unsigned char rsa_f4[] = { 0x01, 0x00, 0x01 };

static const struct curve_desc {
	enum cer_curve curve;
	const unsigned char *oid;
	size_t oid_len;
	const char *group;	/* OpenSSL group name */
} curves[] = {
	{ CER_CURVE_P256, oid_p256, sizeof(oid_p256), "prime256v1" },
	{ CER_CURVE_P384, oid_p384, sizeof(oid_p384), "secp384r1" },
	{ CER_CURVE_P521, oid_p521, sizeof(oid_p521), "secp521r1" },
};

static const struct curve_desc *
curve_by_id(enum cer_curve c)
{
	size_t i;

	for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (curves[i].curve == c)
			return &curves[i];
	return NULL;
}

static const struct curve_desc *
curve_by_oid(const unsigned char *oid, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (curves[i].oid_len == len && memcmp(curves[i].oid, oid, len) == 0)
			return &curves[i];
	return NULL;
}

static struct cer_key *
key_new(const char *label, const unsigned char *id, size_t id_len)
{
	struct cer_key *k;

	if ((k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	if (id_len > sizeof(k->id) || (k->label = strdup(label)) == NULL ||
	    cer_hex(id, id_len, &k->id_hex) != CER_OK) {
		cer_hsm_key_free(k);
		return NULL;
	}
	memcpy(k->id, id, id_len);
	k->id_len = id_len;
	return k;
}

void
cer_hsm_key_free(struct cer_key *key)
{
	if (key == NULL)
		return;
	EVP_PKEY_free(key->pkey);
	free(key->label);
	free(key->id_hex);
	free(key);
}

const char *
cer_hsm_key_label(const struct cer_key *key)
{
	return key->label;
}

const char *
cer_hsm_key_id_hex(const struct cer_key *key)
{
	return key->id_hex;
}

/* A CKA_ID that no object on the token has yet. */
static int
fresh_id(struct cer_token *tok, unsigned char id[static CKA_ID_LEN])
{
	CK_ATTRIBUTE t[] = {{ CKA_ID, id, CKA_ID_LEN }};
	CK_OBJECT_HANDLE h[1];
	CK_ULONG n = 0;
	int r, tries;

	for (tries = 0; tries < 4; tries++) {
		if ((r = cer_hsm_random(tok, id, CKA_ID_LEN)) != CER_OK ||
		    (r = find_objects(tok, t, 1, h, 1, &n)) != CER_OK)
			return r;
		if (n == 0)
			return CER_OK;
	}
	return cer_fail(CER_ERR_KEY, "token '%s' keeps returning CKA_IDs already in use",
	    tok->label);
}

/* Checks that the generated public key is what was asked for (Boulder re-checks too). */
static int
check_generated(const struct cer_keygen *kg, EVP_PKEY *pk)
{
	BIGNUM *e = NULL;
	char group[64];
	int ok = 0;

	switch (kg->type) {
	case CER_KEY_RSA:
		ok = EVP_PKEY_is_a(pk, "RSA") && EVP_PKEY_get_bits(pk) == (int)kg->rsa_bits &&
		    EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e) == 1 &&
		    BN_is_word(e, 65537);
		break;
	case CER_KEY_EC:
		ok = EVP_PKEY_is_a(pk, "EC") && EVP_PKEY_get_utf8_string_param(pk,
		    OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), NULL) == 1 &&
		    strcmp(group, curve_by_id(kg->curve)->group) == 0;
		break;
	case CER_KEY_ED25519:
		ok = EVP_PKEY_is_a(pk, "ED25519");
		break;
	default:
		break;
	}
	BN_free(e);
	if (!ok)
		return cer_fail(CER_ERR_KEY, "the token generated a key for '%s' that is not "
		    "the type and size asked for", kg->label);
	return CER_OK;
}

int
cer_hsm_generate(struct cer_token *tok, const struct cer_keygen *kg, struct cer_key **out,
    json_t **template)
{
	CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
	CK_OBJECT_CLASS pubclass = CKO_PUBLIC_KEY, privclass = CKO_PRIVATE_KEY;
	CK_KEY_TYPE ktype;
	CK_ULONG bits = kg->rsa_bits;
	unsigned char id[CKA_ID_LEN];
	CK_MECHANISM mech = { cer_hsm_keygen_mechanism(kg->type), NULL, 0 };
	const struct curve_desc *cd = curve_by_id(kg->curve);
	CK_ATTRIBUTE pub[12], priv[16];
	CK_ULONG npub = 0, npriv = 0;
	CK_OBJECT_HANDLE hpub, hpriv;
	json_t *jpub = NULL, *jpriv = NULL;
	struct cer_key *k = NULL;
	size_t label_len = strlen(kg->label);
	EVP_PKEY *pk = NULL;
	int r = CER_ERR_INTERNAL;
	CK_RV rv;

#define SET(t, n, a, v, l) do { t[n].type = (a); t[n].pValue = (void *)(uintptr_t)(v); \
	t[n].ulValueLen = (l); n++; } while (0)
	*out = NULL;
	*template = NULL;
	if ((r = fresh_id(tok, id)) != CER_OK)
		goto out;
	ktype = kg->type == CER_KEY_RSA ? CKK_RSA : kg->type == CER_KEY_EC ? CKK_EC : CKK_EC_EDWARDS;
	SET(pub, npub, CKA_CLASS, &pubclass, sizeof(pubclass));
	SET(pub, npub, CKA_KEY_TYPE, &ktype, sizeof(ktype));
	SET(pub, npub, CKA_TOKEN, &yes, 1);
	SET(pub, npub, CKA_PRIVATE, &no, 1);
	SET(pub, npub, CKA_VERIFY, &yes, 1);
	SET(pub, npub, CKA_ENCRYPT, &no, 1);
	SET(pub, npub, CKA_WRAP, &no, 1);
	SET(pub, npub, CKA_VERIFY_RECOVER, &no, 1);
	SET(pub, npub, CKA_LABEL, kg->label, label_len);
	SET(pub, npub, CKA_ID, id, sizeof(id));
	if (kg->type == CER_KEY_RSA) {
		SET(pub, npub, CKA_MODULUS_BITS, &bits, sizeof(bits));
		SET(pub, npub, CKA_PUBLIC_EXPONENT, rsa_f4, sizeof(rsa_f4));
	} else if (kg->type == CER_KEY_EC && cd != NULL) {
		SET(pub, npub, CKA_EC_PARAMS, cd->oid, cd->oid_len);
	} else {
		SET(pub, npub, CKA_EC_PARAMS, oid_ed25519, sizeof(oid_ed25519));
	}
	SET(priv, npriv, CKA_CLASS, &privclass, sizeof(privclass));
	SET(priv, npriv, CKA_KEY_TYPE, &ktype, sizeof(ktype));
	SET(priv, npriv, CKA_TOKEN, &yes, 1);
	SET(priv, npriv, CKA_PRIVATE, &yes, 1);
	SET(priv, npriv, CKA_SENSITIVE, &yes, 1);
	SET(priv, npriv, CKA_EXTRACTABLE, &no, 1);
	SET(priv, npriv, CKA_SIGN, &yes, 1);
	SET(priv, npriv, CKA_SIGN_RECOVER, &no, 1);
	SET(priv, npriv, CKA_DECRYPT, &no, 1);
	SET(priv, npriv, CKA_UNWRAP, &no, 1);
	SET(priv, npriv, CKA_DERIVE, &no, 1);
	SET(priv, npriv, CKA_LABEL, kg->label, label_len);
	SET(priv, npriv, CKA_ID, id, sizeof(id));
#undef SET
	if ((r = attrs_to_json(pub, npub, &jpub)) != CER_OK ||
	    (r = attrs_to_json(priv, npriv, &jpriv)) != CER_OK)
		goto out;
	if ((*template = json_pack("{s:s, s:O, s:O}", "mechanism", cer_hsm_mech_name(mech.mechanism),
	    "public", jpub, "private", jpriv)) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	if ((rv = tok->hsm->f->C_GenerateKeyPair(tok->session, &mech, pub, npub, priv, npriv,
	    &hpub, &hpriv)) != CKR_OK) {
		r = p11fail(rv, "C_GenerateKeyPair", kg->label);
		goto out;
	}
	if ((k = key_new(kg->label, id, sizeof(id))) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	k->pub = hpub;
	k->priv = hpriv;
	k->type = kg->type;
	if ((r = cer_hsm_key_public(tok, k, &pk)) != CER_OK ||
	    (r = check_generated(kg, pk)) != CER_OK)
		goto out;
	*out = k;
	k = NULL; /* transferred */
	r = CER_OK;
 out:
	EVP_PKEY_free(pk);
	cer_hsm_key_free(k);
	json_decref(jpub);
	json_decref(jpriv);
	return r;
}

/* ---- public keys ---- */

static int
pkey_fromdata(const char *type, OSSL_PARAM_BLD *bld, EVP_PKEY **out)
{
	EVP_PKEY_CTX *ctx = NULL;
	OSSL_PARAM *params = NULL;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) != 1) {
		r = cer_fail(CER_ERR_OPENSSL, "cannot rebuild the %s public key read from the token", type);
		goto out;
	}
	r = CER_OK;
 out:
	OSSL_PARAM_free(params);
	EVP_PKEY_CTX_free(ctx);
	return r;
}

static int
rsa_public(struct cer_token *tok, CK_OBJECT_HANDLE obj, EVP_PKEY **out)
{
	unsigned char *n = NULL, *e = NULL;
	BIGNUM *bn = NULL, *be = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	size_t nlen, elen;
	int r;

	if ((r = get_attr(tok, obj, CKA_MODULUS, &n, &nlen)) != CER_OK ||
	    (r = get_attr(tok, obj, CKA_PUBLIC_EXPONENT, &e, &elen)) != CER_OK)
		goto out;
	r = cer_fail(CER_ERR_OPENSSL, "cannot rebuild the RSA public key read from the token");
	if (n == NULL || e == NULL || (bn = BN_bin2bn(n, (int)nlen, NULL)) == NULL ||
	    (be = BN_bin2bn(e, (int)elen, NULL)) == NULL || (bld = OSSL_PARAM_BLD_new()) == NULL ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) != 1)
		goto out;
	r = pkey_fromdata("RSA", bld, out);
 out:
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn);
	BN_free(be);
	free(n);
	free(e);
	return r;
}

/* CKA_EC_POINT is a DER OCTET STRING (PKCS#11 2.40+); some modules give it raw. */
static int
ec_point(struct cer_token *tok, CK_OBJECT_HANDLE obj, unsigned char **pt, size_t *len)
{
	const unsigned char *p;
	ASN1_OCTET_STRING *os = NULL;
	unsigned char *raw = NULL;
	size_t rawlen;
	int r;

	*pt = NULL;
	if ((r = get_attr(tok, obj, CKA_EC_POINT, &raw, &rawlen)) != CER_OK)
		return r;
	if (raw == NULL)
		return cer_fail(CER_ERR_KEY, "public key object on token '%s' has no CKA_EC_POINT",
		    tok->label);
	p = raw;
	if ((os = d2i_ASN1_OCTET_STRING(NULL, &p, (long)rawlen)) != NULL &&
	    p == raw + rawlen) {
		memmove(raw, os->data, (size_t)os->length);
		rawlen = (size_t)os->length;
	}
	ERR_clear_error();
	ASN1_OCTET_STRING_free(os);
	*pt = raw;
	*len = rawlen;
	return CER_OK;
}

static int
ec_public(struct cer_token *tok, CK_OBJECT_HANDLE obj, int eddsa, EVP_PKEY **out)
{
	unsigned char *params = NULL, *pt = NULL;
	const struct curve_desc *cd = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	size_t plen = 0, ptlen = 0;
	int r;

	if ((r = get_attr(tok, obj, CKA_EC_PARAMS, &params, &plen)) != CER_OK ||
	    (r = ec_point(tok, obj, &pt, &ptlen)) != CER_OK)
		goto out;
	if (eddsa) {
		r = cer_fail(CER_ERR_KEY, "the Ed25519 public key on token '%s' is malformed", tok->label);
		if (params == NULL || plen != sizeof(oid_ed25519) ||
		    memcmp(params, oid_ed25519, plen) != 0 || ptlen != 32 ||
		    (*out = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pt, ptlen)) == NULL)
			goto out;
		r = CER_OK;
		goto out;
	}
	if (params == NULL || (cd = curve_by_oid(params, plen)) == NULL) {
		r = cer_fail(CER_ERR_KEY, "an EC key on token '%s' is on a curve other than "
		    "P-256, P-384 or P-521", tok->label);
		goto out;
	}
	r = cer_fail(CER_ERR_OPENSSL, "cannot rebuild the EC public key read from the token");
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, cd->group, 0) != 1 ||
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pt, ptlen) != 1)
		goto out;
	r = pkey_fromdata("EC", bld, out);
 out:
	OSSL_PARAM_BLD_free(bld);
	free(params);
	free(pt);
	return r;
}

static int
object_public(struct cer_token *tok, CK_OBJECT_HANDLE obj, EVP_PKEY **out)
{
	unsigned char *kt = NULL;
	CK_KEY_TYPE type;
	size_t len;
	int r;

	*out = NULL;
	if ((r = get_attr(tok, obj, CKA_KEY_TYPE, &kt, &len)) != CER_OK)
		return r;
	if (kt == NULL || len != sizeof(type)) {
		free(kt);
		return cer_fail(CER_ERR_KEY, "a key object on token '%s' has no CKA_KEY_TYPE", tok->label);
	}
	memcpy(&type, kt, sizeof(type));
	free(kt);
	if (type == CKK_RSA)
		return rsa_public(tok, obj, out);
	if (type == CKK_EC || type == CKK_EC_EDWARDS)
		return ec_public(tok, obj, type == CKK_EC_EDWARDS, out);
	return cer_fail(CER_ERR_KEY, "a key on token '%s' has key type 0x%lx, which ceremony "
	    "does not use", tok->label, (unsigned long)type);
}

int
cer_hsm_key_public(struct cer_token *tok, struct cer_key *key, EVP_PKEY **out)
{
	int r;

	*out = NULL;
	if (key->pkey == NULL && (r = object_public(tok, key->pub, &key->pkey)) != CER_OK)
		return r;
	if (EVP_PKEY_up_ref(key->pkey) != 1)
		return cer_fail(CER_ERR_OPENSSL, "EVP_PKEY_up_ref");
	*out = key->pkey;
	return CER_OK;
}

/* ---- lookup ---- */

/* The one private key with this CKA_ID. */
static int
private_by_id(struct cer_token *tok, const unsigned char *id, size_t id_len,
    const char *label, CK_OBJECT_HANDLE *priv)
{
	CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
	CK_ATTRIBUTE t[] = {{ CKA_CLASS, &cls, sizeof(cls) },
	    { CKA_ID, (void *)(uintptr_t)id, id_len }};
	CK_OBJECT_HANDLE h[2];
	CK_ULONG n = 0;
	int r;

	if ((r = find_objects(tok, t, 2, h, 2, &n)) != CER_OK)
		return r;
	if (n != 1)
		return cer_fail(CER_ERR_KEY, "%s private key with the CKA_ID of public key '%s' "
		    "on token '%s'", n == 0 ? "no" : "more than one", label, tok->label);
	*priv = h[0];
	return CER_OK;
}

int
cer_hsm_find_key(struct cer_token *tok, const char *label, const EVP_PKEY *expected,
    struct cer_key **out)
{
	CK_OBJECT_CLASS cls = CKO_PUBLIC_KEY;
	CK_ATTRIBUTE t[] = {{ CKA_CLASS, &cls, sizeof(cls) },
	    { CKA_LABEL, (void *)(uintptr_t)label, strlen(label) }};
	CK_OBJECT_HANDLE h[MAX_OBJECTS], pub = CK_INVALID_HANDLE;
	unsigned char *id = NULL, *kt = NULL;
	CK_ULONG n = 0, i, matches = 0;
	struct cer_key *k = NULL;
	EVP_PKEY *pk = NULL, *chosen = NULL;
	size_t id_len, ktlen;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if ((r = find_objects(tok, t, 2, h, MAX_OBJECTS, &n)) != CER_OK)
		goto out;
	for (i = 0; i < n; i++) {
		if ((r = object_public(tok, h[i], &pk)) != CER_OK)
			goto out;
		if (expected == NULL || EVP_PKEY_eq(pk, expected) == 1) {
			matches++;
			pub = h[i];
			EVP_PKEY_free(chosen);
			chosen = pk;
			pk = NULL;
		}
		EVP_PKEY_free(pk);
		pk = NULL;
	}
	if (matches != 1) {
		r = cer_fail(CER_ERR_KEY, "%s public key labelled '%s'%s on token '%s'; check the "
		    "label and the token", matches == 0 ? "no" : "more than one", label,
		    expected != NULL ? " with the expected key material" : "", tok->label);
		goto out;
	}
	if ((r = get_attr(tok, pub, CKA_ID, &id, &id_len)) != CER_OK)
		goto out;
	if (id == NULL || (k = key_new(label, id, id_len)) == NULL) {
		r = cer_fail(CER_ERR_KEY, "public key '%s' has no usable CKA_ID", label);
		goto out;
	}
	k->pub = pub;
	if ((r = private_by_id(tok, id, id_len, label, &k->priv)) != CER_OK ||
	    (r = get_attr(tok, pub, CKA_KEY_TYPE, &kt, &ktlen)) != CER_OK)
		goto out;
	k->type = EVP_PKEY_is_a(chosen, "RSA") ? CER_KEY_RSA :
	    EVP_PKEY_is_a(chosen, "EC") ? CER_KEY_EC : CER_KEY_ED25519;
	k->pkey = chosen;
	chosen = NULL; /* transferred */
	*out = k;
	k = NULL; /* transferred */
	r = CER_OK;
 out:
	free(id);
	free(kt);
	EVP_PKEY_free(pk);
	EVP_PKEY_free(chosen);
	cer_hsm_key_free(k);
	return r;
}

/* ---- signing ---- */

int
cer_hsm_sign(struct cer_token *tok, struct cer_key *key, CK_MECHANISM *mech,
    const unsigned char *data, size_t len, unsigned char **sig, size_t *sig_len)
{
	CK_FUNCTION_LIST *f = tok->hsm->f;
	unsigned char *s = NULL;
	CK_ULONG n = 0;
	int r = CER_ERR_INTERNAL;
	CK_RV rv;

	*sig = NULL;
	*sig_len = 0;
	if ((rv = f->C_SignInit(tok->session, mech, key->priv)) != CKR_OK) {
		r = p11fail(rv, "C_SignInit", key->label);
		goto out;
	}
	if ((rv = f->C_Sign(tok->session, (CK_BYTE *)(uintptr_t)data, (CK_ULONG)len, NULL,
	    &n)) != CKR_OK) {
		r = p11fail(rv, "C_Sign", key->label);
		goto out;
	}
	if ((s = malloc(n > 0 ? n : 1)) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	if ((rv = f->C_Sign(tok->session, (CK_BYTE *)(uintptr_t)data, (CK_ULONG)len, s,
	    &n)) != CKR_OK) {
		r = p11fail(rv, "C_Sign", key->label);
		goto out;
	}
	*sig = s;
	*sig_len = n;
	s = NULL; /* transferred */
	r = CER_OK;
 out:
	free(s);
	return r;
}

/*
 * A key generation cut off by a kill can leave the public half alone; it
 * holds nothing secret and nothing can use it.  Destroyed only when the
 * label names exactly one object and that is a public key.
 */
int
cer_hsm_remove_orphan_public(struct cer_token *tok, const char *label, json_t **removed)
{
	CK_ATTRIBUTE t[] = {{ CKA_LABEL, (void *)(uintptr_t)label, strlen(label) }};
	CK_OBJECT_CLASS cls = 0;
	CK_ATTRIBUTE c[] = {{ CKA_CLASS, &cls, sizeof(cls) }};
	CK_OBJECT_HANDLE h[2];
	unsigned char *id = NULL;
	char *idhex = NULL;
	size_t id_len = 0;
	CK_ULONG n = 0;
	CK_RV rv;
	int r;

	*removed = NULL;
	if ((r = find_objects(tok, t, 1, h, 2, &n)) != CER_OK)
		return r;
	if (n == 1 && (rv = tok->hsm->f->C_GetAttributeValue(tok->session, h[0], c, 1)) != CKR_OK)
		return p11fail(rv, "C_GetAttributeValue", tok->label);
	if (n != 1 || cls != CKO_PUBLIC_KEY)
		return cer_fail(CER_ERR_KEY, "token '%s' holds %s labelled '%s' that this ceremony "
		    "did not record; look at it (pkcs11-tool --list-objects) and remove it "
		    "before resuming", tok->label, n == 1 ? "a private key" : "several objects",
		    label);
	if ((r = get_attr(tok, h[0], CKA_ID, &id, &id_len)) != CER_OK ||
	    (r = cer_hex(id, id_len, &idhex)) != CER_OK)
		goto out;
	if ((rv = tok->hsm->f->C_DestroyObject(tok->session, h[0])) != CKR_OK) {
		r = p11fail(rv, "C_DestroyObject", tok->label);
		goto out;
	}
	*removed = json_pack("{s:s, s:s, s:s}", "label", label, "id", idhex, "class",
	    "CKO_PUBLIC_KEY");
	r = *removed != NULL ? CER_OK : cer_fail(CER_ERR_ALLOC, "out of memory");
 out:
	free(id);
	free(idhex);
	return r;
}

