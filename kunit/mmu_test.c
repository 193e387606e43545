// SPDX-License-Identifier: GPL-2.0
/* KUnit: TLB flush causes and idle ages (src/core/mmu.c). */
#include <kunit/test.h>
#include "../src/core/mmu.c"

/* Every combination of the context flags over every syscall number. */
static void pgc_test_cause_order(struct kunit *test)
{
	struct pgc_tlb_ctx c;
	unsigned int bits;
	int nr;

	for (bits = 0; bits < 16; bits++) {
		for (nr = -1; nr < 512; nr++) {
			enum pgc_tlb_cause tc;

			c.own = bits & 1;
			c.reclaim = bits & 2;
			c.kthread = bits & 4;
			c.syscall = bits & 8;
			c.nr = nr;
			tc = pgc_tlb_cause(&c);
			if (c.own)
				KUNIT_EXPECT_EQ(test, tc, PGC_TC_PAGECLOCK);
			else if (c.reclaim)
				KUNIT_EXPECT_EQ(test, tc, PGC_TC_RECLAIM);
			else if (c.kthread)
				KUNIT_EXPECT_EQ(test, tc, PGC_TC_KTHREAD);
			else if (!c.syscall)
				KUNIT_EXPECT_EQ(test, tc, PGC_TC_FAULT);
			else
				KUNIT_EXPECT_TRUE(test, tc >= PGC_TC_MPROTECT &&
						  tc <= PGC_TC_SYSCALL);
			KUNIT_EXPECT_STRNEQ(test, pgc_tlb_cause_name(tc), "?");
		}
	}
}

static void pgc_test_cause_syscalls(struct kunit *test)
{
	static const struct { int nr; enum pgc_tlb_cause tc; } want[] = {
		{ 10, PGC_TC_MPROTECT },	/* mprotect */
		{ 329, PGC_TC_MPROTECT },	/* pkey_mprotect */
		{ 11, PGC_TC_MUNMAP },		/* munmap */
		{ 25, PGC_TC_MUNMAP },		/* mremap */
		{ 28, PGC_TC_MADVISE },		/* madvise */
		{ 56, PGC_TC_FORK },		/* clone */
		{ 57, PGC_TC_FORK },		/* fork */
		{ 279, PGC_TC_MIGRATE },	/* move_pages */
		{ 0, PGC_TC_SYSCALL },		/* read */
		{ 1, PGC_TC_SYSCALL },		/* write */
	};
	struct pgc_tlb_ctx c = { .syscall = true };
	int i;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		c.nr = want[i].nr;
		KUNIT_EXPECT_EQ(test, pgc_tlb_cause(&c), want[i].tc);
	}
	KUNIT_EXPECT_STREQ(test, pgc_tlb_cause_name(PGC_TC_NR), "?");
}

/* Bug: a 32-bit process's syscall was read as x86-64's (11: munmap). */
static void pgc_test_cause_compat(struct kunit *test)
{
	struct pgc_tlb_ctx c = { .syscall = true, .compat = true };
	int nr;

	for (nr = 0; nr < 512; nr++) {
		c.nr = nr;
		KUNIT_EXPECT_EQ(test, pgc_tlb_cause(&c), PGC_TC_SYSCALL);
	}
}

/* Every age, accessed or not; buckets are contiguous log2 ranges. */
static void pgc_test_ages(struct kunit *test)
{
	unsigned int a, prev = 0;

	for (a = 0; a <= PGC_AGE_MAX; a++) {
		unsigned int b = pgc_age_bucket(a);

		KUNIT_EXPECT_EQ(test, pgc_age_next(a, true), 0);
		KUNIT_EXPECT_EQ(test, pgc_age_next(a, false),
				a < PGC_AGE_MAX ? a + 1 : PGC_AGE_MAX);
		KUNIT_EXPECT_LT(test, b, (unsigned int)PGC_AGE_BUCKETS);
		KUNIT_EXPECT_TRUE(test, b == prev || b == prev + 1);
		if (a)
			KUNIT_EXPECT_TRUE(test, a >= (1U << (b - 1)) &&
					  a < (1U << b));
		prev = b;
	}
	KUNIT_EXPECT_EQ(test, pgc_age_bucket(0), 0U);
	KUNIT_EXPECT_EQ(test, pgc_age_bucket(PGC_AGE_MAX),
			(unsigned int)PGC_AGE_BUCKETS - 1);
}

static struct kunit_case pgc_mmu_cases[] = {
	KUNIT_CASE(pgc_test_cause_order),
	KUNIT_CASE(pgc_test_cause_syscalls),
	KUNIT_CASE(pgc_test_cause_compat),
	KUNIT_CASE(pgc_test_ages),
	{}
};

static struct kunit_suite pgc_mmu_suite = {
	.name = "pageclock_mmu",
	.test_cases = pgc_mmu_cases,
};

kunit_test_suite(pgc_mmu_suite);
