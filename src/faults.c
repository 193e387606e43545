// SPDX-License-Identifier: GPL-2.0
/*
 * Page-fault breakdown and latency.
 *
 * A kretprobe on handle_mm_fault() (exported, the same prototype on 6.1 and
 * 6.12) snapshots the faulting address's page-table entry on entry and on
 * return; pgc_fault_classify() (src/core/fault.c) turns the two snapshots,
 * the fault flags and the returned vm_fault_t into one class.  Faults that
 * end in SIGSEGV mostly never reach handle_mm_fault() (the architecture
 * rejects them first), so they are counted from the signal_generate
 * tracepoint instead.  Handlers run with preemption off: they only read
 * page tables locklessly and add to per-CPU and per-process counters.
 *
 * Latency uses the scheduler's clock of the CPU the fault began on
 * (cpu_clock()): ktime_get_ns() reads the clocksource, a slow
 * device (HPET) where the TSC is not trusted, as under QEMU TCG, where it
 * cost 10% of fault throughput.
 *
 * faults/hook=1 (tp), and =2 (auto, the default) for all but CLOCK
 * targets, measure the same classes without the kretprobe, which every
 * process pays while anyone is measured: the #PF tracepoints
 * (exceptions:page_fault_user/_kernel) open a fault, a per-thread perf
 * software event PAGE_FAULTS_MIN or _MAJ (fired by mm_account_fault() at
 * the end of handle_mm_fault()) closes it.  Only measured threads carry
 * the events; any other task leaves the tracepoint at its first test.
 * What the events never report is not classed: a retried attempt (the
 * retry that completes is), OOM and failed kernel accesses to user memory
 * ("unfinished"), and GUP; a user fault's SIGSEGV or SIGBUS closes it
 * in the signal hook.
 * Documentation/proposals/fault-hook.md has the reasoning.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/perf_event.h>
#include <linux/hugetlb.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/uaccess.h>
#include <linux/userfaultfd_k.h>
#include <linux/seq_file.h>
#include <linux/signal.h>
#include <asm/trapnr.h>
#include <asm/trap_pf.h>
#include "walk.h"
#include "procs.h"
#include "faults.h"
#include "core/fslot.h"
#include "cow.h"
#include "hooks.h"
#include "compat.h"

struct pgc_fault_stats {
	u64 count[PGC_FC_NR];
	u64 ns[PGC_FC_NR];
	u64 hist[PGC_FC_NR][PGC_HIST_BUCKETS];
	u64 minor, major;
	/* hook=tp: opened and never closed, closed unopened, VMA not read */
	u64 unfinished, unmatched, vma_unknown;
	u64 tp_missed;		/* hook=tp: no free slot */
	u64 uffd;		/* in a userfaultfd's range: not measured */
};

static struct pgc_fault_stats __percpu *pgc_fstats;
static pgc_fault_consumer_fn pgc_fault_consumer;

/* Saved between entry and return of one handle_mm_fault() call. */
struct pgc_fault_call {
	u64 start_ns;
	int cpu;		/* whose clock start_ns is */
	struct mm_struct *mm;	/* the vma may be gone at return: keep its mm */
	unsigned long addr;
	struct pgc_fault f;
};

/*
 * Count one fault; returns the process entry it went to, if any.  Every
 * array here has PGC_FC_NR slots: a class outside them (PGC_FC_NONE, a
 * SIGSEGV that pgc_on_signal() counts) is not counted, whoever passes it.
 */
static struct pgc_proc *pgc_fault_count(enum pgc_fault_class fc, u64 ns,
					bool timed, const struct pgc_fault *f)
{
	unsigned int b = pgc_hist_bucket(ns);
	struct pgc_proc *p;

	if (fc >= PGC_FC_NR)
		return NULL;
	this_cpu_inc(pgc_fstats->count[fc]);
	if (timed) {
		this_cpu_add(pgc_fstats->ns[fc], ns);
		this_cpu_inc(pgc_fstats->hist[fc][b]);
	}
	p = pgc_proc_get(current, true);
	if (p) {
		atomic64_inc(&p->fc[fc]);
		if (timed) {
			atomic64_add(ns, &p->fc_ns[fc]);
			atomic64_inc(&p->hist[b]);
		}
	}
	if (!f || !pgc_fault_accounted(f))
		return p;
	if (pgc_fault_kernel_major(f)) {
		this_cpu_inc(pgc_fstats->major);
		if (p)
			atomic64_inc(&p->major);
	} else {
		this_cpu_inc(pgc_fstats->minor);
		if (p)
			atomic64_inc(&p->minor);
	}
	if (p && fc == PGC_FC_COW_COPY && f->before.anon)
		pgc_cow_copied(p);
	return p;
}

/*
 * Is the faulting process measured: every process is, or this one (a
 * detail file's pid or its descendant, a CLOCK target)?  The others'
 * faults are declined here, which spares them the return probe.
 */
static bool pgc_fault_measured(void)
{
	struct pgc_proc *p;

	if (READ_ONCE(pgc_detail_all))
		return true;
	p = pgc_proc_get(current, false);
	return pgc_proc_detail(p) || (p && READ_ONCE(p->fault_watch));
}

/* What the class needs to know of the VMA the fault is in. */
static void pgc_fault_vma(struct vm_area_struct *vma, unsigned long addr,
			  struct pgc_fault *f)
{
	f->vma_anon = vma_is_anonymous(vma);
	f->vma_shared = vma->vm_flags & VM_SHARED;
	f->vma_other = is_vm_hugetlb_page(vma) ||
		       (vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP | VM_IO));
	f->thp_possible = IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) &&
			  !(vma->vm_flags & VM_NOHUGEPAGE) &&
			  pgc_thp_fits(vma->vm_start, vma->vm_end, addr,
				       PMD_SIZE);
}

/* A fault has ended in @f (after @ns): count it, tell the policy. */
static void pgc_fault_done(struct pgc_fault *f, struct mm_struct *mm,
			   unsigned long addr, u64 ns)
{
	struct pgc_proc *p;

	if (pgc_fault_needs_after(f))
		pgc_snap_addr(mm, addr, &f->after);
	p = pgc_fault_count(pgc_fault_classify(f), ns, true, f);
	/* A process a policy watches (a CLOCK target: refaults, PFF's signal). */
	if (p && READ_ONCE(p->fault_watch)) {
		pgc_fault_consumer_fn fn = READ_ONCE(pgc_fault_consumer);

		if (fn)
			fn(p, mm, addr, f);
	}
}

/* ---- hook=kretprobe: entry and return of each handle_mm_fault() ---- */

static int pgc_fault_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct pgc_fault_call *c = (struct pgc_fault_call *)ri->data;
	struct vm_area_struct *vma;
	struct pt_regs *uregs;
	unsigned int flags;

	if (!pgc_fault_measured())
		return 1;	/* no return probe for this fault */
	vma = (struct vm_area_struct *)regs_get_kernel_argument(regs, 0);
	c->addr = regs_get_kernel_argument(regs, 1);
	flags = regs_get_kernel_argument(regs, 2);
	memset(&c->f, 0, sizeof(c->f));
	c->mm = vma->vm_mm;
	c->f.write = flags & (FAULT_FLAG_WRITE | FAULT_FLAG_UNSHARE);
	c->f.tried = flags & FAULT_FLAG_TRIED;
	uregs = (struct pt_regs *)regs_get_kernel_argument(regs, 3);
	c->f.gup = !uregs;
	c->f.user = uregs && user_mode(uregs);
	pgc_fault_vma(vma, c->addr, &c->f);
	if (!c->f.vma_other && !c->f.gup)
		pgc_snap_addr(c->mm, c->addr, &c->f.before);
	/*
	 * A fault that may wait for a userfaultfd's handler may wait for
	 * good (a lazy restore or post-copy whose source is gone), holding
	 * one of the maxactive instances meanwhile: with all held, no
	 * measured fault was seen, the hard budget's trigger included (bug:
	 * 100 threads parked so).  Not measured, counted; its retry, once
	 * the handler has mapped the page, is.
	 */
	if (userfaultfd_armed(vma) &&
	    pgc_fault_uffd_may_wait(&c->f, vma->vm_flags & VM_UFFD_WP)) {
		this_cpu_inc(pgc_fstats->uffd);
		return 1;
	}
	/*
	 * The fault may end on another CPU (it slept), and with an unstable
	 * sched_clock (TCG guests) CPUs' clocks differ by up to a tick:
	 * both ends read this CPU's (bug: a negative time, counted as a
	 * fault of 2 s or more).
	 */
	c->cpu = smp_processor_id();
	c->start_ns = cpu_clock(c->cpu);
	return 0;
}

static int pgc_fault_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct pgc_fault_call *c = (struct pgc_fault_call *)ri->data;
	vm_fault_t ret = regs_return_value(regs);
	u64 ns = cpu_clock(c->cpu) - c->start_ns;
	struct pgc_fault *f = &c->f;

	f->retry = ret & VM_FAULT_RETRY;
	f->major = ret & VM_FAULT_MAJOR;
	f->oom = ret & VM_FAULT_OOM;
	f->sigbus = ret & (VM_FAULT_SIGBUS | VM_FAULT_HWPOISON |
			   VM_FAULT_HWPOISON_LARGE);
	f->sigsegv = ret & VM_FAULT_SIGSEGV;
	pgc_fault_done(f, c->mm, c->addr, ns);
	return 0;
}

struct kretprobe pgc_fault_krp = {
	.kp.symbol_name = "handle_mm_fault",
	.entry_handler = pgc_fault_entry,
	.handler = pgc_fault_return,
	.data_size = sizeof(struct pgc_fault_call),
};

/* ---- hook=tp: the #PF tracepoints open a fault, perf events close it ---- */

/*
 * Faults in flight at once, a major fault's whole wait included (a slot
 * each, src/core/fslot.c).  A slot is taken at the tracepoint and given
 * back at the event, at the signal the fault raised (SIGSEGV, SIGBUS),
 * at the thread's next fault (which finds it still open: "unfinished")
 * or at its exit.  A slot opened before the last attach of the
 * tracepoints (another gen) closes no fault; its thread opens it again
 * at its next fault or frees it at its exit.
 */
#define PGC_FSLOT_BITS		9
static struct pgc_fslot pgc_fslots[1 << PGC_FSLOT_BITS];
static unsigned int pgc_fslot_gen;

/* The tracepoints attach again: every slot open now is of the past. */
void pgc_fault_tp_new_gen(void)
{
	WRITE_ONCE(pgc_fslot_gen, pgc_fslot_gen + 1);
}

/*
 * Events count faults from the attach of both tracepoints until their
 * detach begins.  Outside, they still give back the slots the probes opened: a
 * probe runs from its registration on, before the hook counts as
 * attached, and a moment after the detach (bug: a process named to a
 * detail file while it faulted left hundreds of slots open, counted
 * "unfinished", while the tracepoints registered).  Not counted there:
 * the kretprobe, attached after a detach, may count the fault too.
 */
static bool pgc_fault_tp_live;

void pgc_fault_tp_set_live(bool live)
{
	WRITE_ONCE(pgc_fault_tp_live, live);
}

bool pgc_fault_tp_is_live(void)
{
	return READ_ONCE(pgc_fault_tp_live);
}

static bool pgc_fslot_open(const struct pgc_fslot *s)
{
	return pgc_fslot_is_open(s, READ_ONCE(pgc_fslot_gen));
}

/* @t's newest slot, or with @take one taken for it; NULL if none. */
static struct pgc_fslot *pgc_fslot(struct task_struct *t, bool take)
{
	return pgc_fslot_get(pgc_fslots, PGC_FSLOT_BITS, t, take);
}

/*
 * exceptions:page_fault_user and page_fault_kernel: first in every #PF,
 * IRQs off, no lock held.  A task without perf events (every task but
 * the measured ones, nearly always) leaves at the first test.  Faults
 * that never reach handle_mm_fault() are skipped where that shows here
 * (kernel addresses, no mm, pagefault_disable(), interrupt context, where
 * they would also take the slot of the thread they interrupted); the
 * others stay open until the signal they raise (pgc_on_signal()) or else
 * the thread's next fault, which counts them unfinished, ends them.
 */
void pgc_fault_tp_entry(void *data, unsigned long addr, struct pt_regs *regs,
			unsigned long error_code)
{
	struct task_struct *t = current;
	struct pgc_fslot *s;

	if (!pgc_task_has_perf(t) || !t->mm || addr >= TASK_SIZE_MAX ||
	    pagefault_disabled() || in_interrupt() || !pgc_fault_measured())
		return;
	s = pgc_fslot(t, true);
	if (!s) {
		this_cpu_inc(pgc_fstats->tp_missed);
		return;
	}
	if (pgc_fslot_open(s))
		this_cpu_inc(pgc_fstats->unfinished);
	memset(&s->f, 0, sizeof(s->f));
	s->open = true;
	s->gen = READ_ONCE(pgc_fslot_gen);
	s->addr = addr;
	s->f.write = error_code & PGC_PF_WRITE;
	s->f.user = user_mode(regs);
	pgc_snap_addr(t->mm, addr, &s->f.before);
	s->cpu = smp_processor_id();
	s->start_ns = cpu_clock(s->cpu);
}

/*
 * The VMA's facts at the end of the fault, which still holds the mmap
 * lock or (since 6.4) the VMA's own lock, except after VM_FAULT_COMPLETED
 * (a write to a shared file page), which dropped it.  Where VMAs are
 * freed after RCU, a lookup under RCU is safe either way; before, a
 * write's VMA is read only under a read lock taken here (a trylock: the
 * fault may hold one, and a waiting writer makes it fail).  Since 6.15
 * the VMA cache is SLAB_TYPESAFE_BY_RCU: a VMA found under RCU may be
 * freed and reused at once, for another mm too, so what was read counts
 * only if the VMA is still @mm's and still covers @addr after the read.
 */
static bool pgc_fault_tp_vma(struct mm_struct *mm, unsigned long addr,
			     struct pgc_fault *f)
{
	bool lock = !PGC_VMA_RCU_FREED && f->write;
	struct vm_area_struct *vma;

	if (lock && !mmap_read_trylock(mm))
		return false;
	rcu_read_lock();
	vma = vma_lookup(mm, addr);
	if (vma) {
		pgc_fault_vma(vma, addr, f);
		smp_rmb();	/* the facts, then whose VMA they were */
		if (READ_ONCE(vma->vm_mm) != mm ||
		    addr < READ_ONCE(vma->vm_start) ||
		    addr >= READ_ONCE(vma->vm_end))
			vma = NULL;
	}
	rcu_read_unlock();
	if (lock)
		mmap_read_unlock(mm);
	return vma;
}

/*
 * Close @t's open fault at @addr, if it has one: its facts into @f, its
 * time into @ns.
 */
static bool pgc_fslot_close(struct task_struct *t, unsigned long addr,
			    struct pgc_fault *f, u64 *ns)
{
	struct pgc_fslot *s = pgc_fslot(t, false);

	if (!s || !pgc_fslot_open(s) || s->addr != addr)
		return false;
	*ns = cpu_clock(s->cpu) - s->start_ns;
	*f = s->f;
	pgc_fslot_put(s);
	return true;
}

/*
 * PAGE_FAULTS_MIN or _MAJ of a measured thread: its fault succeeded.  In
 * the faulting task, preemption off.  A thread whose events were given
 * twice (inherited, then given again) sees each fault twice: the second
 * finds the slot closed by the first on this CPU and is dropped.
 */
struct pgc_fault_tp_last {
	struct task_struct *task;
	unsigned long addr;
};

static DEFINE_PER_CPU(struct pgc_fault_tp_last, pgc_fault_tp_last);

static void pgc_fault_tp_exit(struct perf_event *ev,
			      struct perf_sample_data *data,
			      struct pt_regs *regs)
{
	struct pgc_fault_tp_last *last = this_cpu_ptr(&pgc_fault_tp_last);
	struct task_struct *t = current;
	unsigned long addr;
	struct pgc_fault f;
	bool closed;
	u64 ns;

	/* perf sets the address only when it is not 0. */
	addr = data->sample_flags & PERF_SAMPLE_ADDR ? data->addr : 0;
	closed = pgc_fslot_close(t, addr, &f, &ns);
	if (!READ_ONCE(pgc_fault_tp_live))
		return;
	if (!closed) {
		/*
		 * Not unmatched: a fault of a thread not measured now (it
		 * began after its target or detail let go, before the
		 * events were taken back), or the first that an event
		 * given to a running thread sees (it may have begun before
		 * the event; an inherited one is the thread's from its
		 * start).  What is left: at most one a thread whenever its
		 * measuring begins (a fault begun just before) or the
		 * tracepoints attach (one in flight then), else faults the
		 * tracepoints did not see.
		 */
		if ((last->task != t || last->addr != addr) &&
		    (ev->parent || local64_read(&ev->count) > 1) &&
		    pgc_fault_measured())
			this_cpu_inc(pgc_fstats->unmatched);
		return;
	}
	last->task = t;
	last->addr = addr;
	f.major = ev->attr.config == PERF_COUNT_SW_PAGE_FAULTS_MAJ;
	if (!pgc_fault_tp_vma(t->mm, addr, &f)) {
		this_cpu_inc(pgc_fstats->vma_unknown);
		f.vma_other = true;	/* counted "other" */
	}
	pgc_fault_done(&f, t->mm, addr, ns);
}

/*
 * A thread exits (@t is current): its slots, if it has any, are free
 * again.  Their faults count unfinished only if it is still measured:
 * else they may be faults that succeeded after its events were taken
 * back (bug: a target's fault in flight when CLOCK let it go counted
 * unfinished at its exit).
 */
void pgc_fault_tp_thread_exit(struct task_struct *t)
{
	unsigned int n = pgc_fslot_put_all(pgc_fslots, PGC_FSLOT_BITS, t,
					   READ_ONCE(pgc_fslot_gen));

	if (n && READ_ONCE(pgc_fault_tp_live) && pgc_fault_measured())
		this_cpu_add(pgc_fstats->unfinished, n);
}

/*
 * The perf events of the threads of one measured process.  With
 * @children (a detail file's pid) its later children inherit them as its
 * later threads do; without (a CLOCK target), only its threads.
 */
struct pgc_fevents {
	struct pgc_fevents *next;	/* a holder's other processes */
	struct pid *pid;		/* the process's, held */
	unsigned int nr, max;
	struct {
		struct task_struct *task;
		struct perf_event *ev[2];	/* MIN, MAJ */
	} th[];
};

/*
 * Threads of one process given events: a bound on the kernel memory and
 * on the search for threads not given theirs yet (more: ENOSPC, the
 * kretprobe, faults/hook=0, has no such bound).
 */
#define PGC_FEVENTS_MAX		1024

static int pgc_fevents_give(struct pgc_fevents *fe, unsigned int i,
			    bool children)
{
	static const u64 ids[2] = { PERF_COUNT_SW_PAGE_FAULTS_MIN,
				    PERF_COUNT_SW_PAGE_FAULTS_MAJ };
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.sample_period = 1,
		.inherit = 1,
		.inherit_thread = !children,
	};
	struct perf_event *ev;
	int k;

	for (k = 0; k < 2; k++) {
		attr.config = ids[k];
		ev = perf_event_create_kernel_counter(&attr, -1, fe->th[i].task,
						      pgc_fault_tp_exit, NULL);
		/* A thread that is exiting has no faults left to count. */
		if (PTR_ERR_OR_ZERO(ev) == -ESRCH)
			return 0;
		if (IS_ERR(ev))
			return PTR_ERR(ev);
		fe->th[i].ev[k] = ev;
	}
	return 0;
}

/*
 * Room for @tsk's threads now, beside those *@fep holds (a new set if
 * NULL): threads started while earlier ones were given their events are
 * found by the next pass (bug: a process that went from 1 thread to 40
 * while it was named failed the write with ENOSPC).  -ENOSPC at
 * PGC_FEVENTS_MAX.
 */
static int pgc_fevents_grow(struct pgc_fevents **fep, struct task_struct *tsk)
{
	struct pgc_fevents *fe = *fep, *bigger;
	unsigned int nr = fe ? fe->nr : 0, n;

	n = min_t(unsigned int, nr + 2 * get_nr_threads(tsk) + 16,
		  PGC_FEVENTS_MAX);
	if (fe && n <= fe->max)
		return -ENOSPC;
	bigger = kvzalloc(struct_size(bigger, th, n), GFP_KERNEL);
	if (!bigger)
		return -ENOMEM;
	if (fe)
		memcpy(bigger, fe, struct_size(fe, th, nr));
	bigger->max = n;
	kvfree(fe);
	*fep = bigger;
	return 0;
}

/*
 * The threads of @tsk's process not in @fe yet, taken while there is
 * room; how many, or -ENOSPC when some found none.
 */
static int pgc_fevents_more(struct pgc_fevents *fe, struct task_struct *tsk)
{
	struct task_struct *t;
	unsigned int i;
	int n = 0;

	rcu_read_lock();
	for_each_thread(tsk, t) {
		for (i = 0; i < fe->nr && fe->th[i].task != t; i++)
			;
		if (i < fe->nr)
			continue;
		if (fe->nr == fe->max) {
			n = -ENOSPC;
			break;
		}
		fe->th[fe->nr++].task = get_task_struct(t);
		n++;
	}
	rcu_read_unlock();
	return n;
}

/*
 * Give @tsk's threads the fault events if the tracepoint hook measures
 * what holder @d names (else nothing to do: NULL).  The caller holds
 * demand @d, which keeps the hook's choice until it lets go.  A detail
 * file's process (PGC_DEMAND_SOME) passes them on to its later children
 * as to its later threads; a CLOCK target's threads only inherit them.
 * Threads that start meanwhile inherit them or are found by the next
 * pass.  May sleep.
 */
struct pgc_fevents *pgc_fevents_attach(struct task_struct *tsk,
				       enum pgc_demand d)
{
	bool children = d == PGC_DEMAND_SOME;
	struct pgc_fevents *fe = NULL;
	unsigned int i = 0, pass;
	int err = 0;

	if (!pgc_hooks_fault_tp_serves(d))
		return NULL;
	if (pgc_fevents_grow(&fe, tsk))
		return ERR_PTR(-ENOMEM);
	fe->pid = get_pid(task_tgid(tsk));
	for (pass = 0; pass < 4 && !err; pass++) {
		/* Room for all found, growing: a pass takes every one. */
		while (!err && pgc_fevents_more(fe, tsk) == -ENOSPC)
			err = pgc_fevents_grow(&fe, tsk);
		if (i == fe->nr)
			break;
		for (; i < fe->nr && !err; i++)
			err = pgc_fevents_give(fe, i, children);
	}
	if (err) {
		pgc_fevents_detach(fe);
		return ERR_PTR(err);
	}
	return fe;
}

/* One holder's events of several processes: @fe, then @next. */
void pgc_fevents_chain(struct pgc_fevents *fe, struct pgc_fevents *next)
{
	fe->next = next;
}

/*
 * How many live processes chain *@chain has events for, whether @tsk's
 * among them.  The exited ones are moved to *@dead, for the caller to
 * detach where it may sleep.
 */
unsigned int pgc_fevents_count(struct pgc_fevents **chain,
			       struct task_struct *tsk, bool *has,
			       struct pgc_fevents **dead)
{
	struct pgc_fevents *fe;
	unsigned int n = 0;

	*has = false;
	while ((fe = *chain)) {
		if (!pid_has_task(fe->pid, PIDTYPE_TGID)) {
			*chain = fe->next;
			fe->next = *dead;
			*dead = fe;
			continue;
		}
		*has |= fe->pid == task_tgid(tsk);
		n++;
		chain = &fe->next;
	}
	return n;
}

/*
 * Take the events back, of @fe and those chained to it (their inherited
 * copies with them: no handler runs after); may sleep.
 */
void pgc_fevents_detach(struct pgc_fevents *fe)
{
	struct pgc_fevents *next;
	unsigned int i;
	int k;

	for (; !IS_ERR_OR_NULL(fe); fe = next) {
		for (i = 0; i < fe->nr; i++) {
			for (k = 0; k < 2; k++)
				if (fe->th[i].ev[k])
					perf_event_release_kernel(fe->th[i].ev[k]);
			put_task_struct(fe->th[i].task);
		}
		put_pid(fe->pid);
		next = fe->next;
		kvfree(fe);
	}
}

/*
 * A SIGSEGV or SIGBUS the page-fault handler raised: x86 records the trap
 * and error code in the thread just before sending it
 * (set_signal_archinfo()), and never clears them, so the signal's own
 * code must be a fault's too (a signal the thread sent itself, or a
 * timer's, may carry any address).  Under hook=tp it also ends the fault
 * the tracepoint opened, which no perf event closes (mm_account_fault()
 * skips errors): a SIGBUS is counted from it, with its time, as the
 * kretprobe's return counts it; a SIGSEGV's class is counted here under
 * either hook.  Not after the tracepoints' detach: the kretprobe may have
 * counted a SIGBUS at an address a stale slot still holds.
 */
void pgc_on_signal(void *data, int sig, struct kernel_siginfo *info,
		   struct task_struct *task, int group, int result)
{
	struct pgc_fault f;
	unsigned long ec;
	bool bus;
	int code;
	u64 ns;

	if ((sig != SIGSEGV && sig != SIGBUS) || task != current ||
	    (unsigned long)info <= 1 || !in_task())
		return;
	code = info->si_code;
	bus = sig == SIGBUS;
	if (bus ? code != BUS_ADRERR && code != BUS_MCEERR_AR :
		  code != SEGV_MAPERR && code != SEGV_ACCERR &&
		  code != SEGV_PKUERR)
		return;
	if (current->thread.trap_nr != X86_TRAP_PF ||
	    current->thread.cr2 != (unsigned long)info->si_addr)
		return;
	/*
	 * Only a thread with perf events has slots (pgc_fault_tp_entry()):
	 * the others, nearly all, skip the search of the slot table.  A
	 * task keeps its perf context until it exits, its last event gone
	 * or not (6.1, 6.12), so a slot's thread still passes here.
	 */
	if (pgc_task_has_perf(current) &&
	    pgc_fslot_close(current, current->thread.cr2, &f, &ns) &&
	    READ_ONCE(pgc_fault_tp_live) && bus) {
		f.sigbus = true;
		pgc_fault_count(pgc_fault_classify(&f), ns, true, &f);
	}
	if (bus)
		return;
	ec = current->thread.error_code;
	pgc_fault_count(pgc_segv_classify(code == SEGV_MAPERR,
					  code == SEGV_PKUERR,
					  ec & X86_PF_WRITE, ec & X86_PF_INSTR),
			0, false, NULL);
}

void pgc_faults_set_consumer(pgc_fault_consumer_fn fn)
{
	WRITE_ONCE(pgc_fault_consumer, fn);
}

int pgc_faults_init(void)
{
	pgc_fstats = alloc_percpu(struct pgc_fault_stats);
	if (!pgc_fstats)
		return -ENOMEM;
	/*
	 * One instance per fault in flight; major faults sleep, so allow many
	 * per CPU.  A fault that finds none is counted in nmissed ("missed").
	 */
	pgc_fault_krp.maxactive = max_t(int, 64, 16 * num_possible_cpus());
	return 0;
}

void pgc_faults_exit(void)
{
	free_percpu(pgc_fstats);
	pgc_fstats = NULL;
}

/* ---- debugfs "faults": system-wide totals ---- */

int pgc_faults_show(struct seq_file *m, void *unused)
{
	u64 minor = 0, major = 0, count, ns, hist[PGC_HIST_BUCKETS];
	u64 missed = 0, unfinished = 0, unmatched = 0, vma_unknown = 0;
	u64 uffd = 0;
	int cpu, fc, b;

	for_each_possible_cpu(cpu) {
		struct pgc_fault_stats *s = per_cpu_ptr(pgc_fstats, cpu);

		minor += s->minor;
		major += s->major;
		missed += s->tp_missed;
		unfinished += s->unfinished;
		unmatched += s->unmatched;
		vma_unknown += s->vma_unknown;
		uffd += s->uffd;
	}
	seq_printf(m, "minor %llu\nmajor %llu\n", minor, major);
	seq_printf(m, "missed %llu\n",
		   missed + pgc_hooks_missed(&pgc_fault_krp));
	seq_printf(m, "procs_dropped %llu\n", pgc_procs_dropped());
	/* hook_switches first: an older CLI's "hook %s" takes its name too. */
	seq_printf(m, "hook_switches %lu\nhook %s\nunfinished %llu\nunmatched %llu\nvma_unknown %llu\n",
		   pgc_hooks_fault_switches(),
		   pgc_hooks_fault_tp_on() ? "tp" :
		   pgc_hooks_faults_on() ? "kretprobe" : "off",
		   unfinished, unmatched, vma_unknown);
	seq_printf(m, "uffd %llu\n", uffd);
	seq_puts(m, "# class <name> <count> <total_ns> <log2 ns histogram h0..h31>\n");
	for (fc = 0; fc < PGC_FC_NR; fc++) {
		count = 0;
		ns = 0;
		memset(hist, 0, sizeof(hist));
		for_each_possible_cpu(cpu) {
			struct pgc_fault_stats *s = per_cpu_ptr(pgc_fstats, cpu);

			count += s->count[fc];
			ns += s->ns[fc];
			for (b = 0; b < PGC_HIST_BUCKETS; b++)
				hist[b] += s->hist[fc][b];
		}
		seq_printf(m, "class %s %llu %llu", pgc_fault_class_name(fc),
			   count, ns);
		for (b = 0; b < PGC_HIST_BUCKETS; b++)
			seq_printf(m, " %llu", hist[b]);
		seq_putc(m, '\n');
	}
	return 0;
}
