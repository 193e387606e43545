// SPDX-License-Identifier: GPL-2.0
/*
 * The knobs: name, unit, range, default and why, written here once.
 * sysfs, the PFF controller's checks and the debugfs file `knobs` (which
 * the CLI and the docs' test read) all take them from these tables.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <asm/page.h>
#include <linux/threads.h>
#include "core/knob.h"
#include "core/hand.h"

const struct pgc_knob_desc pgc_knob_descs[PGC_K_NR] = {
	[PGC_K_AD_INTERVAL_MS] = {
		"ad", "interval_ms", "ms", 100, 3600000, 0, true,
		"periodic A/D sweeps; under 100 ms a large process's mmap lock would stay busy"
	},
	[PGC_K_AD_FLUSH] = {
		"ad", "flush", "bool", 0, 1, 0, true,
		"off like the kernel's reclaim: a flush costs an IPI per CPU running the process"
	},
	[PGC_K_CLOCK_ENABLED] = {
		"clock", "enabled", "bool", 0, 1, 1, true,
		"on: adding a target is the opt-in; off stops sweeping and keeps the targets"
	},
	[PGC_K_CLOCK_INTERVAL_MS] = {
		"clock", "interval_ms", "ms", 10, 60000, 100, false,
		"how often budgets are checked; a shrinker call wakes the worker at once"
	},
	[PGC_K_CLOCK_QUOTA] = {
		"clock", "quota", "pages", 64, 65536, 8192, false,
		"pages passed under one mmap lock hold: about 0.15 ms at 8192 under TCG"
	},
	[PGC_K_CLOCK_CLEAN_SCAN_PCT] = {
		"clock", "clean_scan_pct", "%", 1, 100, 25, false,
		"clean victims sought alone this far: 25 faulted 15% less than the stock kernel"
	},
	[PGC_K_FAULTS_DETAIL] = {
		"faults", "detail", "bool", 0, 1, 0, true,
		"off: fault classes cost only while asked for (a target, stat); on: always, about 20% of fault throughput under TCG"
	},
	[PGC_K_FAULTS_HOOK] = {
		"faults", "hook", "enum", 0, PGC_FAULT_HOOK_NR - 1, PGC_FAULT_HOOK_AUTO, false,
		"0 kretprobe: exact for every outcome, all processes pay 7% while one is measured; 1 tp: others pay 3-4%, see abi.md; 2 auto: tp, the kretprobe while a CLOCK target is"
	},
};

const struct pgc_knob_desc pgc_target_descs[PGC_T_KNOB0] = {
	[PGC_T_PID] = {
		"targets", "pid", "pid", 1, PID_MAX_LIMIT, 0, true,
		"any process id the kernel can hand out; 0: none named yet"
	},
	[PGC_T_BUDGET] = {
		"targets", "budget_pages", "pages", 1, PGC_KNOB_RAM, 0, true,
		"0: no budget (pages given only when reclaim asks), or where PFF is"
	},
	[PGC_T_PFF] = {
		"pff", "enabled", "bool", 0, 1, 0, false,
		"off: the budget is the user's; on: a PFF controller moves it"
	},
};

const struct pgc_knob_desc pgc_pff_knob_descs[PGC_PFF_NKNOBS] = {
	[PGC_PFF_K_LOW] = {
		"pff", "low", "faults/s", 0, 1000000, 20, false,
		"below it the budget is lowered: a tenth of high's stall"
	},
	[PGC_PFF_K_HIGH] = {
		"pff", "high", "faults/s", 1, 1000000, 200, false,
		"above it the budget is raised: 0.4-2% of CPU time waiting on 20-100 us faults"
	},
	[PGC_PFF_K_MIN] = {
		"pff", "min", "pages", 1, PGC_KNOB_RAM, 256, false,
		"1 MiB: below it the process's own code and stack would be evicted"
	},
	[PGC_PFF_K_MAX] = {
		"pff", "max", "pages", 1, PGC_KNOB_RAM, PGC_KNOB_RAM, false,
		"all of RAM"
	},
	[PGC_PFF_K_STEP] = {
		"pff", "step", "pages", 1, PGC_KNOB_RAM, 1024, false,
		"4 MiB, what the CLOCK sheds in a sweep: a cut is done before the next decision"
	},
	[PGC_PFF_K_WINDOW_MS] = {
		"pff", "window_ms", "ms", 10, 60000, 200, false,
		"4 faults at low, 40 at high: one stray fault does not decide"
	},
};

/* The numbers of enum pgc_hand_policy; k as include/core/hand.h bounds it. */
const struct pgc_knob_desc pgc_hand_knob_descs[PGC_HAND_NKNOBS] = {
	[PGC_HAND_K_POLICY] = {
		"hand", "policy", "enum", 0, PGC_HAND_NR - 1, PGC_HAND_ESC, false,
		"0 esc (one bit), 1 age, 2 gclock: no policy is at or below esc on every bench/hand workload"
	},
	[PGC_HAND_K_K] = {
		"hand", "k", "laps", 0, PGC_HAND_K_MAX, 4, false,
		"age: idle laps before a victim; gclock: most laps of credit; 4 did best of 2-6 in bench/hand"
	},
};

int pgc_knob_check(const struct pgc_knob_desc *d, u64 v, u64 ram_pages)
{
	if (v == 0 && d->zero_off)
		return 0;
	if (v < pgc_knob_bound(d->min, ram_pages) ||
	    v > pgc_knob_bound(d->max, ram_pages))
		return -ERANGE;
	return 0;
}
