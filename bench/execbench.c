// SPDX-License-Identifier: GPL-2.0
/*
 * execbench SECONDS: fork, exec of a program that exits at once, wait,
 * per second.  What the hooks on fork, exec and exit cost a process
 * that nobody measures (the sched_process_fork, _exec and _exit
 * tracepoints are always attached).  The program is this one, run as
 * "execbench -": a static image would be cheaper, but this is what a
 * shell running commands does.  Prints "execs/s N".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench.h"

int main(int argc, char **argv)
{
	char *child[] = { argv[0], "-", NULL };
	double secs, t0;
	long n = 0;

	if (argc == 2 && !strcmp(argv[1], "-"))
		return 0;
	if (argc != 2) {
		fprintf(stderr, "usage: execbench SECONDS\n");
		return 2;
	}
	secs = atof(argv[1]);
	t0 = bench_now();
	while (bench_now() - t0 < secs) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			execv("/proc/self/exe", child);
			_exit(127);
		}
		if (waitpid(pid, NULL, 0) < 0) {
			perror("waitpid");
			return 1;
		}
		n++;
	}
	printf("execs/s %.2f\n", n / (bench_now() - t0));
	return 0;
}
