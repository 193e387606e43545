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
static inline u8 pgc_hand_stamp(u64 lap)
{
	return lap % 15 + 1;
}

/* A byte is known for this many laps: its own and the two after it. */
#define PGC_HAND_KNOWN_LAPS	3

/* Was the byte @h judged in @lap or one of the laps before it still known? */
bool pgc_hand_known(u8 h, u64 lap);

/*
 * 0; -ERANGE for a policy or k out of range (k <= 15); -EINVAL for AGE
 * with k 0 (a victim before it was idle a lap).
 */
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

/* The hand's lap so far, and the floor its verdicts are judged with. */
struct pgc_hand_lap {
	unsigned long victims, kept, spared;
	unsigned int floor;
};

/*
 * A pass (or one step of the hand) that found @victims, kept @kept and
 * spared @spared; @wrapped: it ended the lap, which moves the floor
 * (pgc_hand_floor()) and starts the next.
 */
void pgc_hand_pass(struct pgc_hand_lap *l, unsigned long victims,
		   unsigned long kept, unsigned long spared, bool wrapped);

/*
 * A sweep that ended short of its victims having spared pages: the floor
 * rises once, or the hard budget would wait laps for the history to
 * drain while the target grows.
 */
void pgc_hand_short(struct pgc_hand_lap *l);

#endif /* PGC_CORE_HAND_H */
