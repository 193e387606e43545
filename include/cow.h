/* SPDX-License-Identifier: GPL-2.0 */
/* src/cow.c: copy-on-write efficiency of forks. */
#ifndef PGC_COW_H
#define PGC_COW_H

#include <linux/types.h>

struct linux_binprm;
struct seq_file;
struct task_struct;
struct pgc_proc;

int pgc_forks_show(struct seq_file *m, void *unused);
void pgc_on_fork(void *data, struct task_struct *parent,
		 struct task_struct *child);
void pgc_on_exec(void *data, struct task_struct *p, pid_t old_pid,
		 struct linux_binprm *bprm);
void pgc_cow_copied(struct pgc_proc *p);
void pgc_cow_unwatched(unsigned long live);

#endif /* PGC_COW_H */
