/*
 * pgpwords.c: the PGP word list (Juola & Zimmermann, 1995), as the IANA
 * DNSSEC root key ceremonies read out digests.  Byte i of a digest is read
 * from the even list (two syllables) when i is even and from the odd list
 * (three syllables) when i is odd, so a dropped, repeated or swapped byte
 * changes the rhythm the listeners hear.  Both lists are indexed by byte
 * value; the spelling, capitals included, is the published table's.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "record/pgpwords.h"
#include "base/suggest.h"

static const char *const even[256] = {
	"aardvark", "absurd", "accrue", "acme", "adrift", "adult", "afflict", "ahead",	/* 00 */
	"aimless", "Algol", "allow", "alone", "ammo", "ancient", "apple", "artist",	/* 08 */
	"assume", "Athens", "atlas", "Aztec", "baboon", "backfield", "backward", "banjo",	/* 10 */
	"beaming", "bedlamp", "beehive", "beeswax", "befriend", "Belfast", "berserk", "billiard",	/* 18 */
	"bison", "blackjack", "blockade", "blowtorch", "bluebird", "bombast", "bookshelf", "brackish",	/* 20 */
	"breadline", "breakup", "brickyard", "briefcase", "Burbank", "button", "buzzard", "cement",	/* 28 */
	"chairlift", "chatter", "checkup", "chisel", "choking", "chopper", "Christmas", "clamshell",	/* 30 */
	"classic", "classroom", "cleanup", "clockwork", "cobra", "commence", "concert", "cowbell",	/* 38 */
	"crackdown", "cranky", "crowfoot", "crucial", "crumpled", "crusade", "cubic", "dashboard",	/* 40 */
	"deadbolt", "deckhand", "dogsled", "dragnet", "drainage", "dreadful", "drifter", "dropper",	/* 48 */
	"drumbeat", "drunken", "Dupont", "dwelling", "eating", "edict", "egghead", "eightball",	/* 50 */
	"endorse", "endow", "enlist", "erase", "escape", "exceed", "eyeglass", "eyetooth",	/* 58 */
	"facial", "fallout", "flagpole", "flatfoot", "flytrap", "fracture", "framework", "freedom",	/* 60 */
	"frighten", "gazelle", "Geiger", "glitter", "glucose", "goggles", "goldfish", "gremlin",	/* 68 */
	"guidance", "hamlet", "highchair", "hockey", "indoors", "indulge", "inverse", "involve",	/* 70 */
	"island", "jawbone", "keyboard", "kickoff", "kiwi", "klaxon", "locale", "lockup",	/* 78 */
	"merit", "minnow", "miser", "Mohawk", "mural", "music", "necklace", "Neptune",	/* 80 */
	"newborn", "nightbird", "Oakland", "obtuse", "offload", "optic", "orca", "payday",	/* 88 */
	"peachy", "pheasant", "physique", "playhouse", "Pluto", "preclude", "prefer", "preshrunk",	/* 90 */
	"printer", "prowler", "pupil", "puppy", "python", "quadrant", "quiver", "quota",	/* 98 */
	"ragtime", "ratchet", "rebirth", "reform", "regain", "reindeer", "rematch", "repay",	/* A0 */
	"retouch", "revenge", "reward", "rhythm", "ribcage", "ringbolt", "robust", "rocker",	/* A8 */
	"ruffled", "sailboat", "sawdust", "scallion", "scenic", "scorecard", "Scotland", "seabird",	/* B0 */
	"select", "sentence", "shadow", "shamrock", "showgirl", "skullcap", "skydive", "slingshot",	/* B8 */
	"slowdown", "snapline", "snapshot", "snowcap", "snowslide", "solo", "southward", "soybean",	/* C0 */
	"spaniel", "spearhead", "spellbind", "spheroid", "spigot", "spindle", "spyglass", "stagehand",	/* C8 */
	"stagnate", "stairway", "standard", "stapler", "steamship", "sterling", "stockman", "stopwatch",	/* D0 */
	"stormy", "sugar", "surmount", "suspense", "sweatband", "swelter", "tactics", "talon",	/* D8 */
	"tapeworm", "tempest", "tiger", "tissue", "tonic", "topmost", "tracker", "transit",	/* E0 */
	"trauma", "treadmill", "Trojan", "trouble", "tumor", "tunnel", "tycoon", "uncut",	/* E8 */
	"unearth", "unwind", "uproot", "upset", "upshot", "vapor", "village", "virus",	/* F0 */
	"Vulcan", "waffle", "wallet", "watchword", "wayside", "willow", "woodlark", "Zulu",	/* F8 */
};

static const char *const odd[256] = {
	"adroitness", "adviser", "aftermath", "aggregate", "alkali", "almighty", "amulet", "amusement",	/* 00 */
	"antenna", "applicant", "Apollo", "armistice", "article", "asteroid", "Atlantic", "atmosphere",	/* 08 */
	"autopsy", "Babylon", "backwater", "barbecue", "belowground", "bifocals", "bodyguard", "bookseller",	/* 10 */
	"borderline", "bottomless", "Bradbury", "bravado", "Brazilian", "breakaway", "Burlington", "businessman",	/* 18 */
	"butterfat", "Camelot", "candidate", "cannonball", "Capricorn", "caravan", "caretaker", "celebrate",	/* 20 */
	"cellulose", "certify", "chambermaid", "Cherokee", "Chicago", "clergyman", "coherence", "combustion",	/* 28 */
	"commando", "company", "component", "concurrent", "confidence", "conformist", "congregate", "consensus",	/* 30 */
	"consulting", "corporate", "corrosion", "councilman", "crossover", "crucifix", "cumbersome", "customer",	/* 38 */
	"Dakota", "decadence", "December", "decimal", "designing", "detector", "detergent", "determine",	/* 40 */
	"dictator", "dinosaur", "direction", "disable", "disbelief", "disruptive", "distortion", "document",	/* 48 */
	"embezzle", "enchanting", "enrollment", "enterprise", "equation", "equipment", "escapade", "Eskimo",	/* 50 */
	"everyday", "examine", "existence", "exodus", "fascinate", "filament", "finicky", "forever",	/* 58 */
	"fortitude", "frequency", "gadgetry", "Galveston", "getaway", "glossary", "gossamer", "graduate",	/* 60 */
	"gravity", "guitarist", "hamburger", "Hamilton", "handiwork", "hazardous", "headwaters", "hemisphere",	/* 68 */
	"hesitate", "hideaway", "holiness", "hurricane", "hydraulic", "impartial", "impetus", "inception",	/* 70 */
	"indigo", "inertia", "infancy", "inferno", "informant", "insincere", "insurgent", "integrate",	/* 78 */
	"intention", "inventive", "Istanbul", "Jamaica", "Jupiter", "leprosy", "letterhead", "liberty",	/* 80 */
	"maritime", "matchmaker", "maverick", "Medusa", "megaton", "microscope", "microwave", "midsummer",	/* 88 */
	"millionaire", "miracle", "misnomer", "molasses", "molecule", "Montana", "monument", "mosquito",	/* 90 */
	"narrative", "nebula", "newsletter", "Norwegian", "October", "Ohio", "onlooker", "opulent",	/* 98 */
	"Orlando", "outfielder", "Pacific", "pandemic", "Pandora", "paperweight", "paragon", "paragraph",	/* A0 */
	"paramount", "passenger", "pedigree", "Pegasus", "penetrate", "perceptive", "performance", "pharmacy",	/* A8 */
	"phonetic", "photograph", "pioneer", "pocketful", "politeness", "positive", "potato", "processor",	/* B0 */
	"provincial", "proximate", "puberty", "publisher", "pyramid", "quantity", "racketeer", "rebellion",	/* B8 */
	"recipe", "recover", "repellent", "replica", "reproduce", "resistor", "responsive", "retraction",	/* C0 */
	"retrieval", "retrospect", "revenue", "revival", "revolver", "sandalwood", "sardonic", "Saturday",	/* C8 */
	"savagery", "scavenger", "sensation", "sociable", "souvenir", "specialist", "speculate", "stethoscope",	/* D0 */
	"stupendous", "supportive", "surrender", "suspicious", "sympathy", "tambourine", "telephone", "therapist",	/* D8 */
	"tobacco", "tolerance", "tomorrow", "torpedo", "tradition", "travesty", "trombonist", "truncated",	/* E0 */
	"typewriter", "ultimate", "undaunted", "underfoot", "unicorn", "unify", "universe", "unravel",	/* E8 */
	"upcoming", "vacancy", "vagabond", "vertigo", "Virginia", "visitor", "vocalist", "voyager",	/* F0 */
	"warranty", "Waterloo", "whimsical", "Wichita", "Wilmington", "Wyoming", "yesteryear", "Yucatan",	/* F8 */
};

const char *
cer_pgpwords_word(unsigned char byte, size_t position)
{
	return position % 2 == 0 ? even[byte] : odd[byte];
}

int
cer_pgpwords_encode(const unsigned char *buf, size_t len, char **out)
{
	size_t i, n = 1;
	char *s, *p;

	*out = NULL;
	for (i = 0; i < len; i++)
		n += strlen(cer_pgpwords_word(buf[i], i)) + 1;
	if ((s = malloc(n)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	p = s;
	*p = '\0';
	for (i = 0; i < len; i++) {
		if (i > 0)
			*p++ = ' ';
		n = strlen(cer_pgpwords_word(buf[i], i));
		memcpy(p, cer_pgpwords_word(buf[i], i), n + 1);
		p += n;
	}
	*out = s;
	return CER_OK;
}

void
cer_pgpwords_print(FILE *f, const unsigned char *buf, size_t len, const char *before,
    const char *after)
{
	size_t i;

	for (i = 0; i < len; i++)
		fprintf(f, "%s%s%s", i % 8 == 0 ? before : " ", cer_pgpwords_word(buf[i], i),
		    i % 8 == 7 || i == len - 1 ? after : "");
}

/* The byte whose word in list is w (any case), or -1. */
static int
byte_of(const char *const *list, const char *w)
{
	int b;

	for (b = 0; b < 256; b++)
		if (strcasecmp(list[b], w) == 0)
			return b;
	return -1;
}

/* Why word number k (from 1), w, is not the right list's word. */
static int
bad_word(size_t k, const char *w)
{
	const char *const *want = k % 2 == 1 ? even : odd, *const *other = k % 2 == 1 ? odd : even;
	const char *names[2 * 256 + 1], *near;
	int b;

	if (byte_of(other, w) >= 0)
		return cer_fail(CER_ERR_USAGE, "word %zu, '%s', is a %s-syllable PGP word where "
		    "a %s-syllable one belongs: a word before it is missing or written twice", k, w,
		    k % 2 == 1 ? "three" : "two", k % 2 == 1 ? "two" : "three");
	/* the nearest of the position's list first: a misspelling keeps the rhythm */
	for (b = 0; b < 256; b++) {
		names[b] = want[b];
		names[256 + b] = other[b];
	}
	names[2 * 256] = NULL;
	if ((near = cer_suggest(w, names)) != NULL)
		return cer_fail(CER_ERR_USAGE, "word %zu, '%s', is not a PGP word; did you mean "
		    "'%s'?", k, w, near);
	return cer_fail(CER_ERR_USAGE, "word %zu, '%s', is not a PGP word", k, w);
}

int
cer_pgpwords_decode(const char *text, unsigned char *out, size_t len, size_t *n)
{
	char w[64];
	size_t k;
	int b;

	*n = 0;
	while (*text != '\0') {
		for (; isspace((unsigned char)*text); text++)
			;
		for (k = 0; *text != '\0' && !isspace((unsigned char)*text); text++)
			if (k + 1 < sizeof(w))
				w[k++] = *text;
		w[k] = '\0';
		if (k == 0)
			break;
		if (*n == len)
			return cer_fail(CER_ERR_USAGE, "more than %zu PGP words", len);
		if ((b = byte_of(*n % 2 == 0 ? even : odd, w)) < 0)
			return bad_word(*n + 1, w);
		out[(*n)++] = (unsigned char)b;
	}
	return CER_OK;
}
