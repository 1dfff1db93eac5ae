/* test-pgpwords.c: the PGP word list against published vectors. */
#include "testlib.h"

#include "record/pgpwords.h"

/* The example of the Wikipedia "PGP word list" article. */
static void
test_pgpwords_wikipedia_vector(void **state)
{
	static const unsigned char fp[] = {
		0xE5, 0x82, 0x94, 0xF2, 0xE9, 0xA2, 0x27, 0x48, 0x6E, 0x8B,
		0x06, 0x1B, 0x31, 0xCC, 0x52, 0x8F, 0xD7, 0xFA, 0x3F, 0x19,
	};
	char *s = NULL;

	assert_int_equal(cer_pgpwords_encode(fp, sizeof(fp), &s), CER_OK);
	assert_string_equal(s, "topmost Istanbul Pluto vagabond treadmill Pacific brackish "
	    "dictator goldfish Medusa afflict bravado chatter revolver Dupont midsummer "
	    "stopwatch whimsical cowbell bottomless");
	free(s);
}

/* The ends of both lists, where an off-by-one in the tables would show. */
static void
test_pgpwords_ends(void **state)
{
	assert_string_equal(cer_pgpwords_word(0x00, 0), "aardvark");
	assert_string_equal(cer_pgpwords_word(0x00, 1), "adroitness");
	assert_string_equal(cer_pgpwords_word(0xFF, 2), "Zulu");
	assert_string_equal(cer_pgpwords_word(0xFF, 3), "Yucatan");
	assert_string_equal(cer_pgpwords_word(0x80, 0), "merit");
	assert_string_equal(cer_pgpwords_word(0x80, 1), "intention");
}

/* Every word is unique across both lists, so a word alone gives its byte and parity. */
static void
test_pgpwords_unique(void **state)
{
	const char *w[512];
	size_t i, j;

	for (i = 0; i < 512; i++)
		w[i] = cer_pgpwords_word((unsigned char)(i % 256), i / 256);
	for (i = 0; i < 512; i++)
		for (j = i + 1; j < 512; j++)
			assert_true(strcasecmp(w[i], w[j]) != 0);
}

static void
test_pgpwords_empty(void **state)
{
	char *s = NULL;

	assert_int_equal(cer_pgpwords_encode((const unsigned char *)"", 0, &s), CER_OK);
	assert_string_equal(s, "");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pgpwords_wikipedia_vector),
		cmocka_unit_test(test_pgpwords_ends),
		cmocka_unit_test(test_pgpwords_unique),
		cmocka_unit_test(test_pgpwords_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
