/* SPDX-License-Identifier: GPL-2.0 */
/* Process names as printed (src/core/name.c). */
#ifndef PGC_CORE_NAME_H
#define PGC_CORE_NAME_H

#include <linux/types.h>
#include <linux/limits.h>

/* Room for a name of @len bytes, escaped. */
#define PGC_NAME_ESC_SIZE(len)	(4 * (len) + 1)

/* @src (at most @len bytes, NUL-terminated if shorter), escaped into @dst. */
void pgc_name_escape(char *dst, const char *src, size_t len);

#endif /* PGC_CORE_NAME_H */
