// SPDX-License-Identifier: GPL-2.0
/* KUnit: the open-fault slots of faults/hook=1 (src/core/fslot.c). */
#include <kunit/test.h>
#include <linux/hash.h>
#include "../src/core/fslot.c"

/* 16 slots, one thread's probes: every slot is a probe of every owner. */
#define PGC_TEST_BITS 4
#define PGC_TEST_N BIT(PGC_TEST_BITS)

static struct pgc_fslot *pgc_test_tab(struct kunit *test)
{
	struct pgc_fslot *tab = kunit_kcalloc(test, PGC_TEST_N, sizeof(*tab),
					      GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tab);
	return tab;
}

/* An owner (never dereferenced) whose hash is @h, other than @not. */
static const void *pgc_test_owner(unsigned int h, const void *not)
{
	unsigned long a;

	for (a = 0x1000; ; a += 64)
		if (hash_ptr((void *)a, PGC_TEST_BITS) == h && (void *)a != not)
			return (void *)a;
}

/* Taken, found again, given back: found no more. */
static void pgc_test_fslot_take_put(struct kunit *test)
{
	struct pgc_fslot *tab = pgc_test_tab(test), *s;
	const void *a = pgc_test_owner(5, NULL);

	KUNIT_EXPECT_NULL(test, pgc_fslot_get(tab, PGC_TEST_BITS, a, false));
	s = pgc_fslot_get(tab, PGC_TEST_BITS, a, true);
	KUNIT_ASSERT_PTR_EQ(test, s, &tab[5]);
	KUNIT_EXPECT_PTR_EQ(test, s->owner, a);
	s->open = true;
	/* Its own slot, open or not, is what a second take finds. */
	KUNIT_EXPECT_PTR_EQ(test, pgc_fslot_get(tab, PGC_TEST_BITS, a, true), s);
	KUNIT_EXPECT_PTR_EQ(test, pgc_fslot_get(tab, PGC_TEST_BITS, a, false), s);
	pgc_fslot_put(s);
	KUNIT_EXPECT_FALSE(test, s->open);
	KUNIT_EXPECT_NULL(test, pgc_fslot_get(tab, PGC_TEST_BITS, a, false));
}

/* The probes go on from the last slot to the first. */
static void pgc_test_fslot_wrap(struct kunit *test)
{
	struct pgc_fslot *tab = pgc_test_tab(test);
	const void *a = pgc_test_owner(PGC_TEST_N - 1, NULL);
	const void *b = pgc_test_owner(PGC_TEST_N - 1, a);

	KUNIT_EXPECT_PTR_EQ(test, pgc_fslot_get(tab, PGC_TEST_BITS, a, true),
			    &tab[PGC_TEST_N - 1]);
	KUNIT_EXPECT_PTR_EQ(test, pgc_fslot_get(tab, PGC_TEST_BITS, b, true),
			    &tab[0]);
	KUNIT_EXPECT_PTR_EQ(test, pgc_fslot_get(tab, PGC_TEST_BITS, b, false),
			    &tab[0]);
}

/*
 * A thread that left a fault open behind another's slot, which then went,
 * takes the free slot before its old one: its newest is found first, and
 * its exit gives back both, counting the open ones of the gen asked.
 */
static void pgc_test_fslot_newest_first(struct kunit *test)
{
	struct pgc_fslot *tab = pgc_test_tab(test), *sb, *old, *cur;
	const void *b = pgc_test_owner(3, NULL);
	const void *a = pgc_test_owner(3, b);

	sb = pgc_fslot_get(tab, PGC_TEST_BITS, b, true);
	old = pgc_fslot_get(tab, PGC_TEST_BITS, a, true);
	KUNIT_ASSERT_PTR_EQ(test, sb, &tab[3]);
	KUNIT_ASSERT_PTR_EQ(test, old, &tab[4]);
	old->open = true;		/* a fault that never ended */
	old->gen = 7;
	pgc_fslot_put(sb);
	cur = pgc_fslot_get(tab, PGC_TEST_BITS, a, true);
	KUNIT_ASSERT_PTR_EQ(test, cur, &tab[3]);
	cur->open = true;
	cur->gen = 7;
	KUNIT_EXPECT_PTR_EQ(test, pgc_fslot_get(tab, PGC_TEST_BITS, a, false), cur);
	/* Closed, the newest is free again, and the old one is found. */
	pgc_fslot_put(cur);
	KUNIT_EXPECT_PTR_EQ(test, pgc_fslot_get(tab, PGC_TEST_BITS, a, false), old);
	cur = pgc_fslot_get(tab, PGC_TEST_BITS, a, true);
	KUNIT_EXPECT_PTR_EQ(test, cur, &tab[3]);
	cur->open = true;
	cur->gen = 6;			/* before the tracepoints' last attach */
	KUNIT_EXPECT_EQ(test, pgc_fslot_put_all(tab, PGC_TEST_BITS, a, 7), 1U);
	KUNIT_EXPECT_NULL(test, tab[3].owner);
	KUNIT_EXPECT_NULL(test, tab[4].owner);
	KUNIT_EXPECT_NULL(test, pgc_fslot_get(tab, PGC_TEST_BITS, a, false));
}

/* A full table: nothing to take, and nobody's slot given away. */
static void pgc_test_fslot_full(struct kunit *test)
{
	struct pgc_fslot *tab = pgc_test_tab(test), *s;
	const void *owners[PGC_TEST_N];
	const void *x = pgc_test_owner(0, NULL);
	unsigned int i;

	for (i = 0; i < PGC_TEST_N; i++) {
		owners[i] = (void *)(0x100000UL + 64 * i);
		KUNIT_ASSERT_NOT_NULL(test, pgc_fslot_get(tab, PGC_TEST_BITS,
							  owners[i], true));
	}
	KUNIT_EXPECT_NULL(test, pgc_fslot_get(tab, PGC_TEST_BITS, x, true));
	for (i = 0; i < PGC_TEST_N; i++)
		KUNIT_EXPECT_NOT_NULL(test, pgc_fslot_get(tab, PGC_TEST_BITS,
							  owners[i], false));
	/* One given back: the outsider takes that one. */
	s = pgc_fslot_get(tab, PGC_TEST_BITS, owners[9], false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	pgc_fslot_put(s);
	KUNIT_EXPECT_NULL(test, pgc_fslot_get(tab, PGC_TEST_BITS, owners[9], false));
	KUNIT_EXPECT_NOT_NULL(test, pgc_fslot_get(tab, PGC_TEST_BITS, x, true));
}

static struct kunit_case pgc_fslot_cases[] = {
	KUNIT_CASE(pgc_test_fslot_take_put),
	KUNIT_CASE(pgc_test_fslot_wrap),
	KUNIT_CASE(pgc_test_fslot_newest_first),
	KUNIT_CASE(pgc_test_fslot_full),
	{}
};

static struct kunit_suite pgc_fslot_suite = {
	.name = "pageclock_fslot",
	.test_cases = pgc_fslot_cases,
};

kunit_test_suite(pgc_fslot_suite);
