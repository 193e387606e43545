// SPDX-License-Identifier: GPL-2.0
/*
 * What users write to the control files, parsed.  Pure text work, so KUnit
 * (kunit/parse_test.c) tests every rule; bad input gets an error code, and
 * nothing in the kernel log.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "core.h"

/* kstrto*() and strcmp() stop at a NUL: "5\0junk" would read as 5. */
bool pgc_text_ok(const char *buf, size_t count)
{
	return !memchr(buf, '\0', count);
}

int pgc_pid_parse(const char *s, pid_t *pid)
{
	int nr, err = kstrtoint(s, 10, &nr);

	if (err)
		return err;
	if (nr <= 0)
		return -EINVAL;
	*pid = nr;
	return 0;
}

int pgc_knob_parse(const char *buf, size_t count, unsigned int min,
		   unsigned int max, bool zero_ok, unsigned int *v)
{
	int err;

	/* 16 bytes: any value with its newline, and nothing longer. */
	if (count > 16 || !pgc_text_ok(buf, count))
		return -EINVAL;
	err = kstrtouint(buf, 10, v);
	if (err)
		return err;
	if (*v == 0 && zero_ok)
		return 0;
	return *v < min || *v > max ? -ERANGE : 0;
}

/*
 * One word after the PID: the budget (a number, first and once) or a
 * setting (pff=0|1, or a PFF knob: low=, high=, min=, max=, step=,
 * window_ms=).
 */
static int pgc_target_word(char *w, unsigned long max_pages,
			   struct pgc_target_req *req)
{
	char *eq = strchr(w, '=');
	u64 v;
	int err;

	if (!eq) {
		if (req->budget || req->nset || req->pff >= 0)
			return -EINVAL;
		err = kstrtoul(w, 10, &req->budget);
		if (err)
			return err;
		return req->budget && req->budget <= max_pages ? 0 : -ERANGE;
	}
	*eq = '\0';
	err = kstrtou64(eq + 1, 10, &v);
	if (err)
		return err;
	if (!strcmp(w, "pff")) {
		if (v > 1 || req->pff >= 0)
			return -EINVAL;
		req->pff = v;
		return 0;
	}
	if (req->nset == PGC_PFF_NKNOBS)
		return -EINVAL;
	req->set[req->nset].key = w;
	req->set[req->nset++].v = v;
	return 0;
}

int pgc_target_parse(const char *buf, size_t count, unsigned long max_pages,
		     char *tmp, struct pgc_target_req *req)
{
	char *p = tmp, *w;
	int err;

	memset(req, 0, sizeof(*req));
	req->pff = -1;
	if (count >= PGC_TARGET_WRITE_MAX || !pgc_text_ok(buf, count))
		return -EINVAL;
	memcpy(tmp, buf, count);
	tmp[count] = '\0';
	err = pgc_pid_parse(strsep(&p, " \t\n"), &req->pid);
	if (err)
		return err;
	while ((w = strsep(&p, " \t\n"))) {
		if (!*w)
			continue;
		err = pgc_target_word(w, max_pages, req);
		if (err)
			return err;
	}
	/* Knobs of a controller being turned off make no sense. */
	return !req->pff && req->nset ? -EINVAL : 0;
}
