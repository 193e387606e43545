// SPDX-License-Identifier: GPL-2.0
/*
 * pageclock pff: a target's Page-Fault-Frequency controller, its knobs,
 * state and history (debugfs "pff"), as text, JSON or a gnuplot PNG.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kdata.h"
#include "pageclock.h"

/* The keys of the state record, in the order the text shows them. */
static const char *const pff_keys[] = {
	"budget", "rss", "rate", "low", "high", "min", "max", "step",
	"window_ms", "cpu_ms", "windows", "raises", "lowers", "guarded",
	"samples",
};

/* Their JSON names, with units: a rate is faults per second of CPU time. */
static const char *const pff_json_keys[PGC_ARRAY_SIZE(pff_keys)] = {
	"budget_pages", "rss_pages", "rate_per_cpu_s", "low_per_cpu_s",
	"high_per_cpu_s", "min_pages", "max_pages", "step_pages",
	"window_ms", "cpu_ms", "windows", "raises", "lowers", "guarded",
	"samples",
};

/* A window in which no sample of the idle pages was judged ("idle -"). */
#define PFF_NO_SAMPLE UINT64_MAX

struct pff_rec {
	uint64_t t_ms, cpu_ms, rate, budget, rss, idle;
	char move[8];
};

static void pff_help(FILE *out)
{
	fputs("usage: pageclock pff --pid PID [--json] [--plot FILE.png]\n"
	      "The Page-Fault-Frequency controller of a target (turn it on with\n"
	      "'pageclock target add PID --pff'): its fault rate (refaults and\n"
	      "major faults per second of the process's CPU time), thresholds,\n"
	      "budget and RSS (4 KiB pages), and its history, one record per\n"
	      "window.  --plot draws rate, budget and RSS over time with gnuplot.\n",
	      out);
}

/* The history records of @pid, oldest first; their number, or -1. */
static int pff_history(const char *t, int pid, struct pff_rec **out)
{
	int n = 0, cap = 64;
	struct pff_rec *r = malloc(cap * sizeof(*r));
	const char *l;

	for (l = t; r && *l; l = strchr(l, '\n'), l = l ? l + 1 : "") {
		struct pff_rec x;
		char idle[24], *end;
		int p;

		if (sscanf(l, "history %d t_ms %" SCNu64 " cpu_ms %" SCNu64
			   " rate %" SCNu64 " budget %" SCNu64 " rss %" SCNu64
			   " idle %23s move %7s", &p, &x.t_ms, &x.cpu_ms,
			   &x.rate, &x.budget, &x.rss, idle, x.move) != 8 ||
		    p != pid)
			continue;
		x.idle = strtoull(idle, &end, 10);
		if (!strcmp(idle, "-"))
			x.idle = PFF_NO_SAMPLE;
		else if (*end || idle[0] == '-' || x.idle == PFF_NO_SAMPLE)
			continue;
		r = pgc_rows_room(r, n, &cap, sizeof(*r));
		if (r)
			r[n++] = x;
	}
	*out = r;
	return r ? n : -1;
}

static void pff_json(const char *t, const char *pid,
		     const struct pff_rec *h, int n)
{
	struct pgc_json j;
	char comm[64];
	size_t i;
	int k;

	pgc_json_doc(&j, stdout);
	pgc_json_u64(&j, "pid", strtoull(pid, NULL, 10));
	pgc_json_str(&j, "comm", pgc_proc_comm(pid, comm));
	for (i = 0; i < PGC_ARRAY_SIZE(pff_keys); i++)
		pgc_json_u64(&j, pff_json_keys[i],
			     pgc_kv_rec(t, "pff", pid, pff_keys[i]));
	pgc_json_array(&j, "history");
	for (k = 0; k < n; k++) {
		pgc_json_object(&j, NULL);
		pgc_json_u64(&j, "elapsed_ms", h[k].t_ms);
		pgc_json_u64(&j, "cpu_ms", h[k].cpu_ms);
		pgc_json_u64(&j, "rate_per_cpu_s", h[k].rate);
		pgc_json_u64(&j, "budget_pages", h[k].budget);
		pgc_json_u64(&j, "rss_pages", h[k].rss);
		if (h[k].idle == PFF_NO_SAMPLE)
			pgc_json_null(&j, "idle_pages");
		else
			pgc_json_u64(&j, "idle_pages", h[k].idle);
		pgc_json_str(&j, "move", h[k].move);
		pgc_json_end(&j);
	}
	pgc_json_end(&j);
	pgc_json_end(&j);
}

/* The last windows shown as text; --json has them all. */
#define PFF_TEXT_ROWS 20

static void pff_text(const char *t, const char *pid,
		     const struct pff_rec *h, int n)
{
	char comm[PGC_NAME_TEXT], b1[32], b2[32];
	uint64_t v[PGC_ARRAY_SIZE(pff_keys)];
	size_t i;
	int k;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		v[i] = pgc_kv_rec(t, "pff", pid, pff_keys[i]);
	printf("pff %s (%s)\n", pid, pgc_proc_comm_text(pid, comm));
	printf("  budget %10" PRIu64 " pages (%s)   rss %10" PRIu64 " pages (%s)\n",
	       v[0], pgc_fmt_bytes(b1, sizeof(b1), v[0] * 4096.0), v[1],
	       pgc_fmt_bytes(b2, sizeof(b2), v[1] * 4096.0));
	printf("  rate   %10" PRIu64 " faults per CPU second (low %" PRIu64
	       ", high %" PRIu64 ")\n", v[2], v[3], v[4]);
	printf("  range  %10" PRIu64 " .. %" PRIu64 " pages, step %" PRIu64
	       ", window %" PRIu64 " ms of CPU time\n", v[5], v[6], v[7], v[8]);
	printf("  windows %9" PRIu64 " (CPU time %" PRIu64 " ms): %" PRIu64
	       " raises, %" PRIu64 " lowers, %" PRIu64 " held by the guard,"
	       " %" PRIu64 " sampled\n", v[10], v[9], v[11], v[12], v[13],
	       v[14]);
	if (!n)
		return;
	printf("\n  %9s %9s %9s %10s %10s %10s  %s\n", "time(s)", "cpu(s)",
	       "rate", "budget", "rss", "idle", "move");
	for (k = n > PFF_TEXT_ROWS ? n - PFF_TEXT_ROWS : 0; k < n; k++) {
		char idle[24] = "-";

		if (h[k].idle != PFF_NO_SAMPLE)
			snprintf(idle, sizeof(idle), "%" PRIu64, h[k].idle);
		printf("  %9.1f %9.2f %9" PRIu64 " %10" PRIu64 " %10" PRIu64
		       " %10s  %s\n", h[k].t_ms / 1e3, h[k].cpu_ms / 1e3,
		       h[k].rate, h[k].budget, h[k].rss, idle, h[k].move);
	}
}

struct pff_plot {
	const char *pid;
	const struct pff_rec *h;
	int n;
};

/*
 * gnuplot's script for the plot: rate (right axis), budget, RSS and pages
 * in use (left) over wall time.
 */
static void pff_plot_script(FILE *g, const void *arg)
{
	const struct pff_plot *pl = arg;
	const struct pff_rec *h = pl->h;
	const char *pid = pl->pid;
	int k, n = pl->n;

	fprintf(g, "set terminal pngcairo size 1000,560\n"
		"set title 'pageclock PFF controller, pid %s'\n"
		"set xlabel 'time (s)'\nset ylabel 'pages'\n"
		"set y2label 'faults per CPU second'\nset ytics nomirror\n"
		"set y2tics\nset yrange [0:*]\nset y2range [0:*]\n"
		"set key top left\nset grid\nset datafile missing \"NaN\"\n"
		"$d << EOD\n", pid);
	/* No pages in use to draw where none were judged: NaN, joined across. */
	for (k = 0; k < n; k++) {
		char use[24] = "NaN";

		if (h[k].idle != PFF_NO_SAMPLE)
			snprintf(use, sizeof(use), "%" PRIu64, h[k].rss -
				 (h[k].idle < h[k].rss ? h[k].idle : h[k].rss));
		fprintf(g, "%.3f %" PRIu64 " %" PRIu64 " %" PRIu64 " %s\n",
			h[k].t_ms / 1e3, h[k].budget, h[k].rss, h[k].rate, use);
	}
	fputs("EOD\nplot $d using 1:2 with steps lw 2 title 'budget', "
	      "$d using 1:3 with lines lw 2 title 'RSS', "
	      "$d using 1:5 with lines title 'in use (RSS - idle)', "
	      "$d using 1:4 axes x1y2 with impulses title 'fault rate'\n", g);
}

static int pff_run(int argc, char **argv)
{
	struct pgc_opts o;
	struct pff_rec *h = NULL;
	char pid[16], key[32], *t;
	int st, n;

	st = pgc_verb_start(&pgc_verb_pff, argc, argv,
			    PGC_OPT_NEED_PID | PGC_OPT_PLOT, &o);
	if (st >= 0)
		return st;
	t = pgc_slurp("pff");
	if (!t)
		return PGC_EXIT_FAIL;
	snprintf(pid, sizeof(pid), "%d", o.pid);
	snprintf(key, sizeof(key), "pff %d ", o.pid);
	if (!strstr(t, key)) {
		pgc_error("pff: %d has no PFF controller (pageclock target add %d --pff)",
			  o.pid, o.pid);
		free(t);
		return PGC_EXIT_NO_PROCESS;
	}
	n = pff_history(t, o.pid, &h);
	if (n < 0) {
		pgc_error("pff: out of memory");
		st = PGC_EXIT_FAIL;
	} else if (o.plot && !n) {
		pgc_error("pff: no history to plot yet (no window of CPU time has ended)");
		st = PGC_EXIT_FAIL;
	} else if (o.plot) {
		struct pff_plot pl = { pid, h, n };

		st = pgc_plot("pff", o.plot, pff_plot_script, &pl);
		if (!st)
			fprintf(o.json ? stderr : stdout,
				"pff: wrote %s (%d windows)\n", o.plot, n);
	} else if (o.json) {
		pff_json(t, pid, h, n);
		st = PGC_EXIT_OK;
	} else {
		pff_text(t, pid, h, n);
		st = PGC_EXIT_OK;
	}
	free(h);
	free(t);
	return st;
}

const struct pgc_verb pgc_verb_pff = {
	.name = "pff",
	.summary = "a target's Page-Fault-Frequency controller and its history",
	.run = pff_run,
	.help = pff_help,
};
