// SPDX-License-Identifier: GPL-2.0
/*
 * A JSON reader for what the CLI reads back (report: the lines of a
 * record): RFC 8259 values into a tree, strings decoded to UTF-8 with
 * every escape (surrogate pairs too), so a record that another tool
 * re-wrote (other spacing, key order, escapes) reads the same.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* Nesting the reader follows; a record line has two levels. */
#define PGC_JREAD_DEPTH 64

struct pgc_jreader {
	const char *p, *end, *start;
	char *err;
	size_t errlen;
};

static bool pgc_jfail(struct pgc_jreader *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->err[0])
		return false;
	n = snprintf(r->err, r->errlen, "at byte %ld: ", (long)(r->p - r->start));
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < r->errlen)
		vsnprintf(r->err + n, r->errlen - n, fmt, ap);
	va_end(ap);
	return false;
}

static void pgc_jspace(struct pgc_jreader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
				 *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

/* Four hex digits at r->p, or -1. */
static long pgc_jhex4(struct pgc_jreader *r)
{
	long v = 0;
	int i;

	if (r->end - r->p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = r->p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	r->p += 4;
	return v;
}

static size_t pgc_utf8_put(char *w, unsigned long cp)
{
	if (cp < 0x80) {
		w[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		w[0] = 0xc0 | cp >> 6;
		w[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		w[0] = 0xe0 | cp >> 12;
		w[1] = 0x80 | (cp >> 6 & 0x3f);
		w[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	w[0] = 0xf0 | cp >> 18;
	w[1] = 0x80 | (cp >> 12 & 0x3f);
	w[2] = 0x80 | (cp >> 6 & 0x3f);
	w[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/*
 * The string at r->p (its opening quote) decoded into a malloc'ed @out
 * of @len bytes (NUL-terminated; \u0000 stays a byte of it).  A lone
 * surrogate, which UTF-8 cannot hold, becomes U+FFFD.
 */
static bool pgc_jstring(struct pgc_jreader *r, char **out, size_t *len)
{
	const char *q = ++r->p;
	char *w;
	long cp, lo;

	/* Decoded, a string is never longer than its text. */
	while (q < r->end && *q != '"')
		q += *q == '\\' && q + 1 < r->end ? 2 : 1;
	if (q >= r->end)
		return pgc_jfail(r, "a string without its closing quote");
	*out = w = malloc(q - r->p + 1);
	if (!w)
		return pgc_jfail(r, "out of memory");
	while (*r->p != '"') {
		unsigned char c = *r->p;

		if (c < 0x20) {
			free(*out);
			*out = NULL;
			return pgc_jfail(r, "a control character in a string");
		}
		if (c != '\\') {
			*w++ = *r->p++;
			continue;
		}
		r->p++;
		switch (*r->p++) {
		case '"':
			*w++ = '"';
			break;
		case '\\':
			*w++ = '\\';
			break;
		case '/':
			*w++ = '/';
			break;
		case 'b':
			*w++ = '\b';
			break;
		case 'f':
			*w++ = '\f';
			break;
		case 'n':
			*w++ = '\n';
			break;
		case 'r':
			*w++ = '\r';
			break;
		case 't':
			*w++ = '\t';
			break;
		case 'u':
			cp = pgc_jhex4(r);
			if (cp < 0)
				goto bad;
			if (cp >= 0xd800 && cp <= 0xdbff && r->end - r->p >= 6 &&
			    r->p[0] == '\\' && r->p[1] == 'u') {
				const char *back = r->p;

				r->p += 2;
				lo = pgc_jhex4(r);
				if (lo < 0)
					goto bad;
				if (lo >= 0xdc00 && lo <= 0xdfff)
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					     (lo - 0xdc00);
				else
					r->p = back;	/* read on its own */
			}
			if (cp >= 0xd800 && cp <= 0xdfff)
				cp = 0xfffd;
			w += pgc_utf8_put(w, cp);
			break;
		default:
bad:
			free(*out);
			*out = NULL;
			return pgc_jfail(r, "a bad escape in a string");
		}
	}
	r->p++;
	*w = '\0';
	*len = w - *out;
	return true;
}

/* A number as RFC 8259 has it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool pgc_jnumber(struct pgc_jreader *r, struct pgc_jval *v)
{
	const char *s = r->p, *q = s;
	bool whole = true;
	char buf[64], *e;

	if (q < r->end && *q == '-')
		q++;
	if (q < r->end && *q == '0')
		q++;
	else if (q < r->end && *q >= '1' && *q <= '9')
		while (q < r->end && *q >= '0' && *q <= '9')
			q++;
	else
		return pgc_jfail(r, "not a value");
	if (q < r->end && *q == '.') {
		whole = false;
		if (++q >= r->end || *q < '0' || *q > '9')
			return pgc_jfail(r, "a number without digits after its point");
		while (q < r->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < r->end && (*q == 'e' || *q == 'E')) {
		whole = false;
		q++;
		if (q < r->end && (*q == '+' || *q == '-'))
			q++;
		if (q >= r->end || *q < '0' || *q > '9')
			return pgc_jfail(r, "a number without digits in its exponent");
		while (q < r->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (q - s >= (long)sizeof(buf))
		return pgc_jfail(r, "a number too long");
	memcpy(buf, s, q - s);
	buf[q - s] = '\0';
	v->type = PGC_JNUM;
	v->num = strtod(buf, NULL);
	/* A whole number that fits: exact, past 2^53 too. */
	errno = 0;
	if (whole && *s != '-') {
		v->u64 = strtoull(buf, &e, 10);
		v->is_u64 = !errno && !*e;
	}
	r->p = q;
	return true;
}

static bool pgc_jvalue(struct pgc_jreader *r, struct pgc_jval *v, int depth);

/* The members of an object or the elements of an array, r->p past '{' or '['. */
static bool pgc_jkids(struct pgc_jreader *r, struct pgc_jval *v, int depth,
		      char close)
{
	int cap = 0;

	pgc_jspace(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return true;
	}
	for (;;) {
		struct pgc_jval *k;

		if (v->n == cap) {
			cap = cap ? 2 * cap : 8;
			k = realloc(v->kids, cap * sizeof(*k));
			if (!k)
				return pgc_jfail(r, "out of memory");
			v->kids = k;
		}
		k = &v->kids[v->n++];
		memset(k, 0, sizeof(*k));
		pgc_jspace(r);
		if (close == '}') {
			size_t len;

			if (r->p >= r->end || *r->p != '"')
				return pgc_jfail(r, "a member without its name");
			if (!pgc_jstring(r, &k->key, &len))
				return false;
			pgc_jspace(r);
			if (r->p >= r->end || *r->p != ':')
				return pgc_jfail(r, "a name without ':'");
			r->p++;
		}
		if (!pgc_jvalue(r, k, depth + 1))
			return false;
		pgc_jspace(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			return true;
		}
		return pgc_jfail(r, "expected ',' or '%c'", close);
	}
}

static bool pgc_jword(struct pgc_jreader *r, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n))
		return false;
	r->p += n;
	return true;
}

static bool pgc_jvalue(struct pgc_jreader *r, struct pgc_jval *v, int depth)
{
	if (depth > PGC_JREAD_DEPTH)
		return pgc_jfail(r, "nested deeper than %d", PGC_JREAD_DEPTH);
	pgc_jspace(r);
	if (r->p >= r->end)
		return pgc_jfail(r, "no value");
	switch (*r->p) {
	case '{':
	case '[':
		v->type = *r->p == '{' ? PGC_JOBJ : PGC_JARR;
		r->p++;
		return pgc_jkids(r, v, depth, v->type == PGC_JOBJ ? '}' : ']');
	case '"':
		v->type = PGC_JSTR;
		return pgc_jstring(r, &v->str, &v->len);
	case 't':
	case 'f':
	case 'n':
		if (pgc_jword(r, "true")) {
			v->type = PGC_JBOOL;
			v->b = true;
			return true;
		}
		if (pgc_jword(r, "false")) {
			v->type = PGC_JBOOL;
			return true;
		}
		if (pgc_jword(r, "null")) {
			v->type = PGC_JNULL;
			return true;
		}
		return pgc_jfail(r, "not a value");
	default:
		return pgc_jnumber(r, v);
	}
}

static void pgc_jfree_kids(struct pgc_jval *v)
{
	int i;

	for (i = 0; i < v->n; i++) {
		pgc_jfree_kids(&v->kids[i]);
		free(v->kids[i].key);
		free(v->kids[i].str);
	}
	free(v->kids);
}

void pgc_jfree(struct pgc_jval *v)
{
	if (!v)
		return;
	pgc_jfree_kids(v);
	free(v->str);
	free(v);
}

struct pgc_jval *pgc_jparse(const char *text, size_t len, char *err,
			    size_t errlen)
{
	struct pgc_jreader r = { text, text + len, text, err, errlen };
	struct pgc_jval *v = calloc(1, sizeof(*v));

	err[0] = '\0';
	if (!v) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (pgc_jvalue(&r, v, 0)) {
		pgc_jspace(&r);
		if (r.p == r.end)
			return v;
		pgc_jfail(&r, "more after the value");
	}
	pgc_jfree(v);
	return NULL;
}

const struct pgc_jval *pgc_jget(const struct pgc_jval *obj, const char *key)
{
	int i;

	if (!obj || obj->type != PGC_JOBJ)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (!strcmp(obj->kids[i].key, key))
			return &obj->kids[i];
	return NULL;
}
