// SPDX-License-Identifier: GPL-2.0
/* pageclock faults: the page-fault breakdown, system-wide or per process. */
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "breakdown.h"
#include "pageclock.h"

static void faults_help(FILE *out)
{
	fputs("usage: pageclock faults [--pid PID] [-I MS [--count N]] [--json]\n"
	      "Page faults by class (demand-zero, file minor/major, swap-in,\n"
	      "copy-on-write, protection, ...) with their latency, counted\n"
	      "since the module was loaded: system-wide, or for one process\n"
	      "(also after it exited, while the module still holds it).\n"
	      "-I/--interval MS: what each interval added instead, one report\n"
	      "per interval (JSON: one object per line) until interrupted or\n"
	      "--count reports, as perf stat -I does.\n"
	      "Without the module: the kernel's own minor and major counts\n"
	      "(/proc/PID/stat; system-wide /proc/vmstat since boot).\n", out);
}

/* One read of the counters faults reports. */
struct faults_snap {
	struct pgc_faults f;	/* system-wide, and its class names */
	struct pgc_breakdown b;
	char comm[64];
	uint64_t id;		/* --pid: the module's entry */
	bool found, exited;	/* --pid: a row of the module's, exited */
	uint64_t time_ns;
};

/* Is /proc/PID there (under PAGECLOCK_ROOT)? */
static bool faults_alive(pid_t pid)
{
	char path[512], name[32];

	snprintf(name, sizeof(name), "%d", pid);
	return !access(pgc_path(path, sizeof(path), "/proc", name), F_OK);
}

static int faults_read(const struct pgc_opts *o, struct faults_snap *s)
{
	struct pgc_proc_row r = { 0 }, *row;
	struct pgc_procs p;
	int st;

	memset(s, 0, sizeof(*s));
	s->time_ns = pgc_clock_ns(CLOCK_MONOTONIC);
	if (o->kernel_only) {
		/* No module: what /proc/vmstat or /proc/PID/stat say. */
		if (o->has_pid && pgc_kernel_proc(o->pid, &r)) {
			pgc_error("faults: no such process %d", o->pid);
			return PGC_EXIT_NO_PROCESS;
		}
		if (!o->has_pid) {
			st = pgc_kernel_faults(&r.minor, &r.major);
			if (st)
				return st;
		}
		pgc_breakdown_init(&s->b, &s->f.cls);
		pgc_breakdown_add(&s->b, &r);
		snprintf(s->comm, sizeof(s->comm), "%s", r.comm);
		s->id = r.id;	/* its start time: -I ends if the pid is reused */
		return 0;
	}
	st = pgc_read_faults(&s->f);
	if (st)
		return st;
	if (!o->has_pid) {
		pgc_breakdown_from_faults(&s->b, &s->f);
		return 0;
	}
	st = pgc_read_procs(&p);
	if (st)
		return st;
	s->f.cls = p.cls;
	pgc_breakdown_init(&s->b, &s->f.cls);
	/* A live process the module has not seen fault: all zero. */
	row = pgc_proc_find(&p, o->pid);
	if (row) {
		pgc_breakdown_add(&s->b, row);
		snprintf(s->comm, sizeof(s->comm), "%s", row->comm);
		s->found = true;
		s->exited = row->exited;
		s->id = row->id;
	}
	pgc_procs_free(&p);
	if (!s->found && !faults_alive(o->pid)) {
		pgc_error("faults: no such process %d", o->pid);
		return PGC_EXIT_NO_PROCESS;
	}
	return 0;
}

/* @s, or with @dt_ns what came since the one before: JSON or text. */
static void faults_print(const struct pgc_opts *o, const struct faults_snap *s,
			 uint64_t dt_ns)
{
	const char *source = o->kernel_only ? "kernel" : "module";
	char name[PGC_NAME_TEXT];

	if (o->json) {
		struct pgc_json j;

		pgc_json_doc(&j, stdout);
		if (dt_ns)
			pgc_json_u64(&j, "interval_ns", dt_ns);
		pgc_json_str(&j, "scope", o->has_pid ? "process" : "system");
		if (o->has_pid) {
			pgc_json_s64(&j, "pid", o->pid);
			pgc_json_str(&j, "comm", s->comm);
			pgc_json_bool(&j, "exited", s->exited);
		}
		pgc_json_str(&j, "source", source);
		pgc_breakdown_json(&s->b, &j, !o->kernel_only);
		if (!o->kernel_only) {
			pgc_json_u64(&j, "missed", s->f.missed);
			pgc_json_u64(&j, "procs_dropped", s->f.procs_dropped);
			pgc_json_u64(&j, "uffd", s->f.uffd);
		}
		pgc_json_end(&j);
		return;
	}
	if (o->has_pid && (s->found || o->kernel_only))
		printf("page faults of pid %d (%s)%s", o->pid,
		       pgc_name_text(s->comm, name),
		       s->exited ? ", exited" : "");
	else if (o->has_pid)
		printf("page faults of pid %d: none since the module was loaded",
		       o->pid);
	else
		printf("page faults, system-wide");
	if (dt_ns)
		printf(", in %.2f s\n", dt_ns / 1e9);
	else if (o->kernel_only && o->has_pid)
		printf(", from /proc/%d/stat\n", o->pid);
	else if (o->kernel_only)
		printf(", since boot, from /proc/vmstat\n");
	else
		printf("%s\n", o->has_pid ? "" : ", since the module was loaded");
	if (o->kernel_only) {
		printf("  %-12s %12" PRIu64 "\n  %-12s %12" PRIu64 "\n", "minor",
		       s->b.minor, "major", s->b.major);
		return;
	}
	pgc_breakdown_text(&s->b, stdout);
	if (s->f.missed || s->f.procs_dropped)
		printf("  warning: %" PRIu64 " probe hits missed, %" PRIu64
		       " processes not tracked (table full)\n",
		       s->f.missed, s->f.procs_dropped);
	if (s->f.uffd)
		printf("  note: %" PRIu64 " faults in userfaultfd ranges not measured (system-wide, since load)\n",
		       s->f.uffd);
}

/* -I: what came since the last read, @ctx the last read. */
struct faults_interval {
	const struct pgc_opts *o;
	struct faults_snap *a;
};

static int faults_tick(void *ctx)
{
	struct faults_interval *fi = ctx;
	const struct pgc_opts *o = fi->o;
	struct faults_snap *a = fi->a;
	static struct faults_snap b, d;
	int st;

	st = faults_read(o, &b);
	if (st)
		return st;
	/* The pid now names another process: this one is done. */
	if (a->id && b.id != a->id)
		return PGC_INTERVAL_LAST;
	/* pgfault counts a fault as it starts, pgmajfault as it ends. */
	if (o->kernel_only && b.b.minor < a->b.minor)
		b.b.minor = a->b.minor;
	d = b;
	d.b.cls = &d.f.cls;
	pgc_breakdown_sub(&d.b, &a->b);
	faults_print(o, &d, b.time_ns - a->time_ns);
	if (!o->json)
		putchar('\n');
	*a = b;		/* the next interval starts at this read */
	a->b.cls = &a->f.cls;
	/* Its last interval is printed. */
	return b.exited ? PGC_INTERVAL_LAST : 0;
}

static int faults_run(int argc, char **argv)
{
	static struct faults_snap s;
	struct pgc_opts o;
	int st;

	st = pgc_verb_start(&pgc_verb_faults, argc, argv,
			    PGC_OPT_PID | PGC_OPT_KERNEL | PGC_OPT_INTERVAL, &o);
	if (st >= 0)
		return st;
	if (o.has_interval)
		pgc_detail_hold("faults", 0);
	st = faults_read(&o, &s);
	if (st)
		return st;
	if (o.has_interval) {
		struct faults_interval fi = { &o, &s };

		return pgc_intervals(&o, 0, faults_tick, &fi);
	}
	faults_print(&o, &s, 0);
	/* The counts are those of the times someone asked for them. */
	if (!o.kernel_only && pgc_detail_off())
		fputs("pageclock: faults: the module's fault hook is off now (attached only while a\n"
		      "target, stat, top, record, faults -I or sysfs faults/detail asks): these\n"
		      "are the faults of those times; 'pageclock faults -I MS' counts from now\n",
		      stderr);
	return PGC_EXIT_OK;
}

const struct pgc_verb pgc_verb_faults = {
	.name = "faults",
	.summary = "page faults by class, with latency",
	.run = faults_run,
	.help = faults_help,
};
