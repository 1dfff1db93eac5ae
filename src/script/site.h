/*
 * site.h: the site file.  A script names its tokens by role (the names of
 * its tokens:, "pkcs11" for a Boulder config's block, "<step>.pkcs11" for
 * an inline one); a site file says, for one place (the rehearsal laptop,
 * the CI runner, the offline room), which module, which token and which
 * PIN source each role is.  The reviewed script stays byte for byte the
 * same from rehearsal to the real HSM; only the site file changes.
 *
 *	site: Offline room, HSM rack 2        (optional, recorded)
 *	tokens:
 *	  root-hsm:
 *	    module: /opt/vendor/lib/libvendorpkcs11.so
 *	    token-label: ROOT-2026             (or token-serial, or uri)
 *	    pin: prompt                        (prompt, file:, env:, fd:; literal: SoftHSM only)
 *
 * Read as strictly as a script (yaml.h): unknown keys with suggestions,
 * file:line:col in every message, every entry complete; applying it
 * checks that every role it names is the script's and every role the
 * script uses is in it.  Nothing here opens an HSM.
 */
#ifndef CER_SITE_H
#define CER_SITE_H

#include <stddef.h>

#include "base/err.h"
#include "script/model.h"

struct cer_site {
	/*
	 * The file as a script holds it: path, text (hashed into the
	 * transcript), redacted text, name (site:), and its tokens, whose
	 * names are the roles.
	 */
	struct cer_script *doc;
	struct cer_pos tokens_pos;	/* the tokens: mapping */
};

/* Reads and parses the site file at path; CER_ERR_INPUT when unreadable, CER_ERR_SCRIPT. */
int cer_site_load(const char *path, struct cer_site **out) CER_WUR;

/* Parses len bytes of site text; name is used in messages. */
int cer_site_parse(const char *name, const unsigned char *text, size_t len,
    struct cer_site **out) CER_WUR;

/*
 * Places each role of s as site says: every token the site names must be
 * one of s, every token a step of s uses must be in the site; each such
 * token then has the site's module, selector and PIN (and from = the site
 * file's path, so messages point into it).  A Boulder key config that
 * writes pkcs11-config-path needs a literal PIN (or none) there too.
 * CER_ERR_SCRIPT naming the site file's line and column.  site must
 * outlive s's use.
 */
int cer_site_apply(const struct cer_site *site, struct cer_script *s) CER_WUR;

/* Frees a site, wiping its text.  Accepts NULL. */
void cer_site_free(struct cer_site *site);

#endif
