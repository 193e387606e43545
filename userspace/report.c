// SPDX-License-Identifier: GPL-2.0
/*
 * pageclock report: a 'pageclock record' file summed up, as text, JSON or
 * PNG plots.  The file: a header object, an object per interval, an end
 * object, one per line (record.c), each read as JSON (jsonread.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kdata.h"
#include "pageclock.h"

static void report_help(FILE *out)
{
	fputs("usage: pageclock report FILE [--json] [--plot DIR]\n"
	      "Sum up a 'pageclock record' file: duration, faults by class and\n"
	      "the peak rate, RSS, and what the CLOCK and PFF did.  --plot DIR\n"
	      "draws DIR/faults.png (fault rates over time, by class) and, for\n"
	      "a process, DIR/memory.png (RSS, budget, evictions, refaults).\n",
	      out);
}

/* One interval of the record. */
struct rep_iv {
	double t, dt;		/* end, length: seconds */
	uint64_t minor, major, count[PGC_MAX_CLASSES];
	uint64_t rss, budget, evicted, refaults, pff_rate, procs;
	uint64_t forks, cow, tlb;
	bool target, pff;
};

struct rep {
	char scope[16], comm[64], kernel[64];
	long pid, interval_ms, exit_status;
	double duration;
	bool ended, has_status;
	struct pgc_classes cls;	/* the classes seen, in order of first use */
	struct rep_iv *iv;
	int n;
};

/*
 * Member @key of @o: a whole number from 0 to 2^64 - 1, false if absent.
 * A value of another kind makes the line bad: *@bad names the member.
 */
static bool rep_u64(const struct pgc_jval *o, const char *key, uint64_t *v,
		    const char **bad)
{
	const struct pgc_jval *m = pgc_jget(o, key);

	if (!m)
		return false;
	if (m->type != PGC_JNUM || !m->is_u64) {
		*bad = key;
		return false;
	}
	*v = m->u64;
	return true;
}

/* The same, 0 when absent. */
static uint64_t rep_u64_or0(const struct pgc_jval *o, const char *key,
			    const char **bad)
{
	uint64_t v = 0;

	rep_u64(o, key, &v, bad);
	return v;
}

/* Member @key of @o, a string, into @buf ("" if absent). */
static void rep_str(const struct pgc_jval *o, const char *key, char *buf,
		    size_t len, const char **bad)
{
	const struct pgc_jval *m = pgc_jget(o, key);

	buf[0] = '\0';
	if (m && m->type != PGC_JSTR)
		*bad = key;
	else if (m)
		snprintf(buf, len, "%s", m->str);
}

/* A class name as the module makes them, so none reaches a script raw. */
static bool rep_name_ok(const char *name)
{
	return *name && strlen(name) < sizeof(((struct pgc_classes *)0)->name[0]) &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") ==
	       strlen(name);
}

/* The "faults" object of an interval line, CLASS: N, into @iv. */
static void rep_classes(struct rep *r, const struct pgc_jval *line,
			struct rep_iv *iv, const char **bad)
{
	const struct pgc_jval *f = pgc_jget(line, "faults");
	int i, k;

	if (!f)
		return;
	if (f->type != PGC_JOBJ) {
		*bad = "faults";
		return;
	}
	for (k = 0; k < f->n; k++) {
		const struct pgc_jval *c = &f->kids[k];

		if (c->type != PGC_JNUM || !c->is_u64) {
			*bad = "faults";
			return;
		}
		if (!rep_name_ok(c->key))
			continue;	/* not one of ours: not shown, not plotted */
		i = pgc_class_index(&r->cls, c->key);
		if (i < 0 && r->cls.n < PGC_MAX_CLASSES) {
			i = r->cls.n++;
			snprintf(r->cls.name[i], sizeof(r->cls.name[i]), "%s",
				 c->key);
		}
		if (i >= 0)
			iv->count[i] = c->u64;
	}
}

/* The header: which record it is.  0, or an error status. */
static int rep_header(const char *file, const struct pgc_jval *h,
		      struct rep *r, const char **bad)
{
	const struct pgc_jval *f = pgc_jget(h, "pageclock_record");
	uint64_t v;

	if (!f || f->type != PGC_JNUM) {
		pgc_error("report: %s is not a pageclock record (format %d)",
			  file, PGC_RECORD_FORMAT);
		return PGC_EXIT_USAGE;
	}
	if (!f->is_u64 || f->u64 != PGC_RECORD_FORMAT) {
		pgc_error("report: %s: format %g: this report reads format %d",
			  file, f->num, PGC_RECORD_FORMAT);
		return PGC_EXIT_USAGE;
	}
	rep_str(h, "scope", r->scope, sizeof(r->scope), bad);
	rep_str(h, "comm", r->comm, sizeof(r->comm), bad);
	rep_str(h, "kernel", r->kernel, sizeof(r->kernel), bad);
	r->pid = rep_u64(h, "pid", &v, bad) ? (long)v : 0;
	r->interval_ms = rep_u64(h, "interval_ms", &v, bad) ? (long)v : 0;
	return 0;
}

/* One line after the header: an interval, or the end.  False if bad. */
static bool rep_line(struct rep *r, const struct pgc_jval *l, int *cap,
		     const char **bad)
{
	const struct pgc_jval *end = pgc_jget(l, "end"), *tot;
	struct rep_iv *iv;
	uint64_t v = 0;

	if (end) {
		if (end->type != PGC_JBOOL || !end->b) {
			*bad = "end";
			return false;
		}
		r->ended = true;
		r->duration = rep_u64_or0(l, "elapsed_ns", bad) / 1e9;
		r->has_status = rep_u64(l, "exit_status", &v, bad);
		r->exit_status = v;
		return !*bad;
	}
	if (!rep_u64(l, "elapsed_ns", &v, bad)) {
		if (!*bad)
			*bad = "elapsed_ns (none: not an interval)";
		return false;
	}
	r->iv = pgc_rows_room(r->iv, r->n, cap, sizeof(*r->iv));
	if (!r->iv)
		return false;
	iv = &r->iv[r->n++];
	memset(iv, 0, sizeof(*iv));
	iv->t = v / 1e9;
	iv->dt = rep_u64_or0(l, "interval_ns", bad) / 1e9;
	tot = pgc_jget(l, "totals");
	if (tot && tot->type != PGC_JOBJ)
		*bad = "totals";
	iv->minor = rep_u64_or0(tot, "minor", bad);
	iv->major = rep_u64_or0(tot, "major", bad);
	iv->rss = rep_u64_or0(l, "rss_pages", bad);
	iv->procs = rep_u64_or0(l, "process_count", bad);
	iv->forks = rep_u64_or0(l, "fork_count", bad);
	iv->cow = rep_u64_or0(l, "cow_copies", bad);
	iv->tlb = rep_u64_or0(l, "tlb_sent", bad);
	iv->target = rep_u64(l, "budget_pages", &iv->budget, bad);
	iv->evicted = rep_u64_or0(l, "evicted_pages", bad);
	iv->refaults = rep_u64_or0(l, "refaults", bad);
	iv->pff = rep_u64(l, "pff_rate_per_cpu_s", &iv->pff_rate, bad);
	rep_classes(r, l, iv, bad);
	return !*bad;
}

/*
 * A record, read as JSON (any spacing, order or escapes: a record another
 * tool re-wrote reads the same), one object a line.  A last line cut
 * short (no newline: the record was stopped while writing it) is left
 * out; any other line that is not what record writes is refused.
 */
static int rep_read(const char *file, struct rep *r)
{
	FILE *f = fopen(file, "re");
	int cap = 64, lineno = 0, st = 0;
	char *line = NULL, why[128];
	const char *bad = NULL;
	size_t len = 0;
	ssize_t n;

	if (!f) {
		int err = errno;

		pgc_error("report: cannot read %s: %s", file, strerror(err));
		return err == ENOENT ? PGC_EXIT_NO_PROCESS : PGC_EXIT_FAIL;
	}
	memset(r, 0, sizeof(*r));
	r->iv = malloc(cap * sizeof(*r->iv));
	while (!st && r->iv && (n = getline(&line, &len, f)) > 0) {
		bool whole = line[n - 1] == '\n';
		struct pgc_jval *l;

		lineno++;
		l = pgc_jparse(line, n - whole, why, sizeof(why));
		if (!l && !whole && lineno > 1)
			break;		/* cut short while written */
		if (!l && lineno == 1) {
			pgc_error("report: %s is not a pageclock record (format %d)",
				  file, PGC_RECORD_FORMAT);
			st = PGC_EXIT_USAGE;
		} else if (!l) {
			pgc_error("report: %s line %d: not JSON: %s", file,
				  lineno, why);
			st = PGC_EXIT_USAGE;
		} else if (l->type != PGC_JOBJ) {
			bad = "(the line is no object)";
		} else if (lineno == 1) {
			st = rep_header(file, l, r, &bad);
		} else {
			rep_line(r, l, &cap, &bad);
		}
		pgc_jfree(l);
		if (!st && bad) {
			pgc_error("report: %s line %d: not as record writes it: %s",
				  file, lineno, bad);
			st = PGC_EXIT_USAGE;
		}
	}
	free(line);
	fclose(f);
	if (!st && !r->iv) {
		pgc_error("report: out of memory");
		st = PGC_EXIT_FAIL;
	}
	if (!st && !lineno) {
		pgc_error("report: %s is empty", file);
		st = PGC_EXIT_USAGE;
	}
	if (st) {
		free(r->iv);
		return st;
	}
	if (!r->ended && r->n)
		r->duration = r->iv[r->n - 1].t;
	return 0;
}

/* What report says: totals, peaks, and the ranks of the classes. */
struct rep_sum {
	uint64_t minor, major, count[PGC_MAX_CLASSES], forks, cow, tlb;
	uint64_t evicted, refaults, rss_min, rss_max, procs_max, classes;
	double rss_mean, peak, peak_t;
	int rank[PGC_MAX_CLASSES];	/* class indices, most faults first */
	bool target, pff;
	uint64_t budget_first, budget_last, pff_rate_max;
};

static const uint64_t *rep_sort_counts;

static int rep_by_count(const void *a, const void *b)
{
	uint64_t x = rep_sort_counts[*(const int *)a];
	uint64_t y = rep_sort_counts[*(const int *)b];

	return x < y ? 1 : x > y ? -1 : 0;
}

static void rep_sum(const struct rep *r, struct rep_sum *s)
{
	int i, k, nrss = 0;

	memset(s, 0, sizeof(*s));
	s->rss_min = UINT64_MAX;
	for (k = 0; k < r->n; k++) {
		const struct rep_iv *iv = &r->iv[k];
		double rate = iv->dt > 0 ? (iv->minor + iv->major) / iv->dt : 0;

		s->minor += iv->minor;
		s->major += iv->major;
		for (i = 0; i < r->cls.n; i++)
			s->count[i] += iv->count[i];
		s->forks += iv->forks;
		s->cow += iv->cow;
		s->tlb += iv->tlb;
		s->evicted += iv->evicted;
		s->refaults += iv->refaults;
		if (rate > s->peak) {
			s->peak = rate;
			s->peak_t = iv->t;
		}
		/* 0: gone at the interval's end, not a size it had. */
		if (iv->rss) {
			s->rss_min = iv->rss < s->rss_min ? iv->rss : s->rss_min;
			s->rss_max = iv->rss > s->rss_max ? iv->rss : s->rss_max;
			s->rss_mean += iv->rss;
			nrss++;
		}
		if (iv->procs > s->procs_max)
			s->procs_max = iv->procs;
		if (iv->target && !s->target)
			s->budget_first = iv->budget;
		if (iv->target) {
			s->target = true;
			s->budget_last = iv->budget;
		}
		if (iv->pff) {
			s->pff = true;
			if (iv->pff_rate > s->pff_rate_max)
				s->pff_rate_max = iv->pff_rate;
		}
	}
	if (s->rss_min == UINT64_MAX)
		s->rss_min = 0;
	if (nrss)
		s->rss_mean /= nrss;
	for (i = 0; i < r->cls.n; i++) {
		s->rank[i] = i;
		s->classes += s->count[i];
	}
	rep_sort_counts = s->count;
	qsort(s->rank, r->cls.n, sizeof(s->rank[0]), rep_by_count);
}

static void rep_text(const char *file, const struct rep *r,
		     const struct rep_sum *s)
{
	char name[PGC_NAME_TEXT], b1[32], b2[32];
	int i;

	printf("pageclock record %s: ", file);
	if (!strcmp(r->scope, "process"))
		printf("pid %ld (%s)", r->pid, pgc_name_text(r->comm, name));
	else
		printf("the whole system");
	printf(", %.1f s in %d intervals of %ld ms", r->duration, r->n,
	       r->interval_ms);
	if (r->has_status)
		printf(", exit status %ld", r->exit_status);
	printf("%s\n", r->ended ? "" : " (cut short: no end line)");
	printf("  faults: %" PRIu64 " minor, %" PRIu64 " major; peak %.0f/s at %.1f s\n",
	       s->minor, s->major, s->peak, s->peak_t);
	for (i = 0; i < r->cls.n && i < 8; i++) {
		int c = s->rank[i];

		if (!s->count[c])
			break;
		printf("    %-16s %12" PRIu64 " %5.1f%%\n", r->cls.name[c],
		       s->count[c], 100.0 * s->count[c] / s->classes);
	}
	if (!strcmp(r->scope, "process")) {
		printf("  RSS: %s to %s, mean %s; up to %" PRIu64 " processes\n",
		       pgc_fmt_bytes(b1, sizeof(b1), s->rss_min * 4096.0),
		       pgc_fmt_bytes(b2, sizeof(b2), s->rss_max * 4096.0),
		       pgc_fmt_bytes(name, sizeof(name), s->rss_mean * 4096),
		       s->procs_max);
		printf("  forks %" PRIu64 ", copy-on-write copies %" PRIu64
		       ", TLB shootdowns sent %" PRIu64 "\n", s->forks, s->cow,
		       s->tlb);
	}
	if (s->target)
		printf("  CLOCK: budget %s to %s, %" PRIu64 " pages evicted, %" PRIu64
		       " refaults\n",
		       pgc_fmt_bytes(b1, sizeof(b1), s->budget_first * 4096.0),
		       pgc_fmt_bytes(b2, sizeof(b2), s->budget_last * 4096.0),
		       s->evicted, s->refaults);
	if (s->pff)
		printf("  PFF: fault rate up to %" PRIu64 " per CPU second\n",
		       s->pff_rate_max);
}

static void rep_json(const struct rep *r, const struct rep_sum *s)
{
	bool process = !strcmp(r->scope, "process");
	struct pgc_json j;
	int i;

	/* No time_ns: a summary of a file, not a snapshot of the system. */
	pgc_json_init(&j, stdout, pgc_json_pretty);
	pgc_json_object(&j, NULL);
	pgc_json_str(&j, "scope", r->scope);
	if (process) {
		pgc_json_s64(&j, "pid", r->pid);
		pgc_json_str(&j, "comm", r->comm);
	}
	pgc_json_u64(&j, "duration_ns", r->duration * 1e9);
	pgc_json_s64(&j, "interval_count", r->n);
	pgc_json_s64(&j, "interval_ms", r->interval_ms);
	pgc_json_bool(&j, "ended", r->ended);
	if (r->has_status)
		pgc_json_s64(&j, "exit_status", r->exit_status);
	pgc_json_object(&j, "totals");
	pgc_json_u64(&j, "minor", s->minor);
	pgc_json_u64(&j, "major", s->major);
	pgc_json_end(&j);
	pgc_json_object(&j, "faults");
	for (i = 0; i < r->cls.n; i++)
		pgc_json_u64(&j, r->cls.name[s->rank[i]], s->count[s->rank[i]]);
	pgc_json_end(&j);
	pgc_json_f64(&j, "peak_faults_per_s", s->peak, 1);
	pgc_json_u64(&j, "peak_elapsed_ns", s->peak_t * 1e9);
	if (process) {
		pgc_json_u64(&j, "min_rss_pages", s->rss_min);
		pgc_json_u64(&j, "max_rss_pages", s->rss_max);
		pgc_json_f64(&j, "mean_rss_pages", s->rss_mean, 0);
		pgc_json_u64(&j, "max_process_count", s->procs_max);
		pgc_json_u64(&j, "fork_count", s->forks);
		pgc_json_u64(&j, "cow_copies", s->cow);
		pgc_json_u64(&j, "tlb_sent", s->tlb);
	}
	if (s->target) {
		pgc_json_object(&j, "clock");
		pgc_json_u64(&j, "first_budget_pages", s->budget_first);
		pgc_json_u64(&j, "last_budget_pages", s->budget_last);
		pgc_json_u64(&j, "evicted_pages", s->evicted);
		pgc_json_u64(&j, "refaults", s->refaults);
		pgc_json_end(&j);
	}
	if (s->pff) {
		pgc_json_object(&j, "pff");
		pgc_json_u64(&j, "max_rate_per_cpu_s", s->pff_rate_max);
		pgc_json_end(&j);
	}
	pgc_json_end(&j);
}

struct rep_plot {
	const struct rep *r;
	const struct rep_sum *s;
};

/* Fault rates over time: all, and the four classes with most faults. */
static void rep_plot_faults(FILE *g, const void *arg)
{
	const struct rep_plot *pl = arg;
	const struct rep *r = pl->r;
	int i, k, nc = r->cls.n < 4 ? r->cls.n : 4;

	fprintf(g, "set terminal pngcairo size 1000,560 noenhanced\n"
		"set title 'pageclock record: page faults per second'\n"
		"set xlabel 'time (s)'\nset ylabel 'faults/s'\nset yrange [0:*]\n"
		"set key top right\nset grid\n$d << EOD\n");
	for (k = 0; k < r->n; k++) {
		const struct rep_iv *iv = &r->iv[k];
		double dt = iv->dt > 0 ? iv->dt : 1;

		fprintf(g, "%.3f %.1f", iv->t, (iv->minor + iv->major) / dt);
		for (i = 0; i < nc; i++)
			fprintf(g, " %.1f", iv->count[pl->s->rank[i]] / dt);
		fputc('\n', g);
	}
	fputs("EOD\nplot $d using 1:2 with lines lw 2 title 'all'", g);
	for (i = 0; i < nc; i++)
		fprintf(g, ", $d using 1:%d with lines title '%s'", i + 3,
			r->cls.name[pl->s->rank[i]]);
	fputc('\n', g);
}

/* RSS and budget (pages), evictions and refaults per second (right). */
static void rep_plot_memory(FILE *g, const void *arg)
{
	const struct rep_plot *pl = arg;
	const struct rep *r = pl->r;
	int k;

	fprintf(g, "set terminal pngcairo size 1000,560 noenhanced\n"
		"set title 'pageclock record: memory of pid %ld'\n"
		"set xlabel 'time (s)'\nset ylabel 'pages'\n"
		"set y2label 'pages per second'\nset ytics nomirror\nset y2tics\n"
		"set yrange [0:*]\nset y2range [0:*]\nset key top left\n"
		"set grid\n$d << EOD\n", r->pid);
	for (k = 0; k < r->n; k++) {
		const struct rep_iv *iv = &r->iv[k];
		double dt = iv->dt > 0 ? iv->dt : 1;

		/* 0: the process was gone; no point on the line */
		if (iv->rss)
			fprintf(g, "%.3f %" PRIu64, iv->t, iv->rss);
		else
			fprintf(g, "%.3f NaN", iv->t);
		if (iv->target && iv->budget)
			fprintf(g, " %" PRIu64, iv->budget);
		else
			fputs(" NaN", g);	/* no budget: no line */
		fprintf(g, " %.1f %.1f\n", iv->evicted / dt, iv->refaults / dt);
	}
	fputs("EOD\nplot $d using 1:2 with lines lw 2 title 'RSS'", g);
	if (pl->s->target)
		fputs(", $d using 1:3 with steps lw 2 title 'budget'"
		      ", $d using 1:4 axes x1y2 with impulses title 'evicted/s'"
		      ", $d using 1:5 axes x1y2 with points title 'refaults/s'", g);
	fputc('\n', g);
}

/* The plots; what was written is said on @msg (stderr under --json). */
static int report_plots(const char *dir, const struct rep *r,
			const struct rep_sum *s, FILE *msg)
{
	struct rep_plot pl = { r, s };
	char path[4096];
	int st;

	/* As perf and damo do with their output: DIR made if missing. */
	if (mkdir(dir, 0777) && errno != EEXIST) {
		pgc_error("report: cannot make %s: %s", dir, strerror(errno));
		return PGC_EXIT_FAIL;
	}
	snprintf(path, sizeof(path), "%s/faults.png", dir);
	st = pgc_plot("report", path, rep_plot_faults, &pl);
	if (st)
		return st;
	fprintf(msg, "report: wrote %s\n", path);
	if (strcmp(r->scope, "process"))
		return 0;
	snprintf(path, sizeof(path), "%s/memory.png", dir);
	st = pgc_plot("report", path, rep_plot_memory, &pl);
	if (!st)
		fprintf(msg, "report: wrote %s\n", path);
	return st;
}

static int report_run(int argc, char **argv)
{
	static struct rep r;
	static struct rep_sum s;
	struct pgc_opts o;
	int st;

	/* "report FILE --json" as well as "report --json FILE". */
	if (argc > 2 && argv[1][0] != '-') {
		char *file = argv[1];

		memmove(argv + 1, argv + 2, (argc - 2) * sizeof(*argv));
		argv[argc - 1] = file;
	}
	st = pgc_parse_opts(&pgc_verb_report, argc, argv, PGC_OPT_PLOT, &o);
	if (st >= 0)
		return st;
	if (optind + 1 != argc) {
		pgc_error("report: one record file (pageclock report FILE)");
		return PGC_EXIT_USAGE;
	}
	st = rep_read(argv[optind], &r);
	if (st)
		return st;
	rep_sum(&r, &s);
	if (o.json)
		rep_json(&r, &s);
	else if (!o.plot)
		rep_text(argv[optind], &r, &s);
	if (o.plot)
		st = report_plots(o.plot, &r, &s, o.json ? stderr : stdout);
	free(r.iv);
	return st;
}

const struct pgc_verb pgc_verb_report = {
	.name = "report",
	.summary = "sum up and plot a 'pageclock record' file",
	.run = report_run,
	.help = report_help,
};
