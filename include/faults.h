/* SPDX-License-Identifier: GPL-2.0 */
/* src/faults.c: the fault classifier's hooks and statistics. */
#ifndef PGC_FAULTS_H
#define PGC_FAULTS_H

#include <linux/types.h>

#include "hooks.h"

struct kernel_siginfo;
struct kretprobe;
struct mm_struct;
struct pt_regs;
struct seq_file;
struct task_struct;
struct pgc_fault;
struct pgc_proc;

int pgc_faults_show(struct seq_file *m, void *unused);
int pgc_faults_init(void);
void pgc_faults_exit(void);
extern struct kretprobe pgc_fault_krp;
/*
 * A policy that wants the faults of the processes it marks (a non-zero
 * pgc_proc.fault_watch of its choosing), called from the fault hook, in
 * the faulting task, after the fault: no sleeping.  @mm: the faulted
 * address space (a remote fault's is not current's).  Set before the
 * hooks attach, cleared after they are gone.
 */
typedef void (*pgc_fault_consumer_fn)(struct pgc_proc *p, struct mm_struct *mm,
				      unsigned long addr,
				      const struct pgc_fault *f);
void pgc_faults_set_consumer(pgc_fault_consumer_fn fn);
/* faults/hook=tp: the #PF tracepoints' probe, a thread's exit. */
void pgc_fault_tp_entry(void *data, unsigned long addr, struct pt_regs *regs,
			unsigned long error_code);
void pgc_fault_tp_thread_exit(struct task_struct *t);
void pgc_fault_tp_new_gen(void);
void pgc_fault_tp_set_live(bool live);
bool pgc_fault_tp_is_live(void);
/*
 * The perf events that end a measured process's faults under the
 * tracepoint hook, given by whoever measures it (enum pgc_demand) and
 * taken back when it stops: NULL where the kretprobe measures it, or an
 * ERR_PTR.
 */
struct pgc_fevents;
struct pgc_fevents *pgc_fevents_attach(struct task_struct *tsk,
				       enum pgc_demand d);
void pgc_fevents_chain(struct pgc_fevents *fe, struct pgc_fevents *next);
unsigned int pgc_fevents_count(struct pgc_fevents **chain,
			       struct task_struct *tsk, bool *has,
			       struct pgc_fevents **dead);
void pgc_fevents_detach(struct pgc_fevents *fe);
void pgc_on_signal(void *data, int sig, struct kernel_siginfo *info,
		   struct task_struct *task, int group, int result);

#endif /* PGC_FAULTS_H */
