/* alg.c: the algorithm tables and their lookups. */
#include <stddef.h>
#include <string.h>

#include "base/alg.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* DER OBJECT IDENTIFIERs, as CKA_EC_PARAMS carries them. */
static const unsigned char der_p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01,
    0x07 };
static const unsigned char der_p384[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22 };
static const unsigned char der_p521[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23 };
static const unsigned char der_ed25519[] = { 0x06, 0x03, 0x2b, 0x65, 0x70 };

/* Each table is indexed by its enum; row 0 (NONE) is empty. */
static const struct cer_key_type_info key_types[] = {
	[CER_KEY_RSA] = { CER_KEY_RSA, "rsa", "RSA", NULL, 0 },
	[CER_KEY_EC] = { CER_KEY_EC, "ecdsa", "EC", NULL, 0 },
	[CER_KEY_ED25519] = { CER_KEY_ED25519, "ed25519", "ED25519",
	    der_ed25519, sizeof(der_ed25519) },
};

static const struct cer_curve_info curves[] = {
	[CER_CURVE_P256] = { CER_CURVE_P256, "P-256", "prime256v1", "1.2.840.10045.3.1.7",
	    der_p256, sizeof(der_p256), "SHA256" },
	[CER_CURVE_P384] = { CER_CURVE_P384, "P-384", "secp384r1", "1.3.132.0.34",
	    der_p384, sizeof(der_p384), "SHA384" },
	[CER_CURVE_P521] = { CER_CURVE_P521, "P-521", "secp521r1", "1.3.132.0.35",
	    der_p521, sizeof(der_p521), "SHA512" },
};

/* A key type's default scheme is its first row (ECDSA's follows the curve instead). */
static const struct cer_sigalg_info sigalgs[] = {
	[CER_SIG_SHA256_RSA] = { CER_SIG_SHA256_RSA, "SHA256WithRSA", CER_KEY_RSA,
	    CER_PAD_PKCS1, "SHA256", "1.2.840.113549.1.1.11" },
	[CER_SIG_SHA384_RSA] = { CER_SIG_SHA384_RSA, "SHA384WithRSA", CER_KEY_RSA,
	    CER_PAD_PKCS1, "SHA384", "1.2.840.113549.1.1.12" },
	[CER_SIG_SHA512_RSA] = { CER_SIG_SHA512_RSA, "SHA512WithRSA", CER_KEY_RSA,
	    CER_PAD_PKCS1, "SHA512", "1.2.840.113549.1.1.13" },
	[CER_SIG_SHA256_RSAPSS] = { CER_SIG_SHA256_RSAPSS, "SHA256WithRSAPSS", CER_KEY_RSA,
	    CER_PAD_PSS, "SHA256", "1.2.840.113549.1.1.10" },
	[CER_SIG_SHA384_RSAPSS] = { CER_SIG_SHA384_RSAPSS, "SHA384WithRSAPSS", CER_KEY_RSA,
	    CER_PAD_PSS, "SHA384", "1.2.840.113549.1.1.10" },
	[CER_SIG_SHA512_RSAPSS] = { CER_SIG_SHA512_RSAPSS, "SHA512WithRSAPSS", CER_KEY_RSA,
	    CER_PAD_PSS, "SHA512", "1.2.840.113549.1.1.10" },
	[CER_SIG_ECDSA_SHA256] = { CER_SIG_ECDSA_SHA256, "ECDSAWithSHA256", CER_KEY_EC,
	    CER_PAD_ECDSA, "SHA256", "1.2.840.10045.4.3.2" },
	[CER_SIG_ECDSA_SHA384] = { CER_SIG_ECDSA_SHA384, "ECDSAWithSHA384", CER_KEY_EC,
	    CER_PAD_ECDSA, "SHA384", "1.2.840.10045.4.3.3" },
	[CER_SIG_ECDSA_SHA512] = { CER_SIG_ECDSA_SHA512, "ECDSAWithSHA512", CER_KEY_EC,
	    CER_PAD_ECDSA, "SHA512", "1.2.840.10045.4.3.4" },
	[CER_SIG_ED25519] = { CER_SIG_ED25519, "PureEd25519", CER_KEY_ED25519,
	    CER_PAD_EDDSA, NULL, "1.3.101.112" },
};

/* 1 when v is a row of a table of n rows (row 0 is NONE). */
static int
in_table(unsigned v, size_t n)
{
	return v > 0 && v < n;
}

const struct cer_key_type_info *
cer_alg_key_type(enum cer_key_type type)
{
	return in_table(type, NELEM(key_types)) ? &key_types[type] : NULL;
}

const struct cer_curve_info *
cer_alg_curve(enum cer_curve curve)
{
	return in_table(curve, NELEM(curves)) ? &curves[curve] : NULL;
}

const struct cer_sigalg_info *
cer_alg_sigalg(enum cer_sigalg alg)
{
	return in_table(alg, NELEM(sigalgs)) ? &sigalgs[alg] : NULL;
}

enum cer_curve
cer_alg_curve_by_group(const char *group)
{
	size_t i;

	for (i = 1; i < NELEM(curves); i++)
		if (strcmp(curves[i].group, group) == 0)
			return curves[i].curve;
	return CER_CURVE_NONE;
}

enum cer_curve
cer_alg_curve_by_params(const unsigned char *der, size_t len)
{
	size_t i;

	for (i = 1; i < NELEM(curves); i++)
		if (curves[i].params_len == len && memcmp(curves[i].params, der, len) == 0)
			return curves[i].curve;
	return CER_CURVE_NONE;
}

/*
 * Fills names (n + 1 slots) once from the name member, at name_off, of
 * each of the n rows of size bytes but the first, so that each name is
 * written only in its table; "" stays at 0 and NULL at n.
 */
static const char *const *
names_of(const char **names, const void *rows, size_t n, size_t size, size_t name_off)
{
	const unsigned char *row = rows;
	size_t i;

	if (names[1] == NULL)
		for (i = 1; i < n; i++)
			names[i] = *(const char *const *)(row + i * size + name_off);
	return names;
}

const char *const *
cer_alg_key_type_names(void)
{
	static const char *names[NELEM(key_types) + 1] = { "" };

	return names_of(names, key_types, NELEM(key_types), sizeof(key_types[0]),
	    offsetof(struct cer_key_type_info, name));
}

const char *const *
cer_alg_curve_names(void)
{
	static const char *names[NELEM(curves) + 1] = { "" };

	return names_of(names, curves, NELEM(curves), sizeof(curves[0]),
	    offsetof(struct cer_curve_info, name));
}

const char *const *
cer_alg_sigalg_names(void)
{
	static const char *names[NELEM(sigalgs) + 1] = { "" };

	return names_of(names, sigalgs, NELEM(sigalgs), sizeof(sigalgs[0]),
	    offsetof(struct cer_sigalg_info, name));
}

const char *
cer_curve_name(enum cer_curve curve)
{
	return in_table(curve, NELEM(curves)) ? curves[curve].name : "unknown";
}

const char *
cer_sigalg_name(enum cer_sigalg alg)
{
	return in_table(alg, NELEM(sigalgs)) ? sigalgs[alg].name : "unknown";
}

enum cer_sigalg
cer_sigalg_default(enum cer_key_type type, enum cer_curve curve)
{
	const struct cer_curve_info *c = cer_alg_curve(curve);
	size_t i;

	if (type == CER_KEY_EC && c == NULL)
		return CER_SIG_NONE;
	for (i = 1; i < NELEM(sigalgs); i++)
		if (sigalgs[i].key_type == type &&
		    (type != CER_KEY_EC || strcmp(sigalgs[i].digest, c->hash) == 0))
			return sigalgs[i].alg;
	return CER_SIG_NONE;
}

/* RSA keys take any RSA scheme; the others only their default (Boulder's rule). */
int
cer_sigalg_fits(enum cer_sigalg alg, enum cer_key_type type, enum cer_curve curve)
{
	const struct cer_sigalg_info *s = cer_alg_sigalg(alg);

	if (s == NULL || s->key_type != type)
		return 0;
	return type == CER_KEY_RSA || alg == cer_sigalg_default(type, curve);
}
