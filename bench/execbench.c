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
#include "bench.h"

/* The child: this program again, told to exit at once. */
static void exec_self(void *argv0)
{
	char *child[] = { argv0, "-", NULL };

	execv("/proc/self/exe", child);
	_exit(127);
}

int main(int argc, char **argv)
{
	double rate;

	if (argc == 2 && !strcmp(argv[1], "-"))
		return 0;
	if (argc != 2) {
		fprintf(stderr, "usage: execbench SECONDS\n");
		return 2;
	}
	rate = bench_fork_rate(atof(argv[1]), exec_self, argv[0]);
	if (rate < 0)
		return 1;
	printf("execs/s %.2f\n", rate);
	return 0;
}
