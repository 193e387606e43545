// SPDX-License-Identifier: GPL-2.0
/* KUnit: the CLOCK policy core (src/core/clock.c). */
#include <kunit/test.h>
#include "../src/core/clock.c"

/*
 * Every (A, D): accessed pages are spared, clean ones go before dirty; a
 * starved hand spares none but still sorts by D.
 */
static void pgc_test_judge(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pgc_clock_judge(true, false, false), PGC_CLOCK_SECOND_CHANCE);
	KUNIT_EXPECT_EQ(test, pgc_clock_judge(true, true, false), PGC_CLOCK_SECOND_CHANCE);
	KUNIT_EXPECT_EQ(test, pgc_clock_judge(false, false, false), PGC_CLOCK_CLEAN);
	KUNIT_EXPECT_EQ(test, pgc_clock_judge(false, true, false), PGC_CLOCK_DIRTY);
	KUNIT_EXPECT_EQ(test, pgc_clock_judge(true, false, true), PGC_CLOCK_CLEAN);
	KUNIT_EXPECT_EQ(test, pgc_clock_judge(true, true, true), PGC_CLOCK_DIRTY);
	KUNIT_EXPECT_EQ(test, pgc_clock_judge(false, false, true), PGC_CLOCK_CLEAN);
	KUNIT_EXPECT_EQ(test, pgc_clock_judge(false, true, true), PGC_CLOCK_DIRTY);
}

/* Every combination: only an unwritten page with a copy on backing store is clean. */
static void pgc_test_needs_write(struct kunit *test)
{
	unsigned int m;

	for (m = 0; m < 16; m++) {
		bool pte_dirty = m & 1, folio_dirty = m & 2;
		bool anon = m & 4, swapcache = m & 8;
		bool clean = !pte_dirty && !folio_dirty && (!anon || swapcache);

		KUNIT_EXPECT_EQ(test, pgc_clock_needs_write(pte_dirty, folio_dirty,
							    anon, swapcache),
				!clean);
	}
}

/*
 * A ring of pages run through the kernel's own rules: the hand clears A
 * on the way (second chance), so a page touched once survives exactly one
 * pass, and the victim order is clean cold, then dirty cold, then the
 * pages that had their second chance.
 */
static void pgc_test_second_chance_ring(struct kunit *test)
{
	unsigned int mask;

	/* Every A/D pattern of an 8-page ring: 2^16 cases. */
	for (mask = 0; mask < 1U << 16; mask++) {
		bool a[8], d[8], taken[8] = {};
		unsigned int order[8], n = 0, pass, i;

		for (i = 0; i < 8; i++) {
			a[i] = mask & (1U << i);
			d[i] = mask & (1U << (8 + i));
		}
		/* Take all 8: clean ones, then dirty ones if a lap ran short. */
		for (pass = 0; pass < 4 && n < 8; pass++) {
			unsigned int need = 8 - n, clean = 0, ndirty = 0, t;
			unsigned int dirty[8];

			for (i = 0; i < 8; i++) {
				if (taken[i])
					continue;
				switch (pgc_clock_judge(a[i], d[i], false)) {
				case PGC_CLOCK_SECOND_CHANCE:
					a[i] = false;
					break;
				case PGC_CLOCK_CLEAN:
					taken[i] = true;
					order[n++] = i;
					clean++;
					break;
				case PGC_CLOCK_DIRTY:
					dirty[ndirty++] = i;
					break;
				}
			}
			t = pgc_clock_dirty_take(need, clean, ndirty, true);
			for (i = 0; i < t; i++) {
				taken[dirty[i]] = true;
				order[n++] = dirty[i];
			}
		}
		KUNIT_ASSERT_EQ(test, n, 8U);
		/*
		 * No page that started accessed goes before a cold one, and
		 * no cold dirty page before a cold clean one.
		 */
		for (i = 1; i < 8; i++) {
			bool prev_hot = mask & (1U << order[i - 1]);
			bool hot = mask & (1U << order[i]);
			bool prev_dirty = mask & (1U << (8 + order[i - 1]));
			bool dirty_now = mask & (1U << (8 + order[i]));

			KUNIT_EXPECT_TRUE(test, !prev_hot || hot);
			if (!prev_hot && !hot)
				KUNIT_EXPECT_TRUE(test, !prev_dirty || dirty_now);
		}
	}
}

/*
 * The hand's laps over a ring of 8 clean pages, with the glue's rule that
 * a lap finding no cold page starves the next.  While the process touches
 * every page before each look, a lap of second chances takes nothing and
 * the starved lap after it takes every page; once the process sleeps with
 * half its pages touched, one lap still takes all, then the hand is fed
 * again and spares the touched half.
 */
static void pgc_test_starved_ring(struct kunit *test)
{
	static const unsigned int want[4] = { 0, 8, 8, 4 };
	bool a[8], starved = false;
	unsigned int lap, i;

	for (lap = 0; lap < 4; lap++) {
		unsigned int cold = 0, taken = 0;

		for (i = 0; i < 8; i++) {
			if (lap < 2)
				a[i] = true;		/* running */
			else if (lap == 2)
				a[i] = i < 4;		/* asleep, half touched */
			cold += !a[i];
			if (pgc_clock_judge(a[i], false, starved) ==
			    PGC_CLOCK_SECOND_CHANCE)
				a[i] = false;
			else
				taken++;
		}
		KUNIT_EXPECT_EQ(test, taken, want[lap]);
		starved = !cold;
		KUNIT_EXPECT_EQ(test, starved, lap < 2);
		if (lap == 2)	/* the victims came back, touched */
			for (i = 0; i < 4; i++)
				a[i] = true;
	}
}

static void pgc_test_need(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pgc_clock_need(100, 60, 0, 0), 40UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_need(60, 60, 0, 0), 0UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_need(10, 60, 999, 0), 0UL);	/* budget rules */
	KUNIT_EXPECT_EQ(test, pgc_clock_need(100, 0, 30, 0), 30UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_need(20, 0, 30, 0), 20UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_need(0, 0, 0, 0), 0UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_need(ULONG_MAX, 1, 0, 0), ULONG_MAX - 1);
	/* Growing: half the growth below the budget, at most an eighth. */
	KUNIT_EXPECT_EQ(test, pgc_clock_need(8100, 8000, 0, 100), 150UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_need(9000, 8000, 0, 5000), 2000UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_need(8000, 8000, 0, 5000), 0UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_need(100, 0, 30, 50), 30UL);
}

/*
 * Reclaim's request split over targets without a budget that can give
 * different amounts, each giving what it can of its share, the rest
 * carried to those after it (bug: an even split, and a small target's
 * unmet share was lost): all of it is given while they hold enough, in
 * any order.
 */
static void pgc_test_share(struct kunit *test)
{
	static const unsigned long can[][3] = {
		{ 5, 10, 1000 }, { 5, 1000, 10 }, { 10, 5, 1000 },
		{ 10, 1000, 5 }, { 1000, 5, 10 }, { 1000, 10, 5 },
		{ 300, 300, 300 }, { 0, 700, 0 },
	};
	unsigned long pressure, left, all, give, i, j;

	for (i = 0; i < ARRAY_SIZE(can); i++) {
		for (pressure = 0; pressure <= 1100; pressure += 50) {
			all = can[i][0] + can[i][1] + can[i][2];
			left = pressure;
			for (j = 0; j < 3; j++) {
				give = min(can[i][j],
					   pgc_clock_share(left, can[i][j], all));
				all -= can[i][j];
				left -= give;
			}
			KUNIT_EXPECT_EQ(test, pressure - left,
					min(pressure, can[i][0] + can[i][1] +
						      can[i][2]));
		}
	}
	KUNIT_EXPECT_EQ(test, pgc_clock_share(100, 50, 200), 25UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_share(100, 0, 200), 0UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_share(100, 20, 20), 100UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_share(0, 20, 40), 0UL);
	/*
	 * Counts near the top of the type: no product wraps (bug: the
	 * first form, mul_u64_u64_div_u64(), gave -5 here on 6.1); precise
	 * to a part in 2^30.
	 */
	give = pgc_clock_share(ULONG_MAX, ULONG_MAX / 2, ULONG_MAX);
	KUNIT_EXPECT_LE(test, give, ULONG_MAX / 2);
	KUNIT_EXPECT_GE(test, give, ULONG_MAX / 2 - (ULONG_MAX >> 30));
	KUNIT_EXPECT_EQ(test, pgc_clock_share(1UL << 40, 1UL << 39, 1UL << 41),
			1UL << 38);
}

/*
 * A target that grows by the same number of pages every interval, swept
 * to pgc_clock_need() each time: its RSS ends up swinging around the
 * budget, half the growth either side, so its mean is the budget.
 */
static void pgc_test_need_centres(struct kunit *test)
{
	unsigned long budget = 8000, rss = 8000, last = 8000, grew, i;
	unsigned long lo = ULONG_MAX, hi = 0;

	for (i = 0; i < 20; i++) {
		rss += 400;		/* faulted in during the interval */
		grew = rss - last;
		rss -= pgc_clock_need(rss, budget, 0, grew);
		last = rss;
		if (i >= 2) {
			lo = min(lo, rss);
			hi = max(hi, rss + 400);
		}
	}
	KUNIT_EXPECT_EQ(test, lo, budget - 200);
	KUNIT_EXPECT_EQ(test, hi, budget + 200);
}

/*
 * The hard budget: nothing within it, the excess and a margin above it,
 * and a process growing a page per fault is swept once per margin's worth
 * of faults, never above the budget by more than the fault that crossed it.
 */
static void pgc_test_own_need(struct kunit *test)
{
	unsigned long budget, rss, sweeps, hi, gap, i;

	KUNIT_EXPECT_EQ(test, pgc_clock_own_margin(1), 32UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_own_margin(6400), 100UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_own_margin(ULONG_MAX), 256UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_own_need(100, 0), 0UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_own_need(6000, 6000), 0UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_own_need(6001, 6000), 94UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_own_need(2, 1), 33UL);	/* margin >= 32 */
	KUNIT_EXPECT_EQ(test, pgc_clock_own_need(1000001, 1000000), 257UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_own_need(ULONG_MAX, 1), ULONG_MAX);	/* saturates */
	for (budget = 1; budget < 40000; budget = budget * 3 + 1) {
		rss = budget;
		sweeps = 0;
		hi = 0;
		for (i = 0; i < 100000; i++) {
			rss++;
			hi = max(hi, rss);
			if (pgc_clock_own_need(rss, budget)) {
				rss -= min(rss, pgc_clock_own_need(rss, budget));
				sweeps++;
			}
		}
		/* Between sweeps: the margin's faults, or the budget's. */
		gap = min(pgc_clock_own_margin(budget), budget) + 1;
		KUNIT_EXPECT_EQ(test, hi, budget + 1);
		KUNIT_EXPECT_LE(test, sweeps, 100000 / gap + 1);
	}
}

/*
 * An own sweep sent for 1024 victims while PFF raised the budget from
 * 256 (bench/pff's kv squeeze): past the RSS it needs none of the rest,
 * a little below it the excess and a margin; a cut asks no more of this
 * sweep than it was sent for.
 */
static void pgc_test_own_left_after_raise(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pgc_clock_own_left(1024, 6000, 9000), 0UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_own_left(1024, 6000, 6000), 0UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_own_left(1024, 6000, 5900),
			100UL + pgc_clock_own_margin(5900));
	KUNIT_EXPECT_EQ(test, pgc_clock_own_left(1024, 6000, 256), 1024UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_own_left(0, 6000, 256), 0UL);
}

/*
 * A target that grows by a page a fault from @budget, for 20000 faults,
 * while its other threads add @grow after each own sweep; each sweep
 * stops @short_by pages above the budget (@of_budget: a few pages did not
 * go) or takes all but @short_by of what it was sent for.  Returns the
 * highest RSS seen; in the second case no sweep may fall short.
 */
static unsigned long pgc_own_sim(struct kunit *test, unsigned long budget,
				 unsigned long short_by, unsigned long grow,
				 bool of_budget)
{
	unsigned long rss = budget, hi = 0, above = 0, need, got, i;

	for (i = 0; i < 20000; i++) {
		rss++;
		hi = max(hi, rss);
		if (rss <= budget || rss <= above)
			continue;
		need = pgc_clock_own_need(rss, budget);
		if (of_budget)
			got = rss > budget + short_by ?
			      min(rss - budget - short_by, need) : 0;
		else
			got = min(need - short_by, rss);
		rss = rss - got + grow;
		hi = max(hi, rss);
		/* Reclaim's count, not the drop. */
		above = pgc_clock_own_above(rss, budget,
					    pgc_clock_own_short(need, 0, got));
		if (!of_budget)
			KUNIT_EXPECT_EQ(test, above, 0UL);
	}
	return hi;
}

/*
 * Bug: after an own sweep that fell short the next waited for a margin
 * past where it stopped, not past the budget, so a target whose sweeps
 * each fell a little short crept to budget + short + margin (6121 for a
 * 6000-page budget on the debug 6.12 kernel, past the 2% the test holds
 * it to).  While sweeps free anything, RSS stays within budget + margin
 * + the one fault that goes past it.  Bug: one that took all it was sent
 * for, while the target's other threads grew it, was taken for one that
 * fell short: four threads took a 6000-page budget to 6262 on 6.1.  Yet
 * one whose victims did not go (swap full) falls short, or it would
 * sweep at every fault.
 */
static void pgc_test_own_above(struct kunit *test)
{
	unsigned long budget, m, above, short_by, grow, sweeps, rss, need, i;

	KUNIT_EXPECT_FALSE(test, pgc_clock_own_short(100, 0, 100));
	KUNIT_EXPECT_FALSE(test, pgc_clock_own_short(100, 0, 50));
	KUNIT_EXPECT_TRUE(test, pgc_clock_own_short(100, 0, 49));
	KUNIT_EXPECT_TRUE(test, pgc_clock_own_short(100, 1, 100));
	KUNIT_EXPECT_TRUE(test, pgc_clock_own_short(100, 0, 0));
	KUNIT_EXPECT_EQ(test, pgc_clock_own_above(6000, 6000, true), 0UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_own_above(5000, 0, true), 0UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_own_above(6028, 6000, true), 6093UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_own_above(6093, 6000, true), 6186UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_own_above(ULONG_MAX, 1, true), ULONG_MAX);
	KUNIT_EXPECT_EQ(test, pgc_clock_own_above(6100, 6000, false), 0UL);
	for (budget = 1; budget < 40000; budget = budget * 3 + 1) {
		m = pgc_clock_own_margin(budget);
		/*
		 * Each sweep falls short by 0 .. margin - 1 pages: a few
		 * pages did not go.  RSS stays within budget + margin + 1.
		 */
		for (short_by = 0; short_by < m; short_by += 7)
			KUNIT_EXPECT_LE(test,
					pgc_own_sim(test, budget, short_by, 0, true),
					budget + m + 1);
		/*
		 * Each sweep takes all but @short_by of what it was sent for
		 * (less than half its margin), while the other threads grow
		 * the target by @grow: it did not fall short, and the next
		 * fault over the budget sweeps again, not a margin later.
		 * (A budget below the margin has less to take than that.)
		 */
		for (short_by = 0; budget >= m && short_by < m / 2;
		     short_by += 5)
			for (grow = 0; grow <= 2 * m; grow += m / 4 + 1)
				KUNIT_EXPECT_LE(test,
						pgc_own_sim(test, budget, short_by,
							    grow, false),
						budget + 1 +
						max(short_by + grow, m) - m);
		/* Chosen, none gone (swap full): one sweep per margin of growth. */
		rss = budget + 1;
		above = 0;
		sweeps = 0;
		for (i = 0; i < 20000; i++, rss++) {
			if (rss <= above)
				continue;
			sweeps++;
			need = pgc_clock_own_need(rss, budget);
			above = pgc_clock_own_above(rss, budget,
						    pgc_clock_own_short(need, 0, 0));
		}
		KUNIT_EXPECT_LE(test, sweeps, 20000 / m + 2);
	}
}

static void pgc_test_dirty_take(struct kunit *test)
{
	unsigned long need, clean, dirty;

	for (need = 0; need < 20; need++)
		for (clean = 0; clean < 20; clean++)
			for (dirty = 0; dirty < 20; dirty++) {
				unsigned long t, early;

				t = pgc_clock_dirty_take(need, clean, dirty, true);
				early = pgc_clock_dirty_take(need, clean, dirty,
							     false);
				KUNIT_EXPECT_EQ(test, early, 0UL);
				KUNIT_EXPECT_LE(test, t, dirty);
				if (clean >= need)
					KUNIT_EXPECT_EQ(test, t, 0UL);
				else
					KUNIT_EXPECT_EQ(test, t, min(need - clean, dirty));
			}
}

/*
 * Every take over a batch of small victims, victims without a reference
 * (NULL) and two huge ones side by side: the take never ends inside a
 * huge one, and grows only over its tail slots (bug: the first version
 * went by equal neighbours, and one folio met twice in a row made two
 * references look like one).
 */
static void pgc_test_take_whole(struct kunit *test)
{
	static char obj[4];
	const void *tail = &obj[3];
	const void *s[] = { &obj[0], NULL, &obj[1], tail, tail, tail,
			    &obj[2], tail, &obj[0], &obj[0], NULL, NULL };
	const unsigned int n = ARRAY_SIZE(s);
	unsigned int take, got, i;

	for (take = 0; take <= n; take++) {
		got = pgc_clock_take_whole(s, take, n, tail);
		KUNIT_EXPECT_GE(test, got, take);
		KUNIT_EXPECT_LE(test, got, n);
		for (i = take; i < got; i++)
			KUNIT_EXPECT_PTR_EQ(test, s[i], tail);
		if (got < n)
			KUNIT_EXPECT_PTR_NE(test, s[got], tail);
	}
	/* Inside the first huge victim, inside the second, between them. */
	KUNIT_EXPECT_EQ(test, pgc_clock_take_whole(s, 4, n, tail), 6U);
	KUNIT_EXPECT_EQ(test, pgc_clock_take_whole(s, 7, n, tail), 8U);
	KUNIT_EXPECT_EQ(test, pgc_clock_take_whole(s, 6, n, tail), 6U);
	/* The same small folio twice in a row: each its own. */
	KUNIT_EXPECT_EQ(test, pgc_clock_take_whole(s, 9, n, tail), 9U);
	KUNIT_EXPECT_EQ(test, pgc_clock_take_whole(s, 0, 0, tail), 0U);
}

/* The share of the target a sweep searches for clean victims alone. */
static void pgc_test_clean_left(struct kunit *test)
{
	unsigned long rss, swept;
	unsigned int pct;

	for (rss = 0; rss < 300; rss += 7)
		for (pct = 1; pct <= 100; pct++)
			for (swept = 0; swept < 320; swept += 5) {
				unsigned long w = rss * pct / 100;

				KUNIT_EXPECT_EQ(test,
						pgc_clock_clean_left(rss, pct, swept, false),
						w > swept ? w - swept : 0);
			}
	/* 100: a whole round, as the textbook's sweep; no overflow. */
	KUNIT_EXPECT_EQ(test, pgc_clock_clean_left(8000, 100, 0, false), 8000UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_clean_left(8000, 25, 1000, false), 1000UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_clean_left(ULONG_MAX, 100, 0, false), ULONG_MAX);
	KUNIT_EXPECT_EQ(test, pgc_clock_clean_left(ULONG_MAX, 50, ULONG_MAX, false), 0UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_clean_left(99, 1, 0, false), 0UL);
	/* The last lap's cold pages were all dirty: no search, whatever the knob. */
	for (pct = 1; pct <= 100; pct++)
		KUNIT_EXPECT_EQ(test, pgc_clock_clean_left(8000, pct, 0, true),
				0UL);
}

/*
 * Bug: a pass whose dirty victims could go from its start (the last lap's
 * cold pages were all dirty: anonymous memory swapped to zram) went on
 * through the search's window looking for clean ones, clearing the
 * Accessed bits of hundreds of pages to take a batch.  It stops at its need, of either kind then,
 * of clean ones alone otherwise.
 */
static void pgc_test_pass_done(struct kunit *test)
{
	unsigned long need, clean, dirty;

	for (need = 0; need < 40; need++)
		for (clean = 0; clean < 45; clean++)
			for (dirty = 0; dirty < 45; dirty++) {
				KUNIT_EXPECT_EQ(test,
						pgc_clock_pass_done(need, clean, dirty, false),
						clean >= need);
				KUNIT_EXPECT_EQ(test,
						pgc_clock_pass_done(need, clean, dirty, true),
						clean + dirty >= need);
			}
	KUNIT_EXPECT_TRUE(test, pgc_clock_pass_done(ULONG_MAX, 1, ULONG_MAX, true));
	KUNIT_EXPECT_FALSE(test, pgc_clock_pass_done(ULONG_MAX, 1, ULONG_MAX - 2, true));
}

/*
 * Bug: after an exec the hand kept the last program's lap: one that had
 * found no clean page turned the new program's clean search off, one
 * that had found no cold page took its pages in order.
 */
static void pgc_test_hand_restart(struct kunit *test)
{
	struct pgc_clock_hand h = {
		.addr = 0x7f0000000000UL, .lap_clean = 3, .lap_cold = 5,
		.clean_exhausted = true, .starved = true, .laps = 9,
	};

	pgc_clock_hand_restart(&h);
	KUNIT_EXPECT_EQ(test, h.addr, 0UL);
	KUNIT_EXPECT_EQ(test, h.lap_clean, 0UL);
	KUNIT_EXPECT_EQ(test, h.lap_cold, 0UL);
	KUNIT_EXPECT_FALSE(test, h.clean_exhausted);
	KUNIT_EXPECT_FALSE(test, h.starved);
	KUNIT_EXPECT_FALSE(test, pgc_clock_dirty_only(&h));
	KUNIT_EXPECT_EQ(test, h.laps, 9ULL);
	/* Its search is back: the knob's window, not none. */
	KUNIT_EXPECT_EQ(test, pgc_clock_clean_left(8000, 25, 0, pgc_clock_dirty_only(&h)),
			2000UL);
}

/*
 * The hand round a ring of 8 pages, 3 a pass, in one sweep: it stops at 3
 * and 6, and the third pass goes past the end, wraps to 0 and ends the
 * lap.  Every page cold and dirty: nothing is taken before the sweep has
 * been round, then the wrapping pass takes its candidates and, the lap
 * having found no clean victim, so does every pass after it.
 */
static void pgc_test_hand_wrap(struct kunit *test)
{
	static const unsigned long stop[] = { 3, 6, 0, 3, 6, 0 };
	struct pgc_clock_hand h = {};
	unsigned long swept = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stop); i++) {
		unsigned long from = h.addr, to = min(from + 3, 8UL), take;

		swept += to - from;
		take = pgc_clock_pass_end(&h, to, to == 8, swept >= 8, 100, 0,
					  to - from, to - from);
		KUNIT_EXPECT_EQ(test, h.addr, stop[i]);
		KUNIT_EXPECT_EQ(test, h.laps, (u64)(i + 1) / 3);
		KUNIT_EXPECT_EQ(test, take, i < 2 ? 0UL : to - from);
		KUNIT_EXPECT_EQ(test, h.clean_exhausted, i >= 2);
		KUNIT_EXPECT_EQ(test, pgc_clock_dirty_only(&h), i >= 2);
		KUNIT_EXPECT_FALSE(test, h.starved);
	}
	/* A new sweep; its lap finds one clean victim. */
	KUNIT_EXPECT_EQ(test, pgc_clock_pass_end(&h, 3, false, false, 10, 1, 2, 3), 2UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_pass_end(&h, ULONG_MAX, true, false, 10, 0, 4, 0), 0UL);
	KUNIT_EXPECT_EQ(test, h.addr, 0UL);
	KUNIT_EXPECT_FALSE(test, h.clean_exhausted);
	KUNIT_EXPECT_FALSE(test, pgc_clock_dirty_only(&h));
	/* Dirty pages wait again until the sweep has been round. */
	KUNIT_EXPECT_EQ(test, pgc_clock_pass_end(&h, 3, false, false, 10, 0, 5, 0), 0UL);
	KUNIT_EXPECT_EQ(test, pgc_clock_pass_end(&h, 6, false, true, 10, 0, 5, 0), 5UL);
	/*
	 * That lap saw no cold page: the next is starved (FIFO).  It found
	 * no clean victim, but says nothing of whether its pages are dirty
	 * (bug: a target's first lap, every page young, turned the clean
	 * search off, and dirty pages went before clean ones).
	 */
	KUNIT_EXPECT_EQ(test, pgc_clock_pass_end(&h, 8, true, true, 10, 0, 0, 0), 0UL);
	KUNIT_EXPECT_TRUE(test, h.starved);
	KUNIT_EXPECT_TRUE(test, h.clean_exhausted);
	KUNIT_EXPECT_FALSE(test, pgc_clock_dirty_only(&h));
	KUNIT_EXPECT_EQ(test, h.laps, 4ULL);
	/* A cold page seen ends the starvation at the next wrap. */
	pgc_clock_pass_end(&h, 8, true, false, 10, 1, 0, 1);
	KUNIT_EXPECT_FALSE(test, h.starved);
	KUNIT_EXPECT_FALSE(test, h.clean_exhausted);
}

/*
 * Writeback ranges: pages of one file met in order make one range; a gap,
 * another file or a step back starts one; a full table refuses.
 */
static void pgc_test_wb_ranges(struct kunit *test)
{
	struct pgc_wb_range wb[3];
	int f1, f2;
	unsigned int n = 0;

	KUNIT_EXPECT_EQ(test, pgc_wb_add(wb, &n, 3, &f1, 8192, 4096), PGC_WB_NEW);
	KUNIT_EXPECT_EQ(test, pgc_wb_add(wb, &n, 3, &f1, 12288, 4096), PGC_WB_GREW);
	KUNIT_EXPECT_EQ(test, pgc_wb_add(wb, &n, 3, &f1, 16384, 4096), PGC_WB_GREW);
	KUNIT_EXPECT_EQ(test, n, 1U);
	KUNIT_EXPECT_EQ(test, wb[0].start, 8192ULL);
	KUNIT_EXPECT_EQ(test, wb[0].end, 20479ULL);
	/* The same offset in another file. */
	KUNIT_EXPECT_EQ(test, pgc_wb_add(wb, &n, 3, &f2, 20480, 4096), PGC_WB_NEW);
	KUNIT_EXPECT_PTR_EQ(test, wb[1].file, (void *)&f2);
	/* A step back in the file: a range of its own. */
	KUNIT_EXPECT_EQ(test, pgc_wb_add(wb, &n, 3, &f2, 0, 4096), PGC_WB_NEW);
	KUNIT_EXPECT_EQ(test, n, 3U);
	KUNIT_EXPECT_EQ(test, wb[2].start, 0ULL);
	KUNIT_EXPECT_EQ(test, wb[2].end, 4095ULL);
	/* Full: the last range still grows, a gap is refused, nothing moves. */
	KUNIT_EXPECT_EQ(test, pgc_wb_add(wb, &n, 3, &f2, 4096, 4096), PGC_WB_GREW);
	KUNIT_EXPECT_EQ(test, pgc_wb_add(wb, &n, 3, &f2, 65536, 4096), PGC_WB_FULL);
	KUNIT_EXPECT_EQ(test, pgc_wb_add(wb, &n, 3, &f1, 20480, 4096), PGC_WB_FULL);
	KUNIT_EXPECT_EQ(test, n, 3U);
	KUNIT_EXPECT_EQ(test, wb[2].end, 8191ULL);
	KUNIT_EXPECT_EQ(test, wb[0].end, 20479ULL);
	/* A huge page is one step. */
	n = 0;
	KUNIT_EXPECT_EQ(test, pgc_wb_add(wb, &n, 3, &f1, 0, 2097152), PGC_WB_NEW);
	KUNIT_EXPECT_EQ(test, pgc_wb_add(wb, &n, 3, &f1, 2097152, 4096), PGC_WB_GREW);
	KUNIT_EXPECT_EQ(test, wb[0].end, 2101247ULL);
}

static struct kunit_case pgc_clock_cases[] = {
	KUNIT_CASE(pgc_test_judge),
	KUNIT_CASE(pgc_test_needs_write),
	KUNIT_CASE(pgc_test_second_chance_ring),
	KUNIT_CASE(pgc_test_starved_ring),
	KUNIT_CASE(pgc_test_need),
	KUNIT_CASE(pgc_test_need_centres),
	KUNIT_CASE(pgc_test_share),
	KUNIT_CASE(pgc_test_own_need),
	KUNIT_CASE(pgc_test_own_left_after_raise),
	KUNIT_CASE(pgc_test_own_above),
	KUNIT_CASE(pgc_test_dirty_take),
	KUNIT_CASE(pgc_test_take_whole),
	KUNIT_CASE(pgc_test_clean_left),
	KUNIT_CASE(pgc_test_pass_done),
	KUNIT_CASE(pgc_test_hand_restart),
	KUNIT_CASE(pgc_test_hand_wrap),
	KUNIT_CASE(pgc_test_wb_ranges),
	{}
};

static struct kunit_suite pgc_clock_suite = {
	.name = "pageclock_clock",
	.test_cases = pgc_clock_cases,
};

kunit_test_suite(pgc_clock_suite);
