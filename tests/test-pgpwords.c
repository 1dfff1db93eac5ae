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

/* Words read back: any case and spacing; a misspelling or a slip named, never a mismatch. */
static void
test_pgpwords_decode(void **state)
{
	unsigned char b[32];
	size_t n = 0;

	assert_int_equal(cer_pgpwords_decode("  TOPMOST istanbul\n Pluto\tvagabond ", b, sizeof(b),
	    &n), CER_OK);
	assert_int_equal(n, 4);
	assert_int_equal(b[0], 0xE5);
	assert_int_equal(b[3], 0xF2);
	assert_int_equal(cer_pgpwords_decode("topmost Istanbul Pluto vagabon", b, sizeof(b), &n),
	    CER_ERR_USAGE);
	assert_non_null(strstr(cer_err_detail(), "word 4, 'vagabon', is not a PGP word; did you "
	    "mean 'vagabond'?"));
	/* trombonist is a three-syllable word: suggested at a two-syllable place too */
	assert_int_equal(cer_pgpwords_decode("trombone", b, sizeof(b), &n), CER_ERR_USAGE);
	assert_non_null(strstr(cer_err_detail(), "did you mean 'trombonist'?"));
	/* a word left out: the next one is of the other list */
	assert_int_equal(cer_pgpwords_decode("topmost Pluto", b, sizeof(b), &n), CER_ERR_USAGE);
	assert_non_null(strstr(cer_err_detail(), "word 2, 'Pluto', is a two-syllable PGP word "
	    "where a three-syllable one belongs"));
	assert_int_equal(cer_pgpwords_decode("qqqqqqqqqq", b, sizeof(b), &n), CER_ERR_USAGE);
	assert_null(strstr(cer_err_detail(), "did you mean"));
	assert_int_equal(cer_pgpwords_decode("topmost Istanbul Pluto", b, 2, &n), CER_ERR_USAGE);
	assert_non_null(strstr(cer_err_detail(), "more than 2 PGP words"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pgpwords_wikipedia_vector),
		cmocka_unit_test(test_pgpwords_ends),
		cmocka_unit_test(test_pgpwords_unique),
		cmocka_unit_test(test_pgpwords_empty),
		cmocka_unit_test(test_pgpwords_decode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
