// SPDX-License-Identifier: GPL-2.0
/*
 * CLOCK with the dirty bit for chosen processes ("targets"): the engine.
 *
 * Each target's clock is its own page tables: the hand is an address, and
 * a sweep is passes of the hand (scan.c) from where it stopped, each
 * followed by the eviction of what it chose (evict.c), until the target
 * is back under its budget or has given what reclaim asked of it.
 *
 * Who asks: a target above its budget, itself (the hard budget: the
 * thread whose fault took it over sweeps on its way back to user space,
 * in the manner of cgroup memory.high) and the worker (checked every
 * clock/interval_ms); or the kernel's reclaim through a shrinker
 * (shrink.c), which only counts and wakes the worker.  The worker runs on
 * a WQ_MEM_RECLAIM workqueue.  A target with a Page-Fault-Frequency
 * controller (src/pff.c) has its budget moved at the end of the worker's
 * sweeps.
 *
 * Locking: pgc_clock_mutex guards the table and every target's fields
 * but the atomics.  A sweep (the worker's or a target's own) takes a
 * target's mmap lock only by trylock under it, and lets the mutex go for
 * what may wait: the eviction (reclaim_pages() under the mmap read lock,
 * do_madvise, which takes it), writeback and PFF's whole-address-space
 * sample, which an ad sweep of the same process holds off (src/ad.c).
 * So a sysfs write, a debugfs read or rmmod never waits behind a
 * target's mmap lock, its swap device or its filesystem.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/task_work.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>
#include "internal.h"
#include "target.h"
#include "faults.h"
#include "knobs.h"
#include "clock.h"
#include "hooks.h"
#include "ad.h"
#include "compat.h"

static DEFINE_MUTEX(pgc_clock_mutex);
static u64 pgc_clock_ids;	/* the last target id given */
static struct pgc_target pgc_targets[PGC_MAX_TARGETS];
/*
 * The worker's passes' victims, kept from the scan to the eviction, for
 * which the lock is let go: the worker's alone (an own sweep has its own).
 */
static struct pgc_clock_walk pgc_cw;

/*
 * A target's sweep in its own context (pgc_clock_over()): at most one
 * queued or running per target slot (@queued), on the thread whose fault
 * found it over budget.  Not in struct pgc_target, which is cleared when
 * the target goes: a queued work is on a task's list until it runs.
 * @id: the target it was for; @cw: its victims, allocated at its first
 * sweep and kept until rmmod (at most 16 of them, 33 KiB each).  @done
 * counts the sweeps ended, which the target's other threads over budget
 * meanwhile wait for on @wait (struct pgc_clock_wait); @task: the thread
 * it was queued on, which never waits for itself.
 */
static struct pgc_clock_own {
	struct callback_head cb;
	atomic_t queued;
	atomic_t done;
	wait_queue_head_t wait;
	struct task_struct *task;	/* compared, never dereferenced */
	u64 id;
	struct pgc_clock_walk *cw;
} pgc_own[PGC_MAX_TARGETS];

/*
 * A thread of a target over budget while another thread's own sweep runs:
 * on its way back to user space it waits for that sweep to end, as
 * memory.high throttles the tasks that overrun it, instead of growing the
 * target past what the sweep was sent to take.  One per fault from user
 * mode (a retried fault counts once, pgc_clock_fault()), which returns
 * to user space only after running it: so at most one per thread.
 */
struct pgc_clock_wait {
	struct callback_head cb;
	struct pgc_clock_own *o;
	int done;	/* o->done when queued */
};

/* Works queued and not yet done; rmmod waits for them (pgc_clock_exit). */
static atomic_t pgc_own_pending = ATOMIC_INIT(0);
static bool pgc_own_used;	/* since the load: rmmod waits a task-RCU GP */

/* Set while the module unloads: no sweep starts, the worker is not requeued. */
static bool pgc_clock_stopping;

static struct workqueue_struct *pgc_clock_wq;
static void pgc_clock_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(pgc_clock_work, pgc_clock_work_fn);

bool pgc_clock_on(void)
{
	return pgc_knob(PGC_K_CLOCK_ENABLED) && !READ_ONCE(pgc_clock_stopping);
}

void pgc_clock_lock(void)
{
	mutex_lock(&pgc_clock_mutex);
}

void pgc_clock_unlock(void)
{
	mutex_unlock(&pgc_clock_mutex);
}

/* The lock rules of the other files, checked where lockdep runs. */
void pgc_clock_assert_held(void)
{
	lockdep_assert_held(&pgc_clock_mutex);
}

void pgc_clock_assert_unlocked(void)
{
	lockdep_assert_not_held(&pgc_clock_mutex);
}

/* Slot @i of the table (a free one has no pid); the lock held. */
struct pgc_target *pgc_clock_target(unsigned int i)
{
	lockdep_assert_held(&pgc_clock_mutex);
	return i < PGC_MAX_TARGETS ? &pgc_targets[i] : NULL;
}

/* @t's number in its process's fault_watch: its index + 1. */
unsigned int pgc_clock_slot(const struct pgc_target *t)
{
	return t - pgc_targets + 1;
}

u64 pgc_clock_new_id(void)
{
	lockdep_assert_held(&pgc_clock_mutex);
	return ++pgc_clock_ids;
}

void pgc_clock_kick(unsigned long delay)
{
	if (pgc_clock_on() && pgc_clock_wq)
		mod_delayed_work(pgc_clock_wq, &pgc_clock_work, delay);
}

/* After a sweep, or when a target goes: what reclaim could ask of them. */
static void pgc_clock_sum_shrinkable(void)
{
	unsigned long n = 0;
	int i;

	lockdep_assert_held(&pgc_clock_mutex);
	for (i = 0; i < PGC_MAX_TARGETS; i++)
		if (pgc_targets[i].pid)
			n += pgc_targets[i].shrinkable;
	pgc_shrink_offer(n);
}

void pgc_clock_drop(struct pgc_target *t)
{
	lockdep_assert_held(&pgc_clock_mutex);
	/*
	 * Only if the entry still names this target: once the process has
	 * exited, its entry may have been given to another process, whose
	 * own target's slot must stay.
	 */
	if (t->proc)
		cmpxchg(&t->proc->fault_watch, pgc_clock_slot(t), 0);
	/* No fault hook may still look at the ring. */
	synchronize_rcu();
	pgc_refault_ring_free(t->ring);
	pgc_pff_free(t->pff);
	pgc_history_mm(t, NULL);
	pgc_fevents_detach(t->fev);
	pgc_hooks_demand_put(PGC_DEMAND_TARGET);
	put_pid(t->pid);
	WRITE_ONCE(t->pid, NULL);	/* read by pgc_clock_is_target() */
	memset(t, 0, sizeof(*t));
	pgc_clock_sum_shrinkable();
}

static void pgc_clock_own_fn(struct callback_head *cb);
static void pgc_clock_wait_fn(struct callback_head *cb);

/* One work more that rmmod waits for (pgc_clock_exit()). */
static bool pgc_clock_queue(struct callback_head *cb, task_work_func_t fn)
{
	atomic_inc(&pgc_own_pending);
	WRITE_ONCE(pgc_own_used, true);
	init_task_work(cb, fn);
	if (!task_work_add(current, cb, TWA_RESUME))
		return true;
	atomic_dec(&pgc_own_pending);	/* exiting: its memory goes anyway */
	return false;
}

/* The end of a work queued by pgc_clock_queue(). */
static void pgc_clock_queued_done(void)
{
	/* The last access to the module's data: rmmod may go on after it. */
	if (atomic_dec_and_test(&pgc_own_pending))
		wake_up_var(&pgc_own_pending);
}

/* The end of a sweep queued on @o: a later fault may queue one again. */
static void pgc_clock_own_end(struct pgc_clock_own *o)
{
	atomic_set_release(&o->queued, 0);
	smp_mb__before_atomic();	/* queued clear before done counts it */
	atomic_inc(&o->done);
	wake_up_all(&o->wait);
}

/* Another thread's own sweep runs: wait for it (struct pgc_clock_wait). */
static void pgc_clock_throttle(struct pgc_clock_own *o)
{
	struct pgc_clock_wait *w;
	int done;

	if (READ_ONCE(o->task) == current)
		return;		/* its own sweep: it runs first */
	/* Pairs with pgc_clock_own_end(): done not counted yet, or not queued. */
	done = atomic_read_acquire(&o->done);
	if (!atomic_read(&o->queued))
		return;
	w = kmalloc(sizeof(*w), GFP_NOWAIT | __GFP_NOWARN);
	if (!w)
		return;		/* the worker's tick will catch up */
	w->o = o;
	w->done = done;
	if (!pgc_clock_queue(&w->cb, pgc_clock_wait_fn))
		kfree(w);
}

/*
 * What the fault path reads of @t's controller at @cpu, PFF's clock
 * (none: it never grows); the lock held.  Not a seqlock: a fault may
 * read a mix of two of them, each bounded by its own max and only for
 * that fault's check; none for the ticks that change nothing.
 */
void pgc_clock_pff_grow(struct pgc_target *t, u64 cpu)
{
	struct pgc_pff_grow g = {};

	if (t->pff)
		pgc_pff_grow(t->pff, cpu, &g);
	if (!memcmp(&g, &t->grow, sizeof(g)))
		return;
	WRITE_ONCE(t->grow.at, 0);
	smp_wmb();	/* "at" off before the rest changes */
	WRITE_ONCE(t->grow.from, g.from);
	WRITE_ONCE(t->grow.step, g.step);
	WRITE_ONCE(t->grow.max, g.max);
	smp_wmb();	/* the rest before "at" (pgc_clock_limit()) */
	WRITE_ONCE(t->grow.at, g.at);
}

/*
 * The pages @t may hold now: @budget, or more while PFF lets it grow
 * (pgc_pff_grow_get()).
 */
static unsigned long pgc_clock_limit(struct pgc_target *t,
				     unsigned long budget)
{
	struct pgc_pff_grow g;

	g.at = READ_ONCE(t->grow.at);
	if (!g.at || !budget)
		return budget;
	smp_rmb();	/* pairs with pgc_clock_pff_grow() */
	g.from = READ_ONCE(t->grow.from);
	g.step = READ_ONCE(t->grow.step);
	g.max = READ_ONCE(t->grow.max);
	return pgc_pff_grow_to(&g, budget, atomic64_read(&t->pff_faults));
}

/*
 * A target's fault in its own address space: the largest RSS seen, and if
 * the fault, from user mode, took the target over its budget, the
 * faulting thread sweeps on its way back to user space (task work), so
 * the process that grows pays for it and its budget holds whatever share
 * of a CPU the worker gets.  Not for faults in system calls: their work
 * would wait for the call's end, which may be far (a read from a pipe),
 * and rmmod waits for every queued work.  @rss is the cheap count
 * (pgc_mm_rss_fast()); the own sweep counts exactly (pgc_mm_rss()).
 */
static void pgc_clock_over(struct pgc_target *t, struct mm_struct *mm,
			   unsigned long rss, bool user)
{
	struct pgc_clock_own *o = &pgc_own[t - pgc_targets];
	unsigned long budget = pgc_clock_limit(t, READ_ONCE(t->budget)), above;
	long max = atomic_long_read(&t->rss_max);

	while ((long)rss > max &&
	       !atomic_long_try_cmpxchg(&t->rss_max, &max, rss))
		;
	if (!budget || rss <= budget) {
		if (READ_ONCE(t->own_above))
			WRITE_ONCE(t->own_above, 0);	/* back under: held again */
		return;
	}
	above = READ_ONCE(t->own_above);
	if (!user || rss <= above || !pgc_clock_on() || !pgc_evict_possible())
		return;
	/*
	 * Past the mark a short sweep set from the exact count, the cheap
	 * one may read high (since 6.2, frees still pending on other CPUs):
	 * confirm, or a target that cannot shrink would sweep at every fault.
	 */
	if (above && pgc_mm_rss(mm) <= above)
		return;
	if (atomic_cmpxchg(&o->queued, 0, 1)) {
		pgc_clock_throttle(o);
		return;
	}
	o->id = READ_ONCE(t->id);
	WRITE_ONCE(o->task, current);
	if (!pgc_clock_queue(&o->cb, pgc_clock_own_fn))
		pgc_clock_own_end(o);	/* exiting: wake who waits */
}

/* The fault consumer (no sleeping): a target's fault at @addr. */
static void pgc_clock_fault(struct pgc_proc *p, struct mm_struct *mm,
			    unsigned long addr, const struct pgc_fault *f)
{
	struct pgc_target *t;
	unsigned int slot;

	/* Pairs with the release in pgc_clock_commit(): ring is set. */
	slot = smp_load_acquire(&p->fault_watch);
	if (!slot || slot > PGC_MAX_TARGETS)
		return;
	/*
	 * In the target's own memory only: a target's read of another
	 * process's (process_vm_readv, /proc/PID/mem) faults there, which
	 * says nothing of its budget (bug: it fed PFF and the refault ring).
	 */
	if (mm != current->mm)
		return;
	t = &pgc_targets[slot - 1];
	/*
	 * Faults that say the budget is too small; first touches do not,
	 * also where memory is mapped again at an address the hand took a
	 * page from (bug, found by review: a free and a new mmap counted a
	 * refault for PFF at every first touch).
	 */
	if ((pgc_fault_may_refault(f) && pgc_refault_hit(t, addr)) ||
	    f->major)
		atomic64_inc(&t->pff_faults);
	/*
	 * Not at a fault's first try: it is tried again in the same
	 * exception and comes here again, and a thread that queued its own
	 * sweep at the first would wait for it at the second.
	 */
	if (!f->retry)
		pgc_clock_over(t, mm, pgc_mm_rss_fast(mm), f->user);
}

/*
 * A lap shorter than the time between two uses of a page reads the page
 * unused: CLOCK cannot tell it from a cold one then (debugfs lap_min_ms).
 */
static void pgc_clock_lap_time(struct pgc_target *t)
{
	u64 now = ktime_get_ns();
	unsigned int ms = clamp_t(u64, div_u64(now - t->lap_start,
					       NSEC_PER_MSEC), 1, UINT_MAX);

	if (!t->lap_min_ms || ms < t->lap_min_ms)
		t->lap_min_ms = ms;
	t->lap_start = now;
}

/*
 * One pass of the hand from where it stopped, then the eviction of what it
 * chose: to reclaim under the same hold of the mmap lock, through
 * MADV_PAGEOUT after it (do_madvise takes it itself).  Called and returns
 * with pgc_clock_mutex held, let go for the eviction; @cw is the caller's own
 * meanwhile (pgc_cw, or an own sweep's).  Returns the pages chosen,
 * -EBUSY: the mmap lock was taken, or -ESRCH: @t was removed meanwhile;
 * adds to @freed the pages reclaim_pages() freed.
 */
static long pgc_clock_pass(struct pgc_target *t, struct pgc_clock_walk *cw,
			   struct mm_struct *mm, unsigned long need,
			   unsigned long quota, unsigned long clean_left,
			   unsigned long *freed)
{
	u64 chances = t->second_chances, id;
	unsigned long take, i;
	bool starved, flush;
	LIST_HEAD(list);

	lockdep_assert_held(&pgc_clock_mutex);
	/* A target busy with its mmap lock is passed over, not waited for. */
	if (!mmap_read_trylock(mm)) {
		t->busy++;
		return -EBUSY;
	}
	pgc_clock_scan(cw, t, mm, need, quota, pgc_clock_dirty_only(&t->hand));
	starved = t->hand.starved;
	/*
	 * Not stopped early (!truncated): the hand went past the last VMA.
	 * Pages sent to writeback were victims too: they come round clean.
	 */
	pgc_hand_pass(&t->hlap, cw->nclean + cw->ndirty + cw->wb_pages,
		      t->second_chances - chances, cw->spared, !cw->w.truncated);
	take = pgc_clock_pass_end(&t->hand, cw->hand, !cw->w.truncated,
				  cw->scanned >= clean_left, need, cw->nclean,
				  cw->ndirty, cw->cold);
	/* A folio sent to MADV_PAGEOUT (no tail slots) is split there. */
	take = pgc_clock_take_whole((const void *const *)cw->dirty_folio, take,
				    cw->ndirty, PGC_CLOCK_TAIL);
	/*
	 * A candidate left whose Accessed bit the scan cleared had its
	 * second chance: counted so, for the flush below and PFF's sample.
	 */
	t->second_chances += bitmap_weight(cw->dirty_young, cw->ndirty) -
			     bitmap_weight(cw->dirty_young, take);
	t->spared += cw->spared;
	/* A whole lap ended: its unvisited blocks can be judged (no scan runs). */
	if (!cw->w.truncated) {
		pgc_history_lap(t);
		pgc_clock_lap_time(t);
	}
	t->writebacks += cw->wb_pages;
	t->scanned += cw->scanned;
	if (starved)
		t->forced += cw->nclean + take;
	for (i = 0; i < cw->nclean; i++)
		pgc_refault_remember(t, cw->clean[i], false);
	for (i = 0; i < take; i++)
		pgc_refault_remember(t, cw->dirty[i], true);
	t->evicted_clean += cw->nclean;
	t->evicted_dirty += take;
	flush = t->second_chances != chances;
	id = t->id;
	/*
	 * Reclaim may wait for the swap device or a filesystem: under the
	 * mmap read lock alone, not the targets' lock (bug, found by
	 * review: a stalled swap device held every control file).  Its
	 * victims are isolated first, under both: off the LRU, no other
	 * pass takes them again meanwhile.
	 */
	pgc_evict_isolate(mm, cw->clean_folio, cw->nclean, &list);
	pgc_evict_isolate(mm, cw->dirty_folio, take, &list);
	mutex_unlock(&pgc_clock_mutex);
	*freed += pgc_evict_reclaim(mm, &list);
	mmap_read_unlock(mm);
	pgc_evict_finish(cw, mm, take, flush);
	cond_resched();
	mutex_lock(&pgc_clock_mutex);
	return t->id == id ? cw->nclean + take : -ESRCH;
}

/*
 * PFF's clock: the process's CPU time less its threads' in own sweeps,
 * the one under way included.  Reclaim on the budget's behalf is not the
 * process's work: counted in, a cut far below the working set made every
 * fault send a sweep of a batch (a second of reclaim under TCG), so the
 * windows read one fault a CPU second, a calm process, and their samples
 * a process touching nothing, while it did nothing but reclaim.  Both
 * sides read the same per-thread counters, so the difference only
 * wobbles by their staleness: held, it never goes back.
 */
u64 pgc_clock_pff_cpu(struct pgc_target *t)
{
	u64 cpu = pgc_pff_cpu_ns(t->pid), own = t->own_ns;

	lockdep_assert_held(&pgc_clock_mutex);
	/* Set and cleared under the lock by the sweeping thread itself. */
	if (t->own_task)
		own += READ_ONCE(t->own_task->se.sum_exec_runtime) - t->own_ns0;
	cpu -= min(cpu, own);
	t->pff_cpu = max(t->pff_cpu, cpu);
	return t->pff_cpu;
}

/*
 * PFF's tick for @t at the end of its sweep: at the end of a window, if
 * the controller asks for it, the sample of the pages not touched since
 * the last one (without the lock: a whole walk), then its decision.
 */
static void pgc_clock_pff_tick(struct pgc_target *t, struct mm_struct *mm)
{
	/* One read of each count: the sample and the decision agree. */
	u64 cpu = pgc_clock_pff_cpu(t), id = t->id, taken;
	u64 faults = atomic64_read(&t->pff_faults), idle = PGC_PFF_NO_SAMPLE;
	enum pgc_pff_sample want = pgc_pff_due(t->pff, cpu, faults);
	unsigned long n = 0;
	bool torn = false, held;
	int err;

	lockdep_assert_held(&pgc_clock_mutex);
	if (want != PGC_PFF_SAMPLE_NONE) {
		/*
		 * A whole-address-space walk: not with the table held.  No ad
		 * sweep beside it (src/ad.c), nor one between its end and the
		 * count below of the bits sweeps cleared: bits cleared after
		 * the walk would excuse this window's idle pages and not the
		 * next's.  (The hand's, in a target's own sweep meanwhile,
		 * count here all the same: more pages kept, never fewer.)
		 */
		mutex_unlock(&pgc_clock_mutex);
		held = pgc_ad_hold(mm);
		err = held ? pgc_pff_sample(mm, &n, &torn) : -EBUSY;
		mutex_lock(&pgc_clock_mutex);
		if (held)
			pgc_ad_release();
		if (t->id != id)
			return;		/* removed meanwhile */
		if (err) {
			/*
			 * No sample (the mmap lock or an ad sweep busy): the
			 * window stays open for the next tick.  Bits a half
			 * walk cleared make the pages it covered read idle if
			 * used before it: the next sample may not lower the
			 * budget.
			 */
			t->busy++;
			t->pff_torn |= torn;
			return;
		}
		/*
		 * After a torn walk, no judgement: its cleared bits make
		 * idle pages of used ones, and a count of 0 instead would
		 * read as every page in use, which raises the budget to the
		 * RSS (bug, found by a review).
		 */
		if (t->pff_torn) {
			t->pff_torn = false;
			want = PGC_PFF_SAMPLE_PRIME;
		}
		/*
		 * The bits the hand (second chances) and ad sweeps cleared
		 * since the last sample, up to this one's end, were touched
		 * pages: without this, a sweep just before the sample makes
		 * the working set read idle.  A page counts once per
		 * clearing: a hot page swept every 100 ms counts about
		 * (sweeps per window) times, so under ad sweeps PFF lowers
		 * the budget only when the idle pages outnumber those counts.
		 * The error keeps more pages, never fewer.
		 */
		taken = pgc_bits_taken(t) - t->pff_taken;
		t->pff_taken += taken;
		/* A priming sample only cleared the bits (src/core/pff.c). */
		if (want == PGC_PFF_SAMPLE_JUDGE)
			idle = n > taken ? n - taken : 0;
		if (t->pff)
			pgc_pff_sampled(t->pff);
	}
	/* The controller may have been turned off meanwhile. */
	if (t->pff)
		pgc_pff_update(t->pff, cpu, faults, t->rss, idle,
			       pgc_shrink_calls(), &t->budget);
	pgc_clock_pff_grow(t, cpu);
}

/*
 * One sweep of @t; the lock held (let go between passes).
 * @pressure: pages reclaim wants.  @own: the victims of a sweep in the
 * target's own context, to bring it back under its budget
 * (pgc_clock_own_fn()); NULL for the worker's tick.  Returns the pages it
 * gave reclaim.
 */
static unsigned long pgc_clock_sweep(struct pgc_target *t,
				     unsigned long pressure,
				     struct pgc_clock_walk *own)
{
	unsigned long rss, grew, need, sent, quota = pgc_knob(PGC_K_CLOCK_QUOTA);
	unsigned long given = 0, exact, drop, budget, held;
	unsigned int pct = pgc_knob(PGC_K_CLOCK_CLEAN_SCAN_PCT);
	struct mm_struct *mm = pgc_pid_mm(t->pid);
	struct pgc_clock_walk *cw = own ?: &pgc_cw;
	unsigned long reclaimed = 0;
	bool busy = false, fell_short;
	u64 t0, scanned, laps, spared = 0;

	lockdep_assert_held(&pgc_clock_mutex);
	if (!mm) {
		/* Exited: drop it; its slot is free again. */
		pgc_clock_drop(t);
		return 0;
	}
	/* Another program (an exec): the history was of the last one's pages. */
	pgc_history_mm(t, mm);
	/*
	 * An own sweep by the larger of the count that sent it (since 6.2
	 * it may read pages just freed: a sweep sent must take some) and
	 * the exact one (before 6.2 the threads' own counts add to it).
	 */
	exact = pgc_mm_rss(mm);
	rss = own ? max(exact, pgc_mm_rss_fast(mm)) : exact;
	/* t->rss: as the last sweep left it. */
	grew = rss > t->rss ? rss - t->rss : 0;
	t->rss = rss;
	held = pgc_clock_limit(t, t->budget);
	/* What it would give: down to the limit it is held at now. */
	t->shrinkable = held ? (rss > held ? rss - held : 0) : rss;
	need = own ? pgc_clock_own_need(rss, held) :
		     pgc_clock_need(rss, held, pressure, grew);
	need = min3(need, (unsigned long)PGC_CLOCK_BATCH, (unsigned long)quota);
	sent = need;
	if (!need)
		goto out;
	if (!pgc_evict_possible()) {
		t->state = "no_evict";	/* do_madvise not callable: features */
		goto out;
	}
	t->state = "ok";
	t0 = ktime_get_ns();
	/*
	 * Like CLOCK at fault time, the hand goes on until it has its victims:
	 * pass after pass of at most @quota pages (the mmap lock is dropped in
	 * between), up to one whole lap plus a pass, which is enough for a
	 * page whose bit it cleared to come round again, and never past the
	 * hand's second wrap: pages the walk passes over (mlocked, shared)
	 * count in the RSS, and a lap of a few pages came round again and
	 * again (found by review).  Dirty victims only once the sweep has
	 * passed pct percent of the target's pages without enough clean
	 * ones (the pass ends there to decide), or while the last lap's cold
	 * pages were all dirty: then a pass ends with its victims of either
	 * kind.
	 */
	scanned = t->scanned;
	budget = t->budget;
	laps = t->hand.laps;
	while (need && t->scanned - scanned < rss + quota &&
	       t->hand.laps - laps < 2) {
		u64 before = t->scanned;
		unsigned long left = pgc_clock_clean_left(rss, pct,
							  before - scanned,
							  pgc_clock_dirty_only(&t->hand));
		long got = pgc_clock_pass(t, cw, mm, need,
					  left ? min(quota, left) : quota, left,
					  &reclaimed);

		if (got == -EBUSY) {
			busy = true;
			break;
		}
		if (got < 0)
			goto gone;	/* removed meanwhile: no longer ours */
		need -= min_t(unsigned long, need, got);
		spared += cw->spared;
		/* The lock was let go: a raise meanwhile (PFF's) needs less. */
		if (own && t->budget != budget) {
			budget = t->budget;
			need = pgc_clock_own_left(need, pgc_mm_rss(mm), budget);
		}
		/*
		 * The process gone (its exit let go of its mm: ours is the
		 * last user; bug: the worker went on writing a dying
		 * process's pages to swap): no more of it, no short lap to
		 * note, no PFF sample; the next tick drops it.
		 */
		if (atomic_read(&mm->mm_users) <= 1)
			goto gone;
		/*
		 * No page to pass over (a pass cut short by the entries it
		 * looked at goes on from there), or off.
		 */
		if ((t->scanned == before && !cw->w.truncated) ||
		    !pgc_clock_on() ||
		    (own && fatal_signal_pending(current)))
			break;
	}
	/* Short of victims for its history, not for a lock or a stop. */
	if (need && spared && !busy && pgc_clock_on() &&
	    !(own && fatal_signal_pending(current)))
		pgc_hand_short(&t->hlap);
	rss = pgc_mm_rss(mm);
	if (rss < t->rss) {
		t->freed += t->rss - rss;
		if (!t->budget)
			given = t->rss - rss;
		t->pressure_given += given;
	}
	t->rss = rss;
	t->sweeps++;
	t->ns += ktime_get_ns() - t0;
	if (own) {
		t->own_sweeps++;
		/*
		 * When the next comes (pgc_clock_own_above()), from the exact
		 * count: since 6.2 the cheap one reads the pages just freed
		 * on this CPU as still there (up to a batch per CPU), and
		 * would put the next sweep a margin past them.  Not short if
		 * it found the mmap lock taken (a thread's mmap()), which the
		 * next fault may not.  What went: what reclaim_pages() freed,
		 * or the exact count's drop where more (pages left under
		 * writeback, MADV_PAGEOUT's, which says not), though the other
		 * threads' growth meanwhile comes off that.
		 */
		drop = exact > rss ? exact - rss : 0;
		fell_short = !busy &&
			     pgc_clock_own_short(sent, need, max(reclaimed, drop));
		WRITE_ONCE(t->own_above,
			   pgc_clock_own_above(rss, t->budget, fell_short));
	}
out:
	/*
	 * The PFF controller last: its sample clears the Accessed bits, and
	 * the hand must not judge pages by them before the process had a
	 * tick to touch its working set again.  The worker's ticks only: its
	 * windows are the worker's.
	 */
	if (t->pff && !own)
		pgc_clock_pff_tick(t, mm);
gone:
	/*
	 * The last user if the process exited meanwhile: its teardown then
	 * goes to a worker, not under pgc_clock_mutex, which the target's
	 * own sweeps wait for.
	 */
	mmput_async(mm);
	return given;
}

/*
 * Is @pid's process a target?  Lockless, for src/ad.c, which must not wait
 * for a whole pass of the hand: a target added or removed meanwhile may be
 * missed by one ad sweep.
 */
bool pgc_clock_is_target(struct pid *pid)
{
	int i;

	for (i = 0; i < PGC_MAX_TARGETS; i++)
		if (READ_ONCE(pgc_targets[i].pid) == pid)
			return true;
	return false;
}

/*
 * An ad sweep of @pid's process cleared @n Accessed bits (src/ad.c): if
 * it is a target, its PFF sample counts them as pages in use.
 */
void pgc_clock_ad_cleared(struct pid *pid, u64 n)
{
	int i;

	if (!n)
		return;
	mutex_lock(&pgc_clock_mutex);
	for (i = 0; i < PGC_MAX_TARGETS; i++)
		if (pgc_targets[i].pid == pid)
			pgc_targets[i].ad_cleared += n;
	mutex_unlock(&pgc_clock_mutex);
}

/*
 * A target over its budget, in the thread whose fault took it there, on
 * its way back to user space: one sweep down to under the budget
 * (pgc_clock_own_need()).  Skipped once the thread exits (its mm may be
 * gone) or the CLOCK is off or stopping.
 */
static void pgc_clock_own_fn(struct callback_head *cb)
{
	struct pgc_clock_own *o = container_of(cb, struct pgc_clock_own, cb);
	struct pgc_target *t = &pgc_targets[o - pgc_own];

	/* A thread killed (an OOM victim too) or exiting frees, not sweeps. */
	if (!(current->flags & PF_EXITING) && !fatal_signal_pending(current)) {
		if (!o->cw)
			o->cw = kvzalloc(sizeof(*o->cw), GFP_KERNEL | __GFP_NOWARN);
		if (o->cw && !mutex_lock_killable(&pgc_clock_mutex)) {
			if (t->pid && t->id == o->id && pgc_clock_on()) {
				/* Its CPU time is not the process's (PFF's clock). */
				t->own_task = current;
				t->own_ns0 = READ_ONCE(current->se.sum_exec_runtime);
				pgc_clock_sweep(t, 0, o->cw);
				/* The lock was let go meanwhile: still ours? */
				if (t->id == o->id) {
					t->own_ns += READ_ONCE(current->se.sum_exec_runtime) -
						     t->own_ns0;
					t->own_task = NULL;
				}
			}
			mutex_unlock(&pgc_clock_mutex);
		}
	}
	pgc_clock_own_end(o);
	pgc_clock_queued_done();
}

/*
 * The wait of struct pgc_clock_wait: at most a second (a sweep on a slow
 * guest can take that), killable, and not at the thread's exit.
 */
static void pgc_clock_wait_fn(struct callback_head *cb)
{
	struct pgc_clock_wait *w = container_of(cb, struct pgc_clock_wait, cb);
	struct pgc_clock_own *o = w->o;

	if (!(current->flags & PF_EXITING))
		wait_event_killable_timeout(o->wait,
					    atomic_read(&o->done) != w->done, HZ);
	kfree(w);
	pgc_clock_queued_done();
}

/* What the targets without a budget from slot @from on could give. */
static unsigned long pgc_clock_shrinkable_from(int from)
{
	unsigned long all = 0;

	for (; from < PGC_MAX_TARGETS; from++)
		if (pgc_targets[from].pid && !pgc_targets[from].budget)
			all += pgc_targets[from].shrinkable;
	return all;
}

static void pgc_clock_work_fn(struct work_struct *work)
{
	unsigned long pressure = pgc_shrink_take();
	unsigned long given = 0, share, gave;
	bool more = false;
	int i;

	mutex_lock(&pgc_clock_mutex);
	/*
	 * Shared by the targets that give under pressure: one with a budget
	 * is held there and ignores it (bug: each took a share, lost).  In
	 * proportion to what each could give when its last sweep began, and
	 * what one does not give goes to those after it (bug: an even split,
	 * of which a small target's unmet part was lost).  Those after it
	 * are summed afresh each time: a sweep lets the lock go, and a target
	 * may have come, gone or changed its budget meanwhile.
	 */
	for (i = 0; i < PGC_MAX_TARGETS && pgc_clock_on(); i++) {
		struct pgc_target *t = &pgc_targets[i];
		bool shares = !t->budget;

		if (!t->pid)
			continue;
		/* Read before the sweep, which sets it anew. */
		share = shares ? pgc_clock_share(pressure, t->shrinkable,
						 pgc_clock_shrinkable_from(i)) : 0;
		gave = pgc_clock_sweep(t, share, NULL);
		given += gave;
		if (shares)
			pressure -= min(pressure, gave);
	}
	pgc_shrink_given(given);
	pgc_clock_sum_shrinkable();
	for (i = 0; i < PGC_MAX_TARGETS; i++)
		more |= !!pgc_targets[i].pid;
	mutex_unlock(&pgc_clock_mutex);
	if (more)
		pgc_clock_kick(msecs_to_jiffies(pgc_knob(PGC_K_CLOCK_INTERVAL_MS)));
}

/* clock/enabled or clock/interval_ms changed. */
int pgc_clock_reschedule(void)
{
	if (pgc_clock_on())
		pgc_clock_kick(0);
	else
		cancel_delayed_work(&pgc_clock_work);
	return 0;
}

int pgc_clock_init(void)
{
	int err, i;

	for (i = 0; i < PGC_MAX_TARGETS; i++)
		init_waitqueue_head(&pgc_own[i].wait);
	pgc_clock_wq = alloc_workqueue("pageclock", WQ_MEM_RECLAIM | WQ_UNBOUND, 1);
	if (!pgc_clock_wq)
		return -ENOMEM;
	err = pgc_evict_init();
	if (err)
		goto fail_wq;
	err = pgc_shrink_init();
	if (err)
		goto fail_evict;
	pgc_faults_set_consumer(pgc_clock_fault);
	return 0;

fail_evict:
	pgc_evict_exit();
fail_wq:
	destroy_workqueue(pgc_clock_wq);
	pgc_clock_wq = NULL;
	return err;
}

void pgc_clock_exit(void)
{
	int i;

	/* The hooks are gone (pgc_hooks_uninstall() came first). */
	pgc_faults_set_consumer(NULL);
	pgc_shrink_exit();
	WRITE_ONCE(pgc_clock_stopping, true);
	/*
	 * Own sweeps queued before the hooks went run soon: each was queued
	 * by a fault from user mode, on the way back to it (or at the
	 * thread's exit).  Then a task-RCU grace period: a thread preempted
	 * between its last access above and its return from our code has
	 * not switched away voluntarily since.
	 */
	wait_var_event(&pgc_own_pending, !atomic_read(&pgc_own_pending));
	if (pgc_own_used)
		synchronize_rcu_tasks();
	for (i = 0; i < PGC_MAX_TARGETS; i++)
		kvfree(pgc_own[i].cw);
	cancel_delayed_work_sync(&pgc_clock_work);
	destroy_workqueue(pgc_clock_wq);
	pgc_clock_wq = NULL;
	mutex_lock(&pgc_clock_mutex);
	for (i = 0; i < PGC_MAX_TARGETS; i++)
		if (pgc_targets[i].pid)
			pgc_clock_drop(&pgc_targets[i]);
	mutex_unlock(&pgc_clock_mutex);
	/* Last: no sweep is left to page out with its credentials. */
	pgc_evict_exit();
}
