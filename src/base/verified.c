/* verified.c: a small ring of signatures verified in this process. */
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "base/util.h"
#include "base/verified.h"

/* A run signs a few artefacts; a batch of responses needs only the latest few. */
#define NOTES 16

static struct note {
	unsigned char digest[CER_SHA256_LEN];
	EVP_PKEY *key;
} notes[NOTES];
static size_t next;

void
cer_verified_note(const unsigned char *der, size_t len, EVP_PKEY *key)
{
	struct note *n = &notes[next];

	/* a note that cannot be made is a verification repeated later, nothing worse */
	if (key == NULL || EVP_PKEY_up_ref(key) != 1)
		return;
	EVP_PKEY_free(n->key);
	n->key = NULL;
	if (cer_sha256(der, len, n->digest) != CER_OK) {
		EVP_PKEY_free(key);
		return;
	}
	n->key = key;
	next = (next + 1) % NOTES;
}

int
cer_verified_seen(const unsigned char *der, size_t len, const EVP_PKEY *key)
{
	unsigned char digest[CER_SHA256_LEN];
	size_t i;

	if (key == NULL || cer_sha256(der, len, digest) != CER_OK)
		return 0;
	for (i = 0; i < NOTES; i++)
		if (notes[i].key != NULL && memcmp(notes[i].digest, digest, sizeof(digest)) == 0 &&
		    EVP_PKEY_eq(notes[i].key, key) == 1)
			return 1;
	return 0;
}

int
cer_verified_seen_asn1(const void *obj, const ASN1_ITEM *it, const EVP_PKEY *key)
{
	unsigned char *der = NULL;
	int len, seen;

	if (key == NULL || (len = ASN1_item_i2d((const ASN1_VALUE *)obj, &der, it)) <= 0) {
		ERR_clear_error();
		return 0;
	}
	seen = cer_verified_seen(der, (size_t)len, key);
	OPENSSL_free(der);
	return seen;
}

void
cer_verified_clear(void)
{
	size_t i;

	for (i = 0; i < NOTES; i++) {
		EVP_PKEY_free(notes[i].key);
		notes[i].key = NULL;
	}
	next = 0;
}
