// SPDX-License-Identifier: GPL-2.0
/*
 * switchbench SECONDS: context switches between two processes on one CPU,
 * per second.  Parent and child, both pinned to CPU 0, pass one byte back
 * and forth over two pipes, so each pass is a wake-up and a switch.
 * Isolates what a hook on every context switch costs (perf events on any
 * task turn on perf's sched-in/out calls for all).  Prints
 * "round_trips_per_sec N".
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench.h"

int main(int argc, char **argv)
{
	int ping[2], pong[2];
	double secs, t0, t;
	cpu_set_t set;
	long n = 0;
	char c = 0;
	pid_t pid;

	if (argc != 2) {
		fprintf(stderr, "usage: switchbench SECONDS\n");
		return 2;
	}
	secs = atof(argv[1]);
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("sched_setaffinity");
	if (pipe(ping) || pipe(pong)) {
		perror("pipe");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		/* Echoes until the parent closes its end. */
		close(ping[1]);
		close(pong[0]);
		while (read(ping[0], &c, 1) == 1)
			if (write(pong[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	close(ping[0]);
	close(pong[1]);
	t0 = bench_now();
	do {
		for (int i = 0; i < 1000; i++) {
			if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1) {
				perror("pipe round trip");
				return 1;
			}
		}
		n += 1000;
		t = bench_now();
	} while (t - t0 < secs);
	close(ping[1]);
	waitpid(pid, NULL, 0);
	printf("round_trips_per_sec %.0f\n", n / (t - t0));
	return 0;
}
