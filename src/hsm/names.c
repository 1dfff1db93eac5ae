/* names.c: the names PKCS#11 values take in messages and the transcript. */
#include <stdio.h>
#include <stdlib.h>

#include "hsm/hsm-int.h"
#include "base/util.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- names ---- */

/* A CKR_, CKM_ or CKF_ value (each a CK_ULONG) and its name. */
struct ck_name {
	CK_ULONG value;
	const char *name;
};

#define N(x) { x, #x }
static const struct ck_name rv_names[] = {
	N(CKR_OK), N(CKR_CANCEL), N(CKR_HOST_MEMORY), N(CKR_SLOT_ID_INVALID),
	N(CKR_GENERAL_ERROR), N(CKR_FUNCTION_FAILED), N(CKR_ARGUMENTS_BAD),
	N(CKR_NO_EVENT), N(CKR_NEED_TO_CREATE_THREADS), N(CKR_CANT_LOCK), N(CKR_ACTION_PROHIBITED),
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

static const struct ck_name mech_names[] = {
	N(CKM_RSA_PKCS_KEY_PAIR_GEN), N(CKM_RSA_PKCS), N(CKM_RSA_PKCS_PSS),
	N(CKM_RSA_X_509), N(CKM_SHA256_RSA_PKCS), N(CKM_SHA384_RSA_PKCS),
	N(CKM_SHA512_RSA_PKCS), N(CKM_EC_KEY_PAIR_GEN), N(CKM_ECDSA),
	N(CKM_EC_EDWARDS_KEY_PAIR_GEN), N(CKM_EDDSA), N(CKM_SHA256), N(CKM_SHA384),
	N(CKM_SHA512),
};
#undef N

/* The name of v in tab, or "<prefix>_0x…" in buf for a value tab lacks. */
static const char *
name_in(const struct ck_name *tab, size_t n, CK_ULONG v, const char *prefix, char *buf,
    size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tab[i].value == v)
			return tab[i].name;
	snprintf(buf, len, "%s_0x%08lx", prefix, (unsigned long)v);
	return buf;
}

const char *
cer_hsm_rv_name(CK_RV rv)
{
	static char buf[32];

	return name_in(rv_names, NELEM(rv_names), rv, "CKR", buf, sizeof(buf));
}

const char *
cer_hsm_mech_name(CK_MECHANISM_TYPE mech)
{
	static char buf[32];

	return name_in(mech_names, NELEM(mech_names), mech, "CKM", buf, sizeof(buf));
}

int
cer_hsm_fail(CK_RV rv, const char *call, const char *what)
{
	return cer_fail(CER_ERR_PKCS11, "%s failed with %s (%s)", call,
	    cer_hsm_rv_name(rv), what);
}

const char *
cer_hsm_rv_advice(CK_RV rv)
{
	switch (rv) {
	case CKR_DEVICE_ERROR: case CKR_DEVICE_MEMORY: case CKR_DEVICE_REMOVED:
	case CKR_TOKEN_NOT_PRESENT: case CKR_SESSION_CLOSED: case CKR_SESSION_HANDLE_INVALID:
		return "check that the token is there and works (pkcs11-tool -L), then --resume";
	case CKR_MECHANISM_INVALID: case CKR_MECHANISM_PARAM_INVALID: case CKR_KEY_SIZE_RANGE:
	case CKR_KEY_TYPE_INCONSISTENT: case CKR_KEY_FUNCTION_NOT_PERMITTED:
	case CKR_TEMPLATE_INCONSISTENT: case CKR_ATTRIBUTE_TYPE_INVALID:
	case CKR_ATTRIBUTE_VALUE_INVALID:
		return "the token will not do this: docs/tokens.md says what the tested tokens "
		    "can do for a CA; choose another key type, signature-algorithm or token";
	default:
		return "the module's own log (on stderr) may say why; fix the cause, then --resume";
	}
}

/* ---- flags ---- */

#define N(x) { x, #x }
static const struct ck_name token_flags[] = {
	N(CKF_RNG), N(CKF_WRITE_PROTECTED), N(CKF_LOGIN_REQUIRED), N(CKF_USER_PIN_INITIALIZED),
	N(CKF_PROTECTED_AUTHENTICATION_PATH), N(CKF_TOKEN_INITIALIZED),
	N(CKF_USER_PIN_COUNT_LOW), N(CKF_USER_PIN_FINAL_TRY), N(CKF_USER_PIN_LOCKED),
	N(CKF_USER_PIN_TO_BE_CHANGED), N(CKF_SO_PIN_LOCKED),
};

static const struct ck_name mech_flags[] = {
	N(CKF_HW), N(CKF_SIGN), N(CKF_VERIFY), N(CKF_GENERATE_KEY_PAIR), N(CKF_DIGEST),
	N(CKF_ENCRYPT), N(CKF_DECRYPT),
};
#undef N

static json_t *
flags_json(const struct ck_name *tab, size_t n, CK_FLAGS flags)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < n; i++)
		if (flags & tab[i].value)
			json_array_append_new(a, json_string(tab[i].name));
	return a;
}

json_t *
cer_hsm_token_flags_json(CK_FLAGS flags)
{
	return flags_json(token_flags, NELEM(token_flags), flags);
}

json_t *
cer_hsm_mech_flags_json(CK_FLAGS flags)
{
	return flags_json(mech_flags, NELEM(mech_flags), flags);
}

/* ---- attributes ---- */

#define A(x, k) { x, #x, CER_HSM_A_##k }
const struct cer_hsm_attr cer_hsm_attrs[] = {
	A(CKA_CLASS, ULONG), A(CKA_KEY_TYPE, ULONG), A(CKA_LABEL, TEXT),
	A(CKA_ID, BYTES), A(CKA_TOKEN, BOOL), A(CKA_PRIVATE, BOOL),
	A(CKA_MODIFIABLE, BOOL), A(CKA_COPYABLE, BOOL), A(CKA_DESTROYABLE, BOOL),
	A(CKA_LOCAL, BOOL), A(CKA_KEY_GEN_MECHANISM, ULONG),
	A(CKA_SENSITIVE, BOOL), A(CKA_ALWAYS_SENSITIVE, BOOL),
	A(CKA_EXTRACTABLE, BOOL), A(CKA_NEVER_EXTRACTABLE, BOOL),
	A(CKA_SIGN, BOOL), A(CKA_SIGN_RECOVER, BOOL), A(CKA_DECRYPT, BOOL),
	A(CKA_UNWRAP, BOOL), A(CKA_DERIVE, BOOL), A(CKA_ALWAYS_AUTHENTICATE, BOOL),
	A(CKA_WRAP_WITH_TRUSTED, BOOL), A(CKA_VERIFY, BOOL),
	A(CKA_VERIFY_RECOVER, BOOL), A(CKA_ENCRYPT, BOOL), A(CKA_WRAP, BOOL),
	A(CKA_TRUSTED, BOOL), A(CKA_MODULUS_BITS, ULONG), A(CKA_MODULUS, BYTES),
	A(CKA_PUBLIC_EXPONENT, BYTES), A(CKA_EC_PARAMS, BYTES), A(CKA_EC_POINT, BYTES),
};
#undef A

const size_t cer_hsm_nattrs = NELEM(cer_hsm_attrs);

const struct cer_hsm_attr *
cer_hsm_attr_find(CK_ATTRIBUTE_TYPE type)
{
	size_t i;

	for (i = 0; i < cer_hsm_nattrs; i++)
		if (cer_hsm_attrs[i].type == type)
			return &cer_hsm_attrs[i];
	return NULL;
}

json_t *
cer_hsm_attr_json(const struct cer_hsm_attr *d, const void *v, size_t len)
{
	char *hex = NULL;
	json_t *j;

	switch (d->kind) {
	case CER_HSM_A_BOOL:
		return len == sizeof(CK_BBOOL) ? json_boolean(*(const CK_BBOOL *)v) : json_null();
	case CER_HSM_A_ULONG:
		return len == sizeof(CK_ULONG) ? json_integer((json_int_t)*(const CK_ULONG *)v) :
		    json_null();
	case CER_HSM_A_TEXT:
		return json_stringn(v, len);
	case CER_HSM_A_BYTES:
	default:
		if (cer_hex(v, len, &hex) != CER_OK)
			return NULL;
		j = json_string(hex);
		free(hex);
		return j;
	}
}

int
cer_hsm_attrs_to_json(const CK_ATTRIBUTE *t, size_t n, json_t **out)
{
	const struct cer_hsm_attr *d;
	json_t *o;
	size_t i;

	if ((o = json_object()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	for (i = 0; i < n; i++)
		if ((d = cer_hsm_attr_find(t[i].type)) != NULL)
			json_object_set_new(o, d->name, cer_hsm_attr_json(d, t[i].pValue,
			    t[i].ulValueLen));
	*out = o;
	return CER_OK;
}
