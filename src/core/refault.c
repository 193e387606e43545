// SPDX-License-Identifier: GPL-2.0
/*
 * The refault ring's rules (src/clock/refault.c keeps one per CLOCK
 * target): a slot per page number, hashed, holds the target's eviction
 * count when the page went; the first fault on that page takes the slot
 * (counted once), and tells how many evictions ago it went.  A later
 * eviction whose page hashes to the same slot overwrites it: the ring
 * remembers the most recent evictions, about its size.  One writer (the
 * CLOCK worker); any number of takers at once (fault hooks), lock-free.
 */
#include <linux/atomic.h>
#include <linux/hash.h>
#include "core/clock.h"

void pgc_refault_note(struct pgc_evicted *ring, unsigned int bits,
		      unsigned long vpn, u64 seq, bool dirty)
{
	struct pgc_evicted *e = &ring[hash_long(vpn, bits)];

	WRITE_ONCE(e->vpn, 0);
	/* A taker that reads the new seq or dirty sees the slot cleared. */
	smp_wmb();
	WRITE_ONCE(e->seq, seq);
	WRITE_ONCE(e->dirty, dirty);
	/* Takers that see the page number also see seq and dirty. */
	smp_store_release(&e->vpn, vpn + 1);
}

bool pgc_refault_take(struct pgc_evicted *ring, unsigned int bits,
		      unsigned long vpn, u64 *seq, bool *dirty)
{
	struct pgc_evicted *e = &ring[hash_long(vpn, bits)];
	u64 s;
	bool d;

	/* Pairs with the release in pgc_refault_note(). */
	if (smp_load_acquire(&e->vpn) != vpn + 1)
		return false;
	/*
	 * Read before the slot is taken (bug: read after, they could be
	 * the next eviction's, noted into the slot just freed).  The first
	 * taker clears the slot, fully ordered after these reads: a note
	 * that changed them meanwhile had cleared it, and the take fails.
	 */
	s = READ_ONCE(e->seq);
	d = READ_ONCE(e->dirty);
	if (cmpxchg(&e->vpn, vpn + 1, 0) != vpn + 1)
		return false;
	*seq = s;
	*dirty = d;
	return true;
}

void pgc_refault_forget(struct pgc_evicted *ring, unsigned int bits)
{
	unsigned long i;

	/* As a note clears a slot: a taker that raced loses it. */
	for (i = 0; i < (1UL << bits); i++)
		WRITE_ONCE(ring[i].vpn, 0);
}
