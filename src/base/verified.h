/*
 * verified.h: the signatures this process has verified in software, so
 * that each is verified once.  x509/sign.c notes the signature of each
 * artefact it has verified after the token signed it; the lint's signature
 * rules, which see the same bytes a moment later (the artefact, or the
 * certificate of a responder signed earlier in the run), look them up
 * before verifying.  Only a verification that succeeded is noted, keyed
 * by the SHA-256 of the whole signed DER (to-be-signed part, algorithm and
 * signature value) and the public key itself; a lookup that misses
 * verifies as before.  `ceremony lint` notes nothing: what it reads, it
 * verifies.
 */
#ifndef CER_VERIFIED_H
#define CER_VERIFIED_H

#include <stddef.h>

#include <openssl/asn1.h>
#include <openssl/evp.h>

/* Notes that the signed DER's signature verified with key (kept: up-referenced). */
void cer_verified_note(const unsigned char *der, size_t len, EVP_PKEY *key);

/* 1 when the same DER's signature was noted as verified with an equal key; else 0. */
int cer_verified_seen(const unsigned char *der, size_t len, const EVP_PKEY *key);

/* The same for obj, an it (X509, X509_CRL, OCSP_BASICRESP), as it encodes. */
int cer_verified_seen_asn1(const void *obj, const ASN1_ITEM *it, const EVP_PKEY *key);

/* Forgets every note and frees its key. */
void cer_verified_clear(void);

#endif
