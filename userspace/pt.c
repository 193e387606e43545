// SPDX-License-Identifier: GPL-2.0
/* pageclock pt: the shape of one process's page tables. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kdata.h"
#include "pageclock.h"

static void pt_help(FILE *out)
{
	fputs("usage: pageclock pt --pid PID [--json]\n"
	      "Page-table pages at each level, the entries they hold (present,\n"
	      "swap, migration, THP) and the memory the tables take, beside the\n"
	      "process's RSS and what one flat table would cost for the same\n"
	      "address space.  Read now, by walking the tables.\n", out);
}

static const char *const pt_kinds[] = {
	"anon", "heap", "stack", "file", "shmem", "other",
};

/* The numbers of debugfs "pt" that JSON gives as they are, in its order. */
static const char *const pt_keys[] = {
	"pid", "tgid", "pgd_tables", "p4d_tables", "pud_tables", "pmd_tables",
	"pte_tables", "table_bytes", "kernel_pgtables_bytes", "pte_present",
	"pte_swap", "pte_migration", "pte_protnone", "pte_other", "pmd_thp",
	"pmd_migration", "span_bytes", "flat_span_bytes", "flat_full_bytes",
	"raced", "lock_drops",
};

static const char *const pt_kind_keys[] = {
	"vmas", "vm_bytes", "present", "swap", "thp",
};


static void pt_json(const char *t)
{
	char comm[64];
	struct pgc_json j;
	size_t i, k;

	pgc_json_doc(&j, stdout);
	for (i = 0; i < PGC_ARRAY_SIZE(pt_keys); i++)
		pgc_json_u64(&j, pt_keys[i], pgc_kv_u64(t, pt_keys[i]));
	pgc_kv_str(t, "comm", comm, sizeof(comm));
	pgc_json_str(&j, "comm", pgc_name_unescape(comm));
	/* RSS is in pages in every verb. */
	pgc_json_u64(&j, "rss_pages", pgc_kv_u64(t, "rss_bytes") / 4096);
	pgc_json_object(&j, "kind");
	for (i = 0; i < PGC_ARRAY_SIZE(pt_kinds); i++) {
		pgc_json_object(&j, pt_kinds[i]);
		for (k = 0; k < PGC_ARRAY_SIZE(pt_kind_keys); k++)
			pgc_json_u64(&j, pt_kind_keys[k],
				     pgc_kv_rec(t, "kind", pt_kinds[i],
						pt_kind_keys[k]));
		pgc_json_end(&j);
	}
	pgc_json_end(&j);
	pgc_json_end(&j);
}

static void pt_text(const char *t)
{
	static const char *const lv[] = { "pgd", "p4d", "pud", "pmd", "pte" };
	char comm[64], name[PGC_NAME_TEXT], b1[32], b2[32], b3[32];
	uint64_t total = 0, tb = pgc_kv_u64(t, "table_bytes");
	uint64_t rss = pgc_kv_u64(t, "rss_bytes");
	uint64_t flat = pgc_kv_u64(t, "flat_full_bytes");
	size_t i;

	pgc_kv_str(t, "comm", comm, sizeof(comm));
	printf("page tables of pid %" PRIu64 " (%s)\n", pgc_kv_u64(t, "tgid"),
	       pgc_name_text(pgc_name_unescape(comm), name));
	printf("  %-6s %10s\n", "level", "tables");
	for (i = 0; i < 5; i++) {
		char key[32];
		uint64_t n;

		snprintf(key, sizeof(key), "%s_tables", lv[i]);
		n = pgc_kv_u64(t, key);
		total += n;
		printf("  %-6s %10" PRIu64 "%s\n", lv[i], n,
		       i == 1 && !n ? "  (folded: 4-level paging)" : "");
	}
	printf("  %-6s %10" PRIu64 "  %s; the kernel counts %s below the pgd\n",
	       "total", total, pgc_fmt_bytes(b1, sizeof(b1), tb),
	       pgc_fmt_bytes(b2, sizeof(b2),
			     pgc_kv_u64(t, "kernel_pgtables_bytes")));
	printf("entries: %" PRIu64 " present, %" PRIu64 " swap, %" PRIu64
	       " migration, %" PRIu64 " PROT_NONE, %" PRIu64 " THP (2 MiB)\n",
	       pgc_kv_u64(t, "pte_present"), pgc_kv_u64(t, "pte_swap"),
	       pgc_kv_u64(t, "pte_migration") + pgc_kv_u64(t, "pmd_migration"),
	       pgc_kv_u64(t, "pte_protnone"), pgc_kv_u64(t, "pmd_thp"));
	printf("resident %s: the tables are %.2f%% of it\n",
	       pgc_fmt_bytes(b1, sizeof(b1), rss), rss ? 100.0 * tb / rss : 0);
	printf("one flat table (8 bytes per 4 KiB page) would take %s for the\n"
	       "%s from the lowest to the highest mapping, %s for the whole\n"
	       "user address space: the tree is %.0f times smaller than the latter\n",
	       pgc_fmt_bytes(b1, sizeof(b1), pgc_kv_u64(t, "flat_span_bytes")),
	       pgc_fmt_bytes(b2, sizeof(b2), pgc_kv_u64(t, "span_bytes")),
	       pgc_fmt_bytes(b3, sizeof(b3), flat), tb ? (double)flat / tb : 0);
	printf("\n  %-6s %6s %12s %10s %8s %6s\n", "kind", "vmas", "size",
	       "present", "swap", "thp");
	for (i = 0; i < PGC_ARRAY_SIZE(pt_kinds); i++)
		printf("  %-6s %6" PRIu64 " %12s %10" PRIu64 " %8" PRIu64
		       " %6" PRIu64 "\n", pt_kinds[i],
		       pgc_kv_rec(t, "kind", pt_kinds[i], "vmas"),
		       pgc_fmt_bytes(b1, sizeof(b1),
				     pgc_kv_rec(t, "kind", pt_kinds[i], "vm_bytes")),
		       pgc_kv_rec(t, "kind", pt_kinds[i], "present"),
		       pgc_kv_rec(t, "kind", pt_kinds[i], "swap"),
		       pgc_kv_rec(t, "kind", pt_kinds[i], "thp"));
	if (pgc_kv_u64(t, "raced"))
		printf("note: %" PRIu64 " tables changed while being read and were skipped\n",
		       pgc_kv_u64(t, "raced"));
	if (pgc_kv_u64(t, "lock_drops"))
		printf("note: the walk let the process's mmap writers in %" PRIu64
		       " times; parts it had not yet read may have changed\n",
		       pgc_kv_u64(t, "lock_drops"));
}

static int pt_run(int argc, char **argv)
{
	struct pgc_opts o;
	char req[32], state[16], *t;
	int st;

	st = pgc_verb_start(&pgc_verb_pt, argc, argv, PGC_OPT_NEED_PID, &o);
	if (st >= 0)
		return st;
	snprintf(req, sizeof(req), "%d\n", o.pid);
	st = pgc_request_pid("pt", "pt", o.pid, req, &t);
	if (st)
		return st;
	if (strcmp(pgc_kv_str(t, "state", state, sizeof(state)), "alive")) {
		pgc_error("pt: process %d exited", o.pid);
		free(t);
		return PGC_EXIT_NO_PROCESS;
	}
	if (o.json)
		pt_json(t);
	else
		pt_text(t);
	free(t);
	return PGC_EXIT_OK;
}

const struct pgc_verb pgc_verb_pt = {
	.name = "pt",
	.summary = "page-table shape of a process, against a flat table",
	.run = pt_run,
	.help = pt_help,
};
