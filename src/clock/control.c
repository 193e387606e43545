// SPDX-License-Identifier: GPL-2.0
/*
 * The CLOCK's control and reports: targets added, changed and removed
 * (sysfs target_add, target_remove; src/sysfs.c parses the writes), and
 * debugfs "clock" and "pff".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include "internal.h"
#include "target.h"
#include "knobs.h"
#include "clock.h"
#include "compat.h"

/*
 * Apply @req to target @t (@fresh: just taken, empty).  @pff: a spare
 * controller, taken if the target needs one; on return *@pff is what the
 * caller frees.
 */
static int pgc_clock_apply(struct pgc_target *t, bool fresh,
			   const struct pgc_target_req *req, unsigned long rss,
			   struct pgc_pff_target **pff)
{
	struct pgc_pff_knobs base, k;
	unsigned long budget;
	int err;

	if (!req->pff || (req->pff < 0 && !req->nset && !t->pff)) {
		/* A plain budget; pff=0 hands the controller back to free. */
		if (!req->pff)
			swap(*pff, t->pff);
		if (req->budget || fresh)
			t->budget = req->budget;
		return 0;
	}
	if (t->pff)
		base = *pgc_pff_knobs(t->pff);
	else
		pgc_pff_defaults(&base, totalram_pages());
	err = pgc_pff_request(req, &base, t->budget, rss, &k, &budget);
	if (err)
		return err;
	if (!t->pff) {
		if (!*pff)
			return -ENOMEM;
		swap(*pff, t->pff);
		pgc_pff_begin(t->pff, t->pid, atomic64_read(&t->pff_faults));
		t->pff_chances = t->second_chances;
	}
	*pgc_pff_knobs(t->pff) = k;
	t->budget = budget;
	return 0;
}

/* Add a target, or change one: its budget, its PFF controller. */
int pgc_clock_target_add(const struct pgc_target_req *req)
{
	struct pgc_target *t = NULL, *found = NULL, *c;
	struct pgc_pff_target *pff;
	struct task_struct *tsk;
	struct pid *pid;
	struct mm_struct *mm;
	struct pgc_evicted *ring;
	struct pgc_proc *p;
	unsigned long rss;
	unsigned int i;
	int err;

	err = pgc_target_get(req->pid, &tsk, &mm);
	if (err)
		return err;
	rss = pgc_mm_rss(mm);
	mmput(mm);
	/*
	 * A process's struct pid is its own while referenced: compare those.
	 * NULL once it is reaped, which would match an empty slot.
	 */
	pid = pgc_group_pid(tsk);
	if (!pid) {
		put_task_struct(tsk);
		return -ESRCH;
	}
	ring = pgc_refault_ring_alloc();
	pff = req->pff == 1 || req->nset ? pgc_pff_alloc() : NULL;
	err = -ENOMEM;
	if (!ring)
		goto out;
	pgc_clock_lock();
	for (i = 0; (c = pgc_clock_target(i)); i++) {
		if (c->pid == pid)
			found = c;
		else if (!c->pid && !t)
			t = c;
	}
	if (found) {
		err = pgc_clock_apply(found, false, req, rss, &pff);
		goto unlock;
	}
	err = -ENOSPC;
	if (!t)
		goto unlock;
	t->pid = pid;
	err = pgc_clock_apply(t, true, req, rss, &pff);
	if (err) {
		t->pid = NULL;
		goto unlock;
	}
	pid = NULL;	/* the target's now */
	t->id = pgc_clock_new_id();
	t->nr = tsk->tgid;
	t->state = "ok";
	t->ring = ring;
	ring = NULL;
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
out:
	put_pid(pid);
	put_task_struct(tsk);
	pgc_refault_ring_free(ring);
	pgc_pff_free(pff);
	if (!err)
		pgc_clock_kick(0);
	return err;
}

/*
 * @nr: any thread id of the target, in the writer's pid namespace; or the
 * number a target that has exited is listed under (the worker drops those
 * itself, but not while clock_enabled is 0).
 */
int pgc_clock_target_remove(pid_t nr)
{
	struct pid *pid = pgc_process_pid(nr);
	int err = pid ? -ENOENT : -ESRCH;
	struct pgc_target *t;
	unsigned int i;

	pgc_clock_lock();
	for (i = 0; (t = pgc_clock_target(i)); i++) {
		bool gone;

		if (!t->pid)
			continue;
		gone = t->nr == nr && !pid_has_task(t->pid, PIDTYPE_PID);
		if (t->pid == pid || gone) {
			pgc_clock_drop(t);
			err = 0;
		}
	}
	pgc_clock_unlock();
	put_pid(pid);
	return err;
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
	for (i = 0; (t = pgc_clock_target(i)); i++) {
		u64 rc = atomic64_read(&t->refaults_clean);
		u64 rd = atomic64_read(&t->refaults_dirty);

		if (!t->pid)
			continue;
		seq_printf(m, "target %d budget %lu rss %lu hand %lu scanned %llu second_chances %llu evicted_clean %llu evicted_dirty %llu freed %llu refaults %llu refaults_clean %llu refaults_dirty %llu refault_distance %llu shared %llu writebacks %llu sweeps %llu laps %llu forced %llu ns %llu busy %llu pff %d state %s\n",
			   t->nr, t->budget, t->rss, t->hand.addr, t->scanned,
			   t->second_chances, t->evicted_clean, t->evicted_dirty,
			   t->freed, rc + rd, rc, rd,
			   rc + rd ? div64_u64(atomic64_read(&t->refault_dist),
					       rc + rd) : 0,
			   t->shared, t->writebacks, t->sweeps, t->hand.laps,
			   t->forced, t->ns, t->busy, !!t->pff, t->state);
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
