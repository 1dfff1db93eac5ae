/*
 * certprofile-private.c: what a certificate-profile may say in a private
 * hierarchy ('hierarchy: private'): RFC 5280's rules for CA certificates
 * and none of the TLS rules of the CA/B Forum, Mozilla or Chrome.  Its own
 * policy OIDs with CPS URIs, any EKU list or none, pathLen or none, its own
 * validity cap, name constraints of every RFC 5280 4.2.1.10 form, CRL and
 * AIA URLs as it chooses.  What a private CA never does is claim to be a
 * public one: a CA/B Forum policy OID (BR 7.1.6.1) is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/br.h"
#include "script/certprofile-int.h"

/* The lint rule that refuses the same in a certificate (lint-cert-private.c). */
#define CABF_RULE "private.no_cabf_policy"

const struct cer_certprofile_eku_name cer_certprofile_eku_names[] = {
	{ "server", "1.3.6.1.5.5.7.3.1" },	/* id-kp-serverAuth, RFC 5280 4.2.1.12 */
	{ "client", "1.3.6.1.5.5.7.3.2" },	/* id-kp-clientAuth */
	{ "code-signing", "1.3.6.1.5.5.7.3.3" },
	{ "email-protection", "1.3.6.1.5.5.7.3.4" },
	{ "time-stamping", "1.3.6.1.5.5.7.3.8" },
	{ "ocsp-signing", "1.3.6.1.5.5.7.3.9" },
	{ NULL, NULL },
};

int
cer_certprofile_private_policy(const struct cer_yaml *y, const struct cer_yaml_node *item,
    struct cer_cert_profile *p, size_t i)
{
	struct cer_policy *pol = &p->policies[i];
	size_t j;
	int r;

	if (strncmp(pol->oid, CER_BR_CABF_POLICY_ARC, strlen(CER_BR_CABF_POLICY_ARC)) == 0)
		return cer_yaml_fail(y, pol->pos, "policy %s is a CA/B Forum policy OID, which "
		    "asserts compliance with the Forum's requirements (BR 7.1.6.1); a private "
		    "hierarchy never carries one (rule %s): use an OID under your own arc",
		    pol->oid, CABF_RULE);
	for (j = 0; j < i; j++)
		if (strcmp(p->policies[j].oid, pol->oid) == 0)
			return cer_yaml_fail(y, pol->pos, "policy %s is listed twice (RFC 5280 "
			    "4.2.1.4: a policy OID appears once); list it once", pol->oid);
	if ((r = cer_yaml_opt_text(y, item, "cps", &pol->cps, &pol->cps_pos)) != CER_OK)
		return r;
	if (pol->cps != NULL && !cer_certprofile_is_url(pol->cps))
		return cer_yaml_fail(y, pol->cps_pos, "'cps' must be an http:// or https:// URL "
		    "of the certification practice statement (RFC 5280 4.2.1.4 id-qt-cps); "
		    "fix it");
	return CER_OK;
}

/* A name of cer_certprofile_eku_names or a dotted OID: the OID, or NULL. */
static const char *
eku_oid(const char *s)
{
	size_t i;

	for (i = 0; cer_certprofile_eku_names[i].name != NULL; i++)
		if (strcmp(s, cer_certprofile_eku_names[i].name) == 0)
			return cer_certprofile_eku_names[i].oid;
	return cer_certprofile_oid_ok(s) ? s : NULL;
}

int
cer_certprofile_private_ekus(const struct cer_yaml *y, const struct cer_yaml_node *v,
    struct cer_cert_profile *p)
{
	struct cer_strlist *l = &p->eku_oids;
	const char *oid;
	char b[CER_YAML_SHOW];
	size_t i, j;
	int r;

	p->ekus_pos = v->pos;
	if (v->nkids == 0)
		return cer_yaml_fail(y, v->pos, "'ekus' is an empty list; list the key purposes, "
		    "or write 'ekus: none' for no extKeyUsage");
	if ((l->v = calloc(v->nkids + 1, sizeof(*l->v))) == NULL ||
	    (l->pos = calloc(v->nkids + 1, sizeof(*l->pos))) == NULL)
		return cer_yaml_nomem();
	for (i = 0; i < v->nkids; i++) {
		if ((r = cer_yaml_check_text(y, v->kids[i], "ekus")) != CER_OK)
			return r;
		if ((oid = eku_oid(v->kids[i]->str)) == NULL)
			return cer_yaml_fail(y, v->kids[i]->pos, "'%s' is no key purpose; use "
			    "server, client, code-signing, email-protection, time-stamping, "
			    "ocsp-signing or a dotted OID", cer_yaml_shown(b, v->kids[i]));
		for (j = 0; j < l->n; j++)
			if (strcmp(l->v[j], oid) == 0)
				return cer_yaml_fail(y, v->kids[i]->pos, "'%s' is listed twice in "
				    "ekus; list it once", cer_yaml_shown(b, v->kids[i]));
		l->pos[l->n] = v->kids[i]->pos;
		if ((l->v[l->n] = strdup(oid)) == NULL)
			return cer_yaml_nomem();
		l->n++;
	}
	return CER_OK;
}

int
cer_certprofile_private_cap(const struct cer_yaml *y, const struct cer_cert_profile *p)
{
	long long days;

	if (!p->has_max_validity || !p->has_not_before || !p->has_not_after)
		return CER_OK;
	/* both endpoints included, as RFC 5280 4.1.2.5 and BR 1.6.1 count */
	days = (long long)((p->not_after - p->not_before) / 86400) + 1;
	if (days > (long long)p->max_validity_days)
		return cer_yaml_fail(y, p->not_after_pos, "the validity is %lld days, more than "
		    "this profile's max-validity-days %lu (line %u); move not-after earlier",
		    days, p->max_validity_days, p->max_validity_days_pos.line);
	return CER_OK;
}

/* An rfc822Name constraint: a mailbox, a host, or a domain with a leading period. */
static int
email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	size_t i;

	if (at != NULL) {
		if (at == s || strchr(at + 1, '@') != NULL)
			return 0;
		for (i = 0; s + i < at; i++)
			if (s[i] <= ' ' || s[i] >= 0x7f || strchr("()<>[]\\,;:\"", s[i]) != NULL)
				return 0;
		return cer_certprofile_dns_ok(at + 1);
	}
	return cer_certprofile_dns_ok(s[0] == '.' ? s + 1 : s);
}

/* A URI constraint: a host, or a domain with a leading period (RFC 5280 4.2.1.10). */
static int
uri_host_ok(const char *s)
{
	return cer_certprofile_dns_ok(s[0] == '.' ? s + 1 : s);
}

int
cer_certprofile_private_nc(const struct cer_yaml *y, const struct cer_yaml_node *v,
    struct cer_name_constraints *nc)
{
	const char *email = "a mailbox (alice@corp.example), a host (corp.example) or a "
	    "domain with a leading period (.corp.example), in lower case";
	const char *uri = "a host (intranet.corp.example) or a domain with a leading period "
	    "(.corp.example), in lower case: RFC 5280 constrains a URI by its host";
	int r;

	if ((cer_yaml_key(v, "permitted-dn") != NULL && (r = cer_certprofile_dn_list(y, v,
	    "permitted-dn", &nc->permitted_dn, &nc->npermitted_dn)) != CER_OK) ||
	    (cer_yaml_key(v, "excluded-dn") != NULL && (r = cer_certprofile_dn_list(y, v,
	    "excluded-dn", &nc->excluded_dn, &nc->nexcluded_dn)) != CER_OK) ||
	    (r = cer_certprofile_strlist(y, v, "permitted-email", &nc->permitted_email,
	    email_ok, email)) != CER_OK ||
	    (r = cer_certprofile_strlist(y, v, "excluded-email", &nc->excluded_email,
	    email_ok, email)) != CER_OK ||
	    (r = cer_certprofile_strlist(y, v, "permitted-uri", &nc->permitted_uri,
	    uri_host_ok, uri)) != CER_OK ||
	    (r = cer_certprofile_strlist(y, v, "excluded-uri", &nc->excluded_uri,
	    uri_host_ok, uri)) != CER_OK)
		return r;
	if (nc->permitted_dns.n + nc->excluded_dns.n + nc->permitted_ip.n + nc->excluded_ip.n +
	    nc->npermitted_dn + nc->nexcluded_dn + nc->permitted_email.n + nc->excluded_email.n +
	    nc->permitted_uri.n + nc->excluded_uri.n == 0)
		return cer_yaml_fail(y, v->pos, "name-constraints names no subtree (RFC 5280 "
		    "4.2.1.10: at least one permitted or excluded subtree); add one or remove it");
	return CER_OK;
}

/* Cert Sign at least (RFC 5280 4.2.1.3, 4.2.1.9); Cert Sign and CRL Sign when not written. */
static int
ca_key_usages(const struct cer_yaml *y, struct cer_cert_profile *p)
{
	if (!p->has_key_usages)
		p->key_usages = CER_KU_CERT_SIGN | CER_KU_CRL_SIGN;
	else if (!(p->key_usages & CER_KU_CERT_SIGN))
		return cer_yaml_fail(y, p->key_usages_pos, "a CA certificate's key-usages "
		    "include Cert Sign (RFC 5280 4.2.1.3: keyCertSign with cA); add it");
	return CER_OK;
}

int
cer_certprofile_private_root(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_cert_profile *p)
{
	static const char *const unused[] = { "crl-url", "issuer-url", "ocsp-url",
	    "name-constraints", "allow-other-organization", NULL };
	int r;

	if ((r = cer_certprofile_refuse(y, m, unused, "means nothing in a root: path "
	    "validation starts from the trust anchor's name and key, and never checks its "
	    "revocation, issuer or constraints (RFC 5280 6.1.1)")) != CER_OK)
		return r;
	if (p->eku_oids.n > 0 || (p->ekus != CER_EKUS_UNSET && p->ekus != CER_EKUS_NONE))
		return cer_yaml_fail(y, p->ekus_pos, "a root certificate carries no extended "
		    "key usages (RFC 5280 4.2.1.12: an end-entity extension; restrict the "
		    "issuing CAs instead); write 'ekus: none' or remove it");
	return ca_key_usages(y, p);
}

int
cer_certprofile_private_subca(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_cert_profile *p, int cross)
{
	int r;

	/*
	 * Unset would leave the CA unrestricted by chance: the script says
	 * which (a cross-certificate copies a subordinate's own, and says
	 * what a root's crossing carries: nothing when unset).
	 */
	if (!cross && cer_yaml_key(m, "ekus") == NULL)
		return cer_yaml_missing(y, m, "a private subordinate CA's certificate-profile "
		    "(a list such as [client, server], or none for no extKeyUsage)", "ekus");
	if ((r = cer_certprofile_nc(y, m, p)) != CER_OK)
		return r;
	return ca_key_usages(y, p);
}
