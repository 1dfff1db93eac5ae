/*
 * pin.h: PIN sources.  A PIN is read only when it is about to be used,
 * held in a malloc'ed buffer the caller wipes with cer_pin_free(), and never
 * logged, printed, written or put in a child's environment.
 *
 * Sources (the "pin:" field of a token): "prompt" (the terminal, no echo),
 * "file:PATH" (first line; the file must not be readable by others),
 * "env:NAME" (the variable is wiped and unset after reading), "fd:N" (read
 * to the first newline or EOF, then closed), or a literal PIN.
 */
#ifndef CER_PIN_H
#define CER_PIN_H

#include <stddef.h>

#include "base/err.h"

#define CER_PIN_MAX 256

/*
 * Checks, without reading any secret, that a source can be used: the file
 * exists with safe permissions, the variable is set, the descriptor is
 * open.  CER_ERR_PIN (detail names the token and what to do) otherwise.
 */
int cer_pin_check(const char *spec, int literal, const char *token) CER_WUR;

/*
 * Reads the PIN for token from spec (literal: spec is the PIN itself).
 * *pin is NUL-terminated, *len its length.  CER_ERR_PIN on failure.
 */
int cer_pin_read(const char *spec, int literal, const char *token, char **pin,
    size_t *len) CER_WUR;

/* Wipes and frees a PIN. Accepts NULL. */
void cer_pin_free(char *pin, size_t len);

#endif
