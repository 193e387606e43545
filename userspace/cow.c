// SPDX-License-Identifier: GPL-2.0
/* pageclock cow: copy-on-write efficiency of recent forks. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kdata.h"
#include "pageclock.h"

static void cow_help(FILE *out)
{
	fputs("usage: pageclock cow [--pid PID] [-I MS [--count N]] [--json]\n"
	      "For each recent fork: S, the pages it left shared copy-on-write\n"
	      "(counted before the child ran; marked ~ if the parent had pages\n"
	      "pinned for DMA, which fork copies), and c, the copy faults\n"
	      "those cost in the parent and the child until the child exited\n"
	      "or exec'd.  c/S near 0: sharing worked; near 1: nearly every\n"
	      "shared page was copied anyway.  --pid: forks made by PID (or\n"
	      "that made PID), and PID's sums.\n"
	      "-I/--interval MS: each interval, the forks made in it and what\n"
	      "each process's sums gained (JSON: one object per line), until\n"
	      "interrupted or --count reports.\n", out);
}

static double cow_ratio(uint64_t s, uint64_t c)
{
	return s ? (double)c / s : 0;
}

void pgc_fork_header(FILE *out)
{
	fprintf(out, "%6s %7s %7s %10s %9s %9s %6s %-7s %s\n", "seq", "parent",
	       "child", "shared(S)", "c_parent", "c_child", "c/S", "state",
	       "verdict");
}

/* One fork record as a table row. */
unsigned int pgc_fork_print(FILE *out, const struct pgc_fork_row *r)
{
	uint64_t c = r->c_parent + r->c_child;
	enum pgc_cow_v v = pgc_cow_verdict(r->shared, c, r->state);

	fprintf(out, "%6" PRIu64 " %7d %7d %10" PRIu64 "%s %9" PRIu64 " %9" PRIu64
		" %6.3f %-7s %s\n", r->seq, r->parent, r->child,
		r->shared, r->pinned ? "~" : " ", r->c_parent,
		r->c_child, cow_ratio(r->shared, c), r->state,
		pgc_cow_verdicts[v].word);
	return 1U << v | (r->pinned ? PGC_COW_SEEN_PINNED : 0);
}

/* c/S in JSON: unknown (null) when nothing was shared (bug: 0). */
static void cow_ratio_json(struct pgc_json *j, uint64_t s, uint64_t c)
{
	pgc_json_f64(j, "ratio", s ? cow_ratio(s, c) : NAN, 4);
}

/* The verdict on @copies of @shared pages, word and advice. */
void pgc_cow_json(struct pgc_json *j, uint64_t shared, uint64_t copies,
		  const char *state)
{
	enum pgc_cow_v v = pgc_cow_verdict(shared, copies, state);

	cow_ratio_json(j, shared, copies);
	pgc_json_str(j, "verdict", pgc_cow_verdicts[v].word);
	pgc_json_str(j, "advice", pgc_cow_verdicts[v].text);
}

void pgc_fork_json(struct pgc_json *j, const struct pgc_fork_row *r)
{
	uint64_t c = r->c_parent + r->c_child;

	pgc_json_object(j, NULL);
	pgc_json_u64(j, "seq", r->seq);
	pgc_json_s64(j, "parent", r->parent);
	pgc_json_s64(j, "child", r->child);
	pgc_json_str(j, "comm", r->comm);
	pgc_json_u64(j, "shared_pages", r->shared);
	pgc_json_bool(j, "pinned", r->pinned);
	pgc_json_u64(j, "cow_copies", c);
	pgc_json_u64(j, "cow_copies_parent", r->c_parent);
	pgc_json_u64(j, "cow_copies_child", r->c_child);
	pgc_json_str(j, "state", r->state);
	pgc_cow_json(j, r->shared, c, r->state);
	pgc_json_end(j);
}

/* The advice of each verdict in @seen, wrapped to 80 columns. */
void pgc_fork_legend(FILE *out, unsigned int seen)
{
	int v, col, n;
	const char *w;

	for (v = 0; v < PGC_COW_NV; v++) {
		if (!(seen & 1U << v))
			continue;
		col = fprintf(out, "  %-7s", pgc_cow_verdicts[v].word);
		for (w = pgc_cow_verdicts[v].text; *w; w += n + !!w[n]) {
			n = strcspn(w, " ");
			if (col + 1 + n > 79)
				col = fprintf(out, "\n%9s", "") - 1;
			col += fprintf(out, " %.*s", n, w);
		}
		fputc('\n', out);
	}
	if (seen & PGC_COW_SEEN_PINNED)
		fprintf(out, "  %-7s S may count pages the parent had pinned for DMA,\n"
			"%9s which fork copies instead of sharing\n", "~", "");
}

/* Forks and processes --pid names: all of them without it. */
static bool cow_shown(const struct pgc_opts *o, pid_t a, pid_t b)
{
	return !o->has_pid || a == o->pid || b == o->pid;
}

static void cow_json(const struct pgc_forks *f, const struct pgc_procs *p,
		     const struct pgc_opts *o, uint64_t dt_ns)
{
	struct pgc_json j;
	int i;

	pgc_json_doc(&j, stdout);
	if (dt_ns)
		pgc_json_u64(&j, "interval_ns", dt_ns);
	pgc_json_array(&j, "forks");
	for (i = 0; i < f->n; i++)
		if (cow_shown(o, f->rows[i].parent, f->rows[i].child))
			pgc_fork_json(&j, &f->rows[i]);
	pgc_json_end(&j);
	pgc_json_array(&j, "processes");
	for (i = 0; i < p->n; i++) {
		const struct pgc_proc_row *r = &p->rows[i];

		/* Copies come from forks: only an interval has one without. */
		if (!(r->forks || r->cow_copies) || !cow_shown(o, r->tgid, r->tgid))
			continue;
		pgc_json_object(&j, NULL);
		pgc_json_s64(&j, "pid", r->tgid);
		pgc_json_str(&j, "comm", r->comm);
		pgc_json_u64(&j, "fork_count", r->forks);
		pgc_json_u64(&j, "shared_pages", r->cow_shared);
		pgc_json_u64(&j, "cow_copies", r->cow_copies);
		/* An interval's copies are of older forks too: no ratio. */
		if (dt_ns)
			pgc_json_null(&j, "ratio");
		else
			cow_ratio_json(&j, r->cow_shared, r->cow_copies);
		pgc_json_end(&j);
	}
	pgc_json_end(&j);
	pgc_json_end(&j);
}

static void cow_text(const struct pgc_forks *f, const struct pgc_procs *p,
		     const struct pgc_opts *o, uint64_t dt_ns)
{
	char name[PGC_NAME_TEXT];
	unsigned int seen = 0;
	int i;

	if (dt_ns)
		printf("forks in %.2f s:\n", dt_ns / 1e9);
	pgc_fork_header(stdout);
	for (i = 0; i < f->n; i++) {
		const struct pgc_fork_row *r = &f->rows[i];

		if (cow_shown(o, r->parent, r->child))
			seen |= pgc_fork_print(stdout, r);
	}
	pgc_fork_legend(stdout, seen);
	printf("\nper process (%s over its forks):\n%7s %-16s %6s %10s %10s %6s\n",
	       dt_ns ? "what the interval added to the sums" : "sums",
	       "pid", "comm", "forks", "shared(S)", "copies(c)", "c/S");
	for (i = 0; i < p->n; i++) {
		const struct pgc_proc_row *r = &p->rows[i];

		if (!(r->forks || r->cow_copies) || !cow_shown(o, r->tgid, r->tgid))
			continue;
		printf("%7d %-16s %6" PRIu64 " %10" PRIu64 " %10" PRIu64,
		       r->tgid, pgc_name_text(r->comm, name), r->forks,
		       r->cow_shared, r->cow_copies);
		if (dt_ns)
			printf(" %6s\n", "-");
		else
			printf(" %6.3f\n", cow_ratio(r->cow_shared, r->cow_copies));
	}
}

/* One read of the module's forks and processes. */
struct cow_snap {
	uint64_t time_ns;
	struct pgc_forks f;
	struct pgc_procs p;
};

static void cow_free(struct cow_snap *s)
{
	pgc_forks_free(&s->f);
	pgc_procs_free(&s->p);
}

static int cow_read(const struct pgc_opts *o, struct cow_snap *s)
{
	int st;

	memset(s, 0, sizeof(*s));
	s->time_ns = pgc_clock_ns(CLOCK_MONOTONIC);
	st = pgc_read_forks(&s->f);
	if (st)
		return st;
	st = pgc_read_procs(&s->p);
	if (!st)
		st = pgc_procs_index_id(&s->p);
	if (st) {
		cow_free(s);
		return st;
	}
	if (o->has_pid && !o->pid_alive && !pgc_proc_find(&s->p, o->pid)) {
		pgc_error("cow: no such process %d (or none the module saw)", o->pid);
		cow_free(s);
		return PGC_EXIT_NO_PROCESS;
	}
	return PGC_EXIT_OK;
}

/*
 * What came between @a and @b, into @d (rows of its own): the forks made
 * since @a, as they stand now, and each process's sums less those of its
 * entry in @a (the same entry: its id, not its reusable pid), those the
 * interval did not change left out.
 */
static int cow_since(const struct cow_snap *a, const struct cow_snap *b,
		     struct cow_snap *d)
{
	uint64_t last = 0;
	int i;

	memset(d, 0, sizeof(*d));
	d->p.cls = b->p.cls;
	d->f.rows = calloc(b->f.n + 1, sizeof(*d->f.rows));
	d->p.rows = calloc(b->p.n + 1, sizeof(*d->p.rows));
	if (!d->f.rows || !d->p.rows) {
		cow_free(d);
		pgc_error("cow: out of memory");
		return PGC_EXIT_FAIL;
	}
	for (i = 0; i < a->f.n; i++)
		if (a->f.rows[i].seq > last)
			last = a->f.rows[i].seq;
	for (i = 0; i < b->f.n; i++)
		if (b->f.rows[i].seq > last)
			d->f.rows[d->f.n++] = b->f.rows[i];
	for (i = 0; i < b->p.n; i++) {
		struct pgc_proc_row r = b->p.rows[i];
		const struct pgc_proc_row *then = pgc_proc_by_id(&a->p, r.id);

		if (then)
			pgc_proc_since(&r, then);
		if (r.forks || r.cow_copies)
			d->p.rows[d->p.n++] = r;
	}
	return PGC_EXIT_OK;
}

static void cow_print(const struct pgc_opts *o, const struct cow_snap *s,
		      uint64_t dt_ns)
{
	if (o->json)
		cow_json(&s->f, &s->p, o, dt_ns);
	else
		cow_text(&s->f, &s->p, o, dt_ns);
}

/* -I: what came since the last read, @ctx. */
struct cow_interval {
	const struct pgc_opts *o;
	struct cow_snap *a;
};

static int cow_tick(void *ctx)
{
	struct cow_interval *ci = ctx;
	const struct pgc_opts *o = ci->o;
	const struct pgc_proc_row *was, *now;
	struct cow_snap b, d;
	int st = cow_read(o, &b);

	if (st)
		return st;
	/* --pid: its pid now names another process: this one is done. */
	was = o->has_pid ? pgc_proc_find(&ci->a->p, o->pid) : NULL;
	now = o->has_pid ? pgc_proc_find(&b.p, o->pid) : NULL;
	if (was && (!now || now->id != was->id)) {
		cow_free(&b);
		return PGC_INTERVAL_LAST;
	}
	st = cow_since(ci->a, &b, &d);
	if (st) {
		cow_free(&b);
		return st;
	}
	cow_print(o, &d, b.time_ns - ci->a->time_ns);
	if (!o->json)
		putchar('\n');
	cow_free(&d);
	cow_free(ci->a);
	*ci->a = b;	/* the next interval starts at this read */
	/* Its last interval is printed. */
	return now && now->exited ? PGC_INTERVAL_LAST : PGC_EXIT_OK;
}

static int cow_run(int argc, char **argv)
{
	struct cow_snap s;
	struct pgc_opts o;
	int st;

	st = pgc_verb_start(&pgc_verb_cow, argc, argv,
			    PGC_OPT_PID | PGC_OPT_INTERVAL, &o);
	if (st >= 0)
		return st;
	st = cow_read(&o, &s);
	if (st)
		return st;
	if (o.has_interval) {
		struct cow_interval ci = { &o, &s };

		st = pgc_intervals(&o, 0, cow_tick, &ci);
	} else {
		cow_print(&o, &s, 0);
	}
	cow_free(&s);
	return st;
}

const struct pgc_verb pgc_verb_cow = {
	.name = "cow",
	.summary = "copy-on-write efficiency of recent forks",
	.run = cow_run,
	.help = cow_help,
};
