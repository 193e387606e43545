/* SPDX-License-Identifier: GPL-2.0 */
/* src/sysfs.c: a module-wide knob's current value; debugfs "knobs". */
#ifndef PGC_KNOBS_H
#define PGC_KNOBS_H

#include "core.h"

struct seq_file;

void pgc_knobs_init(void);
unsigned int pgc_knob(enum pgc_knob_id id);
int pgc_knobs_show(struct seq_file *m, void *unused);

#endif /* PGC_KNOBS_H */
