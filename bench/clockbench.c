// SPDX-License-Identifier: GPL-2.0
/*
 * clockbench WORKLOAD [FILE]: a fixed amount of memory work for comparing
 * page-replacement policies under the same budget (bench/clock).  Prints
 * "ready", waits for SIGUSR1 (the runner puts it under pageclock or a
 * cgroup), fills its memory, prints "populated", waits for SIGUSR1 again
 * (the runner waits for the budget to hold), then runs the measured part,
 * prints "runtime_ms N majflt N ..." for it alone, and waits for SIGUSR1
 * a third time before it exits (the runner reads the module's record of
 * it meanwhile).
 *
 *   scan    a hot set touched often, and a long sequential scan each round
 *   mixed   clean file pages and dirty anonymous pages, read at random
 *   phase   the working set moves from one region to another halfway
 *   zipf    a key-value store's pages, popularity Zipfian, one in ten a write
 *   dirty   uniform reads over all pages, writes confined to a third: any
 *           policy misses as often, but evicting clean pages writes less
 *
 * clockbench trace WORKLOAD [FILE] runs the same workload without touching
 * its memory or waiting for signals, and writes its page references to
 * stdout instead (bench/optsim reads them): little-endian uint32 page ids,
 * each region with its own range of ids, and 0xffffffff once where the
 * measured part begins.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "../tests/workloads/zipf.h"

#define PAGE 4096L

static volatile sig_atomic_t go;

static void on_usr1(int sig)
{
	(void)sig;
	go++;
}

static long long now_ms(void);
static long long t0;
static long majflt0;

static long majflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_majflt;
}

/* Resident pages, sampled every 4096 touches of the measured part. */
static long rss_n, rss_sum, rss_max, touches;
static int measuring;

static void sample_rss(void)
{
	FILE *f;
	long size, res;

	if (!measuring || ++touches % 4096)
		return;
	f = fopen("/proc/self/statm", "r");
	if (f && fscanf(f, "%ld %ld", &size, &res) == 2) {
		rss_n++;
		rss_sum += res;
		if (res > rss_max)
			rss_max = res;
	}
	if (f)
		fclose(f);
}

/* Trace mode: page references go here, and no memory is touched. */
static FILE *trace;

static void emit(uint32_t v)
{
	unsigned char b[4] = { v, v >> 8, v >> 16, v >> 24 };

	if (fwrite(b, sizeof(b), 1, trace) != 1) {
		perror("clockbench: trace");
		exit(1);
	}
}

/* A mapping, and the first of its page ids in a trace. */
struct region {
	char *p;
	uint32_t id;
};

static uint32_t next_id;

static struct region new_region(char *p, long pages)
{
	struct region r = { p, next_id };

	next_id += pages;
	return r;
}

/*
 * Every page reference of the workloads comes through here, so that a
 * trace holds exactly what the measured run touches.
 */
static long ref(struct region *r, long i, int write)
{
	long v = 0;

	if (trace) {
		emit(r->id + i);
		return 0;
	}
	if (write)
		r->p[i * PAGE] = (char)i;
	else
		v = r->p[i * PAGE];
	sample_rss();
	return v;
}

/* Setup done: wait for the go-ahead, then start the clock. */
static void populated(void)
{
	if (trace) {
		emit(0xffffffff);
		return;
	}
	printf("populated\n");
	fflush(stdout);
	while (go < 2)
		pause();
	majflt0 = majflt();
	t0 = now_ms();
	measuring = 1;
}

static struct region anon(long pages)
{
	char *p;

	if (trace)
		return new_region(NULL, pages);
	p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	madvise(p, pages * PAGE, MADV_NOHUGEPAGE);
	return new_region(p, pages);
}

static void write_all(struct region *r, long pages)
{
	for (long i = 0; i < pages; i++)
		ref(r, i, 1);
}

static unsigned long rnd(unsigned long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* 4000 hot pages, 8000 scanned once a round. */
static long w_scan(void)
{
	struct region hot = anon(4000), scan = anon(8000);
	long sum = 0;

	write_all(&hot, 4000);
	write_all(&scan, 8000);
	populated();
	for (int r = 0; r < 40; r++) {
		for (int k = 0; k < 10; k++)
			for (long i = 0; i < 4000; i++)
				sum += ref(&hot, i, 0);
		for (long i = 0; i < 8000; i++)
			sum += ref(&scan, i, 0);
	}
	return sum;
}

/* The file's pages (clean) and 6000 dirty anonymous pages, at random. */
static long w_mixed(const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	struct region f, d = anon(6000);
	char *p = NULL;
	unsigned long seed = 42;
	long fp, sum = 0;

	if (fd < 0 || fstat(fd, &st)) {
		perror(path);
		exit(1);
	}
	fp = st.st_size / PAGE;
	if (fp < 1) {
		fprintf(stderr, "%s: less than a page\n", path);
		exit(1);
	}
	if (!trace) {
		p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			perror("mmap");
			exit(1);
		}
		madvise(p, st.st_size, MADV_RANDOM);
	}
	f = new_region(p, fp);
	write_all(&d, 6000);
	for (long i = 0; i < fp; i++)
		sum += ref(&f, i, 0);
	populated();
	for (long n = 0; n < 400000; n++) {
		unsigned long x = rnd(&seed);

		/* A hot core of each set: 2000 pages, 80% of the touches. */
		long span = x % 5 ? 2000 : 0;

		if (x & 0x100)
			sum += ref(&f, (long)(x >> 12) % (span ? span : fp), 0);
		else
			sum += ref(&d, (long)(x >> 12) % (span ? span : 6000), 0);
	}
	return sum;
}

/* Two regions of 6000 pages; each round touches one of them. */
static long w_phase(void)
{
	struct region a = anon(6000), b = anon(6000);
	long sum = 0;

	write_all(&a, 6000);
	write_all(&b, 6000);
	populated();
	for (int r = 0; r < 200; r++) {
		struct region *p = r < 100 ? &a : &b;

		for (long i = 0; i < 6000; i++)
			sum += ref(p, i, 0);
	}
	return sum;
}

/*
 * 12000 pages; the page of rank k (1-based) is referenced with probability
 * proportional to 1/k^0.9, the ranks scattered over the region.
 */
static long w_zipf(void)
{
	enum { N = 12000 };
	static double cdf[N];
	struct region r = anon(N);
	unsigned long seed = 7;
	long sum = 0;

	pgc_zipf_cdf(cdf, N, 0.9);
	write_all(&r, N);
	populated();
	for (long n = 0; n < 600000; n++) {
		unsigned long x = rnd(&seed);
		long rank = pgc_zipf_rank(cdf, N, x);

		/* 7919 is prime, so rank -> page is a permutation of N. */
		sum += ref(&r, rank * 7919 % N, x % 10 == 0);
	}
	return sum;
}

/* 12000 pages read at random; a quarter of the touches write one of the first 4000. */
static long w_dirty(void)
{
	struct region r = anon(12000);
	unsigned long seed = 99;
	long sum = 0;

	write_all(&r, 12000);
	populated();
	for (long n = 0; n < 300000; n++) {
		unsigned long x = rnd(&seed);

		if (x % 4 == 0)
			sum += ref(&r, (long)(x >> 8) % 4000, 1);
		else
			sum += ref(&r, (long)(x >> 8) % 12000, 0);
	}
	return sum;
}

int main(int argc, char **argv)
{
	long sum;

	if (argc > 2 && !strcmp(argv[1], "trace")) {
		trace = stdout;
		argc--;
		argv++;
	}
	if (argc < 2)
		return fprintf(stderr, "usage: clockbench [trace] scan|mixed FILE|phase|zipf|dirty\n"), 2;
	if (!trace) {
		signal(SIGUSR1, on_usr1);
		printf("ready %d\n", getpid());
		fflush(stdout);
		while (!go)
			pause();
	}
	if (!strcmp(argv[1], "scan"))
		sum = w_scan();
	else if (!strcmp(argv[1], "mixed") && argc > 2)
		sum = w_mixed(argv[2]);
	else if (!strcmp(argv[1], "phase"))
		sum = w_phase();
	else if (!strcmp(argv[1], "zipf"))
		sum = w_zipf();
	else if (!strcmp(argv[1], "dirty"))
		sum = w_dirty();
	else
		return fprintf(stderr, "clockbench: unknown workload\n"), 2;
	if (trace) {
		if (fflush(trace) || ferror(trace))
			return perror("clockbench: trace"), 1;
		return 0;
	}
	printf("runtime_ms %lld majflt %ld rss_mean %ld rss_max %ld sum %ld\n",
	       now_ms() - t0, majflt() - majflt0, rss_n ? rss_sum / rss_n : 0,
	       rss_max, sum & 1);
	fflush(stdout);
	while (go < 3)
		pause();
	return 0;
}
