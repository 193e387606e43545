// SPDX-License-Identifier: GPL-2.0
/*
 * pgc_hookprobe: the bare cost of the hooks a cheaper fault hook would be
 * built from (Documentation/proposals/fault-hook.md, design E), for
 * bench/hooks.  Nothing is measured here; the module only attaches:
 *
 *   tp=1     empty probes on exceptions:page_fault_user and
 *            page_fault_kernel (the entry every fault would pass)
 *   pid=P    PAGE_FAULTS_MIN and _MAJ perf events, period 1, inherited,
 *            with empty handlers, on process P (the exit only measured
 *            threads take; every other fault pays perf's lookup)
 *   krp=1    a kretprobe on handle_mm_fault whose entry handler declines
 *            every call (the least any process pays for faults/hook=0's
 *            hook while somebody is measured)
 *
 * Both are detached at unload.  A count of the calls each saw is printed
 * then, so a run that attached nothing cannot pass for a cheap one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/perf_event.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

static bool pgc_hp_tp;
module_param_named(tp, pgc_hp_tp, bool, 0444);
MODULE_PARM_DESC(tp, "attach empty probes to the exceptions page-fault tracepoints");

static int pgc_hp_pid;
module_param_named(pid, pgc_hp_pid, int, 0444);
MODULE_PARM_DESC(pid, "attach empty page-fault perf events to this process");

static bool pgc_hp_krp;
module_param_named(krp, pgc_hp_krp, bool, 0444);
MODULE_PARM_DESC(krp, "attach a kretprobe declining every call to handle_mm_fault");

static const char *const pgc_hp_tp_names[] = {
	"page_fault_user", "page_fault_kernel",
};

static struct tracepoint *pgc_hp_tps[ARRAY_SIZE(pgc_hp_tp_names)];
static int pgc_hp_tp_attached;
static struct perf_event *pgc_hp_events[2];
static atomic64_t pgc_hp_tp_calls, pgc_hp_perf_calls, pgc_hp_krp_calls;
static bool pgc_hp_krp_attached;

/* No return probe for any call: what a declined call costs. */
static int pgc_hp_on_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	atomic64_inc(&pgc_hp_krp_calls);
	return 1;
}

static int pgc_hp_on_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}

static struct kretprobe pgc_hp_kretprobe = {
	.kp.symbol_name = "handle_mm_fault",
	.entry_handler = pgc_hp_on_entry,
	.handler = pgc_hp_on_return,
};

static void pgc_hp_on_fault(void *data, unsigned long address,
			    struct pt_regs *regs, unsigned long error_code)
{
	atomic64_inc(&pgc_hp_tp_calls);
}

static void pgc_hp_on_event(struct perf_event *event,
			    struct perf_sample_data *data, struct pt_regs *regs)
{
	atomic64_inc(&pgc_hp_perf_calls);
}

static void pgc_hp_tp_find(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(pgc_hp_tp_names); i++)
		if (!strcmp(tp->name, pgc_hp_tp_names[i]))
			pgc_hp_tps[i] = tp;
}

static void pgc_hp_detach(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(pgc_hp_events); i++) {
		if (!IS_ERR_OR_NULL(pgc_hp_events[i]))
			perf_event_release_kernel(pgc_hp_events[i]);
		pgc_hp_events[i] = NULL;
	}
	if (pgc_hp_krp_attached)
		unregister_kretprobe(&pgc_hp_kretprobe);
	pgc_hp_krp_attached = false;
	while (pgc_hp_tp_attached)
		tracepoint_probe_unregister(pgc_hp_tps[--pgc_hp_tp_attached],
					    pgc_hp_on_fault, NULL);
	tracepoint_synchronize_unregister();
}

static int pgc_hp_attach_perf(void)
{
	static const u64 ids[] = {
		PERF_COUNT_SW_PAGE_FAULTS_MIN, PERF_COUNT_SW_PAGE_FAULTS_MAJ,
	};
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.sample_period = 1,
		.inherit = 1,
	};
	struct task_struct *tsk;
	struct pid *pid;
	int i, err = 0;

	pid = find_get_pid(pgc_hp_pid);
	tsk = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!tsk)
		return -ESRCH;
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		struct perf_event *e;

		attr.config = ids[i];
		e = perf_event_create_kernel_counter(&attr, -1, tsk,
						     pgc_hp_on_event, NULL);
		if (IS_ERR(e)) {
			err = PTR_ERR(e);
			break;
		}
		pgc_hp_events[i] = e;
	}
	put_task_struct(tsk);
	return err;
}

static int __init pgc_hp_init(void)
{
	int i, err;

	if (pgc_hp_tp) {
		for_each_kernel_tracepoint(pgc_hp_tp_find, NULL);
		for (i = 0; i < ARRAY_SIZE(pgc_hp_tps); i++) {
			if (!pgc_hp_tps[i]) {
				pr_err("no tracepoint %s\n", pgc_hp_tp_names[i]);
				err = -ENOENT;
				goto fail;
			}
		}
		for (i = 0; i < ARRAY_SIZE(pgc_hp_tps); i++) {
			err = tracepoint_probe_register(pgc_hp_tps[i],
							pgc_hp_on_fault, NULL);
			if (err) {
				pr_err("cannot attach to %s: %d\n",
				       pgc_hp_tp_names[i], err);
				goto fail;
			}
			pgc_hp_tp_attached++;
		}
	}
	if (pgc_hp_krp) {
		err = register_kretprobe(&pgc_hp_kretprobe);
		if (err) {
			pr_err("cannot attach to handle_mm_fault: %d\n", err);
			goto fail;
		}
		pgc_hp_krp_attached = true;
	}
	if (pgc_hp_pid) {
		err = pgc_hp_attach_perf();
		if (err) {
			pr_err("cannot attach perf events to pid %d: %d\n",
			       pgc_hp_pid, err);
			goto fail;
		}
	}
	return 0;
fail:
	pgc_hp_detach();
	return err;
}

static void __exit pgc_hp_exit(void)
{
	pgc_hp_detach();
	pr_info("tracepoint calls %lld, perf handler calls %lld, kretprobe entries %lld\n",
		(long long)atomic64_read(&pgc_hp_tp_calls),
		(long long)atomic64_read(&pgc_hp_perf_calls),
		(long long)atomic64_read(&pgc_hp_krp_calls));
}

module_init(pgc_hp_init);
module_exit(pgc_hp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pageclock bench: bare cost of kretprobe, tracepoint and perf fault hooks");
