// SPDX-License-Identifier: GPL-2.0
/*
 * The open faults of faults/hook=1 (src/faults.c): slots hashed by their
 * owner, a thread, taken at its #PF tracepoint and given back at its
 * perf event, lock-free.  A thread takes the first of its probes that is
 * free or already its own: one probe, nearly always, where a search of
 * all its probes for a slot it may have left open cost every fault the
 * whole search.  So a thread may hold older slots further on, of faults
 * that never ended (a kernel access to user memory that failed), which
 * pgc_fslot_put_all() gives back at its exit.  Its first slot in probe
 * order is always its newest: the probes before it were taken by others
 * when it was taken, and it took no slot since.
 */
#include <linux/atomic.h>
#include <linux/hash.h>
#include "core/fslot.h"

/* The @i-th probe of an owner whose hash is @h, in a table of 2^@bits. */
static struct pgc_fslot *pgc_fslot_probe(struct pgc_fslot *tab,
					 unsigned int bits, unsigned int h,
					 unsigned int i)
{
	return &tab[(h + i) & ((1U << bits) - 1)];
}

/*
 * @owner's newest slot, or with @take the first of its probes that is
 * free (taken for it) or its own; NULL if none.
 */
struct pgc_fslot *pgc_fslot_get(struct pgc_fslot *tab, unsigned int bits,
				const void *owner, bool take)
{
	unsigned int h = hash_ptr(owner, bits), i;
	const void *o;
	struct pgc_fslot *s;

	for (i = 0; i < PGC_FSLOT_PROBE; i++) {
		s = pgc_fslot_probe(tab, bits, h, i);
		o = READ_ONCE(s->owner);
		if (o == owner ||
		    (take && !o && !cmpxchg(&s->owner, NULL, owner)))
			return s;
	}
	return NULL;
}

void pgc_fslot_put(struct pgc_fslot *s)
{
	s->open = false;
	/* Its fields written before another owner can take it. */
	smp_store_release(&s->owner, NULL);
}

/* Give back all of @owner's slots; how many were open in @gen. */
unsigned int pgc_fslot_put_all(struct pgc_fslot *tab, unsigned int bits,
			       const void *owner, unsigned int gen)
{
	unsigned int h = hash_ptr(owner, bits), i, n = 0;
	struct pgc_fslot *s;

	for (i = 0; i < PGC_FSLOT_PROBE; i++) {
		s = pgc_fslot_probe(tab, bits, h, i);
		if (READ_ONCE(s->owner) != owner)
			continue;
		n += pgc_fslot_is_open(s, gen);
		pgc_fslot_put(s);
	}
	return n;
}
