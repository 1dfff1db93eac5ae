/* lint.c: the lint engine, its results, the rule list and `ceremony lint`. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "lint/lint-int.h"
#include "base/util.h"

struct cer_lint_result {
	size_t n;
	struct cer_lint_finding *v;	/* messages are owned */
};

/* zlint, pkilint and Boulder lint names, from profile-rules.md's citations. */
static const struct { const char *name, *id; } zlint_map[] = {
	{ "e_serial_number_not_positive", "cert.serial_range" },
	{ "e_serial_number_longer_than_20_octets", "cert.serial_range" },
	{ "e_cert_sig_alg_not_match_tbs_sig_alg", "cert.sigalg_identical" },
	{ "e_mp_ecdsa_signature_encoding_correct", "cert.sigalg_matches_signer" },
	{ "e_algorithm_identifier_improper_encoding", "cert.spki_encoding" },
	{ "e_mp_rsassa-pss_in_spki", "cert.spki_encoding" },
	{ "e_mp_modulus_must_be_divisible_by_8", "cert.key_rsa" },
	{ "e_ec_improper_curves", "cert.key_ec" },
	{ "e_duplicate_subject_attribs", "cert.rdn_shape" },
	{ "e_invalid_subject_rdn_order", "cert.rdn_order" },
	{ "e_subject_rdns_correct_encoding", "cert.attr_encoding" },
	{ "e_subject_printable_string_badalpha", "cert.attr_encoding" },
	{ "e_ca_country_name_invalid", "cert.ca_subject_attrs" },
	{ "e_ca_organization_name_missing", "cert.ca_subject_attrs" },
	{ "e_ca_common_name_missing", "cert.ca_subject_attrs" },
	{ "e_wrong_time_format_pre2050", "cert.time_encoding" },
	{ "e_cert_ext_invalid_der", "cert.ext_der" },
	{ "e_superfluous_ku_encoding", "cert.ext_der" },
	{ "e_mp_authority_key_identifier_correct", "cert.aki" },
	{ "e_crl_distrib_points_not_http", "cert.cdp_format" },
	{ "e_crlissuer_must_not_be_present_in_cdp", "cert.cdp_format" },
	{ "e_ca_aia_non_http_url", "cert.aia_format" },
	{ "e_policy_qualifiers_other_than_cps_not_permitted", "cert.cp_qualifiers" },
	{ "e_ext_cert_policy_duplicate", "cert.cp_qualifiers" },
	{ "e_tbs_signature_rsa_encryption_parameter_not_null", "alg.rsa_sha256" },
	{ "e_mp_rsassa-pss_parameters_encoding_in_signature_algorithm_correct",
	    "alg.pss_sha256" },
	{ "e_ca_is_ca", "root.bc" },
	{ "e_basic_constraints_not_critical", "ext.bc" },
	{ "w_root_ca_basic_constraints_path_len_constraint_field_present", "root.pathlen" },
	{ "e_root_ca_key_usage_present", "root.ku" },
	{ "e_root_ca_key_usage_must_be_critical", "ext.ku" },
	{ "e_ca_key_cert_sign_not_set", "root.ku" },
	{ "e_ca_crl_sign_not_set", "root.ku" },
	{ "n_ca_digital_signature_not_set", "root.ku_digsig_for_ocsp" },
	{ "e_ext_subject_key_identifier_missing_ca", "root.ski" },
	{ "e_root_ca_extended_key_usage_present", "root.no_eku" },
	{ "w_root_ca_contains_cert_policy", "root.no_cp" },
	{ "e_subj_orgunit_in_ca_cert", "root.no_ou" },
	{ "e_subj_orgunit_in_ca_cert", "subca.no_ou" },
	{ "cabf.serverauth.root_validity_period_too_short", "root.validity_range" },
	{ "cabf.serverauth.root_validity_period_too_long", "root.validity_range" },
	{ "e_path_len_constraint_improperly_included", "subca.bc" },
	{ "e_ca_key_usage_not_critical", "ext.ku" },
	{ "e_sub_ca_crl_distribution_points_missing", "subca.cdp" },
	{ "w_sub_ca_aia_missing", "subca.aia" },
	{ "e_sub_ca_certificate_policies_missing", "subca.cp_present" },
	{ "e_ca_multiple_reserved_policy_oids", "subca.cp_reserved" },
	{ "e_invalid_ca_certificate_policies", "subca.cp_reserved" },
	{ "w_sub_ca_eku_critical", "ext.eku" },
	{ "e_ca_invalid_eku", "subca.eku_br" },
	{ "n_mp_allowed_eku", "subca.eku_mozilla" },
	{ "e_ocsp_id_pkix_ocsp_nocheck_ext_not_included_server_auth", "ocspcert.nocheck" },
	{ "e_ocsp_cert_invalid_ku", "ocspcert.ku" },
	{ "e_ocsp_cert_cdp_forbidden", "ocspcert.no_cdp" },
	{ "e_ocsp_cert_cp_forbidden", "ocspcert.cp" },
	{ "e_root_ca_cert_validity_period_greater_than_25_years", "boulder.validity_caps" },
	{ "e_validity_period_greater_than_8_years", "boulder.validity_caps" },
};
#define NZLINT (sizeof(zlint_map) / sizeof(zlint_map[0]))

static const char *const profile_names[CER_LINT_NPROFILES] = {
	"root", "subordinate", "subordinate-tc", "subordinate-tc-nontls", "cross", "ocsp-responder",
	"crl", "ocsp-response",
};

/*
 * The rule tables, one per rule file, in the order rules run, are listed
 * and appear in every result; a new table goes where its rules belong.
 */
static const struct {
	const struct cer_lint_rule *rules;
	const size_t *n;
} tables[] = {
	{ cer_lint_cert_key_rules, &cer_lint_cert_key_nrules },
	{ cer_lint_cert_name_rules, &cer_lint_cert_name_nrules },
	{ cer_lint_cert_time_rules, &cer_lint_cert_time_nrules },
	{ cer_lint_cert_ext_rules, &cer_lint_cert_ext_nrules },
	{ cer_lint_cert_tables_rules, &cer_lint_cert_tables_nrules },
	{ cer_lint_cert_profile_rules, &cer_lint_cert_profile_nrules },
	{ cer_lint_cert_boulder_rules, &cer_lint_cert_boulder_nrules },
	{ cer_lint_crl_rules, &cer_lint_crl_nrules },
	{ cer_lint_ocsp_rules, &cer_lint_ocsp_nrules },
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

/* The rules of every table, in list order. */
static size_t
rule_total(void)
{
	size_t t, n = 0;

	for (t = 0; t < NTABLES; t++)
		n += *tables[t].n;
	return n;
}

/* The i-th rule of the list; i < rule_total(). */
static const struct cer_lint_rule *
rule_at(size_t i)
{
	size_t t;

	for (t = 0; t < NTABLES - 1 && i >= *tables[t].n; t++)
		i -= *tables[t].n;
	return &tables[t].rules[i];
}

const char *
cer_lint_severity_str(enum cer_lint_severity s)
{
	return s == CER_LINT_ERROR ? "error" : s == CER_LINT_WARNING ? "warning" : "notice";
}

const char *
cer_lint_verdict_str(enum cer_lint_verdict v)
{
	return v == CER_LINT_PASS ? "pass" : v == CER_LINT_FAIL ? "fail" : "skipped";
}

const char *
cer_lint_profile_str(enum cer_lint_profile p)
{
	return (unsigned)p < CER_LINT_NPROFILES ? profile_names[p] : "unknown";
}

int
cer_lint_profile_parse(const char *name, enum cer_lint_profile *out)
{
	int i;

	for (i = 0; i < CER_LINT_NPROFILES; i++)
		if (strcmp(name, profile_names[i]) == 0) {
			*out = (enum cer_lint_profile)i;
			return CER_OK;
		}
	return cer_fail(CER_ERR_USAGE, "unknown profile '%s'; use root, subordinate, "
	    "subordinate-tc, subordinate-tc-nontls, cross, ocsp-responder, crl or ocsp-response",
	    name);
}

int
cer_lint_profile_guess(X509 *cert, enum cer_lint_profile *out)
{
	EXTENDED_KEY_USAGE *eku;
	int ocsp = 0, i;

	if (X509_check_ca(cert) > 0 && X509_get_ext_by_NID(cert, NID_basic_constraints, -1) >= 0) {
		if (X509_get_extension_flags(cert) & EXFLAG_SI)
			*out = CER_LINT_ROOT;
		else if (X509_get_ext_by_NID(cert, NID_ext_key_usage, -1) >= 0 &&
		    !(X509_get_extended_key_usage(cert) & XKU_SSL_SERVER))
			*out = CER_LINT_SUBORDINATE_TC_NONTLS;
		else if (X509_get_ext_by_NID(cert, NID_name_constraints, -1) >= 0)
			*out = CER_LINT_SUBORDINATE_TC;
		else
			*out = CER_LINT_SUBORDINATE;
		return CER_OK;
	}
	if ((eku = X509_get_ext_d2i(cert, NID_ext_key_usage, NULL, NULL)) != NULL) {
		for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++)
			ocsp |= OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i)) == NID_OCSP_sign;
		EXTENDED_KEY_USAGE_free(eku);
	}
	if (ocsp) {
		*out = CER_LINT_OCSP_RESPONDER;
		return CER_OK;
	}
	return cer_fail(CER_ERR_VERIFY, "neither a CA nor an OCSP responder certificate; "
	    "give --profile");
}

int
cer_lint_map_zlint(const char *name, const char **id)
{
	size_t i;

	for (i = 0; i < NZLINT; i++)
		if (strcmp(name, zlint_map[i].name) == 0) {
			*id = zlint_map[i].id;
			return CER_OK;
		}
	return cer_fail(CER_ERR_USAGE, "no rule maps the lint name '%s'", name);
}

int
cer_lint_foreign_name(const char *name, const char **rule)
{
	*rule = NULL;
	if (cer_lint_map_zlint(name, rule) == CER_OK)
		return CER_OK;
	*rule = NULL;
	return CER_ERR_USAGE;
}

int
cer_lint_rule_severity(const char *id, enum cer_lint_severity *out)
{
	size_t i;

	for (i = 0; i < rule_total(); i++)
		if (strcmp(id, rule_at(i)->id) == 0) {
			*out = rule_at(i)->severity;
			return CER_OK;
		}
	return cer_fail(CER_ERR_USAGE, "no rule has the id '%s'", id);
}

int
cer_lint_rule_exists(const char *id)
{
	size_t i;

	for (i = 0; i < rule_total(); i++)
		if (strcmp(id, rule_at(i)->id) == 0)
			return 1;
	return 0;
}

size_t
cer_lint_rule_count(void)
{
	return rule_total();
}

/* Every skip entry names a rule or a mapped lint. */
static int
check_skips(const char *const *skip)
{
	const char *id;

	for (; skip != NULL && *skip != NULL; skip++)
		if (!cer_lint_rule_exists(*skip) && cer_lint_map_zlint(*skip, &id) != CER_OK)
			return cer_fail(CER_ERR_USAGE, "unknown rule or lint name '%s' to skip; "
			    "see ceremony lint --list", *skip);
	return CER_OK;
}

static int
skipped(const char *id, const char *const *skip)
{
	size_t i;

	for (; skip != NULL && *skip != NULL; skip++) {
		if (strcmp(*skip, id) == 0)
			return 1;
		for (i = 0; i < NZLINT; i++)
			if (strcmp(*skip, zlint_map[i].name) == 0 && strcmp(zlint_map[i].id, id) == 0)
				return 1;
	}
	return 0;
}

static void
ctx_free(struct cer_lint_ctx *c)
{
	BASIC_CONSTRAINTS_free(c->bc);
	EXTENDED_KEY_USAGE_free(c->eku);
	CERTIFICATEPOLICIES_free(c->cp);
	CRL_DIST_POINTS_free(c->cdp);
	AUTHORITY_INFO_ACCESS_free(c->aia);
	NAME_CONSTRAINTS_free(c->nc);
	AUTHORITY_KEYID_free(c->aki);
	ASN1_OCTET_STRING_free(c->ski);
	ISSUING_DIST_POINT_free(c->idp);
	OCSP_BASICRESP_free(c->bs);
}

/* Parses each extension once; an unparsable one stays NULL (cert.ext_der says why). */
static void
ctx_init(struct cer_lint_ctx *c, X509 *cert, X509 *issuer, enum cer_lint_profile p,
    time_t at)
{
	memset(c, 0, sizeof(*c));
	c->cert = cert;
	c->issuer = issuer != NULL ? issuer : cert;
	c->profile = p;
	c->at = at;
	c->pub = X509_get0_pubkey(cert);
	c->bc = X509_get_ext_d2i(cert, NID_basic_constraints, NULL, NULL);
	c->eku = X509_get_ext_d2i(cert, NID_ext_key_usage, NULL, NULL);
	c->cp = X509_get_ext_d2i(cert, NID_certificate_policies, NULL, NULL);
	c->cdp = X509_get_ext_d2i(cert, NID_crl_distribution_points, NULL, NULL);
	c->aia = X509_get_ext_d2i(cert, NID_info_access, NULL, NULL);
	c->nc = X509_get_ext_d2i(cert, NID_name_constraints, NULL, NULL);
	c->aki = X509_get_ext_d2i(cert, NID_authority_key_identifier, NULL, NULL);
	c->ski = X509_get_ext_d2i(cert, NID_subject_key_identifier, NULL, NULL);
	ERR_clear_error();
}

static void
ctx_init_crl(struct cer_lint_ctx *c, X509_CRL *crl, X509 *issuer, time_t at)
{
	memset(c, 0, sizeof(*c));
	c->crl = crl;
	c->issuer = issuer;
	c->profile = CER_LINT_CRL;
	c->at = at;
	c->aki = X509_CRL_get_ext_d2i(crl, NID_authority_key_identifier, NULL, NULL);
	c->idp = X509_CRL_get_ext_d2i(crl, NID_issuing_distribution_point, NULL, NULL);
	ERR_clear_error();
}

static int
result_add(struct cer_lint_result *res, const struct cer_lint_rule *rule,
    enum cer_lint_severity sev, enum cer_lint_verdict v, const char *msg)
{
	/* res->v holds one slot per rule; each rule adds at most one verdict. */
	struct cer_lint_finding *f = &res->v[res->n];

	if ((f->message = strdup(msg)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	f->rule = rule->id;
	f->severity = sev;
	f->citation = rule->citation;
	f->verdict = v;
	res->n++;
	return CER_OK;
}

/* Runs one rule and records its verdict. */
static int
run_rule(struct cer_lint_ctx *c, const struct cer_lint_rule *rule, const char *const *skip,
    struct cer_lint_result *res)
{
	int v;

	if (skipped(rule->id, skip))
		return result_add(res, rule, rule->severity, CER_LINT_SKIPPED, "skipped on request");
	c->msg[0] = '\0';
	c->sev = rule->severity;
	v = rule->fn(c, rule->arg);
	ERR_clear_error();
	if (v == LINT_FAIL)
		return result_add(res, rule, c->sev, CER_LINT_FAIL, c->msg);
	return result_add(res, rule, rule->severity, CER_LINT_PASS,
	    v == LINT_NA ? "not applicable" : "");
}

static void
ctx_init_ocsp(struct cer_lint_ctx *c, OCSP_RESPONSE *resp, X509 *issuer, time_t at)
{
	memset(c, 0, sizeof(*c));
	c->ocsp = resp;
	c->issuer = issuer;
	c->profile = CER_LINT_OCSP_RESPONSE;
	c->at = at;
	c->bs = OCSP_response_get1_basic(resp);
	ERR_clear_error();
}

/* Runs every rule of c->profile into a new *out. */
static int
run_all(struct cer_lint_ctx *c, const char *const *skip, struct cer_lint_result **out)
{
	struct cer_lint_result *res = NULL;
	size_t i;
	int r = CER_ERR_INTERNAL;

	if ((r = check_skips(skip)) != CER_OK)
		return r;
	if ((res = calloc(1, sizeof(*res))) == NULL ||
	    (res->v = calloc(rule_total(), sizeof(*res->v))) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	for (i = 0; i < rule_total(); i++) {
		if (!(rule_at(i)->profiles & (1u << c->profile)))
			continue;
		if ((r = run_rule(c, rule_at(i), skip, res)) != CER_OK)
			goto out;
	}
	*out = res;
	res = NULL; /* transferred */
	r = CER_OK;
out:
	cer_lint_result_free(res);
	return r;
}

int
cer_lint_certificate(X509 *cert, X509 *issuer, enum cer_lint_profile p, time_t at,
    const char *const *skip, struct cer_lint_result **out)
{
	return cer_lint_certificate_opts(cert, issuer, p, at, skip, NULL, out);
}

int
cer_lint_certificate_opts(X509 *cert, X509 *issuer, enum cer_lint_profile p, time_t at,
    const char *const *skip, const struct cer_lint_opts *opts, struct cer_lint_result **out)
{
	(void)opts;	/* read by the rules that need it */
	struct cer_lint_ctx c;
	int r;

	*out = NULL;
	if ((unsigned)p >= CER_LINT_NPROFILES || p == CER_LINT_CRL || p == CER_LINT_OCSP_RESPONSE)
		return cer_fail(CER_ERR_USAGE, "%d is not a certificate profile", (int)p);
	ctx_init(&c, cert, issuer, p, at);
	r = run_all(&c, skip, out);
	ctx_free(&c);
	return r;
}

/* Runs c's rules when its issuer is given (CRLs, OCSP responses); frees c. */
static int
run_issued(struct cer_lint_ctx *c, const char *what, const char *const *skip,
    struct cer_lint_result **out)
{
	int r;

	if (c->issuer == NULL)
		r = cer_fail(CER_ERR_USAGE, "%s is linted against its issuer's certificate", what);
	else
		r = run_all(c, skip, out);
	ctx_free(c);
	return r;
}

int
cer_lint_crl(X509_CRL *crl, X509 *issuer, time_t at, const char *const *skip,
    struct cer_lint_result **out)
{
	return cer_lint_crl_opts(crl, issuer, at, skip, NULL, out);
}

int
cer_lint_crl_opts(X509_CRL *crl, X509 *issuer, time_t at, const char *const *skip,
    const struct cer_lint_opts *opts, struct cer_lint_result **out)
{
	(void)opts;	/* read by the rules that need it */
	struct cer_lint_ctx c;

	*out = NULL;
	ctx_init_crl(&c, crl, issuer, at);
	return run_issued(&c, "a CRL", skip, out);
}

int
cer_lint_ocsp_response(OCSP_RESPONSE *resp, X509 *issuer, time_t at, const char *const *skip,
    struct cer_lint_result **out)
{
	struct cer_lint_ctx c;

	*out = NULL;
	ctx_init_ocsp(&c, resp, issuer, at);
	return run_issued(&c, "an OCSP response", skip, out);
}

static size_t
count_fails(const struct cer_lint_result *res, enum cer_lint_severity s)
{
	size_t i, n = 0;

	for (i = 0; res != NULL && i < res->n; i++)
		n += res->v[i].verdict == CER_LINT_FAIL && res->v[i].severity == s;
	return n;
}

size_t
cer_lint_result_errors(const struct cer_lint_result *res)
{
	return count_fails(res, CER_LINT_ERROR);
}

size_t
cer_lint_result_warnings(const struct cer_lint_result *res)
{
	return count_fails(res, CER_LINT_WARNING);
}

size_t
cer_lint_result_notices(const struct cer_lint_result *res)
{
	return count_fails(res, CER_LINT_NOTICE);
}

size_t
cer_lint_result_count(const struct cer_lint_result *res)
{
	return res != NULL ? res->n : 0;
}

const struct cer_lint_finding *
cer_lint_result_get(const struct cer_lint_result *res, size_t i)
{
	return res != NULL && i < res->n ? &res->v[i] : NULL;
}

int
cer_lint_result_json(const struct cer_lint_result *res, json_t **out)
{
	json_t *arr, *o;
	size_t i;

	*out = NULL;
	if (res == NULL)
		return cer_fail(CER_ERR_INTERNAL, "no lint result");
	if ((arr = json_array()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	for (i = 0; i < res->n; i++) {
		const struct cer_lint_finding *f = &res->v[i];

		o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "rule", f->rule,
		    "severity", cer_lint_severity_str(f->severity), "citation", f->citation,
		    "verdict", cer_lint_verdict_str(f->verdict), "message", f->message);
		if (o == NULL || json_array_append_new(arr, o) != 0) {
			json_decref(arr);
			return cer_fail(CER_ERR_ALLOC, "out of memory");
		}
	}
	*out = arr;
	return CER_OK;
}

void
cer_lint_result_print(const struct cer_lint_result *res, const char *prefix, FILE *f)
{
	size_t i;

	for (i = 0; res != NULL && i < res->n; i++) {
		const struct cer_lint_finding *x = &res->v[i];

		if (x->verdict != CER_LINT_FAIL)
			continue;
		fprintf(f, "%s%s%s %s %s: %s\n", prefix != NULL ? prefix : "",
		    prefix != NULL ? ": " : "", cer_lint_severity_str(x->severity), x->rule,
		    x->citation, x->message);
	}
}

void
cer_lint_result_free(struct cer_lint_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < res->n; i++)
		free((char *)res->v[i].message);
	free(res->v);
	free(res);
}

/* The profiles of a rule, "root, subordinate, ..." or "all". */
static void
profiles_str(unsigned mask, char *buf, size_t n)
{
	int i;

	buf[0] = '\0';
	if (mask == P_ALL) {
		snprintf(buf, n, "all certificates");
		return;
	}
	for (i = 0; i < CER_LINT_NPROFILES; i++)
		if (mask & (1u << i))
			snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", buf[0] ? ", " : "",
			    profile_names[i]);
}

void
cer_lint_list(FILE *f, int markdown)
{
	char prof[128];
	size_t i;

	if (markdown)
		fprintf(f, "| id | severity | citation | profiles | description |\n"
		    "|---|---|---|---|---|\n");
	for (i = 0; i < rule_total(); i++) {
		const struct cer_lint_rule *r = rule_at(i);

		profiles_str(r->profiles, prof, sizeof(prof));
		if (markdown)
			fprintf(f, "| `%s` | %s | %s | %s | %s |\n", r->id,
			    cer_lint_severity_str(r->severity), r->citation, prof, r->description);
		else
			fprintf(f, "%s\t%s\t%s\t%s\n", r->id, cer_lint_severity_str(r->severity),
			    r->citation, r->description);
	}
}

int
cer_lint_parse_time(const char *s, time_t *out)
{
	static const char *const fmts[] = { "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ" };
	struct tm tm;
	const char *end;
	size_t i;

	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		memset(&tm, 0, sizeof(tm));
		if ((end = strptime(s, fmts[i], &tm)) != NULL && *end == '\0') {
			*out = timegm(&tm);
			return CER_OK;
		}
	}
	return cer_fail(CER_ERR_USAGE, "bad time '%s'; use 2026-12-01 00:00:00 or "
	    "2026-12-01T00:00:00Z (UTC)", s);
}
