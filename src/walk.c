// SPDX-License-Identifier: GPL-2.0
/*
 * Open-coded page-table walks (walk_page_range() is not exported on either
 * kernel).  Tables are read under rcu_read_lock(): x86 frees page tables
 * through RCU (MMU_GATHER_RCU_TABLE_FREE with PARAVIRT, and 6.12's
 * khugepaged frees PTE tables with pte_free_defer()), and a pmd is read
 * once into a local copy so a concurrent split or collapse is seen as
 * either the old or the new table, never half of each.
 *
 * pgc_snap_*() read one entry without locks (fault statistics tolerate a
 * stale entry).  pgc_walk_mm() visits whole address spaces with each PTE
 * table under its lock and each huge pmd under the pmd lock, re-checking
 * the pmd once locked, so its callbacks may clear Accessed bits.
 */
#include <linux/delay.h>
#include <linux/mmap_lock.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/pgtable.h>
#include <linux/swap.h>
#include <linux/hugetlb.h>
#include "walk.h"
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
	if (pgc_pte_is_migration(pte))
		s->kind = PGC_PTE_MIGRATION;
	else if (pgc_pte_is_swap(pte))
		s->kind = PGC_PTE_SWAP;
	else
		s->kind = PGC_PTE_OTHER;
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
	pgd_t *pgd, pgdv;
	p4d_t *p4d, p4dv;
	pud_t *pud, pudv;

	/*
	 * Each level from the copy read once: an entry read again may
	 * have been cleared by a munmap meanwhile, and lead into page 0
	 * (bug, found by review: pud_offset() and pmd_offset() read the
	 * entry above again).
	 */
	*kind = PGC_PTE_NONE;
	pgd = pgd_offset(mm, addr);
	pgdv = READ_ONCE(*pgd);
	if (pgd_none(pgdv) || pgd_bad(pgdv))
		return false;
	p4d = p4d_offset_lockless(pgd, pgdv, addr);
	p4dv = READ_ONCE(*p4d);
	if (p4d_none(p4dv) || p4d_bad(p4dv))
		return false;
	pud = pud_offset_lockless(p4d, p4dv, addr);
	pudv = READ_ONCE(*pud);
	if (pud_none(pudv))
		return false;
	if (!pud_present(pudv) || pud_leaf(pudv)) {
		*kind = PGC_PTE_OTHER;	/* 1 GiB pages are hugetlb or DAX */
		return false;
	}
	if (pud_bad(pudv))
		return false;
	*out = pgc_pmdp_get_lockless(pmd_offset_lockless(pud, pudv, addr));
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
		s->kind = pgc_pmd_is_migration(pmd) ? PGC_PTE_MIGRATION :
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

/* Stopped by a callback or the lock, or paused for an mmap writer. */
static bool pgc_walk_stopped(const struct pgc_walk *w)
{
	return w->truncated || w->paused;
}

static void pgc_walk_table(struct pgc_walk *w, enum pgc_level level, void *t)
{
	if (!w->table || w->last[level] == t)
		return;
	w->last[level] = t;
	w->table(w, level);
}

/*
 * One PTE table, under its lock so callbacks may change Accessed bits.
 * @pmd is the snapshot that pointed here: 6.12's khugepaged may free the
 * table under RCU, so it is read under rcu_read_lock() and given up when
 * the pmd changed before the lock was taken.
 */
static void pgc_walk_ptes(struct pgc_walk *w, pmd_t *pmdp, pmd_t pmd,
			  unsigned long addr, unsigned long end)
{
	spinlock_t *ptl;	/* this table's split lock */
	pte_t *pte;

	rcu_read_lock();
	/*
	 * The caller read @pmd before this RCU section: the table it points
	 * to may have been freed since.  Re-read it here, as the kernel's
	 * __pte_offset_map() does; unchanged means still live until we leave.
	 */
	if (!pmd_same(pmd, pgc_pmdp_get_lockless(pmdp))) {
		w->raced++;
		rcu_read_unlock();
		return;
	}
	pte = pte_offset_kernel(&pmd, addr);
	ptl = pte_lockptr(w->mm, &pmd);
	spin_lock(ptl);
	if (!pmd_same(pmd, pgc_pmdp_get_lockless(pmdp))) {
		w->raced++;
		goto out;
	}
	pgc_walk_table(w, PGC_LVL_PTE, (void *)((unsigned long)pte & PAGE_MASK));
	if (w->pte_range) {
		w->pte_range(w, pte, addr, end);
		goto out;
	}
	for (; addr < end; addr += PAGE_SIZE, pte++) {
		pte_t v = ptep_get(pte);

		if (!pte_none(v))
			w->pte(w, pte, v, addr);
	}
out:
	spin_unlock(ptl);
	rcu_read_unlock();
}

/* A huge pmd, under the pmd lock so it is not split while we look. */
static void pgc_walk_huge(struct pgc_walk *w, pmd_t *pmdp, pmd_t pmd,
			  unsigned long addr)
{
	spinlock_t *ptl;	/* the pmd table's lock */

	/*
	 * Every consumer builds its ranges from @addr (the CLOCK's victims,
	 * MADV_PAGEOUT's range): it must be the huge page's start, which a
	 * walk that starts mid-way does not give by itself.
	 */
	if (WARN_ON_ONCE(!IS_ALIGNED(addr, HPAGE_PMD_SIZE)))
		addr &= HPAGE_PMD_MASK;
	ptl = pmd_lock(w->mm, pmdp);
	if (pmd_same(pmd, pgc_pmdp_get_lockless(pmdp)))
		w->pmd(w, pmdp, pmd, addr);
	else
		w->raced++;
	spin_unlock(ptl);
}

/*
 * Between tables: give up the CPU if asked to (PMD tables are only freed
 * under the mmap write lock, so @pmdp's table stays), and in pgc_walk_mm()
 * stop at @next for an mmap writer that waits.
 */
static void pgc_walk_yield(struct pgc_walk *w, unsigned long next)
{
	if (!w->may_sleep || w->truncated)
		return;
	if (w->resume != ULONG_MAX && mmap_lock_is_contended(w->mm)) {
		w->paused = true;
		w->resume = next;
		return;
	}
	cond_resched();
}

static void pgc_walk_pmds(struct pgc_walk *w, pud_t *pud, unsigned long addr,
			  unsigned long end)
{
	pmd_t *pmdp = pmd_offset(pud, addr);
	unsigned long next;

	pgc_walk_table(w, PGC_LVL_PMD, (void *)((unsigned long)pmdp & PAGE_MASK));
	for (; addr < end && !pgc_walk_stopped(w); addr = next, pmdp++) {
		pmd_t pmd = pgc_pmdp_get_lockless(pmdp);

		next = pmd_addr_end(addr, end);
		if (pmd_none(pmd))
			continue;
		if (!pmd_present(pmd)) {
			/* A THP being migrated. */
			if (w->pmd_other)
				w->pmd_other(w, pmd, addr);
			continue;
		}
		if (pmd_leaf(pmd)) {
			/* A walk may start mid-way: name the page by its start. */
			if (w->pmd)
				pgc_walk_huge(w, pmdp, pmd, addr & PMD_MASK);
			/* A VMA of huge pages has no PTE table to yield after. */
			pgc_walk_yield(w, next);
			continue;
		}
		if (pmd_bad(pmd))
			continue;
		pgc_walk_ptes(w, pmdp, pmd, addr, next);
		pgc_walk_yield(w, next);
	}
}

static void pgc_walk_range(struct pgc_walk *w, struct mm_struct *mm,
			   unsigned long addr, unsigned long end)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	unsigned long next, pnext, unext;

	for (; addr < end && !pgc_walk_stopped(w); addr = next, pgd++) {
		p4d_t *p4d;

		next = pgd_addr_end(addr, end);
		if (pgd_none(READ_ONCE(*pgd)) || pgd_bad(READ_ONCE(*pgd)))
			continue;
		p4d = p4d_offset(pgd, addr);
		/* With 4 levels the p4d is folded into the pgd. */
		if (pgtable_l5_enabled())
			pgc_walk_table(w, PGC_LVL_P4D,
				       (void *)((unsigned long)p4d & PAGE_MASK));
		for (; addr < next && !pgc_walk_stopped(w); addr = pnext, p4d++) {
			pud_t *pud;

			pnext = p4d_addr_end(addr, next);
			if (p4d_none(READ_ONCE(*p4d)) || p4d_bad(READ_ONCE(*p4d)))
				continue;
			pud = pud_offset(p4d, addr);
			pgc_walk_table(w, PGC_LVL_PUD,
				       (void *)((unsigned long)pud & PAGE_MASK));
			for (; addr < pnext && !pgc_walk_stopped(w);
			     addr = unext, pud++) {
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
 * Visit every non-empty entry of @vma from @start (page aligned, inside
 * @vma) to its end; hugetlb VMAs have none we read.  The mmap lock is held
 * (read), so no table above the PTE level goes away.  A callback stops
 * the walk by setting w->truncated.
 */
static void pgc_walk_part(struct vm_area_struct *vma, unsigned long start,
			  struct pgc_walk *w)
{
	if (w->truncated || is_vm_hugetlb_page(vma))
		return;
	w->vma = vma;
	pgc_walk_range(w, w->mm, start, vma->vm_end);
	if (w->may_sleep)
		cond_resched();
}

/*
 * A VMA whose pages reclaim may take (a ->vma_ok): never VM_LOCKED
 * (mlock), hugetlb, memory that is not page cache or anonymous, or a file
 * whose pages reclaim puts back, shared: an SHM_LOCKed segment, ramfs
 * (bug: the hand chose them and counted them evicted, lap after lap).  A
 * private mapping of such a file also holds its written pages' anonymous
 * copies, which reclaim takes: the hand asks each page (src/clock/scan.c).
 */
bool pgc_vma_evictable(struct pgc_walk *w, struct vm_area_struct *vma)
{
	if ((vma->vm_flags & (VM_LOCKED | VM_IO | VM_PFNMAP | VM_MIXEDMAP)) ||
	    is_vm_hugetlb_page(vma))
		return false;
	return !(vma->vm_flags & VM_SHARED) || !vma->vm_file ||
	       !mapping_unevictable(vma->vm_file->f_mapping);
}

/*
 * pgc_walk_part() for a caller that holds the mmap lock throughout and has
 * set w->mm: the walk never stops for a writer.
 */
void pgc_walk_vma_from(struct vm_area_struct *vma, unsigned long start,
		       struct pgc_walk *w)
{
	w->resume = ULONG_MAX;
	pgc_walk_part(vma, start, w);
}

/*
 * The mmap read lock for pgc_walk_mm(): waited for (killable), or with
 * w->nowait only taken when free; after a drop (@again) a few short tries,
 * as the writer let in is usually done by then.
 */
static int pgc_walk_lock(struct pgc_walk *w, bool again)
{
	int i;

	if (!w->nowait)
		return mmap_read_lock_killable(w->mm) ? -EINTR : 0;
	for (i = 0; i < (again ? 10 : 1); i++) {
		if (i)
			usleep_range(100, 200);
		if (mmap_read_trylock(w->mm))
			return 0;
	}
	return -EBUSY;
}

/*
 * Every VMA @w->vma_ok accepts, taking the mmap read lock itself.  A
 * writer that waits for the lock (the process's mmap, munmap, fork) gets
 * it between two tables, and the walk goes on from the next one, so a
 * large address space never holds its writers for a whole walk; a VMA
 * changed meanwhile is read as it is then.  ->vma_ok is asked again for
 * the VMA the walk resumes in (w->resume above its start).  -EINTR: a
 * fatal signal came while waiting for the lock; -EBUSY: w->nowait and the
 * lock stayed taken (w->truncated is set for both: the walk is partial).
 */
int pgc_walk_mm(struct mm_struct *mm, struct pgc_walk *w)
{
	struct vm_area_struct *vma;
	int err;

	w->mm = mm;
	w->resume = 0;
	err = pgc_walk_lock(w, false);
	if (err)
		goto stop;
	for (;;) {
		VMA_ITERATOR(vmi, mm, w->resume);

		for_each_vma(vmi, vma) {
			if (w->vma_ok && !w->vma_ok(w, vma))
				continue;
			pgc_walk_part(vma, max(vma->vm_start, w->resume), w);
			if (pgc_walk_stopped(w))
				break;
		}
		if (!w->paused)
			break;
		w->paused = false;
		w->drops++;
		mmap_read_unlock(mm);
		cond_resched();
		err = pgc_walk_lock(w, true);
		if (err)
			goto stop;
	}
	mmap_read_unlock(mm);
	return 0;
stop:
	w->truncated = true;
	return err;
}
