// SPDX-License-Identifier: GPL-2.0
/*
 * PNG plots through gnuplot, for every verb that draws (pff --plot,
 * report --plot).  gnuplot reads the script from a pipe and writes the PNG
 * to its standard output: a temporary file beside the target, renamed to
 * it once it holds a whole PNG, so a failure leaves neither a partial PNG
 * nor a stray file, and no file name is quoted into a script.  Where the
 * target exists and is not a regular file (a symlink, /dev/stdout, a
 * FIFO), gnuplot writes into it as it is.  SIGINT, SIGTERM and SIGHUP
 * wait until the temporary file is gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pageclock.h"

/* Did gnuplot write a whole PNG into @fd (it exits 0 on a full disk too)? */
static bool pgc_png_whole(int fd)
{
	static const unsigned char iend[8] = "IEND\xae\x42\x60\x82";
	unsigned char tail[8];
	struct stat sb;

	return !fstat(fd, &sb) && sb.st_size > 64 &&
	       pread(fd, tail, sizeof(tail), sb.st_size - 8) == 8 &&
	       !memcmp(tail, iend, sizeof(tail));
}

int pgc_plot(const char *verb, const char *file,
	     void (*script)(FILE *g, const void *arg), const void *arg)
{
	size_t len = strlen(file) + sizeof(".XXXXXX");
	int fd = -1, p[2] = { -1, -1 }, code, st = PGC_EXIT_FAIL;
	sigset_t block, old;
	char *tmp = NULL;
	struct stat sb;
	pid_t child;
	mode_t mask;
	FILE *g;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (!lstat(file, &sb) && !S_ISREG(sb.st_mode)) {
		fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	} else {
		tmp = malloc(len);
		if (!tmp) {
			pgc_error("%s: out of memory", verb);
			goto out;
		}
		snprintf(tmp, len, "%s.XXXXXX", file);
		fd = mkostemp(tmp, O_CLOEXEC);
		if (fd < 0) {
			free(tmp);
			tmp = NULL;
		}
	}
	if (fd < 0) {
		pgc_error("%s: cannot write %s: %s", verb, file, strerror(errno));
		goto out;
	}
	if (tmp) {
		/* mkostemp() makes it 0600; a PNG is made as any new file is. */
		mask = umask(0);
		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	if (pipe2(p, O_CLOEXEC) || (child = fork()) < 0) {
		pgc_error("%s: cannot run gnuplot: %s", verb, strerror(errno));
		goto out;
	}
	if (!child) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (dup2(p[0], STDIN_FILENO) >= 0 && dup2(fd, STDOUT_FILENO) >= 0)
			execlp("gnuplot", "gnuplot", (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	p[0] = -1;
	/* A gnuplot that is missing or dies must not kill us by SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	/* The end of the script (closing the pipe) lets gnuplot finish. */
	g = fdopen(p[1], "w");
	if (g) {
		script(g, arg);
		fclose(g);
	} else {
		close(p[1]);
	}
	p[1] = -1;
	code = pgc_wait_child(child);
	if (code == 127)
		pgc_error("%s: gnuplot not found (apt-get install gnuplot-nox)",
			  verb);
	else if (code || !g)
		pgc_error("%s: gnuplot failed (its message is above)", verb);
	else if (tmp && !pgc_png_whole(fd))
		pgc_error("%s: cannot write %s: the PNG came out short (disk full?)",
			  verb, file);
	else if (tmp && rename(tmp, file))
		pgc_error("%s: cannot write %s: %s", verb, file, strerror(errno));
	else
		st = PGC_EXIT_OK;
out:
	if (fd >= 0)
		close(fd);
	if (tmp && st)
		unlink(tmp);
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	free(tmp);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return st;
}

