/* SPDX-License-Identifier: GPL-2.0 */
/*
 * src/features.c: what the running kernel offers, probed once at load;
 * src/resolve.c finds the functions it names.
 */
#ifndef PGC_FEATURES_H
#define PGC_FEATURES_H

#include <linux/types.h>
#include "core.h"

struct seq_file;

enum pgc_sym_id {
	PGC_SYM_DO_MADVISE, PGC_SYM_RECLAIM_PAGES, PGC_SYM_FOLIO_ISOLATE_LRU,
	PGC_SYM_FLUSH_TLB_MM_RANGE, PGC_SYM_FLUSH_TLB_ALL, PGC_SYM_NR
};

void pgc_features_probe(void);
unsigned long pgc_sym_callable(enum pgc_sym_id id);
int pgc_features_show(struct seq_file *m, void *unused);
unsigned int pgc_features_available(unsigned int *total);

/* src/resolve.c: non-exported symbols, found through a kprobe. */
struct pgc_symbol {
	const char *name;
	unsigned long addr;	/* function entry; 0 if not found */
	enum pgc_entry entry;
	bool callable;		/* safe to call through a pointer here */
	int err;		/* register_kprobe() error if not found */
};

void pgc_symbol_resolve(struct pgc_symbol *sym);

#endif /* PGC_FEATURES_H */
