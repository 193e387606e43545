// SPDX-License-Identifier: GPL-2.0
/*
 * The hand's history (src/core/hand.c): a byte per page that a policy
 * other than one bit judged, in blocks of one byte per page of a PTE
 * table (512 bytes for 2 MiB of address space), in an xarray per target
 * indexed by address >> PMD_SHIFT.  Everything here runs under the table
 * of targets' lock (pgc_clock_mutex); the hand's scan asks for a byte
 * under a PTE lock, so a block is allocated without sleeping and a
 * failed allocation judges the page as one bit does (counted).
 *
 * A block outlives the pages it was made for: one left by an unmapped
 * range reads as new when a page comes back there (the bytes' lap stamps
 * are stale), and goes with the target, its policy or its mm (an exec),
 * not before: a process that keeps mapping new ranges reaches the bound,
 * and its pages there are judged as one bit.
 */
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "internal.h"

/*
 * Blocks per target: 2 MiB of them covers 8 GiB of densely mapped pages;
 * over all targets, 8 MiB.  Past either, pages are judged as one bit.
 */
#define PGC_HISTORY_TARGET_BLOCKS	4096
#define PGC_HISTORY_ALL_BLOCKS	16384

static unsigned long pgc_history_all;

/*
 * The block of @idx, made if there is none and the bounds allow; NULL if
 * it cannot be had without waiting.
 */
static u8 *pgc_history_block(struct pgc_target *t, unsigned long idx)
{
	u8 *b = xa_load(&t->hist, idx);

	if (b)
		return b;
	if (t->hist_blocks >= PGC_HISTORY_TARGET_BLOCKS ||
	    pgc_history_all >= PGC_HISTORY_ALL_BLOCKS)
		return NULL;
	b = kzalloc(PTRS_PER_PTE, GFP_NOWAIT | __GFP_NOWARN);
	if (!b)
		return NULL;
	if (xa_err(xa_store(&t->hist, idx, b, GFP_NOWAIT | __GFP_NOWARN))) {
		kfree(b);
		return NULL;
	}
	t->hist_blocks++;
	pgc_history_all++;
	return b;
}

u8 *pgc_history_byte(struct pgc_clock_walk *cw, unsigned long addr,
		     unsigned long nr)
{
	struct pgc_target *t = cw->t;
	unsigned long idx = addr >> PMD_SHIFT;

	pgc_clock_assert_held();
	if (t->hp.policy == PGC_HAND_ESC)
		return NULL;
	/* One try per table a pass: a failed one is not retried per page. */
	if (!cw->hist_tried || cw->hist_idx != idx) {
		cw->hist = pgc_history_block(t, idx);
		cw->hist_idx = idx;
		cw->hist_tried = true;
	}
	if (!cw->hist) {
		t->untracked += nr;
		return NULL;
	}
	return cw->hist + ((addr >> PAGE_SHIFT) & (PTRS_PER_PTE - 1));
}

void pgc_history_forget(struct pgc_target *t)
{
	unsigned long idx;
	u8 *b;

	pgc_clock_assert_held();
	xa_for_each(&t->hist, idx, b)
		kfree(b);
	xa_destroy(&t->hist);
	pgc_history_all -= t->hist_blocks;
	t->hist_blocks = 0;
}

void pgc_history_mm(struct pgc_target *t, struct mm_struct *mm)
{
	pgc_clock_assert_held();
	if (t->hist_mm == mm)
		return;
	pgc_history_forget(t);
	if (t->hist_mm)
		mmdrop(t->hist_mm);
	/* Held, so that another mm cannot take its address and pass for it. */
	if (mm)
		mmgrab(mm);
	t->hist_mm = mm;
}

/* debugfs "clock": the blocks of all targets, and the bound. */
void pgc_history_show(struct seq_file *m)
{
	pgc_clock_assert_held();
	seq_printf(m, "hist_blocks %lu\nhist_blocks_max %u\n", pgc_history_all,
		   PGC_HISTORY_ALL_BLOCKS);
}
