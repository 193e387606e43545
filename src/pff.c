// SPDX-License-Identifier: GPL-2.0
/*
 * The Page-Fault-Frequency controller's kernel side, one per CLOCK target
 * that asks for it: the process's CPU time and signal faults, fed to
 * src/core/pff.c once per clock tick, and a bounded history of its
 * decisions for debugfs "pff".  The CLOCK worker calls in with
 * pgc_clock_lock held; nothing here runs in probe context.
 */
#include <linux/ktime.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/vmalloc.h>
#include "pageclock.h"

/* Windows remembered per target: at 200 ms of CPU each, 51 s of it. */
#define PGC_PFF_HIST	256

struct pgc_pff_rec {
	u64 t_ms;		/* wall time since the controller started */
	u64 cpu_ms;		/* the process's CPU time then */
	u64 rate, budget, rss, idle;
	enum pgc_pff_move move;
};

struct pgc_pff_target {
	struct pgc_pff_knobs k;
	struct pgc_pff s;
	u64 t0_ns;
	u64 pressure0;		/* reclaim calls seen at the window's start */
	u64 cpu_ms;
	unsigned int head, n;	/* the history ring */
	struct pgc_pff_rec hist[PGC_PFF_HIST];
};

/* CPU time of the whole thread group, including threads that exited. */
u64 pgc_pff_cpu_ns(struct pid *pid)
{
	struct task_struct *tsk, *t;
	u64 ns = 0;

	rcu_read_lock();
	tsk = pid_task(pid, PIDTYPE_PID);
	if (tsk) {
		ns = READ_ONCE(tsk->signal->sum_sched_runtime);
		for_each_thread(tsk, t)
			ns += READ_ONCE(t->se.sum_exec_runtime);
	}
	rcu_read_unlock();
	return ns;
}

/* Start (or restart) the controller of the process @pid. */
void pgc_pff_begin(struct pgc_pff_target *p, struct pid *pid, u64 faults)
{
	p->t0_ns = ktime_get_ns();
	pgc_pff_start(&p->s, pgc_pff_cpu_ns(pid), faults);
}

struct pgc_pff_target *pgc_pff_alloc(void)
{
	return vzalloc(sizeof(struct pgc_pff_target));
}

void pgc_pff_free(struct pgc_pff_target *p)
{
	vfree(p);
}

struct pgc_pff_knobs *pgc_pff_knobs(struct pgc_pff_target *p)
{
	return &p->k;
}

/* Does the window end at @cpu?  Then the caller samples the idle pages. */
bool pgc_pff_due(struct pgc_pff_target *p, u64 cpu)
{
	return pgc_pff_window_done(&p->k, &p->s, cpu);
}

/*
 * One tick: @cpu the process's CPU time (the value pgc_pff_due() was
 * given), @faults signal faults so far, @rss pages resident, @idle not
 * touched in the window (if it ended), @reclaims the kernel's reclaim
 * calls so far (the global guard).  May change *@budget.
 */
void pgc_pff_update(struct pgc_pff_target *p, u64 cpu, u64 faults,
		    unsigned long rss, unsigned long idle, u64 reclaims,
		    unsigned long *budget)
{
	u64 b = *budget;
	struct pgc_pff_rec *r;
	enum pgc_pff_move m;

	m = pgc_pff_tick(&p->k, &p->s, cpu, faults, rss, idle,
			 reclaims != p->pressure0, &b);
	p->cpu_ms = div_u64(cpu, NSEC_PER_MSEC);
	if (m == PGC_PFF_WAIT)
		return;
	p->pressure0 = reclaims;
	*budget = b;
	r = &p->hist[p->head];
	p->head = (p->head + 1) % PGC_PFF_HIST;
	p->n = min(p->n + 1, (unsigned int)PGC_PFF_HIST);
	r->t_ms = div_u64(ktime_get_ns() - p->t0_ns, NSEC_PER_MSEC);
	r->cpu_ms = p->cpu_ms;
	r->rate = p->s.rate;
	r->budget = b;
	r->rss = rss;
	r->idle = idle;
	r->move = m;
}

/* debugfs "pff": one line of state, then the history, oldest first. */
void pgc_pff_show(struct seq_file *m, pid_t nr, const struct pgc_pff_target *p,
		  unsigned long budget, unsigned long rss)
{
	const struct pgc_pff_knobs *k = &p->k;
	unsigned int i;

	seq_printf(m, "pff %d low %llu high %llu min %llu max %llu step %llu window_ms %llu budget %lu rss %lu rate %llu cpu_ms %llu windows %llu raises %llu lowers %llu guarded %llu\n",
		   nr, k->low, k->high, k->min, k->max, k->step, k->window_ms,
		   budget, rss, p->s.rate, p->cpu_ms, p->s.windows,
		   p->s.raises, p->s.lowers, p->s.guarded);
	for (i = 0; i < p->n; i++) {
		const struct pgc_pff_rec *r =
			&p->hist[(p->head + PGC_PFF_HIST - p->n + i) % PGC_PFF_HIST];

		seq_printf(m, "history %d t_ms %llu cpu_ms %llu rate %llu budget %llu rss %llu idle %llu move %s\n",
			   nr, r->t_ms, r->cpu_ms, r->rate, r->budget, r->rss,
			   r->idle, pgc_pff_move_name(r->move));
	}
}
