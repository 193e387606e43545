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
#include "features.h"
#include "hooks.h"
#include "procs.h"
#include "faults.h"
#include "tlb.h"
#include "knobs.h"
#include "ad.h"
#include "clock.h"
#include "interfaces.h"

static int __init pgc_init(void)
{
	unsigned int hooks, nhooks, ndemand, syms, nsyms;
	int err;

	pgc_features_probe();
	/* Before anything reads them: the worker, the shrinker, the sweeps. */
	pgc_knobs_init();
	pgc_hooks_init();

	err = pgc_procs_init();
	if (err)
		goto fail;
	err = pgc_faults_init();
	if (err)
		goto fail_procs;
	err = pgc_tlb_init();
	if (err)
		goto fail_faults;
	err = pgc_clock_init();
	if (err)
		goto fail_tlb;
	/*
	 * Hooks feed the structures above from the moment they attach.
	 * Before the interfaces: a debugfs file opened during a load that
	 * failed after it would outlive the module.
	 */
	err = pgc_hooks_install();
	if (err)
		goto fail_ad;
	err = pgc_sysfs_init();
	if (err)
		goto fail_hooks;
	err = pgc_debugfs_init();
	if (err)
		goto fail_sysfs;

	hooks = pgc_hooks_attached(&nhooks, &ndemand);
	syms = pgc_features_available(&nsyms);
	pr_info("loaded (version %s, kernel %s, hooks: %u of %u attached, %u on demand, functions: %u of %u callable)\n",
		PGC_VERSION, utsname()->release, hooks, nhooks, ndemand, syms,
		nsyms);
	return 0;

fail_sysfs:
	pgc_sysfs_exit();
fail_hooks:
	pgc_hooks_uninstall();
fail_ad:
	/* A root write while sysfs was up may have started the A/D sweeps. */
	pgc_ad_exit();
	pgc_clock_exit();
fail_tlb:
	pgc_tlb_exit();
fail_faults:
	pgc_faults_exit();
fail_procs:
	pgc_procs_exit();
fail:
	pr_err("load failed: %d\n", err);
	return err;
}

static void __exit pgc_exit(void)
{
	pgc_hooks_uninstall();
	pgc_debugfs_exit();
	pgc_sysfs_exit();
	pgc_clock_exit();
	pgc_ad_exit();
	pgc_tlb_exit();
	pgc_faults_exit();
	pgc_procs_exit();
	pr_info("unloaded\n");
}

module_init(pgc_init);
module_exit(pgc_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The pageclock developers");
MODULE_DESCRIPTION("CLOCK page replacement, PFF budgets and MMU observability");
MODULE_VERSION(PGC_VERSION);
