/*
 * alg.h: the key types, curves and signature schemes ceremony uses, one
 * table a kind: their names in scripts, in OpenSSL and in DER.  Every
 * module that needs one of these facts reads it here; the linter alone
 * keeps its own table, on purpose, as a second opinion.
 */
#ifndef CER_ALG_H
#define CER_ALG_H

#include <stddef.h>

enum cer_key_type {
	CER_KEY_NONE = 0,
	CER_KEY_RSA,
	CER_KEY_EC,
	CER_KEY_ED25519,
};

enum cer_curve {
	CER_CURVE_NONE = 0,
	CER_CURVE_P256,
	CER_CURVE_P384,
	CER_CURVE_P521,
};

enum cer_sigalg {
	CER_SIG_NONE = 0,
	CER_SIG_SHA256_RSA,
	CER_SIG_SHA384_RSA,
	CER_SIG_SHA512_RSA,
	CER_SIG_SHA256_RSAPSS,
	CER_SIG_SHA384_RSAPSS,
	CER_SIG_SHA512_RSAPSS,
	CER_SIG_ECDSA_SHA256,
	CER_SIG_ECDSA_SHA384,
	CER_SIG_ECDSA_SHA512,
	CER_SIG_ED25519,
};

/* What the key itself is given to sign, under each scheme. */
enum cer_padding {
	CER_PAD_NONE = 0,
	CER_PAD_PKCS1,		/* RSASSA-PKCS1-v1_5: the DER DigestInfo of the digest */
	CER_PAD_PSS,		/* RSASSA-PSS, MGF1 with the same hash, salt of its length: the digest */
	CER_PAD_ECDSA,		/* the digest; the signature comes back as r||s */
	CER_PAD_EDDSA,		/* the whole message (PureEdDSA) */
};

struct cer_key_type_info {
	enum cer_key_type type;
	const char *name;		/* in scripts: "rsa", "ecdsa", "ed25519" */
	const char *ossl;		/* OpenSSL's key type: "RSA", "EC", "ED25519" */
	/* CKA_EC_PARAMS when the type fixes its curve (Ed25519), else NULL */
	const unsigned char *params;
	size_t params_len;
};

struct cer_curve_info {
	enum cer_curve curve;
	const char *name;		/* in scripts: "P-256" */
	const char *group;		/* OpenSSL's group name: "prime256v1" */
	const char *oid;		/* dotted: "1.2.840.10045.3.1.7" */
	const unsigned char *params;	/* DER namedCurve OID, what CKA_EC_PARAMS holds */
	size_t params_len;
	const char *hash;		/* digest of its default ECDSA signature: "SHA256" */
};

struct cer_sigalg_info {
	enum cer_sigalg alg;
	const char *name;		/* in scripts: "SHA256WithRSA" ... "PureEd25519" */
	enum cer_key_type key_type;	/* the key it needs */
	enum cer_padding padding;
	const char *digest;		/* "SHA256", or NULL when the scheme signs the message itself */
	const char *oid;		/* signatureAlgorithm, dotted */
};

/* The row of a key type, curve or scheme; NULL for NONE or a value out of range. */
const struct cer_key_type_info *cer_alg_key_type(enum cer_key_type type);
const struct cer_curve_info *cer_alg_curve(enum cer_curve curve);
const struct cer_sigalg_info *cer_alg_sigalg(enum cer_sigalg alg);

/* The curve with this OpenSSL group name, or this CKA_EC_PARAMS; CER_CURVE_NONE if none. */
enum cer_curve cer_alg_curve_by_group(const char *group);
enum cer_curve cer_alg_curve_by_params(const unsigned char *der, size_t len);

/*
 * The script names as the loader's enum parser wants them: indexed by the
 * enum's value, "" at 0, NULL after the last.
 */
const char *const *cer_alg_key_type_names(void);
const char *const *cer_alg_curve_names(void);
const char *const *cer_alg_sigalg_names(void);

/* Names for plans, messages and the transcript ("P-384", ...); "unknown" if none. */
const char *cer_curve_name(enum cer_curve curve);
const char *cer_sigalg_name(enum cer_sigalg alg);

/*
 * What a key of this kind signs with by default (Boulder's choice, as Go's
 * x509: SHA256WithRSA for RSA, the curve's own hash for ECDSA, PureEd25519),
 * and whether alg fits such a key (profile rule cert.sigalg_matches_signer).
 */
enum cer_sigalg cer_sigalg_default(enum cer_key_type type, enum cer_curve curve);
int cer_sigalg_fits(enum cer_sigalg alg, enum cer_key_type type, enum cer_curve curve);

#endif
