// SPDX-License-Identifier: GPL-2.0
/*
 * pageclock stat -- CMD: run CMD, then report the page faults of CMD and
 * every process it started (found through the module's parent links), and
 * the copy-on-write efficiency of every fork they made, like perf stat.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "breakdown.h"
#include "pageclock.h"

static void stat_help(FILE *out)
{
	fputs("usage: pageclock stat [--json] [--output FILE] -- CMD [ARGS...]\n"
	      "Run CMD and report, for it and all its descendants, page faults\n"
	      "by class with latency percentiles, and the copy-on-write cost of\n"
	      "each fork they made.  The report goes to standard error (so it\n"
	      "does not mix with CMD's output), or to FILE ('-': standard\n"
	      "output).  Exits with CMD's status.\n", out);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int stat_run(int argc, char **argv)
{
	uint64_t start, elapsed, last_seq = 0, s_sum = 0, c_sum = 0;
	uint64_t tlb_local = 0, tlb_sent = 0, tlb_targets = 0;
	struct pgc_proc_row *root;
	struct pgc_breakdown b;
	struct pgc_faults f;
	struct pgc_forks forks;
	struct pgc_procs p;
	struct pgc_opts o;
	unsigned int seen = 0;
	int st, i, nproc, shown = 0, code;
	FILE *out = stderr;
	bool *in = NULL;
	pid_t pid;

	st = pgc_parse_opts(&pgc_verb_stat, argc, argv, PGC_OPT_OUTPUT, &o);
	if (st >= 0)
		return st;
	if (optind >= argc) {
		pgc_error("stat: no command given (pageclock stat -- CMD [ARGS...])");
		return PGC_EXIT_USAGE;
	}
	/* "-o -- CMD" would write the report to a file named "--". */
	if (o.output && o.output[0] == '-' && o.output[1]) {
		pgc_error("stat: --output takes a file name ('-': standard output), not '%s'",
			  o.output);
		return PGC_EXIT_USAGE;
	}
	st = pgc_module_check();
	if (!st)
		st = pgc_read_forks(&forks);
	if (st)
		return st;
	pgc_detail_hold("stat");
	for (i = 0; i < forks.n; i++)
		if (forks.rows[i].seq > last_seq)
			last_seq = forks.rows[i].seq;
	pgc_forks_free(&forks);

	/* "-": standard output; a FILE is closed on exec: CMD cannot write it. */
	if (o.output && !strcmp(o.output, "-")) {
		out = stdout;
	} else if (o.output) {
		out = fopen(o.output, "we");
		if (!out) {
			pgc_error("stat: cannot write %s: %s", o.output,
				  strerror(errno));
			return PGC_EXIT_FAIL;
		}
	}
	fflush(stdout);
	start = now_ns();
	pid = fork();
	if (pid < 0) {
		pgc_error("stat: fork: %s", strerror(errno));
		return PGC_EXIT_FAIL;
	}
	if (pid == 0) {
		execvp(argv[optind], argv + optind);
		pgc_error("stat: cannot run '%s': %s", argv[optind], strerror(errno));
		_exit(127);
	}
	/* Like time(1): the command, not us, reacts to ^C. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	code = pgc_wait_child(pid);
	elapsed = now_ns() - start;
	if (code < 0)
		code = PGC_EXIT_FAIL;

	memset(&p, 0, sizeof(p));
	memset(&forks, 0, sizeof(forks));
	st = pgc_read_faults(&f);
	if (!st)
		st = pgc_read_procs(&p);
	if (!st)
		st = pgc_read_forks(&forks);
	if (st)
		goto out;
	root = pgc_proc_find(&p, pid);
	in = calloc(p.n ? p.n : 1, sizeof(*in));
	if (!root || !in) {
		pgc_error("stat: the module has no record of pid %d (process table full?)",
			  pid);
		st = PGC_EXIT_FAIL;
		goto out;
	}
	nproc = pgc_proc_family(&p, root, in);
	pgc_breakdown_init(&b, &p.cls);
	for (i = 0; i < p.n; i++) {
		if (!in[i])
			continue;
		pgc_breakdown_add(&b, &p.rows[i]);
		tlb_local += p.rows[i].tlb_local;
		tlb_sent += p.rows[i].tlb_sent;
		tlb_targets += p.rows[i].tlb_targets;
	}

	if (o.json) {
		fprintf(out, "{\"command\":[");
		for (i = optind; i < argc; i++) {
			if (i > optind)
				fputc(',', out);
			pgc_json_quote(out, argv[i]);
		}
		fprintf(out, "],\"exit_status\":%d,\"elapsed_ns\":%" PRIu64
		       ",\"processes\":%d,", code, elapsed, nproc);
		pgc_breakdown_json(&b, out);
		fprintf(out, ",\"tlb\":{\"local\":%" PRIu64 ",\"sent\":%" PRIu64
			",\"targets\":%" PRIu64 "},\"cow\":[", tlb_local, tlb_sent,
			tlb_targets);
	} else {
		char e[16];

		fprintf(out, "\n pageclock stat for '%s': %d process%s, %s, exit status %d\n\n",
			argv[optind], nproc, nproc == 1 ? "" : "es",
			pgc_fmt_ns(e, sizeof(e), elapsed), code);
		pgc_breakdown_text(&b, out);
		fprintf(out, "\n TLB: %" PRIu64 " local flushes, %" PRIu64
			" shootdowns sent to %" PRIu64 " CPUs in all\n",
			tlb_local, tlb_sent, tlb_targets);
		fprintf(out, "\n copy-on-write after fork:\n");
		pgc_fork_header(out);
	}
	for (i = 0; i < forks.n; i++) {
		struct pgc_fork_row *r = &forks.rows[i];
		struct pgc_proc_row *parent;

		if (r->seq <= last_seq)
			continue;
		parent = pgc_proc_find(&p, r->parent);
		if (!parent || !in[parent - p.rows])
			continue;
		seen |= pgc_fork_print(out, r, o.json, shown++ ? "," : "");
		s_sum += r->shared;
		c_sum += r->c_parent + r->c_child;
	}
	if (o.json) {
		fprintf(out, "],\"cow_total\":{\"forks\":%d,\"shared_at_fork\":%" PRIu64
		       ",\"cow_copies\":%" PRIu64 ",\"ratio\":%.4f},\"missed\":%" PRIu64
		       ",\"procs_dropped\":%" PRIu64 "}\n", shown, s_sum, c_sum,
		       s_sum ? (double)c_sum / s_sum : 0, f.missed, f.procs_dropped);
	} else {
		pgc_fork_legend(out, seen);
		if (!shown)
			fprintf(out, "  (no fork)\n");
		else
			fprintf(out, "  total: %d fork%s, S=%" PRIu64 ", c=%" PRIu64 ", c/S=%.3f: %s\n",
			       shown, shown == 1 ? "" : "s", s_sum, c_sum,
			       s_sum ? (double)c_sum / s_sum : 0,
			       pgc_cow_verdicts[pgc_cow_verdict(s_sum, c_sum, "open")].text);
		if (f.missed || f.procs_dropped)
			fprintf(out, " warning: %" PRIu64 " probe hits missed, %" PRIu64
			       " processes not tracked: counts are low\n",
			       f.missed, f.procs_dropped);
	}
	st = code;
	pgc_last_error[0] = '\0';	/* CMD's status is no error of ours */
out:
	/* A report cut short (a full disk) is not a report. */
	if ((out == stderr ? 0 : out == stdout ? fflush(out) || ferror(out) :
	     fclose(out))) {
		pgc_error("stat: writing the report: %s", strerror(errno));
		if (!st)
			st = PGC_EXIT_FAIL;
	}
	free(in);
	pgc_procs_free(&p);
	pgc_forks_free(&forks);
	return st;
}

const struct pgc_verb pgc_verb_stat = {
	.name = "stat",
	.summary = "run a command; its faults and fork COW costs",
	.run = stat_run,
	.help = stat_help,
};
