/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's version.  Each part of src/ declares its interface in its
 * own header here (features.h, walk.h, procs.h, faults.h, ...).
 */
#ifndef PGC_PAGECLOCK_H
#define PGC_PAGECLOCK_H

#define PGC_VERSION	"0.1.0"

#endif /* PGC_PAGECLOCK_H */
