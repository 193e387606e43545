#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pageclock faults / cow / stat against known workloads, and bad input.
. "$(dirname "$0")/../lib.sh"
pgc_load
out=/tmp/pgc-stat.json

ok "stat --json runs the command and keeps its status" sh -c \
	"pageclock stat --json -o $out -- $WORK fork 1000 300 >/dev/null"
ok "stat: faults has every documented key" jq -e '.faults |
	(.minor, .major, .anon_new, .anon_new_thp, .file_minor, .file_major,
	 .swapin, .cow_copy, .cow_reuse, .protection) | numbers' $out
ok "stat: anon_new >= the 1000 written pages" jq -e '.faults.anon_new >= 1000' $out
ok "stat: two processes (the workload and its child)" jq -e '.processes == 2' $out
ok "stat: one fork with S >= 1000 and c >= 300" jq -e \
	'(.cow | length) == 1 and .cow[0].shared_at_fork >= 1000 and .cow[0].cow_copies >= 300' $out
ok "stat: ratio = c / S" jq -e \
	'(.cow[0].ratio - (.cow[0].cow_copies / .cow[0].shared_at_fork)) | fabs < 0.001' $out
ok "stat: latency percentiles ordered" jq -e \
	'.latency_ns.all | .p50 <= .p90 and .p90 <= .p99 and .p50 > 0' $out
ok "stat: command's exit status passed through" sh -c \
	"pageclock stat -o /dev/null -- sh -c 'exit 7'; [ \$? = 7 ]"
ok "stat: missing command is a clear error (127)" sh -c \
	"pageclock stat -o /dev/null -- /nonexistent/cmd 2>/dev/null; [ \$? = 127 ]"
ok "stat: report on stderr by default" sh -c \
	"pageclock stat -- true 2>&1 >/dev/null | grep -q 'pageclock stat for'"

p=$(pgc_hold anon 500)
ok "faults --pid: live process, JSON" sh -c \
	"pageclock faults --pid $p --json | jq -e '.scope == \"process\" and .faults.anon_new >= 500'"
ok "faults --pid: minor+major agree with /proc/PID/stat" sh -c \
	"[ \$(pageclock faults --pid $p --json | jq '.faults.minor + .faults.major') = $(( $(pgc_stat_field "$p" 10) + $(pgc_stat_field "$p" 12) )) ]"
pgc_release "$p"
ok "faults: system-wide JSON" sh -c \
	"pageclock faults --json | jq -e '.scope == \"system\" and .missed == 0 and .faults.minor > 0'"
ok "faults: human table" sh -c "pageclock faults | grep -q anon_new"
ok "cow --json lists forks with verdicts" sh -c \
	"pageclock cow --json | jq -e '(.forks | length) > 0 and (.forks[0].verdict | length) > 0'"

# Bad input: one clear line on stderr, a distinct non-zero status.
ok "faults --pid of a missing process: status 4" pgc_status 4 faults --pid 3999999
ok "faults --pid not a number: status 2" pgc_status 2 faults --pid 12abc
ok "faults --pid negative: status 2" pgc_status 2 faults --pid -5
ok "faults --pid of a kernel thread: status 2" pgc_status 2 faults --pid 2
ok "cow --pid of a missing process: status 4" pgc_status 4 cow --pid 3999999
ok "faults with a stray argument: status 2" pgc_status 2 faults extra
ok "stat without a command: status 2" pgc_status 2 stat
ok "unknown option: status 2" pgc_status 2 cow --frobnicate
pgc_unload
ok "faults without the module: status 3" pgc_status 3 faults
ok "stat without the module: status 3" pgc_status 3 stat -- true
pgc_load
pgc_done
