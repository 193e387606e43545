// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the CLI helpers; no kernel needed.  Prints TAP. */
#include <stdlib.h>
#include <string.h>

#include "pageclock.h"

static int n_pass, n_fail;

static void check(int ok, const char *what)
{
	if (ok)
		n_pass++;
	else
		n_fail++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", n_pass + n_fail, what);
}

static void json_is(const char *in, const char *want)
{
	char buf[256];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	pgc_json_str(f, in);
	fclose(f);
	check(!strcmp(buf, want), want);
}

static void feature_is(const char *line, int ok, const char *name,
		       const char *state, const char *detail)
{
	struct pgc_feature f;
	char buf[256];
	int got;

	snprintf(buf, sizeof(buf), "%s", line);
	got = pgc_parse_feature(buf, &f);
	check(got == ok && (!ok || (!strcmp(f.name, name) &&
				    !strcmp(f.state, state) &&
				    !strcmp(f.detail, detail))), line);
}

int main(void)
{
	char buf[64];

	json_is("plain", "\"plain\"");
	json_is("q\"b\\", "\"q\\\"b\\\\\"");
	json_is("a\nb\tc", "\"a\\nb\\tc\"");
	json_is("\x01", "\"\\u0001\"");

	feature_is("ibt   off   CPU does not enforce IBT\n", 1, "ibt", "off",
		   "CPU does not enforce IBT");
	feature_is("tp:tlb_flush available", 1, "tp:tlb_flush", "available", "");
	feature_is("  sym:x\tunavailable\tnot found  ", 1, "sym:x",
		   "unavailable", "not found");
	feature_is("lonely", 0, NULL, NULL, NULL);
	feature_is("", 0, NULL, NULL, NULL);

	snprintf(buf, sizeof(buf), "  x y \n");
	check(!strcmp(pgc_trim(buf), "x y"), "trim both ends");

	setenv("PAGECLOCK_ROOT", "/fake", 1);
	check(!strcmp(pgc_path(buf, sizeof(buf), PGC_SYSFS, "version"),
		      "/fake/sys/kernel/pageclock/version"), "path under root");

	printf("%d passed, %d failed\n", n_pass, n_fail);
	return n_fail ? 1 : 0;
}
