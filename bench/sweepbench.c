// SPDX-License-Identifier: GPL-2.0
/*
 * sweepbench PID ROUNDS: the cost of one Accessed-bit sweep of process PID,
 * per present page, two ways, interleaved ROUNDS times:
 *   pageclock   write "sweep noflush" to sysfs pageclock/ad/sweep (count the
 *               four A/D classes, clear A; ad/pid must name PID)
 *   clear_refs  what a user does instead: read /proc/PID/smaps for the
 *               Referenced and Dirty sizes, then write 1 to clear_refs
 * Prints the median ns per page of each and their ratio.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, s, strlen(s)) < 0)
		die(path);
	close(fd);
}

/* Present pages (debugfs ad "pages") after the last sweep. */
static long ad_pages(void)
{
	FILE *f = fopen("/sys/kernel/debug/pageclock/ad", "r");
	char line[256];
	long v = -1, x;

	if (!f)
		die("ad");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "pages %ld", &x) == 1)
			v = x;
	fclose(f);
	return v;
}

static long long t_pageclock(void)
{
	long long t = now_ns();

	write_file("/sys/kernel/pageclock/ad/sweep", "sweep noflush\n");
	return now_ns() - t;
}

static long long t_clear_refs(int pid)
{
	static char buf[1 << 16];
	char path[64];
	long long t = now_ns();
	long referenced = 0, kb;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	f = fopen(path, "r");
	if (!f)
		die(path);
	while (fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "Referenced: %ld kB", &kb) == 1)
			referenced += kb;
	fclose(f);
	snprintf(path, sizeof(path), "/proc/%d/clear_refs", pid);
	write_file(path, "1\n");
	t = now_ns() - t;
	if (referenced < 0)
		exit(1);
	return t;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int pid, rounds, i;
	long long *a, *b;
	long pages;

	if (argc != 3)
		return fprintf(stderr, "usage: sweepbench PID ROUNDS\n"), 2;
	pid = atoi(argv[1]);
	rounds = atoi(argv[2]);
	a = calloc(rounds, sizeof(*a));
	b = calloc(rounds, sizeof(*b));
	if (!a || !b || rounds < 1)
		return 2;
	for (i = 0; i < rounds; i++) {
		a[i] = t_pageclock();
		b[i] = t_clear_refs(pid);
	}
	pages = ad_pages();
	if (pages <= 0)
		return fprintf(stderr, "sweepbench: no pages swept\n"), 1;
	qsort(a, rounds, sizeof(*a), cmp);
	qsort(b, rounds, sizeof(*b), cmp);
	printf("present pages         %ld\n", pages);
	printf("pageclock sweep       %8.1f ns/page  %8.2f ms/GiB\n",
	       (double)a[rounds / 2] / pages,
	       a[rounds / 2] / 1e6 * 262144 / pages);
	printf("smaps + clear_refs    %8.1f ns/page  %8.2f ms/GiB\n",
	       (double)b[rounds / 2] / pages,
	       b[rounds / 2] / 1e6 * 262144 / pages);
	printf("ratio (clear_refs / pageclock)  %.1fx\n",
	       (double)b[rounds / 2] / a[rounds / 2]);
	return 0;
}
