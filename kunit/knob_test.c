// SPDX-License-Identifier: GPL-2.0
/* KUnit: the knobs' descriptors and their range check (src/core/knob.c). */
#include <kunit/test.h>
#include "../src/core/knob.c"
#include "core/hand.h"

#define PGC_T_RAM	262144ULL	/* pages of a pretend 1 GiB machine */

/* Every knob says what it counts and why; its default lies in its range. */
static void pgc_t_desc_sane(struct kunit *test, const struct pgc_knob_desc *d,
			    int n)
{
	int i, j;

	for (i = 0; i < n; i++, d++) {
		u64 min = pgc_knob_bound(d->min, PGC_T_RAM);
		u64 max = pgc_knob_bound(d->max, PGC_T_RAM);
		u64 def = pgc_knob_bound(d->def, PGC_T_RAM);

		KUNIT_EXPECT_GT_MSG(test, strlen(d->name), 0UL, "knob %d", i);
		KUNIT_EXPECT_GT_MSG(test, strlen(d->scope), 0UL, "%s", d->name);
		KUNIT_EXPECT_GT_MSG(test, strlen(d->unit), 0UL, "%s", d->name);
		KUNIT_EXPECT_GT_MSG(test, strlen(d->why), 0UL, "%s", d->name);
		KUNIT_EXPECT_LE_MSG(test, min, max, "%s", d->name);
		KUNIT_EXPECT_TRUE_MSG(test, (def >= min && def <= max) ||
				      (def == 0 && d->zero_off), "%s", d->name);
		KUNIT_EXPECT_EQ_MSG(test, pgc_knob_check(d, def, PGC_T_RAM), 0,
				    "%s", d->name);
		/* One file per name in each sysfs directory. */
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_TRUE_MSG(test, strcmp(d[j - i].name, d->name) ||
					      strcmp(d[j - i].scope, d->scope),
					      "%s/%s twice", d->scope, d->name);
	}
}

static void pgc_test_knob_descs(struct kunit *test)
{
	int i;

	pgc_t_desc_sane(test, pgc_knob_descs, PGC_K_NR);
	pgc_t_desc_sane(test, pgc_pff_knob_descs, PGC_PFF_NKNOBS);
	pgc_t_desc_sane(test, pgc_target_descs, PGC_T_KNOB0);
	pgc_t_desc_sane(test, pgc_hand_knob_descs, PGC_HAND_NKNOBS);
	/* A slot's files: no two of one directory share a name. */
	for (i = 0; i < PGC_PFF_NKNOBS; i++)
		KUNIT_EXPECT_STRNEQ(test, pgc_pff_knob_descs[i].name,
				    pgc_target_descs[PGC_T_PFF].name);
	/* Module-wide values are unsigned ints: no bound of all of RAM. */
	for (i = 0; i < PGC_K_NR; i++) {
		KUNIT_EXPECT_LE(test, pgc_knob_descs[i].max, (u64)UINT_MAX);
		KUNIT_EXPECT_LE(test, pgc_knob_descs[i].def, (u64)UINT_MAX);
	}
	/* A target's knobs live in its pff/ and hand/, no module knob does. */
	for (i = 0; i < PGC_K_NR; i++) {
		KUNIT_EXPECT_STRNEQ(test, pgc_knob_descs[i].scope, "pff");
		KUNIT_EXPECT_STRNEQ(test, pgc_knob_descs[i].scope, "hand");
	}
	for (i = 0; i < PGC_PFF_NKNOBS; i++)
		KUNIT_EXPECT_STREQ(test, pgc_pff_knob_descs[i].scope, "pff");
	for (i = 0; i < PGC_HAND_NKNOBS; i++)
		KUNIT_EXPECT_STREQ(test, pgc_hand_knob_descs[i].scope, "hand");
	/* The policy file's range is the policies'; k's, the count's bits. */
	KUNIT_EXPECT_EQ(test, pgc_hand_knob_descs[PGC_HAND_K_POLICY].max,
			(u64)PGC_HAND_NR - 1);
	KUNIT_EXPECT_EQ(test, pgc_hand_knob_descs[PGC_HAND_K_K].max,
			(u64)PGC_HAND_K_MAX);
}

/* The bounds are inclusive; 0 passes only where it means off. */
static void pgc_test_knob_check(struct kunit *test)
{
	const struct pgc_knob_desc *ad = &pgc_knob_descs[PGC_K_AD_INTERVAL_MS];
	const struct pgc_knob_desc *q = &pgc_knob_descs[PGC_K_CLOCK_QUOTA];
	const struct pgc_knob_desc *max = &pgc_pff_knob_descs[PGC_PFF_K_MAX];

	KUNIT_EXPECT_EQ(test, pgc_knob_check(ad, 0, PGC_T_RAM), 0);
	KUNIT_EXPECT_EQ(test, pgc_knob_check(ad, 99, PGC_T_RAM), -ERANGE);
	KUNIT_EXPECT_EQ(test, pgc_knob_check(ad, 100, PGC_T_RAM), 0);
	KUNIT_EXPECT_EQ(test, pgc_knob_check(ad, 3600000, PGC_T_RAM), 0);
	KUNIT_EXPECT_EQ(test, pgc_knob_check(ad, 3600001, PGC_T_RAM), -ERANGE);
	KUNIT_EXPECT_EQ(test, pgc_knob_check(q, 0, PGC_T_RAM), -ERANGE);
	KUNIT_EXPECT_EQ(test, pgc_knob_check(q, 63, PGC_T_RAM), -ERANGE);
	KUNIT_EXPECT_EQ(test, pgc_knob_check(q, 65536, PGC_T_RAM), 0);
	/* A bound of all of RAM is the machine's, not U64_MAX. */
	KUNIT_EXPECT_EQ(test, pgc_knob_check(max, PGC_T_RAM, PGC_T_RAM), 0);
	KUNIT_EXPECT_EQ(test, pgc_knob_check(max, PGC_T_RAM + 1, PGC_T_RAM),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, pgc_knob_check(max, U64_MAX, PGC_T_RAM), -ERANGE);
}

static struct kunit_case pgc_knob_cases[] = {
	KUNIT_CASE(pgc_test_knob_descs),
	KUNIT_CASE(pgc_test_knob_check),
	{}
};

static struct kunit_suite pgc_knob_suite = {
	.name = "pageclock_knob",
	.test_cases = pgc_knob_cases,
};

kunit_test_suite(pgc_knob_suite);
