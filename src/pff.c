// SPDX-License-Identifier: GPL-2.0
/*
 * The Page-Fault-Frequency controller's kernel side, one per CLOCK target
 * that asks for it: the process's CPU time and signal faults, and at the
 * end of the windows the controller asks for, a sample of the pages not
 * touched since the last one, fed to src/core/pff.c once per clock tick;
 * a bounded history of its decisions for debugfs "pff".  The CLOCK
 * worker calls in (the sample without its lock: it walks the whole
 * address space); nothing here runs in probe context.
 */
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/vmalloc.h>
#include "walk.h"
#include "tlb.h"
#include "pff.h"
#include "compat.h"

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
	u64 samples;		/* walks of the idle pages, judged or not */
	unsigned int head, n;	/* the history ring */
	struct pgc_pff_rec hist[PGC_PFF_HIST];
};

/*
 * CPU time of the whole thread group, including threads that exited.  An
 * exiting thread's time moves to the signal's sum as the thread leaves
 * the list, under stats_lock: read both inside it (bug: a thread caught
 * in between was counted twice or not at all, and the window's rate with
 * it).
 */
u64 pgc_pff_cpu_ns(struct pid *pid)
{
	struct task_struct *tsk, *t;
	struct signal_struct *sig;
	unsigned int seq, next = 0;
	unsigned long flags;
	u64 ns = 0;

	rcu_read_lock();
	tsk = pid_task(pid, PIDTYPE_PID);
	if (!tsk)
		goto out;
	sig = tsk->signal;
	do {
		seq = next;	/* even: a lockless try; odd: the lock */
		flags = read_seqbegin_or_lock_irqsave(&sig->stats_lock, &seq);
		ns = sig->sum_sched_runtime;
		for_each_thread(tsk, t)
			ns += READ_ONCE(t->se.sum_exec_runtime);
		next = 1;
	} while (need_seqretry(&sig->stats_lock, seq));
	done_seqretry_irqrestore(&sig->stats_lock, seq, flags);
out:
	rcu_read_unlock();
	return ns;
}

/* Start a controller at its process's @cpu time, @faults and @rss. */
void pgc_pff_begin(struct pgc_pff_target *p, u64 cpu, u64 faults, u64 rss)
{
	p->t0_ns = ktime_get_ns();
	pgc_pff_init(&p->s, cpu, faults, rss);
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

/*
 * The knobs of @req checked (-EINVAL: a rule broken), and the budget to
 * start from: the one asked for (-ERANGE outside [min, max]), else
 * @budget, else the RSS, clamped.
 */
int pgc_pff_request(const struct pgc_target_req *req, unsigned long budget,
		    unsigned long rss, unsigned long *start)
{
	const struct pgc_pff_knobs *k = &req->k;

	if (pgc_pff_check(k, totalram_pages()))
		return -EINVAL;
	if (req->budget) {
		if (req->budget < k->min || req->budget > k->max)
			return -ERANGE;
		*start = req->budget;
		return 0;
	}
	*start = clamp_t(unsigned long, budget ? budget : rss, k->min, k->max);
	return 0;
}

/* ---- The sample: the pages not touched since the last one ---- */

struct pgc_pff_walk {
	struct pgc_walk w;	/* w.count: pages not accessed */
	unsigned long cleared;	/* Accessed bits it cleared */
	unsigned long tables;	/* PTE tables and huge pmds it read */
};

static void pgc_pff_idle_ptes(struct pgc_walk *w, pte_t *pte,
			      unsigned long addr, unsigned long end)
{
	struct pgc_pff_walk *pw = container_of(w, struct pgc_pff_walk, w);

	pw->tables++;
	for (; addr < end; addr += PAGE_SIZE, pte++) {
		pte_t v = ptep_get(pte);

		/* Shared pages too are out of the hand's reach: not counted. */
		if (!pgc_pte_is_page(v) || pgc_pfn_shared(pte_pfn(v)))
			continue;
		if (pte_young(v))
			pw->cleared += pgc_ptep_clear_young(pte, v);
		else
			w->count++;
	}
}

static void pgc_pff_idle_pmd(struct pgc_walk *w, pmd_t *pmdp, pmd_t pmd,
			     unsigned long addr)
{
	struct pgc_pff_walk *pw = container_of(w, struct pgc_pff_walk, w);

	pw->tables++;
	if (pmd_protnone(pmd) || pgc_pfn_shared(pmd_pfn(pmd)))
		return;
	if (pmd_young(pmd))
		pw->cleared += pgc_pmdp_clear_young(pmdp, pmd);
	else
		w->count += HPAGE_PMD_NR;
}

/*
 * Count the pages the hand could take (evictable VMAs, not shared) that
 * were not accessed since the last call, clear the bits of those that
 * were, and flush the TLB so the next access sets them again (without it
 * a page hot in a TLB reads idle).  Whole address space, about 16 ns a
 * page (Documentation/benchmarks.md); it may sleep.  0: *@idle is the
 * sample; -EBUSY: none, the mmap lock stayed taken (*@torn: after the
 * walk had cleared bits, so the pages it covered lost what this window
 * saw of them).
 */
int pgc_pff_sample(struct mm_struct *mm, unsigned long *idle, bool *torn)
{
	struct pgc_pff_walk pw = {
		.w = {
			.vma_ok = pgc_vma_evictable,
			.pte_range = pgc_pff_idle_ptes,
			.pmd = pgc_pff_idle_pmd,
			.may_sleep = true,
			.nowait = true,
		},
	};
	int err;

	/*
	 * Others clear Accessed bits: the hand and ad sweeps (the caller
	 * counts those pages as used, and keeps ad sweeps off while this
	 * walks) and the kernel's reclaim, without a flush on x86, so a
	 * hot page whose translation stays cached never sets its bit again
	 * and reads idle.  Flush, and give the process a millisecond to
	 * touch its pages again, on this CPU too, before reading them.  A
	 * page reclaim cleared since its last touch and not touched within
	 * that still reads idle.
	 */
	pgc_tlb_flush_mm(mm);
	usleep_range(1000, 2000);
	err = pgc_walk_mm(mm, &pw.w);
	/*
	 * Done or not, once it read anything: the pages whose bits it cleared
	 * must set them again, and so must those whose bits another cleared
	 * without a flush (an ad sweep without one, the kernel's reclaim).
	 * A sample that never got the lock costs no flush.
	 */
	if (pw.tables)
		pgc_tlb_flush_mm(mm);
	*torn = err && pw.cleared;
	if (err)
		return err;
	*idle = pw.w.count;
	return 0;
}

/*
 * Does the tick at @cpu and @faults want the idle pages?  Then the caller
 * samples them (pgc_pff_sample()), counts it (pgc_pff_sampled()) and,
 * for PGC_PFF_SAMPLE_JUDGE, hands the count to pgc_pff_update().
 */
enum pgc_pff_sample pgc_pff_due(struct pgc_pff_target *p, u64 cpu,
				u64 faults)
{
	return pgc_pff_wants_sample(&p->k, &p->s, cpu, faults);
}

void pgc_pff_sampled(struct pgc_pff_target *p)
{
	p->samples++;
}

/*
 * One tick: @cpu the process's CPU time and @faults its signal faults so
 * far (the values pgc_pff_due() was given), @rss pages resident, @idle
 * not touched since the last sample (PGC_PFF_NO_SAMPLE: not sampled),
 * @reclaims the kernel's reclaim calls so far (the global guard).  May
 * change *@budget.
 */
void pgc_pff_update(struct pgc_pff_target *p, u64 cpu, u64 faults,
		    unsigned long rss, u64 idle, u64 reclaims,
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
	WRITE_ONCE(*budget, b);	/* the fault hook reads it */
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

/* How far the target may grow past its budget now (pgc_pff_grow_get()). */
void pgc_pff_grow(const struct pgc_pff_target *p, u64 cpu,
		  struct pgc_pff_grow *g)
{
	pgc_pff_grow_get(&p->k, &p->s, cpu, g);
}

/* debugfs "pff": one line of state, then the history, oldest first. */
void pgc_pff_show(struct seq_file *m, pid_t nr, const struct pgc_pff_target *p,
		  unsigned long budget, unsigned long rss)
{
	const struct pgc_pff_knobs *k = &p->k;
	unsigned int i;

	seq_printf(m, "pff %d low %llu high %llu min %llu max %llu step %llu window_ms %llu budget %lu rss %lu rate %llu cpu_ms %llu windows %llu raises %llu lowers %llu guarded %llu samples %llu\n",
		   nr, k->low, k->high, k->min, k->max, k->step, k->window_ms,
		   budget, rss, p->s.rate, p->cpu_ms, p->s.windows,
		   p->s.raises, p->s.lowers, p->s.guarded, p->samples);
	for (i = 0; i < p->n; i++) {
		const struct pgc_pff_rec *r =
			&p->hist[(p->head + PGC_PFF_HIST - p->n + i) % PGC_PFF_HIST];

		seq_printf(m, "history %d t_ms %llu cpu_ms %llu rate %llu budget %llu rss %llu idle ",
			   nr, r->t_ms, r->cpu_ms, r->rate, r->budget, r->rss);
		/* "-": no sample was judged in the window. */
		if (r->idle == PGC_PFF_NO_SAMPLE)
			seq_puts(m, "-");
		else
			seq_printf(m, "%llu", r->idle);
		seq_printf(m, " move %s\n", pgc_pff_move_name(r->move));
	}
}
