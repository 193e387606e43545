// SPDX-License-Identifier: GPL-2.0
/*
 * pageclock export: the module's counters as Prometheus metrics, for a
 * fleet of test boxes.  Either a file for node_exporter's textfile
 * collector, written whole and renamed into place so that a scrape never
 * reads half of one, or an HTTP /metrics endpoint that answers in the
 * OpenMetrics text format when the scraper asks for it (Prometheus does)
 * and in the Prometheus text format 0.0.4 otherwise.  The same families
 * either way (Documentation/cli.md lists them).  Series per process only
 * for the CLOCK targets and the --top processes by faults: a machine of
 * thousands of processes must not make thousands of series.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kdata.h"
#include "pageclock.h"

#define EXP_TOP_DEFAULT 10
#define EXP_TOP_MAX 100
#define EXP_PAGE 4096		/* debugfs counts 4 KiB pages */
#define EXP_FILE "pageclock.prom"

static void export_help(FILE *out)
{
	fputs("usage: pageclock export --textfile DIR [--interval S] [--top N]\n"
	      "       pageclock export --listen [ADDR]:PORT [--top N]\n"
	      "The module's counters as Prometheus metrics: faults by class and\n"
	      "their latency (of the processes the module measured, while it\n"
	      "did), the kernel's own fault counts, TLB flushes by reason and\n"
	      "cause, and per process, for the CLOCK targets and the N processes\n"
	      "with the most faults (--top, default 10, at most 100): faults,\n"
	      "copy-on-write pages, the CLOCK and PFF state of a target.  Nothing\n"
	      "is measured that was not already: export attaches no hook.\n"
	      "--textfile DIR: write DIR/" EXP_FILE " for node_exporter's\n"
	      "textfile collector (atomically), once or every S seconds.\n"
	      "--listen [ADDR]:PORT: serve GET /metrics until interrupted\n"
	      "(OpenMetrics when asked, else the text format 0.0.4).\n", out);
}

/* One rendering: where, and which of the two formats. */
struct exp {
	FILE *out;
	bool om;
};

/* A label: its name and its value (any bytes: process names). */
struct exp_label {
	const char *k, *v;
};

/*
 * A family's metadata.  OpenMetrics names a counter's family without the
 * _total its samples carry; the text format 0.0.4 names it as they do.
 */
static void exp_family(struct exp *e, const char *name, const char *type,
		       const char *help)
{
	size_t n = strlen(name);

	if (e->om && !strcmp(type, "counter") && n > 6 &&
	    !strcmp(name + n - 6, "_total"))
		n -= 6;
	fprintf(e->out, "# HELP %.*s %s\n# TYPE %.*s %s\n", (int)n, name, help,
		(int)n, name, type);
}

/*
 * A label value: \, " and a newline escaped as both formats want; bytes
 * that are not UTF-8, and control characters a terminal would obey, as
 * U+FFFD (a process chooses its name: bug class of names.sh).
 */
static void exp_value(FILE *o, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	int n;

	for (; *u; u += n) {
		n = pgc_utf8_len(u);
		if (*u == '\\' || *u == '"') {
			fprintf(o, "\\%c", *u);
		} else if (*u == '\n') {
			fputs("\\n", o);
		} else if (!n || *u < 0x20 || *u == 0x7f ||
			   (n == 2 && u[0] == 0xc2 && u[1] < 0xa0)) {
			fputs("\xef\xbf\xbd", o);
			n = n ? n : 1;
		} else {
			fwrite(u, 1, n, o);
		}
	}
}

/* One sample: @name{labels} @value. */
static void exp_sample(struct exp *e, const char *name,
		       const struct exp_label *l, int nl, const char *value)
{
	int i;

	fputs(name, e->out);
	for (i = 0; i < nl; i++) {
		fprintf(e->out, "%s%s=\"", i ? "," : "{", l[i].k);
		exp_value(e->out, l[i].v);
		fputc('"', e->out);
	}
	fprintf(e->out, "%s %s\n", nl ? "}" : "", value);
}

static void exp_u64(struct exp *e, const char *name,
		    const struct exp_label *l, int nl, uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "%" PRIu64, v);
	exp_sample(e, name, l, nl, b);
}

static void exp_seconds(struct exp *e, const char *name,
			const struct exp_label *l, int nl, uint64_t ns)
{
	char b[32];

	snprintf(b, sizeof(b), "%.9f", ns / 1e9);
	exp_sample(e, name, l, nl, b);
}

/* A family of one sample without labels. */
static void exp_one(struct exp *e, const char *name, const char *type,
		    const char *help, uint64_t v)
{
	exp_family(e, name, type, help);
	exp_u64(e, name, NULL, 0, v);
}

/*
 * Fault latency by class as a histogram: the module's log2 buckets
 * [2^i, 2^(i+1)) ns, cumulative, each up to its upper edge in seconds;
 * its last bucket (2^31 ns and more) only in +Inf.
 */
#define EXP_LATENCY "pageclock_fault_duration_seconds"
static void exp_latency(struct exp *e, const struct pgc_faults *f)
{
	char le[32];
	int c, i;

	exp_family(e, EXP_LATENCY, "histogram",
		   "Time in handle_mm_fault() of measured faults, by class.");
	for (c = 0; c < f->cls.n; c++) {
		struct exp_label l[2] = { { "class", f->cls.name[c] },
					  { "le", le } };
		uint64_t cum = 0;

		for (i = 0; i < PGC_BUCKETS; i++) {
			cum += f->hist[c][i];
			if (i == PGC_BUCKETS - 1)
				break;
			snprintf(le, sizeof(le), "%.10g", (double)(2ULL << i) / 1e9);
			exp_u64(e, EXP_LATENCY "_bucket", l, 2, cum);
		}
		snprintf(le, sizeof(le), "+Inf");
		exp_u64(e, EXP_LATENCY "_bucket", l, 2, cum);
		exp_u64(e, EXP_LATENCY "_count", l, 1, cum);
		exp_seconds(e, EXP_LATENCY "_sum", l, 1, f->ns[c]);
	}
}

static void exp_faults(struct exp *e, const struct pgc_faults *f)
{
	int c;

	exp_family(e, "pageclock_faults_total", "counter",
		   "Faults of the processes the module measured, while it did, by class (Documentation/abi.md).");
	for (c = 0; c < f->cls.n; c++) {
		struct exp_label l = { "class", f->cls.name[c] };

		exp_u64(e, "pageclock_faults_total", &l, 1, f->count[c]);
	}
	exp_latency(e, f);
	exp_one(e, "pageclock_faults_missed_total", "counter",
		"Probe hits lost: the counts may be low.", f->missed);
	exp_one(e, "pageclock_faults_uffd_unmeasured_total", "counter",
		"Faults in userfaultfd ranges the kretprobe left unmeasured.",
		f->uffd);
	exp_one(e, "pageclock_procs_dropped_total", "counter",
		"Processes not tracked: the process table was full.",
		f->procs_dropped);
	exp_one(e, "pageclock_fault_hook_attached", "gauge",
		"1 while the module's fault hook is attached (it measures only then).",
		strcmp(f->hook, "off") && *f->hook);
}

/* debugfs "tlb": the kernel's reasons, and the flushes started by cause. */
static void exp_tlb(struct exp *e, const char *t)
{
	const char *l;
	char name[64];

	exp_family(e, "pageclock_tlb_flushes_total", "counter",
		   "TLB flushes by the kernel's reason (tlb:tlb_flush).");
	for (l = t; (l = pgc_kv_next(l, t, "reason", name, sizeof(name)));) {
		struct exp_label lb = { "reason", name };

		exp_u64(e, "pageclock_tlb_flushes_total", &lb, 1,
			pgc_kv_rec(t, "reason", name, "count"));
	}
	exp_family(e, "pageclock_tlb_started_total", "counter",
		   "TLB flushes a CPU started by cause: local ones, and shootdowns sent to others.");
	for (l = t; (l = pgc_kv_next(l, t, "cause", name, sizeof(name)));) {
		struct exp_label lb[2] = { { "cause", name }, { "scope", "local" } };

		exp_u64(e, "pageclock_tlb_started_total", lb, 2,
			pgc_kv_rec(t, "cause", name, "local"));
		lb[1].v = "shootdown";
		exp_u64(e, "pageclock_tlb_started_total", lb, 2,
			pgc_kv_rec(t, "cause", name, "sent"));
	}
	exp_one(e, "pageclock_tlb_shootdown_cpus_total", "counter",
		"Other CPUs the shootdowns interrupted.",
		pgc_kv_u64(t, "targets"));
}

/* The processes that get series of their own: targets first, then --top. */
struct exp_procs {
	int n;
	const struct pgc_proc_row *row[EXP_TOP_MAX + 64];
};

static bool exp_listed(const struct exp_procs *x, pid_t pid)
{
	int i;

	for (i = 0; i < x->n; i++)
		if (x->row[i]->tgid == pid)
			return true;
	return false;
}

static uint64_t exp_row_faults(const struct pgc_proc_row *r)
{
	return r->minor + r->major;
}

static void exp_pick(struct exp_procs *x, struct pgc_procs *p, const char *clock,
		     long top)
{
	const char *l;
	char pid[16];
	long k;
	int i;

	x->n = 0;
	for (l = clock; l && (l = pgc_kv_next(l, clock, "target", pid, sizeof(pid)));) {
		const struct pgc_proc_row *r = pgc_proc_find(p, atoi(pid));

		if (r && !exp_listed(x, r->tgid) &&
		    x->n < (int)PGC_ARRAY_SIZE(x->row))
			x->row[x->n++] = r;
	}
	for (k = 0; k < top; k++) {
		const struct pgc_proc_row *best = NULL;

		for (i = 0; i < p->n; i++) {
			const struct pgc_proc_row *r = &p->rows[i];

			if (r->exited || exp_listed(x, r->tgid) ||
			    (best && exp_row_faults(r) <= exp_row_faults(best)))
				continue;
			best = r;
		}
		if (!best || x->n >= (int)PGC_ARRAY_SIZE(x->row))
			break;
		x->row[x->n++] = best;
	}
}

/*
 * A per-process family: a field of the module's procs row, times @mult.
 * The copy-on-write sums are gauges: a fork record the table reuses
 * takes its part off them (src/cow.c), and a counter must never fall.
 */
static const struct {
	const char *name, *type, *help;
	size_t field;
	uint64_t mult;
} exp_proc_keys[] = {
	{ "pageclock_process_minor_faults_total", "counter",
	  "Minor faults of the process while the module measured it.",
	  offsetof(struct pgc_proc_row, minor), 1 },
	{ "pageclock_process_major_faults_total", "counter",
	  "Major faults of the process while the module measured it.",
	  offsetof(struct pgc_proc_row, major), 1 },
	{ "pageclock_process_forks_total", "counter",
	  "Forks of the process since the module was loaded.",
	  offsetof(struct pgc_proc_row, forks), 1 },
	{ "pageclock_process_cow_shared_bytes", "gauge",
	  "Memory its recorded forks shared copy-on-write with their children (S, summed).",
	  offsetof(struct pgc_proc_row, cow_shared), EXP_PAGE },
	{ "pageclock_process_cow_copied_bytes", "gauge",
	  "Of that, what was copied on a write since (c, summed): c/S is the sharing lost.",
	  offsetof(struct pgc_proc_row, cow_copies), EXP_PAGE },
	{ "pageclock_process_tlb_shootdowns_total", "counter",
	  "TLB shootdowns the process's threads sent.",
	  offsetof(struct pgc_proc_row, tlb_sent), 1 },
};

static void exp_processes(struct exp *e, const struct exp_procs *x)
{
	char pid[16];
	size_t k;
	int i;

	for (k = 0; k < PGC_ARRAY_SIZE(exp_proc_keys); k++) {
		exp_family(e, exp_proc_keys[k].name, exp_proc_keys[k].type,
			   exp_proc_keys[k].help);
		for (i = 0; i < x->n; i++) {
			const struct pgc_proc_row *r = x->row[i];
			struct exp_label l[2] = { { "pid", pid }, { "comm", r->comm } };
			uint64_t v;

			snprintf(pid, sizeof(pid), "%d", (int)r->tgid);
			memcpy(&v, (const char *)r + exp_proc_keys[k].field,
			       sizeof(v));
			exp_u64(e, exp_proc_keys[k].name, l, 2,
				v * exp_proc_keys[k].mult);
		}
	}
}

/* One per-target family from debugfs "clock" field @key, times @mult. */
struct exp_target_key {
	const char *name, *type, *help, *key;
	uint64_t mult;
};

static const struct exp_target_key exp_clock_keys[] = {
	{ "pageclock_clock_budget_bytes", "gauge",
	  "The target's resident budget (0: none, it gives only to reclaim).",
	  "budget", EXP_PAGE },
	{ "pageclock_clock_rss_bytes", "gauge",
	  "The target's resident memory at its last sweep.", "rss", EXP_PAGE },
	{ "pageclock_clock_rss_max_bytes", "gauge",
	  "The most the target held at a fault since it became one.",
	  "rss_max", EXP_PAGE },
	{ "pageclock_clock_evicted_clean_bytes_total", "counter",
	  "Clean pages the hand sent to reclaim.", "evicted_clean", EXP_PAGE },
	{ "pageclock_clock_evicted_dirty_bytes_total", "counter",
	  "Dirty pages the hand sent to reclaim (written or swapped).",
	  "evicted_dirty", EXP_PAGE },
	{ "pageclock_clock_second_chance_bytes_total", "counter",
	  "Pages the hand found used and spared.", "second_chances", EXP_PAGE },
	{ "pageclock_clock_refaults_total", "counter",
	  "Faults on pages the hand had evicted.", "refaults", 1 },
	{ "pageclock_clock_sweeps_total", "counter",
	  "Sweeps of the hand, the target's own ones included.", "sweeps", 1 },
	{ "pageclock_clock_own_sweeps_total", "counter",
	  "Sweeps in the target's own context (the hard budget).",
	  "own_sweeps", 1 },
	{ "pageclock_clock_laps_total", "counter",
	  "Whole laps of the hand over the target's memory.", "laps", 1 },
};

static const struct exp_target_key exp_pff_keys[] = {
	{ "pageclock_pff_fault_rate", "gauge",
	  "PFF's last window: faults per CPU second.", "rate", 1 },
	{ "pageclock_pff_windows_total", "counter",
	  "Windows the PFF controller judged.", "windows", 1 },
	{ "pageclock_pff_raises_total", "counter",
	  "Budget raises by the PFF controller.", "raises", 1 },
	{ "pageclock_pff_lowers_total", "counter",
	  "Budget cuts by the PFF controller.", "lowers", 1 },
};

/* The records of table @table in @t (clock's "target", pff's "pff"). */
static void exp_targets(struct exp *e, const char *t, const char *table,
			const struct exp_target_key *keys, size_t nkeys,
			struct pgc_procs *p)
{
	char pid[16], comm[64];
	const char *l;
	size_t k;

	for (k = 0; k < nkeys; k++) {
		exp_family(e, keys[k].name, keys[k].type, keys[k].help);
		for (l = t; (l = pgc_kv_next(l, t, table, pid, sizeof(pid)));) {
			const struct pgc_proc_row *r = pgc_proc_find(p, atoi(pid));
			struct exp_label lb[2] = {
				{ "pid", pid },
				{ "comm", r ? r->comm : pgc_proc_comm(pid, comm) },
			};

			exp_u64(e, keys[k].name, lb, 2,
				pgc_kv_rec(t, table, pid, keys[k].key) *
				keys[k].mult);
		}
	}
}

/*
 * Everything, in format @om onto @out.  A file the module does not have
 * (an older one) leaves its families out; the loaded gauge says whether
 * the module's families could be there at all.
 */
static void export_render(FILE *out, bool om, long top)
{
	struct exp e = { out, om };
	uint64_t minor, major;
	bool loaded = pgc_module_loaded();

	exp_one(&e, "pageclock_module_loaded", "gauge",
		"1 while the pageclock module is loaded.", loaded);
	if (!pgc_kernel_faults(&minor, &major)) {
		struct exp_label l = { "kind", "minor" };

		exp_family(&e, "pageclock_kernel_faults_total", "counter",
			   "Every process's faults as the kernel counts them (/proc/vmstat), module or not.");
		exp_u64(&e, "pageclock_kernel_faults_total", &l, 1, minor);
		l.v = "major";
		exp_u64(&e, "pageclock_kernel_faults_total", &l, 1, major);
	}
	if (loaded) {
		static struct pgc_faults f;
		struct pgc_procs p = { 0 };
		static struct exp_procs x;
		char *tlb = pgc_debugfs_read("tlb");
		char *clock = pgc_debugfs_read("clock");
		char *pff = pgc_debugfs_read("pff");
		bool faults = !pgc_read_faults(&f), procs = !pgc_read_procs(&p);

		/* Not silence: a file that could not be read is counted. */
		exp_one(&e, "pageclock_scrape_errors", "gauge",
			"The module's debugfs files this scrape could not read (debugfs needs root).",
			!faults + !procs + !tlb + !clock + !pff);
		if (faults)
			exp_faults(&e, &f);
		if (tlb)
			exp_tlb(&e, tlb);
		if (procs) {
			exp_pick(&x, &p, clock, top);
			exp_processes(&e, &x);
		}
		if (clock)
			exp_targets(&e, clock, "target", exp_clock_keys,
				    PGC_ARRAY_SIZE(exp_clock_keys), &p);
		if (pff)
			exp_targets(&e, pff, "pff", exp_pff_keys,
				    PGC_ARRAY_SIZE(exp_pff_keys), &p);
		pgc_procs_free(&p);
		free(tlb);
		free(clock);
		free(pff);
	}
	if (om)
		fputs("# EOF\n", out);
}

static volatile sig_atomic_t exp_stop;

static void exp_on_signal(int sig)
{
	(void)sig;
	exp_stop = 1;
}

/* SIGINT and SIGTERM end the loop: they interrupt accept() and sleeps. */
static void exp_signals(void)
{
	struct sigaction sa = { .sa_handler = exp_on_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* DIR/pageclock.prom, whole: a scrape reads the old file or the new. */
static int exp_write(const char *dir, long top)
{
	char path[4096], tmp[4096];
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "%s/" EXP_FILE, dir);
	/* Not *.prom: the collector skips it until the rename. */
	snprintf(tmp, sizeof(tmp), "%s/." EXP_FILE ".%d", dir, (int)getpid());
	f = fopen(tmp, "we");
	if (!f) {
		pgc_error("export: cannot write %s: %s", tmp, strerror(errno));
		return PGC_EXIT_FAIL;
	}
	export_render(f, false, top);
	err = fflush(f) || ferror(f) || fsync(fileno(f)) ? errno : 0;
	if (fclose(f) && !err)
		err = errno;
	if (!err && rename(tmp, path))
		err = errno;
	if (!err) {
		/* The rename itself on disk too. */
		int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (d >= 0) {
			fsync(d);
			close(d);
		}
	}
	if (err) {
		pgc_error("export: cannot write %s: %s", path, strerror(err));
		unlink(tmp);
		return PGC_EXIT_FAIL;
	}
	return PGC_EXIT_OK;
}

struct exp_tick {
	const char *dir;
	long top;
};

/* Every S seconds: on after a failed write (said), the next may work. */
static int exp_tick(void *ctx)
{
	const struct exp_tick *t = ctx;

	exp_write(t->dir, t->top);
	return 0;
}

/* Once: its status; with S, then on the CLI's own interval clock. */
static int exp_textfile(const char *dir, long interval_s, long top)
{
	struct exp_tick t = { dir, top };
	struct pgc_opts o = { .interval_ms = interval_s * 1000 };
	int st = exp_write(dir, top);

	return interval_s ? pgc_intervals(&o, 0, exp_tick, &t) : st;
}

/* A connection's whole exchange must end by then (CLOCK_MONOTONIC ms). */
#define EXP_CLIENT_MS 5000

static uint64_t exp_ms(void)
{
	return pgc_clock_ns(CLOCK_MONOTONIC) / 1000000;
}

/* Wait for @events on @c until @deadline: false when it passed. */
static bool exp_wait(int c, short events, uint64_t deadline)
{
	struct pollfd p = { .fd = c, .events = events };
	uint64_t now;

	while ((now = exp_ms()) < deadline && !exp_stop) {
		int r = poll(&p, 1, (int)(deadline - now));

		if (r > 0)
			return true;
		if (r < 0 && errno != EINTR)
			return false;
	}
	return false;
}

static bool exp_send(int c, const char *s, size_t n, uint64_t deadline)
{
	while (n) {
		ssize_t w;

		if (!exp_wait(c, POLLOUT, deadline))
			return false;
		w = send(c, s, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (w <= 0)
			return false;
		s += w;
		n -= w;
	}
	return true;
}

static void exp_reply(int c, uint64_t deadline, const char *status,
		      const char *type, const char *extra, const char *body,
		      size_t n, bool head)
{
	char h[512];
	int hn;

	hn = snprintf(h, sizeof(h),
		      "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%sConnection: close\r\n\r\n",
		      status, type, n, extra);
	if (exp_send(c, h, hn, deadline) && !head)
		exp_send(c, body, n, deadline);
}

/*
 * Does the request's Accept header take OpenMetrics: a media range of
 * it with a weight above 0 (Prometheus sends one; "q=0" refuses it)?
 */
static bool exp_wants_om(const char *req)
{
	static const char om[] = "application/openmetrics-text";
	const char *l = req, *end, *r;

	while ((l = strchr(l, '\n')) && strncasecmp(++l, "accept:", 7))
		;
	if (!l)
		return false;
	end = l + strcspn(l, "\r\n");
	for (r = l + 7; r < end; r++) {
		size_t n = strcspn(r, ",\r\n");
		const char *q;

		r += strspn(r, " \t");
		if (!strncasecmp(r, om, sizeof(om) - 1)) {
			q = strstr(r, "q=");
			if (!q || q >= r + n || strtod(q + 2, NULL) > 0)
				return true;
		}
		r += strcspn(r, ",\r\n");
	}
	return false;
}

/*
 * One request on @c, the whole exchange within EXP_CLIENT_MS (a client
 * that sends a byte at a time cannot hold the exporter, bug: a timeout
 * per read let it), GET or HEAD of /metrics answered.
 */
static void exp_serve(int c, long top)
{
	static const char text[] = "text/plain; charset=utf-8";
	uint64_t deadline = exp_ms() + EXP_CLIENT_MS;
	char req[8192], method[8], path[256];
	size_t n = 0, len = 0;
	char *body = NULL;
	bool om, head;
	FILE *m;

	req[0] = '\0';
	/* The head, to its blank line (a bare LF one too). */
	while (!strstr(req, "\r\n\r\n") && !strstr(req, "\n\n")) {
		ssize_t r;

		if (n == sizeof(req) - 1) {
			exp_reply(c, deadline, "431 Request Header Fields Too Large",
				  text, "", "too large\n", 10, false);
			return;
		}
		if (!exp_wait(c, POLLIN, deadline))
			return;
		r = recv(c, req + n, sizeof(req) - 1 - n, MSG_DONTWAIT);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0)
			return;
		n += r;
		req[n] = '\0';
	}
	if (sscanf(req, "%7s %255s", method, path) != 2) {
		exp_reply(c, deadline, "400 Bad Request", text, "",
			  "bad request\n", 12, false);
		return;
	}
	path[strcspn(path, "?")] = '\0';
	head = !strcmp(method, "HEAD");
	if (!head && strcmp(method, "GET")) {
		exp_reply(c, deadline, "405 Method Not Allowed", text,
			  "Allow: GET, HEAD\r\n", "GET or HEAD\n", 12, false);
		return;
	}
	if (strcmp(path, "/metrics")) {
		exp_reply(c, deadline, "404 Not Found", text, "",
			  "see /metrics\n", 13, head);
		return;
	}
	om = exp_wants_om(req);
	m = open_memstream(&body, &len);
	if (!m) {
		exp_reply(c, deadline, "500 Internal Server Error", text, "",
			  "out of memory\n", 14, head);
		return;
	}
	export_render(m, om, top);
	fclose(m);
	exp_reply(c, deadline, "200 OK",
		  om ? "application/openmetrics-text; version=1.0.0; charset=utf-8" :
		       "text/plain; version=0.0.4; charset=utf-8",
		  "", body, len, head);
	free(body);
}

/* A listening socket for @host (NULL: any) and @port of @family, or -errno. */
static int exp_bind(const char *host, const char *port, int family)
{
	struct addrinfo hint = { .ai_flags = AI_PASSIVE | AI_NUMERICSERV,
				 .ai_family = family,
				 .ai_socktype = SOCK_STREAM }, *res, *a;
	int fd = -1, one = 1, zero = 0, err = EADDRNOTAVAIL;

	if (getaddrinfo(host, port, &hint, &res))
		return -EADDRNOTAVAIL;
	for (a = res; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC,
			    a->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		/* Any address: IPv6's and, mapped, IPv4's. */
		if (!host && a->ai_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero,
				   sizeof(zero));
		if (!bind(fd, a->ai_addr, a->ai_addrlen) && !listen(fd, 16))
			break;
		err = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd >= 0 ? fd : -err;
}

/* [ADDR]:PORT, ADDR an IPv4 or [IPv6] address or a name; none: every one. */
static int exp_listen(const char *where, long top)
{
	struct addrinfo hint = { .ai_flags = AI_NUMERICSERV,
				 .ai_socktype = SOCK_STREAM }, *res;
	const char *colon = strrchr(where, ':');
	sigset_t stop, old;
	char host[256];
	int fd, err;

	if (!colon || !colon[1] || (size_t)(colon - where) >= sizeof(host)) {
		pgc_error("export: --listen takes [ADDR]:PORT, not '%s'", where);
		return PGC_EXIT_USAGE;
	}
	snprintf(host, sizeof(host), "%.*s", (int)(colon - where), where);
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	/* A bad address or port is a usage error, not a failure to bind. */
	err = getaddrinfo(*host ? host : NULL, colon + 1, &hint, &res);
	if (err) {
		pgc_error("export: --listen %s: %s", where, gai_strerror(err));
		return PGC_EXIT_USAGE;
	}
	freeaddrinfo(res);
	fd = *host ? exp_bind(host, colon + 1, AF_UNSPEC) :
		     exp_bind(NULL, colon + 1, AF_INET6);
	if (fd < 0 && !*host)	/* no IPv6 here */
		fd = exp_bind(NULL, colon + 1, AF_INET);
	if (fd < 0) {
		pgc_error("export: cannot listen on %s: %s", where, strerror(-fd));
		return PGC_EXIT_FAIL;
	}
	exp_signals();
	/*
	 * SIGINT and SIGTERM only inside ppoll(): one that came between the
	 * test of exp_stop and a blocking accept() waited for the next client
	 * (review).
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, &old);
	while (!exp_stop) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int c;

		if (ppoll(&p, 1, NULL, &old) <= 0)
			continue;
		c = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (c < 0) {
			/* A client gone before its accept, out of files: go on. */
			if (errno != EAGAIN && errno != EINTR)
				usleep(10000);
			continue;
		}
		exp_serve(c, top);
		/* Ours sent: no reset for what the client may still send. */
		shutdown(c, SHUT_WR);
		close(c);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fd);
	return PGC_EXIT_OK;
}

static const struct option export_opts[] = {
	{ "textfile", required_argument, NULL, 't' },
	{ "listen", required_argument, NULL, 'l' },
	{ "interval", required_argument, NULL, 'i' },
	{ "top", required_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ }
};

static int export_run(int argc, char **argv)
{
	const char *dir = NULL, *listen_on = NULL;
	long interval = 0, top = EXP_TOP_DEFAULT;
	int c, li, st;

	opterr = 0;
	optind = 1;
	while (li = -1, (c = getopt_long(argc, argv, "+:h", export_opts, &li)) != -1) {
		switch (c) {
		case 't':
			dir = optarg;
			break;
		case 'l':
			listen_on = optarg;
			break;
		case 'i':
			st = pgc_parse_num("export", "interval", optarg, 1,
					   86400, &interval);
			if (st)
				return st;
			break;
		case 'n':
			st = pgc_parse_num("export", "top", optarg, 0,
					   EXP_TOP_MAX, &top);
			if (st)
				return st;
			break;
		case 'h':
			export_help(stdout);
			return PGC_EXIT_OK;
		default:
			return pgc_opt_error("export", argv, export_opts, li, c);
		}
	}
	if (optind < argc) {
		pgc_error("export: unexpected argument '%s'", argv[optind]);
		return PGC_EXIT_USAGE;
	}
	if (!dir == !listen_on) {
		pgc_error("export: --textfile DIR or --listen [ADDR]:PORT, one of them");
		return PGC_EXIT_USAGE;
	}
	if (interval && !dir) {
		pgc_error("export: --interval is for --textfile (a scraper sets its own)");
		return PGC_EXIT_USAGE;
	}
	return dir ? exp_textfile(dir, interval, top) : exp_listen(listen_on, top);
}

const struct pgc_verb pgc_verb_export = {
	.name = "export",
	.summary = "Prometheus metrics: a textfile or an HTTP /metrics",
	.run = export_run,
	.help = export_help,
};
