/* SPDX-License-Identifier: GPL-2.0 */
/* src/pt.c: page-table shape of one process, debugfs "pt". */
#ifndef PGC_PT_H
#define PGC_PT_H

#include <linux/fs.h>

extern const struct file_operations pgc_pt_fops;

#endif /* PGC_PT_H */
