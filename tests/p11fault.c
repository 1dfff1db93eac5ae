/*
 * p11fault.c: a fault-injecting PKCS#11 module for the tests (built as
 * build/libp11fault.so).  It dlopen()s a real module, hands out its own
 * function list, forwards every call, and counts them; the environment
 * says which call to break and how.  Nothing is set: a plain pass-through.
 *
 *   P11FAULT_MODULE=PATH      the real module (/usr/lib/softhsm/libsofthsm2.so)
 *   P11FAULT_LOG=FILE         appends "N C_Name" for every call, N from 1 (counting mode)
 *   P11FAULT_COUNT=FILE       writes the number of calls at exit ("-": to stderr,
 *                             as "p11fault: N calls")
 *   P11FAULT_BYNAME=FILE      writes "C_Name N" for every function called, one a
 *                             line in the order of first call, at exit ("-": to stderr)
 *   P11FAULT_FAIL_AT=WHICH    the call to fail: N (the Nth call overall), C_Name (its
 *                             first call) or C_Name:K (its Kth call)
 *   P11FAULT_RV=CKR_NAME      what the failed call returns (CKR_DEVICE_ERROR); a name
 *                             below or a number (0x30)
 *   P11FAULT_AFTER=1          the failed call does its work first, then reports the error
 *   P11FAULT_CRASH_AT=WHICH   raises SIGSEGV (default action: a core) at that call,
 *                             before it reaches the real module
 *   P11FAULT_PAUSE_AT=WHICH   that call waits (up to 60 s) for a signal, then goes on to
 *                             the real module: a signal that lands inside an HSM call
 *   P11FAULT_SIG=corrupt|short  every C_Sign that returns a signature flips one bit
 *                             of it (corrupt) or drops its last byte (short)
 *   P11FAULT_PUBKEY=flip[:K]  every CKA_MODULUS / CKA_EC_POINT read back (or only the
 *                             Kth) has one bit flipped in its middle byte
 *   P11FAULT_IGNORE=CKA_X,..  C_GenerateKeyPair inverts these boolean attributes of
 *                             both templates: a token that ignores what was asked and
 *                             applies the opposite default (CKA_EXTRACTABLE=false is
 *                             made extractable)
 *   P11FAULT_TWIN=1           C_GenerateKeyPair makes a second pair with the same
 *                             templates first: another process racing for the label
 *   P11FAULT_RANDOM=zero|const  C_GenerateRandom returns zero bytes, or 0x5a bytes
 *   P11FAULT_NULL=C_X,..      the function list has NULL in these entries
 *
 * Every entry ceremony calls (and the object, session and slot-event calls
 * near them) is a counting wrapper; the others (encryption, digests,
 * verification, wrapping, ...) point at the real module's own, uncounted,
 * unless P11FAULT_NULL empties them.  The tests use it on throwaway tokens.
 */
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <p11-kit/pkcs11.h>

static CK_FUNCTION_LIST *real;
static CK_FUNCTION_LIST list;
static unsigned long calls;
static unsigned long per_name_count[128];
static const char *per_name[128];	/* the name of each index, once called */
static int by_first_call[128], ncalled;

static const struct { const char *name; CK_RV rv; } rvs[] = {
	{ "CKR_OK", CKR_OK }, { "CKR_HOST_MEMORY", CKR_HOST_MEMORY },
	{ "CKR_GENERAL_ERROR", CKR_GENERAL_ERROR }, { "CKR_FUNCTION_FAILED", CKR_FUNCTION_FAILED },
	{ "CKR_ARGUMENTS_BAD", CKR_ARGUMENTS_BAD }, { "CKR_DEVICE_ERROR", CKR_DEVICE_ERROR },
	{ "CKR_DEVICE_MEMORY", CKR_DEVICE_MEMORY }, { "CKR_DEVICE_REMOVED", CKR_DEVICE_REMOVED },
	{ "CKR_FUNCTION_CANCELED", CKR_FUNCTION_CANCELED },
	{ "CKR_OPERATION_ACTIVE", CKR_OPERATION_ACTIVE },
	{ "CKR_SESSION_CLOSED", CKR_SESSION_CLOSED },
	{ "CKR_SESSION_HANDLE_INVALID", CKR_SESSION_HANDLE_INVALID },
	{ "CKR_TOKEN_NOT_PRESENT", CKR_TOKEN_NOT_PRESENT },
	{ "CKR_PIN_INCORRECT", CKR_PIN_INCORRECT },
	{ "CKR_CRYPTOKI_NOT_INITIALIZED", CKR_CRYPTOKI_NOT_INITIALIZED },
	{ "CKR_ACTION_PROHIBITED", CKR_ACTION_PROHIBITED },
};

static const struct { const char *name; CK_ATTRIBUTE_TYPE type; } attrs[] = {
	{ "CKA_EXTRACTABLE", CKA_EXTRACTABLE }, { "CKA_SENSITIVE", CKA_SENSITIVE },
	{ "CKA_SIGN", CKA_SIGN }, { "CKA_DECRYPT", CKA_DECRYPT }, { "CKA_UNWRAP", CKA_UNWRAP },
	{ "CKA_DERIVE", CKA_DERIVE }, { "CKA_SIGN_RECOVER", CKA_SIGN_RECOVER },
	{ "CKA_TOKEN", CKA_TOKEN }, { "CKA_PRIVATE", CKA_PRIVATE },
	{ "CKA_ENCRYPT", CKA_ENCRYPT }, { "CKA_WRAP", CKA_WRAP },
};

/* ---- the environment ---- */

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

/* Whether name is in the comma-separated list. */
static int
in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = list; p != NULL && *p != '\0'; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/* Whether spec (N, C_Name or C_Name:K) names this call. */
static int
names_call(const char *spec, const char *name, unsigned long nth_of_name)
{
	size_t n = strlen(name);

	if (spec == NULL)
		return 0;
	if (spec[0] >= '0' && spec[0] <= '9')
		return strtoul(spec, NULL, 10) == calls;
	if (strncmp(spec, name, n) != 0)
		return 0;
	if (spec[n] == '\0')
		return nth_of_name == 1;
	return spec[n] == ':' && strtoul(spec + n + 1, NULL, 10) == nth_of_name;
}

static CK_RV
fault_rv(void)
{
	const char *v = env("P11FAULT_RV");
	size_t i;

	if (v == NULL)
		return CKR_DEVICE_ERROR;
	for (i = 0; i < sizeof(rvs) / sizeof(rvs[0]); i++)
		if (strcmp(v, rvs[i].name) == 0)
			return rvs[i].rv;
	return (CK_RV)strtoul(v, NULL, 0);
}

static void
count_at_exit(void)
{
	const char *to = env("P11FAULT_COUNT"), *by = env("P11FAULT_BYNAME");
	FILE *f;
	int i;

	if (to != NULL && strcmp(to, "-") == 0)
		fprintf(stderr, "p11fault: %lu calls\n", calls);
	else if (to != NULL && (f = fopen(to, "w")) != NULL) {
		fprintf(f, "%lu\n", calls);
		fclose(f);
	}
	if (by == NULL)
		return;
	if ((f = strcmp(by, "-") == 0 ? stderr : fopen(by, "w")) == NULL)
		return;
	for (i = 0; i < ncalled; i++)
		fprintf(f, "%s %lu\n", per_name[by_first_call[i]], per_name_count[by_first_call[i]]);
	if (f != stderr)
		fclose(f);
}

/*
 * Counts the call; crashes on it, or says to fail it (*after: once its
 * real work is done).  Returns CKR_OK to forward.
 */
static CK_RV
enter(int idx, const char *name, int *after)
{
	const char *log = env("P11FAULT_LOG");
	unsigned long nth;
	FILE *f;

	calls++;
	if ((nth = ++per_name_count[idx]) == 1) {
		per_name[idx] = name;
		by_first_call[ncalled++] = idx;
	}
	*after = 0;
	if (log != NULL && (f = fopen(log, "a")) != NULL) {
		fprintf(f, "%lu %s\n", calls, name);
		fclose(f);
	}
	if (names_call(env("P11FAULT_CRASH_AT"), name, nth)) {
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
	}
	if (names_call(env("P11FAULT_PAUSE_AT"), name, nth)) {
		struct timespec t = { 60, 0 };

		(void)nanosleep(&t, NULL);	/* EINTR once the caller's handler has run */
	}
	if (!names_call(env("P11FAULT_FAIL_AT"), name, nth))
		return CKR_OK;
	if (env("P11FAULT_AFTER") != NULL) {
		*after = 1;
		return CKR_OK;
	}
	return fault_rv();
}

/* ---- the wrappers ---- */

/*
 * WH(index, name, (params), (args), hook): the wrapper of one entry, which
 * counts the call (index: its own count), fails or crashes it as told, and
 * runs hook_after on what the real call returned (the lies below); W is
 * the same without a hook.
 */
#define WH(idx, name, params, args, hook)				\
static CK_RV								\
w_##name params								\
{									\
	int after;							\
	CK_RV rv = enter(idx, #name, &after);				\
									\
	if (rv != CKR_OK)						\
		return rv;						\
	rv = real->name args;						\
	if (rv == CKR_OK)						\
		hook##_after args;					\
	return after && rv == CKR_OK ? fault_rv() : rv;			\
}
#define none_after(...) ((void)0)
#define W(idx, name, params, args) WH(idx, name, params, args, none)

static void
sig_after(CK_SESSION_HANDLE s, CK_BYTE *d, CK_ULONG n, CK_BYTE *sig, CK_ULONG *len)
{
	const char *how = env("P11FAULT_SIG");

	(void)s, (void)d, (void)n;
	if (how == NULL || sig == NULL || *len == 0)
		return;
	if (strcmp(how, "corrupt") == 0)
		sig[*len / 2] ^= 0x10;
	else if (strcmp(how, "short") == 0)
		(*len)--;
}

static void
attr_after(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE *t, CK_ULONG n)
{
	static unsigned long reads;
	const char *how = env("P11FAULT_PUBKEY");
	CK_ULONG i;

	(void)s, (void)o;
	if (how == NULL || strncmp(how, "flip", 4) != 0)
		return;
	for (i = 0; i < n; i++)
		if ((t[i].type == CKA_MODULUS || t[i].type == CKA_EC_POINT) &&
		    t[i].pValue != NULL && t[i].ulValueLen > 0 &&
		    t[i].ulValueLen != CK_UNAVAILABLE_INFORMATION &&
		    (++reads, how[4] != ':' || strtoul(how + 5, NULL, 10) == reads))
			((CK_BYTE *)t[i].pValue)[t[i].ulValueLen / 2] ^= 0x01;
}

static void
invert(CK_ATTRIBUTE *t, CK_ULONG n, CK_BBOOL *store)
{
	const char *which = env("P11FAULT_IGNORE");
	CK_ULONG i;
	size_t a;

	for (i = 0; which != NULL && i < n && i < 32; i++)
		for (a = 0; a < sizeof(attrs) / sizeof(attrs[0]); a++)
			if (t[i].type == attrs[a].type && in_list(which, attrs[a].name) &&
			    t[i].ulValueLen == 1 && t[i].pValue != NULL) {
				store[i] = !*(CK_BBOOL *)t[i].pValue;
				t[i].pValue = &store[i];
			}
}

static CK_RV
w_C_GenerateKeyPair(CK_SESSION_HANDLE s, CK_MECHANISM *m, CK_ATTRIBUTE *pub, CK_ULONG npub,
    CK_ATTRIBUTE *priv, CK_ULONG npriv, CK_OBJECT_HANDLE *hpub, CK_OBJECT_HANDLE *hpriv)
{
	CK_ATTRIBUTE cpub[32], cpriv[32];
	CK_BBOOL spub[32], spriv[32];
	int after;
	CK_RV rv = enter(0, "C_GenerateKeyPair", &after);

	if (rv != CKR_OK)
		return rv;
	if (npub <= 32 && npriv <= 32) {	/* the caller's templates stay as they were */
		memcpy(cpub, pub, npub * sizeof(*pub));
		memcpy(cpriv, priv, npriv * sizeof(*priv));
		invert(cpub, npub, spub);
		invert(cpriv, npriv, spriv);
		pub = cpub;
		priv = cpriv;
	}
	if (env("P11FAULT_TWIN") != NULL &&
	    (rv = real->C_GenerateKeyPair(s, m, pub, npub, priv, npriv, hpub, hpriv)) != CKR_OK)
		return rv;
	rv = real->C_GenerateKeyPair(s, m, pub, npub, priv, npriv, hpub, hpriv);
	return after && rv == CKR_OK ? fault_rv() : rv;
}

static CK_RV
w_C_GenerateRandom(CK_SESSION_HANDLE s, CK_BYTE *buf, CK_ULONG len)
{
	const char *how = env("P11FAULT_RANDOM");
	int after;
	CK_RV rv = enter(1, "C_GenerateRandom", &after);

	if (rv != CKR_OK)
		return rv;
	rv = real->C_GenerateRandom(s, buf, len);
	if (rv == CKR_OK && how != NULL)
		memset(buf, strcmp(how, "zero") == 0 ? 0x00 : 0x5a, len);
	return after && rv == CKR_OK ? fault_rv() : rv;
}

W(2, C_Initialize, (void *a), (a))
W(3, C_Finalize, (void *a), (a))
W(4, C_GetInfo, (CK_INFO *i), (i))
W(5, C_GetSlotList, (CK_BBOOL p, CK_SLOT_ID *l, CK_ULONG *n), (p, l, n))
W(6, C_GetSlotInfo, (CK_SLOT_ID s, CK_SLOT_INFO *i), (s, i))
W(7, C_GetTokenInfo, (CK_SLOT_ID s, CK_TOKEN_INFO *i), (s, i))
W(8, C_GetMechanismList, (CK_SLOT_ID s, CK_MECHANISM_TYPE *l, CK_ULONG *n), (s, l, n))
W(9, C_GetMechanismInfo, (CK_SLOT_ID s, CK_MECHANISM_TYPE t, CK_MECHANISM_INFO *i), (s, t, i))
W(13, C_OpenSession, (CK_SLOT_ID s, CK_FLAGS f, void *a, CK_NOTIFY n, CK_SESSION_HANDLE *h),
    (s, f, a, n, h))
W(14, C_CloseSession, (CK_SESSION_HANDLE s), (s))
W(15, C_CloseAllSessions, (CK_SLOT_ID s), (s))
W(16, C_GetSessionInfo, (CK_SESSION_HANDLE s, CK_SESSION_INFO *i), (s, i))
W(19, C_Login, (CK_SESSION_HANDLE s, CK_USER_TYPE u, CK_UTF8CHAR *p, CK_ULONG n), (s, u, p, n))
W(20, C_Logout, (CK_SESSION_HANDLE s), (s))
W(21, C_CreateObject, (CK_SESSION_HANDLE s, CK_ATTRIBUTE *t, CK_ULONG n, CK_OBJECT_HANDLE *o),
    (s, t, n, o))
W(23, C_DestroyObject, (CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o), (s, o))
WH(25, C_GetAttributeValue, (CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE *t,
    CK_ULONG n), (s, o, t, n), attr)
W(26, C_SetAttributeValue, (CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE *t,
    CK_ULONG n), (s, o, t, n))
W(27, C_FindObjectsInit, (CK_SESSION_HANDLE s, CK_ATTRIBUTE *t, CK_ULONG n), (s, t, n))
W(28, C_FindObjects, (CK_SESSION_HANDLE s, CK_OBJECT_HANDLE *o, CK_ULONG m, CK_ULONG *n),
    (s, o, m, n))
W(29, C_FindObjectsFinal, (CK_SESSION_HANDLE s), (s))
W(43, C_SignInit, (CK_SESSION_HANDLE s, CK_MECHANISM *m, CK_OBJECT_HANDLE k), (s, m, k))
WH(44, C_Sign, (CK_SESSION_HANDLE s, CK_BYTE *d, CK_ULONG n, CK_BYTE *o, CK_ULONG *on),
    (s, d, n, o, on), sig)
W(63, C_SeedRandom, (CK_SESSION_HANDLE s, CK_BYTE *d, CK_ULONG n), (s, d, n))
W(66, C_WaitForSlotEvent, (CK_FLAGS f, CK_SLOT_ID *s, void *r), (f, s, r))

CK_RV C_GetFunctionList(CK_FUNCTION_LIST **out);

/* The list, every entry a wrapper; P11FAULT_NULL empties the named ones. */
static void
fill_list(void)
{
	const char *nul = env("P11FAULT_NULL");

	list.version = real->version;
#define E(name) list.name = in_list(nul, #name) ? NULL : w_##name
#define R(name) list.name = in_list(nul, #name) ? NULL : real->name
	E(C_Initialize); E(C_Finalize); E(C_GetInfo); list.C_GetFunctionList = C_GetFunctionList;
	E(C_GetSlotList); E(C_GetSlotInfo); E(C_GetTokenInfo); E(C_GetMechanismList);
	E(C_GetMechanismInfo); R(C_InitToken); R(C_InitPIN); R(C_SetPIN); E(C_OpenSession);
	E(C_CloseSession); E(C_CloseAllSessions); E(C_GetSessionInfo); R(C_GetOperationState);
	R(C_SetOperationState); E(C_Login); E(C_Logout); E(C_CreateObject); R(C_CopyObject);
	E(C_DestroyObject); R(C_GetObjectSize); E(C_GetAttributeValue); E(C_SetAttributeValue);
	E(C_FindObjectsInit); E(C_FindObjects); E(C_FindObjectsFinal); R(C_EncryptInit);
	R(C_Encrypt); R(C_EncryptUpdate); R(C_EncryptFinal); R(C_DecryptInit); R(C_Decrypt);
	R(C_DecryptUpdate); R(C_DecryptFinal); R(C_DigestInit); R(C_Digest); R(C_DigestUpdate);
	R(C_DigestKey); R(C_DigestFinal); E(C_SignInit); E(C_Sign); R(C_SignUpdate);
	R(C_SignFinal); R(C_SignRecoverInit); R(C_SignRecover); R(C_VerifyInit); R(C_Verify);
	R(C_VerifyUpdate); R(C_VerifyFinal); R(C_VerifyRecoverInit); R(C_VerifyRecover);
	R(C_DigestEncryptUpdate); R(C_DecryptDigestUpdate); R(C_SignEncryptUpdate);
	R(C_DecryptVerifyUpdate); R(C_GenerateKey); E(C_GenerateKeyPair); R(C_WrapKey);
	R(C_UnwrapKey); R(C_DeriveKey); E(C_SeedRandom); E(C_GenerateRandom);
	R(C_GetFunctionStatus); R(C_CancelFunction); E(C_WaitForSlotEvent);
#undef R
#undef E
}

CK_RV
C_GetFunctionList(CK_FUNCTION_LIST **out)
{
	const char *path = env("P11FAULT_MODULE");
	CK_C_GetFunctionList getfl;
	void *dl;

	if (out == NULL)
		return CKR_ARGUMENTS_BAD;
	if (real == NULL) {
		if ((dl = dlopen(path != NULL ? path : "/usr/lib/softhsm/libsofthsm2.so",
		    RTLD_NOW | RTLD_LOCAL)) == NULL ||
		    (getfl = (CK_C_GetFunctionList)dlsym(dl, "C_GetFunctionList")) == NULL ||
		    getfl(&real) != CKR_OK || real == NULL) {
			fprintf(stderr, "p11fault: cannot load the real module: %s\n", dlerror());
			return CKR_GENERAL_ERROR;
		}
		fill_list();
		atexit(count_at_exit);
	}
	*out = &list;
	return CKR_OK;
}
