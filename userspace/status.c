// SPDX-License-Identifier: GPL-2.0
/* pageclock status: is the module loaded, which version, what it can do. */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>

#include "pageclock.h"

static void status_help(FILE *out)
{
	fputs("usage: pageclock status [--json]\n"
	      "Show whether pageclock.ko is loaded, its version, the running\n"
	      "kernel and, one line each, the capabilities the module found.\n"
	      "Exit status 3 when the module is not loaded.\n", out);
}

#define STATUS_MAX_FEATURES 64

static int status_run(int argc, char **argv)
{
	struct pgc_feature feat[STATUS_MAX_FEATURES];
	char path[512], version[64], features[8192];
	char *line, *save = NULL;
	const char *feat_err = NULL;
	struct pgc_opts o;
	struct utsname uts;
	bool loaded;
	int n, nfeat = 0, i;

	n = pgc_parse_opts(&pgc_verb_status, argc, argv, 0, &o);
	if (n >= 0)
		return n;
	if (optind < argc) {
		pgc_error("status: unexpected argument '%s'", argv[optind]);
		return PGC_EXIT_USAGE;
	}

	uname(&uts);
	n = pgc_read_file(pgc_path(path, sizeof(path), PGC_SYSFS, "version"),
			  version, sizeof(version));
	loaded = n > 0;
	if (loaded) {
		pgc_trim(version);
		n = pgc_read_file(pgc_path(path, sizeof(path), PGC_DEBUGFS,
					   "features"),
				  features, sizeof(features));
		if (n == -EACCES || n == -EPERM)
			feat_err = "permission denied (debugfs is root-only)";
		else if (n < 0)
			feat_err = "debugfs not mounted or locked down";
		for (line = n > 0 ? strtok_r(features, "\n", &save) : NULL;
		     line && nfeat < STATUS_MAX_FEATURES;
		     line = strtok_r(NULL, "\n", &save))
			if (pgc_parse_feature(line, &feat[nfeat]))
				nfeat++;
	}

	if (o.json) {
		struct pgc_json j;

		pgc_json_doc(&j, stdout);
		pgc_json_bool(&j, "loaded", loaded);
		pgc_json_str(&j, "kernel", uts.release);
		if (loaded)
			pgc_json_str(&j, "version", version);
		pgc_json_array(&j, "features");
		for (i = 0; i < nfeat; i++) {
			pgc_json_object(&j, NULL);
			pgc_json_str(&j, "name", feat[i].name);
			pgc_json_str(&j, "state", feat[i].state);
			pgc_json_str(&j, "detail", feat[i].detail);
			pgc_json_end(&j);
		}
		pgc_json_end(&j);
		if (feat_err)
			pgc_json_str(&j, "features_error", feat_err);
		pgc_json_end(&j);
	} else {
		printf("module:   %s\n", loaded ? "loaded" : "not loaded");
		printf("kernel:   %s\n", uts.release);
		if (loaded)
			printf("version:  %s\n", version);
		if (feat_err)
			printf("features: unreadable: %s\n", feat_err);
		else if (loaded)
			printf("features:\n");
		for (i = 0; i < nfeat; i++)
			printf("  %-26s %-11s %s\n", feat[i].name,
			       feat[i].state, feat[i].detail);
		if (!loaded)
			printf("load it with: insmod pageclock.ko (inside a VM or on a test box)\n");
	}
	/* Not loaded: the answer, which the document gives ("loaded"). */
	return loaded ? PGC_EXIT_OK : pgc_status_answer(PGC_EXIT_NOT_LOADED);
}

const struct pgc_verb pgc_verb_status = {
	.name = "status",
	.summary = "is the module loaded; version, kernel, capabilities",
	.run = status_run,
	.help = status_help,
};
