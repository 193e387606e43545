// SPDX-License-Identifier: GPL-2.0
/*
 * Classify one page fault from what handle_mm_fault() was asked to do, what
 * it returned, and the page-table entry before and after.  Every fault ends
 * in exactly one class, so the classes add up to the total.
 */
#include "core/fault.h"

static enum pgc_fault_class pgc_classify_present(const struct pgc_fault *f)
{
	const struct pgc_pte_snap *b = &f->before, *a = &f->after;

	/* A read, or a write the entry already allowed: nothing to do. */
	if (!f->write || b->writable)
		return PGC_FC_SPURIOUS;
	/* Shared mappings are never copied: mkwrite, dirty tracking. */
	if (f->vma_shared)
		return PGC_FC_WP_OTHER;
	/* First write after a read of never-written anonymous memory. */
	if (b->zero)
		return f->thp_possible && a->kind == PGC_PTE_HUGE ?
			PGC_FC_ANON_NEW_THP : PGC_FC_ANON_NEW;
	if (a->kind != PGC_PTE_PRESENT && a->kind != PGC_PTE_HUGE)
		return PGC_FC_OTHER;	/* unmapped again before we looked */
	if (a->pfn != b->pfn)
		return PGC_FC_COW_COPY;
	/*
	 * Same page kept.  If it was shared (not exclusive) the others let go
	 * of it: COW reuse.  If it was exclusive all along, the write-protect
	 * came from soft-dirty or userfaultfd tracking.
	 */
	if (b->anon && !b->exclusive)
		return PGC_FC_COW_REUSE;
	return PGC_FC_WP_OTHER;
}

enum pgc_fault_class pgc_fault_classify(const struct pgc_fault *f)
{
	if (f->retry)
		return PGC_FC_RETRY;
	if (f->oom)
		return PGC_FC_OOM;
	if (f->sigbus)
		return PGC_FC_SIGBUS;
	/*
	 * From user mode a signal follows, which the signal hook counts.  For
	 * get_user_pages() or a kernel access to user memory (uaccess fixup)
	 * none does: count it here.
	 */
	if (f->sigsegv)
		return f->gup ? PGC_FC_GUP : f->user ? PGC_FC_NONE : PGC_FC_OTHER;
	if (f->gup)
		return PGC_FC_GUP;
	if (f->vma_other)
		return PGC_FC_OTHER;

	/*
	 * A retried fault waited in its first attempt (usually for the read
	 * it started), so it counts as major, as the kernel counts it.
	 */
	switch (f->before.kind) {
	case PGC_PTE_NONE:
		if (f->vma_anon)
			return f->thp_possible && f->after.kind == PGC_PTE_HUGE ?
				PGC_FC_ANON_NEW_THP : PGC_FC_ANON_NEW;
		return pgc_fault_kernel_major(f) ? PGC_FC_FILE_MAJOR :
						   PGC_FC_FILE_MINOR;
	case PGC_PTE_SWAP:
		return pgc_fault_kernel_major(f) ? PGC_FC_SWAPIN_DEVICE :
						   PGC_FC_SWAPIN_CACHE;
	case PGC_PTE_MIGRATION:
		return PGC_FC_MIGRATION;
	case PGC_PTE_PROTNONE:
		return PGC_FC_NUMA;
	case PGC_PTE_PRESENT:
	case PGC_PTE_HUGE:
		return pgc_classify_present(f);
	default:
		return PGC_FC_OTHER;
	}
}

/*
 * The entry after the fault only matters to tell a huge page from a small
 * one and a copy from a reuse; skipping the second walk otherwise saves a
 * third of the classifier's cost.
 */
bool pgc_fault_needs_after(const struct pgc_fault *f)
{
	const struct pgc_pte_snap *b = &f->before;

	if (f->retry || f->oom || f->sigbus || f->sigsegv || f->gup ||
	    f->vma_other)
		return false;
	switch (b->kind) {
	case PGC_PTE_NONE:
		return f->vma_anon && f->thp_possible;
	case PGC_PTE_PRESENT:
	case PGC_PTE_HUGE:
		if (!f->write || b->writable || f->vma_shared)
			return false;
		return b->zero ? f->thp_possible : true;
	default:
		return false;
	}
}

bool pgc_thp_fits(u64 start, u64 end, u64 addr, u64 pmd_size)
{
	u64 huge = addr & ~(pmd_size - 1);

	return huge >= start && huge + pmd_size <= end;
}

/* As mm_account_fault(): failed and to-be-retried attempts do not count. */
bool pgc_fault_accounted(const struct pgc_fault *f)
{
	return !(f->retry || f->oom || f->sigbus || f->sigsegv);
}

/* As mm_account_fault(): a fault that needed a retry counts as major. */
bool pgc_fault_kernel_major(const struct pgc_fault *f)
{
	return f->major || f->tried;
}

bool pgc_fault_may_refault(const struct pgc_fault *f)
{
	/* A fault for get_user_pages is not looked at before: as it may. */
	return !f->vma_anon || f->gup || f->before.kind == PGC_PTE_SWAP;
}

bool pgc_fault_uffd_may_wait(const struct pgc_fault *f, bool wp)
{
	if (f->gup || f->vma_other)
		return true;
	switch (f->before.kind) {
	case PGC_PTE_NONE:
	case PGC_PTE_OTHER:
		return true;
	default:
		return f->write && wp;
	}
}

enum pgc_fault_class pgc_segv_classify(bool maperr, bool pkey, bool write,
				       bool exec)
{
	if (maperr)
		return PGC_FC_SEGV_UNMAPPED;
	if (pkey)
		return PGC_FC_SEGV_PKEY;
	if (exec)
		return PGC_FC_SEGV_EXEC_NX;
	if (write)
		return PGC_FC_SEGV_WRITE_RO;
	return PGC_FC_SEGV_ACCESS;
}

static const char *const pgc_fault_class_names[PGC_FC_NR] = {
	[PGC_FC_ANON_NEW] = "anon_new",
	[PGC_FC_ANON_NEW_THP] = "anon_new_thp",
	[PGC_FC_FILE_MINOR] = "file_minor",
	[PGC_FC_FILE_MAJOR] = "file_major",
	[PGC_FC_SWAPIN_CACHE] = "swapin_cache",
	[PGC_FC_SWAPIN_DEVICE] = "swapin_device",
	[PGC_FC_COW_COPY] = "cow_copy",
	[PGC_FC_COW_REUSE] = "cow_reuse",
	[PGC_FC_WP_OTHER] = "wp_other",
	[PGC_FC_NUMA] = "numa_hint",
	[PGC_FC_MIGRATION] = "migration",
	[PGC_FC_SPURIOUS] = "spurious",
	[PGC_FC_GUP] = "gup",
	[PGC_FC_SIGBUS] = "sigbus",
	[PGC_FC_OOM] = "oom",
	[PGC_FC_SEGV_UNMAPPED] = "segv_unmapped",
	[PGC_FC_SEGV_WRITE_RO] = "segv_write_ro",
	[PGC_FC_SEGV_EXEC_NX] = "segv_exec_nx",
	[PGC_FC_SEGV_ACCESS] = "segv_access",
	[PGC_FC_SEGV_PKEY] = "segv_pkey",
	[PGC_FC_OTHER] = "other",
	[PGC_FC_RETRY] = "retry",
};

const char *pgc_fault_class_name(enum pgc_fault_class fc)
{
	return fc < PGC_FC_NR ? pgc_fault_class_names[fc] : "none";
}
