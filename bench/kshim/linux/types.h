/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's types for src/core/ built in userspace (bench/optsim runs
 * the module's own policy code): found before the system's UAPI headers.
 */
#ifndef PGC_KSHIM_TYPES_H
#define PGC_KSHIM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

#endif
