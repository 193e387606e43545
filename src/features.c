// SPDX-License-Identifier: GPL-2.0
/*
 * The capabilities: the CPU's IBT state, the non-exported functions
 * pageclock may call (probed once at load) and the hooks (src/hooks.c),
 * listed in debugfs "features", one line each:
 *
 *	<name> <state> <why>
 *
 * where state is "attached" (in use now), "available" (present and usable
 * on this kernel) or "unavailable" (absent or unsafe; why says which).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/seq_file.h>
#include <linux/string.h>
#include "features.h"
#include "hooks.h"
#include "compat.h"

/* Non-exported functions, and what each is needed for. */
static struct pgc_feature_sym {
	struct pgc_symbol sym;
	const char *use;
} pgc_syms[PGC_SYM_NR] = {
	[PGC_SYM_DO_MADVISE] = { { .name = "do_madvise" },
				 "eviction through MADV_PAGEOUT" },
	[PGC_SYM_RECLAIM_PAGES] = { { .name = "reclaim_pages" },
				    "CLOCK eviction in one batch a pass" },
	[PGC_SYM_FOLIO_ISOLATE_LRU] = { { .name = "folio_isolate_lru" },
					"CLOCK eviction in one batch a pass" },
	[PGC_SYM_FLUSH_TLB_MM_RANGE] = { { .name = "flush_tlb_mm_range" },
					 "TLB flush after A-bit clear" },
	[PGC_SYM_FLUSH_TLB_ALL] = { { .name = "__flush_tlb_all" },
		"TLB flush after A-bit clear where flush_tlb_mm_range cannot be called (exported to KVM only since 6.19)"
	},
};

/* The entry of @id if it may be called through a pointer here, else 0. */
unsigned long pgc_sym_callable(enum pgc_sym_id id)
{
	return pgc_syms[id].sym.callable ? pgc_syms[id].sym.addr : 0;
}

void pgc_features_probe(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(pgc_syms); i++) {
		pgc_symbol_resolve(&pgc_syms[i].sym);
		if (!pgc_prototypes_checked())
			pgc_syms[i].sym.callable = false;
	}
	if (!pgc_prototypes_checked())
		pr_warn("prototypes checked on %s only, not on %d.%d: no non-exported function is called (see features)\n",
			PGC_PROTOTYPES_CHECKED, LINUX_VERSION_CODE >> 16,
			(LINUX_VERSION_CODE >> 8) & 0xff);
}

unsigned int pgc_features_available(unsigned int *total)
{
	unsigned int n = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(pgc_syms); i++)
		n += pgc_syms[i].sym.callable;
	*total = ARRAY_SIZE(pgc_syms);
	return n;
}

static void pgc_show_sym(struct seq_file *m, const struct pgc_feature_sym *f)
{
	const struct pgc_symbol *s = &f->sym;

	seq_printf(m, "sym:%-22s ", s->name);
	if (s->err)
		seq_printf(m, "unavailable not found by kprobe (error %d); needed for %s\n",
			   s->err, f->use);
	else if (!pgc_prototypes_checked())
		seq_printf(m, "unavailable prototype not checked on this kernel (checked on %s only): a changed one would be called wrongly; needed for %s\n",
			   PGC_PROTOTYPES_CHECKED, f->use);
	else if (!s->callable)
		seq_printf(m, "unavailable entry=%s: sealed by IBT, an indirect call would fault; needed for %s\n",
			   pgc_entry_name(s->entry), f->use);
	else
		seq_printf(m, "available   entry=%s, callable with IBT %s; for %s\n",
			   pgc_entry_name(s->entry),
			   pgc_ibt_enforced() ? "enforced" : "off", f->use);
}

int pgc_features_show(struct seq_file *m, void *unused)
{
	int i;

	seq_printf(m, "%-26s %-11s %s\n", "ibt",
		   pgc_ibt_enforced() ? "enforced" : "off",
		   pgc_ibt_enforced() ?
		   "CPU enforces IBT: only functions with ENDBR are called" :
		   "CPU does not enforce IBT: resolved functions are callable");
	/*
	 * The kernel's reclaim clears a young bit through the MMU notifiers
	 * too (KVM, devices that map a process's memory); the function it
	 * uses is not exported, and a call into it could not be tested here.
	 */
	seq_printf(m, "%-26s %-11s %s\n", "mmu_notifier", "unavailable",
		   "Accessed bits are read and cleared in the page tables only: accesses through a secondary MMU (a KVM guest, a device) to a process's memory are not seen (__mmu_notifier_clear_young is not exported)");
	if (pgc_tlb_broadcast())
		seq_printf(m, "%-26s %-11s %s\n", "tlb_broadcast", "used",
			   "this kernel shoots down other CPUs' TLB entries by INVLPGB broadcast, which sends no IPI: those shootdowns are not in tlb's counts");
	else
		seq_printf(m, "%-26s %-11s %s\n", "tlb_broadcast", "off",
			   "no INVLPGB broadcast flushes here: every shootdown is an IPI, counted in tlb");
	for (i = 0; i < ARRAY_SIZE(pgc_syms); i++)
		pgc_show_sym(m, &pgc_syms[i]);
	pgc_hooks_show(m);
	return 0;
}
