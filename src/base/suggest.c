/* suggest.c: "did you mean": the nearest name by edit distance. */
#include <string.h>

#include "base/suggest.h"

static int
lower(int ch)
{
	return (ch >= 'A' && ch <= 'Z') ? ch - 'A' + 'a' : ch;
}

/* Optimal string alignment distance, ignoring ASCII case; 255 when too long. */
static unsigned
distance(const char *a, const char *b)
{
	unsigned char d[33][33];
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned v;

	if (la > 32 || lb > 32)
		return 255;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			v = d[i - 1][j - 1] + (lower(a[i - 1]) != lower(b[j - 1]));
			if (d[i - 1][j] + 1u < v)
				v = d[i - 1][j] + 1u;
			if (d[i][j - 1] + 1u < v)
				v = d[i][j - 1] + 1u;
			if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
			    lower(a[i - 2]) == lower(b[j - 1]) && d[i - 2][j - 2] + 1u < v)
				v = d[i - 2][j - 2] + 1u;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

const char *
cer_suggest(const char *word, const char *const *list)
{
	const char *best = NULL;
	unsigned d, bestd = 255;

	for (; *list != NULL; list++) {
		d = distance(word, *list);
		if (d < bestd && d <= 1 + strlen(*list) / 4) {
			bestd = d;
			best = *list;
		}
	}
	return best;
}
