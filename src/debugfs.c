// SPDX-License-Identifier: GPL-2.0
/*
 * Statistics in /sys/kernel/debug/pageclock/: read-only, root-only text.
 * debugfs_create_*() results are deliberately not checked: debugfs may be
 * absent or locked down, and the module must work without it.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>
#include "pageclock.h"

static struct dentry *pgc_debugfs_root;

static int pgc_version_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "pageclock %s kernel %s\n", PGC_VERSION,
		   utsname()->release);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pgc_version);

static int pgc_features_file_show(struct seq_file *m, void *unused)
{
	pgc_features_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pgc_features_file);

void pgc_debugfs_init(void)
{
	pgc_debugfs_root = debugfs_create_dir("pageclock", NULL);
	debugfs_create_file("version", 0400, pgc_debugfs_root, NULL,
			    &pgc_version_fops);
	debugfs_create_file("features", 0400, pgc_debugfs_root, NULL,
			    &pgc_features_file_fops);
}

void pgc_debugfs_exit(void)
{
	debugfs_remove_recursive(pgc_debugfs_root);
}
