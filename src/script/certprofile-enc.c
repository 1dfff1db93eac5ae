/*
 * certprofile-enc.c: the profile fields that pin what tools encode
 * differently: the names' string types and order, the extensions' order
 * and criticality, the EKU list's order, the SKI method and the AKI form.
 * Each is optional and defaults to Go's choice (Boulder's bytes); `ceremony
 * describe` writes them all, so a certificate made by another tool can be
 * made again, or checked, byte for byte.
 */
#include <stdio.h>
#include <string.h>

#include "script/certprofile.h"

const char *const cer_certprofile_ext_names[] = { "", "KU", "EKU", "BC", "SKI", "AKI", "AIA",
    "CP", "NC", "CRLDP", "NOCHECK", NULL };
const char *const cer_certprofile_strtype_names[] = { "", "printable", "utf8", NULL };
const char *const cer_certprofile_attr_names[] = { "", "country", "organization",
    "common-name", NULL };
const char *const cer_certprofile_ski_names[] = { "rfc7093-method1", "rfc7093-method2",
    "rfc7093-method3", "rfc5280-method1", "rfc5280-method2", "none", NULL };
const char *const cer_certprofile_aki_names[] = { "", "key-id", "key-id-issuer-serial",
    "none", NULL };
static const char *const eku_names[] = { "", "server", "client", NULL };

/*
 * A list of names from tab (want_enum's form), each at most once, into
 * out[max]; *n is how many.  what names the field in messages.
 */
static int
name_list(const struct cer_yaml *y, const struct cer_yaml_node *v, const char *what,
    const char *const *tab, unsigned *out, size_t max, size_t *n)
{
	char b[CER_YAML_SHOW], quoted[64];
	size_t i, j;
	int r;

	snprintf(quoted, sizeof(quoted), "'%s'", what);
	if ((r = cer_yaml_want_kind(y, v, CER_YAML_SEQ, quoted)) != CER_OK)
		return r;
	if (v->nkids == 0)
		return cer_yaml_fail(y, v->pos, "'%s' is empty; list the names or remove it", what);
	for (*n = 0, i = 0; i < v->nkids; i++) {
		if ((r = cer_yaml_want_enum(y, v->kids[i], what, tab, &out[*n])) != CER_OK)
			return r;
		for (j = 0; j < *n; j++)
			if (out[j] == out[*n])
				return cer_yaml_fail(y, v->kids[i]->pos, "'%s' is listed twice "
				    "in %s; list it once", cer_yaml_shown(b, v->kids[i]), what);
		if (++*n > max)
			return cer_yaml_fail(y, v->kids[i]->pos, "'%s' lists more than %zu "
			    "names", what, max);
	}
	return CER_OK;
}

/* ekus as a list: the EKUs of a TLS CA in the order written; serverAuth is one of them. */
int
cer_certprofile_eku_list(const struct cer_yaml *y, const struct cer_yaml_node *v,
    struct cer_cert_profile *p)
{
	unsigned e[2];
	size_t i, n = 0;
	int r;

	p->ekus_pos = v->pos;
	if ((r = name_list(y, v, "ekus", eku_names, e, 2, &n)) != CER_OK)
		return r;
	if (e[0] != CER_EKU_SERVER && (n < 2 || e[1] != CER_EKU_SERVER))
		return cer_yaml_fail(y, v->pos, "an ekus list names 'server' (serverAuth), "
		    "which a TLS CA certificate carries (BR 7.1.2.10.6); add it");
	for (i = 0; i < n; i++)
		p->eku_list[i] = (enum cer_eku)e[i];
	p->neku_list = n;
	p->ekus = n == 2 ? CER_EKUS_BOTH : CER_EKUS_SERVER;
	return CER_OK;
}

/* string-types: {common-name: utf8, organization: printable, country: printable} */
static int
string_types(const struct cer_yaml *y, const struct cer_yaml_node *v,
    struct cer_cert_profile *p)
{
	unsigned a, t;
	size_t i;
	int r;

	p->string_types_pos = v->pos;
	if ((r = cer_yaml_check_map(y, v, "string-types", cer_certprofile_attr_names + 1,
	    NULL)) != CER_OK)
		return r;
	for (i = 0; i + 1 < v->nkids; i += 2) {
		if ((r = cer_yaml_want_enum(y, v->kids[i], "string-types attribute",
		    cer_certprofile_attr_names, &a)) != CER_OK ||
		    (r = cer_yaml_want_enum(y, v->kids[i + 1], "string type",
		    cer_certprofile_strtype_names, &t)) != CER_OK)
			return r;
		/* X.520 and BR 7.1.4.2.2: countryName is a PrintableString */
		if (a == CER_ATTR_COUNTRY && t != CER_STR_PRINTABLE)
			return cer_yaml_fail(y, v->kids[i + 1]->pos, "a country is always a "
			    "PrintableString (X.520, BR 7.1.4.2); write 'country: printable' or "
			    "remove it");
		p->string_types[a] = (enum cer_strtype)t;
	}
	return CER_OK;
}

/* subject-order: [common-name, organization, country], each once, all three. */
static int
subject_order(const struct cer_yaml *y, const struct cer_yaml_node *v,
    struct cer_cert_profile *p)
{
	unsigned a[CER_ATTR_MAX];
	size_t i, n = 0;
	int r;

	p->subject_order_pos = v->pos;
	if ((r = name_list(y, v, "subject-order", cer_certprofile_attr_names, a,
	    CER_ATTR_MAX, &n)) != CER_OK)
		return r;
	if (n != CER_ATTR_MAX)
		return cer_yaml_fail(y, v->pos, "'subject-order' lists the subject's three "
		    "attributes (country, organization, common-name) in their order; add "
		    "the missing one");
	for (i = 0; i < n; i++)
		p->subject_order[i] = (enum cer_attr)a[i];
	p->nsubject_order = n;
	return CER_OK;
}

/*
 * extension-order and critical-extensions: names of extensions.  Whether
 * the certificate carries each is known when it is built (it depends on
 * the step type and the issuer), and checked there.
 */
static int
extensions(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_cert_profile *p)
{
	const struct cer_yaml_node *v;
	unsigned e[CER_EXT_MAX];
	size_t i, n = 0;
	int r;

	if ((v = cer_yaml_val(m, "extension-order")) != NULL) {
		p->ext_order_pos = v->pos;
		if ((r = name_list(y, v, "extension-order", cer_certprofile_ext_names, e,
		    CER_EXT_MAX, &n)) != CER_OK)
			return r;
		for (i = 0; i < n; i++)
			p->ext_order[i] = (enum cer_ext)e[i];
		p->next_order = n;
	}
	if ((v = cer_yaml_val(m, "critical-extensions")) == NULL)
		return CER_OK;
	p->critical_pos = v->pos;
	p->has_critical = 1;
	/* an empty list is a choice too: nothing critical */
	if (v->kind == CER_YAML_SEQ && v->nkids == 0)
		return CER_OK;
	if ((r = name_list(y, v, "critical-extensions", cer_certprofile_ext_names, e,
	    CER_EXT_MAX, &n)) != CER_OK)
		return r;
	for (i = 0; i < n; i++)
		p->critical |= 1u << e[i];
	return CER_OK;
}

/* subject-key-id: a method's name, or the octets themselves in hex ("ab:cd:..." or "abcd..."). */
static int
subject_key_id(const struct cer_yaml *y, const struct cer_yaml_node *v,
    struct cer_cert_profile *p)
{
	size_t i, n;
	int r;

	p->ski_pos = v->pos;
	if ((r = cer_yaml_check_text(y, v, "subject-key-id")) != CER_OK)
		return r;
	for (i = 0; cer_certprofile_ski_names[i] != NULL; i++)
		if (cer_yaml_is(v, cer_certprofile_ski_names[i])) {
			p->ski = (enum cer_ski_method)i;
			return CER_OK;
		}
	n = cer_certprofile_octets(v->str, p->ski_value, sizeof(p->ski_value));
	if (n == 0 || n > sizeof(p->ski_value))
		return cer_yaml_fail(y, v->pos, "'subject-key-id' is rfc7093-method1 (the "
		    "default), rfc7093-method2, rfc7093-method3, rfc5280-method1, "
		    "rfc5280-method2, none, or the identifier's octets in hex (at most %zu); "
		    "fix it", sizeof(p->ski_value));
	p->ski = CER_SKI_VALUE;
	p->ski_value_len = n;
	return CER_OK;
}

/* The encoding fields of a certificate-profile, each when present. */
int
cer_certprofile_encoding(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_cert_profile *p)
{
	const struct cer_yaml_node *v;
	unsigned e;
	int r;

	if ((v = cer_yaml_val(m, "string-types")) != NULL &&
	    (r = string_types(y, v, p)) != CER_OK)
		return r;
	if ((v = cer_yaml_val(m, "subject-order")) != NULL &&
	    (r = subject_order(y, v, p)) != CER_OK)
		return r;
	if ((r = extensions(y, m, p)) != CER_OK)
		return r;
	if ((v = cer_yaml_val(m, "subject-key-id")) != NULL &&
	    (r = subject_key_id(y, v, p)) != CER_OK)
		return r;
	if ((v = cer_yaml_val(m, "authority-key-id")) != NULL) {
		p->aki_pos = v->pos;
		if ((r = cer_yaml_want_enum(y, v, "authority-key-id", cer_certprofile_aki_names,
		    &e)) != CER_OK)
			return r;
		p->aki = (enum cer_aki_form)e;
	}
	return CER_OK;
}
