// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own counters, for verbs that can answer without the module:
 * per-process minflt/majflt from /proc/PID/stat (the thread group's, as
 * the kernel counts them: no retries, no errors) and the system's
 * pgfault/pgmajfault from /proc/vmstat (since boot).
 */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "kdata.h"
#include "pageclock.h"

#define PGC_PF_KTHREAD 0x00200000	/* task->flags of a kernel thread */
#define PGC_COMM_MAX 15			/* TASK_COMM_LEN - 1 */

int pgc_kernel_proc(pid_t pid, struct pgc_proc_row *r)
{
	char path[512], name[32], line[1024], *open, *close;
	unsigned long long minflt, majflt, start = 0;
	unsigned long flags;
	int ppid, n;

	snprintf(name, sizeof(name), "%d/stat", pid);
	n = pgc_read_file(pgc_path(path, sizeof(path), "/proc", name), line,
			  sizeof(line));
	/* The name sits in parentheses and may hold any byte but NUL. */
	if (n <= 0 || !(open = strchr(line, '(')) ||
	    !(close = strrchr(line, ')')))
		return -1;
	/* Fields 3 to 22 (proc(5)): 22 is the start time, in clock ticks. */
	n = sscanf(close + 2, "%*c %d %*d %*d %*d %*d %lu %llu %*u %llu"
		   " %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
		   &ppid, &flags, &minflt, &majflt, &start);
	if (n >= 2 && (flags & PGC_PF_KTHREAD))
		return 1;
	if (n < 4)
		return -1;
	memset(r, 0, sizeof(*r));
	r->tgid = pid;
	/* The pid and when it started: a reused pid is another process. */
	r->id = start;
	r->ppid = ppid;
	r->minor = minflt;
	r->major = majflt;
	snprintf(r->comm, sizeof(r->comm), "%.*s",
		 (int)(close - open - 1), open + 1);
	return 0;
}

uint64_t pgc_proc_rss(pid_t pid)
{
	char path[64], name[32], buf[128];
	unsigned long long size, rss;

	snprintf(name, sizeof(name), "%d/statm", pid);
	if (pgc_read_file(pgc_path(path, sizeof(path), "/proc", name), buf,
			  sizeof(buf)) <= 0 ||
	    sscanf(buf, "%llu %llu", &size, &rss) != 2)
		return 0;
	return rss;
}

int pgc_kernel_procs(struct pgc_procs *p)
{
	char path[512];
	struct dirent *d;
	int cap = 256;
	DIR *dir;

	memset(p, 0, sizeof(*p));
	p->rows = malloc(cap * sizeof(*p->rows));
	dir = opendir(pgc_path(path, sizeof(path), "/proc", ""));
	if (!dir || !p->rows) {
		if (dir)
			closedir(dir);
		pgc_procs_free(p);
		pgc_error("cannot read %s", path);
		return PGC_EXIT_FAIL;
	}
	while ((d = readdir(dir))) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		p->rows = pgc_rows_room(p->rows, p->n, &cap, sizeof(*p->rows));
		if (!p->rows) {
			closedir(dir);
			pgc_error("out of memory");
			return PGC_EXIT_FAIL;
		}
		/* Gone since readdir, or a kernel thread: not listed. */
		if (!pgc_kernel_proc(atoi(d->d_name), &p->rows[p->n]))
			p->n++;
	}
	closedir(dir);
	return 0;
}

int pgc_comm_pid(const char *verb, const char *name, pid_t *pid)
{
	char list[64] = "", text[PGC_NAME_TEXT];
	struct pgc_procs p;
	size_t len = 0;
	int i, n = 0, st = pgc_kernel_procs(&p);

	if (st)
		return st;
	for (i = 0; i < p.n; i++) {
		/* The kernel keeps 15 bytes of a name: match what it kept. */
		if (strncmp(p.rows[i].comm, name, PGC_COMM_MAX) ||
		    (strlen(name) < PGC_COMM_MAX &&
		     strlen(p.rows[i].comm) != strlen(name)))
			continue;
		if (!n++)
			*pid = p.rows[i].tgid;
		if (len < sizeof(list) - 16)
			len += snprintf(list + len, sizeof(list) - len, "%s%d",
					len ? " " : "", p.rows[i].tgid);
		else if (!strstr(list, "..."))
			strcat(list, " ...");
	}
	pgc_procs_free(&p);
	if (n == 1)
		return 0;
	pgc_name_text(name, text);
	if (!n) {
		pgc_error("%s: no process named '%s'", verb, text);
		return PGC_EXIT_NO_PROCESS;
	}
	pgc_error("%s: %d processes named '%s' (%s): choose one with --pid",
		  verb, n, text, list);
	return PGC_EXIT_USAGE;
}

int pgc_kernel_faults(uint64_t *minor, uint64_t *major)
{
	unsigned long long v, all = 0, maj = 0;
	char path[512], key[64];
	int found = 0;
	FILE *f;

	f = fopen(pgc_path(path, sizeof(path), "/proc", "vmstat"), "r");
	if (!f) {
		pgc_error("cannot read %s", path);
		return PGC_EXIT_FAIL;
	}
	while (fscanf(f, "%63s %llu", key, &v) == 2) {
		if (!strcmp(key, "pgfault")) {
			all = v;
			found |= 1;
		} else if (!strcmp(key, "pgmajfault")) {
			maj = v;
			found |= 2;
		}
	}
	fclose(f);
	if (found != 3) {
		pgc_error("%s has no pgfault and pgmajfault", path);
		return PGC_EXIT_FAIL;
	}
	/*
	 * pgfault counts every handle_mm_fault() call (a retried fault
	 * twice), pgmajfault the faults that waited for I/O.
	 */
	*minor = all - maj;
	*major = maj;
	return 0;
}
