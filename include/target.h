/* SPDX-License-Identifier: GPL-2.0 */
/* src/target.c: the process a user names by its id. */
#ifndef PGC_TARGET_H
#define PGC_TARGET_H

#include <linux/types.h>

struct mm_struct;
struct pid;
struct task_struct;

int pgc_target_get(pid_t nr, struct task_struct **tskp, struct mm_struct **mmp);
int pgc_parse_pid_user(const char __user *buf, size_t count, pid_t *pid);
struct mm_struct *pgc_pid_mm(struct pid *pid);
struct pid *pgc_process_pid(pid_t nr);
struct pid *pgc_group_pid(struct task_struct *tsk);

#endif /* PGC_TARGET_H */
