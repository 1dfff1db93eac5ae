/*
 * step-ocsp-plan.c: an ocsp-response step's input files and the rules
 * across them, checked before any HSM is opened (the issuer can sign
 * responses itself, a delegated responder is the issuer's with
 * OCSPSigning and valid over the whole window, every certificate was
 * issued by the issuer, the window fits each certificate's kind, no
 * output is there yet), and the builder of each response, which the
 * rehearsal and the run share.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "base/br.h"
#include "base/util.h"
#include "run/steplint.h"
#include "steps/step-ocsp.h"

/*
 * BR 4.9.9: "OCSP responses for Subscriber Certificates MUST have a
 * validity interval greater than or equal to eight hours and less than or
 * equal to ten days", the interval being nextUpdate - thisUpdate
 * "inclusive" (one second more than the difference).
 */
#define SUBSCRIBER_MIN_SECONDS	(8 * 3600)
#define SUBSCRIBER_MAX_SECONDS	(10 * CER_BR_DAY)

/* A directory may hold this many certificates (a step's list is held in memory). */
#define ITEMS_MAX 1000000

const struct cer_ocsp_plan *
cer_step_ocsp_plan_of(const struct cer_plan_step *ps)
{
	return ps->own;
}

size_t
cer_step_ocsp_count(const struct cer_step *st, const struct cer_plan_step *ps)
{
	const struct cer_ocsp_plan *op = cer_step_ocsp_plan_of(ps);

	return cer_step_ocsp_of(st)->ncerts + (op != NULL ? op->nitems : 0);
}

int
cer_step_ocsp_serial_hex(const struct cer_ocsp_about *a, char **out)
{
	return cer_hex(a->serial, a->serial_len, out);
}

/* What a response needs of its certificate. */
static int
about_of(X509 *x, struct cer_ocsp_about *a)
{
	const ASN1_INTEGER *sn = X509_get0_serialNumber(x);
	unsigned int n = 0;

	if (ASN1_STRING_length(sn) < 1 || ASN1_STRING_length(sn) > 20)
		return CER_ERR_VERIFY;
	a->serial_len = (size_t)ASN1_STRING_length(sn);
	memcpy(a->serial, ASN1_STRING_get0_data(sn), a->serial_len);
	return X509_digest(x, EVP_sha256(), a->sha256, &n) == 1 ? CER_OK :
	    cer_fail(CER_ERR_OPENSSL, "cannot hash a certificate");
}

static void
plan_free(void *p)
{
	struct cer_ocsp_plan *op = p;
	size_t i;

	if (op == NULL)
		return;
	X509_free(op->issuer);
	X509_free(op->signer);
	for (i = 0; i < op->nitems; i++)
		free(op->items[i].path);
	free(op->items);
	free(op);
}

/* The window lies inside the validity of the certificate that signs (Boulder; MRSP 6). */
static int
inside(const struct cer_script *s, const struct cer_ocsp_step *o, const char *who,
    time_t not_before, time_t not_after)
{
	char when[21];

	if (o->p.this_update < not_before) {
		cer_time_str(not_before, when);
		return cer_fail_at(CER_ERR_SCRIPT, s->path, o->this_update_pos, "this-update is "
		    "before %s is valid (notBefore %s); move it to %s or later", who, when, when);
	}
	if (o->p.next_update > not_after) {
		cer_time_str(not_after, when);
		return cer_fail_at(CER_ERR_SCRIPT, s->path, o->next_update_pos, "%s expires "
		    "before next-update (notAfter %s): a response must not outlive the "
		    "certificate that signs it (MRSP 6; Boulder's check); move next-update to %s "
		    "or earlier", who, when, when);
	}
	return CER_OK;
}

/* A CA signing responses itself asserts digitalSignature (BR 7.1.2.10.7; ocsp.ca_digsig). */
static int
issuer_signs(const struct cer_script *s, const struct cer_step *st, X509 *issuer)
{
	const struct cer_cert_profile *p;
	int ok;

	if (issuer != NULL) {
		if (X509_check_ca(issuer) < 1)
			return cer_fail_at(CER_ERR_INPUT, s->path, st->in_issuer_cert_pos, "%s is "
			    "not a CA certificate; check inputs.issuer-certificate-path",
			    st->in_issuer_cert);
		ok = !(X509_get_extension_flags(issuer) & EXFLAG_KUSAGE) ||
		    (X509_get_key_usage(issuer) & KU_DIGITAL_SIGNATURE);
	} else {
		p = &s->steps[st->issuer].profile;
		ok = p->has_key_usages && (p->key_usages & CER_KU_DIGITAL_SIGNATURE);
	}
	if (ok)
		return CER_OK;
	return cer_fail_at(CER_ERR_SCRIPT, s->path, issuer != NULL ? st->in_issuer_cert_pos :
	    st->issuer_pos, "the issuer's keyUsage lacks Digital Signature, so it cannot sign "
	    "OCSP responses itself (BR 7.1.2.10.7, rule ocsp.ca_digsig): sign through a "
	    "delegated responder (signer: an ocsp-signer step, or "
	    "inputs.delegated-issuer-certificate-path), or give the CA Digital Signature");
}

/* A delegated responder from a file: the issuer's, OCSPSigning, digitalSignature, a good key. */
static int
responder_ok(const struct cer_script *s, const struct cer_ocsp_step *o, X509 *issuer,
    X509 *sg)
{
	const char *why = NULL;

	if (X509_check_issued(issuer, sg) != X509_V_OK || X509_verify(sg,
	    X509_get0_pubkey(issuer)) != 1)
		why = "was not issued by the issuer (name and signature): a delegated responder "
		    "speaks only for the CA that issued it (RFC 6960 4.2.2.2)";
	else if (!(X509_get_extension_flags(sg) & EXFLAG_XKUSAGE) ||
	    !(X509_get_extended_key_usage(sg) & XKU_OCSP_SIGN))
		why = "has no OCSPSigning extended key usage, so relying parties will not "
		    "accept its responses (RFC 6960 4.2.2.2; BR 7.1.2.8.5)";
	else if ((X509_get_extension_flags(sg) & EXFLAG_KUSAGE) &&
	    !(X509_get_key_usage(sg) & KU_DIGITAL_SIGNATURE))
		why = "has no digitalSignature key usage (BR 7.1.2.8.7)";
	else if (cer_steplint_key(X509_get0_pubkey(sg), NULL) != CER_OK)
		why = cer_err_detail();
	ERR_clear_error();
	if (why == NULL)
		return CER_OK;
	return cer_fail_at(CER_ERR_INPUT, s->path, o->in_signer_pos, "the delegated responder "
	    "%s %s; check inputs.delegated-issuer-certificate-path", o->in_signer, why);
}

/*
 * The issuer and the signer from files: the issuer certificate stays in the
 * plan's own part; the certificate whose key signs goes into issuer_cert,
 * whose key the prepare phase finds on the token (Boulder's openSigner
 * with the delegated issuer's key).
 */
static int
signer_files(const struct cer_script *s, const struct cer_ocsp_step *o,
    struct cer_plan_step *ps, struct cer_ocsp_plan *op)
{
	int r;

	if (ps->issuer_cert != NULL && X509_up_ref(ps->issuer_cert) == 1)
		op->issuer = ps->issuer_cert;
	if (o->in_signer == NULL)
		return CER_OK;
	if (cer_plan_read_cert(o->in_signer, &op->signer) != CER_OK)
		return cer_fail_at(CER_ERR_INPUT, s->path, o->in_signer_pos, "%s; check "
		    "inputs.delegated-issuer-certificate-path", cer_err_detail());
	if ((r = responder_ok(s, o, op->issuer, op->signer)) != CER_OK)
		return r;
	X509_free(ps->issuer_cert);
	ps->issuer_cert = op->signer;
	X509_up_ref(op->signer);
	return CER_OK;
}

/* The signature algorithm: the profile's or the signing key's default, and it fits. */
static int
algorithm(const struct cer_script *s, const struct cer_step *st, const struct cer_ocsp_step *o,
    struct cer_plan_step *ps)
{
	EVP_PKEY *k;
	char group[64] = "";
	enum cer_key_type type;
	enum cer_curve curve = CER_CURVE_NONE;

	if (st->signing_key != CER_NO_INDEX) {	/* the loader fitted it to the key step */
		ps->alg = st->profile.sigalg;
		return CER_OK;
	}
	k = X509_get0_pubkey(ps->issuer_cert);
	type = EVP_PKEY_is_a(k, "RSA") ? CER_KEY_RSA : EVP_PKEY_is_a(k, "ED25519") ?
	    CER_KEY_ED25519 : CER_KEY_EC;
	if (type == CER_KEY_EC && EVP_PKEY_get_utf8_string_param(k, "group", group,
	    sizeof(group), NULL) == 1)
		curve = cer_alg_curve_by_group(group);
	ps->alg = o->sigalg != CER_SIG_NONE ? o->sigalg : cer_sigalg_default(type, curve);
	if ((type == CER_KEY_EC && curve == CER_CURVE_NONE) || !cer_sigalg_fits(ps->alg, type,
	    curve))
		return cer_fail_at(CER_ERR_SCRIPT, s->path, o->sigalg_pos.line != 0 ?
		    o->sigalg_pos : o->profile_pos, "signature-algorithm %s does not fit the "
		    "signing key (the key of %s)", cer_sigalg_name(ps->alg),
		    o->in_signer != NULL ? o->in_signer : st->in_issuer_cert);
	if (type == CER_KEY_ED25519 && !s->private_hierarchy)
		return cer_fail_at(CER_ERR_SCRIPT, s->path, o->profile_pos, "the signing key is "
		    "Ed25519, which a publicly trusted TLS hierarchy may not use (BR 6.1.5); for a "
		    "private hierarchy write 'hierarchy: private'");
	return CER_OK;
}

/* A step's certificate: its profile's validity. */
static int
inside_step(const struct cer_script *s, const struct cer_ocsp_step *o, size_t k,
    const char *role)
{
	const struct cer_cert_profile *p = &s->steps[k].profile;
	char who[128];

	snprintf(who, sizeof(who), "the %s (step %s)", role, s->steps[k].id);
	return inside(s, o, who, p->not_before, p->not_after);
}

/* BR 4.9.9: a response about a subscriber certificate is valid 8 hours to 10 days. */
static int
subscriber_window(const struct cer_script *s, const struct cer_ocsp_step *o, const char *path)
{
	long long interval = (long long)(o->p.next_update - o->p.this_update) + 1;

	if (interval >= SUBSCRIBER_MIN_SECONDS && interval <= SUBSCRIBER_MAX_SECONDS)
		return CER_OK;
	return cer_fail_at(CER_ERR_SCRIPT, s->path, o->next_update_pos, "%s is a subscriber "
	    "certificate (not a CA): BR 4.9.9 wants a response about it valid at least 8 "
	    "hours and at most 10 days, thisUpdate to nextUpdate inclusive, and this one is "
	    "%lld seconds; move next-update", path, interval);
}

/* One certificate file: issued by the issuer, its serial; the window fits its kind. */
static int
read_item(const struct cer_script *s, const struct cer_ocsp_step *o, X509 *issuer,
    struct cer_ocsp_item *it, struct cer_pos pos)
{
	X509 *x = NULL;
	int r = CER_OK;

	if (cer_plan_read_cert(it->path, &x) != CER_OK)
		return cer_fail_at(CER_ERR_INPUT, s->path, pos, "%s", cer_err_detail());
	if (X509_check_issued(issuer, x) != X509_V_OK ||
	    X509_verify(x, X509_get0_pubkey(issuer)) != 1)
		r = cer_fail_at(CER_ERR_INPUT, s->path, pos, "%s was not issued by the issuer "
		    "(name and signature); a CA signs OCSP responses about its own certificates "
		    "only", it->path);
	else if ((r = about_of(x, &it->about)) == CER_ERR_VERIFY)
		r = cer_fail_at(CER_ERR_INPUT, s->path, pos, "%s has a serial of %d octets, "
		    "outside RFC 5280's 1 to 20", it->path,
		    ASN1_STRING_length(X509_get0_serialNumber(x)));
	else if (r == CER_OK && X509_check_ca(x) < 1)
		r = subscriber_window(s, o, it->path);
	ERR_clear_error();
	X509_free(x);
	return r;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
grow(char ***v, size_t *cap)
{
	char **nv = reallocarray(*v, *cap * 2 + 64, sizeof(**v));

	if (nv == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	*v = nv;
	*cap = *cap * 2 + 64;
	return CER_OK;
}

/* The regular files of a directory (not hidden), sorted by name; anything else is refused. */
static int
list_dir(const struct cer_script *s, const struct cer_ocsp_step *o, char ***names, size_t *n)
{
	struct dirent *e;
	struct stat sb;
	char *path = NULL;
	size_t cap = 0;
	DIR *d;
	int r = CER_OK;

	*names = NULL;
	*n = 0;
	if ((d = opendir(o->cert_dir)) == NULL)
		return cer_fail_at(CER_ERR_INPUT, s->path, o->cert_dir_pos, "cannot read the "
		    "directory %s: %s; check inputs.certificate-dir", o->cert_dir, strerror(errno));
	while (r == CER_OK && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (asprintf(&path, "%s/%s", o->cert_dir, e->d_name) < 0)
			return cer_fail(CER_ERR_ALLOC, "out of memory");
		if (stat(path, &sb) == -1 || !S_ISREG(sb.st_mode))
			r = cer_fail_at(CER_ERR_INPUT, s->path, o->cert_dir_pos, "%s is not a "
			    "regular file; inputs.certificate-dir holds the certificates and nothing "
			    "else", path);
		else if (*n == ITEMS_MAX)
			r = cer_fail_at(CER_ERR_INPUT, s->path, o->cert_dir_pos, "%s holds more than "
			    "%d certificates; split it over several steps", o->cert_dir, ITEMS_MAX);
		else if (*n < cap || (r = grow(names, &cap)) == CER_OK) {
			(*names)[(*n)++] = path;
			path = NULL;
		}
		free(path);
		path = NULL;
	}
	closedir(d);
	if (r == CER_OK && *n == 0)
		r = cer_fail_at(CER_ERR_INPUT, s->path, o->cert_dir_pos, "%s holds no "
		    "certificate", o->cert_dir);
	if (r == CER_OK)
		qsort(*names, *n, sizeof(**names), name_cmp);
	return r;
}

/* Every certificate file: certificate-path's, then the directory's. */
static int
read_items(const struct cer_script *s, const struct cer_step *st,
    const struct cer_ocsp_step *o, struct cer_ocsp_plan *op)
{
	char **names = NULL;
	size_t n = 0, k;
	int r;

	if (o->cert_paths.n == 0 && o->cert_dir == NULL)
		return CER_OK;
	if (op->issuer == NULL)
		return cer_fail_at(CER_ERR_SCRIPT, s->path, o->cert_paths.n > 0 ?
		    o->cert_paths.pos[0] : o->cert_dir_pos, "certificates from files were issued "
		    "before this ceremony, so not by step '%s', whose key is made in it: give "
		    "inputs.issuer-certificate-path", s->steps[st->issuer].id);
	if (o->cert_dir != NULL && (r = list_dir(s, o, &names, &n)) != CER_OK)
		goto out;
	if ((op->items = calloc(o->cert_paths.n + n + 1, sizeof(*op->items))) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	for (k = 0; k < o->cert_paths.n + n; k++) {
		op->items[k].path = k < o->cert_paths.n ? strdup(o->cert_paths.v[k]) :
		    names[k - o->cert_paths.n];
		if (k >= o->cert_paths.n)
			names[k - o->cert_paths.n] = NULL;	/* transferred */
		op->nitems++;
		if (op->items[k].path == NULL) {
			r = cer_fail(CER_ERR_ALLOC, "out of memory");
			goto out;
		}
		if ((r = read_item(s, o, op->issuer, &op->items[k], k < o->cert_paths.n ?
		    o->cert_paths.pos[k] : o->cert_dir_pos)) != CER_OK)
			goto out;
	}
	r = CER_OK;
 out:
	for (k = 0; k < n; k++)
		free(names[k]);
	free(names);
	return r;
}

static int
item_cmp(const void *a, const void *b)
{
	const struct cer_ocsp_item *x = *(const struct cer_ocsp_item *const *)a;
	const struct cer_ocsp_item *y = *(const struct cer_ocsp_item *const *)b;

	if (x->about.serial_len != y->about.serial_len)
		return x->about.serial_len < y->about.serial_len ? -1 : 1;
	return memcmp(x->about.serial, y->about.serial, x->about.serial_len);
}

/* Two files with one serial: the same certificate twice, or a CA's duplicate serial. */
static int
serials_unique(const struct cer_script *s, const struct cer_ocsp_step *o,
    const struct cer_ocsp_plan *op)
{
	const struct cer_ocsp_item **v;
	size_t k;
	int r = CER_OK;

	if (op->nitems < 2)
		return CER_OK;
	if ((v = calloc(op->nitems, sizeof(*v))) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	for (k = 0; k < op->nitems; k++)
		v[k] = &op->items[k];
	qsort(v, op->nitems, sizeof(*v), item_cmp);
	for (k = 1; k < op->nitems && r == CER_OK; k++)
		if (item_cmp(&v[k - 1], &v[k]) == 0)
			r = cer_fail_at(CER_ERR_INPUT, s->path, o->cert_paths.n > 0 ?
			    o->cert_paths.pos[0] : o->cert_dir_pos, "%s and %s have the same "
			    "serial number: one certificate named twice, or two a CA should never "
			    "have issued (RFC 5280 4.1.2.2); name each certificate once", v[k - 1]->path,
			    v[k]->path);
	free(v);
	return r;
}

/* Where response k goes in dir: <serial hex><ext>. */
static int
item_output(const char *dir, const struct cer_ocsp_item *it, const char *ext, char **out)
{
	char *hex = NULL;
	int r;

	*out = NULL;
	if ((r = cer_step_ocsp_serial_hex(&it->about, &hex)) != CER_OK)
		return r;
	if (asprintf(out, "%s/%s%s", dir, hex, ext) < 0) {
		*out = NULL;
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
	}
	free(hex);
	return r;
}

/* An output directory exists, and (unless resuming) holds none of the step's responses. */
static int
dir_ready(const struct cer_script *s, const struct cer_ocsp_plan *op, const char *dir,
    struct cer_pos pos, const char *ext, int resuming)
{
	struct stat sb;
	char *path = NULL;
	size_t k;
	int r = CER_OK;

	if (dir == NULL)
		return CER_OK;
	if (stat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode))
		return cer_fail_at(CER_ERR_INPUT, s->path, pos, "the output directory %s does not "
		    "exist; create it", dir);
	for (k = 0; !resuming && k < op->nitems && r == CER_OK; k++) {
		if ((r = item_output(dir, &op->items[k], ext, &path)) == CER_OK &&
		    access(path, F_OK) == 0)
			r = cer_fail_at(CER_ERR_OUTPUT_EXISTS, s->path, pos, "output %s exists; "
			    "outputs are never overwritten: move it away (to finish an interrupted "
			    "ceremony, --resume its transcript)", path);
		free(path);
	}
	return r;
}

int
cer_step_ocsp_plan(const struct cer_script *s, size_t i, struct cer_plan_step *ps)
{
	const struct cer_step *st = &s->steps[i];
	const struct cer_ocsp_step *o = cer_step_ocsp_of(st);
	struct cer_ocsp_plan *op;
	int r;

	if ((op = calloc(1, sizeof(*op))) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	ps->own = op;
	ps->own_free = plan_free;
	if ((r = signer_files(s, o, ps, op)) != CER_OK ||
	    (r = algorithm(s, st, o, ps)) != CER_OK)
		return r;
	if (o->signer == CER_NO_INDEX && o->in_signer == NULL &&
	    (r = issuer_signs(s, st, op->issuer)) != CER_OK)
		return r;
	if (o->signer != CER_NO_INDEX)
		r = inside_step(s, o, o->signer, "delegated responder");
	else if (op->signer != NULL)
		r = inside(s, o, "the delegated responder", cer_lint_time(X509_get0_notBefore(
		    op->signer)), cer_lint_time(X509_get0_notAfter(op->signer)));
	else if (op->issuer != NULL)
		r = inside(s, o, "the issuer", cer_lint_time(X509_get0_notBefore(op->issuer)),
		    cer_lint_time(X509_get0_notAfter(op->issuer)));
	else
		r = inside_step(s, o, st->issuer, "issuer");
	if (r != CER_OK || (r = read_items(s, st, o, op)) != CER_OK ||
	    (r = serials_unique(s, o, op)) != CER_OK ||
	    (r = dir_ready(s, op, o->dir, o->dir_pos, ".b64", ps->resuming)) != CER_OK)
		return r;
	return dir_ready(s, op, o->der_dir, o->der_dir_pos, ".der", ps->resuming);
}

/* ---- the builder ---- */

int
cer_step_ocsp_signers(const struct cer_source *src, size_t i, X509 **issuer, X509 **signer)
{
	const struct cer_step *st = &src->script->steps[i];
	const struct cer_ocsp_step *o = cer_step_ocsp_of(st);
	const struct cer_ocsp_plan *op = cer_step_ocsp_plan_of(&src->plan->steps[i]);

	*issuer = st->issuer != CER_NO_INDEX ? src->cert(src->arg, st->issuer) :
	    op != NULL ? op->issuer : NULL;
	*signer = o->signer != CER_NO_INDEX ? src->cert(src->arg, o->signer) :
	    op != NULL && op->signer != NULL ? op->signer : *issuer;
	if (*issuer == NULL || *signer == NULL)
		return cer_fail(CER_ERR_INTERNAL, "step %s: an earlier step left no certificate",
		    st->id);
	return CER_OK;
}

/* What response k is about: a step's certificate (the issuer's by name and AKI), or a file's. */
static int
about_item(const struct cer_source *src, size_t i, size_t k, X509 *issuer,
    struct cer_ocsp_about *about)
{
	const struct cer_step *st = &src->script->steps[i];
	const struct cer_ocsp_step *o = cer_step_ocsp_of(st);
	X509 *x;

	if (k >= o->ncerts) {
		*about = cer_step_ocsp_plan_of(&src->plan->steps[i])->items[k - o->ncerts].about;
		return CER_OK;
	}
	if ((x = src->cert(src->arg, o->certs[k])) == NULL)
		return cer_fail(CER_ERR_INTERNAL, "step %s: step %s left no certificate", st->id,
		    src->script->steps[o->certs[k]].id);
	/* by name and key identifier: its signature was verified when it was signed */
	if (X509_check_issued(issuer, x) != X509_V_OK)
		return cer_fail(CER_ERR_VERIFY, "step %s: the certificate of step %s was not "
		    "issued by the issuer", st->id, src->script->steps[o->certs[k]].id);
	return about_of(x, about) == CER_OK ? CER_OK : cer_fail(CER_ERR_VERIFY, "step %s: the "
	    "certificate of step %s has an unusable serial", st->id,
	    src->script->steps[o->certs[k]].id);
}

int
cer_step_ocsp_build(const struct cer_source *src, size_t i, size_t k, struct cer_tbs *out,
    struct cer_ocsp_about *about)
{
	const struct cer_step *st = &src->script->steps[i];
	X509 *issuer, *signer;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = cer_step_ocsp_signers(src, i, &issuer, &signer)) != CER_OK ||
	    (r = about_item(src, i, k, issuer, about)) != CER_OK)
		return r;
	if (signer != issuer && X509_check_issued(issuer, signer) != X509_V_OK)
		return cer_fail(CER_ERR_VERIFY, "step %s: the delegated responder was not issued "
		    "by the issuer (RFC 6960 4.2.2.2)", st->id);
	out->issuer = issuer;
	return cer_ocsp_build(&cer_step_ocsp_of(st)->p, issuer, about->serial, about->serial_len,
	    signer, src->at, &out->ocsp);
}
