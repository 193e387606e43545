// SPDX-License-Identifier: GPL-2.0
/* Helpers every verb shares: errors, paths, file reads, JSON strings. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kdata.h"
#include "pageclock.h"

/* One line on stderr, prefixed, so scripts can grep it. */
void pgc_error(const char *fmt, ...)
{
	va_list ap;

	fputs("pageclock: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int pgc_parse_opts(const struct pgc_verb *v, int argc, char **argv,
		   bool with_pid, bool with_output, struct pgc_opts *o)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "pid", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ }
	};
	int c, st;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+jhp:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'h':
			v->help(stdout);
			return PGC_EXIT_OK;
		case 'p':
			if (!with_pid)
				return pgc_bad_option(v->name, argv);
			st = pgc_parse_pid(v->name, optarg, &o->pid,
					   &o->pid_alive);
			if (st)
				return st;
			o->has_pid = true;
			break;
		case 'o':
			if (!with_output)
				return pgc_bad_option(v->name, argv);
			o->output = optarg;
			break;
		default:
			return pgc_bad_option(v->name, argv);
		}
	}
	return -1;
}

/* After getopt_long() (with opterr = 0) returned '?'. */
int pgc_bad_option(const char *verb, char **argv)
{
	if (optopt && optopt != '?')
		pgc_error("%s: unknown or incomplete option '-%c' (see 'pageclock %s --help')",
			  verb, optopt, verb);
	else
		pgc_error("%s: unknown or incomplete option '%s' (see 'pageclock %s --help')",
			  verb, argv[optind - 1], verb);
	return PGC_EXIT_USAGE;
}

/*
 * PAGECLOCK_ROOT prefixes every kernel path, so the CLI's tests can point
 * it at a fake tree instead of a kernel with the module loaded.
 */
const char *pgc_path(char *buf, size_t len, const char *dir, const char *file)
{
	const char *root = getenv("PAGECLOCK_ROOT");

	snprintf(buf, len, "%s%s/%s", root ? root : "", dir, file);
	return buf;
}

/* Read a whole (small) file; returns bytes read or -errno. */
int pgc_read_file(const char *path, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (got + 1 < len) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		got += n;
	}
	buf[got] = '\0';
	close(fd);
	return got;
}

void pgc_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

char *pgc_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* "<name> <state> <detail...>", as debugfs "features" prints it. */
bool pgc_parse_feature(char *line, struct pgc_feature *f)
{
	char *p = pgc_trim(line);

	f->name = p;
	p += strcspn(p, " \t");
	if (!*p)
		return false;
	*p++ = '\0';
	p += strspn(p, " \t");
	f->state = p;
	p += strcspn(p, " \t");
	if (p == f->state)
		return false;
	if (*p)
		*p++ = '\0';
	f->detail = pgc_trim(p);
	return true;
}
