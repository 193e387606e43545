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
	      "output).  Exits with CMD's status, or 1 if the report could\n"
	      "not be written.\n", out);
}

/* What stat found: CMD's family, its faults, TLB flushes and forks. */
struct stat_sum {
	char **cmd;
	int code, nproc;
	uint64_t elapsed, last_seq;
	uint64_t tlb_local, tlb_sent, tlb_targets;
	int nforks;
	uint64_t shared, copies;	/* over its forks */
	/* "partial" if the fault hook missed part of any fork: c undercounts */
	const char *forks_state;
	struct pgc_breakdown b;
	struct pgc_faults f;
	struct pgc_forks forks;
	struct pgc_procs p;
	bool *in;		/* a row of p in the family */
};

/* A fork made since CMD started, by a process of its family. */
static bool stat_fork_ours(const struct stat_sum *s,
			   const struct pgc_fork_row *r)
{
	struct pgc_proc_row *parent;

	if (r->seq <= s->last_seq)
		return false;
	parent = pgc_proc_find((struct pgc_procs *)&s->p, r->parent);
	return parent && s->in[parent - s->p.rows];
}

static void stat_json(FILE *out, const struct stat_sum *s)
{
	struct pgc_json j;
	int i;

	pgc_json_doc(&j, out);
	pgc_json_array(&j, "command");
	for (i = 0; s->cmd[i]; i++)
		pgc_json_str(&j, NULL, s->cmd[i]);
	pgc_json_end(&j);
	pgc_json_s64(&j, "exit_status", s->code);
	pgc_json_u64(&j, "elapsed_ns", s->elapsed);
	pgc_json_s64(&j, "process_count", s->nproc);
	pgc_breakdown_json(&s->b, &j, true);
	pgc_json_object(&j, "tlb");
	pgc_json_u64(&j, "local", s->tlb_local);
	pgc_json_u64(&j, "sent", s->tlb_sent);
	pgc_json_u64(&j, "targets", s->tlb_targets);
	pgc_json_end(&j);
	pgc_json_array(&j, "forks");
	for (i = 0; i < s->forks.n; i++)
		if (stat_fork_ours(s, &s->forks.rows[i]))
			pgc_fork_json(&j, &s->forks.rows[i]);
	pgc_json_end(&j);
	pgc_json_object(&j, "fork_totals");
	pgc_json_s64(&j, "fork_count", s->nforks);
	pgc_json_u64(&j, "shared_pages", s->shared);
	pgc_json_u64(&j, "cow_copies", s->copies);
	pgc_cow_json(&j, s->shared, s->copies, s->forks_state);
	pgc_json_end(&j);
	pgc_json_u64(&j, "missed", s->f.missed);
	pgc_json_u64(&j, "procs_dropped", s->f.procs_dropped);
	pgc_json_end(&j);
}

static void stat_text(FILE *out, const struct stat_sum *s)
{
	unsigned int seen = 0;
	int i, n = s->nforks;
	char e[16];

	fprintf(out, "\n pageclock stat for '%s': %d process%s, %s, exit status %d\n\n",
		s->cmd[0], s->nproc, s->nproc == 1 ? "" : "es",
		pgc_fmt_ns(e, sizeof(e), s->elapsed), s->code);
	pgc_breakdown_text(&s->b, out);
	fprintf(out, "\n TLB: %" PRIu64 " local flushes, %" PRIu64
		" shootdowns sent to %" PRIu64 " CPUs in all\n",
		s->tlb_local, s->tlb_sent, s->tlb_targets);
	fprintf(out, "\n copy-on-write after fork:\n");
	pgc_fork_header(out);
	for (i = 0; i < s->forks.n; i++)
		if (stat_fork_ours(s, &s->forks.rows[i]))
			seen |= pgc_fork_print(out, &s->forks.rows[i]);
	pgc_fork_legend(out, seen);
	if (!n)
		fprintf(out, "  (no fork)\n");
	else
		fprintf(out, "  total: %d fork%s, S=%" PRIu64 ", c=%" PRIu64 ", c/S=%.3f: %s\n",
			n, n == 1 ? "" : "s", s->shared, s->copies,
			s->shared ? (double)s->copies / s->shared : 0,
			pgc_cow_verdicts[pgc_cow_verdict(s->shared, s->copies,
							 s->forks_state)].text);
	if (s->f.missed || s->f.procs_dropped)
		fprintf(out, " warning: %" PRIu64 " probe hits missed, %" PRIu64
			" processes not tracked: counts are low\n",
			s->f.missed, s->f.procs_dropped);
}

/* CMD's family in @s (its rows marked in s->in) summed up. */
static void stat_sum_up(struct stat_sum *s, const struct pgc_proc_row *root)
{
	int i;

	s->forks_state = "open";
	s->nproc = pgc_proc_family(&s->p, root, s->in);
	pgc_breakdown_init(&s->b, &s->p.cls);
	for (i = 0; i < s->p.n; i++) {
		if (!s->in[i])
			continue;
		pgc_breakdown_add(&s->b, &s->p.rows[i]);
		s->tlb_local += s->p.rows[i].tlb_local;
		s->tlb_sent += s->p.rows[i].tlb_sent;
		s->tlb_targets += s->p.rows[i].tlb_targets;
	}
	for (i = 0; i < s->forks.n; i++) {
		const struct pgc_fork_row *r = &s->forks.rows[i];

		if (!stat_fork_ours(s, r))
			continue;
		s->shared += r->shared;
		s->copies += r->c_parent + r->c_child;
		s->nforks++;
		if (!strcmp(r->state, "partial"))
			s->forks_state = "partial";
	}
}

static int stat_run(int argc, char **argv)
{
	static struct stat_sum s;
	struct pgc_proc_row *root;
	struct pgc_opts o;
	uint64_t start;
	int st, i;
	FILE *out = stderr;
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
		st = pgc_read_forks(&s.forks);
	if (st)
		return st;
	pgc_detail_hold("stat");
	for (i = 0; i < s.forks.n; i++)
		if (s.forks.rows[i].seq > s.last_seq)
			s.last_seq = s.forks.rows[i].seq;
	pgc_forks_free(&s.forks);
	s.cmd = argv + optind;

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
	start = pgc_clock_ns(CLOCK_MONOTONIC);
	pid = fork();
	if (pid < 0) {
		pgc_error("stat: fork: %s", strerror(errno));
		return PGC_EXIT_FAIL;
	}
	if (pid == 0) {
		execvp(s.cmd[0], s.cmd);
		pgc_error("stat: cannot run '%s': %s", s.cmd[0], strerror(errno));
		_exit(127);
	}
	/* Like time(1): the command, not us, reacts to ^C. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	s.code = pgc_wait_child(pid);
	s.elapsed = pgc_clock_ns(CLOCK_MONOTONIC) - start;
	if (s.code < 0)
		s.code = PGC_EXIT_FAIL;

	st = pgc_read_faults(&s.f);
	if (!st)
		st = pgc_read_procs(&s.p);
	if (!st)
		st = pgc_read_forks(&s.forks);
	if (st)
		goto out;
	root = pgc_proc_find(&s.p, pid);
	s.in = calloc(s.p.n ? s.p.n : 1, sizeof(*s.in));
	if (!root || !s.in) {
		pgc_error("stat: the module has no record of pid %d (process table full?)",
			  pid);
		st = PGC_EXIT_FAIL;
		goto out;
	}
	stat_sum_up(&s, root);
	if (o.json)
		stat_json(out, &s);
	else
		stat_text(out, &s);
out:
	/*
	 * A report cut short (a full disk) is not a report: our failure,
	 * status 1, whatever CMD's status was (bug: CMD's, with our message).
	 */
	if ((out == stderr ? 0 : out == stdout ? fflush(out) || ferror(out) :
	     fclose(out))) {
		pgc_error("stat: writing the report: %s", strerror(errno));
		st = PGC_EXIT_FAIL;
	}
	free(s.in);
	pgc_procs_free(&s.p);
	pgc_forks_free(&s.forks);
	/* CMD's status is no error of ours. */
	return st ? st : pgc_status_answer(s.code);
}

const struct pgc_verb pgc_verb_stat = {
	.name = "stat",
	.summary = "run a command; its faults and fork COW costs",
	.run = stat_run,
	.help = stat_help,
	.runs_cmd = true,
};
