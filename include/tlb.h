/* SPDX-License-Identifier: GPL-2.0 */
/* src/tlb.c: TLB flushes and shootdowns, and the module's own flush. */
#ifndef PGC_TLB_H
#define PGC_TLB_H

struct mm_struct;
struct seq_file;
struct kprobe;
extern struct kprobe pgc_tlb_kp;
int pgc_tlb_init(void);
void pgc_tlb_exit(void);
void pgc_on_tlb_flush(void *data, int reason, unsigned long pages);
int pgc_tlb_show(struct seq_file *m, void *unused);
void pgc_tlb_flush_mm(struct mm_struct *mm);
bool pgc_tlb_can_flush(void);
const char *pgc_tlb_flush_method(void);

#endif /* PGC_TLB_H */
