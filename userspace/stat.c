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
	fputs("usage: pageclock stat [-I MS [--count N]] [--json] [--output FILE]\n"
	      "                      -- CMD [ARGS...]\n"
	      "Run CMD and report, for it and all its descendants, page faults\n"
	      "by class with latency percentiles, and the copy-on-write cost of\n"
	      "each fork they made.  The report goes to standard error (so it\n"
	      "does not mix with CMD's output), or to FILE ('-': standard\n"
	      "output).  Exits with CMD's status, or 1 if the report could\n"
	      "not be written.  -I/--interval MS: also, while CMD runs, what\n"
	      "each interval added to its family's faults and TLB flushes\n"
	      "(JSON: one object per line before the report), for at most\n"
	      "--count intervals.\n", out);
}

/* One read of the module's processes: CMD's family among them. */
struct stat_family {
	uint64_t time_ns;
	struct pgc_procs p;	/* indexed by id */
	bool *in;		/* a row of p in the family */
	bool found;		/* CMD's own row */
	int nproc;
};

/* What a family's rows counted, or added since an earlier read. */
struct stat_counts {
	struct pgc_breakdown b;
	uint64_t tlb_local, tlb_sent, tlb_targets;
	int nproc;
};

/* What stat found: CMD's family, its faults, TLB flushes and forks. */
struct stat_sum {
	char **cmd;
	int code;
	uint64_t start, elapsed, last_seq;
	uint64_t vma_unknown0, uffd0;	/* debugfs faults' before CMD */
	uint64_t switches0;		/* its hook_switches then */
	int nforks;
	uint64_t shared, copies;	/* over its forks */
	/* "partial" if the fault hook missed part of any fork: c undercounts */
	const char *forks_state;
	struct stat_family fam;
	struct stat_counts c;
	struct pgc_faults f;
	struct pgc_forks forks;
};

/*
 * Writes of measured processes counted "other" during the run, their VMA
 * unreadable (debugfs faults vma_unknown; the module's, for every process
 * measured then, so an upper bound for CMD's family).  A module loaded
 * again meanwhile counts from 0.
 */
static uint64_t stat_vma_unknown(const struct stat_sum *s)
{
	return pgc_since(s->f.vma_unknown, s->vma_unknown0);
}

/* The same for faults left unmeasured in userfaultfd ranges (uffd). */
static uint64_t stat_uffd(const struct stat_sum *s)
{
	return pgc_since(s->f.uffd, s->uffd0);
}

/* A fork made since CMD started, by a process of its family. */
static bool stat_fork_ours(const struct stat_sum *s,
			   const struct pgc_fork_row *r)
{
	struct pgc_proc_row *parent;

	if (r->seq <= s->last_seq)
		return false;
	parent = pgc_proc_find((struct pgc_procs *)&s->fam.p, r->parent);
	return parent && s->fam.in[parent - s->fam.p.rows];
}

static void stat_family_free(struct stat_family *f)
{
	free(f->in);
	f->in = NULL;
	pgc_procs_free(&f->p);
}

/* Read the module's processes; CMD (@pid) and its family among them. */
static int stat_family_read(struct stat_family *f, pid_t pid)
{
	const struct pgc_proc_row *root;
	int st;

	memset(f, 0, sizeof(*f));
	f->time_ns = pgc_clock_ns(CLOCK_MONOTONIC);
	st = pgc_read_procs(&f->p);
	if (st)
		return st;
	f->in = calloc(f->p.n ? f->p.n : 1, sizeof(*f->in));
	if (!f->in || pgc_procs_index_id(&f->p)) {
		stat_family_free(f);
		pgc_error("stat: out of memory");
		return PGC_EXIT_FAIL;
	}
	root = pgc_proc_find(&f->p, pid);
	f->found = root;
	if (root)
		f->nproc = pgc_proc_family(&f->p, root, f->in);
	return PGC_EXIT_OK;
}

/*
 * The family's counts in @f, or with @then what each of its rows added
 * since @then's read of it (the same entry, by id; a row new since, all
 * it counted).
 */
static void stat_family_sum(const struct stat_family *f,
			    const struct stat_family *then,
			    struct stat_counts *c)
{
	const struct pgc_proc_row *a;
	struct pgc_proc_row r;
	int i;

	memset(c, 0, sizeof(*c));
	pgc_breakdown_init(&c->b, &f->p.cls);
	c->nproc = f->nproc;
	for (i = 0; i < f->p.n; i++) {
		if (!f->in[i])
			continue;
		r = f->p.rows[i];
		a = then ? pgc_proc_by_id(&then->p, r.id) : NULL;
		if (a)
			pgc_proc_since(&r, a);
		pgc_breakdown_add(&c->b, &r);
		c->tlb_local += r.tlb_local;
		c->tlb_sent += r.tlb_sent;
		c->tlb_targets += r.tlb_targets;
	}
}

/*
 * Which fault hook measured CMD: "mixed" if the module handed over
 * between the kretprobe and the tracepoints meanwhile (a CLOCK target
 * came or went under faults/hook=2), whose classes differ (abi.md).
 */
static const char *stat_hook(const struct stat_sum *s)
{
	if (s->f.hook_switches != s->switches0)
		return "mixed";
	return s->f.hook[0] ? s->f.hook : "unknown";
}

/* The members of the family's faults and TLB flushes, in an open object. */
static void stat_counts_json(struct pgc_json *j, const struct stat_counts *f)
{
	pgc_json_s64(j, "process_count", f->nproc);
	pgc_breakdown_json(&f->b, j, true);
	pgc_json_object(j, "tlb");
	pgc_json_u64(j, "local", f->tlb_local);
	pgc_json_u64(j, "sent", f->tlb_sent);
	pgc_json_u64(j, "targets", f->tlb_targets);
	pgc_json_end(j);
}

static void stat_counts_text(FILE *out, const struct stat_counts *f)
{
	pgc_breakdown_text(&f->b, out);
	fprintf(out, "\n TLB: %" PRIu64 " local flushes, %" PRIu64
		" shootdowns sent to %" PRIu64 " CPUs in all\n",
		f->tlb_local, f->tlb_sent, f->tlb_targets);
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
	stat_counts_json(&j, &s->c);
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
	pgc_json_str(&j, "fault_hook", stat_hook(s));
	pgc_json_u64(&j, "vma_unknown", stat_vma_unknown(s));
	pgc_json_u64(&j, "uffd", stat_uffd(s));
	pgc_json_end(&j);
}

static void stat_text(FILE *out, const struct stat_sum *s)
{
	const char *hook = stat_hook(s);
	unsigned int seen = 0;
	int i, n = s->nforks;
	char e[16];

	fprintf(out, "\n pageclock stat for '%s': %d process%s, %s, exit status %d\n\n",
		s->cmd[0], s->c.nproc, s->c.nproc == 1 ? "" : "es",
		pgc_fmt_ns(e, sizeof(e), s->elapsed), s->code);
	stat_counts_text(out, &s->c);
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
	if (!strcmp(hook, "mixed"))
		fprintf(out, " fault hook: the kretprobe and the tracepoints in turn (a CLOCK target\n"
			"   came or went): faults in flight at each handover were not counted\n");
	if (!strcmp(s->f.hook, "tp") || !strcmp(hook, "mixed"))
		fprintf(out, " fault hook: tracepoints (sysfs faults/hook, 0 for the exact kretprobe):\n"
			"   retried attempts, OOM, get_user_pages() faults and failed kernel\n"
			"   accesses to user memory are not classed\n");
	if (stat_vma_unknown(s))
		fprintf(out, " warning: %" PRIu64 " writes counted 'other' during the run: their VMA could not\n"
			"   be read while the mmap lock was busy (6.1's tracepoint hook; faults/hook=0 classes them)\n",
			stat_vma_unknown(s));
	if (stat_uffd(s))
		fprintf(out, " note: %" PRIu64 " faults in userfaultfd ranges during the run were not measured\n"
			"   (those that may wait for the handler; the module's, for every process measured)\n",
			stat_uffd(s));
}

/* The forks CMD's family made, summed up. */
static void stat_forks_sum(struct stat_sum *s)
{
	int i;

	s->forks_state = "open";
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

/* -I: the family's last read, where the report goes, and CMD. */
struct stat_interval {
	const struct pgc_opts *o;
	struct stat_sum *s;
	FILE *out;
	pid_t pid;
	bool ended;	/* CMD exited: its last interval is the report's read */
	struct stat_family a;
};

/* What the family added from si->a to @b's read. */
static void stat_interval_print(const struct stat_interval *si,
				const struct stat_family *b)
{
	uint64_t dt = b->time_ns - si->a.time_ns;
	uint64_t in = b->time_ns - si->s->start;
	struct stat_counts c;

	stat_family_sum(b, &si->a, &c);
	if (si->o->json) {
		struct pgc_json j;

		pgc_json_doc(&j, si->out);
		pgc_json_u64(&j, "interval_ns", dt);
		pgc_json_u64(&j, "elapsed_ns", in);
		stat_counts_json(&j, &c);
		pgc_json_end(&j);
	} else {
		fprintf(si->out, "\n pageclock stat for '%s': %.2f s in, the last %.2f s, %d process%s\n\n",
			si->s->cmd[0], in / 1e9, dt / 1e9, c.nproc,
			c.nproc == 1 ? "" : "es");
		stat_counts_text(si->out, &c);
	}
	fflush(si->out);
}

/* Has CMD exited?  Not reaped: its pid names no other process meanwhile. */
static bool stat_exited(pid_t pid)
{
	siginfo_t si = { 0 };

	return !waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) &&
	       si.si_pid == pid;
}

static int stat_tick(void *ctx)
{
	struct stat_interval *si = ctx;
	struct stat_family b;
	int st;

	/* Its last interval comes from the report's read, in stat_run(). */
	if (stat_exited(si->pid)) {
		si->ended = true;
		return PGC_INTERVAL_LAST;
	}
	st = stat_family_read(&b, si->pid);
	if (st)
		return st;
	stat_interval_print(si, &b);
	/* The next interval starts at this read. */
	stat_family_free(&si->a);
	si->a = b;
	return 0;
}

/* Wait for CMD to exit, leaving it unreaped; its status as a shell's. */
static int stat_wait_exit(pid_t pid)
{
	siginfo_t si = { 0 };

	while (waitid(P_PID, pid, &si, WEXITED | WNOWAIT) < 0) {
		if (errno != EINTR) {
			pgc_error("stat: waitid: %s", strerror(errno));
			return -1;
		}
	}
	return si.si_code == CLD_EXITED ? si.si_status : 128 + si.si_status;
}

static int stat_run(int argc, char **argv)
{
	static struct stat_sum s;
	static struct stat_interval si;
	struct pgc_opts o;
	sigset_t chld, mask;
	int st, i;
	FILE *out = stderr;
	pid_t pid;

	st = pgc_parse_opts(&pgc_verb_stat, argc, argv,
			    PGC_OPT_OUTPUT | PGC_OPT_INTERVAL, &o);
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
	pgc_detail_hold("stat", getpid());
	/* After the hold: its narrowing to us may hand the hook over. */
	st = pgc_read_faults(&s.f);
	if (st)
		return st;
	s.vma_unknown0 = s.f.vma_unknown;
	s.uffd0 = s.f.uffd;
	s.switches0 = s.f.hook_switches;
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
	/*
	 * -I: CMD's exit (SIGCHLD) ends an interval early.  Blocked from
	 * before the fork, so an exit that comes first is not missed; CMD
	 * gets the mask it would have had.
	 */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (o.has_interval)
		sigprocmask(SIG_BLOCK, &chld, &mask);
	fflush(stdout);
	s.start = pgc_clock_ns(CLOCK_MONOTONIC);
	pid = fork();
	if (pid < 0) {
		pgc_error("stat: fork: %s", strerror(errno));
		return PGC_EXIT_FAIL;
	}
	if (pid == 0) {
		if (o.has_interval)
			sigprocmask(SIG_SETMASK, &mask, NULL);
		execvp(s.cmd[0], s.cmd);
		pgc_error("stat: cannot run '%s': %s", s.cmd[0], strerror(errno));
		_exit(127);
	}
	/* Like time(1): the command, not us, reacts to ^C. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	/* The first interval counts CMD's rows whole: none before its start. */
	si.a.time_ns = s.start;
	if (o.has_interval) {
		si.o = &o;
		si.s = &s;
		si.out = out;
		si.pid = pid;
		st = pgc_intervals(&o, SIGCHLD, stat_tick, &si);
	}
	/* Read before CMD is reaped: its pid cannot name another process. */
	s.code = stat_wait_exit(pid);
	s.elapsed = pgc_clock_ns(CLOCK_MONOTONIC) - s.start;
	if (!st)
		st = pgc_read_faults(&s.f);
	if (!st)
		st = stat_family_read(&s.fam, pid);
	if (!st)
		st = pgc_read_forks(&s.forks);
	waitpid(pid, NULL, 0);
	if (s.code < 0)
		s.code = PGC_EXIT_FAIL;
	if (st)
		goto out;
	if (!s.fam.found) {
		pgc_error("stat: the module has no record of pid %d (process table full?)",
			  pid);
		st = PGC_EXIT_FAIL;
		goto out;
	}
	/* The intervals and the report: one read, so they add up. */
	if (si.ended)
		stat_interval_print(&si, &s.fam);
	stat_family_sum(&s.fam, NULL, &s.c);
	stat_forks_sum(&s);
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
	stat_family_free(&si.a);
	stat_family_free(&s.fam);
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
