// SPDX-License-Identifier: GPL-2.0
/*
 * A streaming JSON writer: containers opened and closed in order, the
 * commas and (pretty) indentation placed by the writer, never by a verb.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "json.h"

void pgc_json_init(struct pgc_json *j, FILE *out, bool pretty)
{
	j->out = out;
	j->pretty = pretty;
	j->first = true;
	j->depth = 0;
	j->arrays = 0;
}

static void pgc_json_indent(struct pgc_json *j, int depth)
{
	fputc('\n', j->out);
	while (depth-- > 0)
		fputs("  ", j->out);
}

int pgc_utf8_len(const unsigned char *s)
{
	int n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return n;
}

/*
 * A quoted string.  Process names are any bytes a task chose: a byte
 * that is not valid UTF-8 becomes U+FFFD, so the document stays valid.
 */
static void pgc_json_quote(FILE *out, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	int n;

	fputc('"', out);
	for (; *u; u += n) {
		n = pgc_utf8_len(u);
		if (!n) {
			fputs("\\ufffd", out);
			n = 1;
		} else if (*u == '"' || *u == '\\') {
			fprintf(out, "\\%c", *u);
		} else if (*u < 0x20 || *u == 0x7f) {
			fprintf(out, "\\u%04x", *u);
		} else if (n == 2 && u[0] == 0xc2 && u[1] < 0xa0) {
			/* C1 controls, U+0080 to U+009F: a terminal obeys some. */
			fprintf(out, "\\u%04x", u[1]);
		} else if (n == 3 && u[0] == 0xe2 && u[1] == 0x80 &&
			   (u[2] == 0xa8 || u[2] == 0xa9)) {
			/* U+2028, U+2029: line breaks to JavaScript and Python. */
			fprintf(out, "\\u%04x", 0x2000 | (u[2] - 0x80));
		} else {
			fwrite(u, 1, n, out);
		}
	}
	fputc('"', out);
}

/* What goes before a value: its comma, its line (pretty), its key. */
static void pgc_json_member(struct pgc_json *j, const char *key)
{
	if (!j->depth)
		return;
	if (!j->first)
		fputc(',', j->out);
	if (j->pretty)
		pgc_json_indent(j, j->depth);
	j->first = false;
	if (key) {
		pgc_json_quote(j->out, key);
		fputs(j->pretty ? ": " : ":", j->out);
	}
}

/* After a value: a top-level one is a whole document. */
static void pgc_json_done(struct pgc_json *j)
{
	if (!j->depth)
		fputc('\n', j->out);
}

static void pgc_json_open(struct pgc_json *j, const char *key, bool array)
{
	if (j->depth >= PGC_JSON_DEPTH) {
		fputs("pageclock: JSON nested deeper than the writer keeps\n",
		      stderr);
		abort();
	}
	pgc_json_member(j, key);
	fputc(array ? '[' : '{', j->out);
	if (array)
		j->arrays |= 1ULL << j->depth;
	else
		j->arrays &= ~(1ULL << j->depth);
	j->depth++;
	j->first = true;
}

void pgc_json_object(struct pgc_json *j, const char *key)
{
	pgc_json_open(j, key, false);
}

void pgc_json_array(struct pgc_json *j, const char *key)
{
	pgc_json_open(j, key, true);
}

void pgc_json_end(struct pgc_json *j)
{
	if (!j->depth)
		return;
	j->depth--;
	if (j->pretty && !j->first)
		pgc_json_indent(j, j->depth);
	fputc(j->arrays & 1ULL << j->depth ? ']' : '}', j->out);
	j->first = false;
	pgc_json_done(j);
}

void pgc_json_str(struct pgc_json *j, const char *key, const char *s)
{
	pgc_json_member(j, key);
	pgc_json_quote(j->out, s);
	pgc_json_done(j);
}

void pgc_json_u64(struct pgc_json *j, const char *key, uint64_t v)
{
	pgc_json_member(j, key);
	fprintf(j->out, "%" PRIu64, v);
	pgc_json_done(j);
}

void pgc_json_s64(struct pgc_json *j, const char *key, int64_t v)
{
	pgc_json_member(j, key);
	fprintf(j->out, "%" PRId64, v);
	pgc_json_done(j);
}

void pgc_json_f64(struct pgc_json *j, const char *key, double v, int decimals)
{
	if (!isfinite(v)) {
		pgc_json_null(j, key);
		return;
	}
	pgc_json_member(j, key);
	fprintf(j->out, "%.*f", decimals, v);
	pgc_json_done(j);
}

void pgc_json_bool(struct pgc_json *j, const char *key, bool v)
{
	pgc_json_member(j, key);
	fputs(v ? "true" : "false", j->out);
	pgc_json_done(j);
}

void pgc_json_null(struct pgc_json *j, const char *key)
{
	pgc_json_member(j, key);
	fputs("null", j->out);
	pgc_json_done(j);
}
