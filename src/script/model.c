/* model.c: a loaded script: freeing it, and the questions every later module asks of it. */
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "base/br.h"
#include "base/util.h"
#include "script/model.h"

const char *const cer_step_type_names[] = { "", "key", "root", "intermediate",
    "cross-certificate", "cross-csr", "ocsp-signer", "crl", "ocsp-response", NULL };

int
cer_step_generates(const struct cer_step *st)
{
	return st->type == CER_STEP_KEY ||
	    (st->type == CER_STEP_ROOT && st->signing_key == CER_NO_INDEX);
}

const char *
cer_step_output_path(const struct cer_step *st, const char *key)
{
	size_t i;

	for (i = 0; i < st->noutputs; i++)
		if (strcmp(st->outputs[i].key, key) == 0)
			return st->outputs[i].path;
	return NULL;
}

int
cer_script_token_used(const struct cer_script *s, size_t t)
{
	size_t i;

	for (i = 0; i < s->nsteps; i++)
		if (s->steps[i].token == t)
			return 1;
	return 0;
}

const char *
cer_script_token_file(const struct cer_script *s, size_t t)
{
	return s->tokens[t].from != NULL ? s->tokens[t].from : s->path;
}

size_t
cer_script_cert_key_step(const struct cer_script *s, size_t i)
{
	const struct cer_step *st = &s->steps[i];

	switch (st->type) {
	case CER_STEP_KEY:
		return i;
	case CER_STEP_ROOT:
		return st->signing_key != CER_NO_INDEX ? st->signing_key : i;
	case CER_STEP_CROSS_CERTIFICATE:
		if (st->subject_key == CER_NO_INDEX && st->cross_of != CER_NO_INDEX)
			return cer_script_cert_key_step(s, st->cross_of);
		return st->subject_key;
	default:
		return st->subject_key;
	}
}

/* "address/prefix" with the host bits zero; family 4 or 6 into *v6. */
int
cer_script_ip_subtree(const char *s, unsigned char addr[static 16],
    unsigned char mask[static 16],
    int *v6)
{
	char buf[64], *slash, *end;
	unsigned long prefix;
	size_t n, i;

	if (strlen(s) >= sizeof(buf) || (slash = strchr(strcpy(buf, s), '/')) == NULL)
		return 0;
	*slash++ = '\0';
	*v6 = strchr(buf, ':') != NULL;
	n = *v6 ? 16 : 4;
	if (inet_pton(*v6 ? AF_INET6 : AF_INET, buf, addr) != 1 || *slash == '\0' ||
	    (slash[0] == '0' && slash[1] != '\0'))
		return 0;
	prefix = strtoul(slash, &end, 10);
	if (*end != '\0' || prefix > n * 8)
		return 0;
	for (i = 0; i < n; i++) {
		mask[i] = prefix >= (i + 1) * 8 ? 0xff : prefix <= i * 8 ? 0 :
		    (unsigned char)(0xff << (8 - (prefix - i * 8)));
		if (addr[i] & ~mask[i])
			return 0;
	}
	return 1;
}

static void
strlist_free(struct cer_strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->pos);
}

static void
dn_list_free(struct cer_dn *dn, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(dn[i].country);
		free(dn[i].organization);
	}
	free(dn);
}

static void
nc_free(struct cer_name_constraints *nc)
{
	strlist_free(&nc->permitted_dns);
	strlist_free(&nc->excluded_dns);
	strlist_free(&nc->permitted_ip);
	strlist_free(&nc->excluded_ip);
	strlist_free(&nc->permitted_email);
	strlist_free(&nc->excluded_email);
	strlist_free(&nc->permitted_uri);
	strlist_free(&nc->excluded_uri);
	dn_list_free(nc->permitted_dn, nc->npermitted_dn);
	dn_list_free(nc->excluded_dn, nc->nexcluded_dn);
}

void
cer_script_profile_free(struct cer_cert_profile *p)
{
	size_t i;

	free(p->policy_url);
	free(p->common_name);
	free(p->organization);
	free(p->country);
	free(p->org_unit);
	free(p->locality);
	free(p->state);
	free(p->subject_serial);
	free(p->crl_url);
	free(p->issuer_url);
	free(p->ocsp_url);
	for (i = 0; i < p->npolicies; i++) {
		free(p->policies[i].oid);
		free(p->policies[i].cps);
	}
	free(p->policies);
	nc_free(&p->nc);
	strlist_free(&p->eku_oids);
}

static void
step_free(struct cer_step *st)
{
	size_t i;

	free(st->id);
	free(st->label);
	for (i = 0; i < st->noutputs; i++)
		free(st->outputs[i].path);
	free(st->pkcs11_config);
	free(st->in_issuer_cert);
	free(st->in_public_key);
	free(st->in_cross_cert);
	cer_script_profile_free(&st->profile);
	for (i = 0; i < st->nskip_lints; i++) {
		free(st->skip_lints[i].name);
		free(st->skip_lints[i].reason);
	}
	free(st->skip_lints);
	if (st->own_free != NULL)
		st->own_free(st->own);
}

int
cer_script_new(const char *name, const unsigned char *text, size_t len,
    struct cer_script **out)
{
	struct cer_script *s;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory while reading %s", name);
	if ((s->path = strdup(name)) == NULL || (s->text = malloc(len + 1)) == NULL) {
		cer_script_free(s);
		return cer_fail(CER_ERR_ALLOC, "out of memory while reading %s", name);
	}
	if (len > 0)
		memcpy(s->text, text, len);
	s->text[len] = '\0';
	s->text_len = len;
	*out = s;
	return CER_OK;
}

void
cer_script_free(struct cer_script *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ntokens; i++) {
		free(s->tokens[i].name);
		free(s->tokens[i].module);
		free(s->tokens[i].token_label);
		free(s->tokens[i].token_serial);
		cer_free_secret(s->tokens[i].uri);
		cer_free_secret(s->tokens[i].pin);
	}
	free(s->tokens);
	for (i = 0; i < s->nsteps; i++)
		step_free(&s->steps[i]);
	free(s->steps);
	if (s->text != NULL) {
		explicit_bzero(s->text, s->text_len);
		free(s->text);
	}
	free(s->redacted);
	free(s->path);
	free(s->name);
	free(s);
}

static const char *
name_of(const char *const *tab, unsigned v)
{
	unsigned i;

	for (i = 1; tab[i] != NULL; i++)
		if (i == v)
			return tab[i];
	return "unknown";
}

const char *
cer_step_type_name(enum cer_step_type type)
{
	return name_of(cer_step_type_names, (unsigned)type);
}





const char *
cer_script_hierarchy(const struct cer_script *s)
{
	return s->private_hierarchy && !s->boulder ? "private" : "tls";
}

const char *
cer_script_hierarchy_text(const char *hierarchy)
{
	return strcmp(hierarchy, "private") == 0 ? CER_BR_HIERARCHY_PRIVATE_TEXT :
	    CER_BR_HIERARCHY_TLS_TEXT;
}
