// SPDX-License-Identifier: GPL-2.0
/* KUnit: log2 histogram buckets (src/core/hist.c). */
#include <kunit/test.h>
#include "../src/core/hist.c"

static void pgc_test_bucket_edges(struct kunit *test)
{
	unsigned int i;

	KUNIT_EXPECT_EQ(test, pgc_hist_bucket(0), 0U);
	KUNIT_EXPECT_EQ(test, pgc_hist_bucket(1), 0U);
	for (i = 1; i < PGC_HIST_BUCKETS; i++) {
		KUNIT_EXPECT_EQ(test, pgc_hist_bucket(1ULL << i), i);
		KUNIT_EXPECT_EQ(test, pgc_hist_bucket((1ULL << i) - 1), i - 1);
	}
}

static void pgc_test_bucket_clamp(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pgc_hist_bucket(1ULL << PGC_HIST_BUCKETS),
			PGC_HIST_BUCKETS - 1);
	KUNIT_EXPECT_EQ(test, pgc_hist_bucket(U64_MAX), PGC_HIST_BUCKETS - 1);
}

static struct kunit_case pgc_hist_cases[] = {
	KUNIT_CASE(pgc_test_bucket_edges),
	KUNIT_CASE(pgc_test_bucket_clamp),
	{}
};

static struct kunit_suite pgc_hist_suite = {
	.name = "pageclock_hist",
	.test_cases = pgc_hist_cases,
};

kunit_test_suite(pgc_hist_suite);
