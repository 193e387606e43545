/* SPDX-License-Identifier: GPL-2.0 */
/* src/ad.c: Accessed/Dirty sweeps of one target process. */
#ifndef PGC_AD_H
#define PGC_AD_H

#include <linux/types.h>

struct seq_file;
struct mm_struct;

int pgc_ad_show(struct seq_file *m, void *unused);
int pgc_ad_set_target(pid_t nr);
int pgc_ad_command(const char *text, size_t count);
pid_t pgc_ad_target_nr(void);
int pgc_ad_reschedule(void);
bool pgc_ad_hold(struct mm_struct *mm);
void pgc_ad_release(void);
void pgc_ad_exit(void);

#endif /* PGC_AD_H */
