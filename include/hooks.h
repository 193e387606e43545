/* SPDX-License-Identifier: GPL-2.0 */
/* src/hooks.c: every kprobe and tracepoint, as one table. */
#ifndef PGC_HOOKS_H
#define PGC_HOOKS_H

struct seq_file;

int pgc_hooks_install(void);
void pgc_hooks_uninstall(void);
void pgc_hooks_show(struct seq_file *m);
unsigned int pgc_hooks_attached(unsigned int *total);

#endif /* PGC_HOOKS_H */
