// SPDX-License-Identifier: GPL-2.0
/*
 * pgc-work: workloads with known page-fault answers, for the scenarios in
 * tests/scenarios/.  With PGC_HOLD=FILE in the environment, a workload
 * writes its pid to FILE when done and sleeps until killed, so that its
 * counters can be read while it is quiescent.  With PGC_NAME=NAME, it
 * first names itself NAME (any bytes: prctl(PR_SET_NAME)).
 *
 *   anon N          write N fresh anonymous pages (no THP)
 *   thp MB          write MB MiB of anonymous memory advised MADV_HUGEPAGE
 *   zerothp N MB    write N anonymous pages (no THP), then read MB MiB
 *                   advised MADV_HUGEPAGE: the huge zero page maps them
 *   file PATH       read every page of PATH through mmap, MADV_RANDOM;
 *                   print "minflt N majflt M", the reads' faults
 *   gup PATH N      O_DIRECT-read N pages of PATH into fresh memory
 *   spawn N         posix_spawn (CLONE_VM | CLONE_VFORK, as make and
 *                   compilers start their children) this program's
 *                   "anon N" without PGC_HOLD; print "child PID"
 *   fork N K        write N pages, fork; the child writes K of them
 *   forkparent N K  as "fork N K", but clone(CLONE_PARENT) (as runc
 *                   starts its container's init): the child is this
 *                   one's sibling; waits for it to exit through a pipe
 *   forklate N K    as "fork N K", but the child writes its K pages
 *                   only on SIGUSR1 (sent to it), and nobody reaps it
 *   forkexit M      fork M children one after another, each exiting
 *                   at once
 *   peek PID        on SIGUSR1, read every private writable mapping of
 *                   process PID (process_vm_readv: faults in its memory,
 *                   from this one), then spin 1 s of CPU; print "peeked N"
 *   present PID LO HI  print how many pages of [LO, HI) (hex) are
 *                   present in process PID (its pagemap)
 *   pinfork N       pin a page as an io_uring fixed buffer (held: fork
 *                   copies it instead of sharing it), then "fork N 0";
 *                   prints "pin unsupported" where io_uring is off
 *   segv            one of each protection violation, under a handler,
 *                   and a read past the end of a memfd (SIGBUS)
 *   arena           read a page of a BPF arena made with
 *                   BPF_F_SEGV_ON_FAULT (6.9+): handle_mm_fault() returns
 *                   VM_FAULT_SIGSEGV; prints "arena segv 1", or
 *                   "arena unsupported" where the kernel has no arena
 *   swap N          write N pages, page them out, read them back
 *   pageout N       write N pages and page them out
 *   layout N        at PGC_LAYOUT_BASE, touch one page in each of N 2 MiB
 *                   blocks: N new PTE tables, one PMD and one PUD table
 *   sparsefork N    "layout N", then fork a child that exits at once
 *   remap N         write N anonymous pages (no THP), then on SIGUSR1
 *                   (at once without PGC_HOLD) unmap them, map N pages
 *                   at the same address and write each once; print
 *                   "remapped"
 *   layoutfree N    "layout N", then on SIGUSR1 (at once without
 *                   PGC_HOLD) unmap it all; print "freed"
 *   churn N         "layout N", then a second thread takes the mmap lock
 *                   for writing again and again: for 37 ms it mprotects
 *                   256 pages back and forth, then rests 26 ms
 *   tablechurn S    for S seconds a second thread maps 2 MiB at
 *                   0x600000000000, alone in its 512 GiB, touches and
 *                   unmaps it (each munmap frees the page tables above
 *                   it), while this one reads there, a SIGSEGV caught
 *                   whenever it finds nothing; prints "reads N segv M"
 *   leaderexit N    a second thread writes N pages and holds while the
 *                   main thread calls pthread_exit() (whose unwinder
 *                   loads libgcc_s: mmap() beside the faults)
 *   mapwrite N      write N pages while a second thread maps and
 *                   unmaps a page in a loop, then hold
 *   dirty N M       read N pages of a memfd, then write the first M
 *   hotcold H C [S] write H+C pages, then read the H hot ones forever;
 *                   with S, each round of them also writes the next S of
 *                   the C cold ones, going round them (a stream of pages
 *                   written once a round, every one costing a write)
 *   refill N [read] write N pages and drop them (MADV_DONTNEED), again
 *                   and again: a process always in the middle of faults
 *                   (read: the kernel writes them, read() of /dev/zero,
 *                   so that every fault is a kernel-mode one)
 *   threads N T     start T threads and hold; on SIGUSR1 each writes its
 *                   share of N fresh pages, then "threads done" is printed
 *                   (threads that exist before a detail file names them)
 *   jit N           toggle a code page RW/RX N times while a second
 *                   thread on another CPU keeps reading it
 *   clock PATH H D  read every page of PATH once (cold clean), write D
 *                   anonymous pages (cold dirty), then read H hot
 *                   anonymous pages forever
 *   mlocked N       write N pages and mlock() them
 *   shmlock N A     write N pages of a SysV segment locked with
 *                   SHM_LOCK (reclaim puts them back), then A anonymous
 *                   pages
 *   audit KIND      a process for one of pageclock audit's verdicts:
 *                   rt (mlockall, 1000 pages written: ready), wx (a
 *                   page writable and executable), noguard (a thread
 *                   whose stack has no guard page, parked), secret and
 *                   secretlocked (100 pages MADV_DONTDUMP, written, then
 *                   paged out; or locked first)
 *   pinned N A      write N anonymous pages (no THP) and pin them as one
 *                   io_uring fixed buffer (reclaim puts them back), then
 *                   write A anonymous pages; fails where io_uring is off
 *   shared PATH [huge]  map PATH shared and write every page of it
 *                   (huge: advised MADV_HUGEPAGE first, for the page
 *                   cache's large folios where the file system has them);
 *                   prints "faults N", the faults the writes took
 *   sharedcheck PATH  read PATH back: "bad pages B of N", the pages that
 *                   lost what "shared" wrote; fails if any did
 *   fill N          write N pages with a checksummed pattern; on SIGUSR1
 *                   read them all back and print "mismatches K"
 *   grow N S [T]    on SIGUSR1 (at once without PGC_HOLD), write page
 *                   after page of a region growing to N pages over S
 *                   seconds, going round it again and again, then round
 *                   all N pages until killed (a process that grows);
 *                   print "grown N" after the first round of all N.
 *                   With T threads, each grows its own 1/T of the region
 *                   so, all at once.  With PGC_GROW_FILE=PATH, first map
 *                   PATH read-only and read each of its pages once, with
 *                   the kernel's readahead (large folios where the file
 *                   system has them), unmap every 4th (MADV_DONTNEED: no
 *                   folio of 4 pages or more is then mapped whole), and
 *                   print "file A-B", its range.  With PGC_GROW_UFFD=U,
 *                   on SIGUSR1 first park U threads for good, each in a
 *                   fault on a range of a userfaultfd nobody serves
 *   splitfork S     write a 2 MiB-aligned THP, split its pmd (mprotect
 *                   one page read-only and back: the folio stays large,
 *                   mapped by PTEs), print "large L" (L: its first page
 *                   is a THP's, /proc/kpageflags), fork a child that
 *                   unmaps the first page (MADV_DONTNEED) and holds the
 *                   other 511 untouched for S seconds, then prints
 *                   "child lost K of 511": of them, those gone from its
 *                   page tables.  The parent holds
 *   roam N M        write N pages at PGC_LAYOUT_BASE; on SIGUSR1 (at
 *                   once without PGC_HOLD) move them M times, each time
 *                   to fresh 2 MiB-aligned addresses above the last
 *                   (map, write, unmap the old, read them for 150 ms):
 *                   address ranges that are left and never come back;
 *                   print "roamed M", then read the last forever
 *   lockedgrow N    mlockall(MCL_FUTURE | MCL_ONFAULT), then "grow N 0":
 *                   every page it faults in is locked, none can go
 *   forks N K       fill N pages as "fill" does; on SIGUSR1 fork K
 *                   children one after another, each counting its pages
 *                   of them present at its start and 50 ms later; print
 *                   "forks K lost L": L children lost pages meanwhile
 *   collapse N S    N pairs of 2 MiB chunks, a cold one advised
 *                   MADV_HUGEPAGE and a hot one of small pages that a
 *                   thread named pgc-hot reads forever, and S chunks of a
 *                   shared memfd advised likewise, every page checksummed
 *                   as "fill"; a thread named pgc-collapse rewrites every
 *                   8th page of one cold chunk after another, 10 a second,
 *                   then MADV_COLLAPSEs and MADV_COLDs it; on SIGUSR1
 *                   check every page and print "hot_ms H collapses C
 *                   mismatches K" (H: pgc-hot's longest pass, in ms)
 *   phases P:N...   fill the largest P pages as "fill" does; on SIGUSR1
 *                   (at once without PGC_HOLD) run each phase: N passes
 *                   (or N seconds, "P:Ns") reading one word of each of
 *                   the first P pages; print each phase's time, then check
 *                   every page ("mismatches K")
 *   kv P:N...       "phases", but a pass is P lookups of a key-value
 *                   table of the first P pages: keys drawn from a Zipf
 *                   distribution (s = 0.99, as YCSB's), scattered over the
 *                   pages as a hash scatters them, one in ten an update
 *                   (a write of the word it read); each phase moves the
 *                   hot keys to other pages (a shifting hot set)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <spawn.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/io_uring.h>
#include <linux/userfaultfd.h>
#include "zipf.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

/* Its own pgd entry (48 TiB), far from the heap, libraries and stack. */
#define PGC_LAYOUT_BASE 0x300000000000UL

#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static long page;
static volatile int pgc_stop;

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

static int w_zerothp(long n, long mb)
{
	size_t len = mb << 20, align = 2 << 20;
	char *raw = map_anon(len + align), *w = map_anon(n * page);
	char *p = (char *)(((unsigned long)raw + align - 1) & ~(align - 1));
	volatile char sum = 0;

	madvise(w, n * page, MADV_NOHUGEPAGE);
	touch(w, n, 1);
	madvise(p, len, MADV_HUGEPAGE);
	for (size_t i = 0; i < len; i += page)
		sum += p[i];
	return sum;
}

/* PATH mapped whole, read-only and private; *@size: its length. */
static char *map_file(const char *path, off_t *size)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	char *p;

	if (fd < 0 || fstat(fd, &st))
		die(path);
	p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		die("mmap file");
	*size = st.st_size;
	return p;
}

static int w_file(const char *path)
{
	struct rusage before, after;
	volatile char sum = 0;
	off_t size;
	char *p = map_file(path, &size);

	/* No readahead: one page read per fault, so faults == pages. */
	madvise(p, size, MADV_RANDOM);
	getrusage(RUSAGE_SELF, &before);
	for (off_t o = 0; o < size; o += page)
		sum += p[o];
	getrusage(RUSAGE_SELF, &after);
	(void)sum;
	/* What the kernel counted of the reads: the module must agree. */
	printf("minflt %ld majflt %ld\n", after.ru_minflt - before.ru_minflt,
	       after.ru_majflt - before.ru_majflt);
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

static volatile sig_atomic_t pgc_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	pgc_usr1 = 1;
}

/*
 * Sleep until SIGUSR1 without polling: a poll every 10 ms spent enough
 * CPU time for a PFF window of 50 ms to end on a "sleeping" process.
 */
static void wait_usr1(void)
{
	sigset_t usr1, old;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	while (!pgc_usr1)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Write N pages, fork; the child writes K of them (when @late, on SIGUSR1). */
static pid_t fork_writer(long n, long k, bool late)
{
	char *p = map_anon(n * page);
	pid_t pid;

	if (late)
		signal(SIGUSR1, on_usr1);
	madvise(p, n * page, MADV_NOHUGEPAGE);
	touch(p, n, 1);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (late)
			wait_usr1();
		touch(p, k, 2);
		_exit(0);
	}
	return pid;
}

static int w_fork(long n, long k)
{
	pid_t pid = fork_writer(n, k, false);
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		die("waitpid");
	printf("child %d\n", pid);
	return 0;
}

static int w_forkparent(long n, long k)
{
	char *p = map_anon(n * page), c;
	int fd[2];
	long pid;

	madvise(p, n * page, MADV_NOHUGEPAGE);
	touch(p, n, 1);
	if (pipe(fd))
		die("pipe");
	/* x86-64's argument order: flags, stack, parent_tid, child_tid, tls. */
	pid = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, 0);
	if (pid < 0)
		die("clone");
	if (pid == 0) {
		touch(p, k, 2);
		_exit(0);
	}
	/* Not ours to reap: EOF once the child's end of the pipe closes. */
	close(fd[1]);
	while (read(fd[0], &c, 1) > 0)
		;
	close(fd[0]);
	printf("child %ld\n", pid);
	return 0;
}

static int w_forklate(long n, long k)
{
	printf("child %d\n", fork_writer(n, k, true));
	return 0;
}

static int w_spawn(long n)
{
	extern char **environ;
	char num[24], *args[] = { "pgc-work", "anon", num, NULL }, *env[256];
	int e = 0, i, st;
	pid_t pid;

	for (i = 0; environ[i] && e < 255; i++)
		if (strncmp(environ[i], "PGC_HOLD=", 9))
			env[e++] = environ[i];
	env[e] = NULL;
	snprintf(num, sizeof(num), "%ld", n);
	if (posix_spawn(&pid, "/proc/self/exe", NULL, NULL, args, env))
		die("posix_spawn");
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		die("waitpid");
	printf("child %d\n", pid);
	return 0;
}

/*
 * Pin [p, p + len) for as long as the process lives: an io_uring fixed
 * buffer (FOLL_PIN | FOLL_LONGTERM, as a driver's DMA buffer).
 */
static bool pin_buffer(void *p, size_t len)
{
	struct io_uring_params params = { 0 };
	struct iovec iov = { p, len };
	int ring = syscall(__NR_io_uring_setup, 1, &params);

	return ring >= 0 &&
	       !syscall(__NR_io_uring_register, ring, IORING_REGISTER_BUFFERS,
			&iov, 1);
}

static int w_pinfork(long n)
{
	char *p = map_anon(page);

	touch(p, 1, 1);
	if (!pin_buffer(p, page)) {
		printf("pin unsupported\n");
		return 0;
	}
	return w_fork(n, 0);
}

static int w_pinned(long n, long a)
{
	char *p = map_anon(n * page), *q;

	madvise(p, n * page, MADV_NOHUGEPAGE);
	touch(p, n, 8);
	if (!pin_buffer(p, n * page))
		die("io_uring_register");
	q = map_anon(a * page);
	madvise(q, a * page, MADV_NOHUGEPAGE);
	touch(q, a, 9);
	return 0;
}

static sigjmp_buf segv_env;

static void segv_handler(int sig)
{
	siglongjmp(segv_env, sig);
}

/* Each access is expected to raise SIGSEGV (or SIGBUS) once. */
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
	char *ro, *none, *nx, *hole, *past;
	int n = 0, fd = memfd_create("pgc-sigbus", 0);

	if (fd < 0 || ftruncate(fd, page))
		die("memfd");
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	none = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	nx = map_anon(page);
	hole = map_anon(page);
	memset(nx, 0xc3, page);		/* ret */
	/* Two pages of a one-page file: the second is past its end. */
	past = mmap(NULL, 2 * page, PROT_READ, MAP_SHARED, fd, 0);
	if (past == MAP_FAILED)
		die("mmap");
	munmap(hole, page);		/* last: no mapping may take its place */

	n += expect_segv(do_write, ro);		/* segv_write_ro */
	n += expect_segv(do_read, none);	/* segv_access */
	n += expect_segv(do_exec, nx);		/* segv_exec_nx */
	n += expect_segv(do_read, hole);	/* segv_unmapped */
	n += expect_segv(do_read, past + page);	/* sigbus */
	printf("segv %d\n", n);
	return n == 5 ? 0 : 1;
}

/*
 * The uapi numbers of 6.9+ (bookworm's headers predate the arena):
 * BPF_MAP_CREATE, BPF_MAP_TYPE_ARENA, BPF_F_MMAPABLE, BPF_F_SEGV_ON_FAULT.
 */
#define W_BPF_MAP_CREATE	0
#define W_BPF_MAP_TYPE_ARENA	33
#define W_BPF_F_MMAPABLE	(1U << 10)
#define W_BPF_F_SEGV_ON_FAULT	(1U << 17)

static int w_arena(void)
{
	struct sigaction sa = { .sa_handler = segv_handler };
	/* The head of union bpf_attr for BPF_MAP_CREATE, map_extra at 56. */
	union { unsigned int u32[18]; unsigned long long u64[9]; } attr = { 0 };
	const int pages = 16;
	char *a;
	int fd, n;

	attr.u32[0] = W_BPF_MAP_TYPE_ARENA;	/* map_type */
	attr.u32[3] = pages;			/* max_entries */
	attr.u32[4] = W_BPF_F_MMAPABLE | W_BPF_F_SEGV_ON_FAULT;
	fd = syscall(SYS_bpf, W_BPF_MAP_CREATE, &attr, sizeof(attr));
	if (fd < 0) {
		printf("arena unsupported (%s)\n", strerror(errno));
		return 0;
	}
	a = mmap(NULL, pages * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED)
		die("mmap arena");
	sigaction(SIGSEGV, &sa, NULL);
	n = expect_segv(do_read, a);
	printf("arena segv %d\n", n);
	return n == 1 ? 0 : 1;
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

/* Tell the scenario we are ready: our pid in the PGC_HOLD file. */
static int ready(void)
{
	const char *f = getenv("PGC_HOLD");
	FILE *out;

	if (!f)
		return 0;
	out = fopen(f, "w");
	if (!out)
		die(f);
	fprintf(out, "%d\n", getpid());
	fclose(out);
	return 1;
}

static void hold(void)
{
	if (!ready())
		return;
	for (;;)
		pause();
}

/* The second step of a workload done: say so, and hold there too. */
static void done_hold(const char *what)
{
	printf("%s\n", what);
	fflush(stdout);
	while (getenv("PGC_HOLD"))
		pause();
}

static void *park(void *arg)
{
	for (;;)
		pause();
	return arg;
}

static int w_audit(const char *kind)
{
	pthread_attr_t a;
	pthread_t t;
	char *p;

	if (!strcmp(kind, "rt")) {
		if (mlockall(MCL_CURRENT | MCL_FUTURE))
			die("mlockall");
		touch(map_anon(1000 * page), 1000, 1);
	} else if (!strcmp(kind, "wx")) {
		p = mmap(NULL, page, PROT_READ | PROT_WRITE | PROT_EXEC,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("mmap rwx");
		*p = (char)0xc3;	/* ret */
	} else if (!strcmp(kind, "noguard")) {
		if (pthread_attr_init(&a) || pthread_attr_setguardsize(&a, 0) ||
		    pthread_create(&t, &a, park, NULL))
			die("pthread_create");
	} else if (!strcmp(kind, "secret") || !strcmp(kind, "secretlocked")) {
		p = map_anon(100 * page);
		madvise(p, 100 * page, MADV_NOHUGEPAGE);
		if (madvise(p, 100 * page, MADV_DONTDUMP))
			die("MADV_DONTDUMP");
		if (strcmp(kind, "secret") && mlock(p, 100 * page))
			die("mlock");
		touch(p, 100, 2);
		/* Refused for the locked pages: they stay. */
		madvise(p, 100 * page, MADV_PAGEOUT);
	} else {
		die(kind);
	}
	return 0;
}

static int w_pageout(long n)
{
	char *p = map_anon(n * page);

	madvise(p, n * page, MADV_NOHUGEPAGE);
	touch(p, n, 3);
	if (madvise(p, n * page, MADV_PAGEOUT))
		die("MADV_PAGEOUT");
	return 0;
}

static int w_layout(long n)
{
	size_t block = 2UL << 20;
	/* NORESERVE: N blocks may be far more than the guest's memory. */
	char *p = mmap((void *)PGC_LAYOUT_BASE, n * block,
		       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
		       MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);

	if (n == 0)
		return 0;
	if (p != (char *)PGC_LAYOUT_BASE)
		die("mmap at PGC_LAYOUT_BASE");
	madvise(p, n * block, MADV_NOHUGEPAGE);
	for (long i = 0; i < n; i++)
		p[i * block] = 1;
	return 0;
}

static int w_remap(long n)
{
	char *p = map_anon(n * page), *q;

	signal(SIGUSR1, on_usr1);
	madvise(p, n * page, MADV_NOHUGEPAGE);
	touch(p, n, 1);
	if (ready())
		wait_usr1();
	if (munmap(p, n * page))
		die("munmap");
	q = mmap(p, n * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (q != p)
		die("mmap at the same address");
	madvise(q, n * page, MADV_NOHUGEPAGE);
	touch(q, n, 2);
	done_hold("remapped");
	return 0;
}

static int w_layoutfree(long n)
{
	signal(SIGUSR1, on_usr1);
	w_layout(n);
	if (ready())
		wait_usr1();
	if (n && munmap((void *)PGC_LAYOUT_BASE, n * (2UL << 20)))
		die("munmap");
	done_hold("freed");
	return 0;
}

/* A fork whose child's S takes N page tables of one entry each to count. */
static int w_sparsefork(long n)
{
	pid_t pid;
	int st;

	w_layout(n);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		die("waitpid");
	printf("child %d\n", pid);
	return 0;
}

static double now_s(void);

/*
 * Mapping and unmapping one page held the lock so briefly that a debug
 * guest's worker once never found it taken (clock.sh: 0 busy passes).
 * mprotect of 256 present pages holds it while it rewrites each PTE; the
 * rest lets a trylock in too; 37 + 26 ms is a multiple of no tick.
 */
static void *churn_thread(void *unused)
{
	const long n = 256;
	char *p = map_anon(n * page);
	double t0;

	touch(p, n, 1);
	for (;;) {
		for (t0 = now_s(); now_s() - t0 < 0.037;) {
			if (mprotect(p, n * page, PROT_READ) ||
			    mprotect(p, n * page, PROT_READ | PROT_WRITE))
				die("mprotect");
		}
		usleep(26000);
	}
	return unused;
}

#define TABLECHURN_AT ((char *)0x600000000000UL)
#define TABLECHURN_LEN (2L << 20)

static volatile int tablechurn_stop;

static void *tablechurn_thread(void *unused)
{
	while (!tablechurn_stop) {
		char *p = mmap(TABLECHURN_AT, TABLECHURN_LEN,
			       PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			       -1, 0);

		if (p != TABLECHURN_AT)
			die("mmap at 0x600000000000");
		touch(p, TABLECHURN_LEN / page, 1);
		munmap(p, TABLECHURN_LEN);
	}
	return unused;
}

static int w_tablechurn(long secs)
{
	struct sigaction sa = { .sa_handler = segv_handler };
	volatile long reads = 0, segv = 0;	/* kept across siglongjmp */
	pthread_t t;
	double t0;

	sigaction(SIGSEGV, &sa, NULL);
	if (pthread_create(&t, NULL, tablechurn_thread, NULL))
		die("pthread_create");
	for (t0 = now_s(); now_s() - t0 < secs; reads++) {
		if (sigsetjmp(segv_env, 1))
			segv++;
		else
			(void)*(volatile char *)(TABLECHURN_AT + (reads % 512) * page);
	}
	tablechurn_stop = 1;
	pthread_join(t, NULL);
	printf("reads %ld segv %ld\n", reads, segv);
	return 0;
}

static int w_churn(long n)
{
	pthread_t t;

	w_layout(n);
	if (pthread_create(&t, NULL, churn_thread, NULL))
		die("pthread_create");
	return 0;
}

struct threads_part {
	char *p;
	long n;
	pthread_barrier_t *done;
};

static void *threads_thread(void *arg)
{
	struct threads_part *t = arg;

	while (!pgc_usr1)
		usleep(1000);
	touch(t->p, t->n, 1);
	pthread_barrier_wait(t->done);
	return NULL;
}

static int w_threads(long n, long nthreads)
{
	char *p = map_anon(n * page);
	struct threads_part *t;
	pthread_barrier_t done;
	pthread_t tid;

	if (nthreads < 1 || nthreads > n)
		nthreads = 1;
	t = calloc(nthreads, sizeof(*t));
	if (!t || pthread_barrier_init(&done, NULL, nthreads + 1))
		die("threads");
	madvise(p, n * page, MADV_NOHUGEPAGE);
	signal(SIGUSR1, on_usr1);
	for (long i = 0; i < nthreads; i++) {
		long from = n * i / nthreads, to = n * (i + 1) / nthreads;

		t[i] = (struct threads_part){ p + from * page, to - from, &done };
		if (pthread_create(&tid, NULL, threads_thread, &t[i]))
			die("pthread_create");
	}
	if (ready())
		wait_usr1();
	else
		pgc_usr1 = 1;
	pthread_barrier_wait(&done);
	done_hold("threads done");
	return 0;
}

static void *leaderexit_thread(void *n)
{
	char *p = map_anon((long)n * page);
	char st[256] = "";

	/* Small pages: a huge one counted "other" (vma_unknown) hides 511. */
	madvise(p, (long)n * page, MADV_NOHUGEPAGE);
	touch(p, (long)n, 1);
	/* Ready once the leader is a zombie ("Z" in its stat, after "(comm) "). */
	for (int i = 0; i < 500 && !strstr(st, ") Z "); i++) {
		FILE *f = fopen("/proc/self/stat", "r");

		if (!f || !fgets(st, sizeof(st), f))
			die("/proc/self/stat");
		fclose(f);
		usleep(10000);
	}
	hold();
	return NULL;
}

/* A process whose group leader has exited: only another thread runs. */
static int w_leaderexit(long n)
{
	pthread_t t;

	if (!getenv("PGC_HOLD"))
		return 0;
	if (pthread_create(&t, NULL, leaderexit_thread, (void *)n))
		die("pthread_create");
	pthread_exit(NULL);
}

static volatile int mapwrite_stop;

static void *mapwrite_thread(void *unused)
{
	while (!mapwrite_stop)
		munmap(map_anon(page), page);
	return unused;
}

/*
 * Write N fresh pages while another thread maps and unmaps a page in a
 * loop: the faults meet writers queued on the mmap lock.
 */
static int w_mapwrite(long n)
{
	char *p = map_anon(n * page);
	pthread_t t;

	madvise(p, n * page, MADV_NOHUGEPAGE);
	if (pthread_create(&t, NULL, mapwrite_thread, NULL))
		die("pthread_create");
	touch(p, n, 1);
	mapwrite_stop = 1;
	pthread_join(t, NULL);
	hold();
	return 0;
}

static int w_dirty(long n, long m)
{
	int fd = memfd_create("pgc-dirty", 0);
	volatile char *p;
	long sum = 0;

	if (fd < 0 || ftruncate(fd, n * page))
		die("memfd");
	p = mmap(NULL, n * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	for (long i = 0; i < n; i++)
		sum += p[i * page];
	for (long i = 0; i < m; i++)
		p[i * page] = 1;
	return sum != 0;
}

static int w_hotcold(long h, long c, long s)
{
	volatile char *p = map_anon((h + c) * page);
	long sum = 0, next = 0;

	madvise((char *)p, (h + c) * page, MADV_NOHUGEPAGE);
	touch((char *)p, h + c, 1);
	if (!ready())
		return 0;
	for (;;) {
		for (long i = 0; i < h; i++)
			sum += p[i * page];
		for (long i = 0; i < s && c; i++, next = (next + 1) % c)
			p[(h + next) * page] = (char)sum;
	}
	return sum == 0;
}

static int w_refill(long n, bool kernel)
{
	char *p = map_anon(n * page);
	int zero = open("/dev/zero", O_RDONLY);

	if (zero < 0)
		die("/dev/zero");
	madvise(p, n * page, MADV_NOHUGEPAGE);
	if (!ready())
		return 0;
	for (;;) {
		if (!kernel)
			touch(p, n, 1);
		else if (pread(zero, p, n * page, 0) != n * page)
			die("read /dev/zero");
		if (madvise(p, n * page, MADV_DONTNEED))
			die("MADV_DONTNEED");
	}
}

static int w_clock(const char *path, long h, long d)
{
	volatile char *f, *hot, *dirty;
	long sum = 0;
	off_t size;

	f = map_file(path, &size);
	madvise((char *)f, size, MADV_RANDOM);
	for (long i = 0; i < size / page; i++)
		sum += f[i * page];
	hot = map_anon(h * page);
	dirty = map_anon(d * page);
	madvise((char *)hot, h * page, MADV_NOHUGEPAGE);
	madvise((char *)dirty, d * page, MADV_NOHUGEPAGE);
	touch((char *)hot, h, 1);
	touch((char *)dirty, d, 2);
	printf("file %p-%p hot %p-%p dirty %p-%p\n", (void *)f,
	       (void *)(f + size), (void *)hot, (void *)(hot + h * page),
	       (void *)dirty, (void *)(dirty + d * page));
	fflush(stdout);
	if (!ready())
		return 0;
	for (;;)
		for (long i = 0; i < h; i++)
			sum += hot[i * page];
	return sum == 0;
}

static int w_mlocked(long n)
{
	char *p = map_anon(n * page);

	madvise(p, n * page, MADV_NOHUGEPAGE);
	touch(p, n, 4);
	if (mlock(p, n * page))
		die("mlock");
	return 0;
}

static int w_shmlock(long n, long a)
{
	int id = shmget(IPC_PRIVATE, n * page, IPC_CREAT | 0600);
	char *s = id < 0 ? (void *)-1 : shmat(id, NULL, 0), *p;

	/* Removed at once: it goes with the process, whatever fails next. */
	if (id >= 0)
		shmctl(id, IPC_RMID, NULL);
	if (s == (void *)-1 || shmctl(id, SHM_LOCK, NULL))
		die("shmget, shmat or SHM_LOCK");
	touch(s, n, 6);
	p = map_anon(a * page);
	madvise(p, a * page, MADV_NOHUGEPAGE);
	touch(p, a, 7);
	return 0;
}

/* Page i of the file gets (char)(i + 5) in its first byte. */
static int w_shared(const char *path, bool huge)
{
	int fd = open(path, O_RDWR);
	struct rusage before, after;
	struct stat st;
	char *f;

	if (fd < 0 || fstat(fd, &st))
		die(path);
	f = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (f == MAP_FAILED)
		die("mmap");
	if (huge && madvise(f, st.st_size, MADV_HUGEPAGE))
		die("madvise");
	getrusage(RUSAGE_SELF, &before);
	for (long i = 0; i < st.st_size / page; i++)
		f[i * page] = (char)(i + 5);
	getrusage(RUSAGE_SELF, &after);
	/* One a page, or fewer where a fault maps a large folio's pages. */
	printf("faults %ld\n", after.ru_minflt + after.ru_majflt -
	       before.ru_minflt - before.ru_majflt);
	return 0;
}

/* The pattern w_shared() wrote, read back with read(2): pages that lost it. */
static int w_sharedcheck(const char *path)
{
	int fd = open(path, O_RDONLY);
	long bad = 0, i;
	char c;

	if (fd < 0)
		die(path);
	for (i = 0; pread(fd, &c, 1, i * page) == 1; i++)
		bad += c != (char)(i + 5);
	printf("bad pages %ld of %ld\n", bad, i);
	return bad != 0 || i == 0;
}

static int w_forkexit(long m)
{
	for (long i = 0; i < m; i++) {
		pid_t pid = fork();
		int st;

		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, &st, 0) != pid)
			die("waitpid");
	}
	return 0;
}

/* Every word of the N pages at P: its page number and a checksum of it. */
static void pattern_write(unsigned long *p, long n)
{
	long words = page / sizeof(*p);

	for (long i = 0; i < n; i++)
		for (long w = 0; w < words; w++)
			p[i * words + w] = (unsigned long)i * 0x9e3779b97f4a7c15UL ^ w;
}

/* N fresh pages (no THP) so written. */
static unsigned long *pattern_fill(long n)
{
	unsigned long *p = (unsigned long *)map_anon(n * page);

	madvise(p, n * page, MADV_NOHUGEPAGE);
	pattern_write(p, n);
	return p;
}

static long pattern_check(const unsigned long *p, long n)
{
	long words = page / sizeof(*p), bad = 0;

	for (long i = 0; i < n; i++)
		for (long w = 0; w < words; w++)
			bad += p[i * words + w] !=
			       ((unsigned long)i * 0x9e3779b97f4a7c15UL ^ w);
	return bad;
}

static int w_fill(long n)
{
	unsigned long *p;

	signal(SIGUSR1, on_usr1);
	p = pattern_fill(n);
	if (!ready())
		return 0;
	wait_usr1();
	printf("mismatches %ld\n", pattern_check(p, n));
	fflush(stdout);
	for (;;)
		pause();
}

struct grow {
	char *p;		/* this thread's part of the region */
	long n, s;
	double t0;
};

static atomic_long grow_left;	/* threads still in their first round */
static long grow_total;

static void *grow_thread(void *arg)
{
	struct grow *g = arg;
	bool grown = false;

	for (;;) {
		double t = now_s() - g->t0;
		long cur = t >= g->s ? g->n : 1 + (long)(g->n * t / g->s);

		if (cur > g->n)
			cur = g->n;
		for (long i = 0; i < cur; i++)
			g->p[i * page]++;
		if (cur == g->n && !grown) {
			grown = true;
			if (atomic_fetch_sub(&grow_left, 1) == 1) {
				printf("grown %ld\n", grow_total);
				fflush(stdout);
			}
		}
	}
	return NULL;
}

/* Read each page of @path once through a read-only private mapping. */
static void grow_file(const char *path)
{
	volatile char sum = 0;
	off_t size;
	char *f = map_file(path, &size);

	for (off_t o = 0; o < size; o += page)
		sum += f[o];
	(void)sum;
	for (off_t o = 0; o < size; o += 4 * page)
		madvise(f + o, page, MADV_DONTNEED);
	printf("file %p-%p\n", (void *)f, (void *)(f + size));
	fflush(stdout);
}

static void *uffd_park(void *page_of_it)
{
	return (void *)(long)*(volatile char *)page_of_it;
}

/*
 * @u threads in faults that never end (a userfaultfd's, nobody serving
 * it, as a lazy restore's or a post-copy migration's when its source is
 * gone), parked when the descriptor has had a message from each.
 */
static void grow_uffd(long u)
{
	int fd = syscall(__NR_userfaultfd, O_CLOEXEC);
	char *p = map_anon(u * page);
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {
		.range = { (unsigned long)p, u * page },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	struct uffd_msg msg[16];
	pthread_t t;
	long got = 0;
	ssize_t r;

	if (fd < 0 || ioctl(fd, UFFDIO_API, &api) ||
	    ioctl(fd, UFFDIO_REGISTER, &reg))
		die("userfaultfd");
	for (long i = 0; i < u; i++)
		if (pthread_create(&t, NULL, uffd_park, p + i * page))
			die("pthread_create");
	/* Never closed: closing it would wake them. */
	while (got < u) {
		r = read(fd, msg, sizeof(msg));
		if (r <= 0)
			die("read userfaultfd");
		got += r / sizeof(msg[0]);
	}
}

static int w_grow(long n, long s, long nthreads)
{
	const char *file = getenv("PGC_GROW_FILE");
	const char *uffd = getenv("PGC_GROW_UFFD");
	char *p = map_anon(n * page);
	struct grow *g;
	pthread_t t;

	if (file)
		grow_file(file);
	if (nthreads < 1 || nthreads > n)
		nthreads = 1;
	g = calloc(nthreads, sizeof(*g));
	if (!g)
		die("calloc");
	madvise(p, n * page, MADV_NOHUGEPAGE);
	signal(SIGUSR1, on_usr1);
	if (ready())
		wait_usr1();
	if (uffd)
		grow_uffd(atol(uffd));
	grow_total = n;
	atomic_store(&grow_left, nthreads);
	for (long i = 0; i < nthreads; i++) {
		long from = n * i / nthreads, to = n * (i + 1) / nthreads;

		g[i] = (struct grow){ p + from * page, to - from, s, now_s() };
		if (i && pthread_create(&t, NULL, grow_thread, &g[i]))
			die("pthread_create");
	}
	grow_thread(&g[0]);
	return 0;	/* for the compiler: it has no return otherwise */
}

/* N pages at @at, 2 MiB aligned, written; dies if the range is taken. */
static char *roam_map(unsigned long at, long n)
{
	char *p = mmap((void *)at, n * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != (char *)at)
		die("mmap for roam");
	madvise(p, n * page, MADV_NOHUGEPAGE);
	touch(p, n, 1);
	return p;
}

static int w_roam(long n, long m)
{
	size_t span = ((n * page + (2UL << 20) - 1) & ~((2UL << 20) - 1)) +
		      (2UL << 20);	/* a block's gap between two places */
	unsigned long at = PGC_LAYOUT_BASE;
	volatile char *p = roam_map(at, n);
	long sum = 0;

	signal(SIGUSR1, on_usr1);
	if (ready())
		wait_usr1();
	for (long i = 0; i < m; i++) {
		char *old = (char *)p;
		double t0;

		at += span;
		p = roam_map(at, n);
		munmap(old, n * page);
		for (t0 = now_s(); now_s() - t0 < 0.15;)
			for (long j = 0; j < n; j++)
				sum += p[j * page];
	}
	printf("roamed %ld\n", m);
	fflush(stdout);
	for (;;)
		for (long j = 0; j < n; j++)
			sum += p[j * page];
	return sum == 0;
}

static int w_lockedgrow(long n)
{
	if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT))
		die("mlockall");
	return w_grow(n, 0, 1);
}

#define CHUNK (2UL << 20)

struct collapse {
	char *anon, *shm;	/* 2N and S chunks, 2 MiB aligned */
	long n, s, done;
	long hot_ms;		/* pgc-hot's longest pass */
};

/*
 * pgc-hot: one word of each page of the odd (hot) chunks, forever.  Its
 * longest pass says how long a hot page may have gone untouched: a hand
 * that laps faster may rightly take it.
 */
static void *collapse_reader(void *arg)
{
	struct collapse *c = arg;
	double t0 = now_s(), t;
	long sum = 0, ms;

	prctl(PR_SET_NAME, "pgc-hot");
	for (;; t0 = t) {
		for (long i = 0; i < c->n; i++)
			for (unsigned long o = 0; o < CHUNK; o += page)
				sum += *(volatile char *)(c->anon +
							  (2 * i + 1) * CHUNK + o);
		t = now_s();
		ms = (long)((t - t0) * 1000);
		if (ms > __atomic_load_n(&c->hot_ms, __ATOMIC_RELAXED))
			__atomic_store_n(&c->hot_ms, ms, __ATOMIC_RELAXED);
	}
	return (void *)sum;
}

/* pgc-collapse: each cold chunk, anonymous or shmem, in turn. */
static void *collapse_thread(void *arg)
{
	struct collapse *c = arg;

	prctl(PR_SET_NAME, "pgc-collapse");
	for (long k = 0;; k++) {
		long i = k % (c->n + c->s);
		char *chunk = i < c->n ? c->anon + 2 * i * CHUNK :
					 c->shm + (i - c->n) * CHUNK;

		/*
		 * Some pages of an evicted chunk back first, small: the hand
		 * can stop among them, then meet the chunk huge at its stop.
		 * Written back as they were, not only read: 6.1 maps a page
		 * swapped in by a read fault read-only, and collapses no
		 * range without a writable page (SCAN_PAGE_RO), so a chunk
		 * evicted whole stayed out and the hand met no more of it.
		 */
		for (unsigned long o = 0; o < CHUNK; o += 8 * page) {
			volatile char *b = (volatile char *)(chunk + o);

			*b = *b;
		}
		usleep(50000);
		if (!madvise(chunk, CHUNK, MADV_COLLAPSE))
			__atomic_add_fetch(&c->done, 1, __ATOMIC_RELAXED);
		/*
		 * Cold again (Accessed clear): a lap of the hand always meets
		 * cold pages, so it never takes hot ones for want of them.
		 */
		madvise(chunk, CHUNK, MADV_COLD);
		usleep(50000);
	}
	return NULL;
}

/* @len bytes at a 2 MiB boundary: @fd's (shared) or anonymous memory. */
static char *map_aligned(size_t len, int fd)
{
	char *raw = map_anon(len + CHUNK);
	char *p = (char *)(((unsigned long)raw + CHUNK - 1) & ~(CHUNK - 1));

	if (fd >= 0 && mmap(p, len, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED)
		die("mmap memfd");
	return p;
}

static int w_collapse(long n, long s)
{
	static struct collapse c;
	int fd = memfd_create("pgc-collapse", 0);
	long per = CHUNK / page;
	pthread_t t;

	if (fd < 0 || ftruncate(fd, s * CHUNK))
		die("memfd");
	signal(SIGUSR1, on_usr1);
	c.n = n;
	c.s = s;
	c.anon = map_aligned(2 * n * CHUNK, -1);
	c.shm = map_aligned(s * CHUNK, fd);
	/* Small pages first: the hand meets huge ones only once collapsed. */
	madvise(c.anon, 2 * n * CHUNK, MADV_NOHUGEPAGE);
	madvise(c.shm, s * CHUNK, MADV_NOHUGEPAGE);
	pattern_write((unsigned long *)c.anon, 2 * n * per);
	pattern_write((unsigned long *)c.shm, s * per);
	for (long i = 0; i < n; i++)
		madvise(c.anon + 2 * i * CHUNK, CHUNK, MADV_HUGEPAGE);
	madvise(c.shm, s * CHUNK, MADV_HUGEPAGE);
	printf("anon %p-%p shm %p-%p\n", (void *)c.anon,
	       (void *)(c.anon + 2 * n * CHUNK), (void *)c.shm,
	       (void *)(c.shm + s * CHUNK));
	fflush(stdout);
	if (pthread_create(&t, NULL, collapse_reader, &c) ||
	    pthread_create(&t, NULL, collapse_thread, &c))
		die("pthread_create");
	if (!ready())
		return 0;
	wait_usr1();
	printf("hot_ms %ld collapses %ld mismatches %ld\n",
	       __atomic_load_n(&c.hot_ms, __ATOMIC_RELAXED),
	       __atomic_load_n(&c.done, __ATOMIC_RELAXED),
	       pattern_check((unsigned long *)c.anon, 2 * n * per) +
	       pattern_check((unsigned long *)c.shm, s * per));
	fflush(stdout);
	for (;;)
		pause();
}

/* The N entries of PAGEMAP (a process's) from ADDR on, into E. */
static void pagemap_read(const char *pagemap, unsigned long addr,
			 unsigned long long *e, long n)
{
	int fd = open(pagemap, O_RDONLY);
	size_t len = n * sizeof(*e);

	if (fd < 0)
		die(pagemap);
	if (pread(fd, e, len, addr / page * sizeof(*e)) != (ssize_t)len)
		die("pagemap read");
	close(fd);
}

/* Of the N pages at ADDR in the process of PAGEMAP, those present. */
static long present_in(const char *pagemap, unsigned long addr, long n)
{
	unsigned long long *e = malloc(n * sizeof(*e));
	long k = 0;

	if (!e)
		die("malloc");
	pagemap_read(pagemap, addr, e, n);
	for (long i = 0; i < n; i++)
		k += e[i] >> 63;
	free(e);
	return k;
}

static long present(const void *p, long n)
{
	return present_in("/proc/self/pagemap", (unsigned long)p, n);
}

/*
 * Children forked while the module may be evicting the parent's pages:
 * a child's pages are shared with the parent from the fork on, and no
 * one else's to evict.  Without memory pressure nothing else takes them.
 */
static int w_forks(long n, long k)
{
	unsigned long *p;
	long lost = 0;

	signal(SIGUSR1, on_usr1);
	p = pattern_fill(n);
	if (!ready())
		return 0;
	wait_usr1();
	for (long i = 0; i < k; i++) {
		pid_t pid = fork();
		int st;

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			long before = present(p, n);

			usleep(50000);
			_exit(present(p, n) < before);
		}
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
			die("waitpid");
		lost += WEXITSTATUS(st);
	}
	printf("forks %ld lost %ld\n", k, lost);
	fflush(stdout);
	for (;;)
		pause();
}

/* Does the page at @p belong to a THP?  (/proc/kpageflags: KPF_THP.) */
static int is_thp(const void *p)
{
	unsigned long long e, f = 0;
	int fd;

	pagemap_read("/proc/self/pagemap", (unsigned long)p, &e, 1);
	fd = open("/proc/kpageflags", O_RDONLY);
	if (fd < 0 || pread(fd, &f, sizeof(f), (e & ((1ULL << 55) - 1)) *
		    sizeof(f)) != sizeof(f))
		die("kpageflags");
	close(fd);
	return f >> 22 & 1;
}

static int w_splitfork(long s)
{
	const size_t huge = 2UL << 20;
	char *m = map_anon(2 * huge);
	char *p = (char *)(((unsigned long)m + huge - 1) & ~(huge - 1));
	pid_t pid;

	madvise(p, huge, MADV_HUGEPAGE);
	touch(p, huge / page, 7);
	if (mprotect(p + page, page, PROT_READ) ||
	    mprotect(p + page, page, PROT_READ | PROT_WRITE))
		die("mprotect");
	printf("large %d\n", is_thp(p));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		long n = huge / page - 1;

		madvise(p, page, MADV_DONTNEED);
		sleep(s);
		printf("child lost %ld of %ld\n", n - present(p + page, n), n);
		fflush(stdout);
		_exit(0);
	}
	hold();
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* xorshift64: cheap and the same sequence every run. */
static unsigned long kv_rand(void)
{
	static unsigned long x = 0x9e3779b97f4a7c15UL;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

/*
 * The page of a key drawn from the Zipf table @cdf of @n keys in phase
 * @k: keys 7919 pages apart (a prime: a bijection unless it divides @n),
 * the whole moved by a third of the table each phase.
 */
static long kv_page(const double *cdf, long n, int k)
{
	return (pgc_zipf_rank(cdf, n, kv_rand()) * 7919 + k * (n / 3)) % n;
}

/*
 * Phases PAGES:N (N passes) or PAGES:Ns (N seconds), each reading one
 * word of each of the first PAGES pages per pass; with @kv, a pass is
 * PAGES lookups of Zipf-drawn keys instead (kv_page()).
 */
static int w_phases(int n, char **spec, bool kv)
{
	long pages[16], len[16], max = 0, words = page / sizeof(long);
	bool secs[16];
	unsigned long *p, sum = 0;
	double t0, t, *cdf = NULL;
	int k;

	if (n > 16)
		n = 16;
	for (k = 0; k < n; k++) {
		char *end;

		pages[k] = strtol(spec[k], &end, 10);
		len[k] = *end == ':' ? strtol(end + 1, &end, 10) : 0;
		secs[k] = *end == 's';
		if (pages[k] <= 0 || len[k] <= 0) {
			fprintf(stderr, "phases: PAGES:PASSES or PAGES:SECONDSs\n");
			return 2;
		}
		if (pages[k] > max)
			max = pages[k];
	}
	if (kv) {
		cdf = malloc(max * sizeof(*cdf));
		if (!cdf)
			die("malloc");
		pgc_zipf_cdf(cdf, max, 0.99);
	}
	signal(SIGUSR1, on_usr1);
	p = pattern_fill(max);
	if (ready())
		wait_usr1();
	t0 = now_s();
	for (k = 0; k < n; k++) {
		double start = now_s();
		long passes = 0;

		do {
			for (long i = 0; i < pages[k]; i++) {
				long j = kv ? kv_page(cdf, pages[k], k) : i;
				unsigned long v = p[j * words];

				sum += v;
				/* The same value: dirty, still checked. */
				if (kv && i % 10 == 0)
					((volatile unsigned long *)p)[j * words] = v;
			}
			passes++;
			t = now_s();
		} while (secs[k] ? t - start < len[k] : passes < len[k]);
		printf("phase %d pages %ld passes %ld ms %.0f end_ms %.0f\n", k,
		       pages[k], passes, (t - start) * 1e3, (t - t0) * 1e3);
		fflush(stdout);
	}
	printf("mismatches %ld sum %lu\n", pattern_check(p, max), sum & 1);
	free(cdf);
	printf("done ms %.0f\n", (now_s() - t0) * 1e3);
	fflush(stdout);
	return 0;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

/* Set by the reader once it runs on CPU 1 with the page in its TLB. */
static int jit_ready;

/*
 * On CPU 1, real-time, so that no other process takes CPU 1 from it
 * while the toggles run: a CPU that switched to another mm leaves the
 * toggler's mm_cpumask, and its flushes then stay local (seen: 26 of 200
 * in the first run after boot).  RT throttling still lets the others run
 * 5% of the time.  Not fatal if refused: the test says what it got.
 */
static void *jit_reader(void *arg)
{
	struct sched_param sp = { .sched_priority = 1 };
	volatile char *code = arg;
	long sum = 0;

	pin(1);
	if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp))
		printf("jit reader not real-time: shootdowns may fall short\n");
	sum += code[0];
	__atomic_store_n(&jit_ready, 1, __ATOMIC_RELEASE);
	while (!pgc_stop)
		sum += code[0];
	return (void *)sum;
}

static int w_jit(long n)
{
	char *code = mmap(NULL, page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pthread_t t;

	if (code == MAP_FAILED)
		die("mmap");
	code[0] = (char)0xc3;	/* ret */
	pin(0);
	if (pthread_create(&t, NULL, jit_reader, code))
		die("pthread_create");
	/*
	 * Toggles before the reader runs on CPU 1 send no shootdown: wait
	 * for it (a fixed 100 ms was not enough with the host busy).
	 */
	while (!__atomic_load_n(&jit_ready, __ATOMIC_ACQUIRE))
		usleep(1000);
	for (long i = 0; i < n; i++) {
		if (mprotect(code, page, PROT_READ | PROT_WRITE))
			die("mprotect RW");
		code[1] = (char)i;	/* "emit code" */
		if (mprotect(code, page, PROT_READ | PROT_EXEC))
			die("mprotect RX");
		((void (*)(void))code)();
	}
	pgc_stop = 1;
	pthread_join(t, NULL);
	return 0;
}

static int w_peek(const char *pid)
{
	static char buf[1 << 20];
	char path[64], line[512], perms[8];
	unsigned long lo, hi;
	struct timespec t;
	long pages = 0;
	FILE *maps;

	signal(SIGUSR1, on_usr1);
	if (!ready())
		return 0;
	wait_usr1();
	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	maps = fopen(path, "r");
	if (!maps)
		die(path);
	while (fgets(line, sizeof(line), maps)) {
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 ||
		    perms[0] != 'r' || perms[1] != 'w' || perms[3] != 'p')
			continue;
		for (unsigned long a = lo; a < hi; a += sizeof(buf)) {
			size_t len = hi - a < sizeof(buf) ? hi - a : sizeof(buf);
			struct iovec l = { buf, len }, r = { (void *)a, len };
			ssize_t n = process_vm_readv(atoi(pid), &l, 1, &r, 1, 0);

			pages += n > 0 ? n / page : 0;
		}
	}
	fclose(maps);
	do
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	while (t.tv_sec < 1);
	printf("peeked %ld\n", pages);
	fflush(stdout);
	for (;;)
		pause();
}

static int w_present(const char *pid, const char *lo, const char *hi)
{
	unsigned long a = strtoul(lo, NULL, 16), b = strtoul(hi, NULL, 16);
	char path[64];

	snprintf(path, sizeof(path), "/proc/%s/pagemap", pid);
	printf("%ld\n", present_in(path, a, (b - a) / page));
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 2;

	page = sysconf(_SC_PAGESIZE);
	/* Any bytes as the process's name (a task may only rename itself). */
	if (getenv("PGC_NAME"))
		prctl(PR_SET_NAME, getenv("PGC_NAME"));
	if (argc >= 3 && !strcmp(argv[1], "anon"))
		rc = w_anon(atol(argv[2]));
	else if (argc >= 3 && !strcmp(argv[1], "thp"))
		rc = w_thp(atol(argv[2]));
	else if (argc >= 4 && !strcmp(argv[1], "zerothp"))
		rc = w_zerothp(atol(argv[2]), atol(argv[3]));
	else if (argc >= 3 && !strcmp(argv[1], "file"))
		rc = w_file(argv[2]);
	else if (argc >= 4 && !strcmp(argv[1], "gup"))
		rc = w_gup(argv[2], atol(argv[3]));
	else if (argc >= 3 && !strcmp(argv[1], "spawn"))
		rc = w_spawn(atol(argv[2]));
	else if (argc >= 4 && !strcmp(argv[1], "fork"))
		rc = w_fork(atol(argv[2]), atol(argv[3]));
	else if (argc >= 3 && !strcmp(argv[1], "pinfork"))
		rc = w_pinfork(atol(argv[2]));
	else if (argc >= 2 && !strcmp(argv[1], "arena"))
		rc = w_arena();
	else if (argc >= 2 && !strcmp(argv[1], "segv"))
		rc = w_segv();
	else if (argc >= 3 && !strcmp(argv[1], "swap"))
		rc = w_swap(atol(argv[2]));
	else if (argc >= 3 && !strcmp(argv[1], "pageout"))
		rc = w_pageout(atol(argv[2]));
	else if (argc >= 3 && !strcmp(argv[1], "layout"))
		rc = w_layout(atol(argv[2]));
	else if (argc >= 3 && !strcmp(argv[1], "remap"))
		rc = w_remap(atol(argv[2]));
	else if (argc >= 3 && !strcmp(argv[1], "layoutfree"))
		rc = w_layoutfree(atol(argv[2]));
	else if (argc >= 3 && !strcmp(argv[1], "sparsefork"))
		rc = w_sparsefork(atol(argv[2]));
	else if (argc >= 3 && !strcmp(argv[1], "churn"))
		rc = w_churn(atol(argv[2]));
	else if (argc >= 3 && !strcmp(argv[1], "mapwrite"))
		rc = w_mapwrite(atol(argv[2]));
	else if (argc >= 3 && !strcmp(argv[1], "tablechurn"))
		rc = w_tablechurn(atol(argv[2]));
	else if (argc >= 3 && !strcmp(argv[1], "leaderexit"))
		rc = w_leaderexit(atol(argv[2]));
	else if (argc >= 4 && !strcmp(argv[1], "dirty"))
		rc = w_dirty(atol(argv[2]), atol(argv[3]));
	else if (argc >= 3 && !strcmp(argv[1], "peek"))
		rc = w_peek(argv[2]);
	else if (argc >= 5 && !strcmp(argv[1], "present"))
		rc = w_present(argv[2], argv[3], argv[4]);
	else if (argc >= 3 && !strcmp(argv[1], "forkexit"))
		rc = w_forkexit(atol(argv[2]));
	else if (argc >= 4 && !strcmp(argv[1], "forkparent"))
		rc = w_forkparent(atol(argv[2]), atol(argv[3]));
	else if (argc >= 4 && !strcmp(argv[1], "forklate"))
		rc = w_forklate(atol(argv[2]), atol(argv[3]));
	else if (argc >= 3 && !strcmp(argv[1], "splitfork"))
		rc = w_splitfork(atol(argv[2]));
	else if (argc >= 4 && !strcmp(argv[1], "roam"))
		rc = w_roam(atol(argv[2]), atol(argv[3]));
	else if (argc >= 4 && !strcmp(argv[1], "hotcold"))
		rc = w_hotcold(atol(argv[2]), atol(argv[3]),
			       argc > 4 ? atol(argv[4]) : 0);
	else if (argc >= 3 && !strcmp(argv[1], "refill"))
		rc = w_refill(atol(argv[2]), argc >= 4 && !strcmp(argv[3], "read"));
	else if (argc >= 5 && !strcmp(argv[1], "clock"))
		rc = w_clock(argv[2], atol(argv[3]), atol(argv[4]));
	else if (argc >= 3 && !strcmp(argv[1], "shared"))
		rc = w_shared(argv[2], argc >= 4 && !strcmp(argv[3], "huge"));
	else if (argc >= 3 && !strcmp(argv[1], "sharedcheck"))
		rc = w_sharedcheck(argv[2]);
	else if (argc >= 3 && !strcmp(argv[1], "mlocked"))
		rc = w_mlocked(atol(argv[2]));
	else if (argc >= 4 && !strcmp(argv[1], "shmlock"))
		rc = w_shmlock(atol(argv[2]), atol(argv[3]));
	else if (argc >= 3 && !strcmp(argv[1], "audit"))
		rc = w_audit(argv[2]);
	else if (argc >= 4 && !strcmp(argv[1], "pinned"))
		rc = w_pinned(atol(argv[2]), atol(argv[3]));
	else if (argc >= 3 && !strcmp(argv[1], "fill"))
		rc = w_fill(atol(argv[2]));
	else if (argc >= 4 && !strcmp(argv[1], "forks"))
		rc = w_forks(atol(argv[2]), atol(argv[3]));
	else if (argc >= 4 && !strcmp(argv[1], "collapse"))
		rc = w_collapse(atol(argv[2]), atol(argv[3]));
	else if (argc >= 4 && !strcmp(argv[1], "grow"))
		rc = w_grow(atol(argv[2]), atol(argv[3]),
			    argc >= 5 ? atol(argv[4]) : 1);
	else if (argc >= 3 && !strcmp(argv[1], "lockedgrow"))
		rc = w_lockedgrow(atol(argv[2]));
	else if (argc >= 3 && !strcmp(argv[1], "phases"))
		rc = w_phases(argc - 2, argv + 2, false);
	else if (argc >= 3 && !strcmp(argv[1], "kv"))
		rc = w_phases(argc - 2, argv + 2, true);
	else if (argc >= 4 && !strcmp(argv[1], "threads"))
		rc = w_threads(atol(argv[2]), atol(argv[3]));
	else if (argc >= 3 && !strcmp(argv[1], "jit"))
		rc = w_jit(atol(argv[2]));
	else
		fprintf(stderr, "usage: see the comment at the top of pgc-work.c\n");
	fflush(stdout);
	if (rc == 0)
		hold();
	return rc;
}
