// SPDX-License-Identifier: GPL-2.0
/* pageclock cow: copy-on-write efficiency of recent forks. */
#include <inttypes.h>
#include <string.h>

#include "kdata.h"
#include "pageclock.h"

static void cow_help(FILE *out)
{
	fputs("usage: pageclock cow [--pid PID] [--json]\n"
	      "For each recent fork: S, the pages it left shared copy-on-write\n"
	      "(counted before the child ran; marked ~ if the parent had pages\n"
	      "pinned for DMA, which fork copies), and c, the copy faults\n"
	      "those cost in the parent and the child until the child exited\n"
	      "or exec'd.  c/S near 0: sharing worked; near 1: nearly every\n"
	      "shared page was copied anyway.  --pid: forks made by PID (or\n"
	      "that made PID), and PID's sums.\n", out);
}

static double cow_ratio(uint64_t s, uint64_t c)
{
	return s ? (double)c / s : 0;
}

void pgc_fork_header(FILE *out)
{
	fprintf(out, "%6s %7s %7s %10s %9s %9s %6s %-7s %s\n", "seq", "parent",
	       "child", "shared(S)", "c_parent", "c_child", "c/S", "state",
	       "verdict");
}

/* One fork record; @sep goes before it in JSON. */
unsigned int pgc_fork_print(FILE *out, const struct pgc_fork_row *r,
			    bool json, const char *sep)
{
	uint64_t c = r->c_parent + r->c_child;
	enum pgc_cow_v v = pgc_cow_verdict(r->shared, c, r->state);

	if (!json) {
		fprintf(out, "%6" PRIu64 " %7d %7d %10" PRIu64 "%s %9" PRIu64 " %9" PRIu64
		       " %6.3f %-7s %s\n", r->seq, r->parent, r->child,
		       r->shared, r->pinned ? "~" : " ", r->c_parent,
		       r->c_child, cow_ratio(r->shared, c), r->state,
		       pgc_cow_verdicts[v].word);
		return 1U << v | (r->pinned ? PGC_COW_SEEN_PINNED : 0);
	}
	fprintf(out, "%s{\"seq\":%" PRIu64 ",\"parent\":%d,\"child\":%d,\"comm\":",
	       sep, r->seq, r->parent, r->child);
	pgc_json_quote(out, r->comm);
	fprintf(out, ",\"shared_at_fork\":%" PRIu64 ",\"pinned\":%s,"
	       "\"cow_copies\":%" PRIu64 ",\"cow_copies_parent\":%" PRIu64
	       ",\"cow_copies_child\":%" PRIu64 ",\"ratio\":%.4f,\"state\":\"%s\",\"verdict\":",
	       r->shared, r->pinned ? "true" : "false", c, r->c_parent,
	       r->c_child, cow_ratio(r->shared, c), r->state);
	pgc_json_quote(out, pgc_cow_verdicts[v].text);
	fputc('}', out);
	return 1U << v;
}

/* The advice of each verdict in @seen, wrapped to 80 columns. */
void pgc_fork_legend(FILE *out, unsigned int seen)
{
	int v, col, n;
	const char *w;

	for (v = 0; v < PGC_COW_NV; v++) {
		if (!(seen & 1U << v))
			continue;
		col = fprintf(out, "  %-7s", pgc_cow_verdicts[v].word);
		for (w = pgc_cow_verdicts[v].text; *w; w += n + !!w[n]) {
			n = strcspn(w, " ");
			if (col + 1 + n > 79)
				col = fprintf(out, "\n%9s", "") - 1;
			col += fprintf(out, " %.*s", n, w);
		}
		fputc('\n', out);
	}
	if (seen & PGC_COW_SEEN_PINNED)
		fprintf(out, "  %-7s S may count pages the parent had pinned for DMA,\n"
			"%9s which fork copies instead of sharing\n", "~", "");
}

static int cow_run(int argc, char **argv)
{
	struct pgc_forks f;
	struct pgc_procs p;
	struct pgc_opts o;
	char name[PGC_NAME_TEXT];
	unsigned int seen = 0;
	int st, i, shown = 0;

	st = pgc_verb_start(&pgc_verb_cow, argc, argv, PGC_OPT_PID, &o);
	if (st >= 0)
		return st;
	st = pgc_read_forks(&f);
	if (st)
		return st;
	st = pgc_read_procs(&p);
	if (st) {
		pgc_forks_free(&f);
		return st;
	}
	if (o.has_pid && !o.pid_alive && !pgc_proc_find(&p, o.pid)) {
		pgc_error("cow: no such process %d (or none the module saw)", o.pid);
		st = PGC_EXIT_NO_PROCESS;
		goto out;
	}

	if (o.json)
		printf("{\"forks\":[");
	else
		pgc_fork_header(stdout);
	for (i = 0; i < f.n; i++) {
		struct pgc_fork_row *r = &f.rows[i];

		if (o.has_pid && r->parent != o.pid && r->child != o.pid)
			continue;
		seen |= pgc_fork_print(stdout, r, o.json,
				       shown++ ? "," : "");
	}
	if (!o.json)
		pgc_fork_legend(stdout, seen);

	if (o.json)
		printf("],\"processes\":[");
	else
		printf("\nper process (sums over its forks):\n%7s %-16s %6s %10s %10s %6s\n",
		       "pid", "comm", "forks", "shared(S)", "copies(c)", "c/S");
	for (i = 0, shown = 0; i < p.n; i++) {
		struct pgc_proc_row *r = &p.rows[i];

		if (!r->forks || (o.has_pid && r->tgid != o.pid))
			continue;
		if (o.json) {
			printf("%s{\"pid\":%d,\"comm\":", shown ? "," : "", r->tgid);
			pgc_json_quote(stdout, r->comm);
			printf(",\"forks\":%" PRIu64 ",\"shared_at_fork\":%" PRIu64
			       ",\"cow_copies\":%" PRIu64 ",\"ratio\":%.4f}",
			       r->forks, r->cow_shared, r->cow_copies,
			       cow_ratio(r->cow_shared, r->cow_copies));
		} else {
			printf("%7d %-16s %6" PRIu64 " %10" PRIu64 " %10" PRIu64 " %6.3f\n",
			       r->tgid, pgc_name_text(r->comm, name), r->forks, r->cow_shared,
			       r->cow_copies, cow_ratio(r->cow_shared, r->cow_copies));
		}
		shown++;
	}
	if (o.json)
		printf("]}\n");
	st = PGC_EXIT_OK;
out:
	pgc_forks_free(&f);
	pgc_procs_free(&p);
	return st;
}

const struct pgc_verb pgc_verb_cow = {
	.name = "cow",
	.summary = "copy-on-write efficiency of recent forks",
	.run = cow_run,
	.help = cow_help,
};
