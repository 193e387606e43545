/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure policy and decision logic: no kernel internals beyond basic types,
 * so KUnit (kunit/) can test every case deterministically.  One header
 * per file of src/core/, here for whoever needs them all.
 */
#ifndef PGC_CORE_H
#define PGC_CORE_H

#include "core/endbr.h"
#include "core/fault.h"
#include "core/name.h"
#include "core/hist.h"
#include "core/mmu.h"
#include "core/clock.h"
#include "core/window.h"
#include "core/knob.h"
#include "core/pff.h"
#include "core/parse.h"

#endif /* PGC_CORE_H */
