// SPDX-License-Identifier: GPL-2.0
/*
 * The CLOCK hand's policies with history (include/core/hand.h).  One bit
 * (ESC) cannot tell a page reused every other lap from one never reused
 * when the hand goes round faster than reuse: both read idle at the next
 * visit.  AGE(k) keeps a page until it has been idle k laps; GCLOCK(k)
 * gives a page a credit of one lap per lap it was seen used, up to k.  A
 * page the hand has not judged within the last three laps is new: its A
 * bit is its own first touch (a fault, or a scan's single touch), not a
 * reuse, so it earns nothing, and a scan cannot push out a page that was
 * reused.  AGE(1) and GCLOCK(0) are ESC.
 */
#include <linux/errno.h>
#include <linux/minmax.h>
#include "core/clock.h"
#include "core/hand.h"

#define PGC_HAND_COUNT	0x0f

bool pgc_hand_known(u8 h, u64 lap)
{
	u8 st = h >> 4;
	u64 back;

	if (!st)
		return false;
	/* A page is judged once a lap: three laps allow one missed visit. */
	for (back = 0; back < PGC_HAND_KNOWN_LAPS && back <= lap; back++)
		if (st == pgc_hand_stamp(lap - back))
			return true;
	return false;
}

int pgc_hand_params_check(const struct pgc_hand_params *p)
{
	if (p->policy >= PGC_HAND_NR || p->k > PGC_HAND_K_MAX)
		return -ERANGE;
	/* Each in its range, but not together: as PFF's low >= high. */
	return p->policy == PGC_HAND_AGE && !p->k ? -EINVAL : 0;
}

static enum pgc_hand_verdict pgc_hand_victim(bool dirty)
{
	return dirty ? PGC_HAND_DIRTY : PGC_HAND_CLEAN;
}

/* AGE(k): c is the idle laps; a new page starts one short of a victim. */
static enum pgc_hand_verdict pgc_hand_age(unsigned int k, unsigned int c,
					  bool known, unsigned int floor,
					  bool accessed, bool dirty,
					  unsigned int *out)
{
	if (!known)
		c = k - 1;
	if (accessed) {
		*out = known ? 0 : c;
		return PGC_HAND_KEEP;
	}
	*out = min(c + 1, (unsigned int)PGC_HAND_K_MAX);
	if (*out >= (k > floor + 1 ? k - floor : 1))
		return pgc_hand_victim(dirty);
	return PGC_HAND_SPARE;
}

/* GCLOCK(k): c is the credit; one more per used lap, one less per idle. */
static enum pgc_hand_verdict pgc_hand_gclock(unsigned int k, unsigned int c,
					     bool known, unsigned int floor,
					     bool accessed, bool dirty,
					     unsigned int *out)
{
	c = known ? min(c, k) : 0;
	if (accessed) {
		*out = known ? min(c + 1, k) : 0;
		return PGC_HAND_KEEP;
	}
	*out = c;
	if (c <= floor)
		return pgc_hand_victim(dirty);
	*out = c - 1;
	return PGC_HAND_SPARE;
}

enum pgc_hand_verdict pgc_hand_judge(const struct pgc_hand_params *p,
				     u8 *hist, u64 lap, unsigned int floor,
				     bool accessed, bool dirty, bool starved)
{
	unsigned int c, out;
	enum pgc_hand_verdict v;
	bool known;

	if (!hist || p->policy == PGC_HAND_ESC) {
		switch (pgc_clock_judge(accessed, dirty, starved)) {
		case PGC_CLOCK_SECOND_CHANCE:
			return PGC_HAND_KEEP;
		case PGC_CLOCK_CLEAN:
			return PGC_HAND_CLEAN;
		default:
			return PGC_HAND_DIRTY;
		}
	}
	c = *hist & PGC_HAND_COUNT;
	known = pgc_hand_known(*hist, lap);
	if (starved) {
		/* Every page was used last lap: FIFO, the history kept. */
		out = known ? c : 0;
		v = pgc_hand_victim(dirty);
	} else if (p->policy == PGC_HAND_AGE) {
		v = pgc_hand_age(p->k, c, known, floor, accessed, dirty, &out);
	} else {
		v = pgc_hand_gclock(p->k, c, known, floor, accessed, dirty,
				    &out);
	}
	*hist = pgc_hand_stamp(lap) << 4 | out;
	return v;
}

unsigned int pgc_hand_floor(unsigned int floor, unsigned long victims,
			    unsigned long kept, unsigned long spared)
{
	if (victims || kept || !spared)
		return 0;
	return min(floor + 1, (unsigned int)PGC_HAND_K_MAX);
}

void pgc_hand_pass(struct pgc_hand_lap *l, unsigned long victims,
		   unsigned long kept, unsigned long spared, bool wrapped)
{
	l->victims += victims;
	l->kept += kept;
	l->spared += spared;
	if (!wrapped)
		return;
	l->floor = pgc_hand_floor(l->floor, l->victims, l->kept, l->spared);
	l->victims = 0;
	l->kept = 0;
	l->spared = 0;
}

void pgc_hand_short(struct pgc_hand_lap *l)
{
	l->floor = min(l->floor + 1, (unsigned int)PGC_HAND_K_MAX);
}
