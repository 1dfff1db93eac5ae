/*
 * pin.h: PIN sources.  A PIN is read only when it is about to be used,
 * held in a locked page of its own the caller wipes with cer_pin_free(),
 * and never logged, printed, written or put in a child's environment.
 *
 * Sources (the "pin:" field of a token): "prompt" (the terminal, no echo),
 * "file:PATH" (first line; a regular file, not a symbolic link, of at most
 * CER_PIN_MAX + 2 bytes, not accessible to others), "env:NAME" (taken out
 * of the environment, wiped there, when first checked or read), "fd:N"
 * (read to the first newline or EOF, then closed), or a literal PIN.  An
 * env: or fd: source named by several tokens is read once, and what it
 * gave is kept until cer_pin_forget().
 */
#ifndef CER_PIN_H
#define CER_PIN_H

#include <stddef.h>

#include "base/err.h"

#define CER_PIN_MAX 256

/*
 * Called first by every command that reads a PIN or loads a PKCS#11
 * module: the process becomes not dumpable (no core file, no ptrace by the
 * same user) and RLIMIT_CORE 0.  CER_ERR_SYSTEM if either fails.
 */
int cer_pin_protect_process(void) CER_WUR;

/*
 * Checks that a source can be used, with the rules the read applies: the
 * file (by lstat, never opened) is a regular file, not a link, not
 * accessible to others, of at most CER_PIN_MAX + 2 bytes; the descriptor
 * is open; the variable holds 1 to CER_PIN_MAX bytes, and is taken (see
 * above), so checking the sources before any module is loaded leaves no
 * PIN in the environment.  CER_ERR_PIN (detail names the token and what to
 * do) otherwise.
 */
int cer_pin_check(const char *spec, int literal, const char *token) CER_WUR;

/*
 * Reads the PIN for token from spec (literal: spec is the PIN itself).
 * *pin is NUL-terminated, *len its length.  CER_ERR_PIN on failure.
 */
int cer_pin_read(const char *spec, int literal, const char *token, char **pin,
    size_t *len) CER_WUR;

/*
 * cer_pin_read, where a prompt also names the token as the HSM knows it
 * (its label and serial), so the operator types the PIN of the device in
 * front of them, not only of a role in the script.
 */
int cer_pin_read_for(const char *spec, int literal, const char *token, const char *label,
    const char *serial, char **pin, size_t *len) CER_WUR;

/* Wipes and frees a PIN (from cer_pin_read, or a copy of len bytes). Accepts NULL. */
void cer_pin_free(char *pin, size_t len);

/* Wipes what the env: and fd: sources gave. */
void cer_pin_forget(void);

#endif
