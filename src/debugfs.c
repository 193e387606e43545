// SPDX-License-Identifier: GPL-2.0
/*
 * Statistics in /sys/kernel/debug/pageclock/: root-only text; files that
 * take a request (a process id) are also writable.
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

static int pgc_faults_file_show(struct seq_file *m, void *unused)
{
	return pgc_faults_show(m, unused);
}
DEFINE_SHOW_ATTRIBUTE(pgc_faults_file);

static int pgc_forks_file_show(struct seq_file *m, void *unused)
{
	return pgc_forks_show(m, unused);
}
DEFINE_SHOW_ATTRIBUTE(pgc_forks_file);

static int pgc_tlb_file_show(struct seq_file *m, void *unused)
{
	return pgc_tlb_show(m, unused);
}
DEFINE_SHOW_ATTRIBUTE(pgc_tlb_file);

static int pgc_clock_file_show(struct seq_file *m, void *unused)
{
	return pgc_clock_show(m, unused);
}
DEFINE_SHOW_ATTRIBUTE(pgc_clock_file);

static int pgc_pff_file_show(struct seq_file *m, void *unused)
{
	return pgc_clock_pff_show(m, unused);
}
DEFINE_SHOW_ATTRIBUTE(pgc_pff_file);

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

static const struct {
	const char *name;
	umode_t mode;
	const struct file_operations *fops;
} pgc_debugfs_files[] = {
	{ "version", 0400, &pgc_version_fops },
	{ "features", 0400, &pgc_features_file_fops },
	{ "faults", 0400, &pgc_faults_file_fops },
	{ "procs", 0400, &pgc_procs_fops },
	{ "forks", 0400, &pgc_forks_file_fops },
	{ "pt", 0600, &pgc_pt_fops },
	{ "tlb", 0400, &pgc_tlb_file_fops },
	{ "ad", 0400, &pgc_ad_fops },
	{ "clock", 0400, &pgc_clock_file_fops },
	{ "pff", 0400, &pgc_pff_file_fops },
	{ "knobs", 0400, &pgc_knobs_fops },
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
					pgc_debugfs_root, NULL,
					pgc_debugfs_files[i].fops);
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
