// SPDX-License-Identifier: GPL-2.0
/*
 * Per-process statistics for every process, in a table of fixed size
 * allocated at load (max_procs slots): memory is bounded and nothing is
 * allocated in probe context.
 *
 * A process's slot is found by hashing its tgid and probing at most
 * PGC_PROBE_WINDOW slots.  Lookups are lockless: a slot's tgid is published
 * with release semantics after its fields are reset.  Inserting takes
 * pgc_procs_lock and uses a free slot of the window, else the one whose
 * process exited first (exited processes go first), else the process is
 * not tracked and "dropped" counts it.
 *
 * A slot is only reused once its process has exited and an RCU grace
 * period has passed since: the hooks, which run with preemption off, find
 * only live processes' slots, so none can still hold the slot's pointer and
 * add to the old process's counters in the new one's.  The reset is a
 * seqcount write section, which the "procs" reader retries around.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "procs.h"

/* 1024 processes is a busy test box; each slot costs about 600 bytes. */
static unsigned int pgc_max_procs = 1024;
module_param_named(max_procs, pgc_max_procs, uint, 0444);
MODULE_PARM_DESC(max_procs, "processes tracked at once (64..65536, default 1024)");

/* Long enough to place a process despite collisions, short for lookups. */
#define PGC_PROBE_WINDOW 32

static struct pgc_proc *pgc_procs;
static unsigned int pgc_procs_mask;
static DEFINE_RAW_SPINLOCK(pgc_procs_lock);
static u64 pgc_procs_next_id;
static atomic64_t pgc_procs_drops;

int pgc_procs_init(void)
{
	unsigned int n;

	if (pgc_max_procs < 64 || pgc_max_procs > 65536) {
		pr_err("max_procs=%u is out of range 64..65536\n", pgc_max_procs);
		return -EINVAL;
	}
	n = roundup_pow_of_two(pgc_max_procs);
	pgc_procs = vzalloc(array_size(n, sizeof(*pgc_procs)));
	if (!pgc_procs)
		return -ENOMEM;
	pgc_procs_mask = n - 1;
	while (n--)
		seqcount_init(&pgc_procs[n].seq);
	pgc_procs_next_id = 1;
	atomic64_set(&pgc_procs_drops, 0);
	return 0;
}

void pgc_procs_exit(void)
{
	vfree(pgc_procs);
	pgc_procs = NULL;
}

u64 pgc_procs_dropped(void)
{
	return atomic64_read(&pgc_procs_drops);
}

static struct pgc_proc *pgc_slot(unsigned int i)
{
	return &pgc_procs[i & pgc_procs_mask];
}

/*
 * Lockless, from any context.  The slot's tgid and its "exited" must come
 * from one state: a pid reused by a new process could otherwise read an
 * exited entry's tgid before its reset and "exited" (cleared) after it,
 * and take the entry being given to another process.  A reset in
 * progress (odd count) or in between skips the slot; never spins.
 */
static struct pgc_proc *pgc_proc_find(pid_t tgid, unsigned int h)
{
	unsigned int i, seq;

	for (i = 0; i < PGC_PROBE_WINDOW; i++) {
		struct pgc_proc *p = pgc_slot(h + i);

		seq = raw_read_seqcount(&p->seq);
		if (seq & 1)
			continue;
		/* Pairs with the release in pgc_proc_reset(). */
		if (smp_load_acquire(&p->tgid) == tgid && !READ_ONCE(p->exited) &&
		    !read_seqcount_retry(&p->seq, seq))
			return p;
	}
	return NULL;
}

/*
 * Called with pgc_procs_lock held: the slot to (re)use, or NULL (the
 * choice is src/core/window.c's).
 */
static struct pgc_proc *pgc_proc_victim(unsigned int h)
{
	struct pgc_window w;
	int i;

	pgc_window_start(&w);
	for (i = 0; i < PGC_PROBE_WINDOW; i++) {
		struct pgc_proc *p = pgc_slot(h + i);
		/* Pairs with the release in pgc_proc_exited(). */
		bool reusable = p->tgid && smp_load_acquire(&p->reusable) &&
				poll_state_synchronize_rcu(p->exit_gp);

		if (pgc_window_offer(&w, i, !p->tgid, reusable,
				     reusable ? p->exit_ns : 0))
			break;
	}
	return w.pick < 0 ? NULL : pgc_slot(h + w.pick);
}

static void pgc_proc_reset(struct pgc_proc *p, struct task_struct *tsk)
{
	struct pgc_proc *parent;
	struct task_struct *rp;

	/* Lookups skip the slot while its tgid reads 0. */
	WRITE_ONCE(p->tgid, 0);
	write_seqcount_begin(&p->seq);
	memset(p, 0, offsetof(struct pgc_proc, seq));
	p->id = pgc_procs_next_id++;
	rcu_read_lock();
	rp = rcu_dereference(tsk->real_parent);
	p->ppid = rp ? rp->tgid : 0;
	rcu_read_unlock();
	parent = p->ppid ? pgc_proc_find(p->ppid, hash_32(p->ppid, 32)) : NULL;
	if (parent) {
		p->parent_id = parent->id;
		p->parent_slot = parent - pgc_procs;
	}
	pgc_copy_comm(p->comm, tsk);
	write_seqcount_end(&p->seq);
	/* Publish the reset slot: lookups may match it from here on. */
	smp_store_release(&p->tgid, tsk->tgid);
}

/*
 * The entry of @tsk's process, created if @create.  Never sleeps: callable
 * from kprobe and tracepoint handlers.  NULL when the table has no room.
 */
struct pgc_proc *pgc_proc_get(struct task_struct *tsk, bool create)
{
	unsigned int h = hash_32(tsk->tgid, 32);
	struct pgc_proc *p;
	unsigned long flags;

	p = pgc_proc_find(tsk->tgid, h);
	/*
	 * None for a process whose last thread is exiting: its entry is
	 * marked exited (or about to be), and a new one would never be.
	 */
	if (p || !create || !atomic_read(&tsk->signal->live))
		return p;

	raw_spin_lock_irqsave(&pgc_procs_lock, flags);
	p = pgc_proc_find(tsk->tgid, h);
	/*
	 * Alive again under the lock, which pgc_proc_exited() takes after
	 * the last thread's count went to 0: either it finds this entry, or
	 * this sees the count at 0 (bug: a detail write about another
	 * process, preempted here, made an entry that stayed alive for good).
	 */
	if (!p && atomic_read(&tsk->signal->live)) {
		p = pgc_proc_victim(h);
		if (p)
			pgc_proc_reset(p, tsk);
		else
			atomic64_inc(&pgc_procs_drops);
	}
	raw_spin_unlock_irqrestore(&pgc_procs_lock, flags);
	return p;
}

/*
 * True while @p is still the live process whose entry had @id.  Callers
 * that are not hooks (which run with preemption off) hold rcu_read_lock()
 * from this test to their last use of @p: an exited process's entry is
 * reused only a grace period after its exit.  The fork record keeps what
 * a process's children did after it exited.
 */
bool pgc_proc_same(struct pgc_proc *p, u64 id)
{
	return id && READ_ONCE(p->id) == id && !READ_ONCE(p->exited);
}

/* The entry of @p's parent, if it is still the same live process. */
struct pgc_proc *pgc_proc_parent(struct pgc_proc *p)
{
	struct pgc_proc *parent = pgc_slot(p->parent_slot);

	return pgc_proc_same(parent, p->parent_id) ? parent : NULL;
}

/* Called when the last thread of @tsk's group exits. */
void pgc_proc_exited(struct task_struct *tsk)
{
	struct pgc_proc *p;
	unsigned long flags;

	raw_spin_lock_irqsave(&pgc_procs_lock, flags);
	p = pgc_proc_get(tsk, false);
	if (p) {
		p->exit_ns = ktime_get_ns();
		/* Readers that see "exited" also see exit_ns. */
		smp_store_release(&p->exited, true);
	}
	raw_spin_unlock_irqrestore(&pgc_procs_lock, flags);
	if (!p)
		return;
	/* From here on no hook finds the slot: reusable after this period. */
	p->exit_gp = start_poll_synchronize_rcu();
	/* pgc_proc_victim() reads exit_gp once it sees this. */
	smp_store_release(&p->reusable, true);
}

/* A "detail" holder's bit, off in every process (process context). */
void pgc_procs_detail_clear(unsigned int bit)
{
	unsigned int i;

	for (i = 0; i <= pgc_procs_mask; i++) {
		atomic_long_andnot(BIT(bit), &pgc_procs[i].detail);
		if (!(i & 1023))
			cond_resched();
	}
}

/*
 * Copy @tsk's name without task_lock(): the callers run under the raw
 * pgc_procs_lock with interrupts off, or in tracepoints (signal_generate
 * holds siglock), where taking it would invert the lock order.  A rename
 * racing with the copy leaves a mix of the two names, never more than
 * TASK_COMM_LEN - 1 bytes: the size is @dst's and the last byte is NUL.
 */
void pgc_copy_comm(char dst[TASK_COMM_LEN], struct task_struct *tsk)
{
	memcpy(dst, tsk->comm, TASK_COMM_LEN - 1);
	dst[TASK_COMM_LEN - 1] = '\0';
}

/* A process name as one token (src/core/name.c), after a space. */
void pgc_seq_comm(struct seq_file *m, const char *comm)
{
	char esc[PGC_NAME_ESC_SIZE(TASK_COMM_LEN)];

	pgc_name_escape(esc, comm, TASK_COMM_LEN);
	seq_printf(m, " %s", esc);
}

/* ---- debugfs "procs": one line per process, columns named in line 1 ---- */

static void *pgc_procs_start(struct seq_file *m, loff_t *pos)
{
	return *pos <= pgc_procs_mask + 1 ? pos : NULL;
}

static void *pgc_procs_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return pgc_procs_start(m, pos);
}

static void pgc_procs_stop(struct seq_file *m, void *v)
{
}

static int pgc_procs_show(struct seq_file *m, void *v)
{
	loff_t pos = *(loff_t *)v;
	struct pgc_proc *p, c;
	unsigned int seq;
	int i;

	if (pos == 0) {
		seq_puts(m, "tgid ppid id parent_id state minor major forks cow_shared cow_copies tlb_local tlb_sent tlb_targets");
		for (i = 0; i < PGC_FC_NR; i++)
			seq_printf(m, " %s", pgc_fault_class_name(i));
		for (i = 0; i < PGC_FC_NR; i++)
			seq_printf(m, " %s_ns", pgc_fault_class_name(i));
		for (i = 0; i < PGC_HIST_BUCKETS; i++)
			seq_printf(m, " h%d", i);
		seq_puts(m, " comm\n");
		return 0;
	}
	/* A copy, whole: never half the old process and half the new one. */
	p = pgc_slot(pos - 1);
	do {
		seq = read_seqcount_begin(&p->seq);
		memcpy(&c, p, offsetof(struct pgc_proc, seq));
	} while (read_seqcount_retry(&p->seq, seq));
	p = &c;
	if (!p->tgid)
		return 0;
	seq_printf(m, "%d %d %llu %llu %s %lld %lld %lld %lld %lld %lld %lld %lld",
		   p->tgid, p->ppid, p->id, p->parent_id,
		   p->exited ? "exited" : "alive",
		   atomic64_read(&p->minor), atomic64_read(&p->major),
		   atomic64_read(&p->forks), atomic64_read(&p->cow_shared),
		   atomic64_read(&p->cow_copies), atomic64_read(&p->tlb_local),
		   atomic64_read(&p->tlb_sent), atomic64_read(&p->tlb_targets));
	for (i = 0; i < PGC_FC_NR; i++)
		seq_printf(m, " %lld", atomic64_read(&p->fc[i]));
	for (i = 0; i < PGC_FC_NR; i++)
		seq_printf(m, " %lld", atomic64_read(&p->fc_ns[i]));
	for (i = 0; i < PGC_HIST_BUCKETS; i++)
		seq_printf(m, " %lld", atomic64_read(&p->hist[i]));
	pgc_seq_comm(m, p->comm);
	seq_putc(m, '\n');
	return 0;
}

const struct seq_operations pgc_procs_seq_ops = {
	.start = pgc_procs_start,
	.next = pgc_procs_next,
	.stop = pgc_procs_stop,
	.show = pgc_procs_show,
};
