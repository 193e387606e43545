// SPDX-License-Identifier: GPL-2.0
/* KUnit: process names as the module prints them (src/core/name.c). */
#include <kunit/test.h>
#include "../src/core/name.c"

#define PGC_COMM 16

static void pgc_test_name_plain(struct kunit *test)
{
	char out[PGC_NAME_ESC_SIZE(PGC_COMM)];

	pgc_name_escape(out, "bash", PGC_COMM);
	KUNIT_EXPECT_STREQ(test, out, "bash");
	pgc_name_escape(out, "", PGC_COMM);	/* never a missing field */
	KUNIT_EXPECT_STREQ(test, out, "\\000");
}

/* The name that made `pageclock pt` report a live process gone. */
static void pgc_test_name_forged_line(struct kunit *test)
{
	char out[PGC_NAME_ESC_SIZE(PGC_COMM)];

	pgc_name_escape(out, "a\nstate gone", PGC_COMM);
	KUNIT_EXPECT_STREQ(test, out, "a\\012state\\040gone");
	pgc_name_escape(out, "\033[2J\\%s\t\"'", PGC_COMM);
	KUNIT_EXPECT_STREQ(test, out, "\\033[2J\\134%s\\011\"'");
}

/* Every byte: one printable token, at most 4 bytes per byte, and bounded. */
static void pgc_test_name_every_byte(struct kunit *test)
{
	char in[PGC_COMM], out[PGC_NAME_ESC_SIZE(PGC_COMM)];
	unsigned int c, i;

	for (c = 1; c < 256; c++) {
		memset(in, c, sizeof(in));
		pgc_name_escape(out, in, sizeof(in));
		KUNIT_ASSERT_LT(test, strlen(out), sizeof(out));
		for (i = 0; out[i]; i++)
			KUNIT_ASSERT_TRUE(test, out[i] > ' ' && out[i] <= '~');
		if (c > ' ' && c <= '~' && c != '\\')
			KUNIT_EXPECT_EQ(test, strlen(out), sizeof(in));
		else
			KUNIT_EXPECT_EQ(test, strlen(out), 4 * sizeof(in));
	}
}

static struct kunit_case pgc_name_cases[] = {
	KUNIT_CASE(pgc_test_name_plain),
	KUNIT_CASE(pgc_test_name_forged_line),
	KUNIT_CASE(pgc_test_name_every_byte),
	{}
};

static struct kunit_suite pgc_name_suite = {
	.name = "pageclock_name",
	.test_cases = pgc_name_cases,
};

kunit_test_suite(pgc_name_suite);
