// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs "pt": the shape of one process's page tables, on demand.
 * Write a process id, then read: the file walks that process's tables
 * and prints "key value" lines (Documentation/abi.md).  Each open file has
 * its own target, so concurrent users do not disturb each other.
 *
 * The counts come from pgc_walk_mm() under the mmap read lock, which it
 * gives up between tables to a writer that waits (lock_drops counts it);
 * nothing is allocated per page.
 */
#include <linux/debugfs.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "walk.h"
#include "target.h"
#include "pt.h"
#include "procs.h"

enum pgc_vma_kind {
	PGC_VMA_ANON, PGC_VMA_FILE, PGC_VMA_SHMEM, PGC_VMA_STACK, PGC_VMA_HEAP,
	PGC_VMA_OTHER, PGC_VMA_NR
};

struct pgc_pt_kind {
	u64 vmas, vm_bytes, present, swap, thp;
};

struct pgc_pt {
	struct pgc_walk w;
	u64 tables[PGC_LVL_NR];
	u64 present, swap, migration, protnone, other, thp, thp_migration;
	struct pgc_pt_kind kinds[PGC_VMA_NR];
	enum pgc_vma_kind kind;	/* of the VMA being walked */
	unsigned long lo, hi;	/* lowest VMA start, highest VMA end */
};

static const char *const pgc_vma_kind_names[PGC_VMA_NR] = {
	[PGC_VMA_ANON] = "anon", [PGC_VMA_FILE] = "file",
	[PGC_VMA_SHMEM] = "shmem", [PGC_VMA_STACK] = "stack",
	[PGC_VMA_HEAP] = "heap", [PGC_VMA_OTHER] = "other",
};

/* What a user would call this mapping; shmem_mapping() is not exported on 6.1. */
static enum pgc_vma_kind pgc_vma_kind(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;

	if (vma->vm_file)
		return file_inode(vma->vm_file)->i_sb->s_magic == TMPFS_MAGIC ?
			PGC_VMA_SHMEM : PGC_VMA_FILE;
	if (vma->vm_ops)
		return PGC_VMA_OTHER;	/* vdso, vvar, driver mappings */
	if (vma->vm_start <= mm->start_stack && mm->start_stack < vma->vm_end)
		return PGC_VMA_STACK;
	if (vma->vm_start < mm->brk && vma->vm_end > mm->start_brk)
		return PGC_VMA_HEAP;
	return PGC_VMA_ANON;
}

static void pgc_pt_table(struct pgc_walk *w, enum pgc_level level)
{
	container_of(w, struct pgc_pt, w)->tables[level]++;
}

static void pgc_pt_pte(struct pgc_walk *w, pte_t *ptep, pte_t pte,
		       unsigned long addr)
{
	struct pgc_pt *pt = container_of(w, struct pgc_pt, w);
	struct pgc_pt_kind *k = &pt->kinds[pt->kind];
	struct pgc_pte_snap s;

	pgc_snap_pte(pte, &s);
	switch (s.kind) {
	case PGC_PTE_PRESENT:
		pt->present++;
		k->present++;
		break;
	case PGC_PTE_SWAP:
		pt->swap++;
		k->swap++;
		break;
	case PGC_PTE_MIGRATION:
		pt->migration++;
		break;
	case PGC_PTE_PROTNONE:
		pt->protnone++;
		break;
	default:
		pt->other++;
	}
}

static void pgc_pt_pmd(struct pgc_walk *w, pmd_t *pmdp, pmd_t pmd,
		       unsigned long addr)
{
	struct pgc_pt *pt = container_of(w, struct pgc_pt, w);

	pt->thp++;
	pt->kinds[pt->kind].thp++;
}

static void pgc_pt_pmd_other(struct pgc_walk *w, pmd_t pmd, unsigned long addr)
{
	container_of(w, struct pgc_pt, w)->thp_migration++;
}

/*
 * Each VMA as the walk enters it, so each count lands in its VMA's kind;
 * counted once, not again where the walk resumes after a lock drop.
 */
static bool pgc_pt_vma(struct pgc_walk *w, struct vm_area_struct *vma)
{
	struct pgc_pt *pt = container_of(w, struct pgc_pt, w);
	struct pgc_pt_kind *k;

	pt->kind = pgc_vma_kind(vma);
	if (vma->vm_start < w->resume)
		return true;
	if (!pt->hi)
		pt->lo = vma->vm_start;
	pt->hi = vma->vm_end;
	k = &pt->kinds[pt->kind];
	k->vmas++;
	k->vm_bytes += vma->vm_end - vma->vm_start;
	return true;
}

static void pgc_pt_print(struct seq_file *m, struct mm_struct *mm,
			 struct pgc_pt *pt)
{
	unsigned long span = pt->hi - pt->lo;
	/* With page-table isolation the pgd is two pages. */
	u64 pgd = static_cpu_has(X86_FEATURE_PTI) ? 2 : 1;
	u64 below = 0;
	int i;

	for (i = 0; i < PGC_LVL_NR; i++)
		below += pt->tables[i];
	seq_printf(m, "pgd_tables %llu\n", pgd);
	seq_printf(m, "p4d_tables %llu\n", pt->tables[PGC_LVL_P4D]);
	seq_printf(m, "pud_tables %llu\n", pt->tables[PGC_LVL_PUD]);
	seq_printf(m, "pmd_tables %llu\n", pt->tables[PGC_LVL_PMD]);
	seq_printf(m, "pte_tables %llu\n", pt->tables[PGC_LVL_PTE]);
	seq_printf(m, "table_bytes %llu\n", (pgd + below) * PAGE_SIZE);
	seq_printf(m, "kernel_pgtables_bytes %lu\n", mm_pgtables_bytes(mm));
	seq_printf(m, "pte_present %llu\n", pt->present);
	seq_printf(m, "pte_swap %llu\n", pt->swap);
	seq_printf(m, "pte_migration %llu\n", pt->migration);
	seq_printf(m, "pte_protnone %llu\n", pt->protnone);
	seq_printf(m, "pte_other %llu\n", pt->other);
	seq_printf(m, "pmd_thp %llu\n", pt->thp);
	seq_printf(m, "pmd_migration %llu\n", pt->thp_migration);
	seq_printf(m, "rss_bytes %lu\n", get_mm_rss(mm) << PAGE_SHIFT);
	seq_printf(m, "span_bytes %lu\n", span);
	/* One 8-byte entry per page: the tree's alternative (the seed's point). */
	seq_printf(m, "flat_span_bytes %lu\n",
		   (span >> PAGE_SHIFT) * sizeof(pte_t));
	seq_printf(m, "flat_full_bytes %lu\n",
		   (mm->task_size >> PAGE_SHIFT) * sizeof(pte_t));
	seq_printf(m, "raced %llu\n", pt->w.raced);
	seq_printf(m, "lock_drops %llu\n", pt->w.drops);
	for (i = 0; i < PGC_VMA_NR; i++) {
		struct pgc_pt_kind *k = &pt->kinds[i];

		seq_printf(m, "kind %s vmas %llu vm_bytes %llu present %llu swap %llu thp %llu\n",
			   pgc_vma_kind_names[i], k->vmas, k->vm_bytes,
			   k->present, k->swap, k->thp);
	}
}

static int pgc_pt_show(struct seq_file *m, void *unused)
{
	pid_t *pid = m->private;
	char comm[TASK_COMM_LEN];
	struct task_struct *tsk;
	struct mm_struct *mm;
	struct pgc_pt *pt;
	int err;

	if (!*pid) {
		seq_puts(m, "# write a process id to this file, then read it\n");
		return 0;
	}
	seq_printf(m, "pid %d\n", *pid);
	err = pgc_target_get(*pid, &tsk, &mm);
	if (err == -ESRCH) {
		seq_puts(m, "state gone\n");
		return 0;
	}
	if (err)
		return err;
	pgc_copy_comm(comm, tsk);
	seq_printf(m, "tgid %d\ncomm", tsk->tgid);
	pgc_seq_comm(m, comm);
	seq_putc(m, '\n');
	put_task_struct(tsk);
	pt = kzalloc(sizeof(*pt), GFP_KERNEL);
	if (!pt) {
		mmput(mm);
		return -ENOMEM;
	}
	pt->w.vma_ok = pgc_pt_vma;
	pt->w.pte = pgc_pt_pte;
	pt->w.pmd = pgc_pt_pmd;
	pt->w.pmd_other = pgc_pt_pmd_other;
	pt->w.table = pgc_pt_table;
	pt->w.may_sleep = true;
	err = pgc_walk_mm(mm, &pt->w);
	if (!err) {
		seq_puts(m, "state alive\n");
		pgc_pt_print(m, mm, pt);
	}
	mmput(mm);
	kfree(pt);
	return err;
}

static int pgc_pt_open(struct inode *inode, struct file *file)
{
	pid_t *pid = kzalloc(sizeof(*pid), GFP_KERNEL);
	int err;

	if (!pid)
		return -ENOMEM;
	err = single_open(file, pgc_pt_show, pid);
	if (err)
		kfree(pid);
	return err;
}

static int pgc_pt_release(struct inode *inode, struct file *file)
{
	kfree(((struct seq_file *)file->private_data)->private);
	return single_release(inode, file);
}

static ssize_t pgc_pt_write(struct file *file, const char __user *buf,
			    size_t count, loff_t *ppos)
{
	pid_t *target = ((struct seq_file *)file->private_data)->private;
	int pid, err;

	err = pgc_parse_pid_user(buf, count, &pid);
	if (err)
		return err;
	*target = pid;
	return count;
}

const struct file_operations pgc_pt_fops = {
	.owner = THIS_MODULE,
	.open = pgc_pt_open,
	.read = seq_read,
	.write = pgc_pt_write,
	.llseek = seq_lseek,
	.release = pgc_pt_release,
};
