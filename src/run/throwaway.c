/*
 * throwaway.c: throwaway SoftHSM tokens, and stand-ins for the keys a
 * rehearsal cannot have (a real root key that signs an intermediate from
 * an earlier ceremony), in a private directory that goes with them.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/rand.h>

#include "base/util.h"
#include "run/throwaway.h"
#include "script/tokenspec.h"

#define LABEL_MAX 32	/* CK_TOKEN_INFO.label */

struct stand_in {
	size_t token;		/* the role (script token) it is on */
	char *label;
	EVP_PKEY *real;		/* the key the real run finds */
	EVP_PKEY *key;		/* the stand-in */
};

struct cer_throwaway {
	char *dir;
	char pin[33];
	size_t ntokens;
	char (*label)[LABEL_MAX + 1];	/* per script token: its throwaway token's label, or "" */
	struct stand_in *si;
	size_t nsi;
	unsigned nfiles;
};

int
cer_throwaway_new(struct cer_throwaway **out)
{
	struct cer_throwaway *tw = NULL;
	unsigned char rnd[16];
	const char *tmp = getenv("TMPDIR");
	char *conf = NULL, *tokens = NULL;
	FILE *f = NULL;
	size_t i;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if (access(CER_SOFTHSM_MODULE, R_OK) == -1 || access(CER_SOFTHSM_UTIL, X_OK) == -1)
		return cer_fail(CER_ERR_INPUT, "a rehearsal needs SoftHSM: %s or %s is missing; "
		    "install Debian's softhsm2 package", CER_SOFTHSM_MODULE, CER_SOFTHSM_UTIL);
	if ((tw = calloc(1, sizeof(*tw))) == NULL ||
	    asprintf(&tw->dir, "%s/ceremony-tokens.XXXXXX", tmp != NULL && *tmp != '\0' ?
	    tmp : "/tmp") < 0) {
		free(tw);
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	}
	if (mkdtemp(tw->dir) == NULL) {
		r = cer_fail(CER_ERR_SYSTEM, "cannot make a directory for the throwaway tokens");
		free(tw->dir);
		free(tw);
		return r;
	}
	if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
		r = cer_fail(CER_ERR_OPENSSL, "no randomness for the throwaway PIN");
		goto out;
	}
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(tw->pin + 2 * i, 3, "%02x", rnd[i]);
	if (asprintf(&conf, "%s/softhsm2.conf", tw->dir) < 0 ||
	    asprintf(&tokens, "%s/tokens", tw->dir) < 0) {
		conf = tokens = NULL;
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	if (mkdir(tokens, 0700) == -1 || (f = fopen(conf, "wx")) == NULL ||
	    fprintf(f, "directories.tokendir = %s\nobjectstore.backend = file\n"
	    "log.level = ERROR\n", tokens) < 0 || fclose(f) != 0) {
		f = NULL;
		r = cer_fail(CER_ERR_SYSTEM, "cannot write %s", conf);
		goto out;
	}
	f = NULL;
	/* From here on SoftHSM, in this process and in softhsm2-util, sees only these tokens. */
	if (setenv("SOFTHSM2_CONF", conf, 1) == -1) {
		r = cer_fail(CER_ERR_SYSTEM, "cannot set SOFTHSM2_CONF");
		goto out;
	}
	*out = tw;
	tw = NULL;	/* transferred */
	r = CER_OK;
 out:
	if (f != NULL)
		fclose(f);
	free(conf);
	free(tokens);
	cer_throwaway_free(tw);
	return r;
}

/* The last line softhsm2-util wrote, for the message. */
static void
last_line(const char *log, char *buf, size_t n)
{
	char line[512];
	FILE *f;

	snprintf(buf, n, "no message");
	if ((f = fopen(log, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		if (line[strspn(line, " \t\r\n")] != '\0') {
			line[strcspn(line, "\r\n")] = '\0';
			snprintf(buf, n, "%.200s", line);
		}
	fclose(f);
}

/*
 * Runs softhsm2-util with argv (posix_spawn: no fork of a process that
 * may hold a PKCS#11 module), its output in the directory's log.
 */
static int
softhsm_util(const struct cer_throwaway *tw, char *const argv[], const char *what)
{
	posix_spawn_file_actions_t fa;
	char log[PATH_MAX], msg[300];
	pid_t pid;
	int st = 0, rc;

	snprintf(log, sizeof(log), "%s/softhsm2-util.log", tw->dir);
	if (posix_spawn_file_actions_init(&fa) != 0)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (rc == 0)
		rc = posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC,
		    0600);
	if (rc == 0)
		rc = posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (rc == 0)
		rc = posix_spawn(&pid, CER_SOFTHSM_UTIL, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		errno = rc;
		return cer_fail(CER_ERR_SYSTEM, "cannot run %s to %s", CER_SOFTHSM_UTIL, what);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return cer_fail(CER_ERR_SYSTEM, "waiting for %s", CER_SOFTHSM_UTIL);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return CER_OK;
	last_line(log, msg, sizeof(msg));
	return cer_fail(CER_ERR_TOKEN, "softhsm2-util could not %s: %s", what, msg);
}

/* Two tokens at the same module and selector are one token. */
static int
same_place(const struct cer_token_spec *a, const struct cer_token_spec *b)
{
#define SAME(x) ((a->x == NULL && b->x == NULL) || (a->x != NULL && b->x != NULL && \
	strcmp(a->x, b->x) == 0))
	return a->module != NULL && SAME(module) && SAME(token_label) && SAME(token_serial) &&
	    SAME(uri) && a->has_slot == b->has_slot && a->slot == b->slot;
#undef SAME
}

/* Another role's throwaway token (not role self's) has this label. */
static int
label_taken(const struct cer_throwaway *tw, size_t self, const char *label)
{
	size_t i;

	for (i = 0; i < tw->ntokens; i++)
		if (i != self && strcmp(tw->label[i], label) == 0)
			return 1;
	return 0;
}

/* The label of a new throwaway token for role i: the script's token-label, else the role. */
static void
new_label(struct cer_throwaway *tw, const struct cer_token_spec *t, size_t i)
{
	unsigned n;

	snprintf(tw->label[i], sizeof(tw->label[i]), "%s", t->token_label != NULL ?
	    t->token_label : t->name);
	for (n = 2; label_taken(tw, i, tw->label[i]) || tw->label[i][0] == '\0'; n++)
		snprintf(tw->label[i], sizeof(tw->label[i]), "rehearsal-%u", n);
}

/* What the throwaway token of role i stands in for, as the plan shows a token. */
static json_t *
stands_for(const struct cer_token_spec *t, const char *label)
{
	char sel[300];

	if (t->module == NULL)
		snprintf(sel, sizeof(sel), "a role for a site file");
	else if (t->has_slot)
		snprintf(sel, sizeof(sel), "slot ID %lu", t->slot);
	else
		snprintf(sel, sizeof(sel), "%s '%s'", t->token_label != NULL ? "token-label" :
		    t->token_serial != NULL ? "token-serial" : "uri", t->token_label != NULL ?
		    t->token_label : t->token_serial != NULL ? t->token_serial : t->uri);
	return json_pack("{s:s, s:s, s:o, s:s}", "role", t->name, "throwaway_token", label,
	    "module", t->module != NULL ? json_string(t->module) : json_null(), "selects", sel);
}

int
cer_throwaway_tokens(struct cer_throwaway *tw, struct cer_script *s, json_t **out)
{
	struct cer_token_spec spec;
	size_t i, j;
	json_t *list = NULL;
	int r = CER_ERR_INTERNAL;

	*out = NULL;
	if ((tw->label = calloc(s->ntokens + 1, sizeof(*tw->label))) == NULL ||
	    (list = json_array()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	tw->ntokens = s->ntokens;
	for (i = 0; i < s->ntokens; i++) {
		if (!cer_script_token_used(s, i))
			continue;
		for (j = 0; j < i && !(tw->label[j][0] != '\0' &&
		    same_place(&s->tokens[i], &s->tokens[j])); j++)
			;
		if (j < i) {
			memcpy(tw->label[i], tw->label[j], sizeof(tw->label[i]));
		} else {
			new_label(tw, &s->tokens[i], i);
			if ((r = softhsm_util(tw, (char *const[]){ "softhsm2-util", "--init-token",
			    "--free", "--label", tw->label[i], "--pin", tw->pin, "--so-pin", tw->pin,
			    NULL }, "make a throwaway token")) != CER_OK)
				goto out;
		}
		if (json_array_append_new(list, stands_for(&s->tokens[i], tw->label[i])) != 0) {
			r = cer_fail(CER_ERR_ALLOC, "out of memory");
			goto out;
		}
	}
	for (i = 0; i < s->ntokens; i++) {
		if (tw->label[i][0] == '\0')
			continue;
		memset(&spec, 0, sizeof(spec));
		spec.module = CER_SOFTHSM_MODULE;
		spec.token_label = tw->label[i];
		spec.pin = tw->pin;
		spec.pin_literal = 1;
		if ((r = cer_tokenspec_locate(&s->tokens[i], &spec, "ceremony rehearse")) != CER_OK)
			goto out;
	}
	*out = list;
	list = NULL;	/* transferred */
	r = CER_OK;
 out:
	json_decref(list);
	return r;
}

/* A new software key of the kind and size of k. */
static int
like_key(EVP_PKEY *k, EVP_PKEY **out)
{
	char group[80];
	size_t n;

	*out = NULL;
	if (EVP_PKEY_is_a(k, "RSA"))
		*out = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)EVP_PKEY_get_bits(k));
	else if (EVP_PKEY_is_a(k, "EC") && EVP_PKEY_get_group_name(k, group, sizeof(group), &n))
		*out = EVP_PKEY_Q_keygen(NULL, NULL, "EC", group);
	else if (EVP_PKEY_is_a(k, "ED25519"))
		*out = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	return *out != NULL ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot make a stand-in "
	    "for an %s key", EVP_PKEY_get0_type_name(k));
}

/* Writes a PEM file into the directory: key (private, PKCS#8), cert or pub. */
static int
write_pem(struct cer_throwaway *tw, const char *kind, EVP_PKEY *key, X509 *cert, EVP_PKEY *pub,
    char **path)
{
	FILE *f = NULL;
	int fd, ok;

	if (asprintf(path, "%s/stand-in-%u.%s.pem", tw->dir, ++tw->nfiles, kind) < 0) {
		*path = NULL;
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	}
	if ((fd = open(*path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) == -1 ||
	    (f = fdopen(fd, "w")) == NULL) {
		if (fd != -1)
			close(fd);
		return cer_fail(CER_ERR_SYSTEM, "cannot write %s", *path);
	}
	ok = key != NULL ? PEM_write_PKCS8PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) :
	    cert != NULL ? PEM_write_X509(f, cert) : PEM_write_PUBKEY(f, pub);
	if (fclose(f) != 0 || !ok)
		return cer_fail(CER_ERR_OPENSSL, "cannot write %s", *path);
	return CER_OK;
}

/* The stand-in for real on role t under label: made and imported the first time. */
static int
stand_in_key(struct cer_throwaway *tw, size_t t, const char *label, EVP_PKEY *real,
    EVP_PKEY **out)
{
	struct stand_in *si;
	unsigned char id[16];
	char *file = NULL, idhex[33];
	size_t i;
	int r;

	for (i = 0; i < tw->nsi; i++)
		if (strcmp(tw->label[tw->si[i].token], tw->label[t]) == 0 &&
		    strcmp(tw->si[i].label, label) == 0 && EVP_PKEY_eq(tw->si[i].real, real) == 1) {
			*out = tw->si[i].key;
			return CER_OK;
		}
	if ((si = reallocarray(tw->si, tw->nsi + 1, sizeof(*si))) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	tw->si = si;
	si = &tw->si[tw->nsi];
	memset(si, 0, sizeof(*si));
	if ((si->label = strdup(label)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	si->token = t;
	tw->nsi++;
	if (!EVP_PKEY_up_ref(real))
		return cer_fail(CER_ERR_OPENSSL, "cannot keep a key");
	si->real = real;
	if ((r = like_key(real, &si->key)) != CER_OK ||
	    (r = write_pem(tw, "key", si->key, NULL, NULL, &file)) != CER_OK)
		goto out;
	if (RAND_bytes(id, sizeof(id)) != 1) {
		r = cer_fail(CER_ERR_OPENSSL, "no randomness for a CKA_ID");
		goto out;
	}
	for (i = 0; i < sizeof(id); i++)
		snprintf(idhex + 2 * i, 3, "%02x", id[i]);
	r = softhsm_util(tw, (char *const[]){ "softhsm2-util", "--import", file, "--token",
	    tw->label[t], "--label", (char *)label, "--id", idhex, "--pin", tw->pin, NULL },
	    "import a stand-in key");
	*out = si->key;
 out:
	if (file != NULL)
		unlink(file);	/* the token holds it now */
	free(file);
	return r;
}

int
cer_throwaway_stand_in(struct cer_throwaway *tw, size_t t, const char *label, X509 *issuer,
    EVP_PKEY *pub, char **path)
{
	EVP_PKEY *key = NULL;
	X509 *copy = NULL;
	int r;

	*path = NULL;
	if (t >= tw->ntokens || tw->label[t][0] == '\0')
		return cer_fail(CER_ERR_INTERNAL, "stand-in key on a token without a throwaway");
	if ((r = stand_in_key(tw, t, label, issuer != NULL ? X509_get0_pubkey(issuer) : pub,
	    &key)) != CER_OK)
		return r;
	if (issuer == NULL)
		return write_pem(tw, "pub", NULL, NULL, key, path);
	if ((copy = X509_dup(issuer)) == NULL || !X509_set_pubkey(copy, key) ||
	    X509_sign(copy, key, EVP_PKEY_is_a(key, "ED25519") ? NULL : EVP_sha256()) <= 0)
		r = cer_fail(CER_ERR_OPENSSL, "cannot make a stand-in issuer certificate");
	else
		r = write_pem(tw, "cert", NULL, copy, NULL, path);
	X509_free(copy);
	return r;
}

static int
remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path) == -1 && errno != ENOENT ? -1 : 0;
}

int
cer_throwaway_remove_tree(const char *dir)
{
	if (dir == NULL)
		return CER_OK;
	if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) == -1 && errno != ENOENT)
		return cer_fail(CER_ERR_SYSTEM, "cannot remove %s", dir);
	return CER_OK;
}

void
cer_throwaway_free(struct cer_throwaway *tw)
{
	size_t i;

	if (tw == NULL)
		return;
	if (cer_throwaway_remove_tree(tw->dir) != CER_OK)
		fprintf(stderr, "ceremony: warning: %s\n", cer_err_detail());
	for (i = 0; i < tw->nsi; i++) {
		free(tw->si[i].label);
		EVP_PKEY_free(tw->si[i].real);
		EVP_PKEY_free(tw->si[i].key);
	}
	free(tw->si);
	free(tw->label);
	explicit_bzero(tw->pin, sizeof(tw->pin));
	free(tw->dir);
	free(tw);
}
