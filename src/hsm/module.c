/*
 * module.c: a PKCS#11 module through its CK_FUNCTION_LIST: loading it,
 * choosing the one token a script means, its session and the login.
 *
 * Why raw and not libp11: ARCHITECTURE §2 (libp11 0.4.12 cannot make EC or
 * Ed25519 keys, sets DECRYPT/UNWRAP on its keys and mishandles PINs).
 */
#include <dlfcn.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <p11-kit/uri.h>

#include "hsm/hsm-int.h"
#include "base/util.h"

#define MAX_SLOTS 256

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

/*
 * Every entry ceremony calls must be there: a module that hands out a list
 * with NULL entries would crash the tool at the first call of one.
 */
static int
check_function_list(const CK_FUNCTION_LIST *f, const char *path)
{
#define ENTRY(name) { #name, f->name == NULL }
	const struct { const char *name; int missing; } used[] = {
		ENTRY(C_Initialize), ENTRY(C_Finalize), ENTRY(C_GetInfo), ENTRY(C_GetSlotList),
		ENTRY(C_GetSlotInfo), ENTRY(C_GetTokenInfo), ENTRY(C_GetMechanismList),
		ENTRY(C_GetMechanismInfo), ENTRY(C_OpenSession), ENTRY(C_CloseSession),
		ENTRY(C_Login), ENTRY(C_Logout), ENTRY(C_DestroyObject),
		ENTRY(C_GetAttributeValue), ENTRY(C_FindObjectsInit), ENTRY(C_FindObjects),
		ENTRY(C_FindObjectsFinal), ENTRY(C_SignInit), ENTRY(C_Sign),
		ENTRY(C_GenerateKeyPair), ENTRY(C_GenerateRandom),
	};
#undef ENTRY
	char missing[512] = "";
	size_t i, len;

	for (i = 0; i < sizeof(used) / sizeof(used[0]); i++)
		if (used[i].missing && (len = strlen(missing)) < sizeof(missing))
			snprintf(missing + len, sizeof(missing) - len, "%s%s", len > 0 ? ", " : "",
			    used[i].name);
	if (missing[0] != '\0')
		return cer_fail(CER_ERR_PKCS11, "PKCS#11 module %s is refused: its function list "
		    "has no %s (NULL entries); use a complete module", path, missing);
	return CER_OK;
}

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
		r = cer_hsm_fail(rv != CKR_OK ? rv : CKR_GENERAL_ERROR, "C_GetFunctionList", path);
		goto out;
	}
	if ((r = check_function_list(h->f, path)) != CER_OK)
		goto out;
	memset(&args, 0, sizeof(args));
	args.flags = CKF_OS_LOCKING_OK;
	if ((rv = h->f->C_Initialize(&args)) != CKR_OK) {
		r = cer_hsm_fail(rv, "C_Initialize", path);
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

/*
 * Closing down cannot fail the ceremony: everything was done and recorded
 * before.  The operator still hears of it, in one line.
 */
static void
teardown_warning(const char *call, const char *what, CK_RV rv)
{
	fprintf(stderr, "ceremony: warning: %s (%s) failed with %s while closing down; "
	    "what was done before stands\n", call, what, cer_hsm_rv_name(rv));
}

void
cer_hsm_free(struct cer_hsm *hsm)
{
	CK_RV rv;

	if (hsm == NULL)
		return;
	/* Explicitly, before main returns: SoftHSM's static destructors run early. */
	if (hsm->initialized && (rv = hsm->f->C_Finalize(NULL)) != CKR_OK)
		teardown_warning("C_Finalize", hsm->path, rv);
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

/* C_GetInfo, asked once: the module's description does not change while it is loaded. */
CK_RV
cer_hsm_module_info(struct cer_hsm *hsm, CK_INFO *info)
{
	CK_RV rv;

	if (!hsm->have_info && (rv = hsm->f->C_GetInfo(&hsm->info)) != CKR_OK)
		return rv;
	hsm->have_info = 1;
	*info = hsm->info;
	return CKR_OK;
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
	if ((rv = cer_hsm_module_info(hsm, &info)) != CKR_OK) {
		r = cer_hsm_fail(rv, "C_GetInfo", hsm->path);
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

/*
 * The one initialised token that sel matches, and its C_GetTokenInfo.
 * CER_ERR_TOKEN when none or several match (the detail lists what is there
 * and what to do).
 */
static int
select_slot(struct cer_hsm *hsm, const struct cer_token_select *sel, CK_SLOT_ID *slot,
    CK_TOKEN_INFO *info)
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
	/* the module's and each slot's description: only a URI can ask for them */
	if (uri != NULL && (rv = cer_hsm_module_info(hsm, &mi)) != CKR_OK) {
		r = cer_hsm_fail(rv, "C_GetInfo", hsm->path);
		goto out;
	}
	if ((rv = hsm->f->C_GetSlotList(CK_TRUE, slots, &nslots)) != CKR_OK) {
		r = cer_hsm_fail(rv, "C_GetSlotList", hsm->path);
		goto out;
	}
	for (i = 0; i < nslots; i++) {
		/* an error is the device's, never "no such token": stop and say which */
		if ((rv = hsm->f->C_GetTokenInfo(slots[i], &ti)) != CKR_OK) {
			snprintf(what, sizeof(what), "slot ID %lu", (unsigned long)slots[i]);
			r = cer_hsm_fail(rv, "C_GetTokenInfo", what);
			goto out;
		}
		/* SoftHSM always offers one uninitialised slot; it is never a CA token. */
		if (!(ti.flags & CKF_TOKEN_INITIALIZED))
			continue;
		if (uri != NULL && (rv = hsm->f->C_GetSlotInfo(slots[i], &si)) != CKR_OK) {
			snprintf(what, sizeof(what), "slot ID %lu", (unsigned long)slots[i]);
			r = cer_hsm_fail(rv, "C_GetSlotInfo", what);
			goto out;
		}
		list_token(present, sizeof(present), slots[i], &ti);
		if (!selector_matches(sel, uri, slots[i], &si, &ti, &mi))
			continue;
		list_token(matched, sizeof(matched), slots[i], &ti);
		found = slots[i];
		*info = ti;
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

/* A read-write session on slot, with the token's label, serial and manufacturer (from info). */
static int
open_slot(struct cer_hsm *hsm, CK_SLOT_ID slot, const CK_TOKEN_INFO *info,
    struct cer_token **out)
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
	t->lock_fd = -1;
	t->info = *info;
	padded(t->label, t->info.label, sizeof(t->info.label));
	padded(t->serial, t->info.serialNumber, sizeof(t->info.serialNumber));
	padded(t->manufacturer, t->info.manufacturerID, sizeof(t->info.manufacturerID));
	if ((rv = hsm->f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL,
	    &t->session)) != CKR_OK) {
		r = cer_hsm_fail(rv, "C_OpenSession", t->label);
		goto out;
	}
	*out = t;
	t = NULL; /* transferred */
	r = CER_OK;
 out:
	free(t);
	return r;
}

int
cer_hsm_open_token(struct cer_hsm *hsm, const struct cer_token_select *sel,
    struct cer_token **out)
{
	CK_SLOT_ID slot = 0;
	CK_TOKEN_INFO info;
	int r;

	*out = NULL;
	if ((r = select_slot(hsm, sel, &slot, &info)) != CER_OK)
		return r;
	return open_slot(hsm, slot, &info, out);
}

void
cer_hsm_close(struct cer_token *tok)
{
	CK_RV rv;

	if (tok == NULL)
		return;
	/*
	 * The login is the token's, not the session's (PKCS#11 C_Logout): with two
	 * roles on one token the second logout finds it done; tpm2-pkcs11 says
	 * CKR_USER_NOT_LOGGED_IN there, SoftHSM 2.6.1 CKR_OK.
	 */
	if (tok->logged_in && (rv = tok->hsm->f->C_Logout(tok->session)) != CKR_OK &&
	    rv != CKR_USER_NOT_LOGGED_IN)
		teardown_warning("C_Logout", tok->label, rv);
	if (tok->session != CK_INVALID_HANDLE &&
	    (rv = tok->hsm->f->C_CloseSession(tok->session)) != CKR_OK)
		teardown_warning("C_CloseSession", tok->label, rv);
	if (tok->lock_fd != -1)
		close(tok->lock_fd);	/* releases the token lock */
	free(tok->mechs);
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


int
cer_hsm_token_describe(struct cer_token *tok, json_t **out)
{
	CK_TOKEN_INFO *ti = &tok->info;
	CK_SLOT_INFO si;
	json_t *o;
	CK_RV rv;

	char what[40];

	*out = NULL;
	if ((rv = tok->hsm->f->C_GetSlotInfo(tok->slot, &si)) != CKR_OK) {
		snprintf(what, sizeof(what), "slot ID %lu", (unsigned long)tok->slot);
		return cer_hsm_fail(rv, "C_GetSlotInfo", what);
	}
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
	    "flags", cer_hsm_token_flags_json(ti->flags),
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
		return cer_hsm_fail(rv, "C_GetTokenInfo", tok->label);
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
		return cer_hsm_fail(rv, "C_Login", tok->label);
	tok->logged_in = 1;
	return CER_OK;
}

int
cer_hsm_uri_check(const char *s, char *why, size_t n)
{
	P11KitUri *uri;
	int pr, r = CER_ERR_SCRIPT;

	why[0] = '\0';
	if ((uri = p11_kit_uri_new()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	if ((pr = p11_kit_uri_parse(s, P11_KIT_URI_FOR_TOKEN, uri)) != P11_KIT_URI_OK)
		snprintf(why, n, "is not a PKCS#11 URI: %s; write it as in RFC 7512, e.g. "
		    "pkcs11:token=Example%%20Root", p11_kit_uri_message(pr));
	else if (p11_kit_uri_get_pin_value(uri) != NULL ||
	    p11_kit_uri_get_pin_source(uri) != NULL)
		snprintf(why, n, "carries a PIN (pin-value or pin-source); PINs never go into "
		    "the script that way: remove it and use pin: (prompt, file:, env: or fd:)");
	else if (p11_kit_uri_any_unrecognized(uri))
		snprintf(why, n, "has attributes that do not describe a token (such as object= "
		    "or id=); keep only token attributes");
	else
		r = CER_OK;
	p11_kit_uri_free(uri);
	return r;
}
