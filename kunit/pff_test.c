// SPDX-License-Identifier: GPL-2.0
/* KUnit: the Page-Fault-Frequency controller (src/core/pff.c). */
#include <kunit/test.h>
#include "../src/core/pff.c"

#define PGC_T_MAX	BIT_ULL(20)	/* pages of a pretend machine */
#define PGC_T_KNOB(id)	(pgc_pff_knob_descs[PGC_PFF_K_##id])
#define PGC_T_WIN	(PGC_T_KNOB(WINDOW_MS).def * NSEC_PER_MSEC)

static void pgc_t_knobs(struct pgc_pff_knobs *k)
{
	pgc_pff_defaults(k, PGC_T_MAX);
}

/* One window of CPU time with @n signal faults and @idle untouched pages. */
static enum pgc_pff_move pgc_t_win(const struct pgc_pff_knobs *k,
				   struct pgc_pff *s, u64 *cpu, u64 *faults,
				   u64 n, u64 rss, u64 idle, bool pressure,
				   u64 *budget)
{
	*cpu += k->window_ms * NSEC_PER_MSEC;
	*faults += n;
	return pgc_pff_tick(k, s, *cpu, *faults, rss, idle, pressure, budget);
}

/* The same, with every resident page touched. */
static enum pgc_pff_move pgc_t_window(const struct pgc_pff_knobs *k,
				      struct pgc_pff *s, u64 *cpu, u64 *faults,
				      u64 n, u64 rss, bool pressure, u64 *budget)
{
	return pgc_t_win(k, s, cpu, faults, n, rss, 0, pressure, budget);
}

static void pgc_test_pff_knobs(struct kunit *test)
{
	struct pgc_pff_knobs k, bad;
	unsigned int i;

	pgc_t_knobs(&k);
	KUNIT_EXPECT_EQ(test, pgc_pff_check(&k, PGC_T_MAX), 0);
	/* Each rule alone makes the knobs invalid. */
	bad = k; bad.low = bad.high;
	KUNIT_EXPECT_EQ(test, pgc_pff_check(&bad, PGC_T_MAX), -EINVAL);
	bad = k; bad.high = PGC_T_KNOB(HIGH).max + 1;
	KUNIT_EXPECT_EQ(test, pgc_pff_check(&bad, PGC_T_MAX), -EINVAL);
	bad = k; bad.min = 0;
	KUNIT_EXPECT_EQ(test, pgc_pff_check(&bad, PGC_T_MAX), -EINVAL);
	bad = k; bad.min = bad.max + 1;
	KUNIT_EXPECT_EQ(test, pgc_pff_check(&bad, PGC_T_MAX), -EINVAL);
	bad = k; bad.max = PGC_T_MAX + 1;
	KUNIT_EXPECT_EQ(test, pgc_pff_check(&bad, PGC_T_MAX), -EINVAL);
	bad = k; bad.step = 0;
	KUNIT_EXPECT_EQ(test, pgc_pff_check(&bad, PGC_T_MAX), -EINVAL);
	bad = k; bad.window_ms = 9;
	KUNIT_EXPECT_EQ(test, pgc_pff_check(&bad, PGC_T_MAX), -EINVAL);
	bad = k; bad.window_ms = PGC_T_KNOB(WINDOW_MS).max + 1;
	KUNIT_EXPECT_EQ(test, pgc_pff_check(&bad, PGC_T_MAX), -EINVAL);
	/* Each index is its own field (the table's order is the struct's). */
	for (i = 0; i < PGC_PFF_NKNOBS; i++)
		*pgc_pff_knob(&bad, i) = 1000 + i;
	KUNIT_EXPECT_EQ(test, bad.low, 1000ULL);
	KUNIT_EXPECT_EQ(test, bad.high, 1001ULL);
	KUNIT_EXPECT_EQ(test, bad.min, 1002ULL);
	KUNIT_EXPECT_EQ(test, bad.max, 1003ULL);
	KUNIT_EXPECT_EQ(test, bad.step, 1004ULL);
	KUNIT_EXPECT_EQ(test, bad.window_ms, 1005ULL);
	/* A machine smaller than the default minimum. */
	pgc_pff_defaults(&bad, 100);
	KUNIT_EXPECT_EQ(test, pgc_pff_check(&bad, 100), 0);
	KUNIT_EXPECT_EQ(test, bad.min, 100ULL);
}

/* No CPU time, no window: a sleeping process keeps its budget. */
static void pgc_test_pff_no_cpu(struct kunit *test)
{
	struct pgc_pff_knobs k;
	struct pgc_pff s = {};
	u64 budget = 5000, f;

	pgc_t_knobs(&k);
	pgc_pff_start(&s, 1000, 0);
	for (f = 0; f < 1000; f++)
		KUNIT_EXPECT_EQ(test, pgc_pff_tick(&k, &s, 1000 + PGC_T_WIN - 1,
						   f * 1000, 5000, 4000, false,
						   &budget),
				PGC_PFF_WAIT);
	KUNIT_EXPECT_EQ(test, budget, 5000ULL);
	KUNIT_EXPECT_EQ(test, s.windows, 0ULL);
	/* Counters that went back restart the window. */
	KUNIT_EXPECT_EQ(test, pgc_pff_tick(&k, &s, 10, 0, 5000, 4000, false,
					   &budget), PGC_PFF_WAIT);
	KUNIT_EXPECT_EQ(test, s.cpu_ns, 10ULL);
}

/* The rate is faults per CPU second; huge counts saturate. */
static void pgc_test_pff_rate(struct kunit *test)
{
	struct pgc_pff_knobs k;
	struct pgc_pff s = {};
	u64 budget = 5000, cpu = 0, faults = 0;

	pgc_t_knobs(&k);
	/* 30 faults in 200 ms of CPU: 150 per second, inside [20, 200]. */
	KUNIT_EXPECT_EQ(test, pgc_t_window(&k, &s, &cpu, &faults, 30, 5000,
					   false, &budget), PGC_PFF_STAY);
	KUNIT_EXPECT_EQ(test, s.rate, 150ULL);
	pgc_t_window(&k, &s, &cpu, &faults, U64_MAX / 2, 5000, false, &budget);
	KUNIT_EXPECT_EQ(test, s.rate, U64_MAX);
}

/* Above high: raise, doubling while it stays high, clamped at max. */
static void pgc_test_pff_raise(struct kunit *test)
{
	static const u64 want[] = { 2024, 4072, 8168, 16360, 24552, 32744 };
	struct pgc_pff_knobs k;
	struct pgc_pff s = {};
	u64 budget = 1000, cpu = 0, faults = 0;
	unsigned int i;

	pgc_t_knobs(&k);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		KUNIT_EXPECT_EQ(test, pgc_t_window(&k, &s, &cpu, &faults, 1000,
						   budget, false, &budget),
				PGC_PFF_RAISE);
		KUNIT_EXPECT_EQ(test, budget, want[i]);
		/* The refill window after a raise is not judged. */
		KUNIT_EXPECT_EQ(test, pgc_t_window(&k, &s, &cpu, &faults, 1000,
						   budget, false, &budget),
				PGC_PFF_STAY);
		KUNIT_EXPECT_EQ(test, budget, want[i]);
	}
	/* A calm window ends the run: the next raise is one step again. */
	pgc_t_window(&k, &s, &cpu, &faults, 10, budget, false, &budget);
	pgc_t_window(&k, &s, &cpu, &faults, 1000, budget, false, &budget);
	KUNIT_EXPECT_EQ(test, budget, 33768ULL);
	/* Clamped at max, then no move. */
	k.max = 34000;
	pgc_t_window(&k, &s, &cpu, &faults, 1000, budget, false, &budget);
	pgc_t_window(&k, &s, &cpu, &faults, 1000, budget, false, &budget);
	KUNIT_EXPECT_EQ(test, budget, 34000ULL);
	pgc_t_window(&k, &s, &cpu, &faults, 1000, budget, false, &budget);
	KUNIT_EXPECT_EQ(test, pgc_t_window(&k, &s, &cpu, &faults, 1000, budget,
					   false, &budget), PGC_PFF_STAY);
	KUNIT_EXPECT_EQ(test, s.raises, 8ULL);
	/* A window's faults are pages it lacked: a raise covers them all. */
	budget = 1000;
	s.burst = 0;
	s.settle = false;
	KUNIT_EXPECT_EQ(test, pgc_t_window(&k, &s, &cpu, &faults, 5000, 1000,
					   false, &budget), PGC_PFF_RAISE);
	KUNIT_EXPECT_EQ(test, budget, 6000ULL);
	budget = 34000;
	/* Faults far below the budget are not the budget's doing. */
	k.max = PGC_T_MAX;
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, pgc_t_window(&k, &s, &cpu, &faults, 1000,
						   100, false, &budget),
				PGC_PFF_STAY);
	KUNIT_EXPECT_EQ(test, budget, 34000ULL);
}

/*
 * A window may grow once its faults are more than high's rate over its
 * CPU time, at least a whole window's (40 at the defaults), from where
 * the window began, to what its raise would give; never in the unjudged
 * window after a raise; at least one fault in, however low high is.
 */
static void pgc_test_pff_grow(struct kunit *test)
{
	struct pgc_pff_knobs k;
	struct pgc_pff_grow g;
	struct pgc_pff s = {};
	u64 budget = 1000, cpu = 0, faults = 0;

	pgc_t_knobs(&k);
	pgc_pff_start(&s, cpu, faults);
	pgc_pff_grow_get(&k, &s, cpu, &g);
	KUNIT_EXPECT_EQ(test, g.at, 41ULL);
	/* 40 in a window is a rate of high, not above it: no raise. */
	KUNIT_EXPECT_EQ(test, pgc_pff_grow_to(&g, 1000, 40), 1000ULL);
	/* A step (the raise's least move), then a page a fault. */
	KUNIT_EXPECT_EQ(test, pgc_pff_grow_to(&g, 1000, 41), 2024ULL);
	KUNIT_EXPECT_EQ(test, pgc_pff_grow_to(&g, 1000, 5000), 6000ULL);
	/* A window that ran 800 ms (threads) by the tick needs 160 more. */
	pgc_pff_grow_get(&k, &s, cpu + 800 * NSEC_PER_MSEC, &g);
	KUNIT_EXPECT_EQ(test, g.at, 161ULL);
	/* What the window's raise gives is what it may hold. */
	KUNIT_EXPECT_EQ(test, pgc_t_window(&k, &s, &cpu, &faults, 5000, budget,
					   false, &budget), PGC_PFF_RAISE);
	KUNIT_EXPECT_EQ(test, budget, 6000ULL);
	/* The refill window after it may not grow, the one after may. */
	pgc_pff_grow_get(&k, &s, cpu, &g);
	KUNIT_EXPECT_EQ(test, g.at, 0ULL);
	KUNIT_EXPECT_EQ(test, pgc_pff_grow_to(&g, budget, faults + 9999), budget);
	pgc_t_window(&k, &s, &cpu, &faults, 1000, budget, false, &budget);
	pgc_pff_grow_get(&k, &s, cpu, &g);
	KUNIT_EXPECT_EQ(test, g.at, faults + 41);
	/* Its step doubled with the raise before: the raise's next stride. */
	KUNIT_EXPECT_EQ(test, pgc_pff_grow_to(&g, budget, g.at), budget + 2048);
	/* Never past max, nor below a budget already there. */
	k.max = budget + 100;
	pgc_pff_grow_get(&k, &s, cpu, &g);
	KUNIT_EXPECT_EQ(test, pgc_pff_grow_to(&g, budget, g.at), budget + 100);
	KUNIT_EXPECT_EQ(test, pgc_pff_grow_to(&g, budget + 500, g.at),
			budget + 500);
	/* The smallest high and window: 0.01 faults, so one. */
	k.high = 1;
	k.window_ms = 10;
	pgc_pff_grow_get(&k, &s, cpu, &g);
	KUNIT_EXPECT_EQ(test, g.at, faults + 1);
	/* The largest: no overflow. */
	k.high = PGC_T_KNOB(HIGH).max;
	k.window_ms = PGC_T_KNOB(WINDOW_MS).max;
	pgc_pff_grow_get(&k, &s, cpu, &g);
	KUNIT_EXPECT_EQ(test, g.at, faults + 60000001ULL);
}

/*
 * Below low: after PGC_PFF_CALM windows, give back the pages the window
 * did not touch, at most half at a time, down to min; nothing while every
 * page is in use.
 */
static void pgc_test_pff_lower(struct kunit *test)
{
	struct pgc_pff_knobs k;
	struct pgc_pff s = {};
	u64 budget = 5000, cpu = 0, faults = 0;
	unsigned int i;

	pgc_t_knobs(&k);
	for (i = 1; i < PGC_PFF_CALM; i++)
		KUNIT_EXPECT_EQ(test, pgc_t_win(&k, &s, &cpu, &faults, 0, 5000,
						1200, false, &budget),
				PGC_PFF_STAY);
	KUNIT_EXPECT_EQ(test, pgc_t_win(&k, &s, &cpu, &faults, 0, 5000, 1200,
					false, &budget), PGC_PFF_LOWER);
	KUNIT_EXPECT_EQ(test, budget, 3800ULL);
	/* All in use: no cut, however quiet. */
	for (i = 0; i < 50; i++)
		KUNIT_EXPECT_EQ(test, pgc_t_win(&k, &s, &cpu, &faults, 0, 3800,
						0, false, &budget),
				PGC_PFF_STAY);
	KUNIT_EXPECT_EQ(test, budget, 3800ULL);
	/* At most half in one cut; cut after cut, never below min. */
	k.min = 1500;
	pgc_t_win(&k, &s, &cpu, &faults, 0, 3800, 3700, false, &budget);
	KUNIT_EXPECT_EQ(test, budget, 1900ULL);
	for (i = 0; i < 10; i++)
		pgc_t_win(&k, &s, &cpu, &faults, 0, budget, budget - 100, false,
			  &budget);
	KUNIT_EXPECT_EQ(test, budget, 1500ULL);
	k.min = PGC_T_KNOB(MIN).def;
	/* A budget far above the RSS comes down to the RSS. */
	budget = 100000;
	pgc_t_win(&k, &s, &cpu, &faults, 0, 3000, 0, false, &budget);
	KUNIT_EXPECT_EQ(test, budget, 3000ULL);
	/*
	 * The hand still evicting down to a new budget: the RSS is above it,
	 * the idle pages are those not yet gone.  What is kept is the same:
	 * no second cut.
	 */
	budget = 2236;
	KUNIT_EXPECT_EQ(test, pgc_t_win(&k, &s, &cpu, &faults, 0, 14170, 11934,
					false, &budget), PGC_PFF_STAY);
	KUNIT_EXPECT_EQ(test, budget, 2236ULL);
	/* A cut of a quarter step is noise: kept; one page more is not. */
	budget = 3000 + k.step / 4;
	KUNIT_EXPECT_EQ(test, pgc_t_win(&k, &s, &cpu, &faults, 0, budget,
					k.step / 4, false, &budget), PGC_PFF_STAY);
	budget++;
	KUNIT_EXPECT_EQ(test, pgc_t_win(&k, &s, &cpu, &faults, 0, budget,
					k.step / 4 + 1, false, &budget),
			PGC_PFF_LOWER);
	KUNIT_EXPECT_EQ(test, budget, 3000ULL);
	budget = 2236;
	/* In the band: no move, and the calm count starts again. */
	KUNIT_EXPECT_EQ(test, pgc_t_win(&k, &s, &cpu, &faults, 10, 3000, 500,
					false, &budget), PGC_PFF_STAY);
	KUNIT_EXPECT_EQ(test, s.calm, 0U);
	KUNIT_EXPECT_EQ(test, budget, 2236ULL);
}

/*
 * A calm window that touched more than the budget: the hand could not hold
 * the process there, so nothing faulted.  The budget follows the pages in
 * use up (a fresh-machine pff.sh run sat at budget 8822, RSS 12190, rate 0
 * for 17 windows: issue 'budget and RSS must not stay apart').
 */
static void pgc_test_pff_follows_touched(struct kunit *test)
{
	struct pgc_pff_knobs k;
	struct pgc_pff s = {};
	u64 budget = 8822, cpu = 0, faults = 0;

	pgc_t_knobs(&k);
	KUNIT_EXPECT_EQ(test, pgc_t_win(&k, &s, &cpu, &faults, 0, 12190, 0,
					false, &budget), PGC_PFF_RAISE);
	KUNIT_EXPECT_EQ(test, budget, 12190ULL);
	/* Idle pages are not in use: what was touched, no more. */
	budget = 8822;
	pgc_t_win(&k, &s, &cpu, &faults, 0, 12190, 2048, false, &budget);
	KUNIT_EXPECT_EQ(test, budget, 10142ULL);
	/*
	 * The hand at work after a cut: the RSS falls, and bits set before
	 * the cut read as touched (6.12: budget 3209, RSS 8200, idle 0): no
	 * move while it falls.
	 */
	budget = 3209;
	KUNIT_EXPECT_EQ(test, pgc_t_win(&k, &s, &cpu, &faults, 0, 8200, 0,
					false, &budget), PGC_PFF_STAY);
	KUNIT_EXPECT_EQ(test, budget, 3209ULL);
	/* Within a quarter step: the hand is catching up, no move. */
	budget = 8822;
	KUNIT_EXPECT_EQ(test, pgc_t_win(&k, &s, &cpu, &faults, 0,
					8822 + k.step / 4, 0, false, &budget),
			PGC_PFF_STAY);
	KUNIT_EXPECT_EQ(test, budget, 8822ULL);
	/* Never above max. */
	budget = k.max - 10;
	pgc_t_win(&k, &s, &cpu, &faults, 0, k.max + 5000, 0, false, &budget);
	KUNIT_EXPECT_EQ(test, budget, k.max);
}

/* After a raise, no lowering for PGC_PFF_HOLD windows. */
static void pgc_test_pff_hold(struct kunit *test)
{
	struct pgc_pff_knobs k;
	struct pgc_pff s = {};
	u64 budget = 5000, cpu = 0, faults = 0, raised;
	unsigned int i;

	pgc_t_knobs(&k);
	pgc_t_window(&k, &s, &cpu, &faults, 1000, budget, false, &budget);
	raised = budget;
	for (i = 1; i < PGC_PFF_HOLD; i++)
		KUNIT_EXPECT_EQ(test, pgc_t_win(&k, &s, &cpu, &faults, 0,
						budget, 1000, false, &budget),
				PGC_PFF_STAY);
	KUNIT_EXPECT_EQ(test, budget, raised);
	KUNIT_EXPECT_EQ(test, pgc_t_win(&k, &s, &cpu, &faults, 0, budget, 1000,
					false, &budget), PGC_PFF_LOWER);
	KUNIT_EXPECT_EQ(test, budget, raised - 1000);
}

/* The guard: no lowering under pressure or while the rate climbs. */
static void pgc_test_pff_guard(struct kunit *test)
{
	struct pgc_pff_knobs k;
	struct pgc_pff s = {};
	u64 budget = 5000, cpu = 0, faults = 0;
	unsigned int i;

	pgc_t_knobs(&k);
	for (i = 0; i < 20; i++)
		KUNIT_EXPECT_NE(test, pgc_t_win(&k, &s, &cpu, &faults, 0,
						budget, 1000, true, &budget),
				PGC_PFF_LOWER);
	KUNIT_EXPECT_EQ(test, budget, 5000ULL);
	KUNIT_EXPECT_EQ(test, s.guarded, 19ULL);
	/* Calm but climbing (0, then 10 per second): held. */
	KUNIT_EXPECT_EQ(test, pgc_t_win(&k, &s, &cpu, &faults, 2, budget, 1000,
					false, &budget), PGC_PFF_GUARD);
	KUNIT_EXPECT_EQ(test, pgc_t_win(&k, &s, &cpu, &faults, 2, budget, 1000,
					false, &budget), PGC_PFF_LOWER);
}

/*
 * bench/pff kv, 2026-12-05: a Zipf key-value table all resident (budget
 * 21997, RSS 16095) took no fault for two windows and touched 123 pages
 * in the sampled one; the cut took it to 256 pages, and its tail faulted
 * back for seconds.  A cut now halves at most, from the RSS where the
 * budget is above it; the next calm window halves again.
 */
static void pgc_test_pff_kv_plunge(struct kunit *test)
{
	struct pgc_pff_knobs k;
	struct pgc_pff s = {};
	u64 budget = 21997, cpu = 0, faults = 0;

	pgc_t_knobs(&k);
	KUNIT_EXPECT_EQ(test, pgc_t_win(&k, &s, &cpu, &faults, 0, 16095, 0,
					false, &budget), PGC_PFF_STAY);
	KUNIT_EXPECT_EQ(test, pgc_t_win(&k, &s, &cpu, &faults, 0, 16095,
					15972, false, &budget), PGC_PFF_LOWER);
	KUNIT_EXPECT_EQ(test, budget, 16095ULL / 2);
	KUNIT_EXPECT_EQ(test, pgc_t_win(&k, &s, &cpu, &faults, 0, budget,
					budget - 123, false, &budget),
			PGC_PFF_LOWER);
	KUNIT_EXPECT_EQ(test, budget, 16095ULL / 4);
	/* Its tail faults now: the descent stops there and goes back up. */
	KUNIT_EXPECT_EQ(test, pgc_t_win(&k, &s, &cpu, &faults, 1000, budget,
					0, false, &budget), PGC_PFF_RAISE);
	KUNIT_EXPECT_GT(test, budget, 16095ULL / 4);
}

/*
 * A model process: @f pages mapped, @w of them touched every window.
 * What it does not touch stays resident until the budget evicts it; below
 * its working set it faults on what it lacks, and more (a cyclic scan
 * under LRU-like replacement faults on every page).
 */
static enum pgc_pff_move pgc_t_model(const struct pgc_pff_knobs *k,
				     struct pgc_pff *s, u64 *cpu, u64 *faults,
				     u64 f, u64 w, u64 *budget)
{
	u64 rss = min(*budget, f);

	return pgc_t_win(k, s, cpu, faults, *budget < w ? 2 * w : 0, rss,
			 rss - min(rss, w), false, budget);
}

/*
 * A steady process: from any start the budget settles on W (a halving may
 * stop it short by less than a quarter step: a cut so small is noise) and
 * stays.
 */
static void pgc_test_pff_steady(struct kunit *test)
{
	static const u64 starts[] = { 300, 3000, 11999, 20000, 200000 };
	const u64 f = 30000, w = 12000;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(starts); i++) {
		struct pgc_pff_knobs k;
		struct pgc_pff s = {};
		u64 budget = starts[i], cpu = 0, faults = 0, moves = 0;

		pgc_t_knobs(&k);
		for (j = 0; j < 400; j++) {
			enum pgc_pff_move m;

			m = pgc_t_model(&k, &s, &cpu, &faults, f, w, &budget);
			if (j >= 20)
				moves += m == PGC_PFF_RAISE || m == PGC_PFF_LOWER;
		}
		KUNIT_EXPECT_GE(test, budget, w);
		KUNIT_EXPECT_LE(test, budget, w + k.step / 4);
		KUNIT_EXPECT_EQ(test, moves, 0ULL);
	}
}

/*
 * A phase change, 20000 pages mapped.  Down, the budget comes to the
 * working set at the first calm window after the hold; up, one raise
 * covers what the process faulted on.
 */
static void pgc_test_pff_phases(struct kunit *test)
{
	static const u64 phase[] = { 2000, 20000, 2000, 8000 };
	struct pgc_pff_knobs k;
	struct pgc_pff s = {};
	u64 budget = 20000, cpu = 0, faults = 0;
	unsigned int p, j;

	pgc_t_knobs(&k);
	for (p = 0; p < ARRAY_SIZE(phase); p++) {
		u64 ws = phase[p];
		bool up = ws > budget;
		unsigned int reached = 0;

		for (j = 1; j <= 30; j++) {
			pgc_t_model(&k, &s, &cpu, &faults, 20000, ws, &budget);
			if (!reached && (up ? budget >= ws : budget <= ws))
				reached = j;
		}
		KUNIT_EXPECT_GT(test, reached, 0U);
		/* Down: the hold, calm, then a halving a window (3 here). */
		KUNIT_EXPECT_LE(test, reached,
				up ? 1U : PGC_PFF_HOLD + PGC_PFF_CALM + 3);
		KUNIT_EXPECT_EQ(test, budget, ws);
	}
}

/*
 * One window of a process with @idle pages not touched since the last
 * sample, sampled only when the controller asks (pgc_pff_wants_sample()),
 * the count handed over only when it is judged; *@sampled: whether it
 * asked for a walk.
 */
static enum pgc_pff_move pgc_t_asked(const struct pgc_pff_knobs *k,
				     struct pgc_pff *s, u64 *cpu, u64 *faults,
				     u64 n, u64 rss, u64 idle, u64 *budget,
				     bool *sampled)
{
	enum pgc_pff_sample want;

	*cpu += k->window_ms * NSEC_PER_MSEC;
	*faults += n;
	want = pgc_pff_wants_sample(k, s, *cpu, *faults);
	*sampled = want != PGC_PFF_SAMPLE_NONE;
	return pgc_pff_tick(k, s, *cpu, *faults, rss,
			    want == PGC_PFF_SAMPLE_JUDGE ? idle : PGC_PFF_NO_SAMPLE,
			    false, budget);
}

/*
 * Bug (review): a new controller judged its first calm window without a
 * primed sample, by every bit set since the process began.  Now that
 * window only clears the bits; the next is judged by what it touched,
 * and a falling RSS keeps a reading of touched pages from raising.
 */
static void pgc_test_pff_first_window_primes(struct kunit *test)
{
	struct pgc_pff_knobs k;
	struct pgc_pff s;
	u64 budget = 2000, cpu = 5000, faults = 7;

	pgc_t_knobs(&k);
	pgc_pff_init(&s, cpu, faults, 16000);
	KUNIT_EXPECT_EQ(test, pgc_pff_wants_sample(&k, &s, cpu, faults),
			PGC_PFF_SAMPLE_NONE);
	cpu += k.window_ms * NSEC_PER_MSEC;
	KUNIT_EXPECT_EQ(test, pgc_pff_wants_sample(&k, &s, cpu, faults),
			PGC_PFF_SAMPLE_PRIME);
	KUNIT_EXPECT_EQ(test, pgc_pff_tick(&k, &s, cpu, faults, 13000,
					   PGC_PFF_NO_SAMPLE, false, &budget),
			PGC_PFF_STAY);
	KUNIT_EXPECT_EQ(test, budget, 2000ULL);
	/* Judged now: 1000 pages touched of 12000 left, no raise. */
	cpu += k.window_ms * NSEC_PER_MSEC;
	KUNIT_EXPECT_EQ(test, pgc_pff_wants_sample(&k, &s, cpu, faults),
			PGC_PFF_SAMPLE_JUDGE);
	KUNIT_EXPECT_NE(test, pgc_pff_tick(&k, &s, cpu, faults, 12000, 11000,
					   false, &budget),
			PGC_PFF_RAISE);
	KUNIT_EXPECT_LE(test, budget, 2000ULL);
	/* A busy first window (rate above low) does not skip the prime. */
	pgc_pff_init(&s, cpu, faults, 3000);
	budget = 2000;
	faults += k.high * k.window_ms / MSEC_PER_SEC * 2;
	cpu += k.window_ms * NSEC_PER_MSEC;
	pgc_pff_tick(&k, &s, cpu, faults, 3000, PGC_PFF_NO_SAMPLE, false,
		     &budget);
	cpu += k.window_ms * NSEC_PER_MSEC;
	if (s.settle) {	/* the window after a raise is not judged */
		pgc_pff_tick(&k, &s, cpu, faults, 3000, PGC_PFF_NO_SAMPLE,
			     false, &budget);
		cpu += k.window_ms * NSEC_PER_MSEC;
	}
	KUNIT_EXPECT_EQ(test, pgc_pff_wants_sample(&k, &s, cpu, faults),
			PGC_PFF_SAMPLE_PRIME);
	/* Every page read touched while the RSS falls: no raise either. */
	budget = 2000;
	pgc_pff_init(&s, cpu, faults, 16000);
	cpu += k.window_ms * NSEC_PER_MSEC;
	pgc_pff_tick(&k, &s, cpu, faults, 14000, PGC_PFF_NO_SAMPLE, false,
		     &budget);
	cpu += k.window_ms * NSEC_PER_MSEC;
	KUNIT_EXPECT_NE(test, pgc_pff_tick(&k, &s, cpu, faults, 12000, 0,
					   false, &budget),
			PGC_PFF_RAISE);
	KUNIT_EXPECT_EQ(test, budget, 2000ULL);
}

/*
 * Steady-state cost (issue 21): a process that touches all it has is
 * sampled every window at first, then the samples thin out to two in
 * every PGC_PFF_SPARSE windows (the judged one and the one before it,
 * which clears the bits).  A window in the band makes them dense again.
 */
static void pgc_test_pff_sparse(struct kunit *test)
{
	struct pgc_pff_knobs k;
	struct pgc_pff s = {};
	u64 budget = 5000, cpu = 0, faults = 0, band;
	unsigned int i, gap = 0, samples = 0, maxgap = 0;
	bool sampled;

	pgc_t_knobs(&k);
	/* Faults a window takes at the middle of the band. */
	band = (k.low + k.high) / 2 * k.window_ms / MSEC_PER_SEC;
	for (i = 1; i <= 200; i++) {
		KUNIT_EXPECT_EQ(test, pgc_t_asked(&k, &s, &cpu, &faults, 0, 5000,
						  0, &budget, &sampled),
				PGC_PFF_STAY);
		gap++;
		if (sampled) {
			maxgap = max(maxgap, gap);
			gap = 0;
			samples++;
		}
	}
	KUNIT_EXPECT_EQ(test, budget, 5000ULL);
	/* Windows 1-4, 7-8, then 15-16, 23-24 ... 199-200. */
	KUNIT_EXPECT_EQ(test, maxgap, PGC_PFF_SPARSE - 1);
	KUNIT_EXPECT_EQ(test, samples, 54U);
	KUNIT_EXPECT_EQ(test, s.guarded, 0ULL);
	/* In the band: not read; the next calm window is sampled. */
	KUNIT_EXPECT_GT(test, s.due_in, 1U);
	pgc_t_asked(&k, &s, &cpu, &faults, band, 5000, 0, &budget, &sampled);
	KUNIT_EXPECT_FALSE(test, sampled);
	pgc_t_asked(&k, &s, &cpu, &faults, 0, 5000, 0, &budget, &sampled);
	KUNIT_EXPECT_TRUE(test, sampled);
	/* Under pressure, with nothing to give back: sparse all the same. */
	samples = 0;
	for (i = 0; i < 200; i++) {
		enum pgc_pff_sample want;

		cpu += k.window_ms * NSEC_PER_MSEC;
		want = pgc_pff_wants_sample(&k, &s, cpu, faults);
		samples += want != PGC_PFF_SAMPLE_NONE;
		KUNIT_EXPECT_EQ(test,
				pgc_pff_tick(&k, &s, cpu, faults, 5000,
					     want == PGC_PFF_SAMPLE_JUDGE ?
					     0 : PGC_PFF_NO_SAMPLE,
					     true, &budget), PGC_PFF_STAY);
	}
	KUNIT_EXPECT_LE(test, samples, 200U * 2 / PGC_PFF_SPARSE + 6);
	KUNIT_EXPECT_EQ(test, s.guarded, 0ULL);
}

/*
 * pgc_pff_wants_sample() mirrors the tick: when it asks for nothing
 * though no sparse gap is running (due_in 0), the tick's decision and
 * state do not depend on @idle (it would judge a sample not taken).
 */
static void pgc_test_pff_no_sample_unread(struct kunit *test)
{
	static const u64 rates[] = { 0, 0, 0, 3, 30, 900, 0, 0, 100, 0 };
	struct pgc_pff_knobs k;
	struct pgc_pff s = {};
	u64 budget = 8000, cpu = 0, faults = 0, x = 12345;
	unsigned int i, skipped = 0;

	pgc_t_knobs(&k);
	for (i = 0; i < 2000; i++) {
		enum pgc_pff_sample want;
		u64 rss, idle, b2;
		struct pgc_pff s2;
		enum pgc_pff_move m, m2;
		bool pressure;

		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		cpu += k.window_ms * NSEC_PER_MSEC * (1 + (x >> 62) % 2) / 2;
		faults += rates[(x >> 40) % ARRAY_SIZE(rates)] *
			  k.window_ms / MSEC_PER_SEC;
		rss = 1000 + (x >> 20) % 20000;
		idle = (x >> 8) % (rss + 1);
		pressure = !((x >> 4) % 7);
		want = pgc_pff_wants_sample(&k, &s, cpu, faults);
		if (want != PGC_PFF_SAMPLE_NONE || s.due_in) {
			pgc_pff_tick(&k, &s, cpu, faults, rss,
				     want == PGC_PFF_SAMPLE_JUDGE ?
				     idle : PGC_PFF_NO_SAMPLE,
				     pressure, &budget);
			continue;
		}
		skipped++;
		s2 = s;
		b2 = budget;
		m = pgc_pff_tick(&k, &s, cpu, faults, rss, PGC_PFF_NO_SAMPLE,
				 pressure, &budget);
		m2 = pgc_pff_tick(&k, &s2, cpu, faults, rss, idle, pressure,
				  &b2);
		KUNIT_EXPECT_EQ(test, m, m2);
		KUNIT_EXPECT_EQ(test, budget, b2);
		KUNIT_EXPECT_EQ(test, memcmp(&s, &s2, sizeof(s)), 0);
	}
	KUNIT_EXPECT_GT(test, skipped, 500U);
}

/*
 * A model process (pgc_t_model()) sampled only when the controller asks:
 * the idle pages are those not touched since the last sample.
 */
static enum pgc_pff_move pgc_t_model_asked(const struct pgc_pff_knobs *k,
					   struct pgc_pff *s, u64 *cpu,
					   u64 *faults, u64 f, u64 w, u64 *budget,
					   u64 *touched)
{
	u64 rss = min(*budget, f);
	enum pgc_pff_move m;
	bool sampled;

	*touched = max(*touched, w);
	m = pgc_t_asked(k, s, cpu, faults, *budget < w ? 2 * w : 0, rss,
			rss - min(rss, *touched), budget, &sampled);
	if (sampled)
		*touched = 0;
	return m;
}

/*
 * Sparse samples still give a shrinking working set back within
 * PGC_PFF_SPARSE windows, wherever in the gap it shrinks (a review found
 * 8 to 15 windows before the window before the judged one was sampled
 * too), and a steady one still settles on its working set.
 */
static void pgc_test_pff_sparse_phases(struct kunit *test)
{
	unsigned int j, i;

	for (j = 0; j < PGC_PFF_SPARSE; j++) {
		struct pgc_pff_knobs k;
		struct pgc_pff s = {};
		u64 budget = 12000, cpu = 0, faults = 0, touched = 0;
		unsigned int reached = 0, moves = 0;

		pgc_t_knobs(&k);
		for (i = 0; i < 100 + j; i++)
			pgc_t_model_asked(&k, &s, &cpu, &faults, 20000, 12000,
					  &budget, &touched);
		KUNIT_EXPECT_EQ(test, budget, 12000ULL);
		for (i = 1; i <= 40; i++) {
			enum pgc_pff_move m;

			m = pgc_t_model_asked(&k, &s, &cpu, &faults, 20000,
					      3000, &budget, &touched);
			if (!reached && budget <= 3000)
				reached = i;
			if (reached && i > reached)
				moves += m == PGC_PFF_RAISE || m == PGC_PFF_LOWER;
		}
		KUNIT_EXPECT_GT(test, reached, 0U);
		/* 12000 to 3000: two cuts, the second a window later. */
		KUNIT_EXPECT_LE(test, reached, PGC_PFF_SPARSE + 1);
		KUNIT_EXPECT_EQ(test, budget, 3000ULL);
		KUNIT_EXPECT_EQ(test, moves, 0U);
	}
}

static struct kunit_case pgc_pff_cases[] = {
	KUNIT_CASE(pgc_test_pff_knobs),
	KUNIT_CASE(pgc_test_pff_no_cpu),
	KUNIT_CASE(pgc_test_pff_rate),
	KUNIT_CASE(pgc_test_pff_raise),
	KUNIT_CASE(pgc_test_pff_grow),
	KUNIT_CASE(pgc_test_pff_lower),
	KUNIT_CASE(pgc_test_pff_hold),
	KUNIT_CASE(pgc_test_pff_follows_touched),
	KUNIT_CASE(pgc_test_pff_guard),
	KUNIT_CASE(pgc_test_pff_kv_plunge),
	KUNIT_CASE(pgc_test_pff_steady),
	KUNIT_CASE(pgc_test_pff_phases),
	KUNIT_CASE(pgc_test_pff_first_window_primes),
	KUNIT_CASE(pgc_test_pff_sparse),
	KUNIT_CASE(pgc_test_pff_no_sample_unread),
	KUNIT_CASE(pgc_test_pff_sparse_phases),
	{}
};

static struct kunit_suite pgc_pff_suite = {
	.name = "pageclock_pff",
	.test_cases = pgc_pff_cases,
};

kunit_test_suite(pgc_pff_suite);
