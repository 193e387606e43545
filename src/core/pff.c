// SPDX-License-Identifier: GPL-2.0
/*
 * The Page-Fault-Frequency controller's decisions (Documentation/design.md):
 * a thermostat per target.  Fault rate above high: the budget is too small,
 * raise it by the pages it lacked (its faults) or a step, doubling while it
 * stays too small, then let one window pass unjudged: its faults are the
 * refill the raise allowed.  Below low for a while: take back the pages
 * the last window did not touch, at most half at a time, unless memory is
 * under pressure or the rate is climbing; a calm window that touched more than the budget
 * raises it to what it touched.  After a raise, hold for some windows so
 * that a cut too deep is not repeated at once.  While the samples of the
 * pages a window did not touch find nothing to give back, they grow
 * sparse (PGC_PFF_SPARSE); any other turn makes them dense again.
 */
#include <linux/errno.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/time64.h>
#include "core/pff.h"

static const char *const pgc_pff_moves[] = {
	[PGC_PFF_WAIT] = "wait",
	[PGC_PFF_STAY] = "stay",
	[PGC_PFF_RAISE] = "raise",
	[PGC_PFF_LOWER] = "lower",
	[PGC_PFF_GUARD] = "guard",
};

const char *pgc_pff_move_name(enum pgc_pff_move m)
{
	return m < ARRAY_SIZE(pgc_pff_moves) ? pgc_pff_moves[m] : "?";
}

/* The knobs as an array, in the order of enum pgc_pff_knob_id. */
#define PGC_PFF_AT(field, id)	\
	BUILD_BUG_ON(offsetof(struct pgc_pff_knobs, field) != (id) * sizeof(u64))
u64 *pgc_pff_knob(struct pgc_pff_knobs *k, unsigned int i)
{
	BUILD_BUG_ON(sizeof(*k) != PGC_PFF_NKNOBS * sizeof(u64));
	PGC_PFF_AT(low, PGC_PFF_K_LOW);
	PGC_PFF_AT(high, PGC_PFF_K_HIGH);
	PGC_PFF_AT(min, PGC_PFF_K_MIN);
	PGC_PFF_AT(max, PGC_PFF_K_MAX);
	PGC_PFF_AT(step, PGC_PFF_K_STEP);
	PGC_PFF_AT(window_ms, PGC_PFF_K_WINDOW_MS);
	return (u64 *)k + i;
}

static u64 pgc_pff_knob_get(const struct pgc_pff_knobs *k, unsigned int i)
{
	return ((const u64 *)k)[i];
}

void pgc_pff_defaults(struct pgc_pff_knobs *k, u64 max_pages)
{
	unsigned int i;

	/* A default above its bound (256 pages on a tinier machine): the bound. */
	for (i = 0; i < PGC_PFF_NKNOBS; i++) {
		const struct pgc_knob_desc *d = &pgc_pff_knob_descs[i];

		*pgc_pff_knob(k, i) = min(pgc_knob_bound(d->def, max_pages),
					  pgc_knob_bound(d->max, max_pages));
	}
}

int pgc_pff_check(const struct pgc_pff_knobs *k, u64 max_pages)
{
	unsigned int i;

	for (i = 0; i < PGC_PFF_NKNOBS; i++)
		if (pgc_knob_check(&pgc_pff_knob_descs[i],
				   pgc_pff_knob_get(k, i), max_pages))
			return -EINVAL;
	return k->low < k->high && k->min <= k->max ? 0 : -EINVAL;
}

void pgc_pff_start(struct pgc_pff *s, u64 cpu_ns, u64 faults)
{
	s->cpu_ns = cpu_ns;
	s->faults = faults;
}

/*
 * Bug (review): a controller began with nothing primed judged its first
 * calm window by every bit set since the process started, and with no
 * RSS before it to see the hand at work: a target that had touched 16000
 * pages once was raised to about 13000 from a budget of 2000.
 */
void pgc_pff_init(struct pgc_pff *s, u64 cpu_ns, u64 faults, u64 rss)
{
	memset(s, 0, sizeof(*s));
	pgc_pff_start(s, cpu_ns, faults);
	s->prev_rss = rss;
	s->due_in = 1;
	s->fresh = true;
}

/* Virtual time: a process that does not run does not end a window. */
bool pgc_pff_window_done(const struct pgc_pff_knobs *k, const struct pgc_pff *s,
			 u64 cpu_ns)
{
	return cpu_ns >= s->cpu_ns &&
	       cpu_ns - s->cpu_ns >= k->window_ms * NSEC_PER_MSEC;
}

/* Faults per second of CPU time; saturates instead of overflowing. */
static u64 pgc_pff_rate(u64 faults, u64 cpu_ns)
{
	if (faults > U64_MAX / NSEC_PER_SEC)
		return U64_MAX;
	return div64_u64(faults * NSEC_PER_SEC, cpu_ns);
}

/* Keep in step with pgc_pff_tick(): a sample where it reads one. */
enum pgc_pff_sample pgc_pff_wants_sample(const struct pgc_pff_knobs *k,
					 const struct pgc_pff *s, u64 cpu_ns,
					 u64 faults)
{
	if (cpu_ns < s->cpu_ns || faults < s->faults ||
	    !pgc_pff_window_done(k, s, cpu_ns) || s->settle ||
	    pgc_pff_rate(faults - s->faults, cpu_ns - s->cpu_ns) >= k->low ||
	    s->due_in > 1)
		return PGC_PFF_SAMPLE_NONE;
	return s->due_in ? PGC_PFF_SAMPLE_PRIME : PGC_PFF_SAMPLE_JUDGE;
}

/* A step times 2^@run, at most PGC_PFF_BURST steps. */
static u64 pgc_pff_stride(const struct pgc_pff_knobs *k, u32 run)
{
	return k->step * min_t(u64, 1ULL << min_t(u32, run, 16), PGC_PFF_BURST);
}

/*
 * The budget a raise gives: a stride of @step, or a page for each of @n
 * faults, at most @top.  pgc_pff_grow_to() holds a growing window to it.
 */
static u64 pgc_pff_raised(u64 budget, u64 step, u64 n, u64 top)
{
	return min(budget + max(step, n), top);
}

/* @n: signal faults in the window, each a page the process lacked. */
static enum pgc_pff_move pgc_pff_raise(const struct pgc_pff_knobs *k,
				       struct pgc_pff *s, u64 rss, u64 n,
				       u64 *budget)
{
	u64 b = *budget;

	s->calm = 0;
	/* Far below its budget, the process's faults are not the budget's. */
	if (rss + k->step < b) {
		s->burst = 0;
		return PGC_PFF_STAY;
	}
	s->hold = PGC_PFF_HOLD;
	if (b >= k->max)
		return PGC_PFF_STAY;
	*budget = pgc_pff_raised(b, pgc_pff_stride(k, s->burst), n, k->max);
	s->burst++;
	s->settle = true;
	s->raises++;
	return PGC_PFF_RAISE;
}

/* *@none: nothing to give back (the samples may grow sparse). */
static enum pgc_pff_move pgc_pff_lower(const struct pgc_pff_knobs *k,
				       struct pgc_pff *s, u64 rss, u64 prev_rss,
				       u64 idle, bool pressure, u64 *budget,
				       bool *none)
{
	u64 keep = rss > idle ? rss - idle : 0;

	*none = false;
	/*
	 * The window touched more than the budget holds and the RSS did not
	 * fall: the hand could not bring the process down (it touched its
	 * pages faster than the hand went round: nothing was evicted, so
	 * nothing faulted, and the rate alone would leave budget and RSS
	 * apart for good).  Classic PFF sizes the resident set to the pages
	 * in use, up as well as down.  While the RSS falls the hand is still
	 * at work, and bits set before a cut read as touched: no move.
	 */
	if (keep > *budget + k->step / 4 && rss >= prev_rss) {
		*budget = min(keep, k->max);
		s->calm = 0;
		s->raises++;
		return PGC_PFF_RAISE;
	}
	s->calm++;
	if (s->calm < PGC_PFF_CALM || s->hold)
		return PGC_PFF_STAY;
	/*
	 * Classic PFF: keep what the window touched, give back the rest.  A
	 * budget above the RSS comes down to it; with every resident page in
	 * use nothing is cut, so a steady workload is never probed.  But at
	 * most half of it in one cut: one window's touched pages fall short
	 * of a skewed working set, whose tail is touched every few windows
	 * (a Zipf key-value table went from 16095 pages to 256 in one cut,
	 * then faulted its way back for seconds: bench/pff kv, 2026-12-05).
	 * Halving finds the same floor within a few windows, and its faults
	 * stop the descent where the tail begins.
	 */
	keep = max3(keep, k->min, min(*budget, rss) / 2);
	/*
	 * Cuts under a quarter step are noise (a library page touched every
	 * few windows): each would cost a fault for a page's gain.
	 */
	if (keep + k->step / 4 >= *budget) {
		*none = true;
		return PGC_PFF_STAY;
	}
	/* A cut, held back while memory is short or the rate climbs. */
	if (pressure || s->rate > s->prev_rate) {
		s->guarded++;
		return PGC_PFF_GUARD;
	}
	*budget = keep;
	s->lowers++;
	return PGC_PFF_LOWER;
}

/*
 * Classic PFF adds the page at each fault while the rate is high.  Here
 * the budget moves at the window's end; meanwhile a process whose window
 * already says "raise" would have the hand evict, at every fault, a page
 * it is about to fault back (bench/pff phased: 27-37 thousand evictions
 * for a working set of 14 thousand, the climb back to the large set its
 * cost).  So once the window has a raise's faults, the process may hold
 * what the raise will give it (pgc_pff_raise(): a stride, or a page a
 * fault), no more.  A raise's faults: more than high's rate over the
 * window's CPU time, at least window_ms, and at @cpu_ns (the tick's) more
 * if it ran longer (a process of many threads runs far past window_ms
 * between two ticks); a prediction, since the window may run longer
 * still.  The window after a raise is not judged: no growing.
 */
void pgc_pff_grow_get(const struct pgc_pff_knobs *k, const struct pgc_pff *s,
		      u64 cpu_ns, struct pgc_pff_grow *g)
{
	u64 ms = max(k->window_ms, div_u64(cpu_ns > s->cpu_ns ?
					   cpu_ns - s->cpu_ns : 0,
					   NSEC_PER_MSEC));

	/* high * ms: below 2^64 for 500 years of CPU time. */
	g->at = s->settle ? 0 :
		s->faults + div_u64(k->high * ms, MSEC_PER_SEC) + 1;
	g->from = s->faults;
	g->step = pgc_pff_stride(k, s->burst);
	g->max = k->max;
}

u64 pgc_pff_grow_to(const struct pgc_pff_grow *g, u64 budget, u64 faults)
{
	if (!g->at || faults < g->at || budget >= g->max)
		return budget;
	return pgc_pff_raised(budget, g->step, faults - g->from, g->max);
}

enum pgc_pff_move pgc_pff_tick(const struct pgc_pff_knobs *k,
			       struct pgc_pff *s, u64 cpu_ns, u64 faults,
			       u64 rss, u64 idle, bool pressure, u64 *budget)
{
	u64 dt, n, prev_rss = s->prev_rss;
	enum pgc_pff_move m;
	bool none;

	/* Counters that went back (a new thread group leader): start over. */
	if (cpu_ns < s->cpu_ns || faults < s->faults) {
		pgc_pff_start(s, cpu_ns, faults);
		return PGC_PFF_WAIT;
	}
	if (!pgc_pff_window_done(k, s, cpu_ns))
		return PGC_PFF_WAIT;
	dt = cpu_ns - s->cpu_ns;
	n = faults - s->faults;
	s->prev_rate = s->rate;
	s->rate = pgc_pff_rate(n, dt);
	pgc_pff_start(s, cpu_ns, faults);
	s->prev_rss = rss;
	s->windows++;
	if (s->hold)
		s->hold--;
	if (s->settle) {
		s->settle = false;
		return PGC_PFF_STAY;
	}
	/* Keep in step with pgc_pff_wants_sample(). */
	if (s->rate >= k->low) {
		s->quiet = 0;
		/* The first calm window primes, however many busy ones came. */
		s->due_in = s->fresh;
		if (s->rate > k->high)
			return pgc_pff_raise(k, s, rss, n, budget);
		s->burst = 0;
		s->calm = 0;
		return PGC_PFF_STAY;
	}
	s->burst = 0;
	/* No sample to judge: calm, as the last judged sample found it. */
	if (idle == PGC_PFF_NO_SAMPLE) {
		s->calm++;
		/* pgc_pff_wants_sample() asked for the priming walk here. */
		if (s->due_in == 1)
			s->fresh = false;
		if (s->due_in)
			s->due_in--;
		return PGC_PFF_STAY;
	}
	m = pgc_pff_lower(k, s, rss, prev_rss, idle, pressure, budget, &none);
	/* Nothing to give back: the next judged sample comes later. */
	s->quiet = none ? min_t(u32, s->quiet + 1, PGC_PFF_SPARSE_SHIFT) : 0;
	s->due_in = (1U << s->quiet) - 1;
	return m;
}
