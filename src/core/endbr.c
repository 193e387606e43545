// SPDX-License-Identifier: GPL-2.0
/*
 * Decide whether a resolved kernel function may be called indirectly.
 *
 * With X86_KERNEL_IBT (Debian 6.12) every indirect call must land on an
 * ENDBR instruction.  At boot the kernel "seals" functions whose address
 * is never taken by overwriting their ENDBR with a NOP, so calling one of
 * them through a pointer raises #CP and oopses.  QEMU TCG does not emulate
 * IBT, so this decision is tested by KUnit, not by the VM tests.
 */
#include "core/endbr.h"

enum pgc_entry pgc_entry_classify(u32 word_before, unsigned int *entry_off)
{
	switch (word_before) {
	case PGC_ENDBR64_WORD:
	case PGC_ENDBR32_WORD:
		*entry_off = 4;
		return PGC_ENTRY_ENDBR;
	case PGC_SEAL_WORD:
	case PGC_SEAL_UDB_WORD:
		*entry_off = 4;
		return PGC_ENTRY_SEALED;
	default:
		*entry_off = 0;
		return PGC_ENTRY_PLAIN;
	}
}

bool pgc_entry_callable(enum pgc_entry entry, bool ibt_enforced)
{
	/* Without enforcement nothing checks the landing pad. */
	if (!ibt_enforced)
		return true;
	return entry == PGC_ENTRY_ENDBR;
}

const char *pgc_entry_name(enum pgc_entry entry)
{
	switch (entry) {
	case PGC_ENTRY_ENDBR:
		return "endbr";
	case PGC_ENTRY_SEALED:
		return "sealed";
	default:
		return "plain";
	}
}
