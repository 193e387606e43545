/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything that differs between the supported kernels, in one place.
 * Supported: Debian bookworm 6.1 LTS, bookworm-backports 6.12 LTS and
 * Debian unstable's 7.2.
 * Each shim says since which version the difference exists.
 */
#ifndef PGC_COMPAT_H
#define PGC_COMPAT_H

#include <linux/version.h>
#include <asm/cpufeature.h>
#include <asm/tlbflush.h>
#include <asm/trap_pf.h>
#include <linux/kvm_types.h>
#include <linux/mm.h>
#include <linux/page_idle.h>
#include <linux/sched/signal.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/writeback.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "pageclock supports Linux 6.1 and later"
#endif

#ifndef CONFIG_KPROBES
#error "pageclock needs CONFIG_KPROBES (symbol resolution and fault hooks)"
#endif

/*
 * The resolved functions (src/features.c) are called through pointers cast
 * to their prototypes, read in the sources of the kernel lines named here
 * and nowhere else: another line may differ with no build error to say so
 * (reclaim_pages() took a second argument in 6.10 only).  Elsewhere they
 * are not called until someone reads them and adds the line.  A stable
 * backport that changed one would not be caught: the tests run each line.
 */
#define PGC_PROTOTYPES_CHECKED		"6.1, 6.12, 7.2"

static inline bool pgc_prototypes_checked(void)
{
	unsigned int line = LINUX_VERSION_CODE >> 8;

	return line == KERNEL_VERSION(6, 1, 0) >> 8 ||
	       line == KERNEL_VERSION(6, 12, 0) >> 8 ||
	       line == KERNEL_VERSION(7, 2, 0) >> 8;
}

/*
 * Indirect Branch Tracking enforced by the CPU (X86_FEATURE_IBT since 5.18;
 * Debian enables X86_KERNEL_IBT since its 6.12 builds).  When compiled out,
 * cpu_feature_enabled() folds to false.
 */
static inline bool pgc_ibt_enforced(void)
{
	return cpu_feature_enabled(X86_FEATURE_IBT);
}

/*
 * Read a pmd that may change under us.  pmdp_get_lockless() is generic
 * since 6.5; before, x86-64 reads a pmd in one load.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define pgc_pmdp_get_lockless(pmdp)	pmdp_get_lockless(pmdp)
#else
#define pgc_pmdp_get_lockless(pmdp)	READ_ONCE(*(pmdp))
#endif

/*
 * The "pages" of a tlb_flush event that flushed everything: x86's
 * TLB_FLUSH_ALL, kept from modules in asm/tlbflush.h (since 4.x).
 */
#define PGC_TLB_FLUSH_ALL	(-1UL)

/*
 * After clearing a page's Accessed bit, leave reclaim the reference it
 * would have seen: folio_referenced() also tests the page_idle "young"
 * flag.  It exists with CONFIG_PAGE_IDLE_FLAG (Debian's 6.12, where MGLRU
 * selects it; not Debian's 6.1, whose reclaim then sees the page as
 * unreferenced until it is touched again).
 */
static inline void pgc_keep_young(unsigned long pfn)
{
#ifdef CONFIG_PAGE_IDLE_FLAG
	if (pfn_valid(pfn))
		folio_set_young(page_folio(pfn_to_page(pfn)));
#endif
}

/*
 * Does reclaim_pages() check references (a young PTE, PG_referenced,
 * MGLRU's young flag) and keep a folio so marked?  6.1's does, and
 * MADV_PAGEOUT cleared them first; since 6.9 MADV_PAGEOUT's reclaim
 * ignores them (in 6.9 by an argument this module does not pass: 6.9 is
 * not supported), and 6.12's reclaim_pages() always does.
 */
#define PGC_RECLAIM_CHECKS_REFS \
	(LINUX_VERSION_CODE < KERNEL_VERSION(6, 9, 0))

/*
 * ptep_test_and_clear_young() and pmdp_test_and_clear_young() are not
 * exported (on either kernel): clear the bit atomically ourselves (the CPU
 * may set A or D at any moment), then tell reclaim as above.
 */
static inline bool pgc_ptep_test_clear_young(pte_t *ptep)
{
	return test_and_clear_bit(_PAGE_BIT_ACCESSED, (unsigned long *)&ptep->pte);
}

static inline bool pgc_ptep_clear_young(pte_t *ptep, pte_t v)
{
	if (!pgc_ptep_test_clear_young(ptep))
		return false;
	pgc_keep_young(pte_pfn(v));
	return true;
}

static inline bool pgc_pmdp_test_clear_young(pmd_t *pmdp)
{
	return test_and_clear_bit(_PAGE_BIT_ACCESSED, (unsigned long *)&pmdp->pmd);
}

static inline bool pgc_pmdp_clear_young(pmd_t *pmdp, pmd_t v)
{
	if (!pgc_pmdp_test_clear_young(pmdp))
		return false;
	pgc_keep_young(pmd_pfn(v));
	return true;
}

/*
 * Mapped by more than one process?  MADV_PAGEOUT skips such pages, so the
 * CLOCK does not choose them.  folio_maybe_mapped_shared() since 6.15,
 * folio_likely_mapped_shared() since 6.9, folio_estimated_sharers()
 * before.  Two kinds keep a mapcount of 0, which 6.9+ reads as "not
 * shared": DAX memory (ZONE_DEVICE, no reclaim either), and the huge zero
 * page, which every process shares; is_huge_zero_pmd() needs a symbol
 * that is not exported, but it is the one folio of a private mapping that
 * is neither anonymous nor in a file.
 */
static inline bool pgc_folio_shared(struct folio *folio)
{
	if (folio_is_zone_device(folio))
		return true;
	if (!folio_test_anon(folio) && !READ_ONCE(folio->mapping))
		return true;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
	return folio_maybe_mapped_shared(folio);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	return folio_likely_mapped_shared(folio);
#else
	return folio_estimated_sharers(folio) != 1;
#endif
}

/*
 * Is each page of a large @folio mapped once?  Reclaim takes a folio
 * whole, from wherever a page of it is mapped.  Before 6.9 the estimate
 * above reads the first page alone, so each page is asked; since, the
 * folio's own count says, for a folio the caller maps all of (any other
 * mapping raises it past the pages).
 */
static inline bool pgc_folio_pages_once(struct folio *folio)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	return folio_mapcount(folio) <= folio_nr_pages(folio);
#else
	long i, nr = folio_nr_pages(folio);

	for (i = 0; i < nr; i++)
		if (page_mapcount(folio_page(folio, i)) != 1)
			return false;
	return true;
#endif
}

static inline bool pgc_pfn_shared(unsigned long pfn)
{
	if (!pfn_valid(pfn) || is_zero_pfn(pfn))
		return true;
	return pgc_folio_shared(page_folio(pfn_to_page(pfn)));
}

/*
 * A shrinker: shrinker_alloc()/shrinker_register()/shrinker_free() since
 * 6.7; before, the caller's struct with register_shrinker() (named since
 * 6.0) and unregister_shrinker().
 */
typedef unsigned long (*pgc_shrink_fn)(struct shrinker *s,
				       struct shrink_control *sc);

static inline struct shrinker *pgc_shrinker_create(pgc_shrink_fn count,
						   pgc_shrink_fn scan)
{
	struct shrinker *s;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	s = shrinker_alloc(0, "pageclock");
	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
	shrinker_register(s);
#else
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
	if (register_shrinker(s, "pageclock")) {
		kfree(s);
		return NULL;
	}
#endif
	return s;
}

static inline void pgc_shrinker_destroy(struct shrinker *s)
{
	if (!s)
		return;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	shrinker_free(s);
#else
	unregister_shrinker(s);
	kfree(s);
#endif
}

/*
 * folio_isolate_lru(), resolved (not exported): takes a folio off its LRU
 * with a reference of its own.  Returns bool (true: isolated) since 6.4,
 * int (0: isolated) before.
 */
static inline bool pgc_folio_isolate(unsigned long fn, struct folio *folio)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	return ((bool (*)(struct folio *))fn)(folio);
#else
	return ((int (*)(struct folio *))fn)(folio) == 0;
#endif
}

/*
 * Before 6.2 each thread keeps up to 64 faults' worth of changes to its
 * process's page counters to itself (SPLIT_RSS_COUNTING), which
 * get_mm_counter() does not see: a target of 4 threads read as within its
 * budget was 200 pages past it.  What @mm's threads hold back of @member,
 * or (@member -1) of its resident pages (file, anon, shmem), read racily:
 * within what they change meanwhile.  The threads of the mm's owner, not
 * other CLONE_VM sharers; 0 since 6.2, where the counters are per CPU.
 */
static inline long pgc_mm_unsynced(struct mm_struct *mm, int member)
{
	long n = 0;
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0) && \
	defined(SPLIT_RSS_COUNTING) && defined(CONFIG_MEMCG)
	struct task_struct *owner, *t;

	rcu_read_lock();
	owner = rcu_dereference(mm->owner);
	if (owner) {
		for_each_thread(owner, t) {
			const int *c = t->rss_stat.count;

			if (READ_ONCE(t->mm) != mm)
				continue;
			/* Each thread's own, written without atomics. */
			if (member >= 0)
				n += READ_ONCE(c[member]);
			else
				n += READ_ONCE(c[MM_FILEPAGES]) +
				     READ_ONCE(c[MM_ANONPAGES]) +
				     READ_ONCE(c[MM_SHMEMPAGES]);
		}
	}
	rcu_read_unlock();
#endif
	return n;
}

/*
 * One of a process's page counters (MM_ANONPAGES...), as exact as can be
 * read: since 6.2 the counters are per CPU and get_mm_counter() reads
 * them without summing, up to a batch per CPU off (on 6.12 a target read
 * as 990 pages for a budget of 1000 stayed at 1024); before, the threads'
 * shares are added (pgc_mm_unsynced()).  The sum visits every CPU or
 * thread: callable with preemption off, not free.
 */
static inline unsigned long pgc_mm_counter(struct mm_struct *mm, int member)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return percpu_counter_sum_positive(&mm->rss_stat[member]);
#else
	long n = atomic_long_read(&mm->rss_stat.count[member]) +
		 pgc_mm_unsynced(mm, member);

	return n > 0 ? n : 0;
#endif
}

/*
 * The mmap lock held, in either mode.  Not mmap_assert_locked(): with
 * CONFIG_DEBUG_VM it reports through dump_mm(), which 6.1 does not export
 * (a debug 6.1 kernel refused the module: "dump_mm" undefined).
 */
static inline void pgc_mmap_assert_locked(struct mm_struct *mm)
{
	lockdep_assert_held(&mm->mmap_lock);
}

/*
 * A process's resident pages, the pages /proc/PID/status counts, as
 * exactly as pgc_mm_counter() reads them.
 */
static inline unsigned long pgc_mm_rss(struct mm_struct *mm)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return pgc_mm_counter(mm, MM_FILEPAGES) +
	       pgc_mm_counter(mm, MM_ANONPAGES) +
	       pgc_mm_counter(mm, MM_SHMEMPAGES);
#else
	long n = atomic_long_read(&mm->rss_stat.count[MM_FILEPAGES]) +
		 atomic_long_read(&mm->rss_stat.count[MM_ANONPAGES]) +
		 atomic_long_read(&mm->rss_stat.count[MM_SHMEMPAGES]) +
		 pgc_mm_unsynced(mm, -1);

	return n > 0 ? n : 0;
#endif
}

/*
 * The resident pages of @mm, the current thread's (only), cheaply: the
 * count /proc/PID/status reads, and before 6.2 what this thread has not
 * yet added to it (pgc_mm_unsynced()), so that its own growth shows at
 * once.
 */
static inline unsigned long pgc_mm_rss_fast(struct mm_struct *mm)
{
	unsigned long rss = get_mm_rss(mm);
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0) && defined(SPLIT_RSS_COUNTING)
	long mine = current->rss_stat.count[MM_FILEPAGES] +
		    current->rss_stat.count[MM_ANONPAGES] +
		    current->rss_stat.count[MM_SHMEMPAGES];

	if (mine > 0 || rss >= -mine)
		rss += mine;
#endif
	return rss;
}

/*
 * Whether a process has ever pinned pages for DMA (FOLL_PIN: O_DIRECT,
 * io_uring buffers, RDMA, VFIO), so that fork copies its pinned pages
 * instead of sharing them.  The flag exists since 5.13; mm->flags is a
 * bitmap read through mm_flags_test() since 6.18.
 */
static inline bool pgc_mm_has_pinned(struct mm_struct *mm)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 18, 0)
	return mm_flags_test(MMF_HAS_PINNED, mm);
#else
	return test_bit(MMF_HAS_PINNED, &mm->flags);
#endif
}

/*
 * The fault hook's gate (hook=tp, src/faults.c): has the task any perf
 * event?  One context per task since 6.2; before, one per PMU class, the
 * software events' in slot perf_sw_context.
 */
static inline bool pgc_task_has_perf(struct task_struct *t)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return READ_ONCE(t->perf_event_ctxp);
#else
	return READ_ONCE(t->perf_event_ctxp[perf_sw_context]);
#endif
}

/* A page-fault error code that writes: shadow-stack accesses since 6.6. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define PGC_PF_WRITE	(X86_PF_WRITE | X86_PF_SHSTK)
#else
#define PGC_PF_WRITE	X86_PF_WRITE
#endif

/*
 * A VMA looked up under RCU stays a VMA while the reader holds no lock on
 * it: with per-VMA locks since 6.4, freed after a grace period; since
 * 6.15 from a SLAB_TYPESAFE_BY_RCU cache, so it may be freed and reused
 * at once, for another mm too, and what was read must be checked after
 * (src/faults.c checks its mm and range on every line).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0) && defined(CONFIG_PER_VMA_LOCK)
#define PGC_VMA_RCU_FREED	true
#else
#define PGC_VMA_RCU_FREED	false
#endif

/*
 * A non-present PTE or PMD that is not none: a swap entry, a migration
 * entry, or another software entry (device, hwpoison, guard marker).
 * Read as a softleaf_t from <linux/leafops.h> since 6.19; as a
 * swp_entry_t from <linux/swapops.h> before.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
#include <linux/leafops.h>

static inline bool pgc_pte_is_migration(pte_t pte)
{
	return softleaf_is_migration(softleaf_from_pte(pte));
}

static inline bool pgc_pte_is_swap(pte_t pte)
{
	return softleaf_is_swap(softleaf_from_pte(pte));
}

static inline bool pgc_pmd_is_migration(pmd_t pmd)
{
	return pmd_is_migration_entry(pmd);
}
#else
#include <linux/swapops.h>

static inline bool pgc_pte_is_migration(pte_t pte)
{
	return is_migration_entry(pte_to_swp_entry(pte));
}

static inline bool pgc_pte_is_swap(pte_t pte)
{
	return !non_swap_entry(pte_to_swp_entry(pte));
}

static inline bool pgc_pmd_is_migration(pmd_t pmd)
{
	return is_pmd_migration_entry(pmd);
}
#endif

/*
 * Start writeback of a file range, not waiting for it: a
 * writeback_control through filemap_fdatawrite_wbc() until 6.19, which
 * removed it for filemap_flush_range() (WB_SYNC_NONE, GPL-only).
 */
static inline void pgc_writeback_start(struct address_space *mapping,
				       loff_t start, loff_t end)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
	filemap_flush_range(mapping, start, end);
#else
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_NONE,
		.nr_to_write = LONG_MAX,
		.range_start = start,
		.range_end = end,
	};

	filemap_fdatawrite_wbc(mapping, &wbc);
#endif
}

/*
 * The sched_process_exit probe (src/hooks.c), which hands the exiting task
 * to pgc_task_exit() (src/cow.c): the tracepoint passes a group_dead flag
 * since 6.16, which also moved it before exit_mm() (tsk->mm still set).
 */
void pgc_task_exit(struct task_struct *tsk);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
static inline void pgc_on_exit(void *data, struct task_struct *tsk,
			       bool group_dead)
#else
static inline void pgc_on_exit(void *data, struct task_struct *tsk)
#endif
{
	pgc_task_exit(tsk);
}

/*
 * The tlb_flush tracepoint's reasons: TLB_REMOTE_WRONG_CPU added in 6.14,
 * NR_TLB_FLUSH_REASONS removed in 6.19.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
#define PGC_TLB_WRONG_CPU	TLB_REMOTE_WRONG_CPU
#define PGC_TLB_NR_REASONS	(TLB_REMOTE_WRONG_CPU + 1)
#else
#define PGC_TLB_NR_REASONS	NR_TLB_FLUSH_REASONS
#endif

/*
 * __flush_tlb_all(), which flushes this CPU's TLB, global entries and
 * every PCID's included: the local half of the module's fallback flush,
 * an IPI to every CPU.  Exported to GPL modules until 6.19 made it KVM's
 * alone (EXPORT_SYMBOL_FOR_KVM, whose macro is what is tested here);
 * since then its entry as resolved, @resolved (0: not callable).
 */
static inline unsigned long pgc_flush_tlb_all_fn(unsigned long resolved)
{
#ifdef EXPORT_SYMBOL_FOR_KVM
	return resolved;
#else
	return (unsigned long)__flush_tlb_all;
#endif
}

/*
 * Shootdowns by AMD's INVLPGB broadcast (since 6.15, with
 * CONFIG_BROADCAST_TLB_FLUSH) send no IPI: neither native_flush_tlb_multi
 * nor the tlb_flush tracepoint sees them.
 */
static inline bool pgc_tlb_broadcast(void)
{
#ifdef CONFIG_BROADCAST_TLB_FLUSH
	return cpu_feature_enabled(X86_FEATURE_INVLPGB);
#else
	return false;
#endif
}

#endif /* PGC_COMPAT_H */
