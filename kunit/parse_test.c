// SPDX-License-Identifier: GPL-2.0
/* KUnit: what users write to the control files (src/core/parse.c). */
#include <kunit/test.h>
#include "../src/core/parse.c"

static int pgc_t_knob(const char *s, u64 min, u64 max, bool zero_ok, u64 *v)
{
	return pgc_knob_parse(s, strlen(s), min, max, zero_ok, v);
}

static void pgc_test_knob(struct kunit *test)
{
	u64 v = 7;

	KUNIT_EXPECT_EQ(test, pgc_t_knob("100\n", 10, 60000, false, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 100ULL);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("10", 10, 60000, false, &v), 0);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("60000", 10, 60000, false, &v), 0);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("9", 10, 60000, false, &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("60001", 10, 60000, false, &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("0", 10, 60000, false, &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("0", 100, 3600000, true, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0ULL);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("99", 100, 3600000, true, &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("4294967296", 0, 1, true, &v), -ERANGE);
	/* Pages of a machine beyond 16 TiB still fit. */
	KUNIT_EXPECT_EQ(test, pgc_t_knob("4294967296", 1, U64_MAX, false, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 4294967296ULL);
	/* 16 bytes cannot overflow 64 bits: the length refuses it first. */
	KUNIT_EXPECT_EQ(test, pgc_t_knob("18446744073709551616", 0, U64_MAX,
					 true, &v), -EINVAL);
	/* A sign, junk, spaces, two newlines, hex: not a decimal number. */
	KUNIT_EXPECT_EQ(test, pgc_t_knob("-1", 0, 1, true, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("1x", 0, 1, true, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgc_t_knob(" 1", 0, 1, true, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("1 ", 0, 1, true, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("1\n\n", 0, 1, true, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("0x1", 0, 1, true, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("", 0, 1, true, &v), -EINVAL);
	/* Longer than any value, even with leading zeros. */
	KUNIT_EXPECT_EQ(test, pgc_t_knob("00000000000000001", 0, 1, true, &v),
			-EINVAL);
}

/* A store: the number first (EINVAL), then the knob's range (ERANGE). */
static void pgc_test_knob_write(struct kunit *test)
{
	static const struct pgc_knob_desc pages = {
		"t", "pages", "pages", 1, PGC_KNOB_RAM, 0, true, "a budget"
	};
	u64 v = 7;

	KUNIT_EXPECT_EQ(test, pgc_knob_write(&pages, "0\n", 2, 1000, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0ULL);
	KUNIT_EXPECT_EQ(test, pgc_knob_write(&pages, "1000", 4, 1000, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 1000ULL);
	KUNIT_EXPECT_EQ(test, pgc_knob_write(&pages, "1001", 4, 1000, &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, pgc_knob_write(&pages, "-1", 2, 1000, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgc_knob_write(&pages, "5\0x", 3, 1000, &v), -EINVAL);
}

/* The bug hostile.sh names: a parse stopped at a NUL and took the value. */
static void pgc_test_embedded_nul(struct kunit *test)
{
	u64 v = 7;

	KUNIT_EXPECT_TRUE(test, pgc_text_ok("5\n", 2));
	KUNIT_EXPECT_FALSE(test, pgc_text_ok("5\0junk", 6));
	KUNIT_EXPECT_FALSE(test, pgc_text_ok("5\0", 2));
	KUNIT_EXPECT_EQ(test, pgc_knob_parse("5\0junk", 6, 0, 10, true, &v),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, v, 7ULL);
}

/* Bug: kstrto*() skip a leading '+', and "+5" was taken as 5. */
static void pgc_test_plus_sign(struct kunit *test)
{
	pid_t pid = 7;
	u64 v = 7;

	KUNIT_EXPECT_EQ(test, pgc_knob_parse("+5", 2, 0, 10, true, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgc_knob_parse("+5\n", 3, 0, 10, true, &v),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, v, 7ULL);
	KUNIT_EXPECT_EQ(test, pgc_pid_parse("+12", &pid), -EINVAL);
	KUNIT_EXPECT_EQ(test, pid, 7);
}

/* The one rule for a process id written to debugfs pt. */
static void pgc_test_pid(struct kunit *test)
{
	pid_t pid = 7;

	KUNIT_EXPECT_EQ(test, pgc_pid_parse("12\n", &pid), 0);
	KUNIT_EXPECT_EQ(test, pid, 12);
	KUNIT_EXPECT_EQ(test, pgc_pid_parse("0", &pid), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgc_pid_parse("-5", &pid), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgc_pid_parse("12x", &pid), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgc_pid_parse("", &pid), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgc_pid_parse("99999999999", &pid), -ERANGE);
	KUNIT_EXPECT_EQ(test, pid, 12);
}

static struct kunit_case pgc_parse_cases[] = {
	KUNIT_CASE(pgc_test_knob),
	KUNIT_CASE(pgc_test_knob_write),
	KUNIT_CASE(pgc_test_embedded_nul),
	KUNIT_CASE(pgc_test_plus_sign),
	KUNIT_CASE(pgc_test_pid),
	{}
};

static struct kunit_suite pgc_parse_suite = {
	.name = "pageclock_parse",
	.test_cases = pgc_parse_cases,
};

kunit_test_suite(pgc_parse_suite);
