/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CLOCK subsystem's own declarations, for the files of src/clock/:
 *   engine.c   the targets, the worker and its sweeps, the fault hook
 *   control.c  targets added, changed, removed (sysfs); debugfs output
 *   scan.c     the hand's walk: which pages a pass takes
 *   evict.c    the victims handed to the kernel's reclaim: the only
 *              caller of resolved kernel functions
 *   refault.c  evicted pages remembered, and faults on them counted
 *   history.c  the history bytes of a hand policy other than one bit
 *   shrink.c   the shrinker through which reclaim asks the targets
 * Its decisions (judgement, how many, the hand's lap) are pure code in
 * src/core/clock.c and, for the policies with history, src/core/hand.c;
 * src/pff.c moves a target's budget.
 */
#ifndef PGC_CLOCK_INTERNAL_H
#define PGC_CLOCK_INTERNAL_H

#include <linux/mutex.h>
#include <linux/xarray.h>
#include "core/hand.h"
#include "walk.h"
#include "procs.h"
#include "pff.h"

/*
 * Targets at once.  The worker visits every one each tick, and each
 * holds a refault ring: 16 keeps a tick short and the memory under 2 MiB.
 */
#define PGC_MAX_TARGETS		16
/* Victims per target per pass: 4 MiB, i.e. 40 MiB/s at the default rate. */
#define PGC_CLOCK_BATCH		1024
/*
 * Page table entries a pass may look at, per page of its quota (32768,
 * 64 PTE tables, at the default quota), so that a target mostly swapped
 * out is not walked whole under its mmap lock in one pass.
 */
#define PGC_CLOCK_VISITS	4
/*
 * File ranges a pass starts writeback of.  Neighbouring dirty pages of
 * one file merge into one range, so this bounds files, not pages; pages
 * past it wait for the next pass.
 */
#define PGC_CLOCK_WB		16
/*
 * Evictions remembered per target (a power of two, hashed by page): 4096
 * (96 KiB) is four full batches, enough to see a page evicted too early
 * come back; a refault further back than that says little of one pass.
 */
#define PGC_REFAULT_BITS	12
#define PGC_REFAULT_SLOTS	BIT(PGC_REFAULT_BITS)

struct pgc_target {
	struct pid *pid;	/* NULL: free slot */
	u64 id;			/* which target has the slot (0: none) */
	pid_t nr;
	struct pgc_proc *proc;	/* its process-table entry (refault hook) */
	unsigned long budget;	/* pages; 0: give only under pressure */
	struct pgc_clock_hand hand;
	u64 lap_start;		/* ktime_get_ns(): this lap began */
	unsigned int lap_min_ms;	/* the shortest whole lap (0: none yet) */
	unsigned long rss, shrinkable;
	atomic_long_t rss_max;	/* the largest RSS a fault of it saw */
	/* An own sweep fell short: the next only above this RSS (0: none). */
	unsigned long own_above;
	const char *state;
	u64 scanned, second_chances, evicted_clean, evicted_dirty, freed;
	u64 sweeps, ns, pressure_given, shared, writebacks, forced;
	u64 huge;		/* of the scanned, judged in huge (PMD) mappings */
	u64 own_sweeps;		/* of the sweeps, in its own context */
	u64 own_ns;		/* CPU time its threads spent in own sweeps */
	/* The thread in an own sweep now (at most one), its CPU time then. */
	struct task_struct *own_task;
	u64 own_ns0;
	u64 pff_cpu;		/* PFF's clock at its last read (pgc_clock_pff_cpu()) */
	u64 busy;		/* passes given up: its mmap lock was taken */
	atomic64_t refaults_clean, refaults_dirty, refault_dist;
	atomic64_t pff_faults;	/* refaults and major faults: PFF's signal */
	struct pgc_pff_grow grow;	/* PFF's, for its faults (0: none) */
	u64 evict_seq;
	struct pgc_evicted *ring;
	struct pgc_pff_target *pff;	/* NULL: the budget is the user's */
	struct pgc_fevents *fev;	/* its fault events (faults/hook=tp) */
	u64 ad_cleared;		/* Accessed bits ad sweeps cleared */
	u64 pff_taken;		/* pgc_bits_taken() at PFF's last sample */
	bool pff_torn;		/* a half sample cleared bits since */
	/* The hand's policy, and its history (history.c) but for one bit. */
	struct pgc_hand_params hp;
	struct pgc_hand_lap hlap;
	struct xarray hist;	/* addr >> PMD_SHIFT: a byte per page */
	unsigned long hist_blocks;
	struct mm_struct *hist_mm;	/* whose (mmgrab()bed): compared, not used */
	u64 spared;		/* pages kept for their history */
	u64 untracked;		/* judged as one bit: no history to keep */
};

/* The pages of a referenced large victim after its first (evict.c). */
#define PGC_CLOCK_TAIL ((struct folio *)1)

/* One pass of the hand: what scan.c chose, for evict.c to hand over. */
struct pgc_clock_walk {
	struct pgc_walk w;
	struct pgc_target *t;
	unsigned long need, quota, scanned;
	bool dirty_counts;	/* dirty candidates count toward need */
	unsigned long visited;	/* entries looked at, present or not ... */
	unsigned long visit_max;	/* ... and the most a pass may */
	unsigned long cold;	/* pages passed not accessed */
	unsigned long clean[PGC_CLOCK_BATCH], dirty[PGC_CLOCK_BATCH];
	/*
	 * Their folios, referenced, for one reclaim_pages() call (NULL:
	 * MADV_PAGEOUT instead, for a page of a large folio mapped in part,
	 * where no such call is to be had, or none could be referenced).  A
	 * large victim's folio is its first page's; PGC_CLOCK_TAIL its
	 * others'.
	 */
	struct folio *clean_folio[PGC_CLOCK_BATCH], *dirty_folio[PGC_CLOCK_BATCH];
	unsigned int nclean, ndirty;
	/* Dirty candidates whose Accessed bit the scan cleared (before 6.9). */
	DECLARE_BITMAP(dirty_young, PGC_CLOCK_BATCH);
	bool isolate;		/* reclaim_pages() and folio_isolate_lru() callable */
	unsigned long hand;	/* where the next pass starts */
	struct pgc_wb_range wb[PGC_CLOCK_WB];	/* each file referenced */
	unsigned int nwb;
	unsigned long wb_pages;
	unsigned long spared;	/* pages kept for their history */
	u8 *hist;		/* the history block (NULL: none to be had) ... */
	unsigned long hist_idx;	/* ... of this 2 MiB of address space */
	bool hist_tried;	/* hist and hist_idx hold an answer */
};

/*
 * Accessed bits cleared by others than PFF's sample: the hand's second
 * chances and ad sweeps.  Each was a page in use that the sample, taken
 * after, would read idle.
 */
static inline u64 pgc_bits_taken(const struct pgc_target *t)
{
	return t->second_chances + t->ad_cleared;
}

/* engine.c: the table of targets, under its lock (control.c's way in). */
bool pgc_clock_on(void);
void pgc_clock_lock(void);
void pgc_clock_unlock(void);
void pgc_clock_assert_held(void);
void pgc_clock_assert_unlocked(void);
struct pgc_target *pgc_clock_target(unsigned int i);
unsigned int pgc_clock_slot(const struct pgc_target *t);
u64 pgc_clock_new_id(void);
void pgc_clock_drop(struct pgc_target *t);
u64 pgc_clock_pff_cpu(struct pgc_target *t);
void pgc_clock_pff_grow(struct pgc_target *t, u64 cpu);
void pgc_clock_kick(unsigned long delay);

/* control.c: a slot's target, as sysfs.c asks for it. */
int pgc_clock_commit(unsigned int slot, const struct pgc_target_req *req);
void pgc_clock_off(unsigned int slot);
const char *pgc_clock_slot_state(unsigned int slot);

/* scan.c: a pass from @t's hand, its mmap lock held. */
void pgc_clock_scan(struct pgc_clock_walk *cw, struct pgc_target *t,
		    struct mm_struct *mm, unsigned long need,
		    unsigned long quota, bool dirty_counts);

/* evict.c */
int pgc_evict_init(void);
void pgc_evict_exit(void);
bool pgc_evict_possible(void);
bool pgc_evict_batched(void);
const char *pgc_evict_how(void);
void pgc_evict_isolate(struct mm_struct *mm, struct folio **folios,
		       unsigned int n, struct list_head *list);
unsigned long pgc_evict_reclaim(struct mm_struct *mm, struct list_head *list);
void pgc_evict_finish(struct pgc_clock_walk *cw, struct mm_struct *mm,
		      unsigned int take, bool flush);

/* history.c */
/* The history byte of the page at @addr (NULL: none; @nr pages untracked). */
u8 *pgc_history_byte(struct pgc_clock_walk *cw, unsigned long addr,
		     unsigned long nr);
void pgc_history_lap(struct pgc_target *t);
void pgc_history_forget(struct pgc_target *t);
/* The target's mm is @mm (NULL: it goes): another one forgets the history. */
void pgc_history_mm(struct pgc_target *t, struct mm_struct *mm);
void pgc_history_show(struct seq_file *m);

/* refault.c */
struct pgc_evicted *pgc_refault_ring_alloc(void);
void pgc_refault_ring_free(struct pgc_evicted *ring);
void pgc_refault_remember(struct pgc_target *t, unsigned long addr, bool dirty);
bool pgc_refault_hit(struct pgc_target *t, unsigned long addr);

/* shrink.c */
int pgc_shrink_init(void);
void pgc_shrink_exit(void);
void pgc_shrink_offer(unsigned long pages);
unsigned long pgc_shrink_take(void);
void pgc_shrink_given(unsigned long pages);
u64 pgc_shrink_calls(void);
void pgc_shrink_show(struct seq_file *m);

#endif /* PGC_CLOCK_INTERNAL_H */
