/*
 * mech.c: the mechanisms a token offers, checked before anything is made,
 * and signing: each scheme of base/alg.h becomes its PKCS#11 mechanism
 * here, so that no other module needs PKCS#11 types.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hsm/hsm-int.h"

/* The hash a PSS mechanism names twice (digest and MGF1), and the salt length. */
static const struct pss_hash {
	const char *digest;		/* as base/alg.h names it */
	CK_MECHANISM_TYPE hash;
	CK_RSA_PKCS_MGF_TYPE mgf;
	CK_ULONG salt_len;		/* the hash's length */
} pss_hashes[] = {
	{ "SHA256", CKM_SHA256, CKG_MGF1_SHA256, 32 },
	{ "SHA384", CKM_SHA384, CKG_MGF1_SHA384, 48 },
	{ "SHA512", CKM_SHA512, CKG_MGF1_SHA512, 64 },
};

static const struct pss_hash *
pss_hash_of(const char *digest)
{
	size_t i;

	for (i = 0; digest != NULL && i < sizeof(pss_hashes) / sizeof(pss_hashes[0]); i++)
		if (strcmp(pss_hashes[i].digest, digest) == 0)
			return &pss_hashes[i];
	return NULL;
}

/*
 * The token's mechanism list, asked once per session (it does not change
 * while the token stays in its slot): one call with room for 128, a second
 * only when the token offers more.
 */
static int
mechanism_list(struct cer_token *tok)
{
	CK_ULONG n = 128;
	int tries;
	CK_RV rv = CKR_BUFFER_TOO_SMALL;

	if (tok->mechs != NULL)
		return CER_OK;
	for (tries = 0; tries < 3; tries++) {
		if ((tok->mechs = calloc(n + 1, sizeof(*tok->mechs))) == NULL)
			return cer_fail(CER_ERR_ALLOC, "out of memory");
		if ((rv = tok->hsm->f->C_GetMechanismList(tok->slot, tok->mechs, &n)) == CKR_OK)
			break;
		free(tok->mechs);
		tok->mechs = NULL;
		if (rv != CKR_BUFFER_TOO_SMALL)
			return cer_hsm_fail(rv, "C_GetMechanismList", tok->label);
	}
	if (rv != CKR_OK)	/* a list that keeps growing */
		return cer_hsm_fail(rv, "C_GetMechanismList", tok->label);
	tok->nmechs = n;
	return CER_OK;
}

/*
 * Whether the token lists mech.  C_GetMechanismInfo alone is not enough:
 * SoftHSM 2.6.1 answers it for mechanisms its configuration disables.
 */
static int
mechanism_listed(struct cer_token *tok, CK_MECHANISM_TYPE mech, int *listed)
{
	CK_ULONG i;
	int r;

	*listed = 0;
	if ((r = mechanism_list(tok)) != CER_OK)
		return r;
	for (i = 0; i < tok->nmechs; i++)
		if (tok->mechs[i] == mech)
			*listed = 1;
	return CER_OK;
}

/* C_GetMechanismInfo, or its answer for mech earlier in this session. */
static CK_RV
mechanism_info(struct cer_token *tok, CK_MECHANISM_TYPE mech, CK_MECHANISM_INFO *mi)
{
	size_t i;
	CK_RV rv;

	for (i = 0; i < tok->nseen; i++)
		if (tok->seen[i].type == mech) {
			*mi = tok->seen[i].info;
			return CKR_OK;
		}
	if ((rv = tok->hsm->f->C_GetMechanismInfo(tok->slot, mech, mi)) == CKR_OK &&
	    tok->nseen < sizeof(tok->seen) / sizeof(tok->seen[0])) {
		tok->seen[tok->nseen].type = mech;
		tok->seen[tok->nseen++].info = *mi;
	}
	return rv;
}

int
cer_hsm_mechanism(struct cer_token *tok, CK_MECHANISM_TYPE mech, CK_FLAGS flags,
    unsigned long bits, json_t **info)
{
	CK_MECHANISM_INFO mi;
	json_t *a = NULL;
	int listed = 0, r;
	CK_RV rv;

	if (info != NULL)
		*info = NULL;
	if ((r = mechanism_listed(tok, mech, &listed)) != CER_OK)
		return r;
	rv = listed ? mechanism_info(tok, mech, &mi) : CKR_MECHANISM_INVALID;
	if (rv == CKR_MECHANISM_INVALID)
		return cer_fail(CER_ERR_MECHANISM, "token '%s' does not offer %s, which the "
		    "script needs; choose another key type or signature-algorithm, or another token",
		    tok->label, cer_hsm_mech_name(mech));
	if (rv != CKR_OK)
		return cer_hsm_fail(rv, "C_GetMechanismInfo", tok->label);
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
	if ((a = cer_hsm_mech_flags_json(mi.flags)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
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

/* The mechanism that signs by alg's scheme; CKM_VENDOR_DEFINED for none. */
static CK_MECHANISM_TYPE
sign_mechanism(enum cer_sigalg alg)
{
	const struct cer_sigalg_info *s = cer_alg_sigalg(alg);

	switch (s != NULL ? s->padding : CER_PAD_NONE) {
	case CER_PAD_PKCS1:	return CKM_RSA_PKCS;
	case CER_PAD_PSS:	return CKM_RSA_PKCS_PSS;
	case CER_PAD_ECDSA:	return CKM_ECDSA;
	case CER_PAD_EDDSA:	return CKM_EDDSA;
	default:		return CKM_VENDOR_DEFINED;
	}
}

const char *
cer_hsm_sign_mechanism(enum cer_sigalg alg)
{
	return cer_hsm_mech_name(sign_mechanism(alg));
}

int
cer_hsm_can_generate(struct cer_token *tok, enum cer_key_type type, unsigned bits,
    json_t **info)
{
	return cer_hsm_mechanism(tok, cer_hsm_keygen_mechanism(type), CKF_GENERATE_KEY_PAIR,
	    bits, info);
}

/*
 * Modules that make a signature by a mechanism only with a key that can do
 * more than sign (docs/tokens.md), refused at preflight, before any key
 * exists.  tpm2-pkcs11 (1.9.0 to 1.10.1) makes a CKM_RSA_PKCS signature
 * itself: it pads the DigestInfo and applies the raw RSA private-key
 * operation, TPM2_RSA_Decrypt, which the TPM performs only for a key with
 * its decrypt attribute, CKA_DECRYPT (src/lib/mech.c: CKM_RSA_PKCS is
 * mf_force_synthetic; src/lib/sign.c: "perform a RAW RSA encryption").  Its
 * RSA-PSS and ECDSA signatures are TPM2_Sign, for which signing suffices.
 */
static const struct {
	const char *module;		/* C_GetInfo manufacturerID */
	const char *name;
	CK_MECHANISM_TYPE mech;
	const char *needs;		/* what the key would need */
	const char *instead;
} sign_needs[] = {
	{ "tpm2-software.github.io", "tpm2-pkcs11", CKM_RSA_PKCS, "CKA_DECRYPT=true",
	    "an RSA-PSS signature-algorithm (SHA256WithRSAPSS, ...) or ECDSA" },
};

/* Whether the module's C_GetInfo manufacturerID is name (blank-padded). */
static int
module_is(struct cer_token *tok, const char *name, int *is)
{
	size_t n = strlen(name), i;
	CK_INFO mi;
	CK_RV rv;

	*is = 0;
	if ((rv = cer_hsm_module_info(tok->hsm, &mi)) != CKR_OK)
		return cer_hsm_fail(rv, "C_GetInfo", tok->label);
	if (n > sizeof(mi.manufacturerID) || memcmp(mi.manufacturerID, name, n) != 0)
		return CER_OK;
	for (i = n; i < sizeof(mi.manufacturerID) && mi.manufacturerID[i] == ' '; i++)
		;
	*is = i == sizeof(mi.manufacturerID);
	return CER_OK;
}

int
cer_hsm_can_sign(struct cer_token *tok, enum cer_sigalg alg, unsigned long bits,
    json_t **info)
{
	CK_MECHANISM_TYPE mech = sign_mechanism(alg);
	size_t i;
	int r, is;

	for (i = 0; i < sizeof(sign_needs) / sizeof(sign_needs[0]); i++) {
		if (sign_needs[i].mech != mech)
			continue;
		if ((r = module_is(tok, sign_needs[i].module, &is)) != CER_OK)
			return r;
		if (is)
			return cer_fail(CER_ERR_MECHANISM, "token '%s' (%s) makes %s signatures "
			    "(%s) only with a key that has %s, and a CA key is sign-only; choose "
			    "%s, or another token", tok->label, sign_needs[i].name,
			    cer_hsm_mech_name(mech), cer_sigalg_name(alg), sign_needs[i].needs,
			    sign_needs[i].instead);
	}
	return cer_hsm_mechanism(tok, mech, CKF_SIGN, bits, info);
}

/* ---- signing ---- */

/* A failed C_SignInit or C_Sign: the call, the CKR_, the token, the key, what to do. */
static int
sign_failed(struct cer_token *tok, struct cer_key *key, CK_MECHANISM *mech, const char *call,
    CK_RV rv)
{
	char rvname[48];

	snprintf(rvname, sizeof(rvname), "%s", cer_hsm_rv_name(rv));
	return cer_fail(CER_ERR_PKCS11, "%s failed with %s on token '%s' (manufacturer %s), "
	    "signing with key '%s' by %s; %s", call, rvname, tok->label, tok->manufacturer,
	    key->label, cer_hsm_mech_name(mech->mechanism), cer_hsm_rv_advice(rv));
}

/*
 * C_SignInit + C_Sign with mech over data; *sig is malloc'ed.  One C_Sign
 * into room for the largest signature ceremony makes (RSA-8192); a token
 * that wants more says CKR_BUFFER_TOO_SMALL with the length, which leaves
 * the operation active (PKCS#11 5.2 on output buffers), and is asked again.
 */
#define SIG_ROOM 1024
static int
sign_with(struct cer_token *tok, struct cer_key *key, CK_MECHANISM *mech,
    const unsigned char *data, size_t len, unsigned char **sig, size_t *sig_len)
{
	CK_FUNCTION_LIST *f = tok->hsm->f;
	unsigned char *s = NULL;
	CK_ULONG n = SIG_ROOM;
	int r = CER_ERR_INTERNAL;
	CK_RV rv;

	*sig = NULL;
	*sig_len = 0;
	if ((rv = f->C_SignInit(tok->session, mech, key->priv)) != CKR_OK) {
		r = sign_failed(tok, key, mech, "C_SignInit", rv);
		goto out;
	}
	if ((s = malloc(n)) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	rv = f->C_Sign(tok->session, (CK_BYTE *)(uintptr_t)data, (CK_ULONG)len, s, &n);
	if (rv == CKR_BUFFER_TOO_SMALL && n > SIG_ROOM) {
		free(s);
		if ((s = malloc(n)) == NULL) {
			r = cer_fail(CER_ERR_ALLOC, "out of memory");
			goto out;
		}
		rv = f->C_Sign(tok->session, (CK_BYTE *)(uintptr_t)data, (CK_ULONG)len, s, &n);
	}
	if (rv != CKR_OK) {
		r = sign_failed(tok, key, mech, "C_Sign", rv);
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

int
cer_hsm_sign(struct cer_token *tok, struct cer_key *key, enum cer_sigalg alg,
    const unsigned char *in, size_t len, unsigned char **sig, size_t *sig_len)
{
	const struct cer_sigalg_info *s = cer_alg_sigalg(alg);
	CK_MECHANISM mech = { sign_mechanism(alg), NULL, 0 };
	CK_RSA_PKCS_PSS_PARAMS pss;
	const struct pss_hash *h;

	*sig = NULL;
	*sig_len = 0;
	if (mech.mechanism == CKM_VENDOR_DEFINED)
		return cer_fail(CER_ERR_INTERNAL, "no PKCS#11 mechanism signs by %s",
		    cer_sigalg_name(alg));
	if (mech.mechanism == CKM_RSA_PKCS_PSS) {
		if ((h = pss_hash_of(s->digest)) == NULL)
			return cer_fail(CER_ERR_INTERNAL, "no PSS parameters for %s", s->name);
		pss.hashAlg = h->hash;
		pss.mgf = h->mgf;
		pss.sLen = h->salt_len;
		mech.pParameter = &pss;
		mech.ulParameterLen = sizeof(pss);
	}
	return sign_with(tok, key, &mech, in, len, sig, sig_len);
}
