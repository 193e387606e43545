/* SPDX-License-Identifier: GPL-2.0 */
/* CLOCK with the dirty bit (src/core/clock.c). */
#ifndef PGC_CORE_CLOCK_H
#define PGC_CORE_CLOCK_H

#include <linux/types.h>
#include <linux/limits.h>

/* What the hand does with a present page it passes. */
enum pgc_clock_verdict {
	PGC_CLOCK_SECOND_CHANCE,	/* A=1: clear A, keep the page */
	PGC_CLOCK_CLEAN,		/* A=0 D=0: first choice, no write needed */
	PGC_CLOCK_DIRTY,		/* A=0 D=1: only if clean ones run short */
};

/*
 * The hand's D: would taking the page cost a write?  The PTE's dirty bit,
 * the folio's (where unmapping elsewhere moved it), or an anonymous page
 * with no copy in swap: its every eviction is a swap-out, clean PTE or
 * not (a page read back from a fast swap device such as zram leaves the
 * swap cache at once).  Anonymous pages still in the swap cache and
 * unwritten since go for free, like clean file pages.
 */
bool pgc_clock_needs_write(bool pte_dirty, bool folio_dirty, bool anon,
			   bool swapcache);

/*
 * @starved: the hand's last lap found every page accessed.  It then takes
 * pages as they come, accessed or not (CLOCK's fallback to FIFO): a
 * process that touches all its pages faster than the hand goes round
 * would otherwise never be held to its budget.
 */
enum pgc_clock_verdict pgc_clock_judge(bool accessed, bool dirty, bool starved);

/*
 * Pages a target should give now: without a budget, its share of a
 * reclaim request; with one, nothing while it is within it, and above it
 * the excess plus half of what it @grew since the last sweep (at most an
 * eighth of the budget).  The worker comes every interval and the target
 * grows in between: going that far below centres the RSS on the budget
 * instead of above it.  A target that stopped growing is held at it.
 */
unsigned long pgc_clock_need(unsigned long rss, unsigned long budget,
			     unsigned long pressure, unsigned long grew);
/*
 * Of the @pressure pages reclaim still wants from the targets without a
 * budget, the share of one that could give @mine of the @all pages those
 * still to sweep could give, itself included: in proportion to what each
 * holds, so a small one is not sent for more than it has while a large
 * one gives less than it could, and the last that could give any (@mine
 * all of @all) takes all that is left.
 */
unsigned long pgc_clock_share(unsigned long pressure, unsigned long mine,
			      unsigned long all);

/*
 * Pages a target over its @budget gives in its own context, on its way
 * back to user space after a fault (the hard budget): the excess, and a
 * margin of 1/64 of the budget (32 to 256 pages), so that the next such
 * sweep comes that many faults later rather than at the next one.
 * Within the budget: nothing.
 */
unsigned long pgc_clock_own_need(unsigned long rss, unsigned long budget);
/*
 * Of the @need victims an own sweep still seeks, those it still needs
 * once its target holds @rss pages under a @budget that changed while the
 * sweep let the lock go: none past a raise above the RSS, all of them
 * after a cut (the next fault over the budget asks for more).
 */
unsigned long pgc_clock_own_left(unsigned long need, unsigned long rss,
				 unsigned long budget);
/* That margin. */
unsigned long pgc_clock_own_margin(unsigned long budget);
/*
 * Did an own sweep sent for @sent pages fall short: @left of them not
 * found, or less than half of them gone from the target (@freed): swap
 * full, pages pinned or under writeback.
 */
bool pgc_clock_own_short(unsigned long sent, unsigned long left,
			 unsigned long freed);
/*
 * The RSS above which the next own sweep comes, after one that left the
 * target at @rss (0: the next fault over the budget).  One that did not
 * fall short (@fell_short) comes again at the next fault over the budget,
 * however far the other threads grew it meanwhile.  One that fell short
 * waits for the budget plus a margin, so that the RSS stays within that
 * while any page can go; one that freed nothing more past that, for a
 * margin's more growth, so that a target reclaim cannot shrink pays one
 * sweep per margin of growth, not one per fault.
 */
unsigned long pgc_clock_own_above(unsigned long rss, unsigned long budget,
				  bool fell_short);

/*
 * Pages a sweep still passes looking for clean victims alone before cold
 * dirty ones may go too: @pct percent of the target's @rss (the
 * clock/clean_scan_pct knob), less the @swept ones so far.  100 is the
 * strict enhanced second chance (a whole round); less lets the hand stop
 * sooner, so it goes round slower and judges hot pages better, for more
 * writes (Documentation/benchmarks.md).  None while the last lap's cold
 * pages were all dirty (@exhausted: pgc_clock_dirty_only()): the pages cost
 * a write (anonymous memory swapped to zram), and a search for clean ones
 * would only clear the Accessed bits of a quarter of them to take a few.
 * Not after a lap that found no cold page at all (a target just added,
 * every page young): it knows nothing of them (bug: make check on debug
 * 6.12 saw dirty pages go before clean ones then).
 */
unsigned long pgc_clock_clean_left(unsigned long rss, unsigned int pct,
				   unsigned long swept, bool exhausted);

/*
 * Has a pass its victims: @clean clean ones for @need pages, or, where
 * there is no clean search (@dirty_counts: pgc_clock_dirty_only()), with
 * the @dirty candidates.  The hand stops there, as the textbook's stops
 * at its victim: such a pass went on through the search's window (a
 * quarter of the target), clearing the Accessed bits of hundreds of
 * pages to take a few, and the hand went round many times faster than
 * its evictions asked.  A pass past the window of a search still goes on
 * to its quota for clean victims, and takes dirty ones for the rest.
 */
bool pgc_clock_pass_done(unsigned long need, unsigned long clean,
			 unsigned long dirty, bool dirty_counts);

/* The hand's progress round a target's address space. */
/* src/core/refault.c: a slot of a target's ring of evicted pages. */
struct pgc_evicted {
	unsigned long vpn;	/* page number + 1; 0: empty */
	u64 seq;		/* the target's eviction count then */
	bool dirty;
};

/* Remember that page @vpn went as eviction @seq; ring of 2^@bits slots. */
void pgc_refault_note(struct pgc_evicted *ring, unsigned int bits,
		      unsigned long vpn, u64 seq, bool dirty);
/*
 * A fault on page @vpn: true, once, if it is remembered, with the eviction
 * count and dirtiness it went with.
 */
bool pgc_refault_take(struct pgc_evicted *ring, unsigned int bits,
		      unsigned long vpn, u64 *seq, bool *dirty);
/* Every slot emptied: the pages were another program's (an exec). */
void pgc_refault_forget(struct pgc_evicted *ring, unsigned int bits);

struct pgc_clock_hand {
	unsigned long addr;		/* where the next pass starts */
	unsigned long lap_clean;	/* clean victims found this lap */
	unsigned long lap_cold;		/* pages found not accessed */
	bool clean_exhausted;		/* the last lap found no clean victim */
	bool starved;			/* ... and no cold page: FIFO */
	u64 laps;
};

/* The last lap's cold pages were all dirty: it found some, none clean. */
static inline bool pgc_clock_dirty_only(const struct pgc_clock_hand *h)
{
	return h->clean_exhausted && !h->starved;
}

/*
 * A new lap from address 0 that knows nothing of the laps before (another
 * program, after an exec); the count of laps, which the history's ages
 * are reckoned in, goes on.
 */
void pgc_clock_hand_restart(struct pgc_clock_hand *h);

/*
 * A pass stopped at @addr, or went past the last VMA (@wrapped: the lap is
 * done and the hand goes back to 0), having found @clean clean victims,
 * @dirty dirty candidates and @cold pages not accessed, for @need pages.
 * Returns how many dirty ones to take (pgc_clock_dirty_take()): only once
 * the sweep has been far enough (@round: pgc_clock_clean_left() is 0)
 * looking for clean ones, or while the last lap found no clean one at all.
 */
unsigned long pgc_clock_pass_end(struct pgc_clock_hand *h, unsigned long addr,
				 bool wrapped, bool round, unsigned long need,
				 unsigned long clean, unsigned long dirty,
				 unsigned long cold);

/*
 * Dirty victims to take after a pass that found @clean clean victims and
 * @dirty dirty candidates for @need pages: none while clean pages cover
 * the need, or while the hand has not yet gone all the way round looking
 * for clean ones (@lap_done: it has).
 */
unsigned long pgc_clock_dirty_take(unsigned long need, unsigned long clean,
				   unsigned long dirty, bool lap_done);

/*
 * The @take first of @n dirty victims, or more to the end of a huge one
 * that @take ends inside: its slots after the first say @tail, and it is
 * reclaimed whole, so counted so (and its one reference never split
 * between the taken and the left).
 */
unsigned int pgc_clock_take_whole(const void *const *slots, unsigned int take,
				  unsigned int n, const void *tail);

/* Bytes [start, end] of one file (only its identity here) to write back. */
struct pgc_wb_range {
	void *file;
	u64 start, end;
};

enum pgc_wb_add {
	PGC_WB_GREW,	/* the last range took the page */
	PGC_WB_NEW,	/* a new range: the caller references @file for it */
	PGC_WB_FULL,	/* no room: the page waits for the next pass */
};

/*
 * The page of @page_size bytes at byte @pos of @file into the *@n ranges
 * of @wb (room for @max): the last range grows if the page follows it in
 * the same file, else a new range starts.  Pages of one file met in
 * order, as the hand meets them, make one range.
 */
enum pgc_wb_add pgc_wb_add(struct pgc_wb_range *wb, unsigned int *n,
			   unsigned int max, void *file, u64 pos,
			   u64 page_size);

#endif /* PGC_CORE_CLOCK_H */
