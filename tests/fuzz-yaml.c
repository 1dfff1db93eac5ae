/*
 * fuzz-yaml.c: libFuzzer harness for the strict YAML reader alone (make
 * fuzz).  Any input must give a tree or a clean error, never a crash, a
 * leak or undefined behaviour; the accessors are walked over every tree.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/err.h"
#include "script/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every accessor on every node, as a loader would call them. */
static void
walk(const struct cer_yaml *y, const struct cer_yaml_node *n)
{
	static const char *const names[] = { "", "a", "b", "steps", NULL };
	unsigned long u;
	unsigned e;
	char *text = NULL, b[CER_YAML_SHOW];
	size_t i;
	int v;

	cer_yaml_shown(b, n);
	(void)cer_yaml_is_null(n);
	(void)cer_yaml_is_id(n);
	(void)cer_yaml_want_uint(y, n, "k", 1000, &u);
	(void)cer_yaml_want_enum(y, n, "k", names, &e);
	(void)cer_yaml_want_bool(y, n, "k", &v);
	if (cer_yaml_want_text(y, n, "k", &text) == CER_OK)
		free(text);
	if (n->kind == CER_YAML_MAP) {
		(void)cer_yaml_check_map(y, n, "m", names + 1, NULL);
		(void)cer_yaml_val(n, "steps");
	}
	for (i = 0; i < n->nkids; i++)
		walk(y, n->kids[i]);
	cer_err_clear();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cer_yaml y = { "fuzz.yaml" };
	struct cer_yaml_node *root = NULL;

	if (cer_yaml_parse(&y, data, size, &root) == CER_OK)
		walk(&y, root);
	cer_yaml_free(root);
	cer_err_clear();
	return 0;
}
