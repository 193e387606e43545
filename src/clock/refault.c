// SPDX-License-Identifier: GPL-2.0
/*
 * Refaults: the last PGC_REFAULT_SLOTS pages each target evicted; the
 * first fault on one of them (src/faults.c, through the engine's fault
 * consumer) counts a refault, clean or dirty, and how many evictions ago
 * it was (the refault distance).  The ring's rules are pure code
 * (src/core/refault.c, KUnit suite pageclock_refault).
 */
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/vmalloc.h>
#include "internal.h"

struct pgc_evicted *pgc_refault_ring_alloc(void)
{
	return vzalloc(array_size(PGC_REFAULT_SLOTS, sizeof(struct pgc_evicted)));
}

void pgc_refault_ring_free(struct pgc_evicted *ring)
{
	vfree(ring);
}

/* Remember an eviction, for the refault hook. */
void pgc_refault_remember(struct pgc_target *t, unsigned long addr, bool dirty)
{
	/* One writer: the lock orders evict_seq and the ring's slots. */
	pgc_clock_assert_held();
	pgc_refault_note(t->ring, PGC_REFAULT_BITS, addr >> PAGE_SHIFT,
			 ++t->evict_seq, dirty);
}

/* A fault at @addr in the ring: a refault, counted once. */
bool pgc_refault_hit(struct pgc_target *t, unsigned long addr)
{
	bool dirty;
	u64 seq;

	if (!pgc_refault_take(t->ring, PGC_REFAULT_BITS, addr >> PAGE_SHIFT,
			      &seq, &dirty))
		return false;
	atomic64_inc(dirty ? &t->refaults_dirty : &t->refaults_clean);
	atomic64_add(READ_ONCE(t->evict_seq) - seq, &t->refault_dist);
	return true;
}
