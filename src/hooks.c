// SPDX-License-Identifier: GPL-2.0
/*
 * Every kernel hook pageclock attaches, as one table: install and uninstall
 * are loops over it, and debugfs "features" prints it.  A hook that cannot
 * attach on the running kernel leaves the module working without it; its
 * line says why.
 *
 *  kind        | name              | handler           | feeds
 *  ------------+-------------------+-------------------+----------------------
 *  kretprobe   | handle_mm_fault   | pgc_fault_entry/  | fault classes, latency
 *              |                   | pgc_fault_return  |
 *  tracepoint  | signal_generate   | pgc_on_signal     | SIGSEGV fault classes
 *  tracepoint  | sched_process_fork| pgc_on_fork       | COW: S per fork
 *  tracepoint  | sched_process_exec| pgc_on_exec       | COW: end of sharing
 *  tracepoint  | sched_process_exit| pgc_on_exit       | COW, process table
 *  tracepoint  | tlb_flush         | pgc_on_tlb_flush  | TLB flushes by reason
 *  kprobe      | native_flush_tlb_ | pgc_tlb_multi_pre | shootdowns sent:
 *              | multi             |                   | cause, target CPUs
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include "hooks.h"
#include "faults.h"
#include "cow.h"
#include "tlb.h"

enum pgc_hook_kind { PGC_KRETPROBE, PGC_TRACEPOINT, PGC_KPROBE };

struct pgc_hook {
	enum pgc_hook_kind kind;
	const char *name;
	const char *use;
	void *probe;			/* tracepoint probe */
	struct kretprobe *krp;		/* kretprobe */
	struct kprobe *kp;		/* kprobe */
	struct tracepoint *tp;		/* found at install */
	int err;
	bool attached;
};

static struct pgc_hook pgc_hooks[] = {
	{ PGC_KRETPROBE, "handle_mm_fault", "fault classes and latency",
	  .krp = &pgc_fault_krp },
	{ PGC_TRACEPOINT, "signal_generate", "SIGSEGV fault classes",
	  .probe = pgc_on_signal },
	{ PGC_TRACEPOINT, "sched_process_fork", "copy-on-write after fork",
	  .probe = pgc_on_fork },
	{ PGC_TRACEPOINT, "sched_process_exec", "end of fork sharing at exec",
	  .probe = pgc_on_exec },
	{ PGC_TRACEPOINT, "sched_process_exit", "process exit",
	  .probe = pgc_on_exit },
	{ PGC_TRACEPOINT, "tlb_flush", "TLB flushes by reason and cause",
	  .probe = pgc_on_tlb_flush },
	{ PGC_KPROBE, "native_flush_tlb_multi", "TLB shootdowns sent",
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

/* Never fails for a missing hook: features reports it. */
int pgc_hooks_install(void)
{
	int i;

	for_each_kernel_tracepoint(pgc_tp_find, NULL);
	for (i = 0; i < ARRAY_SIZE(pgc_hooks); i++) {
		struct pgc_hook *h = &pgc_hooks[i];

		h->err = pgc_hook_attach(h);
		h->attached = !h->err;
	}
	return 0;
}

/* Safe to call twice, and after a partial install. */
void pgc_hooks_uninstall(void)
{
	bool tps = false;
	int i;

	for (i = ARRAY_SIZE(pgc_hooks) - 1; i >= 0; i--) {
		struct pgc_hook *h = &pgc_hooks[i];

		if (!h->attached)
			continue;
		if (h->kind == PGC_KRETPROBE) {
			unregister_kretprobe(h->krp);
		} else if (h->kind == PGC_KPROBE) {
			unregister_kprobe(h->kp);
		} else {
			tracepoint_probe_unregister(h->tp, h->probe, NULL);
			tps = true;
		}
		h->attached = false;
	}
	/* No tracepoint probe may still run when the data goes away. */
	if (tps)
		tracepoint_synchronize_unregister();
}

unsigned int pgc_hooks_attached(unsigned int *total)
{
	unsigned int n = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(pgc_hooks); i++)
		n += pgc_hooks[i].attached;
	*total = ARRAY_SIZE(pgc_hooks);
	return n;
}

void pgc_hooks_show(struct seq_file *m)
{
	static const char *const kinds[] = { "kretprobe", "tp", "kprobe" };
	char name[64];
	int i;

	for (i = 0; i < ARRAY_SIZE(pgc_hooks); i++) {
		struct pgc_hook *h = &pgc_hooks[i];

		snprintf(name, sizeof(name), "%s:%s", kinds[h->kind], h->name);
		if (h->attached)
			seq_printf(m, "%-26s attached    for %s\n", name, h->use);
		else if (h->err == -ENOENT && h->kind == PGC_TRACEPOINT)
			seq_printf(m, "%-26s unavailable no such tracepoint in this kernel; %s not counted\n",
				   name, h->use);
		else
			seq_printf(m, "%-26s unavailable attach failed (error %d); %s not counted\n",
				   name, h->err, h->use);
	}
}
