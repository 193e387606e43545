// SPDX-License-Identifier: GPL-2.0
/*
 * What users write to the control files, parsed.  Pure text work, so KUnit
 * (kunit/parse_test.c) tests every rule; bad input gets an error code, and
 * nothing in the kernel log.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "core/parse.h"

/* kstrto*() and strcmp() stop at a NUL: "5\0junk" would read as 5. */
bool pgc_text_ok(const char *buf, size_t count)
{
	return !memchr(buf, '\0', count);
}

/* kstrto*() take a leading '+': the interface has no sign (abi.md). */
static bool pgc_signed(const char *buf, size_t count)
{
	return count && buf[0] == '+';
}

int pgc_pid_parse(const char *s, pid_t *pid)
{
	int nr, err;

	if (pgc_signed(s, strlen(s)))
		return -EINVAL;
	err = kstrtoint(s, 10, &nr);
	if (err)
		return err;
	if (nr <= 0)
		return -EINVAL;
	*pid = nr;
	return 0;
}

int pgc_knob_parse(const char *buf, size_t count, u64 min, u64 max,
		   bool zero_ok, u64 *v)
{
	int err;

	/* 16 bytes: any value with its newline, and nothing longer. */
	if (count > 16 || !pgc_text_ok(buf, count) || pgc_signed(buf, count))
		return -EINVAL;
	err = kstrtou64(buf, 10, v);
	if (err)
		return err;
	if (*v == 0 && zero_ok)
		return 0;
	return *v < min || *v > max ? -ERANGE : 0;
}

int pgc_knob_write(const struct pgc_knob_desc *d, const char *buf,
		   size_t count, u64 ram_pages, u64 *v)
{
	int err = pgc_knob_parse(buf, count, 0, U64_MAX, true, v);

	return err ? err : pgc_knob_check(d, *v, ram_pages);
}
