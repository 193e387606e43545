// SPDX-License-Identifier: GPL-2.0
/* KUnit: the slot a new process takes in its probe window (src/core/window.c). */
#include <kunit/test.h>
#include "../src/core/window.c"

/* Slot states offered in order: 'u' unused, 'r' reusable, 'l' live. */
static int pgc_t_pick(const char *slots, const u64 *exit_ns)
{
	struct pgc_window w;
	int i;

	pgc_window_start(&w);
	for (i = 0; slots[i]; i++)
		if (pgc_window_offer(&w, i, slots[i] == 'u', slots[i] == 'r',
				     exit_ns ? exit_ns[i] : 0))
			break;
	return w.pick;
}

static void pgc_test_window(struct kunit *test)
{
	static const u64 ns[] = { 50, 30, 40, 30, 10 };

	/* A window full of live processes: none, the process is dropped. */
	KUNIT_EXPECT_EQ(test, pgc_t_pick("lllll", ns), -1);
	/* The first unused slot, before any reusable one. */
	KUNIT_EXPECT_EQ(test, pgc_t_pick("ulllu", ns), 0);
	KUNIT_EXPECT_EQ(test, pgc_t_pick("rrlul", ns), 3);
	/* Among reusable ones, the process that exited first; ties: the first. */
	KUNIT_EXPECT_EQ(test, pgc_t_pick("rrrrl", ns), 1);
	KUNIT_EXPECT_EQ(test, pgc_t_pick("rrrrr", ns), 4);
	KUNIT_EXPECT_EQ(test, pgc_t_pick("lrlrl", ns), 1);
	/* An exit time of 0 is a time like the others. */
	KUNIT_EXPECT_EQ(test, pgc_t_pick("lr", NULL), 1);
	/* Live slots are never taken, however old. */
	KUNIT_EXPECT_EQ(test, pgc_t_pick("llllr", ns), 4);
}

static struct kunit_case pgc_window_cases[] = {
	KUNIT_CASE(pgc_test_window),
	{}
};

static struct kunit_suite pgc_window_suite = {
	.name = "pageclock_window",
	.test_cases = pgc_window_cases,
};

kunit_test_suite(pgc_window_suite);
