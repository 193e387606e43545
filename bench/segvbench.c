// SPDX-License-Identifier: GPL-2.0
/*
 * segvbench SECONDS: protection faults that raise SIGSEGV, each caught
 * and left by siglongjmp(), per second.  The signal_generate tracepoint
 * (always attached) does its work for SIGSEGV and SIGBUS only: this is
 * its most expensive path, the counting of a fault's class.  Prints
 * "segvs/s N".
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "bench.h"

static sigjmp_buf env;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(env, 1);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_segv };
	volatile long n = 0;
	volatile char *p;
	double secs, t0;

	if (argc != 2) {
		fprintf(stderr, "usage: segvbench SECONDS\n");
		return 2;
	}
	secs = atof(argv[1]);
	p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL)) {
		perror("sigaction");
		return 1;
	}
	t0 = bench_now();
	while (bench_now() - t0 < secs) {
		/* siglongjmp() restores the signal mask sigsetjmp() saved. */
		if (!sigsetjmp(env, 1))
			*p = 1;
		n++;
	}
	printf("segvs/s %.2f\n", n / (bench_now() - t0));
	return 0;
}
