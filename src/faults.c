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
 * cost 10% of fault throughput.  A kprobe at entry plus the PAGE_FAULTS
 * perf events as the end hook measured no cheaper than this kretprobe.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/hugetlb.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/signal.h>
#include <asm/trapnr.h>
#include <asm/trap_pf.h>
#include "walk.h"
#include "procs.h"
#include "faults.h"
#include "cow.h"
#include "hooks.h"

struct pgc_fault_stats {
	u64 count[PGC_FC_NR];
	u64 ns[PGC_FC_NR];
	u64 hist[PGC_FC_NR][PGC_HIST_BUCKETS];
	u64 minor, major;
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
			atomic_inc(&p->hist[b]);
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
	c->f.vma_anon = vma_is_anonymous(vma);
	c->f.vma_shared = vma->vm_flags & VM_SHARED;
	c->f.vma_other = is_vm_hugetlb_page(vma) ||
			 (vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP | VM_IO));
	c->f.thp_possible = IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) &&
			    !(vma->vm_flags & VM_NOHUGEPAGE) &&
			    pgc_thp_fits(vma->vm_start, vma->vm_end, c->addr,
					 PMD_SIZE);
	if (!c->f.vma_other && !c->f.gup)
		pgc_snap_addr(c->mm, c->addr, &c->f.before);
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
	struct pgc_proc *p;

	f->retry = ret & VM_FAULT_RETRY;
	f->major = ret & VM_FAULT_MAJOR;
	f->oom = ret & VM_FAULT_OOM;
	f->sigbus = ret & (VM_FAULT_SIGBUS | VM_FAULT_HWPOISON |
			   VM_FAULT_HWPOISON_LARGE);
	f->sigsegv = ret & VM_FAULT_SIGSEGV;
	if (pgc_fault_needs_after(f))
		pgc_snap_addr(c->mm, c->addr, &f->after);
	p = pgc_fault_count(pgc_fault_classify(f), ns, true, f);
	/* A process a policy watches (a CLOCK target: refaults, PFF's signal). */
	if (p && READ_ONCE(p->fault_watch)) {
		pgc_fault_consumer_fn fn = READ_ONCE(pgc_fault_consumer);

		if (fn)
			fn(p, c->mm, c->addr, f);
	}
	return 0;
}

struct kretprobe pgc_fault_krp = {
	.kp.symbol_name = "handle_mm_fault",
	.entry_handler = pgc_fault_entry,
	.handler = pgc_fault_return,
	.data_size = sizeof(struct pgc_fault_call),
};

/*
 * A SIGSEGV the page-fault handler raised: x86 records the trap and error
 * code in the thread just before sending it (set_signal_archinfo()).
 */
void pgc_on_signal(void *data, int sig, struct kernel_siginfo *info,
		   struct task_struct *task, int group, int result)
{
	unsigned long ec;
	int code;

	if (sig != SIGSEGV || task != current || (unsigned long)info <= 1)
		return;
	code = info->si_code;
	if (code != SEGV_MAPERR && code != SEGV_ACCERR && code != SEGV_PKUERR)
		return;
	if (current->thread.trap_nr != X86_TRAP_PF ||
	    current->thread.cr2 != (unsigned long)info->si_addr)
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
	int cpu, fc, b;

	for_each_possible_cpu(cpu) {
		minor += per_cpu_ptr(pgc_fstats, cpu)->minor;
		major += per_cpu_ptr(pgc_fstats, cpu)->major;
	}
	seq_printf(m, "minor %llu\nmajor %llu\n", minor, major);
	seq_printf(m, "missed %llu\n", pgc_hooks_missed(&pgc_fault_krp));
	seq_printf(m, "procs_dropped %llu\n", pgc_procs_dropped());
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
