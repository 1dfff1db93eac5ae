/* steplint.c: linting and key checks in the ceremony: the verdicts, skips and refusals of each stage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "lint/keycheck.h"
#include "lint/lint.h"
#include "run/steplint.h"
#include "base/util.h"

/* The rule that reads the signature value: a lint copy's is a throwaway's. */
#define SIGNATURE_RULE "cert.signature"

/*
 * The rules that hold a publicly trusted TLS hierarchy to RSA and ECDSA
 * (BR 6.1.5, 7.1.3): a script that says 'hierarchy: private' is outside
 * them (Ed25519), and the transcript says they were skipped, and why.
 */
static const char *const tls_algorithm_rules[] = { "cert.sigalg_allowed",
    "cert.sigalg_matches_signer", "cert.spki_encoding", "cert.key_ec", NULL };
#define NTLS_RULES (sizeof(tls_algorithm_rules) / sizeof(tls_algorithm_rules[0]) - 1)
#define PRIVATE_REASON "hierarchy: private (outside the TLS Baseline Requirements' algorithms)"


/* The rule id a skip-lints name stands for, or NULL. */
static const char *
skip_id(const char *name)
{
	const char *id = NULL;

	if (cer_lint_rule_exists(name))
		return name;
	if (cer_lint_map_zlint(name, &id) != CER_OK) {
		cer_err_clear();
		return NULL;
	}
	return id;
}

int
cer_steplint_check_skips(const struct cer_script *s)
{
	const struct cer_skip_lint *l;
	size_t i, j;

	for (i = 0; i < s->nsteps; i++)
		for (j = 0; j < s->steps[i].nskip_lints; j++) {
			l = &s->steps[i].skip_lints[j];
			if (skip_id(l->name) == NULL)
				return cer_fail_at(CER_ERR_SCRIPT, s->path, l->pos, "skip-lints "
				    "names '%s', which is no rule of ceremony lint and no zlint "
				    "name it knows; see ceremony lint --list", l->name);
		}
	return CER_OK;
}

/*
 * The step's skip-lints as rule ids, the signature rule when the copy is a
 * throwaway's, and the TLS algorithm rules in a private hierarchy.
 */
static const char **
skip_list(const struct cer_script *s, const struct cer_step *st, int throwaway)
{
	const char **v = calloc(st->nskip_lints + 2 + NTLS_RULES, sizeof(*v));
	size_t i, n = 0;

	if (v == NULL)
		return NULL;
	for (i = 0; i < st->nskip_lints; i++)
		if ((v[n] = skip_id(st->skip_lints[i].name)) != NULL)
			n++;
	if (throwaway)
		v[n++] = SIGNATURE_RULE;
	for (i = 0; s->private_hierarchy && tls_algorithm_rules[i] != NULL; i++)
		v[n++] = tls_algorithm_rules[i];
	return v;
}

/* The reason the script gives for skipping rule, or NULL. */
static const char *
skip_reason(const struct cer_step *st, const char *rule)
{
	const char *id;
	size_t i;

	for (i = 0; i < st->nskip_lints; i++)
		if ((id = skip_id(st->skip_lints[i].name)) != NULL && strcmp(id, rule) == 0)
			return st->skip_lints[i].reason != NULL ? st->skip_lints[i].reason :
			    "(a Boulder config: no reason given)";
	return NULL;
}

/*
 * The first finding that stops the ceremony: an error, an error the script
 * skips (errors cannot be skipped), or a warning not skipped.
 */
static const struct cer_lint_finding *
blocking(const struct cer_step *st, const struct cer_lint_result *res, int *skipped_error)
{
	const struct cer_lint_finding *f;
	size_t i;

	*skipped_error = 0;
	for (i = 0; i < cer_lint_result_count(res); i++) {
		f = cer_lint_result_get(res, i);
		if (f->verdict == CER_LINT_SKIPPED && f->severity == CER_LINT_ERROR &&
		    skip_reason(st, f->rule) != NULL) {
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
	const char *hint = skipped_error ? "errors cannot be skipped: remove it from skip-lints "
	    "and change the certificate-profile" : f->severity == CER_LINT_ERROR ?
	    "change the certificate-profile" : "change the certificate-profile, or list the rule "
	    "under skip-lints with a reason";

	return cer_fail(CER_ERR_VERIFY, "step %s: %s %s (%s): %s; %s%s", st->id,
	    cer_lint_severity_str(f->severity), f->rule, f->citation, f->message, hint,
	    strstr(f->rule, "notbefore") != NULL ? " (to rehearse a ceremony planned for "
	    "another day, give --at with its date and time)" : "");
}

/* {"name","rule","reason"} for every skip the step lists, and the private hierarchy's. */
static json_t *
skips_json(const struct cer_script *s, const struct cer_step *st)
{
	json_t *a = json_array();
	const char *id;
	size_t i;

	for (i = 0; a != NULL && i < st->nskip_lints; i++) {
		id = skip_id(st->skip_lints[i].name);
		json_array_append_new(a, json_pack("{s:s, s:s?, s:s}", "name",
		    st->skip_lints[i].name, "rule", id, "reason",
		    skip_reason(st, id != NULL ? id : "")));
	}
	for (i = 0; a != NULL && s->private_hierarchy && tls_algorithm_rules[i] != NULL; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "name",
		    tls_algorithm_rules[i], "rule", tls_algorithm_rules[i], "reason",
		    PRIVATE_REASON));
	return a;
}

int
cer_steplint_cert(X509 *cert, X509 *issuer, const struct cer_script *s,
    const struct cer_step *st, enum cer_lint_profile p, time_t at, const char *stage,
    json_t **record)
{
	const struct cer_lint_finding *f;
	struct cer_lint_result *res = NULL;
	const char **skip = NULL;
	json_t *verdicts = NULL;
	char when[21];
	int r = CER_ERR_INTERNAL, skipped_error;

	*record = NULL;
	cer_time_str(at, when);
	if ((skip = skip_list(s, st, strcmp(stage, "post-issuance") != 0)) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	if ((r = cer_lint_certificate(cert, issuer, p, at, skip, &res)) != CER_OK ||
	    (r = cer_lint_result_json(res, &verdicts)) != CER_OK)
		goto out;
	*record = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:o, s:O}", "step", st->id,
	    "stage", stage, "profile", cer_lint_profile_str(p), "at", when,
	    "errors", (json_int_t)cer_lint_result_errors(res),
	    "warnings", (json_int_t)cer_lint_result_warnings(res),
	    "notices", (json_int_t)cer_lint_result_notices(res),
	    "skipped", skips_json(s, st), "verdicts", verdicts);
	if (*record == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	r = (f = blocking(st, res, &skipped_error)) != NULL ? refuse(st, f,
	    skipped_error) : CER_OK;
 out:
	free(skip);
	json_decref(verdicts);
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
