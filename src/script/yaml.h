/*
 * yaml.h: the strict YAML reader under the script loader (and any other
 * file of the same kind).  One document of one stream, read into a tree of
 * positioned nodes; anchors, aliases, tags, a second document and nesting
 * deeper than a script needs are refused.  The accessors check kinds, keys
 * and values, and fail with one line "file:line:col: what; what to do"
 * (CER_ERR_SCRIPT), naming the nearest allowed key or value when one was
 * misspelt.  Nothing here knows what a ceremony is.
 */
#ifndef CER_YAML_H
#define CER_YAML_H

#include <stddef.h>

#include "base/err.h"

/* Which file the nodes came from, for messages. */
struct cer_yaml {
	const char *file;
};

enum cer_yaml_kind { CER_YAML_SCALAR = 1, CER_YAML_SEQ, CER_YAML_MAP };

/* A node; a mapping's kids are key, value, key, value, ... */
struct cer_yaml_node {
	enum cer_yaml_kind kind;
	struct cer_pos pos;
	char *str;		/* scalar text (may hold a NUL from an escape) */
	size_t len;
	int plain;		/* plain scalar style */
	int block;		/* literal or folded scalar */
	struct cer_yaml_node **kids;
	size_t nkids;
	size_t cap;
};

/* A key that is known but refused in a mapping, and why. */
struct cer_yaml_hint {
	const char *key;
	const char *why;
};

/* The largest text the reader takes (a script is a short text file). */
#define CER_YAML_MAX (1024 * 1024)

/* Bytes of user text a message shows (cer_yaml_show). */
#define CER_YAML_SHOW 64

/*
 * The longest key label (any text field whose key ends in "label"), in
 * bytes.  PKCS#11 sets no limit on CKA_LABEL; HSMs do (a YubiHSM 2 object
 * label is 40 bytes), and a label is a name an operator reads aloud.
 */
#define CER_YAML_LABEL_MAX 128

/*
 * Reads the one document of text (at most 1 MiB, no NUL byte, UTF-8) into
 * *root.  CER_ERR_SCRIPT with the position of the first problem.
 */
int cer_yaml_parse(const struct cer_yaml *y, const unsigned char *text, size_t len,
    struct cer_yaml_node **root) CER_WUR;

/* Frees a tree, wiping its text (a script may hold a literal PIN). Accepts NULL. */
void cer_yaml_free(struct cer_yaml_node *n);

/* CER_ERR_SCRIPT with "file:line:col: " and the message. */
int cer_yaml_fail(const struct cer_yaml *y, struct cer_pos p, const char *fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));

/* CER_ERR_ALLOC, "out of memory while reading the script". */
int cer_yaml_nomem(void);

/* User text for a message: at most CER_YAML_SHOW-4 bytes, control bytes as '?'. */
const char *cer_yaml_show(char buf[CER_YAML_SHOW], const char *s, size_t len);
const char *cer_yaml_shown(char buf[CER_YAML_SHOW], const struct cer_yaml_node *n);

/* The closest name in a NULL-terminated list, or NULL when none is close. */
const char *cer_yaml_suggest(const char *word, const char *const *list);

/* Is n the scalar s?  A null scalar (~, null, empty)?  One of list?  [A-Za-z0-9._-]+? */
int cer_yaml_is(const struct cer_yaml_node *n, const char *s);
int cer_yaml_is_null(const struct cer_yaml_node *n);
int cer_yaml_listed(const char *const *list, const struct cer_yaml_node *n);
int cer_yaml_is_id(const struct cer_yaml_node *n);

/* The key node, or the value node, of key in mapping m; NULL when absent. */
const struct cer_yaml_node *cer_yaml_key(const struct cer_yaml_node *m, const char *key);
const struct cer_yaml_node *cer_yaml_val(const struct cer_yaml_node *m, const char *key);

/* n is of this kind (what names it in the message). */
int cer_yaml_want_kind(const struct cer_yaml *y, const struct cer_yaml_node *n,
    enum cer_yaml_kind kind, const char *what) CER_WUR;

/* A mapping whose keys are unique names from allowed (hints: known keys refused, and why). */
int cer_yaml_check_map(const struct cer_yaml *y, const struct cer_yaml_node *m,
    const char *what, const char *const *allowed, const struct cer_yaml_hint *hints) CER_WUR;

/* The failure for key missing from mapping m. */
int cer_yaml_missing(const struct cer_yaml *y, const struct cer_yaml_node *m,
    const char *what, const char *key) CER_WUR;

/* A one-line text scalar with a value and no control characters; want_text copies it. */
int cer_yaml_check_text(const struct cer_yaml *y, const struct cer_yaml_node *n,
    const char *key) CER_WUR;
int cer_yaml_want_text(const struct cer_yaml *y, const struct cer_yaml_node *n,
    const char *key, char **out) CER_WUR;

/* An optional text field of mapping m; *out stays NULL when absent, else *pos is its place. */
int cer_yaml_opt_text(const struct cer_yaml *y, const struct cer_yaml_node *m,
    const char *key, char **out, struct cer_pos *pos) CER_WUR;

/* An unquoted decimal integer from 0 to max, without a leading zero. */
int cer_yaml_want_uint(const struct cer_yaml *y, const struct cer_yaml_node *n,
    const char *key, unsigned long max, unsigned long *out) CER_WUR;

/* One of the names tab[1..] (NULL-terminated); *out is its index. */
int cer_yaml_want_enum(const struct cer_yaml *y, const struct cer_yaml_node *n,
    const char *key, const char *const *tab, unsigned *out) CER_WUR;

/* true or false, unquoted. */
int cer_yaml_want_bool(const struct cer_yaml *y, const struct cer_yaml_node *n,
    const char *key, int *out) CER_WUR;

#endif
