// SPDX-License-Identifier: GPL-2.0
/*
 * The CLOCK entered from the kernel's reclaim: a shrinker that counts
 * what the targets could give and, asked to scan, adds the request to
 * the pressure the worker divides among them and wakes it.  Nothing is
 * walked or freed here: taking an mmap lock inside direct reclaim could
 * deadlock.
 */
#include <linux/atomic.h>
#include <linux/seq_file.h>
#include <linux/shrinker.h>
#include "internal.h"
#include "compat.h"

static struct shrinker *pgc_shrinker;
/* What the targets could give, summed by the worker for a lockless count. */
static unsigned long pgc_shrinkable;
static atomic_long_t pgc_pressure;	/* pages reclaim asked for */
static atomic64_t pgc_shrink_counts, pgc_shrink_scans, pgc_shrink_requested;
static atomic64_t pgc_shrink_given_total;

static unsigned long pgc_shrink_count(struct shrinker *s,
				      struct shrink_control *sc)
{
	unsigned long n;

	atomic64_inc(&pgc_shrink_counts);
	if (!pgc_clock_on())
		return SHRINK_EMPTY;
	n = READ_ONCE(pgc_shrinkable);
	return n ? n : SHRINK_EMPTY;
}

static unsigned long pgc_shrink_scan(struct shrinker *s,
				     struct shrink_control *sc)
{
	atomic64_inc(&pgc_shrink_scans);
	atomic64_add(sc->nr_to_scan, &pgc_shrink_requested);
	atomic_long_add(sc->nr_to_scan, &pgc_pressure);
	pgc_clock_kick(0);
	/* Nothing freed here: the worker does it. */
	return SHRINK_STOP;
}

/* What the targets could give now (the worker, after each tick). */
void pgc_shrink_offer(unsigned long pages)
{
	WRITE_ONCE(pgc_shrinkable, pages);
}

/* The pages reclaim asked for since the last call. */
unsigned long pgc_shrink_take(void)
{
	return atomic_long_xchg(&pgc_pressure, 0);
}

/* The pages the targets gave reclaim in a tick. */
void pgc_shrink_given(unsigned long pages)
{
	atomic64_add(pages, &pgc_shrink_given_total);
}

/* How often reclaim has asked: PFF's guard sees pressure in a change. */
u64 pgc_shrink_calls(void)
{
	return atomic64_read(&pgc_shrink_counts);
}

void pgc_shrink_show(struct seq_file *m)
{
	seq_printf(m, "shrinker_counts %lld\nshrinker_scans %lld\nshrinker_requested %lld\nshrinker_given %llu\n",
		   atomic64_read(&pgc_shrink_counts),
		   atomic64_read(&pgc_shrink_scans),
		   atomic64_read(&pgc_shrink_requested),
		   (u64)atomic64_read(&pgc_shrink_given_total));
}

int pgc_shrink_init(void)
{
	pgc_shrinker = pgc_shrinker_create(pgc_shrink_count, pgc_shrink_scan);
	return pgc_shrinker ? 0 : -ENOMEM;
}

void pgc_shrink_exit(void)
{
	pgc_shrinker_destroy(pgc_shrinker);
}
