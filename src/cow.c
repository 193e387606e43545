// SPDX-License-Identifier: GPL-2.0
/*
 * Copy-on-write efficiency of fork().
 *
 * For each fork of a process (not threads, not vfork), S is the number of
 * resident pages the fork left shared copy-on-write: the child's anonymous
 * pages that are not exclusive to it, counted by the child itself on its
 * way to its first instruction (a task_work queued from the
 * sched_process_fork tracepoint), when its page tables are still as fork
 * made them.  Not in the tracepoint: preemption is off there, and a walk
 * of a large or sparse address space took most of a millisecond per
 * table-full GiB.  c is the number of COW copy faults that followed, in
 * the parent (its latest fork still open) and in the child, until the
 * child exits or execs.  c/S near 0: fork shared well; near 1: every
 * shared page was copied anyway.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/huge_mm.h>
#include <linux/sizes.h>
#include <linux/delay.h>
#include <linux/task_work.h>
#include "pageclock.h"

/* Recent forks; a power of two.  256 covers a burst of a fork-heavy job. */
#define PGC_FORK_RING 256

/*
 * At most this many page-table entries, empty ones too, are read per fork
 * (4 GiB of 4 KiB pages, a few ms of the child's time); past it, S is a
 * lower bound.
 */
#define PGC_FORK_WALK_BUDGET SZ_1M

enum { PGC_FORK_OPEN, PGC_FORK_EXITED, PGC_FORK_EXECED };

struct pgc_fork {
	u64 seq;		/* 0: empty */
	u64 time_ns;
	pid_t parent, child;
	char comm[TASK_COMM_LEN];
	u64 shared;		/* S */
	bool partial;		/* S is a lower bound (walk not complete) */
	u8 state;
	atomic64_t c_parent, c_child;
};

static struct pgc_fork pgc_forks[PGC_FORK_RING];
static atomic64_t pgc_fork_seq;
/* Orders a record's reuse against its child writing S into it. */
static DEFINE_RAW_SPINLOCK(pgc_forks_lock);

/*
 * A child's count of S, queued on it at fork; one per ring slot, so
 * memory is bounded and nothing is allocated in the tracepoint.  Busy
 * from the fork until the count is written: a fork whose slot's count is
 * still pending (256 children that have not run yet) is not counted.
 */
struct pgc_fork_count {
	struct callback_head work;
	atomic_t busy;
	u64 seq;
	struct pgc_proc *parent;	/* the parent's entry, while its id */
	u64 parent_id;			/* is still this one */
};

static struct pgc_fork_count pgc_fork_counts[PGC_FORK_RING];

static struct pgc_fork *pgc_fork_find(u64 seq)
{
	struct pgc_fork *r;

	if (!seq)
		return NULL;
	r = &pgc_forks[seq & (PGC_FORK_RING - 1)];
	return READ_ONCE(r->seq) == seq && READ_ONCE(r->state) == PGC_FORK_OPEN ?
		r : NULL;
}

static bool pgc_cow_vma(struct pgc_walk *w, struct vm_area_struct *vma)
{
	return vma->anon_vma && !(vma->vm_flags & VM_SHARED);
}

static void pgc_cow_pte(struct pgc_walk *w, pte_t *ptep, pte_t pte,
			unsigned long addr)
{
	struct pgc_pte_snap s;

	pgc_snap_pte(pte, &s);
	if (s.kind == PGC_PTE_PRESENT && s.anon && !s.exclusive)
		w->count++;
}

static void pgc_cow_pmd(struct pgc_walk *w, pmd_t *pmdp, pmd_t pmd,
			unsigned long addr)
{
	struct pgc_pte_snap s;

	pgc_snap_pmd(pmd, addr, &s);
	if (s.kind == PGC_PTE_HUGE && s.anon && !s.exclusive)
		w->count += HPAGE_PMD_NR;
}

/* S of the current process's @mm, in process context; may sleep. */
static u64 pgc_fork_shared(struct mm_struct *mm, bool *partial)
{
	struct pgc_walk w = {
		.vma_ok = pgc_cow_vma,
		.pte = pgc_cow_pte,
		.pmd = pgc_cow_pmd,
		.budget = PGC_FORK_WALK_BUDGET,
		.may_sleep = true,
	};

	pgc_walk_mm(mm, &w);
	*partial = w.truncated || w.raced;
	return w.count;
}

/*
 * Runs in the child before its first instruction (or in its exit, with no
 * mm, if it was killed first): count S into the fork's record.
 */
static void pgc_fork_count_fn(struct callback_head *work)
{
	struct pgc_fork_count *fc = container_of(work, struct pgc_fork_count, work);
	struct pgc_fork *r = &pgc_forks[fc->seq & (PGC_FORK_RING - 1)];
	bool partial = true;
	u64 shared = 0;

	if (current->mm)
		shared = pgc_fork_shared(current->mm, &partial);
	raw_spin_lock(&pgc_forks_lock);
	if (r->seq == fc->seq) {
		WRITE_ONCE(r->shared, shared);
		WRITE_ONCE(r->partial, partial);
	}
	raw_spin_unlock(&pgc_forks_lock);
	/* Preemptible here: the read section keeps the entry from reuse. */
	rcu_read_lock();
	if (fc->parent && pgc_proc_same(fc->parent, fc->parent_id))
		atomic64_add(shared, &fc->parent->cow_shared);
	rcu_read_unlock();
	/* Last: pgc_cow_exit() waits for this, then for the text's last use. */
	atomic_set_release(&fc->busy, 0);
}

void pgc_on_fork(void *data, struct task_struct *parent,
		 struct task_struct *child)
{
	struct pgc_fork_count *fc;
	struct pgc_proc *pp, *cp;
	struct pgc_fork *r;
	u64 seq;

	/* Threads and vfork share the mm: nothing is copied on write. */
	if (!child->mm || child->mm == parent->mm || (child->flags & PF_KTHREAD))
		return;

	pp = pgc_proc_get(parent, true);
	seq = atomic64_inc_return(&pgc_fork_seq);
	r = &pgc_forks[seq & (PGC_FORK_RING - 1)];
	raw_spin_lock(&pgc_forks_lock);
	WRITE_ONCE(r->seq, 0);
	r->time_ns = ktime_get_ns();
	r->parent = parent->tgid;
	r->child = child->tgid;
	pgc_copy_comm(r->comm, parent);
	/* A lower bound, 0, until the child has counted. */
	WRITE_ONCE(r->shared, 0);
	WRITE_ONCE(r->partial, true);
	atomic64_set(&r->c_parent, 0);
	atomic64_set(&r->c_child, 0);
	r->state = PGC_FORK_OPEN;
	/* Publish: a reader that sees seq sees the fields written above. */
	smp_store_release(&r->seq, seq);
	raw_spin_unlock(&pgc_forks_lock);

	fc = &pgc_fork_counts[seq & (PGC_FORK_RING - 1)];
	if (!atomic_cmpxchg(&fc->busy, 0, 1)) {
		fc->seq = seq;
		fc->parent = pp;
		fc->parent_id = pp ? pp->id : 0;
		init_task_work(&fc->work, pgc_fork_count_fn);
		/* Fails only if the child is already exiting. */
		if (task_work_add(child, &fc->work, TWA_RESUME))
			atomic_set(&fc->busy, 0);
	}

	if (pp) {
		atomic64_inc(&pp->forks);
		WRITE_ONCE(pp->parent_fork, seq);
	}
	cp = pgc_proc_get(child, true);
	if (cp)
		WRITE_ONCE(cp->child_fork, seq);
}

/*
 * After the fork tracepoint is gone: every queued count runs its child's
 * next return to user space or its exit, so wait for them; then RCU tasks
 * waits until no task can still be in pgc_fork_count_fn()'s last
 * instructions (a task preempted there is not quiescent until it
 * switches voluntarily or reaches user space), and the text can go.
 */
void pgc_cow_exit(void)
{
	unsigned int waited = 0;
	int i;

	for (i = 0; i < PGC_FORK_RING; i++)
		while (atomic_read_acquire(&pgc_fork_counts[i].busy)) {
			/* Only a child that gets no CPU keeps it; say so. */
			if (++waited == 500)
				pr_info("unload waits for a forked child to run (pid %d's)\n",
					READ_ONCE(pgc_forks[i].child));
			msleep(20);
		}
	synchronize_rcu_tasks();
}

/* The child's copies of what it shared with its parent end here. */
static void pgc_fork_close(struct pgc_proc *p, u8 why)
{
	struct pgc_fork *r = pgc_fork_find(READ_ONCE(p->child_fork));

	if (r)
		WRITE_ONCE(r->state, why);
	WRITE_ONCE(p->child_fork, 0);
	WRITE_ONCE(p->parent_fork, 0);
}

void pgc_on_exec(void *data, struct task_struct *tsk, pid_t old_pid,
		 struct linux_binprm *bprm)
{
	struct pgc_proc *p = pgc_proc_get(tsk, false);

	if (!p)
		return;
	pgc_fork_close(p, PGC_FORK_EXECED);
	pgc_copy_comm(p->comm, tsk);	/* exec renamed it */
}

void pgc_on_exit(void *data, struct task_struct *tsk)
{
	struct pgc_proc *p;

	/* Only the last thread's exit ends the process. */
	if (atomic_read(&tsk->signal->live))
		return;
	p = pgc_proc_get(tsk, false);
	if (p)
		pgc_fork_close(p, PGC_FORK_EXITED);
	pgc_proc_exited(tsk);
}

/* A COW copy fault of an anonymous page in @p's process. */
void pgc_cow_copied(struct pgc_proc *p)
{
	struct pgc_fork *r;
	struct pgc_proc *owner;

	r = pgc_fork_find(READ_ONCE(p->child_fork));
	if (r) {
		atomic64_inc(&r->c_child);
		owner = pgc_proc_parent(p);
		if (owner)
			atomic64_inc(&owner->cow_copies);
	}
	r = pgc_fork_find(READ_ONCE(p->parent_fork));
	if (r) {
		atomic64_inc(&r->c_parent);
		atomic64_inc(&p->cow_copies);
	}
}

/* ---- debugfs "forks": the ring, oldest first ---- */

int pgc_forks_show(struct seq_file *m, void *unused)
{
	static const char *const states[] = { "open", "exited", "execed" };
	u64 last = atomic64_read(&pgc_fork_seq), seq;

	seq_puts(m, "seq time_ns parent child shared partial c_parent c_child state comm\n");
	seq = last > PGC_FORK_RING ? last - PGC_FORK_RING + 1 : 1;
	for (; seq <= last; seq++) {
		struct pgc_fork *r = &pgc_forks[seq & (PGC_FORK_RING - 1)];

		/* Pairs with the release in pgc_on_fork(). */
		if (smp_load_acquire(&r->seq) != seq)
			continue;
		seq_printf(m, "%llu %llu %d %d %llu %d %lld %lld %s",
			   seq, r->time_ns, r->parent, r->child,
			   READ_ONCE(r->shared), READ_ONCE(r->partial),
			   atomic64_read(&r->c_parent),
			   atomic64_read(&r->c_child),
			   states[READ_ONCE(r->state) % 3]);
		pgc_seq_comm(m, r->comm);
		seq_putc(m, '\n');
	}
	return 0;
}
