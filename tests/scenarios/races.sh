#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Processes that exit while they are being named: target add and ad_pid
# against processes exiting at the same moment, many times.  Each write
# succeeds or fails with an error; no target is left without a live
# process behind it (issue: get_task_pid() may return NULL in target add,
# which matched an empty slot).
. "$(dirname "$0")/../lib.sh"
pgc_load
S=$PGC_SYSFS
N=${PGC_RACES:-200}

bad=0
for ((i = 0; i < N; i++)); do
	/bin/true &
	p=$!
	# Either write may meet the process alive, exiting or reaped.
	if ! out=$(echo "$p 256" 2>&1 >"$S/target_add"); then
		case $out in
		*"No such process"* | *"Invalid argument"*) ;;
		*) bad=$((bad + 1)); echo "# target_add $p: $out" ;;
		esac
	fi
	if ! out=$(echo "$p" 2>&1 >"$S/ad_pid"); then
		case $out in
		*"No such process"* | *"Invalid argument"*) ;;
		*) bad=$((bad + 1)); echo "# ad_pid $p: $out" ;;
		esac
	fi
	wait "$p"
done
ok "$N target_add and ad_pid writes on exiting processes: success or ESRCH/EINVAL" test "$bad" = 0
ok "no target is left whose process is gone" pgc_wait 30 sh -c \
	"! awk '\$1 == \"target\" { print \$2 }' $PGC_DEBUGFS/clock | while read -r t; do kill -0 \$t 2>/dev/null || echo \$t; done | grep -q ."
ok "no target with pid 0" sh -c "! grep -q '^target 0 ' $PGC_DEBUGFS/clock"
ok "ad_pid still reads a number" grep -qx '[0-9]*' "$S/ad_pid"
ok "unload after the storm" pgc_unload
pgc_done
