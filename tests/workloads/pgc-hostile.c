// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile writes to every writable pageclock file, each of which must be
 * refused with an error while the state stays as it was.
 *
 *   pgc-hostile SYSFS DEBUGFS TARGET WRITERS WRITES SEED
 *
 * TARGET is a running target (a plain budget, no PFF), whose pid some
 * writes name.  WRITERS processes write WRITES inputs each, at the same
 * time: random bytes, numbers just outside each knob's range, overflows,
 * huge lengths, a valid value followed by a NUL and junk, buffers that end
 * in an unmapped page, and words no command file knows.  Every input is
 * built to be invalid; one that is accepted, or refused with an errno no
 * interface documents, is printed (escaped) and counted.  Before and
 * after: every readable sysfs file (each target slot's staged settings
 * too) and each target's pid, budget and PFF flag must be the same.  Prints "writes N refused N
 * wrong N" and exits 1 on any wrong answer or changed state.
 * The valid value, NUL and junk case found that every parser stopped at
 * the NUL and took the value (the bug tests/scenarios/hostile.sh names).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PID_MAX_LIMIT	4194304UL	/* include/linux/threads.h, 64-bit */
#define MAXLEN		5000

#define NSLOTS		16	/* sysfs targets/0 .. targets/15 */

enum kind { KNOB, PID, SWEEP, STATE };

/*
 * Every writable file and what it takes (Documentation/abi.md): a file
 * not listed here fails the run, so a new one cannot go untested.  "*" is
 * any target slot.  The knobs' ranges are the module's own, read from
 * debugfs "knobs"; a budget's is the machine's pages.
 */
static struct file {
	const char *name;
	int debugfs;
	enum kind kind;
	unsigned long min, max;
	int zero_ok;
} files[] = {
	{ "ad/pid", 0, PID, 1, PID_MAX_LIMIT, 1 },
	{ "ad/interval_ms", 0, KNOB, 0, 0, 0 },
	{ "ad/flush", 0, KNOB, 0, 0, 0 },
	{ "ad/sweep", 0, SWEEP, 0, 0, 0 },
	{ "clock/enabled", 0, KNOB, 0, 0, 0 },
	{ "clock/interval_ms", 0, KNOB, 0, 0, 0 },
	{ "clock/quota", 0, KNOB, 0, 0, 0 },
	{ "clock/clean_scan_pct", 0, KNOB, 0, 0, 0 },
	{ "faults/detail", 0, KNOB, 0, 0, 0 },
	{ "faults/hook", 0, KNOB, 0, 0, 0 },
	{ "targets/*/pid", 0, PID, 1, PID_MAX_LIMIT, 1 },
	{ "targets/*/budget_pages", 0, KNOB, 1, 0, 1 },
	{ "targets/*/state", 0, STATE, 0, 0, 0 },
	{ "targets/*/pff/enabled", 0, KNOB, 0, 1, 0 },
	{ "targets/*/pff/low", 0, KNOB, 0, 0, 0 },
	{ "targets/*/pff/high", 0, KNOB, 0, 0, 0 },
	{ "targets/*/pff/min", 0, KNOB, 0, 0, 0 },
	{ "targets/*/pff/max", 0, KNOB, 0, 0, 0 },
	{ "targets/*/pff/step", 0, KNOB, 0, 0, 0 },
	{ "targets/*/pff/window_ms", 0, KNOB, 0, 0, 0 },
	{ "targets/*/hand/policy", 0, KNOB, 0, 0, 0 },
	{ "targets/*/hand/k", 0, KNOB, 0, 0, 0 },
	{ "pt", 1, PID, 1, PID_MAX_LIMIT, 0 },
	{ "detail", 1, PID, 1, PID_MAX_LIMIT, 0 },
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static const char *dirs[2];
static long target;
static char *guard;	/* a page followed by an unmapped one */
static long page;

static uint64_t rng;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Bytes no parser takes as the start of a value: not a digit, sign, space. */
static char junk_byte(void)
{
	for (;;) {
		unsigned char c = rnd();

		if (!strchr("0123456789+- \t\n\v\f\rsp", c) && c)
			return c;
	}
}

/* An invalid input for @f into @buf; returns its length. */
static size_t gen(const struct file *f, char *buf)
{
	static const char *ad[] = {
		"sweepx", "sweep flushx", "peek peek", "Sweep", "sweep  flush",
		"sweep\tflush", "peeksweep",
	};
	static const char *state[] = {
		"on", "commitx", "Commit", "off off", "commit off", " off",
		"commit\n\n", "1", "offcommit",
	};
	static const char *numbers[] = {
		"-1", "-0", "+", "0x10", " 5", "5 ", "5\n\n", "1e3", "",
		"4294967295", "4294967296", "18446744073709551615",
		"18446744073709551616", "99999999999999999999999",
	};
	size_t n, i;
	unsigned long v;

	switch (rnd() % 6) {
	case 0:	/* random bytes, sometimes longer than any limit */
		n = 1 + rnd() % (rnd() % 4 ? 40 : MAXLEN);
		buf[0] = junk_byte();
		for (i = 1; i < n; i++)
			buf[i] = rnd();
		return n;
	case 1:	/* a valid value, a NUL, then junk */
		if (f->kind == SWEEP || f->kind == STATE)
			n = sprintf(buf, f->kind == SWEEP ? "sweep" : "off");
		else
			n = sprintf(buf, "%lu", f->kind == KNOB ?
				    (f->zero_ok ? 0 : f->min) : (unsigned long)target);
		buf[n++] = '\0';
		buf[n++] = junk_byte();
		return n;
	case 2:	/* digits past every length limit */
		n = 17 + rnd() % MAXLEN;
		memset(buf, '1', n);
		return n;
	case 3:	/* just outside the range, overflows, malformed numbers */
		if (f->kind == SWEEP || f->kind == STATE || rnd() % 2)
			return sprintf(buf, "%s", numbers[rnd() % (sizeof(numbers) /
							   sizeof(numbers[0]))]);
		if (f->kind == KNOB && (f->min > 1 || (f->min == 1 && !f->zero_ok)) &&
		    rnd() % 2)
			v = f->min - 1;
		else
			v = f->max + 1 + rnd() % 1000;
		return sprintf(buf, "%lu%s", v, rnd() % 2 ? "\n" : "");
	case 4:	/* words a command file does not know */
		if (f->kind == SWEEP || f->kind == STATE) {
			const char **w = f->kind == SWEEP ? ad : state;
			size_t nw = f->kind == SWEEP ? sizeof(ad) / sizeof(ad[0]) :
				    sizeof(state) / sizeof(state[0]);

			i = rnd() % nw;
			n = strlen(w[i]) + rnd() % 2;	/* with its NUL? */
			memcpy(buf, w[i], n);
			return n;
		}
		/* a process that does not exist */
		return sprintf(buf, "%lu", PID_MAX_LIMIT + 1 + rnd() % 100);
	default: /* the buffer runs into an unmapped page */
		return 0;
	}
}

static void escape(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 80; i++)
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
			putchar(s[i]);
		else
			printf("\\x%02x", (unsigned char)s[i]);
	if (n > 80)
		printf("...(%zu bytes)", n);
}

/*
 * The documented refusals of @f; EOPNOTSUPP only where a process is
 * named (the number was a kernel thread's).
 */
static int allowed(const struct file *f, int e)
{
	return e == EINVAL || e == ERANGE || e == ESRCH || e == ENOENT ||
	       e == EFAULT || (e == EOPNOTSUPP && f->kind == PID);
}

/* @f's path, in slot @slot if it is a target's file. */
static void slot_path(char *path, size_t size, const struct file *f,
		      unsigned int slot)
{
	const char *star = strchr(f->name, '*');

	if (star)
		snprintf(path, size, "%s/%.*s%u%s", dirs[f->debugfs],
			 (int)(star - f->name), f->name, slot, star + 1);
	else
		snprintf(path, size, "%s/%s", dirs[f->debugfs], f->name);
}

/* One writer: @n inputs spread over the files; returns the wrong answers. */
static long writer(long n)
{
	static char buf[MAXLEN + 64];
	char path[256];
	long i, wrong = 0;

	for (i = 0; i < n; i++) {
		const struct file *f = &files[rnd() % NFILES];
		const char *src = buf;
		size_t len = gen(f, buf);
		ssize_t r;
		int fd;

		if (!len) {	/* a value whose last bytes are not mapped */
			len = 8 + rnd() % 64;
			memcpy(guard + page - 1, "7", 1);
			src = guard + page - 1;
		}
		slot_path(path, sizeof(path), f, rnd() % NSLOTS);
		fd = open(path, O_WRONLY);
		if (fd < 0) {
			printf("open %s: %s\n", path, strerror(errno));
			return n;
		}
		r = write(fd, src, len);
		if (r >= 0 || !allowed(f, errno)) {
			printf("wrong: %s took \"", f->name);
			escape(src == buf ? buf : "7", src == buf ? len : 1);
			printf("\": %s\n", r >= 0 ? "accepted" : strerror(errno));
			wrong++;
		}
		close(fd);
	}
	return wrong;
}

/* Every readable file under @dir (a path below sysfs), into @out. */
static size_t snap_dir(const char *dir, char *out, size_t size, size_t used)
{
	char path[512], line[4096];
	struct dirent *d;
	struct stat st;
	DIR *dp;
	FILE *fp;

	snprintf(path, sizeof(path), "%s%s", dirs[0], dir);
	dp = opendir(path);
	while (dp && (d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s%s/%s", dirs[0], dir, d->d_name);
		if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
			snprintf(line, sizeof(line), "%s/%s", dir, d->d_name);
			used = snap_dir(line, out, size, used);
			continue;
		}
		fp = fopen(path, "r");
		if (!fp)
			continue;	/* write-only */
		while (fgets(line, sizeof(line), fp) && used < size)
			used += snprintf(out + used, size - used, "%s/%s: %s",
					 dir, d->d_name, line);
		fclose(fp);
	}
	if (dp)
		closedir(dp);
	return used;
}

/* The state no refused write may change, as one string. */
static void snapshot(char *out, size_t size)
{
	char path[512], line[4096];
	size_t used;
	FILE *fp;

	out[0] = '\0';
	used = snap_dir("", out, size, 0);
	snprintf(path, sizeof(path), "%s/clock", dirs[1]);
	fp = fopen(path, "r");
	while (fp && fgets(line, sizeof(line), fp) && used < size) {
		long pid;
		unsigned long budget;
		char *pff = strstr(line, " pff ");

		if (sscanf(line, "target %ld slot %*u budget %lu", &pid, &budget) == 2)
			used += snprintf(out + used, size - used,
					 "target %ld budget %lu pff %c\n", pid,
					 budget, pff ? pff[5] : '?');
	}
	if (fp)
		fclose(fp);
}

/* @name in the table (a slot number matches its star), or NULL. */
static struct file *find_file(const char *name, int debugfs)
{
	char norm[512];
	const char *p = name;
	size_t i;

	if (!strncmp(name, "targets/", 8) && strchr(name + 8, '/')) {
		p = strchr(name + 8, '/');
		snprintf(norm, sizeof(norm), "targets/*%s", p);
		p = norm;
	}
	for (i = 0; i < NFILES; i++)
		if (files[i].debugfs == debugfs && !strcmp(files[i].name, p))
			return &files[i];
	return NULL;
}

/* Every writable file under @dir (below sysfs or debugfs) must be known. */
static int known_dir(int k, const char *dir)
{
	char path[1024], rel[512];
	struct dirent *d;
	struct stat st;
	int bad = 0;
	DIR *dp;

	snprintf(path, sizeof(path), "%s/%s", dirs[k], dir);
	dp = opendir(path);
	while (dp && (d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "%s%s%s", dir, *dir ? "/" : "",
			 d->d_name);
		snprintf(path, sizeof(path), "%s/%s", dirs[k], rel);
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			bad |= known_dir(k, rel);
			continue;
		}
		if (!S_ISREG(st.st_mode) || !(st.st_mode & 0222))
			continue;
		if (!find_file(rel, k)) {
			printf("writable %s is not in the table\n", path);
			bad = 1;
		}
	}
	if (dp)
		closedir(dp);
	return bad;
}

/* Each knob's range from debugfs "knobs"; 1 if one is not listed. */
static int load_knobs(void)
{
	char path[4096], line[512], name[64], scope[16], file[128];
	unsigned long min, max, kb;
	struct file *f;
	int zero, bad = 0;
	size_t i;
	FILE *k;

	snprintf(path, sizeof(path), "%s/knobs", dirs[1]);
	k = fopen(path, "r");
	if (!k) {
		printf("cannot read %s\n", path);
		return 1;
	}
	while (fgets(line, sizeof(line), k)) {
		if (sscanf(line, "knob %63s scope %15s unit %*s min %lu max %lu default %*u zero_off %d",
			   name, scope, &min, &max, &zero) != 5)
			continue;
		if (!strcmp(scope, "pff") || !strcmp(scope, "hand"))
			snprintf(file, sizeof(file), "targets/*/%s/%s", scope,
				 name);
		else
			snprintf(file, sizeof(file), "%s/%s", scope, name);
		f = find_file(file, 0);
		if (f && f->kind == KNOB) {
			f->min = min;
			f->max = max;
			f->zero_ok = zero;
		}
	}
	fclose(k);
	/* A budget: 1 up to the machine's pages (MemTotal is all of them). */
	k = fopen("/proc/meminfo", "r");
	while (k && fgets(line, sizeof(line), k))
		if (sscanf(line, "MemTotal: %lu kB", &kb) == 1)
			find_file("targets/*/budget_pages", 0)->max = kb / 4;
	if (k)
		fclose(k);
	for (i = 0; i < NFILES; i++)
		if (files[i].kind == KNOB && !files[i].max) {
			printf("knob %s: not in %s\n", files[i].name, path);
			bad = 1;
		}
	return bad;
}

int main(int argc, char **argv)
{
	static char before[1 << 16], after[1 << 16];
	long writers, writes, w, wrong = 0;
	int status;

	if (argc != 7) {
		fprintf(stderr, "usage: pgc-hostile SYSFS DEBUGFS TARGET WRITERS WRITES SEED\n");
		return 2;
	}
	dirs[0] = argv[1];
	dirs[1] = argv[2];
	target = atol(argv[3]);
	writers = atol(argv[4]);
	writes = atol(argv[5]);
	page = sysconf(_SC_PAGESIZE);
	guard = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guard == MAP_FAILED || munmap(guard + page, page))
		return 2;
	if (known_dir(0, "") || known_dir(1, "") || load_knobs())
		return 1;
	snapshot(before, sizeof(before));
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (w = 0; w < writers; w++) {
		if (fork() == 0) {
			rng = strtoull(argv[6], NULL, 10) * 2654435761u + w + 1;
			wrong = writer(writes);
			exit(wrong > 255 ? 255 : wrong);
		}
	}
	while (wait(&status) > 0)
		wrong += WIFEXITED(status) ? WEXITSTATUS(status) : writes;
	snapshot(after, sizeof(after));
	printf("writes %ld refused %ld wrong %ld\n", writers * writes,
	       writers * writes - wrong, wrong);
	if (strcmp(before, after)) {
		printf("state changed; before:\n%s\nafter:\n%s\n", before, after);
		return 1;
	}
	return wrong ? 1 : 0;
}
