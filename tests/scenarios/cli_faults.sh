#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pageclock faults / cow / stat / top against known workloads, and bad input.
. "$(dirname "$0")/../lib.sh"
pgc_load
pgc_detail_on
out=/tmp/pgc-stat.json

ok "stat --json runs the command and keeps its status" sh -c \
	"pageclock stat --json -o $out -- $WORK fork 1000 300 >/dev/null"
ok "stat: totals and faults have every documented key" jq -e '
	[(.totals | .minor, .major, .swapin, .protection), (.faults | .anon_new,
	 .anon_new_thp, .file_minor, .file_major, .cow_copy, .cow_reuse)] |
	all(type == "number")' $out
ok "stat: anon_new >= the 1000 written pages" jq -e '.faults.anon_new >= 1000' $out
ok "stat: two processes (the workload and its child)" jq -e '.process_count == 2' $out
ok "stat: measured by the kretprobe (every process measured)" jq -e '.fault_hook == "kretprobe"' $out
ok "stat: one fork with S >= 1000 and c >= 300" jq -e \
	'(.forks | length) == 1 and .forks[0].shared_pages >= 1000 and .forks[0].cow_copies >= 300' $out
ok "stat: ratio = c / S" jq -e \
	'(.forks[0].ratio - (.forks[0].cow_copies / .forks[0].shared_pages)) | fabs < 0.001' $out
ok "stat: latency percentiles ordered" jq -e \
	'.latency_all | .p50_ns <= .p90_ns and .p90_ns <= .p99_ns and .p50_ns > 0' $out
ok "stat: command's exit status passed through" sh -c \
	"pageclock stat -o /dev/null -- sh -c 'exit 7'; [ \$? = 7 ]"
ok "stat: missing command is a clear error (127)" sh -c \
	"pageclock stat -o /dev/null -- /nonexistent/cmd 2>/dev/null; [ \$? = 127 ]"
ok "stat: report on stderr by default" sh -c \
	"pageclock stat -- true 2>&1 >/dev/null | grep -q 'pageclock stat for'"

# -I: what an interval added: 3000 pages written within it, fewer than
# the module counted since it was loaded.
ok "faults -I 3000 --count 1: the interval's faults, not the total" sh -c \
	"pageclock faults -I 3000 --count 1 --json > /tmp/pgc-int.json & sleep 0.5
	 $WORK anon 3000; wait \$!
	 total=\$(pageclock faults --json | jq .faults.anon_new)
	 jq -e \".interval_ns >= 3000000000 and .faults.anon_new >= 3000 and .faults.anon_new < \$total\" /tmp/pgc-int.json"
p=$(pgc_hold anon 500)
ok "faults --pid: live process, JSON" sh -c \
	"pageclock faults --pid $p --json | jq -e '.scope == \"process\" and .faults.anon_new >= 500'"
ok "faults --pid: minor+major agree with /proc/PID/stat" sh -c \
	"[ \$(pageclock faults --pid $p --json | jq '.totals.minor + .totals.major') = $(( $(pgc_stat_field "$p" 10) + $(pgc_stat_field "$p" 12) )) ]"
pgc_release "$p"
ok "faults: system-wide JSON" sh -c \
	"pageclock faults --json | jq -e '.scope == \"system\" and .missed == 0 and .totals.minor > 0'"
ok "faults: human table" sh -c "pageclock faults | grep -q anon_new"
ok "cow --json lists forks with verdicts" sh -c \
	"pageclock cow --json | jq -e '(.forks | length) > 0 and (.forks[0].verdict | length) > 0'"

# top: a process that writes 20000 pages within a 3 s interval ranks
# first by faults, at no less than 20000 pages over the measured time.
pageclock top --once --json --interval 3000 >/tmp/pgc-top.json &
top=$!
sleep 0.3
p=$(pgc_hold anon 20000)
wait $top
ok "top --once --json: the faulting process ranks first" jq -e \
	".processes[0].pid == $p and .processes[0].minor_per_s * 3.5 >= 20000 and
	 .processes[0].rss_pages >= 20000 and .processes[0].budget_pages == null" /tmp/pgc-top.json
pgc_target_add "$p" 30000
ok "top: a target's budget, sorted by rss" sh -c \
	"pageclock top --once --json --interval 100 --sort rss |
	 jq -e '.sort == \"rss\" and (.processes | map(.rss_pages) | . == (sort | reverse)) and
		(.processes[] | select(.pid == $p) | .budget_pages == 30000)'"
pgc_target_rm "$p"
pgc_release "$p"
ok "top: a table with units, --count rows" sh -c \
	"pageclock top --once --interval 100 --count 3 >/tmp/pgc-top.txt &&
	 grep -q 'MINOR/s' /tmp/pgc-top.txt && [ \$(grep -c '^ *[0-9]' /tmp/pgc-top.txt) -le 3 ]"
ok "top without a terminal: a table per interval until SIGINT, status 0" sh -c \
	"timeout --preserve-status -s INT 2 pageclock top --interval 300 >/tmp/pgc-top.txt;
	 [ \$? = 0 ] && [ \$(grep -c '^pageclock top:' /tmp/pgc-top.txt) -ge 2 ]"
ok "top --sort of an unknown column: status 2" pgc_status 2 top --once --sort speed
ok "top --interval below 10 ms: status 2" pgc_status 2 top --once --interval 5
ok "top --count 0: status 2" pgc_status 2 top --once --count 0

# Not root: statistics and control are root-only (debugfs, sysfs modes).
for v in faults "target add $$ --budget 100" "pt --pid $$"; do
	ok "pageclock $v as an unprivileged user: status 5, one line" sh -c \
		"setpriv --reuid=65534 --regid=65534 --clear-groups pageclock $v \
			2>/tmp/pgc-perm.err >/dev/null; st=\$?; cat /tmp/pgc-perm.err
		 [ \$st = 5 ] && [ \$(wc -l </tmp/pgc-perm.err) = 1 ] &&
		 grep -q 'permission denied' /tmp/pgc-perm.err"
done

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
p=$(pgc_hold anon 500)
ok "faults --pid without the module: the kernel's counts, and says so" sh -c \
	"pageclock faults --pid $p --json 2>/tmp/pgc-fb.err |
	 jq -e '.source == \"kernel\" and .totals.minor == $(pgc_stat_field "$p" 10) and .totals.major == $(pgc_stat_field "$p" 12)' &&
	 grep -q 'module not loaded' /tmp/pgc-fb.err"
ok "faults without the module: /proc/vmstat" sh -c \
	"pageclock faults --json 2>/dev/null | jq -e '.source == \"kernel\" and .totals.minor > 0'"
ok "top without the module: live processes, no COW column" sh -c \
	"pageclock top --once --json --interval 100 2>/dev/null |
	 jq -e '(.processes | map(.pid) | index($p)) != null and .processes[0].cow_copies_per_s == null'"
pgc_release "$p"
ok "cow without the module: status 3" pgc_status 3 cow
ok "stat without the module: status 3" pgc_status 3 stat -- true
pgc_load
pgc_done
