/* SPDX-License-Identifier: GPL-2.0 */
/*
 * src/clock/: CLOCK with the dirty bit for target processes (the
 * folder's own declarations are in src/clock/internal.h).
 */
#ifndef PGC_CLOCK_H
#define PGC_CLOCK_H

#include <linux/types.h>
#include "core.h"

struct kobject;
struct pid;
struct seq_file;

int pgc_clock_init(void);
void pgc_clock_exit(void);

/* sysfs targets/<n>/ under @root (src/clock/sysfs.c). */
int pgc_clock_sysfs_init(struct kobject *root);
void pgc_clock_sysfs_exit(void);
int pgc_clock_reschedule(void);
int pgc_clock_show(struct seq_file *m, void *unused);
int pgc_clock_pff_show(struct seq_file *m, void *unused);
bool pgc_clock_is_target(struct pid *pid);
void pgc_clock_ad_cleared(struct pid *pid, u64 n);

#endif /* PGC_CLOCK_H */
