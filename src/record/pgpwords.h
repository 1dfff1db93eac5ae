/*
 * pgpwords.h: bytes as words of the PGP word list, for digests that
 * witnesses read aloud and write down (the final digest of a transcript).
 */
#ifndef CER_PGPWORDS_H
#define CER_PGPWORDS_H

#include <stddef.h>
#include <stdio.h>

#include "base/err.h"

/* The word for byte at position (0-based) in a sequence; never NULL. */
const char *cer_pgpwords_word(unsigned char byte, size_t position);

/* The words for len bytes, separated by single spaces, into a new *out ("" for 0 bytes). */
int cer_pgpwords_encode(const unsigned char *buf, size_t len, char **out) CER_WUR;

/* The words in groups of eight, each between before and after: a digest is read in groups. */
void cer_pgpwords_print(FILE *f, const unsigned char *buf, size_t len, const char *before,
    const char *after);

/*
 * The bytes that text stands for, PGP words in any case separated by white
 * space, into out (at most len); *n how many.  A word that is not the list's
 * for its position is CER_ERR_USAGE naming it: a word of the other list (one
 * left out or written twice before it), or the nearest word of its list.
 */
int cer_pgpwords_decode(const char *text, unsigned char *out, size_t len, size_t *n) CER_WUR;

#endif
