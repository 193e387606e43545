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
 * A block the hand did not ask for in the laps its bytes stay known
 * (PGC_HAND_KNOWN_LAPS) holds only bytes that would read as new: its
 * range was unmapped, or all its pages evicted that long.  It goes at the
 * hand's wrap, so that a process that keeps mapping new ranges does not
 * fill the bound with blocks of ranges it left (bug: they stayed until
 * the target, its policy or its mm went, and its pages were judged as one
 * bit meanwhile).  Two xarray marks: asked for this lap, and not asked
 * for last lap.
 */
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "internal.h"

/*
 * SEEN: asked for this lap.  IDLE: not asked for last lap.  A block with
 * neither at a wrap was last asked for two laps back or more, and its
 * bytes are unknown from the next lap on: with PGC_HAND_KNOWN_LAPS 3.
 */
#define PGC_HISTORY_SEEN	XA_MARK_0
#define PGC_HISTORY_IDLE	XA_MARK_1
static_assert(PGC_HAND_KNOWN_LAPS == 3);

/*
 * Blocks per target: 2 MiB of them covers 8 GiB of densely mapped pages;
 * over all targets, 8 MiB.  Past either, pages are judged as one bit.
 */
#define PGC_HISTORY_TARGET_BLOCKS	4096
#define PGC_HISTORY_ALL_BLOCKS	16384

static unsigned long pgc_history_all;

/*
 * The block of @idx, made if there is none and the bounds allow, and
 * marked seen this lap; NULL if it cannot be had without waiting.
 */
static u8 *pgc_history_block(struct pgc_target *t, unsigned long idx)
{
	u8 *b = xa_load(&t->hist, idx);

	if (!b) {
		if (t->hist_blocks >= PGC_HISTORY_TARGET_BLOCKS ||
		    pgc_history_all >= PGC_HISTORY_ALL_BLOCKS)
			return NULL;
		b = kzalloc(PTRS_PER_PTE, GFP_NOWAIT | __GFP_NOWARN);
		if (!b)
			return NULL;
		if (xa_err(xa_store(&t->hist, idx, b,
				    GFP_NOWAIT | __GFP_NOWARN))) {
			kfree(b);
			return NULL;
		}
		t->hist_blocks++;
		pgc_history_all++;
	}
	/* Looked at without the xarray's lock: once a lap takes it. */
	if (!xa_get_mark(&t->hist, idx, PGC_HISTORY_SEEN))
		xa_set_mark(&t->hist, idx, PGC_HISTORY_SEEN);
	return b;
}

static void pgc_history_free(struct pgc_target *t, unsigned long idx, u8 *b)
{
	xa_erase(&t->hist, idx);
	kfree(b);
	t->hist_blocks--;
	pgc_history_all--;
}

/* At the hand's wrap: a block unseen this lap and the one before goes. */
void pgc_history_lap(struct pgc_target *t)
{
	unsigned long idx;
	u8 *b;

	pgc_clock_assert_held();
	xa_for_each(&t->hist, idx, b) {
		if (xa_get_mark(&t->hist, idx, PGC_HISTORY_SEEN)) {
			xa_clear_mark(&t->hist, idx, PGC_HISTORY_SEEN);
			xa_clear_mark(&t->hist, idx, PGC_HISTORY_IDLE);
		} else if (xa_get_mark(&t->hist, idx, PGC_HISTORY_IDLE)) {
			pgc_history_free(t, idx, b);
		} else {
			xa_set_mark(&t->hist, idx, PGC_HISTORY_IDLE);
		}
	}
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
		pgc_history_free(t, idx, b);
	/* Nodes a failed GFP_NOWAIT store left linked but empty. */
	xa_destroy(&t->hist);
}

void pgc_history_mm(struct pgc_target *t, struct mm_struct *mm)
{
	pgc_clock_assert_held();
	if (t->hist_mm == mm)
		return;
	pgc_history_forget(t);
	/*
	 * Another program (an exec): nor are the victims it remembers this
	 * one's to fault back.  Not at a target's drop (@mm NULL), which
	 * has freed the ring (found by KASAN in make check).
	 */
	if (mm && t->hist_mm) {
		pgc_refault_forget(t->ring, PGC_REFAULT_BITS);
		/*
		 * Its first lap, from its lowest address (lap_min_ms), with
		 * nothing of the last program's laps (bug: a lap that had
		 * found no clean page turned the new one's search off).
		 */
		pgc_clock_hand_restart(&t->hand);
		t->lap_start = ktime_get_ns();
	}
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
