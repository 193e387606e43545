/* SPDX-License-Identifier: GPL-2.0 */
/* What the bench programs share. */
#ifndef PGC_BENCH_H
#define PGC_BENCH_H

#include <time.h>

/* Seconds on the monotonic clock: rates are counts over its differences. */
static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif
