// SPDX-License-Identifier: GPL-2.0
/* KUnit: the CLOCK hand's policies with history (src/core/hand.c). */
#include <kunit/test.h>
#include "../src/core/hand.c"

static const struct pgc_hand_params pgc_t_esc = { PGC_HAND_ESC, 0 };

/* A byte judged in @lap with count @c. */
static u8 pgc_t_byte(u64 lap, unsigned int c)
{
	return pgc_hand_stamp(lap) << 4 | c;
}

/*
 * Known: the stamp is this lap's or one of the two before; a byte never
 * judged (stamp 0) never is; stamps come round every 15 laps.
 */
static void pgc_test_hand_known(struct kunit *test)
{
	unsigned int h, bad = 0;
	u64 lap;

	for (lap = 0; lap <= 64; lap++)
		for (h = 0; h < 256; h++) {
			unsigned int st = h >> 4;
			bool want = st && (st == lap % 15 + 1 ||
					   (lap >= 1 && st == (lap - 1) % 15 + 1) ||
					   (lap >= 2 && st == (lap - 2) % 15 + 1));

			bad += pgc_hand_known(h, lap) != want;
		}
	KUNIT_EXPECT_EQ(test, bad, 0U);
	KUNIT_EXPECT_TRUE(test, pgc_hand_known(pgc_t_byte(7, 0), 9));
	KUNIT_EXPECT_FALSE(test, pgc_hand_known(pgc_t_byte(7, 0), 10));
	KUNIT_EXPECT_TRUE(test, pgc_hand_known(pgc_t_byte(7, 0), 22));
}

/* ESC's verdicts in the hand's terms (pgc_clock_judge()). */
static enum pgc_hand_verdict pgc_t_esc_verdict(bool a, bool d, bool starved)
{
	enum pgc_clock_verdict v = pgc_clock_judge(a, d, starved);

	return v == PGC_CLOCK_SECOND_CHANCE ? PGC_HAND_KEEP :
	       v == PGC_CLOCK_CLEAN ? PGC_HAND_CLEAN : PGC_HAND_DIRTY;
}

/*
 * AGE(1), GCLOCK(0), ESC and no history at all judge as one bit does,
 * whatever the byte, lap and floor.
 */
static void pgc_test_hand_esc_equivalence(struct kunit *test)
{
	static const struct pgc_hand_params ps[] = {
		{ PGC_HAND_ESC, 0 }, { PGC_HAND_ESC, 9 },
		{ PGC_HAND_AGE, 1 }, { PGC_HAND_GCLOCK, 0 },
	};
	unsigned int i, h, floor, bits, bad = 0;
	u64 lap;

	for (i = 0; i < ARRAY_SIZE(ps); i++)
		for (h = 0; h < 256; h++)
			for (lap = 0; lap < 32; lap++)
				for (floor = 0; floor <= PGC_HAND_K_MAX; floor++)
					for (bits = 0; bits < 8; bits++) {
						bool a = bits & 1, d = bits & 2,
						     s = bits & 4;
						u8 b = h;

						bad += pgc_hand_judge(&ps[i], &b, lap,
								      floor, a, d, s) !=
						       pgc_t_esc_verdict(a, d, s);
						bad += pgc_hand_judge(&ps[i], NULL, lap,
								      floor, a, d, s) !=
						       pgc_t_esc_verdict(a, d, s);
					}
	KUNIT_EXPECT_EQ(test, bad, 0U);
}

/*
 * Visits of one page, one a lap from lap 1, after it was judged used in
 * lap 0: used at the first visit and every @p-th after it.  Returns the
 * visit at which it is a victim, 0 if it outlives @n visits.
 */
static unsigned int pgc_t_periodic(const struct pgc_hand_params *hp,
				   unsigned int p, unsigned int n)
{
	u8 h = pgc_t_byte(0, 0);
	unsigned int v;

	for (v = 1; v <= n; v++) {
		bool used = !((v - 1) % p);

		if (pgc_hand_judge(hp, &h, v, 0, used, false, false) ==
		    PGC_HAND_CLEAN)
			return v;
	}
	return 0;
}

/*
 * Reuse every p laps: one bit keeps only p = 1; AGE(k) keeps p <= k;
 * GCLOCK(k >= 1) keeps p <= 2 (a credit earned, a credit spent).
 */
static void pgc_test_hand_periodic(struct kunit *test)
{
	struct pgc_hand_params hp;
	unsigned int k, p;

	for (p = 1; p <= 16; p++) {
		KUNIT_EXPECT_EQ(test, !pgc_t_periodic(&pgc_t_esc, p, 64), p == 1);
		for (k = 1; k <= PGC_HAND_K_MAX; k++) {
			hp = (struct pgc_hand_params){ PGC_HAND_AGE, k };
			KUNIT_EXPECT_EQ(test, !pgc_t_periodic(&hp, p, 64), p <= k);
			hp = (struct pgc_hand_params){ PGC_HAND_GCLOCK, k };
			KUNIT_EXPECT_EQ(test, !pgc_t_periodic(&hp, p, 64), p <= 2);
		}
	}
}

/*
 * @n used visits of a known page, then idle ones: AGE(k) takes it at the
 * k-th idle visit, GCLOCK(k) at the (min(n, k) + 1)-th.
 */
static void pgc_test_hand_burst_then_idle(struct kunit *test)
{
	unsigned int k, n, v, idle;

	for (k = 1; k <= PGC_HAND_K_MAX; k++)
		for (n = 1; n <= 20; n++) {
			struct pgc_hand_params age = { PGC_HAND_AGE, k };
			struct pgc_hand_params gc = { PGC_HAND_GCLOCK, k };
			u8 ha = pgc_t_byte(0, 0), hg = pgc_t_byte(0, 0);
			unsigned int at_age = 0, at_gc = 0;

			for (v = 1; v <= n; v++) {
				pgc_hand_judge(&age, &ha, v, 0, true, false, false);
				pgc_hand_judge(&gc, &hg, v, 0, true, false, false);
			}
			for (idle = 1; idle <= 40; idle++, v++) {
				if (!at_age && pgc_hand_judge(&age, &ha, v, 0, false,
							      false, false) == PGC_HAND_CLEAN)
					at_age = idle;
				if (!at_gc && pgc_hand_judge(&gc, &hg, v, 0, false,
							     false, false) == PGC_HAND_CLEAN)
					at_gc = idle;
			}
			KUNIT_EXPECT_EQ(test, at_age, k);
			KUNIT_EXPECT_EQ(test, at_gc, min(n, k) + 1);
		}
}

/*
 * A page the hand has not met (never, or not for three laps) earns
 * nothing by its A bit, its own first touch: under every policy it goes
 * at its first idle visit.  So a page a scan touched once does.
 */
static void pgc_test_hand_new_page_no_credit(struct kunit *test)
{
	static const u8 stale[] = { 0, 0x1f, 0xff };
	unsigned int pol, k, i;

	for (pol = 0; pol < PGC_HAND_NR; pol++)
		for (k = pol == PGC_HAND_AGE; k <= PGC_HAND_K_MAX; k++)
			for (i = 0; i < ARRAY_SIZE(stale); i++) {
				struct pgc_hand_params hp = { pol, k };
				u8 h = stale[i];
				u64 lap = 40;	/* stamps 0x1f, 0xff: laps 0 and 14 */

				KUNIT_EXPECT_EQ(test, pgc_hand_judge(&hp, &h, lap, 0,
								     true, false, false),
						PGC_HAND_KEEP);
				KUNIT_EXPECT_EQ(test, pgc_hand_judge(&hp, &h, lap + 1,
								     0, false, true, false),
						PGC_HAND_DIRTY);
			}
}

/*
 * A page evicted in lap L (its byte stamped then) that comes back and is
 * seen used within two laps is known: under AGE(3) it is kept two idle
 * laps.  Three laps later it is new, and goes at its first idle visit.
 */
static void pgc_test_hand_refault_window(struct kunit *test)
{
	struct pgc_hand_params hp = { PGC_HAND_AGE, 3 };
	unsigned int back, v;

	for (back = 1; back <= 3; back++) {
		u8 h = pgc_t_byte(10, 3);	/* a victim at lap 10 */
		unsigned int kept = 0;

		pgc_hand_judge(&hp, &h, 10 + back, 0, true, false, false);
		for (v = 1; v <= 5; v++) {
			if (pgc_hand_judge(&hp, &h, 10 + back + v, 0, false,
					   false, false) != PGC_HAND_SPARE)
				break;
			kept++;
		}
		KUNIT_EXPECT_EQ(test, kept, back < 3 ? 2U : 0U);
	}
}

/*
 * The floor: up by one after a lap that only spared pages, else 0, and
 * once after a sweep that fell short; each step lowers AGE's bar by one
 * lap (never under one) and lets GCLOCK take a page with that much credit.
 */
static void pgc_test_hand_floor(struct kunit *test)
{
	struct pgc_hand_params age = { PGC_HAND_AGE, 6 };
	struct pgc_hand_params gc = { PGC_HAND_GCLOCK, 6 };
	struct pgc_hand_lap l = {};
	unsigned int f, c;

	KUNIT_EXPECT_EQ(test, pgc_hand_floor(3, 0, 0, 10), 4U);
	KUNIT_EXPECT_EQ(test, pgc_hand_floor(3, 1, 0, 10), 0U);
	KUNIT_EXPECT_EQ(test, pgc_hand_floor(3, 0, 1, 10), 0U);
	KUNIT_EXPECT_EQ(test, pgc_hand_floor(3, 0, 0, 0), 0U);
	KUNIT_EXPECT_EQ(test, pgc_hand_floor(PGC_HAND_K_MAX, 0, 0, 1),
			(unsigned int)PGC_HAND_K_MAX);
	/* Passes add up to a lap; only the wrap moves the floor. */
	pgc_hand_pass(&l, 0, 0, 5, false);
	KUNIT_EXPECT_EQ(test, l.floor, 0U);
	pgc_hand_pass(&l, 0, 0, 5, true);
	KUNIT_EXPECT_EQ(test, l.floor, 1U);
	KUNIT_EXPECT_EQ(test, l.spared, 0UL);
	pgc_hand_pass(&l, 1, 0, 0, false);
	pgc_hand_pass(&l, 0, 0, 9, true);	/* a victim earlier in the lap */
	KUNIT_EXPECT_EQ(test, l.floor, 0U);
	/* A sweep short of its victims: up once, never past the count. */
	for (c = 0; c < 20; c++)
		pgc_hand_short(&l);
	KUNIT_EXPECT_EQ(test, l.floor, (unsigned int)PGC_HAND_K_MAX);
	for (f = 0; f <= PGC_HAND_K_MAX; f++)
		for (c = 0; c < PGC_HAND_K_MAX; c++) {
			u8 ha = pgc_t_byte(0, c), hg = pgc_t_byte(0, c);
			unsigned int bar = 6 > f + 1 ? 6 - f : 1;

			KUNIT_EXPECT_EQ(test, pgc_hand_judge(&age, &ha, 1, f, false,
							     false, false),
					c + 1 >= bar ? PGC_HAND_CLEAN : PGC_HAND_SPARE);
			KUNIT_EXPECT_EQ(test, pgc_hand_judge(&gc, &hg, 1, f, false,
							     false, false),
					min(c, 6U) <= f ? PGC_HAND_CLEAN : PGC_HAND_SPARE);
		}
}

/* Starved (every page used last lap): FIFO by D, under every policy. */
static void pgc_test_hand_starved(struct kunit *test)
{
	unsigned int pol, k;

	for (pol = 0; pol < PGC_HAND_NR; pol++)
		for (k = 1; k <= PGC_HAND_K_MAX; k++) {
			struct pgc_hand_params hp = { pol, k };
			u8 h = pgc_t_byte(4, k);

			KUNIT_EXPECT_EQ(test, pgc_hand_judge(&hp, &h, 5, 0, true,
							     false, true), PGC_HAND_CLEAN);
			KUNIT_EXPECT_EQ(test, pgc_hand_judge(&hp, &h, 6, 0, true,
							     true, true), PGC_HAND_DIRTY);
		}
}

static void pgc_test_hand_params(struct kunit *test)
{
	struct pgc_hand_params hp = { PGC_HAND_AGE, 0 };

	KUNIT_EXPECT_EQ(test, pgc_hand_params_check(&hp), -EINVAL);
	hp.k = 1;
	KUNIT_EXPECT_EQ(test, pgc_hand_params_check(&hp), 0);
	hp.k = PGC_HAND_K_MAX + 1;
	KUNIT_EXPECT_EQ(test, pgc_hand_params_check(&hp), -ERANGE);
	hp = (struct pgc_hand_params){ PGC_HAND_GCLOCK, 0 };
	KUNIT_EXPECT_EQ(test, pgc_hand_params_check(&hp), 0);
	hp.policy = PGC_HAND_NR;
	KUNIT_EXPECT_EQ(test, pgc_hand_params_check(&hp), -ERANGE);
}

static struct kunit_case pgc_hand_cases[] = {
	KUNIT_CASE(pgc_test_hand_known),
	KUNIT_CASE(pgc_test_hand_esc_equivalence),
	KUNIT_CASE(pgc_test_hand_periodic),
	KUNIT_CASE(pgc_test_hand_burst_then_idle),
	KUNIT_CASE(pgc_test_hand_new_page_no_credit),
	KUNIT_CASE(pgc_test_hand_refault_window),
	KUNIT_CASE(pgc_test_hand_floor),
	KUNIT_CASE(pgc_test_hand_starved),
	KUNIT_CASE(pgc_test_hand_params),
	{}
};

static struct kunit_suite pgc_hand_suite = {
	.name = "pageclock_hand",
	.test_cases = pgc_hand_cases,
};

kunit_test_suite(pgc_hand_suite);
