/* SPDX-License-Identifier: GPL-2.0 */
/* src/debugfs.c and src/sysfs.c: the two interfaces. */
#ifndef PGC_INTERFACES_H
#define PGC_INTERFACES_H

int pgc_debugfs_init(void);
void pgc_debugfs_exit(void);
int pgc_sysfs_init(void);
void pgc_sysfs_exit(void);

#endif /* PGC_INTERFACES_H */
