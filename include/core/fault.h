/* SPDX-License-Identifier: GPL-2.0 */
/* Page-fault classification (src/core/fault.c). */
#ifndef PGC_CORE_FAULT_H
#define PGC_CORE_FAULT_H

#include <linux/types.h>
#include <linux/limits.h>

/* What a page-table walk found at one address. */
enum pgc_pte_kind {
	PGC_PTE_NONE,		/* nothing mapped yet */
	PGC_PTE_PRESENT,	/* a present 4 KiB mapping */
	PGC_PTE_HUGE,		/* a present PMD mapping (THP) */
	PGC_PTE_SWAP,		/* a swap entry */
	PGC_PTE_MIGRATION,	/* a migration entry */
	PGC_PTE_PROTNONE,	/* PROT_NONE hint left by NUMA balancing */
	PGC_PTE_OTHER,		/* device or other special entry */
};

struct pgc_pte_snap {
	u8 kind;		/* enum pgc_pte_kind */
	bool writable;
	bool anon;		/* maps an anonymous page */
	bool exclusive;		/* ... that only this process maps */
	bool zero;		/* maps the shared zero page */
	u64 pfn;
};

/* One call of handle_mm_fault(): its inputs, and the PTE before/after. */
struct pgc_fault {
	struct pgc_pte_snap before, after;
	bool write;		/* FAULT_FLAG_WRITE or FAULT_FLAG_UNSHARE */
	bool tried;		/* FAULT_FLAG_TRIED: a retried fault */
	bool gup;		/* taken for get_user_pages (no user regs) */
	bool user;		/* from user mode: a SIGSEGV becomes a signal */
	bool vma_anon;		/* anonymous VMA */
	bool vma_shared;	/* VM_SHARED */
	bool vma_other;		/* hugetlb or a special mapping */
	bool thp_possible;	/* a huge page could back this address */
	/* Outcome, from the returned vm_fault_t. */
	bool retry;		/* VM_FAULT_RETRY: will be retried */
	bool major;		/* VM_FAULT_MAJOR: waited for I/O */
	bool oom;		/* VM_FAULT_OOM */
	bool sigbus;		/* VM_FAULT_SIGBUS or HWPOISON */
	bool sigsegv;		/* VM_FAULT_SIGSEGV */
};

enum pgc_fault_class {
	PGC_FC_ANON_NEW,	/* demand-zero 4 KiB page */
	PGC_FC_ANON_NEW_THP,	/* demand-zero huge page */
	PGC_FC_FILE_MINOR,	/* file page found in the page cache */
	PGC_FC_FILE_MAJOR,	/* file page read from storage */
	PGC_FC_SWAPIN_CACHE,	/* swapped-out page still in the swap cache */
	PGC_FC_SWAPIN_DEVICE,	/* swapped-out page read from the device */
	PGC_FC_COW_COPY,	/* write to a shared page: copied */
	PGC_FC_COW_REUSE,	/* write to a page that became exclusive again */
	PGC_FC_WP_OTHER,	/* other write-protect fault: mkwrite, uffd-wp, soft-dirty */
	PGC_FC_NUMA,		/* NUMA-balancing hinting fault */
	PGC_FC_MIGRATION,	/* waited for a page under migration */
	PGC_FC_SPURIOUS,	/* already resolved by another thread / stale TLB */
	PGC_FC_GUP,		/* taken on behalf of the kernel (get_user_pages) */
	PGC_FC_SIGBUS,		/* ended in SIGBUS (or hardware poison) */
	PGC_FC_OOM,		/* ended out of memory */
	PGC_FC_SEGV_UNMAPPED,	/* SIGSEGV: no mapping (guard gap, unmapped) */
	PGC_FC_SEGV_WRITE_RO,	/* SIGSEGV: write to a read-only mapping */
	PGC_FC_SEGV_EXEC_NX,	/* SIGSEGV: execute of a non-executable mapping */
	PGC_FC_SEGV_ACCESS,	/* SIGSEGV: other access violation (PROT_NONE) */
	PGC_FC_SEGV_PKEY,	/* SIGSEGV: protection key */
	PGC_FC_OTHER,		/* hugetlb, special mappings, raced walks */
	PGC_FC_RETRY,		/* an attempt that returned VM_FAULT_RETRY */
	PGC_FC_NR,
	PGC_FC_NONE = PGC_FC_NR,	/* counted elsewhere (the SIGSEGV) */
};

#define PGC_FC_FIRST_SEGV	PGC_FC_SEGV_UNMAPPED
#define PGC_FC_LAST_SEGV	PGC_FC_SEGV_PKEY

enum pgc_fault_class pgc_fault_classify(const struct pgc_fault *f);
/* Does the class depend on the entry after the fault?  If not, skip it. */
bool pgc_fault_needs_after(const struct pgc_fault *f);
/* Can a PMD-sized page at @addr fit in [start, end)? */
bool pgc_thp_fits(u64 start, u64 end, u64 addr, u64 pmd_size);
/* The kernel's own per-task accounting (min_flt / maj_flt). */
bool pgc_fault_accounted(const struct pgc_fault *f);
bool pgc_fault_kernel_major(const struct pgc_fault *f);
/*
 * Could the fault bring back a page reclaim took?  A file's (or shmem's)
 * page leaves an empty entry, an anonymous one a swap entry: an empty
 * entry in an anonymous mapping is a first touch.  One for
 * get_user_pages, whose entry is not read before it, may.
 */
bool pgc_fault_may_refault(const struct pgc_fault *f);
/*
 * In a range a userfaultfd serves, may the fault wait for the handler,
 * for good if nobody serves it?  Where nothing is mapped (its missing
 * and minor modes), where a marker is (write-protect mode), on a write
 * where the range is write-protected for it (@wp); and where the entry
 * was not read (get_user_pages, hugetlb), as it may.  Not the others: a
 * page present, swapped or under migration is the kernel's to bring.
 */
bool pgc_fault_uffd_may_wait(const struct pgc_fault *f, bool wp);
/* A SIGSEGV raised by a page fault: no mapping, pkey, write, exec. */
enum pgc_fault_class pgc_segv_classify(bool maperr, bool pkey, bool write,
				       bool exec);
const char *pgc_fault_class_name(enum pgc_fault_class fc);

#endif /* PGC_CORE_FAULT_H */
