// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the CLI helpers; no kernel needed.  Prints TAP. */
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "breakdown.h"
#include "kdata.h"
#include "pageclock.h"

static int n_pass, n_fail;

static void check(int ok, const char *what)
{
	if (ok)
		n_pass++;
	else
		n_fail++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", n_pass + n_fail, what);
}

/* One string through the writer, as a top-level document. */
static void json_is(const char *in, const char *want)
{
	struct pgc_json j;
	char buf[256], line[256];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	pgc_json_init(&j, f, false);
	pgc_json_str(&j, NULL, in);
	fclose(f);
	snprintf(line, sizeof(line), "%s\n", want);
	check(!strcmp(buf, line), want);
}

/* A document with every kind of value, compact or pretty. */
static void json_doc(FILE *f, bool pretty)
{
	struct pgc_json j;

	pgc_json_init(&j, f, pretty);
	pgc_json_object(&j, NULL);
	pgc_json_u64(&j, "n", UINT64_MAX);
	pgc_json_s64(&j, "s", -3);
	pgc_json_f64(&j, "f", 0.25, 2);
	pgc_json_f64(&j, "nan", NAN, 1);
	pgc_json_bool(&j, "b", true);
	pgc_json_null(&j, "z");
	pgc_json_array(&j, "a");
	pgc_json_object(&j, NULL);
	pgc_json_str(&j, "k\"", "v");
	pgc_json_end(&j);
	pgc_json_array(&j, NULL);
	pgc_json_end(&j);
	pgc_json_u64(&j, NULL, 1);
	pgc_json_end(&j);
	pgc_json_object(&j, "o");
	pgc_json_end(&j);
	pgc_json_end(&j);
	/* A second document: JSON lines. */
	pgc_json_array(&j, NULL);
	pgc_json_end(&j);
}

static void json_tests(void)
{
	char buf[512];
	FILE *f;

	json_is("plain", "\"plain\"");
	json_is("q\"b\\", "\"q\\\"b\\\\\"");
	json_is("a\nb\tc", "\"a\\u000ab\\u0009c\"");
	json_is("\x01\x7f", "\"\\u0001\\u007f\"");
	json_is("caf\xc3\xa9 \xff\x1b\xed\xa0\x80",
		"\"caf\xc3\xa9 \\ufffd\\u001b\\ufffd\\ufffd\\ufffd\"");
	json_is("\xf0\x9f\x98\x80 \xc0\xaf \xf4\x90\x80\x80",
		"\"\xf0\x9f\x98\x80 \\ufffd\\ufffd \\ufffd\\ufffd\\ufffd\\ufffd\"");
	json_is("\xe2\x82", "\"\\ufffd\\ufffd\"");
	/* C1 controls and U+2028/9 escaped (bug: written raw); U+00A0 as is. */
	json_is("\xc2\x80\xc2\x9b\xc2\x9f\xc2\xa0",
		"\"\\u0080\\u009b\\u009f\xc2\xa0\"");
	json_is("a\xe2\x80\xa8" "b\xe2\x80\xa9" "c\xe2\x80\xaa",
		"\"a\\u2028b\\u2029c\xe2\x80\xaa\"");

	f = fmemopen(buf, sizeof(buf), "w");
	json_doc(f, false);
	fclose(f);
	check(!strcmp(buf, "{\"n\":18446744073709551615,\"s\":-3,\"f\":0.25,"
		      "\"nan\":null,\"b\":true,\"z\":null,"
		      "\"a\":[{\"k\\\"\":\"v\"},[],1],\"o\":{}}\n[]\n"),
	      "json: compact, commas, escaped key, NaN as null, JSON lines");
	f = fmemopen(buf, sizeof(buf), "w");
	json_doc(f, true);
	fclose(f);
	check(!strcmp(buf, "{\n  \"n\": 18446744073709551615,\n  \"s\": -3,\n"
		      "  \"f\": 0.25,\n  \"nan\": null,\n  \"b\": true,\n"
		      "  \"z\": null,\n  \"a\": [\n    {\n      \"k\\\"\": \"v\"\n"
		      "    },\n    [],\n    1\n  ],\n  \"o\": {}\n}\n[]\n"),
	      "json: pretty, two spaces a level, empty containers closed");
}

/*
 * Containers nested past 16 levels, arrays and objects in turn, each
 * closed with its own bracket (bug: past 16 every one closed with '}').
 */
static void json_deep_tests(void)
{
	char buf[1024], want[1024];
	struct pgc_json j;
	size_t n = 0;
	int d, st;
	pid_t pid;
	FILE *f;

	f = fmemopen(buf, sizeof(buf), "w");
	pgc_json_init(&j, f, false);
	for (d = 0; d < 40; d++) {
		const char *key = d && d % 2 == 0 ? "k" : NULL;

		if (d % 2)
			pgc_json_object(&j, key);
		else
			pgc_json_array(&j, key);
		n += snprintf(want + n, sizeof(want) - n, "%s%c",
			      key ? "\"k\":" : "", d % 2 ? '{' : '[');
	}
	for (d = 39; d >= 0; d--) {
		pgc_json_end(&j);
		want[n++] = d % 2 ? '}' : ']';
	}
	fclose(f);
	snprintf(want + n, sizeof(want) - n, "\n");
	check(!strcmp(buf, want),
	      "json: 40 levels deep, each container closed by its own bracket");

	/* Past PGC_JSON_DEPTH: abort, never a document closed wrong. */
	fflush(stdout);
	pid = fork();
	if (!pid) {
		struct rlimit no_core = { 0, 0 };

		setrlimit(RLIMIT_CORE, &no_core);
		if (!freopen("/dev/null", "w", stderr))
			_exit(1);
		pgc_json_init(&j, fopen("/dev/null", "w"), false);
		for (d = 0; d <= PGC_JSON_DEPTH; d++)
			pgc_json_array(&j, NULL);
		_exit(0);
	}
	check(pid > 0 && waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
	      WTERMSIG(st) == SIGABRT,
	      "json: deeper than PGC_JSON_DEPTH aborts");
}

/* The error object main() prints under --json (pgc_json_failure). */
static void failure_tests(void)
{
	char buf[256];
	FILE *f;

	pgc_error("cow: the failure");
	pgc_warn("cow: only a warning");
	check(!strcmp(pgc_last_error, "cow: the failure"),
	      "a warning leaves the last error alone (bug: reported as one)");
	pgc_json_mode = true;
	pgc_last_error[0] = '\0';
	f = fmemopen(buf, sizeof(buf), "w");
	pgc_json_failure(f, "cow", 1);
	fclose(f);
	check(!strcmp(buf, "{\"error\":{\"code\":1,\"message\":\"cow failed (exit status 1)\"}}\n"),
	      "a failure that said nothing: an error object all the same (bug: none)");
	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf), "w");
	pgc_json_failure(f, "cow", 0);
	fclose(f);
	check(!buf[0], "no error object for status 0");
	/* Last: the answer is for the rest of the run. */
	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf), "w");
	pgc_json_failure(f, "stat", pgc_status_answer(3));
	fclose(f);
	check(!buf[0], "no error object for CMD's status");
	pgc_json_mode = false;
}

/* The reader (jsonread.c): what report takes a record's lines with. */
static bool jread_ok(const char *text)
{
	char err[128];
	struct pgc_jval *v = pgc_jparse(text, strlen(text), err, sizeof(err));

	pgc_jfree(v);
	return v;
}

static void jread_tests(void)
{
	static const char doc[] =
		" {\"a\" : [1, -2.5e1, 0, 18446744073709551615, 18446744073709551616,"
		" true, false, null, {}, []],\r\n\t\"s\": \"q\\\"\\\\\\/\\b\\f\\n\\r\\t"
		"\\u00e9\\ud83d\\ude00\\ud800x\\udc00\\u0000z\", \"a\": 2} ";
	static const char *const bad[] = {
		"", " ", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "1e",
		"+1", "\"abc", "\"a\tb\"", "\"\\x\"", "\"\\u12\"", "tru", "nul",
		"{a:1}", "{\"a\" 1}", "'a'", "1 2", "[1] x", "NaN", "Infinity",
	};
	const struct pgc_jval *a, *str;
	struct pgc_jval *v;
	char err[128], deep[200];
	size_t i;

	v = pgc_jparse(doc, sizeof(doc) - 1, err, sizeof(err));
	check(v && v->type == PGC_JOBJ && v->n == 3, "jread: an object, spaces, CR LF");
	a = pgc_jget(v, "a");
	check(a && a->type == PGC_JARR && a->n == 10 &&
	      a->kids[0].is_u64 && a->kids[0].u64 == 1 &&
	      !a->kids[1].is_u64 && a->kids[1].num == -25 &&
	      a->kids[2].is_u64 && a->kids[2].u64 == 0 &&
	      a->kids[3].is_u64 && a->kids[3].u64 == UINT64_MAX &&
	      !a->kids[4].is_u64 && a->kids[4].type == PGC_JNUM,
	      "jread: numbers; whole ones exact to 2^64 - 1");
	check(a && a->kids[5].type == PGC_JBOOL && a->kids[5].b &&
	      a->kids[6].type == PGC_JBOOL && !a->kids[6].b &&
	      a->kids[7].type == PGC_JNULL && a->kids[8].type == PGC_JOBJ &&
	      !a->kids[8].n && a->kids[9].type == PGC_JARR && !a->kids[9].n,
	      "jread: true, false, null, empty object and array");
	str = pgc_jget(v, "s");
	check(str && str->type == PGC_JSTR && str->len == 24 &&
	      !memcmp(str->str, "q\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80"
		      "\xef\xbf\xbdx\xef\xbf\xbd\0z", 25),
	      "jread: every escape, a surrogate pair, lone ones U+FFFD, \\u0000");
	check(pgc_jget(v, "a") == &v->kids[0], "jread: a name twice: the first");
	pgc_jfree(v);
	for (i = 0; i < PGC_ARRAY_SIZE(bad); i++) {
		char what[64];

		snprintf(what, sizeof(what), "jread refuses '%s'", bad[i]);
		check(!jread_ok(bad[i]), what);
	}
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	deep[130] = '\0';
	check(jread_ok(deep), "jread: 65 levels");
	memset(deep, '[', 66);
	memset(deep + 66, ']', 66);
	deep[132] = '\0';
	check(!jread_ok(deep), "jread: 66 levels refused");
}

static void feature_is(const char *line, int ok, const char *name,
		       const char *state, const char *detail)
{
	struct pgc_feature f;
	char buf[256];
	int got;

	snprintf(buf, sizeof(buf), "%s", line);
	got = pgc_parse_feature(buf, &f);
	check(got == ok && (!ok || (!strcmp(f.name, name) &&
				    !strcmp(f.state, state) &&
				    !strcmp(f.detail, detail))), line);
}

/* Hostile process names: what the module prints, back, and out again. */
static void name_tests(void)
{
	char esc[] = "a\\012state\\040gone\\033[2J\\134\\377\\101x\\9";
	char text[PGC_NAME_TEXT];

	check(!strcmp(pgc_name_unescape(esc), "a\nstate gone\033[2J\\\377Ax\\9"),
	      "name: \\ooo back to bytes, a bad escape kept");
	check(!strcmp(pgc_name_text(esc, text),
		      "a\\012state gone\\033[2J\\134\\377Ax\\1349"),
	      "name text: no control byte, no raw backslash");
}

static void kv_tests(void)
{
	const char *t = "# comment\npid 12\ncomm a b\nstate alive\n"
			"kind anon vmas 3 present 10\nkind file vmas 1 present 2\n"
			"raced 0\n";
	char buf[32];

	check(pgc_kv_u64(t, "pid") == 12, "kv scalar");
	check(pgc_kv_u64(t, "nope") == 0, "kv absent scalar is 0");
	check(!strcmp(pgc_kv_str(t, "state", buf, sizeof(buf)), "alive"),
	      "kv string");
	check(pgc_kv_rec(t, "kind", "file", "present") == 2, "kv record field");
	check(pgc_kv_rec(t, "kind", "anon", "vmas") == 3, "kv first field");
	check(pgc_kv_rec(t, "kind", "shmem", "vmas") == 0, "kv absent record");
	check(!strcmp(pgc_kv_rec_str("target 7 rss 5 state no_evict\n", "target",
				     "7", "state", buf, sizeof(buf)), "no_evict"),
	      "kv record word");
	check(!strcmp(pgc_kv_rec_str(t, "kind", "anon", "state", buf,
				     sizeof(buf)), ""), "kv absent record word");
	{
		/* tlb -I: what an interval added to each counter. */
		const char *then = "reason task_switch count 5\ncpus 1 count 2\n"
				   "cause fork local 3 sent 1\ntargets 4\n";
		const char *now = "reason task_switch count 9\ncpus 1 count 2\n"
				  "cpus 2 count 6\ncause fork local 7 sent 1\n"
				  "targets 10\n";
		char *d = pgc_kv_delta(now, then);

		check(d && !strcmp(d, "reason task_switch count 4\ncpus 1 count 0\n"
				   "cpus 2 count 6\ncause fork local 4 sent 0\n"
				   "targets 6\n"),
		      "kv delta: each value less its own, a record's name kept, a new line whole");
		free(d);
		d = pgc_kv_delta("targets 3\n", "targets 10\n");
		check(d && !strcmp(d, "targets 3\n"),
		      "kv delta: a reload counts from zero");
		free(d);
	}
	check(!strcmp(pgc_fmt_bytes(buf, sizeof(buf), 256.0 * (1ULL << 30)),
		      "256.0 GiB"), "fmt_bytes GiB");
	check(!strcmp(pgc_fmt_bytes(buf, sizeof(buf), 100), "100 B"),
	      "fmt_bytes B");
}

int main(void)
{
	char buf[64];

	kv_tests();
	json_tests();
	json_deep_tests();
	failure_tests();
	jread_tests();

	feature_is("ibt   off   CPU does not enforce IBT\n", 1, "ibt", "off",
		   "CPU does not enforce IBT");
	feature_is("tp:tlb_flush available", 1, "tp:tlb_flush", "available", "");
	feature_is("  sym:x\tunavailable\tnot found  ", 1, "sym:x",
		   "unavailable", "not found");
	feature_is("lonely", 0, NULL, NULL, NULL);
	feature_is("", 0, NULL, NULL, NULL);

	snprintf(buf, sizeof(buf), "  x y \n");
	check(!strcmp(pgc_trim(buf), "x y"), "trim both ends");

	setenv("PAGECLOCK_ROOT", "/fake", 1);
	check(!strcmp(pgc_path(buf, sizeof(buf), PGC_SYSFS, "version"),
		      "/fake/sys/kernel/pageclock/version"), "path under root");

	{
		uint64_t h[PGC_BUCKETS] = { 0 };

		check(pgc_hist_pct(h, PGC_BUCKETS, 50) == 0, "empty histogram: 0");
		h[3] = 90;	/* [8, 16) ns */
		h[10] = 10;	/* [1024, 2048) ns */
		check(pgc_hist_pct(h, PGC_BUCKETS, 50) == 16, "p50 upper edge");
		check(pgc_hist_pct(h, PGC_BUCKETS, 90) == 16, "p90 at the edge");
		check(pgc_hist_pct(h, PGC_BUCKETS, 99) == 2048, "p99 in the tail");
		check(!strcmp(pgc_pct_text(buf, sizeof(buf), h, 99),
			      "<= 2.0us"), "p99 as text");
		/* Bug: the open last bucket was printed as "<= 4.29s". */
		h[PGC_BUCKETS - 1] = 5;
		check(pgc_hist_pct(h, PGC_BUCKETS, 99) == PGC_HIST_OPEN,
		      "p99 in the open last bucket");
		check(!strcmp(pgc_pct_text(buf, sizeof(buf), h, 99), "> 2.15s"),
		      "the open bucket as text: '> 2.15s'");
		check(!strcmp(pgc_pct_text(buf, sizeof(buf), h, 90), "<= 2.0us"),
		      "p90 still below it");
	}
	{
		/* faults -I: what an interval added, class by class. */
		static struct pgc_faults f;
		static struct pgc_breakdown a, b;

		f.cls.n = 2;
		f.minor = 10;
		f.count[1] = 4;
		f.hist[1][3] = 4;
		pgc_breakdown_from_faults(&a, &f);
		f.minor = 25;
		f.count[1] = 9;
		f.hist[1][3] = 9;
		pgc_breakdown_from_faults(&b, &f);
		pgc_breakdown_sub(&b, &a);
		check(b.minor == 15 && b.count[1] == 5 && b.class_hist[1][3] == 5 &&
		      b.hist[3] == 5, "interval: deltas of counts and histograms");
		f.minor = 3;	/* the module reloaded meanwhile */
		pgc_breakdown_from_faults(&b, &f);
		pgc_breakdown_sub(&b, &a);
		check(b.minor == 3, "interval: a reload counts from zero");
	}
	/* Bug: top printed rates under 0.5/s as 0. */
	check(!strcmp(pgc_fmt_rate(buf, sizeof(buf), 0.3), "0.3"), "rate 0.3/s");
	check(!strcmp(pgc_fmt_rate(buf, sizeof(buf), 0), "0"), "rate 0");
	check(!strcmp(pgc_fmt_rate(buf, sizeof(buf), 12.4), "12"), "rate 12");
	check(!strcmp(pgc_fmt_rate(buf, sizeof(buf), 2.5e6), "2.5M"),
	      "rate in millions");
	check(!strcmp(pgc_fmt_rate(buf, sizeof(buf), NAN), "-"),
	      "rate unknown");
	check(!strcmp(pgc_fmt_ns(buf, sizeof(buf), 512), "512ns"), "ns");
	check(!strcmp(pgc_fmt_ns(buf, sizeof(buf), 3200), "3.2us"), "us");
	check(!strcmp(pgc_fmt_ns(buf, sizeof(buf), 1.5e6), "1.5ms"), "ms");
	check(!strcmp(pgc_fmt_ns(buf, sizeof(buf), 2e9), "2.00s"), "s");
	check(pgc_cow_verdict(0, 0, "open") == PGC_COW_NONE,
	      "verdict: nothing shared");
	check(pgc_cow_verdict(100, 95, "exited") == PGC_COW_LITTLE,
	      "verdict: c/S near 1");
	check(pgc_cow_verdict(100, 2, "execed") == PGC_COW_SPAWN,
	      "verdict: exec right after fork");
	check(pgc_cow_verdict(100, 2, "exited") == PGC_COW_WORKED,
	      "verdict: c/S near 0");
	check(pgc_cow_verdict(100, 20, "exited") == PGC_COW_SOME,
	      "verdict: some copied");
	{
		int pid;
		bool alive;

		check(pgc_parse_pid("t", "12x", &pid, &alive) == PGC_EXIT_USAGE,
		      "pid with trailing junk");
		check(pgc_parse_pid("t", "-1", &pid, &alive) == PGC_EXIT_USAGE,
		      "negative pid");
		check(pgc_parse_pid("t", "", &pid, &alive) == PGC_EXIT_USAGE,
		      "empty pid");
		check(pgc_parse_pid("t", "99999999999", &pid, &alive) == PGC_EXIT_USAGE,
		      "pid out of range");
		check(pgc_parse_pid("t", "1", &pid, &alive) == 0 && pid == 1,
		      "pid 1 parses");
	}

	name_tests();
	printf("%d passed, %d failed\n", n_pass, n_fail);
	return n_fail ? 1 : 0;
}
