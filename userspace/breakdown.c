// SPDX-License-Identifier: GPL-2.0
/* Fault breakdowns for `faults` and `stat`: the same numbers, one printer. */
#include <inttypes.h>
#include <string.h>

#include "breakdown.h"
#include "pageclock.h"

void pgc_breakdown_init(struct pgc_breakdown *b, const struct pgc_classes *c)
{
	memset(b, 0, sizeof(*b));
	b->cls = c;
}

void pgc_breakdown_add(struct pgc_breakdown *b, const struct pgc_proc_row *r)
{
	b->minor += r->minor;
	b->major += r->major;
	for (int i = 0; i < b->cls->n; i++) {
		b->count[i] += r->count[i];
		b->ns[i] += r->ns[i];
	}
	for (int i = 0; i < PGC_BUCKETS; i++)
		b->hist[i] += r->hist[i];
}

void pgc_breakdown_from_faults(struct pgc_breakdown *b,
			       const struct pgc_faults *f)
{
	pgc_breakdown_init(b, &f->cls);
	b->minor = f->minor;
	b->major = f->major;
	memcpy(b->count, f->count, sizeof(b->count));
	memcpy(b->ns, f->ns, sizeof(b->ns));
	for (int i = 0; i < f->cls.n; i++)
		for (int j = 0; j < PGC_BUCKETS; j++)
			b->hist[j] += f->hist[i][j];
	memcpy(b->class_hist, f->hist, sizeof(b->class_hist));
	b->has_class_hist = true;
}

void pgc_breakdown_sub(struct pgc_breakdown *b, const struct pgc_breakdown *a)
{
	b->minor = pgc_since(b->minor, a->minor);
	b->major = pgc_since(b->major, a->major);
	for (int i = 0; i < b->cls->n; i++) {
		b->count[i] = pgc_since(b->count[i], a->count[i]);
		b->ns[i] = pgc_since(b->ns[i], a->ns[i]);
		for (int j = 0; j < PGC_BUCKETS; j++)
			b->class_hist[i][j] = pgc_since(b->class_hist[i][j],
							a->class_hist[i][j]);
	}
	for (int j = 0; j < PGC_BUCKETS; j++)
		b->hist[j] = pgc_since(b->hist[j], a->hist[j]);
}

static uint64_t pgc_mean(uint64_t ns, uint64_t n)
{
	return n ? ns / n : 0;
}

/*
 * Percentile @pct of @hist in ns: null in the open last bucket, and
 * unknown (null) when there is no fault to rank (bug: 0 ns).
 */
static void pgc_pct_json(struct pgc_json *j, const char *key,
			 const uint64_t *hist, double pct)
{
	uint64_t v = pgc_hist_pct(hist, PGC_BUCKETS, pct);

	if (v == PGC_HIST_OPEN || !v)
		pgc_json_null(j, key);
	else
		pgc_json_u64(j, key, v);
}

void pgc_breakdown_json(const struct pgc_breakdown *b, struct pgc_json *j,
			bool classes)
{
	const struct pgc_classes *c = b->cls;
	int i;

	/* Beside the classes, .faults | add would count them twice. */
	pgc_json_object(j, "totals");
	pgc_json_u64(j, "minor", b->minor);
	pgc_json_u64(j, "major", b->major);
	if (classes) {
		pgc_json_u64(j, "swapin", pgc_sum_prefix(c, b->count, "swapin_"));
		pgc_json_u64(j, "protection", pgc_sum_prefix(c, b->count, "segv_"));
	}
	pgc_json_end(j);
	if (!classes)
		return;
	pgc_json_object(j, "faults");
	for (i = 0; i < c->n; i++)
		pgc_json_u64(j, c->name[i], b->count[i]);
	pgc_json_end(j);
	pgc_json_object(j, "latency");
	for (i = 0; i < c->n; i++) {
		pgc_json_object(j, c->name[i]);
		/* No fault: no mean (null), not a mean of 0 ns. */
		if (b->count[i])
			pgc_json_u64(j, "mean_ns", pgc_mean(b->ns[i],
							    b->count[i]));
		else
			pgc_json_null(j, "mean_ns");
		if (b->has_class_hist) {
			pgc_pct_json(j, "p50_ns", b->class_hist[i], 50);
			pgc_pct_json(j, "p99_ns", b->class_hist[i], 99);
		}
		pgc_json_end(j);
	}
	pgc_json_end(j);
	pgc_json_object(j, "latency_all");
	pgc_pct_json(j, "p50_ns", b->hist, 50);
	pgc_pct_json(j, "p90_ns", b->hist, 90);
	pgc_pct_json(j, "p99_ns", b->hist, 99);
	pgc_json_end(j);
}

void pgc_breakdown_text(const struct pgc_breakdown *b, FILE *out)
{
	const struct pgc_classes *c = b->cls;
	char m[16], p50[24], p90[24], p99[24];
	uint64_t total = 0;
	int i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->name[i], "retry"))
			total += b->count[i];
	fprintf(out, "  %" PRIu64 " minor, %" PRIu64 " major (as the kernel counts them)\n",
		b->minor, b->major);
	fprintf(out, "  %-16s %12s %7s %9s", "class", "faults", "share", "mean");
	if (b->has_class_hist)
		fprintf(out, " %10s %10s", "p50", "p99");
	fputc('\n', out);
	for (i = 0; i < c->n; i++) {
		if (!b->count[i])
			continue;
		fprintf(out, "  %-16s %12" PRIu64 " %6.1f%% %9s", c->name[i],
			b->count[i],
			strcmp(c->name[i], "retry") && total ?
			100.0 * b->count[i] / total : 0.0,
			b->ns[i] ? pgc_fmt_ns(m, sizeof(m),
					      (double)b->ns[i] / b->count[i]) : "-");
		if (b->has_class_hist)
			fprintf(out, " %10s %10s",
				pgc_pct_text(p50, sizeof(p50), b->class_hist[i], 50),
				pgc_pct_text(p99, sizeof(p99), b->class_hist[i], 99));
		fputc('\n', out);
	}
	fprintf(out, "  latency, all classes: p50 %s, p90 %s, p99 %s\n",
		pgc_pct_text(p50, sizeof(p50), b->hist, 50),
		pgc_pct_text(p90, sizeof(p90), b->hist, 90),
		pgc_pct_text(p99, sizeof(p99), b->hist, 99));
}
