/* SPDX-License-Identifier: GPL-2.0 */
/*
 * More than one bit of history for the CLOCK hand (src/core/hand.c,
 * Documentation/proposals/clock-history.md): AGE and GCLOCK beside the
 * enhanced second chance (ESC).  Each page has a history byte: the low
 * four bits a count, the high four a stamp of the lap that last judged
 * it, so that a byte left by a page long gone reads as new.
 */
#ifndef PGC_CORE_HAND_H
#define PGC_CORE_HAND_H

#include <linux/types.h>

enum pgc_hand_policy {
	PGC_HAND_ESC,		/* one bit: a victim at its first idle visit */
	PGC_HAND_AGE,		/* a victim after k idle laps */
	PGC_HAND_GCLOCK,	/* a credit, earned per used lap up to k */
	PGC_HAND_NR
};

#define PGC_HAND_K_MAX		15	/* the count's four bits */

struct pgc_hand_params {
	u8 policy;		/* enum pgc_hand_policy */
	u8 k;
};

/* What the hand does with a page it passes. */
enum pgc_hand_verdict {
	PGC_HAND_KEEP,		/* A=1: clear A, keep the page */
	PGC_HAND_SPARE,		/* A=0, kept for its history */
	PGC_HAND_CLEAN,		/* a victim, no write needed */
	PGC_HAND_DIRTY,		/* a victim whose eviction writes */
};

/* The stamp of @lap: 1 to 15, never 0 (0: a byte never judged). */
static inline u8 pgc_hist_stamp(u64 lap)
{
	return lap % 15 + 1;
}

/* Was the byte @h judged in @lap or one of the two laps before? */
bool pgc_hist_known(u8 h, u64 lap);

/* 0, or -ERANGE: ESC takes any k; AGE needs k >= 1; GCLOCK k <= 15. */
int pgc_hand_params_check(const struct pgc_hand_params *p);

/*
 * Judge a page the hand passes in lap @lap, with its history byte *@hist
 * (NULL: none, ESC), rewritten; @floor lowers the bar of a victim after
 * laps that only spared pages (pgc_hand_floor()); @starved as in
 * pgc_clock_judge().
 */
enum pgc_hand_verdict pgc_hand_judge(const struct pgc_hand_params *p,
				     u8 *hist, u64 lap, unsigned int floor,
				     bool accessed, bool dirty, bool starved);

/*
 * The floor after a lap that took @victims, cleared @kept A bits and
 * spared @spared pages: up by one after a lap that did nothing but
 * spare (the hand would go round for ever), else back to 0.
 */
unsigned int pgc_hand_floor(unsigned int floor, unsigned long victims,
			    unsigned long kept, unsigned long spared);

#endif /* PGC_CORE_HAND_H */
