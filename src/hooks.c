// SPDX-License-Identifier: GPL-2.0
/*
 * Every kernel hook pageclock attaches, as one table: install and uninstall
 * are loops over it, and debugfs "features" prints it.  A hook that cannot
 * attach on the running kernel leaves the module working without it; its
 * line says why.
 *
 * The fault hooks are attached on demand: the kretprobe cost every
 * process on the machine 20-27% of its fault throughput under TCG
 * (Documentation/benchmarks.md), so it is attached only while someone
 * asks for fault classes: a CLOCK target (refaults, PFF's signal), an
 * open debugfs "detail" (the CLI's stat, top, faults -I, record) or
 * faults/detail set.  The #PF tracepoints replace it while only some
 * processes are measured (their threads carry perf events,
 * src/faults.c), which the others then pay about half as much: under
 * faults/hook=auto, the default, while those are detail files' pids
 * only, under faults/hook=tp for CLOCK targets too.  Measuring all
 * processes takes the kretprobe.
 *
 *  kind        | name              | handler           | feeds
 *  ------------+-------------------+-------------------+----------------------
 *  kretprobe   | handle_mm_fault   | pgc_fault_entry/  | fault classes, latency
 *  (on demand) |                   | pgc_fault_return  | refaults, PFF signal
 *  tracepoint  | page_fault_user,  | pgc_fault_tp_entry| the same, hook=tp,
 *  (on demand) | page_fault_kernel | (+ perf events)   | some processes only
 *  tracepoint  | sched_process_exit| pgc_on_exit       | COW, process table,
 *              |                   |                   | hook=tp's slots
 *  tracepoint  | signal_generate   | pgc_on_signal     | SIGSEGV, SIGBUS
 *              |                   |                   | classes; ends
 *              |                   |                   | hook=tp's faults
 *  tracepoint  | sched_process_fork| pgc_on_fork       | COW: S per fork
 *  tracepoint  | sched_process_exec| pgc_on_exec       | COW: end of sharing
 *  tracepoint  | tlb_flush         | pgc_on_tlb_flush  | TLB flushes by reason
 *  kprobe      | native_flush_tlb_ | pgc_tlb_multi_pre | shootdowns sent:
 *              | multi             |                   | cause, target CPUs
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include "hooks.h"
#include "faults.h"
#include "cow.h"
#include "tlb.h"
#include "knobs.h"
#include "procs.h"
#include "target.h"
#include "compat.h"

enum pgc_hook_kind { PGC_KRETPROBE, PGC_TRACEPOINT, PGC_KPROBE };

struct pgc_hook {
	enum pgc_hook_kind kind;
	const char *name;
	const char *use;
	const char *cost;		/* measured: Documentation/benchmarks.md */
	void *probe;			/* tracepoint probe */
	struct kretprobe *krp;		/* kretprobe */
	struct kprobe *kp;		/* kprobe */
	struct tracepoint *tp;		/* found at install */
	int err;
	bool attached;
	bool on_demand;			/* attached while asked for */
	bool hook_tp;			/* on demand under faults/hook=tp */
	void (*detached)(unsigned long live);	/* told at an on-demand detach */
	u64 missed;			/* kretprobe: nmissed of attachments past */
};

/* The rows read by name: the fault hooks, and the exit that frees slots. */
enum {
	PGC_HOOK_FAULT,
	PGC_HOOK_FAULT_TP,
	PGC_HOOK_FAULT_TP_KERNEL,
	PGC_HOOK_EXIT
};

/*
 * Each hook's cost as measured in guest instructions (bench/hooks
 * --icount, 6.1 and 6.12; Documentation/benchmarks.md): "features" says
 * it.  Real hardware adds what an instruction costs beyond one.
 */
#define PGC_COST_NONE	"none measured: faults, fork+exit and context switches within 0.5% of the module unloaded (bench/hooks --icount)"
#define PGC_COST_KRP	"19-20% of a measured process's fault rate, 7% of the others' while it is attached (bench/hooks --icount; faults/hook=0, or 2 while a CLOCK target exists)"
#define PGC_COST_EXEC	"within the spread of fork+exec+exit (bench/hooks --tests exec), which file reads pace even counted in instructions: +-10%"
#define PGC_COST_SIGNAL	"6% of a SIGSEGV caught and left by siglongjmp(), about 230 instructions (bench/hooks --icount --tests segv); other signals leave at its first test"
#define PGC_COST_IPI	"not measured: under TCG a shootdown waits for the other vCPU's turn, which sets its rate"
#define PGC_COST_TP	"23-25% of a measured process's fault rate, 4% of the others' while it is attached (bench/hooks --icount; faults/hook=1, or 2 for a detail file's processes)"

static struct pgc_hook pgc_hooks[] = {
	[PGC_HOOK_FAULT] = { PGC_KRETPROBE, "handle_mm_fault",
	  "fault classes and latency",
	  .cost = PGC_COST_KRP,
	  .krp = &pgc_fault_krp, .on_demand = true,
	  .detached = pgc_cow_unwatched },
	[PGC_HOOK_FAULT_TP] = { PGC_TRACEPOINT, "page_fault_user",
	  "fault classes and latency (the tracepoint hook, faults/hook=1 or 2)",
	  .cost = PGC_COST_TP,
	  .probe = pgc_fault_tp_entry, .on_demand = true, .hook_tp = true,
	  .detached = pgc_cow_unwatched },
	[PGC_HOOK_FAULT_TP_KERNEL] = { PGC_TRACEPOINT, "page_fault_kernel",
	  "kernel accesses to user memory (the tracepoint hook)",
	  .cost = PGC_COST_TP,
	  .probe = pgc_fault_tp_entry, .on_demand = true, .hook_tp = true },
	[PGC_HOOK_EXIT] = { PGC_TRACEPOINT, "sched_process_exit", "process exit",
	  .cost = PGC_COST_NONE,
	  .probe = pgc_on_exit },
	{ PGC_TRACEPOINT, "signal_generate", "SIGSEGV and SIGBUS fault classes",
	  .cost = PGC_COST_SIGNAL,
	  .probe = pgc_on_signal },
	{ PGC_TRACEPOINT, "sched_process_fork", "copy-on-write after fork",
	  .cost = PGC_COST_NONE,
	  .probe = pgc_on_fork },
	{ PGC_TRACEPOINT, "sched_process_exec", "end of fork sharing at exec",
	  .cost = PGC_COST_EXEC,
	  .probe = pgc_on_exec },
	{ PGC_TRACEPOINT, "tlb_flush", "TLB flushes by reason and cause",
	  .cost = "1% of an mprotect() that flushes locally (bench/hooks --icount)",
	  .probe = pgc_on_tlb_flush },
	{ PGC_KPROBE, "native_flush_tlb_multi", "TLB shootdowns sent",
	  .cost = PGC_COST_IPI,
	  .kp = &pgc_tlb_kp },
};

static void pgc_tp_find(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(pgc_hooks); i++)
		if (pgc_hooks[i].kind == PGC_TRACEPOINT &&
		    !strcmp(tp->name, pgc_hooks[i].name))
			pgc_hooks[i].tp = tp;
}

static int pgc_hook_attach(struct pgc_hook *h)
{
	switch (h->kind) {
	case PGC_KRETPROBE:
		/* Registered again after an unregister: from its symbol. */
		h->krp->kp.addr = NULL;
		h->krp->kp.flags = 0;
		return register_kretprobe(h->krp);
	case PGC_KPROBE:
		return register_kprobe(h->kp);
	case PGC_TRACEPOINT:
		if (!h->tp)
			return -ENOENT;
		return tracepoint_probe_register(h->tp, h->probe, NULL);
	}
	return -EINVAL;
}

static void pgc_hook_detach(struct pgc_hook *h)
{
	if (!h->attached)
		return;
	/*
	 * Off, and its users told, before it stops counting: a fork record
	 * closed between the disarm and the end of the unregister would
	 * otherwise say its copies were all counted.
	 */
	WRITE_ONCE(h->attached, false);
	if (h->hook_tp)
		pgc_fault_tp_set_live(false);
	if (h->detached)
		h->detached(0);
	if (h->kind == PGC_KRETPROBE) {
		unregister_kretprobe(h->krp);
		/* register_kretprobe() zeroes them: keep the sum. */
		h->missed += h->krp->nmissed + h->krp->kp.nmissed;
	} else if (h->kind == PGC_KPROBE) {
		unregister_kprobe(h->kp);
	} else {
		tracepoint_probe_unregister(h->tp, h->probe, NULL);
	}
}

/*
 * The on-demand hooks: wanted while the module is live (between install
 * and uninstall) and a holder or faults/detail asks.  pgc_demand_lock
 * orders their attach and detach, which sleep, and the holders' counts
 * and bits.
 */
static DEFINE_MUTEX(pgc_demand_lock);
static bool pgc_hooks_live;
static unsigned int pgc_demand_holders[3];	/* by enum pgc_demand */
/* Bits taken by detail files, until no process holds them any more. */
static unsigned long pgc_detail_used;
/*
 * enum pgc_fault_hook: faults/hook, taken while nobody holds some; from
 * the knob's default before any file can name a process (pgc_hooks_init).
 */
static unsigned int pgc_fault_mode;
/* Handovers between the kretprobe and the tracepoints: debugfs faults. */
static unsigned long pgc_fault_hook_switches;
/*
 * The fault events (faults/hook=tp) of the processes each file named, at
 * most PGC_DETAIL_PIDS each (ENOSPC past them): bounded memory.
 */
static struct pgc_fevents *pgc_detail_fev[PGC_DETAIL_FILES];
#define PGC_DETAIL_PIDS		64
bool pgc_detail_all;
unsigned long pgc_detail_bits;

/* What measures processes now: PGC_DETAIL_ALL and the files' bits. */
static unsigned long pgc_detail_live(void)
{
	return (READ_ONCE(pgc_detail_all) ? PGC_DETAIL_ALL : 0) |
	       READ_ONCE(pgc_detail_bits);
}

/*
 * The on-demand hooks to match @want, the tracepoints' (@tp) or the
 * kretprobe: 0, or the error of one that could not attach.
 */
static int pgc_hooks_apply(bool want, bool tp)
{
	bool was_tp = pgc_hooks_fault_tp_on();
	bool was = pgc_hooks_faults_on();
	int i, err = 0;

	/* Off first: one hook taking over from the other counts no fault twice. */
	for (i = 0; i < ARRAY_SIZE(pgc_hooks); i++) {
		struct pgc_hook *h = &pgc_hooks[i];

		if (h->on_demand && h->attached && !(want && h->hook_tp == tp))
			pgc_hook_detach(h);
	}
	for (i = 0; i < ARRAY_SIZE(pgc_hooks); i++) {
		struct pgc_hook *h = &pgc_hooks[i];

		if (!h->on_demand || h->attached || !(want && h->hook_tp == tp))
			continue;
		if (i == PGC_HOOK_FAULT_TP)
			pgc_fault_tp_new_gen();
		h->err = pgc_hook_attach(h);
		/* On once it runs: see pgc_hooks_faults_on(). */
		WRITE_ONCE(h->attached, !h->err);
		err = err ?: h->err;
	}
	/*
	 * Faults count once both tracepoints run (bug: counted from the
	 * first, a measured thread's kernel-mode faults meanwhile found
	 * no open fault, "unmatched", hundreds in one read()).
	 */
	if (want && tp && !err)
		pgc_fault_tp_set_live(true);
	if (was && pgc_hooks_faults_on() && was_tp != pgc_hooks_fault_tp_on())
		WRITE_ONCE(pgc_fault_hook_switches, pgc_fault_hook_switches + 1);
	return err;
}

/*
 * Does the tracepoint hook measure the processes holder @d names, under
 * faults/hook as the hooks took it (stable while a demand for some is
 * held)?  Under auto not a CLOCK target's: its hard budget and PFF read
 * what the kretprobe gives (abi.md, faults/hook).
 */
bool pgc_hooks_fault_tp_serves(enum pgc_demand d)
{
	unsigned int mode = READ_ONCE(pgc_fault_mode);

	return mode == PGC_FAULT_HOOK_TP ||
	       (mode == PGC_FAULT_HOOK_AUTO && d != PGC_DEMAND_TARGET);
}

/*
 * Has the kernel what the tracepoint hook needs: the #PF tracepoints, and
 * the exit's, which frees a thread's slots?  Known once installed.
 */
static bool pgc_fault_tp_usable(void)
{
	return pgc_hooks[PGC_HOOK_EXIT].attached &&
	       pgc_hooks[PGC_HOOK_FAULT_TP].tp;
}

/* The holders for some processes: detail files given pids, CLOCK targets. */
static unsigned int pgc_hooks_some(void)
{
	return pgc_demand_holders[PGC_DEMAND_SOME] +
	       pgc_demand_holders[PGC_DEMAND_TARGET];
}

/* 0, or the error of a hook wanted that could not attach. */
static int pgc_hooks_demand_sync(void)
{
	bool all = pgc_demand_holders[PGC_DEMAND_ALL] ||
		   pgc_knob(PGC_K_FAULTS_DETAIL);
	bool target = pgc_demand_holders[PGC_DEMAND_TARGET];
	bool want = pgc_hooks_live && (all || pgc_hooks_some());
	bool narrowed = READ_ONCE(pgc_detail_all) && !all;
	/*
	 * The tracepoints serve measured threads only, never "all", and
	 * only if every holder's processes have their events.  Auto takes
	 * the kretprobe where they cannot serve (faults/hook=1 is refused
	 * there); the events given meanwhile go unheard.
	 */
	bool tp = !all && pgc_hooks_fault_tp_serves(PGC_DEMAND_SOME) &&
		  (!target || pgc_hooks_fault_tp_serves(PGC_DEMAND_TARGET)) &&
		  pgc_fault_tp_usable();
	int err;

	lockdep_assert_held(&pgc_demand_lock);
	/* Before an attach: its first faults see who is measured. */
	WRITE_ONCE(pgc_detail_all, all);
	err = pgc_hooks_apply(want, tp);
	/*
	 * Tracepoints that could not attach: the kretprobe measures the
	 * same processes (their perf events then go unheard), never nobody.
	 * features has the tracepoint's error.
	 */
	if (err && want && tp)
		err = pgc_hooks_apply(want, false);
	/* Still attached, for fewer processes: forks of the others. */
	if (narrowed && pgc_hooks_faults_on())
		pgc_cow_unwatched(pgc_detail_live());
	return err;
}

/*
 * Ask for the fault classes until pgc_hooks_demand_put(), which the
 * caller owes even on error; may sleep.  Before install or after
 * uninstall it only counts.  The kretprobe's error if it could not
 * attach.
 */
int pgc_hooks_demand_get(enum pgc_demand d)
{
	int err;

	mutex_lock(&pgc_demand_lock);
	pgc_demand_holders[d]++;
	err = pgc_hooks_demand_sync();
	mutex_unlock(&pgc_demand_lock);
	return err;
}

void pgc_hooks_demand_put(enum pgc_demand d)
{
	mutex_lock(&pgc_demand_lock);
	if (!WARN_ON_ONCE(!pgc_demand_holders[d]))
		pgc_demand_holders[d]--;
	pgc_hooks_demand_sync();
	mutex_unlock(&pgc_demand_lock);
}

/*
 * faults/hook was written: refused while a process is measured by name,
 * whose perf events (hook=tp, auto) or lack of them were chosen then,
 * which holding a demand for some keeps; and tp where a thread's exit
 * cannot be seen, which frees its slot (auto takes the kretprobe there).
 */
int pgc_hooks_hook_changed(void)
{
	unsigned int mode;
	int err = 0;

	mutex_lock(&pgc_demand_lock);
	/* Under the lock: of two writers, the last one's value is taken. */
	mode = pgc_knob(PGC_K_FAULTS_HOOK);
	if (mode == pgc_fault_mode)
		goto unlock;
	if (mode == PGC_FAULT_HOOK_TP && !pgc_fault_tp_usable())
		err = -EOPNOTSUPP;
	else if (pgc_hooks_some())
		err = -EBUSY;
	else
		/* Nothing to attach: with none measured by name, tp is unused. */
		WRITE_ONCE(pgc_fault_mode, mode);
unlock:
	mutex_unlock(&pgc_demand_lock);
	return err;
}

/* faults/detail was written: 0, or the error of an attach it asked for. */
int pgc_hooks_demand_changed(void)
{
	int err;

	mutex_lock(&pgc_demand_lock);
	err = pgc_hooks_demand_sync();
	mutex_unlock(&pgc_demand_lock);
	return err;
}

/* Between install and uninstall the on-demand hooks follow their askers. */
static void pgc_hooks_set_live(bool live)
{
	mutex_lock(&pgc_demand_lock);
	pgc_hooks_live = live;
	pgc_hooks_demand_sync();
	mutex_unlock(&pgc_demand_lock);
}

/* After the knobs' defaults, before sysfs and debugfs can change them. */
void pgc_hooks_init(void)
{
	pgc_fault_mode = pgc_knob(PGC_K_FAULTS_HOOK);
}

/*
 * Never fails for a missing hook: features reports it.  But for the
 * exit's: without it no process table entry would ever be marked
 * exited, and a pid reused would take a dead process's entry and
 * counts.  Every kernel has that tracepoint; only an allocation fails.
 */
int pgc_hooks_install(void)
{
	int i, err;

	for_each_kernel_tracepoint(pgc_tp_find, NULL);
	for (i = 0; i < ARRAY_SIZE(pgc_hooks); i++) {
		struct pgc_hook *h = &pgc_hooks[i];

		if (h->on_demand) {
			/* features says so until it could attach. */
			if (h->kind == PGC_TRACEPOINT && !h->tp)
				h->err = -ENOENT;
			continue;
		}
		h->err = pgc_hook_attach(h);
		h->attached = !h->err;
	}
	err = pgc_hooks[PGC_HOOK_EXIT].err;
	if (err) {
		pgc_hooks_uninstall();
		return err;
	}
	pgc_hooks_set_live(true);
	return 0;
}

/* Safe to call twice, and after a partial install. */
void pgc_hooks_uninstall(void)
{
	int i;

	pgc_hooks_set_live(false);
	for (i = ARRAY_SIZE(pgc_hooks) - 1; i >= 0; i--)
		pgc_hook_detach(&pgc_hooks[i]);
	/*
	 * No tracepoint probe may still run when the data goes away, the
	 * on-demand ones detached earlier included.
	 */
	tracepoint_synchronize_unregister();
}

/*
 * Is the fault hook attached?  True only once it runs, false from before
 * it stops: a fork that sees true is watched until the detach tells cow.c
 * (pgc_cow_unwatched).
 */
bool pgc_hooks_faults_on(void)
{
	return READ_ONCE(pgc_hooks[PGC_HOOK_FAULT].attached) ||
	       pgc_hooks_fault_tp_on();
}

/*
 * Is it the tracepoints, whose perf events end faults?  Once both run
 * and their faults count (bug: a fork while the second registered was
 * watched, its copies not counted, and no record said partial).
 */
bool pgc_hooks_fault_tp_on(void)
{
	return READ_ONCE(pgc_hooks[PGC_HOOK_FAULT_TP].attached) &&
	       pgc_fault_tp_is_live();
}

unsigned long pgc_hooks_fault_switches(void)
{
	return READ_ONCE(pgc_fault_hook_switches);
}

/* A kretprobe's misses (no free instance) over all its attachments. */
u64 pgc_hooks_missed(const struct kretprobe *krp)
{
	u64 n = 0;
	int i;

	mutex_lock(&pgc_demand_lock);
	for (i = 0; i < ARRAY_SIZE(pgc_hooks); i++) {
		struct pgc_hook *h = &pgc_hooks[i];

		if (h->krp != krp)
			continue;
		n = h->missed;
		if (h->attached)
			n += krp->nmissed + krp->kp.nmissed;
	}
	mutex_unlock(&pgc_demand_lock);
	return n;
}

/* The hooks always attached that are, of *@total; *@on_demand the others. */
unsigned int pgc_hooks_attached(unsigned int *total, unsigned int *on_demand)
{
	unsigned int n = 0;
	int i;

	*total = 0;
	*on_demand = 0;
	for (i = 0; i < ARRAY_SIZE(pgc_hooks); i++) {
		if (pgc_hooks[i].on_demand) {
			++*on_demand;
			continue;
		}
		++*total;
		n += pgc_hooks[i].attached;
	}
	return n;
}

void pgc_hooks_show(struct seq_file *m)
{
	static const char *const kinds[] = { "kretprobe", "tp", "kprobe" };
	char name[64];
	int i;

	mutex_lock(&pgc_demand_lock);
	for (i = 0; i < ARRAY_SIZE(pgc_hooks); i++) {
		struct pgc_hook *h = &pgc_hooks[i];

		snprintf(name, sizeof(name), "%s:%s", kinds[h->kind], h->name);
		if (h->attached && h->on_demand)
			seq_printf(m, "%-26s attached    for %s, on demand: %u holders for all processes, %u for some, faults/detail %u; cost %s\n",
				   name, h->use,
				   pgc_demand_holders[PGC_DEMAND_ALL],
				   pgc_hooks_some(),
				   pgc_knob(PGC_K_FAULTS_DETAIL), h->cost);
		else if (h->attached)
			seq_printf(m, "%-26s attached    for %s; cost %s\n",
				   name, h->use, h->cost);
		else if (h->on_demand && !h->err)
			seq_printf(m, "%-26s off         attached on demand, for %s: while a target, an open debugfs detail or faults/detail asks; cost %s\n",
				   name, h->use, h->cost);
		else if (h->err == -ENOENT && h->kind == PGC_TRACEPOINT)
			seq_printf(m, "%-26s unavailable no such tracepoint in this kernel; %s not counted\n",
				   name, h->use);
		else
			seq_printf(m, "%-26s unavailable attach failed (error %d); %s not counted\n",
				   name, h->err, h->use);
	}
	mutex_unlock(&pgc_demand_lock);
}

/*
 * debugfs "detail": open, it holds the fault classes on for every process
 * (the CLI keeps it open while it measures, and the kernel closes it if
 * the CLI dies); a pid written to it narrows it to that process and the
 * processes it forks from then on.  It reads whether they are on.  An
 * open fails with the kretprobe's error if it cannot attach.  The file's
 * bit (seq_file private: bit + 1, 0 for every process) is in each
 * process it measures.
 */
static int pgc_detail_show(struct seq_file *m, void *unused)
{
	mutex_lock(&pgc_demand_lock);
	seq_printf(m, "attached %d holders %u detail %u some %u\n",
		   pgc_hooks_faults_on(), pgc_demand_holders[PGC_DEMAND_ALL],
		   pgc_knob(PGC_K_FAULTS_DETAIL), pgc_hooks_some());
	mutex_unlock(&pgc_demand_lock);
	return 0;
}

/*
 * Under hook=tp, may detail file @m name @tsk's process: -EEXIST it has
 * (its events stay, once), -ENOSPC it names PGC_DETAIL_PIDS live ones
 * already.  Exited ones leave the chain for *@dead.
 */
static int pgc_detail_named(struct seq_file *m, struct task_struct *tsk,
			    struct pgc_fevents **dead)
{
	long bit = (long)m->private - 1;
	unsigned int n;
	bool has;

	lockdep_assert_held(&pgc_demand_lock);
	if (bit < 0)
		return 0;
	n = pgc_fevents_count(&pgc_detail_fev[bit], tsk, &has, dead);
	if (has)
		return -EEXIST;
	return n >= PGC_DETAIL_PIDS ? -ENOSPC : 0;
}

static int pgc_detail_open(struct inode *inode, struct file *file)
{
	int err = pgc_hooks_demand_get(PGC_DEMAND_ALL);

	if (!err)
		err = single_open(file, pgc_detail_show, NULL);
	if (err)
		pgc_hooks_demand_put(PGC_DEMAND_ALL);
	return err;
}

static ssize_t pgc_detail_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct pgc_fevents *fev = NULL, *dead = NULL;
	struct task_struct *tsk;
	struct mm_struct *mm;
	struct pgc_proc *p;
	long bit;
	pid_t nr;
	int err;

	err = pgc_parse_pid_user(ubuf, count, &nr);
	if (!err)
		err = pgc_target_get(nr, &tsk, &mm);
	if (err)
		return err;
	mmput(mm);
	/*
	 * A demand for some, held while the process's events are made
	 * (outside the lock: they sleep), keeps the hook they are for.
	 */
	err = pgc_hooks_demand_get(PGC_DEMAND_SOME);
	if (err)
		goto put;
	mutex_lock(&pgc_demand_lock);
	err = pgc_detail_named(m, tsk, &dead);
	mutex_unlock(&pgc_demand_lock);
	if (err)
		goto put;
	fev = pgc_fevents_attach(tsk, PGC_DEMAND_SOME);
	err = PTR_ERR_OR_ZERO(fev);
	if (err)
		goto put;
	mutex_lock(&pgc_demand_lock);
	/* Again: another write of this file may have named it meanwhile. */
	err = pgc_detail_named(m, tsk, &dead);
	if (err)
		goto unlock;
	bit = (long)m->private - 1;
	if (bit < 0)
		bit = find_first_zero_bit(&pgc_detail_used, PGC_DETAIL_FILES);
	if (bit >= PGC_DETAIL_FILES) {
		err = -EBUSY;	/* the file goes on measuring every process */
		goto unlock;
	}
	/* The entry stays the process's while in an RCU read section. */
	rcu_read_lock();
	p = pgc_proc_get(tsk, true);
	if (p)
		atomic_long_or(BIT(bit), &p->detail);
	rcu_read_unlock();
	if (!p) {
		/* Exiting, or no room in the process table. */
		err = (tsk->flags & PF_EXITING) ? -ESRCH : -ENOSPC;
		goto unlock;
	}
	if (!m->private) {
		__set_bit(bit, &pgc_detail_used);
		/* Live from here: the bit in p now counts, and its forks get it. */
		WRITE_ONCE(pgc_detail_bits, pgc_detail_bits | BIT(bit));
		m->private = (void *)(bit + 1);
		/* One holder less for all, one more for some: no detach. */
		pgc_demand_holders[PGC_DEMAND_SOME]++;
		pgc_demand_holders[PGC_DEMAND_ALL]--;
		pgc_hooks_demand_sync();
	}
	if (fev) {
		pgc_fevents_chain(fev, pgc_detail_fev[bit]);
		pgc_detail_fev[bit] = fev;
		fev = NULL;
	}
unlock:
	mutex_unlock(&pgc_demand_lock);
	pgc_fevents_detach(fev);
put:
	pgc_fevents_detach(dead);
	pgc_hooks_demand_put(PGC_DEMAND_SOME);
	put_task_struct(tsk);
	/* Named already: measured, as asked. */
	return err == -EEXIST ? count : err ?: count;
}

static int pgc_detail_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	long bit = (long)m->private - 1;
	struct pgc_fevents *fev;

	if (bit < 0) {
		pgc_hooks_demand_put(PGC_DEMAND_ALL);
		return single_release(inode, file);
	}
	/*
	 * Not live from here: the hooks ignore it and forks copy only live
	 * bits.  The open forks it alone measured are partial from now.
	 */
	mutex_lock(&pgc_demand_lock);
	WRITE_ONCE(pgc_detail_bits, pgc_detail_bits & ~BIT(bit));
	if (pgc_hooks_faults_on())
		pgc_cow_unwatched(pgc_detail_live());
	fev = pgc_detail_fev[bit];
	pgc_detail_fev[bit] = NULL;
	mutex_unlock(&pgc_demand_lock);
	pgc_fevents_detach(fev);
	pgc_hooks_demand_put(PGC_DEMAND_SOME);
	/* Forks that read it live have returned: no process gets it now. */
	synchronize_rcu();
	pgc_procs_detail_clear(bit);
	mutex_lock(&pgc_demand_lock);
	__clear_bit(bit, &pgc_detail_used);
	mutex_unlock(&pgc_demand_lock);
	return single_release(inode, file);
}

const struct file_operations pgc_detail_fops = {
	.owner = THIS_MODULE,
	.open = pgc_detail_open,
	.read = seq_read,
	.write = pgc_detail_write,
	.llseek = seq_lseek,
	.release = pgc_detail_release,
};
