// SPDX-License-Identifier: GPL-2.0
/* Helpers every verb shares: errors, paths, file reads. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kdata.h"
#include "pageclock.h"

/* The last error, for a verb that must show it again (top, after its screen). */
char pgc_last_error[256];
bool pgc_json_mode;
bool pgc_json_pretty;
static bool pgc_answered;

void pgc_json_doc(struct pgc_json *j, FILE *out)
{
	pgc_json_init(j, out, pgc_json_pretty);
	pgc_json_object(j, NULL);
	pgc_json_u64(j, "time_ns", pgc_clock_ns(CLOCK_REALTIME));
}

uint64_t pgc_clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void pgc_say(const char *fmt, va_list ap)
{
	fputs("pageclock: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* One line on stderr, prefixed, so scripts can grep it. */
void pgc_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(pgc_last_error, sizeof(pgc_last_error), fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	pgc_say(fmt, ap);
	va_end(ap);
}

/* The same line, but no failure: a later one must not report it. */
void pgc_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pgc_say(fmt, ap);
	va_end(ap);
}

int pgc_status_answer(int st)
{
	pgc_answered = true;
	return st;
}

bool pgc_status_answered(void)
{
	return pgc_answered;
}

/*
 * Under --json a script reads standard output only: a verb that failed
 * says why there too, with the same status.  A failure that said nothing
 * itself still gets an object, so a script never takes it for success.
 */
int pgc_json_failure(FILE *out, const char *verb, int st)
{
	struct pgc_json j;
	char msg[sizeof(pgc_last_error)];

	if (!st || !pgc_json_mode || pgc_answered)
		return st;
	if (pgc_last_error[0])
		snprintf(msg, sizeof(msg), "%s", pgc_last_error);
	else
		snprintf(msg, sizeof(msg), "%s failed (exit status %d)",
			 verb, st);
	fflush(out);
	pgc_json_init(&j, out, pgc_json_pretty);
	pgc_json_object(&j, NULL);
	pgc_json_object(&j, "error");
	pgc_json_s64(&j, "code", st);
	pgc_json_str(&j, "message", msg);
	pgc_json_end(&j);
	pgc_json_end(&j);
	return st;
}

pid_t pgc_spawn_held(const char *verb, char **cmd, int *go, bool quiet)
{
	int fd[2];
	pid_t pid;
	char c;

	if (pipe2(fd, O_CLOEXEC)) {
		pgc_error("%s: pipe: %s", verb, strerror(errno));
		return -1;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		pgc_error("%s: fork: %s", verb, strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (!pid) {
		close(fd[1]);
		if (read(fd[0], &c, 1) != 1)
			_exit(127);	/* not released: CMD never runs */
		/* A record on our standard output is not CMD's to write. */
		if (quiet && dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
			_exit(127);
		execvp(cmd[0], cmd);
		pgc_error("%s: cannot run '%s': %s", verb, cmd[0],
			  strerror(errno));
		_exit(127);
	}
	close(fd[0]);
	*go = fd[1];
	return pid;
}

int pgc_wait_child(pid_t pid)
{
	int wst;

	while (waitpid(pid, &wst, 0) < 0) {
		if (errno != EINTR) {
			pgc_error("waitpid: %s", strerror(errno));
			return -1;
		}
	}
	return WIFEXITED(wst) ? WEXITSTATUS(wst) : 128 + WTERMSIG(wst);
}

/* A whole number in [min, max] for option @name, else an error status. */
int pgc_parse_num(const char *verb, const char *name, const char *arg,
			 long min, long max, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || *v < min || *v > max) {
		pgc_error("%s: --%s needs a number from %ld to %ld, not '%s'",
			  verb, name, min, max, arg);
		return PGC_EXIT_USAGE;
	}
	return 0;
}

/*
 * A size in [min, max] pages for option @name: pages, or bytes with K, M,
 * G or T (binary), rounded up to whole 4 KiB pages.
 */
int pgc_parse_size(const char *verb, const char *name, const char *arg,
		   long min, long max, long *v)
{
	static const char units[] = "KMGT";
	unsigned long long n, pages;
	const char *u;
	char *end;
	int shift;

	errno = 0;
	n = strtoull(arg, &end, 10);
	if (!isdigit((unsigned char)*arg) || errno)
		goto bad;
	if (!*end) {
		pages = n;
	} else if (!end[1] && (u = strchr(units, toupper((unsigned char)*end)))) {
		shift = 10 * (u - units + 1);
		if (n > (ULLONG_MAX - 4095) >> shift)
			goto bad;
		pages = ((n << shift) + 4095) / 4096;
	} else {
		goto bad;
	}
	if (pages >= (unsigned long long)min && pages <= (unsigned long long)max) {
		*v = pages;
		return 0;
	}
bad:
	pgc_error("%s: --%s needs a size from %ld to %ld pages (or bytes with K, M, G), not '%s'",
		  verb, name, min, max, arg);
	return PGC_EXIT_USAGE;
}

/* The options of pgc_parse_opts(), and the short ones. */
static const struct option pgc_opts_long[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'J' },
	{ "help", no_argument, NULL, 'h' },
	{ "pid", required_argument, NULL, 'p' },
	{ "comm", required_argument, NULL, 'c' },
	{ "output", required_argument, NULL, 'o' },
	{ "flush", no_argument, NULL, 'f' },
	{ "interval", required_argument, NULL, 'i' },
	{ "sweeps", required_argument, NULL, 's' },
	{ "plot", required_argument, NULL, 'P' },
	{ "once", no_argument, NULL, '1' },
	{ "sort", required_argument, NULL, 'S' },
	{ "count", required_argument, NULL, 'n' },
	{ }
};

#define PGC_OPTS_SHORT "+:jhp:o:I:"

void pgc_json_prescan(const struct pgc_verb *v, int argc, char **argv)
{
	int a, c;

	if (!v || !v->runs_cmd) {
		for (a = 1; a < argc && strcmp(argv[a], "--"); a++) {
			if (!strcmp(argv[a], "--pretty"))
				pgc_json_pretty = true;
			if (!strcmp(argv[a], "--json") ||
			    !strcmp(argv[a], "-j") || pgc_json_pretty)
				pgc_json_mode = true;
		}
		return;
	}
	/*
	 * The verb's own options only, parsed as pgc_parse_opts() will
	 * (values, abbreviations, groups), up to CMD: "stat sh x --json"
	 * gives --json to sh, not to stat.
	 */
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, PGC_OPTS_SHORT, pgc_opts_long,
				NULL)) != -1) {
		if (c == 'J')
			pgc_json_pretty = true;
		if (c == 'j' || c == 'J')
			pgc_json_mode = true;
	}
}

int pgc_parse_opts(const struct pgc_verb *v, int argc, char **argv,
		   unsigned int allow, struct pgc_opts *o)
{
	const struct option *opts = pgc_opts_long;
	bool with_pid = allow & PGC_OPT_PID, with_output = allow & PGC_OPT_OUTPUT;
	bool with_sweep = allow & PGC_OPT_SWEEP, with_top = allow & PGC_OPT_TOP;
	bool with_int = allow & PGC_OPT_INTERVAL;
	int c, li, st;

	memset(o, 0, sizeof(*o));
	o->interval_ms = 1000;
	o->sweeps = 2;
	opterr = 0;
	optind = 1;
	while (li = -1,
	       (c = getopt_long(argc, argv, PGC_OPTS_SHORT, opts, &li)) != -1) {
		int as_typed = c;

		if (c == 'I')	/* -I MS, as perf stat has it */
			c = 'i';
		if ((!with_sweep && (c == 'f' || c == 's')) ||
		    (!with_sweep && !with_top && !with_int && c == 'i') ||
		    (!with_top && (c == '1' || c == 'S')) ||
		    (!with_top && !with_int && c == 'n') ||
		    (!with_pid && (c == 'p' || c == 'c')) ||
		    (!with_output && c == 'o') ||
		    (!(allow & PGC_OPT_PLOT) && c == 'P'))
			return pgc_opt_error(v->name, argv, opts, li, as_typed);
		switch (c) {
		case 'J':	/* --pretty is --json, indented */
		case 'j':
			pgc_json_pretty |= c == 'J';
			o->json = true;
			pgc_json_mode = true;
			break;
		case 'h':
			v->help(stdout);
			return PGC_EXIT_OK;
		case 'p':
		case 'c':
			if (o->has_pid) {
				pgc_error("%s: --pid or --comm, once", v->name);
				return PGC_EXIT_USAGE;
			}
			st = c == 'p' ? pgc_parse_pid(v->name, optarg, &o->pid,
						      &o->pid_alive) :
			     pgc_comm_pid(v->name, optarg, &o->pid);
			if (st)
				return st;
			o->pid_alive |= c == 'c';
			o->has_pid = true;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'P':
			o->plot = optarg;
			break;
		case 'f':
			o->flush = true;
			break;
		case 'i':
			st = pgc_parse_num(v->name, "interval", optarg, 10,
					   3600000, &o->interval_ms);
			if (st)
				return st;
			o->has_interval = true;
			break;
		case 's':
			st = pgc_parse_num(v->name, "sweeps", optarg, 1, 1000,
					   &o->sweeps);
			if (st)
				return st;
			break;
		case '1':
			o->once = true;
			break;
		case 'S':
			o->sort = optarg;
			break;
		case 'n':
			st = pgc_parse_num(v->name, "count", optarg, 1, 100000,
					   &o->count);
			if (st)
				return st;
			break;
		default:
			return pgc_opt_error(v->name, argv, opts, li, c);
		}
	}
	if (with_int && !with_top && o->count && !o->has_interval) {
		pgc_error("%s: --count counts intervals: give -I MS too", v->name);
		return PGC_EXIT_USAGE;
	}
	return -1;
}

int pgc_verb_start(const struct pgc_verb *v, int argc, char **argv,
		   unsigned int allow, struct pgc_opts *o)
{
	int st = pgc_parse_opts(v, argc, argv, allow, o);

	if (st >= 0)
		return st;
	if (optind < argc) {
		pgc_error("%s: unexpected argument '%s'", v->name, argv[optind]);
		return PGC_EXIT_USAGE;
	}
	if ((allow & PGC_OPT_PID_REQUIRED) && !o->has_pid) {
		pgc_error("%s: --pid (or --comm) is required", v->name);
		return PGC_EXIT_USAGE;
	}
	if ((allow & PGC_OPT_KERNEL) && !pgc_module_loaded()) {
		o->kernel_only = true;
		pgc_warn("%s: module not loaded: showing the kernel's own counters (no classes, latency, COW or TLB)",
			 v->name);
		return -1;
	}
	st = pgc_module_check();
	return st ? st : -1;
}

/*
 * Wait for a signal of @set (blocked) until @deadline, CLOCK_MONOTONIC
 * ns: 0 at the deadline, or the signal.  A child that only stopped or
 * continued is no reason to wake.
 */
static int pgc_wait_until(const sigset_t *set, uint64_t deadline)
{
	struct timespec ts;
	siginfo_t si;
	uint64_t now;
	int sig;

	for (;;) {
		now = pgc_clock_ns(CLOCK_MONOTONIC);
		if (now >= deadline)
			return 0;
		ts.tv_sec = (deadline - now) / 1000000000;
		ts.tv_nsec = (deadline - now) % 1000000000;
		sig = sigtimedwait(set, &si, &ts);
		if (sig < 0 && errno == EAGAIN)
			return 0;
		if (sig == SIGCHLD && (si.si_code == CLD_STOPPED ||
				       si.si_code == CLD_CONTINUED))
			continue;
		if (sig > 0)
			return sig;
		/* EINTR: some other signal's handler ran. */
	}
}

int pgc_intervals(const struct pgc_opts *o, int wake, int (*tick)(void *ctx),
		  void *ctx)
{
	uint64_t step = o->interval_ms * 1000000ULL, now;
	uint64_t next = pgc_clock_ns(CLOCK_MONOTONIC);
	sigset_t set, old;
	long n;
	int st = 0;

	/*
	 * Taken by sigtimedwait(), never by a handler: a signal during a
	 * tick waits for its end, and interrupts no write of its output.
	 */
	sigemptyset(&set);
	if (wake) {
		sigaddset(&set, wake);
	} else {
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
	}
	sigprocmask(SIG_BLOCK, &set, &old);
	for (n = 0; (!o->count || n < o->count) && !st; n++) {
		next += step;
		if (pgc_wait_until(&set, next) && !wake)
			break;	/* SIGINT or SIGTERM: no interval after it */
		st = tick(ctx);
		fflush(stdout);
		/* A tick longer than the interval: the next starts now. */
		now = pgc_clock_ns(CLOCK_MONOTONIC);
		if (next < now)
			next = now;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return st == PGC_INTERVAL_LAST ? PGC_EXIT_OK : st;
}

/*
 * After getopt_long() with opterr = 0 and ':' leading its option string:
 * @c is '?' (an unknown option), ':' (one without its value) or the
 * letter of an option @verb does not take (@li its index in @opts, or -1
 * for a short one).  Names the option as typed, not its letter or value.
 */
int pgc_opt_error(const char *verb, char **argv, const struct option *opts,
		  int li, int c)
{
	const char *tok = argv[optind - 1], *why;
	char name[64];

	if (c == '?') {
		/* optopt is also set for a long option given a value it does not take. */
		bool noval = optopt && !strncmp(tok, "--", 2) && strchr(tok, '=');

		why = noval ? "takes no value" :
		      optopt ? "is unknown" : "is unknown or ambiguous";
		if (optopt && !noval)
			snprintf(name, sizeof(name), "-%c", optopt);
		else
			snprintf(name, sizeof(name), "%.*s",
				 (int)strcspn(tok, "="), tok);
	} else if (c == ':') {
		why = "needs a value";
		if (!strncmp(tok, "--", 2))
			snprintf(name, sizeof(name), "%.*s",
				 (int)strcspn(tok, "="), tok);
		else
			snprintf(name, sizeof(name), "-%c", optopt);
	} else {
		why = "is not one this verb takes";
		if (li >= 0)
			snprintf(name, sizeof(name), "--%s", opts[li].name);
		else
			snprintf(name, sizeof(name), "-%c", c);
	}
	pgc_error("%s: option '%s' %s (see 'pageclock %s --help')", verb,
		  name, why, verb);
	return PGC_EXIT_USAGE;
}

/*
 * PAGECLOCK_ROOT prefixes every kernel path, so the CLI's tests can point
 * it at a fake tree instead of a kernel with the module loaded.
 */
const char *pgc_path(char *buf, size_t len, const char *dir, const char *file)
{
	const char *root = getenv("PAGECLOCK_ROOT");

	snprintf(buf, len, "%s%s/%s", root ? root : "", dir, file);
	return buf;
}

/*
 * Fault classes while this process lives: the module attaches its fault
 * hook only on demand (Documentation/abi.md, debugfs "detail"), for as
 * long as someone holds "detail" open: for every process, or with @pid
 * for that process and those it forks from then on (stat and record of a
 * command give their own pid before they start it), which spares the
 * others the hook's cost.  The descriptor stays open on purpose, closed
 * on exec (CMD does not hold it) and by the kernel when we exit, however
 * we exit.  No such file: a module without it, or none loaded (the verb
 * says so itself).  A module that cannot narrow it (too many holders, or
 * older) keeps it for every process: the same counts, at more cost.
 */
void pgc_detail_hold(const char *verb, pid_t pid)
{
	char path[256], num[24];
	int fd, n;

	pgc_path(path, sizeof(path), PGC_DEBUGFS, "detail");
	fd = open(path, (pid ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0 && errno != ENOENT)
		pgc_warn("%s: no fault classes: %s: %s", verb, path,
			 strerror(errno));
	if (fd >= 0 && pid) {
		n = snprintf(num, sizeof(num), "%d\n", (int)pid);
		/* Refused: kept for every process, see above. */
		n = write(fd, num, n);
	}
}

/*
 * Is the module's fault hook off now (debugfs "features")?  Either of
 * its two forms may be the one on: the kretprobe, or the #PF
 * tracepoints (sysfs faults/hook).
 */
bool pgc_detail_off(void)
{
	char path[256], buf[8192], *line, *save = NULL;
	struct pgc_feature f;
	bool seen = false;
	int n;

	n = pgc_read_file(pgc_path(path, sizeof(path), PGC_DEBUGFS, "features"),
			  buf, sizeof(buf));
	for (line = n > 0 ? strtok_r(buf, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!pgc_parse_feature(line, &f) ||
		    (strcmp(f.name, "kretprobe:handle_mm_fault") &&
		     strcmp(f.name, "tp:page_fault_user")))
			continue;
		if (strcmp(f.state, "off"))
			return false;
		seen = true;
	}
	return seen;
}

/* Read a whole (small) file; returns bytes read or -errno. */
int pgc_read_file(const char *path, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (got + 1 < len) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		got += n;
	}
	buf[got] = '\0';
	close(fd);
	return got;
}

/*
 * O_TRUNC as a shell's '>' has it: sysfs ignores it, and a plain file (the
 * tests' fake tree) then reads back the last value written, as sysfs does.
 */
int pgc_write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/*
 * The module prints a process name as one token, every byte outside '!'
 * to '~' and the backslash as \ooo (src/core/name.c): back to its bytes,
 * in place.
 */
char *pgc_name_unescape(char *s)
{
	char *r = s, *w = s;

	while (*r) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' &&
		    r[2] >= '0' && r[2] <= '7' && r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') << 6 | (r[2] - '0') << 3 |
				      (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return s;
}

/* /proc/PID/comm under PAGECLOCK_ROOT: the name's bytes, or "" when gone. */
const char *pgc_proc_comm(const char *pid, char *buf)
{
	char path[512], name[64];
	int n;

	snprintf(name, sizeof(name), "%s/comm", pid);
	n = pgc_read_file(pgc_path(path, sizeof(path), "/proc", name), buf, 64);
	if (n <= 0)
		n = 0;
	/* The kernel ends the name with one newline; the name may hold more. */
	else if (buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return buf;
}

/* The same for a terminal: @buf holds PGC_NAME_TEXT bytes. */
const char *pgc_proc_comm_text(const char *pid, char *buf)
{
	char comm[64];

	return pgc_name_text(pgc_proc_comm(pid, comm), buf);
}

/*
 * A process name for a terminal: printable ASCII as it is, every other
 * byte and the backslash as \ooo, so that no name can move the cursor,
 * recolour the screen or forge a line.  @buf holds PGC_NAME_TEXT bytes.
 */
const char *pgc_name_text(const char *name, char *buf)
{
	char *w = buf;

	for (; *name && w - buf < PGC_NAME_TEXT - 5; name++) {
		unsigned char c = *name;

		if (c >= ' ' && c <= '~' && c != '\\')
			*w++ = c;
		else
			w += sprintf(w, "\\%03o", c);
	}
	*w = '\0';
	return buf;
}

char *pgc_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* "<name> <state> <detail...>", as debugfs "features" prints it. */
bool pgc_parse_feature(char *line, struct pgc_feature *f)
{
	char *p = pgc_trim(line);

	f->name = p;
	p += strcspn(p, " \t");
	if (!*p)
		return false;
	*p++ = '\0';
	p += strspn(p, " \t");
	f->state = p;
	p += strcspn(p, " \t");
	if (p == f->state)
		return false;
	if (*p)
		*p++ = '\0';
	f->detail = pgc_trim(p);
	return true;
}
