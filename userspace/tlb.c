// SPDX-License-Identifier: GPL-2.0
/* pageclock tlb: TLB flushes and shootdowns, system-wide or per process. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kdata.h"
#include "pageclock.h"

static void tlb_help(FILE *out)
{
	fputs("usage: pageclock tlb [--pid PID] [--json]\n"
	      "TLB flushes since the module was loaded.  System-wide: by the\n"
	      "kernel's reason (tlb:tlb_flush), flushes started and shootdowns\n"
	      "sent by cause (mprotect, munmap, reclaim, fault = COW break, ...),\n"
	      "CPUs per shootdown and pages per flush.  With --pid: the flushes\n"
	      "that process's threads started and the CPUs they interrupted.\n",
	      out);
}

static const char *const tlb_reasons[] = {
	"task_switch", "remote_shootdown_received", "local_shootdown",
	"local_mm_shootdown", "remote_shootdown_sent",
};

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

static void tlb_system_text(const char *t)
{
	uint64_t sent = 0;
	size_t i;

	printf("TLB flushes, system-wide, since the module was loaded\n"
	       "  by the kernel's reason:\n");
	for (i = 0; i < PGC_ARRAY_SIZE(tlb_reasons); i++)
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

static void tlb_system_json(const char *t)
{
	struct pgc_json j;
	size_t i;

	pgc_json_doc(&j, stdout);
	pgc_json_str(&j, "scope", "system");
	pgc_json_object(&j, "reason");
	for (i = 0; i < PGC_ARRAY_SIZE(tlb_reasons); i++)
		pgc_json_u64(&j, tlb_reasons[i],
			     pgc_kv_rec(t, "reason", tlb_reasons[i], "count"));
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

static int tlb_process(const struct pgc_opts *o)
{
	struct pgc_procs p;
	struct pgc_proc_row *r;
	char name[PGC_NAME_TEXT];
	int st = pgc_read_procs(&p);

	if (st)
		return st;
	r = pgc_proc_find(&p, o->pid);
	if (!r && !o->pid_alive) {
		pgc_error("tlb: no such process %d", o->pid);
		pgc_procs_free(&p);
		return PGC_EXIT_NO_PROCESS;
	}
	if (o->json) {
		struct pgc_json j;

		pgc_json_doc(&j, stdout);
		pgc_json_str(&j, "scope", "process");
		pgc_json_s64(&j, "pid", o->pid);
		pgc_json_str(&j, "comm", r ? r->comm : "");
		pgc_json_bool(&j, "exited", r && r->exited);
		pgc_json_u64(&j, "local", r ? r->tlb_local : 0);
		pgc_json_u64(&j, "sent", r ? r->tlb_sent : 0);
		pgc_json_u64(&j, "targets", r ? r->tlb_targets : 0);
		pgc_json_end(&j);
	} else {
		printf("TLB flushes started by pid %d (%s)%s\n", o->pid,
		       r ? pgc_name_text(r->comm, name) : "not seen",
		       r && r->exited ? ", exited" : "");
		printf("  local flushes      %12" PRIu64 "\n"
		       "  shootdowns sent    %12" PRIu64 "\n"
		       "  CPUs interrupted   %12" PRIu64 "\n",
		       r ? r->tlb_local : 0, r ? r->tlb_sent : 0,
		       r ? r->tlb_targets : 0);
	}
	pgc_procs_free(&p);
	return PGC_EXIT_OK;
}

static int tlb_run(int argc, char **argv)
{
	struct pgc_opts o;
	char *t;
	int st;

	st = pgc_verb_start(&pgc_verb_tlb, argc, argv, PGC_OPT_PID, &o);
	if (st >= 0)
		return st;
	if (o.has_pid)
		return tlb_process(&o);
	t = pgc_slurp("tlb");
	if (!t)
		return PGC_EXIT_FAIL;
	if (o.json)
		tlb_system_json(t);
	else
		tlb_system_text(t);
	free(t);
	return PGC_EXIT_OK;
}

const struct pgc_verb pgc_verb_tlb = {
	.name = "tlb",
	.summary = "TLB flushes and shootdowns by reason and cause",
	.run = tlb_run,
	.help = tlb_help,
};
