/*
 * trial.c: ceremony rehearse.  The script is validated as the real run
 * will see it (its plan is what the summary shows); then a copy of it in
 * memory has every token on a throwaway SoftHSM token, every signing key
 * that a real token holds (an issuer from an earlier ceremony) replaced
 * by a stand-in, relative inputs made absolute and outputs kept inside
 * the rehearsal's directory, where the ceremony runs in this process
 * (cer_ceremony_run_script, as ceremony run).  The script's text, and so
 * its SHA-256 in the transcript, is unchanged: diff-transcripts compares
 * the rehearsal with the real run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include "base/util.h"
#include "record/tscheck.h"
#include "run/ceremony.h"
#include "run/throwaway.h"
#include "run/trial.h"
#include "run/validate.h"
#include "script/script.h"
#include "script/site.h"
#include "steps/step.h"
#include "x509/sign.h"

/* Outputs the script names outside its directory land here, below the rehearsal's. */
#define ELSEWHERE "_absolute"

struct trial {
	const struct cer_options *opt;
	struct cer_script *s;		/* the script as the real run will take it */
	struct cer_script *run;		/* the same text, reworked for the rehearsal */
	struct cer_site *site;
	struct cer_plan *plan;		/* the real run's, for the summary */
	json_t *notready;
	json_t *lint;			/* the plan-stage lint records (with what each certificate carries) */
	char *cwd;			/* where ceremony rehearse started */
	char *dir;			/* the rehearsal's directory, absolute */
	char *transcript;		/* in dir */
	struct cer_throwaway *tw;
	json_t *rec;			/* begin.options.rehearsal */
};

/* ---- the directory, and where outputs go ---- */

/* mkdir -p of the directory part of path (the file name is left alone). */
static int
make_parents(const char *path)
{
	char *p, *slash;
	int r = CER_OK;

	if ((p = strdup(path)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	for (slash = strchr(p + 1, '/'); slash != NULL && r == CER_OK;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST)
			r = cer_fail(CER_ERR_SYSTEM, "cannot make %s", p);
		*slash = '/';
	}
	free(p);
	return r;
}

/*
 * The path with ".", ".." and repeated slashes resolved as text, in a new
 * string; *escapes when a relative path climbs above its start.
 */
static char *
lexical(const char *path, int *escapes)
{
	char *out, *copy, *tok, *save = NULL;
	size_t n = 0, depth = 0;

	*escapes = 0;
	if ((out = calloc(1, strlen(path) + 2)) == NULL || (copy = strdup(path)) == NULL) {
		free(out);
		return NULL;
	}
	if (path[0] == '/')
		out[n++] = '/';
	for (tok = strtok_r(copy, "/", &save); tok != NULL; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0) {
			if (depth == 0) {
				*escapes = 1;
				continue;
			}
			depth--;
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 1 || (n == 1 && out[0] != '/'))
				n--;
			out[n] = '\0';
			continue;
		}
		n += (size_t)sprintf(out + n, "%s%s", n > 0 && out[n - 1] != '/' ? "/" : "", tok);
		depth++;
	}
	free(copy);
	return out;
}

/*
 * An output of the script: a relative path inside the run's directory
 * stays as written (the ceremony runs in the rehearsal's directory, so the
 * transcript records the path the real run will record); any other lands
 * below dir/_absolute/ at its absolute place.
 */
static int
place_output(struct trial *t, char **path, json_t *moved)
{
	char *abs = NULL, *norm = NULL, *there = NULL;
	int escapes = 0, r = CER_ERR_ALLOC;

	if ((*path)[0] != '/') {
		if ((norm = lexical(*path, &escapes)) == NULL)
			goto out;
		if (!escapes) {
			free(norm);
			if (asprintf(&there, "%s/%s", t->dir, *path) < 0)
				return cer_fail(CER_ERR_ALLOC, "out of memory");
			r = make_parents(there);
			free(there);
			return r;
		}
		free(norm);
		norm = NULL;
	}
	if (asprintf(&abs, "%s%s%s", (*path)[0] == '/' ? "" : t->cwd, (*path)[0] == '/' ?
	    "" : "/", *path) < 0) {
		abs = NULL;
		goto out;
	}
	if ((norm = lexical(abs, &escapes)) == NULL ||
	    asprintf(&there, "%s/" ELSEWHERE "%s", t->dir, norm) < 0) {
		there = NULL;
		goto out;
	}
	if ((r = make_parents(there)) != CER_OK)
		goto out;
	if (json_array_append_new(moved, json_pack("{s:s, s:s}", "path", *path,
	    "rehearsed_at", there)) != 0) {
		r = CER_ERR_ALLOC;
		goto out;
	}
	free(*path);
	*path = there;
	there = NULL;	/* transferred */
	r = CER_OK;
 out:
	free(abs);
	free(norm);
	free(there);
	return r == CER_ERR_ALLOC ? cer_fail(r, "out of memory") : r;
}

/* An input read from its real place: relative paths are relative to where rehearse started. */
static int
absolute_input(const struct trial *t, char **path)
{
	char *abs;

	if (*path == NULL || (*path)[0] == '/')
		return CER_OK;
	if (asprintf(&abs, "%s/%s", t->cwd, *path) < 0)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	free(*path);
	*path = abs;
	return CER_OK;
}

static int
place_files(struct trial *t)
{
	struct cer_step *st;
	json_t *moved = json_array();
	size_t i, j;
	int r = CER_OK;

	if (moved == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	for (i = 0; i < t->run->nsteps && r == CER_OK; i++) {
		st = &t->run->steps[i];
		for (j = 0; j < st->noutputs && r == CER_OK; j++)
			r = place_output(t, &st->outputs[j].path, moved);
		if (r == CER_OK && st->pkcs11_config != NULL)
			r = place_output(t, &st->pkcs11_config, moved);
		if (r == CER_OK && (r = absolute_input(t, &st->in_issuer_cert)) == CER_OK &&
		    (r = absolute_input(t, &st->in_public_key)) == CER_OK)
			r = absolute_input(t, &st->in_cross_cert);
	}
	if (r == CER_OK && json_object_set_new(t->rec, "outputs_moved", moved) != 0)
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
	else if (r != CER_OK)
		json_decref(moved);
	return r;
}

/* The rehearsal's directory: --keep DIR (new), else a temporary one. */
static int
make_dir(struct trial *t)
{
	const char *tmp = getenv("TMPDIR"), *keep = t->opt->keep_dir;
	char *made = NULL;

	if (keep != NULL) {
		if (mkdir(keep, 0755) == -1)
			return errno == EEXIST ? cer_fail(CER_ERR_USAGE, "--keep %s: it exists; "
			    "name a new directory for the rehearsal's outputs and transcript",
			    keep) : cer_fail(CER_ERR_USAGE, "--keep %s: cannot make it: %s", keep,
			    strerror(errno));
		if ((t->dir = realpath(keep, NULL)) == NULL)
			return cer_fail(CER_ERR_SYSTEM, "cannot resolve %s", keep);
		return CER_OK;
	}
	if (asprintf(&made, "%s/ceremony-rehearsal.XXXXXX", tmp != NULL && *tmp != '\0' ?
	    tmp : "/tmp") < 0)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	if (mkdtemp(made) == NULL) {
		free(made);
		return cer_fail(CER_ERR_SYSTEM, "cannot make a directory for the rehearsal");
	}
	t->dir = made;
	return CER_OK;
}

/* ---- stand-ins for keys only the real tokens hold ---- */

static int
stand_ins(struct trial *t)
{
	const struct cer_plan_step *ps;
	struct cer_step *st;
	json_t *list = json_array();
	char *path = NULL, **field;
	size_t i;
	int r = CER_OK;

	if (list == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	for (i = 0; i < t->run->nsteps && r == CER_OK; i++) {
		st = &t->run->steps[i];
		ps = &t->plan->steps[i];
		if (!(cer_step_impl(st->type)->flags & CER_STEP_SIGNS) ||
		    st->signing_key != CER_NO_INDEX || st->token == CER_NO_INDEX)
			continue;
		if (ps->unplanned || (ps->issuer_cert == NULL && ps->subject_pub == NULL)) {
			r = cer_fail_at(CER_ERR_INPUT, t->run->path, st->pos, "step %s reads files "
			    "that are not on this machine; a rehearsal reads what the real run "
			    "reads", st->id);
			break;
		}
		field = ps->issuer_cert != NULL ? &st->in_issuer_cert : &st->in_public_key;
		if ((r = cer_throwaway_stand_in(t->tw, st->token, st->label, ps->issuer_cert,
		    ps->issuer_cert != NULL ? NULL : ps->subject_pub, &path)) != CER_OK)
			break;
		if (json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "step", st->id,
		    "label", st->label, "in_place_of_the_key_of", *field, "input",
		    ps->issuer_cert != NULL ? "issuer-certificate-path" : "public-key-path")) != 0)
			r = cer_fail(CER_ERR_ALLOC, "out of memory");
		free(*field);
		*field = path;
		path = NULL;
	}
	if (r == CER_OK && json_object_set_new(t->rec, "stand_in_keys", list) != 0)
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
	else if (r != CER_OK)
		json_decref(list);
	return r;
}

/* ---- the checks after the run ---- */

static X509 *
pem_cert(const char *pem)
{
	BIO *b = pem != NULL ? BIO_new_mem_buf(pem, -1) : NULL;
	X509 *x = b != NULL ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;

	BIO_free(b);
	return x;
}

/*
 * OpenSSL's verifier, as `openssl verify -x509_strict -check_ss_sig
 * -partial_chain` with the certificate's issuer (itself for a root) as
 * the trust anchor, at the certificate's notBefore: the signature, the
 * issuer's name and key identifier, the CA's basic constraints and key
 * usage.  The dates themselves are the linter's.
 */
static int
verify_chain(const char *step, const char *pem, const char *issuer_pem)
{
	X509 *cert = pem_cert(pem), *issuer = issuer_pem != NULL ? pem_cert(issuer_pem) : NULL;
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *vc = X509_STORE_CTX_new();
	X509_VERIFY_PARAM *param;
	struct tm tm;
	int r = CER_ERR_VERIFY;

	if (cert == NULL || (issuer_pem != NULL && issuer == NULL) || store == NULL ||
	    vc == NULL || !X509_STORE_add_cert(store, issuer != NULL ? issuer : cert) ||
	    !X509_STORE_CTX_init(vc, store, cert, NULL) ||
	    ASN1_TIME_to_tm(X509_get0_notBefore(cert), &tm) != 1) {
		r = cer_fail(CER_ERR_OPENSSL, "step %s: cannot set up the chain check", step);
		goto out;
	}
	param = X509_STORE_CTX_get0_param(vc);
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT | X509_V_FLAG_PARTIAL_CHAIN |
	    X509_V_FLAG_CHECK_SS_SIGNATURE);
	X509_VERIFY_PARAM_set_time(param, timegm(&tm));
	if (X509_verify_cert(vc) == 1)
		r = CER_OK;
	else
		r = cer_fail(CER_ERR_VERIFY, "step %s: the certificate does not verify under its "
		    "issuer (OpenSSL, X.509 strict): %s", step,
		    X509_verify_cert_error_string(X509_STORE_CTX_get_error(vc)));
 out:
	X509_STORE_CTX_free(vc);
	X509_STORE_free(store);
	X509_free(cert);
	X509_free(issuer);
	return r;
}

static const char *
member(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The real issuer of step id when the rehearsal signed it with a stand-in, else NULL. */
static X509 *
real_issuer(const struct trial *t, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < t->s->nsteps; i++)
		if (strcmp(t->s->steps[i].id, id) == 0 && t->s->steps[i].signing_key == CER_NO_INDEX)
			return t->plan->steps[i].issuer_cert;
	return NULL;
}

/*
 * A certificate the rehearsal signed with a stand-in for a real issuer's
 * key: the real issuer could have issued it (its name, key identifier and
 * key usage, as OpenSSL matches an issuer), so the day's will chain.
 */
static int
would_chain(const struct trial *t, const char *step, const char *pem, int *n)
{
	X509 *issuer = real_issuer(t, step), *cert;
	int rc;

	if (issuer == NULL)
		return CER_OK;
	if ((cert = pem_cert(pem)) == NULL)
		return cer_fail(CER_ERR_VERIFY, "step %s: the certificate does not parse", step);
	rc = X509_check_issued(issuer, cert);
	X509_free(cert);
	if (rc != X509_V_OK)
		return cer_fail(CER_ERR_VERIFY, "step %s: the real issuer certificate could not "
		    "have issued it: %s", step, X509_verify_cert_error_string(rc));
	printf("%s %s", (*n)++ == 0 ? "checked: under the real issuer certificate (name, key "
	    "identifier, key usage; the signature is the stand-in's):" : ",", step);
	return CER_OK;
}

/* transcript verify --outputs, then every certificate's chain; one line each. */
static int
check_run(struct trial *t)
{
	struct cer_tscheck_opts o = { 1, t->dir, NULL };
	struct cer_tscheck_summary sum;
	struct cer_tscheck *ts = NULL;
	json_t *rec, *data;
	size_t i, n = 0;
	int r, real = 0;

	memset(&sum, 0, sizeof(sum));
	if ((r = cer_tscheck_open(t->transcript, &o, &ts, &sum)) != CER_OK)
		return cer_fail_prefix(CER_ERR_VERIFY, "the rehearsal's transcript");
	if (!sum.complete || sum.status == NULL || strcmp(sum.status, "ok") != 0) {
		r = cer_fail(CER_ERR_VERIFY, "%s does not end with 'end' ok", t->transcript);
		goto out;
	}
	printf("checked: transcript verify --outputs: %zu records, %zu key%s, %zu certificate%s, "
	    "%zu CSR%s, %zu output file%s, every signature and SHA-256: verified\n", sum.records,
	    sum.keys, sum.keys == 1 ? "" : "s", sum.certificates, sum.certificates == 1 ? "" :
	    "s", sum.csrs, sum.csrs == 1 ? "" : "s", sum.files, sum.files == 1 ? "" : "s");
	for (i = 0; i < cer_tscheck_count(ts); i++) {
		rec = cer_tscheck_record(ts, i);
		data = json_object_get(rec, "data");
		if (strcmp(member(rec, "event"), "certificate-signed") != 0)
			continue;
		if ((r = verify_chain(member(data, "step"), member(data, "pem"),
		    member(data, "issuer_pem"))) != CER_OK)
			goto out;
		printf("%s %s%s", n++ == 0 ? "checked: chains (OpenSSL, X.509 strict):" : ",",
		    member(data, "step"), member(data, "issuer_pem") == NULL ? " (self-signed)" :
		    " under its issuer");
	}
	if (n > 0)
		printf(": verified\n");
	for (i = 0; i < cer_tscheck_count(ts); i++) {
		rec = cer_tscheck_record(ts, i);
		data = json_object_get(rec, "data");
		if (strcmp(member(rec, "event"), "certificate-signed") == 0 &&
		    (r = would_chain(t, member(data, "step"), member(data, "pem"), &real)) != CER_OK)
			goto out;
	}
	if (real > 0)
		printf(": verified\n");
	r = CER_OK;
 out:
	cer_tscheck_free(ts);
	return r;
}

/* ---- the command ---- */

/* What stands in for what, before the run's own lines. */
static void
print_setup(const struct trial *t, time_t at)
{
	const json_t *v;
	char when[21];
	size_t i;

	cer_time_str(at, when);
	printf("== rehearsal of %s as of %s%s, in %s\n", t->s->path, when,
	    t->opt->has_at ? " (--at)" : "", t->dir);
	json_array_foreach(json_object_get(t->rec, "tokens"), i, v)
		printf("   token %s (%s%s%s) is throwaway SoftHSM token '%s'\n", member(v, "role"),
		    member(v, "module") != NULL ? member(v, "module") : "",
		    member(v, "module") != NULL ? ", " : "", member(v, "selects"),
		    member(v, "throwaway_token"));
	json_array_foreach(json_object_get(t->rec, "stand_in_keys"), i, v)
		printf("   step %s signs with a stand-in for the key of %s ('%s'): the real key "
		    "is on the real token\n", member(v, "step"), member(v, "in_place_of_the_key_of"),
		    member(v, "label"));
	json_array_foreach(json_object_get(t->rec, "outputs_moved"), i, v)
		printf("   output %s goes to %s\n", member(v, "path"), member(v, "rehearsed_at"));
	printf("\n");
	fflush(stdout);
}

/* The real plan, validated on this machine's real paths; the run's copy is then reworked. */
static int
prepare(struct trial *t, time_t at)
{
	json_t *tokens = NULL;
	char *tpath = NULL;
	const char *base;
	int r;

	if ((r = cer_ceremony_load(t->opt, &t->s, &t->site)) != CER_OK ||
	    (r = cer_validate_transcript_path(t->s->path, &tpath)) != CER_OK)
		goto out;
	if ((t->notready = json_array()) == NULL || (t->rec = json_object()) == NULL ||
	    (t->cwd = getcwd(NULL, 0)) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	/* the same bytes again, to rework: the real run's script stays as it is for the summary */
	if ((r = cer_validate(t->s, tpath, NULL, at, t->notready, &t->plan, &t->lint)) != CER_OK ||
	    (r = cer_script_parse(t->s->path, t->s->text, t->s->text_len, &t->run)) != CER_OK ||
	    (t->site != NULL && (r = cer_site_apply(t->site, t->run)) != CER_OK) ||
	    (r = make_dir(t)) != CER_OK || (r = cer_throwaway_new(&t->tw)) != CER_OK ||
	    (r = cer_throwaway_tokens(t->tw, t->run, &tokens)) != CER_OK)
		goto out;
	json_object_set_new(t->rec, "tokens", tokens);
	base = strrchr(tpath, '/') != NULL ? strrchr(tpath, '/') + 1 : tpath;
	if (json_object_set_new(t->rec, "directory", json_string(t->dir)) != 0 ||
	    json_object_set_new(t->rec, "outputs_elsewhere_under", json_string(
	    ELSEWHERE)) != 0 || asprintf(&t->transcript, "%s/%s", t->dir, base) < 0) {
		t->transcript = NULL;
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	if ((r = stand_ins(t)) != CER_OK || (r = place_files(t)) != CER_OK)
		goto out;
 out:
	free(tpath);
	return r;
}

/* The ceremony itself, in the rehearsal's directory, answering yes. */
static int
run(struct trial *t)
{
	struct cer_options o;
	int r;

	memset(&o, 0, sizeof(o));
	o.script_path = t->run->path;
	o.transcript_path = t->transcript;
	o.yes = 1;
	o.has_at = t->opt->has_at;
	o.at = t->opt->at;
	o.rehearsal = t->rec;
	if (chdir(t->dir) == -1)
		return cer_fail(CER_ERR_SYSTEM, "cannot enter %s", t->dir);
	r = cer_ceremony_run_script(&o, t->run, t->site);
	if (chdir(t->cwd) == -1 && r == CER_OK)
		r = cer_fail(CER_ERR_SYSTEM, "cannot return to %s", t->cwd);
	return r;
}

static void
summary(const struct trial *t, int r)
{
	printf("\nthe throwaway tokens are removed; nothing was written at the script's output "
	    "paths, and no module the script names was loaded\n");
	if (r == CER_OK) {
		printf("\n== what the real run will do\n");
		cer_ceremony_print_plan(t->s, t->plan, t->notready, t->lint);
	}
	if (t->opt->keep_dir != NULL)
		printf("\nkept in %s: the transcript %s and the outputs, at the paths the script "
		    "names below it%s\n", t->dir, t->transcript, json_array_size(json_object_get(
		    t->rec, "outputs_moved")) > 0 ? " (outside its directory: below " ELSEWHERE
		    "/)" : "");
	else
		printf("\nthe rehearsal's outputs and transcript are removed (--keep DIR keeps "
		    "them)\n");
}

int
cer_trial_run(const struct cer_options *opt)
{
	struct sigaction old[CER_CTX_NSIGNALS];
	struct trial t;
	char detail[1024];
	time_t at = opt->has_at ? opt->at : time(NULL);
	int r, began = 0;

	memset(&t, 0, sizeof(t));
	t.opt = opt;
	/* a signal stops the rehearsal through the same path: the tokens are removed */
	cer_ctx_catch_signals(old);
	if ((r = prepare(&t, at)) == CER_OK && (r = cer_ctx_interrupted()) == CER_OK) {
		print_setup(&t, at);
		began = 1;
		if ((r = run(&t)) == CER_OK)
			r = check_run(&t);
	}
	/* the failure, as main will print it: removing the tokens must not overwrite it */
	snprintf(detail, sizeof(detail), "%s%s", began && r != CER_OK ?
	    "the rehearsal failed: " : "", cer_err_detail());
	cer_throwaway_free(t.tw);
	if (t.dir != NULL && (opt->keep_dir == NULL || !began) &&	/* --keep DIR: made for nothing */
	    cer_throwaway_remove_tree(t.dir) != CER_OK)
		fprintf(stderr, "ceremony: warning: %s\n", cer_err_detail());
	if (began)
		summary(&t, r);
	if (r != CER_OK)	/* (no position, so nothing is appended to the text again) */
		cer_fail_at(r, t.s != NULL ? t.s->path : "", (struct cer_pos){ 0, 0 }, "%s", detail);
	cer_plan_free(t.plan);
	json_decref(t.notready);
	json_decref(t.lint);
	json_decref(t.rec);
	cer_script_free(t.s);
	cer_script_free(t.run);
	cer_site_free(t.site);
	free(t.cwd);
	free(t.dir);
	free(t.transcript);
	cer_sign_forget();
	cer_ctx_restore_signals(old);
	return r;
}
