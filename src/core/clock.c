// SPDX-License-Identifier: GPL-2.0
/*
 * The enhanced second-chance CLOCK's decisions (Documentation/design.md):
 * which pages the hand spares, which it takes first, and how many.
 */
#include <linux/limits.h>
#include <linux/minmax.h>
#include "core/clock.h"

enum pgc_clock_verdict pgc_clock_judge(bool accessed, bool dirty, bool starved)
{
	if (accessed && !starved)
		return PGC_CLOCK_SECOND_CHANCE;
	return dirty ? PGC_CLOCK_DIRTY : PGC_CLOCK_CLEAN;
}

bool pgc_clock_needs_write(bool pte_dirty, bool folio_dirty, bool anon,
			   bool swapcache)
{
	return pte_dirty || folio_dirty || (anon && !swapcache);
}

unsigned long pgc_clock_need(unsigned long rss, unsigned long budget,
			     unsigned long pressure, unsigned long grew)
{
	if (budget)
		return rss > budget ?
		       rss - budget + min(grew / 2, budget / 8) : 0;
	return min(rss, pressure);
}

unsigned long pgc_clock_share(unsigned long pressure, unsigned long mine,
			      unsigned long all)
{
	if (!mine || !all)
		return 0;
	if (mine >= all)
		return pressure;
	/*
	 * pressure * mine / all, which must not wrap: with all below 2^32
	 * the remainder's product cannot.  Not mul_u64_u64_div_u64(): it
	 * gave -5 for this test's largest case in 6.1's KUnit kernel.
	 */
	while (all > U32_MAX) {
		all >>= 1;
		mine >>= 1;
	}
	return pressure / all * mine + pressure % all * mine / all;
}

unsigned long pgc_clock_own_margin(unsigned long budget)
{
	return clamp(budget / 64, 32UL, 256UL);
}

bool pgc_clock_own_short(unsigned long sent, unsigned long left,
			 unsigned long freed)
{
	return left || freed < sent / 2;
}

unsigned long pgc_clock_own_above(unsigned long rss, unsigned long budget,
				  bool fell_short)
{
	unsigned long margin = pgc_clock_own_margin(budget);

	if (!budget || rss <= budget || !fell_short)
		return 0;
	if (rss - budget < margin)
		return budget + margin;
	return rss + min(margin, ULONG_MAX - rss);
}

unsigned long pgc_clock_own_need(unsigned long rss, unsigned long budget)
{
	unsigned long over;

	if (!budget || rss <= budget)
		return 0;
	over = rss - budget;
	return over + min(pgc_clock_own_margin(budget), ULONG_MAX - over);
}

unsigned long pgc_clock_own_left(unsigned long need, unsigned long rss,
				 unsigned long budget)
{
	return min(need, pgc_clock_own_need(rss, budget));
}

unsigned long pgc_clock_clean_left(unsigned long rss, unsigned int pct,
				   unsigned long swept, bool exhausted)
{
	unsigned long window = rss / 100 * pct + rss % 100 * pct / 100;

	if (exhausted)
		return 0;

	return window > swept ? window - swept : 0;
}

bool pgc_clock_pass_done(unsigned long need, unsigned long clean,
			 unsigned long dirty, bool dirty_counts)
{
	return clean >= need || (dirty_counts && dirty >= need - clean);
}

enum pgc_wb_add pgc_wb_add(struct pgc_wb_range *wb, unsigned int *n,
			   unsigned int max, void *file, u64 pos,
			   u64 page_size)
{
	struct pgc_wb_range *last = *n ? &wb[*n - 1] : NULL;

	if (last && last->file == file && last->end + 1 == pos) {
		last->end += page_size;
		return PGC_WB_GREW;
	}
	if (*n >= max)
		return PGC_WB_FULL;
	wb[*n].file = file;
	wb[*n].start = pos;
	wb[*n].end = pos + page_size - 1;
	(*n)++;
	return PGC_WB_NEW;
}

unsigned long pgc_clock_dirty_take(unsigned long need, unsigned long clean,
				   unsigned long dirty, bool lap_done)
{
	if (clean >= need || !lap_done)
		return 0;
	return min(need - clean, dirty);
}

unsigned int pgc_clock_take_whole(const void *const *slots, unsigned int take,
				  unsigned int n, const void *tail)
{
	while (take < n && slots[take] == tail)
		take++;
	return take;
}

void pgc_clock_hand_restart(struct pgc_clock_hand *h)
{
	*h = (struct pgc_clock_hand){ .laps = h->laps };
}

unsigned long pgc_clock_pass_end(struct pgc_clock_hand *h, unsigned long addr,
				 bool wrapped, bool round, unsigned long need,
				 unsigned long clean, unsigned long dirty,
				 unsigned long cold)
{
	h->addr = wrapped ? 0 : addr;
	h->lap_clean += clean;
	h->lap_cold += cold;
	if (wrapped) {
		h->laps++;
		h->clean_exhausted = !h->lap_clean;
		h->starved = !h->lap_cold;
		h->lap_clean = 0;
		h->lap_cold = 0;
	}
	return pgc_clock_dirty_take(need, clean, dirty,
				    round || h->clean_exhausted);
}
