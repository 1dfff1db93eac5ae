/* suggest.h: the nearest of a list of names to a misspelt one ("did you mean"). */
#ifndef CER_SUGGEST_H
#define CER_SUGGEST_H

/*
 * The closest name in the NULL-terminated list to word, ignoring ASCII
 * case, or NULL when none is close (more than a quarter of its letters, plus
 * one, would change).
 */
const char *cer_suggest(const char *word, const char *const *list);

#endif
