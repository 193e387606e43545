// SPDX-License-Identifier: GPL-2.0
/*
 * CLOCK with the dirty bit for chosen processes ("targets").
 *
 * Each target's clock is its own page tables: the hand is an address, and
 * a sweep walks the target's eligible VMAs from there (src/core/clock.c
 * decides): an Accessed page gets a second chance (the bit is cleared), a
 * cold clean page is taken first, a cold dirty page (one whose eviction
 * costs a write) only when a sweep has passed clock_clean_scan_pct of the
 * target's pages short of clean ones, or while the last lap found none.  Victims leave through the
 * kernel's own reclaim: isolated and handed to reclaim_pages() in one
 * batch, or do_madvise(MADV_PAGEOUT) on the target's mm for large folios,
 * so dirty pages are swapped or written back before their frames are
 * reused; pages are never freed or unmapped here.  Dirty pages of shared
 * file mappings have their writeback started instead (reclaim outside
 * kswapd does not write file pages) and come round clean.
 *
 * Who asks: a target above its budget (checked every clock_interval_ms),
 * or the kernel's reclaim through a shrinker, which only counts what the
 * targets could give and wakes the worker (taking an mmap lock inside
 * direct reclaim could deadlock).  All walking and evicting happens in the
 * worker, on a WQ_MEM_RECLAIM workqueue.
 *
 * Refaults: the last PGC_REFAULT_SLOTS evicted addresses of each target
 * are remembered; a page fault there (src/faults.c) counts one.
 *
 * A target may have a Page-Fault-Frequency controller (src/pff.c) that
 * moves its budget each tick from its refaults and major faults.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmap_lock.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/shmem_fs.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <linux/writeback.h>
#include "pageclock.h"
#include "compat.h"

#define PGC_MAX_TARGETS		16
/* Victims per target per sweep: 4 MiB, i.e. 40 MiB/s at the default rate. */
#define PGC_CLOCK_BATCH		1024
/* Ranges of dirty shared-file pages whose writeback a pass starts. */
#define PGC_CLOCK_WB		16
#define PGC_REFAULT_BITS	12
#define PGC_REFAULT_SLOTS	BIT(PGC_REFAULT_BITS)

struct pgc_evicted {
	unsigned long vpn;	/* page number + 1; 0: empty */
	u64 seq;		/* the target's eviction count then */
	bool dirty;
};

struct pgc_target {
	struct pid *pid;	/* NULL: free slot */
	u64 id;			/* which target has the slot (0: none) */
	pid_t nr;
	struct pgc_proc *proc;	/* its process-table entry (refault hook) */
	unsigned long budget;	/* pages; 0: give only under pressure */
	struct pgc_clock_hand hand;
	unsigned long rss, shrinkable;
	const char *state;
	u64 scanned, second_chances, evicted_clean, evicted_dirty, freed;
	u64 sweeps, ns, pressure_given, shared, writebacks, forced;
	u64 busy;		/* passes given up: its mmap lock was taken */
	atomic64_t refaults_clean, refaults_dirty, refault_dist;
	atomic64_t pff_faults;	/* refaults and major faults: PFF's signal */
	u64 evict_seq;
	struct pgc_evicted *ring;
	struct pgc_pff_target *pff;	/* NULL: the budget is the user's */
	u64 pff_chances;	/* second_chances at PFF's last sample */
};

/* One sweep's walk. */
struct pgc_clock_walk {
	struct pgc_walk w;
	struct pgc_target *t;
	unsigned long need, quota, scanned;
	unsigned long cold;	/* pages passed not accessed */
	unsigned long clean[PGC_CLOCK_BATCH], dirty[PGC_CLOCK_BATCH];
	/*
	 * Their folios, referenced, for one reclaim_pages() call (NULL: a
	 * large folio, or no such call here: MADV_PAGEOUT instead).
	 */
	struct folio *clean_folio[PGC_CLOCK_BATCH], *dirty_folio[PGC_CLOCK_BATCH];
	unsigned int nclean, ndirty;
	bool isolate;		/* reclaim_pages() and folio_isolate_lru() callable */
	unsigned long hand;	/* where the next sweep starts */
	struct {
		struct file *file;	/* referenced */
		loff_t start, end;	/* bytes, inclusive */
	} wb[PGC_CLOCK_WB];
	unsigned int nwb;
	unsigned long wb_pages;
};

/*
 * The targets, and the hand's walk of one pass (at most clock_quota
 * pages).  The worker takes a target's mmap lock only by trylock under
 * it, and lets it go for what may wait: the eviction (do_madvise takes
 * the mmap lock), writeback and PFF's whole-address-space sample.  So a
 * sysfs write, a debugfs read or rmmod never waits behind a target's
 * mmap lock or its filesystem.
 */
static DEFINE_MUTEX(pgc_clock_lock);
static u64 pgc_clock_ids;	/* the last target id given */
static struct pgc_target pgc_targets[PGC_MAX_TARGETS];
static struct pgc_clock_walk pgc_cw;	/* one sweep at a time */

/* Set while the module unloads: no sweep starts, the worker is not requeued. */
static bool pgc_clock_stopping;

static bool pgc_clock_on(void)
{
	return pgc_knob(PGC_K_CLOCK_ENABLED) && !READ_ONCE(pgc_clock_stopping);
}

static struct workqueue_struct *pgc_clock_wq;
static void pgc_clock_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(pgc_clock_work, pgc_clock_work_fn);
static struct shrinker *pgc_shrinker;
/* What the targets could give, summed for the shrinker's lockless count. */
static unsigned long pgc_clock_shrinkable;
static atomic_long_t pgc_clock_pressure;	/* pages reclaim asked for */
static atomic64_t pgc_shrink_counts, pgc_shrink_scans, pgc_shrink_requested;
static u64 pgc_pressure_given;

/* Can victims go to reclaim_pages() in one batch (pgc_clock_reclaim)? */
static bool pgc_clock_batched(void)
{
	return pgc_sym_callable(PGC_SYM_RECLAIM_PAGES) &&
	       pgc_sym_callable(PGC_SYM_FOLIO_ISOLATE_LRU);
}

typedef int (*pgc_madvise_fn)(struct mm_struct *mm, unsigned long start,
			      size_t len, int behavior);

/* Never VM_LOCKED (mlock), hugetlb, or memory that is not page cache/anon. */
static bool pgc_clock_vma_ok(struct pgc_walk *w, struct vm_area_struct *vma)
{
	return !(vma->vm_flags & (VM_LOCKED | VM_IO | VM_PFNMAP | VM_MIXEDMAP)) &&
	       !is_vm_hugetlb_page(vma);
}

/* A shared file mapping written back to its file (shmem goes to swap). */
static bool pgc_clock_file_backed(struct vm_area_struct *vma)
{
	return vma->vm_file && (vma->vm_flags & VM_SHARED) &&
	       !shmem_file(vma->vm_file);
}

/*
 * A dirty page of a shared file mapping: reclaim outside kswapd would not
 * write it, so start its writeback instead; once written it comes round
 * clean.  Contiguous pages of one file make one range.
 */
static void pgc_clock_writeback(struct pgc_clock_walk *cw,
				struct vm_area_struct *vma, unsigned long addr)
{
	loff_t pos = (loff_t)(vma->vm_pgoff +
			      ((addr - vma->vm_start) >> PAGE_SHIFT)) << PAGE_SHIFT;
	unsigned int n = cw->nwb;

	if (n && cw->wb[n - 1].file == vma->vm_file &&
	    cw->wb[n - 1].end + 1 == pos) {
		cw->wb[n - 1].end += PAGE_SIZE;
	} else if (n < PGC_CLOCK_WB) {
		cw->wb[n].file = get_file(vma->vm_file);
		cw->wb[n].start = pos;
		cw->wb[n].end = pos + PAGE_SIZE - 1;
		cw->nwb++;
	} else {
		return;
	}
	cw->wb_pages++;
}

/* D for the hand: would taking the page at @pfn cost a write? */
static bool pgc_clock_dirty(unsigned long pfn, bool pte_dirty)
{
	struct folio *folio = page_folio(pfn_to_page(pfn));

	return pgc_clock_needs_write(pte_dirty, folio_test_dirty(folio),
				     folio_test_anon(folio),
				     folio_test_swapcache(folio));
}

/*
 * A victim's folio, referenced so it outlives the walk, for the batched
 * eviction; NULL sends the page through MADV_PAGEOUT, which splits large
 * folios (taking one whole would take its other pages with it).
 */
static struct folio *pgc_clock_grab(struct pgc_clock_walk *cw, pte_t v)
{
	struct folio *folio = page_folio(pte_page(v));

	if (!cw->isolate || folio_test_large(folio) || !folio_try_get(folio))
		return NULL;
	return folio;
}

/* The pass has its victims, or has passed its quota of pages. */
static bool pgc_clock_pass_done(const struct pgc_clock_walk *cw)
{
	return cw->nclean >= cw->need || cw->scanned >= cw->quota;
}

/* The hot loop: one PTE table from the hand on. */
static void pgc_clock_ptes(struct pgc_walk *w, pte_t *pte, unsigned long addr,
			   unsigned long end)
{
	struct pgc_clock_walk *cw = container_of(w, struct pgc_clock_walk, w);
	struct pgc_target *t = cw->t;

	for (; addr < end; addr += PAGE_SIZE, pte++) {
		pte_t v = ptep_get(pte);

		if (pgc_clock_pass_done(cw)) {
			w->truncated = true;
			break;
		}
		if (!pgc_pte_is_page(v))
			continue;
		cw->scanned++;
		/* Shared pages stay: MADV_PAGEOUT would not take them. */
		if (pgc_pfn_shared(pte_pfn(v))) {
			t->shared++;
			continue;
		}
		cw->cold += !pte_young(v);
		switch (pgc_clock_judge(pte_young(v),
					pgc_clock_dirty(pte_pfn(v), pte_dirty(v)),
					t->hand.starved)) {
		case PGC_CLOCK_SECOND_CHANCE:
			pgc_ptep_clear_young(pte, v);
			t->second_chances++;
			break;
		case PGC_CLOCK_CLEAN:
			cw->clean_folio[cw->nclean] = pgc_clock_grab(cw, v);
			cw->clean[cw->nclean++] = addr;
			break;
		case PGC_CLOCK_DIRTY:
			if (pgc_clock_file_backed(w->vma)) {
				pgc_clock_writeback(cw, w->vma, addr);
			} else if (cw->ndirty < PGC_CLOCK_BATCH) {
				cw->dirty_folio[cw->ndirty] = pgc_clock_grab(cw, v);
				cw->dirty[cw->ndirty++] = addr;
			}
			break;
		}
	}
	cw->hand = addr;
}

/* A huge pmd (THP): one judgement for its pages, which go together. */
static void pgc_clock_pmd(struct pgc_walk *w, pmd_t *pmdp, pmd_t pmd,
			  unsigned long addr)
{
	struct pgc_clock_walk *cw = container_of(w, struct pgc_clock_walk, w);
	struct pgc_target *t = cw->t;
	unsigned long *victims;
	struct folio **folios;
	unsigned int *n, i;

	if (pgc_clock_pass_done(cw)) {
		w->truncated = true;
		cw->hand = addr;
		return;
	}
	cw->hand = addr + HPAGE_PMD_SIZE;
	if (pmd_protnone(pmd))
		return;
	cw->scanned += HPAGE_PMD_NR;
	if (pgc_pfn_shared(pmd_pfn(pmd))) {
		t->shared += HPAGE_PMD_NR;
		return;
	}
	if (!pmd_young(pmd))
		cw->cold += HPAGE_PMD_NR;
	switch (pgc_clock_judge(pmd_young(pmd),
				pgc_clock_dirty(pmd_pfn(pmd), pmd_dirty(pmd)),
				t->hand.starved)) {
	case PGC_CLOCK_SECOND_CHANCE:
		pgc_pmdp_clear_young(pmdp, pmd);
		t->second_chances += HPAGE_PMD_NR;
		return;
	case PGC_CLOCK_CLEAN:
		victims = cw->clean;
		folios = cw->clean_folio;
		n = &cw->nclean;
		break;
	default:
		victims = cw->dirty;
		folios = cw->dirty_folio;
		n = &cw->ndirty;
		break;
	}
	/* MADV_PAGEOUT of the whole 2 MiB reclaims the THP as one. */
	if (*n + HPAGE_PMD_NR > PGC_CLOCK_BATCH)
		return;
	for (i = 0; i < HPAGE_PMD_NR; i++) {
		folios[*n] = NULL;
		victims[(*n)++] = addr + i * PAGE_SIZE;
	}
}

/* ---- PFF's sample: the pages a window did not touch ---- */

static void pgc_idle_ptes(struct pgc_walk *w, pte_t *pte, unsigned long addr,
			  unsigned long end)
{
	for (; addr < end; addr += PAGE_SIZE, pte++) {
		pte_t v = ptep_get(pte);

		/* Shared pages too are out of the hand's reach: not counted. */
		if (!pgc_pte_is_page(v) || pgc_pfn_shared(pte_pfn(v)))
			continue;
		if (pte_young(v))
			pgc_ptep_clear_young(pte, v);
		else
			w->count++;
	}
}

static void pgc_idle_pmd(struct pgc_walk *w, pmd_t *pmdp, pmd_t pmd,
			 unsigned long addr)
{
	if (pmd_protnone(pmd) || pgc_pfn_shared(pmd_pfn(pmd)))
		return;
	if (pmd_young(pmd))
		pgc_pmdp_clear_young(pmdp, pmd);
	else
		w->count += HPAGE_PMD_NR;
}

/*
 * Count the pages the hand could take (evictable VMAs, not shared) that
 * were not accessed since the last call, clear the bits of those that
 * were, and flush the TLB so the next access sets them again (without it
 * a page hot in a TLB reads idle).  Whole address space, about 16 ns a
 * page (Documentation/benchmarks.md), walked with pgc_clock_lock let go.
 * 0: *@idle is the sample; -EBUSY: no sample (the mmap lock stayed taken);
 * -ESRCH: @t was removed meanwhile.
 */
static int pgc_clock_idle(struct pgc_target *t, struct mm_struct *mm,
			  unsigned long *idle)
{
	u64 chances = t->second_chances - t->pff_chances, id = t->id;
	struct pgc_walk w = {
		.vma_ok = pgc_clock_vma_ok,
		.pte_range = pgc_idle_ptes,
		.pmd = pgc_idle_pmd,
		.budget = ULONG_MAX,
		.may_sleep = true,
		.nowait = true,
	};
	int err;

	mutex_unlock(&pgc_clock_lock);
	err = pgc_walk_mm(mm, &w);
	if (!err)
		pgc_ad_flush_mm(mm);
	mutex_lock(&pgc_clock_lock);
	if (t->id != id)
		return -ESRCH;
	if (err) {
		t->busy++;
		return -EBUSY;
	}
	/*
	 * The hand's second chances since the last sample were touched pages
	 * whose bits it cleared: without this, a sweep just before the sample
	 * makes the working set read idle.  A page given a chance and touched
	 * again counts twice as used: the error keeps more, never less.
	 */
	t->pff_chances = t->second_chances;
	*idle = w.count > chances ? w.count - chances : 0;
	return 0;
}

/* Remember an eviction, for the refault hook. */
static void pgc_clock_remember(struct pgc_target *t, unsigned long addr,
			       bool dirty)
{
	unsigned long vpn = addr >> PAGE_SHIFT;
	struct pgc_evicted *e = &t->ring[hash_long(vpn, PGC_REFAULT_BITS)];

	WRITE_ONCE(e->vpn, 0);
	e->seq = ++t->evict_seq;
	e->dirty = dirty;
	/* Readers that see the page number also see seq and dirty. */
	smp_store_release(&e->vpn, vpn + 1);
}

/* A fault at @addr in the ring: a refault, counted once. */
static bool pgc_clock_refault(struct pgc_target *t, unsigned long addr)
{
	unsigned long vpn = (addr >> PAGE_SHIFT) + 1;
	struct pgc_evicted *e = &t->ring[hash_long(vpn - 1, PGC_REFAULT_BITS)];

	/* Count a page once: the first fault after its eviction. */
	if (smp_load_acquire(&e->vpn) != vpn || cmpxchg(&e->vpn, vpn, 0) != vpn)
		return false;
	atomic64_inc(e->dirty ? &t->refaults_dirty : &t->refaults_clean);
	atomic64_add(READ_ONCE(t->evict_seq) - e->seq, &t->refault_dist);
	return true;
}

/* Called from the fault hook (no sleeping) for a target's fault at @addr. */
void pgc_clock_fault(struct pgc_proc *p, unsigned long addr, bool major)
{
	struct pgc_target *t;
	unsigned int slot;

	/* Pairs with the release in pgc_clock_target_add(): ring is set. */
	slot = smp_load_acquire(&p->clock_slot);
	if (!slot || slot > PGC_MAX_TARGETS)
		return;
	t = &pgc_targets[slot - 1];
	/* Faults that say the budget is too small; first touches do not. */
	if (pgc_clock_refault(t, addr) || major)
		atomic64_inc(&t->pff_faults);
}

/*
 * Victims with a folio go to one reclaim_pages() call, so the kernel
 * unmaps them all with one TLB flush.  Called with the mmap lock still
 * held, as MADV_PAGEOUT calls reclaim itself: fork takes that lock for
 * writing, so no child can come to share a victim judged unshared (reclaim
 * would unmap it from the child too).  Drops the references
 * pgc_clock_grab() took.
 */
static void pgc_clock_reclaim(struct folio **folios, unsigned int n)
{
	unsigned long isolate = pgc_sym_callable(PGC_SYM_FOLIO_ISOLATE_LRU);
	unsigned int i;
	LIST_HEAD(list);

	for (i = 0; i < n; i++) {
		struct folio *folio = folios[i];

		if (!folio)
			continue;
		/* Unmapped since, or already off the LRU: leave it. */
		if (folio_mapped(folio) && !folio_test_unevictable(folio) &&
		    pgc_folio_isolate(isolate, folio))
			list_add(&folio->lru, &list);
		folio_put(folio);
	}
	if (!list_empty(&list))
		((unsigned long (*)(struct list_head *))
		 pgc_sym_callable(PGC_SYM_RECLAIM_PAGES))(&list);
}

/*
 * The victims without a folio (@n, ascending addresses) through
 * MADV_PAGEOUT, after the mmap lock is dropped (do_madvise takes it; it
 * skips a page another process maps): neighbours coalesced into one call,
 * as a call per page would cost a flush each (50 us a page under TCG).
 */
static void pgc_clock_pageout(struct mm_struct *mm, pgc_madvise_fn madvise,
			      const unsigned long *addrs,
			      struct folio **folios, unsigned int n)
{
	unsigned int i = 0, j;

	while (i < n) {
		if (folios[i]) {
			i++;
			continue;
		}
		for (j = i + 1; j < n && !folios[j] &&
		     addrs[j] == addrs[j - 1] + PAGE_SIZE; j++)
			;
		madvise(mm, addrs[i], (size_t)(j - i) << PAGE_SHIFT,
			MADV_PAGEOUT);
		i = j;
	}
}

/* Drop the references of dirty candidates the pass did not take. */
static void pgc_clock_release(struct folio **folios, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (folios[i])
			folio_put(folios[i]);
}

/* pgc_clock_lock held: after a sweep, or when a target goes. */
static void pgc_clock_sum_shrinkable(void)
{
	unsigned long n = 0;
	int i;

	lockdep_assert_held(&pgc_clock_lock);
	for (i = 0; i < PGC_MAX_TARGETS; i++)
		if (pgc_targets[i].pid)
			n += pgc_targets[i].shrinkable;
	WRITE_ONCE(pgc_clock_shrinkable, n);
}

static void pgc_clock_drop(struct pgc_target *t)
{
	/*
	 * Only if the entry still names this target: once the process has
	 * exited, its entry may have been given to another process, whose
	 * own target's slot must stay.
	 */
	if (t->proc)
		cmpxchg(&t->proc->clock_slot, t - pgc_targets + 1, 0);
	/* No fault hook may still look at the ring. */
	synchronize_rcu();
	vfree(t->ring);
	pgc_pff_free(t->pff);
	put_pid(t->pid);
	memset(t, 0, sizeof(*t));
	pgc_clock_sum_shrinkable();
}

/*
 * One pass of the hand from where it stopped, then the eviction of what it
 * chose: to reclaim under the same hold of the mmap lock, through
 * MADV_PAGEOUT after it (do_madvise takes it itself).  Called and returns
 * with pgc_clock_lock held, let go for the eviction.  Returns the pages
 * chosen (0 also when the mmap lock was taken), or -ESRCH: @t was removed
 * meanwhile.
 */
static long pgc_clock_pass(struct pgc_target *t, struct mm_struct *mm,
			   pgc_madvise_fn madvise, unsigned long need,
			   unsigned long quota, unsigned long clean_left)
{
	struct pgc_clock_walk *cw = &pgc_cw;
	struct vm_area_struct *vma;
	u64 chances = t->second_chances, id;
	unsigned long take, i;
	bool starved, flush;

	memset(&cw->w, 0, sizeof(cw->w));
	cw->w.pte_range = pgc_clock_ptes;
	cw->w.pmd = pgc_clock_pmd;
	cw->w.budget = ULONG_MAX;
	cw->w.may_sleep = true;
	cw->w.mm = mm;
	cw->t = t;
	cw->need = need;
	cw->quota = quota;
	cw->scanned = 0;
	cw->nclean = 0;
	cw->ndirty = 0;
	cw->nwb = 0;
	cw->wb_pages = 0;
	cw->cold = 0;
	cw->hand = t->hand.addr;
	cw->isolate = pgc_clock_batched();
	/* A target busy with its mmap lock is passed over, not waited for. */
	if (!mmap_read_trylock(mm)) {
		t->busy++;
		return 0;
	}
	{
		VMA_ITERATOR(vmi, mm, t->hand.addr);

		for_each_vma(vmi, vma) {
			if (!pgc_clock_vma_ok(&cw->w, vma))
				continue;
			pgc_walk_vma_from(vma, max(vma->vm_start, t->hand.addr),
					  &cw->w);
			if (cw->w.truncated)
				break;
		}
	}
	starved = t->hand.starved;
	/* Not stopped early: the hand went past the last VMA. */
	take = pgc_clock_pass_end(&t->hand, cw->hand, !cw->w.truncated,
				  cw->scanned >= clean_left, need, cw->nclean,
				  cw->ndirty, cw->cold);
	pgc_clock_reclaim(cw->clean_folio, cw->nclean);
	pgc_clock_reclaim(cw->dirty_folio, take);
	mmap_read_unlock(mm);
	t->writebacks += cw->wb_pages;
	t->scanned += cw->scanned;
	if (starved)
		t->forced += cw->nclean + take;
	for (i = 0; i < cw->nclean; i++)
		pgc_clock_remember(t, cw->clean[i], false);
	for (i = 0; i < take; i++)
		pgc_clock_remember(t, cw->dirty[i], true);
	t->evicted_clean += cw->nclean;
	t->evicted_dirty += take;
	/*
	 * The rest waits for the mmap lock (do_madvise takes it) or for a
	 * filesystem: without pgc_clock_lock, which control and readers need.
	 * pgc_cw is the worker's alone.
	 */
	flush = t->second_chances != chances;
	id = t->id;
	mutex_unlock(&pgc_clock_lock);
	pgc_clock_release(cw->dirty_folio + take, cw->ndirty - take);
	pgc_clock_pageout(mm, madvise, cw->clean, cw->clean_folio, cw->nclean);
	pgc_clock_pageout(mm, madvise, cw->dirty, cw->dirty_folio, take);
	/*
	 * Bits cleared without a flush stay clear while the page is hot in a
	 * TLB: the next lap would take it for cold (src/ad.c measured it).
	 */
	if (flush)
		pgc_ad_flush_mm(mm);
	for (i = 0; i < cw->nwb; i++) {
		/* Started, not awaited (pages already under writeback skipped). */
		struct writeback_control wbc = {
			.sync_mode = WB_SYNC_NONE,
			.nr_to_write = LONG_MAX,
			.range_start = cw->wb[i].start,
			.range_end = cw->wb[i].end,
		};

		filemap_fdatawrite_wbc(cw->wb[i].file->f_mapping, &wbc);
		fput(cw->wb[i].file);
	}
	cond_resched();
	mutex_lock(&pgc_clock_lock);
	return t->id == id ? cw->nclean + take : -ESRCH;
}

/*
 * One sweep of @t; pgc_clock_lock held (let go between passes).
 * @pressure: pages reclaim wants.  Returns the pages it gave reclaim.
 */
static unsigned long pgc_clock_sweep(struct pgc_target *t,
				     unsigned long pressure)
{
	pgc_madvise_fn madvise =
		(pgc_madvise_fn)pgc_sym_callable(PGC_SYM_DO_MADVISE);
	unsigned long rss, grew, need, quota = pgc_knob(PGC_K_CLOCK_QUOTA);
	unsigned long given = 0;
	unsigned int pct = pgc_knob(PGC_K_CLOCK_CLEAN_SCAN_PCT);
	struct mm_struct *mm = pgc_pid_mm(t->pid);
	u64 t0, scanned;

	lockdep_assert_held(&pgc_clock_lock);
	if (!mm) {
		/* Exited: drop it; its slot is free again. */
		pgc_clock_drop(t);
		return 0;
	}
	rss = pgc_mm_rss(mm);
	/* t->rss: as the last sweep left it. */
	grew = rss > t->rss ? rss - t->rss : 0;
	t->rss = rss;
	t->shrinkable = t->budget ? (rss > t->budget ? rss - t->budget : 0) : rss;
	need = min3(pgc_clock_need(rss, t->budget, pressure, grew),
		    (unsigned long)PGC_CLOCK_BATCH, (unsigned long)quota);
	if (!need)
		goto out;
	if (!madvise) {
		t->state = "no_evict";	/* do_madvise not callable: features */
		goto out;
	}
	t->state = "ok";
	t0 = ktime_get_ns();
	/*
	 * Like CLOCK at fault time, the hand goes on until it has its victims:
	 * pass after pass of at most @quota pages (the mmap lock is dropped in
	 * between), up to one whole lap plus a pass, which is enough for a
	 * page whose bit it cleared to come round again.  Dirty victims only
	 * once the sweep has passed pct percent of the target's pages without
	 * enough clean ones: the pass ends there to decide.
	 */
	scanned = t->scanned;
	while (need && t->scanned - scanned < rss + quota) {
		u64 before = t->scanned;
		unsigned long left = pgc_clock_clean_left(rss, pct,
							  before - scanned);
		long got = pgc_clock_pass(t, mm, madvise, need,
					  left ? min(quota, left) : quota, left);

		if (got < 0)
			goto gone;	/* removed meanwhile: no longer ours */
		need -= min_t(unsigned long, need, got);
		if (t->scanned == before || !pgc_clock_on())
			break;	/* no page to pass over, its mmap lock taken, off */
	}
	rss = pgc_mm_rss(mm);
	if (rss < t->rss) {
		t->freed += t->rss - rss;
		if (!t->budget)
			given = t->rss - rss;
		t->pressure_given += given;
	}
	t->rss = rss;
	t->sweeps++;
	t->ns += ktime_get_ns() - t0;
out:
	/*
	 * The PFF controller last: its sample clears the Accessed bits, and
	 * the hand must not judge pages by them before the process had a
	 * tick to touch its working set again.
	 */
	if (t->pff) {
		/* One read of the CPU time: the sample and the decision agree. */
		u64 cpu = pgc_pff_cpu_ns(t->pid);
		unsigned long idle = 0;
		int err = 0;

		if (pgc_pff_due(t->pff, cpu))
			err = pgc_clock_idle(t, mm, &idle);
		if (err == -ESRCH)
			goto gone;
		/*
		 * No sample: the window stays open for the next tick (with no
		 * idle count it would read as all pages used).  The controller
		 * may also have been turned off meanwhile.
		 */
		if (!err && t->pff)
			pgc_pff_update(t->pff, cpu, atomic64_read(&t->pff_faults),
				       t->rss, idle,
				       atomic64_read(&pgc_shrink_counts),
				       &t->budget);
	}
gone:
	mmput(mm);
	return given;
}

static bool pgc_clock_has_targets(void)
{
	int i;

	for (i = 0; i < PGC_MAX_TARGETS; i++)
		if (pgc_targets[i].pid)
			return true;
	return false;
}

static void pgc_clock_kick(unsigned long delay)
{
	if (pgc_clock_on() && pgc_clock_wq)
		mod_delayed_work(pgc_clock_wq, &pgc_clock_work, delay);
}

static void pgc_clock_work_fn(struct work_struct *work)
{
	unsigned long pressure = atomic_long_xchg(&pgc_clock_pressure, 0);
	unsigned long share, given = 0;
	bool more;
	int i, n = 0;

	mutex_lock(&pgc_clock_lock);
	for (i = 0; i < PGC_MAX_TARGETS; i++)
		n += !!pgc_targets[i].pid;
	share = n ? DIV_ROUND_UP(pressure, n) : 0;
	for (i = 0; i < PGC_MAX_TARGETS && pgc_clock_on(); i++) {
		struct pgc_target *t = &pgc_targets[i];

		if (t->pid)
			given += pgc_clock_sweep(t, share);
	}
	pgc_pressure_given += given;
	pgc_clock_sum_shrinkable();
	more = pgc_clock_has_targets();
	mutex_unlock(&pgc_clock_lock);
	if (more)
		pgc_clock_kick(msecs_to_jiffies(pgc_knob(PGC_K_CLOCK_INTERVAL_MS)));
}

/* ---- The shrinker: count and wake, nothing else ---- */

static unsigned long pgc_shrink_count(struct shrinker *s,
				      struct shrink_control *sc)
{
	unsigned long n;

	atomic64_inc(&pgc_shrink_counts);
	if (!pgc_clock_on())
		return SHRINK_EMPTY;
	/*
	 * Not the targets' own fields: a target dropped meanwhile is
	 * cleared by memset, a plain write this count would race with.
	 */
	n = READ_ONCE(pgc_clock_shrinkable);
	return n ? n : SHRINK_EMPTY;
}

static unsigned long pgc_shrink_scan(struct shrinker *s,
				     struct shrink_control *sc)
{
	atomic64_inc(&pgc_shrink_scans);
	atomic64_add(sc->nr_to_scan, &pgc_shrink_requested);
	atomic_long_add(sc->nr_to_scan, &pgc_clock_pressure);
	pgc_clock_kick(0);
	/* Nothing freed here: the worker does it. */
	return SHRINK_STOP;
}

/* ---- Control (src/sysfs.c) ---- */

/*
 * The PFF knobs @req asks for, over @base, and the budget to start from:
 * the one asked for (-ERANGE outside [min, max]), else @budget, else the
 * RSS, clamped.  -EINVAL: an unknown knob, or a set that breaks a rule.
 */
static int pgc_clock_req_pff(const struct pgc_target_req *req,
			     const struct pgc_pff_knobs *base,
			     unsigned long budget, unsigned long rss,
			     struct pgc_pff_knobs *k, unsigned long *start)
{
	unsigned int i;

	*k = *base;
	for (i = 0; i < req->nset; i++)
		if (pgc_pff_set(k, req->set[i].key, req->set[i].v))
			return -EINVAL;
	if (pgc_pff_check(k, totalram_pages()))
		return -EINVAL;
	if (req->budget) {
		if (req->budget < k->min || req->budget > k->max)
			return -ERANGE;
		*start = req->budget;
		return 0;
	}
	*start = clamp_t(unsigned long, budget ? budget : rss, k->min, k->max);
	return 0;
}

/*
 * Apply @req to target @t (@fresh: just taken, empty).  @pff: a spare
 * controller, taken if the target needs one; on return *@pff is what the
 * caller frees.
 */
static int pgc_clock_apply(struct pgc_target *t, bool fresh,
			   const struct pgc_target_req *req, unsigned long rss,
			   struct pgc_pff_target **pff)
{
	struct pgc_pff_knobs base, k;
	unsigned long budget;
	int err;

	if (!req->pff || (req->pff < 0 && !req->nset && !t->pff)) {
		/* A plain budget; pff=0 hands the controller back to free. */
		if (!req->pff)
			swap(*pff, t->pff);
		if (req->budget || fresh)
			t->budget = req->budget;
		return 0;
	}
	if (t->pff)
		base = *pgc_pff_knobs(t->pff);
	else
		pgc_pff_defaults(&base, totalram_pages());
	err = pgc_clock_req_pff(req, &base, t->budget, rss, &k, &budget);
	if (err)
		return err;
	if (!t->pff) {
		if (!*pff)
			return -ENOMEM;
		swap(*pff, t->pff);
		pgc_pff_begin(t->pff, t->pid, atomic64_read(&t->pff_faults));
		t->pff_chances = t->second_chances;
	}
	*pgc_pff_knobs(t->pff) = k;
	t->budget = budget;
	return 0;
}

/* Add a target, or change one: its budget, its PFF controller. */
int pgc_clock_target_add(const struct pgc_target_req *req)
{
	struct pgc_target *t = NULL, *found = NULL;
	struct pgc_pff_target *pff;
	struct task_struct *tsk;
	struct pid *pid;
	struct mm_struct *mm;
	struct pgc_evicted *ring;
	struct pgc_proc *p;
	unsigned long rss;
	int i, err;

	err = pgc_target_get(req->pid, &tsk, &mm);
	if (err)
		return err;
	rss = pgc_mm_rss(mm);
	mmput(mm);
	/*
	 * A process's struct pid is its own while referenced: compare those.
	 * NULL once it is reaped, which would match an empty slot.
	 */
	pid = pgc_group_pid(tsk);
	if (!pid) {
		put_task_struct(tsk);
		return -ESRCH;
	}
	ring = vzalloc(array_size(PGC_REFAULT_SLOTS, sizeof(*ring)));
	pff = req->pff == 1 || req->nset ? pgc_pff_alloc() : NULL;
	err = -ENOMEM;
	if (!ring)
		goto out;
	mutex_lock(&pgc_clock_lock);
	for (i = 0; i < PGC_MAX_TARGETS; i++) {
		struct pgc_target *c = &pgc_targets[i];

		if (c->pid == pid)
			found = c;
		else if (!c->pid && !t)
			t = c;
	}
	if (found) {
		err = pgc_clock_apply(found, false, req, rss, &pff);
		goto unlock;
	}
	err = -ENOSPC;
	if (!t)
		goto unlock;
	t->pid = pid;
	err = pgc_clock_apply(t, true, req, rss, &pff);
	if (err) {
		t->pid = NULL;
		goto unlock;
	}
	pid = NULL;	/* the target's now */
	t->id = ++pgc_clock_ids;
	t->nr = tsk->tgid;
	t->state = "ok";
	t->ring = ring;
	ring = NULL;
	/* The entry cannot be given to another process until the unlock. */
	rcu_read_lock();
	p = pgc_proc_get(tsk, true);
	t->proc = p;
	if (p)
		/* Pairs with the acquire in pgc_clock_fault(): ring is set. */
		smp_store_release(&p->clock_slot, t - pgc_targets + 1);
	rcu_read_unlock();
unlock:
	mutex_unlock(&pgc_clock_lock);
out:
	put_pid(pid);
	put_task_struct(tsk);
	vfree(ring);
	pgc_pff_free(pff);
	if (!err)
		pgc_clock_kick(0);
	return err;
}

/*
 * @nr: any thread id of the target, in the writer's pid namespace; or the
 * number a target that has exited is listed under (the worker drops those
 * itself, but not while clock_enabled is 0).
 */
int pgc_clock_target_remove(pid_t nr)
{
	struct pid *pid = pgc_process_pid(nr);
	int i, err = pid ? -ENOENT : -ESRCH;

	mutex_lock(&pgc_clock_lock);
	for (i = 0; i < PGC_MAX_TARGETS; i++) {
		struct pgc_target *t = &pgc_targets[i];
		bool gone;

		if (!t->pid)
			continue;
		gone = t->nr == nr && !pid_has_task(t->pid, PIDTYPE_PID);
		if (t->pid == pid || gone) {
			pgc_clock_drop(t);
			err = 0;
		}
	}
	mutex_unlock(&pgc_clock_lock);
	put_pid(pid);
	return err;
}

/* clock_enabled or clock_interval_ms changed. */
void pgc_clock_reschedule(void)
{
	if (pgc_clock_on())
		pgc_clock_kick(0);
	else
		cancel_delayed_work(&pgc_clock_work);
}

int pgc_clock_init(void)
{
	pgc_clock_wq = alloc_workqueue("pageclock", WQ_MEM_RECLAIM | WQ_UNBOUND, 1);
	if (!pgc_clock_wq)
		return -ENOMEM;
	pgc_shrinker = pgc_shrinker_create(pgc_shrink_count, pgc_shrink_scan);
	if (!pgc_shrinker) {
		destroy_workqueue(pgc_clock_wq);
		pgc_clock_wq = NULL;
		return -ENOMEM;
	}
	return 0;
}

void pgc_clock_exit(void)
{
	int i;

	pgc_shrinker_destroy(pgc_shrinker);
	WRITE_ONCE(pgc_clock_stopping, true);
	cancel_delayed_work_sync(&pgc_clock_work);
	destroy_workqueue(pgc_clock_wq);
	pgc_clock_wq = NULL;
	mutex_lock(&pgc_clock_lock);
	for (i = 0; i < PGC_MAX_TARGETS; i++)
		if (pgc_targets[i].pid)
			pgc_clock_drop(&pgc_targets[i]);
	mutex_unlock(&pgc_clock_lock);
}

/* ---- debugfs "clock" ---- */

int pgc_clock_show(struct seq_file *m, void *unused)
{
	int i;

	mutex_lock(&pgc_clock_lock);
	seq_printf(m, "enabled %u\ninterval_ms %u\nquota %u\nclean_scan_pct %u\nevict %s\n",
		   pgc_knob(PGC_K_CLOCK_ENABLED), pgc_knob(PGC_K_CLOCK_INTERVAL_MS),
		   pgc_knob(PGC_K_CLOCK_QUOTA), pgc_knob(PGC_K_CLOCK_CLEAN_SCAN_PCT),
		   !pgc_sym_callable(PGC_SYM_DO_MADVISE) ? "unavailable" :
		   pgc_clock_batched() ? "reclaim_pages" :
		   "do_madvise(MADV_PAGEOUT)");
	seq_printf(m, "shrinker_counts %lld\nshrinker_scans %lld\nshrinker_requested %lld\nshrinker_given %llu\n",
		   atomic64_read(&pgc_shrink_counts),
		   atomic64_read(&pgc_shrink_scans),
		   atomic64_read(&pgc_shrink_requested), pgc_pressure_given);
	for (i = 0; i < PGC_MAX_TARGETS; i++) {
		struct pgc_target *t = &pgc_targets[i];
		u64 rc = atomic64_read(&t->refaults_clean);
		u64 rd = atomic64_read(&t->refaults_dirty);

		if (!t->pid)
			continue;
		seq_printf(m, "target %d budget %lu rss %lu hand %lu scanned %llu second_chances %llu evicted_clean %llu evicted_dirty %llu freed %llu refaults %llu refaults_clean %llu refaults_dirty %llu refault_distance %llu shared %llu writebacks %llu sweeps %llu laps %llu forced %llu ns %llu busy %llu pff %d state %s\n",
			   t->nr, t->budget, t->rss, t->hand.addr, t->scanned,
			   t->second_chances, t->evicted_clean, t->evicted_dirty,
			   t->freed, rc + rd, rc, rd,
			   rc + rd ? div64_u64(atomic64_read(&t->refault_dist),
					       rc + rd) : 0,
			   t->shared, t->writebacks, t->sweeps, t->hand.laps,
			   t->forced, t->ns, t->busy, !!t->pff, t->state);
	}
	mutex_unlock(&pgc_clock_lock);
	return 0;
}

/* ---- debugfs "pff" ---- */

int pgc_clock_pff_show(struct seq_file *m, void *unused)
{
	int i;

	mutex_lock(&pgc_clock_lock);
	for (i = 0; i < PGC_MAX_TARGETS; i++) {
		struct pgc_target *t = &pgc_targets[i];

		if (t->pid && t->pff)
			pgc_pff_show(m, t->nr, t->pff, t->budget, t->rss);
	}
	mutex_unlock(&pgc_clock_lock);
	return 0;
}
