/* SPDX-License-Identifier: GPL-2.0 */
/* A fault breakdown (counts and latency by class), printed one way. */
#ifndef PAGECLOCK_BREAKDOWN_H
#define PAGECLOCK_BREAKDOWN_H

#include <stdio.h>
#include "json.h"
#include "kdata.h"

struct pgc_breakdown {
	const struct pgc_classes *cls;
	uint64_t minor, major;
	uint64_t count[PGC_MAX_CLASSES], ns[PGC_MAX_CLASSES];
	uint64_t hist[PGC_BUCKETS];		/* all classes together */
	bool has_class_hist;			/* system-wide only */
	uint64_t class_hist[PGC_MAX_CLASSES][PGC_BUCKETS];
};

void pgc_breakdown_init(struct pgc_breakdown *b, const struct pgc_classes *c);
void pgc_breakdown_add(struct pgc_breakdown *b, const struct pgc_proc_row *r);
void pgc_breakdown_from_faults(struct pgc_breakdown *b,
			       const struct pgc_faults *f);
/* @b minus an earlier @a of the same counters: what happened between. */
void pgc_breakdown_sub(struct pgc_breakdown *b, const struct pgc_breakdown *a);
/*
 * The members "totals" (minor, major; with @classes swapin, protection)
 * and with @classes "faults", "latency", "latency_all" of an open object.
 */
void pgc_breakdown_json(const struct pgc_breakdown *b, struct pgc_json *j,
			bool classes);
void pgc_breakdown_text(const struct pgc_breakdown *b, FILE *out);

#endif /* PAGECLOCK_BREAKDOWN_H */
