// SPDX-License-Identifier: GPL-2.0
/*
 * Open-coded, lockless page-table reads (walk_page_range() is not exported
 * on either kernel).  Tables are read under rcu_read_lock(): x86 frees page
 * tables through RCU (MMU_GATHER_RCU_TABLE_FREE with PARAVIRT, and 6.12's
 * khugepaged frees PTE tables with pte_free_defer()), and a pmd is
 * re-read once into a local copy so a concurrent split or collapse is seen
 * as either the old or the new table, never half of each.  Entries are
 * only read, never written, so no PTE lock is taken: statistics tolerate a
 * stale entry.
 */
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/hugetlb.h>
#include "pageclock.h"
#include "compat.h"

static void pgc_snap_page(struct pgc_pte_snap *s)
{
	struct page *page;

	if (is_zero_pfn(s->pfn)) {
		s->zero = true;
		return;
	}
	if (!pfn_valid(s->pfn))
		return;
	page = pfn_to_page(s->pfn);
	s->anon = PageAnon(page);
	if (s->anon)
		s->exclusive = PageAnonExclusive(page);
}

void pgc_snap_pte(pte_t pte, struct pgc_pte_snap *s)
{
	swp_entry_t entry;

	memset(s, 0, sizeof(*s));
	if (pte_none(pte))
		return;
	/* x86's pte_present() is also true for PROT_NONE entries. */
	if (pte_protnone(pte)) {
		s->kind = PGC_PTE_PROTNONE;
		return;
	}
	if (pte_present(pte)) {
		s->kind = PGC_PTE_PRESENT;
		s->pfn = pte_pfn(pte);
		s->writable = pte_write(pte);
		pgc_snap_page(s);
		return;
	}
	entry = pte_to_swp_entry(pte);
	if (is_migration_entry(entry))
		s->kind = PGC_PTE_MIGRATION;
	else if (non_swap_entry(entry))
		s->kind = PGC_PTE_OTHER;
	else
		s->kind = PGC_PTE_SWAP;
}

void pgc_snap_pmd(pmd_t pmd, unsigned long addr, struct pgc_pte_snap *s)
{
	memset(s, 0, sizeof(*s));
	if (pmd_protnone(pmd)) {
		s->kind = PGC_PTE_PROTNONE;
		return;
	}
	s->kind = PGC_PTE_HUGE;
	s->pfn = pmd_pfn(pmd) + ((addr & ~PMD_MASK) >> PAGE_SHIFT);
	s->writable = pmd_write(pmd);
	pgc_snap_page(s);
}

/*
 * Find the pmd covering @addr.  Returns false (with *kind set) when the
 * walk ends above the PTE level.
 */
static bool pgc_find_pmd(struct mm_struct *mm, unsigned long addr, pmd_t *out,
			 u8 *kind)
{
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud, pudv;

	*kind = PGC_PTE_NONE;
	pgd = pgd_offset(mm, addr);
	if (pgd_none(READ_ONCE(*pgd)))
		return false;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(READ_ONCE(*p4d)))
		return false;
	pud = pud_offset(p4d, addr);
	pudv = READ_ONCE(*pud);
	if (pud_none(pudv))
		return false;
	if (!pud_present(pudv) || pud_leaf(pudv)) {
		*kind = PGC_PTE_OTHER;	/* 1 GiB pages are hugetlb or DAX */
		return false;
	}
	*out = pgc_pmdp_get_lockless(pmd_offset(pud, addr));
	return true;
}

void pgc_snap_addr(struct mm_struct *mm, unsigned long addr,
		   struct pgc_pte_snap *s)
{
	pmd_t pmd;
	u8 kind;

	memset(s, 0, sizeof(*s));
	rcu_read_lock();
	if (!pgc_find_pmd(mm, addr, &pmd, &kind)) {
		s->kind = kind;
	} else if (pmd_none(pmd)) {
		s->kind = PGC_PTE_NONE;
	} else if (!pmd_present(pmd)) {
		s->kind = is_pmd_migration_entry(pmd) ? PGC_PTE_MIGRATION :
							PGC_PTE_OTHER;
	} else if (pmd_leaf(pmd)) {
		pgc_snap_pmd(pmd, addr, s);
	} else if (pmd_bad(pmd)) {
		s->kind = PGC_PTE_OTHER;
	} else {
		pgc_snap_pte(ptep_get(pte_offset_kernel(&pmd, addr)), s);
	}
	rcu_read_unlock();
}

/* ---- Whole address spaces ---- */

static void pgc_walk_ptes(struct pgc_walk *w, pmd_t *pmd, unsigned long addr,
			  unsigned long end)
{
	pte_t *pte = pte_offset_kernel(pmd, addr);

	for (; addr < end; addr += PAGE_SIZE, pte++) {
		pte_t v = ptep_get(pte);

		if (pte_none(v))
			continue;
		if (!w->budget--) {
			w->truncated = true;
			return;
		}
		w->pte(w, v, addr);
	}
}

static void pgc_walk_pmds(struct pgc_walk *w, pud_t *pud, unsigned long addr,
			  unsigned long end)
{
	pmd_t *pmdp = pmd_offset(pud, addr);
	unsigned long next;

	for (; addr < end && !w->truncated; addr = next, pmdp++) {
		pmd_t pmd = pgc_pmdp_get_lockless(pmdp);

		next = pmd_addr_end(addr, end);
		if (pmd_none(pmd) || !pmd_present(pmd))
			continue;
		if (pmd_leaf(pmd)) {
			if (w->pmd)
				w->pmd(w, pmd, addr);
			continue;
		}
		if (pmd_bad(pmd))
			continue;
		pgc_walk_ptes(w, &pmd, addr, next);
	}
}

static void pgc_walk_range(struct pgc_walk *w, struct mm_struct *mm,
			   unsigned long addr, unsigned long end)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	unsigned long next, pnext, unext;

	for (; addr < end && !w->truncated; addr = next, pgd++) {
		p4d_t *p4d;

		next = pgd_addr_end(addr, end);
		if (pgd_none(READ_ONCE(*pgd)) || pgd_bad(READ_ONCE(*pgd)))
			continue;
		p4d = p4d_offset(pgd, addr);
		for (; addr < next; addr = pnext, p4d++) {
			pud_t *pud;

			pnext = p4d_addr_end(addr, next);
			if (p4d_none(READ_ONCE(*p4d)) || p4d_bad(READ_ONCE(*p4d)))
				continue;
			pud = pud_offset(p4d, addr);
			for (; addr < pnext; addr = unext, pud++) {
				pud_t pudv = READ_ONCE(*pud);

				unext = pud_addr_end(addr, pnext);
				if (pud_none(pudv) || !pud_present(pudv) ||
				    pud_leaf(pudv) || pud_bad(pudv))
					continue;
				pgc_walk_pmds(w, pud, addr, unext);
			}
		}
	}
}

/*
 * Visit every present or swapped entry of the VMAs @w->vma_ok accepts.
 * The caller holds the mmap lock (read).  Never sleeps, so it may run in
 * tracepoint context; w->budget bounds the work (w->truncated says so).
 */
void pgc_walk_mm(struct mm_struct *mm, struct pgc_walk *w)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;

	rcu_read_lock();
	for_each_vma(vmi, vma) {
		if (w->truncated)
			break;
		if (is_vm_hugetlb_page(vma) || (w->vma_ok && !w->vma_ok(vma)))
			continue;
		pgc_walk_range(w, mm, vma->vm_start, vma->vm_end);
	}
	rcu_read_unlock();
}
