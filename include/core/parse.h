/* SPDX-License-Identifier: GPL-2.0 */
/* What users write to the control files (src/core/parse.c). */
#ifndef PGC_CORE_PARSE_H
#define PGC_CORE_PARSE_H

#include <linux/types.h>
#include <linux/limits.h>
#include "core/knob.h"
#include "core/hand.h"

/* Text: no NUL inside, which would end the parse and hide what follows. */
bool pgc_text_ok(const char *buf, size_t count);

/* A process id, NUL-terminated @s: a positive decimal number. */
int pgc_pid_parse(const char *s, pid_t *pid);

/*
 * A value written to a sysfs file (@count bytes at @buf): one decimal
 * number, an optional newline, within [@min, @max], or 0 if @zero_ok.
 * -EINVAL (not such a number, or longer than 16 bytes) or -ERANGE.
 */
int pgc_knob_parse(const char *buf, size_t count, u64 min, u64 max,
		   bool zero_ok, u64 *v);

/*
 * A value written to the file of knob @d on a machine of @ram_pages: the
 * parse above, then @d's range (pgc_knob_check()).  Every sysfs number
 * file's store goes through here.
 */
int pgc_knob_write(const struct pgc_knob_desc *d, const char *buf,
		   size_t count, u64 ram_pages, u64 *v);

/* A target's settings, staged in sysfs targets/<n>/ and committed at once. */
struct pgc_target_req {
	pid_t pid;
	unsigned long budget;	/* pages; 0: none, or with PFF: where it is */
	bool pff;		/* a PFF controller moves the budget */
	struct pgc_pff_knobs k;	/* its knobs */
	struct pgc_hand_params hand;	/* the hand's policy */
};

#endif /* PGC_CORE_PARSE_H */
