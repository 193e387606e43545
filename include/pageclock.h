/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by the module's kernel-side files (src/). */
#ifndef PGC_PAGECLOCK_H
#define PGC_PAGECLOCK_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/percpu-defs.h>
#include <linux/pgtable.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include "core.h"

#define PGC_VERSION	"0.1.0"

struct seq_file;
struct kernel_siginfo;
struct linux_binprm;
struct kretprobe;

/* src/features.c: what the running kernel offers, probed once at load. */
enum pgc_sym_id {
	PGC_SYM_DO_MADVISE, PGC_SYM_RECLAIM_PAGES, PGC_SYM_FOLIO_ISOLATE_LRU,
	PGC_SYM_FLUSH_TLB_MM_RANGE, PGC_SYM_NR
};

void pgc_features_probe(void);
unsigned long pgc_sym_callable(enum pgc_sym_id id);
int pgc_features_show(struct seq_file *m, void *unused);
unsigned int pgc_features_available(unsigned int *total);
int pgc_faults_show(struct seq_file *m, void *unused);
int pgc_forks_show(struct seq_file *m, void *unused);
extern const struct seq_operations pgc_procs_seq_ops;

/* src/resolve.c: non-exported symbols, found through a kprobe. */
struct pgc_symbol {
	const char *name;
	unsigned long addr;	/* function entry; 0 if not found */
	enum pgc_entry entry;
	bool callable;		/* safe to call through a pointer here */
	int err;		/* register_kprobe() error if not found */
};

void pgc_symbol_resolve(struct pgc_symbol *sym);

/* src/walk.c: page-table reads and walks. */
struct mm_struct;
struct vm_area_struct;
struct task_struct;

/* Page-table levels below the top (the pgd), as the walker reports them. */
enum pgc_level { PGC_LVL_P4D, PGC_LVL_PUD, PGC_LVL_PMD, PGC_LVL_PTE, PGC_LVL_NR };

struct pgc_walk {
	/* Walk @vma?  NULL: every VMA. */
	bool (*vma_ok)(struct pgc_walk *w, struct vm_area_struct *vma);
	/* Present, swap and other non-empty PTEs, under the PTE lock. */
	void (*pte)(struct pgc_walk *w, pte_t *ptep, pte_t pte,
		    unsigned long addr);
	/*
	 * Or, for hot loops, all entries [addr, end) of one table at once
	 * (empty ones too), under the PTE lock, in place of ->pte.
	 */
	void (*pte_range)(struct pgc_walk *w, pte_t *pte, unsigned long addr,
			  unsigned long end);
	/* Huge pmds, under the pmd lock; NULL: skip them. */
	void (*pmd)(struct pgc_walk *w, pmd_t *pmdp, pmd_t pmd,
		    unsigned long addr);
	/* Non-present pmds (a THP under migration); may be NULL. */
	void (*pmd_other)(struct pgc_walk *w, pmd_t pmd, unsigned long addr);
	/* Each table once, even where several VMAs share it; may be NULL. */
	void (*table)(struct pgc_walk *w, enum pgc_level level);
	bool truncated;		/* a callback stopped it, or the lock (below) */
	bool may_sleep;		/* process context: yield between tables */
	bool nowait;		/* pgc_walk_mm(): never wait long for the mmap lock */
	/*
	 * pgc_walk_mm() only: the walk stopped at @resume to let a waiting
	 * mmap writer in, and goes on from there; @drops counts those.
	 */
	bool paused;
	unsigned long resume;
	u64 drops;
	struct mm_struct *mm;
	struct vm_area_struct *vma;	/* the VMA being walked */
	void *last[PGC_LVL_NR];	/* last table reported, per level */
	u64 raced;		/* tables skipped: the pmd changed under us */
	u64 count;		/* for the callbacks */
};

/* A present PTE mapping memory the process uses (not PROT_NONE, the zero page, special). */
static inline bool pgc_pte_is_page(pte_t v)
{
	return pte_present(v) && !pte_protnone(v) && !pte_special(v) &&
	       !is_zero_pfn(pte_pfn(v));
}

void pgc_snap_pte(pte_t pte, struct pgc_pte_snap *s);
void pgc_snap_pmd(pmd_t pmd, unsigned long addr, struct pgc_pte_snap *s);
void pgc_snap_addr(struct mm_struct *mm, unsigned long addr,
		   struct pgc_pte_snap *s);
bool pgc_vma_evictable(struct pgc_walk *w, struct vm_area_struct *vma);
void pgc_walk_vma_from(struct vm_area_struct *vma, unsigned long start,
		       struct pgc_walk *w);
int pgc_walk_mm(struct mm_struct *mm, struct pgc_walk *w);

/* src/target.c: the process a user names. */
int pgc_target_get(pid_t nr, struct task_struct **tskp, struct mm_struct **mmp);
int pgc_parse_pid_user(const char __user *buf, size_t count, pid_t *pid);
struct pid;
struct mm_struct *pgc_pid_mm(struct pid *pid);
struct pid *pgc_process_pid(pid_t nr);
struct pid *pgc_group_pid(struct task_struct *tsk);

/* src/pt.c: page-table shape, debugfs "pt". */
extern const struct file_operations pgc_pt_fops;

/* src/hooks.c: every kprobe and tracepoint, as one table. */
int pgc_hooks_install(void);
void pgc_hooks_uninstall(void);
void pgc_hooks_show(struct seq_file *m);
unsigned int pgc_hooks_attached(unsigned int *total);

/* src/procs.c: per-process statistics, a bounded table. */

struct pgc_proc {
	pid_t tgid;		/* 0: free slot */
	pid_t ppid;
	u64 id;			/* unique over the module's life */
	u64 parent_id;		/* id of the parent's entry, 0 if none */
	u32 parent_slot;
	bool exited;
	u64 exit_ns;
	bool reusable;		/* exited, and exit_gp set */
	unsigned long exit_gp;	/* RCU grace period started at the exit */
	char comm[TASK_COMM_LEN];
	atomic64_t minor, major;	/* as the kernel's min_flt/maj_flt */
	atomic64_t fc[PGC_FC_NR];	/* faults by class */
	atomic64_t fc_ns[PGC_FC_NR];	/* time in handle_mm_fault by class */
	atomic_t hist[PGC_HIST_BUCKETS];	/* latency of all classes */
	/* Copy-on-write after fork (src/cow.c). */
	u64 child_fork;		/* fork record where this is the child */
	u64 parent_fork;	/* this process's latest open fork */
	atomic64_t forks;
	atomic64_t cow_shared;	/* sum of S over its forks */
	atomic64_t cow_copies;	/* sum of c over its forks */
	/* The fault consumer's own number for it (src/faults.c); 0: none. */
	unsigned int fault_watch;
	/* TLB flushes its threads started (src/tlb.c). */
	atomic64_t tlb_local, tlb_sent, tlb_targets;
	/* Last (a reset clears what is before it); odd while it runs. */
	seqcount_t seq;
};

int pgc_procs_init(void);
void pgc_procs_exit(void);
struct pgc_proc *pgc_proc_get(struct task_struct *tsk, bool create);
struct pgc_proc *pgc_proc_parent(struct pgc_proc *p);
bool pgc_proc_same(struct pgc_proc *p, u64 id);
void pgc_proc_exited(struct task_struct *tsk);
void pgc_copy_comm(char dst[TASK_COMM_LEN], struct task_struct *tsk);
void pgc_seq_comm(struct seq_file *m, const char *comm);
u64 pgc_procs_dropped(void);

/* src/faults.c: the fault classifier's hooks and statistics. */
int pgc_faults_init(void);
void pgc_faults_exit(void);
extern struct kretprobe pgc_fault_krp;
/*
 * A policy that wants the faults of the processes it marks (a non-zero
 * pgc_proc.fault_watch of its choosing), called from the fault hook: no
 * sleeping.  Set before the hooks attach, cleared after they are gone.
 */
typedef void (*pgc_fault_consumer_fn)(struct pgc_proc *p, unsigned long addr,
				      bool major);
void pgc_faults_set_consumer(pgc_fault_consumer_fn fn);
void pgc_on_signal(void *data, int sig, struct kernel_siginfo *info,
		   struct task_struct *task, int group, int result);

/* src/cow.c: copy-on-write efficiency of forks. */
void pgc_on_fork(void *data, struct task_struct *parent,
		 struct task_struct *child);
void pgc_on_exec(void *data, struct task_struct *p, pid_t old_pid,
		 struct linux_binprm *bprm);
void pgc_on_exit(void *data, struct task_struct *p);
void pgc_cow_copied(struct pgc_proc *p);

/* src/tlb.c: TLB flushes and shootdowns. */
struct kprobe;
extern struct kprobe pgc_tlb_kp;
int pgc_tlb_init(void);
void pgc_tlb_exit(void);
void pgc_on_tlb_flush(void *data, int reason, unsigned long pages);
int pgc_tlb_show(struct seq_file *m, void *unused);
void pgc_tlb_flush_mm(struct mm_struct *mm);
const char *pgc_tlb_flush_method(void);

/* src/sysfs.c: a module-wide knob's current value; debugfs "knobs". */
void pgc_knobs_init(void);
unsigned int pgc_knob(enum pgc_knob_id id);
int pgc_knobs_show(struct seq_file *m, void *unused);

/* src/ad.c: Accessed/Dirty sweeps of one target process. */
extern const struct file_operations pgc_ad_fops;
int pgc_ad_set_target(pid_t nr);
int pgc_ad_command(const char *text, size_t count);
pid_t pgc_ad_target_nr(void);
void pgc_ad_reschedule(void);
void pgc_ad_exit(void);

/* src/clock/: CLOCK with the dirty bit for target processes. */
int pgc_clock_init(void);
void pgc_clock_exit(void);

int pgc_clock_target_add(const struct pgc_target_req *req);
int pgc_clock_target_remove(pid_t nr);
void pgc_clock_reschedule(void);
int pgc_clock_show(struct seq_file *m, void *unused);
int pgc_clock_pff_show(struct seq_file *m, void *unused);

/* src/pff.c: the Page-Fault-Frequency controller of a CLOCK target. */
struct pgc_pff_target;
struct pgc_pff_target *pgc_pff_alloc(void);
void pgc_pff_begin(struct pgc_pff_target *p, struct pid *pid, u64 faults);
void pgc_pff_free(struct pgc_pff_target *p);
struct pgc_pff_knobs *pgc_pff_knobs(struct pgc_pff_target *p);
int pgc_pff_request(const struct pgc_target_req *req,
		    const struct pgc_pff_knobs *base, unsigned long budget,
		    unsigned long rss, struct pgc_pff_knobs *k,
		    unsigned long *start);
int pgc_pff_sample(struct mm_struct *mm, unsigned long *idle, bool *torn);
u64 pgc_pff_cpu_ns(struct pid *pid);
bool pgc_pff_due(struct pgc_pff_target *p, u64 cpu);
void pgc_pff_update(struct pgc_pff_target *p, u64 cpu, u64 faults,
		    unsigned long rss, unsigned long idle, u64 reclaims,
		    unsigned long *budget);
void pgc_pff_show(struct seq_file *m, pid_t nr, const struct pgc_pff_target *p,
		  unsigned long budget, unsigned long rss);

/* src/debugfs.c and src/sysfs.c: the two interfaces. */
int pgc_debugfs_init(void);
void pgc_debugfs_exit(void);
int pgc_sysfs_init(void);
void pgc_sysfs_exit(void);

#endif /* PGC_PAGECLOCK_H */
