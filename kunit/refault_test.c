// SPDX-License-Identifier: GPL-2.0
/* KUnit: the refault ring's rules (src/core/refault.c). */
#include <kunit/test.h>
#include <linux/hash.h>
#include "../src/core/refault.c"

#define PGC_TEST_BITS 3		/* 8 slots: collisions are easy to make */

/* Noted once, taken once, with what it was noted with. */
static void pgc_test_refault_once(struct kunit *test)
{
	struct pgc_evicted ring[1 << PGC_TEST_BITS] = {};
	bool dirty;
	u64 seq;

	KUNIT_EXPECT_FALSE(test, pgc_refault_take(ring, PGC_TEST_BITS, 42, &seq, &dirty));
	pgc_refault_note(ring, PGC_TEST_BITS, 42, 7, true);
	KUNIT_EXPECT_TRUE(test, pgc_refault_take(ring, PGC_TEST_BITS, 42, &seq, &dirty));
	KUNIT_EXPECT_EQ(test, seq, 7);
	KUNIT_EXPECT_TRUE(test, dirty);
	/* The second fault on it is no refault. */
	KUNIT_EXPECT_FALSE(test, pgc_refault_take(ring, PGC_TEST_BITS, 42, &seq, &dirty));
}

/* Page 0 is a page like any other: the slot stores it as 1. */
static void pgc_test_refault_page_zero(struct kunit *test)
{
	struct pgc_evicted ring[1 << PGC_TEST_BITS] = {};
	bool dirty = true;
	u64 seq;

	KUNIT_EXPECT_FALSE(test, pgc_refault_take(ring, PGC_TEST_BITS, 0, &seq, &dirty));
	pgc_refault_note(ring, PGC_TEST_BITS, 0, 1, false);
	KUNIT_EXPECT_TRUE(test, pgc_refault_take(ring, PGC_TEST_BITS, 0, &seq, &dirty));
	KUNIT_EXPECT_FALSE(test, dirty);
}

/*
 * Pages 0..255 noted in turn into 8 slots: each is taken iff it was the
 * last noted in its slot, with its own count, and a page that shares a
 * slot with another never reads as that one.
 */
static void pgc_test_refault_latest_wins(struct kunit *test)
{
	struct pgc_evicted ring[1 << PGC_TEST_BITS] = {};
	unsigned long last[1 << PGC_TEST_BITS];
	unsigned long vpn;
	unsigned int taken = 0;
	bool dirty;
	u64 seq;

	for (vpn = 0; vpn < 256; vpn++) {
		pgc_refault_note(ring, PGC_TEST_BITS, vpn, vpn + 100, vpn & 1);
		last[hash_long(vpn, PGC_TEST_BITS)] = vpn;
	}
	for (vpn = 0; vpn < 256; vpn++) {
		bool latest = last[hash_long(vpn, PGC_TEST_BITS)] == vpn;

		KUNIT_EXPECT_EQ(test, pgc_refault_take(ring, PGC_TEST_BITS, vpn,
						       &seq, &dirty), latest);
		if (!latest)
			continue;
		taken++;
		KUNIT_EXPECT_EQ(test, seq, vpn + 100);
		KUNIT_EXPECT_EQ(test, dirty, (bool)(vpn & 1));
	}
	/* Every slot was used, and each gave its page once. */
	KUNIT_EXPECT_EQ(test, taken, 1U << PGC_TEST_BITS);
	for (vpn = 0; vpn < 256; vpn++)
		KUNIT_EXPECT_FALSE(test, pgc_refault_take(ring, PGC_TEST_BITS, vpn,
							  &seq, &dirty));
}

/* An exec: nothing the ring holds is the new program's to fault back. */
static void pgc_test_refault_forget(struct kunit *test)
{
	struct pgc_evicted ring[1 << PGC_TEST_BITS] = {};
	unsigned long vpn;
	bool dirty;
	u64 seq;

	for (vpn = 0; vpn < 64; vpn++)
		pgc_refault_note(ring, PGC_TEST_BITS, vpn, vpn + 1, false);
	pgc_refault_forget(ring, PGC_TEST_BITS);
	for (vpn = 0; vpn < 64; vpn++)
		KUNIT_EXPECT_FALSE(test, pgc_refault_take(ring, PGC_TEST_BITS, vpn,
							  &seq, &dirty));
	/* And it remembers again. */
	pgc_refault_note(ring, PGC_TEST_BITS, 7, 9, true);
	KUNIT_EXPECT_TRUE(test, pgc_refault_take(ring, PGC_TEST_BITS, 7, &seq,
						 &dirty));
	KUNIT_EXPECT_EQ(test, seq, 9ULL);
}

static struct kunit_case pgc_refault_cases[] = {
	KUNIT_CASE(pgc_test_refault_once),
	KUNIT_CASE(pgc_test_refault_page_zero),
	KUNIT_CASE(pgc_test_refault_latest_wins),
	KUNIT_CASE(pgc_test_refault_forget),
	{}
};

static struct kunit_suite pgc_refault_suite = {
	.name = "pageclock_refault",
	.test_cases = pgc_refault_cases,
};

kunit_test_suite(pgc_refault_suite);
