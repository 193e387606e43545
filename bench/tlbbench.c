// SPDX-License-Identifier: GPL-2.0
/*
 * tlbbench SECONDS [local]: TLB shootdowns per second.  One thread on CPU 1
 * reads 64 pages in a loop, so their translations are cached there; the
 * main thread on CPU 0 write-protects them and makes them writable again,
 * each mprotect() flushing CPU 1's TLB by IPI.  With "local", no reader:
 * each toggle flushes CPU 0's TLB only, no IPI (the rate of the flush
 * path alone, which a vCPU waiting for another's turn does not pace).
 * Prints "toggles_per_sec N".
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "bench.h"

#define PAGES 64

static atomic_int stop;
static volatile char *region;
static long page;

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("sched_setaffinity");
}

static void *reader(void *arg)
{
	unsigned long sum = 0;

	(void)arg;
	pin(1);
	while (!atomic_load_explicit(&stop, memory_order_relaxed))
		for (long o = 0; o < PAGES * page; o += page)
			sum += region[o];
	return (void *)sum;
}

int main(int argc, char **argv)
{
	double secs, t0, t;
	pthread_t th;
	long n = 0;
	int local;

	if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "local"))) {
		fprintf(stderr, "usage: tlbbench SECONDS [local]\n");
		return 2;
	}
	local = argc == 3;
	secs = atof(argv[1]);
	page = sysconf(_SC_PAGESIZE);
	region = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (long o = 0; o < PAGES * page; o += page)
		region[o] = 1;
	pin(0);
	if (!local && pthread_create(&th, NULL, reader, NULL)) {
		perror("pthread_create");
		return 1;
	}
	t0 = bench_now();
	do {
		for (int i = 0; i < 64; i++, n++)
			if (mprotect((void *)region, PAGES * page,
				     n & 1 ? PROT_READ | PROT_WRITE : PROT_READ)) {
				perror("mprotect");
				return 1;
			}
		t = bench_now();
	} while (t - t0 < secs);
	atomic_store(&stop, 1);
	if (!local)
		pthread_join(th, NULL);
	printf("toggles_per_sec %.0f\n", n / (t - t0));
	return 0;
}
