/*
 * model.h: what a ceremony script says, once loaded (script.h loads it).
 * The loader fills these structures and checks them; everything after it
 * only reads them.  Functions on the model are named for what they take
 * (cer_script_, cer_step_).
 */
#ifndef CER_MODEL_H
#define CER_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/alg.h"
#include "base/err.h"

enum cer_step_type {
	CER_STEP_KEY = 1,
	CER_STEP_ROOT,
	CER_STEP_INTERMEDIATE,
	CER_STEP_CROSS_CERTIFICATE,
	CER_STEP_CROSS_CSR,
	CER_STEP_OCSP_SIGNER,
	/* Recognised so that the error can say "not supported yet": */
	CER_STEP_CRL,
	CER_STEP_OCSP_RESPONSE,
};

/* key-usages bits */
#define CER_KU_DIGITAL_SIGNATURE	0x1u
#define CER_KU_CERT_SIGN		0x2u
#define CER_KU_CRL_SIGN			0x4u

enum cer_ekus {
	CER_EKUS_UNSET = 0,
	CER_EKUS_NONE,
	CER_EKUS_SERVER,
	CER_EKUS_BOTH,
};

/* Where a token is and how to log in to it. */
struct cer_token_spec {
	char *name;		/* key in "tokens:", or "pkcs11" for a Boulder block */
	struct cer_pos pos;
	char *module;		/* path of the PKCS#11 module; required */
	struct cer_pos module_pos;
	/* exactly one selector is set */
	char *token_label;
	char *token_serial;
	char *uri;		/* RFC 7512, checked with p11_kit_uri_parse */
	int has_slot;		/* Boulder blocks only */
	unsigned long slot;
	struct cer_pos selector_pos;
	/*
	 * PIN source as written: "prompt", "file:PATH", "env:NAME", "fd:N",
	 * or anything else = a literal PIN (secret: zeroed on free).  NULL
	 * when absent (native default: prompt).  pin_literal is 1 for a
	 * literal PIN.
	 */
	char *pin;
	int pin_literal;
	struct cer_pos pin_pos;
	int boulder;		/* 1 when made from a Boulder pkcs11: block */
};

struct cer_key_spec {
	int present;
	struct cer_pos pos;
	enum cer_key_type type;
	unsigned rsa_bits;	/* 2048, 3072 or 4096 */
	enum cer_curve curve;
};

struct cer_policy {
	char *oid;
	struct cer_pos pos;
};

/* A list of text values with their positions. */
struct cer_strlist {
	char **v;
	struct cer_pos *pos;
	size_t n;
};

/* A directoryName subtree: C and/or O, encoded as in the subject. */
struct cer_dn {
	char *country;
	char *organization;
	struct cer_pos pos;
};

/*
 * name-constraints of a technically constrained subordinate CA (BR
 * 7.1.2.5.2).  IP subtrees are "address/prefix" text, checked by the
 * loader.  The required exclusions (a zero-length dNSName, 0.0.0.0/0,
 * ::/0 when that type has no permitted subtree) are added by the profile.
 */
struct cer_name_constraints {
	int present;
	struct cer_pos pos;
	struct cer_strlist permitted_dns, excluded_dns;
	struct cer_strlist permitted_ip, excluded_ip;
	struct cer_dn *permitted_dn;
	size_t npermitted_dn;
};

struct cer_cert_profile {
	int present;
	struct cer_pos pos;
	char *policy_url;
	struct cer_pos policy_url_pos;
	enum cer_sigalg sigalg;
	struct cer_pos sigalg_pos;
	char *common_name;
	struct cer_pos common_name_pos;
	char *organization;
	struct cer_pos organization_pos;
	char *country;
	struct cer_pos country_pos;
	int has_not_before;
	time_t not_before;	/* UTC seconds */
	struct cer_pos not_before_pos;
	int has_not_after;
	time_t not_after;
	struct cer_pos not_after_pos;
	char *crl_url;
	struct cer_pos crl_url_pos;
	char *issuer_url;
	struct cer_pos issuer_url_pos;
	char *ocsp_url;
	struct cer_pos ocsp_url_pos;
	struct cer_policy *policies;
	size_t npolicies;
	struct cer_pos policies_pos;
	int has_key_usages;
	unsigned key_usages;	/* CER_KU_* */
	struct cer_pos key_usages_pos;
	enum cer_ekus ekus;
	struct cer_pos ekus_pos;
	/*
	 * serial: pins the serial for reproduction.  The integer's octets,
	 * big-endian, without the DER sign octet; below 2^159 (the loader checks).
	 */
	unsigned char serial[20];
	size_t serial_len;	/* 0 = random */
	struct cer_pos serial_pos;
	/* path-length (intermediate): pathLenConstraint, default 0 */
	unsigned long path_length;
	struct cer_pos path_length_pos;
	/* max-validity-days (ocsp-signer): lowers the default cap */
	unsigned long max_validity_days;
	struct cer_pos max_validity_days_pos;
	/* allow-other-organization (cross-certificate) */
	int allow_other_org;
	struct cer_pos allow_other_org_pos;
	struct cer_name_constraints nc;
};

/* The default and largest validity of a delegated OCSP responder certificate. */
#define CER_OCSP_SIGNER_MAX_DAYS 1096


struct cer_skip_lint {
	char *name;
	char *reason;		/* NULL for a Boulder plain-string entry */
	struct cer_pos pos;
};

/* An output file of a step, named by its key under "outputs:". */
struct cer_output {
	const char *key;	/* "certificate-path", static */
	char *path;
	struct cer_pos pos;
};

#define CER_STEP_MAX_OUTPUTS 4

struct cer_step {
	char *id;		/* native: required, unique; Boulder: the ceremony-type */
	struct cer_pos pos;	/* the step's mapping */
	struct cer_pos id_pos;
	enum cer_step_type type;
	struct cer_pos type_pos;
	size_t token;		/* index into cer_script.tokens, or (size_t)-1 */
	struct cer_pos token_pos;
	char *label;		/* key label: generated (key, root) or signing */
	struct cer_pos label_pos;
	size_t signing_key;	/* index of an earlier key step, or (size_t)-1 */
	struct cer_pos signing_key_pos;
	struct cer_key_spec key;
	struct cer_output outputs[CER_STEP_MAX_OUTPUTS];	/* in the order the step writes them */
	size_t noutputs;
	/*
	 * Boulder's outputs.pkcs11-config-path (key configs only): the JSON
	 * Boulder writes for its CA (module, tokenLabel, pin).  Not an
	 * ordinary output: it holds the PIN, so it is written 0600 and its
	 * hash is never recorded.  NULL when absent.
	 */
	char *pkcs11_config;
	struct cer_pos pkcs11_config_pos;
	/*
	 * Signing steps: the issuer is an earlier step (issuer) or a file
	 * (in_issuer_cert); the subject's key an earlier key step
	 * (subject_key) or a file (in_public_key); a cross-certificate's
	 * existing certificate an earlier step (cross_of) or a file
	 * (in_cross_cert).  The signing key is the issuer step's key
	 * (signing_key), or found on token by label and key material.
	 */
	size_t issuer;
	struct cer_pos issuer_pos;
	size_t subject_key;
	struct cer_pos subject_key_pos;
	size_t cross_of;
	struct cer_pos cross_of_pos;
	char *in_issuer_cert;
	struct cer_pos in_issuer_cert_pos;
	char *in_public_key;
	struct cer_pos in_public_key_pos;
	char *in_cross_cert;
	struct cer_pos in_cross_cert_pos;
	struct cer_cert_profile profile;
	struct cer_skip_lint *skip_lints;
	size_t nskip_lints;
	/*
	 * What a step type reads beyond these fields (an ocsp-profile and
	 * its inputs): owned by the step, freed with own_free.  NULL when none.
	 */
	void *own;
	void (*own_free)(void *own);
};

struct cer_script {
	char *path;		/* as given, used in every error message */
	unsigned char *text;	/* the exact bytes read (hashed into the transcript) */
	size_t text_len;
	char *name;		/* "ceremony:", may be NULL */
	int boulder;		/* 1 for a Boulder config */
	int private_hierarchy;	/* "hierarchy: private": Ed25519 allowed */
	struct cer_pos hierarchy_pos;
	struct cer_token_spec *tokens;
	size_t ntokens;
	struct cer_step *steps;
	size_t nsteps;
};

#define CER_NO_INDEX ((size_t)-1)

/* Frees a script, zeroing literal PINs and its text.  Accepts NULL. */
void cer_script_free(struct cer_script *script);

/* 1 when a step uses token t of the script. */
int cer_script_token_used(const struct cer_script *s, size_t t);

/*
 * The step whose key pair is the subject key of step i's certificate
 * (root: its key; intermediate, cross, ocsp-signer: the subject key), or
 * CER_NO_INDEX when that key came from a file.
 */
size_t cer_script_cert_key_step(const struct cer_script *s, size_t i);

/*
 * An IP subtree "address/prefix" (host bits zero): the address and its mask
 * into 4 or 16 bytes, *v6 for IPv6.  0 when malformed.
 */
int cer_script_ip_subtree(const char *s, unsigned char addr[static 16],
    unsigned char mask[static 16], int *v6);

/* 1 when the step generates its own key pair (a key step, a root without signing-key). */
int cer_step_generates(const struct cer_step *st);

/* The path of output key ("certificate-path") of st, or NULL. */
const char *cer_step_output_path(const struct cer_step *st, const char *key);

/* The ceremony-type names, indexed by enum cer_step_type, NULL-terminated from 1. */
extern const char *const cer_step_type_names[];

/* The name of a ceremony-type ("root", ...); "unknown" if none. */
const char *cer_step_type_name(enum cer_step_type type);

#endif
