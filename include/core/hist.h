/* SPDX-License-Identifier: GPL-2.0 */
/* log2 histograms (src/core/hist.c). */
#ifndef PGC_CORE_HIST_H
#define PGC_CORE_HIST_H

#include <linux/types.h>
#include <linux/limits.h>

#define PGC_HIST_BUCKETS 32	/* bucket i: [2^i, 2^(i+1)) ns; 2^31 ns ~ 2 s */

unsigned int pgc_hist_bucket(u64 value);

#endif /* PGC_CORE_HIST_H */
