/* SPDX-License-Identifier: GPL-2.0 */
/* src/walk.c: page-table reads and walks. */
#ifndef PGC_WALK_H
#define PGC_WALK_H

#include <linux/types.h>
#include <linux/pgtable.h>
#include "core.h"

struct mm_struct;
struct vm_area_struct;

/* Page-table levels below the top (the pgd), as the walker reports them. */
enum pgc_level { PGC_LVL_P4D, PGC_LVL_PUD, PGC_LVL_PMD, PGC_LVL_PTE, PGC_LVL_NR };

struct pgc_walk {
	/* Walk @vma?  NULL: every VMA. */
	bool (*vma_ok)(struct pgc_walk *w, struct vm_area_struct *vma);
	/* Present, swap and other non-empty PTEs, under the PTE lock. */
	void (*pte)(struct pgc_walk *w, pte_t *ptep, pte_t pte,
		    unsigned long addr);
	/*
	 * Or, for hot loops, all entries [addr, end) of one table at once
	 * (empty ones too), under the PTE lock, in place of ->pte.
	 */
	void (*pte_range)(struct pgc_walk *w, pte_t *pte, unsigned long addr,
			  unsigned long end);
	/* Huge pmds, under the pmd lock; NULL: skip them. */
	void (*pmd)(struct pgc_walk *w, pmd_t *pmdp, pmd_t pmd,
		    unsigned long addr);
	/* Non-present pmds (a THP under migration); may be NULL. */
	void (*pmd_other)(struct pgc_walk *w, pmd_t pmd, unsigned long addr);
	/* Each table once, even where several VMAs share it; may be NULL. */
	void (*table)(struct pgc_walk *w, enum pgc_level level);
	bool truncated;		/* a callback stopped it, or the lock (below) */
	bool may_sleep;		/* process context: yield between tables */
	bool nowait;		/* pgc_walk_mm(): never wait long for the mmap lock */
	/*
	 * pgc_walk_mm() only: the walk stopped at @resume to let a waiting
	 * mmap writer in, and goes on from there; @drops counts those.
	 */
	bool paused;
	unsigned long resume;
	u64 drops;
	struct mm_struct *mm;
	struct vm_area_struct *vma;	/* the VMA being walked */
	void *last[PGC_LVL_NR];	/* last table reported, per level */
	u64 raced;		/* tables skipped: the pmd changed under us */
	u64 count;		/* for the callbacks */
};

/* A present PTE mapping memory the process uses (not PROT_NONE, the zero page, special). */
static inline bool pgc_pte_is_page(pte_t v)
{
	return pte_present(v) && !pte_protnone(v) && !pte_special(v) &&
	       !is_zero_pfn(pte_pfn(v));
}

void pgc_snap_pte(pte_t pte, struct pgc_pte_snap *s);
void pgc_snap_pmd(pmd_t pmd, unsigned long addr, struct pgc_pte_snap *s);
void pgc_snap_addr(struct mm_struct *mm, unsigned long addr,
		   struct pgc_pte_snap *s);
bool pgc_vma_evictable(struct pgc_walk *w, struct vm_area_struct *vma);
void pgc_walk_vma_from(struct vm_area_struct *vma, unsigned long start,
		       struct pgc_walk *w);
int pgc_walk_mm(struct mm_struct *mm, struct pgc_walk *w);

#endif /* PGC_WALK_H */
