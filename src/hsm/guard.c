/*
 * guard.c: what stands between a CA key and another process or a lying
 * token: the token lock held for the whole run, the label that must name
 * the new pair alone, the generated key checked against what was asked
 * and read a second time, and the destruction of a key the run refuses.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>

#include "hsm/hsm-int.h"
#include "base/util.h"

/* ---- the token lock ---- */

static void
token_identity(const struct cer_token *tok, char *buf, size_t n)
{
	char model[17];

	memcpy(model, tok->info.model, 16);
	model[16] = '\0';
	snprintf(buf, n, "%s\n%.16s\n%s", tok->manufacturer, model, tok->serial);
}

int
cer_hsm_token_same(const struct cer_token *a, const struct cer_token *b)
{
	char ia[100], ib[100];

	token_identity(a, ia, sizeof(ia));
	token_identity(b, ib, sizeof(ib));
	return strcmp(ia, ib) == 0;
}

/*
 * Opens the lock file without following a link and, in a sticky world-
 * writable directory, without O_CREAT on a file another user made (which
 * fs.protected_regular refuses): open it, else create it exclusively.
 */
static int
open_lock(const char *path)
{
	int fd, tries;

	for (tries = 0; tries < 3; tries++) {
		if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) != -1 || errno != ENOENT)
			return fd;
		if ((fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    0444)) != -1 || errno != EEXIST)
			return fd;
	}
	return -1;
}

int
cer_hsm_token_lock(struct cer_token *tok, const char *dir, const char **path)
{
	static char lock[4096];
	unsigned char d[CER_SHA256_LEN];
	char id[100], *hex = NULL;
	struct stat st;
	int r = CER_ERR_INTERNAL, fd = -1;

	*path = lock;
	token_identity(tok, id, sizeof(id));
	if ((r = cer_sha256(id, strlen(id), d)) != CER_OK || (r = cer_hex(d, 16, &hex)) != CER_OK)
		goto out;
	snprintf(lock, sizeof(lock), "%s/ceremony-token-%s.lock", dir, hex);
	if ((fd = open_lock(lock)) == -1 || fstat(fd, &st) == -1) {
		r = cer_fail(CER_ERR_SYSTEM, "cannot open the lock file %s of token '%s'", lock,
		    tok->label);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = cer_fail(CER_ERR_TOKEN, "the lock file %s of token '%s' is not a regular "
		    "file; remove it", lock, tok->label);
		goto out;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		r = errno == EWOULDBLOCK ? cer_fail(CER_ERR_TOKEN, "token '%s' (serial %s) is in "
		    "use by another ceremony, which holds %s; wait for it to end and run again",
		    tok->label, tok->serial, lock) :
		    cer_fail(CER_ERR_SYSTEM, "cannot lock %s", lock);
		goto out;
	}
	tok->lock_fd = fd;
	fd = -1; /* held until cer_hsm_close */
	r = CER_OK;
 out:
	if (fd != -1)
		close(fd);
	free(hex);
	return r;
}

/* ---- the new key ---- */

int
cer_hsm_key_sole(struct cer_token *tok, struct cer_key *key)
{
	CK_ATTRIBUTE t[] = {{ CKA_LABEL, key->label, strlen(key->label) }};
	CK_OBJECT_HANDLE h[8];
	CK_ULONG n = 0, i, ours = 0;
	int r;

	if ((r = cer_hsm_find_objects(tok, t, 1, h, 8, &n)) != CER_OK)
		return r;
	for (i = 0; i < n; i++)
		ours += h[i] == key->pub || h[i] == key->priv;
	if (n != 2 || ours != 2)
		return cer_fail(CER_ERR_KEY, "after generation token '%s' holds %s%lu objects "
		    "labelled '%s', not just the new pair: another process made one since the "
		    "label was found free", tok->label, n >= 8 ? "at least " : "",
		    (unsigned long)n, key->label);
	return CER_OK;
}

int
cer_hsm_key_matches(struct cer_token *tok, struct cer_key *key, const struct cer_keygen *kg)
{
	const struct cer_key_type_info *kt = cer_alg_key_type(kg->type);
	const struct cer_curve_info *c = cer_alg_curve(kg->curve);
	EVP_PKEY *pk = NULL;
	BIGNUM *e = NULL;
	char group[64];
	int ok = 0, r;

	if ((r = cer_hsm_key_public(tok, key, &pk)) != CER_OK)
		return r;
	if (kt == NULL || !EVP_PKEY_is_a(pk, kt->ossl))
		ok = 0;
	else if (kg->type == CER_KEY_RSA)
		ok = EVP_PKEY_get_bits(pk) == (int)kg->rsa_bits &&
		    EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e) == 1 &&
		    BN_is_word(e, 65537);
	else if (kg->type == CER_KEY_EC)
		ok = c != NULL && EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME,
		    group, sizeof(group), NULL) == 1 && strcmp(group, c->group) == 0;
	else
		ok = 1;
	BN_free(e);
	EVP_PKEY_free(pk);
	if (!ok)	/* Boulder's rsaPub/ecPub re-check this too */
		return cer_fail(CER_ERR_KEY, "the token generated a key for '%s' that is not "
		    "the type and size asked for", kg->label);
	return CER_OK;
}

int
cer_hsm_key_reread(struct cer_token *tok, struct cer_key *key)
{
	EVP_PKEY *first = NULL, *again = NULL;
	int r;

	if ((r = cer_hsm_key_public(tok, key, &first)) != CER_OK ||
	    (r = cer_hsm_object_public(tok, key->pub, &again)) != CER_OK)
		goto out;
	r = EVP_PKEY_eq(first, again) == 1 ? CER_OK : cer_fail(CER_ERR_KEY, "the public key "
	    "of '%s' (CKA_ID %s) read back differently twice from token '%s'; a token that "
	    "cannot say what its key is cannot hold a CA key", key->label, key->id_hex,
	    tok->label);
 out:
	EVP_PKEY_free(first);
	EVP_PKEY_free(again);
	return r;
}

int
cer_hsm_key_destroy(struct cer_token *tok, struct cer_key *key, json_t **destroyed)
{
	json_t *list;
	CK_RV rv;

	if ((*destroyed = list = json_array()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	/* the secret half first: if the token stops there, nothing can sign */
	if ((rv = tok->hsm->f->C_DestroyObject(tok->session, key->priv)) != CKR_OK)
		return cer_hsm_fail(rv, "C_DestroyObject", key->label);
	json_array_append_new(list, json_string("CKO_PRIVATE_KEY"));
	if ((rv = tok->hsm->f->C_DestroyObject(tok->session, key->pub)) != CKR_OK)
		return cer_hsm_fail(rv, "C_DestroyObject", key->label);
	json_array_append_new(list, json_string("CKO_PUBLIC_KEY"));
	return CER_OK;
}
