// SPDX-License-Identifier: GPL-2.0
/* pageclock faults: the page-fault breakdown, system-wide or per process. */
#include <inttypes.h>

#include "breakdown.h"
#include "pageclock.h"

static void faults_help(FILE *out)
{
	fputs("usage: pageclock faults [--pid PID] [--json]\n"
	      "Page faults by class (demand-zero, file minor/major, swap-in,\n"
	      "copy-on-write, protection, ...) with their latency, counted\n"
	      "since the module was loaded: system-wide, or for one process\n"
	      "(also after it exited, while the module still holds it).\n"
	      "Without the module: the kernel's own minor and major counts\n"
	      "(/proc/PID/stat; system-wide /proc/vmstat since boot).\n", out);
}

/* No module: what /proc/vmstat or /proc/PID/stat say. */
static int faults_kernel(const struct pgc_opts *o)
{
	struct pgc_proc_row r = { 0 };
	char name[PGC_NAME_TEXT];
	int st;

	if (o->has_pid) {
		if (pgc_kernel_proc(o->pid, &r)) {
			pgc_error("faults: no such process %d", o->pid);
			return PGC_EXIT_NO_PROCESS;
		}
	} else {
		st = pgc_kernel_faults(&r.minor, &r.major);
		if (st)
			return st;
	}
	if (o->json) {
		if (o->has_pid) {
			printf("{\"scope\":\"process\",\"pid\":%d,\"comm\":",
			       o->pid);
			pgc_json_str(stdout, r.comm);
			printf(",\"exited\":false,");
		} else {
			printf("{\"scope\":\"system\",");
		}
		printf("\"source\":\"kernel\",\"faults\":{\"minor\":%" PRIu64
		       ",\"major\":%" PRIu64 "}}\n", r.minor, r.major);
		return PGC_EXIT_OK;
	}
	if (o->has_pid)
		printf("page faults of pid %d (%s), from /proc/%d/stat\n",
		       o->pid, pgc_name_text(r.comm, name), o->pid);
	else
		printf("page faults, system-wide, since boot, from /proc/vmstat\n");
	printf("  %-12s %12" PRIu64 "\n  %-12s %12" PRIu64 "\n", "minor",
	       r.minor, "major", r.major);
	return PGC_EXIT_OK;
}

static int faults_run(int argc, char **argv)
{
	struct pgc_breakdown b;
	struct pgc_faults f;
	struct pgc_procs p;
	struct pgc_proc_row *r = NULL;
	char name[PGC_NAME_TEXT];
	struct pgc_opts o;
	int st;

	st = pgc_verb_start(&pgc_verb_faults, argc, argv,
			    PGC_OPT_PID | PGC_OPT_KERNEL, &o);
	if (st >= 0)
		return st;
	if (o.kernel_only)
		return faults_kernel(&o);
	st = pgc_read_faults(&f);
	if (st)
		return st;

	if (o.has_pid) {
		st = pgc_read_procs(&p);
		if (st)
			return st;
		r = pgc_proc_find(&p, o.pid);
		if (!r && !o.pid_alive) {
			pgc_error("faults: no such process %d", o.pid);
			pgc_procs_free(&p);
			return PGC_EXIT_NO_PROCESS;
		}
		/* A live process the module has not seen fault: all zero. */
		pgc_breakdown_init(&b, &p.cls);
		if (r)
			pgc_breakdown_add(&b, r);
	} else {
		pgc_breakdown_from_faults(&b, &f);
	}

	if (o.json) {
		if (o.has_pid) {
			printf("{\"scope\":\"process\",\"pid\":%d,\"comm\":", o.pid);
			pgc_json_str(stdout, r ? r->comm : "");
			printf(",\"exited\":%s,", r && r->exited ? "true" : "false");
		} else {
			printf("{\"scope\":\"system\",");
		}
		printf("\"source\":\"module\",");
		pgc_breakdown_json(&b, stdout);
		printf(",\"missed\":%" PRIu64 ",\"procs_dropped\":%" PRIu64 "}\n",
		       f.missed, f.procs_dropped);
	} else {
		if (r)
			printf("page faults of pid %d (%s)%s\n", r->tgid,
			       pgc_name_text(r->comm, name),
			       r->exited ? ", exited" : "");
		else if (o.has_pid)
			printf("page faults of pid %d: none since the module was loaded\n",
			       o.pid);
		else
			printf("page faults, system-wide, since the module was loaded\n");
		pgc_breakdown_text(&b, stdout);
		if (f.missed || f.procs_dropped)
			printf("  warning: %" PRIu64 " probe hits missed, %" PRIu64
			       " processes not tracked (table full)\n",
			       f.missed, f.procs_dropped);
	}
	if (o.has_pid)
		pgc_procs_free(&p);
	return PGC_EXIT_OK;
}

const struct pgc_verb pgc_verb_faults = {
	.name = "faults",
	.summary = "page faults by class, with latency",
	.run = faults_run,
	.help = faults_help,
};
