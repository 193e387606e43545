// SPDX-License-Identifier: GPL-2.0
/*
 * TLB shootdowns: the tlb:tlb_flush tracepoint counts every flush by the
 * kernel's reason, with the pages it covered; a kprobe on
 * native_flush_tlb_multi() (where shootdowns are sent, also behind KVM's
 * paravirt flush) counts the CPUs each one targets.  Flushes a CPU starts
 * itself (local ones, and shootdowns it sends) are also counted by cause
 * (core.h, enum pgc_tlb_cause) and against the process of the task that
 * started them.  Received shootdowns run in an interrupt on whatever task
 * that CPU was running, so they are counted system-wide only.
 *
 * The cause comes from the initiating context: the module's own flag,
 * the task's reclaim and kernel-thread flags, and whether it is in a
 * system call (x86-64 entry stores -ENOSYS in pt_regs->ax until the call
 * returns; an exception leaves the user's ax there and its error code in
 * orig_ax).
 */
#include <linux/kprobes.h>
#include <linux/mm_types.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/seq_file.h>
#include <asm/ptrace.h>
#include <asm/tlbflush.h>
#include "features.h"
#include "procs.h"
#include "tlb.h"
#include "compat.h"

/* Pages per flush: log2 buckets 1, 2-3, ... 2^14+, and one for "all". */
#define PGC_TLB_PAGE_BUCKETS	16
#define PGC_TLB_PAGES_ALL	PGC_TLB_PAGE_BUCKETS
/* CPUs a shootdown targets: 1, 2-3, 4-7, ... 128+. */
#define PGC_TLB_CPU_BUCKETS	8

struct pgc_tlb_stats {
	u64 reason[PGC_TLB_NR_REASONS];
	u64 local[PGC_TC_NR];		/* local flushes started, by cause */
	u64 sent[PGC_TC_NR];		/* shootdowns sent, by cause */
	u64 targets;			/* CPUs targeted, summed */
	u64 cpus[PGC_TLB_CPU_BUCKETS];
	u64 pages[PGC_TLB_PAGE_BUCKETS + 1];
};

static struct pgc_tlb_stats __percpu *pgc_tstats;

/* Set around the module's own flushes (preemption off). */
static DEFINE_PER_CPU(bool, pgc_tlb_own);

static const char *const pgc_tlb_reasons[PGC_TLB_NR_REASONS] = {
	[TLB_FLUSH_ON_TASK_SWITCH] = "task_switch",
	[TLB_REMOTE_SHOOTDOWN] = "remote_shootdown_received",
	[TLB_LOCAL_SHOOTDOWN] = "local_shootdown",
	[TLB_LOCAL_MM_SHOOTDOWN] = "local_mm_shootdown",
	[TLB_REMOTE_SEND_IPI] = "remote_shootdown_sent",
#ifdef PGC_TLB_WRONG_CPU
	[PGC_TLB_WRONG_CPU] = "remote_wrong_cpu",
#endif
};

static void pgc_tlb_flush_cpu(void *fn)
{
	((void (*)(void))fn)();
}

/* The fallback's local flush: exported, or resolved (0: none). */
static unsigned long pgc_tlb_local_fn(void)
{
	return pgc_flush_tlb_all_fn(pgc_sym_callable(PGC_SYM_FLUSH_TLB_ALL));
}

/*
 * The module's own flush of @mm's translations everywhere, after it
 * cleared Accessed bits (counted under cause "pageclock"): through
 * flush_tlb_mm_range() when it may be called here (IBT, features), else
 * on every CPU, since with PCIDs a CPU keeps entries of an mm it
 * switched away from.  With neither (IBT, 6.19+, __flush_tlb_all()
 * sealed or not found) no flush: a page hot in a TLB then looks idle
 * until its entry is evicted, and "flush_method" says "none".
 */
void pgc_tlb_flush_mm(struct mm_struct *mm)
{
	unsigned long addr = pgc_sym_callable(PGC_SYM_FLUSH_TLB_MM_RANGE);
	void (*flush)(struct mm_struct *mm, unsigned long start,
		      unsigned long end, unsigned int stride_shift,
		      bool freed_tables) = (void *)addr;
	unsigned long local = pgc_tlb_local_fn();

	preempt_disable();
	this_cpu_write(pgc_tlb_own, true);
	if (flush)
		flush(mm, 0, PGC_TLB_FLUSH_ALL, PAGE_SHIFT, false);
	else if (local)
		on_each_cpu(pgc_tlb_flush_cpu, (void *)local, 1);
	this_cpu_write(pgc_tlb_own, false);
	preempt_enable();
}

bool pgc_tlb_can_flush(void)
{
	return pgc_sym_callable(PGC_SYM_FLUSH_TLB_MM_RANGE) || pgc_tlb_local_fn();
}

const char *pgc_tlb_flush_method(void)
{
	if (pgc_sym_callable(PGC_SYM_FLUSH_TLB_MM_RANGE))
		return "flush_tlb_mm_range";
	return pgc_tlb_local_fn() ? "ipi_all_cpus" : "none";
}

static enum pgc_tlb_cause pgc_tlb_current_cause(void)
{
	struct pgc_tlb_ctx c = {
		.own = this_cpu_read(pgc_tlb_own),
		.reclaim = current->flags & (PF_MEMALLOC | PF_KSWAPD),
		.kthread = current->flags & PF_KTHREAD,
	};

	if (!c.own && !c.reclaim && !c.kthread && !in_interrupt()) {
		struct pt_regs *regs = task_pt_regs(current);

		c.syscall = regs->ax == (unsigned long)-ENOSYS &&
			    (long)regs->orig_ax >= 0;
		c.compat = in_ia32_syscall();
		c.nr = regs->orig_ax;
	}
	return pgc_tlb_cause(&c);
}

static struct pgc_proc *pgc_tlb_proc(void)
{
	if (current->flags & PF_KTHREAD || in_interrupt())
		return NULL;
	return pgc_proc_get(current, true);
}

static unsigned int pgc_tlb_page_bucket(unsigned long pages)
{
	unsigned int b;

	if (pages == PGC_TLB_FLUSH_ALL)
		return PGC_TLB_PAGES_ALL;
	b = pgc_hist_bucket(pages);
	return min_t(unsigned int, b, PGC_TLB_PAGE_BUCKETS - 1);
}

/* tlb:tlb_flush; runs with preemption or interrupts off. */
void pgc_on_tlb_flush(void *data, int reason, unsigned long pages)
{
	struct pgc_proc *p;

	if (reason < 0 || reason >= PGC_TLB_NR_REASONS)
		return;
	this_cpu_inc(pgc_tstats->reason[reason]);
	if (reason != TLB_LOCAL_SHOOTDOWN && reason != TLB_LOCAL_MM_SHOOTDOWN &&
	    reason != TLB_REMOTE_SEND_IPI)
		return;
	this_cpu_inc(pgc_tstats->pages[pgc_tlb_page_bucket(pages)]);
	if (reason == TLB_REMOTE_SEND_IPI)
		return;		/* counted by cause in the kprobe */
	this_cpu_inc(pgc_tstats->local[pgc_tlb_current_cause()]);
	p = pgc_tlb_proc();
	if (p)
		atomic64_inc(&p->tlb_local);
}

/* native_flush_tlb_multi(cpumask, info): a shootdown being sent. */
static int pgc_tlb_multi_pre(struct kprobe *kp, struct pt_regs *regs)
{
	const struct cpumask *mask = (const struct cpumask *)regs->di;
	unsigned int n = cpumask_weight(mask);
	struct pgc_proc *p;

	/* The initiator flushes itself without an IPI. */
	if (cpumask_test_cpu(smp_processor_id(), mask))
		n--;
	this_cpu_inc(pgc_tstats->sent[pgc_tlb_current_cause()]);
	this_cpu_add(pgc_tstats->targets, n);
	this_cpu_inc(pgc_tstats->cpus[min_t(unsigned int, pgc_hist_bucket(n),
					    PGC_TLB_CPU_BUCKETS - 1)]);
	p = pgc_tlb_proc();
	if (p) {
		atomic64_inc(&p->tlb_sent);
		atomic64_add(n, &p->tlb_targets);
	}
	return 0;
}

struct kprobe pgc_tlb_kp = {
	.symbol_name = "native_flush_tlb_multi",
	.pre_handler = pgc_tlb_multi_pre,
};

int pgc_tlb_init(void)
{
	pgc_tstats = alloc_percpu(struct pgc_tlb_stats);
	return pgc_tstats ? 0 : -ENOMEM;
}

void pgc_tlb_exit(void)
{
	free_percpu(pgc_tstats);
	pgc_tstats = NULL;
}

/* debugfs "tlb": "key value" lines, tables as "key name k v ..." records. */
int pgc_tlb_show(struct seq_file *m, void *unused)
{
	struct pgc_tlb_stats sum = {};
	int cpu, i;

	for_each_possible_cpu(cpu) {
		struct pgc_tlb_stats *s = per_cpu_ptr(pgc_tstats, cpu);

		for (i = 0; i < PGC_TLB_NR_REASONS; i++)
			sum.reason[i] += s->reason[i];
		for (i = 0; i < PGC_TC_NR; i++) {
			sum.local[i] += s->local[i];
			sum.sent[i] += s->sent[i];
		}
		for (i = 0; i < PGC_TLB_CPU_BUCKETS; i++)
			sum.cpus[i] += s->cpus[i];
		for (i = 0; i <= PGC_TLB_PAGE_BUCKETS; i++)
			sum.pages[i] += s->pages[i];
		sum.targets += s->targets;
	}
	for (i = 0; i < PGC_TLB_NR_REASONS; i++)
		seq_printf(m, "reason %s count %llu\n", pgc_tlb_reasons[i],
			   sum.reason[i]);
	for (i = 0; i < PGC_TC_NR; i++)
		seq_printf(m, "cause %s local %llu sent %llu\n",
			   pgc_tlb_cause_name(i), sum.local[i], sum.sent[i]);
	seq_printf(m, "targets %llu\n", sum.targets);
	for (i = 0; i < PGC_TLB_CPU_BUCKETS; i++)
		seq_printf(m, "cpus %u count %llu\n", 1U << i, sum.cpus[i]);
	for (i = 0; i < PGC_TLB_PAGE_BUCKETS; i++)
		seq_printf(m, "pages %u count %llu\n", 1U << i, sum.pages[i]);
	seq_printf(m, "pages all count %llu\n", sum.pages[PGC_TLB_PAGES_ALL]);
	seq_printf(m, "missed %lu\n", pgc_tlb_kp.nmissed);
	return 0;
}
