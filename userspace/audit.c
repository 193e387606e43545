// SPDX-License-Identifier: GPL-2.0
/*
 * pageclock audit: is a process's memory set up the way its job needs?
 * Rules from the seed's applications, each a verdict with its evidence,
 * read from /proc/PID/smaps and the threads' stack pointers: real-time
 * readiness, W^X, guard pages, sensitive memory.  Exit status 6 when a
 * rule it was asked for fails, so CI can gate on it.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kdata.h"
#include "pageclock.h"

static void audit_help(FILE *out)
{
	fputs("usage: pageclock audit --pid PID|--comm NAME [--rt] [--wx] [--guard] [--secrets]\n"
	      "                       [--json|--pretty]\n"
	      "Check a process's memory against rules (all of them without a\n"
	      "rule's option) and say which fail, with the mappings that do:\n"
	      "  --rt       ready for a latency-critical phase: every mapping locked\n"
	      "             (mlockall), every page present, no writable private page\n"
	      "             still to be copied on its first write\n"
	      "  --wx       no mapping writable and executable at once\n"
	      "  --guard    the main stack keeps a gap below it, each thread stack a\n"
	      "             PROT_NONE guard, the heap no writable neighbour\n"
	      "  --secrets  memory marked MADV_DONTDUMP or MADV_WIPEONFORK, and\n"
	      "             memfd_secret's, is locked and has nothing in swap\n"
	      "Exit status 6 when a rule fails; needs the right to read the\n"
	      "process's smaps (root, or its owner).  Needs no module.\n", out);
}

enum { AUDIT_RT, AUDIT_WX, AUDIT_GUARD, AUDIT_SECRETS, AUDIT_NR };
static const char *const audit_rules[AUDIT_NR] = { "rt", "wx", "guard", "secrets" };

/* One mapping of /proc/PID/smaps; sizes in KiB. */
struct au_vma {
	unsigned long start, end;
	char perms[5];
	char name[128];
	uint64_t size, rss, anon, shared, swap, hugetlb;
	char flags[160];	/* VmFlags: two-letter words */
};

struct au_maps {
	int n, cap;
	struct au_vma *v;
};

static bool au_flag(const struct au_vma *v, const char *f)
{
	const char *p;

	for (p = v->flags; (p = strstr(p, f)); p++)
		if ((p == v->flags || p[-1] == ' ') && (p[2] == ' ' || !p[2]))
			return true;
	return false;
}

static bool au_guard(const struct au_vma *v)
{
	return !strncmp(v->perms, "---", 3);
}

/*
 * The kernel's own mappings and device memory: neither the process's to
 * lock nor to fault in ([vdso], [vvar], [vsyscall], VM_IO, VM_PFNMAP).
 */
static bool au_special(const struct au_vma *v)
{
	return au_flag(v, "io") || au_flag(v, "pf") ||
	       (v->name[0] == '[' && strcmp(v->name, "[heap]") &&
		strncmp(v->name, "[stack", 6) && strncmp(v->name, "[anon", 5));
}

/*
 * Mappings mlock() passes over (its vma_supports_mlock()): VM_DONTEXPAND
 * (a driver's or perf's buffer), VM_MIXEDMAP, MAP_DROPPABLE (6.11+,
 * freed rather than swapped), hugetlb (never swapped) (bug: mlockall()
 * could never make such a process pass).
 */
static bool au_unlockable(const struct au_vma *v)
{
	return au_special(v) || au_flag(v, "de") || au_flag(v, "mm") ||
	       au_flag(v, "dp") || au_flag(v, "ht");
}

static uint64_t au_kb(const char *line, const char *key)
{
	size_t n = strlen(key);

	return strncmp(line, key, n) ? 0 : strtoull(line + n, NULL, 10);
}

/* 0, or an error status after one line naming the process. */
static int au_read(pid_t pid, struct au_maps *m)
{
	char path[512], num[24], *line = NULL;
	struct au_vma *v = NULL;
	size_t cap = 0;
	FILE *f;

	snprintf(num, sizeof(num), "%d/smaps", (int)pid);
	f = fopen(pgc_path(path, sizeof(path), "/proc", num), "re");
	if (!f) {
		int e = errno;

		pgc_error("audit: cannot read %s: %s", path, strerror(e));
		return e == ENOENT ? PGC_EXIT_NO_PROCESS :
		       e == EACCES || e == EPERM ? PGC_EXIT_PERM : PGC_EXIT_FAIL;
	}
	m->n = 0;
	m->cap = 64;
	m->v = malloc(m->cap * sizeof(*m->v));
	/* Whole lines: a long file name is no header (bug: its tail was). */
	while (m->v && getline(&line, &cap, f) > 0) {
		unsigned long s, e;
		int off = 0;

		line[strcspn(line, "\n")] = '\0';
		char perms[5];

		if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %n", &s, &e, perms, &off) == 3 &&
		    off) {
			m->v = pgc_rows_room(m->v, m->n, &m->cap, sizeof(*m->v));
			if (!m->v) {
				fclose(f);
				pgc_error("audit: out of memory");
				return PGC_EXIT_FAIL;
			}
			v = &m->v[m->n++];
			memset(v, 0, sizeof(*v));
			v->start = s;
			v->end = e;
			memcpy(v->perms, perms, sizeof(perms));
			snprintf(v->name, sizeof(v->name), "%s", line + off);
			continue;
		}
		if (!v)
			continue;
		v->size += au_kb(line, "Size:");
		v->rss += au_kb(line, "Rss:");
		v->anon += au_kb(line, "Anonymous:");
		v->shared += au_kb(line, "Shared_Clean:") + au_kb(line, "Shared_Dirty:");
		v->swap += au_kb(line, "Swap:");
		v->hugetlb += au_kb(line, "Shared_Hugetlb:") +
			      au_kb(line, "Private_Hugetlb:");
		if (!strncmp(line, "VmFlags:", 8))
			snprintf(v->flags, sizeof(v->flags), "%s", pgc_trim(line + 8));
	}
	free(line);
	fclose(f);
	if (!m->v) {
		pgc_error("audit: out of memory");
		return PGC_EXIT_FAIL;
	}
	if (!m->n) {
		/* Gone while read (review: status 2 said a bad argument). */
		snprintf(num, sizeof(num), "%d", (int)pid);
		if (access(pgc_path(path, sizeof(path), "/proc", num), F_OK)) {
			pgc_error("audit: no such process %d", (int)pid);
			return PGC_EXIT_NO_PROCESS;
		}
		pgc_error("audit: %d has no mappings (a kernel thread, or exiting)",
			  (int)pid);
		return PGC_EXIT_USAGE;
	}
	return 0;
}

/*
 * A rule's verdict and its evidence, as JSON or as text: the verdict's
 * line first, the findings kept until it is known (@mem).
 */
struct au_out {
	bool json;
	struct pgc_json j;
	bool pass;
	int shown;		/* findings listed under this rule */
	FILE *mem;
	char *buf;
	size_t len;
};

static void au_rule_begin(struct au_out *o, int rule)
{
	o->pass = true;
	o->shown = 0;
	if (o->json) {
		pgc_json_object(&o->j, audit_rules[rule]);
		pgc_json_array(&o->j, "findings");
	} else {
		o->mem = open_memstream(&o->buf, &o->len);
	}
}

/* One finding against mapping @v: the rule fails. */
static void au_find(struct au_out *o, const struct au_vma *v, const char *what)
{
	char name[PGC_NAME_TEXT];

	o->pass = false;
	if (o->json) {
		pgc_json_object(&o->j, NULL);
		pgc_json_str(&o->j, "finding", what);
		pgc_json_u64(&o->j, "start", v->start);
		pgc_json_u64(&o->j, "end", v->end);
		pgc_json_str(&o->j, "perms", v->perms);
		pgc_json_str(&o->j, "name", v->name);
		pgc_json_end(&o->j);
		return;
	}
	/* A few in text: the JSON has them all. */
	if (!o->mem || o->shown++ >= 8) {
		if (o->mem && o->shown == 9)
			fprintf(o->mem, "    ... (--json lists every one)\n");
		return;
	}
	fprintf(o->mem, "    %s: %lx-%lx %s %s\n", what, v->start, v->end,
		v->perms, pgc_name_text(v->name, name));
}

static void au_rule_end(struct au_out *o, int rule, const char *summary)
{
	if (o->json) {
		pgc_json_end(&o->j);
		pgc_json_bool(&o->j, "pass", o->pass);
		pgc_json_str(&o->j, "summary", summary);
		pgc_json_end(&o->j);
	} else {
		printf("  %-8s %s: %s\n", audit_rules[rule],
		       o->pass ? "pass" : "FAIL", summary);
		if (o->mem) {
			fclose(o->mem);
			fputs(o->buf, stdout);
			free(o->buf);
			o->mem = NULL;
		}
	}
}

/*
 * Real-time readiness: a latency-critical phase must not fault.  Every
 * mapping locked and present; no writable private page that its first
 * write would copy: a file's page not written yet, or an anonymous page
 * another process maps too (after a fork).
 */
static void au_rt(struct au_out *o, const struct au_maps *m)
{
	uint64_t unlocked = 0, absent = 0, cow = 0;
	char sum[256];
	int i;

	for (i = 0; i < m->n; i++) {
		const struct au_vma *v = &m->v[i];
		/* hugetlb's pages are not in Rss. */
		uint64_t c, rss = v->rss + v->hugetlb;

		if (au_guard(v) || au_special(v))
			continue;
		if (!au_flag(v, "lo") && !au_unlockable(v)) {
			unlocked += v->size;
			au_find(o, v, "not locked");
		}
		if (rss < v->size) {
			absent += v->size - rss;
			au_find(o, v, "pages not present");
		}
		if (v->perms[1] == 'w' && v->perms[3] == 'p') {
			c = v->rss - v->anon > v->shared ? v->rss - v->anon : v->shared;
			if (c) {
				cow += c;
				au_find(o, v, "copied on first write");
			}
		}
	}
	snprintf(sum, sizeof(sum),
		 "%" PRIu64 " KiB not locked, %" PRIu64 " KiB not present, %" PRIu64
		 " KiB to copy on first write", unlocked, absent, cow);
	au_rule_end(o, AUDIT_RT, sum);
}

static void au_wx(struct au_out *o, const struct au_maps *m)
{
	int i, n = 0;
	char sum[128];

	for (i = 0; i < m->n; i++)
		if (m->v[i].perms[1] == 'w' && m->v[i].perms[2] == 'x') {
			n++;
			au_find(o, &m->v[i], "writable and executable");
		}
	snprintf(sum, sizeof(sum), "%d mappings writable and executable", n);
	au_rule_end(o, AUDIT_WX, sum);
}

/* The mapping that holds @addr, or -1. */
static int au_find_addr(const struct au_maps *m, unsigned long addr)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (addr >= m->v[i].start && addr < m->v[i].end)
			return i;
	return -1;
}

/*
 * The stack pointers of the threads but the main one, from
 * /proc/PID/task/TID/syscall: "NR ARG1..ARG6 SP PC" in a system call,
 * "-1 SP PC" stopped outside one, "running" (none to give), unreadable
 * without the right to trace the process.  At most @max into @sp; how
 * many threads there are in *@all.
 */
static int au_thread_stacks(pid_t pid, unsigned long *sp, int max, int *all)
{
	char path[512], dir[64], line[512];
	struct dirent *de;
	int n = 0;
	DIR *d;

	*all = 0;
	snprintf(dir, sizeof(dir), "%d/task", (int)pid);
	d = opendir(pgc_path(path, sizeof(path), "/proc", dir));
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char file[384], *w[10], *tok, *save = NULL;
		int k = 0;

		if (de->d_name[0] == '.' || atoi(de->d_name) == pid)
			continue;
		++*all;
		snprintf(file, sizeof(file), "%s/%s/syscall", dir, de->d_name);
		if (n == max ||
		    pgc_read_file(pgc_path(path, sizeof(path), "/proc", file),
				  line, sizeof(line)) < 0)
			continue;
		for (tok = strtok_r(line, " \n", &save); tok && k < 10;
		     tok = strtok_r(NULL, " \n", &save))
			w[k++] = tok;
		if (k == 9)
			sp[n++] = strtoul(w[7], NULL, 16);
		else if (k == 3 && !strcmp(w[0], "-1"))
			sp[n++] = strtoul(w[1], NULL, 16);
	}
	closedir(d);
	return n;
}

/*
 * The lowest piece of the mapping @i is in: a stack that mprotect() or
 * madvise() split is several adjacent mappings of it.
 */
static int au_bottom(const struct au_maps *m, int i)
{
	while (i && m->v[i - 1].end == m->v[i].start && !au_guard(&m->v[i - 1]) &&
	       !strcmp(m->v[i - 1].name, m->v[i].name))
		i--;
	return i;
}

static void au_guards(struct au_out *o, const struct au_maps *m, pid_t pid)
{
	unsigned long sp[256];
	int i, k, n, all, threads = 0, unguarded = 0;
	char sum[256];
	long gap = -1;

	for (i = 0; i < m->n; i++) {
		const struct au_vma *v = &m->v[i];

		/* Free space below, or a PROT_NONE guard right below. */
		if (!strcmp(v->name, "[stack]")) {
			gap = i ? (long)(v->start - m->v[i - 1].end) : (long)v->start;
			if (gap < 4096 && !(i && au_guard(&m->v[i - 1])))
				au_find(o, v, "main stack without a gap below");
		}
		/* A writable mapping right above the heap: an overrun goes on. */
		if (!strcmp(v->name, "[heap]") && i + 1 < m->n &&
		    m->v[i + 1].start == v->end && m->v[i + 1].perms[1] == 'w')
			au_find(o, v, "heap touching a writable mapping");
	}
	n = au_thread_stacks(pid, sp, PGC_ARRAY_SIZE(sp), &all);
	for (k = 0; k < n; k++) {
		i = au_find_addr(m, sp[k]);
		if (i < 0 || !strcmp(m->v[i].name, "[stack]"))
			continue;
		threads++;
		i = au_bottom(m, i);
		if (!i || m->v[i - 1].end != m->v[i].start ||
		    !au_guard(&m->v[i - 1])) {
			unguarded++;
			au_find(o, &m->v[i], "thread stack without a guard page");
		}
	}
	snprintf(sum, sizeof(sum),
		 "main stack gap %ld KiB; %d of %d other threads' stacks seen (a running or untraceable thread's is not), %d without a guard page",
		 gap < 0 ? -1 : gap / 1024, threads, all, unguarded);
	au_rule_end(o, AUDIT_GUARD, sum);
}

/* Marked sensitive: not dumped, wiped on fork, or memfd_secret's. */
static bool au_sensitive(const struct au_vma *v)
{
	return !au_special(v) &&
	       (au_flag(v, "dd") || au_flag(v, "wf") ||
		!strncmp(v->name, "/secretmem", 10));
}

static void au_secrets(struct au_out *o, const struct au_maps *m)
{
	uint64_t kb = 0, swapped = 0;
	int i, n = 0;
	char sum[256];

	for (i = 0; i < m->n; i++) {
		const struct au_vma *v = &m->v[i];

		if (!au_sensitive(v))
			continue;
		n++;
		kb += v->size;
		if (!au_flag(v, "lo") && !au_unlockable(v))
			au_find(o, v, "sensitive, not locked");
		if (v->swap) {
			swapped += v->swap;
			au_find(o, v, "sensitive, pages in swap");
		}
	}
	snprintf(sum, sizeof(sum),
		 "%d sensitive mappings (%" PRIu64 " KiB), %" PRIu64 " KiB of them in swap",
		 n, kb, swapped);
	au_rule_end(o, AUDIT_SECRETS, sum);
}

static const struct option audit_opts[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "comm", required_argument, NULL, 'c' },
	{ "rt", no_argument, NULL, 'r' },
	{ "wx", no_argument, NULL, 'w' },
	{ "guard", no_argument, NULL, 'g' },
	{ "secrets", no_argument, NULL, 's' },
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'J' },
	{ "help", no_argument, NULL, 'h' },
	{ }
};

static int audit_run(int argc, char **argv)
{
	bool want[AUDIT_NR] = { false }, any = false, alive, failed = false;
	struct au_out o = { 0 };
	char comm[64], pidtext[24];
	struct au_maps m;
	pid_t pid = 0;
	int c, li, st, r;

	opterr = 0;
	optind = 1;
	while (li = -1, (c = getopt_long(argc, argv, "+:hjp:", audit_opts, &li)) != -1) {
		switch (c) {
		case 'p':
		case 'c':
			if (pid) {
				pgc_error("audit: one process: --pid or --comm, once");
				return PGC_EXIT_USAGE;
			}
			st = c == 'p' ? pgc_parse_pid("audit", optarg, &pid, &alive) :
					pgc_comm_pid("audit", optarg, &pid);
			if (st)
				return st;
			break;
		case 'r': want[AUDIT_RT] = any = true; break;
		case 'w': want[AUDIT_WX] = any = true; break;
		case 'g': want[AUDIT_GUARD] = any = true; break;
		case 's': want[AUDIT_SECRETS] = any = true; break;
		case 'J':
			pgc_json_pretty = true;
			/* fall through */
		case 'j':
			o.json = pgc_json_mode = true;
			break;
		case 'h':
			audit_help(stdout);
			return PGC_EXIT_OK;
		default:
			return pgc_opt_error("audit", argv, audit_opts, li, c);
		}
	}
	if (optind < argc) {
		pgc_error("audit: unexpected argument '%s'", argv[optind]);
		return PGC_EXIT_USAGE;
	}
	if (!pid) {
		pgc_error("audit: --pid (or --comm) is required");
		return PGC_EXIT_USAGE;
	}
	st = au_read(pid, &m);
	if (st)
		return st;
	snprintf(pidtext, sizeof(pidtext), "%d", (int)pid);
	pgc_proc_comm(pidtext, comm);
	if (o.json) {
		pgc_json_doc(&o.j, stdout);
		pgc_json_s64(&o.j, "pid", pid);
		pgc_json_str(&o.j, "comm", comm);
		pgc_json_object(&o.j, "rules");
	} else {
		char text[PGC_NAME_TEXT];

		printf("audit of pid %d (%s), %d mappings\n", (int)pid,
		       pgc_name_text(comm, text), m.n);
	}
	for (r = 0; r < AUDIT_NR; r++) {
		if (any && !want[r])
			continue;
		au_rule_begin(&o, r);
		if (r == AUDIT_RT)
			au_rt(&o, &m);
		else if (r == AUDIT_WX)
			au_wx(&o, &m);
		else if (r == AUDIT_GUARD)
			au_guards(&o, &m, pid);
		else
			au_secrets(&o, &m);
		failed |= !o.pass;
	}
	if (o.json) {
		pgc_json_end(&o.j);
		pgc_json_bool(&o.j, "pass", !failed);
		pgc_json_end(&o.j);
	}
	free(m.v);
	return pgc_status_answer(failed ? PGC_EXIT_AUDIT : PGC_EXIT_OK);
}

const struct pgc_verb pgc_verb_audit = {
	.name = "audit",
	.summary = "check a process's memory against rules (rt, wx, guard, secrets)",
	.run = audit_run,
	.help = audit_help,
};
