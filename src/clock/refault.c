// SPDX-License-Identifier: GPL-2.0
/*
 * Refaults: the last PGC_REFAULT_SLOTS pages each target evicted, hashed
 * by page number; the first fault on one of them (src/faults.c, through
 * the engine's fault hook) counts a refault, clean or dirty, and how many
 * evictions ago it was (the refault distance).  Written by the worker,
 * read and cleared by the fault hook in probe context: lock-free.
 */
#include <linux/hash.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/vmalloc.h>
#include "clock.h"

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
	unsigned long vpn = addr >> PAGE_SHIFT;
	struct pgc_evicted *e = &t->ring[hash_long(vpn, PGC_REFAULT_BITS)];

	/* One writer: the lock orders evict_seq and the ring's slots. */
	pgc_clock_assert_held();
	WRITE_ONCE(e->vpn, 0);
	e->seq = ++t->evict_seq;
	e->dirty = dirty;
	/* Readers that see the page number also see seq and dirty. */
	smp_store_release(&e->vpn, vpn + 1);
}

/* A fault at @addr in the ring: a refault, counted once. */
bool pgc_refault_hit(struct pgc_target *t, unsigned long addr)
{
	unsigned long vpn = (addr >> PAGE_SHIFT) + 1;
	struct pgc_evicted *e = &t->ring[hash_long(vpn - 1, PGC_REFAULT_BITS)];

	/* Count a page once: the first fault after its eviction. */
	if (smp_load_acquire(&e->vpn) != vpn || cmpxchg(&e->vpn, vpn, 0) != vpn)
		return false;
	atomic64_inc(e->dirty ? &t->refaults_dirty : &t->refaults_clean);
	atomic64_add(READ_ONCE(t->evict_seq) - e->seq, &t->refault_dist);
	return true;
}
