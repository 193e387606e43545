/* SPDX-License-Identifier: GPL-2.0 */
/* Page-Fault-Frequency controller (src/core/pff.c). */
#ifndef PGC_CORE_PFF_H
#define PGC_CORE_PFF_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/limits.h>
#include "core/knob.h"

/* Windows below low before the first lowering. */
#define PGC_PFF_CALM		2
/* Windows after a raise in which the budget is not lowered. */
#define PGC_PFF_HOLD		4
/* Raises in a row double the step, up to this many times the step. */
#define PGC_PFF_BURST		8
/*
 * While the judged samples find nothing to give back, each next one comes
 * after twice as many windows, up to 2^PGC_PFF_SPARSE_SHIFT: a steady
 * process is not walked and flushed every window for nothing.  The
 * window before a judged sample is sampled too, unjudged: it clears the
 * Accessed bits, so that the judged one sees one window, not the gap.
 */
#define PGC_PFF_SPARSE_SHIFT	3
#define PGC_PFF_SPARSE		BIT(PGC_PFF_SPARSE_SHIFT)
/* pgc_pff_tick()'s @idle when the window was not sampled. */
#define PGC_PFF_NO_SAMPLE	U64_MAX

/* The controller's state, between decisions. */
struct pgc_pff {
	u64 cpu_ns, faults;	/* at the start of the current window */
	u64 rate, prev_rate;	/* of the last two windows */
	u64 prev_rss;		/* at the end of the last window */
	u32 calm;		/* consecutive windows below low */
	u32 hold;		/* windows left before lowering is allowed */
	u32 burst;		/* raises in a row: the next one moves 2^burst steps */
	bool settle;		/* the window after a raise: not judged */
	u32 quiet;		/* judged samples in a row with nothing to give back */
	u32 due_in;		/* windows before the next judged sample */
	bool fresh;		/* from pgc_pff_init() until its first prime */
	u64 windows, raises, lowers, guarded;
};

enum pgc_pff_move {
	PGC_PFF_WAIT,		/* the window has not seen enough CPU time */
	PGC_PFF_STAY,		/* rate in [low, high], or no room to move */
	PGC_PFF_RAISE,
	PGC_PFF_LOWER,
	PGC_PFF_GUARD,		/* would lower, but memory is under pressure */
};

const char *pgc_pff_move_name(enum pgc_pff_move m);

void pgc_pff_defaults(struct pgc_pff_knobs *k, u64 max_pages);

/* Knob @i of @k (enum pgc_pff_knob_id). */
u64 *pgc_pff_knob(struct pgc_pff_knobs *k, unsigned int i);

/* 0, or -EINVAL unless each knob is in its range, low < high, min <= max. */
int pgc_pff_check(const struct pgc_pff_knobs *k, u64 max_pages);

/* Has the window seen its CPU time by @cpu_ns? */
bool pgc_pff_window_done(const struct pgc_pff_knobs *k, const struct pgc_pff *s,
			 u64 cpu_ns);

/* Start a window at the process's CPU time and signal-fault count. */
void pgc_pff_start(struct pgc_pff *s, u64 cpu_ns, u64 faults);

/*
 * A new controller, at the process's CPU time, signal faults and @rss:
 * its first calm window primes the bits, so that none is judged by bits
 * set before it began.
 */
void pgc_pff_init(struct pgc_pff *s, u64 cpu_ns, u64 faults, u64 rss);

/* What pgc_pff_wants_sample() asks of the caller. */
enum pgc_pff_sample {
	PGC_PFF_SAMPLE_NONE,	/* no walk; the tick gets PGC_PFF_NO_SAMPLE */
	PGC_PFF_SAMPLE_PRIME,	/* walk to clear the bits; PGC_PFF_NO_SAMPLE */
	PGC_PFF_SAMPLE_JUDGE,	/* walk; the tick gets the idle pages */
};

/*
 * Does pgc_pff_tick() at @cpu_ns and @faults want a sample of the idle
 * pages?  Only at the end of a window whose rate is below low, and then,
 * while the samples find nothing to give back, only for the judged
 * window of every few and, to clear the bits, the one before it.
 */
enum pgc_pff_sample pgc_pff_wants_sample(const struct pgc_pff_knobs *k,
					 const struct pgc_pff *s, u64 cpu_ns,
					 u64 faults);

/*
 * One look at a target: @cpu_ns of CPU time and @faults so far, @rss
 * pages resident, @idle of them not touched since the last sample
 * (PGC_PFF_NO_SAMPLE: none to judge, as pgc_pff_wants_sample() allows),
 * @pressure (the kernel is reclaiming).  At the end of a window, may move
 * *@budget; returns what it did.
 */
enum pgc_pff_move pgc_pff_tick(const struct pgc_pff_knobs *k,
			       struct pgc_pff *s, u64 cpu_ns, u64 faults,
			       u64 rss, u64 idle, bool pressure, u64 *budget);

/*
 * How far a target may grow past its budget in the current window, read
 * by its faults without the controller's lock: from signal fault @at on
 * (0: not in this window), by what the window's raise will add.
 */
struct pgc_pff_grow {
	u64 at;		/* more faults than high's rate over the window */
	u64 from;	/* the count at the window's start */
	u64 step;	/* the raise's least move now */
	u64 max;
};

void pgc_pff_grow_get(const struct pgc_pff_knobs *k, const struct pgc_pff *s,
		      u64 cpu_ns, struct pgc_pff_grow *g);

/* The pages a target of @budget may hold at signal fault @faults. */
u64 pgc_pff_grow_to(const struct pgc_pff_grow *g, u64 budget, u64 faults);

#endif /* PGC_CORE_PFF_H */
