/* SPDX-License-Identifier: GPL-2.0 */
/* TLB flush causes (src/core/mmu.c). */
#ifndef PGC_CORE_MMU_H
#define PGC_CORE_MMU_H

#include <linux/types.h>
#include <linux/limits.h>

/* Who asked for a flush, as far as the initiating context tells. */
enum pgc_tlb_cause {
	PGC_TC_PAGECLOCK,	/* this module's Accessed-bit sweeps */
	PGC_TC_RECLAIM,		/* kswapd or direct reclaim (batched unmap) */
	PGC_TC_KTHREAD,		/* other kernel threads: compaction, khugepaged */
	PGC_TC_MPROTECT,	/* mprotect, pkey_mprotect */
	PGC_TC_MUNMAP,		/* munmap, mremap, brk, mmap over a mapping */
	PGC_TC_MADVISE,		/* madvise (DONTNEED, FREE, PAGEOUT, ...) */
	PGC_TC_FORK,		/* fork write-protecting the parent */
	PGC_TC_MIGRATE,		/* mbind, migrate_pages, move_pages */
	PGC_TC_SYSCALL,		/* any other system call */
	PGC_TC_FAULT,		/* a page fault: COW break, NUMA migration */
	PGC_TC_NR
};

struct pgc_tlb_ctx {
	bool own;		/* inside the module's own flush */
	bool reclaim;		/* PF_MEMALLOC or PF_KSWAPD */
	bool kthread;
	bool syscall;		/* the task entered the kernel by a syscall */
	bool compat;		/* ... a 32-bit one: its numbers are i386's */
	int nr;			/* its number */
};

enum pgc_tlb_cause pgc_tlb_cause(const struct pgc_tlb_ctx *c);
const char *pgc_tlb_cause_name(enum pgc_tlb_cause tc);

/* Idle ages of pages (src/core/mmu.c) */

#define PGC_AGE_MAX	255	/* ages saturate here */
#define PGC_AGE_BUCKETS	9	/* 0, 1, 2-3, 4-7, ..., 128-255 sweeps */

/* Age after a sweep: 0 if found accessed, else one more (inline: per page). */
static inline u8 pgc_age_next(u8 age, bool accessed)
{
	if (accessed)
		return 0;
	return age < PGC_AGE_MAX ? age + 1 : PGC_AGE_MAX;
}

/* Bucket b holds ages [2^(b-1), 2^b); bucket 0 holds age 0. */
unsigned int pgc_age_bucket(u8 age);

#endif /* PGC_CORE_MMU_H */
