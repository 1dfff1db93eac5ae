/*
 * profile-nc.c: the nameConstraints of a technically constrained
 * subordinate CA (BR 7.1.2.5.2), with the exclusions the BR requires added;
 * in a private hierarchy, the subtrees the script writes and no others
 * (RFC 5280 4.2.1.10).
 */
#include <string.h>

#include <openssl/x509v3.h>

#include "x509/profile-int.h"

static int
push_subtree(STACK_OF(GENERAL_SUBTREE) **sk, int type, void *value)
{
	GENERAL_SUBTREE *st;

	if ((*sk == NULL && (*sk = sk_GENERAL_SUBTREE_new_null()) == NULL) ||
	    (st = GENERAL_SUBTREE_new()) == NULL)
		return 0;
	GENERAL_NAME_set0_value(st->base, type, value);
	if (sk_GENERAL_SUBTREE_push(*sk, st) <= 0) {
		GENERAL_SUBTREE_free(st);
		return 0;
	}
	return 1;
}

/* An IA5String subtree: dNSName, rfc822Name or uniformResourceIdentifier. */
static int
push_ia5(STACK_OF(GENERAL_SUBTREE) **sk, int type, const char *name)
{
	ASN1_IA5STRING *s = ASN1_IA5STRING_new();

	if (s == NULL || ASN1_STRING_set(s, name, -1) != 1 || !push_subtree(sk, type, s)) {
		ASN1_IA5STRING_free(s);
		return 0;
	}
	return 1;
}

/* An iPAddress subtree: address then mask (RFC 5280 4.2.1.10); n = 4 or 16. */
static int
push_ip_bytes(STACK_OF(GENERAL_SUBTREE) **sk, const unsigned char *addr,
    const unsigned char *mask, size_t n)
{
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	unsigned char b[32];

	memcpy(b, addr, n);
	memcpy(b + n, mask, n);
	if (os == NULL || ASN1_OCTET_STRING_set(os, b, (int)(2 * n)) != 1 ||
	    !push_subtree(sk, GEN_IPADD, os)) {
		ASN1_OCTET_STRING_free(os);
		return 0;
	}
	return 1;
}

static int
push_ip(STACK_OF(GENERAL_SUBTREE) **sk, const char *text)
{
	unsigned char addr[16], mask[16];
	int v6;

	return cer_script_ip_subtree(text, addr, mask, &v6) &&
	    push_ip_bytes(sk, addr, mask, v6 ? 16 : 4);
}

/* A directoryName subtree: C then O, in the profile's string types. */
static int
push_dn(STACK_OF(GENERAL_SUBTREE) **sk, const struct cer_dn *d,
    const struct cer_cert_profile *p)
{
	X509_NAME *n = X509_NAME_new();

	if (n == NULL || cer_profile_add_attr(n, p, CER_ATTR_COUNTRY, d->country) != CER_OK ||
	    cer_profile_add_attr(n, p, CER_ATTR_ORGANIZATION, d->organization) != CER_OK ||
	    !push_subtree(sk, GEN_DIRNAME, n)) {
		X509_NAME_free(n);
		return 0;
	}
	return 1;
}

/* Does any permitted IP subtree have this family? */
static int
has_family(const struct cer_strlist *l, int want_v6)
{
	unsigned char a[16], m[16];
	size_t i;
	int v6;

	for (i = 0; i < l->n; i++)
		if (cer_script_ip_subtree(l->v[i], a, m, &v6) && v6 == want_v6)
			return 1;
	return 0;
}

/*
 * The script's excluded subtrees, each type followed by the exclusion BR 7.1.2.5.2 requires
 * when nothing of it is permitted ("", 0.0.0.0/0, ::/0): DNS then IP, as Go writes them.
 */
static int
excluded(STACK_OF(GENERAL_SUBTREE) **ex, const struct cer_name_constraints *nc)
{
	static const unsigned char zero[16];
	size_t i;
	int ok = 1;

	for (i = 0; ok && i < nc->excluded_dns.n; i++)
		ok = push_ia5(ex, GEN_DNS, nc->excluded_dns.v[i]);
	ok = ok && (nc->permitted_dns.n > 0 || push_ia5(ex, GEN_DNS, ""));
	for (i = 0; ok && i < nc->excluded_ip.n; i++)
		ok = push_ip(ex, nc->excluded_ip.v[i]);
	return ok && (has_family(&nc->permitted_ip, 0) || push_ip_bytes(ex, zero, zero, 4)) &&
	    (has_family(&nc->permitted_ip, 1) || push_ip_bytes(ex, zero, zero, 16));
}

/* Each of l as a subtree of type. */
static int
push_list(STACK_OF(GENERAL_SUBTREE) **sk, int type, const struct cer_strlist *l)
{
	size_t i;
	int ok = 1;

	for (i = 0; ok && i < l->n; i++)
		ok = type == GEN_IPADD ? push_ip(sk, l->v[i]) : push_ia5(sk, type, l->v[i]);
	return ok;
}

/*
 * A private hierarchy's subtrees, permitted then excluded, each as the TLS
 * profile orders them (Go's DNS, IP, email, URI; directoryName last); nothing added.
 */
static int
private_subtrees(STACK_OF(GENERAL_SUBTREE) **sk, const struct cer_strlist *dns,
    const struct cer_strlist *ip, const struct cer_strlist *email,
    const struct cer_strlist *uri, const struct cer_dn *dn, size_t ndn,
    const struct cer_cert_profile *p)
{
	size_t i;
	int ok;

	ok = push_list(sk, GEN_DNS, dns) && push_list(sk, GEN_IPADD, ip) &&
	    push_list(sk, GEN_EMAIL, email) && push_list(sk, GEN_URI, uri);
	for (i = 0; ok && i < ndn; i++)
		ok = push_dn(sk, &dn[i], p);
	return ok;
}

int
cer_profile_name_constraints(X509 *x, const struct cer_cert_profile *p)
{
	const struct cer_name_constraints *nc = &p->nc;
	NAME_CONSTRAINTS *c;
	size_t i;
	int ok = 1;

	if (!nc->present)
		return CER_OK;
	if ((c = NAME_CONSTRAINTS_new()) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	if (p->private_set) {
		ok = private_subtrees(&c->permittedSubtrees, &nc->permitted_dns, &nc->permitted_ip,
		    &nc->permitted_email, &nc->permitted_uri, nc->permitted_dn,
		    nc->npermitted_dn, p) &&
		    private_subtrees(&c->excludedSubtrees, &nc->excluded_dns, &nc->excluded_ip,
		    &nc->excluded_email, &nc->excluded_uri, nc->excluded_dn, nc->nexcluded_dn, p);
		goto add;
	}
	for (i = 0; ok && i < nc->permitted_dns.n; i++)
		ok = push_ia5(&c->permittedSubtrees, GEN_DNS, nc->permitted_dns.v[i]);
	for (i = 0; ok && i < nc->permitted_ip.n; i++)
		ok = push_ip(&c->permittedSubtrees, nc->permitted_ip.v[i]);
	for (i = 0; ok && i < nc->npermitted_dn; i++)
		ok = push_dn(&c->permittedSubtrees, &nc->permitted_dn[i], p);
	ok = ok && excluded(&c->excludedSubtrees, nc);
 add:
	ok = ok && X509_add1_ext_i2d(x, NID_name_constraints, c, 1, X509V3_ADD_DEFAULT) == 1;
	NAME_CONSTRAINTS_free(c);
	return ok ? CER_OK : cer_fail(CER_ERR_OPENSSL, "cannot add nameConstraints");
}

