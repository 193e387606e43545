// SPDX-License-Identifier: GPL-2.0
/*
 * faultbench THREADS SECONDS: page-fault throughput.  Each thread maps
 * 1 MiB of anonymous memory, writes one byte per page (256 demand-zero
 * faults), unmaps it, and repeats.  Prints "faults_per_sec N".
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define REGION (1 << 20)

static atomic_int stop;
static atomic_long total;

static void *worker(void *arg)
{
	long page = sysconf(_SC_PAGESIZE), n = 0;

	(void)arg;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		char *p = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("mmap");
			exit(1);
		}
		for (long o = 0; o < REGION; o += page)
			p[o] = 1;
		munmap(p, REGION);
		n += REGION / page;
	}
	atomic_fetch_add(&total, n);
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 1;
	double secs = argc > 2 ? atof(argv[2]) : 3;
	pthread_t tid[64];
	struct timespec a, b;

	if (threads < 1 || threads > 64 || secs <= 0) {
		fprintf(stderr, "usage: faultbench THREADS(1-64) SECONDS\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < threads; i++)
		pthread_create(&tid[i], NULL, worker, NULL);
	usleep(secs * 1e6);
	atomic_store(&stop, 1);
	for (int i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("faults_per_sec %.0f\n", atomic_load(&total) /
	       ((b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9));
	return 0;
}
