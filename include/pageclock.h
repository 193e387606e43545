/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by the module's kernel-side files (src/). */
#ifndef PGC_PAGECLOCK_H
#define PGC_PAGECLOCK_H

#include <linux/types.h>
#include "core.h"

#define PGC_VERSION	"0.1.0"

struct seq_file;

/* src/features.c: what the running kernel offers, probed once at load. */
void pgc_features_probe(void);
void pgc_features_show(struct seq_file *m);
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

/* src/debugfs.c and src/sysfs.c: the two interfaces. */
void pgc_debugfs_init(void);
void pgc_debugfs_exit(void);
int pgc_sysfs_init(void);
void pgc_sysfs_exit(void);

#endif /* PGC_PAGECLOCK_H */
