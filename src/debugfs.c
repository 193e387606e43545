// SPDX-License-Identifier: GPL-2.0
/*
 * Statistics in /sys/kernel/debug/pageclock/: root-only text that changes
 * no state (control is sysfs's); pt alone takes a write, the process it
 * shows for that open file.
 * All the files or none: a load that could not make one (no memory) fails
 * rather than leave a tree with holes that nothing would explain.  Without
 * debugfs at all (debugfs=off, not built or not set up) the module loads
 * with its sysfs controls only and says so once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>
#include "pageclock.h"
#include "features.h"
#include "pt.h"
#include "procs.h"
#include "faults.h"
#include "cow.h"
#include "tlb.h"
#include "knobs.h"
#include "ad.h"
#include "clock.h"
#include "interfaces.h"
#include "hooks.h"

static struct dentry *pgc_debugfs_root;

static int pgc_version_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "pageclock %s kernel %s\n", PGC_VERSION,
		   utsname()->release);
	return 0;
}

/* A file printed whole by one show function, which is the file's data. */
static int pgc_show_open(struct inode *inode, struct file *file)
{
	return single_open(file, inode->i_private, NULL);
}

static const struct file_operations pgc_show_fops = {
	.owner = THIS_MODULE,
	.open = pgc_show_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int pgc_procs_open(struct inode *inode, struct file *file)
{
	return seq_open(file, &pgc_procs_seq_ops);
}

static const struct file_operations pgc_procs_fops = {
	.owner = THIS_MODULE,
	.open = pgc_procs_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release,
};

/* Each file: its own operations, or a show function (mode 0400). */
static const struct {
	const char *name;
	umode_t mode;
	const struct file_operations *fops;
	int (*show)(struct seq_file *m, void *unused);
} pgc_debugfs_files[] = {
	{ "version", 0400, NULL, pgc_version_show },
	{ "features", 0400, NULL, pgc_features_show },
	{ "faults", 0400, NULL, pgc_faults_show },
	{ "procs", 0400, &pgc_procs_fops },
	{ "forks", 0400, NULL, pgc_forks_show },
	{ "pt", 0600, &pgc_pt_fops },
	{ "tlb", 0400, NULL, pgc_tlb_show },
	{ "ad", 0400, NULL, pgc_ad_show },
	{ "clock", 0400, NULL, pgc_clock_show },
	{ "pff", 0400, NULL, pgc_clock_pff_show },
	{ "knobs", 0400, NULL, pgc_knobs_show },
	{ "detail", 0600, &pgc_detail_fops },
};

int pgc_debugfs_init(void)
{
	struct dentry *d;
	int i;

	pgc_debugfs_root = debugfs_create_dir("pageclock", NULL);
	if (IS_ERR(pgc_debugfs_root)) {
		int err = PTR_ERR(pgc_debugfs_root);

		pgc_debugfs_root = NULL;
		/* Not built, debugfs=off, or never set up. */
		if (err != -ENODEV && err != -EPERM && err != -ENOENT)
			return err;
		pr_info("no debugfs (%d): statistics unavailable, sysfs controls only\n",
			err);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(pgc_debugfs_files); i++) {
		d = debugfs_create_file(pgc_debugfs_files[i].name,
					pgc_debugfs_files[i].mode,
					pgc_debugfs_root,
					pgc_debugfs_files[i].show,
					pgc_debugfs_files[i].fops ?: &pgc_show_fops);
		if (IS_ERR(d)) {
			pgc_debugfs_exit();
			return PTR_ERR(d);
		}
	}
	return 0;
}

void pgc_debugfs_exit(void)
{
	debugfs_remove_recursive(pgc_debugfs_root);
	pgc_debugfs_root = NULL;
}
