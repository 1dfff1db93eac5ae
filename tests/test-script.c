/* test-script.c: the script loader (src/script/), native scripts and Boulder configs. */
#include "testlib.h"

#include <unistd.h>

#include "base/err.h"
#include "run/steplint.h"
#include "script/script.h"

#define UNUSED __attribute__((__unused__))

/* The output of st named key (the script's name for it), which must be there. */
static const struct cer_output *
out_of(const struct cer_step *st, const char *key)
{
	size_t i;

	for (i = 0; i < st->noutputs; i++)
		if (strcmp(st->outputs[i].key, key) == 0)
			return &st->outputs[i];
	fail_msg("step %s has no output %s", st->id, key);
	return NULL;
}

/* A native script: two tokens, a key step, a root signed by it, a root with its own key. */
static const char NATIVE[] =
    "ceremony: Example Root R1\n"					/* 1 */
    "tokens:\n"								/* 2 */
    "  root-hsm:\n"							/* 3 */
    "    module: /usr/lib/softhsm/libsofthsm2.so\n"			/* 4 */
    "    token-label: demo-root\n"					/* 5 */
    "    pin: env:CEREMONY_PIN\n"					/* 6 */
    "  spare:\n"							/* 7 */
    "    module: /usr/lib/softhsm/libsofthsm2.so\n"			/* 8 */
    "    uri: \"pkcs11:token=spare;manufacturer=SoftHSM%20project\"\n"	/* 9 */
    "    pin: file:/run/pin\n"						/* 10 */
    "steps:\n"								/* 11 */
    "  - id: r1-key\n"							/* 12 */
    "    ceremony-type: key\n"						/* 13 */
    "    token: root-hsm\n"						/* 14 */
    "    label: R1 key\n"						/* 15 */
    "    key: {type: ecdsa, ecdsa-curve: P-384}\n"			/* 16 */
    "    outputs: {public-key-path: out/r1.pub.pem}\n"			/* 17 */
    "  - id: r1\n"							/* 18 */
    "    ceremony-type: root\n"						/* 19 */
    "    signing-key: r1-key\n"						/* 20 */
    "    outputs: {certificate-path: out/r1.cert.pem}\n"		/* 21 */
    "    certificate-profile:\n"					/* 22 */
    "      signature-algorithm: ECDSAWithSHA384\n"			/* 23 */
    "      common-name: Example Root R1\n"				/* 24 */
    "      organization: Example CA\n"					/* 25 */
    "      country: US\n"						/* 26 */
    "      not-before: 2026-12-01 00:00:00\n"				/* 27 */
    "      not-after: 2046-11-30 23:59:59\n"				/* 28 */
    "      key-usages: [Cert Sign, CRL Sign, Digital Signature]\n"	/* 29 */
    "      serial: \"7a:01:c3\"\n"					/* 30 */
    "      ekus: none\n"						/* 31 */
    "      policy-url: https://example.com/cps\n"			/* 32 */
    "  - id: r2\n"							/* 33 */
    "    ceremony-type: root\n"						/* 34 */
    "    token: spare\n"						/* 35 */
    "    label: R2 key\n"						/* 36 */
    "    key:\n"							/* 37 */
    "      type: rsa\n"							/* 38 */
    "      rsa-mod-length: 4096\n"					/* 39 */
    "    outputs:\n"							/* 40 */
    "      public-key-path: out/r2.pub.pem\n"				/* 41 */
    "      certificate-path: out/r2.cert.pem\n"			/* 42 */
    "    certificate-profile:\n"					/* 43 */
    "      signature-algorithm: SHA256WithRSAPSS\n"			/* 44 */
    "      common-name: \"Example Root R2 \\u00dcn\\u00efcode\"\n"	/* 45 */
    "      organization: Example CA\n"					/* 46 */
    "      country: DE\n"						/* 47 */
    "      not-before: \"2026-12-01T00:00:00Z\"\n"			/* 48 */
    "      not-after: 2050-12-01 00:00:00\n"				/* 49 */
    "    skip-lints:\n"						/* 50 */
    "      - {name: e_some_lint, reason: x}\n"			/* 51 */
    "      - {name: w_other, reason: accepted by policy}\n";		/* 52 */

/* Boulder's root ceremony config. */
static const char BOULDER_ROOT[] =
    "ceremony-type: root\n"						/* 1 */
    "pkcs11:\n"								/* 2 */
    "    module: /usr/lib/softhsm/libsofthsm2.so\n"			/* 3 */
    "    pin: env:CEREMONY_PIN\n"					/* 4 */
    "    store-key-in-slot: 3\n"					/* 5 */
    "    store-key-with-label: root signing key\n"			/* 6 */
    "key:\n"								/* 7 */
    "    type: rsa\n"							/* 8 */
    "    rsa-mod-length: 2048\n"					/* 9 */
    "outputs:\n"							/* 10 */
    "    public-key-path: out/root.pub.pem\n"				/* 11 */
    "    certificate-path: out/root.cert.pem\n"			/* 12 */
    "certificate-profile:\n"						/* 13 */
    "    signature-algorithm: SHA256WithRSA\n"				/* 14 */
    "    common-name: CA root\n"					/* 15 */
    "    organization: good guys\n"					/* 16 */
    "    country: US\n"							/* 17 */
    "    not-before: 2020-01-01 12:00:00\n"				/* 18 */
    "    not-after: 2040-01-01 12:00:00\n"				/* 19 */
    "    key-usages:\n"						/* 20 */
    "        - Cert Sign\n"						/* 21 */
    "        - CRL Sign\n"							/* 22 */
    "    policy-url: https://example.com/cps#root\n"			/* 23 */
    "skip-lints:\n"							/* 24 */
    "    - n_ca_digital_signature_not_set\n";				/* 25 */

/* Boulder's key ceremony config, with a literal PIN that looks like a number. */
static const char BOULDER_KEY[] =
    "ceremony-type: key\n"						/* 1 */
    "pkcs11:\n"								/* 2 */
    "    module: /usr/lib/softhsm/libsofthsm2.so\n"			/* 3 */
    "    pin: 0012\n"							/* 4 */
    "    store-key-in-slot: 0\n"					/* 5 */
    "    store-key-with-label: intermediate key\n"			/* 6 */
    "key:\n"								/* 7 */
    "    key-type: ecdsa\n"						/* 8 */
    "    ecdsa-curve: P-256\n"						/* 9 */
    "outputs:\n"							/* 10 */
    "    public-key-path: out/int.pub.pem\n";				/* 11 */

static int
parse(const char *yaml, struct cer_script **s)
{
	return cer_script_parse("t.yaml", (const unsigned char *)yaml, strlen(yaml), s);
}

static struct cer_script *
parse_ok(const char *yaml)
{
	struct cer_script *s = NULL;
	int r = parse(yaml, &s);

	if (r != CER_OK)
		fail_msg("unexpected %d: %s", r, cer_err_detail());
	assert_non_null(s);
	return s;
}

/* Parsing yaml fails with code, the detail starting with where and holding phrase. */
static void
expect_err(const char *yaml, int code, const char *where, const char *phrase)
{
	struct cer_script *s = (struct cer_script *)&s;
	const char *d;
	int r;

	cer_err_clear();
	r = parse(yaml, &s);
	d = cer_err_detail();
	if (r != code || strncmp(d, where, strlen(where)) != 0 || strstr(d, phrase) == NULL)
		fail_msg("got %d \"%s\"; want %d \"%s ... %s\"", r, d, code, where, phrase);
	assert_null(s);
}

/* base with the first occurrence of from replaced by to (from must occur). */
static char *
edit(const char *base, const char *from, const char *to)
{
	const char *p = strstr(base, from);
	size_t n;
	char *t;

	assert_non_null(p);
	n = strlen(base) - strlen(from) + strlen(to) + 1;
	t = malloc(n);
	assert_non_null(t);
	snprintf(t, n, "%.*s%s%s", (int)(p - base), base, to, p + strlen(from));
	return t;
}

static void
expect_edit(const char *base, const char *from, const char *to, int code,
    const char *where, const char *phrase)
{
	char *t = edit(base, from, to);

	expect_err(t, code, where, phrase);
	free(t);
}

static void
test_script_native_valid(void **state UNUSED)
{
	struct cer_script *s = parse_ok(NATIVE);
	const struct cer_step *k, *r1, *r2;

	assert_int_equal(s->boulder, 0);
	assert_string_equal(s->path, "t.yaml");
	assert_string_equal(s->name, "Example Root R1");
	assert_int_equal(s->text_len, strlen(NATIVE));
	assert_memory_equal(s->text, NATIVE, strlen(NATIVE));
	assert_int_equal(s->ntokens, 2);
	assert_string_equal(s->tokens[0].name, "root-hsm");
	assert_int_equal(s->tokens[0].pos.line, 3);
	assert_int_equal(s->tokens[0].pos.col, 3);
	assert_string_equal(s->tokens[0].module, "/usr/lib/softhsm/libsofthsm2.so");
	assert_int_equal(s->tokens[0].module_pos.line, 4);
	assert_int_equal(s->tokens[0].module_pos.col, 13);
	assert_string_equal(s->tokens[0].token_label, "demo-root");
	assert_null(s->tokens[0].token_serial);
	assert_null(s->tokens[0].uri);
	assert_int_equal(s->tokens[0].has_slot, 0);
	assert_int_equal(s->tokens[0].selector_pos.line, 5);
	assert_string_equal(s->tokens[0].pin, "env:CEREMONY_PIN");
	assert_int_equal(s->tokens[0].pin_literal, 0);
	assert_int_equal(s->tokens[0].pin_pos.line, 6);
	assert_int_equal(s->tokens[0].pin_pos.col, 10);
	assert_int_equal(s->tokens[0].boulder, 0);
	assert_string_equal(s->tokens[1].name, "spare");
	assert_string_equal(s->tokens[1].uri,
	    "pkcs11:token=spare;manufacturer=SoftHSM%20project");
	assert_null(s->tokens[1].token_label);
	assert_string_equal(s->tokens[1].pin, "file:/run/pin");
	assert_int_equal(s->tokens[1].pin_literal, 0);

	assert_int_equal(s->nsteps, 3);
	k = &s->steps[0];
	assert_string_equal(k->id, "r1-key");
	assert_int_equal(k->pos.line, 12);
	assert_int_equal(k->pos.col, 5);
	assert_int_equal(k->id_pos.line, 12);
	assert_int_equal(k->id_pos.col, 9);
	assert_int_equal(k->type, CER_STEP_KEY);
	assert_int_equal(k->type_pos.line, 13);
	assert_int_equal(k->token, 0);
	assert_int_equal(k->token_pos.line, 14);
	assert_string_equal(k->label, "R1 key");
	assert_int_equal(k->label_pos.line, 15);
	assert_int_equal(k->label_pos.col, 12);
	assert_int_equal(k->signing_key, CER_NO_INDEX);
	assert_int_equal(k->key.present, 1);
	assert_int_equal(k->key.type, CER_KEY_EC);
	assert_int_equal(k->key.curve, CER_CURVE_P384);
	assert_int_equal(k->key.rsa_bits, 0);
	assert_string_equal(cer_step_output_path(k, "public-key-path"), "out/r1.pub.pem");
	assert_int_equal(out_of(k, "public-key-path")->pos.line, 17);
	assert_int_equal(out_of(k, "public-key-path")->pos.col, 32);
	assert_null(cer_step_output_path(k, "certificate-path"));
	assert_int_equal(k->profile.present, 0);
	assert_int_equal(k->nskip_lints, 0);

	r1 = &s->steps[1];
	assert_string_equal(r1->id, "r1");
	assert_int_equal(r1->type, CER_STEP_ROOT);
	assert_int_equal(r1->signing_key, 0);
	assert_int_equal(r1->signing_key_pos.line, 20);
	assert_int_equal(r1->signing_key_pos.col, 18);
	assert_int_equal(r1->token, 0);		/* the key step's token and label */
	assert_string_equal(r1->label, "R1 key");
	assert_int_equal(r1->key.present, 0);
	assert_null(cer_step_output_path(r1, "public-key-path"));
	assert_string_equal(cer_step_output_path(r1, "certificate-path"), "out/r1.cert.pem");
	assert_int_equal(r1->profile.present, 1);
	assert_int_equal(r1->profile.pos.line, 23);
	assert_int_equal(r1->profile.sigalg, CER_SIG_ECDSA_SHA384);
	assert_int_equal(r1->profile.sigalg_pos.line, 23);
	assert_int_equal(r1->profile.sigalg_pos.col, 28);
	assert_string_equal(r1->profile.common_name, "Example Root R1");
	assert_string_equal(r1->profile.organization, "Example CA");
	assert_string_equal(r1->profile.country, "US");
	assert_int_equal(r1->profile.has_not_before, 1);
	assert_int_equal(r1->profile.not_before, 1796083200);
	assert_int_equal(r1->profile.has_not_after, 1);
	assert_int_equal(r1->profile.not_after, 2427235199);
	assert_int_equal(r1->profile.not_after_pos.line, 28);
	assert_int_equal(r1->profile.has_key_usages, 1);
	assert_int_equal(r1->profile.key_usages,
	    CER_KU_CERT_SIGN | CER_KU_CRL_SIGN | CER_KU_DIGITAL_SIGNATURE);
	assert_int_equal(r1->profile.serial_len, 3);
	assert_memory_equal(r1->profile.serial, "\x7a\x01\xc3", 3);
	assert_int_equal(r1->profile.ekus, CER_EKUS_NONE);
	assert_string_equal(r1->profile.policy_url, "https://example.com/cps");
	assert_null(r1->profile.crl_url);
	assert_null(r1->profile.issuer_url);
	assert_null(r1->profile.ocsp_url);
	assert_int_equal(r1->profile.npolicies, 0);

	r2 = &s->steps[2];
	assert_string_equal(r2->id, "r2");
	assert_int_equal(r2->type, CER_STEP_ROOT);
	assert_int_equal(r2->token, 1);
	assert_string_equal(r2->label, "R2 key");
	assert_int_equal(r2->signing_key, CER_NO_INDEX);
	assert_int_equal(r2->key.type, CER_KEY_RSA);
	assert_int_equal(r2->key.rsa_bits, 4096);
	assert_int_equal(r2->key.pos.line, 38);
	assert_string_equal(cer_step_output_path(r2, "public-key-path"), "out/r2.pub.pem");
	assert_string_equal(cer_step_output_path(r2, "certificate-path"), "out/r2.cert.pem");
	assert_int_equal(out_of(r2, "certificate-path")->pos.line, 42);
	assert_int_equal(r2->profile.sigalg, CER_SIG_SHA256_RSAPSS);
	assert_string_equal(r2->profile.common_name, "Example Root R2 \xc3\x9cn\xc3\xaf" "code");
	assert_int_equal(r2->profile.not_before, 1796083200);
	assert_int_equal(r2->profile.not_after, 2553465600);
	assert_int_equal(r2->profile.has_key_usages, 0);
	assert_int_equal(r2->profile.key_usages, CER_KU_CERT_SIGN | CER_KU_CRL_SIGN);
	assert_int_equal(r2->profile.ekus, CER_EKUS_UNSET);
	assert_int_equal(r2->profile.serial_len, 0);
	assert_null(r2->profile.policy_url);
	assert_int_equal(r2->nskip_lints, 2);
	assert_string_equal(r2->skip_lints[0].name, "e_some_lint");
	assert_string_equal(r2->skip_lints[0].reason, "x");
	assert_int_equal(r2->skip_lints[0].pos.line, 51);
	assert_string_equal(r2->skip_lints[1].name, "w_other");
	assert_string_equal(r2->skip_lints[1].reason, "accepted by policy");
	cer_script_free(s);
}

static void
test_script_boulder_root(void **state UNUSED)
{
	struct cer_script *s = parse_ok(BOULDER_ROOT);
	const struct cer_step *st;

	assert_int_equal(s->boulder, 1);
	assert_null(s->name);
	assert_int_equal(s->ntokens, 1);
	assert_string_equal(s->tokens[0].name, "pkcs11");
	assert_int_equal(s->tokens[0].boulder, 1);
	assert_int_equal(s->tokens[0].pos.line, 2);
	assert_string_equal(s->tokens[0].module, "/usr/lib/softhsm/libsofthsm2.so");
	assert_int_equal(s->tokens[0].has_slot, 1);
	assert_int_equal(s->tokens[0].slot, 3);
	assert_int_equal(s->tokens[0].selector_pos.line, 5);
	assert_int_equal(s->tokens[0].selector_pos.col, 24);
	assert_null(s->tokens[0].token_label);
	assert_string_equal(s->tokens[0].pin, "env:CEREMONY_PIN");
	assert_int_equal(s->nsteps, 1);
	st = &s->steps[0];
	assert_string_equal(st->id, "root");
	assert_int_equal(st->type, CER_STEP_ROOT);
	assert_int_equal(st->id_pos.line, 1);
	assert_int_equal(st->id_pos.col, 16);
	assert_int_equal(st->token, 0);
	assert_string_equal(st->label, "root signing key");
	assert_int_equal(st->label_pos.line, 6);
	assert_int_equal(st->key.type, CER_KEY_RSA);
	assert_int_equal(st->key.rsa_bits, 2048);
	assert_string_equal(cer_step_output_path(st, "public-key-path"), "out/root.pub.pem");
	assert_string_equal(cer_step_output_path(st, "certificate-path"), "out/root.cert.pem");
	assert_int_equal(st->profile.sigalg, CER_SIG_SHA256_RSA);
	assert_string_equal(st->profile.common_name, "CA root");
	assert_int_equal(st->profile.not_before, 1577880000);
	assert_int_equal(st->profile.not_after, 2209032000);
	assert_int_equal(st->profile.key_usages, CER_KU_CERT_SIGN | CER_KU_CRL_SIGN);
	assert_int_equal(st->profile.has_key_usages, 1);
	assert_int_equal(st->nskip_lints, 1);
	assert_string_equal(st->skip_lints[0].name, "n_ca_digital_signature_not_set");
	cer_script_free(s);
}

static void
test_script_boulder_key(void **state UNUSED)
{
	struct cer_script *s = parse_ok(BOULDER_KEY);

	assert_int_equal(s->boulder, 1);
	assert_int_equal(s->nsteps, 1);
	assert_string_equal(s->steps[0].id, "key");
	assert_int_equal(s->steps[0].type, CER_STEP_KEY);
	assert_string_equal(s->tokens[0].pin, "0012");
	assert_int_equal(s->tokens[0].pin_literal, 1);
	assert_int_equal(s->tokens[0].pin_pos.line, 4);
	assert_int_equal(s->tokens[0].has_slot, 1);
	assert_int_equal(s->tokens[0].slot, 0);
	assert_int_equal(s->steps[0].key.type, CER_KEY_EC);
	assert_int_equal(s->steps[0].key.curve, CER_CURVE_P256);
	assert_string_equal(s->steps[0].label, "intermediate key");
	assert_string_equal(cer_step_output_path(&s->steps[0], "public-key-path"), "out/int.pub.pem");
	assert_null(cer_step_output_path(&s->steps[0], "certificate-path"));
	cer_script_free(s);
}

static void
test_script_boulder_default_slot(void **state UNUSED)
{
	char *t = edit(BOULDER_KEY, "    store-key-in-slot: 0\n", "");
	struct cer_script *s = parse_ok(t);

	assert_int_equal(s->tokens[0].has_slot, 1);
	assert_int_equal(s->tokens[0].slot, 0);
	assert_int_equal(s->tokens[0].selector_pos.line, 0);
	cer_script_free(s);
	free(t);
}

static void
test_script_inline_pkcs11(void **state UNUSED)
{
	static const char y[] =
	    "steps:\n"
	    "  - id: k1\n"
	    "    ceremony-type: key\n"
	    "    pkcs11:\n"
	    "      module: /usr/lib/softhsm/libsofthsm2.so\n"
	    "      token-label: demo-root\n"
	    "      pin: prompt\n"
	    "      store-key-with-label: K1\n"
	    "    key: {type: ecdsa, ecdsa-curve: P-256}\n"
	    "    outputs: {public-key-path: out/k1.pem}\n";
	struct cer_script *s = parse_ok(y);

	assert_int_equal(s->ntokens, 1);
	assert_string_equal(s->tokens[0].name, "k1.pkcs11");
	assert_int_equal(s->tokens[0].boulder, 1);
	assert_int_equal(s->tokens[0].has_slot, 0);
	assert_string_equal(s->tokens[0].token_label, "demo-root");
	assert_string_equal(s->tokens[0].pin, "prompt");
	assert_int_equal(s->tokens[0].pin_literal, 0);
	assert_int_equal(s->steps[0].token, 0);
	assert_string_equal(s->steps[0].label, "K1");
	assert_int_equal(s->steps[0].label_pos.line, 8);
	assert_int_equal(s->steps[0].key.type, CER_KEY_EC);
	cer_script_free(s);
}

static void
test_script_syntax_error(void **state UNUSED)
{
	expect_err("steps:\n  - id: [a, b\n", CER_ERR_SCRIPT, "t.yaml:3:1:",
	    "YAML syntax error");
	expect_err("a: b: c\n", CER_ERR_SCRIPT, "t.yaml:1:5:", "mapping values are not allowed");
}

static void
test_script_empty(void **state UNUSED)
{
	expect_err("", CER_ERR_SCRIPT, "t.yaml:1:1:", "the script is empty");
	expect_err("# only a comment\n\n", CER_ERR_SCRIPT, "t.yaml:1:1:",
	    "the script is empty");
	expect_err("---\n", CER_ERR_SCRIPT, "t.yaml:2:1:", "a YAML mapping");
}

static void
test_script_two_documents(void **state UNUSED)
{
	char *t = malloc(strlen(BOULDER_KEY) + 32);

	assert_non_null(t);
	snprintf(t, strlen(BOULDER_KEY) + 32, "%s---\na: b\n", BOULDER_KEY);
	expect_err(t, CER_ERR_SCRIPT, "t.yaml:12:1:", "a second YAML document");
	free(t);
}

static void
test_script_anchor(void **state UNUSED)
{
	expect_edit(NATIVE, "label: R1 key", "label: &l R1 key", CER_ERR_SCRIPT,
	    "t.yaml:15:12:", "anchors (&l) are not allowed");
}

static void
test_script_alias(void **state UNUSED)
{
	/* the anchor is refused first, so the alias is checked without one */
	expect_err("steps: *s\n", CER_ERR_SCRIPT, "t.yaml:1:8:",
	    "aliases (*s) are not allowed");
}

static void
test_script_tag(void **state UNUSED)
{
	expect_edit(NATIVE, "label: R1 key", "label: !!str R1 key", CER_ERR_SCRIPT,
	    "t.yaml:15:12:", "tags (tag:yaml.org,2002:str) are not allowed");
	expect_edit(NATIVE, "    key: {type: ecdsa", "    key: !k {type: ecdsa",
	    CER_ERR_SCRIPT, "t.yaml:16:10:", "tags (!k) are not allowed");
}

static void
test_script_unknown_key_suggestion(void **state UNUSED)
{
	expect_edit(NATIVE, "      common-name: Example Root R1",
	    "      comon-name: Example Root R1", CER_ERR_SCRIPT, "t.yaml:24:7:",
	    "unknown key 'comon-name' in the certificate-profile; did you mean "
	    "'common-name'?");
	expect_edit(NATIVE, "    label: R1 key", "    lable: R1 key", CER_ERR_SCRIPT,
	    "t.yaml:15:5:", "did you mean 'label'?");
}

static void
test_script_unknown_key_list(void **state UNUSED)
{
	expect_edit(NATIVE, "    label: R1 key", "    colour: blue", CER_ERR_SCRIPT,
	    "t.yaml:15:5:", "unknown key 'colour' in a step; the keys allowed here "
	    "are: id, ceremony-type, token");
}

static void
test_script_duplicate_key(void **state UNUSED)
{
	expect_edit(NATIVE, "    label: R1 key\n", "    label: R1 key\n    label: R0\n",
	    CER_ERR_SCRIPT, "t.yaml:16:5:", "duplicate key 'label' in a step "
	    "(first at line 15)");
}

static void
test_script_non_scalar_key(void **state UNUSED)
{
	expect_edit(NATIVE, "    label: R1 key", "    ? [label]\n    : R1 key",
	    CER_ERR_SCRIPT, "t.yaml:15:7:", "a key in a step is a sequence");
}

static void
test_script_wrong_kind(void **state UNUSED)
{
	expect_edit(NATIVE, "    outputs: {public-key-path: out/r1.pub.pem}",
	    "    outputs: [out/r1.pub.pem]", CER_ERR_SCRIPT, "t.yaml:17:14:",
	    "'outputs' must be a mapping, not a sequence");
	expect_edit(NATIVE, "    label: R1 key", "    label: {a: b}", CER_ERR_SCRIPT,
	    "t.yaml:15:12:", "'label' must be a scalar, not a mapping");
}

static void
test_script_bad_int(void **state UNUSED)
{
	expect_edit(NATIVE, "rsa-mod-length: 4096", "rsa-mod-length: 0x1000",
	    CER_ERR_SCRIPT, "t.yaml:39:23:", "must be a decimal integer");
	expect_edit(NATIVE, "rsa-mod-length: 4096", "rsa-mod-length: \"4096\"",
	    CER_ERR_SCRIPT, "t.yaml:39:23:", "not quoted text");
	expect_edit(NATIVE, "rsa-mod-length: 4096", "rsa-mod-length: 04096",
	    CER_ERR_SCRIPT, "t.yaml:39:23:", "leading zero");
	expect_edit(BOULDER_KEY, "store-key-in-slot: 0", "store-key-in-slot: -1",
	    CER_ERR_SCRIPT, "t.yaml:5:24:", "must be a decimal integer");
	expect_edit(BOULDER_KEY, "store-key-in-slot: 0",
	    "store-key-in-slot: 99999999999999999999999", CER_ERR_SCRIPT,
	    "t.yaml:5:24:", "out of range");
}

static void
test_script_rsa_mod_length_range(void **state UNUSED)
{
	expect_edit(NATIVE, "rsa-mod-length: 4096", "rsa-mod-length: 1024",
	    CER_ERR_SCRIPT, "t.yaml:39:23:", "'rsa-mod-length' 1024 is not allowed; "
	    "use 2048, 3072 or 4096");
	expect_edit(NATIVE, "      rsa-mod-length: 4096\n", "", CER_ERR_SCRIPT,
	    "t.yaml:38:7:", "a key of type rsa needs 'rsa-mod-length'");
}

static void
test_script_bad_curve(void **state UNUSED)
{
	expect_edit(NATIVE, "ecdsa-curve: P-384", "ecdsa-curve: P-999", CER_ERR_SCRIPT,
	    "t.yaml:16:37:", "use one of: P-256, P-384, P-521");
	expect_edit(NATIVE, "ecdsa-curve: P-384", "ecdsa-curve: p384", CER_ERR_SCRIPT,
	    "t.yaml:16:37:", "did you mean 'P-384'?");
	expect_edit(NATIVE, "{type: ecdsa, ecdsa-curve: P-384}",
	    "{type: rsa, ecdsa-curve: P-384}", CER_ERR_SCRIPT, "t.yaml:16:22:",
	    "'ecdsa-curve' is only for type ecdsa");
}

static void
test_script_bad_date(void **state UNUSED)
{
	expect_edit(NATIVE, "not-before: 2026-12-01 00:00:00",
	    "not-before: 2026-12-01", CER_ERR_SCRIPT, "t.yaml:27:19:",
	    "must be a UTC time written 'YYYY-MM-DD HH:MM:SS'");
	expect_edit(NATIVE, "not-before: 2026-12-01 00:00:00",
	    "not-before: 2026-12-01T00:00:00+01:00", CER_ERR_SCRIPT, "t.yaml:27:19:",
	    "must be a UTC time");
	expect_edit(NATIVE, "not-before: 2026-12-01 00:00:00",
	    "not-before: 2026-12-01 24:00:00", CER_ERR_SCRIPT, "t.yaml:27:19:",
	    "is not a real date and time");
	expect_edit(NATIVE, "not-before: 2026-12-01 00:00:00",
	    "not-before: 2026-12-01 23:59:60", CER_ERR_SCRIPT, "t.yaml:27:19:",
	    "is not a real date and time");
	expect_edit(NATIVE, "not-before: 2026-12-01 00:00:00",
	    "not-before: 1949-12-31 00:00:00", CER_ERR_SCRIPT, "t.yaml:27:19:",
	    "before 1950");
}

static void
test_script_feb_30(void **state UNUSED)
{
	char *t;
	struct cer_script *s;

	expect_edit(NATIVE, "not-before: 2026-12-01 00:00:00",
	    "not-before: 2027-02-30 00:00:00", CER_ERR_SCRIPT, "t.yaml:27:19:",
	    "'not-before' is not a real date and time ('2027-02-30 00:00:00')");
	expect_edit(NATIVE, "not-before: 2026-12-01 00:00:00",
	    "not-before: 2027-02-29 00:00:00", CER_ERR_SCRIPT, "t.yaml:27:19:",
	    "not a real date");
	expect_edit(NATIVE, "not-before: 2026-12-01 00:00:00",
	    "not-before: 2100-02-29 00:00:00", CER_ERR_SCRIPT, "t.yaml:27:19:",
	    "not a real date");
	t = edit(NATIVE, "not-before: 2026-12-01 00:00:00", "not-before: 2028-02-29 00:00:00");
	s = parse_ok(t);
	assert_int_equal(s->steps[1].profile.not_before, 1835395200);
	cer_script_free(s);
	free(t);
}

static void
test_script_not_after_before(void **state UNUSED)
{
	expect_edit(NATIVE, "not-after: 2046-11-30 23:59:59",
	    "not-after: 2026-12-01 00:00:00", CER_ERR_SCRIPT, "t.yaml:28:18:",
	    "'not-after' is not after 'not-before' (line 27)");
}

static void
test_script_bad_country(void **state UNUSED)
{
	expect_edit(NATIVE, "country: US", "country: us", CER_ERR_SCRIPT,
	    "t.yaml:26:16:", "'country' must be a two-letter ISO 3166 code");
	expect_edit(NATIVE, "country: US", "country: USA", CER_ERR_SCRIPT,
	    "t.yaml:26:16:", "two-letter");
}

static void
test_script_long_cn(void **state UNUSED)
{
	char cn[200], line[256], *t;
	struct cer_script *s;
	int i;

	/* 64 two-byte characters is fine */
	for (i = 0; i < 64; i++)
		memcpy(cn + 2 * i, "\xc3\xa9", 2);
	cn[128] = '\0';
	snprintf(line, sizeof(line), "common-name: \"%s\"", cn);
	t = edit(NATIVE, "common-name: Example Root R1", line);
	s = parse_ok(t);
	assert_string_equal(s->steps[1].profile.common_name, cn);
	cer_script_free(s);
	free(t);
	/* 65 characters is not */
	memset(cn, 'A', 65);
	cn[65] = '\0';
	snprintf(line, sizeof(line), "common-name: %s", cn);
	expect_edit(NATIVE, "common-name: Example Root R1", line, CER_ERR_SCRIPT,
	    "t.yaml:24:20:", "'common-name' is 65 characters; X.509 allows at most 64");
	expect_edit(NATIVE, "organization: Example CA", "organization: \"A\\u0085B\"",
	    CER_ERR_SCRIPT, "t.yaml:25:21:", "control character");
}

static void
test_script_bad_serial(void **state UNUSED)
{
	expect_edit(NATIVE, "serial: \"7a:01:c3\"",
	    "serial: 800102030405060708090a0b0c0d0e0f10111213", CER_ERR_SCRIPT,
	    "t.yaml:30:15:", "20 octets with the high bit set (21 in DER)");
	expect_edit(NATIVE, "serial: \"7a:01:c3\"", "serial: \"00:01\"", CER_ERR_SCRIPT,
	    "t.yaml:30:15:", "starts with a 00 octet that is not part of the integer");
	expect_edit(NATIVE, "serial: \"7a:01:c3\"", "serial: \"00\"", CER_ERR_SCRIPT,
	    "t.yaml:30:15:", "'serial' is zero");
	expect_edit(NATIVE, "serial: \"7a:01:c3\"", "serial: \"7a:1\"", CER_ERR_SCRIPT,
	    "t.yaml:30:15:", "'serial' must be the hex of a positive integer");
	expect_edit(NATIVE, "serial: \"7a:01:c3\"", "serial: \"7a:01:\"", CER_ERR_SCRIPT,
	    "t.yaml:30:15:", "'serial' must be the hex of a positive integer");
	expect_edit(NATIVE, "serial: \"7a:01:c3\"",
	    "serial: 7a0102030405060708090a0b0c0d0e0f1011121314", CER_ERR_SCRIPT,
	    "t.yaml:30:15:", "'serial' is longer than 20 octets");
}

static void
test_script_serial_no_colons(void **state UNUSED)
{
	char *t = edit(NATIVE, "serial: \"7a:01:c3\"",
	    "serial: 7a0102030405060708090a0b0c0d0e0f10111213");
	struct cer_script *s = parse_ok(t);

	assert_int_equal(s->steps[1].profile.serial_len, 20);
	assert_int_equal(s->steps[1].profile.serial[0], 0x7a);
	assert_int_equal(s->steps[1].profile.serial[19], 0x13);
	cer_script_free(s);
	free(t);
}

static void
test_script_unknown_signing_key(void **state UNUSED)
{
	expect_edit(NATIVE, "signing-key: r1-key", "signing-key: r1-kye", CER_ERR_SCRIPT,
	    "t.yaml:20:18:", "no step has id 'r1-kye'; did you mean 'r1-key'?");
	expect_edit(NATIVE, "signing-key: r1-key", "signing-key: elsewhere",
	    CER_ERR_SCRIPT, "t.yaml:20:18:", "signing-key must be the id of an "
	    "earlier step");
}

static void
test_script_forward_reference(void **state UNUSED)
{
	static const char y[] =
	    "tokens:\n"
	    "  t: {module: /m.so, token-label: demo-root}\n"
	    "steps:\n"
	    "  - id: r1\n"
	    "    ceremony-type: root\n"
	    "    signing-key: k1\n"
	    "    outputs: {certificate-path: out/r1.pem}\n"
	    "  - id: k1\n"
	    "    ceremony-type: key\n"
	    "    token: t\n"
	    "    label: K1\n"
	    "    key: {type: ed25519}\n"
	    "    outputs: {public-key-path: out/k1.pem}\n";

	expect_err(y, CER_ERR_SCRIPT, "t.yaml:6:18:",
	    "signing-key 'k1' is a later step (line 8)");
	expect_edit(y, "signing-key: k1", "signing-key: r1", CER_ERR_SCRIPT,
	    "t.yaml:6:18:", "cannot name itself in signing-key");
}

static void
test_script_reference_to_root(void **state UNUSED)
{
	static const char step[] =
	    "  - id: r3\n"
	    "    ceremony-type: root\n"
	    "    signing-key: r1\n"
	    "    outputs: {certificate-path: out/r3.pem}\n";
	char *t = malloc(sizeof(NATIVE) + sizeof(step));

	assert_non_null(t);
	snprintf(t, sizeof(NATIVE) + sizeof(step), "%s%s", NATIVE, step);
	expect_err(t, CER_ERR_SCRIPT, "t.yaml:55:18:",
	    "step 'r1' is a root step; signing-key must name a key step");
	free(t);
}

static void
test_script_missing_required(void **state UNUSED)
{
	expect_edit(NATIVE, "    label: R1 key\n", "", CER_ERR_SCRIPT, "t.yaml:12:5:",
	    "this step needs 'label'");
	expect_edit(NATIVE, "      common-name: Example Root R1\n", "", CER_ERR_SCRIPT,
	    "t.yaml:23:7:", "the certificate-profile needs 'common-name'");
	expect_edit(BOULDER_KEY, "    module: /usr/lib/softhsm/libsofthsm2.so\n", "",
	    CER_ERR_SCRIPT, "t.yaml:3:5:", "the pkcs11 block needs 'module'");
	expect_edit(BOULDER_KEY, "    store-key-with-label: intermediate key\n", "",
	    CER_ERR_SCRIPT, "t.yaml:3:5:", "needs 'store-key-with-label'");
	expect_edit(NATIVE, "  - id: r1\n", "  - \n", CER_ERR_SCRIPT, "t.yaml:19:5:",
	    "this step needs 'id'");
	expect_edit(NATIVE, "    outputs: {public-key-path: out/r1.pub.pem}",
	    "    outputs: {}", CER_ERR_SCRIPT, "t.yaml:17:14:",
	    "'outputs' needs 'public-key-path'");
}

static void
test_script_needs_value(void **state UNUSED)
{
	expect_edit(NATIVE, "label: R1 key", "label:", CER_ERR_SCRIPT, "t.yaml:15:11:",
	    "'label' needs a value");
	expect_edit(NATIVE, "label: R1 key", "label: ~", CER_ERR_SCRIPT,
	    "t.yaml:15:12:", "'label' needs a value");
	expect_edit(NATIVE, "label: R1 key", "label: null", CER_ERR_SCRIPT,
	    "t.yaml:15:12:", "'label' needs a value");
	expect_edit(NATIVE, "label: R1 key", "label: \"\"", CER_ERR_SCRIPT,
	    "t.yaml:15:12:", "'label' needs a value");
	expect_edit(NATIVE, "label: R1 key", "label: |\n      R1 key", CER_ERR_SCRIPT,
	    "t.yaml:15:12:", "must be one line");
}

static void
test_script_text_scalars(void **state UNUSED)
{
	char *t = edit(NATIVE, "label: R1 key", "label: 123");
	struct cer_script *s = parse_ok(t);

	assert_string_equal(s->steps[0].label, "123");
	cer_script_free(s);
	free(t);
	t = edit(NATIVE, "label: R1 key", "label: 'null'");
	s = parse_ok(t);
	assert_string_equal(s->steps[0].label, "null");
	cer_script_free(s);
	free(t);
}

static void
test_script_duplicate_step_id(void **state UNUSED)
{
	expect_edit(NATIVE, "  - id: r2\n", "  - id: r1\n", CER_ERR_SCRIPT,
	    "t.yaml:33:9:", "duplicate step id 'r1' (first at line 18)");
	expect_edit(NATIVE, "  - id: r2\n", "  - id: r 2\n", CER_ERR_SCRIPT,
	    "t.yaml:33:9:", "'id' must be 1 to 64 letters");
}

static void
test_script_duplicate_output_path(void **state UNUSED)
{
	expect_edit(NATIVE, "public-key-path: out/r2.pub.pem",
	    "public-key-path: out/r1.pub.pem", CER_ERR_SCRIPT, "t.yaml:41:24:",
	    "output path 'out/r1.pub.pem' is also written at line 17");
	expect_edit(NATIVE, "certificate-path: out/r2.cert.pem",
	    "certificate-path: out/r2.pub.pem", CER_ERR_SCRIPT, "t.yaml:42:25:",
	    "is also written at line 41");
}

static void
test_script_duplicate_label(void **state UNUSED)
{
	expect_edit(NATIVE, "    token: spare\n    label: R2 key",
	    "    token: root-hsm\n    label: R1 key", CER_ERR_SCRIPT, "t.yaml:36:12:",
	    "label 'R1 key' is already used for a key on token 'root-hsm' (line 15)");
}

static void
test_script_unknown_type(void **state UNUSED)
{
	expect_edit(NATIVE, "ceremony-type: key", "ceremony-type: kee",
	    CER_ERR_SCRIPT, "t.yaml:13:20:", "did you mean 'key'?");
}

static void
test_script_steps_and_type(void **state UNUSED)
{
	char *t = malloc(sizeof(NATIVE) + 32);

	assert_non_null(t);
	snprintf(t, sizeof(NATIVE) + 32, "%sceremony-type: root\n", NATIVE);
	expect_err(t, CER_ERR_SCRIPT, "t.yaml:53:1:", "either 'steps:' (native) or "
	    "'ceremony-type:' (Boulder config), not both");
	free(t);
	expect_err("ceremony: x\n", CER_ERR_SCRIPT, "t.yaml:1:1:",
	    "a script needs 'steps:'");
	expect_err("ceremony: x\nstep: []\n", CER_ERR_SCRIPT, "t.yaml:2:1:",
	    "did you mean 'steps'?");
	expect_err("- a\n", CER_ERR_SCRIPT, "t.yaml:1:1:", "a script is a YAML mapping");
	expect_err("steps: []\n", CER_ERR_SCRIPT, "t.yaml:1:8:", "'steps' is empty");
}

static void
test_script_slot_native_token(void **state UNUSED)
{
	expect_edit(NATIVE, "    token-label: demo-root\n", "    slot: 0\n",
	    CER_ERR_SCRIPT, "t.yaml:5:5:", "'slot' is not allowed in a native token: "
	    "slot IDs change when tokens are initialised; select the token with "
	    "token-label");
	expect_edit(NATIVE, "    token-label: demo-root\n", "", CER_ERR_SCRIPT,
	    "t.yaml:4:5:", "token 'root-hsm' needs one of token-label, token-serial "
	    "or uri");
	expect_edit(NATIVE, "    token-label: demo-root\n",
	    "    token-label: demo-root\n    token-serial: 1234\n", CER_ERR_SCRIPT,
	    "t.yaml:6:5:", "give only one of token-label, token-serial and uri");
}

static void
test_script_boulder_selector(void **state UNUSED)
{
	char *t = edit(BOULDER_KEY, "    store-key-in-slot: 0\n",
	    "    token-serial: abc123\n");
	struct cer_script *s = parse_ok(t);

	assert_int_equal(s->tokens[0].has_slot, 0);
	assert_string_equal(s->tokens[0].token_serial, "abc123");
	assert_int_equal(s->tokens[0].selector_pos.line, 5);
	cer_script_free(s);
	free(t);
	expect_edit(BOULDER_KEY, "    store-key-in-slot: 0\n",
	    "    store-key-in-slot: 0\n    token-label: x\n", CER_ERR_SCRIPT,
	    "t.yaml:5:5:", "'store-key-in-slot' and 'token-label' both select the "
	    "token");
	expect_edit(BOULDER_KEY, "    store-key-in-slot: 0\n",
	    "    signing-key-label: x\n", CER_ERR_SCRIPT, "t.yaml:5:5:",
	    "'signing-key-label' is for signing ceremony types");
}

static void
test_script_uri_pin_value(void **state UNUSED)
{
	expect_edit(NATIVE, "pkcs11:token=spare;", "pkcs11:token=spare;pin-value=1234;",
	    CER_ERR_SCRIPT, "t.yaml:9:10:", "'uri' carries a PIN");
	expect_edit(NATIVE, "manufacturer=SoftHSM%20project",
	    "manufacturer=SoftHSM%20project?pin-value=s3cr3t", CER_ERR_SCRIPT,
	    "t.yaml:9:10:", "PINs never go into the script that way");
}

static void
test_script_bad_uri(void **state UNUSED)
{
	expect_edit(NATIVE, "pkcs11:token=spare;", "http:token=spare;", CER_ERR_SCRIPT,
	    "t.yaml:9:10:", "'uri' is not a PKCS#11 URI: URI scheme must be 'pkcs11:'");
	expect_edit(NATIVE, "pkcs11:token=spare;", "pkcs11:token=%zz;", CER_ERR_SCRIPT,
	    "t.yaml:9:10:", "'uri' is not a PKCS#11 URI");
	expect_edit(NATIVE, "pkcs11:token=spare;", "pkcs11:token=spare;object=k;",
	    CER_ERR_SCRIPT, "t.yaml:9:10:", "do not describe a token");
}

static void
test_script_literal_pin_not_in_message(void **state UNUSED)
{
	char *t;

	/* an error elsewhere in a token with a literal PIN */
	t = edit(NATIVE, "    pin: env:CEREMONY_PIN\n", "    pin: Zq9-s3cret\n");
	expect_edit(t, "    module: /usr/lib/softhsm/libsofthsm2.so\n", "", CER_ERR_SCRIPT,
	    "t.yaml:4:5:", "needs 'module'");
	assert_null(strstr(cer_err_detail(), "Zq9-s3cret"));
	free(t);
	/* a malformed literal PIN is not echoed */
	expect_edit(NATIVE, "pin: env:CEREMONY_PIN", "pin: \"Zq9-s3cret\\t\"",
	    CER_ERR_SCRIPT, "t.yaml:6:10:", "'pin' contains a control character");
	assert_null(strstr(cer_err_detail(), "Zq9"));
	expect_edit(NATIVE, "pin: env:CEREMONY_PIN", "pin: [Zq9-s3cret]",
	    CER_ERR_SCRIPT, "t.yaml:6:10:", "'pin' must be a scalar");
	assert_null(strstr(cer_err_detail(), "Zq9"));
	expect_edit(NATIVE, "pin: env:CEREMONY_PIN", "pin: fd:Zq9-s3cret",
	    CER_ERR_SCRIPT, "t.yaml:6:10:", "malformed PIN source");
	assert_null(strstr(cer_err_detail(), "Zq9"));
}

static void
test_script_pin_sources(void **state UNUSED)
{
	static const struct { const char *pin; int literal; } c[] = {
		{ "prompt", 0 }, { "file:/run/pin", 0 }, { "env:_PIN_2", 0 },
		{ "fd:0", 0 }, { "fd:17", 0 }, { "123456", 1 }, { "Prompt", 1 },
		{ "\"0000\"", 1 },
	};
	struct cer_script *s;
	char line[64], *t;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		snprintf(line, sizeof(line), "pin: %s", c[i].pin);
		t = edit(NATIVE, "pin: env:CEREMONY_PIN", line);
		s = parse_ok(t);
		assert_int_equal(s->tokens[0].pin_literal, c[i].literal);
		cer_script_free(s);
		free(t);
	}
	expect_edit(NATIVE, "pin: env:CEREMONY_PIN", "pin: env:1PIN", CER_ERR_SCRIPT,
	    "t.yaml:6:10:", "malformed PIN source");
	expect_edit(NATIVE, "pin: env:CEREMONY_PIN", "pin: \"file:\"", CER_ERR_SCRIPT,
	    "t.yaml:6:10:", "malformed PIN source");
}

static void
test_script_root_policies(void **state UNUSED)
{
	expect_edit(NATIVE, "      ekus: none\n",
	    "      ekus: none\n      policies: [{oid: 2.23.140.1.2.1}]\n", CER_ERR_SCRIPT,
	    "t.yaml:32:7:", "a root certificate carries no policies (BR 7.1.2.1.2); "
	    "remove it");
	expect_edit(NATIVE, "      ekus: none\n",
	    "      ekus: none\n      policies: [{oid: 2.23.x}]\n", CER_ERR_SCRIPT,
	    "t.yaml:32:24:", "'oid' must be a dotted decimal OID");
}

static void
test_script_root_crl_url(void **state UNUSED)
{
	expect_edit(NATIVE, "      ekus: none\n",
	    "      ekus: none\n      crl-url: http://crl.example.com/r1.crl\n",
	    CER_ERR_SCRIPT, "t.yaml:32:7:", "a root certificate carries no crl-url "
	    "(BR 7.1.2.1.2); remove it");
	expect_edit(NATIVE, "      ekus: none\n",
	    "      ekus: none\n      ocsp-url: http://ocsp.example.com\n",
	    CER_ERR_SCRIPT, "t.yaml:32:7:", "carries no ocsp-url");
	expect_edit(NATIVE, "      ekus: none\n",
	    "      ekus: none\n      issuer-url: http://example.com/r1.der\n",
	    CER_ERR_SCRIPT, "t.yaml:32:7:", "carries no issuer-url");
}

static void
test_script_root_key_usages(void **state UNUSED)
{
	expect_edit(NATIVE, "key-usages: [Cert Sign, CRL Sign, Digital Signature]",
	    "key-usages: [CRL Sign, Digital Signature]", CER_ERR_SCRIPT,
	    "t.yaml:29:19:", "must include Cert Sign and CRL Sign; add Cert Sign");
	expect_edit(NATIVE, "key-usages: [Cert Sign, CRL Sign, Digital Signature]",
	    "key-usages: [Cert Sign, CRL Sign, Cert Sign]", CER_ERR_SCRIPT,
	    "t.yaml:29:41:", "'Cert Sign' is listed twice");
	expect_edit(NATIVE, "key-usages: [Cert Sign, CRL Sign, Digital Signature]",
	    "key-usages: [Cert Sign, CRL Sign, Key Encipherment]", CER_ERR_SCRIPT,
	    "t.yaml:29:41:", "use one of: Digital Signature, Cert Sign, CRL Sign");
}

static void
test_script_root_ekus(void **state UNUSED)
{
	expect_edit(NATIVE, "ekus: none", "ekus: server", CER_ERR_SCRIPT,
	    "t.yaml:31:13:", "a root certificate carries no extended key usages");
	expect_edit(NATIVE, "ekus: none", "ekus: all", CER_ERR_SCRIPT,
	    "t.yaml:31:13:", "use one of: none, server, both");
}

static void
test_script_policy_url(void **state UNUSED)
{
	expect_edit(NATIVE, "policy-url: https://example.com/cps",
	    "policy-url: example.com/cps", CER_ERR_SCRIPT, "t.yaml:32:19:",
	    "must be an http:// or https:// URL");
}

static void
test_script_sigalg_curve_mismatch(void **state UNUSED)
{
	expect_edit(NATIVE, "signature-algorithm: ECDSAWithSHA384",
	    "signature-algorithm: ECDSAWithSHA256", CER_ERR_SCRIPT, "t.yaml:23:28:",
	    "does not fit a P-384 key (profile rule cert.sigalg_matches_signer); use "
	    "ECDSAWithSHA384");
	expect_edit(NATIVE, "signature-algorithm: SHA256WithRSAPSS",
	    "signature-algorithm: ECDSAWithSHA256", CER_ERR_SCRIPT, "t.yaml:44:28:",
	    "does not fit an RSA key");
	expect_edit(NATIVE, "signature-algorithm: SHA256WithRSAPSS",
	    "signature-algorithm: SHA256WithRSAPPS", CER_ERR_SCRIPT, "t.yaml:44:28:",
	    "did you mean 'SHA256WithRSAPSS'?");
}

static void
test_script_ed25519(void **state UNUSED)
{
	static const char y[] =
	    "hierarchy: private\n"
	    "steps:\n"
	    "  - id: e\n"
	    "    ceremony-type: root\n"
	    "    pkcs11: {module: /m.so, store-key-with-label: e}\n"
	    "    key: {type: ed25519}\n"
	    "    outputs: {public-key-path: a.pem, certificate-path: b.pem}\n"
	    "    certificate-profile:\n"
	    "      signature-algorithm: PureEd25519\n"
	    "      common-name: E\n"
	    "      organization: E\n"
	    "      country: NZ\n"
	    "      not-before: 2030-01-01 00:00:00\n"
	    "      not-after: 2030-01-01 00:00:01\n";
	struct cer_script *s = parse_ok(y);

	assert_int_equal(s->steps[0].key.type, CER_KEY_ED25519);
	assert_int_equal(s->steps[0].profile.sigalg, CER_SIG_ED25519);
	assert_int_equal(s->private_hierarchy, 1);
	cer_script_free(s);
	expect_edit(y, "PureEd25519", "ECDSAWithSHA256", CER_ERR_SCRIPT, "t.yaml:9:28:",
	    "does not fit an ed25519 key; use PureEd25519");
	expect_edit(y, "{type: ed25519}", "{type: ed25519, ecdsa-curve: P-256}",
	    CER_ERR_SCRIPT, "t.yaml:6:26:", "'ecdsa-curve' is only for type ecdsa");
	/* BR 6.1.5: not in a publicly trusted TLS hierarchy (the default) */
	expect_edit(y, "hierarchy: private\n", "", CER_ERR_SCRIPT, "t.yaml:5:10:",
	    "Ed25519 is not allowed in a publicly trusted TLS hierarchy");
	expect_edit(y, "hierarchy: private\n", "hierarchy: tls\n", CER_ERR_SCRIPT,
	    "t.yaml:6:10:", "write 'hierarchy: private' at the top of the script");
	expect_edit(y, "hierarchy: private", "hierarchy: privat", CER_ERR_SCRIPT,
	    "t.yaml:1:12:", "did you mean 'private'?");
}

/* A hierarchy: key, root, key, intermediate, key, ocsp-signer, cross-csr. */
static const char SIGNING[] =
    "tokens:\n"						/* 1 */
    "  t: {module: /m.so, token-label: demo-root}\n"	/* 2 */
    "steps:\n"						/* 3 */
    "  - id: rk\n"					/* 4 */
    "    ceremony-type: key\n"				/* 5 */
    "    token: t\n"					/* 6 */
    "    label: RK\n"					/* 7 */
    "    key: {type: ecdsa, ecdsa-curve: P-384}\n"	/* 8 */
    "    outputs: {public-key-path: out/rk.pem}\n"	/* 9 */
    "  - id: r\n"					/* 10 */
    "    ceremony-type: root\n"				/* 11 */
    "    signing-key: rk\n"				/* 12 */
    "    outputs: {certificate-path: out/r.pem}\n"	/* 13 */
    "    certificate-profile: {signature-algorithm: ECDSAWithSHA384, common-name: R,\n"
    "      organization: O, country: US, not-before: 2026-12-01 00:00:00,\n"
    "      not-after: 2046-11-30 23:59:59}\n"		/* 16 */
    "  - id: ek\n"					/* 17 */
    "    ceremony-type: key\n"				/* 18 */
    "    token: t\n"					/* 19 */
    "    label: EK\n"					/* 20 */
    "    key: {type: ecdsa, ecdsa-curve: P-256}\n"	/* 21 */
    "    outputs: {public-key-path: out/ek.pem}\n"	/* 22 */
    "  - id: e\n"					/* 23 */
    "    ceremony-type: intermediate\n"			/* 24 */
    "    issuer: r\n"					/* 25 */
    "    subject-key: ek\n"				/* 26 */
    "    outputs: {certificate-path: out/e.pem}\n"	/* 27 */
    "    certificate-profile:\n"			/* 28 */
    "      signature-algorithm: ECDSAWithSHA384\n"	/* 29 */
    "      common-name: E\n"				/* 30 */
    "      organization: O\n"				/* 31 */
    "      country: US\n"					/* 32 */
    "      not-before: 2026-12-01 00:00:00\n"		/* 33 */
    "      not-after: 2029-11-30 23:59:59\n"		/* 34 */
    "      crl-url: http://c.example/r.crl\n"		/* 35 */
    "      issuer-url: http://c.example/r.der\n"		/* 36 */
    "      policies: [{oid: 2.23.140.1.2.1}]\n"		/* 37 */
    "  - id: o\n"					/* 38 */
    "    ceremony-type: ocsp-signer\n"			/* 39 */
    "    issuer: r\n"					/* 40 */
    "    subject-key: ek\n"				/* 41 */
    "    outputs: {certificate-path: out/o.pem}\n"	/* 42 */
    "    certificate-profile:\n"			/* 43 */
    "      signature-algorithm: ECDSAWithSHA384\n"	/* 44 */
    "      common-name: O1\n"				/* 45 */
    "      organization: O\n"				/* 46 */
    "      country: US\n"					/* 47 */
    "      not-before: 2026-12-01 00:00:00\n"		/* 48 */
    "      not-after: 2027-11-30 23:59:59\n"		/* 49 */
    "  - id: c\n"					/* 50 */
    "    ceremony-type: cross-csr\n"			/* 51 */
    "    signing-key: rk\n"				/* 52 */
    "    outputs: {csr-path: out/c.pem}\n"		/* 53 */
    "    certificate-profile: {common-name: R, organization: O, country: US}\n";

static void
test_script_signing_valid(void **state UNUSED)
{
	struct cer_script *s = parse_ok(SIGNING);

	assert_int_equal(s->nsteps, 6);
	assert_int_equal(s->steps[3].type, CER_STEP_INTERMEDIATE);
	assert_int_equal(s->steps[3].issuer, 1);
	assert_int_equal(s->steps[3].subject_key, 2);
	assert_int_equal(s->steps[3].signing_key, 0);	/* the root's key step signs */
	assert_string_equal(s->steps[3].label, "RK");
	assert_int_equal(s->steps[3].profile.ekus, CER_EKUS_SERVER);
	assert_int_equal(s->steps[3].profile.path_length, 0);
	assert_int_equal(s->steps[3].profile.key_usages, CER_KU_CERT_SIGN | CER_KU_CRL_SIGN);
	assert_int_equal(s->steps[4].profile.key_usages, CER_KU_DIGITAL_SIGNATURE);
	assert_int_equal(s->steps[5].profile.sigalg, CER_SIG_ECDSA_SHA384);	/* from the key */
	assert_string_equal(cer_step_output_path(&s->steps[5], "csr-path"), "out/c.pem");
	assert_int_equal(cer_script_cert_key_step(s, 1), 0);
	assert_int_equal(cer_script_cert_key_step(s, 3), 2);
	cer_script_free(s);
}

static void
test_script_signing_references(void **state UNUSED)
{
	expect_edit(SIGNING, "    issuer: r\n    subject-key: ek\n    outputs: {certificate-path: out/e.pem",
	    "    issuer: rk\n    subject-key: ek\n    outputs: {certificate-path: out/e.pem",
	    CER_ERR_SCRIPT, "t.yaml:25:13:", "step 'rk' is a key step; issuer must name a root, "
	    "intermediate or cross-certificate step");
	expect_edit(SIGNING, "    issuer: r\n    subject-key: ek\n    outputs: {certificate-path: out/e.pem",
	    "    issuer: o\n    subject-key: ek\n    outputs: {certificate-path: out/e.pem",
	    CER_ERR_SCRIPT, "t.yaml:25:13:", "issuer 'o' is a later step (line 38)");
	expect_edit(SIGNING, "subject-key: ek\n    outputs: {certificate-path: out/e.pem",
	    "subject-key: r\n    outputs: {certificate-path: out/e.pem", CER_ERR_SCRIPT,
	    "t.yaml:26:18:", "subject-key must name a key step");
	expect_edit(SIGNING, "    subject-key: ek\n    outputs: {certificate-path: out/e.pem",
	    "    outputs: {certificate-path: out/e.pem", CER_ERR_SCRIPT, "t.yaml:23:5:",
	    "needs 'subject-key' (an earlier step) or inputs.public-key-path");
	expect_edit(SIGNING, "    issuer: r\n    subject-key: ek\n    outputs: {certificate-path: out/e.pem",
	    "    subject-key: ek\n    outputs: {certificate-path: out/e.pem", CER_ERR_SCRIPT,
	    "t.yaml:23:5:", "needs 'issuer' (an earlier step) or inputs.issuer-certificate-path");
	expect_edit(SIGNING, "    issuer: r\n    subject-key: ek\n    outputs: {certificate-path: out/e.pem",
	    "    issuer: r\n    token: t\n    subject-key: ek\n    outputs: {certificate-path: out/e.pem",
	    CER_ERR_SCRIPT, "t.yaml:26:5:", "'token' is not used when issuer names the signing key");
	expect_edit(SIGNING, "    issuer: r\n    subject-key: ek\n    outputs: {certificate-path: out/e.pem}",
	    "    issuer: r\n    subject-key: ek\n    outputs: {certificate-path: out/e.pem}\n"
	    "    inputs: {public-key-path: ek.pem}", CER_ERR_SCRIPT, "t.yaml:28:31:",
	    "'subject-key' and inputs.public-key-path both say where it comes from");
	expect_edit(SIGNING, "signing-key: rk\n    outputs: {csr-path",
	    "issuer: r\n    outputs: {csr-path", CER_ERR_SCRIPT, "t.yaml:52:5:",
	    "a cross-csr is signed by the subject's own key");
	expect_edit(SIGNING, "outputs: {csr-path: out/c.pem}", "outputs: {certificate-path: out/c.pem}",
	    CER_ERR_SCRIPT, "t.yaml:53:15:", "a cross-csr step takes no outputs 'certificate-path'");
	expect_edit(SIGNING, "outputs: {certificate-path: out/e.pem}",
	    "outputs: {certificate-path: out/e.pem, csr-path: out/x.pem}", CER_ERR_SCRIPT,
	    "t.yaml:27:44:", "an intermediate step takes no outputs 'csr-path'");
}

static void
test_script_signing_profiles(void **state UNUSED)
{
	expect_edit(SIGNING, "      crl-url: http://c.example/r.crl\n", "", CER_ERR_SCRIPT,
	    "t.yaml:29:7:", "needs 'crl-url'");
	expect_edit(SIGNING, "crl-url: http://c.example/r.crl", "crl-url: https://c.example/r.crl",
	    CER_ERR_SCRIPT, "t.yaml:35:16:", "must be an http:// URL");
	expect_edit(SIGNING, "      policies: [{oid: 2.23.140.1.2.1}]\n", "", CER_ERR_SCRIPT,
	    "t.yaml:29:7:", "needs 'policies'");
	expect_edit(SIGNING, "policies: [{oid: 2.23.140.1.2.1}]", "policies: [{oid: 1.2.3}]",
	    CER_ERR_SCRIPT, "t.yaml:37:24:", "the first policy must be a CA/B Forum reserved OID");
	expect_edit(SIGNING, "policies: [{oid: 2.23.140.1.2.1}]",
	    "policies: [{oid: 2.23.140.1.2.1}, {oid: 2.23.140.1.2.2}]", CER_ERR_SCRIPT,
	    "t.yaml:37:17:", "exactly one reserved policy OID");
	expect_edit(SIGNING, "policies: [{oid: 2.23.140.1.2.1}]",
	    "policies: [{oid: 2.23.140.1.2.1}, {oid: 2.5.29.32.0}]", CER_ERR_SCRIPT,
	    "t.yaml:37:47:", "anyPolicy");
	expect_edit(SIGNING, "      policies: [{oid: 2.23.140.1.2.1}]\n",
	    "      policies: [{oid: 2.23.140.1.2.1}]\n      ekus: both\n", CER_ERR_SCRIPT,
	    "t.yaml:38:13:", "'ekus: both' (serverAuth + clientAuth) is accepted only for a "
	    "notBefore before 2026-06-15");
	expect_edit(SIGNING, "      policies: [{oid: 2.23.140.1.2.1}]\n",
	    "      policies: [{oid: 2.23.140.1.2.1}]\n      ekus: none\n", CER_ERR_SCRIPT,
	    "t.yaml:38:13:", "must carry extended key usages");
	expect_edit(SIGNING, "      policies: [{oid: 2.23.140.1.2.1}]\n",
	    "      policies: [{oid: 2.23.140.1.2.1}]\n      key-usages: [Cert Sign]\n",
	    CER_ERR_SCRIPT, "t.yaml:38:19:", "must include Cert Sign and CRL Sign");
	expect_edit(SIGNING, "      policies: [{oid: 2.23.140.1.2.1}]\n",
	    "      policies: [{oid: 2.23.140.1.2.1}]\n      allow-other-organization: true\n",
	    CER_ERR_SCRIPT, "t.yaml:38:7:", "is for cross-certificate steps");
	expect_edit(SIGNING, "not-after: 2027-11-30 23:59:59", "not-after: 2030-11-30 23:59:59",
	    CER_ERR_SCRIPT, "t.yaml:49:18:", "valid for at most 1096 days here (1461 asked)");
	expect_edit(SIGNING, "      not-after: 2027-11-30 23:59:59\n",
	    "      not-after: 2027-11-30 23:59:59\n      max-validity-days: 90\n", CER_ERR_SCRIPT,
	    "t.yaml:49:18:", "at most 90 days here (365 asked)");
	expect_edit(SIGNING, "      not-after: 2027-11-30 23:59:59\n",
	    "      not-after: 2027-11-30 23:59:59\n      crl-url: http://c.example/r.crl\n",
	    CER_ERR_SCRIPT, "t.yaml:50:7:", "'crl-url' is fixed for an OCSP responder certificate");
	expect_edit(SIGNING, "      not-after: 2027-11-30 23:59:59\n",
	    "      not-after: 2027-11-30 23:59:59\n      issuer-url: http://c.example/r.der\n",
	    CER_ERR_SCRIPT, "t.yaml:50:7:", "'issuer-url' would put id-ad-caIssuers in an OCSP "
	    "responder certificate, which BR 7.1.2.8.3 forbids");
	expect_edit(SIGNING, "{common-name: R, organization: O, country: US}",
	    "{common-name: R, organization: O, country: US, not-before: 2026-12-01 00:00:00}",
	    CER_ERR_SCRIPT, "t.yaml:54:73:", "'not-before' is not part of a CSR");
	expect_edit(SIGNING, "      signature-algorithm: ECDSAWithSHA384\n      common-name: E\n",
	    "      signature-algorithm: ECDSAWithSHA256\n      common-name: E\n", CER_ERR_SCRIPT,
	    "t.yaml:29:28:", "does not fit a P-384 key");
}

static void
test_script_name_constraints(void **state UNUSED)
{
	static const char nc[] = "      policies: [{oid: 2.23.140.1.2.1}]\n"
	    "      name-constraints:\n"				/* 38 */
	    "        permitted-dns: [example.com]\n"		/* 39 */
	    "        permitted-ip: [192.0.2.0/24, 2001:db8::/32]\n"	/* 40 */
	    "        permitted-dn: [{country: US, organization: Example}]\n";
	char *y = edit(SIGNING, "      policies: [{oid: 2.23.140.1.2.1}]\n", nc);
	struct cer_script *s = parse_ok(y);
	const struct cer_name_constraints *n = &s->steps[3].profile.nc;
	unsigned char a[16], m[16];
	int v6;

	assert_int_equal(n->present, 1);
	assert_int_equal(n->permitted_dns.n, 1);
	assert_int_equal(n->permitted_ip.n, 2);
	assert_string_equal(n->permitted_dn[0].organization, "Example");
	cer_script_free(s);
	assert_int_equal(cer_script_ip_subtree("2001:db8::/32", a, m, &v6), 1);
	assert_int_equal(v6, 1);
	assert_int_equal(m[3], 0xff);
	assert_int_equal(m[4], 0);
	assert_int_equal(cer_script_ip_subtree("192.0.2.1/24", a, m, &v6), 0);	/* host bits */
	assert_int_equal(cer_script_ip_subtree("192.0.2.0/33", a, m, &v6), 0);
	assert_int_equal(cer_script_ip_subtree("192.0.2.0", a, m, &v6), 0);
	expect_edit(y, "[example.com]", "[Example.com]", CER_ERR_SCRIPT, "t.yaml:39:25:",
	    "'Example.com' is not a DNS name in lower case");
	expect_edit(y, "[example.com]", "[-x.com]", CER_ERR_SCRIPT, "t.yaml:39:25:",
	    "is not a DNS name");
	expect_edit(y, "192.0.2.0/24", "192.0.2.1/24", CER_ERR_SCRIPT, "t.yaml:40:24:",
	    "host bits zero");
	expect_edit(y, "        permitted-dn: [{country: US, organization: Example}]\n", "",
	    CER_ERR_SCRIPT, "t.yaml:39:9:", "permit at least one directoryName");
	expect_edit(y, "{country: US, organization: Example}", "{country: usa}", CER_ERR_SCRIPT,
	    "t.yaml:41:24:", "two-letter ISO 3166 code");
	expect_edit(y, "permitted-dns", "permited-dns", CER_ERR_SCRIPT, "t.yaml:39:9:",
	    "did you mean 'permitted-dns'?");
	free(y);
}

static void
test_script_key_type_names(void **state UNUSED)
{
	expect_edit(BOULDER_KEY, "    key-type: ecdsa\n",
	    "    key-type: ecdsa\n    type: ecdsa\n", CER_ERR_SCRIPT, "t.yaml:8:5:",
	    "'key-type' is Boulder's old name for 'type'");
	expect_edit(BOULDER_KEY, "    key-type: ecdsa\n", "", CER_ERR_SCRIPT,
	    "t.yaml:8:5:", "the key block needs 'type'");
	expect_edit(BOULDER_KEY, "key-type: ecdsa", "key-type: dh", CER_ERR_SCRIPT,
	    "t.yaml:8:15:", "use one of: rsa, ecdsa, ed25519");
}

static void
test_script_signed_root_fields(void **state UNUSED)
{
	expect_edit(NATIVE, "{certificate-path: out/r1.cert.pem}",
	    "{public-key-path: out/x.pem, certificate-path: out/r1.cert.pem}",
	    CER_ERR_SCRIPT, "t.yaml:21:15:", "the key step 'r1-key' already wrote "
	    "the public key; remove 'public-key-path'");
	expect_edit(NATIVE, "    signing-key: r1-key\n",
	    "    signing-key: r1-key\n    label: x\n", CER_ERR_SCRIPT, "t.yaml:21:5:",
	    "'label' is not used when signing-key names the key");
	expect_edit(NATIVE, "{certificate-path: out/r1.cert.pem}", "{}",
	    CER_ERR_SCRIPT, "t.yaml:21:14:", "'outputs' needs 'certificate-path'");
}

static void
test_script_key_step_fields(void **state UNUSED)
{
	expect_edit(BOULDER_KEY, "outputs:", "certificate-profile: {}\noutputs:",
	    CER_ERR_SCRIPT, "t.yaml:10:1:", "'certificate-profile' is not used by a "
	    "key step; remove it");
	expect_edit(BOULDER_KEY, "outputs:", "skip-lints: [x]\noutputs:",
	    CER_ERR_SCRIPT, "t.yaml:10:1:", "'skip-lints' is not used by a key step");
	expect_edit(NATIVE, "{public-key-path: out/r1.pub.pem}",
	    "{public-key-path: out/r1.pub.pem, certificate-path: c.pem}",
	    CER_ERR_SCRIPT, "t.yaml:17:48:", "a key step writes no certificate");
	expect_edit(NATIVE, "{public-key-path: out/r1.pub.pem}",
	    "{public-key-path: out/r1.pub.pem, pkcs11-config-path: c.json}",
	    CER_ERR_SCRIPT, "t.yaml:17:48:", "'pkcs11-config-path' is written only by a "
	    "Boulder key config (it holds the PIN in clear)");
}

/* Boulder's outputs.pkcs11-config-path: key configs only, with the config's own PIN. */
static void
test_script_boulder_pkcs11_config(void **state UNUSED)
{
	char *t = edit(BOULDER_KEY, "    public-key-path: out/int.pub.pem\n",
	    "    public-key-path: out/int.pub.pem\n    pkcs11-config-path: out/int.json\n");
	struct cer_script *s = parse_ok(t);
	char *u;

	assert_string_equal(s->steps[0].pkcs11_config, "out/int.json");
	assert_int_equal(s->steps[0].pkcs11_config_pos.line, 12);
	assert_int_equal(s->steps[0].pkcs11_config_pos.col, 25);
	assert_null(cer_step_output_path(&s->steps[0], "pkcs11-config-path"));
	assert_int_equal(s->steps[0].noutputs, 1);
	cer_script_free(s);
	/* no PIN in the config: Boulder writes "" */
	u = edit(t, "    pin: 0012\n", "");
	cer_script_free(parse_ok(u));
	free(u);
	/* a PIN the config keeps out of files is not written into one */
	expect_edit(t, "pin: 0012", "pin: env:CEREMONY_PIN", CER_ERR_SCRIPT, "t.yaml:12:25:",
	    "pkcs11-config-path writes the PIN into that file in clear, but this config "
	    "takes it from 'env:CEREMONY_PIN'");
	expect_edit(t, "out/int.json", "out/int.pub.pem", CER_ERR_SCRIPT, "t.yaml:11:22:",
	    "output path 'out/int.pub.pem' is also written at line 12");
	free(t);
	expect_edit(BOULDER_ROOT, "    certificate-path: out/root.cert.pem\n",
	    "    certificate-path: out/root.cert.pem\n    pkcs11-config-path: c.json\n",
	    CER_ERR_SCRIPT, "t.yaml:13:5:", "'pkcs11-config-path' is written only by a "
	    "Boulder key config");
}

/* Boulder's verifyProfile: policy-url on every profile, CSRs included; not on ocsp-signer. */
static void
test_script_boulder_policy_url(void **state UNUSED)
{
	static const char csr[] =
	    "ceremony-type: cross-csr\n"
	    "pkcs11:\n"
	    "    module: /usr/lib/softhsm/libsofthsm2.so\n"
	    "    pin: 1234\n"
	    "    signing-key-slot: 0\n"
	    "    signing-key-label: root signing key\n"
	    "inputs:\n"
	    "    public-key-path: out/root.pub.pem\n"
	    "outputs:\n"
	    "    csr-path: out/root.csr.pem\n"
	    "certificate-profile:\n"
	    "    policy-url: https://example.com/cps#cross-csr\n"
	    "    common-name: Example Root X4\n"
	    "    organization: Example CA\n"
	    "    country: US\n";
	struct cer_script *s = parse_ok(csr);

	assert_string_equal(s->steps[0].profile.policy_url, "https://example.com/cps#cross-csr");
	cer_script_free(s);
	expect_edit(csr, "    policy-url: https://example.com/cps#cross-csr\n", "",
	    CER_ERR_SCRIPT, "t.yaml:12:5:", "a Boulder certificate-profile needs 'policy-url'");
	expect_edit(BOULDER_ROOT, "    policy-url: https://example.com/cps#root\n", "",
	    CER_ERR_SCRIPT, "t.yaml:14:5:", "a Boulder certificate-profile needs 'policy-url', "
	    "the URL of the CPS section it follows");
	expect_edit(BOULDER_ROOT, "policy-url: https://example.com/cps#root",
	    "policy-url: cps.md", CER_ERR_SCRIPT, "t.yaml:23:17:",
	    "'policy-url' must be an http:// or https:// URL");
}

/*
 * skip-lints: a Boulder config names zlint lints as Boulder does; one
 * whose counterpart is an error rule is recorded but not skipped.  A
 * native script keeps its strictness.
 */
static void
test_script_skip_effects(void **state UNUSED)
{
	struct cer_script *s = parse_ok(BOULDER_ROOT);
	const char *rule = NULL;

	assert_int_equal(cer_steplint_check_skips(s), CER_OK);
	assert_string_equal(cer_steplint_skip_effect(s, "n_ca_digital_signature_not_set", &rule),
	    "skipped");
	assert_string_equal(rule, "root.ku_digsig_for_ocsp");
	assert_string_equal(cer_steplint_skip_effect(s, "n_mp_allowed_eku", &rule),
	    "recorded, not skipped: its counterpart is an error rule, which always runs");
	assert_string_equal(rule, "subca.eku_mozilla");
	cer_script_free(s);
	s = parse_ok(NATIVE);
	assert_string_equal(cer_steplint_skip_effect(s, "n_mp_allowed_eku", &rule), "skipped");
	cer_script_free(s);
	/* a name no linter has is refused in both shapes */
	s = parse_ok(BOULDER_ROOT);
	free(s->steps[0].skip_lints[0].name);
	s->steps[0].skip_lints[0].name = strdup("n_no_such_lint");
	assert_int_equal(cer_steplint_check_skips(s), CER_ERR_SCRIPT);
	assert_non_null(strstr(cer_err_detail(), "t.yaml:25:7: skip-lints names "
	    "'n_no_such_lint', which is no rule of ceremony lint and no zlint v3 lint"));
	cer_script_free(s);
}

static void
test_script_token_reference(void **state UNUSED)
{
	expect_edit(NATIVE, "token: root-hsm", "token: root-hms", CER_ERR_SCRIPT,
	    "t.yaml:14:12:", "no token named 'root-hms' in tokens:; did you mean "
	    "'root-hsm'?");
	expect_edit(NATIVE, "    token: root-hsm\n",
	    "    token: root-hsm\n    pkcs11: {module: /m.so, store-key-with-label: x}\n",
	    CER_ERR_SCRIPT, "t.yaml:15:5:", "give either 'token' or an inline "
	    "'pkcs11' block, not both");
	expect_edit(NATIVE, "    token: root-hsm\n", "", CER_ERR_SCRIPT,
	    "t.yaml:12:5:", "this step needs 'token'");
}

static void
test_script_skip_lints(void **state UNUSED)
{
	expect_edit(NATIVE, "{name: e_some_lint, reason: x}", "e_some_lint", CER_ERR_SCRIPT,
	    "t.yaml:51:9:", "say why 'e_some_lint' is skipped: write {name: e_some_lint, "
	    "reason: ...}");
	expect_edit(NATIVE, "{name: w_other, reason: accepted by policy}",
	    "{name: w_other}", CER_ERR_SCRIPT, "t.yaml:52:9:",
	    "a skip-lints entry needs 'reason'");
	expect_edit(NATIVE, "{name: w_other, reason: accepted by policy}",
	    "[w_other]", CER_ERR_SCRIPT, "t.yaml:52:9:",
	    "a skip-lints entry must be a mapping, not a sequence");
}

static void
test_script_depth_limit(void **state UNUSED)
{
	char y[200];
	int i, n = 0;

	n += snprintf(y + n, sizeof(y) - (size_t)n, "steps: ");
	for (i = 0; i < 40; i++)
		y[n++] = '[';
	for (i = 0; i < 40; i++)
		y[n++] = ']';
	y[n++] = '\n';
	y[n] = '\0';
	expect_err(y, CER_ERR_SCRIPT, "t.yaml:1:39:", "nested more than 32 deep");
}

static void
test_script_free_null(void **state UNUSED)
{
	cer_script_free(NULL);
}

static void
test_script_names(void **state UNUSED)
{
	assert_string_equal(cer_step_type_name(CER_STEP_KEY), "key");
	assert_string_equal(cer_step_type_name(CER_STEP_ROOT), "root");
	assert_string_equal(cer_step_type_name(CER_STEP_CROSS_CERTIFICATE),
	    "cross-certificate");
	assert_string_equal(cer_step_type_name(CER_STEP_OCSP_RESPONSE), "ocsp-response");
	assert_string_equal(cer_step_type_name((enum cer_step_type)0), "unknown");
	assert_string_equal(cer_step_type_name((enum cer_step_type)99), "unknown");
	assert_string_equal(cer_curve_name(CER_CURVE_P256), "P-256");
	assert_string_equal(cer_curve_name(CER_CURVE_P521), "P-521");
	assert_string_equal(cer_curve_name(CER_CURVE_NONE), "unknown");
	assert_string_equal(cer_sigalg_name(CER_SIG_SHA256_RSA), "SHA256WithRSA");
	assert_string_equal(cer_sigalg_name(CER_SIG_SHA512_RSAPSS), "SHA512WithRSAPSS");
	assert_string_equal(cer_sigalg_name(CER_SIG_ECDSA_SHA384), "ECDSAWithSHA384");
	assert_string_equal(cer_sigalg_name(CER_SIG_ED25519), "PureEd25519");
	assert_string_equal(cer_sigalg_name((enum cer_sigalg)-1), "unknown");
}

static void
test_script_nul_byte(void **state UNUSED)
{
	static const unsigned char y[] = "steps:\n  - id: a\0b\n";
	struct cer_script *s = (struct cer_script *)&s;
	int r;

	r = cer_script_parse("t.yaml", y, sizeof(y) - 1, &s);
	assert_int_equal(r, CER_ERR_SCRIPT);
	assert_null(s);
	assert_string_equal(cer_err_detail(), "t.yaml:2:10: the script contains a NUL "
	    "byte; save it as UTF-8 text");
}

static void
test_script_bad_utf8(void **state UNUSED)
{
	expect_err("ceremony: \xff\nsteps: []\n", CER_ERR_SCRIPT, "t.yaml:1:11:",
	    "not valid UTF-8");
}

static void
test_script_too_large(void **state UNUSED)
{
	size_t n = 1024 * 1024 + 1;
	unsigned char *y = malloc(n);
	struct cer_script *s = NULL;

	assert_non_null(y);
	memset(y, '#', n);
	assert_int_equal(cer_script_parse("t.yaml", y, n, &s), CER_ERR_SCRIPT);
	assert_null(s);
	assert_non_null(strstr(cer_err_detail(), "too large"));
	assert_int_equal(cer_script_parse("t.yaml", y, n - 1, &s), CER_ERR_SCRIPT);
	assert_non_null(strstr(cer_err_detail(), "the script is empty"));
	free(y);
}

static void
test_script_load_missing(void **state UNUSED)
{
	struct cer_script *s = (struct cer_script *)&s;

	assert_int_equal(cer_script_load("/nonexistent/ceremony.yaml", &s), CER_ERR_INPUT);
	assert_null(s);
	assert_string_equal(cer_err_detail(), "/nonexistent/ceremony.yaml: cannot read: "
	    "No such file or directory");
	/* a device is refused at once, never read or waited on (issue 14, defect 5) */
	assert_int_equal(cer_script_load("/dev/null", &s), CER_ERR_INPUT);
	assert_string_equal(cer_err_detail(), "/dev/null: is a character device, not a "
	    "regular file");
}

static void
test_script_load(void **state UNUSED)
{
	char path[] = "/tmp/test-script-XXXXXX";
	struct cer_script *s = NULL;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, BOULDER_KEY, strlen(BOULDER_KEY)),
	    (ssize_t)strlen(BOULDER_KEY));
	close(fd);
	assert_int_equal(cer_script_load(path, &s), CER_OK);
	assert_string_equal(s->path, path);
	assert_int_equal(s->text_len, strlen(BOULDER_KEY));
	assert_memory_equal(s->text, BOULDER_KEY, strlen(BOULDER_KEY));
	assert_string_equal(s->steps[0].label, "intermediate key");
	cer_script_free(s);
	unlink(path);
}


/* A private hierarchy: a root and a constrained issuing CA with its own policies and EKUs. */
static const char PRIVATE[] =
    "hierarchy: private\n"						/* 1 */
    "tokens:\n"								/* 2 */
    "  t: {module: /usr/lib/softhsm/libsofthsm2.so, token-label: p, pin: env:P}\n" /* 3 */
    "steps:\n"								/* 4 */
    "  - id: r\n"							/* 5 */
    "    ceremony-type: root\n"						/* 6 */
    "    token: t\n"							/* 7 */
    "    label: r\n"							/* 8 */
    "    key: {type: ed25519}\n"					/* 9 */
    "    outputs: {certificate-path: r.pem, public-key-path: r.pub}\n"	/* 10 */
    "    certificate-profile:\n"					/* 11 */
    "      signature-algorithm: PureEd25519\n"				/* 12 */
    "      common-name: Corp Root\n"					/* 13 */
    "      organization: Corp\n"						/* 14 */
    "      country: US\n"						/* 15 */
    "      not-before: 2026-12-01 00:00:00\n"				/* 16 */
    "      not-after: 2036-11-30 23:59:59\n"				/* 17 */
    "      max-validity-days: 3653\n"					/* 18 */
    "      path-length: 1\n"						/* 19 */
    "      policies: [{oid: 2.999.1, cps: https://pki.corp.example/cps}]\n"	/* 20 */
    "  - id: m\n"							/* 21 */
    "    ceremony-type: intermediate\n"					/* 22 */
    "    issuer: r\n"							/* 23 */
    "    inputs: {public-key-path: m.pub}\n"				/* 24 */
    "    outputs: {certificate-path: m.pem}\n"				/* 25 */
    "    certificate-profile:\n"					/* 26 */
    "      signature-algorithm: PureEd25519\n"				/* 27 */
    "      common-name: Corp mTLS CA\n"					/* 28 */
    "      organization: Corp\n"						/* 29 */
    "      country: US\n"						/* 30 */
    "      not-before: 2026-12-01 00:00:00\n"				/* 31 */
    "      not-after: 2029-11-30 23:59:59\n"				/* 32 */
    "      ekus: [client, server, 1.3.6.1.4.1.311.20.2.2]\n"		/* 33 */
    "      policies: [{oid: 2.999.1}, {oid: 2.999.2}]\n"			/* 34 */
    "      name-constraints:\n"					/* 35 */
    "        permitted-email: [corp.example, .corp.example]\n"		/* 36 */
    "        permitted-uri: [.corp.example]\n"				/* 37 */
    "        excluded-dn: [{organization: Other}]\n";			/* 38 */

static void
test_script_private(void **state UNUSED)
{
	struct cer_script *s = parse_ok(PRIVATE);
	const struct cer_cert_profile *r = &s->steps[0].profile, *m = &s->steps[1].profile;
	char *t;

	assert_int_equal(s->private_hierarchy, 1);
	assert_string_equal(cer_script_hierarchy(s), "private");
	assert_int_equal(r->private_set, 1);
	assert_int_equal(r->path_length, 1);
	assert_string_equal(r->policies[0].cps, "https://pki.corp.example/cps");
	assert_int_equal(r->max_validity_days, 3653);
	assert_int_equal(m->eku_oids.n, 3);
	assert_string_equal(m->eku_oids.v[0], "1.3.6.1.5.5.7.3.2");
	assert_string_equal(m->eku_oids.v[1], "1.3.6.1.5.5.7.3.1");
	assert_string_equal(m->eku_oids.v[2], "1.3.6.1.4.1.311.20.2.2");
	assert_null(m->policies[1].cps);
	assert_int_equal(m->nc.permitted_email.n, 2);
	assert_string_equal(m->nc.permitted_uri.v[0], ".corp.example");
	assert_int_equal(m->nc.nexcluded_dn, 1);
	assert_int_equal(m->nc.npermitted_dn, 0);	/* BR 7.1.2.5.2's directoryName: not asked */
	assert_int_equal(m->key_usages, CER_KU_CERT_SIGN | CER_KU_CRL_SIGN);
	assert_null(m->org_unit);
	cer_script_free(s);
	t = edit(PRIVATE, "      country: US\n", "      country: US\n      organizational-unit: IT\n"
	    "      locality: Berlin\n      state: Berlin\n      subject-serial-number: HRB 42\n");
	s = parse_ok(t);
	r = &s->steps[0].profile;
	assert_string_equal(r->org_unit, "IT");
	assert_string_equal(r->locality, "Berlin");
	assert_string_equal(r->state, "Berlin");
	assert_string_equal(r->subject_serial, "HRB 42");
	cer_script_free(s);
	free(t);
}

static void
test_script_private_refusals(void **state UNUSED)
{
	/* the "done when": a CA/B Forum OID is refused, naming the rule */
	expect_edit(PRIVATE, "{oid: 2.999.2}", "{oid: 2.23.140.1.2.1}", CER_ERR_SCRIPT,
	    "t.yaml:34:40: ", "private.no_cabf_policy");
	expect_edit(PRIVATE, "{oid: 2.999.2}", "{oid: 2.23.140.1.5.1.1}", CER_ERR_SCRIPT,
	    "t.yaml:34:40: ", "CA/B Forum policy OID");
	expect_edit(PRIVATE, "{oid: 2.999.2}", "{oid: 2.999.1}", CER_ERR_SCRIPT, "t.yaml:34:40: ",
	    "listed twice (RFC 5280 4.2.1.4");
	expect_edit(PRIVATE, "max-validity-days: 3653", "max-validity-days: 3000", CER_ERR_SCRIPT,
	    "t.yaml:17:18: ", "more than this profile's max-validity-days 3000 (line 18)");
	expect_edit(PRIVATE, "      ekus: [client, server, 1.3.6.1.4.1.311.20.2.2]\n", "",
	    CER_ERR_SCRIPT, "t.yaml:27:7: ", "'ekus'");
	expect_edit(PRIVATE, "client, server,", "client, client,", CER_ERR_SCRIPT, "t.yaml:33:",
	    "listed twice");
	expect_edit(PRIVATE, "client, server,", "client, smtp,", CER_ERR_SCRIPT, "t.yaml:33:",
	    "no key purpose");
	expect_edit(PRIVATE, "[corp.example, .corp.example]", "[corp..example]", CER_ERR_SCRIPT,
	    "t.yaml:36:", "a mailbox");
	expect_edit(PRIVATE, "cps: https://pki.corp.example/cps", "cps: ftp://x", CER_ERR_SCRIPT,
	    "t.yaml:20:", "'cps' must be an http");
	expect_edit(PRIVATE, "      path-length: 1\n", "      crl-url: http://x.example/r.crl\n",
	    CER_ERR_SCRIPT, "t.yaml:19:", "RFC 5280 6.1.1");
	expect_edit(PRIVATE, "      country: US\n", "      country: US\n      subject-serial-number: "
	    "A*1\n", CER_ERR_SCRIPT, "t.yaml:16:", "PrintableString");
	expect_edit(PRIVATE, "      country: US\n", "      country: US\n      state: CA\n"
	    "      subject-order: [country, organization, common-name]\n", CER_ERR_SCRIPT,
	    "t.yaml:17:", "remove subject-order");
	expect_edit(PRIVATE, "        permitted-email: [corp.example, .corp.example]\n",
	    "        permitted-dns: [Corp.example]\n", CER_ERR_SCRIPT, "t.yaml:36:", "lower case");
}

static void
test_script_public_refuses_private_fields(void **state UNUSED)
{
	static const char *const to_tls[][2] = { { "hierarchy: private\n", "" },
	    { "{type: ed25519}", "{type: ecdsa, ecdsa-curve: P-384}" },
	    { "PureEd25519", "ECDSAWithSHA384" }, { "PureEd25519", "ECDSAWithSHA384" } };
	char *t = strdup(PRIVATE), *u;
	size_t i;

	for (i = 0; i < sizeof(to_tls) / sizeof(to_tls[0]); i++) {
		u = edit(t, to_tls[i][0], to_tls[i][1]);
		free(t);
		t = u;
	}
	/* the TLS rules hold: each field the BR profile has no room for is refused */
	expect_err(t, CER_ERR_SCRIPT, "t.yaml:19:33: ", "is for a private hierarchy's policies");
	u = edit(t, "      policies: [{oid: 2.999.1, cps: https://pki.corp.example/cps}]\n", "");
	expect_err(u, CER_ERR_SCRIPT, "t.yaml:17:26: ", "at most 1096");
	free(t);
	t = edit(u, "      max-validity-days: 3653\n      path-length: 1\n", "");
	free(u);
	expect_edit(t, "      country: US\n", "      country: US\n      organizational-unit: IT\n",
	    CER_ERR_SCRIPT, "t.yaml:15:7: ", "BR 7.1.2.10.2 forbids organizationalUnitName");
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_native_valid),
		cmocka_unit_test(test_script_boulder_root),
		cmocka_unit_test(test_script_boulder_pkcs11_config),
		cmocka_unit_test(test_script_boulder_policy_url),
		cmocka_unit_test(test_script_skip_effects),
		cmocka_unit_test(test_script_boulder_key),
		cmocka_unit_test(test_script_boulder_default_slot),
		cmocka_unit_test(test_script_inline_pkcs11),
		cmocka_unit_test(test_script_syntax_error),
		cmocka_unit_test(test_script_empty),
		cmocka_unit_test(test_script_two_documents),
		cmocka_unit_test(test_script_anchor),
		cmocka_unit_test(test_script_alias),
		cmocka_unit_test(test_script_tag),
		cmocka_unit_test(test_script_unknown_key_suggestion),
		cmocka_unit_test(test_script_unknown_key_list),
		cmocka_unit_test(test_script_duplicate_key),
		cmocka_unit_test(test_script_non_scalar_key),
		cmocka_unit_test(test_script_wrong_kind),
		cmocka_unit_test(test_script_bad_int),
		cmocka_unit_test(test_script_rsa_mod_length_range),
		cmocka_unit_test(test_script_bad_curve),
		cmocka_unit_test(test_script_bad_date),
		cmocka_unit_test(test_script_feb_30),
		cmocka_unit_test(test_script_not_after_before),
		cmocka_unit_test(test_script_bad_country),
		cmocka_unit_test(test_script_long_cn),
		cmocka_unit_test(test_script_bad_serial),
		cmocka_unit_test(test_script_serial_no_colons),
		cmocka_unit_test(test_script_unknown_signing_key),
		cmocka_unit_test(test_script_forward_reference),
		cmocka_unit_test(test_script_reference_to_root),
		cmocka_unit_test(test_script_missing_required),
		cmocka_unit_test(test_script_needs_value),
		cmocka_unit_test(test_script_text_scalars),
		cmocka_unit_test(test_script_duplicate_step_id),
		cmocka_unit_test(test_script_duplicate_output_path),
		cmocka_unit_test(test_script_duplicate_label),
		cmocka_unit_test(test_script_unknown_type),
		cmocka_unit_test(test_script_steps_and_type),
		cmocka_unit_test(test_script_slot_native_token),
		cmocka_unit_test(test_script_boulder_selector),
		cmocka_unit_test(test_script_uri_pin_value),
		cmocka_unit_test(test_script_bad_uri),
		cmocka_unit_test(test_script_literal_pin_not_in_message),
		cmocka_unit_test(test_script_pin_sources),
		cmocka_unit_test(test_script_root_policies),
		cmocka_unit_test(test_script_root_crl_url),
		cmocka_unit_test(test_script_root_key_usages),
		cmocka_unit_test(test_script_root_ekus),
		cmocka_unit_test(test_script_policy_url),
		cmocka_unit_test(test_script_sigalg_curve_mismatch),
		cmocka_unit_test(test_script_ed25519),
		cmocka_unit_test(test_script_signing_valid),
		cmocka_unit_test(test_script_signing_references),
		cmocka_unit_test(test_script_signing_profiles),
		cmocka_unit_test(test_script_name_constraints),
		cmocka_unit_test(test_script_key_type_names),
		cmocka_unit_test(test_script_signed_root_fields),
		cmocka_unit_test(test_script_key_step_fields),
		cmocka_unit_test(test_script_token_reference),
		cmocka_unit_test(test_script_skip_lints),
		cmocka_unit_test(test_script_depth_limit),
		cmocka_unit_test(test_script_free_null),
		cmocka_unit_test(test_script_names),
		cmocka_unit_test(test_script_nul_byte),
		cmocka_unit_test(test_script_bad_utf8),
		cmocka_unit_test(test_script_too_large),
		cmocka_unit_test(test_script_load_missing),
		cmocka_unit_test(test_script_load),
		cmocka_unit_test(test_script_private),
		cmocka_unit_test(test_script_private_refusals),
		cmocka_unit_test(test_script_public_refuses_private_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
