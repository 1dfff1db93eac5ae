/*
 * keys.c: the CA key pair on the token: generation with the template of
 * docs/tokens.md and its read-back, lookup by label, orphan halves, and
 * randomness (pubkey.c rebuilds public keys from the token's attributes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "hsm/hsm-int.h"
#include "base/util.h"

#define MAX_OBJECTS 64
#define CKA_ID_LEN 16
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- objects ---- */

/* Up to max handles of objects matching tmpl. */
int
cer_hsm_find_objects(struct cer_token *tok, CK_ATTRIBUTE *tmpl, CK_ULONG n,
    CK_OBJECT_HANDLE *found, CK_ULONG max, CK_ULONG *nfound)
{
	CK_FUNCTION_LIST *f = tok->hsm->f;
	CK_RV rv, rvf;

	*nfound = 0;
	if ((rv = f->C_FindObjectsInit(tok->session, tmpl, n)) != CKR_OK)
		return cer_hsm_fail(rv, "C_FindObjectsInit", tok->label);
	rv = f->C_FindObjects(tok->session, found, max, nfound);
	rvf = f->C_FindObjectsFinal(tok->session);
	if (rv != CKR_OK)
		return cer_hsm_fail(rv, "C_FindObjects", tok->label);
	/* unchecked, it came back as the next call's CKR_OPERATION_ACTIVE */
	if (rvf != CKR_OK)
		return cer_hsm_fail(rvf, "C_FindObjectsFinal", tok->label);
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
	if ((r = cer_hsm_find_objects(tok, t, 1, h, 1, &n)) != CER_OK)
		return r;
	*taken = n > 0;
	return CER_OK;
}

int
cer_hsm_random(struct cer_token *tok, unsigned char *buf, size_t len)
{
	size_t i;
	CK_RV rv;

	if ((rv = tok->hsm->f->C_GenerateRandom(tok->session, buf, (CK_ULONG)len)) != CKR_OK)
		return cer_hsm_fail(rv, "C_GenerateRandom", tok->label);
	/* 8 or more equal bytes (chance 2^-56 or less): a generator that is broken, or lies */
	for (i = 1; len >= 8 && i < len && buf[i] == buf[0]; i++)
		;
	if (len >= 8 && i == len)
		return cer_fail(CER_ERR_KEY, "C_GenerateRandom on token '%s' returned %zu bytes "
		    "of 0x%02x; a token whose generator fails that way cannot make a CA key",
		    tok->label, len, buf[0]);
	return CER_OK;
}

/* ---- attributes ---- */

/*
 * Several attributes of one object in two calls, however many: their
 * lengths (every pValue NULL), then the values of those the object has.
 * PKCS#11 has C_GetAttributeValue process every attribute of the template
 * even when it returns CKR_ATTRIBUTE_SENSITIVE or CKR_ATTRIBUTE_TYPE_INVALID,
 * marking those with CK_UNAVAILABLE_INFORMATION (v2.40 section 5.7, and
 * SoftHSM does): their vals[i] stay NULL.  One call per attribute cost
 * SoftHSM's file store a reopen and a lock each.
 */
int
cer_hsm_get_attrs(struct cer_token *tok, CK_OBJECT_HANDLE obj, const CK_ATTRIBUTE_TYPE *types,
    size_t n, unsigned char **vals, size_t *lens)
{
	CK_FUNCTION_LIST *f = tok->hsm->f;
	CK_ATTRIBUTE *t = NULL, *q = NULL;
	size_t i, m = 0;
	int r = CER_ERR_INTERNAL;
	CK_RV rv;

	for (i = 0; i < n; i++) {
		vals[i] = NULL;
		lens[i] = 0;
	}
	if ((t = calloc(n, sizeof(*t))) == NULL || (q = calloc(n, sizeof(*q))) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		t[i].type = types[i];
	rv = f->C_GetAttributeValue(tok->session, obj, t, (CK_ULONG)n);
	if (rv != CKR_OK && rv != CKR_ATTRIBUTE_TYPE_INVALID && rv != CKR_ATTRIBUTE_SENSITIVE) {
		r = cer_hsm_fail(rv, "C_GetAttributeValue", tok->label);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (t[i].ulValueLen == CK_UNAVAILABLE_INFORMATION)
			continue;
		if ((t[i].pValue = calloc(1, t[i].ulValueLen + 1)) == NULL) {
			r = cer_fail(CER_ERR_ALLOC, "out of memory");
			goto out;
		}
		q[m++] = t[i];
	}
	if (m > 0 && (rv = f->C_GetAttributeValue(tok->session, obj, q, (CK_ULONG)m)) != CKR_OK) {
		r = cer_hsm_fail(rv, "C_GetAttributeValue", tok->label);
		goto out;
	}
	for (i = 0, m = 0; i < n; i++) {
		if (t[i].pValue == NULL)
			continue;
		vals[i] = q[m].pValue;
		lens[i] = q[m++].ulValueLen;
		t[i].pValue = NULL; /* transferred */
	}
	r = CER_OK;
 out:
	for (i = 0; t != NULL && i < n; i++)
		free(t[i].pValue);
	free(t);
	free(q);
	return r;
}

/* Reads one attribute into a new buffer; *buf stays NULL when the object lacks it. */
int
cer_hsm_get_attr(struct cer_token *tok, CK_OBJECT_HANDLE obj, CK_ATTRIBUTE_TYPE type,
    unsigned char **buf, size_t *len)
{
	return cer_hsm_get_attrs(tok, obj, &type, 1, buf, len);
}

/* Every attribute this module knows, read from obj, as {CKA_*: value}. */
static int
object_json(struct cer_token *tok, CK_OBJECT_HANDLE obj, json_t **out)
{
	size_t i, n = cer_hsm_nattrs, *len = calloc(n, sizeof(*len));
	CK_ATTRIBUTE_TYPE *types = calloc(n, sizeof(*types));
	unsigned char **v = calloc(n, sizeof(*v));
	json_t *o = NULL, *val;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if (len == NULL || types == NULL || v == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		types[i] = cer_hsm_attrs[i].type;
	if ((r = cer_hsm_get_attrs(tok, obj, types, n, v, len)) != CER_OK)
		goto out;
	if ((o = json_object()) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		val = v[i] == NULL ? json_null() : cer_hsm_attr_json(&cer_hsm_attrs[i], v[i], len[i]);
		if (val == NULL || json_object_set_new(o, cer_hsm_attrs[i].name, val) != 0) {
			r = cer_fail(CER_ERR_ALLOC, "out of memory");
			goto out;
		}
	}
	*out = o;
	o = NULL; /* transferred */
	r = CER_OK;
 out:
	for (i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
	free(types);
	free(len);
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
		name = cer_hsm_attr_find(required_priv[i].type)->name;
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

static const unsigned char rsa_f4[] = { 0x01, 0x00, 0x01 };

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
		    (r = cer_hsm_find_objects(tok, t, 1, h, 1, &n)) != CER_OK)
			return r;
		if (n == 0)
			return CER_OK;
	}
	return cer_fail(CER_ERR_KEY, "token '%s' keeps returning CKA_IDs already in use",
	    tok->label);
}

/*
 * The generation template (docs/tokens.md): what a CA key needs, nothing of
 * the public half's uses (OpenSSL verifies; tpm2-pkcs11 maps a public
 * CKA_VERIFY onto the decrypt attribute the TPM object shares, src/lib/tpm.c
 * tpm_handlers).  The optional attributes switch the private half's other
 * uses off; a token that rejects the template (template_rejected) gets it
 * once more without them, recorded.  The read-back (required_priv), never
 * the template, decides whether the key is a CA key.
 */
static const CK_ATTRIBUTE_TYPE optional_priv[] = {
	CKA_DECRYPT, CKA_UNWRAP, CKA_DERIVE, CKA_SIGN_RECOVER,
};

/* What the templates point into. */
struct keytmpl {
	CK_KEY_TYPE ktype;
	CK_ULONG bits;
	unsigned char id[CKA_ID_LEN];
	CK_ATTRIBUTE pub[8], priv[16];
	CK_ULONG npub, npriv;
};

static void
template_fill(struct keytmpl *t, const struct cer_keygen *kg, int optional)
{
	static const CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
	static const CK_OBJECT_CLASS pubclass = CKO_PUBLIC_KEY, privclass = CKO_PRIVATE_KEY;
	const struct cer_curve_info *cd = cer_alg_curve(kg->curve);
	const struct cer_key_type_info *ed = cer_alg_key_type(CER_KEY_ED25519);
	size_t label_len = strlen(kg->label), i;

#define SET(a, n, at, v, l) do { a[n].type = (at); a[n].pValue = (void *)(uintptr_t)(v); \
	a[n].ulValueLen = (l); n++; } while (0)
	t->npub = t->npriv = 0;
	t->ktype = kg->type == CER_KEY_RSA ? CKK_RSA : kg->type == CER_KEY_EC ? CKK_EC :
	    CKK_EC_EDWARDS;
	t->bits = kg->rsa_bits;
	SET(t->pub, t->npub, CKA_CLASS, &pubclass, sizeof(pubclass));
	SET(t->pub, t->npub, CKA_KEY_TYPE, &t->ktype, sizeof(t->ktype));
	SET(t->pub, t->npub, CKA_TOKEN, &yes, 1);
	SET(t->pub, t->npub, CKA_PRIVATE, &no, 1);
	SET(t->pub, t->npub, CKA_LABEL, kg->label, label_len);
	SET(t->pub, t->npub, CKA_ID, t->id, sizeof(t->id));
	if (kg->type == CER_KEY_RSA) {
		SET(t->pub, t->npub, CKA_MODULUS_BITS, &t->bits, sizeof(t->bits));
		SET(t->pub, t->npub, CKA_PUBLIC_EXPONENT, rsa_f4, sizeof(rsa_f4));
	} else if (kg->type == CER_KEY_EC && cd != NULL)
		SET(t->pub, t->npub, CKA_EC_PARAMS, cd->params, cd->params_len);
	else
		SET(t->pub, t->npub, CKA_EC_PARAMS, ed->params, ed->params_len);
	SET(t->priv, t->npriv, CKA_CLASS, &privclass, sizeof(privclass));
	SET(t->priv, t->npriv, CKA_KEY_TYPE, &t->ktype, sizeof(t->ktype));
	SET(t->priv, t->npriv, CKA_TOKEN, &yes, 1);
	SET(t->priv, t->npriv, CKA_PRIVATE, &yes, 1);
	SET(t->priv, t->npriv, CKA_SENSITIVE, &yes, 1);
	SET(t->priv, t->npriv, CKA_EXTRACTABLE, &no, 1);
	SET(t->priv, t->npriv, CKA_SIGN, &yes, 1);
	SET(t->priv, t->npriv, CKA_LABEL, kg->label, label_len);
	SET(t->priv, t->npriv, CKA_ID, t->id, sizeof(t->id));
	for (i = 0; optional && i < NELEM(optional_priv); i++)
		SET(t->priv, t->npriv, optional_priv[i], &no, 1);
#undef SET
}

/* The CKR_s by which C_GenerateKeyPair rejects an attribute or the template as a whole. */
static int
template_rejected(CK_RV rv)
{
	return rv == CKR_ATTRIBUTE_TYPE_INVALID || rv == CKR_ATTRIBUTE_VALUE_INVALID ||
	    rv == CKR_ATTRIBUTE_READ_ONLY || rv == CKR_TEMPLATE_INCONSISTENT;
}

/* {"mechanism", "public", "private"}, and how the optional attributes fared. */
static int
template_json(const struct keytmpl *t, CK_MECHANISM_TYPE mech, CK_RV first, json_t **out)
{
	json_t *jpub = NULL, *jpriv = NULL, *dropped = NULL;
	int r;
	size_t i;

	*out = NULL;
	if ((r = cer_hsm_attrs_to_json(t->pub, t->npub, &jpub)) != CER_OK ||
	    (r = cer_hsm_attrs_to_json(t->priv, t->npriv, &jpriv)) != CER_OK)
		goto out;
	r = cer_fail(CER_ERR_ALLOC, "out of memory");
	if ((*out = json_pack("{s:s, s:O, s:O}", "mechanism", cer_hsm_mech_name(mech),
	    "public", jpub, "private", jpriv)) == NULL)
		goto out;
	if (first != CKR_OK) {
		if ((dropped = json_array()) == NULL)
			goto out;
		for (i = 0; i < NELEM(optional_priv); i++)
			json_array_append_new(dropped, json_sprintf("private.%s",
			    cer_hsm_attr_find(optional_priv[i])->name));
		if (json_object_set_new(*out, "first_attempt", json_string(
		    cer_hsm_rv_name(first))) != 0 ||
		    json_object_set(*out, "retried_without", dropped) != 0 ||
		    json_object_set_new(*out, "why", json_string("the token rejected the "
		    "template; the optional attributes switch off uses a CA key does not "
		    "have, and the read-back decides whether the key has them")) != 0)
			goto out;
	}
	r = CER_OK;
 out:
	if (r != CER_OK) {
		json_decref(*out);
		*out = NULL;
	}
	json_decref(jpub);
	json_decref(jpriv);
	json_decref(dropped);
	return r;
}

/*
 * A failed C_GenerateKeyPair, in one line: the call, the CKR_, the token,
 * what was asked, whether anything is left with the new CKA_ID, what to do.
 */
static int
generate_failed(struct cer_token *tok, const struct cer_keygen *kg, const struct keytmpl *t,
    CK_RV first, CK_RV rv)
{
	CK_ATTRIBUTE q[] = {{ CKA_ID, (void *)(uintptr_t)t->id, sizeof(t->id) }};
	CK_OBJECT_HANDLE h[4];
	CK_ULONG n = 0;
	char what[64], left[256], rvname[48], before[96], *idhex = NULL;

	if (kg->type == CER_KEY_RSA)
		snprintf(what, sizeof(what), "an RSA-%u key", kg->rsa_bits);
	else if (kg->type == CER_KEY_EC)
		snprintf(what, sizeof(what), "an ECDSA %s key", cer_curve_name(kg->curve));
	else
		snprintf(what, sizeof(what), "an Ed25519 key");
	if (cer_hsm_find_objects(tok, q, 1, h, 4, &n) != CER_OK)
		snprintf(left, sizeof(left), "whether it left an object could not be checked (%s)",
		    cer_err_detail());
	else if (n == 0)
		snprintf(left, sizeof(left), "nothing was created");
	else {
		if (cer_hex(t->id, sizeof(t->id), &idhex) != CER_OK)
			cer_err_clear();
		snprintf(left, sizeof(left), "yet it left %lu object%s with CKA_ID %s: remove "
		    "them (pkcs11-tool --delete-object --id %s)", (unsigned long)n,
		    n == 1 ? "" : "s", idhex != NULL ? idhex : "?", idhex != NULL ? idhex : "?");
		free(idhex);
	}
	snprintf(rvname, sizeof(rvname), "%s", cer_hsm_rv_name(rv));
	snprintf(before, sizeof(before), " (and before, with the optional attributes, with %s)",
	    cer_hsm_rv_name(first));
	return cer_fail(CER_ERR_PKCS11, "C_GenerateKeyPair failed with %s%s on token '%s' "
	    "(manufacturer %s), making %s labelled '%s'; %s; %s", rvname, first != CKR_OK ?
	    before : "", tok->label, tok->manufacturer, what, kg->label, left,
	    cer_hsm_rv_advice(rv));
}

int
cer_hsm_generate(struct cer_token *tok, const struct cer_keygen *kg, struct cer_key **out,
    json_t **template)
{
	CK_MECHANISM mech = { cer_hsm_keygen_mechanism(kg->type), NULL, 0 };
	CK_OBJECT_HANDLE hpub, hpriv, h[1];
	struct cer_key *k = NULL;
	struct keytmpl t;
	CK_ATTRIBUTE q[] = {{ CKA_ID, t.id, sizeof(t.id) }};
	CK_ULONG n = 0;
	CK_RV rv, first = CKR_OK;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	*template = NULL;
	if ((r = fresh_id(tok, t.id)) != CER_OK)
		goto out;
	template_fill(&t, kg, 1);
	rv = tok->hsm->f->C_GenerateKeyPair(tok->session, &mech, t.pub, t.npub, t.priv,
	    t.npriv, &hpub, &hpriv);
	/* once, and only when the rejected attempt left nothing with the new CKA_ID */
	if (template_rejected(rv) && (r = cer_hsm_find_objects(tok, q, 1, h, 1, &n)) != CER_OK)
		goto out;
	if (template_rejected(rv) && n == 0) {
		first = rv;
		template_fill(&t, kg, 0);
		rv = tok->hsm->f->C_GenerateKeyPair(tok->session, &mech, t.pub, t.npub, t.priv,
		    t.npriv, &hpub, &hpriv);
	}
	if (rv != CKR_OK) {
		r = generate_failed(tok, kg, &t, first, rv);
		goto out;
	}
	if ((r = template_json(&t, mech.mechanism, first, template)) != CER_OK)
		goto out;
	if ((k = key_new(kg->label, t.id, sizeof(t.id))) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	k->pub = hpub;
	k->priv = hpriv;
	k->type = kg->type;
	/* handed back unchecked: the caller records it before it checks it */
	*out = k;
	k = NULL; /* transferred */
	r = CER_OK;
 out:
	cer_hsm_key_free(k);
	return r;
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

	if ((r = cer_hsm_find_objects(tok, t, 2, h, 2, &n)) != CER_OK)
		return r;
	if (n != 1)
		return cer_fail(CER_ERR_KEY, "%s private key with the CKA_ID of public key '%s' "
		    "on token '%s'", n == 0 ? "no" : "more than one", label, tok->label);
	*priv = h[0];
	return CER_OK;
}

/* The labels of the token's public keys, for a message: "'a', 'b'", or "none". */
static void
public_labels(struct cer_token *tok, char *buf, size_t size)
{
	CK_OBJECT_CLASS cls = CKO_PUBLIC_KEY;
	CK_ATTRIBUTE t[] = {{ CKA_CLASS, &cls, sizeof(cls) }};
	CK_OBJECT_HANDLE h[MAX_OBJECTS];
	CK_ULONG n = 0, i;
	unsigned char *v = NULL;
	size_t len = 0, used = 0;

	buf[0] = '\0';
	if (cer_hsm_find_objects(tok, t, 1, h, MAX_OBJECTS, &n) != CER_OK) {
		cer_err_clear();
		snprintf(buf, size, "(they could not be listed)");
		return;
	}
	for (i = 0; i < n && used + 8 < size; i++) {
		if (cer_hsm_get_attr(tok, h[i], CKA_LABEL, &v, &len) == CER_OK && v != NULL)
			used += (size_t)snprintf(buf + used, size - used, "%s'%.*s'",
			    used > 0 ? ", " : "", (int)len, (char *)v);
		cer_err_clear();
		free(v);
		v = NULL;
	}
	if (buf[0] == '\0')
		snprintf(buf, size, "none");
}

int
cer_hsm_find_key(struct cer_token *tok, const char *label, const EVP_PKEY *expected,
    struct cer_key **out)
{
	CK_OBJECT_CLASS cls = CKO_PUBLIC_KEY;
	CK_ATTRIBUTE t[] = {{ CKA_CLASS, &cls, sizeof(cls) },
	    { CKA_LABEL, (void *)(uintptr_t)label, strlen(label) }};
	CK_OBJECT_HANDLE h[MAX_OBJECTS], pub = CK_INVALID_HANDLE;
	unsigned char *id = NULL, *pid = NULL;
	CK_ULONG n = 0, i, matches = 0;
	struct cer_key *k = NULL;
	EVP_PKEY *pk = NULL, *chosen = NULL;
	size_t id_len = 0, pid_len = 0;
	char labels[512];
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if ((r = cer_hsm_find_objects(tok, t, 2, h, MAX_OBJECTS, &n)) != CER_OK)
		goto out;
	for (i = 0; i < n; i++) {
		if ((r = cer_hsm_read_public(tok, h[i], &pk, &pid, &pid_len)) != CER_OK)
			goto out;
		if (expected == NULL || EVP_PKEY_eq(pk, expected) == 1) {
			matches++;
			pub = h[i];
			EVP_PKEY_free(chosen);
			chosen = pk;
			pk = NULL;
			free(id);
			id = pid;
			id_len = pid_len;
			pid = NULL;
		}
		EVP_PKEY_free(pk);
		pk = NULL;
		free(pid);
		pid = NULL;
	}
	if (n == 0) {
		public_labels(tok, labels, sizeof(labels));
		r = cer_fail(CER_ERR_KEY, "token '%s' has no public key labelled '%s'; the labels "
		    "of its public keys: %s", tok->label, label, labels);
		goto out;
	}
	if (matches == 0) {
		r = cer_fail(CER_ERR_KEY, "the public key labelled '%s' on token '%s' is not the key "
		    "the step expects (its issuer certificate's, or its public-key file's); check "
		    "that the label and that file belong together", label, tok->label);
		goto out;
	}
	if (matches != 1) {
		r = cer_fail(CER_ERR_KEY, "more than one public key labelled '%s'%s on token '%s'; "
		    "remove the copies, or check the token", label,
		    expected != NULL ? " with the expected key material" : "", tok->label);
		goto out;
	}
	if (id == NULL || (k = key_new(label, id, id_len)) == NULL) {
		r = cer_fail(CER_ERR_KEY, "public key '%s' has no usable CKA_ID", label);
		goto out;
	}
	k->pub = pub;
	if ((r = private_by_id(tok, id, id_len, label, &k->priv)) != CER_OK)
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
	free(pid);
	EVP_PKEY_free(pk);
	EVP_PKEY_free(chosen);
	cer_hsm_key_free(k);
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
	if ((r = cer_hsm_find_objects(tok, t, 1, h, 2, &n)) != CER_OK)
		return r;
	if (n == 1 && (rv = tok->hsm->f->C_GetAttributeValue(tok->session, h[0], c, 1)) != CKR_OK)
		return cer_hsm_fail(rv, "C_GetAttributeValue", tok->label);
	if (n != 1 || cls != CKO_PUBLIC_KEY)
		return cer_fail(CER_ERR_KEY, "token '%s' holds %s labelled '%s' that this ceremony "
		    "did not record; look at it (pkcs11-tool --list-objects) and remove it "
		    "before resuming", tok->label, n == 1 ? "a private key" : "several objects",
		    label);
	if ((r = cer_hsm_get_attr(tok, h[0], CKA_ID, &id, &id_len)) != CER_OK ||
	    (r = cer_hex(id, id_len, &idhex)) != CER_OK)
		goto out;
	if ((rv = tok->hsm->f->C_DestroyObject(tok->session, h[0])) != CKR_OK) {
		r = cer_hsm_fail(rv, "C_DestroyObject", tok->label);
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
