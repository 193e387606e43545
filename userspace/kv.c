// SPDX-License-Identifier: GPL-2.0
/*
 * The module's requests (debugfs "pt", sysfs "ad/sweep" then debugfs
 * "ad"): write a request, read "key value" lines back.  A line is a
 * scalar "key value", or one record "key name k1 v1 k2 v2 ..." of a
 * table called key.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kdata.h"
#include "pageclock.h"

/* Write @req to debugfs @file, read the answer into *out (malloc'ed). */
int pgc_request(const char *file, const char *req, char **out)
{
	char path[512];
	int fd, err = 0;

	fd = open(pgc_path(path, sizeof(path), PGC_DEBUGFS, file), O_RDWR);
	if (fd < 0)
		return -errno;
	if (write(fd, req, strlen(req)) < 0 || lseek(fd, 0, SEEK_SET) < 0)
		err = -errno;
	else if (!(*out = pgc_read_fd(fd)))
		err = -errno;
	close(fd);
	return err;
}

/* The line of @text whose first word is @key (and second @name if set). */
static const char *pgc_kv_line(const char *text, const char *key,
			       const char *name)
{
	size_t kl = strlen(key), nl = name ? strlen(name) : 0;
	const char *l;

	for (l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (strncmp(l, key, kl) || l[kl] != ' ')
			continue;
		if (!name || (!strncmp(l + kl + 1, name, nl) &&
			      isspace((unsigned char)l[kl + 1 + nl])))
			return l + kl + 1;
	}
	return NULL;
}

/* Scalar @key as text, copied into @buf; "" if absent. */
const char *pgc_kv_str(const char *text, const char *key, char *buf,
		       size_t len)
{
	const char *v = pgc_kv_line(text, key, NULL);
	size_t n = v ? strcspn(v, "\n") : 0;

	if (n >= len)
		n = len - 1;
	memcpy(buf, v ? v : "", n);
	buf[n] = '\0';
	return buf;
}

uint64_t pgc_kv_u64(const char *text, const char *key)
{
	const char *v = pgc_kv_line(text, key, NULL);

	return v ? strtoull(v, NULL, 10) : 0;
}

/* The value of field @field of record @name in table @key, or NULL. */
static const char *pgc_kv_field(const char *text, const char *key,
				const char *name, const char *field)
{
	const char *v = pgc_kv_line(text, key, name);
	size_t fl = strlen(field);
	const char *end;

	if (!v)
		return NULL;
	end = v + strcspn(v, "\n");
	for (v = strchr(v, ' '); v && v < end; v = strchr(v + 1, ' ')) {
		if (!strncmp(v + 1, field, fl) && v[1 + fl] == ' ')
			return v + 2 + fl;
	}
	return NULL;
}

const char *pgc_kv_next(const char *l, const char *text, const char *key,
			char *name, size_t len)
{
	size_t n = strlen(key), w;

	for (; (l = strstr(l, key)); l++) {
		if ((l != text && l[-1] != '\n') || l[n] != ' ')
			continue;
		/* Whole or not at all (bug: two reasons cut to one name). */
		w = strcspn(l + n + 1, " \n");
		if (!w || w >= len)
			continue;
		memcpy(name, l + n + 1, w);
		name[w] = '\0';
		return l + 1;
	}
	return NULL;
}

/* Field @field of record @name in table @key; 0 if absent. */
uint64_t pgc_kv_rec(const char *text, const char *key, const char *name,
		    const char *field)
{
	const char *v = pgc_kv_field(text, key, name, field);

	return v ? strtoull(v, NULL, 10) : 0;
}

/* The same as a word, copied into @buf; "" if absent. */
const char *pgc_kv_rec_str(const char *text, const char *key, const char *name,
			   const char *field, char *buf, size_t len)
{
	const char *v = pgc_kv_field(text, key, name, field);
	size_t n = v ? strcspn(v, " \n") : 0;

	snprintf(buf, len, "%.*s", (int)n, v ? v : "");
	return buf;
}

/*
 * Log2 buckets as debugfs prints them, "@table <low edge> @field N", as
 * a JSON histogram [{"min", "max", "count"}]: @n buckets [2^b, 2^(b+1))
 * (after one [0, 0] bucket with @zero), the last open: max null.
 */
void pgc_kv_hist_json(struct pgc_json *j, const char *key, const char *text,
		      const char *table, const char *field, unsigned int n,
		      bool zero)
{
	unsigned int b;
	uint64_t min;
	char name[24];

	pgc_json_array(j, key);
	for (b = 0; b < n; b++) {
		min = zero ? (b ? 1ULL << (b - 1) : 0) : 1ULL << b;
		snprintf(name, sizeof(name), "%" PRIu64, min);
		pgc_json_object(j, NULL);
		pgc_json_u64(j, "min", min);
		if (b == n - 1)
			pgc_json_null(j, "max");
		else
			pgc_json_u64(j, "max", min ? 2 * min - 1 : 0);
		pgc_json_u64(j, "count", pgc_kv_rec(text, table, name, field));
		pgc_json_end(j);
	}
	pgc_json_end(j);
}

/*
 * pgc_request() for a verb about process @pid: on failure, one error line
 * and the exit status.  @req is the request text (the pid, with options).
 */
int pgc_request_pid(const char *verb, const char *file, pid_t pid,
		    const char *req, char **out)
{
	return pgc_request_status(verb, file, pid, pgc_request(file, req, out));
}

/* The error line and exit status of @err, from a request about @pid. */
int pgc_request_status(const char *verb, const char *file, pid_t pid, int err)
{
	switch (err) {
	case 0:
		return PGC_EXIT_OK;
	case -ESRCH:
		pgc_error("%s: no such process %d", verb, pid);
		return PGC_EXIT_NO_PROCESS;
	case -EOPNOTSUPP:
		pgc_error("%s: %d is a kernel thread: it has no address space of its own",
			  verb, pid);
		return PGC_EXIT_USAGE;
	case -EACCES:
	case -EPERM:
		pgc_error("%s: permission denied (root only)", verb);
		return PGC_EXIT_PERM;
	default:
		pgc_error("%s: %s: %s", verb, file, strerror(-err));
		return PGC_EXIT_FAIL;
	}
}

/* Up to @max words of the line at @l, into @w (pointers into it). */
static int pgc_kv_words(const char *l, const char **w, int max)
{
	int n = 0;

	while (n < max) {
		l += strspn(l, " ");
		if (!*l || *l == '\n')
			break;
		w[n++] = l;
		l += strcspn(l, " \n");
	}
	return n;
}

#define PGC_KV_WORDS 32

/*
 * What a table of counters gained from @then to @now: @now with each
 * value less the value at the same place of the same line of @then (the
 * line of its key, and of its name for a record); a line new in @now is
 * kept whole.  For files whose every value is a counter (debugfs "tlb").
 * malloc'd; NULL if out of memory.
 */
char *pgc_kv_delta(const char *now, const char *then)
{
	const char *w[PGC_KV_WORDS], *v[PGC_KV_WORDS], *l, *m;
	char key[64], name[64], *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int n, nv, i;

	if (!f)
		return NULL;
	for (l = now; *l; l += strcspn(l, "\n"), l += !!*l) {
		n = pgc_kv_words(l, w, PGC_KV_WORDS);
		if (n < 2) {
			fprintf(f, "%.*s\n", (int)strcspn(l, "\n"), l);
			continue;
		}
		snprintf(key, sizeof(key), "%.*s", (int)strcspn(w[0], " \n"), w[0]);
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(w[1], " \n"), w[1]);
		/* "key value", or a record "key name k1 v1 k2 v2 ...". */
		m = pgc_kv_line(then, key, n == 2 ? NULL : name);
		nv = m ? pgc_kv_words(m - strlen(key) - 1, v, PGC_KV_WORDS) : 0;
		for (i = 0; i < n; i++) {
			int wl = strcspn(w[i], " \n");

			if (i % 2 && (n == 2 || i > 1) && i < nv)
				fprintf(f, "%s%" PRIu64, i ? " " : "",
					pgc_since(strtoull(w[i], NULL, 10),
						  strtoull(v[i], NULL, 10)));
			else
				fprintf(f, "%s%.*s", i ? " " : "", wl, w[i]);
		}
		fputc('\n', f);
	}
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}
