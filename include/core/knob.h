/* SPDX-License-Identifier: GPL-2.0 */
/* Knobs (src/core/knob.c): each one's name, range and default. */
#ifndef PGC_CORE_KNOB_H
#define PGC_CORE_KNOB_H

#include <linux/types.h>
#include <linux/limits.h>

/* A bound or default that is the machine's RAM, in pages. */
#define PGC_KNOB_RAM		U64_MAX

/*
 * The module-wide knobs, one sysfs file each, in the directory their
 * scope names (Documentation/abi.md).
 */
enum pgc_knob_id {
	PGC_K_AD_INTERVAL_MS,
	PGC_K_AD_FLUSH,
	PGC_K_CLOCK_ENABLED,
	PGC_K_CLOCK_INTERVAL_MS,
	PGC_K_CLOCK_QUOTA,
	PGC_K_CLOCK_CLEAN_SCAN_PCT,
	PGC_K_FAULTS_DETAIL,
	PGC_K_FAULTS_HOOK,
	PGC_K_NR
};

/* faults/hook: how the fault classes are measured (src/faults.c). */
enum pgc_fault_hook {
	PGC_FAULT_HOOK_KRETPROBE,	/* a kretprobe on handle_mm_fault() */
	PGC_FAULT_HOOK_TP,		/* #PF tracepoints, perf fault events */
	PGC_FAULT_HOOK_AUTO,		/* tp but for CLOCK targets */
	PGC_FAULT_HOOK_NR
};

/* A target's PFF knobs (targets/<n>/pff/), in struct pgc_pff_knobs' order. */
enum pgc_pff_knob_id {
	PGC_PFF_K_LOW,
	PGC_PFF_K_HIGH,
	PGC_PFF_K_MIN,
	PGC_PFF_K_MAX,
	PGC_PFF_K_STEP,
	PGC_PFF_K_WINDOW_MS,
	PGC_PFF_NKNOBS
};

/* A target's hand policy (targets/<n>/hand/): struct pgc_hand_params. */
enum pgc_hand_knob_id {
	PGC_HAND_K_POLICY,
	PGC_HAND_K_K,
	PGC_HAND_NKNOBS
};

/*
 * One target's PFF knobs, in the order of enum pgc_pff_knob_id.  The fault
 * rate counts only faults that say the budget is too small (refaults of
 * pages the CLOCK evicted, major faults) per second of the process's own
 * CPU time (virtual time).
 */
struct pgc_pff_knobs {
	u64 low, high;		/* faults per CPU second: lower below, raise above */
	u64 min, max;		/* the budget's range, pages */
	u64 step;		/* pages per move */
	u64 window_ms;		/* CPU time per decision */
};

struct pgc_knob_desc {
	const char *scope;		/* its sysfs directory: clock, ad, pff */
	const char *name;
	const char *unit;
	u64 min, max, def;		/* PGC_KNOB_RAM: the machine's pages */
	bool zero_off;			/* 0 is also taken, and means off */
	const char *why;		/* the reason for the range and default */
};

/*
 * A target slot's other settings (sysfs targets/<n>/), then its PFF
 * knobs, then its hand's: one number file each, pgc_target_descs, then
 * pgc_pff_knob_descs, then pgc_hand_knob_descs.  debugfs "knobs" lists
 * only the knobs: a pid is no knob, a budget's range is the machine's
 * pages, PFF is on or off.
 */
enum pgc_target_val_id {
	PGC_T_PID,
	PGC_T_BUDGET,
	PGC_T_PFF,
	PGC_T_KNOB0,	/* + enum pgc_pff_knob_id */
	PGC_T_HAND0 = PGC_T_KNOB0 + PGC_PFF_NKNOBS,	/* + enum pgc_hand_knob_id */
	PGC_T_NR = PGC_T_HAND0 + PGC_HAND_NKNOBS
};

extern const struct pgc_knob_desc pgc_knob_descs[PGC_K_NR];
extern const struct pgc_knob_desc pgc_target_descs[PGC_T_KNOB0];
extern const struct pgc_knob_desc pgc_pff_knob_descs[PGC_PFF_NKNOBS];
extern const struct pgc_knob_desc pgc_hand_knob_descs[PGC_HAND_NKNOBS];

/* @v, or the machine's @ram_pages where @v is PGC_KNOB_RAM. */
static inline u64 pgc_knob_bound(u64 v, u64 ram_pages)
{
	return v == PGC_KNOB_RAM ? ram_pages : v;
}

/* 0 if @v is within @d's range on a machine of @ram_pages, else -ERANGE. */
int pgc_knob_check(const struct pgc_knob_desc *d, u64 v, u64 ram_pages);

#endif /* PGC_CORE_KNOB_H */
