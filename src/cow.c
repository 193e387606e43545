// SPDX-License-Identifier: GPL-2.0
/*
 * Copy-on-write efficiency of fork().
 *
 * For each fork of a process (not threads, not vfork), S is the number of
 * resident pages the fork left shared copy-on-write, read in the fork
 * tracepoint from the child's anonymous-page counter, which fork itself
 * kept while it copied the page tables: every anonymous page it mapped
 * into the child is shared with the parent, except pages pinned for DMA,
 * which fork copies at once.  Those only exist in a process that has
 * pinned pages (MMF_HAS_PINNED, never cleared), and the fork's record says
 * so: its S may count them.  No page-table walk: a fork costs the hook the
 * same for 1 GiB as for 1 MiB.  c is the number of COW copy faults that
 * followed, in the parent (its latest fork still open) and in the child,
 * until the child exits or execs.  c/S near 0: fork shared well; near 1:
 * every shared page was copied anyway.  c comes from the fault hook,
 * attached on demand (src/hooks.c): a fork it did not watch from start to
 * end is "partial", its c frozen where it was, so no verdict rests on
 * copies nobody counted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include "procs.h"
#include "cow.h"
#include "faults.h"
#include "hooks.h"
#include "compat.h"

/* Recent forks; a power of two.  256 covers a burst of a fork-heavy job. */
#define PGC_FORK_RING 256

enum { PGC_FORK_OPEN, PGC_FORK_EXITED, PGC_FORK_EXECED, PGC_FORK_PARTIAL };

struct pgc_fork {
	u64 seq;		/* 0: empty */
	u64 time_ns;
	pid_t parent, child;
	char comm[TASK_COMM_LEN];
	u64 shared;		/* S */
	bool pinned;		/* the parent had pinned pages: S may count them */
	u8 state;
	unsigned long detail;	/* what measured the parent at the fork */
	atomic64_t c_parent, c_child;
	struct pgc_proc *pp;	/* the parent's entry, if it is still @pp_id */
	u64 pp_id;
};

static struct pgc_fork pgc_forks[PGC_FORK_RING];
static atomic64_t pgc_fork_seq;
/* Orders writers that wrapped round the ring onto the same record. */
static DEFINE_RAW_SPINLOCK(pgc_forks_lock);

static struct pgc_fork *pgc_fork_find(u64 seq)
{
	struct pgc_fork *r;

	if (!seq)
		return NULL;
	r = &pgc_forks[seq & (PGC_FORK_RING - 1)];
	return READ_ONCE(r->seq) == seq && READ_ONCE(r->state) == PGC_FORK_OPEN ?
		r : NULL;
}

/*
 * @r, still open, is given to a newer fork: its copies go uncounted from
 * now on, so its S and the c it had leave the parent's sums too (bug: 256
 * forks later on the machine the parent's c/S kept S, and its c stopped).
 */
static void pgc_fork_drop(struct pgc_fork *r)
{
	if (!READ_ONCE(r->seq) || READ_ONCE(r->state) != PGC_FORK_OPEN ||
	    !pgc_proc_same(r->pp, r->pp_id))
		return;
	atomic64_sub(r->shared, &r->pp->cow_shared);
	atomic64_sub(atomic64_read(&r->c_parent) + atomic64_read(&r->c_child),
		     &r->pp->cow_copies);
}

void pgc_on_fork(void *data, struct task_struct *parent,
		 struct task_struct *child)
{
	struct pgc_proc *pp, *cp;
	struct pgc_fork *r;
	u64 seq, shared;
	unsigned long detail;
	bool watched;

	if (child->flags & PF_KTHREAD || same_thread_group(child, parent))
		return;
	/*
	 * vfork and posix_spawn share the mm until the exec: nothing is
	 * copied on write, but the new process is measured as its parent
	 * is (bug: make's compilers, spawned so, went unmeasured).
	 */
	if (!child->mm || child->mm == parent->mm) {
		detail = pgc_proc_detail(pgc_proc_get(parent, false));
		cp = detail ? pgc_proc_get(child, true) : NULL;
		if (cp)
			atomic_long_or(detail, &cp->detail);
		return;
	}

	/* The child has not run: its counter is what fork copied. */
	shared = pgc_mm_counter(child->mm, MM_ANONPAGES);
	pp = pgc_proc_get(parent, true);
	cp = pgc_proc_get(child, true);
	seq = atomic64_inc_return(&pgc_fork_seq);
	r = &pgc_forks[seq & (PGC_FORK_RING - 1)];
	raw_spin_lock(&pgc_forks_lock);
	pgc_fork_drop(r);
	WRITE_ONCE(r->seq, 0);
	/* Seen before the new fields: the readers' smp_rmb(). */
	smp_wmb();
	r->time_ns = ktime_get_ns();
	r->parent = parent->tgid;
	r->child = child->tgid;
	pgc_copy_comm(r->comm, parent);
	/* Marked: a reader of a record being reused may race with these. */
	WRITE_ONCE(r->shared, shared);
	WRITE_ONCE(r->pinned, pgc_mm_has_pinned(parent->mm));
	atomic64_set(&r->c_parent, 0);
	atomic64_set(&r->c_child, 0);
	WRITE_ONCE(r->pp, pp);
	WRITE_ONCE(r->pp_id, pp ? pp->id : 0);
	/*
	 * Watched if the fault hook counts the parent's and the child's
	 * copies: attached, for every process or for the parent's family
	 * (the child inherits its live bits below; without an entry it
	 * could not).  Read under the lock: pgc_cow_unwatched() sees the
	 * record, or this sees what it left live.
	 */
	detail = (READ_ONCE(pgc_detail_all) ? PGC_DETAIL_ALL : 0) |
		 (cp ? pgc_proc_detail(pp) : 0);
	r->detail = detail;
	/* Copies are counted into the entries (bug: a full table's fork). */
	watched = pgc_hooks_faults_on() && detail && pp && cp;
	WRITE_ONCE(r->state, watched ? PGC_FORK_OPEN : PGC_FORK_PARTIAL);
	/* Publish: a reader that sees seq sees the fields written above. */
	smp_store_release(&r->seq, seq);
	raw_spin_unlock(&pgc_forks_lock);

	if (pp) {
		atomic64_inc(&pp->forks);
		/* A process's c/S: S of the forks whose copies are counted. */
		if (watched)
			atomic64_add(shared, &pp->cow_shared);
		WRITE_ONCE(pp->parent_fork, seq);
	}
	if (cp) {
		WRITE_ONCE(cp->child_fork, seq);
		/* Measured as its parent is (a detail file's family). */
		atomic_long_or(detail & ~PGC_DETAIL_ALL, &cp->detail);
	}
}

/* The child's copies of what it shared with its parent end here. */
static void pgc_fork_close(struct pgc_proc *p, u8 why)
{
	struct pgc_fork *r = pgc_fork_find(READ_ONCE(p->child_fork));

	/* Open only: a partial record stays partial. */
	if (r)
		cmpxchg(&r->state, PGC_FORK_OPEN, why);
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

void pgc_task_exit(struct task_struct *tsk)
{
	struct pgc_proc *p;

	pgc_fault_tp_thread_exit(tsk);
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
	u64 seq = READ_ONCE(p->child_fork), id;

	r = pgc_fork_find(seq);
	if (r) {
		atomic64_inc(&r->c_child);
		/*
		 * The process that forked, whose S the copy is of: not the
		 * entry's parent, which clone(CLONE_PARENT) makes the
		 * grandparent (bug: runc's clone credited it, and a drop
		 * of the record took the copies from the forking one).
		 */
		owner = READ_ONCE(r->pp);
		id = READ_ONCE(r->pp_id);
		/* The fields before the seq again: pgc_on_fork()'s smp_wmb(). */
		smp_rmb();
		if (owner && READ_ONCE(r->seq) == seq &&
		    pgc_proc_same(owner, id))
			atomic64_inc(&owner->cow_copies);
	}
	r = pgc_fork_find(READ_ONCE(p->parent_fork));
	if (r) {
		atomic64_inc(&r->c_parent);
		atomic64_inc(&p->cow_copies);
	}
}

/*
 * The fault hook was detached (@live 0), or measures fewer processes
 * (@live: what still measures them, see pgc_detail_live()): copies of
 * the open forks measured by none of @live go uncounted from now on, so
 * their c is partial.
 */
void pgc_cow_unwatched(unsigned long live)
{
	int i;

	raw_spin_lock(&pgc_forks_lock);
	for (i = 0; i < PGC_FORK_RING; i++)
		if (READ_ONCE(pgc_forks[i].state) == PGC_FORK_OPEN &&
		    !(pgc_forks[i].detail & live))
			WRITE_ONCE(pgc_forks[i].state, PGC_FORK_PARTIAL);
	raw_spin_unlock(&pgc_forks_lock);
}

/* ---- debugfs "forks": the ring, oldest first ---- */

int pgc_forks_show(struct seq_file *m, void *unused)
{
	static const char *const states[] = { "open", "exited", "execed",
					      "partial" };
	u64 last = atomic64_read(&pgc_fork_seq), seq;
	struct pgc_fork c;
	s64 cp, cc;

	seq_puts(m, "seq time_ns parent child shared pinned c_parent c_child state comm\n");
	seq = last > PGC_FORK_RING ? last - PGC_FORK_RING + 1 : 1;
	for (; seq <= last; seq++) {
		struct pgc_fork *r = &pgc_forks[seq & (PGC_FORK_RING - 1)];

		/* Pairs with the release in pgc_on_fork(). */
		if (smp_load_acquire(&r->seq) != seq)
			continue;
		/*
		 * A copy, printed only if no newer fork took the record
		 * meanwhile (bug: the oldest line, the record the next fork
		 * reuses, mixed two forks' fields).
		 */
		c.time_ns = READ_ONCE(r->time_ns);
		c.parent = READ_ONCE(r->parent);
		c.child = READ_ONCE(r->child);
		memcpy(c.comm, r->comm, sizeof(c.comm));
		c.shared = READ_ONCE(r->shared);
		c.pinned = READ_ONCE(r->pinned);
		c.state = READ_ONCE(r->state);
		cp = atomic64_read(&r->c_parent);
		cc = atomic64_read(&r->c_child);
		/* The copy before the seq again: pgc_on_fork()'s smp_wmb(). */
		smp_rmb();
		if (READ_ONCE(r->seq) != seq)
			continue;
		c.comm[TASK_COMM_LEN - 1] = '\0';
		seq_printf(m, "%llu %llu %d %d %llu %d %lld %lld %s",
			   seq, c.time_ns, c.parent, c.child, c.shared, c.pinned,
			   cp, cc, states[c.state % ARRAY_SIZE(states)]);
		pgc_seq_comm(m, c.comm);
		seq_putc(m, '\n');
	}
	return 0;
}
