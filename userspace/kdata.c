// SPDX-License-Identifier: GPL-2.0
/*
 * Readers of the module's debugfs files.  Column and class names come from
 * the files themselves, so a module with more classes still parses.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kdata.h"
#include "pageclock.h"

bool pgc_module_loaded(void)
{
	char path[512], buf[64];

	return pgc_read_file(pgc_path(path, sizeof(path), PGC_SYSFS, "version"),
			     buf, sizeof(buf)) > 0;
}

/* Loaded?  Readable?  One error line and a status if not. */
int pgc_module_check(void)
{
	char path[512], buf[64];
	int n;

	if (!pgc_module_loaded()) {
		pgc_error("module not loaded (load it with 'modprobe pageclock' after 'make dkms-install', or 'insmod pageclock.ko', on a test box or VM)");
		return PGC_EXIT_NOT_LOADED;
	}
	n = pgc_read_file(pgc_path(path, sizeof(path), PGC_DEBUGFS, "version"),
			  buf, sizeof(buf));
	if (n == -EACCES || n == -EPERM) {
		pgc_error("permission denied reading %s (statistics are root-only)",
			  PGC_DEBUGFS);
		return PGC_EXIT_PERM;
	}
	if (n < 0) {
		pgc_error("cannot read %s: %s (is debugfs mounted? the statistics, and the targets' live state, are there)",
			  PGC_DEBUGFS, strerror(-n));
		return PGC_EXIT_FAIL;
	}
	return 0;
}

/*
 * Knob @name of @scope (its sysfs directory: "clock", "ad" or "pff") as
 * the loaded module takes it, from @knobs (debugfs "knobs", read once by
 * the caller; NULL if unreadable), so the CLI copies none of its numbers.
 * false without the file or the knob: the caller decides.
 */
bool pgc_knob(const char *knobs, const char *scope, const char *name,
	      struct pgc_knob *k)
{
	size_t nl = strlen(name);
	char buf[32];
	const char *l;
	bool found = false;

	/* Names repeat across scopes (clock and ad both have interval_ms). */
	for (l = knobs; l && !found;
	     l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (strncmp(l, "knob ", 5) || strncmp(l + 5, name, nl) ||
		    l[5 + nl] != ' ')
			continue;
		found = !strcmp(pgc_kv_rec_str(l, "knob", name, "scope", buf,
					       sizeof(buf)), scope);
		if (found) {
			k->min = pgc_kv_rec(l, "knob", name, "min");
			k->max = pgc_kv_rec(l, "knob", name, "max");
			k->def = pgc_kv_rec(l, "knob", name, "default");
		}
	}
	return found;
}

/*
 * All of @fd from where it stands into a malloc'ed, NUL-terminated buffer;
 * NULL (with errno) on failure.
 */
char *pgc_read_fd(int fd)
{
	size_t len = 0, cap = 1 << 14;
	char *buf = malloc(cap), *bigger;
	ssize_t got;

	while (buf) {
		got = read(fd, buf + len, cap - len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += got;
		if (len < cap - 1)
			continue;
		bigger = realloc(buf, cap *= 2);
		if (!bigger)
			free(buf);
		buf = bigger;
	}
	if (!buf) {
		errno = ENOMEM;
		return NULL;
	}
	if (got < 0) {
		got = errno;
		free(buf);
		errno = got;
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* A whole debugfs file, malloc'ed; NULL with errno set, silently. */
char *pgc_debugfs_read(const char *file)
{
	char path[512], *buf;
	int fd, err;

	fd = open(pgc_path(path, sizeof(path), PGC_DEBUGFS, file),
		  O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = pgc_read_fd(fd);
	err = errno;
	close(fd);
	errno = err;
	return buf;
}

/* Read a debugfs file of any size into a malloc'ed, NUL-terminated buffer. */
static char *pgc_slurp_say(const char *file,
			   void (*say)(const char *fmt, ...))
{
	char path[512], *buf = pgc_debugfs_read(file);

	if (!buf)
		say("cannot read %s: %s",
		    pgc_path(path, sizeof(path), PGC_DEBUGFS, file),
		    strerror(errno));
	return buf;
}

char *pgc_slurp(const char *file)
{
	return pgc_slurp_say(file, pgc_error);
}

char *pgc_slurp_warn(const char *file)
{
	return pgc_slurp_say(file, pgc_warn);
}

int pgc_class_index(const struct pgc_classes *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->name[i], name))
			return i;
	return -1;
}

static int pgc_class_add(struct pgc_classes *c, const char *name)
{
	if (c->n >= PGC_MAX_CLASSES)
		return -1;
	snprintf(c->name[c->n], sizeof(c->name[0]), "%s", name);
	return c->n++;
}

uint64_t pgc_sum_prefix(const struct pgc_classes *c, const uint64_t *v,
			const char *prefix)
{
	uint64_t sum = 0;

	for (int i = 0; i < c->n; i++)
		if (!strncmp(c->name[i], prefix, strlen(prefix)))
			sum += v[i];
	return sum;
}

int pgc_read_faults(struct pgc_faults *f)
{
	char *buf, *line, *save = NULL;

	memset(f, 0, sizeof(*f));
	buf = pgc_slurp("faults");
	if (!buf)
		return PGC_EXIT_FAIL;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[32];
		int off, i, b;

		if (sscanf(line, "minor %lu", &f->minor) == 1 ||
		    sscanf(line, "major %lu", &f->major) == 1 ||
		    sscanf(line, "missed %lu", &f->missed) == 1 ||
		    sscanf(line, "procs_dropped %lu", &f->procs_dropped) == 1 ||
		    sscanf(line, "vma_unknown %lu", &f->vma_unknown) == 1 ||
		    sscanf(line, "uffd %lu", &f->uffd) == 1 ||
		    /* Before "hook %s", which would take its name. */
		    sscanf(line, "hook_switches %lu", &f->hook_switches) == 1 ||
		    sscanf(line, "hook %15s", f->hook) == 1)
			continue;
		if (sscanf(line, "class %31s %n", name, &off) != 1)
			continue;
		i = pgc_class_add(&f->cls, name);
		if (i < 0)
			break;
		line += off;
		sscanf(line, "%lu %lu %n", &f->count[i], &f->ns[i], &off);
		line += off;
		for (b = 0; b < PGC_BUCKETS; b++) {
			if (sscanf(line, "%lu %n", &f->hist[i][b], &off) != 1)
				break;
			line += off;
		}
	}
	free(buf);
	return 0;
}

/* Fixed leading columns of "procs", then classes, *_ns, h0..h31, comm. */
/* The scalar columns of "procs", by name; the rest are classes and hist. */
#define PGC_COL(f) { #f, offsetof(struct pgc_proc_row, f) }
static const struct {
	const char *name;
	size_t off;
} pgc_proc_cols[] = {
	PGC_COL(minor), PGC_COL(major), PGC_COL(forks), PGC_COL(cow_shared),
	PGC_COL(cow_copies), PGC_COL(tlb_local), PGC_COL(tlb_sent),
	PGC_COL(tlb_targets),
};

enum { PGC_COL_TGID = -1, PGC_COL_PPID = -2, PGC_COL_ID = -3,
       PGC_COL_PARENT = -4, PGC_COL_STATE = -5, PGC_COL_NS = -6,
       PGC_COL_HIST = -7, PGC_COL_CLASS = -8, PGC_COL_COMM = -9 };

/* What header column @name holds: a pgc_proc_cols index or PGC_COL_*. */
static int pgc_proc_col(const char *name)
{
	static const char *const fixed[] = { "tgid", "ppid", "id", "parent_id",
					     "state" };
	size_t i, l = strlen(name);

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (!strcmp(name, fixed[i]))
			return -1 - (int)i;
	for (i = 0; i < sizeof(pgc_proc_cols) / sizeof(pgc_proc_cols[0]); i++)
		if (!strcmp(name, pgc_proc_cols[i].name))
			return i;
	if (!strcmp(name, "comm"))
		return PGC_COL_COMM;
	if (l > 3 && !strcmp(name + l - 3, "_ns"))
		return PGC_COL_NS;
	if (name[0] == 'h' && l > 1 && strspn(name + 1, "0123456789") == l - 1)
		return PGC_COL_HIST;
	return PGC_COL_CLASS;
}

static void pgc_proc_set(struct pgc_proc_row *r, int col, int *nth,
			 const char *v)
{
	uint64_t u = strtoull(v, NULL, 10);

	if (col >= 0) {
		*(uint64_t *)((char *)r + pgc_proc_cols[col].off) = u;
		return;
	}
	switch (col) {
	case PGC_COL_TGID:
		r->tgid = u;
		break;
	case PGC_COL_PPID:
		r->ppid = u;
		break;
	case PGC_COL_ID:
		r->id = u;
		break;
	case PGC_COL_PARENT:
		r->parent_id = u;
		break;
	case PGC_COL_STATE:
		r->exited = !strcmp(v, "exited");
		break;
	case PGC_COL_CLASS:
		if (nth[0] < PGC_MAX_CLASSES)
			r->count[nth[0]++] = u;
		break;
	case PGC_COL_NS:
		if (nth[1] < PGC_MAX_CLASSES)
			r->ns[nth[1]++] = u;
		break;
	case PGC_COL_HIST:
		if (nth[2] < PGC_BUCKETS)
			r->hist[nth[2]++] = u;
		break;
	}
}

/*
 * A growing array of rows: @rows with room for row @n (doubled when
 * full), or NULL when out of memory, with @rows freed.
 */
void *pgc_rows_room(void *rows, int n, int *cap, size_t size)
{
	void *bigger;

	if (!rows || n < *cap)
		return rows;
	bigger = realloc(rows, (size_t)*cap * 2 * size);
	if (!bigger)
		free(rows);
	else
		*cap *= 2;
	return bigger;
}

int pgc_read_procs(struct pgc_procs *p)
{
	char *buf, *line, *save = NULL, *tok, *tsave;
	int cols[256], ncols = 0, cap = 256;

	memset(p, 0, sizeof(*p));
	buf = pgc_slurp("procs");
	if (!buf)
		return PGC_EXIT_FAIL;
	/* Header: column names, "comm" last (it may hold spaces). */
	line = strtok_r(buf, "\n", &save);
	for (tok = line ? strtok_r(line, " ", &tsave) : NULL; tok && ncols < 256;
	     tok = strtok_r(NULL, " ", &tsave)) {
		cols[ncols] = pgc_proc_col(tok);
		if (cols[ncols] == PGC_COL_CLASS)
			pgc_class_add(&p->cls, tok);
		ncols++;
	}
	p->rows = calloc(cap, sizeof(*p->rows));
	while ((p->rows = pgc_rows_room(p->rows, p->n, &cap, sizeof(*p->rows))) &&
	       (line = strtok_r(NULL, "\n", &save))) {
		struct pgc_proc_row *r = &p->rows[p->n];
		int i, nth[3] = { 0, 0, 0 };

		memset(r, 0, sizeof(*r));
		for (i = 0; i < ncols && *line; i++) {
			size_t l = cols[i] == PGC_COL_COMM ? strlen(line) :
							    strcspn(line, " ");
			char c = line[l];

			line[l] = '\0';
			if (cols[i] == PGC_COL_COMM)
				snprintf(r->comm, sizeof(r->comm), "%s",
					 pgc_name_unescape(line));
			else
				pgc_proc_set(r, cols[i], nth, line);
			line += l + (c != '\0');
		}
		if (i == ncols && r->tgid)
			p->n++;
	}
	free(buf);
	if (!p->rows) {
		pgc_error("out of memory");
		return PGC_EXIT_FAIL;
	}
	return 0;
}

int pgc_read_forks(struct pgc_forks *f)
{
	char *buf, *line, *save = NULL;
	int cap = 256;

	memset(f, 0, sizeof(*f));
	buf = pgc_slurp("forks");
	if (!buf)
		return PGC_EXIT_FAIL;
	f->rows = calloc(cap, sizeof(*f->rows));
	strtok_r(buf, "\n", &save);	/* header */
	while ((f->rows = pgc_rows_room(f->rows, f->n, &cap, sizeof(*f->rows))) &&
	       (line = strtok_r(NULL, "\n", &save))) {
		struct pgc_fork_row *r = &f->rows[f->n];
		int pinned, off;

		if (sscanf(line, "%lu %lu %d %d %lu %d %lu %lu %15s %n", &r->seq,
			   &r->time_ns, &r->parent, &r->child, &r->shared,
			   &pinned, &r->c_parent, &r->c_child, r->state,
			   &off) != 9)
			continue;
		r->pinned = pinned;
		snprintf(r->comm, sizeof(r->comm), "%s",
			 pgc_name_unescape(line + off));
		f->n++;
	}
	free(buf);
	if (!f->rows) {
		pgc_error("out of memory");
		return PGC_EXIT_FAIL;
	}
	return 0;
}

void pgc_procs_free(struct pgc_procs *p)
{
	free(p->rows);
	p->rows = NULL;
	free(p->by_id);
	p->by_id = NULL;
}

void pgc_forks_free(struct pgc_forks *f)
{
	free(f->rows);
	f->rows = NULL;
}

struct pgc_proc_row *pgc_proc_find(struct pgc_procs *p, pid_t tgid)
{
	struct pgc_proc_row *best = NULL;

	for (int i = 0; i < p->n; i++)
		if (p->rows[i].tgid == tgid &&
		    (!best || p->rows[i].id > best->id))
			best = &p->rows[i];
	return best;
}

static int pgc_id_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct pgc_proc_id *)a)->id;
	uint64_t y = ((const struct pgc_proc_id *)b)->id;

	return x < y ? -1 : x > y;
}

int pgc_procs_index_id(struct pgc_procs *p)
{
	free(p->by_id);
	p->by_id = calloc(p->n ? p->n : 1, sizeof(*p->by_id));
	if (!p->by_id) {
		pgc_error("out of memory");
		return PGC_EXIT_FAIL;
	}
	for (int i = 0; i < p->n; i++)
		p->by_id[i] = (struct pgc_proc_id){ p->rows[i].id, i };
	qsort(p->by_id, p->n, sizeof(*p->by_id), pgc_id_cmp);
	return PGC_EXIT_OK;
}

const struct pgc_proc_row *pgc_proc_by_id(const struct pgc_procs *p,
					   uint64_t id)
{
	struct pgc_proc_id key = { id, 0 }, *k;

	k = p->n ? bsearch(&key, p->by_id, p->n, sizeof(*p->by_id),
			   pgc_id_cmp) : NULL;
	return k ? &p->rows[k->row] : NULL;
}

void pgc_proc_since(struct pgc_proc_row *r, const struct pgc_proc_row *a)
{
	int i, b;

	r->minor = pgc_since(r->minor, a->minor);
	r->major = pgc_since(r->major, a->major);
	r->forks = pgc_since(r->forks, a->forks);
	r->cow_shared = pgc_since(r->cow_shared, a->cow_shared);
	r->cow_copies = pgc_since(r->cow_copies, a->cow_copies);
	r->tlb_local = pgc_since(r->tlb_local, a->tlb_local);
	r->tlb_sent = pgc_since(r->tlb_sent, a->tlb_sent);
	r->tlb_targets = pgc_since(r->tlb_targets, a->tlb_targets);
	for (i = 0; i < PGC_MAX_CLASSES; i++) {
		r->count[i] = pgc_since(r->count[i], a->count[i]);
		r->ns[i] = pgc_since(r->ns[i], a->ns[i]);
	}
	for (b = 0; b < PGC_BUCKETS; b++)
		r->hist[b] = pgc_since(r->hist[b], a->hist[b]);
}

int pgc_proc_family(const struct pgc_procs *p, const struct pgc_proc_row *root,
		    bool *in)
{
	int i, j, n = 1;
	bool grew = true;

	in[root - p->rows] = true;
	while (grew) {
		grew = false;
		for (i = 0; i < p->n; i++) {
			if (in[i] || !p->rows[i].parent_id)
				continue;
			for (j = 0; j < p->n; j++)
				if (in[j] && p->rows[j].id == p->rows[i].parent_id) {
					in[i] = grew = true;
					n++;
					break;
				}
		}
	}
	return n;
}

int pgc_parse_pid(const char *verb, const char *arg, pid_t *pid, bool *alive)
{
	char path[512], name[32], *end;
	struct pgc_proc_row r;
	struct stat st;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v <= 0 || v > 4194304) {
		pgc_error("%s: --pid needs a process id, not '%s'", verb, arg);
		return PGC_EXIT_USAGE;
	}
	*pid = v;
	snprintf(name, sizeof(name), "%ld", v);
	*alive = !stat(pgc_path(path, sizeof(path), "/proc", name), &st);
	if (!*alive)
		return 0;	/* gone: the module may still hold its record */
	/* Kernel threads have no user address space: no user faults. */
	if (pgc_kernel_proc(v, &r) == 1) {
		pgc_error("%s: pid %ld is a kernel thread: it has no user memory",
			  verb, v);
		return PGC_EXIT_USAGE;
	}
	return 0;
}

uint64_t pgc_hist_pct(const uint64_t *hist, int n, double pct)
{
	uint64_t total = 0, seen = 0;

	for (int i = 0; i < n; i++)
		total += hist[i];
	if (!total)
		return 0;
	for (int i = 0; i < n; i++) {
		seen += hist[i];
		if ((double)seen >= total * pct / 100.0)
			return i == n - 1 ? PGC_HIST_OPEN : 1ULL << (i + 1);
	}
	return PGC_HIST_OPEN;
}

const char *pgc_pct_text(char *buf, size_t len, const uint64_t *hist,
			 double pct)
{
	uint64_t v = pgc_hist_pct(hist, PGC_BUCKETS, pct);
	char t[16];

	if (!v)
		snprintf(buf, len, "-");	/* no fault to rank */
	else if (v == PGC_HIST_OPEN)
		snprintf(buf, len, "> %s", pgc_fmt_ns(t, sizeof(t),
			 (double)(1ULL << (PGC_BUCKETS - 1))));
	else
		snprintf(buf, len, "<= %s", pgc_fmt_ns(t, sizeof(t), v));
	return buf;
}

const char *pgc_fmt_ns(char *buf, size_t len, double ns)
{
	if (ns < 1e3)
		snprintf(buf, len, "%.0fns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.1fms", ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", ns / 1e9);
	return buf;
}

const char *pgc_fmt_rate(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (v <= 0)
		snprintf(buf, len, "0");
	else if (v < 9.95)
		snprintf(buf, len, "%.1f", v);	/* 0.3/s is not 0 */
	else if (v < 999999.5)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.1fM", v / 1e6);
	return buf;
}

const char *pgc_fmt_bytes(char *buf, size_t len, double bytes)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	int i = 0;

	while (bytes >= 1024 && i < 5) {
		bytes /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(buf, len, "%.0f B", bytes);
	else
		snprintf(buf, len, "%.1f %s", bytes, unit[i]);
	return buf;
}

const struct pgc_cow_verdict pgc_cow_verdicts[PGC_COW_NV] = {
	[PGC_COW_NONE] = { "none", "nothing was shared" },
	[PGC_COW_LITTLE] = { "little", "COW saved little: most shared pages were copied anyway; a fresh process (fork+exec, posix_spawn) or less shared state may serve better" },
	[PGC_COW_SPAWN] = { "spawn", "child exec'd: posix_spawn or vfork would skip sharing the pages at all" },
	[PGC_COW_WORKED] = { "worked", "COW worked: few shared pages were copied" },
	[PGC_COW_SOME] = { "some", "some shared pages were copied" },
	[PGC_COW_PARTIAL] = { "partial", "copies not all counted: the fault hook was off for part of the child's life (it is on while a target, stat, top, record, faults -I or sysfs faults/detail asks)" },
};

enum pgc_cow_v pgc_cow_verdict(uint64_t shared, uint64_t copies,
			       const char *state)
{
	double r = shared ? (double)copies / shared : 0;

	if (!shared)
		return PGC_COW_NONE;
	/* Copies only undercounted: "little" holds, no other verdict does. */
	if (r >= 0.5)
		return PGC_COW_LITTLE;
	if (!strcmp(state, "partial"))
		return PGC_COW_PARTIAL;
	if (!strcmp(state, "execed") && r < 0.1)
		return PGC_COW_SPAWN;
	if (r < 0.1)
		return PGC_COW_WORKED;
	return PGC_COW_SOME;
}
