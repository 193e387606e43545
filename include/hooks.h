/* SPDX-License-Identifier: GPL-2.0 */
/* src/hooks.c: every kprobe and tracepoint, as one table. */
#ifndef PGC_HOOKS_H
#define PGC_HOOKS_H

#include <linux/types.h>

#include <linux/fs.h>

struct kretprobe;
struct seq_file;

int pgc_hooks_install(void);
void pgc_hooks_uninstall(void);
void pgc_hooks_show(struct seq_file *m);
unsigned int pgc_hooks_attached(unsigned int *total, unsigned int *on_demand);

/* The on-demand hooks (the fault kretprobe): holders and faults/detail. */
int pgc_hooks_demand_get(void);
void pgc_hooks_demand_put(void);
int pgc_hooks_demand_changed(void);
u64 pgc_hooks_missed(const struct kretprobe *krp);
bool pgc_hooks_faults_on(void);
extern const struct file_operations pgc_detail_fops;

#endif /* PGC_HOOKS_H */
