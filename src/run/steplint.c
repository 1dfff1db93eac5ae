/* steplint.c: linting and key checks in the ceremony: the verdicts, skips and refusals of each stage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "lint/keycheck.h"
#include "lint/lint.h"
#include "run/steplint.h"
#include "base/util.h"
#include "x509/crl.h"

/*
 * Per artefact: the rule that reads the signature value (a lint copy's is
 * a throwaway's); the TLS algorithm rules that still run on it in a
 * private hierarchy, which is outside them (BR 6.1.5, 7.1.3; Ed25519), so
 * they are skipped and the transcript says why (certificates and CRLs
 * have private profiles without them; OCSP responses have none); and what
 * the script changes to fix a finding.
 */
struct artefact_rules {
	const char *signature;
	const char *const *algorithms;	/* NULL-terminated, at most MAX_ALG_RULES */
	const char *profile_key;
	/* in the rehearsal, every certificate has a throwaway's signature: a rule that checks one */
	const char *rehearsal;
};
#define MAX_ALG_RULES 1
static const char *const no_rules[] = { NULL };
static const char *const ocsp_algorithm_rules[] = { "ocsp.sigalg", NULL };
static const struct artefact_rules cert_rules = { "cert.signature", no_rules,
    "certificate-profile", NULL };
/*
 * ocsp.profile verifies the signature (besides the response's status and
 * form); ocsp.authorized_signer the responder's certificate's, which the
 * plan checked by name and script reference (the files' by signature).
 */
static const struct artefact_rules ocsp_rules = { "ocsp.profile", ocsp_algorithm_rules,
    "ocsp-profile", "ocsp.authorized_signer" };

static const struct artefact_rules crl_rules = { "crl.signature", no_rules, "crl-profile",
    NULL };

static const struct artefact_rules *
rules_of(const struct cer_step *st)
{
	if (st->type == CER_STEP_OCSP_RESPONSE)
		return &ocsp_rules;
	return st->type == CER_STEP_CRL ? &crl_rules : &cert_rules;
}
#define PRIVATE_REASON "hierarchy: private (outside the TLS Baseline Requirements' algorithms)"

/*
 * The rule set of the script's hierarchy (docs/lints.md, "Rule sets"): a
 * private hierarchy's artefacts are linted under the private profile that
 * answers the step type's, so every stage (plan, pre-issuance,
 * post-issuance) runs RFC 5280's rules and none of the TLS ones; a Boulder
 * config is always public TLS.
 */
enum cer_lint_profile
cer_steplint_profile(const struct cer_script *s, enum cer_lint_profile p)
{
	return s->private_hierarchy && !s->boulder ? cer_lint_profile_private(p) : p;
}

/*
 * What a skip-lints name does.  A native script names rules of ours (or a
 * zlint/pkilint/Boulder name that maps to one): each is skipped, and
 * skipping an error rule stops the run.  A Boulder config names lints as
 * Boulder does, any zlint v3 name: one with a counterpart of ours skips
 * it, one without is only recorded, and one whose counterpart is an error
 * rule is recorded but not honoured (the rule runs; it stops the run only
 * if it fires), since Boulder's configs skip zlint notices that map to
 * our errors.
 */
enum skip_effect { SKIP_RULE, SKIP_NO_COUNTERPART, SKIP_ERROR_RUNS, SKIP_UNKNOWN };

static const char *const effect_text[] = {
	"skipped",
	"recorded; ceremony lint has no counterpart to skip",
	"recorded, not skipped: its counterpart is an error rule, which always runs",
	"unknown",
};

static enum skip_effect
skip_resolve(const struct cer_script *s, const char *name, const char **id)
{
	enum cer_lint_severity sev;

	*id = NULL;
	if (cer_lint_rule_exists(name))
		*id = name;
	else if (cer_lint_foreign_name(name, id) != CER_OK) {
		cer_err_clear();
		*id = NULL;
		return SKIP_UNKNOWN;
	}
	if (*id == NULL)
		return s->boulder ? SKIP_NO_COUNTERPART : SKIP_UNKNOWN;
	if (s->boulder && cer_lint_rule_severity(*id, &sev) == CER_OK && sev == CER_LINT_ERROR)
		return SKIP_ERROR_RUNS;
	cer_err_clear();
	return SKIP_RULE;
}

/* The rule id a skip-lints name makes the linter skip, or NULL. */
static const char *
skip_id(const struct cer_script *s, const char *name)
{
	const char *id;

	return skip_resolve(s, name, &id) == SKIP_RULE ? id : NULL;
}

const char *
cer_steplint_skip_effect(const struct cer_script *s, const char *name, const char **rule)
{
	return effect_text[skip_resolve(s, name, rule)];
}

int
cer_steplint_check_skips(const struct cer_script *s)
{
	const struct cer_skip_lint *l;
	const char *id;
	size_t i, j;

	for (i = 0; i < s->nsteps; i++)
		for (j = 0; j < s->steps[i].nskip_lints; j++) {
			l = &s->steps[i].skip_lints[j];
			if (skip_resolve(s, l->name, &id) != SKIP_UNKNOWN)
				continue;
			if (id == NULL && !s->boulder && cer_lint_foreign_name(l->name,
			    &id) == CER_OK)
				return cer_fail_at(CER_ERR_SCRIPT, s->path, l->pos, "skip-lints "
				    "names '%s', a lint of another linter with no counterpart in "
				    "ceremony lint, so there is nothing to skip; remove it",
				    l->name);
			cer_err_clear();
			return cer_fail_at(CER_ERR_SCRIPT, s->path, l->pos, "skip-lints "
			    "names '%s', which is no rule of ceremony lint and no %s it "
			    "knows; see ceremony lint --list", l->name,
			    s->boulder ? "zlint v3 lint" : "zlint name");
		}
	return CER_OK;
}

/*
 * What a CRL's bytes cannot say and its script does (BR 7.2): whether it
 * is a partition.  A partition's IDP is what BR 7.2.2.1 requires, so the
 * rule against an IDP on a full-and-complete CRL does not apply to it;
 * Boulder's CA-only CRL (an IDP with onlyContainsCACerts alone) is a
 * root's CRL of every certificate it issues: complete, so not held to the
 * partition's distributionPoint, and its IDP, which BR 7.2.2.1 does not
 * recommend but allows, is the one Let's Encrypt's e_crl_has_idp requires.
 */
#define IDP_FULL_RULE "crl.idp_full"
#define IDP_PARTITION_RULE "crl.idp_partitioned"
#define PARTITION_REASON "the script declares this CRL a partition (scope partitioned, or " \
	"ca-only with distribution-points; BR 7.2.2.1); crl.idp_full is about full-and-complete CRLs"
#define CA_ONLY_REASON "scope ca-only without distribution-points (Boulder's CRL, crl/idp " \
	"MakeCACertsExt): the CRL of a root that issues CA certificates only covers all of them, " \
	"so it is complete, not a partition that needs a distributionPoint (BR 7.2.2.1, MRSP " \
	"6.1.2); its IDP is not recommended there but allowed (BR 7.2.2.1), and Let's Encrypt's " \
	"lint e_crl_has_idp requires it"

/* The IDP rules the CRL's declared scope makes moot, and why (*n of them, at most 2). */
static const char *
scope_skips(const struct cer_crl_spec *spec, const char *rules[static 2], size_t *n)
{
	*n = 0;
	if (spec == NULL || spec->scope == CER_CRL_FULL)
		return NULL;
	rules[(*n)++] = IDP_FULL_RULE;
	if (spec->nurls > 0)
		return PARTITION_REASON;
	rules[(*n)++] = IDP_PARTITION_RULE;
	return CA_ONLY_REASON;
}

/*
 * The step's skip-lints as rule ids, the signature rule when the copy is a
 * throwaway's (and in the rehearsal the rule on a throwaway-signed
 * certificate's), the TLS algorithm rules a private hierarchy's OCSP response would meet, and the
 * rules a CRL's declared scope makes moot.
 */
static const char **
skip_list(const struct cer_script *s, const struct cer_step *st, const char *stage,
    const struct cer_crl_spec *spec)
{
	const struct artefact_rules *ar = rules_of(st);
	const char **v = calloc(st->nskip_lints + 5 + MAX_ALG_RULES, sizeof(*v));
	int throwaway = strcmp(stage, "post-issuance") != 0;
	size_t i, n = 0, k;

	if (v == NULL)
		return NULL;
	for (i = 0; i < st->nskip_lints; i++)
		if ((v[n] = skip_id(s, st->skip_lints[i].name)) != NULL)
			n++;
	if (throwaway)
		v[n++] = ar->signature;
	if (strcmp(stage, "plan") == 0 && ar->rehearsal != NULL)
		v[n++] = ar->rehearsal;
	for (i = 0; s->private_hierarchy && ar->algorithms[i] != NULL; i++)
		v[n++] = ar->algorithms[i];
	scope_skips(spec, v + n, &k);
	return v;
}

/* The reason the script gives for skipping rule, or NULL. */
static const char *
skip_reason(const struct cer_script *s, const struct cer_step *st, const char *rule)
{
	const char *id;
	size_t i;

	for (i = 0; i < st->nskip_lints; i++)
		if ((id = skip_id(s, st->skip_lints[i].name)) != NULL && strcmp(id, rule) == 0)
			return st->skip_lints[i].reason != NULL ? st->skip_lints[i].reason :
			    "(a Boulder config: no reason given)";
	return NULL;
}

/*
 * The first finding that stops the ceremony: an error, an error the script
 * skips (errors cannot be skipped), or a warning not skipped.
 */
static const struct cer_lint_finding *
blocking(const struct cer_script *s, const struct cer_step *st, const struct cer_lint_result *res,
    int *skipped_error)
{
	const struct cer_lint_finding *f;
	size_t i;

	*skipped_error = 0;
	for (i = 0; i < cer_lint_result_count(res); i++) {
		f = cer_lint_result_get(res, i);
		if (f->verdict == CER_LINT_SKIPPED && f->severity == CER_LINT_ERROR &&
		    skip_reason(s, st, f->rule) != NULL) {
			*skipped_error = 1;
			return f;
		}
		if (f->verdict == CER_LINT_FAIL && f->severity != CER_LINT_NOTICE)
			return f;
	}
	return NULL;
}

static int
refuse(const struct cer_step *st, const struct cer_lint_finding *f, int skipped_error)
{
	const char *p = rules_of(st)->profile_key;

	return cer_fail(CER_ERR_VERIFY, "step %s: %s %s (%s): %s; %s%s%s%s%s", st->id,
	    cer_lint_severity_str(f->severity), f->rule, f->citation, f->message,
	    skipped_error ? "errors cannot be skipped: remove it from skip-lints and " : "",
	    "change the ", p, !skipped_error && f->severity != CER_LINT_ERROR ? ", or list the "
	    "rule under skip-lints with a reason" : "",
	    strstr(f->rule, "notbefore") != NULL || strcmp(f->rule, "ocsp.time_order") == 0 ||
	    strcmp(f->rule, "crl.thisupdate") == 0 ? " (to rehearse a ceremony planned for "
	    "another day, give --at with its date and time)" : "");
}

json_t *
cer_steplint_skips_json(const struct cer_script *s, const struct cer_step *st)
{
	const struct cer_skip_lint *l;
	json_t *a = json_array();
	const char *id, *effect;
	size_t i;

	for (i = 0; a != NULL && i < st->nskip_lints; i++) {
		l = &st->skip_lints[i];
		effect = cer_steplint_skip_effect(s, l->name, &id);
		json_array_append_new(a, json_pack("{s:s, s:o, s:s, s:o}", "name", l->name,
		    "rule", id != NULL ? json_string(id) : json_null(), "effect", effect,
		    "reason", l->reason != NULL ? json_string(l->reason) : json_null()));
	}
	for (i = 0; a != NULL && s->private_hierarchy && rules_of(st)->algorithms[i] != NULL; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "name",
		    rules_of(st)->algorithms[i], "rule", rules_of(st)->algorithms[i], "effect",
		    effect_text[SKIP_RULE], "reason", PRIVATE_REASON));
	return a;
}

/* The record of one stage's verdicts, and whether they stop the ceremony. */
static int
judge(struct cer_lint_result *res, const struct cer_script *s, const struct cer_step *st,
    enum cer_lint_profile p, time_t at, const char *stage, json_t **record)
{
	const struct cer_lint_finding *f;
	json_t *verdicts = NULL;
	char when[21];
	int r, skipped_error;

	cer_time_str(at, when);
	if ((r = cer_lint_result_json(res, &verdicts)) != CER_OK)
		return r;
	*record = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:o, s:o}", "step", st->id,
	    "stage", stage, "profile", cer_lint_profile_str(p), "at", when,
	    "errors", (json_int_t)cer_lint_result_errors(res),
	    "warnings", (json_int_t)cer_lint_result_warnings(res),
	    "notices", (json_int_t)cer_lint_result_notices(res),
	    "skipped", cer_steplint_skips_json(s, st), "verdicts", verdicts);
	if (*record == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	return (f = blocking(s, st, res, &skipped_error)) != NULL ? refuse(st, f,
	    skipped_error) : CER_OK;
}

/* The skips of a stage: before signing, also the rule that reads the signature. */
static const char **
stage_skips(const struct cer_script *s, const struct cer_step *st, const char *stage,
    const struct cer_crl_spec *spec)
{
	const char **skip = skip_list(s, st, stage, spec);

	if (skip == NULL)
		cer_fail(CER_ERR_ALLOC, "out of memory");
	return skip;
}

int
cer_steplint_cert(X509 *cert, X509 *issuer, const struct cer_script *s,
    const struct cer_step *st, enum cer_lint_profile p, time_t at, const char *stage,
    json_t **record)
{
	struct cer_lint_opts opts = { 0, 0, 0 };
	struct cer_lint_result *res = NULL;
	const char **skip;
	int r;

	*record = NULL;
	if ((skip = stage_skips(s, st, stage, NULL)) == NULL)
		return CER_ERR_ALLOC;
	/* a cross-certificate within one organisation (BR 7.1.2.2.3) unless the script says otherwise */
	opts.affiliated = st->type == CER_STEP_CROSS_CERTIFICATE && !st->profile.allow_other_org;
	p = cer_steplint_profile(s, p);
	if ((r = cer_lint_certificate_opts(cert, issuer, p, at, skip, &opts, &res)) == CER_OK)
		r = judge(res, s, st, p, at, stage, record);
	free(skip);
	cer_lint_result_free(res);
	return r;
}

int
cer_steplint_crl(X509_CRL *crl, X509 *issuer, int subscribers, const struct cer_crl_spec *spec,
    const struct cer_script *s, const struct cer_step *st, time_t at, const char *stage,
    json_t **record)
{
	struct cer_lint_opts opts = { 0, subscribers, s->private_hierarchy };
	struct cer_lint_result *res = NULL;
	const char **skip, *rules[2], *why;
	size_t i, n;
	int r;

	*record = NULL;
	if ((skip = stage_skips(s, st, stage, spec)) == NULL)
		return CER_ERR_ALLOC;
	if ((r = cer_lint_crl_opts(crl, issuer, at, skip, &opts, &res)) == CER_OK)
		r = judge(res, s, st, cer_steplint_profile(s, CER_LINT_CRL), at, stage, record);
	if (*record == NULL)
		goto out;
	/* what the CRL was judged as (BR 7.2: 10 days about subscribers, else 12 months) */
	json_object_set_new(*record, "crl_scope", json_string(subscribers ? "subscriber" : "ca"));
	why = scope_skips(spec, rules, &n);
	for (i = 0; i < n; i++)
		json_array_append_new(json_object_get(*record, "skipped"), json_pack("{s:s, s:s, "
		    "s:s, s:s}", "name", rules[i], "rule", rules[i], "effect",
		    effect_text[SKIP_RULE], "reason", why));
 out:
	free(skip);
	cer_lint_result_free(res);
	return r;
}

int
cer_steplint_ocsp(OCSP_RESPONSE *resp, X509 *issuer, const struct cer_script *s,
    const struct cer_step *st, time_t at, const char *stage, json_t **record)
{
	struct cer_lint_result *res = NULL;
	const char **skip;
	int r;

	*record = NULL;
	if ((skip = stage_skips(s, st, stage, NULL)) == NULL)
		return CER_ERR_ALLOC;
	if ((r = cer_lint_ocsp_response(resp, issuer, at, skip, &res)) == CER_OK)
		r = judge(res, s, st, CER_LINT_OCSP_RESPONSE, at, stage, record);
	free(skip);
	cer_lint_result_free(res);
	return r;
}

int
cer_steplint_key(EVP_PKEY *pub, json_t **findings)
{
	if (findings != NULL)
		*findings = NULL;
	if (EVP_PKEY_is_a(pub, "ED25519"))	/* private hierarchies only; nothing to check */
		return findings != NULL && (*findings = json_array()) == NULL ?
		    cer_fail(CER_ERR_ALLOC, "out of memory") : CER_OK;
	return cer_keycheck(pub, findings);
}

int
cer_steplint_is_notice(const json_t *verdict)
{
	const char *v = json_string_value(json_object_get(verdict, "verdict"));
	const char *sev = json_string_value(json_object_get(verdict, "severity"));

	return v != NULL && sev != NULL && strcmp(v, "fail") == 0 && strcmp(sev, "notice") == 0;
}
