// SPDX-License-Identifier: GPL-2.0
/* Decisions about MMU events: why a TLB flush happened, how old a page is. */
#include <linux/bitops.h>
#include <asm/unistd.h>
#include "core/mmu.h"

static const char *const pgc_tlb_cause_names[PGC_TC_NR] = {
	[PGC_TC_PAGECLOCK] = "pageclock", [PGC_TC_RECLAIM] = "reclaim",
	[PGC_TC_KTHREAD] = "kthread", [PGC_TC_MPROTECT] = "mprotect",
	[PGC_TC_MUNMAP] = "munmap", [PGC_TC_MADVISE] = "madvise",
	[PGC_TC_FORK] = "fork", [PGC_TC_MIGRATE] = "migrate",
	[PGC_TC_SYSCALL] = "syscall", [PGC_TC_FAULT] = "fault",
};

const char *pgc_tlb_cause_name(enum pgc_tlb_cause tc)
{
	return tc < PGC_TC_NR ? pgc_tlb_cause_names[tc] : "?";
}

static enum pgc_tlb_cause pgc_tlb_syscall(int nr)
{
	switch (nr) {
	case __NR_mprotect:
	case __NR_pkey_mprotect:
		return PGC_TC_MPROTECT;
	case __NR_munmap:
	case __NR_mremap:
	case __NR_brk:
	case __NR_mmap:
	case __NR_shmdt:
		return PGC_TC_MUNMAP;
	case __NR_madvise:
	case __NR_process_madvise:
		return PGC_TC_MADVISE;
	case __NR_fork:
	case __NR_vfork:
	case __NR_clone:
	case __NR_clone3:
		return PGC_TC_FORK;
	case __NR_mbind:
	case __NR_migrate_pages:
	case __NR_move_pages:
		return PGC_TC_MIGRATE;
	default:
		return PGC_TC_SYSCALL;
	}
}

/*
 * The order matters: reclaim and the module's own flushes run inside
 * whatever system call or fault needed memory, so they are asked first.
 */
enum pgc_tlb_cause pgc_tlb_cause(const struct pgc_tlb_ctx *c)
{
	if (c->own)
		return PGC_TC_PAGECLOCK;
	if (c->reclaim)
		return PGC_TC_RECLAIM;
	if (c->kthread)
		return PGC_TC_KTHREAD;
	/* Only x86-64's numbers are known (bug: i386's execve read munmap). */
	if (c->syscall)
		return c->compat ? PGC_TC_SYSCALL : pgc_tlb_syscall(c->nr);
	return PGC_TC_FAULT;
}

unsigned int pgc_age_bucket(u8 age)
{
	return age ? fls(age) : 0;
}
