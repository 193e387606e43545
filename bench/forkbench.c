// SPDX-License-Identifier: GPL-2.0
/*
 * forkbench KIND N SECONDS: forks per second of a process holding
 *   big N     N MiB of written anonymous memory (no THP)
 *   sparse N  one written page in each of N 2 MiB blocks: N PTE tables
 * each child exiting at once, for SECONDS.  Prints "forks/s X".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench.h"

static void exit_at_once(void *arg)
{
	(void)arg;
	_exit(0);
}

int main(int argc, char **argv)
{
	long n, step, pages, page = sysconf(_SC_PAGESIZE);
	double secs, rate;
	char *p;

	if (argc != 4 || (strcmp(argv[1], "big") && strcmp(argv[1], "sparse"))) {
		fprintf(stderr, "usage: forkbench big|sparse N SECONDS\n");
		return 2;
	}
	n = atol(argv[2]);
	secs = atof(argv[3]);
	if (!strcmp(argv[1], "big")) {
		step = page;
		pages = n << 20 >> __builtin_ctzl(page);
	} else {
		step = 2L << 20;
		pages = n;
	}
	/* NORESERVE: the sparse range is far larger than memory. */
	p = mmap(NULL, pages * step, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	madvise(p, pages * step, MADV_NOHUGEPAGE);
	for (long i = 0; i < pages; i++)
		p[i * step] = 1;
	rate = bench_fork_rate(secs, exit_at_once, NULL);
	if (rate < 0)
		return 1;
	printf("forks/s %.2f\n", rate);
	return 0;
}
