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

/*
 * The encoding choices that differ between tools (docs/script.md,
 * "Encoding"), explicit in a profile so that a certificate another tool
 * made can be described and made again byte for byte.  The zero value of
 * each is Go's choice, which Boulder's ceremony tool makes.
 */

/* A name attribute's string type: Go's rule, or the one written. */
enum cer_strtype { CER_STR_GO = 0, CER_STR_PRINTABLE, CER_STR_UTF8 };

/* The attributes of a subject (and of a directoryName constraint). */
enum cer_attr { CER_ATTR_COUNTRY = 1, CER_ATTR_ORGANIZATION, CER_ATTR_COMMON_NAME };
#define CER_ATTR_MAX 3

/* The extensions a profile builds, by their short names (KU, EKU, ...). */
enum cer_ext {
	CER_EXT_KU = 1, CER_EXT_EKU, CER_EXT_BC, CER_EXT_SKI, CER_EXT_AKI, CER_EXT_AIA,
	CER_EXT_CP, CER_EXT_NC, CER_EXT_CRLDP, CER_EXT_NOCHECK,
};
#define CER_EXT_MAX 10

/* How the subjectKeyIdentifier is made from the key (RFC 5280 4.2.1.2, RFC 7093). */
enum cer_ski_method {
	CER_SKI_RFC7093_1 = 0,	/* SHA-256, leftmost 160 bits: Boulder's */
	CER_SKI_RFC7093_2,	/* SHA-384, leftmost 160 bits */
	CER_SKI_RFC7093_3,	/* SHA-512, leftmost 160 bits */
	CER_SKI_RFC5280_1,	/* SHA-1 (OpenSSL's "hash", Go's own) */
	CER_SKI_RFC5280_2,	/* 0100 and the low 60 bits of SHA-1 */
	CER_SKI_NONE,		/* no SKI */
	CER_SKI_VALUE,		/* the octets written */
};
#define CER_SKI_VALUE_MAX 64

/* The authorityKeyIdentifier's form. */
enum cer_aki_form {
	CER_AKI_DEFAULT = 0,	/* keyIdentifier; a Boulder config's root: none */
	CER_AKI_KEYID,
	CER_AKI_KEYID_ISSUER_SERIAL,	/* keyIdentifier, authorityCertIssuer, ...SerialNumber */
	CER_AKI_NONE,
};

/* An extended key usage a CA certificate's ekus list may name. */
enum cer_eku { CER_EKU_SERVER = 1, CER_EKU_CLIENT };

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
	/*
	 * Where module, selector and PIN were read: NULL for the script (or
	 * a role the script leaves to a site file: module NULL), else the
	 * site file's path (script/site.h), whose positions they carry.
	 */
	const char *from;
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
	char *cps;		/* a private hierarchy's CPS URI qualifier (id-qt-cps), or NULL */
	struct cer_pos cps_pos;
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
	/* a private hierarchy's: rfc822Name, URI and excluded directoryName subtrees */
	struct cer_strlist permitted_email, excluded_email;
	struct cer_strlist permitted_uri, excluded_uri;
	struct cer_dn *excluded_dn;
	size_t nexcluded_dn;
};

struct cer_cert_profile {
	int present;
	struct cer_pos pos;
	/*
	 * The script says 'hierarchy: private' (set when the step is made,
	 * before its profile is read): RFC 5280 rules, not the TLS ones.
	 */
	int private_set;
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
	/*
	 * A private hierarchy's further subject attributes, NULL when absent:
	 * OU, L, ST and serialNumber, in Go's order around C, O and CN.
	 */
	char *org_unit, *locality, *state, *subject_serial;
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
	/* path-length (intermediate): pathLenConstraint, default 0; none: no pathLen */
	unsigned long path_length;
	int no_path_length;
	struct cer_pos path_length_pos;
	/* max-validity-days (ocsp-signer): lowers the default cap */
	unsigned long max_validity_days;
	struct cer_pos max_validity_days_pos;
	/* allow-other-organization (cross-certificate) */
	int allow_other_org;
	struct cer_pos allow_other_org_pos;
	struct cer_name_constraints nc;
	/* ekus as a list: the EKUs in the order written (ekus says server or both) */
	enum cer_eku eku_list[2];
	size_t neku_list;
	/* a private hierarchy's ekus list: dotted OIDs in the order written */
	struct cer_strlist eku_oids;
	/* max-validity-days was written (a private hierarchy's cap, on any profile) */
	int has_max_validity;
	/* string-types: by enum cer_attr, for the subject and directoryName constraints */
	enum cer_strtype string_types[CER_ATTR_MAX + 1];
	struct cer_pos string_types_pos;
	/* subject-order: the subject's attributes in this order (0: C, O, CN) */
	enum cer_attr subject_order[CER_ATTR_MAX];
	size_t nsubject_order;
	struct cer_pos subject_order_pos;
	/* extension-order: every extension the certificate carries, in order (0: Go's) */
	enum cer_ext ext_order[CER_EXT_MAX];
	size_t next_order;
	struct cer_pos ext_order_pos;
	/* critical-extensions: the critical ones, bit 1u << enum cer_ext (unset: Go's) */
	int has_critical;
	unsigned critical;
	struct cer_pos critical_pos;
	/* subject-key-id, authority-key-id */
	enum cer_ski_method ski;
	unsigned char ski_value[CER_SKI_VALUE_MAX];
	size_t ski_value_len;
	struct cer_pos ski_pos;
	enum cer_aki_form aki;
	struct cer_pos aki_pos;
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
	 * What a step type reads beyond these fields (a crl-profile or an
	 * ocsp-profile and its inputs): owned by the step, freed with own_free.
	 * NULL when none.
	 */
	void *own;
	void (*own_free)(void *own);
};

struct cer_script {
	char *path;		/* as given, used in every error message */
	unsigned char *text;	/* the exact bytes read (hashed into the transcript) */
	size_t text_len;
	char *redacted;		/* the text with every literal PIN as asterisks (recorded) */
	int pins_redacted;	/* 1 when redacted differs from text */
	char *name;		/* "ceremony:", may be NULL */
	int boulder;		/* 1 for a Boulder config */
	/*
	 * "hierarchy: private": RFC 5280 rules only, none of the CA/B Forum,
	 * Mozilla or Chrome TLS rules (docs/script.md, "Private hierarchies");
	 * never set for a Boulder config.
	 */
	int private_hierarchy;
	struct cer_pos hierarchy_pos;
	struct cer_token_spec *tokens;
	size_t ntokens;
	struct cer_step *steps;
	size_t nsteps;
};

/*
 * The rule set the script's hierarchy is held to: "private" ('hierarchy:
 * private': RFC 5280 only) or "tls" (the default, and every Boulder config).
 */
const char *cer_script_hierarchy(const struct cer_script *s);

/* What that means, in one line for the plan and the witness record. */
const char *cer_script_hierarchy_text(const char *hierarchy);

#define CER_NO_INDEX ((size_t)-1)

/*
 * An empty script holding a copy of len bytes of text (NUL-terminated), read
 * from the file name: what the loader (and the site file's) fills in.
 */
int cer_script_new(const char *name, const unsigned char *text, size_t len,
    struct cer_script **out) CER_WUR;

/* Frees a script, zeroing literal PINs and its text.  Accepts NULL. */
void cer_script_free(struct cer_script *script);

/* Frees what a certificate profile holds (its text, lists, constraints), not p. */
void cer_script_profile_free(struct cer_cert_profile *p);

/* 1 when a step uses token t of the script. */
int cer_script_token_used(const struct cer_script *s, size_t t);

/* The file token t's module, selector and PIN positions are in: the script or its site file. */
const char *cer_script_token_file(const struct cer_script *s, size_t t);

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
