/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's limits for src/core/ in userspace (see types.h). */
#ifndef PGC_KSHIM_LIMITS_H
#define PGC_KSHIM_LIMITS_H

#include <limits.h>
#include <stdint.h>

#define U64_MAX	UINT64_MAX
#define U32_MAX	UINT32_MAX

#endif
