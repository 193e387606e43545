// SPDX-License-Identifier: GPL-2.0
/*
 * pageclock target add|rm|list, pageclock clock: the CLOCK policy's
 * targets and what it did to them (debugfs "clock", sysfs targets/N/).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "kdata.h"
#include "pageclock.h"

/* How the text shows a counter. */
enum clock_unit { CLOCK_COUNT, CLOCK_PAGES, CLOCK_SIZE, CLOCK_EVICTIONS,
		  CLOCK_NS };

/*
 * The keys of a target record, in the order the text shows them, and
 * their JSON names: pages and times say their unit, events are bare.
 */
static const struct {
	const char *key;
	enum clock_unit unit;
	const char *json;
} clock_keys[] = {
	{ "budget", CLOCK_SIZE, "budget_pages" },
	{ "rss", CLOCK_SIZE, "rss_pages" },
	{ "rss_max", CLOCK_SIZE, "rss_max_pages" },
	{ "scanned", CLOCK_PAGES, "scanned_pages" },
	{ "huge", CLOCK_PAGES, "huge_pages" },
	{ "second_chances", CLOCK_PAGES, "second_chance_pages" },
	{ "evicted_clean", CLOCK_PAGES, "evicted_clean_pages" },
	{ "evicted_dirty", CLOCK_PAGES, "evicted_dirty_pages" },
	{ "freed", CLOCK_PAGES, "freed_pages" },
	{ "refaults", CLOCK_PAGES, "refaults" },
	{ "refaults_clean", CLOCK_PAGES, "refaults_clean" },
	{ "refaults_dirty", CLOCK_PAGES, "refaults_dirty" },
	{ "refault_distance", CLOCK_EVICTIONS, "refault_distance_evictions" },
	{ "shared", CLOCK_PAGES, "shared_pages" },
	{ "writebacks", CLOCK_PAGES, "writeback_pages" },
	{ "sweeps", CLOCK_COUNT, "sweeps" },
	{ "own_sweeps", CLOCK_COUNT, "own_sweeps" },
	{ "laps", CLOCK_COUNT, "laps" },
	{ "lap_min_ms", CLOCK_COUNT, "lap_min_ms" },
	{ "forced", CLOCK_PAGES, "forced_pages" },
	{ "ns", CLOCK_NS, "time_in_sweeps_ns" },
	{ "own_cpu_ns", CLOCK_NS, "own_sweeps_cpu_ns" },
	{ "spared", CLOCK_PAGES, "spared_pages" },
	{ "untracked", CLOCK_PAGES, "untracked_pages" },
	{ "hist_blocks", CLOCK_COUNT, "history_blocks" },
	{ "floor", CLOCK_COUNT, "floor_laps" },
};

/* The hand's policies, by their numbers in sysfs hand/policy. */
enum { HAND_ESC, HAND_AGE, HAND_GCLOCK };
static const char *const hand_policies[] = {
	[HAND_ESC] = "esc", [HAND_AGE] = "age", [HAND_GCLOCK] = "gclock",
};

/* A target's policy as "target add --policy" takes it: esc, age:4. */
static const char *hand_policy_text(char *buf, size_t len, uint64_t policy,
				    uint64_t k)
{
	if (policy >= PGC_ARRAY_SIZE(hand_policies))
		snprintf(buf, len, "%" PRIu64 "?", policy);
	else if (policy == HAND_ESC)
		snprintf(buf, len, "esc");
	else
		snprintf(buf, len, "%s:%" PRIu64, hand_policies[policy], k);
	return buf;
}

/* A time's name in the text: its key would not say what it is. */
static const char *clock_ns_text(const char *key)
{
	return strcmp(key, "ns") ? "own sweeps' CPU" : "time in sweeps";
}

/* The scalars of debugfs "clock" that target list gives, and their names. */
static const struct {
	const char *key, *json;
} clock_scalars[] = {
	{ "interval_ms", "interval_ms" },
	{ "quota", "quota_pages" },
	{ "clean_scan_pct", "clean_scan_pct" },
	{ "shrinker_counts", "shrinker_counts" },
	{ "shrinker_scans", "shrinker_scans" },
	{ "shrinker_requested", "shrinker_requested_pages" },
	{ "shrinker_given", "shrinker_given_pages" },
};

static void target_help(FILE *out)
{
	fputs("usage: pageclock target add [OPTIONS] PID\n"
	      "       pageclock target add [OPTIONS] -- CMD [ARGS...]\n"
	      "       pageclock target rm PID\n"
	      "       pageclock target list [--json]\n"
	      "OPTIONS: [--budget SIZE] [--pff [--low L] [--high U] [--min SIZE]\n"
	      "         [--max SIZE] [--step SIZE] [--window MS]] [--no-pff]\n"
	      "         [--policy esc|age[:K]|gclock[:K]]\n"
	      "Choose the processes whose pages the CLOCK policy manages.  With a\n"
	      "budget, their resident set is kept at or below it; without one\n"
	      "they give pages only when the kernel reclaims memory.  A SIZE is\n"
	      "in 4 KiB pages, or in bytes with K, M or G (binary: 100M is 25600\n"
	      "pages), rounded up to whole pages.  '-- CMD' starts CMD already a\n"
	      "target (no moment unmanaged), waits for it and exits with its\n"
	      "status.\n"
	      "--pff lets a Page-Fault-Frequency controller move the budget: up\n"
	      "by the window's faults (at least a step, default 1024 pages) when\n"
	      "refaults and major faults per second of the process's CPU time\n"
	      "exceed U (default 200), down to the pages it used when they stay\n"
	      "below L (default 20) for two windows, within [min, max] (default\n"
	      "256 pages to all of RAM), deciding once per window of CPU time\n"
	      "(default 200 ms).\n"
	      "Any of these options implies --pff; --no-pff turns it off.\n"
	      "--policy chooses how the hand judges a page it finds unused:\n"
	      "esc (the default) takes it at once, unless it is dirty and\n"
	      "clean ones remain; age:K after K laps unused; gclock:K gives a\n"
	      "page a lap of credit for each lap it was used, up to K (K\n"
	      "defaults to the module's, 4).  A page the hand meets for the\n"
	      "first time earns nothing, so a scan cannot push out pages in\n"
	      "use (Documentation/benchmarks.md, bench/hand).\n"
	      "Adding a target again changes the settings named and keeps the\n"
	      "rest as they are live (the budget where the controller left\n"
	      "it); a new target starts from the module's defaults.  The live\n"
	      "state is in debugfs ('clock', 'pff', 'knobs'; the slot's sysfs\n"
	      "files hold only what was last staged), so target needs debugfs\n"
	      "mounted.  At most 16 targets, one per slot\n"
	      "/sys/kernel/pageclock/targets/0 to 15.\n",
	      out);
}

static void clock_help(FILE *out)
{
	fputs("usage: pageclock clock --pid PID [--json]\n"
	      "What the CLOCK policy did to a target: pages scanned (and of\n"
	      "them, those in huge pages), second chances, victims by class\n"
	      "(clean, dirty), pages freed, refaults (pages it evicted that\n"
	      "the process faulted back) and their mean\n"
	      "distance in evictions, budget and RSS (pages).\n", out);
}

/* target_status() of a pid that debugfs "clock" has no record of. */
#define TARGET_NOT_ONE 1

/*
 * The error line and exit status of @err from slot file @file of target
 * @pid: "state" is the commit, which applies every staged file at once.
 */
static int target_status(const char *file, long pid, int err)
{
	bool commit = !strcmp(file, "state");
	char path[512], name[16];

	switch (err) {
	case 0:
		return PGC_EXIT_OK;
	case TARGET_NOT_ONE:
	case -ESRCH:
		snprintf(name, sizeof(name), "%ld", pid);
		if (err == TARGET_NOT_ONE &&
		    !access(pgc_path(path, sizeof(path), "/proc", name), F_OK))
			pgc_error("target: %ld is not a target", pid);
		else
			pgc_error("target: no such process %ld", pid);
		return PGC_EXIT_NO_PROCESS;
	case -EOPNOTSUPP:
		pgc_error("target: %ld is a kernel thread: it has no pages to manage",
			  pid);
		return PGC_EXIT_USAGE;
	case -EINVAL:
		if (commit)
			pgc_error("target: refused: the PFF settings break a rule (low < high, min <= max)");
		else
			pgc_error("target: %s refused the value", file);
		return PGC_EXIT_USAGE;
	case -ERANGE:
		if (commit || !strcmp(file, "budget_pages"))
			pgc_error("target: budget out of range (up to the machine's pages; with --pff, min to max)");
		else
			pgc_error("target: %s out of the module's range (debugfs 'knobs')",
				  file);
		return PGC_EXIT_USAGE;
	case -EBUSY:
		pgc_error("target: %ld is a target in another slot already, or its slot holds another process",
			  pid);
		return PGC_EXIT_FAIL;
	case -ENOSPC:
		pgc_error("target: the module's process table is full, so %ld's faults cannot be counted: load it with a larger max_procs",
			  pid);
		return PGC_EXIT_FAIL;
	case -ENOENT:
		pgc_error("target: no %s/targets/: the loaded module is older than this CLI",
			  PGC_SYSFS);
		return PGC_EXIT_FAIL;
	case -EACCES:
	case -EPERM:
		pgc_error("target: permission denied (root only)");
		return PGC_EXIT_PERM;
	default:
		pgc_error("target: %s: %s", file, strerror(-err));
		return PGC_EXIT_FAIL;
	}
}

static const char *slot_path(char *buf, size_t len, int slot, const char *file)
{
	char name[64];

	snprintf(name, sizeof(name), "targets/%d/%s", slot, file);
	return pgc_path(buf, len, PGC_SYSFS, name);
}

/* File @file of slot @slot, its newline dropped, into @buf: 0 or -errno. */
static int slot_read(int slot, const char *file, char *buf, size_t len)
{
	char path[512];
	int n = pgc_read_file(slot_path(path, sizeof(path), slot, file), buf,
			      len);

	if (n < 0)
		return n;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Write @v to file @file of slot @slot, for target @pid: an exit status. */
static int slot_write(int slot, const char *file, long pid, const char *v)
{
	char path[512], line[32];

	snprintf(line, sizeof(line), "%s\n", v);
	return target_status(file, pid,
			     pgc_write_file(slot_path(path, sizeof(path), slot,
						      file), line));
}

static int slot_write_num(int slot, const char *file, long pid, long v)
{
	char num[24];

	snprintf(num, sizeof(num), "%ld", v);
	return slot_write(slot, file, pid, num);
}

/*
 * Field @field of record @pid of table @table ("target" in debugfs
 * "clock", "pff" in "pff") in @t, a number, into *@v: found?
 */
static bool target_field(const char *t, const char *table, long pid,
			 const char *field, long *v)
{
	char name[16], buf[32], *end;

	snprintf(name, sizeof(name), "%ld", pid);
	pgc_kv_rec_str(t, table, name, field, buf, sizeof(buf));
	*v = strtol(buf, &end, 10);
	return *buf && !*end;
}

/*
 * The sysfs targets/ directory, open and flock()ed, so that two CLIs never
 * pick the same free slot or interleave writes to one slot's staged files
 * (closedir() unlocks); NULL with errno set.
 */
static DIR *target_lock(void)
{
	char path[512];
	DIR *d = NULL;
	int fd, err;

	fd = open(pgc_path(path, sizeof(path), PGC_SYSFS, "targets"),
		  O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (TEMP_FAILURE_RETRY(flock(fd, LOCK_EX)) || !(d = fdopendir(fd))) {
		err = errno;
		close(fd);
		errno = err;
	}
	return d;
}

/*
 * The lowest slot in @dir (targets/, locked) whose state is "off", into
 * *@slot.  The slots are listed, not assumed: the module says how many.
 * An exit status.
 */
static int target_free_slot(DIR *dir, long pid, long *slot)
{
	struct dirent *de;
	char buf[32], *end;
	int n = 0, err = 0;
	long i;

	*slot = -1;
	rewinddir(dir);
	while (!err && (de = readdir(dir))) {
		i = strtol(de->d_name, &end, 10);
		if (!isdigit((unsigned char)de->d_name[0]) || *end)
			continue;
		n++;
		if (*slot >= 0 && i > *slot)
			continue;
		err = slot_read(i, "state", buf, sizeof(buf));
		if (!err && !strcmp(buf, "off"))
			*slot = i;
	}
	if (err)
		return target_status("state", pid, err);
	if (*slot < 0) {
		pgc_error("target: the %d target slots are in use", n);
		return PGC_EXIT_FAIL;
	}
	return PGC_EXIT_OK;
}

/* One target record as text. */
static void clock_text(const char *t, const char *pid)
{
	char comm[PGC_NAME_TEXT], st[32];
	size_t i;

	printf("target %s (%s)", pid, pgc_proc_comm_text(pid, comm));
	/* Where its sysfs files are. */
	if (*pgc_kv_rec_str(t, "target", pid, "slot", st, sizeof(st)))
		printf(" in slot %s", st);
	putchar('\n');
	/* Say so, not only a budget that is never met. */
	if (!strcmp(pgc_kv_str(t, "evict", st, sizeof(st)), "unavailable"))
		printf("  evict unavailable: this kernel does not let the module call its reclaim functions (see 'pageclock status')\n");
	for (i = 0; i < PGC_ARRAY_SIZE(clock_keys); i++) {
		const char *k = clock_keys[i].key;
		uint64_t v = pgc_kv_rec(t, "target", pid, k);
		char b[32];

		switch (clock_keys[i].unit) {
		case CLOCK_NS:
			printf("  %-18s %14s\n", clock_ns_text(k),
			       pgc_fmt_ns(b, sizeof(b), v));
			break;
		case CLOCK_SIZE:
			printf("  %-18s %14" PRIu64 " pages (%s)\n", k, v,
			       pgc_fmt_bytes(b, sizeof(b), v * 4096.0));
			break;
		case CLOCK_COUNT:
			printf("  %-18s %14" PRIu64 "\n", k, v);
			break;
		default:
			printf("  %-18s %14" PRIu64 " %s\n", k, v,
			       clock_keys[i].unit == CLOCK_EVICTIONS ?
			       "evictions" : "pages");
		}
	}
	printf("  %-18s %14s\n", "policy",
	       hand_policy_text(st, sizeof(st),
				pgc_kv_rec(t, "target", pid, "policy"),
				pgc_kv_rec(t, "target", pid, "k")));
	printf("  %-18s %14s\n", "state",
	       pgc_kv_rec_str(t, "target", pid, "state", st, sizeof(st)));
}

/* Target @pid's record in debugfs "clock" @t: members of an open object. */
static void clock_json(struct pgc_json *j, const char *t, const char *pid)
{
	char buf[64];
	size_t i;

	pgc_json_u64(j, "pid", strtoull(pid, NULL, 10));
	pgc_json_u64(j, "slot", pgc_kv_rec(t, "target", pid, "slot"));
	pgc_json_str(j, "comm", pgc_proc_comm(pid, buf));
	for (i = 0; i < PGC_ARRAY_SIZE(clock_keys); i++)
		pgc_json_u64(j, clock_keys[i].json,
			     pgc_kv_rec(t, "target", pid, clock_keys[i].key));
	pgc_json_u64(j, "busy", pgc_kv_rec(t, "target", pid, "busy"));
	pgc_json_bool(j, "pff", pgc_kv_rec(t, "target", pid, "pff"));
	pgc_json_str(j, "policy",
		     hand_policy_text(buf, sizeof(buf),
				      pgc_kv_rec(t, "target", pid, "policy"),
				      pgc_kv_rec(t, "target", pid, "k")));
	pgc_json_str(j, "state", pgc_kv_rec_str(t, "target", pid, "state",
						buf, sizeof(buf)));
}

static void target_list_json(const char *t)
{
	struct pgc_json j;
	const char *l = t;
	char pid[16], evict[32];
	size_t i;

	pgc_json_doc(&j, stdout);
	pgc_json_bool(&j, "enabled", pgc_kv_u64(t, "enabled"));
	for (i = 0; i < PGC_ARRAY_SIZE(clock_scalars); i++)
		pgc_json_u64(&j, clock_scalars[i].json,
			     pgc_kv_u64(t, clock_scalars[i].key));
	/* Its own buffer: "do_madvise(MADV_PAGEOUT)" (bug: cut at 15). */
	if (*pgc_kv_str(t, "evict", evict, sizeof(evict)))
		pgc_json_str(&j, "evict", evict);
	else
		pgc_json_null(&j, "evict");	/* a module that does not say */
	pgc_json_array(&j, "targets");
	while ((l = pgc_kv_next(l, t, "target", pid, sizeof(pid)))) {
		pgc_json_object(&j, NULL);
		clock_json(&j, t, pid);
		pgc_json_end(&j);
	}
	pgc_json_end(&j);
	pgc_json_end(&j);
}

static int target_list(bool json)
{
	char *t = pgc_slurp("clock"), pid[16];
	const char *l;
	int n = 0;

	if (!t)
		return PGC_EXIT_FAIL;
	if (json) {
		target_list_json(t);
		free(t);
		return PGC_EXIT_OK;
	}
	for (l = t; (l = pgc_kv_next(l, t, "target", pid, sizeof(pid))); n++)
		clock_text(t, pid);
	if (!n)
		printf("no targets\n");
	free(t);
	return PGC_EXIT_OK;
}

/*
 * The PFF knobs of "target add": option, the module's name, a size?  Their
 * ranges are the module's (debugfs "knobs"), checked in target_knob().
 */
static const struct {
	const char *opt, *key;
	bool size;
} target_knobs[] = {
	{ "low", "low", false },
	{ "high", "high", false },
	{ "min", "min", true },
	{ "max", "max", true },
	{ "step", "step", true },
	{ "window", "window_ms", false },
};

#define TARGET_NKNOBS (sizeof(target_knobs) / sizeof(target_knobs[0]))

/* getopt_long values: a knob is TARGET_KNOB + its index in target_knobs. */
enum { TARGET_BUDGET = 'b', TARGET_PFF = 'F', TARGET_NO_PFF = 'N',
       TARGET_POLICY = 'P', TARGET_KNOB = 0x100 };

static const struct option target_opts[] = {
	{ "low", required_argument, NULL, TARGET_KNOB + 0 },
	{ "high", required_argument, NULL, TARGET_KNOB + 1 },
	{ "min", required_argument, NULL, TARGET_KNOB + 2 },
	{ "max", required_argument, NULL, TARGET_KNOB + 3 },
	{ "step", required_argument, NULL, TARGET_KNOB + 4 },
	{ "window", required_argument, NULL, TARGET_KNOB + 5 },
	{ "budget", required_argument, NULL, TARGET_BUDGET },
	{ "pff", no_argument, NULL, TARGET_PFF },
	{ "no-pff", no_argument, NULL, TARGET_NO_PFF },
	{ "policy", required_argument, NULL, TARGET_POLICY },
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'J' },
	{ "help", no_argument, NULL, 'h' },
	{ }
};

/* What "target add" asks for. */
struct target_req {
	long pid, budget, v[TARGET_NKNOBS];
	bool set[TARGET_NKNOBS], json;
	int pff;	/* -1: unchanged */
	long policy, k;	/* the hand's (-1: unchanged, or k the default) */
	char **cmd;	/* "-- CMD ARGS": start it, then it is PID */
	const char *knobs;	/* debugfs "knobs", read once; NULL: none */
};

/*
 * Is @v in the module's range of knob @scope/@key (@knobs: debugfs
 * "knobs"; a knob it does not list is not checked here)?  If not, says
 * so of @what (the option as given).  An exit status.
 */
static int target_range(const char *verb, const char *knobs, const char *scope,
			const char *key, const char *what, long v,
			const char *unit)
{
	struct pgc_knob kn;

	if (!pgc_knob(knobs, scope, key, &kn) ||
	    ((uint64_t)v >= kn.min && (uint64_t)v <= kn.max))
		return PGC_EXIT_OK;
	pgc_error("%s: %s is out of the module's range, %" PRIu64 " to %" PRIu64 "%s",
		  verb, what, kn.min, kn.max, unit);
	return PGC_EXIT_USAGE;
}

/* Knob @k's value in @text: a number or size, in the module's range. */
static int target_knob(const char *verb, const char *knobs, size_t k,
		       const char *text, long *v)
{
	char what[64];
	int st;

	st = (target_knobs[k].size ? pgc_parse_size : pgc_parse_num)
		(verb, target_knobs[k].opt, text, 0, 1L << 40, v);
	if (st)
		return st;
	snprintf(what, sizeof(what), "--%s %ld", target_knobs[k].opt, *v);
	return target_range(verb, knobs, "pff", target_knobs[k].key, what, *v,
			    target_knobs[k].size ? " pages" : "");
}

/*
 * --policy NAME[:K] into @r: a policy of hand_policies, K in the module's
 * range of hand/k (@knobs); AGE needs K >= 1.  An exit status.
 */
static int target_policy(const char *verb, const char *knobs,
			 const char *text, struct target_req *r)
{
	const char *colon = strchr(text, ':');
	size_t len = colon ? (size_t)(colon - text) : strlen(text);
	char what[64];
	long i;
	int st;

	for (i = 0; i < (long)PGC_ARRAY_SIZE(hand_policies); i++)
		if (strlen(hand_policies[i]) == len &&
		    !strncmp(text, hand_policies[i], len))
			break;
	if (i == (long)PGC_ARRAY_SIZE(hand_policies) || (i == HAND_ESC && colon)) {
		pgc_error("%s: --policy '%s': esc, age[:K] or gclock[:K]",
			  verb, text);
		return PGC_EXIT_USAGE;
	}
	r->policy = i;
	r->k = -1;
	if (!colon)
		return PGC_EXIT_OK;
	st = pgc_parse_num(verb, "policy's K", colon + 1, 0, 1000, &r->k);
	if (st)
		return st;
	snprintf(what, sizeof(what), "--policy %.*s:%ld", (int)len, text, r->k);
	st = target_range(verb, knobs, "hand", "k", what, r->k, "");
	if (st)
		return st;
	if (i == HAND_AGE && !r->k) {
		pgc_error("%s: --policy age:0: a page must be unused a lap at least (K >= 1)",
			  verb);
		return PGC_EXIT_USAGE;
	}
	return PGC_EXIT_OK;
}

/*
 * The options of "target ACTION" (argv[0] is ACTION), anywhere among its
 * arguments (in order: "-" in the option string, so POSIXLY_CORRECT does
 * not change it); leaves the pid, or the command after "--", in @r, and
 * @knobs (debugfs "knobs", for the knobs' ranges).  -1 to go on, or the
 * exit status to return.
 */
static int target_parse(int argc, char **argv, const char *knobs,
			struct target_req *r)
{
	bool add = !strcmp(argv[0], "add"), list = !strcmp(argv[0], "list");
	const char *pid = NULL;
	bool json;
	char verb[16];
	size_t k;
	int c, li, st;

	snprintf(verb, sizeof(verb), "target %s", argv[0]);
	memset(r, 0, sizeof(*r));
	r->pff = -1;
	r->policy = -1;
	r->k = -1;
	r->knobs = knobs;
	opterr = 0;
	optind = 1;
	while (li = -1,
	       (c = getopt_long(argc, argv, "-:jh", target_opts, &li)) != -1) {
		if (c == 1) {	/* an operand */
			if (pid || list) {
				pgc_error("%s: unexpected argument '%s'", verb,
					  optarg);
				return PGC_EXIT_USAGE;
			}
			pid = optarg;
			continue;
		}
		if (c == 'h') {
			target_help(stdout);
			return PGC_EXIT_OK;
		}
		json = c == 'j' || c == 'J';
		if (c == '?' || c == ':' || (json && !list) || (!json && !add))
			return pgc_opt_error(verb, argv, target_opts, li, c);
		if (json) {
			r->json = true;
			pgc_json_mode = true;
			pgc_json_pretty |= c == 'J';
		} else if (c == TARGET_PFF || c == TARGET_NO_PFF) {
			r->pff = c == TARGET_PFF;
		} else if (c == TARGET_POLICY) {
			st = target_policy(verb, knobs, optarg, r);
			if (st)
				return st;
		} else if (c == TARGET_BUDGET) {
			st = pgc_parse_size(verb, "budget", optarg, 1, 1L << 40,
					    &r->budget);
			if (st)
				return st;
		} else {
			k = c - TARGET_KNOB;
			st = target_knob(verb, knobs, k, optarg, &r->v[k]);
			if (st)
				return st;
			r->set[k] = true;
		}
	}
	/* getopt stopped at "--" (an option's value is never left there). */
	if (optind > 1 && !strcmp(argv[optind - 1], "--")) {
		if (!add || pid || optind == argc) {
			pgc_error("%s: %s", verb, !add ? "no command is taken" :
				  pid ? "a pid or '-- CMD', not both" :
				  "no command after '--'");
			return PGC_EXIT_USAGE;
		}
		r->cmd = argv + optind;
	} else if (list) {
		return -1;
	} else if (!pid) {
		pgc_error("%s: which process? (a pid%s)", verb,
			  add ? ", or -- CMD" : "");
		return PGC_EXIT_USAGE;
	} else {
		st = pgc_parse_num(verb, "pid", pid, 1, 4194304, &r->pid);
		if (st)
			return st;
	}
	for (k = 0; k < TARGET_NKNOBS; k++)
		if (r->set[k] && r->pff == 0) {
			pgc_error("%s: --%s with --no-pff", verb,
				  target_knobs[k].opt);
			return PGC_EXIT_USAGE;
		}
	if (r->set[0] && r->set[1] && r->v[0] >= r->v[1]) {
		pgc_error("%s: --low (%ld) must be below --high (%ld)", verb,
			  r->v[0], r->v[1]);
		return PGC_EXIT_USAGE;
	}
	if (r->set[2] && r->set[3] && r->v[2] > r->v[3]) {
		pgc_error("%s: --min (%ld) is above --max (%ld)", verb,
			  r->v[2], r->v[3]);
		return PGC_EXIT_USAGE;
	}
	return -1;
}

/*
 * Knob @k of target @pid, not named on the command line: the live value
 * while a controller runs (@pff: debugfs "pff"), else the module's
 * default (@knobs).  Never what the slot has staged: a refused add may
 * have left anything there.  An exit status.
 */
static int target_knob_keep(const char *pff, const char *knobs, long pid,
			    size_t k, long *v)
{
	const char *key = target_knobs[k].key;
	struct pgc_knob kn;

	if (pff) {
		if (target_field(pff, "pff", pid, key, v))
			return PGC_EXIT_OK;
		pgc_error("target: debugfs pff has no %s of target %ld", key,
			  pid);
		return PGC_EXIT_FAIL;
	}
	if (pgc_knob(knobs, "pff", key, &kn)) {
		*v = kn.def;
		return PGC_EXIT_OK;
	}
	pgc_error("target: cannot read the default of pff/%s in %s/knobs: refused rather than commit what the slot has staged",
		  key, PGC_DEBUGFS);
	return PGC_EXIT_FAIL;
}

/*
 * The hand's policy and K for "target add": what @r names; else, for a
 * target already @on, its live ones (@clock: debugfs "clock"); else the
 * module's defaults (hand/ in debugfs "knobs").  A K not named is the
 * live one only without --policy: another policy's K means something
 * else.  An exit status.
 */
static int target_hand(const struct target_req *r, const char *clock, bool on,
		       long *policy, long *k)
{
	struct pgc_knob kn;

	*policy = r->policy;
	*k = r->k;
	if (on && *policy < 0 &&
	    !(target_field(clock, "target", r->pid, "policy", policy) &&
	      target_field(clock, "target", r->pid, "k", k))) {
		pgc_error("target: debugfs clock has no policy of target %ld",
			  r->pid);
		return PGC_EXIT_FAIL;
	}
	if (*policy < 0) {
		if (!pgc_knob(r->knobs, "hand", "policy", &kn))
			goto no_default;
		*policy = kn.def;
	}
	if (*k < 0) {
		if (!pgc_knob(r->knobs, "hand", "k", &kn))
			goto no_default;
		*k = kn.def;
	}
	return PGC_EXIT_OK;
no_default:
	pgc_error("target: cannot read the hand's defaults in %s/knobs: refused rather than commit what the slot has staged",
		  PGC_DEBUGFS);
	return PGC_EXIT_FAIL;
}

/*
 * "target add", under the lock: @r->pid's slot (the one debugfs "clock"
 * names), or the first free one.  Every staged file is written, then
 * committed, which applies them all at once: what @r names, the rest as
 * it is live, or for a new target the module's defaults.
 */
static int target_add_locked(DIR *dir, const struct target_req *r,
			     const char *clock)
{
	long slot, live, budget = r->budget, v[TARGET_NKNOBS], policy, hk;
	bool named = r->pff >= 0, on, pff_live, pff;
	char *pffs = NULL, file[32];
	int st = PGC_EXIT_OK;
	size_t k;

	on = target_field(clock, "target", r->pid, "slot", &slot);
	if (!on)
		st = target_free_slot(dir, r->pid, &slot);
	pff_live = on && target_field(clock, "target", r->pid, "pff", &live) &&
		   live == 1;
	for (k = 0; k < TARGET_NKNOBS; k++)
		named |= r->set[k];	/* a knob implies --pff */
	pff = named ? r->pff != 0 : pff_live;
	/* With PFF on, budget 0 goes on from where it is (or the RSS). */
	if (!st && !budget && !pff && on &&
	    !target_field(clock, "target", r->pid, "budget", &budget)) {
		pgc_error("target: debugfs clock has no budget of target %ld",
			  r->pid);
		st = PGC_EXIT_FAIL;
	}
	if (!st && pff_live && !(pffs = pgc_slurp("pff")))
		st = PGC_EXIT_FAIL;
	for (k = 0; k < TARGET_NKNOBS && !st; k++) {
		v[k] = r->v[k];
		if (!r->set[k])
			st = target_knob_keep(pffs, r->knobs, r->pid, k, &v[k]);
	}
	free(pffs);
	if (!st)
		st = target_hand(r, clock, on, &policy, &hk);
	if (!st)
		st = slot_write_num(slot, "pid", r->pid, r->pid);
	if (!st)
		st = slot_write_num(slot, "budget_pages", r->pid, budget);
	if (!st)
		st = slot_write_num(slot, "pff/enabled", r->pid, pff);
	for (k = 0; k < TARGET_NKNOBS && !st; k++) {
		snprintf(file, sizeof(file), "pff/%s", target_knobs[k].key);
		st = slot_write_num(slot, file, r->pid, v[k]);
	}
	if (!st)
		st = slot_write_num(slot, "hand/policy", r->pid, policy);
	if (!st)
		st = slot_write_num(slot, "hand/k", r->pid, hk);
	return st ? st : slot_write(slot, "state", r->pid, "commit");
}

/* "target rm", under the lock: the slot debugfs "clock" names, off. */
static int target_rm_locked(DIR *dir, const struct target_req *r,
			    const char *clock)
{
	long slot;

	(void)dir;
	if (!target_field(clock, "target", r->pid, "slot", &slot))
		return target_status("clock", r->pid, TARGET_NOT_ONE);
	return slot_write(slot, "state", r->pid, "off");
}

/*
 * @fn with targets/ locked and the live state (debugfs "clock") read after
 * taking the lock, so that no other CLI changes either meanwhile.
 */
static int target_locked(int (*fn)(DIR *, const struct target_req *,
				   const char *),
			 const struct target_req *r)
{
	DIR *dir = target_lock();
	char *clock;
	int st;

	if (!dir)
		return target_status("targets", r->pid, -errno);
	clock = pgc_slurp("clock");
	st = clock ? fn(dir, r, clock) : PGC_EXIT_FAIL;
	free(clock);
	closedir(dir);
	return st;
}

/*
 * "target add ... -- CMD": the child waits on a pipe until it is a
 * target, then runs CMD; we wait for it as stat does and pass on its
 * status.  A target that could not be added never runs CMD.
 */
static int target_add_cmd(struct target_req *r)
{
	int go, st, code;
	pid_t pid;

	pid = pgc_spawn_held("target add", r->cmd, &go, false);
	if (pid < 0)
		return PGC_EXIT_FAIL;
	r->pid = pid;
	st = target_locked(target_add_locked, r);
	/* A child gone already (killed) must not take us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	if (!st && write(go, "g", 1) != 1) {
		pgc_error("target add: the command did not wait to start: %s",
			  strerror(errno));
		st = PGC_EXIT_FAIL;
	}
	close(go);
	/* Like time(1): the command, not us, reacts to ^C. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	code = pgc_wait_child(pid);
	if (st)
		return st;
	if (code < 0)
		return PGC_EXIT_FAIL;
	return pgc_status_answer(code);	/* CMD's status is no error of ours */
}

static int target_run(int argc, char **argv)
{
	struct target_req r;
	char *knobs = NULL;
	int st;

	if (argc < 2) {
		pgc_error("target: add, rm or list (see 'pageclock target --help')");
		return PGC_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		target_help(stdout);
		return PGC_EXIT_OK;
	}
	if (strcmp(argv[1], "add") && strcmp(argv[1], "rm") &&
	    strcmp(argv[1], "list")) {
		pgc_error("target: unknown action '%s' (add, rm or list)", argv[1]);
		return PGC_EXIT_USAGE;
	}
	/* Once per add: the ranges of the options, the defaults of the rest. */
	if (!strcmp(argv[1], "add"))
		knobs = pgc_debugfs_read("knobs");
	st = target_parse(argc - 1, argv + 1, knobs, &r);
	if (st >= 0)	/* --help, or a usage error */
		goto out;
	st = pgc_module_check();
	if (st)
		goto out;
	if (!strcmp(argv[1], "list"))
		st = target_list(r.json);
	else if (!strcmp(argv[1], "rm"))
		st = target_locked(target_rm_locked, &r);
	else if (r.cmd)
		st = target_add_cmd(&r);
	else
		st = target_locked(target_add_locked, &r);
out:
	free(knobs);
	return st;
}

static int clock_run(int argc, char **argv)
{
	struct pgc_opts o;
	char pid[16], key[32], *t;
	int st;

	st = pgc_verb_start(&pgc_verb_clock, argc, argv, PGC_OPT_NEED_PID, &o);
	if (st >= 0)
		return st;
	t = pgc_slurp("clock");
	if (!t)
		return PGC_EXIT_FAIL;
	snprintf(pid, sizeof(pid), "%d", o.pid);
	snprintf(key, sizeof(key), "target %d ", o.pid);
	if (!strstr(t, key)) {
		pgc_error("clock: %d is not a target (pageclock target add %d)",
			  o.pid, o.pid);
		free(t);
		return PGC_EXIT_NO_PROCESS;
	}
	if (o.json) {
		struct pgc_json j;

		/* A target of target list, with the document's time. */
		pgc_json_doc(&j, stdout);
		clock_json(&j, t, pid);
		pgc_json_end(&j);
	} else {
		clock_text(t, pid);
	}
	free(t);
	return PGC_EXIT_OK;
}

const struct pgc_verb pgc_verb_target = {
	.name = "target",
	.summary = "add, remove or list the CLOCK policy's target processes",
	.run = target_run,
	.help = target_help,
};

const struct pgc_verb pgc_verb_clock = {
	.name = "clock",
	.summary = "what the CLOCK policy did to a target",
	.run = clock_run,
	.help = clock_help,
};
