// SPDX-License-Identifier: GPL-2.0
/*
 * Resolve non-exported kernel functions.  kallsyms_lookup_name() is not
 * exported since 5.7, so a kprobe is registered on the name, its address
 * read back and the kprobe removed.  Whether the result may be called
 * through a pointer is decided by pgc_entry_callable() (src/core/endbr.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/uaccess.h>
#include "features.h"
#include "compat.h"

void pgc_symbol_resolve(struct pgc_symbol *sym)
{
	/*
	 * Registered disabled: the address is found, the code never patched
	 * (an armed probe at a function's entry rewrites it through ftrace,
	 * twice per name and load, for nothing).
	 */
	struct kprobe kp = {
		.symbol_name = sym->name,
		.flags = KPROBE_FLAG_DISABLED,
	};
	unsigned long addr;
	unsigned int off;
	u32 word;

	sym->addr = 0;
	sym->callable = false;
	sym->entry = PGC_ENTRY_PLAIN;
	sym->err = register_kprobe(&kp);
	if (sym->err)
		return;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);

	/* The word before may belong to another function: read it safely. */
	if (copy_from_kernel_nofault(&word, (void *)(addr - sizeof(word)),
				     sizeof(word)))
		word = 0;
	sym->entry = pgc_entry_classify(word, &off);
	sym->addr = addr - off;
	sym->callable = pgc_entry_callable(sym->entry, pgc_ibt_enforced());
}
