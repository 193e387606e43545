/* SPDX-License-Identifier: GPL-2.0 */
/* The pageclock CLI: shared helpers and conventions of every verb. */
#ifndef PAGECLOCK_CLI_H
#define PAGECLOCK_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit statuses, the same for every verb (documented in pageclock(8)). */
enum {
	PGC_EXIT_OK = 0,
	PGC_EXIT_FAIL = 1,		/* anything else went wrong */
	PGC_EXIT_USAGE = 2,		/* bad argument */
	PGC_EXIT_NOT_LOADED = 3,	/* module not loaded */
	PGC_EXIT_NO_PROCESS = 4,	/* no such process */
	PGC_EXIT_PERM = 5,		/* permission denied */
};

#define PGC_SYSFS	"/sys/kernel/pageclock"
#define PGC_DEBUGFS	"/sys/kernel/debug/pageclock"

struct pgc_verb {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
	void (*help)(FILE *out);
};

/* util.c */
void pgc_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *pgc_path(char *buf, size_t len, const char *dir, const char *file);
int pgc_read_file(const char *path, char *buf, size_t len);
void pgc_json_str(FILE *out, const char *s);
char *pgc_trim(char *s);
int pgc_bad_option(const char *verb, char **argv);

struct pgc_feature {
	char *name;
	char *state;
	char *detail;
};
bool pgc_parse_feature(char *line, struct pgc_feature *f);

/* One file per verb. */
extern const struct pgc_verb pgc_verb_status;

#endif /* PAGECLOCK_CLI_H */
