// SPDX-License-Identifier: GPL-2.0
/* pageclock: the command-line front end of pageclock.ko. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "pageclock.h"

static const struct pgc_verb *const verbs[] = {
	&pgc_verb_status,
	&pgc_verb_faults,
	&pgc_verb_cow,
	&pgc_verb_stat,
	&pgc_verb_pt,
	&pgc_verb_tlb,
	&pgc_verb_ad,
	&pgc_verb_target,
	&pgc_verb_clock,
	&pgc_verb_pff,
	&pgc_verb_top,
	&pgc_verb_record,
	&pgc_verb_report,
	&pgc_verb_audit,
	&pgc_verb_export,
};

static void usage(FILE *out)
{
	size_t i;

	fputs("usage: pageclock [-h|--help] [-V|--version] VERB [ARGS...]\n"
	      "       pageclock help VERB\n\n"
	      "Verbs:\n", out);
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  %-10s %s\n", verbs[i]->name, verbs[i]->summary);
	fputs("\n'pageclock VERB --help' describes one verb. Exit status: 0 ok,\n"
	      "1 failure, 2 bad argument, 3 module not loaded, 4 no such process,\n"
	      "5 permission denied.\n", out);
}

static int run(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return PGC_EXIT_USAGE;
	}
	/* "help VERB" is "VERB --help", as git and perf have it. */
	if (!strcmp(argv[1], "help") && argc > 2) {
		for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
			if (!strcmp(argv[2], verbs[i]->name)) {
				verbs[i]->help(stdout);
				return PGC_EXIT_OK;
			}
		pgc_error("help: unknown verb '%s' (see 'pageclock --help')",
			  argv[2]);
		return PGC_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return PGC_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("pageclock %s\n", PGC_CLI_VERSION);
		return PGC_EXIT_OK;
	}
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[1], verbs[i]->name)) {
			pgc_json_prescan(verbs[i], argc - 1, argv + 1);
			return pgc_json_failure(stdout, argv[1],
						verbs[i]->run(argc - 1, argv + 1));
		}
	pgc_json_prescan(NULL, argc - 1, argv + 1);
	pgc_error("unknown verb '%s' (see 'pageclock --help')", argv[1]);
	return pgc_json_failure(stdout, argv[1], PGC_EXIT_USAGE);
}

int main(int argc, char **argv)
{
	int fd, st, err;

	/*
	 * What a parent may leave behind: SIGCHLD ignored (our children could
	 * not be waited for) or a standard descriptor closed (the next file
	 * opened would take its number and be written as output).
	 */
	signal(SIGCHLD, SIG_DFL);
	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= STDERR_FILENO)
		;
	if (fd > STDERR_FILENO)
		close(fd);
	st = run(argc, argv);
	/*
	 * Output that never arrived (a full disk, /dev/full) is a failure of
	 * ours, whatever the verb or CMD said (bug: status 0).
	 */
	err = fflush(stdout) ? errno : 0;
	if (err || ferror(stdout)) {
		pgc_error("cannot write standard output: %s",
			  strerror(err ? err : EIO));
		if (!st || pgc_status_answered())
			st = PGC_EXIT_FAIL;
	}
	return st;
}
