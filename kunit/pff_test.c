// SPDX-License-Identifier: GPL-2.0
/* KUnit: the Page-Fault-Frequency controller (src/core/pff.c). */
#include <kunit/test.h>
#include "../src/core/pff.c"

#define PGC_T_MAX	BIT_ULL(20)	/* pages of a pretend machine */
#define PGC_T_WIN	(PGC_PFF_WINDOW_MS * NSEC_PER_MSEC)

static void pgc_t_knobs(struct pgc_pff_knobs *k)
{
	pgc_pff_defaults(k, PGC_T_MAX);
}

/* One window of CPU time with @faults signal faults in it. */
static enum pgc_pff_move pgc_t_window(const struct pgc_pff_knobs *k,
				      struct pgc_pff *s, u64 *cpu, u64 *faults,
				      u64 n, u64 rss, bool pressure, u64 *budget)
{
	*cpu += k->window_ms * NSEC_PER_MSEC;
	*faults += n;
	return pgc_pff_tick(k, s, *cpu, *faults, rss, pressure, budget);
}

static void pgc_test_pff_knobs(struct kunit *test)
{
	struct pgc_pff_knobs k, bad;

	pgc_t_knobs(&k);
	KUNIT_EXPECT_EQ(test, pgc_pff_check(&k, PGC_T_MAX), 0);
	KUNIT_EXPECT_EQ(test, pgc_pff_set(&k, "bogus", 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgc_pff_set(&k, "low", 5), 0);
	KUNIT_EXPECT_EQ(test, k.low, 5ULL);
	/* Each rule alone makes the knobs invalid. */
	bad = k; bad.low = bad.high;
	KUNIT_EXPECT_EQ(test, pgc_pff_check(&bad, PGC_T_MAX), -EINVAL);
	bad = k; bad.high = PGC_PFF_RATE_MAX + 1;
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
	bad = k; bad.window_ms = PGC_PFF_WINDOW_MAX + 1;
	KUNIT_EXPECT_EQ(test, pgc_pff_check(&bad, PGC_T_MAX), -EINVAL);
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
						   f * 1000, 5000, false, &budget),
				PGC_PFF_WAIT);
	KUNIT_EXPECT_EQ(test, budget, 5000ULL);
	KUNIT_EXPECT_EQ(test, s.windows, 0ULL);
	/* Counters that went back restart the window. */
	KUNIT_EXPECT_EQ(test, pgc_pff_tick(&k, &s, 10, 0, 5000, false, &budget),
			PGC_PFF_WAIT);
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
	/* Faults far below the budget are not the budget's doing. */
	k.max = PGC_T_MAX;
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, pgc_t_window(&k, &s, &cpu, &faults, 1000,
						   100, false, &budget),
				PGC_PFF_STAY);
	KUNIT_EXPECT_EQ(test, budget, 34000ULL);
}

/* Below low: lower after PGC_PFF_CALM windows, one step each, to min. */
static void pgc_test_pff_lower(struct kunit *test)
{
	struct pgc_pff_knobs k;
	struct pgc_pff s = {};
	u64 budget = 5000, cpu = 0, faults = 0;
	unsigned int i;

	pgc_t_knobs(&k);
	for (i = 1; i < PGC_PFF_CALM; i++)
		KUNIT_EXPECT_EQ(test, pgc_t_window(&k, &s, &cpu, &faults, 0,
						   budget, false, &budget),
				PGC_PFF_STAY);
	KUNIT_EXPECT_EQ(test, pgc_t_window(&k, &s, &cpu, &faults, 0, budget,
					   false, &budget), PGC_PFF_LOWER);
	KUNIT_EXPECT_EQ(test, budget, 5000ULL - PGC_PFF_STEP);
	for (i = 0; i < 10; i++)
		pgc_t_window(&k, &s, &cpu, &faults, 0, budget, false, &budget);
	KUNIT_EXPECT_EQ(test, budget, (u64)PGC_PFF_MIN);
	KUNIT_EXPECT_EQ(test, pgc_t_window(&k, &s, &cpu, &faults, 0, budget,
					   false, &budget), PGC_PFF_STAY);
	/* A budget far above the RSS comes down to a step below the RSS. */
	budget = 100000;
	pgc_t_window(&k, &s, &cpu, &faults, 0, 3000, false, &budget);
	KUNIT_EXPECT_EQ(test, budget, 3000ULL - PGC_PFF_STEP);
	/* In the band: no move, and the calm count starts again. */
	KUNIT_EXPECT_EQ(test, pgc_t_window(&k, &s, &cpu, &faults, 10, budget,
					   false, &budget), PGC_PFF_STAY);
	KUNIT_EXPECT_EQ(test, s.calm, 0U);
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
		KUNIT_EXPECT_EQ(test, pgc_t_window(&k, &s, &cpu, &faults, 0,
						   budget, false, &budget),
				PGC_PFF_STAY);
	KUNIT_EXPECT_EQ(test, budget, raised);
	KUNIT_EXPECT_EQ(test, pgc_t_window(&k, &s, &cpu, &faults, 0, budget,
					   false, &budget), PGC_PFF_LOWER);
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
		KUNIT_EXPECT_NE(test, pgc_t_window(&k, &s, &cpu, &faults, 0,
						   budget, true, &budget),
				PGC_PFF_LOWER);
	KUNIT_EXPECT_EQ(test, budget, 5000ULL);
	KUNIT_EXPECT_EQ(test, s.guarded, 19ULL);
	/* Calm but climbing (0, then 10 per second): held. */
	KUNIT_EXPECT_EQ(test, pgc_t_window(&k, &s, &cpu, &faults, 2, budget,
					   false, &budget), PGC_PFF_GUARD);
	KUNIT_EXPECT_EQ(test, pgc_t_window(&k, &s, &cpu, &faults, 2, budget,
					   false, &budget), PGC_PFF_LOWER);
}

/*
 * A steady process with a working set of W pages faults hard below W and
 * not at all above it.  From any start the budget settles near W and then
 * moves at most one step down and back per hold period: the oscillation
 * the hysteresis allows, no more.
 */
static void pgc_test_pff_steady(struct kunit *test)
{
	static const u64 starts[] = { 300, 3000, 20000, 200000 };
	const u64 w = 12000;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(starts); i++) {
		struct pgc_pff_knobs k;
		struct pgc_pff s = {};
		u64 budget = starts[i], cpu = 0, faults = 0, lo = U64_MAX, hi = 0;
		u64 moves = 0;

		pgc_t_knobs(&k);
		for (j = 0; j < 400; j++) {
			u64 rss = min(budget, w);
			enum pgc_pff_move m;

			m = pgc_t_window(&k, &s, &cpu, &faults,
					 budget < w ? 1000 : 0, rss, false,
					 &budget);
			if (j < 100)
				continue;
			lo = min(lo, budget);
			hi = max(hi, budget);
			moves += m == PGC_PFF_RAISE || m == PGC_PFF_LOWER;
		}
		KUNIT_EXPECT_GE(test, lo, w - k.step);
		KUNIT_EXPECT_LE(test, hi, w + k.step);
		KUNIT_EXPECT_LE(test, moves, 2ULL * 300 / PGC_PFF_HOLD);
	}
}

/*
 * A phase change.  The process keeps all 20000 pages mapped, so what it
 * stops using stays resident until evicted: RSS is the budget.  Up, the
 * doubling raises (every other window: each is followed by an unjudged
 * one) cover 18000 pages in 9 windows; down, the budget comes
 * one step per window once the hold after a raise and PGC_PFF_CALM calm
 * windows have passed.
 */
static void pgc_test_pff_phases(struct kunit *test)
{
	static const u64 phase[] = { 2000, 20000, 2000 };
	struct pgc_pff_knobs k;
	struct pgc_pff s = {};
	u64 budget = 20000, cpu = 0, faults = 0;
	unsigned int p, j;

	pgc_t_knobs(&k);
	for (p = 0; p < ARRAY_SIZE(phase); p++) {
		u64 ws = phase[p], start = budget;
		bool up = ws > start;
		unsigned int reached = 0, bound;

		bound = up ? 9 : PGC_PFF_HOLD + PGC_PFF_CALM +
				 (unsigned int)((start - ws) / k.step);
		for (j = 1; j <= 60; j++) {
			pgc_t_window(&k, &s, &cpu, &faults,
				     budget < ws ? 1000 : 0, min(budget, 20000ULL),
				     false, &budget);
			if (!reached && (up ? budget >= ws : budget <= ws + k.step))
				reached = j;
		}
		KUNIT_EXPECT_GT(test, reached, 0U);
		KUNIT_EXPECT_LE(test, reached, bound);
		/* ... and it stays near the working set. */
		KUNIT_EXPECT_GE(test, budget, ws - k.step);
		KUNIT_EXPECT_LE(test, budget, ws + PGC_PFF_BURST * k.step);
	}
}

static struct kunit_case pgc_pff_cases[] = {
	KUNIT_CASE(pgc_test_pff_knobs),
	KUNIT_CASE(pgc_test_pff_no_cpu),
	KUNIT_CASE(pgc_test_pff_rate),
	KUNIT_CASE(pgc_test_pff_raise),
	KUNIT_CASE(pgc_test_pff_lower),
	KUNIT_CASE(pgc_test_pff_hold),
	KUNIT_CASE(pgc_test_pff_guard),
	KUNIT_CASE(pgc_test_pff_steady),
	KUNIT_CASE(pgc_test_pff_phases),
	{}
};

static struct kunit_suite pgc_pff_suite = {
	.name = "pageclock_pff",
	.test_cases = pgc_pff_cases,
};

kunit_test_suite(pgc_pff_suite);
