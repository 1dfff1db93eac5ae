/* test-yaml.c: the strict YAML reader (src/script/yaml.c), on its own. */
#include "testlib.h"

#include "base/err.h"
#include "script/yaml.h"

#define UNUSED __attribute__((__unused__))

static const struct cer_yaml Y = { "r.yaml" };

/* Parses text; the tree, or NULL after checking the code and that the detail starts with want. */
static struct cer_yaml_node *
parse(const char *text, int code, const char *want)
{
	struct cer_yaml_node *root = NULL;
	int r;

	cer_err_clear();
	r = cer_yaml_parse(&Y, (const unsigned char *)text, strlen(text), &root);
	assert_int_equal(r, code);
	if (r != CER_OK) {
		assert_null(root);
		if (strncmp(cer_err_detail(), want, strlen(want)) != 0)
			fail_msg("detail '%s' does not start with '%s'", cer_err_detail(), want);
	}
	return root;
}

static void
test_yaml_tree_and_positions(void **state UNUSED)
{
	struct cer_yaml_node *root = parse("a: 1\nb:\n  - x\n  - 'y'\nc: {d: e}\n", CER_OK, "");
	const struct cer_yaml_node *b;

	assert_int_equal(root->kind, CER_YAML_MAP);
	assert_int_equal(root->nkids, 6);
	assert_true(cer_yaml_is(cer_yaml_val(root, "a"), "1"));
	b = cer_yaml_val(root, "b");
	assert_int_equal(b->kind, CER_YAML_SEQ);
	assert_int_equal(b->kids[1]->pos.line, 4);
	assert_int_equal(b->kids[1]->pos.col, 5);
	assert_true(b->kids[0]->plain);
	assert_false(b->kids[1]->plain);
	assert_int_equal(cer_yaml_key(root, "c")->pos.line, 5);
	assert_null(cer_yaml_val(root, "z"));
	cer_yaml_free(root);
}

static void
test_yaml_refusals(void **state UNUSED)
{
	parse("a: &x 1\nb: *x\n", CER_ERR_SCRIPT, "r.yaml:1:4: anchors (&x) are not allowed");
	parse("a: !!str 1\n", CER_ERR_SCRIPT, "r.yaml:1:4: tags (tag:yaml.org,2002:str)");
	parse("a: 1\n---\nb: 2\n", CER_ERR_SCRIPT, "r.yaml:2:1: a second YAML document");
	parse("", CER_ERR_SCRIPT, "r.yaml:1:1: the script is empty");
	parse("a: [1\n", CER_ERR_SCRIPT, "r.yaml:");
	parse("a: \"\\xff\"\n\x01", CER_ERR_SCRIPT, "r.yaml:");
}

static void
test_yaml_nul_and_size(void **state UNUSED)
{
	struct cer_yaml_node *root = NULL;
	unsigned char *big;

	assert_int_equal(cer_yaml_parse(&Y, (const unsigned char *)"a: 1\n\0b", 8, &root),
	    CER_ERR_SCRIPT);
	assert_string_equal(cer_err_detail(), "r.yaml:2:1: the script contains a NUL byte; save "
	    "it as UTF-8 text");
	assert_non_null(big = calloc(1, CER_YAML_MAX + 2));
	memset(big, '#', CER_YAML_MAX + 1);
	assert_int_equal(cer_yaml_parse(&Y, big, CER_YAML_MAX + 1, &root), CER_ERR_SCRIPT);
	assert_non_null(strstr(cer_err_detail(), "too large"));
	assert_null(root);
	free(big);
}

static void
test_yaml_depth(void **state UNUSED)
{
	char deep[200] = "";
	size_t i;

	for (i = 0; i < 40; i++)
		strcat(deep, "[");
	parse(deep, CER_ERR_SCRIPT, "r.yaml:1:");
	assert_non_null(strstr(cer_err_detail(), "nested more than 32 deep"));
}

static void
test_yaml_check_map(void **state UNUSED)
{
	static const char *const keys[] = { "alpha", "beta", NULL };
	static const struct cer_yaml_hint hints[] = { { "gamma", "is not for here; drop it" },
	    { NULL, NULL } };
	struct cer_yaml_node *root;

	root = parse("alpha: 1\nbeta: 2\n", CER_OK, "");
	assert_int_equal(cer_yaml_check_map(&Y, root, "the block", keys, hints), CER_OK);
	cer_yaml_free(root);
	root = parse("alpha: 1\nbeat: 2\n", CER_OK, "");
	assert_int_equal(cer_yaml_check_map(&Y, root, "the block", keys, hints), CER_ERR_SCRIPT);
	assert_string_equal(cer_err_detail(), "r.yaml:2:1: unknown key 'beat' in the block; "
	    "did you mean 'beta'?");
	cer_yaml_free(root);
	root = parse("alpha: 1\nzzz: 2\n", CER_OK, "");
	assert_int_equal(cer_yaml_check_map(&Y, root, "the block", keys, hints), CER_ERR_SCRIPT);
	assert_string_equal(cer_err_detail(), "r.yaml:2:1: unknown key 'zzz' in the block; "
	    "the keys allowed here are: alpha, beta");
	cer_yaml_free(root);
	root = parse("alpha: 1\nalpha: 2\n", CER_OK, "");
	assert_int_equal(cer_yaml_check_map(&Y, root, "the block", keys, hints), CER_ERR_SCRIPT);
	assert_string_equal(cer_err_detail(), "r.yaml:2:1: duplicate key 'alpha' in the block "
	    "(first at line 1); keep only one");
	cer_yaml_free(root);
	root = parse("gamma: 1\n", CER_OK, "");
	assert_int_equal(cer_yaml_check_map(&Y, root, "the block", keys, hints), CER_ERR_SCRIPT);
	assert_string_equal(cer_err_detail(), "r.yaml:1:1: 'gamma' is not for here; drop it");
	cer_yaml_free(root);
}

static void
test_yaml_values(void **state UNUSED)
{
	static const char *const names[] = { "", "red", "green", NULL };
	struct cer_yaml_node *root = parse("n: 42\nq: '42'\nz: 042\nb: true\nqb: 'true'\n"
	    "e: gren\nt: \"a\\tb\"\nx: ~\nbig: 99999999999999999999999\n", CER_OK, "");
	unsigned long u;
	unsigned e;
	char *t = NULL;
	int b;

	assert_int_equal(cer_yaml_want_uint(&Y, cer_yaml_val(root, "n"), "n", 100, &u), CER_OK);
	assert_int_equal(u, 42);
	assert_int_equal(cer_yaml_want_uint(&Y, cer_yaml_val(root, "n"), "n", 10, &u),
	    CER_ERR_SCRIPT);
	assert_int_equal(cer_yaml_want_uint(&Y, cer_yaml_val(root, "q"), "q", 100, &u),
	    CER_ERR_SCRIPT);
	assert_int_equal(cer_yaml_want_uint(&Y, cer_yaml_val(root, "z"), "z", 100, &u),
	    CER_ERR_SCRIPT);
	assert_int_equal(cer_yaml_want_uint(&Y, cer_yaml_val(root, "big"), "big", ~0ul, &u),
	    CER_ERR_SCRIPT);
	assert_int_equal(cer_yaml_want_bool(&Y, cer_yaml_val(root, "b"), "b", &b), CER_OK);
	assert_true(b);
	assert_int_equal(cer_yaml_want_bool(&Y, cer_yaml_val(root, "qb"), "qb", &b),
	    CER_ERR_SCRIPT);
	assert_int_equal(cer_yaml_want_enum(&Y, cer_yaml_val(root, "e"), "colour", names, &e),
	    CER_ERR_SCRIPT);
	assert_string_equal(cer_err_detail(), "r.yaml:6:4: 'gren' is not a valid colour; did you "
	    "mean 'green'? (allowed: red, green)");
	assert_int_equal(cer_yaml_want_text(&Y, cer_yaml_val(root, "t"), "t", &t), CER_ERR_SCRIPT);
	assert_non_null(strstr(cer_err_detail(), "control character"));
	assert_null(t);
	assert_true(cer_yaml_is_null(cer_yaml_val(root, "x")));
	assert_int_equal(cer_yaml_want_text(&Y, cer_yaml_val(root, "x"), "x", &t), CER_ERR_SCRIPT);
	assert_int_equal(cer_yaml_want_kind(&Y, cer_yaml_val(root, "n"), CER_YAML_SEQ, "'n'"),
	    CER_ERR_SCRIPT);
	assert_string_equal(cer_err_detail(), "r.yaml:1:4: 'n' must be a sequence, not a scalar; "
	    "write one '- item' line per entry");
	cer_yaml_free(root);
}

static void
test_yaml_show_and_suggest(void **state UNUSED)
{
	static const char *const list[] = { "certificate-profile", "common-name", NULL };
	char b[CER_YAML_SHOW], longtext[200];

	assert_string_equal(cer_yaml_show(b, "a\x01" "b", 3), "a?b");
	memset(longtext, 'x', sizeof(longtext));
	assert_int_equal(strlen(cer_yaml_show(b, longtext, sizeof(longtext))), CER_YAML_SHOW - 1);
	assert_string_equal(cer_yaml_suggest("comon-name", list), "common-name");
	assert_null(cer_yaml_suggest("colour", list));
}

static void
test_yaml_free_null(void **state UNUSED)
{
	cer_yaml_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yaml_tree_and_positions),
		cmocka_unit_test(test_yaml_refusals),
		cmocka_unit_test(test_yaml_nul_and_size),
		cmocka_unit_test(test_yaml_depth),
		cmocka_unit_test(test_yaml_check_map),
		cmocka_unit_test(test_yaml_values),
		cmocka_unit_test(test_yaml_show_and_suggest),
		cmocka_unit_test(test_yaml_free_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
