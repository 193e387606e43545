// SPDX-License-Identifier: GPL-2.0
/* pageclock tlb: TLB flushes and shootdowns, system-wide or per process. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kdata.h"
#include "pageclock.h"

static void tlb_help(FILE *out)
{
	fputs("usage: pageclock tlb [--pid PID] [-I MS [--count N]] [--json]\n"
	      "TLB flushes since the module was loaded.  System-wide: by the\n"
	      "kernel's reason (tlb:tlb_flush), flushes started and shootdowns\n"
	      "sent by cause (mprotect, munmap, reclaim, fault = COW break, ...),\n"
	      "CPUs per shootdown and pages per flush.  With --pid: the flushes\n"
	      "that process's threads started and the CPUs they interrupted.\n"
	      "-I/--interval MS: what each interval added instead, one report\n"
	      "per interval (JSON: one object per line) until interrupted or\n"
	      "--count reports.\n", out);
}

/* The module lists the reasons its kernel has: the last since 6.14. */
static const char *const tlb_reasons[] = {
	"task_switch", "remote_shootdown_received", "local_shootdown",
	"local_mm_shootdown", "remote_shootdown_sent", "remote_wrong_cpu",
};

static bool tlb_reason_listed(const char *t, const char *reason)
{
	char buf[32];

	return *pgc_kv_rec_str(t, "reason", reason, "count", buf, sizeof(buf));
}

static const char *const tlb_causes[] = {
	"pageclock", "reclaim", "kthread", "mprotect", "munmap",
	"madvise", "fork", "migrate", "syscall", "fault",
};


/* Buckets of the "cpus" and "pages" tables (debugfs tlb). */
#define TLB_CPU_BUCKETS 8
#define TLB_PAGE_BUCKETS 16

/* A log2 table ("cpus" or "pages") of @n buckets: its non-empty ones. */
static void tlb_hist_text(const char *t, const char *table, unsigned int n)
{
	unsigned int b;

	for (b = 0; b < n; b++) {
		uint64_t c;
		char name[16];

		snprintf(name, sizeof(name), "%u", 1U << b);
		c = pgc_kv_rec(t, table, name, "count");
		if (!c)
			continue;
		if (b == 0)
			printf(" 1: %" PRIu64, c);
		else if (b == n - 1)
			printf(" %u+: %" PRIu64, 1U << b, c);
		else
			printf(" %u-%u: %" PRIu64, 1U << b, (2U << b) - 1, c);
	}
}

/* ", in 1.00 s" for an interval of @dt_ns, else since when. */
static void tlb_span(uint64_t dt_ns)
{
	if (dt_ns)
		printf(", in %.2f s\n", dt_ns / 1e9);
	else
		printf(", since the module was loaded\n");
}

static void tlb_system_text(const char *t, uint64_t dt_ns)
{
	uint64_t sent = 0;
	size_t i;

	printf("TLB flushes, system-wide");
	tlb_span(dt_ns);
	printf("  by the kernel's reason:\n");
	for (i = 0; i < PGC_ARRAY_SIZE(tlb_reasons); i++)
		if (tlb_reason_listed(t, tlb_reasons[i]))
			printf("    %-26s %12" PRIu64 "\n", tlb_reasons[i],
			       pgc_kv_rec(t, "reason", tlb_reasons[i], "count"));
	printf("  started by a CPU itself, by cause:\n    %-26s %12s %12s\n",
	       "cause", "local", "sent");
	for (i = 0; i < PGC_ARRAY_SIZE(tlb_causes); i++) {
		uint64_t l = pgc_kv_rec(t, "cause", tlb_causes[i], "local");
		uint64_t s = pgc_kv_rec(t, "cause", tlb_causes[i], "sent");

		sent += s;
		if (l || s)
			printf("    %-26s %12" PRIu64 " %12" PRIu64 "\n",
			       tlb_causes[i], l, s);
	}
	printf("  shootdowns sent: %" PRIu64 ", %.2f other CPUs each on average\n",
	       sent, sent ? (double)pgc_kv_u64(t, "targets") / sent : 0.0);
	printf("  CPUs per shootdown:");
	tlb_hist_text(t, "cpus", TLB_CPU_BUCKETS);
	printf("\n  pages per flush:");
	tlb_hist_text(t, "pages", TLB_PAGE_BUCKETS);
	printf(" all: %" PRIu64 "\n", pgc_kv_rec(t, "pages", "all", "count"));
	if (pgc_kv_u64(t, "missed"))
		printf("  warning: %" PRIu64 " probe hits missed\n",
		       pgc_kv_u64(t, "missed"));
}

static void tlb_system_json(const char *t, uint64_t dt_ns)
{
	struct pgc_json j;
	size_t i;

	pgc_json_doc(&j, stdout);
	if (dt_ns)
		pgc_json_u64(&j, "interval_ns", dt_ns);
	pgc_json_str(&j, "scope", "system");
	pgc_json_object(&j, "reason");
	for (i = 0; i < PGC_ARRAY_SIZE(tlb_reasons); i++)
		if (tlb_reason_listed(t, tlb_reasons[i]))
			pgc_json_u64(&j, tlb_reasons[i],
				     pgc_kv_rec(t, "reason", tlb_reasons[i],
						"count"));
	pgc_json_end(&j);
	pgc_json_object(&j, "cause");
	for (i = 0; i < PGC_ARRAY_SIZE(tlb_causes); i++) {
		pgc_json_object(&j, tlb_causes[i]);
		pgc_json_u64(&j, "local",
			     pgc_kv_rec(t, "cause", tlb_causes[i], "local"));
		pgc_json_u64(&j, "sent",
			     pgc_kv_rec(t, "cause", tlb_causes[i], "sent"));
		pgc_json_end(&j);
	}
	pgc_json_end(&j);
	pgc_json_u64(&j, "targets", pgc_kv_u64(t, "targets"));
	pgc_kv_hist_json(&j, "shootdown_cpus", t, "cpus", "count",
			 TLB_CPU_BUCKETS, false);
	pgc_kv_hist_json(&j, "flush_pages", t, "pages", "count",
			 TLB_PAGE_BUCKETS, false);
	pgc_json_u64(&j, "full_flushes", pgc_kv_rec(t, "pages", "all", "count"));
	pgc_json_u64(&j, "missed", pgc_kv_u64(t, "missed"));
	pgc_json_end(&j);
}

/* One read: the system-wide table, or --pid's row. */
struct tlb_snap {
	uint64_t time_ns;
	char *text;		/* system-wide */
	struct pgc_proc_row row;	/* --pid */
	bool found;
};

static int tlb_read(const struct pgc_opts *o, struct tlb_snap *s)
{
	struct pgc_procs p;
	struct pgc_proc_row *r;
	int st;

	s->time_ns = pgc_clock_ns(CLOCK_MONOTONIC);
	if (!o->has_pid) {
		s->text = pgc_slurp("tlb");
		return s->text ? PGC_EXIT_OK : PGC_EXIT_FAIL;
	}
	st = pgc_read_procs(&p);
	if (st)
		return st;
	r = pgc_proc_find(&p, o->pid);
	s->found = r;
	if (r)
		s->row = *r;
	pgc_procs_free(&p);
	if (!r && !o->pid_alive) {
		pgc_error("tlb: no such process %d", o->pid);
		return PGC_EXIT_NO_PROCESS;
	}
	return PGC_EXIT_OK;
}

static void tlb_process_print(const struct pgc_opts *o,
			      const struct tlb_snap *s, uint64_t dt_ns)
{
	const struct pgc_proc_row *r = s->found ? &s->row : NULL;
	char name[PGC_NAME_TEXT];

	if (o->json) {
		struct pgc_json j;

		pgc_json_doc(&j, stdout);
		if (dt_ns)
			pgc_json_u64(&j, "interval_ns", dt_ns);
		pgc_json_str(&j, "scope", "process");
		pgc_json_s64(&j, "pid", o->pid);
		pgc_json_str(&j, "comm", r ? r->comm : "");
		pgc_json_bool(&j, "exited", r && r->exited);
		pgc_json_u64(&j, "local", r ? r->tlb_local : 0);
		pgc_json_u64(&j, "sent", r ? r->tlb_sent : 0);
		pgc_json_u64(&j, "targets", r ? r->tlb_targets : 0);
		pgc_json_end(&j);
		return;
	}
	printf("TLB flushes started by pid %d (%s)%s", o->pid,
	       r ? pgc_name_text(r->comm, name) : "not seen",
	       r && r->exited ? ", exited" : "");
	if (dt_ns)
		tlb_span(dt_ns);
	else
		putchar('\n');
	printf("  local flushes      %12" PRIu64 "\n"
	       "  shootdowns sent    %12" PRIu64 "\n"
	       "  CPUs interrupted   %12" PRIu64 "\n",
	       r ? r->tlb_local : 0, r ? r->tlb_sent : 0,
	       r ? r->tlb_targets : 0);
}

/* @s, or with @dt_ns what it added to @then (whose text it may change). */
static int tlb_print(const struct pgc_opts *o, const struct tlb_snap *s,
		     struct tlb_snap *then, uint64_t dt_ns)
{
	char *d = NULL;

	if (o->has_pid) {
		struct tlb_snap ds = *s;

		if (then && then->found)
			pgc_proc_since(&ds.row, &then->row);
		tlb_process_print(o, &ds, dt_ns);
		return PGC_EXIT_OK;
	}
	if (then) {
		d = pgc_kv_delta(s->text, then->text);
		if (!d) {
			pgc_error("tlb: out of memory");
			return PGC_EXIT_FAIL;
		}
	}
	if (o->json)
		tlb_system_json(d ? d : s->text, dt_ns);
	else
		tlb_system_text(d ? d : s->text, dt_ns);
	free(d);
	return PGC_EXIT_OK;
}

/* -I: what came since the last read, @ctx. */
struct tlb_interval {
	const struct pgc_opts *o;
	struct tlb_snap *a;
};

static int tlb_tick(void *ctx)
{
	struct tlb_interval *ti = ctx;
	struct tlb_snap b = { 0 };
	int st = tlb_read(ti->o, &b);

	/* Its row is gone, or the pid names another process: it is done. */
	if (!st && ti->a->found && (!b.found || b.row.id != ti->a->row.id)) {
		free(b.text);
		return PGC_INTERVAL_LAST;
	}
	if (!st)
		st = tlb_print(ti->o, &b, ti->a, b.time_ns - ti->a->time_ns);
	if (!st && !ti->o->json)
		putchar('\n');
	free(ti->a->text);
	*ti->a = b;	/* the next interval starts at this read */
	if (!st && ti->o->has_pid && b.found && b.row.exited)
		return PGC_INTERVAL_LAST;
	return st;
}

static int tlb_run(int argc, char **argv)
{
	struct tlb_snap s = { 0 };
	struct pgc_opts o;
	int st;

	st = pgc_verb_start(&pgc_verb_tlb, argc, argv,
			    PGC_OPT_PID | PGC_OPT_INTERVAL, &o);
	if (st >= 0)
		return st;
	st = tlb_read(&o, &s);
	if (st)
		return st;
	if (o.has_interval) {
		struct tlb_interval ti = { &o, &s };

		st = pgc_intervals(&o, 0, tlb_tick, &ti);
	} else {
		st = tlb_print(&o, &s, NULL, 0);
	}
	free(s.text);
	return st;
}

const struct pgc_verb pgc_verb_tlb = {
	.name = "tlb",
	.summary = "TLB flushes and shootdowns by reason and cause",
	.run = tlb_run,
	.help = tlb_help,
};
