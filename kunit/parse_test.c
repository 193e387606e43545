// SPDX-License-Identifier: GPL-2.0
/* KUnit: what users write to the control files (src/core/parse.c). */
#include <kunit/test.h>
#include "../src/core/parse.c"

#define PGC_T_PAGES	1000000UL	/* pages of a pretend machine */

static int pgc_t_knob(const char *s, unsigned int min, unsigned int max,
		      bool zero_ok, unsigned int *v)
{
	return pgc_knob_parse(s, strlen(s), min, max, zero_ok, v);
}

static void pgc_test_knob(struct kunit *test)
{
	unsigned int v = 7;

	KUNIT_EXPECT_EQ(test, pgc_t_knob("100\n", 10, 60000, false, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 100U);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("10", 10, 60000, false, &v), 0);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("60000", 10, 60000, false, &v), 0);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("9", 10, 60000, false, &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("60001", 10, 60000, false, &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("0", 10, 60000, false, &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("0", 100, 3600000, true, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0U);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("99", 100, 3600000, true, &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, pgc_t_knob("4294967296", 0, 1, true, &v), -ERANGE);
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

/* The bug hostile.sh names: a parse stopped at a NUL and took the value. */
static void pgc_test_embedded_nul(struct kunit *test)
{
	struct pgc_target_req req;
	char tmp[PGC_TARGET_WRITE_MAX];
	unsigned int v = 7;

	KUNIT_EXPECT_TRUE(test, pgc_text_ok("5\n", 2));
	KUNIT_EXPECT_FALSE(test, pgc_text_ok("5\0junk", 6));
	KUNIT_EXPECT_FALSE(test, pgc_text_ok("5\0", 2));
	KUNIT_EXPECT_EQ(test, pgc_knob_parse("5\0junk", 6, 0, 10, true, &v),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, v, 7U);
	KUNIT_EXPECT_EQ(test, pgc_target_parse("12 500\0junk", 11, PGC_T_PAGES,
					       tmp, &req), -EINVAL);
}

/* The one rule for a written process id (pt, target_add). */
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

static int pgc_t_target(const char *s, struct pgc_target_req *req)
{
	static char tmp[PGC_TARGET_WRITE_MAX];

	return pgc_target_parse(s, strlen(s), PGC_T_PAGES, tmp, req);
}

static void pgc_test_target_valid(struct kunit *test)
{
	struct pgc_target_req req;

	KUNIT_EXPECT_EQ(test, pgc_t_target("12", &req), 0);
	KUNIT_EXPECT_EQ(test, req.pid, 12);
	KUNIT_EXPECT_EQ(test, req.budget, 0UL);
	KUNIT_EXPECT_EQ(test, req.pff, -1);
	KUNIT_EXPECT_EQ(test, pgc_t_target("12 500\n", &req), 0);
	KUNIT_EXPECT_EQ(test, req.budget, 500UL);
	KUNIT_EXPECT_EQ(test, pgc_t_target("12\t\t500  pff=1 low=5\n", &req), 0);
	KUNIT_EXPECT_EQ(test, req.budget, 500UL);
	KUNIT_EXPECT_EQ(test, req.pff, 1);
	KUNIT_EXPECT_EQ(test, req.nset, 1U);
	KUNIT_EXPECT_STREQ(test, req.set[0].key, "low");
	KUNIT_EXPECT_EQ(test, req.set[0].v, 5ULL);
	KUNIT_EXPECT_EQ(test, pgc_t_target("12 pff=0", &req), 0);
	KUNIT_EXPECT_EQ(test, req.pff, 0);
	KUNIT_EXPECT_EQ(test, pgc_t_target("12 1000000", &req), 0);
	/* Knob names are the controller's to check. */
	KUNIT_EXPECT_EQ(test, pgc_t_target("12 bogus=1", &req), 0);
	KUNIT_EXPECT_STREQ(test, req.set[0].key, "bogus");
}

/* Each rule of the grammar, broken once (the cases hostile.sh sends). */
static void pgc_test_target_invalid(struct kunit *test)
{
	static const struct {
		const char *s;
		int err;
	} bad[] = {
		{ "", -EINVAL }, { " 12", -EINVAL }, { "0", -EINVAL },
		{ "-5", -EINVAL }, { "12x", -EINVAL },
		{ "99999999999", -ERANGE }, { "12 0", -ERANGE },
		{ "12 1000001", -ERANGE }, { "12 18446744073709551616", -ERANGE },
		{ "12 5 6", -EINVAL }, { "12 pff=1 5", -EINVAL },
		{ "12 low=5 500", -EINVAL }, { "12 pff=2", -EINVAL },
		{ "12 pff=1 pff=1", -EINVAL }, { "12 pff=0 low=5", -EINVAL },
		{ "12 low=", -EINVAL }, { "12 low=x", -EINVAL },
		{ "12 low=-1", -EINVAL },
		{ "12 low=18446744073709551616", -ERANGE },
		{ "12 low=1 high=2 min=1 max=2 step=1 window_ms=10 low=1",
		  -EINVAL },
	};
	struct pgc_target_req req;
	char big[PGC_TARGET_WRITE_MAX + 1];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, pgc_t_target(bad[i].s, &req),
				    bad[i].err, "\"%s\"", bad[i].s);
	/* 255 bytes may be valid; 256 never are. */
	memset(big, ' ', sizeof(big) - 1);
	big[0] = '1';
	big[PGC_TARGET_WRITE_MAX - 1] = '\0';
	KUNIT_EXPECT_EQ(test, pgc_t_target(big, &req), 0);
	big[PGC_TARGET_WRITE_MAX - 1] = ' ';
	big[PGC_TARGET_WRITE_MAX] = '\0';
	KUNIT_EXPECT_EQ(test, pgc_t_target(big, &req), -EINVAL);
}

static struct kunit_case pgc_parse_cases[] = {
	KUNIT_CASE(pgc_test_knob),
	KUNIT_CASE(pgc_test_embedded_nul),
	KUNIT_CASE(pgc_test_pid),
	KUNIT_CASE(pgc_test_target_valid),
	KUNIT_CASE(pgc_test_target_invalid),
	{}
};

static struct kunit_suite pgc_parse_suite = {
	.name = "pageclock_parse",
	.test_cases = pgc_parse_cases,
};

kunit_test_suite(pgc_parse_suite);
