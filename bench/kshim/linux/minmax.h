/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's min and max for src/core/ in userspace (see types.h). */
#ifndef PGC_KSHIM_MINMAX_H
#define PGC_KSHIM_MINMAX_H

#define min(a, b)		({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b)		({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a > _b ? _a : _b; })
#define min_t(t, a, b)		min((t)(a), (t)(b))
#define max_t(t, a, b)		max((t)(a), (t)(b))
#define min3(a, b, c)		min(min(a, b), c)
#define max3(a, b, c)		max(max(a, b), c)
#define clamp(v, lo, hi)	min(max(v, lo), hi)

#endif
