/* SPDX-License-Identifier: GPL-2.0 */
/* src/pff.c: the Page-Fault-Frequency controller of a CLOCK target. */
#ifndef PGC_PFF_H
#define PGC_PFF_H

#include <linux/types.h>
#include "core.h"

struct mm_struct;
struct pid;
struct seq_file;
struct pgc_pff_target;
struct pgc_pff_target *pgc_pff_alloc(void);
void pgc_pff_begin(struct pgc_pff_target *p, u64 cpu, u64 faults, u64 rss);
void pgc_pff_free(struct pgc_pff_target *p);
struct pgc_pff_knobs *pgc_pff_knobs(struct pgc_pff_target *p);
int pgc_pff_request(const struct pgc_target_req *req, unsigned long budget,
		    unsigned long rss, unsigned long *start);
int pgc_pff_sample(struct mm_struct *mm, unsigned long *idle, bool *torn);
u64 pgc_pff_cpu_ns(struct pid *pid);
enum pgc_pff_sample pgc_pff_due(struct pgc_pff_target *p, u64 cpu,
				u64 faults);
void pgc_pff_sampled(struct pgc_pff_target *p);
void pgc_pff_update(struct pgc_pff_target *p, u64 cpu, u64 faults,
		    unsigned long rss, u64 idle, u64 reclaims,
		    unsigned long *budget);
void pgc_pff_grow(const struct pgc_pff_target *p, u64 cpu,
		  struct pgc_pff_grow *g);
void pgc_pff_show(struct seq_file *m, pid_t nr, const struct pgc_pff_target *p,
		  unsigned long budget, unsigned long rss);

#endif /* PGC_PFF_H */
