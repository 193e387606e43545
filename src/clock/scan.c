// SPDX-License-Identifier: GPL-2.0
/*
 * The hand's walk.  A pass goes from where the hand stopped over the
 * target's evictable VMAs, one PTE table at a time, and asks
 * src/core/hand.c (one bit: src/core/clock.c) about each page: an
 * Accessed page gets a second chance (its bit cleared), a cold one may be
 * spared for its history (a policy other than esc), a cold clean one is
 * a victim, a cold dirty one a victim only when the sweep is short of
 * clean ones (the hand is "starved").  Dirty pages of shared file mappings are not victims but
 * ranges to write back: reclaim outside kswapd does not write file
 * pages, so they come round clean.  Nothing is evicted here (evict.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
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
 * A victim's folio, referenced so it outlives the walk, for the batched
 * eviction; NULL sends the page through MADV_PAGEOUT, which splits large
 * folios (taking one whole would take its other pages with it).
 * *@young: its Accessed bit was cleared (a dirty candidate left counts it).
 */
static struct folio *pgc_scan_grab(struct pgc_clock_walk *cw, pte_t *pte,
				   pte_t v, bool *young)
{
	struct folio *folio = page_folio(pte_page(v));

	*young = false;
	if (!cw->isolate || folio_test_large(folio) || !folio_try_get(folio))
		return NULL;
	if (PGC_RECLAIM_CHECKS_REFS) {
		*young = pgc_ptep_test_clear_young(pte);
		pgc_scan_old(folio);
	}
	return folio;
}

/*
 * A huge victim's folio, referenced under the pmd lock: it is the folio
 * judged, where MADV_PAGEOUT later, by address and after the mmap lock
 * is dropped, would take whatever is mapped there by then.
 */
static struct folio *pgc_scan_grab_huge(struct pgc_clock_walk *cw,
					pmd_t *pmdp, pmd_t pmd, bool *young)
{
	struct folio *folio = page_folio(pmd_page(pmd));

	*young = false;
	if (!cw->isolate || !folio_try_get(folio))
		return NULL;
	if (PGC_RECLAIM_CHECKS_REFS) {
		*young = pgc_pmdp_test_clear_young(pmdp);
		pgc_scan_old(folio);
	}
	return folio;
}

/*
 * The pass has its victims, has passed its quota of pages, or has looked
 * at PGC_CLOCK_VISITS times the quota knob's entries: swapped-out and
 * empty ones cost little each, but a target mostly swapped out was walked
 * whole in one pass, under its mmap lock (found by review).  The knob's,
 * not the pass's quota, which a sweep cuts to what is left of its search
 * for clean victims: a few pages there made passes of a few entries.
 */
static bool pgc_scan_done(const struct pgc_clock_walk *cw)
{
	return cw->nclean >= cw->need || cw->scanned >= cw->quota ||
	       cw->visited >= cw->visit_max;
}

/* The hot loop: one PTE table from the hand on. */
static void pgc_scan_ptes(struct pgc_walk *w, pte_t *pte, unsigned long addr,
			  unsigned long end)
{
	struct pgc_clock_walk *cw = container_of(w, struct pgc_clock_walk, w);
	struct pgc_target *t = cw->t;

	for (; addr < end; addr += PAGE_SIZE, pte++) {
		pte_t v = ptep_get(pte);
		bool young;

		if (pgc_scan_done(cw)) {
			w->truncated = true;
			break;
		}
		cw->visited++;
		if (!pgc_pte_is_page(v))
			continue;
		cw->scanned++;
		/* Shared pages stay: MADV_PAGEOUT would not take them. */
		if (pgc_pfn_shared(pte_pfn(v))) {
			t->shared++;
			continue;
		}
		cw->cold += !pte_young(v);
		switch (pgc_hand_judge(&t->hp, pgc_history_byte(cw, addr, 1),
				       t->hand.laps, t->hlap.floor, pte_young(v),
				       pgc_scan_dirty(pte_pfn(v), pte_dirty(v)),
				       t->hand.starved)) {
		case PGC_HAND_KEEP:
			pgc_ptep_clear_young(pte, v);
			t->second_chances++;
			break;
		case PGC_HAND_SPARE:
			cw->spared++;
			break;
		case PGC_HAND_CLEAN:
			/* Clean victims all go: a bit cleared goes with them. */
			cw->clean_folio[cw->nclean] = pgc_scan_grab(cw, pte, v,
								    &young);
			cw->clean[cw->nclean++] = addr;
			break;
		case PGC_HAND_DIRTY:
			if (pgc_scan_file_backed(w->vma)) {
				pgc_scan_writeback(cw, w->vma, addr, PAGE_SIZE);
			} else if (cw->ndirty < PGC_CLOCK_BATCH) {
				cw->dirty_folio[cw->ndirty] =
					pgc_scan_grab(cw, pte, v, &young);
				if (young)
					__set_bit(cw->ndirty, cw->dirty_young);
				cw->dirty[cw->ndirty++] = addr;
			}
			break;
		}
	}
	cw->hand = addr;
}

/* A huge pmd (THP): one judgement for its pages, which go together. */
static void pgc_scan_pmd(struct pgc_walk *w, pmd_t *pmdp, pmd_t pmd,
			 unsigned long addr)
{
	struct pgc_clock_walk *cw = container_of(w, struct pgc_clock_walk, w);
	struct pgc_target *t = cw->t;
	struct folio **folios, *folio;
	unsigned long *victims;
	enum pgc_hand_verdict v;
	unsigned int *n, i;
	bool young;
	u8 *h;

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
	/*
	 * One judgement on the first page's byte, copied to the rest: a
	 * split later finds each page with the history of the whole.
	 */
	h = pgc_history_byte(cw, addr, HPAGE_PMD_NR);
	v = pgc_hand_judge(&t->hp, h, t->hand.laps, t->hlap.floor,
			   pmd_young(pmd),
			   pgc_scan_dirty(pmd_pfn(pmd), pmd_dirty(pmd)),
			   t->hand.starved);
	if (h)
		memset(h + 1, *h, HPAGE_PMD_NR - 1);
	switch (v) {
	case PGC_HAND_KEEP:
		pgc_pmdp_clear_young(pmdp, pmd);
		t->second_chances += HPAGE_PMD_NR;
		return;
	case PGC_HAND_SPARE:
		cw->spared += HPAGE_PMD_NR;
		return;
	case PGC_HAND_CLEAN:
		victims = cw->clean;
		folios = cw->clean_folio;
		n = &cw->nclean;
		break;
	default:
		/*
		 * A shared file's huge folio (ext4's large folios on 7.2,
		 * XFS's before) is written back like its small pages (bug:
		 * sent to MADV_PAGEOUT, it stayed dirty and was counted
		 * evicted at every lap, 144066 times on 7.2).
		 */
		if (pgc_scan_file_backed(w->vma)) {
			pgc_scan_writeback(cw, w->vma, addr, HPAGE_PMD_SIZE);
			return;
		}
		victims = cw->dirty;
		folios = cw->dirty_folio;
		n = &cw->ndirty;
		break;
	}
	/* Reclaimed as one THP: its first page holds the reference. */
	if (*n + HPAGE_PMD_NR > PGC_CLOCK_BATCH)
		return;
	folio = pgc_scan_grab_huge(cw, pmdp, pmd, &young);
	if (young && folios == cw->dirty_folio)
		bitmap_set(cw->dirty_young, *n, HPAGE_PMD_NR);
	for (i = 0; i < HPAGE_PMD_NR; i++) {
		folios[*n] = i && folio ? PGC_CLOCK_TAIL : folio;
		victims[(*n)++] = addr + i * PAGE_SIZE;
	}
}

/*
 * At most @quota pages from @t's hand, until @need clean victims are
 * found; @cw says what was chosen and where the hand stopped.
 */
void pgc_clock_scan(struct pgc_clock_walk *cw, struct pgc_target *t,
		    struct mm_struct *mm, unsigned long need,
		    unsigned long quota)
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
