/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one JSON writer of the CLI: every document any verb prints goes
 * through it, so commas, escapes and pretty-printing are done once.
 */
#ifndef PAGECLOCK_JSON_H
#define PAGECLOCK_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Containers open at once, at most: a bit each in @arrays.  Deeper is a
 * bug of the caller (no document of ours nests past a few levels): the
 * writer aborts rather than write a document it cannot close right.
 */
#define PGC_JSON_DEPTH 64

struct pgc_json {
	FILE *out;
	bool pretty;
	bool first;		/* nothing written yet in the open container */
	int depth;
	uint64_t arrays;	/* bit d: the container at depth d is an array */
};

void pgc_json_init(struct pgc_json *j, FILE *out, bool pretty);
/* Length of the valid UTF-8 sequence at @s (1-4), or 0 if it is not one. */
int pgc_utf8_len(const unsigned char *s);

/*
 * Every call takes the member's @key inside an object and NULL elsewhere
 * (in an array, or at the top).  A top-level value ends with a newline,
 * so documents written one after another are JSON lines.
 */
void pgc_json_object(struct pgc_json *j, const char *key);
void pgc_json_array(struct pgc_json *j, const char *key);
/* Close the innermost open object or array. */
void pgc_json_end(struct pgc_json *j);

/*
 * Any bytes: invalid UTF-8 becomes U+FFFD; control characters (C0, DEL,
 * C1) and U+2028, U+2029 are written \uXXXX.
 */
void pgc_json_str(struct pgc_json *j, const char *key, const char *s);
void pgc_json_u64(struct pgc_json *j, const char *key, uint64_t v);
void pgc_json_s64(struct pgc_json *j, const char *key, int64_t v);
/* @decimals after the point; NaN and infinities (unknown) as null. */
void pgc_json_f64(struct pgc_json *j, const char *key, double v, int decimals);
void pgc_json_bool(struct pgc_json *j, const char *key, bool v);
void pgc_json_null(struct pgc_json *j, const char *key);

/*
 * jsonread.c: a JSON document into a tree.  Strings are decoded to
 * UTF-8 (@len bytes; \u0000 may be one of them); a number is @num, and
 * also @u64 exact when it is a whole one from 0 to 2^64 - 1 (@is_u64).
 */
enum pgc_jtype { PGC_JNULL, PGC_JBOOL, PGC_JNUM, PGC_JSTR, PGC_JARR,
		 PGC_JOBJ };

struct pgc_jval {
	enum pgc_jtype type;
	char *key;		/* its name, as a member of an object */
	bool b;
	double num;
	uint64_t u64;
	bool is_u64;
	char *str;
	size_t len;
	struct pgc_jval *kids;	/* of an array or object, in order */
	int n;
};

/* One document in @text, or NULL with why in @err. */
struct pgc_jval *pgc_jparse(const char *text, size_t len, char *err,
			    size_t errlen);
void pgc_jfree(struct pgc_jval *v);
/* Member @key of object @obj (the first of that name), or NULL. */
const struct pgc_jval *pgc_jget(const struct pgc_jval *obj, const char *key);

#endif /* PAGECLOCK_JSON_H */
