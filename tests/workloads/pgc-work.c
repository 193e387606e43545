// SPDX-License-Identifier: GPL-2.0
/*
 * pgc-work: workloads with known page-fault answers, for the scenarios in
 * tests/scenarios/.  With PGC_HOLD=FILE in the environment, a workload
 * writes its pid to FILE when done and sleeps until killed, so that its
 * counters can be read while it is quiescent.
 *
 *   anon N          write N fresh anonymous pages (no THP)
 *   thp MB          write MB MiB of anonymous memory advised MADV_HUGEPAGE
 *   file PATH       read every page of PATH through mmap, MADV_RANDOM
 *   gup PATH N      O_DIRECT-read N pages of PATH into fresh memory
 *   fork N K        write N pages, fork; the child writes K of them
 *   segv            one of each protection violation, under a handler
 *   swap N          write N pages, page them out, read them back
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static long page;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static char *map_anon(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

static void touch(char *p, long pages, int value)
{
	for (long i = 0; i < pages; i++)
		p[i * page] = (char)(value + i);
}

static int w_anon(long n)
{
	char *p = map_anon(n * page + 1);

	madvise(p, n * page, MADV_NOHUGEPAGE);
	touch(p, n, 1);
	return 0;
}

static int w_thp(long mb)
{
	size_t len = mb << 20, align = 2 << 20;
	char *raw = map_anon(len + align);
	char *p = (char *)(((unsigned long)raw + align - 1) & ~(align - 1));

	madvise(p, len, MADV_HUGEPAGE);
	touch(p, len / page, 1);
	return 0;
}

static int w_file(const char *path)
{
	volatile char sum = 0;
	struct stat st;
	char *p;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		die(path);
	p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		die("mmap file");
	/* No readahead: one page read per fault, so faults == pages. */
	madvise(p, st.st_size, MADV_RANDOM);
	for (off_t o = 0; o < st.st_size; o += page)
		sum += p[o];
	(void)sum;
	return 0;
}

static int w_gup(const char *path, long n)
{
	char *buf = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open(path, O_RDONLY | O_DIRECT);

	if (buf == MAP_FAILED || fd < 0)
		die("gup setup");
	madvise(buf, n * page, MADV_NOHUGEPAGE);
	/* The kernel pins the untouched buffer: it faults it in itself. */
	if (read(fd, buf, n * page) != n * page)
		die("O_DIRECT read");
	return 0;
}

static int w_fork(long n, long k)
{
	char *p = map_anon(n * page);
	pid_t pid;
	int st;

	madvise(p, n * page, MADV_NOHUGEPAGE);
	touch(p, n, 1);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		touch(p, k, 2);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		die("waitpid");
	printf("child %d\n", pid);
	return 0;
}

static sigjmp_buf segv_env;

static void segv_handler(int sig)
{
	siglongjmp(segv_env, sig);
}

/* Each access is expected to raise SIGSEGV once. */
static int expect_segv(void (*access)(char *), char *p)
{
	if (sigsetjmp(segv_env, 1))
		return 1;
	access(p);
	return 0;
}

static void do_write(char *p) { *(volatile char *)p = 1; }
static void do_read(char *p) { (void)*(volatile char *)p; }
static void do_exec(char *p) { ((void (*)(void))p)(); }

static int w_segv(void)
{
	struct sigaction sa = { .sa_handler = segv_handler };
	char *ro, *none, *nx, *hole;
	int n = 0;

	sigaction(SIGSEGV, &sa, NULL);
	ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	none = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	nx = map_anon(page);
	hole = map_anon(page);
	memset(nx, 0xc3, page);		/* ret */
	munmap(hole, page);

	n += expect_segv(do_write, ro);		/* segv_write_ro */
	n += expect_segv(do_read, none);	/* segv_access */
	n += expect_segv(do_exec, nx);		/* segv_exec_nx */
	n += expect_segv(do_read, hole);	/* segv_unmapped */
	printf("segv %d\n", n);
	return n == 4 ? 0 : 1;
}

static int w_swap(long n)
{
	char *p = map_anon(n * page);
	long bad = 0;

	madvise(p, n * page, MADV_NOHUGEPAGE);
	touch(p, n, 3);
	if (madvise(p, n * page, MADV_PAGEOUT))
		die("MADV_PAGEOUT");
	for (long i = 0; i < n; i++)
		bad += p[i * page] != (char)(3 + i);
	printf("swap mismatches %ld\n", bad);
	return bad ? 1 : 0;
}

static void hold(void)
{
	const char *f = getenv("PGC_HOLD");
	FILE *out;

	if (!f)
		return;
	out = fopen(f, "w");
	if (!out)
		die(f);
	fprintf(out, "%d\n", getpid());
	fclose(out);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	int rc = 2;

	page = sysconf(_SC_PAGESIZE);
	if (argc >= 3 && !strcmp(argv[1], "anon"))
		rc = w_anon(atol(argv[2]));
	else if (argc >= 3 && !strcmp(argv[1], "thp"))
		rc = w_thp(atol(argv[2]));
	else if (argc >= 3 && !strcmp(argv[1], "file"))
		rc = w_file(argv[2]);
	else if (argc >= 4 && !strcmp(argv[1], "gup"))
		rc = w_gup(argv[2], atol(argv[3]));
	else if (argc >= 4 && !strcmp(argv[1], "fork"))
		rc = w_fork(atol(argv[2]), atol(argv[3]));
	else if (argc >= 2 && !strcmp(argv[1], "segv"))
		rc = w_segv();
	else if (argc >= 3 && !strcmp(argv[1], "swap"))
		rc = w_swap(atol(argv[2]));
	else
		fprintf(stderr, "usage: see the comment at the top of pgc-work.c\n");
	fflush(stdout);
	if (rc == 0)
		hold();
	return rc;
}
