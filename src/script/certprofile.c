/*
 * certprofile.c: key specs and certificate profiles as a script writes
 * them (Boulder's certificate-profile, plus the serial, path-length,
 * name-constraints and the other fields a native script adds): every field
 * read and checked on its own; what a profile must hold for each step type
 * is that type's own rule (steps/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "script/certprofile-int.h"

static const char *const keyspec_keys[] = { "type", "key-type", "rsa-mod-length",
    "ecdsa-curve", NULL };
static const char *const ekus_names[] = { "", "none", "server", "both", NULL };
static const char *const ku_names[] = { "", "Digital Signature", "Cert Sign",
    "CRL Sign", NULL };
static const char *const profile_keys[] = { "policy-url", "signature-algorithm",
    "common-name", "organization", "country", "not-before", "not-after",
    "crl-url", "issuer-url", "ocsp-url", "policies", "key-usages", "ekus",
    "serial", "path-length", "max-validity-days", "allow-other-organization",
    "name-constraints", "string-types", "subject-order", "extension-order",
    "critical-extensions", "subject-key-id", "authority-key-id", "organizational-unit",
    "locality", "state", "subject-serial-number", NULL };
/* The subject attributes only a private hierarchy's profile writes. */
static const char *const private_attr_keys[] = { "organizational-unit", "locality", "state",
    "subject-serial-number", NULL };
const char *const cer_certprofile_required[] = { "signature-algorithm",
    "common-name", "organization", "country", "not-before", "not-after", NULL };
const char *const cer_certprofile_subject_required[] = { "common-name", "organization",
    "country", NULL };
static const char *const policy_keys[] = { "oid", "cps", NULL };
static const char *const nc_keys[] = { "permitted-dns", "excluded-dns", "permitted-ip",
    "excluded-ip", "permitted-dn", "excluded-dn", "permitted-email", "excluded-email",
    "permitted-uri", "excluded-uri", NULL };
/* What only a private hierarchy's name-constraints name (BR 7.1.2.5.2 lists the others). */
static const char *const nc_private_keys[] = { "excluded-dn", "permitted-email",
    "excluded-email", "permitted-uri", "excluded-uri", NULL };
static const char *const dn_keys[] = { "country", "organization", NULL };

static int
key_params(const struct cer_yaml *y, const struct cer_yaml_node *m, struct cer_key_spec *key)
{
	const struct cer_yaml_node *bits = cer_yaml_val(m, "rsa-mod-length");
	const struct cer_yaml_node *curve = cer_yaml_val(m, "ecdsa-curve");
	unsigned long n;
	unsigned cv;
	int r;

	if (key->type != CER_KEY_EC && curve != NULL)
		return cer_yaml_fail(y, cer_yaml_key(m, "ecdsa-curve")->pos, "'ecdsa-curve' is "
		    "only for type ecdsa; remove it");
	if (key->type != CER_KEY_RSA && bits != NULL)
		return cer_yaml_fail(y, cer_yaml_key(m, "rsa-mod-length")->pos,
		    "'rsa-mod-length' "
		    "is only for type rsa; remove it");
	if (key->type == CER_KEY_RSA) {
		if (bits == NULL)
			return cer_yaml_missing(y, m, "a key of type rsa", "rsa-mod-length");
		if ((r = cer_yaml_want_uint(y, bits, "rsa-mod-length", 65536, &n)) != CER_OK)
			return r;
		if (n != 2048 && n != 3072 && n != 4096)
			return cer_yaml_fail(y, bits->pos, "'rsa-mod-length' %lu is not "
			    "allowed; use 2048, 3072 or 4096", n);
		key->rsa_bits = (unsigned)n;
	} else if (key->type == CER_KEY_EC) {
		if (curve == NULL)
			return cer_yaml_missing(y, m, "a key of type ecdsa", "ecdsa-curve");
		if ((r = cer_yaml_want_enum(y, curve, "ecdsa-curve", cer_alg_curve_names(),
		    &cv)) != CER_OK)
			return r;
		key->curve = (enum cer_curve)cv;
	}
	return CER_OK;
}

int
cer_certprofile_key(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_key_spec *key)
{
	const struct cer_yaml_node *t = cer_yaml_val(m, "type");
	unsigned kt;
	int r;

	if ((r = cer_yaml_check_map(y, m, "the key block", keyspec_keys, NULL)) != CER_OK)
		return r;
	if (t != NULL && cer_yaml_key(m, "key-type") != NULL)
		return cer_yaml_fail(y, cer_yaml_key(m, "key-type")->pos,
		    "'key-type' is Boulder's "
		    "old name for 'type'; give only one of them");
	if (t == NULL && (t = cer_yaml_val(m, "key-type")) == NULL)
		return cer_yaml_missing(y, m, "the key block", "type");
	if ((r = cer_yaml_want_enum(y, t, "type", cer_alg_key_type_names(), &kt)) != CER_OK)
		return r;
	key->present = 1;
	key->pos = m->pos;
	key->type = (enum cer_key_type)kt;
	return key_params(y, m, key);
}

int
cer_certprofile_is_url(const char *s)
{
	return (strncmp(s, "http://", 7) == 0 && s[7] != '\0') ||
	    (strncmp(s, "https://", 8) == 0 && s[8] != '\0');
}

static int
url_field(const struct cer_yaml *y, const struct cer_yaml_node *m, const char *key, char **out,
    struct cer_pos *pos)
{
	int r;

	if ((r = cer_yaml_opt_text(y, m, key, out, pos)) != CER_OK)
		return r;
	if (*out != NULL && !cer_certprofile_is_url(*out))
		return cer_yaml_fail(y, *pos, "'%s' must be an http:// or https:// URL; "
		    "fix it", key);
	return CER_OK;
}

/* Code points in s, or -1 when s is not UTF-8 or holds a control character. */
static long
text_chars(const unsigned char *s, size_t len)
{
	size_t i = 0, k, n;
	unsigned long cp;
	long count = 0;

	while (i < len) {
		n = s[i] < 0x80 ? 1 : (s[i] & 0xe0) == 0xc0 ? 2 :
		    (s[i] & 0xf0) == 0xe0 ? 3 : (s[i] & 0xf8) == 0xf0 ? 4 : 0;
		if (n == 0 || i + n > len)
			return -1;
		cp = n == 1 ? s[i] : (unsigned long)s[i] & (0x7fu >> n);
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return -1;
			cp = cp << 6 | (s[i + k] & 0x3fu);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
		    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp < 0x20 ||
		    (cp >= 0x7f && cp <= 0x9f))
			return -1;
		i += n;
		count++;
	}
	return count;
}

static int
name_field(const struct cer_yaml *y, const struct cer_yaml_node *m, const char *key, char **out,
    struct cer_pos *pos)
{
	long n;
	int r;

	if ((r = cer_yaml_opt_text(y, m, key, out, pos)) != CER_OK)
		return r;
	n = text_chars((const unsigned char *)*out, strlen(*out));
	if (n < 0)
		return cer_yaml_fail(y, *pos, "'%s' is not valid UTF-8 text or holds a "
		    "control character; fix it", key);
	if (n > 64)
		return cer_yaml_fail(y, *pos, "'%s' is %ld characters; X.509 allows at most "
		    "64, so shorten it", key, n);
	return CER_OK;
}

/* OU, L, ST, serialNumber: a private hierarchy's, each when written. */
static int
private_attrs(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_cert_profile *p)
{
	char **out[] = { &p->org_unit, &p->locality, &p->state, &p->subject_serial };
	struct cer_pos pos;
	size_t i;
	int r;

	if (!p->private_set)
		return cer_certprofile_refuse(y, m, private_attr_keys, "is for a private "
		    "hierarchy; a TLS CA's subject here is country, organization and common-name "
		    "(BR 7.1.2.10.2 forbids organizationalUnitName; Boulder writes no other)");
	for (i = 0; private_attr_keys[i] != NULL; i++)
		if (cer_yaml_key(m, private_attr_keys[i]) != NULL &&
		    (r = name_field(y, m, private_attr_keys[i], out[i], &pos)) != CER_OK)
			return r;
	if (p->subject_serial != NULL && strspn(p->subject_serial, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?") != strlen(p->subject_serial))
		return cer_yaml_fail(y, pos, "'subject-serial-number' is a PrintableString "
		    "(X.520): letters, digits, space and '()+,-./:=? only; fix it");
	if ((p->org_unit != NULL || p->locality != NULL || p->state != NULL ||
	    p->subject_serial != NULL) && p->nsubject_order > 0)
		return cer_yaml_fail(y, p->subject_order_pos, "'subject-order' orders country, "
		    "organization and common-name only; with organizational-unit, locality, state "
		    "or subject-serial-number the subject is in Go's order: remove subject-order");
	return CER_OK;
}

static int
profile_subject(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_cert_profile *p)
{
	const char *cc;
	int r;

	if ((r = name_field(y, m, "common-name", &p->common_name,
	    &p->common_name_pos)) != CER_OK ||
	    (r = name_field(y, m, "organization", &p->organization,
	    &p->organization_pos)) != CER_OK ||
	    (r = cer_yaml_opt_text(y, m, "country", &p->country, &p->country_pos)) != CER_OK)
		return r;
	cc = p->country;
	if (strlen(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
		return cer_yaml_fail(y, p->country_pos, "'country' must be a two-letter "
		    "ISO 3166 code in capitals, such as US; fix it");
	return private_attrs(y, m, p);
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SSZ" into f[6]. */
static int
time_fields(const char *s, int f[6])
{
	static const char shape[] = "dddd-dd-dd?dd:dd:dd";
	size_t len = strlen(s), i;
	int k = 0;

	if (!(len == 19 && s[10] == ' ') && !(len == 20 && s[10] == 'T' && s[19] == 'Z'))
		return 0;
	memset(f, 0, 6 * sizeof(*f));
	for (i = 0; i < 19; i++) {
		if (shape[i] == 'd') {
			if (s[i] < '0' || s[i] > '9')
				return 0;
			f[k] = f[k] * 10 + (s[i] - '0');
		} else if (shape[i] == '?') {
			k++;
		} else if (s[i] != shape[i]) {
			return 0;
		} else
			k++;
	}
	return 1;
}

int
cer_certprofile_time(const struct cer_yaml *y, const struct cer_yaml_node *v, const char *key,
    time_t *out)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	struct tm tm;
	char b[CER_YAML_SHOW];
	int f[6], r;

	if ((r = cer_yaml_check_text(y, v, key)) != CER_OK)
		return r;
	if (!time_fields(v->str, f))
		return cer_yaml_fail(y, v->pos, "'%s' must be a UTC time written "
		    "'YYYY-MM-DD HH:MM:SS' (or 'YYYY-MM-DDTHH:MM:SSZ'), not '%s'; "
		    "fix it", key, cer_yaml_shown(b, v));
	if (f[0] < 1950)
		return cer_yaml_fail(y, v->pos, "'%s' is before 1950, which X.509 validity "
		    "cannot carry; fix the year", key);
	if (f[1] < 1 || f[1] > 12 || f[2] < 1 ||
	    f[2] > mdays[f[1] - 1] + (f[1] == 2 && is_leap(f[0])) ||
	    f[3] > 23 || f[4] > 59 || f[5] > 59)
		return cer_yaml_fail(y, v->pos, "'%s' is not a real date and time ('%s'); "
		    "check the month, the day of the month and the time", key,
		    cer_yaml_shown(b, v));
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = f[0] - 1900;
	tm.tm_mon = f[1] - 1;
	tm.tm_mday = f[2];
	tm.tm_hour = f[3];
	tm.tm_min = f[4];
	tm.tm_sec = f[5];
	*out = timegm(&tm);
	return CER_OK;
}

static int
profile_dates(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_cert_profile *p)
{
	const struct cer_yaml_node *nb = cer_yaml_val(m, "not-before"),
	    *na = cer_yaml_val(m, "not-after");
	int r;

	p->not_before_pos = nb->pos;
	p->not_after_pos = na->pos;
	if ((r = cer_certprofile_time(y, nb, "not-before", &p->not_before)) != CER_OK)
		return r;
	p->has_not_before = 1;
	if ((r = cer_certprofile_time(y, na, "not-after", &p->not_after)) != CER_OK)
		return r;
	p->has_not_after = 1;
	if (p->not_after <= p->not_before)
		return cer_yaml_fail(y, na->pos, "'not-after' is not after 'not-before' "
		    "(line %u); fix the validity period", nb->pos.line);
	return CER_OK;
}

/* Dotted decimal with at least two arcs: 0..2 first, < 40 second below 2. */
int
cer_certprofile_oid_ok(const char *s)
{
	unsigned long first = 0, second = 0;
	size_t arcs = 0, n;

	for (;;) {
		n = strspn(s, "0123456789");
		if (n == 0 || n > 20 || (n > 1 && s[0] == '0'))
			return 0;
		if (arcs == 0)
			first = strtoul(s, NULL, 10);
		else if (arcs == 1)
			second = strtoul(s, NULL, 10);
		arcs++;
		s += n;
		if (*s == '\0')
			break;
		if (*s++ != '.')
			return 0;
	}
	return arcs >= 2 && first <= 2 && (first == 2 || second < 40);
}

static int
profile_policies(const struct cer_yaml *y, const struct cer_yaml_node *v,
    struct cer_cert_profile *p)
{
	const struct cer_yaml_node *item, *oid;
	size_t i;
	int r;

	p->policies_pos = v->pos;
	if ((r = cer_yaml_want_kind(y, v, CER_YAML_SEQ, "'policies'")) != CER_OK)
		return r;
	if ((p->policies = calloc(v->nkids ? v->nkids : 1, sizeof(*p->policies))) == NULL)
		return cer_yaml_nomem();
	for (i = 0; i < v->nkids; i++) {
		item = v->kids[i];
		if ((r = cer_yaml_check_map(y, item, "a policies entry", policy_keys,
		    NULL)) != CER_OK)
			return r;
		if ((oid = cer_yaml_val(item, "oid")) == NULL)
			return cer_yaml_missing(y, item, "a policies entry", "oid");
		p->policies[i].pos = oid->pos;
		if ((r = cer_yaml_want_text(y, oid, "oid", &p->policies[i].oid)) != CER_OK)
			return r;
		p->npolicies++;
		if (!cer_certprofile_oid_ok(p->policies[i].oid))
			return cer_yaml_fail(y, oid->pos, "'oid' must be a dotted decimal "
			    "OID such as 2.23.140.1.2.1; fix it");
		if (p->private_set)
			r = cer_certprofile_private_policy(y, item, p, i);
		else if (cer_yaml_key(item, "cps") != NULL)
			r = cer_yaml_fail(y, cer_yaml_key(item, "cps")->pos, "'cps' (a CPS URI "
			    "qualifier) is for a private hierarchy's policies; a TLS CA carries "
			    "none (BR 7.1.2.10.5: NOT RECOMMENDED); remove it");
		if (r != CER_OK)
			return r;
	}
	return CER_OK;
}

static int
profile_key_usages(const struct cer_yaml *y, const struct cer_yaml_node *v,
    struct cer_cert_profile *p)
{
	unsigned i, ku, bit;
	char b[CER_YAML_SHOW];
	int r;

	p->key_usages_pos = v->pos;
	if ((r = cer_yaml_want_kind(y, v, CER_YAML_SEQ, "'key-usages'")) != CER_OK)
		return r;
	p->has_key_usages = 1;
	for (i = 0; i < v->nkids; i++) {
		if ((r = cer_yaml_want_enum(y, v->kids[i], "key-usages", ku_names,
		    &ku)) != CER_OK)
			return r;
		bit = 1u << (ku - 1);
		if (p->key_usages & bit)
			return cer_yaml_fail(y, v->kids[i]->pos, "'%s' is listed twice in "
			    "key-usages; list it once", cer_yaml_shown(b, v->kids[i]));
		p->key_usages |= bit;
	}
	return CER_OK;
}

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * The octets of an integer (or a key identifier) written in hex,
 * big-endian: "c58a85a2" (an odd number of digits is the integer's own hex
 * too: "c58" = 0c 58) or octets separated by colons ("c5:8a:85").  The
 * count (buf holds the first max), or 0 when malformed.
 */
size_t
cer_certprofile_octets(const char *s, unsigned char *buf, size_t max)
{
	int colons = strchr(s, ':') != NULL, odd = !colons && strlen(s) % 2 == 1, hi, lo;
	size_t n = 0;

	while (*s != '\0') {
		hi = odd ? 0 : hexval(*s++);
		odd = 0;
		if (hi < 0 || (lo = hexval(*s)) < 0)
			return 0;
		s++;
		if (n < max)
			buf[n] = (unsigned char)(hi << 4 | lo);
		n++;
		if (colons && *s != '\0' && (*s++ != ':' || *s == '\0'))
			return 0;
	}
	return n;
}

/*
 * serial: a positive integer below 2^159 (BR 7.1.2.1 and the other profile
 * tables), which is what RFC 5280 4.1.2.2 allows too: at most 20 octets as
 * DER writes it, the 00 that keeps a high first bit positive included (as
 * zlint's e_serial_number_longer_than_20_octets counts).  Kept as the
 * integer's octets; the DER INTEGER gets its 00 when it is built.  A 00
 * written before an octet of 80 or more is that DER octet (certtool and DER
 * dumps show it) and is dropped; any other leading 00 is refused, so that
 * one integer has one spelling.
 */
static int
profile_serial(const struct cer_yaml *y, const struct cer_yaml_node *v,
    struct cer_cert_profile *p)
{
	unsigned char buf[sizeof(p->serial) + 2];
	size_t n, pad;
	int r;

	p->serial_pos = v->pos;
	if ((r = cer_yaml_check_text(y, v, "serial")) != CER_OK)
		return r;
	if ((n = cer_certprofile_octets(v->str, buf, sizeof(buf))) == 0)
		return cer_yaml_fail(y, v->pos, "'serial' must be the hex of a positive "
		    "integer, such as 'c58a85a2c62345e0' or 'c5:8a:85:a2:c6:23:45:e0'; fix it");
	pad = n > 1 && buf[0] == 0 && (buf[1] & 0x80) != 0;
	if (n == 1 && buf[0] == 0)
		return cer_yaml_fail(y, v->pos, "'serial' is zero; a serial number is a "
		    "positive integer (RFC 5280 4.1.2.2)");
	if (buf[pad] == 0)
		return cer_yaml_fail(y, v->pos, "'serial' starts with a 00 octet that is not "
		    "part of the integer; write the integer's hex without it");
	n -= pad;
	if (n > sizeof(p->serial) || (n == sizeof(p->serial) && (buf[pad] & 0x80) != 0))
		return cer_yaml_fail(y, v->pos, "'serial' is %s; a serial number is less "
		    "than 2^159 (BR 7.1.2.1), at most 20 octets with its DER sign octet "
		    "(RFC 5280 4.1.2.2): at most 40 hex digits, the first of them 0-7 when "
		    "there are 40", n > sizeof(p->serial) ? "longer than 20 octets" :
		    "20 octets with the high bit set (21 in DER)");
	memcpy(p->serial, buf + pad, n);
	p->serial_len = n;
	return CER_OK;
}

static int
profile_enums(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_cert_profile *p)
{
	const struct cer_yaml_node *v;
	unsigned e;
	int r;

	if ((v = cer_yaml_val(m, "signature-algorithm")) != NULL) {
		p->sigalg_pos = v->pos;
		if ((r = cer_yaml_want_enum(y, v, "signature-algorithm",
		    cer_alg_sigalg_names(), &e)) != CER_OK)
			return r;
		p->sigalg = (enum cer_sigalg)e;
	}
	if ((v = cer_yaml_val(m, "ekus")) != NULL && v->kind == CER_YAML_SEQ) {
		if ((r = p->private_set ? cer_certprofile_private_ekus(y, v, p) :
		    cer_certprofile_eku_list(y, v, p)) != CER_OK)
			return r;
	} else if (v != NULL) {
		p->ekus_pos = v->pos;
		if ((r = cer_yaml_want_enum(y, v, "ekus", ekus_names, &e)) != CER_OK)
			return r;
		p->ekus = (enum cer_ekus)e;
	}
	if ((v = cer_yaml_val(m, "policies")) != NULL &&
	    (r = profile_policies(y, v, p)) != CER_OK)
		return r;
	if ((v = cer_yaml_val(m, "key-usages")) != NULL &&
	    (r = profile_key_usages(y, v, p)) != CER_OK)
		return r;
	if ((v = cer_yaml_val(m, "serial")) != NULL)
		return profile_serial(y, v, p);
	return CER_OK;
}

/* path-length, max-validity-days, allow-other-organization */
static int
profile_numbers(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_cert_profile *p)
{
	const struct cer_yaml_node *v;
	int r;

	p->max_validity_days = CER_OCSP_SIGNER_MAX_DAYS;
	if ((v = cer_yaml_val(m, "path-length")) != NULL) {
		p->path_length_pos = v->pos;
		/* none: cA without a pathLenConstraint (a describe'd certificate's) */
		if (v->plain && cer_yaml_is(v, "none"))
			p->no_path_length = 1;
		else if ((r = cer_yaml_want_uint(y, v, "path-length", 16,
		    &p->path_length)) != CER_OK)
			return r;
	}
	if ((v = cer_yaml_val(m, "max-validity-days")) != NULL) {
		p->max_validity_days_pos = v->pos;
		p->has_max_validity = 1;
		if ((r = cer_yaml_want_uint(y, v, "max-validity-days", p->private_set ?
		    CER_PRIVATE_MAX_DAYS : CER_OCSP_SIGNER_MAX_DAYS,
		    &p->max_validity_days)) != CER_OK)
			return r;
		if (p->max_validity_days == 0)
			return cer_yaml_fail(y, v->pos,
			    "'max-validity-days' must be at least 1");
	}
	if ((v = cer_yaml_val(m, "allow-other-organization")) != NULL) {
		p->allow_other_org_pos = v->pos;
		return cer_yaml_want_bool(y, v, "allow-other-organization",
		    &p->allow_other_org);
	}
	return CER_OK;
}

/* The fields of a certificate-profile; required: those that must be there. */
int
cer_certprofile_parse(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_cert_profile *p,
    const char *const *required)
{
	const char *const *k;
	int r;

	if ((r = cer_yaml_check_map(y, m, "the certificate-profile", profile_keys,
	    NULL)) != CER_OK)
		return r;
	for (k = required; *k != NULL; k++)
		if (cer_yaml_key(m, *k) == NULL)
			return cer_yaml_missing(y, m, "the certificate-profile", *k);
	p->present = 1;
	p->pos = m->pos;
	if ((r = url_field(y, m, "policy-url", &p->policy_url,
	    &p->policy_url_pos)) != CER_OK ||
	    (r = profile_enums(y, m, p)) != CER_OK ||
	    (r = cer_certprofile_encoding(y, m, p)) != CER_OK ||
	    (r = profile_numbers(y, m, p)) != CER_OK ||
	    (r = profile_subject(y, m, p)) != CER_OK ||
	    (cer_yaml_key(m, "not-before") != NULL && (r = profile_dates(y, m, p)) != CER_OK) ||
	    (r = url_field(y, m, "crl-url", &p->crl_url, &p->crl_url_pos)) != CER_OK ||
	    (r = url_field(y, m, "issuer-url", &p->issuer_url,
	    &p->issuer_url_pos)) != CER_OK ||
	    (r = url_field(y, m, "ocsp-url", &p->ocsp_url, &p->ocsp_url_pos)) != CER_OK)
		return r;
	return p->private_set ? cer_certprofile_private_cap(y, p) : CER_OK;
}

/* A field a profile of this step type does not take, and why. */
int
cer_certprofile_refuse(const struct cer_yaml *y, const struct cer_yaml_node *m,
    const char *const *keys,
    const char *why)
{
	const char *const *k;

	for (k = keys; *k != NULL; k++)
		if (cer_yaml_key(m, *k) != NULL)
			return cer_yaml_fail(y, cer_yaml_key(m, *k)->pos,
			    "'%s' %s; remove it", *k, why);
	return CER_OK;
}

/* profile-rules cert.sigalg_matches_signer */
int
cer_certprofile_sigalg_fits(const struct cer_yaml *y, const struct cer_key_spec *k,
    const struct cer_cert_profile *p)
{
	const char *alg = cer_sigalg_name(p->sigalg);

	if (cer_sigalg_fits(p->sigalg, k->type, k->curve))
		return CER_OK;
	if (k->type == CER_KEY_RSA)
		return cer_yaml_fail(y, p->sigalg_pos, "signature-algorithm %s does not fit "
		    "an RSA key; use SHA256WithRSA, SHA384WithRSA, SHA512WithRSA or "
		    "a ...WithRSAPSS name", alg);
	if (k->type == CER_KEY_EC)
		return cer_yaml_fail(y, p->sigalg_pos, "signature-algorithm %s does not fit "
		    "a %s key (profile rule cert.sigalg_matches_signer); use %s", alg,
		    cer_curve_name(k->curve), cer_sigalg_name(cer_sigalg_default(k->type,
		    k->curve)));
	return cer_yaml_fail(y, p->sigalg_pos, "signature-algorithm %s does not fit "
	    "an ed25519 key; use PureEd25519", alg);
}

/* A DNS name for a constraint: LDH labels of 1-63 characters, at most 253 in all. */
int
cer_certprofile_dns_ok(const char *s)
{
	size_t len = strlen(s), label = 0, i;

	if (len == 0 || len > 253)
		return 0;
	for (i = 0; i <= len; i++) {
		if (s[i] == '.' || s[i] == '\0') {
			if (label == 0 || label > 63 || s[i - 1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    (s[i] == '-' && label > 0)))
			return 0;
		label++;
	}
	return 1;
}

int
cer_certprofile_strlist(const struct cer_yaml *y, const struct cer_yaml_node *m, const char *key,
    struct cer_strlist *l,
    int (*ok)(const char *), const char *how)
{
	const struct cer_yaml_node *v = cer_yaml_val(m, key);
	unsigned char a[16], k[16];
	char what[64];
	size_t i;
	int r, v6;

	if (v == NULL)
		return CER_OK;
	snprintf(what, sizeof(what), "'%s'", key);
	if ((r = cer_yaml_want_kind(y, v, CER_YAML_SEQ, what)) != CER_OK)
		return r;
	if ((l->v = calloc(v->nkids + 1, sizeof(*l->v))) == NULL ||
	    (l->pos = calloc(v->nkids + 1, sizeof(*l->pos))) == NULL)
		return cer_yaml_nomem();
	for (i = 0; i < v->nkids; i++) {
		l->pos[i] = v->kids[i]->pos;
		if ((r = cer_yaml_want_text(y, v->kids[i], key, &l->v[l->n])) != CER_OK)
			return r;
		l->n++;
		if (ok != NULL ? !ok(l->v[i]) : !cer_script_ip_subtree(l->v[i], a, k, &v6))
			return cer_yaml_fail(y, v->kids[i]->pos, "'%s' is not %s; fix it",
			    l->v[i], how);
	}
	return CER_OK;
}

static int
parse_dns(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_name_constraints *nc)
{
	const char *how = "a DNS name in lower case, such as example.com (it covers the "
	    "name and every name below it)";
	int r;

	if ((r = cer_certprofile_strlist(y, m, "permitted-dns", &nc->permitted_dns,
	    cer_certprofile_dns_ok, how)) != CER_OK)
		return r;
	return cer_certprofile_strlist(y, m, "excluded-dns", &nc->excluded_dns,
	    cer_certprofile_dns_ok, how);
}

static int
parse_ips(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_name_constraints *nc)
{
	const char *how = "an address range such as 192.0.2.0/24 or 2001:db8::/32 (host "
	    "bits zero)";
	int r;

	if ((r = cer_certprofile_strlist(y, m, "permitted-ip", &nc->permitted_ip, NULL,
	    how)) != CER_OK)
		return r;
	return cer_certprofile_strlist(y, m, "excluded-ip", &nc->excluded_ip, NULL, how);
}

/* A list of directoryName subtrees under key: country, organization or both. */
int
cer_certprofile_dn_list(const struct cer_yaml *y, const struct cer_yaml_node *m,
    const char *key, struct cer_dn **out, size_t *n)
{
	const struct cer_yaml_node *v = cer_yaml_val(m, key), *it;
	char what[64];
	struct cer_dn *d;
	size_t i;
	int r;

	snprintf(what, sizeof(what), "'%s'", key);
	if ((r = cer_yaml_want_kind(y, v, CER_YAML_SEQ, what)) != CER_OK)
		return r;
	if ((*out = calloc(v->nkids + 1, sizeof(*d))) == NULL)
		return cer_yaml_nomem();
	snprintf(what, sizeof(what), "a %s entry", key);
	for (i = 0; i < v->nkids; i++) {
		it = v->kids[i];
		d = &(*out)[(*n)++];
		d->pos = it->pos;
		if ((r = cer_yaml_check_map(y, it, what, dn_keys, NULL)) != CER_OK ||
		    (r = cer_yaml_opt_text(y, it, "country", &d->country, &d->pos)) != CER_OK ||
		    (r = cer_yaml_opt_text(y, it, "organization", &d->organization,
		    &d->pos)) != CER_OK)
			return r;
		d->pos = it->pos;
		if (d->country == NULL && d->organization == NULL)
			return cer_yaml_fail(y, it->pos, "%s names country, organization or "
			    "both; add them", what);
		if (d->country != NULL && (strlen(d->country) != 2 || d->country[0] < 'A' ||
		    d->country[0] > 'Z' || d->country[1] < 'A' || d->country[1] > 'Z'))
			return cer_yaml_fail(y, it->pos,
			    "'country' must be a two-letter ISO 3166 "
			    "code in capitals, such as US; fix it");
	}
	if (*n == 0)
		return cer_yaml_fail(y, v->pos, "'%s' is empty; name a country and "
		    "organization, or remove it", key);
	return CER_OK;
}

/*
 * BR 7.1.2.5: a technically constrained TLS subordinate CA; in a private
 * hierarchy, RFC 5280 4.2.1.10's constraints as written.
 */
int
cer_certprofile_nc(const struct cer_yaml *y, const struct cer_yaml_node *m,
    struct cer_cert_profile *p)
{
	const struct cer_yaml_node *v = cer_yaml_val(m, "name-constraints");
	struct cer_name_constraints *nc = &p->nc;
	int r;

	if (v == NULL)
		return CER_OK;
	nc->present = 1;
	nc->pos = v->pos;
	if ((r = cer_yaml_check_map(y, v, "name-constraints", nc_keys, NULL)) != CER_OK ||
	    (r = parse_dns(y, v, nc)) != CER_OK || (r = parse_ips(y, v, nc)) != CER_OK)
		return r;
	if (p->private_set)
		return cer_certprofile_private_nc(y, v, nc);
	if ((r = cer_certprofile_refuse(y, v, nc_private_keys, "is for a private "
	    "hierarchy; a technically constrained TLS CA names only dNSName, iPAddress and "
	    "permitted directoryName subtrees (BR 7.1.2.5.2)")) != CER_OK)
		return r;
	if (cer_yaml_key(v, "permitted-dn") == NULL)
		return cer_yaml_fail(y, v->pos,
		    "a technically constrained CA's name-constraints "
		    "permit at least one directoryName (BR 7.1.2.5.2); add permitted-dn: "
		    "[{country: .., organization: ..}] naming the subscriber");
	return cer_certprofile_dn_list(y, v, "permitted-dn", &nc->permitted_dn,
	    &nc->npermitted_dn);
}
