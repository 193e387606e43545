// SPDX-License-Identifier: GPL-2.0
/*
 * Which slot of its probe window a new process takes in the process table
 * (src/procs.c): the first never used, else, among those reusable (their
 * process exited a grace period ago), the one whose process exited first;
 * else none, and the process goes untracked.  Slots are offered one by
 * one, so that the table's ordered reads stay in procs.c.
 */
#include "core/window.h"

void pgc_window_start(struct pgc_window *w)
{
	w->pick = -1;
	w->pick_ns = 0;
}

bool pgc_window_offer(struct pgc_window *w, int i, bool unused, bool reusable,
		      u64 exit_ns)
{
	if (unused) {
		w->pick = i;
		return true;
	}
	if (reusable && (w->pick < 0 || exit_ns < w->pick_ns)) {
		w->pick = i;
		w->pick_ns = exit_ns;
	}
	return false;
}
