// SPDX-License-Identifier: GPL-2.0
/* log2 histograms: bucket i holds values in [2^i, 2^(i+1)); 0 goes to 0. */
#include <linux/bitops.h>
#include "core/hist.h"

unsigned int pgc_hist_bucket(u64 value)
{
	unsigned int b = value ? fls64(value) - 1 : 0;

	return b < PGC_HIST_BUCKETS ? b : PGC_HIST_BUCKETS - 1;
}
