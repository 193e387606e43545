/* SPDX-License-Identifier: GPL-2.0 */
/* Entry of a function resolved through a kprobe (src/core/endbr.c). */
#ifndef PGC_CORE_ENDBR_H
#define PGC_CORE_ENDBR_H

#include <linux/types.h>
#include <linux/limits.h>

/* What the 4 bytes at a function's entry hold. */
enum pgc_entry {
	PGC_ENTRY_PLAIN,	/* no landing pad: built without IBT */
	PGC_ENTRY_ENDBR,	/* ENDBR64: indirect calls may land here */
	PGC_ENTRY_SEALED,	/* ENDBR replaced at boot: indirect call faults */
};

/* Instruction words, little-endian as read from memory. */
#define PGC_ENDBR64_WORD	0xfa1e0ff3U	/* f3 0f 1e fa */
#define PGC_ENDBR32_WORD	0xfb1e0ff3U	/* f3 0f 1e fb */
#define PGC_SEAL_WORD		0x001f0f66U	/* 66 0f 1f 00: 4-byte NOP */
/* The seal since 6.18 (asm/ibt.h): a NOP that carries UDB as immediate. */
#define PGC_SEAL_UDB_WORD	0xd6401f0fU	/* 0f 1f 40 d6: nopl -42(%rax) */

/*
 * Classify the word just before a kprobe address.  Kprobes on x86 skip a
 * function's ENDBR (or its sealed NOP), so the real entry is 4 bytes
 * earlier exactly when that word is one of the two.  *entry_off receives
 * how far before the kprobe address the function starts.
 */
enum pgc_entry pgc_entry_classify(u32 word_before, unsigned int *entry_off);

/* May the module call this function through a pointer? */
bool pgc_entry_callable(enum pgc_entry entry, bool ibt_enforced);

const char *pgc_entry_name(enum pgc_entry entry);

#endif /* PGC_CORE_ENDBR_H */
