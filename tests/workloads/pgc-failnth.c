// SPDX-License-Identifier: GPL-2.0
/*
 * pgc-failnth: one system call with the Nth fallible allocation of this
 * thread made to fail (/proc/thread-self/fail-nth, CONFIG_FAULT_INJECTION):
 *
 *   pgc-failnth N load KO          finit_module(KO)
 *   pgc-failnth N write FILE TEXT  one write(2) of TEXT to FILE
 *   pgc-failnth N read FILE [TEXT] open FILE, write TEXT, read to the end
 *
 * Prints "injected 0|1 ret R errno NAME": injected 1 when the call reached
 * its Nth fallible point (and that one failed), 0 when it made fewer, so
 * that a loop over N = 1, 2, ... ends at the first 0.  For load and write
 * the file is opened before arming; read counts the open too (a debugfs
 * file's open allocates its state).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "pgc-failnth: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* read: open, write TEXT (if any), read to the end; -1 at the first error. */
static long pgc_read(const char *path, const char *text)
{
	char buf[4096];
	long n, total = 0;
	int fd;

	fd = open(path, text ? O_RDWR : O_RDONLY);
	if (fd < 0)
		return -1;
	if (text && write(fd, text, strlen(text)) < 0)
		total = -1;
	while (total >= 0 && (n = read(fd, buf, sizeof(buf))) != 0)
		total = n < 0 ? -1 : total + n;
	n = errno;
	close(fd);
	errno = n;
	return total;
}

int main(int argc, char **argv)
{
	char left[16] = "";
	const char *op = argc > 2 ? argv[2] : "";
	int ctl, fd = -1, err;
	long ret;

	if (argc < 4 || argc > 5 || (strcmp(op, "load") && strcmp(op, "write") &&
				     strcmp(op, "read")) ||
	    (!strcmp(op, "load") && argc != 4) || (!strcmp(op, "write") && argc != 5)) {
		fprintf(stderr, "usage: pgc-failnth N load KO | N write FILE TEXT | N read FILE [TEXT]\n");
		return 2;
	}
	ctl = open("/proc/thread-self/fail-nth", O_RDWR);
	if (ctl < 0)
		die("/proc/thread-self/fail-nth");
	if (strcmp(op, "read")) {
		fd = open(argv[3], strcmp(op, "load") ? O_WRONLY : O_RDONLY);
		if (fd < 0)
			die(argv[3]);
	}

	if (write(ctl, argv[1], strlen(argv[1])) < 0)
		die("arming fail-nth");
	if (!strcmp(op, "load"))
		ret = syscall(SYS_finit_module, fd, "", 0);
	else if (!strcmp(op, "write"))
		ret = write(fd, argv[4], strlen(argv[4]));
	else
		ret = pgc_read(argv[3], argc == 5 ? argv[4] : NULL);
	err = errno;
	/* What is left of the count: 0 once the Nth point was reached. */
	if (pread(ctl, left, sizeof(left) - 1, 0) < 0)
		die("reading fail-nth");
	if (write(ctl, "0", 1) < 0)
		die("disarming fail-nth");
	printf("injected %d ret %ld errno %s\n", atoi(left) == 0, ret,
	       ret < 0 ? strerrorname_np(err) : "0");
	return 0;
}
