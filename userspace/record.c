// SPDX-License-Identifier: GPL-2.0
/*
 * pageclock record: what the module reports about a process (or the
 * system) over time, one line of JSON per interval, into a file that
 * outlives the module's own short histories (report.c sums it up).  The
 * format, in Documentation/cli.md: a header object, one flat object of
 * numbers per interval, an end object.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kdata.h"
#include "pageclock.h"


static void record_help(FILE *out)
{
	fputs("usage: pageclock record -o FILE [-I MS] [--pid PID | -- CMD [ARGS...]]\n"
	      "Save what the module reports, every interval (default 1000 ms),\n"
	      "until CMD or PID ends or Ctrl-C: page faults by class, TLB\n"
	      "shootdowns and copy-on-write copies (of PID and its children,\n"
	      "or system-wide faults without one), RSS, and a target's CLOCK\n"
	      "and PFF state.  One JSON object per line (so no --json or\n"
	      "--pretty); 'pageclock report FILE' sums it up.  With CMD: exits\n"
	      "with its status.\n", out);
}

/* What an interval added (counters) and where it ended (levels). */
struct rec_read {
	uint64_t t_ns, minor, major, count[PGC_MAX_CLASSES];
	uint64_t tlb_sent, cow_copies, forks, evicted, refaults;
	uint64_t rss, budget, pff_rate, procs;
	bool target, pff;
};

/* A process of the family at the last read: its counters, by entry id. */
struct rec_row {
	uint64_t id, minor, major, tlb_sent, cow_copies, forks;
	uint64_t count[PGC_MAX_CLASSES];
};

/*
 * What record keeps between reads.  A process's counters are summed over
 * it and its descendants (the module's parent links, as stat does), each
 * entry compared with itself by id: an exited child's entry that the
 * module reuses drops out without taking its counts back.
 */
struct rec_state {
	pid_t pid;		/* 0: system-wide */
	uint64_t root_id;	/* its entry, once the module has one */
	struct pgc_classes cls;
	struct rec_row *rows;
	int n;
	uint64_t minor, major, count[PGC_MAX_CLASSES];	/* system-wide */
	uint64_t evicted, refaults;			/* the target's */
};

static int rec_system(struct rec_state *s, struct rec_read *r)
{
	struct pgc_faults f;
	int st = pgc_read_faults(&f), i;

	if (st)
		return st;
	s->cls = f.cls;
	r->minor = pgc_since(f.minor, s->minor);
	r->major = pgc_since(f.major, s->major);
	for (i = 0; i < f.cls.n; i++)
		r->count[i] = pgc_since(f.count[i], s->count[i]);
	s->minor = f.minor;
	s->major = f.major;
	memcpy(s->count, f.count, sizeof(s->count));
	return 0;
}

static int rec_row_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct rec_row *)a)->id;
	uint64_t y = ((const struct rec_row *)b)->id;

	return x < y ? -1 : x > y;
}

/* The family's counters: what each entry added since the last read. */
static int rec_family(struct rec_state *s, struct rec_read *r, bool *gone)
{
	const struct pgc_proc_row *root = NULL;
	struct rec_row *rows;
	struct pgc_procs p;
	bool *in;
	int st, i, j, n = 0;

	st = pgc_read_procs(&p);
	if (st)
		return st;
	s->cls = p.cls;
	for (i = 0; i < p.n && !root; i++)
		if (s->root_id ? p.rows[i].id == s->root_id :
		    p.rows[i].tgid == s->pid && !p.rows[i].exited)
			root = &p.rows[i];
	in = calloc(p.n ? p.n : 1, sizeof(*in));
	rows = calloc(p.n ? p.n : 1, sizeof(*rows));
	if (!in || !rows) {
		free(in);
		free(rows);
		pgc_procs_free(&p);
		pgc_error("record: out of memory");
		return PGC_EXIT_FAIL;
	}
	/*
	 * Gone: its entry exited or was dropped, or, before the module ever
	 * had one (no fault yet), the process itself.
	 */
	*gone = s->root_id ? !root || root->exited :
		!root && kill(s->pid, 0) && errno == ESRCH;
	if (root) {
		s->root_id = root->id;
		pgc_proc_family(&p, root, in);
	}
	for (i = 0; i < p.n; i++) {
		const struct pgc_proc_row *x = &p.rows[i];
		struct rec_row was = { 0 }, *now = &rows[n], *w;

		if (!in[i])
			continue;
		/* The last read's rows are sorted by id (below). */
		w = s->n ? bsearch(&(struct rec_row){ .id = x->id }, s->rows,
				   s->n, sizeof(*s->rows), rec_row_cmp) : NULL;
		if (w)
			was = *w;
		r->minor += pgc_since(x->minor, was.minor);
		r->major += pgc_since(x->major, was.major);
		r->tlb_sent += pgc_since(x->tlb_sent, was.tlb_sent);
		r->cow_copies += pgc_since(x->cow_copies, was.cow_copies);
		r->forks += pgc_since(x->forks, was.forks);
		for (j = 0; j < p.cls.n; j++)
			r->count[j] += pgc_since(x->count[j], was.count[j]);
		r->procs += !x->exited;
		now->id = x->id;
		now->minor = x->minor;
		now->major = x->major;
		now->tlb_sent = x->tlb_sent;
		now->cow_copies = x->cow_copies;
		now->forks = x->forks;
		memcpy(now->count, x->count, sizeof(now->count));
		n++;
	}
	qsort(rows, n, sizeof(*rows), rec_row_cmp);
	free(s->rows);
	s->rows = rows;
	s->n = n;
	free(in);
	pgc_procs_free(&p);
	return 0;
}

/* The target's CLOCK and PFF state, where @pid is one. */
static void rec_target(struct rec_state *s, struct rec_read *r)
{
	char key[16], word[24], *t;

	snprintf(key, sizeof(key), "%d", s->pid);
	t = pgc_slurp_warn("clock");
	if (t && *pgc_kv_rec_str(t, "target", key, "state", word, sizeof(word))) {
		uint64_t ev = pgc_kv_rec(t, "target", key, "evicted_clean") +
			      pgc_kv_rec(t, "target", key, "evicted_dirty");
		uint64_t rf = pgc_kv_rec(t, "target", key, "refaults");

		r->target = true;
		r->budget = pgc_kv_rec(t, "target", key, "budget");
		r->evicted = pgc_since(ev, s->evicted);
		r->refaults = pgc_since(rf, s->refaults);
		s->evicted = ev;
		s->refaults = rf;
	}
	free(t);
	t = pgc_slurp_warn("pff");
	if (t && *pgc_kv_rec_str(t, "pff", key, "budget", word, sizeof(word))) {
		r->pff = true;
		r->pff_rate = pgc_kv_rec(t, "pff", key, "rate");
	}
	free(t);
}

/*
 * One read: @r gets what came since the last one; @gone is set when the
 * process is gone.  0 or an error status.
 */
static int rec_read(struct rec_state *s, struct rec_read *r, bool *gone)
{
	int st;

	memset(r, 0, sizeof(*r));
	r->t_ns = pgc_clock_ns(CLOCK_MONOTONIC);
	*gone = false;
	if (!s->pid)
		return rec_system(s, r);
	st = rec_family(s, r, gone);
	if (st)
		return st;
	r->rss = pgc_proc_rss(s->pid);
	rec_target(s, r);
	return 0;
}

/* One interval's line: what it added, and the levels at its end. */
static void rec_line(FILE *out, const struct rec_state *s,
		     const struct rec_read *r, uint64_t t_prev, uint64_t t0)
{
	struct pgc_json j;
	int i;

	pgc_json_doc(&j, out);
	pgc_json_u64(&j, "elapsed_ns", r->t_ns - t0);
	pgc_json_u64(&j, "interval_ns", r->t_ns - t_prev);
	pgc_json_object(&j, "totals");
	pgc_json_u64(&j, "minor", r->minor);
	pgc_json_u64(&j, "major", r->major);
	pgc_json_end(&j);
	/* The classes that counted any: a record of hours stays small. */
	pgc_json_object(&j, "faults");
	for (i = 0; i < s->cls.n; i++)
		if (r->count[i])
			pgc_json_u64(&j, s->cls.name[i], r->count[i]);
	pgc_json_end(&j);
	if (s->pid) {
		pgc_json_u64(&j, "process_count", r->procs);
		pgc_json_u64(&j, "fork_count", r->forks);
		pgc_json_u64(&j, "cow_copies", r->cow_copies);
		pgc_json_u64(&j, "tlb_sent", r->tlb_sent);
		pgc_json_u64(&j, "rss_pages", r->rss);
	}
	if (r->target) {
		pgc_json_u64(&j, "budget_pages", r->budget);
		pgc_json_u64(&j, "evicted_pages", r->evicted);
		pgc_json_u64(&j, "refaults", r->refaults);
	}
	if (r->pff)
		pgc_json_u64(&j, "pff_rate_per_cpu_s", r->pff_rate);
	pgc_json_end(&j);
}

static volatile sig_atomic_t rec_stop;

static void rec_on_signal(int sig)
{
	(void)sig;
	rec_stop = 1;
}

static void rec_header(FILE *out, const struct pgc_opts *o, pid_t pid,
		       char **cmd)
{
	struct pgc_proc_row r;
	struct pgc_json j;
	struct utsname u;
	const char *base;
	char comm[16];
	int i;

	uname(&u);
	pgc_json_doc(&j, out);
	pgc_json_u64(&j, "pageclock_record", PGC_RECORD_FORMAT);
	pgc_json_str(&j, "version", PGC_CLI_VERSION);
	pgc_json_str(&j, "kernel", u.release);
	pgc_json_s64(&j, "interval_ms", o->interval_ms);
	pgc_json_str(&j, "scope", pid ? "process" : "system");
	if (pid) {
		pgc_json_s64(&j, "pid", pid);
		if (cmd) {
			/*
			 * CMD has not run yet: its name as the kernel will
			 * give it, the file's base name in 15 bytes (bug:
			 * cmd[0] as typed, "/usr/bin/make").
			 */
			base = strrchr(cmd[0], '/');
			snprintf(comm, sizeof(comm), "%s", base ? base + 1 : cmd[0]);
			pgc_json_str(&j, "comm", comm);
		} else {
			pgc_json_str(&j, "comm", pgc_kernel_proc(pid, &r) ?
				     "" : r.comm);
		}
	}
	if (cmd) {
		pgc_json_array(&j, "command");
		for (i = 0; cmd[i]; i++)
			pgc_json_str(&j, NULL, cmd[i]);
		pgc_json_end(&j);
	}
	pgc_json_end(&j);
}

/* The last line: the record ended whole (@code: CMD's status, or -1). */
static void rec_end(FILE *out, uint64_t t0, int code)
{
	struct pgc_json j;

	pgc_json_doc(&j, out);
	pgc_json_bool(&j, "end", true);
	pgc_json_u64(&j, "elapsed_ns", pgc_clock_ns(CLOCK_MONOTONIC) - t0);
	if (code >= 0)
		pgc_json_s64(&j, "exit_status", code);
	pgc_json_end(&j);
}

static int record_run(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = rec_on_signal };
	static struct rec_state s;
	struct rec_read r;
	struct pgc_opts o;
	struct timespec ts;
	char **cmd = NULL;
	int st, go = -1, code = 0;
	bool gone = false, done = false;
	uint64_t t0, t_prev;
	pid_t child = 0;
	FILE *out;

	st = pgc_parse_opts(&pgc_verb_record, argc, argv,
			    PGC_OPT_PID | PGC_OPT_OUTPUT | PGC_OPT_INTERVAL, &o);
	if (st >= 0)
		return st;
	/* getopt stopped at "--" or at the first operand. */
	if (optind > 1 && !strcmp(argv[optind - 1], "--"))
		cmd = argv + optind;
	if (!o.output || (cmd && (o.has_pid || !*cmd)) || (optind < argc && !cmd)) {
		pgc_error("record: -o FILE, and --pid PID or -- CMD (neither: system-wide)");
		return PGC_EXIT_USAGE;
	}
	if (o.count) {
		pgc_error("record: it ends with the process or Ctrl-C, not --count");
		return PGC_EXIT_USAGE;
	}
	/* Its output is the record: JSON lines already, one object a line. */
	if (o.json) {
		pgc_error("record: writes JSON lines already: no --json or --pretty");
		return PGC_EXIT_USAGE;
	}
	if (o.has_pid && !o.pid_alive) {
		pgc_error("record: no such process %d", o.pid);
		return PGC_EXIT_NO_PROCESS;
	}
	st = pgc_module_check();
	if (st)
		return st;
	pgc_detail_hold("record", cmd ? getpid() : o.has_pid ? o.pid : 0);
	out = strcmp(o.output, "-") ? fopen(o.output, "we") : stdout;
	if (!out) {
		pgc_error("record: cannot write %s: %s", o.output, strerror(errno));
		return PGC_EXIT_FAIL;
	}
	signal(SIGPIPE, SIG_IGN);
	if (cmd) {
		/* Held until the first read: its first fault is recorded. */
		child = pgc_spawn_held("record", cmd, &go, out == stdout);
		if (child < 0) {
			if (out != stdout)
				fclose(out);
			return PGC_EXIT_FAIL;
		}
		s.pid = child;
		/* Like time(1): the command, not us, reacts to ^C. */
		signal(SIGINT, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
	} else {
		s.pid = o.has_pid ? o.pid : 0;
		sigaction(SIGINT, &sa, NULL);
	}
	sigaction(SIGTERM, &sa, NULL);
	rec_header(out, &o, s.pid, cmd);
	st = rec_read(&s, &r, &gone);
	t0 = t_prev = r.t_ns;
	if (go >= 0) {
		/* Counted from here: CMD's first fault is in the record. */
		if (!st && write(go, "g", 1) != 1)
			st = PGC_EXIT_FAIL;
		close(go);	/* without the byte: CMD never runs (127) */
	}
	ts.tv_sec = o.interval_ms / 1000;
	ts.tv_nsec = (o.interval_ms % 1000) * 1000000L;
	while (!st && !gone && !rec_stop) {
		nanosleep(&ts, NULL);
		/* CMD done (waitpid says, not the module): a last interval. */
		if (child && waitpid(child, &code, WNOHANG) == child) {
			code = WIFEXITED(code) ? WEXITSTATUS(code) :
			       128 + WTERMSIG(code);
			child = 0;
			done = true;
		}
		st = rec_read(&s, &r, &gone);
		if (st)
			break;
		gone = done || (gone && !cmd);
		rec_line(out, &s, &r, t_prev, t0);
		t_prev = r.t_ns;
		if (fflush(out) || ferror(out)) {
			pgc_error("record: writing %s: %s", o.output,
				  strerror(errno));
			st = PGC_EXIT_FAIL;
		}
	}
	/* SIGTERM (as timeout(1) sends it) ends CMD too, then the record. */
	if (child && rec_stop)
		kill(child, SIGTERM);
	if (child) {
		code = pgc_wait_child(child);
		child = code < 0 ? child : 0;
	}
	if (!st)
		rec_end(out, t0, cmd && !child ? code : -1);
	if ((out == stdout ? fflush(out) || ferror(out) : fclose(out)) && !st) {
		pgc_error("record: writing %s: %s", o.output, strerror(errno));
		st = PGC_EXIT_FAIL;
	}
	free(s.rows);
	if (st || !cmd)
		return st;
	if (code < 0)
		return PGC_EXIT_FAIL;
	return pgc_status_answer(code);	/* CMD's status is no error of ours */
}

const struct pgc_verb pgc_verb_record = {
	.name = "record",
	.summary = "save what the module reports about a process over time",
	.run = record_run,
	.help = record_help,
	.runs_cmd = true,
};
