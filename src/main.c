// SPDX-License-Identifier: GPL-2.0
/*
 * pageclock: CLOCK-with-dirty-bit replacement, PFF budgets and MMU
 * observability for a stock kernel.  Load and unload live here; see
 * Documentation/design.md for the architecture.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/utsname.h>
#include "pageclock.h"

static int __init pgc_init(void)
{
	unsigned int avail, total;
	int err;

	pgc_features_probe();

	err = pgc_sysfs_init();
	if (err)
		goto fail;
	pgc_debugfs_init();

	avail = pgc_features_available(&total);
	pr_info("loaded (version %s, kernel %s, %u of %u capabilities available)\n",
		PGC_VERSION, utsname()->release, avail, total);
	return 0;

fail:
	pr_err("load failed: %d\n", err);
	return err;
}

static void __exit pgc_exit(void)
{
	pgc_debugfs_exit();
	pgc_sysfs_exit();
	pr_info("unloaded\n");
}

module_init(pgc_init);
module_exit(pgc_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The pageclock developers");
MODULE_DESCRIPTION("CLOCK page replacement, PFF budgets and MMU observability");
MODULE_VERSION(PGC_VERSION);
