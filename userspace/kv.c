// SPDX-License-Identifier: GPL-2.0
/*
 * The module's requests (debugfs "pt", sysfs "ad/sweep" then debugfs
 * "ad"): write a request, read "key value" lines back.  A line is a scalar "key value", or one record
 * "key name k1 v1 k2 v2 ..." of a table called key.
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

static bool pgc_is_number(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

static void pgc_json_word(FILE *out, const char *w, size_t n)
{
	char tmp[256];

	if (pgc_is_number(w, n)) {
		fwrite(w, 1, n, out);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%.*s", (int)n, w);
	pgc_json_quote(out, tmp);
}

/* A process name as the module prints it (escaped), as a JSON string. */
static void pgc_json_name(FILE *out, const char *w, size_t n)
{
	char tmp[256];

	snprintf(tmp, sizeof(tmp), "%.*s", (int)n, w);
	pgc_json_quote(out, pgc_name_unescape(tmp));
}

static bool pgc_is_table(const char *const *tables, const char *k, size_t kl)
{
	for (; *tables; tables++)
		if (strlen(*tables) == kl && !strncmp(*tables, k, kl))
			return true;
	return false;
}

/*
 * All of @text as the members of one JSON object (no braces): scalars as
 * "key":value (the rest of the line), lines of the NULL-terminated
 * @tables grouped as "key":{"name":{"k1":v1,...},...}.
 */
void pgc_kv_json(FILE *out, const char *text, const char *const *tables)
{
	const char *l, *prev_key = NULL;
	size_t prev_kl = 0;
	bool first = true;

	for (l = text; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] != 0)) {
		size_t n = strcspn(l, "\n"), kl = strcspn(l, " \n");
		const char *w = l + kl, *end = l + n;
		int words;

		if (*l == '#' || !n)
			continue;
		w += strspn(w, " ");
		if (!pgc_is_table(tables, l, kl)) {
			if (prev_key)
				fputc('}', out);
			prev_key = NULL;
			fprintf(out, "%s\"%.*s\":", first ? "" : ",", (int)kl, l);
			if (kl == 4 && !strncmp(l, "comm", 4))
				pgc_json_name(out, w, end - w);
			else
				pgc_json_word(out, w, end - w);
			first = false;
			continue;
		}
		if (!prev_key || prev_kl != kl || strncmp(prev_key, l, kl)) {
			if (prev_key)
				fputc('}', out);
			fprintf(out, "%s\"%.*s\":{", first ? "" : ",", (int)kl, l);
			prev_key = l;
			prev_kl = kl;
		} else {
			fputc(',', out);
		}
		first = false;
		/* The record's name, then its pairs. */
		fprintf(out, "\"%.*s\":{", (int)strcspn(w, " \n"), w);
		w += strcspn(w, " \n");
		for (words = 0; w < end; words++) {
			size_t wl;

			w += strspn(w, " ");
			wl = strcspn(w, " \n");
			if (words % 2 == 0)
				fprintf(out, "%s\"%.*s\":", words ? "," : "",
					(int)wl, w);
			else
				pgc_json_word(out, w, wl);
			w += wl;
		}
		fputc('}', out);
	}
	if (prev_key)
		fputc('}', out);
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
