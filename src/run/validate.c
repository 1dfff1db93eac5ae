/* validate.c: the phase before any HSM is opened: paths, PIN sources, the plan, the rehearsal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/outfile.h"
#include "run/pin.h"
#include "run/rehearse.h"
#include "run/steplint.h"
#include "run/validate.h"
#include "steps/step.h"

/*
 * A problem of this machine rather than of the script: listed in notready
 * (ceremony check), or the failure it is (a run, check --ready).
 */
static int
not_ready(json_t *notready, int r)
{
	if (r == CER_OK || notready == NULL || r == CER_ERR_ALLOC)
		return r;
	if (json_array_append_new(notready, json_string(cer_err_detail())) != 0)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	cer_err_clear();
	return CER_OK;
}

/* The token's module is a file here; a role the script leaves to a site file needs one. */
static int
check_module(const struct cer_script *s, size_t i)
{
	const struct cer_token_spec *t = &s->tokens[i];
	struct stat st;

	if (t->module == NULL)
		return cer_fail_at(CER_ERR_USAGE, s->path, t->pos, "token '%s' is a role the "
		    "script leaves to a site file; give --site FILE saying which module, token "
		    "and PIN it is here", t->name);
	if (stat(t->module, &st) == -1 || !S_ISREG(st.st_mode))
		return cer_fail_at(CER_ERR_INPUT, cer_script_token_file(s, i), t->module_pos,
		    "PKCS#11 module %s does not exist or is not a file; check module:",
		    t->module);
	return CER_OK;
}

static int
check_pin_source(const struct cer_script *s, size_t i)
{
	const struct cer_token_spec *t = &s->tokens[i];

	if (t->module == NULL || cer_pin_check(t->pin, t->pin_literal, t->name) == CER_OK)
		return CER_OK;
	return cer_fail_prefix(CER_ERR_INPUT, "%s:%u:%u", cer_script_token_file(s, i),
	    t->pin_pos.line, t->pin_pos.col);
}

struct out_path {
	const char *path;
	const char *step;	/* NULL for the transcript */
	char where[300];
	char *canonical;
};

static void
add_output(const struct cer_script *s, const char *step, const char *path, struct cer_pos pos,
    struct out_path *o, size_t *n)
{
	if (path == NULL)
		return;
	o[*n].path = path;
	o[*n].step = step;
	snprintf(o[*n].where, sizeof(o->where), "%s:%u:%u", s->path, pos.line, pos.col);
	(*n)++;
}

/* Every output of the script, its pkcs11 configs and the transcript, with where each is named. */
static size_t
list_outputs(const struct cer_script *s, const char *transcript, struct out_path *o)
{
	const struct cer_step *st;
	size_t i, j, n = 0;

	for (i = 0; i < s->nsteps; i++) {
		st = &s->steps[i];
		for (j = 0; j < st->noutputs; j++)
			add_output(s, st->id, st->outputs[j].path, st->outputs[j].pos, o, &n);
		add_output(s, st->id, st->pkcs11_config, st->pkcs11_config_pos, o, &n);
	}
	if (transcript != NULL) {
		o[n].step = NULL;
		o[n].path = transcript;
		snprintf(o[n++].where, sizeof(o->where), "transcript");
	}
	return n;
}

/*
 * Resuming: the transcript itself, an output the transcript records
 * (checked against its SHA-256 already), or an output of a step that had
 * not finished (compared with what the step makes when it gets there: it
 * may have been linked just before the kill).
 */
static int
written_before(const struct cer_script *s, const struct cer_resume *res,
    const struct out_path *o)
{
	size_t i;

	if (res == NULL)
		return 0;
	if (o->step == NULL || cer_resume_wrote(res, o->step, o->path))
		return 1;
	for (i = 0; i < s->nsteps; i++)
		if (strcmp(s->steps[i].id, o->step) == 0)
			return !res->steps[i].done;
	return 0;
}

/*
 * Each output is new, in an existing directory, and no two name the same
 * file; when resuming, what the transcript says was written is there.  An
 * output that is not ready on this machine (notready) is not compared.
 */
static int
check_outputs(const struct cer_script *s, const char *transcript, const struct cer_resume *res,
    json_t *notready)
{
	struct out_path *o;
	size_t i, j, n = 0;
	int r = CER_OK, here;

	if ((o = calloc((CER_STEP_MAX_OUTPUTS + 1) * s->nsteps + 1, sizeof(*o))) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	n = list_outputs(s, transcript, o);
	for (i = 0; i < n && r == CER_OK; i++) {
		here = written_before(s, res, &o[i]) ||
		    (r = cer_outfile_check(o[i].path, o[i].where)) == CER_OK;
		if (here)
			r = cer_outfile_canonical(o[i].path, &o[i].canonical);
		else if (r != CER_ERR_SCRIPT)	/* a path no machine can create */
			r = not_ready(notready, r);
	}
	for (i = 0; i < n && r == CER_OK; i++)
		for (j = 0; j < i && r == CER_OK; j++)
			if (o[i].canonical != NULL && o[j].canonical != NULL &&
			    strcmp(o[i].canonical, o[j].canonical) == 0)
				r = cer_fail(CER_ERR_SCRIPT,
				    "%s: output %s is the same file as %s "
				    "(named at %s); give each output its own path", o[i].where,
				    o[i].path, o[j].path, o[j].where);
	for (i = 0; i < n; i++)
		free(o[i].canonical);
	free(o);
	return r;
}

/*
 * ceremony check without --ready: an input file that is not on this
 * machine (an earlier ceremony's output) is listed, and its step is not
 * planned.  1 when the step's inputs are all here.
 */
static int
inputs_here(const struct cer_script *s, size_t i, json_t *notready, int *r)
{
	const struct cer_step *st = &s->steps[i];
	const struct { const char *path, *field; struct cer_pos pos; } in[] = {
		{ st->in_issuer_cert, "issuer-certificate-path", st->in_issuer_cert_pos },
		{ st->in_public_key, "public-key-path", st->in_public_key_pos },
		{ st->in_cross_cert, "certificate-to-cross-sign-path", st->in_cross_cert_pos },
	};
	size_t k;
	int here = 1;

	*r = CER_OK;
	for (k = 0; notready != NULL && *r == CER_OK && k < sizeof(in) / sizeof(in[0]); k++)
		if (in[k].path != NULL && access(in[k].path, F_OK) == -1) {
			here = 0;
			*r = not_ready(notready, cer_fail_at(CER_ERR_INPUT, s->path, in[k].pos,
			    "inputs.%s %s is not on this machine (step %s is neither planned nor "
			    "rehearsed)", in[k].field, in[k].path, st->id));
		}
	return here;
}

/* A step that needs the certificate or key of an unplanned step is not rehearsed either. */
static void
unplanned_after(const struct cer_script *s, struct cer_plan *p, size_t i)
{
	const struct cer_step *st = &s->steps[i];
	const size_t refs[] = { st->issuer, st->cross_of, st->subject_key, st->signing_key };
	size_t k;

	for (k = 0; k < sizeof(refs) / sizeof(refs[0]); k++)
		if (refs[k] != CER_NO_INDEX && p->steps[refs[k]].unplanned)
			p->steps[i].unplanned = 1;
}

/* Each step's inputs, then the checks its type needs. */
static int
plan_steps(const struct cer_script *s, const struct cer_resume *res, json_t *notready,
    struct cer_plan **out)
{
	const struct cer_step_impl *impl;
	struct cer_plan *p;
	size_t i;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if ((p = cer_plan_new(s->nsteps)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	for (i = 0; i < s->nsteps; i++) {
		impl = cer_step_impl(s->steps[i].type);
		p->steps[i].resuming = res != NULL;
		if (!inputs_here(s, i, notready, &r)) {
			p->steps[i].unplanned = 1;
			p->steps[i].alg = s->steps[i].profile.sigalg;
		}
		if (r != CER_OK)
			goto out;
		if (p->steps[i].unplanned)
			continue;
		if ((r = cer_plan_inputs(s, i, impl->flags & CER_STEP_SIGNS, &p->steps[i])) !=
		    CER_OK || (impl->plan != NULL && (r = impl->plan(s, i,
		    &p->steps[i])) != CER_OK))
			goto out;
		unplanned_after(s, p, i);
	}
	*out = p;
	p = NULL; /* transferred */
	r = CER_OK;
 out:
	cer_plan_free(p);
	return r;
}

int
cer_validate_plan(const struct cer_script *s, struct cer_plan **out)
{
	return plan_steps(s, NULL, NULL, out);
}

/*
 * Everything that needs no HSM: modules, PIN sources, outputs, the inputs
 * (the plan), then every certificate rehearsed in software and linted at
 * the signing time, so a profile that breaks a rule stops here.
 */
int
cer_validate(const struct cer_script *s, const char *transcript, const struct cer_resume *res,
    time_t at, json_t *notready, struct cer_plan **plan, json_t **lint)
{
	size_t i;
	int r;

	for (i = 0; i < s->ntokens; i++) {
		if (!cer_script_token_used(s, i))
			continue;
		if ((r = not_ready(notready, check_module(s, i))) != CER_OK ||
		    (r = not_ready(notready, check_pin_source(s, i))) != CER_OK)
			return r;
	}
	if ((r = check_outputs(s, transcript, res, notready)) != CER_OK ||
	    (r = cer_steplint_check_skips(s)) != CER_OK ||
	    (r = plan_steps(s, res, notready, plan)) != CER_OK)
		return r;
	return cer_rehearse(s, *plan, at, lint);
}

/* <script without .yaml/.yml>.transcript.jsonl */
int
cer_validate_transcript_path(const char *script, char **out)
{
	size_t n = strlen(script);

	if (n > 5 && strcmp(script + n - 5, ".yaml") == 0)
		n -= 5;
	else if (n > 4 && strcmp(script + n - 4, ".yml") == 0)
		n -= 4;
	if (asprintf(out, "%.*s.transcript.jsonl", (int)n, script) < 0) {
		*out = NULL;
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	}
	return CER_OK;
}
