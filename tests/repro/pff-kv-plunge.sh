#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Open (2026-12-05): PFF on a Zipf key-value process sometimes judges two
# windows in a row in which it faulted not once and touched almost none of
# its pages, and cuts its budget to the minimum (bench/pff kv on 6.12, in
# some rounds, after the own-sweep clock fix too).  This runs kv under PFF
# as bench/pff does and logs, every 100 ms, the process's user and system
# ticks, the hand's counters and PFF's state, then PFF's history, so a
# plunge can be matched with what the process did meanwhile:
#   tools/vm/run --kernel 6.12 --cpus 2 --memory 1G --swap 512M \
#	--tcg-single --timeout 900 -- tests/guest-run tests/repro/pff-kv-plunge.sh
# Output: build/pff-kv-plunge.log and .hist in the repository.
. "$PAGECLOCK_REPO/tests/lib.sh"
pgc_load
# The tickers bench/pff runs beside every workload (pff-guest says why).
for c in 0 1; do
	taskset -c $c python3 -c 'import time
while True: time.sleep(0.005)' &
done
trap 'kill $(jobs -p) 2>/dev/null' EXIT
p=$(pgc_hold kv 16000:6s 16000:6s 16000:6s) || exit 1
pageclock target add "$p" --pff >/dev/null
kill -USR1 "$p"
t0=$(date +%s%N)
log=$PAGECLOCK_REPO/build/pff-kv-plunge.log
: >"$log"
while [ "$(grep -c '^phase' /tmp/pgc-hold.out)" -lt 3 ] && kill -0 "$p" 2>/dev/null; do
	{
		echo -n "$((($(date +%s%N) - t0) / 1000000)) "
		awk '{ printf "utime %s stime %s ", $14, $15 }' "/proc/$p/stat"
		awk -v p="$p" '$1 == "target" && $2 == p { for (i = 3; i < NF; i += 2)
			if ($i ~ /^(budget|rss|second_chances|evicted_clean|evicted_dirty|sweeps|own_sweeps|own_cpu_ns|busy|forced)$/)
				printf "%s %s ", $i, $(i + 1) }' "$PGC_DEBUGFS/clock"
		awk -v p="$p" '$1 == "pff" && $2 == p { for (i = 3; i < NF; i += 2)
			if ($i ~ /^(rate|cpu_ms|windows|samples)$/) printf "%s %s ", $i, $(i + 1) }' "$PGC_DEBUGFS/pff"
		echo
	} >>"$log"
	sleep 0.1
done
awk -v p="$p" '$1 == "history" && $2 == p' "$PGC_DEBUGFS/pff" >"${log%.log}.hist"
kill "$p"
# A plunge: a lower to under a tenth of the RSS it left.
if awk '$16 == "lower" && $10 * 10 < $12 { f = 1 } END { exit !f }' "${log%.log}.hist"; then
	what="a plunge: see ${log%.log}.hist"
else
	what="no plunge this time"
fi
ok "kv ran under PFF: $what" true
pgc_done
