/* SPDX-License-Identifier: GPL-2.0 */
/* src/hooks.c: every kprobe and tracepoint, as one table. */
#ifndef PGC_HOOKS_H
#define PGC_HOOKS_H

#include <linux/bits.h>
#include <linux/types.h>

#include <linux/fs.h>

#include "procs.h"

struct kretprobe;
struct seq_file;

void pgc_hooks_init(void);
int pgc_hooks_install(void);
void pgc_hooks_uninstall(void);
void pgc_hooks_show(struct seq_file *m);
unsigned int pgc_hooks_attached(unsigned int *total, unsigned int *on_demand);

/*
 * The on-demand hooks (the fault kretprobe or tracepoints): holders and
 * faults/detail.  A holder asks for every process (an open debugfs
 * detail, faults/detail) or for some only (a detail file given pids; a
 * CLOCK target): faults of other processes are then declined at the
 * hook's entry.
 */
enum pgc_demand { PGC_DEMAND_ALL, PGC_DEMAND_SOME, PGC_DEMAND_TARGET };
int pgc_hooks_demand_get(enum pgc_demand d);
void pgc_hooks_demand_put(enum pgc_demand d);
int pgc_hooks_demand_changed(void);
u64 pgc_hooks_missed(const struct kretprobe *krp);
bool pgc_hooks_faults_on(void);
bool pgc_hooks_fault_tp_on(void);
unsigned long pgc_hooks_fault_switches(void);
int pgc_hooks_hook_changed(void);
bool pgc_hooks_fault_tp_serves(enum pgc_demand d);

/* In a process's "detail" and a fork's: measured while every process is. */
#define PGC_DETAIL_ALL		BIT(BITS_PER_LONG - 1)
/* Bits for detail files given pids: the others. */
#define PGC_DETAIL_FILES	(BITS_PER_LONG - 1)
/*
 * Every process measured now, and the detail files' bits that measure
 * some (a process's bits count only while live): read by the hooks.
 */
extern bool pgc_detail_all;
extern unsigned long pgc_detail_bits;

/* The live detail bits of process entry @p (NULL: none). */
static inline unsigned long pgc_proc_detail(struct pgc_proc *p)
{
	return p ? atomic_long_read(&p->detail) & READ_ONCE(pgc_detail_bits) : 0;
}

extern const struct file_operations pgc_detail_fops;

#endif /* PGC_HOOKS_H */
