/*
 * describe-yaml.c: a description written as a whole native script, every
 * profile field spelt out (the defaults too: the script must not depend on
 * what a later version chooses by default).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "script/certprofile.h"
#include "x509/describe.h"

/* Text as a single-quoted YAML scalar ('' for a quote). */
static void
quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

static void
text_field(FILE *f, const char *key, const char *value)
{
	if (value == NULL)
		return;
	fprintf(f, "      %s: ", key);
	quoted(f, value);
	fputc('\n', f);
}

static void
time_field(FILE *f, const char *key, time_t t)
{
	struct tm tm;
	char buf[32];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(f, "      %s: '%s'\n", key, buf);
}

/* A list of names ("[KU, BC]"), by index into tab. */
static void
names(FILE *f, const char *key, const char *const *tab, const unsigned *v, size_t n)
{
	size_t i;

	fprintf(f, "      %s: [", key);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i > 0 ? ", " : "", tab[v[i]]);
	fputs("]\n", f);
}

/* A step id from the common name: letters and digits, a '-' for each run of others. */
static void
step_id(const char *cn, char id[static 65])
{
	size_t n = 0;

	for (; *cn != '\0' && n < 64; cn++) {
		if (isalnum((unsigned char)*cn) && (unsigned char)*cn < 0x80)
			id[n++] = (char)tolower((unsigned char)*cn);
		else if (n > 0 && id[n - 1] != '-')
			id[n++] = '-';
	}
	while (n > 0 && id[n - 1] == '-')
		n--;
	id[n] = '\0';
	if (n == 0)
		snprintf(id, 65, "certificate");
}

static void
string_list(FILE *f, const char *key, const struct cer_strlist *l)
{
	size_t i;

	if (l->n == 0)
		return;
	fprintf(f, "        %s: [", key);
	for (i = 0; i < l->n; i++) {
		fputs(i > 0 ? ", " : "", f);
		quoted(f, l->v[i]);
	}
	fputs("]\n", f);
}

static void
name_constraints(FILE *f, const struct cer_name_constraints *nc)
{
	size_t i;

	if (!nc->present)
		return;
	fputs("      name-constraints:\n", f);
	string_list(f, "permitted-dns", &nc->permitted_dns);
	string_list(f, "excluded-dns", &nc->excluded_dns);
	string_list(f, "permitted-ip", &nc->permitted_ip);
	string_list(f, "excluded-ip", &nc->excluded_ip);
	if (nc->npermitted_dn > 0)
		fputs("        permitted-dn:\n", f);
	for (i = 0; i < nc->npermitted_dn; i++) {
		fputs("          - {", f);
		if (nc->permitted_dn[i].country != NULL) {
			fputs("country: ", f);
			quoted(f, nc->permitted_dn[i].country);
		}
		if (nc->permitted_dn[i].organization != NULL) {
			fputs(nc->permitted_dn[i].country != NULL ? ", organization: " :
			    "organization: ", f);
			quoted(f, nc->permitted_dn[i].organization);
		}
		fputs("}\n", f);
	}
}

/* What a CA's profile says beyond the subject and dates (not an OCSP responder's). */
static void
ca_fields(FILE *f, const struct cer_description *d)
{
	const struct cer_cert_profile *p = &d->profile;
	unsigned v[4];
	size_t i, n = 0;

	text_field(f, "crl-url", p->crl_url);
	text_field(f, "issuer-url", p->issuer_url);
	text_field(f, "ocsp-url", p->ocsp_url);
	if (p->npolicies > 0) {
		fputs("      policies:\n", f);
		for (i = 0; i < p->npolicies; i++)
			fprintf(f, "        - oid: %s\n", p->policies[i].oid);
	}
	fputs("      key-usages: [", f);
	if (p->key_usages & CER_KU_CERT_SIGN)
		fprintf(f, "%sCert Sign", n++ > 0 ? ", " : "");
	if (p->key_usages & CER_KU_CRL_SIGN)
		fprintf(f, "%sCRL Sign", n++ > 0 ? ", " : "");
	if (p->key_usages & CER_KU_DIGITAL_SIGNATURE)
		fprintf(f, "%sDigital Signature", n++ > 0 ? ", " : "");
	fputs("]\n", f);
	for (i = 0; i < p->neku_list; i++)
		v[i] = p->eku_list[i];
	if (p->neku_list > 0)
		names(f, "ekus", (const char *const[]){ "", "server", "client" }, v, p->neku_list);
	if (d->type == CER_STEP_INTERMEDIATE && p->no_path_length)
		fputs("      path-length: none\n", f);
	else if (d->type == CER_STEP_INTERMEDIATE || p->path_length > 0)
		fprintf(f, "      path-length: %lu\n", p->path_length);
	name_constraints(f, &p->nc);
}

/* The encoding fields: every choice a tool makes its own way, written out. */
static void
encoding(FILE *f, const struct cer_cert_profile *p)
{
	unsigned v[CER_EXT_MAX];
	size_t i, n = 0;
	int e;

	fprintf(f, "      string-types: {country: %s, organization: %s, common-name: %s}\n",
	    cer_certprofile_strtype_names[p->string_types[CER_ATTR_COUNTRY]],
	    cer_certprofile_strtype_names[p->string_types[CER_ATTR_ORGANIZATION]],
	    cer_certprofile_strtype_names[p->string_types[CER_ATTR_COMMON_NAME]]);
	for (i = 0; i < p->nsubject_order; i++)
		v[i] = p->subject_order[i];
	names(f, "subject-order", cer_certprofile_attr_names, v, p->nsubject_order);
	for (i = 0; i < p->next_order; i++)
		v[i] = p->ext_order[i];
	names(f, "extension-order", cer_certprofile_ext_names, v, p->next_order);
	for (e = 1; e <= CER_EXT_MAX; e++)
		if (p->critical & (1u << e))
			v[n++] = (unsigned)e;
	names(f, "critical-extensions", cer_certprofile_ext_names, v, n);
	if (p->ski == CER_SKI_VALUE) {
		fputs("      subject-key-id: '", f);
		for (i = 0; i < p->ski_value_len; i++)
			fprintf(f, "%s%02x", i > 0 ? ":" : "", p->ski_value[i]);
		fputs("'\n", f);
	} else
		fprintf(f, "      subject-key-id: %s\n", cer_certprofile_ski_names[p->ski]);
	fprintf(f, "      authority-key-id: %s\n", cer_certprofile_aki_names[p->aki]);
}

static void
profile(FILE *f, const struct cer_description *d)
{
	const struct cer_cert_profile *p = &d->profile;
	size_t i;

	fputs("    certificate-profile:\n", f);
	fprintf(f, "      signature-algorithm: %s\n", cer_sigalg_name(p->sigalg));
	text_field(f, "common-name", p->common_name);
	text_field(f, "organization", p->organization);
	text_field(f, "country", p->country);
	time_field(f, "not-before", p->not_before);
	time_field(f, "not-after", p->not_after);
	fputs("      serial: '", f);
	for (i = 0; i < p->serial_len; i++)
		fprintf(f, "%02x", p->serial[i]);
	fputs("'\n", f);
	if (d->type != CER_STEP_OCSP_SIGNER)
		ca_fields(f, d);
	encoding(f, p);
}

static void
key_block(FILE *f, const struct cer_key_spec *k)
{
	if (k->type == CER_KEY_RSA)
		fprintf(f, "    key: {type: rsa, rsa-mod-length: %u}\n", k->rsa_bits);
	else if (k->type == CER_KEY_EC)
		fprintf(f, "    key: {type: ecdsa, ecdsa-curve: %s}\n", cer_curve_name(k->curve));
	else
		fputs("    key: {type: ed25519}\n", f);
}

/* "out/e1.pem" -> "out/e1.pub.pem": where a root's public key would go. */
static void
pub_path(const char *cert, char *buf, size_t n)
{
	const char *dot = strrchr(cert, '.'), *slash = strrchr(cert, '/');
	size_t len = dot != NULL && (slash == NULL || dot > slash) ? (size_t)(dot - cert) :
	    strlen(cert);

	snprintf(buf, n, "%.*s.pub.pem", (int)len, cert);
}

int
cer_describe_script(const struct cer_description *d, const char *cert_path,
    const char *issuer_path, FILE *f)
{
	char id[65], pub[4096];
	size_t i;

	fprintf(f, "# Written by ceremony describe from %s%s%s: the native step that makes it\n"
	    "# again, byte for byte.  'ceremony verify' on this script checks that, without an\n"
	    "# HSM.  To re-issue it: set the token and the key's label below, a new\n"
	    "# certificate-path, new dates, and a new serial (or none, for a random one).\n",
	    cert_path, issuer_path != NULL ? ", issued by " : "",
	    issuer_path != NULL ? issuer_path : "");
	for (i = 0; i < d->cannot.n; i++)
		fprintf(f, "# cannot be expressed: %s\n", d->cannot.line[i]);
	if (d->key.type == CER_KEY_ED25519 || d->profile.sigalg == CER_SIG_ED25519)
		fputs("hierarchy: private\n", f);
	fputs("tokens:\n  hsm:\n    module: /usr/lib/softhsm/libsofthsm2.so\n"
	    "    token-label: 'set the token label'\n    pin: prompt\nsteps:\n", f);
	step_id(d->profile.common_name != NULL ? d->profile.common_name : "", id);
	fprintf(f, "  - id: %s\n    ceremony-type: %s\n    token: hsm\n    label: ", id,
	    cer_step_type_name(d->type));
	quoted(f, d->label);
	fputc('\n', f);
	if (d->type == CER_STEP_ROOT) {
		key_block(f, &d->key);
		pub_path(cert_path, pub, sizeof(pub));
		fputs("    outputs:\n      public-key-path: ", f);
		quoted(f, pub);
	} else {
		fputs("    inputs:\n      issuer-certificate-path: ", f);
		quoted(f, issuer_path != NULL ? issuer_path : "");
		fputs("\n      public-key-path: ", f);
		quoted(f, cert_path);
		fputs("\n    outputs:", f);
	}
	fputs("\n      certificate-path: ", f);
	quoted(f, cert_path);
	fputc('\n', f);
	profile(f, d);
	return ferror(f) ? cer_fail(CER_ERR_SYSTEM, "cannot write the script") : CER_OK;
}
