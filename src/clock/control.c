// SPDX-License-Identifier: GPL-2.0
/*
 * The CLOCK's control and reports: a slot's target made, changed or
 * removed (sysfs targets/<n>/, src/clock/sysfs.c), and debugfs "clock"
 * and "pff".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include "internal.h"
#include "target.h"
#include "knobs.h"
#include "clock.h"
#include "hooks.h"
#include "faults.h"
#include "compat.h"

/*
 * Apply @req's budget to target @t (@fresh: just taken, empty).  @pff: a
 * spare controller, taken if the target needs one; on return *@pff is
 * what the caller frees.
 */
static int pgc_clock_apply_budget(struct pgc_target *t, bool fresh,
				  const struct pgc_target_req *req,
				  unsigned long rss, struct pgc_pff_target **pff)
{
	unsigned long budget;
	int err;

	if (!req->pff) {
		/* A plain budget: the controller, if any, goes to be freed. */
		swap(*pff, t->pff);
		pgc_clock_pff_grow(t, 0);
		WRITE_ONCE(t->budget, req->budget);	/* the fault hook reads it */
		/* The largest since the budget was set. */
		atomic_long_set(&t->rss_max, rss);
		return 0;
	}
	err = pgc_pff_request(req, fresh ? 0 : t->budget, rss, &budget);
	if (err)
		return err;
	if (!t->pff) {
		if (!*pff)
			return -ENOMEM;
		swap(*pff, t->pff);
		pgc_pff_begin(t->pff, pgc_clock_pff_cpu(t),
			      atomic64_read(&t->pff_faults), rss);
		t->pff_taken = pgc_bits_taken(t);
	}
	*pgc_pff_knobs(t->pff) = req->k;
	pgc_clock_pff_grow(t, pgc_clock_pff_cpu(t));
	WRITE_ONCE(t->budget, budget);
	atomic_long_set(&t->rss_max, rss);
	return 0;
}

/* Apply @req to @t: its budget, then its hand's policy; all or nothing. */
static int pgc_clock_apply(struct pgc_target *t, bool fresh,
			   const struct pgc_target_req *req, unsigned long rss,
			   struct pgc_pff_target **pff)
{
	int err = pgc_hand_params_check(&req->hand);

	if (!err)
		err = pgc_clock_apply_budget(t, fresh, req, rss, pff);
	if (err)
		return err;
	if (t->hp.policy != req->hand.policy || t->hp.k != req->hand.k) {
		/* The bytes meant something else: every page starts new. */
		pgc_history_forget(t);
		t->hp = req->hand;
		t->hlap = (struct pgc_hand_lap){};
	}
	return 0;
}

/*
 * Make the target of @slot what @req says, all of it or nothing: a new
 * target if the slot is free, else new settings for the same process.
 * -EBUSY: the slot holds another process, or another slot this one.
 */
int pgc_clock_commit(unsigned int slot, const struct pgc_target_req *req)
{
	struct pgc_target *t, *c;
	struct pgc_pff_target *pff;
	struct task_struct *tsk;
	struct pid *pid;
	struct mm_struct *mm;
	struct pgc_evicted *ring;
	struct pgc_fevents *fev;
	struct pgc_proc *p;
	unsigned long rss;
	unsigned int i;
	bool hook = true;
	int err;

	if (WARN_ON_ONCE(slot >= PGC_MAX_TARGETS) || !req->pid)
		return -EINVAL;
	err = pgc_target_get(req->pid, &tsk, &mm);
	if (err)
		return err;
	rss = pgc_mm_rss(mm);
	mmput(mm);
	/*
	 * A process's struct pid is its own while referenced: compare those.
	 * NULL once it is reaped, which would match a free slot.
	 */
	pid = pgc_group_pid(tsk);
	if (!pid) {
		put_task_struct(tsk);
		return -ESRCH;
	}
	/*
	 * The fault hook, which a target's refaults and PFF's signal come
	 * from: attached before the lock (it allocates and patches text),
	 * kept only by a new target.  A target it cannot serve is refused.
	 */
	err = pgc_hooks_demand_get(PGC_DEMAND_TARGET);
	if (!err) {
		fev = pgc_fevents_attach(tsk, PGC_DEMAND_TARGET);
		err = PTR_ERR_OR_ZERO(fev);
	}
	if (err) {
		pgc_hooks_demand_put(PGC_DEMAND_TARGET);
		put_pid(pid);
		put_task_struct(tsk);
		return err;
	}
	/* Taken before the lock, used if the slot is free or PFF comes on. */
	ring = pgc_refault_ring_alloc();
	pff = req->pff ? pgc_pff_alloc() : NULL;
	pgc_clock_lock();
	t = pgc_clock_target(slot);
	err = -EBUSY;
	for (i = 0; (c = pgc_clock_target(i)); i++)
		if (c != t && c->pid == pid)
			goto unlock;
	if (t->pid) {
		if (t->pid == pid)
			err = pgc_clock_apply(t, false, req, rss, &pff);
		goto unlock;
	}
	/*
	 * The fault hook counts a target's faults into its process's entry:
	 * without one (the table full), no hard budget, refaults or PFF
	 * signal (bug, found by review: such a commit succeeded).
	 */
	rcu_read_lock();
	p = pgc_proc_get(tsk, true);
	rcu_read_unlock();
	/* None either for a process whose last thread is exiting. */
	err = atomic_read(&tsk->signal->live) ? -ENOSPC : -ESRCH;
	if (!p)
		goto unlock;
	err = -ENOMEM;
	if (!ring)
		goto unlock;
	/* Marked: pgc_clock_is_target() reads it without the lock. */
	WRITE_ONCE(t->pid, pid);
	xa_init(&t->hist);
	err = pgc_clock_apply(t, true, req, rss, &pff);
	if (err) {
		WRITE_ONCE(t->pid, NULL);
		goto unlock;
	}
	pid = NULL;	/* the target's now */
	t->id = pgc_clock_new_id();
	t->lap_start = ktime_get_ns();
	t->nr = tsk->tgid;
	t->state = "ok";
	t->ring = ring;
	ring = NULL;
	t->fev = fev;
	fev = NULL;
	hook = false;	/* the target's now, put when it goes */
	/* The entry cannot be given to another process until the unlock. */
	rcu_read_lock();
	p = pgc_proc_get(tsk, true);
	t->proc = p;
	if (p)
		/* Pairs with the acquire in pgc_clock_fault(): ring is set. */
		smp_store_release(&p->fault_watch, pgc_clock_slot(t));
	rcu_read_unlock();
unlock:
	pgc_clock_unlock();
	if (hook)
		pgc_hooks_demand_put(PGC_DEMAND_TARGET);
	put_pid(pid);
	put_task_struct(tsk);
	pgc_refault_ring_free(ring);
	pgc_pff_free(pff);
	pgc_fevents_detach(fev);
	if (!err)
		pgc_clock_kick(0);
	return err;
}

/* @slot's target goes, if it has one. */
void pgc_clock_off(unsigned int slot)
{
	struct pgc_target *t;

	pgc_clock_lock();
	t = pgc_clock_target(slot);
	if (t && t->pid)
		pgc_clock_drop(t);
	pgc_clock_unlock();
}

/*
 * "off" (no target), "on", or "exited": its process has no memory left
 * (exiting, a zombie, or reaped), and the worker has not dropped it yet
 * (it does not while clock/enabled is 0).  The worker's own test.
 */
const char *pgc_clock_slot_state(unsigned int slot)
{
	struct pgc_target *t;
	struct mm_struct *mm;
	const char *st = "off";

	pgc_clock_lock();
	t = pgc_clock_target(slot);
	if (t && t->pid) {
		mm = pgc_pid_mm(t->pid);
		st = mm ? "on" : "exited";
		if (mm)
			mmput_async(mm);	/* the lock held: see the sweep */
	}
	pgc_clock_unlock();
	return st;
}

/* debugfs "clock": the knobs, the shrinker, a line per target. */
int pgc_clock_show(struct seq_file *m, void *unused)
{
	struct pgc_target *t;
	unsigned int i;

	pgc_clock_lock();
	seq_printf(m, "enabled %u\ninterval_ms %u\nquota %u\nclean_scan_pct %u\nevict %s\n",
		   pgc_knob(PGC_K_CLOCK_ENABLED), pgc_knob(PGC_K_CLOCK_INTERVAL_MS),
		   pgc_knob(PGC_K_CLOCK_QUOTA), pgc_knob(PGC_K_CLOCK_CLEAN_SCAN_PCT),
		   pgc_evict_how());
	pgc_shrink_show(m);
	pgc_history_show(m);
	for (i = 0; (t = pgc_clock_target(i)); i++) {
		u64 rc = atomic64_read(&t->refaults_clean);
		u64 rd = atomic64_read(&t->refaults_dirty);

		if (!t->pid)
			continue;
		seq_printf(m, "target %d slot %u budget %lu rss %lu hand %lu scanned %llu huge %llu second_chances %llu evicted_clean %llu evicted_dirty %llu freed %llu refaults %llu refaults_clean %llu refaults_dirty %llu refault_distance %llu shared %llu writebacks %llu sweeps %llu laps %llu forced %llu ns %llu busy %llu rss_max %ld own_sweeps %llu own_cpu_ns %llu pff %d policy %u k %u floor %u spared %llu untracked %llu hist_blocks %lu lap_min_ms %u state %s\n",
			   t->nr, i, t->budget, t->rss, t->hand.addr, t->scanned,
			   t->huge,
			   t->second_chances, t->evicted_clean, t->evicted_dirty,
			   t->freed, rc + rd, rc, rd,
			   rc + rd ? div64_u64(atomic64_read(&t->refault_dist),
					       rc + rd) : 0,
			   t->shared, t->writebacks, t->sweeps, t->hand.laps,
			   t->forced, t->ns, t->busy,
			   atomic_long_read(&t->rss_max), t->own_sweeps,
			   t->own_ns, !!t->pff, t->hp.policy, t->hp.k,
			   t->hlap.floor, t->spared, t->untracked,
			   t->hist_blocks, t->lap_min_ms, t->state);
	}
	pgc_clock_unlock();
	return 0;
}

/* debugfs "pff": each controller's state and history. */
int pgc_clock_pff_show(struct seq_file *m, void *unused)
{
	struct pgc_target *t;
	unsigned int i;

	pgc_clock_lock();
	for (i = 0; (t = pgc_clock_target(i)); i++)
		if (t->pid && t->pff)
			pgc_pff_show(m, t->nr, t->pff, t->budget, t->rss);
	pgc_clock_unlock();
	return 0;
}
