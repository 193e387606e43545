/* SPDX-License-Identifier: GPL-2.0 */
/* The pageclock CLI: shared helpers and conventions of every verb. */
#ifndef PAGECLOCK_CLI_H
#define PAGECLOCK_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <getopt.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "json.h"

/* Exit statuses, the same for every verb (documented in pageclock(8)). */
enum {
	PGC_EXIT_OK = 0,
	PGC_EXIT_FAIL = 1,		/* anything else went wrong */
	PGC_EXIT_USAGE = 2,		/* bad argument */
	PGC_EXIT_NOT_LOADED = 3,	/* module not loaded */
	PGC_EXIT_NO_PROCESS = 4,	/* no such process */
	PGC_EXIT_PERM = 5,		/* permission denied */
	PGC_EXIT_AUDIT = 6,		/* audit: a rule failed */
};

#define PGC_CLI_VERSION	"0.1.0"
/* The file format of record, which report reads (Documentation/cli.md). */
#define PGC_RECORD_FORMAT 2
#define PGC_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PGC_SYSFS	"/sys/kernel/pageclock"
#define PGC_DEBUGFS	"/sys/kernel/debug/pageclock"

struct pgc_verb {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
	void (*help)(FILE *out);
	bool runs_cmd;		/* its operands are a command and its arguments */
};

/* The options most verbs share. */
struct pgc_opts {
	bool json;
	bool has_pid;
	bool pid_alive;		/* /proc/PID exists */
	int pid;
	const char *output;	/* --output FILE, where a verb takes it */
	const char *plot;	/* --plot FILE.png, where a verb takes it */
	bool flush;		/* --flush */
	long interval_ms;	/* --interval MS, default 1000 */
	bool has_interval;	/* --interval given */
	long sweeps;		/* --sweeps N, default 2 */
	bool once;		/* --once */
	const char *sort;	/* --sort KEY, where a verb takes it */
	long count;		/* --count N, default 0: the verb's own */
	bool kernel_only;	/* no module: the kernel's own counters */
};

/* Options beyond --json, --pretty and --help that a verb takes. */
#define PGC_OPT_PID	0x1	/* --pid P */
#define PGC_OPT_OUTPUT	0x2	/* --output F */
#define PGC_OPT_SWEEP	0x4	/* --flush, --interval MS, --sweeps N */
#define PGC_OPT_PID_REQUIRED 0x8
#define PGC_OPT_PLOT	0x10	/* --plot F */
#define PGC_OPT_TOP	0x20	/* --interval MS, --once, --sort KEY, --count N */
#define PGC_OPT_KERNEL	0x40	/* without the module: the kernel's counters */
#define PGC_OPT_INTERVAL 0x80	/* -I/--interval MS, --count N: deltas */
#define PGC_OPT_NEED_PID (PGC_OPT_PID | PGC_OPT_PID_REQUIRED)

/*
 * Parse the options @allow names, plus --json, --pretty and --help, for @v.
 * Returns -1 to go on, or the exit status to return (help, bad usage).
 */
int pgc_parse_opts(const struct pgc_verb *v, int argc, char **argv,
		   unsigned int allow, struct pgc_opts *o);

/* A whole number in [min, max] for option @name, else an error status. */
int pgc_parse_num(const char *verb, const char *name, const char *arg,
		  long min, long max, long *v);
/* A size in pages (or bytes with K, M, G, T) in [min, max] pages, else... */
int pgc_parse_size(const char *verb, const char *name, const char *arg,
		   long min, long max, long *v);

/*
 * The start of most verbs: pgc_parse_opts(), no stray arguments, --pid if
 * required, the module loaded.  -1 to go on, or the exit status to return.
 */
int pgc_verb_start(const struct pgc_verb *v, int argc, char **argv,
		   unsigned int allow, struct pgc_opts *o);

/*
 * -I MS: every interval, @tick(@ctx) prints what the interval added;
 * until --count intervals, SIGINT or SIGTERM, or @tick returns nonzero:
 * PGC_INTERVAL_LAST after printing the last one (what it watched is
 * gone), or an error status.  With @wake (stat: SIGCHLD, which the
 * caller blocked before its fork), that signal ends an interval early
 * instead, and SIGINT and SIGTERM are left alone.
 */
#define PGC_INTERVAL_LAST (-1)
int pgc_intervals(const struct pgc_opts *o, int wake, int (*tick)(void *ctx),
		  void *ctx);

/*
 * plot.c: a PNG at @file from the gnuplot script @script writes (its
 * terminal and data; the output is gnuplot's standard output).  0, or an
 * error status after one error line naming @verb.
 */
int pgc_plot(const char *verb, const char *file,
	     void (*script)(FILE *g, const void *arg), const void *arg);

/* Write @s to @path; 0 or -errno. */
int pgc_write_file(const char *path, const char *s);

/* util.c */
/* A failure: one line on stderr, kept in pgc_last_error for --json. */
void pgc_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A warning: the same line on stderr, pgc_last_error left as it is. */
void pgc_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern char pgc_last_error[256];
/*
 * @st is the verb's answer, not a failure of ours (CMD's status for stat,
 * record and target add -- CMD; 3 for status): no error object.
 */
int pgc_status_answer(int st);
bool pgc_status_answered(void);
/*
 * Under --json, a failure @st of @verb as {"error": {...}} on @out (the
 * last error, or a generic message); nothing for 0 or an answer.  @st.
 */
int pgc_json_failure(FILE *out, const char *verb, int st);
/* --json was given: main() then reports a failure as JSON on stdout too. */
extern bool pgc_json_mode;
/* --pretty was given: every document indented. */
extern bool pgc_json_pretty;
/*
 * Set the two before @v (NULL: an unknown verb) parses its options, so
 * that a bad one is said in JSON too.  Its arguments @argv start with
 * its name; a command's own (v->runs_cmd) are not looked at.
 */
void pgc_json_prescan(const struct pgc_verb *v, int argc, char **argv);
/*
 * A verb's document on @out: the writer set up, its object opened and
 * time_ns (wall clock, ns since the epoch) written first.
 */
void pgc_json_doc(struct pgc_json *j, FILE *out);
/* Clock @c in ns. */
uint64_t pgc_clock_ns(clockid_t c);
/*
 * Fork CMD held at a pipe: it runs once a byte is written to *@go and
 * closed, and never (status 127) if *@go is closed without one; @quiet
 * sends its standard output to standard error.  Its pid, or -1 after an
 * error line naming @verb.
 */
pid_t pgc_spawn_held(const char *verb, char **cmd, int *go, bool quiet);
/* Wait for child @pid: its status as a shell gives it (128 + signal), or -1. */
int pgc_wait_child(pid_t pid);
const char *pgc_path(char *buf, size_t len, const char *dir, const char *file);
void pgc_detail_hold(const char *verb, pid_t pid);
bool pgc_detail_off(void);
int pgc_read_file(const char *path, char *buf, size_t len);
char *pgc_name_unescape(char *s);
/* Room for a name of up to 63 bytes as pgc_name_text() writes it. */
#define PGC_NAME_TEXT 256
const char *pgc_name_text(const char *name, char *buf);
/* /proc/PID/comm as it is, @buf of 64 bytes; "" when the process is gone. */
const char *pgc_proc_comm(const char *pid, char *buf);
const char *pgc_proc_comm_text(const char *pid, char *buf);
char *pgc_trim(char *s);
int pgc_opt_error(const char *verb, char **argv, const struct option *opts,
		  int li, int c);

struct pgc_feature {
	char *name;
	char *state;
	char *detail;
};
bool pgc_parse_feature(char *line, struct pgc_feature *f);

/* One file per verb. */
extern const struct pgc_verb pgc_verb_status;
extern const struct pgc_verb pgc_verb_faults;
extern const struct pgc_verb pgc_verb_cow;
extern const struct pgc_verb pgc_verb_stat;
extern const struct pgc_verb pgc_verb_pt;
extern const struct pgc_verb pgc_verb_tlb;
extern const struct pgc_verb pgc_verb_ad;
extern const struct pgc_verb pgc_verb_target;
extern const struct pgc_verb pgc_verb_clock;
extern const struct pgc_verb pgc_verb_pff;
extern const struct pgc_verb pgc_verb_top;
extern const struct pgc_verb pgc_verb_record;
extern const struct pgc_verb pgc_verb_report;
extern const struct pgc_verb pgc_verb_export;
extern const struct pgc_verb pgc_verb_audit;

#endif /* PAGECLOCK_CLI_H */
