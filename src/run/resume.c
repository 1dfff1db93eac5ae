/* resume.c: an interrupted ceremony's transcript, sorted by step for --resume. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run/resume.h"
#include "record/tscheck.h"

static const char *
member(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The index of the step with this id, or CER_NO_INDEX. */
static size_t
step_index(const struct cer_script *s, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < s->nsteps; i++)
		if (strcmp(s->steps[i].id, id) == 0)
			return i;
	return CER_NO_INDEX;
}

/* The serial of a confirmed signature ("serial" hex in the confirmation). */
static void
confirmed_serial(struct cer_resume_step *rs, const json_t *data)
{
	const char *hex = member(data, "serial");
	size_t n = hex != NULL ? strlen(hex) / 2 : 0, i;
	unsigned int b;

	rs->serial_len = 0;
	if (n == 0 || n > sizeof(rs->serial))
		return;
	for (i = 0; i < n; i++) {
		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return;
		rs->serial[i] = (unsigned char)b;
	}
	rs->serial_len = n;
}

/* One record: what it says of its step. */
static int
sort_record(struct cer_resume *r, const struct cer_script *s, const json_t *rec)
{
	const char *event = member(rec, "event");
	json_t *data = json_object_get(rec, "data");
	size_t i = step_index(s, member(data, "step"));
	struct cer_resume_step *rs;

	if ((strcmp(event, "output") == 0 && json_array_append(r->outputs, data) != 0) ||
	    (strcmp(event, "pkcs11-config") == 0 && json_array_append(r->pkcs11_configs,
	    data) != 0))
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	if (i == CER_NO_INDEX)
		return CER_OK;
	rs = &r->steps[i];
	if (strcmp(event, "step-end") == 0 && member(data, "status") != NULL &&
	    strcmp(member(data, "status"), "ok") == 0)
		rs->done = 1;
	else if (strcmp(event, "key-generated") == 0)
		rs->key = data;
	else if (strcmp(event, "key-created") == 0 && member(data, "id") != NULL) {
		snprintf(rs->own_id, sizeof(rs->own_id), "%s", member(data, "id"));
		rs->destroyed = 0;
	} else if (strcmp(event, "key-refused") == 0 && member(data, "id") != NULL)
		snprintf(rs->refused_id, sizeof(rs->refused_id), "%s", member(data, "id"));
	else if (strcmp(event, "key-destroyed") == 0) {
		rs->refused_id[0] = rs->own_id[0] = '\0';
		rs->destroyed = 1;
	}
	else if (strcmp(event, "certificate-signed") == 0 || strcmp(event, "csr-signed") == 0 ||
	    strcmp(event, "crl-signed") == 0)
		rs->signed_rec = data;
	else if (strcmp(event, "confirmation") == 0 && json_is_null(json_object_get(data,
	    "tbs_sha256"))) {
		rs->keygen_confirmed = 1;
		rs->destroyed = 0;	/* a new generation: killed before key-created, maybe */
	}
	else if (strcmp(event, "confirmation") == 0)
		confirmed_serial(rs, data);
	return CER_OK;
}

static int
same_script(const struct cer_resume *r, const struct cer_tscheck *t, const struct cer_script *s)
{
	const char *want = member(json_object_get(cer_tscheck_record(t, 0), "data"),
	    "script_sha256");
	char *hex = NULL;
	int r2;

	if ((r2 = cer_sha256_hex(s->text, s->text_len, &hex)) != CER_OK)
		return r2;
	r2 = want != NULL && strcmp(want, hex) == 0 ? CER_OK :
	    cer_fail(CER_ERR_USAGE, "%s began with another script (SHA-256 %s, this one %s); "
	    "resume with the script the ceremony began with", r->path,
	    want != NULL ? want : "?",
	    hex);
	free(hex);
	return r2;
}

/*
 * The site file says which physical token each role is: a resume with
 * another one (or with one where the ceremony began without, or the other
 * way round) could sign the rest with another token's keys of the same label.
 */
static int
same_site(const struct cer_resume *r, const struct cer_tscheck *t, const struct cer_site *site)
{
	const char *want = member(json_object_get(cer_tscheck_record(t, 0), "data"),
	    "site_sha256");
	char *hex = NULL;
	int rc;

	if (site == NULL)
		return want == NULL ? CER_OK : cer_fail(CER_ERR_USAGE, "%s began with a site file "
		    "(SHA-256 %s); resume with the same --site", r->path, want);
	if ((rc = cer_sha256_hex(site->doc->text, site->doc->text_len, &hex)) != CER_OK)
		return rc;
	if (want == NULL)
		rc = cer_fail(CER_ERR_USAGE, "%s began without a site file; resume without --site",
		    r->path);
	else if (strcmp(want, hex) != 0)
		rc = cer_fail(CER_ERR_USAGE, "%s began with another site file (SHA-256 %s, this "
		    "one %s); resume with the site file the ceremony began with", r->path, want, hex);
	free(hex);
	return rc;
}

/*
 * Relative output paths are relative to the directory the ceremony began
 * in (begin.cwd): continuing elsewhere would put the rest of its outputs
 * where neither the transcript nor an auditor looks.
 */
static int
same_directory(const struct cer_resume *r, const struct cer_tscheck *t)
{
	const char *began = member(json_object_get(cer_tscheck_record(t, 0), "data"), "cwd");
	char *here;
	int rc = CER_OK;

	if (began == NULL)	/* a transcript from before begin recorded it */
		return CER_OK;
	if ((here = getcwd(NULL, 0)) == NULL)
		return cer_fail(CER_ERR_SYSTEM, "cannot find the current directory");
	if (strcmp(here, began) != 0)
		rc = cer_fail(CER_ERR_USAGE, "%s began in %s; resume it from there (its relative "
		    "output paths are relative to that directory)", r->path, began);
	free(here);
	return rc;
}

static int
sort_all(struct cer_resume *r, const struct cer_tscheck *t, const struct cer_script *s)
{
	size_t i;
	int rc;

	for (i = 0; i < cer_tscheck_count(t); i++)
		if ((rc = sort_record(r, s, cer_tscheck_record(t, i))) != CER_OK)
			return rc;
	/* the records outlive the checker */
	for (i = 0; i < r->nsteps; i++) {
		if (r->steps[i].key != NULL)
			json_incref(r->steps[i].key);
		if (r->steps[i].signed_rec != NULL)
			json_incref(r->steps[i].signed_rec);
	}
	for (r->first = 0; r->first < r->nsteps && r->steps[r->first].done; r->first++)
		;
	return CER_OK;
}

int
cer_resume_load(const char *path, const struct cer_script *s, const struct cer_site *site,
    struct cer_resume **out)
{
	struct cer_tscheck_opts o = { 1, ".", NULL };
	struct cer_tscheck_summary sum;
	struct cer_tscheck *t = NULL;
	struct cer_resume *r = NULL;
	struct stat st;
	int rc = CER_ERR_INTERNAL;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL || (r->path = strdup(path)) == NULL ||
	    (r->outputs = json_array()) == NULL || (r->pkcs11_configs = json_array()) == NULL ||
	    (r->steps = calloc(s->nsteps + 1, sizeof(*r->steps))) == NULL) {
		rc = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	r->nsteps = s->nsteps;
	if (stat(path, &st) == -1) {
		rc = cer_fail(CER_ERR_INPUT, "cannot read transcript %s to resume", path);
		goto out;
	}
	r->size = st.st_size;
	if ((rc = cer_tscheck_load(path, &t)) != CER_OK ||
	    (rc = same_script(r, t, s)) != CER_OK ||
	    (rc = same_site(r, t, site)) != CER_OK ||
	    (rc = same_directory(r, t)) != CER_OK ||
	    (rc = cer_tscheck_verify(t, &o, &sum)) != CER_OK)
		goto out;
	if (sum.complete && sum.status != NULL && strcmp(sum.status, "ok") == 0) {
		rc = cer_fail(CER_ERR_USAGE, "%s records a ceremony that finished; there is "
		    "nothing to resume", path);
		goto out;
	}
	r->nrecords = cer_tscheck_count(t);
	cer_tscheck_digest(t, r->digest);
	if ((rc = sort_all(r, t, s)) != CER_OK)
		goto out;
	*out = r;
	r = NULL; /* transferred */
	rc = CER_OK;
 out:
	cer_tscheck_free(t);
	cer_resume_free(r);
	return rc;
}

static int
listed(const json_t *list, const char *step, const char *path)
{
	json_t *o;
	size_t i;

	json_array_foreach(list, i, o)
		if (member(o, "step") != NULL && member(o, "path") != NULL &&
		    strcmp(member(o, "step"), step) == 0 && strcmp(member(o, "path"),
		    path) == 0)
			return 1;
	return 0;
}

int
cer_resume_wrote(const struct cer_resume *r, const char *step, const char *path)
{
	return r != NULL && (listed(r->outputs, step, path) ||
	    listed(r->pkcs11_configs, step, path));
}

void
cer_resume_free(struct cer_resume *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; r->steps != NULL && i < r->nsteps; i++) {
		json_decref(r->steps[i].key);
		json_decref(r->steps[i].signed_rec);
	}
	free(r->steps);
	json_decref(r->outputs);
	json_decref(r->pkcs11_configs);
	free(r->path);
	free(r);
}
