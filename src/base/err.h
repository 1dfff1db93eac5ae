/*
 * err.h: the one error enum of ceremony, and the one function that names it.
 *
 * Every fallible function returns an int from this enum (0 on success, a
 * negative CER_ERR_* on failure) and hands results back through out
 * parameters.  The function that detects a failure records one line of
 * detail with cer_fail(); main prints that line and maps the code to an
 * exit status with cer_err_exit_status().
 */
#ifndef CER_ERR_H
#define CER_ERR_H

#define CER_WUR __attribute__((__warn_unused_result__))

enum cer_err {
	CER_OK = 0,
	CER_ERR_INTERNAL = -1,	/* a bug: an invariant did not hold */
	CER_ERR_ALLOC = -2,	/* out of memory */
	CER_ERR_SYSTEM = -3,	/* a system call failed; errno kept in the detail */
	CER_ERR_OPENSSL = -4,	/* an OpenSSL call failed; its queue is in the detail */
	CER_ERR_PKCS11 = -5,	/* a PKCS#11 call failed; the CKR_ name is in the detail */
	CER_ERR_USAGE = -6,	/* bad command line */
	CER_ERR_SCRIPT = -7,	/* the script is malformed or inconsistent */
	CER_ERR_INPUT = -8,	/* an input file is missing or unreadable */
	CER_ERR_OUTPUT_EXISTS = -9, /* an output path already exists */
	CER_ERR_TOKEN = -10,	/* no token, or more than one, matches */
	CER_ERR_PIN = -11,	/* PIN source unusable, PIN wrong or locked */
	CER_ERR_KEY = -12,	/* key label taken, key missing, attributes wrong */
	CER_ERR_VERIFY = -13,	/* a signature or a check on an artefact failed */
	CER_ERR_ABORTED = -14,	/* the operator did not confirm */
	CER_ERR_TRANSCRIPT = -15, /* the transcript could not be written or is broken */
	CER_ERR_MECHANISM = -16, /* the token lacks a mechanism the script needs */
};

/* The fixed name of an error code ("script error", ...); never NULL. */
const char *cer_err_str(int code);

/*
 * Records the detail line for a failure (printf format, no trailing
 * newline) and returns code, so callers write
 *	r = cer_fail(CER_ERR_SCRIPT, "%s:%u:%u: ...", ...); goto out;
 * CER_ERR_OPENSSL appends the first OpenSSL error and empties the queue;
 * CER_ERR_SYSTEM appends strerror(errno).  The arguments may include
 * cer_err_detail() itself.
 */
int cer_fail(int code, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

/* A place in a file, 1-based; line 0 means "not given in the file". */
struct cer_pos {
	unsigned line;
	unsigned col;
};

/*
 * cer_fail with the place in front: "file:line:col: ..." (just "..." when
 * pos.line is 0, a value the script did not give).
 */
int cer_fail_at(int code, const char *file, struct cer_pos pos, const char *fmt, ...)
    __attribute__((__format__(__printf__, 4, 5)));

/*
 * Re-raises the current failure as code with a prefix: the detail becomes
 * "<prefix>: <detail>".  For a caller that knows where (a script position,
 * a step) what failed below it happened.
 */
int cer_fail_prefix(int code, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

/*
 * Puts a saved detail line back as it was (no errno or OpenSSL text
 * appended again) and returns code: for a caller that recorded other
 * things after the failure and reports the failure itself.
 */
int cer_err_restore(int code, const char *detail);

/* The last detail line recorded, or "" when none. */
const char *cer_err_detail(void);

/* Forgets the detail line. */
void cer_err_clear(void);

/*
 * 2 for usage, script, input-file and output-exists errors (nothing was
 * touched), 1 otherwise, 0 for CER_OK.
 */
int cer_err_exit_status(int code);

#endif
