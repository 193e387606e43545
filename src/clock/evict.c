// SPDX-License-Identifier: GPL-2.0
/*
 * Eviction: the hand's victims leave through the kernel's own reclaim,
 * so dirty pages are swapped or written back before their frames are
 * reused; nothing is freed or unmapped here.  Folios the hand judged
 * whole (small ones, huge ones, large ones mapped by PTEs of one table)
 * are isolated and go to one reclaim_pages() call; a page of a large
 * folio mapped only in part, and every page on a kernel where those two
 * functions cannot be called, through do_madvise(MADV_PAGEOUT) on the
 * target's mm.  The only file that calls
 * functions src/resolve.c found (features says which are callable).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmap_lock.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/writeback.h>
#include "internal.h"
#include "features.h"
#include "tlb.h"
#include "compat.h"

typedef int (*pgc_madvise_fn)(struct mm_struct *mm, unsigned long start,
			      size_t len, int behavior);

/*
 * The credentials MADV_PAGEOUT runs with.  It pages out a file's pages
 * only for a caller who owns or may write the file (6.1 skips such a VMA
 * whole, a private mapping's anonymous copies too; 6.12 a shared one
 * whole, a private one's file pages), and an own sweep runs as the
 * target, which seldom may write its libraries: its victims there would
 * stay, counted evicted.  The hand chose them, not the process, so the
 * pageout runs as the worker's does and reclaim_pages() takes the rest,
 * with the kernel's credentials (user-guide.md says what a target can
 * make leave the page cache).  Since 6.14 override_creds() takes no
 * reference: this one must outlive every sweep (pgc_clock_exit()).
 */
static const struct cred *pgc_evict_cred;

int pgc_evict_init(void)
{
	pgc_evict_cred = prepare_kernel_cred(&init_task);
	return pgc_evict_cred ? 0 : -ENOMEM;
}

void pgc_evict_exit(void)
{
	put_cred(pgc_evict_cred);
	pgc_evict_cred = NULL;
}

/* Can the CLOCK evict at all?  do_madvise() is the way every page can go. */
bool pgc_evict_possible(void)
{
	return pgc_sym_callable(PGC_SYM_DO_MADVISE);
}

/* Can victims go to reclaim_pages() in one batch (pgc_evict_reclaim)? */
bool pgc_evict_batched(void)
{
	return pgc_sym_callable(PGC_SYM_RECLAIM_PAGES) &&
	       pgc_sym_callable(PGC_SYM_FOLIO_ISOLATE_LRU);
}

/* For debugfs "clock": the way victims leave. */
const char *pgc_evict_how(void)
{
	if (!pgc_evict_possible())
		return "unavailable";
	return pgc_evict_batched() ? "reclaim_pages" : "do_madvise(MADV_PAGEOUT)";
}

/* The folio victim @i holds a reference to, or NULL. */
static struct folio *pgc_evict_ref(struct folio *folio)
{
	return folio == PGC_CLOCK_TAIL ? NULL : folio;
}

/*
 * Victims with a folio go to one reclaim_pages() call, so the kernel
 * unmaps the small ones with one TLB flush.  First isolated onto @list,
 * under the targets' lock and the mmap lock, so that no other pass of
 * the hand (the worker's, a target's own) takes them again while they
 * are reclaimed without the targets' lock (its scan passes over a folio
 * off the LRU).  A file's page may be mapped by another process
 * meanwhile, so sharing is asked again here.  Drops the references the
 * scan took.  Never sleeps.
 */
void pgc_evict_isolate(struct mm_struct *mm, struct folio **folios,
		       unsigned int n, struct list_head *list)
{
	unsigned long isolate = pgc_sym_callable(PGC_SYM_FOLIO_ISOLATE_LRU);
	unsigned int i;

	pgc_mmap_assert_locked(mm);
	for (i = 0; i < n; i++) {
		struct folio *folio = pgc_evict_ref(folios[i]);

		if (!folio)
			continue;
		/*
		 * Unmapped since, shared since, or already off the LRU: leave
		 * it.  An active one leaves as reclaim's own do: its refault
		 * is a working set's (MADV_PAGEOUT marks it so on 6.12, not 6.1).
		 */
		if (folio_mapped(folio) && !folio_test_unevictable(folio) &&
		    !pgc_folio_shared(folio) &&
		    (!folio_test_large(folio) || pgc_folio_pages_once(folio))) {
			if (folio_test_active(folio))
				folio_set_workingset(folio);
			if (pgc_folio_isolate(isolate, folio))
				list_add(&folio->lru, list);
		}
		folio_put(folio);
	}
}

/*
 * What pgc_evict_isolate() put on @list, reclaimed, with the mmap lock
 * still held, as MADV_PAGEOUT calls reclaim itself: fork takes that lock
 * for writing, so no child can come to share an anonymous victim judged
 * unshared (reclaim would unmap it from the child too).  May wait for
 * the swap device.  Returns the pages reclaim freed (not those it left
 * under writeback: swap on a disk).
 */
unsigned long pgc_evict_reclaim(struct mm_struct *mm, struct list_head *list)
{
	pgc_clock_assert_unlocked();
	pgc_mmap_assert_locked(mm);
	if (list_empty(list))
		return 0;
	return ((unsigned long (*)(struct list_head *))
		pgc_sym_callable(PGC_SYM_RECLAIM_PAGES))(list);
}

/*
 * The victims without a folio (@n, ascending addresses) through
 * MADV_PAGEOUT, as the kernel, after the mmap lock is dropped (do_madvise
 * takes it; it skips a page another process maps): neighbours coalesced
 * into one call, as a call per page would cost a flush each (50 us a
 * page under TCG).
 */
static void pgc_evict_pageout(struct mm_struct *mm, const unsigned long *addrs,
			      struct folio **folios, unsigned int n)
{
	pgc_madvise_fn madvise =
		(pgc_madvise_fn)pgc_sym_callable(PGC_SYM_DO_MADVISE);
	const struct cred *old = NULL;
	unsigned int i = 0, j;

	/* The engine sweeps only where pgc_evict_possible(). */
	if (WARN_ON_ONCE(!madvise))
		return;

	while (i < n && !fatal_signal_pending(current)) {
		if (folios[i]) {
			i++;
			continue;
		}
		for (j = i + 1; j < n && !folios[j] &&
		     addrs[j] == addrs[j - 1] + PAGE_SIZE; j++)
			;
		if (!old)
			old = override_creds(pgc_evict_cred);
		madvise(mm, addrs[i], (size_t)(j - i) << PAGE_SHIFT,
			MADV_PAGEOUT);
		i = j;
	}
	if (old)
		revert_creds(old);
}

/*
 * Drop the references of the dirty candidates the pass did not take,
 * those after @take (never inside a large victim).  One whose Accessed bit
 * the scan cleared (before 6.9) had its second chance, and gets back the
 * marks the scan took with it, as the hand's kept pages keep theirs.
 */
static void pgc_evict_release(struct pgc_clock_walk *cw, unsigned int take)
{
	unsigned int i;

	for (i = take; i < cw->ndirty; i++) {
		struct folio *folio = pgc_evict_ref(cw->dirty_folio[i]);

		if (!folio)
			continue;
		if (test_bit(i, cw->dirty_young)) {
			folio_set_referenced(folio);
			pgc_keep_young(folio_pfn(folio));
		}
		folio_put(folio);
	}
}

/*
 * The rest of a pass, with the mmap lock dropped and nothing of the
 * CLOCK's held, since it may wait for the mmap lock (do_madvise) or a
 * filesystem: the MADV_PAGEOUT victims (all clean ones, the first @take
 * dirty ones), @flush the TLB after the hand cleared Accessed bits, and
 * the writeback of the dirty file ranges.
 */
void pgc_evict_finish(struct pgc_clock_walk *cw, struct mm_struct *mm,
		      unsigned int take, bool flush)
{
	unsigned int i;

	/* do_madvise takes the mmap lock; writeback may wait for a disk. */
	pgc_clock_assert_unlocked();
	might_sleep();
	pgc_evict_release(cw, take);
	pgc_evict_pageout(mm, cw->clean, cw->clean_folio, cw->nclean);
	pgc_evict_pageout(mm, cw->dirty, cw->dirty_folio, take);
	/*
	 * Bits cleared without a flush stay clear while the page is hot in a
	 * TLB: the next lap would take it for cold (src/ad.c measured it).
	 */
	if (flush)
		pgc_tlb_flush_mm(mm);
	for (i = 0; i < cw->nwb; i++) {
		/* Started, not awaited (pages already under writeback skipped). */
		struct file *file = cw->wb[i].file;

		pgc_writeback_start(file->f_mapping, cw->wb[i].start,
				    cw->wb[i].end);
		fput(file);
	}
}
