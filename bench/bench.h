/* SPDX-License-Identifier: GPL-2.0 */
/* What the bench programs share. */
#ifndef PGC_BENCH_H
#define PGC_BENCH_H

#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Seconds on the monotonic clock: rates are counts over its differences. */
static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Fork, run @child in the child (it must not return), wait for it: as
 * often as @secs allows.  Children per second, or -1 (perror said why).
 */
static inline double bench_fork_rate(double secs, void (*child)(void *),
				     void *arg)
{
	double t0 = bench_now();
	long n = 0;

	while (bench_now() - t0 < secs) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return -1;
		}
		if (pid == 0)
			child(arg);
		if (waitpid(pid, NULL, 0) < 0) {
			perror("waitpid");
			return -1;
		}
		n++;
	}
	return n / (bench_now() - t0);
}

#endif
