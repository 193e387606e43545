// SPDX-License-Identifier: GPL-2.0
/*
 * The hand's walk.  A pass goes from where the hand stopped over the
 * target's evictable VMAs, one PTE table at a time, and asks
 * src/core/hand.c (one bit: src/core/clock.c) about each page, or each
 * folio mapped whole (pgc_scan_unit): an Accessed page gets a second
 * chance (its bit cleared), a cold one may be spared for its history (a
 * policy other than esc), a cold clean one is a victim, a cold dirty one
 * a victim only when the sweep is short of clean ones (the hand is
 * "starved").  Dirty pages of shared file mappings are not victims but
 * ranges to write back: reclaim outside kswapd does not write file
 * pages, so they come round clean.  Nothing is evicted here (evict.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include "internal.h"
#include "knobs.h"
#include "compat.h"

/* A shared file mapping written back to its file (shmem goes to swap). */
static bool pgc_scan_file_backed(struct vm_area_struct *vma)
{
	return vma->vm_file && (vma->vm_flags & VM_SHARED) &&
	       !shmem_file(vma->vm_file);
}

/*
 * The @size bytes at @addr to be written back, not evicted: reclaim from
 * here does not write file pages, so a dirty one would stay however often
 * it was sent.  Contiguous pages of one file make one range.
 */
static void pgc_scan_writeback(struct pgc_clock_walk *cw,
			       struct vm_area_struct *vma, unsigned long addr,
			       unsigned long size)
{
	u64 pos = (u64)(vma->vm_pgoff +
			((addr - vma->vm_start) >> PAGE_SHIFT)) << PAGE_SHIFT;

	switch (pgc_wb_add(cw->wb, &cw->nwb, PGC_CLOCK_WB, vma->vm_file, pos,
			   size)) {
	case PGC_WB_FULL:
		return;
	case PGC_WB_NEW:
		get_file(vma->vm_file);
		break;
	case PGC_WB_GREW:
		break;
	}
	cw->wb_pages += size >> PAGE_SHIFT;
}

/* D for the hand: would taking the page at @pfn cost a write? */
static bool pgc_scan_dirty(unsigned long pfn, bool pte_dirty)
{
	struct folio *folio = page_folio(pfn_to_page(pfn));

	return pgc_clock_needs_write(pte_dirty, folio_test_dirty(folio),
				     folio_test_anon(folio),
				     folio_test_swapcache(folio));
}

/*
 * A victim's folio made old where reclaim would look: before 6.9
 * reclaim_pages() checks references, and kept a victim whose PTE was
 * young, as a starved lap's are, or, with MGLRU on, whose PG_referenced
 * was set (bug: the hand's forced victims stayed).  Since, nothing is
 * cleared: the bits stay for a candidate the pass does not take.
 */
static void pgc_scan_old(struct folio *folio)
{
	folio_clear_referenced(folio);
	folio_test_clear_young(folio);
}

/*
 * What the hand judges at once: a page, a huge pmd's pages, or the PTEs of
 * one table that map every page of one large folio, in order.  A folio
 * goes whole, as the kernel's reclaim takes it: a page of it sent to
 * MADV_PAGEOUT by address, after the mmap lock is let go, would take
 * whatever is mapped there by then.
 */
struct pgc_scan_unit {
	unsigned long addr, pfn;	/* the first page's */
	unsigned int n;			/* pages */
	bool young, dirty;		/* any of them */
	pmd_t *pmdp;			/* a huge pmd and its value, or */
	pmd_t pmd;
	pte_t *pte;			/* the first of n PTEs */
};

/*
 * Clear the unit's Accessed bits, @keep: and say so to the kernel; the
 * pages whose bit was set (a huge pmd's all or none).
 */
static unsigned int pgc_unit_clear_young(const struct pgc_scan_unit *u,
					 bool keep)
{
	unsigned int i, young = 0;
	bool was;

	if (u->pmdp) {
		if (keep)
			was = pgc_pmdp_clear_young(u->pmdp, u->pmd);
		else
			was = pgc_pmdp_test_clear_young(u->pmdp);
		return was ? u->n : 0;
	}
	for (i = 0; i < u->n; i++) {
		if (keep)
			was = pgc_ptep_clear_young(u->pte + i,
						   ptep_get(u->pte + i));
		else
			was = pgc_ptep_test_clear_young(u->pte + i);
		young += was;
	}
	return young;
}

/*
 * A victim's folio, referenced so it outlives the walk, for the batched
 * eviction; NULL sends its pages through MADV_PAGEOUT, which splits a
 * large folio to take a page of it.  *@young: an Accessed bit of the unit
 * was cleared (a dirty candidate left counts it).
 */
static struct folio *pgc_scan_grab(struct pgc_clock_walk *cw,
				   const struct pgc_scan_unit *u, bool *young)
{
	struct folio *folio = page_folio(pfn_to_page(u->pfn));

	*young = false;
	/* Reclaim would take the whole folio: only a unit of all of it. */
	if (!cw->isolate || folio_nr_pages(folio) != u->n ||
	    !folio_try_get(folio))
		return NULL;
	if (PGC_RECLAIM_CHECKS_REFS) {
		*young = pgc_unit_clear_young(u, false) > 0;
		pgc_scan_old(folio);
	}
	return folio;
}

/*
 * The pass has its victims (pgc_clock_pass_done()), has passed its quota
 * of pages, or has looked at PGC_CLOCK_VISITS times the quota knob's
 * entries: swapped-out and empty ones cost little each, but a target
 * mostly swapped out was walked whole in one pass, under its mmap lock
 * (found by review).  The knob's,
 * not the pass's quota, which a sweep cuts to what is left of its search
 * for clean victims: a few pages there made passes of a few entries.
 */
static bool pgc_scan_done(const struct pgc_clock_walk *cw)
{
	return pgc_clock_pass_done(cw->need, cw->nclean, cw->ndirty,
				   cw->dirty_counts) ||
	       cw->scanned >= cw->quota || cw->visited >= cw->visit_max;
}

/* One judgement for the unit's pages, which stay or go together. */
static void pgc_scan_unit(struct pgc_clock_walk *cw,
			  struct vm_area_struct *vma,
			  const struct pgc_scan_unit *u)
{
	struct pgc_target *t = cw->t;
	struct folio **folios, *folio;
	unsigned long *victims;
	enum pgc_hand_verdict v;
	unsigned int *n, i;
	bool young;
	u8 *h;

	/*
	 * Off the LRU: another pass's victim being reclaimed (without the
	 * targets' lock), or the kernel's reclaim's or migration's; a page
	 * just faulted in, still in a CPU's batch.  Neither judged nor
	 * counted (bug, found by review: a pass took another's victims
	 * again, counted them evicted and ended short).
	 */
	folio = page_folio(pfn_to_page(u->pfn));
	if (!folio_test_lru(folio))
		return;
	/* A file's page reclaim puts back (a private mapping of ramfs). */
	if (!folio_test_anon(folio) &&
	    mapping_unevictable(READ_ONCE(folio->mapping)))
		return;
	/*
	 * Pinned for DMA (a driver's buffer, an io_uring fixed buffer):
	 * reclaim puts it back, after unmapping it if a file's (bug: chosen
	 * and counted evicted at every lap, 24576 victims for 2000 pages).
	 */
	if (folio_maybe_dma_pinned(folio))
		return;
	/*
	 * On the first page's byte, copied to the rest: a split later finds
	 * each page with the history of the whole.
	 */
	h = pgc_history_byte(cw, u->addr, u->n);
	v = pgc_hand_judge(&t->hp, h, t->hand.laps, t->hlap.floor, u->young,
			   pgc_scan_dirty(u->pfn, u->dirty), t->hand.starved);
	if (h && u->n > 1)
		memset(h + 1, *h, u->n - 1);
	switch (v) {
	case PGC_HAND_KEEP:
		/* The bits cleared: each a page in use, for PFF's sample. */
		t->second_chances += pgc_unit_clear_young(u, true);
		return;
	case PGC_HAND_SPARE:
		cw->spared += u->n;
		return;
	case PGC_HAND_CLEAN:
		/* Clean victims all go: a bit cleared goes with them. */
		victims = cw->clean;
		folios = cw->clean_folio;
		n = &cw->nclean;
		break;
	default:
		/*
		 * A shared file's dirty pages are written back, huge ones
		 * too (bug: a huge one sent to MADV_PAGEOUT stayed dirty and
		 * was counted evicted at every lap, 144066 times on 7.2).
		 */
		if (pgc_scan_file_backed(vma)) {
			pgc_scan_writeback(cw, vma, u->addr,
					   (unsigned long)u->n << PAGE_SHIFT);
			return;
		}
		victims = cw->dirty;
		folios = cw->dirty_folio;
		n = &cw->ndirty;
		break;
	}
	/* A folio's first page holds the reference, the others are tails. */
	if (*n + u->n > PGC_CLOCK_BATCH)
		return;
	folio = pgc_scan_grab(cw, u, &young);
	if (young && folios == cw->dirty_folio)
		bitmap_set(cw->dirty_young, *n, u->n);
	for (i = 0; i < u->n; i++) {
		folios[*n] = i && folio ? PGC_CLOCK_TAIL : folio;
		victims[(*n)++] = u->addr + i * PAGE_SIZE;
	}
}

/*
 * The unit at @u->pte, which maps @v: its page, or, where the reclaim is
 * batched and @v maps a large folio's first page, the folio, if the next
 * PTEs of the table (@left in all from @u->pte) map the rest of it in
 * order and no page of it is mapped elsewhere.  Otherwise a page alone (a
 * folio mapped in part, across two tables or twice): MADV_PAGEOUT takes
 * it.  Returns the unit's pages the hand passes as cold: all or none, as
 * it is judged (counted per PTE, a lap keeping every folio for one page
 * in use would never read as starved).
 */
static unsigned int pgc_scan_pte_unit(struct pgc_clock_walk *cw,
				      struct pgc_scan_unit *u, pte_t v,
				      unsigned long left)
{
	struct folio *folio = page_folio(pfn_to_page(pte_pfn(v)));
	long nr = folio_nr_pages(folio), i;
	bool young = pte_young(v), dirty = pte_dirty(v);

	u->pfn = pte_pfn(v);
	u->n = 1;
	u->young = young;
	u->dirty = dirty;
	if (nr > 1 && cw->isolate && nr <= left &&
	    u->pfn == folio_pfn(folio)) {
		for (i = 1; i < nr; i++) {
			pte_t e = ptep_get(u->pte + i);

			if (!pgc_pte_is_page(e) || pte_pfn(e) != u->pfn + i)
				break;
			young |= pte_young(e);
			dirty |= pte_dirty(e);
		}
		if (i == nr && pgc_folio_pages_once(folio)) {
			u->n = nr;
			u->young = young;
			u->dirty = dirty;
		}
	}
	return u->young ? 0 : u->n;
}

/* The hot loop: one PTE table from the hand on. */
static void pgc_scan_ptes(struct pgc_walk *w, pte_t *pte, unsigned long addr,
			  unsigned long end)
{
	struct pgc_clock_walk *cw = container_of(w, struct pgc_clock_walk, w);
	struct pgc_target *t = cw->t;

	while (addr < end) {
		struct pgc_scan_unit u = { .addr = addr, .n = 1, .pte = pte };
		pte_t v = ptep_get(pte);
		unsigned int cold;

		if (pgc_scan_done(cw)) {
			w->truncated = true;
			break;
		}
		if (!pgc_pte_is_page(v)) {
			cw->visited++;
		} else if (pgc_pfn_shared(pte_pfn(v))) {
			/* Shared pages stay: MADV_PAGEOUT would not take them. */
			cw->visited++;
			cw->scanned++;
			t->shared++;
		} else {
			cold = pgc_scan_pte_unit(cw, &u, v,
						 (end - addr) >> PAGE_SHIFT);
			cw->visited += u.n;
			cw->scanned += u.n;
			cw->cold += cold;
			pgc_scan_unit(cw, w->vma, &u);
		}
		addr += (unsigned long)u.n << PAGE_SHIFT;
		pte += u.n;
	}
	cw->hand = addr;
}

/* A huge pmd (THP): one unit of its pages. */
static void pgc_scan_pmd(struct pgc_walk *w, pmd_t *pmdp, pmd_t pmd,
			 unsigned long addr)
{
	struct pgc_clock_walk *cw = container_of(w, struct pgc_clock_walk, w);
	struct pgc_scan_unit u = {
		.addr = addr, .pfn = pmd_pfn(pmd), .n = HPAGE_PMD_NR,
		.young = pmd_young(pmd), .dirty = pmd_dirty(pmd),
		.pmdp = pmdp, .pmd = pmd,
	};
	struct pgc_target *t = cw->t;

	if (pgc_scan_done(cw)) {
		w->truncated = true;
		cw->hand = addr;
		return;
	}
	cw->hand = addr + HPAGE_PMD_SIZE;
	cw->visited += HPAGE_PMD_NR;
	if (pmd_protnone(pmd))
		return;
	cw->scanned += HPAGE_PMD_NR;
	if (pgc_pfn_shared(pmd_pfn(pmd))) {
		t->shared += HPAGE_PMD_NR;
		return;
	}
	t->huge += HPAGE_PMD_NR;
	if (!pmd_young(pmd))
		cw->cold += HPAGE_PMD_NR;
	pgc_scan_unit(cw, w->vma, &u);
}

/*
 * At most @quota pages from @t's hand, until @need victims are found,
 * clean ones or, @dirty_counts, of either kind; @cw says what was chosen
 * and where the hand stopped.
 */
void pgc_clock_scan(struct pgc_clock_walk *cw, struct pgc_target *t,
		    struct mm_struct *mm, unsigned long need,
		    unsigned long quota, bool dirty_counts)
{
	VMA_ITERATOR(vmi, mm, t->hand.addr);
	struct vm_area_struct *vma;

	/* The target's fields are the table's; its page tables, the mm's. */
	pgc_clock_assert_held();
	pgc_mmap_assert_locked(mm);
	memset(&cw->w, 0, sizeof(cw->w));
	cw->w.pte_range = pgc_scan_ptes;
	cw->w.pmd = pgc_scan_pmd;
	cw->w.may_sleep = true;
	cw->w.mm = mm;
	cw->t = t;
	cw->need = need;
	cw->quota = quota;
	cw->dirty_counts = dirty_counts;
	cw->scanned = 0;
	cw->visited = 0;
	cw->visit_max = (unsigned long)pgc_knob(PGC_K_CLOCK_QUOTA) *
			PGC_CLOCK_VISITS;
	cw->nclean = 0;
	cw->ndirty = 0;
	bitmap_zero(cw->dirty_young, PGC_CLOCK_BATCH);
	cw->nwb = 0;
	cw->wb_pages = 0;
	cw->cold = 0;
	cw->spared = 0;
	/* Blocks may have gone since: at the last wrap, or a policy change. */
	cw->hist_tried = false;
	cw->hand = t->hand.addr;
	cw->isolate = pgc_evict_batched();
	for_each_vma(vmi, vma) {
		if (!pgc_vma_evictable(&cw->w, vma))
			continue;
		pgc_walk_vma_from(vma, max(vma->vm_start, t->hand.addr), &cw->w);
		if (cw->w.truncated)
			break;
	}
}
