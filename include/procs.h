/* SPDX-License-Identifier: GPL-2.0 */
/* src/procs.c: per-process statistics, a bounded table; it knows no policy. */
#ifndef PGC_PROCS_H
#define PGC_PROCS_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include "core.h"

struct seq_file;
struct task_struct;
extern const struct seq_operations pgc_procs_seq_ops;

struct pgc_proc {
	pid_t tgid;		/* 0: free slot */
	pid_t ppid;
	u64 id;			/* unique over the module's life */
	u64 parent_id;		/* id of the parent's entry, 0 if none */
	u32 parent_slot;
	bool exited;
	u64 exit_ns;
	bool reusable;		/* exited, and exit_gp set */
	unsigned long exit_gp;	/* RCU grace period started at the exit */
	char comm[TASK_COMM_LEN];
	atomic64_t minor, major;	/* as the kernel's min_flt/maj_flt */
	atomic64_t fc[PGC_FC_NR];	/* faults by class */
	atomic64_t fc_ns[PGC_FC_NR];	/* time in handle_mm_fault by class */
	atomic64_t hist[PGC_HIST_BUCKETS];	/* latency of all classes */
	/* Copy-on-write after fork (src/cow.c). */
	u64 child_fork;		/* fork record where this is the child */
	u64 parent_fork;	/* this process's latest open fork */
	atomic64_t forks;
	atomic64_t cow_shared;	/* sum of S over its forks */
	atomic64_t cow_copies;	/* sum of c over its forks */
	/* The fault consumer's own number for it (src/faults.c); 0: none. */
	unsigned int fault_watch;
	/*
	 * Bits of the debugfs "detail" holders that measure this process
	 * (src/hooks.c), passed to its children at fork.
	 */
	atomic_long_t detail;
	/* TLB flushes its threads started (src/tlb.c). */
	atomic64_t tlb_local, tlb_sent, tlb_targets;
	/* Last (a reset clears what is before it); odd while it runs. */
	seqcount_t seq;
};

int pgc_procs_init(void);
void pgc_procs_exit(void);
struct pgc_proc *pgc_proc_get(struct task_struct *tsk, bool create);
struct pgc_proc *pgc_proc_parent(struct pgc_proc *p);
bool pgc_proc_same(struct pgc_proc *p, u64 id);
void pgc_proc_exited(struct task_struct *tsk);
void pgc_copy_comm(char dst[TASK_COMM_LEN], struct task_struct *tsk);
void pgc_seq_comm(struct seq_file *m, const char *comm);
u64 pgc_procs_dropped(void);
void pgc_procs_detail_clear(unsigned int bit);

#endif /* PGC_PROCS_H */
