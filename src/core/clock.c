// SPDX-License-Identifier: GPL-2.0
/*
 * The enhanced second-chance CLOCK's decisions (Documentation/design.md):
 * which pages the hand spares, which it takes first, and how many.
 */
#include <linux/minmax.h>
#include "core.h"

enum pgc_clock_verdict pgc_clock_judge(bool accessed, bool dirty, bool starved)
{
	if (accessed && !starved)
		return PGC_CLOCK_SECOND_CHANCE;
	return dirty ? PGC_CLOCK_DIRTY : PGC_CLOCK_CLEAN;
}

unsigned long pgc_clock_need(unsigned long rss, unsigned long budget,
			     unsigned long pressure)
{
	if (budget)
		return rss > budget ? rss - budget : 0;
	return min(rss, pressure);
}

unsigned long pgc_clock_dirty_take(unsigned long need, unsigned long clean,
				   unsigned long dirty, bool lap_done)
{
	if (clean >= need || !lap_done)
		return 0;
	return min(need - clean, dirty);
}

unsigned long pgc_clock_hand_next(unsigned long addr, unsigned long end)
{
	return addr >= end ? 0 : addr;
}
