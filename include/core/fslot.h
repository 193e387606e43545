/* SPDX-License-Identifier: GPL-2.0 */
/* The open faults of faults/hook=1, a table of slots (src/core/fslot.c). */
#ifndef PGC_CORE_FSLOT_H
#define PGC_CORE_FSLOT_H

#include <linux/types.h>
#include "core/fault.h"

/*
 * A thread's open fault, from the tracepoint to its perf event (the
 * thread may sleep and move between the two, so it is kept by owner,
 * the thread).  Only its owner writes it, the others read only ->owner.
 */
struct pgc_fslot {
	const void *owner;		/* NULL: free */
	unsigned int gen;		/* the table's gen when opened */
	unsigned long addr;
	u64 start_ns;
	int cpu;			/* whose clock start_ns is */
	bool open;			/* between the tracepoint and the event */
	struct pgc_fault f;		/* write, user, before */
};

/* A thread finds its slots within this many of its hash. */
#define PGC_FSLOT_PROBE		16

struct pgc_fslot *pgc_fslot_get(struct pgc_fslot *tab, unsigned int bits,
				const void *owner, bool take);
void pgc_fslot_put(struct pgc_fslot *s);
unsigned int pgc_fslot_put_all(struct pgc_fslot *tab, unsigned int bits,
			       const void *owner, unsigned int gen);

static inline bool pgc_fslot_is_open(const struct pgc_fslot *s,
				     unsigned int gen)
{
	return s->open && s->gen == gen;
}

#endif /* PGC_CORE_FSLOT_H */
