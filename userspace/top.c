// SPDX-License-Identifier: GPL-2.0
/*
 * pageclock top: processes ranked by fault rate, refreshed like top(1),
 * from two reads of debugfs "procs" an interval apart.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "kdata.h"
#include "pageclock.h"

/* Rows of --once without --count; interactive: the terminal's height. */
#define TOP_ROWS 20

enum top_col { TOP_FAULTS, TOP_MINOR, TOP_MAJOR, TOP_COW, TOP_TLB, TOP_RSS,
	       TOP_BUDGET, TOP_NCOLS };

/* Sort keys: --sort name and the key that picks it interactively. */
static const struct {
	const char *name;
	char key;
} top_cols[TOP_NCOLS] = {
	[TOP_FAULTS] = { "faults", 'f' },
	[TOP_MINOR] = { "minor", 'm' },
	[TOP_MAJOR] = { "major", 'M' },
	[TOP_COW] = { "cow", 'c' },
	[TOP_TLB] = { "tlb", 't' },
	[TOP_RSS] = { "rss", 'r' },
	[TOP_BUDGET] = { "budget", 'b' },
};

struct top_row {
	pid_t pid;
	char comm[64];
	/* Rates per second; rss, budget in pages; NAN: unknown (no module). */
	double v[TOP_NCOLS];
};

static volatile sig_atomic_t top_stop, top_tstp, top_redraw;

static void top_on_signal(int sig)
{
	if (sig == SIGTSTP)
		top_tstp = 1;
	else if (sig == SIGWINCH || sig == SIGCONT)
		top_redraw = 1;
	else
		top_stop = 1;
}

static void top_help(FILE *out)
{
	fputs("usage: pageclock top [--interval MS] [--sort KEY] [--count N]\n"
	      "                     [--once] [--json]\n"
	      "Processes ranked by fault rate over each interval (default 1000 ms):\n"
	      "minor and major faults, copy-on-write copies and TLB shootdowns sent\n"
	      "per second, RSS, and the CLOCK budget of targets.  KEY: faults\n"
	      "(minor + major, the default), minor, major, cow, tlb, rss, budget.\n"
	      "On a terminal it refreshes until q or Ctrl-C; the keys f m M c t r b\n"
	      "sort by a column.  Not on a terminal: a table per interval.  --once:\n"
	      "one interval, one table.  --json: one JSON object per interval, one\n"
	      "per line (with --once, one object).\n"
	      "Without the module: minor and major faults from /proc/PID/stat only.\n",
	      out);
}

static int top_sort_col(const char *name)
{
	int i;

	for (i = 0; i < TOP_NCOLS; i++)
		if (!strcmp(name, top_cols[i].name))
			return i;
	return -1;
}

static double top_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The entry of @b's process in @a (same id and pid: without the module
 * the id is the start time), or NULL if it is new.
 */
static const struct pgc_proc_row *top_before(const struct pgc_procs *a,
					     const struct pgc_proc_row *b)
{
	int i;

	for (i = 0; i < a->n; i++)
		if (a->rows[i].id == b->id && a->rows[i].tgid == b->tgid)
			return &a->rows[i];
	return NULL;
}

static int top_cmp_col;

static int top_cmp(const void *x, const void *y)
{
	const struct top_row *a = x, *b = y;
	double d = b->v[top_cmp_col] - a->v[top_cmp_col];

	/* Unknown (NAN) columns compare equal: by pid, a consistent order. */
	if (d > 0 || d < 0)
		return d > 0 ? 1 : -1;
	return a->pid - b->pid;
}

/*
 * The live processes of @b with their rates since @a, @dt seconds apart,
 * sorted by @col; their number, or -1 out of memory.
 */
static int top_rows(const struct pgc_procs *a, const struct pgc_procs *b,
		    double dt, int col, bool kernel, struct top_row **out)
{
	struct top_row *r = calloc(b->n ? b->n : 1, sizeof(*r));
	char *clock = kernel ? NULL : pgc_slurp_warn("clock");
	int i, n = 0;

	if (!r) {
		free(clock);
		return -1;
	}
	for (i = 0; i < b->n; i++) {
		const struct pgc_proc_row *p = &b->rows[i], *q = top_before(a, p);
		struct pgc_proc_row zero = { 0 };
		struct top_row *t = &r[n];
		char pid[16];

		if (p->exited)
			continue;
		if (!q)
			q = &zero;	/* new: everything it did is recent */
		t->pid = p->tgid;
		snprintf(t->comm, sizeof(t->comm), "%s", p->comm);
		/* Counters only grow, but for a module reloaded meanwhile. */
		t->v[TOP_MINOR] = pgc_since(p->minor, q->minor) / dt;
		t->v[TOP_MAJOR] = pgc_since(p->major, q->major) / dt;
		t->v[TOP_FAULTS] = t->v[TOP_MINOR] + t->v[TOP_MAJOR];
		t->v[TOP_COW] = kernel ? NAN :
				pgc_since(p->cow_copies, q->cow_copies) / dt;
		t->v[TOP_TLB] = kernel ? NAN :
				pgc_since(p->tlb_sent, q->tlb_sent) / dt;
		t->v[TOP_RSS] = pgc_proc_rss(p->tgid);
		snprintf(pid, sizeof(pid), "%d", p->tgid);
		/* 0: not a target, or one without a budget. */
		t->v[TOP_BUDGET] = clock ? pgc_kv_rec(clock, "target", pid,
						     "budget") : 0;
		n++;
	}
	free(clock);
	top_cmp_col = col;
	qsort(r, n, sizeof(*r), top_cmp);
	*out = r;
	return n;
}

/* One table, at most 80 columns wide. */
static void top_text(const struct top_row *r, int n, int rows, int col,
		     double dt)
{
	char b1[32], b2[32], v[4][16], name[PGC_NAME_TEXT];
	int i;

	printf("pageclock top: %d processes, rates over %.1f s, sorted by %s\n\n",
	       n, dt, top_cols[col].name);
	printf("%7s %-15s %8s %7s %6s %6s %10s %10s\n", "PID", "COMMAND",
	       "MINOR/s", "MAJOR/s", "COW/s", "TLB/s", "RSS", "BUDGET");
	for (i = 0; i < n && i < rows; i++) {
		pgc_fmt_bytes(b1, sizeof(b1), r[i].v[TOP_RSS] * 4096);
		if (r[i].v[TOP_BUDGET])
			pgc_fmt_bytes(b2, sizeof(b2),
				      r[i].v[TOP_BUDGET] * 4096);
		else
			snprintf(b2, sizeof(b2), "-");
		printf("%7d %-15.15s %8s %7s %6s %6s %10s %10s\n", r[i].pid,
		       pgc_name_text(r[i].comm, name),
		       pgc_fmt_rate(v[0], sizeof(v[0]), r[i].v[TOP_MINOR]),
		       pgc_fmt_rate(v[1], sizeof(v[1]), r[i].v[TOP_MAJOR]),
		       pgc_fmt_rate(v[2], sizeof(v[2]), r[i].v[TOP_COW]),
		       pgc_fmt_rate(v[3], sizeof(v[3]), r[i].v[TOP_TLB]), b1, b2);
	}
}

static void top_json(const struct top_row *r, int n, int rows, int col,
		     double dt)
{
	struct pgc_json j;
	int i;

	pgc_json_doc(&j, stdout);
	pgc_json_u64(&j, "interval_ns", dt * 1e9);
	pgc_json_str(&j, "sort", top_cols[col].name);
	pgc_json_array(&j, "processes");
	for (i = 0; i < n && i < rows; i++) {
		pgc_json_object(&j, NULL);
		pgc_json_s64(&j, "pid", r[i].pid);
		pgc_json_str(&j, "comm", r[i].comm);
		/* NAN, unknown without the module, is null. */
		pgc_json_f64(&j, "minor_per_s", r[i].v[TOP_MINOR], 1);
		pgc_json_f64(&j, "major_per_s", r[i].v[TOP_MAJOR], 1);
		pgc_json_f64(&j, "cow_copies_per_s", r[i].v[TOP_COW], 1);
		pgc_json_f64(&j, "tlb_sent_per_s", r[i].v[TOP_TLB], 1);
		pgc_json_f64(&j, "rss_pages", r[i].v[TOP_RSS], 0);
		/* 0: not a target, or one without a budget. */
		pgc_json_f64(&j, "budget_pages", r[i].v[TOP_BUDGET] ?
			     r[i].v[TOP_BUDGET] : NAN, 0);
		pgc_json_end(&j);
	}
	pgc_json_end(&j);
	pgc_json_end(&j);
}

/*
 * Wait @ms for a key on a terminal; the key, or 0.  The signals top
 * handles are blocked but here (@wait is the mask to wait with), so one
 * that arrives while a table is read or drawn ends the next wait at once
 * instead of letting it run a whole interval.
 */
static int top_key(bool tty, long ms, const sigset_t *wait)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	char c;

	if (ppoll(&p, tty, &ts, wait) == 1 && read(STDIN_FILENO, &c, 1) == 1)
		return c;
	return 0;
}

static int top_read(const struct pgc_opts *o, struct pgc_procs *p)
{
	return o->kernel_only ? pgc_kernel_procs(p) : pgc_read_procs(p);
}

/*
 * On a terminal: keys without Enter or echo, on the alternate screen (the
 * shell's screen comes back at the end), or the terminal as it was.
 */
static void top_term(bool on, const struct termios *old)
{
	struct termios raw = *old;

	if (on) {
		raw.c_lflag &= ~(ICANON | ECHO);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
		fputs("\033[?1049h", stdout);
	} else {
		fputs("\033[?1049l", stdout);
		tcsetattr(STDIN_FILENO, TCSANOW, old);
	}
	fflush(stdout);
}

/*
 * Ctrl-Z: give the terminal back, stop, and take it again on SIGCONT, as
 * the shell then has it (@old: what to give back at the end).
 */
static void top_suspend(struct termios *old, struct sigaction *sa)
{
	sigset_t tstp;

	sigemptyset(&tstp);
	sigaddset(&tstp, SIGTSTP);
	top_term(false, old);
	signal(SIGTSTP, SIG_DFL);
	raise(SIGTSTP);
	sigprocmask(SIG_UNBLOCK, &tstp, NULL);	/* stops here */
	sigprocmask(SIG_BLOCK, &tstp, NULL);
	sigaction(SIGTSTP, sa, NULL);
	tcgetattr(STDIN_FILENO, old);
	top_term(true, old);
}

static void top_show(const struct pgc_opts *o, bool tty,
		     const struct top_row *r, int n, int col, double dt)
{
	struct winsize ws;
	int rows = o->count ? o->count : o->json ? n : TOP_ROWS;

	if (tty && !o->count && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) &&
	    ws.ws_row > 5)
		rows = ws.ws_row - 5;
	if (tty)
		fputs("\033[H\033[2J", stdout);
	if (o->json)
		top_json(r, n, rows, col, dt);
	else
		top_text(r, n, rows, col, dt);
	if (tty)
		fputs("\n(q quits; f m M c t r b sort)\n", stdout);
	else if (!o->once && !o->json)
		putchar('\n');	/* JSON: one object per line */
	fflush(stdout);
}

static int top_loop(const struct pgc_opts *o, int col, struct sigaction *sa,
		    const sigset_t *wait)
{
	bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) && !o->once &&
		   !o->json;
	static const int tty_sigs[] = { SIGTSTP, SIGCONT, SIGWINCH };
	struct top_row *r = NULL;
	struct pgc_procs a, b;
	struct termios old;
	double t0, t1, dt = 0;
	int st, n = 0, i, key;

	st = top_read(o, &a);
	if (st)
		return st;
	if (tty) {
		tcgetattr(STDIN_FILENO, &old);
		top_term(true, &old);
		for (i = 0; i < 3; i++)
			sigaction(tty_sigs[i], sa, NULL);
	}
	t0 = top_now();
	for (;;) {
		key = top_key(tty, o->interval_ms, wait);
		if (top_stop || key == 'q')
			break;
		if (top_tstp) {
			top_tstp = 0;
			top_suspend(&old, sa);
			top_redraw = 1;
		}
		/* A new size or a return from Ctrl-Z: the same data again. */
		if (top_redraw && r && !key) {
			top_redraw = 0;
			top_show(o, tty, r, n, col, dt);
			continue;
		}
		for (i = 0; i < TOP_NCOLS; i++)
			if (key && key == top_cols[i].key)
				col = i;
		st = top_read(o, &b);
		if (st)
			break;
		t1 = top_now();
		dt = t1 - t0 > 1e-3 ? t1 - t0 : 1e-3;
		free(r);
		n = top_rows(&a, &b, dt, col, o->kernel_only, &r);
		pgc_procs_free(&a);
		a = b;
		t0 = t1;
		if (n < 0) {
			pgc_error("top: out of memory");
			r = NULL;
			st = PGC_EXIT_FAIL;
			break;
		}
		top_show(o, tty, r, n, col, dt);
		if (o->once)
			break;
	}
	free(r);
	pgc_procs_free(&a);
	if (tty) {
		top_term(false, &old);
		/* What went wrong was said on the screen just left. */
		if (st && pgc_last_error[0])
			fprintf(stderr, "pageclock: %s\n", pgc_last_error);
	}
	return st;
}

static int top_run(int argc, char **argv)
{
	struct pgc_opts o;
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP,
				    SIGCONT, SIGWINCH };
	struct sigaction sa = { .sa_handler = top_on_signal };
	sigset_t block, wait;
	int st, col, i;

	st = pgc_verb_start(&pgc_verb_top, argc, argv,
			    PGC_OPT_TOP | PGC_OPT_KERNEL, &o);
	if (st >= 0)
		return st;
	col = top_sort_col(o.sort ? o.sort : "faults");
	if (col < 0) {
		pgc_error("top: --sort takes faults, minor, major, cow, tlb, rss or budget, not '%s'",
			  o.sort);
		return PGC_EXIT_USAGE;
	}
	pgc_detail_hold("top", 0);
	/* Blocked but while top waits (top_key); a quit of any kind ends it. */
	sigemptyset(&block);
	for (i = 0; i < (int)(sizeof(sigs) / sizeof(sigs[0])); i++) {
		sigaddset(&block, sigs[i]);
		if (i < 4)
			sigaction(sigs[i], &sa, NULL);
	}
	sigprocmask(SIG_BLOCK, &block, &wait);
	st = top_loop(&o, col, &sa, &wait);
	sigprocmask(SIG_SETMASK, &wait, NULL);
	return st;
}

const struct pgc_verb pgc_verb_top = {
	.name = "top",
	.summary = "processes ranked by fault rate, refreshed (q quits)",
	.run = top_run,
	.help = top_help,
};
