// SPDX-License-Identifier: GPL-2.0
/* pageclock ad: Accessed/Dirty bit populations, idle ages, working set. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kdata.h"
#include "pageclock.h"

static void ad_help(FILE *out)
{
	fputs("usage: pageclock ad --pid PID [--flush] [--interval MS] [--sweeps N] [--json]\n"
	      "Sweep the process's page tables N times (default 2), MS apart\n"
	      "(default 1000): each sweep counts present pages by Accessed and\n"
	      "Dirty bit, then clears the Accessed bits.  The last sweep shows\n"
	      "what was touched in the last interval; idle ages count sweeps\n"
	      "since a page was last found accessed; the working set is the\n"
	      "pages accessed within the last 1, 2, 4, ... sweeps.\n"
	      "--flush flushes the process's TLB entries after clearing, so a\n"
	      "page kept hot in a TLB sets its bit again; without it (what the\n"
	      "kernel's own reclaim does) such a page can look idle.\n"
	      "The module sweeps one process at a time: this replaces the target\n"
	      "in /sys/kernel/pageclock/ad/pid.\n", out);
}

/* The (Accessed, Dirty) classes of debugfs "ad". */
static const char *const ad_classes[] = { "a1d1", "a1d0", "a0d1", "a0d0" };
/* Buckets of its "age" table (0, 1, 2-3, ..., 128-255) and "ws" (1 .. 256). */
#define AD_AGES 9
#define AD_WS 9

static void ad_json(const char *t, pid_t pid, const struct pgc_opts *o)
{
	char buf[64], name[8];
	struct pgc_json j;
	unsigned int i;

	pgc_json_doc(&j, stdout);
	pgc_json_s64(&j, "pid", pid);
	snprintf(name, sizeof(name), "%d", pid);
	pgc_json_str(&j, "comm", pgc_proc_comm(name, buf));
	pgc_json_u64(&j, "sweeps", pgc_kv_u64(t, "sweeps"));
	pgc_json_s64(&j, "interval_ms", o->interval_ms);
	pgc_json_bool(&j, "flush", !strcmp(pgc_kv_str(t, "flush", buf,
						       sizeof(buf)), "yes"));
	pgc_json_str(&j, "flush_method",
		     pgc_kv_str(t, "flush_method", buf, sizeof(buf)));
	pgc_json_u64(&j, "ptes", pgc_kv_u64(t, "ptes"));
	pgc_json_u64(&j, "sweep_ns", pgc_kv_u64(t, "ns"));
	pgc_json_u64(&j, "pte_cost_ns", pgc_kv_u64(t, "ns_per_pte"));
	pgc_json_u64(&j, "present_pages", pgc_kv_u64(t, "pages"));
	pgc_json_u64(&j, "idle_pages", pgc_kv_u64(t, "idle"));
	pgc_json_object(&j, "class_pages");
	for (i = 0; i < PGC_ARRAY_SIZE(ad_classes); i++)
		pgc_json_u64(&j, ad_classes[i],
			     pgc_kv_rec(t, "class", ad_classes[i], "pages"));
	pgc_json_end(&j);
	pgc_kv_hist_json(&j, "idle_age_sweeps", t, "age", "pages", AD_AGES,
			 true);
	pgc_json_array(&j, "working_set");
	for (i = 0; i < AD_WS; i++) {
		snprintf(name, sizeof(name), "%u", 1U << i);
		pgc_json_object(&j, NULL);
		pgc_json_u64(&j, "last_sweeps", 1U << i);
		pgc_json_u64(&j, "pages", pgc_kv_rec(t, "ws", name, "pages"));
		pgc_json_end(&j);
	}
	pgc_json_end(&j);
	pgc_json_u64(&j, "untracked_pages", pgc_kv_u64(t, "untracked"));
	pgc_json_u64(&j, "blocks", pgc_kv_u64(t, "blocks"));
	pgc_json_u64(&j, "raced", pgc_kv_u64(t, "raced"));
	pgc_json_u64(&j, "lock_drops", pgc_kv_u64(t, "lock_drops"));
	pgc_json_end(&j);
}

static void ad_text(const char *t, pid_t pid, const struct pgc_opts *o)
{
	static const char *const cls[][2] = {
		{ "a1d1", "accessed, dirty" }, { "a1d0", "accessed, clean" },
		{ "a0d1", "idle, dirty" }, { "a0d0", "idle, clean" },
	};
	uint64_t pages = pgc_kv_u64(t, "pages"), ptes = pgc_kv_u64(t, "ptes");
	char comm[PGC_NAME_TEXT], pids[16], b[32], m[64];
	unsigned int i;

	snprintf(pids, sizeof(pids), "%d", pid);
	pgc_proc_comm_text(pids, comm);
	if (strcmp(pgc_kv_str(t, "flush", b, sizeof(b)), "yes"))
		snprintf(m, sizeof(m), "TLB not flushed");
	else
		snprintf(m, sizeof(m), "TLB flushed by %s",
			 pgc_kv_str(t, "flush_method", b, sizeof(b)));
	printf("Accessed/Dirty bits of pid %d (%s): %ld sweep%s %ld ms apart, %s\n",
	       pid, comm, o->sweeps, o->sweeps == 1 ? "" : "s", o->interval_ms,
	       m);
	for (i = 0; i < 4; i++) {
		uint64_t n = pgc_kv_rec(t, "class", cls[i][0], "pages");

		printf("  %-16s %10" PRIu64 "  %5.1f%%\n", cls[i][1], n,
		       pages ? 100.0 * n / pages : 0);
	}
	printf("  idle: %" PRIu64 " of %" PRIu64 " present pages\n",
	       pgc_kv_u64(t, "idle"), pages);
	printf("  idle age (sweeps):");
	for (i = 0; i < AD_AGES; i++) {
		char name[8];
		uint64_t n;

		snprintf(name, sizeof(name), "%u", i ? 1U << (i - 1) : 0);
		n = pgc_kv_rec(t, "age", name, "pages");
		if (!n)
			continue;
		if (i < 2)
			printf(" %s: %" PRIu64, name, n);
		else
			printf(" %u-%u: %" PRIu64, 1U << (i - 1), (1U << i) - 1, n);
	}
	printf("\n  working set (accessed within the last k sweeps):");
	for (i = 0; i < AD_WS && (1ULL << i) <= pgc_kv_u64(t, "sweeps"); i++) {
		char name[8];

		snprintf(name, sizeof(name), "%u", 1U << i);
		printf(" k=%s: %s", name,
		       pgc_fmt_bytes(b, sizeof(b),
				     4096.0 * pgc_kv_rec(t, "ws", name, "pages")));
	}
	printf("\n  last sweep: %" PRIu64 " entries in %.1f us, %" PRIu64
	       " ns per entry\n", ptes, pgc_kv_u64(t, "ns") / 1e3,
	       pgc_kv_u64(t, "ns_per_pte"));
	if (pgc_kv_u64(t, "untracked"))
		printf("  note: %" PRIu64 " pages beyond the age table's bound have no age\n",
		       pgc_kv_u64(t, "untracked"));
}

static int ad_run(int argc, char **argv)
{
	struct pgc_opts o;
	char path[512], req[32], state[16], *t = NULL;
	struct timespec ts;
	long i;
	int st, err;

	st = pgc_verb_start(&pgc_verb_ad, argc, argv,
			    PGC_OPT_NEED_PID | PGC_OPT_SWEEP, &o);
	if (st >= 0)
		return st;
	snprintf(req, sizeof(req), "%d\n", o.pid);
	err = pgc_write_file(pgc_path(path, sizeof(path), PGC_SYSFS, "ad/pid"),
			     req);
	if (err == -ENOENT) {
		pgc_error("ad: no %s: the loaded module is older than this CLI",
			  path);
		return PGC_EXIT_FAIL;
	}
	if (err == -ESRCH) {
		pgc_error("ad: no such process %d", o.pid);
		return PGC_EXIT_NO_PROCESS;
	}
	if (err == -EOPNOTSUPP) {
		pgc_error("ad: %d is a kernel thread: it has no address space of its own",
			  o.pid);
		return PGC_EXIT_USAGE;
	}
	if (err) {
		pgc_error("ad: %s: %s", path, strerror(-err));
		return err == -EACCES ? PGC_EXIT_PERM : PGC_EXIT_FAIL;
	}
	ts.tv_sec = o.interval_ms / 1000;
	ts.tv_nsec = o.interval_ms % 1000 * 1000000L;
	for (i = 0; i < o.sweeps; i++) {
		if (i)
			nanosleep(&ts, NULL);
		err = pgc_write_file(pgc_path(path, sizeof(path), PGC_SYSFS,
					      "ad/sweep"),
				     o.flush ? "sweep flush\n" : "sweep noflush\n");
		if (err == -ENOENT) {
			/* We set ad/pid: someone set it to 0 since. */
			pgc_error("ad: ad/pid was reset to 0 during the sweeps (another user of the module?)");
			return PGC_EXIT_FAIL;
		}
		st = pgc_request_status("ad", "ad/sweep", o.pid, err);
		if (st)
			return st;
	}
	/* The last sweep's result (an error has said why already). */
	t = pgc_slurp("ad");
	if (!t)
		return PGC_EXIT_FAIL;
	if (strcmp(pgc_kv_str(t, "state", state, sizeof(state)), "alive")) {
		pgc_error("ad: process %d exited during the sweeps", o.pid);
		free(t);
		return PGC_EXIT_NO_PROCESS;
	}
	if (o.json)
		ad_json(t, o.pid, &o);
	else
		ad_text(t, o.pid, &o);
	free(t);
	return PGC_EXIT_OK;
}

const struct pgc_verb pgc_verb_ad = {
	.name = "ad",
	.summary = "Accessed/Dirty bits, idle ages and working set of a process",
	.run = ad_run,
	.help = ad_help,
};
