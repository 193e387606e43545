/* SPDX-License-Identifier: GPL-2.0 */
/* The process table's probe window (src/core/window.c). */
#ifndef PGC_CORE_WINDOW_H
#define PGC_CORE_WINDOW_H

#include <linux/types.h>
#include <linux/limits.h>

struct pgc_window {
	int pick;	/* the slot chosen so far; -1: none */
	u64 pick_ns;	/* its process's exit time */
};

void pgc_window_start(struct pgc_window *w);

/*
 * Slot @i of the window: never used (@unused), or its process exited at
 * @exit_ns a grace period ago (@reusable), or neither.  True when the
 * choice is made (an unused slot): look no further.
 */
bool pgc_window_offer(struct pgc_window *w, int i, bool unused, bool reusable,
		      u64 exit_ns);

#endif /* PGC_CORE_WINDOW_H */
