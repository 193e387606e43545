// SPDX-License-Identifier: GPL-2.0
/*
 * Accessed/Dirty sweeps of one target process (sysfs ad/pid): each sweep
 * counts the present pages in the four (Accessed, Dirty) classes, clears
 * the Accessed bits and, if asked (ad/flush) or the process is a CLOCK
 * target, flushes the process's TLB entries so the next access sets the
 * bit again.  Without the flush a translation still cached in a TLB keeps
 * the CPU from setting the bit: a hot page can look idle (the seed's
 * stale-A-bit effect).
 *
 * Every page's idle age (sweeps since it was last found accessed) lives in
 * one 512-byte block per 2 MiB of address space that has present pages,
 * at most PGC_AD_MAX_BLOCKS of them: bounded memory.  Sweeps run on demand
 * (sysfs ad/sweep) or every ad/interval_ms from a work item, one at a
 * time under pgc_ad_lock, never while a PFF sample of the same process
 * runs (pgc_ad_walk_begin()); debugfs "ad" shows the last.  Dirty bits
 * are only read.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include "walk.h"
#include "target.h"
#include "tlb.h"
#include "knobs.h"
#include "ad.h"
#include "clock.h"
#include "compat.h"

/* 16384 blocks of 512 bytes: 8 MiB of ages, for 32 GiB of mappings. */
#define PGC_AD_MAX_BLOCKS	16384

struct pgc_ad_block {
	u8 age[PTRS_PER_PTE];
};

/* On a block's entry: this walk found its range in use. */
#define PGC_AD_SEEN	XA_MARK_0

/* What one sweep found. */
struct pgc_ad_result {
	u64 ptes;			/* entries visited */
	u64 ns;				/* time the sweep took */
	u64 cls[2][2];			/* pages by [accessed][dirty] */
	u64 ages[PGC_AGE_BUCKETS];
	u64 untracked;			/* pages with no age block */
	u64 raced;
	u64 drops;	/* mmap lock given up to a writer mid-sweep */
	bool flushed;
};

struct pgc_ad_walk {
	struct pgc_walk w;
	struct pgc_ad_result *r;
	bool clear;
	/* Bits cleared of pages a PFF sample counts (evictable, not shared). */
	u64 taken;
	u32 agecount[PGC_AGE_MAX + 1];	/* pages by age, this sweep */
	unsigned long block_idx;	/* cached lookup */
	struct pgc_ad_block *block;
};

static DEFINE_MUTEX(pgc_ad_lock);	/* the target, the ages, the result */
static struct pid *pgc_ad_target;
static DEFINE_XARRAY(pgc_ad_ages);
static unsigned long pgc_ad_nblocks;
static u64 pgc_ad_sweeps;
static u64 pgc_ad_busy;		/* periodic sweeps passed over or cut short */
static struct pgc_ad_result pgc_ad_last;
static const char *pgc_ad_state = "none";	/* of the last sweep */
/* The process a sweep walks now, and the one a PFF sample walks now. */
static struct mm_struct *pgc_ad_walking, *pgc_ad_sampling;

static void pgc_ad_periodic(struct work_struct *work);
static DECLARE_DELAYED_WORK(pgc_ad_work, pgc_ad_periodic);

static void pgc_ad_forget(void)
{
	struct pgc_ad_block *b;
	unsigned long i;

	xa_for_each(&pgc_ad_ages, i, b)
		kfree(b);
	xa_destroy(&pgc_ad_ages);
	pgc_ad_nblocks = 0;
	pgc_ad_sweeps = 0;
	pgc_ad_busy = 0;
	memset(&pgc_ad_last, 0, sizeof(pgc_ad_last));
	pgc_ad_state = "none";
}

/*
 * After a whole walk: the blocks of ranges it found nothing in go (bug,
 * found by review: a range unmapped kept its block until ad/pid changed,
 * and with the bound reached, pages elsewhere went untracked).
 */
static void pgc_ad_prune(void)
{
	struct pgc_ad_block *b;
	unsigned long i;

	xa_for_each(&pgc_ad_ages, i, b) {
		if (xa_get_mark(&pgc_ad_ages, i, PGC_AD_SEEN)) {
			xa_clear_mark(&pgc_ad_ages, i, PGC_AD_SEEN);
			continue;
		}
		xa_erase(&pgc_ad_ages, i);
		kfree(b);
		pgc_ad_nblocks--;
	}
}

/*
 * A range with entries but no page to age (swapped out, migrating,
 * PROT_NONE for NUMA balancing): its block, if it has one, stays.
 */
static void pgc_ad_keep(unsigned long addr)
{
	/* A mark on an index without an entry is not set. */
	xa_set_mark(&pgc_ad_ages, addr >> PMD_SHIFT, PGC_AD_SEEN);
}

/* The age block of @addr; allocated under the PTE lock, so never sleeps. */
static struct pgc_ad_block *pgc_ad_block(struct pgc_ad_walk *aw,
					 unsigned long addr)
{
	unsigned long idx = addr >> PMD_SHIFT;
	struct pgc_ad_block *b;

	if (aw->block && aw->block_idx == idx)
		return aw->block;
	b = xa_load(&pgc_ad_ages, idx);
	if (!b && pgc_ad_nblocks < PGC_AD_MAX_BLOCKS) {
		b = kzalloc(sizeof(*b), GFP_NOWAIT | __GFP_NOWARN);
		if (b && xa_err(xa_store(&pgc_ad_ages, idx, b,
					 GFP_NOWAIT | __GFP_NOWARN))) {
			kfree(b);
			b = NULL;
		}
		pgc_ad_nblocks += !!b;
	}
	if (b)
		xa_set_mark(&pgc_ad_ages, idx, PGC_AD_SEEN);
	aw->block = b;
	aw->block_idx = idx;
	return b;
}

/* Age page @i of block @b (may be NULL: no room) after this sweep. */
static inline void pgc_ad_age(struct pgc_ad_walk *aw, struct pgc_ad_block *b,
			      unsigned int i, bool young)
{
	u8 age;

	if (!b) {
		aw->r->untracked++;
		return;
	}
	age = b->age[i];
	/* A peek reports ages without changing them. */
	if (aw->clear) {
		age = pgc_age_next(age, young);
		b->age[i] = age;
	}
	aw->agecount[age]++;
}

/*
 * The hot loop: one PTE table.  Dirty bits are only read; Accessed bits
 * are cleared atomically, since the CPU may set A or D at any time.
 */
static void pgc_ad_ptes(struct pgc_walk *w, pte_t *pte, unsigned long addr,
			unsigned long end)
{
	struct pgc_ad_walk *aw = container_of(w, struct pgc_ad_walk, w);
	/* Taken at the first page: a table without one needs no block. */
	struct pgc_ad_block *b = NULL;
	bool got = false;
	unsigned int i = (addr >> PAGE_SHIFT) & (PTRS_PER_PTE - 1);
	bool pff = aw->clear && pgc_vma_evictable(w, w->vma);
	u64 ptes = 0, cls[2][2] = {};

	for (; addr < end; addr += PAGE_SIZE, pte++, i++) {
		pte_t v = ptep_get(pte);
		bool young;

		if (pte_none(v))
			continue;
		ptes++;
		if (!pgc_pte_is_page(v)) {
			if (!got)
				pgc_ad_keep(addr);
			continue;
		}
		young = pte_young(v);
		if (young && aw->clear) {
			young = pgc_ptep_clear_young(pte, v);
			aw->taken += young && pff && !pgc_pfn_shared(pte_pfn(v));
		}
		cls[young][!!pte_dirty(v)]++;
		if (!got) {
			b = pgc_ad_block(aw, addr);
			got = true;
		}
		pgc_ad_age(aw, b, i, young);
	}
	aw->r->ptes += ptes;
	aw->r->cls[0][0] += cls[0][0];
	aw->r->cls[0][1] += cls[0][1];
	aw->r->cls[1][0] += cls[1][0];
	aw->r->cls[1][1] += cls[1][1];
}

static void pgc_ad_pmd(struct pgc_walk *w, pmd_t *pmdp, pmd_t pmd,
		       unsigned long addr)
{
	struct pgc_ad_walk *aw = container_of(w, struct pgc_ad_walk, w);
	struct pgc_ad_block *b;
	bool young = pmd_young(pmd);
	unsigned int i;

	aw->r->ptes++;
	/* (The huge zero page cannot be told apart: is_huge_zero_pmd() needs
	 * a symbol that is not exported.)
	 */
	if (pmd_protnone(pmd)) {
		pgc_ad_keep(addr);
		return;
	}
	if (young && aw->clear) {
		young = pgc_pmdp_clear_young(pmdp, pmd);
		if (young && pgc_vma_evictable(w, w->vma) &&
		    !pgc_pfn_shared(pmd_pfn(pmd)))
			aw->taken += HPAGE_PMD_NR;
	}
	aw->r->cls[young][!!pmd_dirty(pmd)] += HPAGE_PMD_NR;
	b = pgc_ad_block(aw, addr & PMD_MASK);
	for (i = 0; i < HPAGE_PMD_NR; i++)
		pgc_ad_age(aw, b, i, young);
}

/*
 * No sweep of a process while a PFF sample of it runs (src/clock/engine.c):
 * a sweep reports the bits it cleared only when done, and a sample
 * meanwhile reads those pages idle (seen: 5049 of 6000 hot pages on
 * 6.12).  The sweep waits for the sample, which is short and takes no
 * lock of ours; the sample gives way to the sweep (pgc_ad_hold()), as the
 * CLOCK worker that samples serves every target and samples at its next
 * tick instead.  Sweeps of other processes do not hold samples off.  By
 * mm, which both hold: processes that share one (CLONE_VM) are one here.
 * Under pgc_ad_lock.
 */
static int pgc_ad_walk_begin(struct mm_struct *mm)
{
	for (;;) {
		WRITE_ONCE(pgc_ad_walking, mm);
		smp_mb();	/* pairs with pgc_ad_hold() */
		if (READ_ONCE(pgc_ad_sampling) != mm)
			return 0;
		WRITE_ONCE(pgc_ad_walking, NULL);
		if (wait_var_event_killable(&pgc_ad_sampling,
					    READ_ONCE(pgc_ad_sampling) != mm))
			return -EINTR;
	}
}

/*
 * One sweep of the target; pgc_ad_lock held (it also guards the walker).
 * @nowait: the periodic sweep, which nobody can kill, passes over a
 * target whose mmap lock is taken rather than wait for it with the lock
 * everything else here needs (bug, found by review: a fault stuck on a
 * FUSE server under the target's mmap lock hung ad's files and rmmod).
 */
static int pgc_ad_sweep(bool clear, bool flush, bool nowait)
{
	static struct pgc_ad_walk aw;
	struct pgc_ad_result r = {};
	struct mm_struct *mm, *live;
	unsigned int a;
	u64 t0;
	int err;

	if (!pgc_ad_target)
		return -ENOENT;
	mm = pgc_pid_mm(pgc_ad_target);
	if (!mm) {
		pgc_ad_state = "gone";
		return -ESRCH;
	}
	err = pgc_ad_walk_begin(mm);
	if (err) {
		mmput(mm);
		return err;
	}
	/*
	 * A CLOCK target's sweep flushes whatever ad/flush says: the hand
	 * reads the same bits, and takes a page still hot in a TLB, its bit
	 * cleared, for cold (bug: "sweep noflush" of a target got its hot
	 * pages evicted).
	 */
	if (clear && pgc_clock_is_target(pgc_ad_target))
		flush = true;
	memset(&aw, 0, sizeof(aw));
	aw.w.pte_range = pgc_ad_ptes;
	aw.w.pmd = pgc_ad_pmd;
	aw.w.may_sleep = true;
	aw.w.nowait = nowait;
	aw.clear = clear;
	aw.r = &r;
	t0 = ktime_get_ns();
	err = pgc_walk_mm(mm, &aw.w);
	/*
	 * Also when this sweep cleared nothing: bits an earlier sweep without
	 * a flush cleared may still be cached, which is what a flush is
	 * asked for.  And after a walk a fatal signal stopped.  Before the
	 * CLOCK's lock below, which a pass of the hand holds.
	 */
	if (clear && flush)
		pgc_tlb_flush_mm(mm);
	/* Pages in use that a CLOCK target's PFF sample must not read idle. */
	pgc_clock_ad_cleared(pgc_ad_target, aw.taken);
	smp_store_release(&pgc_ad_walking, NULL);	/* after the walk */
	if (!err) {
		/* Not after a walk that passed tables over (raced). */
		if (!aw.w.raced)
			pgc_ad_prune();
		r.ns = ktime_get_ns() - t0;
		r.raced = aw.w.raced;
		r.drops = aw.w.drops;
		r.flushed = clear && flush && pgc_tlb_can_flush();
		for (a = 0; a <= PGC_AGE_MAX; a++)
			r.ages[pgc_age_bucket(a)] += aw.agecount[a];
		pgc_ad_last = r;
		pgc_ad_sweeps += clear;
		/* It may have exited while we walked its (still held) mm. */
		live = pgc_pid_mm(pgc_ad_target);
		pgc_ad_state = live ? "alive" : "gone";
		if (live)
			mmput(live);
	}
	mmput(mm);
	return err;
}

static void pgc_ad_periodic(struct work_struct *work)
{
	unsigned int ms;

	mutex_lock(&pgc_ad_lock);
	if (pgc_ad_sweep(true, pgc_knob(PGC_K_AD_FLUSH), true) == -EBUSY)
		pgc_ad_busy++;
	mutex_unlock(&pgc_ad_lock);
	ms = pgc_knob(PGC_K_AD_INTERVAL_MS);
	if (ms)
		schedule_delayed_work(&pgc_ad_work, msecs_to_jiffies(ms));
}

/*
 * A PFF sample of @mm may walk: no ad sweep of it runs, and none starts
 * until pgc_ad_release() (pgc_ad_walk_begin()).  One sampler at a time:
 * the CLOCK worker.
 */
bool pgc_ad_hold(struct mm_struct *mm)
{
	WRITE_ONCE(pgc_ad_sampling, mm);
	smp_mb();	/* pairs with pgc_ad_walk_begin() */
	if (READ_ONCE(pgc_ad_walking) != mm)
		return true;
	pgc_ad_release();
	return false;
}

void pgc_ad_release(void)
{
	smp_store_release(&pgc_ad_sampling, NULL);	/* after the sample */
	smp_mb();	/* the store before wake_up_var() looks for waiters */
	wake_up_var(&pgc_ad_sampling);
}

/* sysfs ad/interval_ms changed: restart (or stop) the periodic sweeps. */
int pgc_ad_reschedule(void)
{
	unsigned int ms = pgc_knob(PGC_K_AD_INTERVAL_MS);

	if (ms)
		mod_delayed_work(system_wq, &pgc_ad_work, msecs_to_jiffies(ms));
	else
		cancel_delayed_work(&pgc_ad_work);
	return 0;
}

/* sysfs ad/pid: a new target (0: none) and fresh ages. */
int pgc_ad_set_target(pid_t nr)
{
	struct task_struct *tsk;
	struct mm_struct *mm;
	struct pid *pid = NULL;
	int err;

	if (nr) {
		/* The process (its leader), not the thread named. */
		err = pgc_target_get(nr, &tsk, &mm);
		if (err)
			return err;
		pid = pgc_group_pid(tsk);
		mmput(mm);
		put_task_struct(tsk);
		/* Reaped since: NULL would read as "no target". */
		if (!pid)
			return -ESRCH;
	}
	mutex_lock(&pgc_ad_lock);
	put_pid(pgc_ad_target);
	pgc_ad_target = pid;
	pgc_ad_forget();
	mutex_unlock(&pgc_ad_lock);
	return 0;
}

pid_t pgc_ad_target_nr(void)
{
	pid_t nr;

	mutex_lock(&pgc_ad_lock);
	nr = pid_vnr(pgc_ad_target);
	mutex_unlock(&pgc_ad_lock);
	return nr;
}

void pgc_ad_exit(void)
{
	cancel_delayed_work_sync(&pgc_ad_work);
	mutex_lock(&pgc_ad_lock);
	put_pid(pgc_ad_target);
	pgc_ad_target = NULL;
	pgc_ad_forget();
	mutex_unlock(&pgc_ad_lock);
}

/* ---- debugfs "ad" ---- */

static const char *const pgc_ad_class_names[2][2] = {
	{ "a0d0", "a0d1" }, { "a1d0", "a1d1" },
};

int pgc_ad_show(struct seq_file *m, void *unused)
{
	struct pgc_ad_result *r = &pgc_ad_last;
	u64 ws = 0, pages = 0;
	int a, d, i;

	if (mutex_lock_killable(&pgc_ad_lock))
		return -EINTR;
	/* The initial namespace's, as everywhere in debugfs. */
	seq_printf(m, "pid %d\nstate %s\nsweeps %llu\nbusy %llu\n",
		   pid_nr(pgc_ad_target), pgc_ad_state, pgc_ad_sweeps,
		   pgc_ad_busy);
	seq_printf(m, "flush %s\nflush_method %s\n",
		   r->flushed ? "yes" : "no", pgc_tlb_flush_method());
	seq_printf(m, "ptes %llu\nns %llu\nns_per_pte %llu\n", r->ptes, r->ns,
		   r->ptes ? div64_u64(r->ns, r->ptes) : 0);
	for (a = 0; a < 2; a++)
		for (d = 0; d < 2; d++) {
			seq_printf(m, "class %s pages %llu\n",
				   pgc_ad_class_names[a][d], r->cls[a][d]);
			pages += r->cls[a][d];
		}
	seq_printf(m, "pages %llu\nidle %llu\n", pages,
		   r->cls[0][0] + r->cls[0][1]);
	/* Bucket i holds ages below 2^i; the working set sums them. */
	for (i = 0; i < PGC_AGE_BUCKETS; i++) {
		ws += r->ages[i];
		seq_printf(m, "age %u pages %llu\n", i ? 1U << (i - 1) : 0,
			   r->ages[i]);
		seq_printf(m, "ws %u pages %llu\n", 1U << i, ws);
	}
	seq_printf(m, "untracked %llu\nblocks %lu\nraced %llu\nlock_drops %llu\n",
		   r->untracked, pgc_ad_nblocks, r->raced, r->drops);
	mutex_unlock(&pgc_ad_lock);
	return 0;
}

/*
 * sysfs ad/sweep: "sweep", "sweep flush", "sweep noflush" or "peek"
 * (count, no clear); the result is debugfs "ad"'s to read.
 */
int pgc_ad_command(const char *text, size_t count)
{
	bool clear = true, flush = pgc_knob(PGC_K_AD_FLUSH);
	char buf[32];
	int err;

	if (count >= sizeof(buf) || !pgc_text_ok(text, count))
		return -EINVAL;
	memcpy(buf, text, count);
	buf[count] = '\0';
	strim(buf);
	if (!strcmp(buf, "sweep flush"))
		flush = true;
	else if (!strcmp(buf, "sweep noflush"))
		flush = false;
	else if (!strcmp(buf, "peek"))
		clear = false;
	else if (strcmp(buf, "sweep"))
		return -EINVAL;
	err = mutex_lock_killable(&pgc_ad_lock);
	if (err)
		return err;
	err = pgc_ad_sweep(clear, flush, false);
	mutex_unlock(&pgc_ad_lock);
	return err;
}
