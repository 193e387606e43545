/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure policy and decision logic: no kernel internals beyond basic types,
 * so KUnit (kunit/) can test every case deterministically.
 */
#ifndef PGC_CORE_H
#define PGC_CORE_H

#include <linux/types.h>
#include <linux/limits.h>

/* ---- Entry of a function resolved through a kprobe (src/core/endbr.c) ---- */

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

/* ---- Page-fault classification (src/core/fault.c) ---- */

/* What a page-table walk found at one address. */
enum pgc_pte_kind {
	PGC_PTE_NONE,		/* nothing mapped yet */
	PGC_PTE_PRESENT,	/* a present 4 KiB mapping */
	PGC_PTE_HUGE,		/* a present PMD mapping (THP) */
	PGC_PTE_SWAP,		/* a swap entry */
	PGC_PTE_MIGRATION,	/* a migration entry */
	PGC_PTE_PROTNONE,	/* PROT_NONE hint left by NUMA balancing */
	PGC_PTE_OTHER,		/* device or other special entry */
};

struct pgc_pte_snap {
	u8 kind;		/* enum pgc_pte_kind */
	bool writable;
	bool anon;		/* maps an anonymous page */
	bool exclusive;		/* ... that only this process maps */
	bool zero;		/* maps the shared zero page */
	u64 pfn;
};

/* One call of handle_mm_fault(): its inputs, and the PTE before/after. */
struct pgc_fault {
	struct pgc_pte_snap before, after;
	bool write;		/* FAULT_FLAG_WRITE or FAULT_FLAG_UNSHARE */
	bool tried;		/* FAULT_FLAG_TRIED: a retried fault */
	bool gup;		/* taken for get_user_pages (no user regs) */
	bool user;		/* from user mode: a SIGSEGV becomes a signal */
	bool vma_anon;		/* anonymous VMA */
	bool vma_shared;	/* VM_SHARED */
	bool vma_other;		/* hugetlb or a special mapping */
	bool thp_possible;	/* a huge page could back this address */
	/* Outcome, from the returned vm_fault_t. */
	bool retry;		/* VM_FAULT_RETRY: will be retried */
	bool major;		/* VM_FAULT_MAJOR: waited for I/O */
	bool oom;		/* VM_FAULT_OOM */
	bool sigbus;		/* VM_FAULT_SIGBUS or HWPOISON */
	bool sigsegv;		/* VM_FAULT_SIGSEGV */
};

enum pgc_fault_class {
	PGC_FC_ANON_NEW,	/* demand-zero 4 KiB page */
	PGC_FC_ANON_NEW_THP,	/* demand-zero huge page */
	PGC_FC_FILE_MINOR,	/* file page found in the page cache */
	PGC_FC_FILE_MAJOR,	/* file page read from storage */
	PGC_FC_SWAPIN_CACHE,	/* swapped-out page still in the swap cache */
	PGC_FC_SWAPIN_DEVICE,	/* swapped-out page read from the device */
	PGC_FC_COW_COPY,	/* write to a shared page: copied */
	PGC_FC_COW_REUSE,	/* write to a page that became exclusive again */
	PGC_FC_WP_OTHER,	/* other write-protect fault: mkwrite, uffd-wp, soft-dirty */
	PGC_FC_NUMA,		/* NUMA-balancing hinting fault */
	PGC_FC_MIGRATION,	/* waited for a page under migration */
	PGC_FC_SPURIOUS,	/* already resolved by another thread / stale TLB */
	PGC_FC_GUP,		/* taken on behalf of the kernel (get_user_pages) */
	PGC_FC_SIGBUS,		/* ended in SIGBUS (or hardware poison) */
	PGC_FC_OOM,		/* ended out of memory */
	PGC_FC_SEGV_UNMAPPED,	/* SIGSEGV: no mapping (guard gap, unmapped) */
	PGC_FC_SEGV_WRITE_RO,	/* SIGSEGV: write to a read-only mapping */
	PGC_FC_SEGV_EXEC_NX,	/* SIGSEGV: execute of a non-executable mapping */
	PGC_FC_SEGV_ACCESS,	/* SIGSEGV: other access violation (PROT_NONE) */
	PGC_FC_SEGV_PKEY,	/* SIGSEGV: protection key */
	PGC_FC_OTHER,		/* hugetlb, special mappings, raced walks */
	PGC_FC_RETRY,		/* an attempt that returned VM_FAULT_RETRY */
	PGC_FC_NR,
	PGC_FC_NONE = PGC_FC_NR,	/* counted elsewhere (the SIGSEGV) */
};

#define PGC_FC_FIRST_SEGV	PGC_FC_SEGV_UNMAPPED
#define PGC_FC_LAST_SEGV	PGC_FC_SEGV_PKEY

enum pgc_fault_class pgc_fault_classify(const struct pgc_fault *f);
/* Does the class depend on the entry after the fault?  If not, skip it. */
bool pgc_fault_needs_after(const struct pgc_fault *f);
/* Can a PMD-sized page at @addr fit in [start, end)? */
bool pgc_thp_fits(u64 start, u64 end, u64 addr, u64 pmd_size);
/* The kernel's own per-task accounting (min_flt / maj_flt). */
bool pgc_fault_accounted(const struct pgc_fault *f);
bool pgc_fault_kernel_major(const struct pgc_fault *f);
/* A SIGSEGV raised by a page fault: no mapping, pkey, write, exec. */
enum pgc_fault_class pgc_segv_classify(bool maperr, bool pkey, bool write,
				       bool exec);
const char *pgc_fault_class_name(enum pgc_fault_class fc);

/* ---- Process names as printed (src/core/name.c) ---- */

/* Room for a name of @len bytes, escaped. */
#define PGC_NAME_ESC_SIZE(len)	(4 * (len) + 1)

/* @src (at most @len bytes, NUL-terminated if shorter), escaped into @dst. */
void pgc_name_escape(char *dst, const char *src, size_t len);

/* ---- log2 histograms (src/core/hist.c) ---- */

#define PGC_HIST_BUCKETS 32	/* bucket i: [2^i, 2^(i+1)) ns; 2^31 ns ~ 2 s */

unsigned int pgc_hist_bucket(u64 value);

/* ---- TLB flush causes (src/core/mmu.c) ---- */

/* Who asked for a flush, as far as the initiating context tells. */
enum pgc_tlb_cause {
	PGC_TC_PAGECLOCK,	/* this module's Accessed-bit sweeps */
	PGC_TC_RECLAIM,		/* kswapd or direct reclaim (batched unmap) */
	PGC_TC_KTHREAD,		/* other kernel threads: compaction, khugepaged */
	PGC_TC_MPROTECT,	/* mprotect, pkey_mprotect */
	PGC_TC_MUNMAP,		/* munmap, mremap, brk, mmap over a mapping */
	PGC_TC_MADVISE,		/* madvise (DONTNEED, FREE, PAGEOUT, ...) */
	PGC_TC_FORK,		/* fork write-protecting the parent */
	PGC_TC_MIGRATE,		/* mbind, migrate_pages, move_pages */
	PGC_TC_SYSCALL,		/* any other system call */
	PGC_TC_FAULT,		/* a page fault: COW break, NUMA migration */
	PGC_TC_NR
};

struct pgc_tlb_ctx {
	bool own;		/* inside the module's own flush */
	bool reclaim;		/* PF_MEMALLOC or PF_KSWAPD */
	bool kthread;
	bool syscall;		/* the task entered the kernel by a syscall */
	int nr;			/* its number (x86-64) */
};

enum pgc_tlb_cause pgc_tlb_cause(const struct pgc_tlb_ctx *c);
const char *pgc_tlb_cause_name(enum pgc_tlb_cause tc);

/* ---- Idle ages of pages (src/core/mmu.c) ---- */

#define PGC_AGE_MAX	255	/* ages saturate here */
#define PGC_AGE_BUCKETS	9	/* 0, 1, 2-3, 4-7, ..., 128-255 sweeps */

/* Age after a sweep: 0 if found accessed, else one more (inline: per page). */
static inline u8 pgc_age_next(u8 age, bool accessed)
{
	if (accessed)
		return 0;
	return age < PGC_AGE_MAX ? age + 1 : PGC_AGE_MAX;
}

/* Bucket b holds ages [2^(b-1), 2^b); bucket 0 holds age 0. */
unsigned int pgc_age_bucket(u8 age);

/* ---- CLOCK with the dirty bit (src/core/clock.c) ---- */

/* What the hand does with a present page it passes. */
enum pgc_clock_verdict {
	PGC_CLOCK_SECOND_CHANCE,	/* A=1: clear A, keep the page */
	PGC_CLOCK_CLEAN,		/* A=0 D=0: first choice, no write needed */
	PGC_CLOCK_DIRTY,		/* A=0 D=1: only if clean ones run short */
};

/*
 * The hand's D: would taking the page cost a write?  The PTE's dirty bit,
 * the folio's (where unmapping elsewhere moved it), or an anonymous page
 * with no copy in swap: its every eviction is a swap-out, clean PTE or
 * not (a page read back from a fast swap device such as zram leaves the
 * swap cache at once).  Anonymous pages still in the swap cache and
 * unwritten since go for free, like clean file pages.
 */
bool pgc_clock_needs_write(bool pte_dirty, bool folio_dirty, bool anon,
			   bool swapcache);

/*
 * @starved: the hand's last lap found every page accessed.  It then takes
 * pages as they come, accessed or not (CLOCK's fallback to FIFO): a
 * process that touches all its pages faster than the hand goes round
 * would otherwise never be held to its budget.
 */
enum pgc_clock_verdict pgc_clock_judge(bool accessed, bool dirty, bool starved);

/*
 * Pages a target should give now: without a budget, its share of a
 * reclaim request; with one, nothing while it is within it, and above it
 * the excess plus half of what it @grew since the last sweep (at most an
 * eighth of the budget).  The worker comes every interval and the target
 * grows in between: going that far below centres the RSS on the budget
 * instead of above it.  A target that stopped growing is held at it.
 */
unsigned long pgc_clock_need(unsigned long rss, unsigned long budget,
			     unsigned long pressure, unsigned long grew);

/*
 * Pages a sweep still passes looking for clean victims alone before cold
 * dirty ones may go too: @pct percent of the target's @rss (the
 * clock/clean_scan_pct knob), less the @swept ones so far.  100 is the
 * strict enhanced second chance (a whole round); less lets the hand stop
 * sooner, so it goes round slower and judges hot pages better, for more
 * writes (Documentation/benchmarks.md).
 */
unsigned long pgc_clock_clean_left(unsigned long rss, unsigned int pct,
				   unsigned long swept);

/* The hand's progress round a target's address space. */
/* src/core/refault.c: a slot of a target's ring of evicted pages. */
struct pgc_evicted {
	unsigned long vpn;	/* page number + 1; 0: empty */
	u64 seq;		/* the target's eviction count then */
	bool dirty;
};

/* Remember that page @vpn went as eviction @seq; ring of 2^@bits slots. */
void pgc_refault_note(struct pgc_evicted *ring, unsigned int bits,
		      unsigned long vpn, u64 seq, bool dirty);
/*
 * A fault on page @vpn: true, once, if it is remembered, with the eviction
 * count and dirtiness it went with.
 */
bool pgc_refault_take(struct pgc_evicted *ring, unsigned int bits,
		      unsigned long vpn, u64 *seq, bool *dirty);

struct pgc_clock_hand {
	unsigned long addr;		/* where the next pass starts */
	unsigned long lap_clean;	/* clean victims found this lap */
	unsigned long lap_cold;		/* pages found not accessed */
	bool clean_exhausted;		/* the last lap found no clean victim */
	bool starved;			/* ... and no cold page: FIFO */
	u64 laps;
};

/*
 * A pass stopped at @addr, or went past the last VMA (@wrapped: the lap is
 * done and the hand goes back to 0), having found @clean clean victims,
 * @dirty dirty candidates and @cold pages not accessed, for @need pages.
 * Returns how many dirty ones to take (pgc_clock_dirty_take()): only once
 * the sweep has been far enough (@round: pgc_clock_clean_left() is 0)
 * looking for clean ones, or while the last lap found no clean one at all.
 */
unsigned long pgc_clock_pass_end(struct pgc_clock_hand *h, unsigned long addr,
				 bool wrapped, bool round, unsigned long need,
				 unsigned long clean, unsigned long dirty,
				 unsigned long cold);

/*
 * Dirty victims to take after a pass that found @clean clean victims and
 * @dirty dirty candidates for @need pages: none while clean pages cover
 * the need, or while the hand has not yet gone all the way round looking
 * for clean ones (@lap_done: it has).
 */
unsigned long pgc_clock_dirty_take(unsigned long need, unsigned long clean,
				   unsigned long dirty, bool lap_done);

/* ---- Knobs (src/core/knob.c): each one's name, range and default ---- */

/* A bound or default that is the machine's RAM, in pages. */
#define PGC_KNOB_RAM		U64_MAX

/*
 * The module-wide knobs, one sysfs file each, in the directory their
 * scope names (Documentation/abi.md).
 */
enum pgc_knob_id {
	PGC_K_AD_INTERVAL_MS,
	PGC_K_AD_FLUSH,
	PGC_K_CLOCK_ENABLED,
	PGC_K_CLOCK_INTERVAL_MS,
	PGC_K_CLOCK_QUOTA,
	PGC_K_CLOCK_CLEAN_SCAN_PCT,
	PGC_K_NR
};

/* A target's PFF knobs (targets/<n>/pff/), in struct pgc_pff_knobs' order. */
enum pgc_pff_knob_id {
	PGC_PFF_K_LOW,
	PGC_PFF_K_HIGH,
	PGC_PFF_K_MIN,
	PGC_PFF_K_MAX,
	PGC_PFF_K_STEP,
	PGC_PFF_K_WINDOW_MS,
	PGC_PFF_NKNOBS
};

/*
 * One target's PFF knobs, in the order of enum pgc_pff_knob_id.  The fault
 * rate counts only faults that say the budget is too small (refaults of
 * pages the CLOCK evicted, major faults) per second of the process's own
 * CPU time (virtual time).
 */
struct pgc_pff_knobs {
	u64 low, high;		/* faults per CPU second: lower below, raise above */
	u64 min, max;		/* the budget's range, pages */
	u64 step;		/* pages per move */
	u64 window_ms;		/* CPU time per decision */
};

struct pgc_knob_desc {
	const char *scope;		/* its sysfs directory: clock, ad, pff */
	const char *name;
	const char *unit;
	u64 min, max, def;		/* PGC_KNOB_RAM: the machine's pages */
	bool zero_off;			/* 0 is also taken, and means off */
	const char *why;		/* the reason for the range and default */
};

/*
 * A target slot's other settings (sysfs targets/<n>/), then its PFF
 * knobs: one number file each, pgc_target_descs then pgc_pff_knob_descs.
 * debugfs "knobs" lists only the knobs: a pid is no knob, a budget's
 * range is the machine's pages, PFF is on or off.
 */
enum pgc_target_val_id {
	PGC_T_PID,
	PGC_T_BUDGET,
	PGC_T_PFF,
	PGC_T_KNOB0,	/* + enum pgc_pff_knob_id */
	PGC_T_NR = PGC_T_KNOB0 + PGC_PFF_NKNOBS
};

extern const struct pgc_knob_desc pgc_knob_descs[PGC_K_NR];
extern const struct pgc_knob_desc pgc_target_descs[PGC_T_KNOB0];
extern const struct pgc_knob_desc pgc_pff_knob_descs[PGC_PFF_NKNOBS];

/* @v, or the machine's @ram_pages where @v is PGC_KNOB_RAM. */
static inline u64 pgc_knob_bound(u64 v, u64 ram_pages)
{
	return v == PGC_KNOB_RAM ? ram_pages : v;
}

/* 0 if @v is within @d's range on a machine of @ram_pages, else -ERANGE. */
int pgc_knob_check(const struct pgc_knob_desc *d, u64 v, u64 ram_pages);

/* ---- Page-Fault-Frequency controller (src/core/pff.c) ---- */

/* Windows below low before the first lowering. */
#define PGC_PFF_CALM		2
/* Windows after a raise in which the budget is not lowered. */
#define PGC_PFF_HOLD		4
/* Raises in a row double the step, up to this many times the step. */
#define PGC_PFF_BURST		8

/* The controller's state, between decisions. */
struct pgc_pff {
	u64 cpu_ns, faults;	/* at the start of the current window */
	u64 rate, prev_rate;	/* of the last two windows */
	u64 prev_rss;		/* at the end of the last window */
	u32 calm;		/* consecutive windows below low */
	u32 hold;		/* windows left before lowering is allowed */
	u32 burst;		/* raises in a row: the next one moves 2^burst steps */
	bool settle;		/* the window after a raise: not judged */
	u64 windows, raises, lowers, guarded;
};

enum pgc_pff_move {
	PGC_PFF_WAIT,		/* the window has not seen enough CPU time */
	PGC_PFF_STAY,		/* rate in [low, high], or no room to move */
	PGC_PFF_RAISE,
	PGC_PFF_LOWER,
	PGC_PFF_GUARD,		/* would lower, but memory is under pressure */
};

const char *pgc_pff_move_name(enum pgc_pff_move m);

void pgc_pff_defaults(struct pgc_pff_knobs *k, u64 max_pages);

/* Knob @i of @k (enum pgc_pff_knob_id). */
u64 *pgc_pff_knob(struct pgc_pff_knobs *k, unsigned int i);

/* 0, or -EINVAL unless each knob is in its range, low < high, min <= max. */
int pgc_pff_check(const struct pgc_pff_knobs *k, u64 max_pages);

/* Has the window seen its CPU time by @cpu_ns? */
bool pgc_pff_window_done(const struct pgc_pff_knobs *k, const struct pgc_pff *s,
			 u64 cpu_ns);

/* Start a window at the process's CPU time and signal-fault count. */
void pgc_pff_start(struct pgc_pff *s, u64 cpu_ns, u64 faults);

/*
 * One look at a target: @cpu_ns of CPU time and @faults so far, @rss
 * pages resident, @idle of them not touched since the last window ended,
 * @pressure (the kernel is reclaiming).  At the end of a window, may move
 * *@budget; returns what it did.
 */
enum pgc_pff_move pgc_pff_tick(const struct pgc_pff_knobs *k,
			       struct pgc_pff *s, u64 cpu_ns, u64 faults,
			       u64 rss, u64 idle, bool pressure, u64 *budget);

/* ---- What users write to the control files (src/core/parse.c) ---- */

/* Text: no NUL inside, which would end the parse and hide what follows. */
bool pgc_text_ok(const char *buf, size_t count);

/* A process id, NUL-terminated @s: a positive decimal number. */
int pgc_pid_parse(const char *s, pid_t *pid);

/*
 * A value written to a sysfs file (@count bytes at @buf): one decimal
 * number, an optional newline, within [@min, @max], or 0 if @zero_ok.
 * -EINVAL (not such a number, or longer than 16 bytes) or -ERANGE.
 */
int pgc_knob_parse(const char *buf, size_t count, u64 min, u64 max,
		   bool zero_ok, u64 *v);

/* A target's settings, staged in sysfs targets/<n>/ and committed at once. */
struct pgc_target_req {
	pid_t pid;
	unsigned long budget;	/* pages; 0: none, or with PFF: where it is */
	bool pff;		/* a PFF controller moves the budget */
	struct pgc_pff_knobs k;	/* its knobs */
};

#endif /* PGC_CORE_H */
