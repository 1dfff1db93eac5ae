/*
 * step-key.c: the key step type: a CA key pair generated in the HSM, read
 * back and checked, recorded, its public key written.  A root step that
 * makes its own key generates it here too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "base/util.h"
#include "run/steplint.h"
#include "script/fields.h"
#include "steps/step.h"
#include "x509/profile.h"

static const char *
key_text(const struct cer_key_spec *k, char *buf, size_t n)
{
	if (k->type == CER_KEY_RSA)
		snprintf(buf, n, "RSA-%u", k->rsa_bits);
	else if (k->type == CER_KEY_EC)
		snprintf(buf, n, "ECDSA %s", cer_curve_name(k->curve));
	else
		snprintf(buf, n, "Ed25519");
	return buf;
}

/*
 * Destroys a key this ceremony made and refuses (key-destroyed), or, when
 * the token will not, records it precisely (key-refused: its CKA_ID and
 * label, why) and says in how what the operator does.  CER_OK when it is
 * gone; else the failure, the detail naming the key.
 */
static int
discard_key(struct cer_ctx *ctx, const struct cer_step *step, size_t index, const char *why,
    char *how, size_t n)
{
	struct cer_token *tok = ctx->tokens[step->token];
	char id[129];
	json_t *destroyed = NULL;
	int r, gone;

	snprintf(id, sizeof(id), "%s", cer_hsm_key_id_hex(ctx->keys[index]));
	gone = cer_hsm_key_destroy(tok, ctx->keys[index], &destroyed) == CER_OK;
	if (gone) {
		snprintf(how, n, "it was destroyed (key-destroyed)");
		r = cer_ctx_record(ctx, "key-destroyed", json_pack("{s:s, s:s, s:s, s:s, s:s, s:O}",
		    "step", step->id, "token", cer_hsm_token_label(tok), "label", step->label,
		    "id", id, "why", why, "objects", destroyed));
	} else {
		snprintf(how, n, "the token would not destroy it (%s): remove both objects with "
		    "CKA_ID %s labelled '%s' (pkcs11-tool --delete-object --type privkey --id %s, "
		    "then --type pubkey), then --resume", cer_err_detail(), id, step->label, id);
		r = cer_ctx_record(ctx, "key-refused", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, "
		    "s:O}", "step", step->id, "token", cer_hsm_token_label(tok), "label",
		    step->label, "id", id, "why", why, "destroy_error", cer_err_detail(),
		    "destroyed", destroyed != NULL ? destroyed : json_null()));
	}
	json_decref(destroyed);
	cer_hsm_key_free(ctx->keys[index]);
	ctx->keys[index] = NULL;
	if (r != CER_OK)
		return r;
	return gone ? CER_OK : cer_fail(CER_ERR_KEY, "step %s: key '%s' (CKA_ID %s) is "
	    "refused: %s; %s", step->id, step->label, id, why, how);
}

/* A key refused by a check (the current detail): discarded, and the step stops. */
static int
refuse_key(struct cer_ctx *ctx, const struct cer_step *step, size_t index, int code)
{
	char why[1024], how[1024], id[129];
	int r;

	snprintf(why, sizeof(why), "%s", cer_err_detail());
	snprintf(id, sizeof(id), "%s", cer_hsm_key_id_hex(ctx->keys[index]));
	if ((r = discard_key(ctx, step, index, why, how, sizeof(how))) != CER_OK)
		return r;
	return cer_fail(code, "step %s: the new key '%s' (CKA_ID %s) is refused: %s; %s; "
	    "--resume generates a new one (once nothing else holds the label)", step->id,
	    step->label, id, why, how);
}

/*
 * Every check of a key made (or taken over) here, after it was recorded:
 * it alone has the label, it is what was asked for, its public key reads
 * back the same twice, its attributes are a CA key's.  A failure of these
 * checks (CER_ERR_KEY) refuses the key; an HSM error leaves it to --resume.
 */
static int
check_key(struct cer_ctx *ctx, const struct cer_step *step, size_t index,
    const struct cer_keygen *kg, json_t **readback)
{
	struct cer_token *tok = ctx->tokens[step->token];
	struct cer_key *key = ctx->keys[index];
	int r;

	*readback = NULL;
	if ((r = cer_hsm_key_sole(tok, key)) != CER_OK ||
	    (r = cer_hsm_key_matches(tok, key, kg)) != CER_OK ||
	    (r = cer_hsm_key_reread(tok, key)) != CER_OK ||
	    (r = cer_hsm_key_attributes(tok, key, readback)) != CER_OK) {
		if (r == CER_ERR_KEY)
			r = refuse_key(ctx, step, index, r);
		return r;
	}
	return CER_OK;
}

/*
 * Whether the key with CKA_ID id is the one this ceremony made for the step:
 * the one its key-created records; with none recorded (a kill between
 * C_GenerateKeyPair and the record), any, unless its key was destroyed.
 */
static int
own_key(const struct cer_resume *res, size_t index, const char *id)
{
	const struct cer_resume_step *rs = &res->steps[index];

	if (rs->own_id[0] != '\0')
		return strcmp(rs->own_id, id) == 0;
	return !rs->destroyed;
}

/*
 * Resuming after a kill between C_GenerateKeyPair and its record: the one
 * key pair with the label is taken over, if its attributes read back show
 * it was made in the token and never left it; recorded as adopted.  A key
 * the interrupted run refused and could not destroy is destroyed now (it
 * is this ceremony's own, by its CKA_ID) and a new one generated.
 */
static int
adopt_key(struct cer_ctx *ctx, const struct cer_step *step, size_t index, json_t **template)
{
	const char *refused = ctx->resume->steps[index].refused_id;
	json_t *removed = NULL;
	char how[1024];
	int r;

	*template = NULL;
	if ((r = cer_hsm_find_key(ctx->tokens[step->token], step->label, NULL,
	    &ctx->keys[index])) == CER_OK && refused[0] != '\0' &&
	    strcmp(cer_hsm_key_id_hex(ctx->keys[index]), refused) == 0) {
		ctx->adopt[index] = 0;
		if ((r = discard_key(ctx, step, index, "refused before the interruption", how,
		    sizeof(how))) != CER_OK)
			return r;
		printf("%s: destroyed key '%s' (CKA_ID %s), refused before the interruption\n",
		    step->id, step->label, refused);
		return CER_OK;
	}
	if (r == CER_OK && !own_key(ctx->resume, index, cer_hsm_key_id_hex(ctx->keys[index])))
		return cer_fail(CER_ERR_KEY, "token '%s' holds key '%s' (CKA_ID %s), which this "
		    "ceremony did not make (its transcript records %s); look at it "
		    "(pkcs11-tool --list-objects), remove it, then --resume",
		    cer_hsm_token_label(ctx->tokens[step->token]), step->label,
		    cer_hsm_key_id_hex(ctx->keys[index]), ctx->resume->steps[index].own_id[0] !=
		    '\0' ? "another CKA_ID" : "its own key destroyed");
	if (r != CER_OK) {
		/* only the public half was made: remove it, and generate the key afresh */
		if ((r = cer_hsm_remove_orphan_public(ctx->tokens[step->token], step->label,
		    &removed)) != CER_OK)
			return r;
		printf("%s: removed the public half of the key generation cut off by the "
		    "interruption\n", step->id);
		ctx->adopt[index] = 0;
		return cer_ctx_record(ctx, "orphan-removed", json_pack("{s:s, s:o}", "step",
		    step->id, "object", removed));
	}
	printf("%s: taking over key '%s', generated before the interruption but not recorded\n",
	    step->id, step->label);
	*template = json_pack("{s:b}", "adopted_after_interruption", 1);
	return *template != NULL ? CER_OK : cer_fail(CER_ERR_ALLOC, "out of memory");
}

/* The public-key output of a key the step generated (or made before an interruption). */
static int
write_public_key(struct cer_ctx *ctx, const struct cer_step *step, size_t index)
{
	const char *path = cer_step_output_path(step, "public-key-path");
	EVP_PKEY *pub = NULL;
	char *pem = NULL;
	size_t len = 0;
	int r;

	if (path == NULL)
		return CER_OK;
	if ((r = cer_hsm_key_public(ctx->tokens[step->token], ctx->keys[index],
	    &pub)) == CER_OK &&
	    (r = cer_profile_pubkey_pem(pub, &pem, &len)) == CER_OK)
		r = cer_ctx_output(ctx, step, "public-key", path, pem, len);
	EVP_PKEY_free(pub);
	free(pem);
	return r;
}

/*
 * The summary of a generated key with the key checks (keycheck.h): a weak
 * key is refused as any other (refuse_key: destroyed, or named) and stops
 * the run.
 */
static int
key_summary(EVP_PKEY *pub, json_t **keyj, char weak[static 512])
{
	json_t *findings = NULL;
	int r;

	weak[0] = '\0';
	if ((r = cer_profile_key_json(pub, keyj)) != CER_OK)
		return r;
	if ((r = cer_steplint_key(pub, &findings)) == CER_ERR_VERIFY) {
		snprintf(weak, 512, "%s", cer_err_detail());
		r = CER_OK;
	}
	json_object_set_new(*keyj, "keycheck", findings != NULL ? findings : json_null());
	return r;
}

/* Generates the step's key, checks it on the token, records it, writes its public key. */
int
cer_step_generate_key(struct cer_ctx *ctx, const struct cer_step *step, size_t index)
{
	struct cer_token *tok = ctx->tokens[step->token];
	struct cer_keygen kg = { step->key.type, step->key.rsa_bits, step->key.curve,
	    step->label };
	json_t *template = NULL, *readback = NULL, *keyj = NULL;
	char what[300], kt[32], weak[512], *pem = NULL;
	EVP_PKEY *pub = NULL;
	size_t pem_len = 0;
	int r = CER_ERR_INTERNAL;

	key_text(&step->key, kt, sizeof(kt));
	if (ctx->keys[index] != NULL)		/* recorded before an interruption */
		return write_public_key(ctx, step, index);
	snprintf(what, sizeof(what), "step %s: generate an %s key labelled '%s' on token '%s' "
	    "(serial %s)", step->id, kt, step->label, cer_hsm_token_label(tok),
	    cer_hsm_token_serial(tok));
	if (ctx->adopt[index])
		r = adopt_key(ctx, step, index, &template);
	if (!ctx->adopt[index] && (r = cer_ctx_confirm(ctx, step, what, NULL, NULL)) == CER_OK &&
	    (r = cer_hsm_generate(tok, &kg, &ctx->keys[index], &template)) == CER_OK)
		/* recorded before any check, so that nothing made here goes unrecorded */
		r = cer_ctx_record(ctx, "key-created", json_pack("{s:s, s:s, s:s, s:s, s:O}",
		    "step", step->id, "token", cer_hsm_token_label(tok), "label", step->label,
		    "id", cer_hsm_key_id_hex(ctx->keys[index]), "template", template));
	if (r != CER_OK)
		goto out;
	if ((r = check_key(ctx, step, index, &kg, &readback)) != CER_OK ||
	    (r = cer_hsm_key_public(tok, ctx->keys[index], &pub)) != CER_OK ||
	    (r = key_summary(pub, &keyj, weak)) != CER_OK ||
	    (r = cer_profile_pubkey_pem(pub, &pem, &pem_len)) != CER_OK)
		goto out;
	if (weak[0] != '\0') {	/* refused like any other: never recorded as the step's key */
		r = refuse_key(ctx, step, index, cer_fail(CER_ERR_KEY, "%s", weak));
		goto out;
	}
	printf("%s: generated %s key '%s' (CKA_ID %s) on token '%s'; SPKI SHA-256 %s\n",
	    step->id, kt, step->label, cer_hsm_key_id_hex(ctx->keys[index]),
	    cer_hsm_token_label(tok), json_string_value(json_object_get(keyj, "spki_sha256")));
	r = cer_ctx_record(ctx, "key-generated",
	    json_pack("{s:s, s:s, s:s, s:s, s:O, s:O, s:O, s:s}",
	    "step", step->id, "token", cer_hsm_token_label(tok), "label", step->label,
	    "id", cer_hsm_key_id_hex(ctx->keys[index]), "template", template,
	    "read_back", readback, "public_key", keyj, "public_key_pem", pem));
	if (r != CER_OK)
		goto out;
	r = write_public_key(ctx, step, index);
 out:
	EVP_PKEY_free(pub);
	json_decref(template);
	json_decref(readback);
	json_decref(keyj);
	free(pem);
	return r;
}

/* What a key step does not take. */
static int
parse(const struct cer_parse *c, const struct cer_yaml_node *m, size_t idx)
{
	static const char *const unused[] = { "signing-key", "certificate-profile",
	    "skip-lints", NULL };
	const char *const *k;

	for (k = unused; *k != NULL; k++)
		if (cer_yaml_key(m, *k) != NULL)
			return cer_yaml_fail(&c->y, cer_yaml_key(m, *k)->pos,
			    "'%s' is not used "
			    "by a key step; remove it", *k);
	return cer_fields_key_step(c, m, idx);
}

/* s as a JSON string, into b (6 * strlen(s) + 3 bytes): what Go's %q makes of printable text. */
static size_t
json_quoted(char *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;
	size_t n = 0;

	b[n++] = '"';
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			b[n++] = '\\';
			b[n++] = (char)*p;
		} else if (*p < 0x20 || *p == 0x7f) {
			memcpy(b + n, "\\u00", 4);
			b[n + 4] = hex[*p >> 4];
			b[n + 5] = hex[*p & 0xf];
			n += 6;
		} else
			b[n++] = (char)*p;
	}
	b[n++] = '"';
	b[n] = '\0';
	return n;
}

/*
 * Boulder's keyCeremony: {"module": ..., "tokenLabel": ..., "pin": ...},
 * byte for byte, with the key's label as tokenLabel and the config's PIN
 * ("" when it has none), as Boulder's CA reads it.
 */
static int
write_pkcs11_config(struct cer_ctx *ctx, const struct cer_step *step)
{
	const struct cer_token_spec *t = &ctx->script->tokens[step->token];
	const char *pin = t->pin_literal ? t->pin : "";
	size_t size = 6 * (strlen(t->module) + strlen(step->label) + strlen(pin)) + 64, n;
	char *buf;
	int r;

	if ((buf = malloc(size)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	n = (size_t)snprintf(buf, size, "{\"module\": ");
	n += json_quoted(buf + n, t->module);
	n += (size_t)snprintf(buf + n, size - n, ", \"tokenLabel\": ");
	n += json_quoted(buf + n, step->label);
	n += (size_t)snprintf(buf + n, size - n, ", \"pin\": ");
	n += json_quoted(buf + n, pin);
	n += (size_t)snprintf(buf + n, size - n, "}");
	r = cer_ctx_pkcs11_config(ctx, step, step->pkcs11_config, buf, n,
	    json_pack("{s:s, s:s, s:s, s:s, s:b}", "holds", "module, tokenLabel and pin, "
	    "in clear; not hashed (a hash of a short PIN gives it away)", "module", t->module,
	    "token_label", step->label, "pin", t->pin_literal ? "the config's literal PIN" :
	    "empty (the config has none)", "mode_0600", 1));
	cer_freezero(buf, size);
	return r;
}

static int
run_key(struct cer_ctx *ctx, const struct cer_step *step, size_t index)
{
	int r;

	if ((r = cer_step_generate_key(ctx, step, index)) != CER_OK || step->pkcs11_config == NULL)
		return r;
	return write_pkcs11_config(ctx, step);
}

static const struct cer_step_key keys[] = {
	{ "token", 1 }, { "pkcs11", 0 }, { "label", 1 }, { "key", 0 }, { "outputs", 0 },
	{ NULL, 0 },
};

const struct cer_step_impl cer_step_key_impl = {
	.type = CER_STEP_KEY,
	.does = "generate a key pair in the HSM and write its public key",
	.keys = keys,
	.parse = parse,
	.run = run_key,
};
