// SPDX-License-Identifier: GPL-2.0
/*
 * The process a user names by writing its id to a pageclock file.  Bad
 * input is refused with an error code and nothing in the kernel log.
 */
#include <linux/kernel.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/uaccess.h>
#include "core.h"
#include "target.h"

/* Longer than any pid with a newline: refuse, do not truncate. */
#define PGC_PID_WRITE_MAX 32

/*
 * The rule for every process id a user writes: any thread id of the
 * process, read in the writer's pid namespace; the process is kept by its
 * group's struct pid (its leader's), and its memory is found through any
 * thread still running, so a leader that called pthread_exit() leaves
 * its process targetable.  Numbers printed in debugfs are those of the
 * initial namespace.
 */

/* The mm of any live thread of @leader's group, referenced; or NULL. */
static struct mm_struct *pgc_group_mm(struct task_struct *leader)
{
	struct mm_struct *mm = NULL;
	struct task_struct *t;

	rcu_read_lock();
	for_each_thread(leader, t) {
		mm = get_task_mm(t);
		if (mm)
			break;
	}
	rcu_read_unlock();
	return mm;
}

/*
 * Any thread id of the process; its task (the group leader) and its mm,
 * both referenced.  -ESRCH: no such process or it is exiting;
 * -EOPNOTSUPP: a kernel thread, which has no address space of its own
 * (not -EINVAL, which callers keep for a bad value).
 */
int pgc_target_get(pid_t nr, struct task_struct **tskp, struct mm_struct **mmp)
{
	struct task_struct *tsk;
	struct mm_struct *mm;

	rcu_read_lock();
	tsk = pid_task(find_vpid(nr), PIDTYPE_PID);
	if (tsk)
		tsk = tsk->group_leader;
	if (tsk)
		get_task_struct(tsk);
	rcu_read_unlock();
	if (!tsk)
		return -ESRCH;
	if (tsk->flags & PF_KTHREAD) {
		put_task_struct(tsk);
		return -EOPNOTSUPP;
	}
	mm = pgc_group_mm(tsk);
	if (!mm) {
		put_task_struct(tsk);
		return -ESRCH;
	}
	*tskp = tsk;
	*mmp = mm;
	return 0;
}

/* The mm of @pid's process, referenced; NULL once every thread exited. */
struct mm_struct *pgc_pid_mm(struct pid *pid)
{
	struct task_struct *tsk = get_pid_task(pid, PIDTYPE_PID);
	struct mm_struct *mm;

	if (!tsk)
		return NULL;
	mm = pgc_group_mm(tsk);
	put_task_struct(tsk);
	return mm;
}

/*
 * The struct pid of @tsk's thread group, referenced: the key a process
 * is kept by (not the leader's PID link, which an exec by another thread
 * moves to that thread).  NULL once the group is released.
 */
struct pid *pgc_group_pid(struct task_struct *tsk)
{
	struct pid *pid;

	rcu_read_lock();
	pid = get_pid(task_tgid(tsk));
	rcu_read_unlock();
	return pid;
}

/* The group's struct pid of the process with thread @nr, referenced. */
struct pid *pgc_process_pid(pid_t nr)
{
	struct task_struct *tsk;
	struct pid *pid = NULL;

	rcu_read_lock();
	tsk = pid_task(find_vpid(nr), PIDTYPE_PID);
	if (tsk)
		pid = pgc_group_pid(tsk);
	rcu_read_unlock();
	return pid;
}

/* A process id written by a user: a positive number of a live process. */
int pgc_parse_pid_user(const char __user *ubuf, size_t count, pid_t *pid)
{
	char buf[PGC_PID_WRITE_MAX + 1];
	struct task_struct *tsk;
	struct mm_struct *mm;
	pid_t nr;
	int err;

	if (count > PGC_PID_WRITE_MAX)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (!pgc_text_ok(buf, count))
		return -EINVAL;
	err = pgc_pid_parse(buf, &nr);
	if (err)
		return err;
	err = pgc_target_get(nr, &tsk, &mm);
	if (err)
		return err;
	mmput(mm);
	put_task_struct(tsk);
	*pid = nr;
	return 0;
}
