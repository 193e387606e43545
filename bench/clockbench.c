// SPDX-License-Identifier: GPL-2.0
/*
 * clockbench WORKLOAD [FILE]: a fixed amount of memory work for comparing
 * page-replacement policies under the same budget (bench/clock).  Prints
 * "ready", waits for SIGUSR1 (the runner puts it under pageclock or a
 * cgroup), fills its memory, prints "populated", waits for SIGUSR1 again
 * (the runner waits for the budget to hold), then runs the measured part
 * and prints "runtime_ms N majflt N" for it alone.
 *
 *   scan    a hot set touched often, and a long sequential scan each round
 *   mixed   clean file pages and dirty anonymous pages, read at random
 *   phase   the working set moves from one region to another halfway
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

/* Setup done: wait for the go-ahead, then start the clock. */
static void populated(void)
{
	printf("populated\n");
	fflush(stdout);
	while (go < 2)
		pause();
	majflt0 = majflt();
	t0 = now_ms();
	measuring = 1;
}

static char *anon(long pages)
{
	char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	madvise(p, pages * PAGE, MADV_NOHUGEPAGE);
	return p;
}

static void write_all(char *p, long pages)
{
	for (long i = 0; i < pages; i++)
		p[i * PAGE] = (char)i;
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
	char *hot = anon(4000), *scan = anon(8000);
	long sum = 0;

	write_all(hot, 4000);
	write_all(scan, 8000);
	populated();
	for (int r = 0; r < 40; r++) {
		for (int k = 0; k < 10; k++)
			for (long i = 0; i < 4000; i++, sample_rss())
				sum += hot[i * PAGE];
		for (long i = 0; i < 8000; i++, sample_rss())
			sum += scan[i * PAGE];
	}
	return sum;
}

/* The file's pages (clean) and 6000 dirty anonymous pages, at random. */
static long w_mixed(const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	char *f, *d = anon(6000);
	unsigned long seed = 42;
	long fp, sum = 0;

	if (fd < 0 || fstat(fd, &st)) {
		perror(path);
		exit(1);
	}
	fp = st.st_size / PAGE;
	f = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (f == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	madvise(f, st.st_size, MADV_RANDOM);
	write_all(d, 6000);
	for (long i = 0; i < fp; i++)
		sum += f[i * PAGE];
	populated();
	for (long n = 0; n < 400000; n++, sample_rss()) {
		unsigned long x = rnd(&seed);

		/* A hot core of each set: 2000 pages, 80% of the touches. */
		long span = x % 5 ? 2000 : 0;

		if (x & 0x100)
			sum += f[(span ? (long)(x >> 12) % span : (long)(x >> 12) % fp) * PAGE];
		else
			sum += d[(span ? (long)(x >> 12) % span : (long)(x >> 12) % 6000) * PAGE];
	}
	return sum;
}

/* Two regions of 6000 pages; each round touches one of them. */
static long w_phase(void)
{
	char *a = anon(6000), *b = anon(6000);
	long sum = 0;

	write_all(a, 6000);
	write_all(b, 6000);
	populated();
	for (int r = 0; r < 200; r++) {
		char *p = r < 100 ? a : b;

		for (long i = 0; i < 6000; i++, sample_rss())
			sum += p[i * PAGE];
	}
	return sum;
}

int main(int argc, char **argv)
{
	long sum;

	if (argc < 2)
		return fprintf(stderr, "usage: clockbench scan|mixed FILE|phase\n"), 2;
	signal(SIGUSR1, on_usr1);
	printf("ready %d\n", getpid());
	fflush(stdout);
	while (!go)
		pause();
	if (!strcmp(argv[1], "scan"))
		sum = w_scan();
	else if (!strcmp(argv[1], "mixed") && argc > 2)
		sum = w_mixed(argv[2]);
	else if (!strcmp(argv[1], "phase"))
		sum = w_phase();
	else
		return fprintf(stderr, "clockbench: unknown workload\n"), 2;
	printf("runtime_ms %lld majflt %ld rss_mean %ld rss_max %ld sum %ld\n",
	       now_ms() - t0, majflt() - majflt0, rss_n ? rss_sum / rss_n : 0,
	       rss_max, sum & 1);
	return 0;
}
