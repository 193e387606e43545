/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Zipf-distributed ranks, for the programs that draw keys from one
 * (tests/workloads/pgc-work.c's kv, bench/clockbench.c's zipf): rank r
 * (0 the hottest) weighs (r + 1)^-s.
 */
#ifndef PGC_ZIPF_H
#define PGC_ZIPF_H

#include <math.h>

/* Fill @cdf with the running sum of the @n ranks' weights; the total. */
static inline double pgc_zipf_cdf(double *cdf, long n, double s)
{
	double total = 0;

	for (long r = 0; r < n; r++)
		cdf[r] = total += pow(r + 1, -s);
	return total;
}

/* The rank among the first @n of @cdf that 64 random bits @x pick. */
static inline long pgc_zipf_rank(const double *cdf, long n, unsigned long x)
{
	double u = (x >> 11) * 0x1.0p-53 * cdf[n - 1];
	long lo = 0, hi = n - 1;

	while (lo < hi) {
		long mid = (lo + hi) / 2;

		if (cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

#endif /* PGC_ZIPF_H */
