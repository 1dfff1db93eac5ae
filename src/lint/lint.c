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

static const char *const profile_names[CER_LINT_NPROFILES] = {
	"root", "subordinate", "subordinate-tc", "subordinate-tc-nontls", "cross", "ocsp-responder",
	"crl", "ocsp-response", "private-root", "private-subordinate", "private-ocsp-responder",
	"private-crl",
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
	{ cer_lint_cert_private_rules, &cer_lint_cert_private_nrules },
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
	return v == CER_LINT_PASS ? "pass" : v == CER_LINT_FAIL ? "fail" :
	    v == CER_LINT_SKIPPED ? "skipped" : "not-applicable";
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
	    "subordinate-tc, subordinate-tc-nontls, cross, ocsp-responder, crl, ocsp-response, "
	    "or for a private hierarchy private-root, private-subordinate, "
	    "private-ocsp-responder or private-crl", name);
}

enum cer_lint_profile
cer_lint_profile_private(enum cer_lint_profile p)
{
	switch (p) {
	case CER_LINT_ROOT:
		return CER_LINT_PRIVATE_ROOT;
	case CER_LINT_SUBORDINATE:
	case CER_LINT_SUBORDINATE_TC:
	case CER_LINT_SUBORDINATE_TC_NONTLS:
	case CER_LINT_CROSS:
		return CER_LINT_PRIVATE_SUBORDINATE;
	case CER_LINT_OCSP_RESPONDER:
		return CER_LINT_PRIVATE_OCSP_RESPONDER;
	case CER_LINT_CRL:
		return CER_LINT_PRIVATE_CRL;
	default:
		return p;
	}
}

int
cer_lint_profile_is_private(enum cer_lint_profile p)
{
	return (unsigned)p < CER_LINT_NPROFILES && ((1u << p) & P_PRIVATE_SET) != 0;
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

/* The first row of the foreign name table for name, or NULL. */
static const struct cer_lint_foreign *
foreign_find(const char *name)
{
	size_t lo = 0, hi = cer_lint_nforeign, mid;
	int c;

	while (lo < hi) {	/* the first row not below name */
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(cer_lint_foreign_names[mid].name, name)) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < cer_lint_nforeign && strcmp(cer_lint_foreign_names[lo].name, name) == 0 ?
	    &cer_lint_foreign_names[lo] : NULL;
}

int
cer_lint_map_zlint(const char *name, const char **id)
{
	const struct cer_lint_foreign *f = foreign_find(name);

	if (f == NULL || f->rule == NULL)
		return cer_fail(CER_ERR_USAGE, "no rule maps the lint name '%s'", name);
	*id = f->rule;
	return CER_OK;
}

int
cer_lint_foreign_name(const char *name, const char **rule)
{
	const struct cer_lint_foreign *f = foreign_find(name);

	*rule = NULL;
	if (f == NULL)
		return cer_fail(CER_ERR_USAGE, "'%s' is no zlint, Boulder or pkilint lint name",
		    name);
	*rule = f->rule;
	return CER_OK;
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

/* Every skip entry names a rule or another linter's lint. */
static int
check_skips(const char *const *skip)
{
	for (; skip != NULL && *skip != NULL; skip++)
		if (!cer_lint_rule_exists(*skip) && foreign_find(*skip) == NULL)
			return cer_fail(CER_ERR_USAGE, "unknown rule or lint name '%s' to skip; "
			    "see ceremony lint --list", *skip);
	return CER_OK;
}

/* Does skip name rule id, itself or by a foreign name that corresponds to it? */
static int
skipped(const char *id, const char *const *skip)
{
	const struct cer_lint_foreign *f;

	for (; skip != NULL && *skip != NULL; skip++) {
		if (strcmp(*skip, id) == 0)
			return 1;
		for (f = foreign_find(*skip); f != NULL && f < cer_lint_foreign_names +
		    cer_lint_nforeign && strcmp(f->name, *skip) == 0; f++)
			if (f->rule != NULL && strcmp(f->rule, id) == 0)
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
	BN_free(c->rsa_n);
	BN_free(c->rsa_e);
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
	c->date = cer_lint_time(X509_get0_notBefore(cert));
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
ctx_init_crl(struct cer_lint_ctx *c, X509_CRL *crl, X509 *issuer, time_t at, int private_set)
{
	memset(c, 0, sizeof(*c));
	c->crl = crl;
	c->issuer = issuer;
	c->profile = private_set ? CER_LINT_PRIVATE_CRL : CER_LINT_CRL;
	c->at = at;
	c->date = cer_lint_time(X509_CRL_get0_lastUpdate(crl));
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

/*
 * Runs one rule and records its verdict: a rule that took effect after
 * the artefact's date is not run (zlint's CheckEffective).
 */
static int
run_rule(struct cer_lint_ctx *c, const struct cer_lint_rule *rule, const char *const *skip,
    struct cer_lint_result *res)
{
	int v;

	if (skipped(rule->id, skip))
		return result_add(res, rule, rule->severity, CER_LINT_SKIPPED, "skipped on request");
	c->msg[0] = '\0';
	c->sev = rule->severity;
	if (!cer_lint_in_force(c, rule->effective))
		v = cer_lint_not_in_force(c, rule->effective);
	else
		v = rule->fn(c, rule->arg);
	ERR_clear_error();
	if (v == LINT_FAIL)
		return result_add(res, rule, c->sev, CER_LINT_FAIL, c->msg);
	if (v == LINT_NE)
		return result_add(res, rule, rule->severity, CER_LINT_NOT_APPLICABLE, c->msg);
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
	c->date = c->bs != NULL ? cer_lint_time(OCSP_resp_get0_produced_at(c->bs)) : (time_t)-1;
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
	struct cer_lint_ctx c;
	int r;

	*out = NULL;
	if ((unsigned)p >= CER_LINT_NPROFILES || p == CER_LINT_CRL || p == CER_LINT_OCSP_RESPONSE ||
	    p == CER_LINT_PRIVATE_CRL)
		return cer_fail(CER_ERR_USAGE, "%s is not a certificate profile",
		    cer_lint_profile_str(p));
	ctx_init(&c, cert, issuer, p, at);
	c.affiliated = opts != NULL && opts->affiliated;
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
	struct cer_lint_ctx c;

	*out = NULL;
	ctx_init_crl(&c, crl, issuer, at, opts != NULL && opts->private_set);
	c.subscriber_crl = opts != NULL && opts->subscriber_crl;
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

/*
 * The profiles of a rule, "root, subordinate, ...", with "all TLS
 * certificates" and "all private certificates" for a whole set's.
 */
static void
profiles_str(unsigned mask, char *buf, size_t n)
{
	int i;

	buf[0] = '\0';
	if ((mask & P_ALL) == P_ALL) {
		snprintf(buf, n, "all TLS certificates");
		mask &= ~P_ALL;
	}
	if ((mask & P_PRIV) == P_PRIV) {
		snprintf(buf + strlen(buf), n - strlen(buf), "%sall private certificates",
		    buf[0] ? ", " : "");
		mask &= ~P_PRIV;
	}
	for (i = 0; i < CER_LINT_NPROFILES; i++)
		if (mask & (1u << i))
			snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", buf[0] ? ", " : "",
			    profile_names[i]);
}

/* The rule sets a rule is in: "TLS", "private" or "TLS, private". */
static const char *
sets_str(unsigned mask)
{
	int tls = (mask & P_TLS_SET) != 0, priv = (mask & P_PRIVATE_SET) != 0;

	return tls && priv ? "TLS, private" : priv ? "private" : "TLS";
}

/* "2026-02-05", or "-" for a rule in force for any artefact. */
static const char *
effective_str(const struct cer_lint_rule *r, char buf[static 32])
{
	return r->effective != 0 ? cer_lint_fmt_day(r->effective, buf) : "-";
}

void
cer_lint_list(FILE *f, int markdown)
{
	char prof[192], day[32];
	size_t i;

	if (markdown)
		fprintf(f, "| id | severity | citation | in force from | sets | profiles | "
		    "description |\n|---|---|---|---|---|---|---|\n");
	for (i = 0; i < rule_total(); i++) {
		const struct cer_lint_rule *r = rule_at(i);

		profiles_str(r->profiles, prof, sizeof(prof));
		if (markdown)
			fprintf(f, "| `%s` | %s | %s | %s | %s | %s | %s |\n", r->id,
			    cer_lint_severity_str(r->severity), r->citation, effective_str(r, day),
			    sets_str(r->profiles), prof, r->description);
		else
			fprintf(f, "%s\t%s\t%s\t%s\t%s\n", r->id,
			    cer_lint_severity_str(r->severity), r->citation, effective_str(r, day),
			    r->description);
	}
}

/* One rule as an object of cer_lint_list_json. */
static json_t *
rule_json(const struct cer_lint_rule *r)
{
	json_t *profs = json_array(), *o;
	char day[32];
	int i;

	for (i = 0; profs != NULL && i < CER_LINT_NPROFILES; i++)
		if ((r->profiles & (1u << i)) &&
		    json_array_append_new(profs, json_string(profile_names[i])) != 0) {
			json_decref(profs);
			return NULL;
		}
	if (profs == NULL)
		return NULL;
	o = json_pack("{s:s, s:s, s:s, s:s?, s:o, s:s}", "id", r->id,
	    "severity", cer_lint_severity_str(r->severity), "citation", r->citation,
	    "effective", r->effective != 0 ? cer_lint_fmt_day(r->effective, day) : NULL,
	    "profiles", profs, "description", r->description);
	return o;
}

int
cer_lint_list_json(json_t **out)
{
	json_t *arr = json_array(), *o;
	size_t i;

	*out = NULL;
	for (i = 0; arr != NULL && i < rule_total(); i++)
		if ((o = rule_json(rule_at(i))) == NULL || json_array_append_new(arr, o) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	if (arr == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	*out = arr;
	return CER_OK;
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
