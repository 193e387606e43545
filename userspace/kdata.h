/* SPDX-License-Identifier: GPL-2.0 */
/* Parsed contents of the module's debugfs statistics files. */
#ifndef PAGECLOCK_KDATA_H
#define PAGECLOCK_KDATA_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "json.h"

#define PGC_MAX_CLASSES 48
#define PGC_BUCKETS 32

/* Fault class names, in the module's order (read from the files). */
struct pgc_classes {
	int n;
	char name[PGC_MAX_CLASSES][32];
};

struct pgc_faults {
	struct pgc_classes cls;
	uint64_t minor, major, missed, procs_dropped;
	uint64_t vma_unknown;	/* hook tp: writes counted "other" */
	uint64_t uffd;		/* kretprobe: in userfaultfd ranges, unmeasured */
	char hook[16];		/* the fault hook attached: kretprobe, tp, off */
	uint64_t hook_switches;	/* handovers between the two since load */
	uint64_t count[PGC_MAX_CLASSES], ns[PGC_MAX_CLASSES];
	uint64_t hist[PGC_MAX_CLASSES][PGC_BUCKETS];
};

struct pgc_proc_row {
	pid_t tgid, ppid;
	uint64_t id, parent_id;
	bool exited;
	uint64_t minor, major, forks, cow_shared, cow_copies;
	uint64_t tlb_local, tlb_sent, tlb_targets;
	uint64_t count[PGC_MAX_CLASSES], ns[PGC_MAX_CLASSES];
	uint64_t hist[PGC_BUCKETS];
	char comm[64];
};

struct pgc_proc_id {
	uint64_t id;
	int row;
};

struct pgc_procs {
	struct pgc_classes cls;
	int n;
	struct pgc_proc_row *rows;
	struct pgc_proc_id *by_id;	/* pgc_procs_index_id() */
};

struct pgc_fork_row {
	uint64_t seq, time_ns;
	pid_t parent, child;
	uint64_t shared, c_parent, c_child;
	bool pinned;		/* the parent had pinned pages: S may count them */
	char state[16], comm[64];
};

struct pgc_forks {
	int n;
	struct pgc_fork_row *rows;
};

/*
 * A counter's growth from @then to @now: counters only grow, but for a
 * module reloaded between two reads; then its new count.
 */
static inline uint64_t pgc_since(uint64_t now, uint64_t then)
{
	return now >= then ? now - then : now;
}

/* Each returns 0, or a PGC_EXIT_* status after printing one error line. */
bool pgc_module_loaded(void);
int pgc_module_check(void);
int pgc_read_faults(struct pgc_faults *f);
int pgc_read_procs(struct pgc_procs *p);
int pgc_read_forks(struct pgc_forks *f);

/* @rows (malloc'd, @cap rows) with room for row @n; NULL (freed) if out of memory. */
void *pgc_rows_room(void *rows, int n, int *cap, size_t size);
void pgc_procs_free(struct pgc_procs *p);
void pgc_forks_free(struct pgc_forks *f);

int pgc_class_index(const struct pgc_classes *c, const char *name);
/* The newest row of process @tgid, or NULL. */
struct pgc_proc_row *pgc_proc_find(struct pgc_procs *p, pid_t tgid);
/*
 * Index the rows by the module's entry id, which no two processes share
 * while the module stays loaded (a reload starts ids again): 0, or an
 * error status; then the row of entry @id, or NULL.
 */
int pgc_procs_index_id(struct pgc_procs *p);
const struct pgc_proc_row *pgc_proc_by_id(const struct pgc_procs *p,
					   uint64_t id);
/* @r less an earlier read @a of the same entry: what it did between. */
void pgc_proc_since(struct pgc_proc_row *r, const struct pgc_proc_row *a);
/*
 * Mark in @in (one per row) @root and the rows descending from it through
 * the module's parent links, exited ones too; return how many.
 */
int pgc_proc_family(const struct pgc_procs *p, const struct pgc_proc_row *root,
		    bool *in);
/* Sum of a class over names with @prefix (e.g. "segv_"). */
uint64_t pgc_sum_prefix(const struct pgc_classes *c, const uint64_t *v,
			const char *prefix);

/*
 * kcount.c, the kernel's own counters without the module.  One process
 * from /proc/PID/stat: 0, 1 for a kernel thread, -1 if it is gone.
 */
int pgc_kernel_proc(pid_t pid, struct pgc_proc_row *r);
/*
 * Every user process, as pgc_read_procs() (faults only; id: its start
 * time, which with the pid tells a reused pid from the process before).
 */
int pgc_kernel_procs(struct pgc_procs *p);
/* /proc/vmstat since boot: pgfault - pgmajfault, and pgmajfault. */
int pgc_kernel_faults(uint64_t *minor, uint64_t *major);

/* Resident pages of @pid from /proc/PID/statm; 0 if it is gone. */
uint64_t pgc_proc_rss(pid_t pid);
/* --comm NAME: the one user process of that name, else an error status. */
int pgc_comm_pid(const char *verb, const char *name, pid_t *pid);
/* --pid: a number naming a live user process, else an error status. */
int pgc_parse_pid(const char *verb, const char *arg, pid_t *pid, bool *alive);

/*
 * Percentile @pct of a log2 histogram: the upper edge of its bucket, ns;
 * 0 when it is empty; PGC_HIST_OPEN when it lies in the last bucket,
 * which has no upper edge (the kernel counts everything slower there).
 * pgc_pct_text() says "-" for an empty one.
 */
#define PGC_HIST_OPEN UINT64_MAX
uint64_t pgc_hist_pct(const uint64_t *hist, int n, double pct);
/* The same as text, "<= 4.1us" or "> 2.15s". */
const char *pgc_pct_text(char *buf, size_t len, const uint64_t *hist,
			 double pct);
/* "512ns", "3.2us", "1.5ms", "2.0s" */
const char *pgc_fmt_ns(char *buf, size_t len, double ns);
/*
 * What a user can do about a fork's copy-on-write result: a word for
 * tables, and the advice it stands for.
 */
enum pgc_cow_v { PGC_COW_NONE, PGC_COW_LITTLE, PGC_COW_SPAWN, PGC_COW_WORKED,
		 PGC_COW_SOME, PGC_COW_PARTIAL, PGC_COW_NV };
struct pgc_cow_verdict {
	const char *word, *text;
};
extern const struct pgc_cow_verdict pgc_cow_verdicts[PGC_COW_NV];
enum pgc_cow_v pgc_cow_verdict(uint64_t shared, uint64_t copies,
			       const char *state);

/*
 * cow.c: one fork record as text (after pgc_fork_header()); it returns
 * what the legend must explain: a bit per verdict, and
 * PGC_COW_SEEN_PINNED for S marked "may count pinned pages".
 * pgc_fork_legend() explains the bits in @seen after a table.
 */
#define PGC_COW_SEEN_PINNED (1U << PGC_COW_NV)
void pgc_fork_header(FILE *out);
unsigned int pgc_fork_print(FILE *out, const struct pgc_fork_row *r);
void pgc_fork_legend(FILE *out, unsigned int seen);
/* The same record as a JSON object. */
void pgc_fork_json(struct pgc_json *j, const struct pgc_fork_row *r);
/* Members "ratio", "verdict", "advice" of @copies of @shared pages. */
void pgc_cow_json(struct pgc_json *j, uint64_t shared, uint64_t copies,
		  const char *state);

/* A rate per second for a narrow column: "-" (NAN), "0", "0.3", "12", "1.2M" */
const char *pgc_fmt_rate(char *buf, size_t len, double v);
/* "4.0 KiB", "256.0 GiB" */
const char *pgc_fmt_bytes(char *buf, size_t len, double bytes);

/* A whole debugfs file, malloc'ed; NULL after printing an error. */
char *pgc_slurp(const char *file);
/* The same with a warning, for a file a verb can do without. */
char *pgc_slurp_warn(const char *file);
/* The same without the error line: NULL with errno set. */
char *pgc_debugfs_read(const char *file);
/* The rest of @fd, malloc'ed and NUL-terminated; NULL with errno set. */
char *pgc_read_fd(int fd);

/* A knob's range and default, as debugfs "knobs" lists it. */
struct pgc_knob {
	uint64_t min, max, def;
};
bool pgc_knob(const char *knobs, const char *scope, const char *name,
	      struct pgc_knob *k);

/* kv.c: requests (debugfs "pt", sysfs "ad/sweep") and "key value" answers. */
int pgc_request(const char *file, const char *req, char **out);
int pgc_request_pid(const char *verb, const char *file, pid_t pid,
		    const char *req, char **out);
int pgc_request_status(const char *verb, const char *file, pid_t pid, int err);
const char *pgc_kv_str(const char *text, const char *key, char *buf,
		       size_t len);
uint64_t pgc_kv_u64(const char *text, const char *key);
uint64_t pgc_kv_rec(const char *text, const char *key, const char *name,
		    const char *field);
const char *pgc_kv_rec_str(const char *text, const char *key, const char *name,
			   const char *field, char *buf, size_t len);
void pgc_kv_hist_json(struct pgc_json *j, const char *key, const char *text,
		      const char *table, const char *field, unsigned int n,
		      bool zero);
char *pgc_kv_delta(const char *now, const char *then);
/*
 * The records of table @key in @text ("@key NAME ..." lines, a target's
 * "target PID ..."), in turn: from @l (@text at first) the next one's
 * NAME into @name (@len bytes; a longer name's record is passed over),
 * and where to go on from; NULL after the last.
 */
const char *pgc_kv_next(const char *l, const char *text, const char *key,
			char *name, size_t len);

#endif /* PAGECLOCK_KDATA_H */
