/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything that differs between the supported kernels, in one place.
 * Supported: Debian bookworm 6.1 LTS and bookworm-backports 6.12 LTS.
 * Each shim says since which version the difference exists.
 */
#ifndef PGC_COMPAT_H
#define PGC_COMPAT_H

#include <linux/version.h>
#include <asm/cpufeature.h>
#include <linux/mm.h>
#include <linux/page_idle.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "pageclock supports Linux 6.1 and later"
#endif

#ifndef CONFIG_KPROBES
#error "pageclock needs CONFIG_KPROBES (symbol resolution and fault hooks)"
#endif

/*
 * Indirect Branch Tracking enforced by the CPU (X86_FEATURE_IBT since 5.18;
 * Debian enables X86_KERNEL_IBT since its 6.12 builds).  When compiled out,
 * cpu_feature_enabled() folds to false.
 */
static inline bool pgc_ibt_enforced(void)
{
	return cpu_feature_enabled(X86_FEATURE_IBT);
}

/*
 * Read a pmd that may change under us.  pmdp_get_lockless() is generic
 * since 6.5; before, x86-64 reads a pmd in one load.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define pgc_pmdp_get_lockless(pmdp)	pmdp_get_lockless(pmdp)
#else
#define pgc_pmdp_get_lockless(pmdp)	READ_ONCE(*(pmdp))
#endif

/*
 * The "pages" of a tlb_flush event that flushed everything: x86's
 * TLB_FLUSH_ALL, kept from modules in asm/tlbflush.h (since 4.x).
 */
#define PGC_TLB_FLUSH_ALL	(-1UL)

/*
 * After clearing a page's Accessed bit, leave reclaim the reference it
 * would have seen: folio_referenced() also tests the page_idle "young"
 * flag.  It exists with CONFIG_PAGE_IDLE_FLAG (Debian's 6.12, where MGLRU
 * selects it; not Debian's 6.1, whose reclaim then sees the page as
 * unreferenced until it is touched again).
 */
static inline void pgc_keep_young(unsigned long pfn)
{
#ifdef CONFIG_PAGE_IDLE_FLAG
	if (pfn_valid(pfn))
		folio_set_young(page_folio(pfn_to_page(pfn)));
#endif
}

#endif /* PGC_COMPAT_H */
