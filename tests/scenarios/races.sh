#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Processes that exit while they are being named: a target commit and ad/pid
# against processes exiting at the same moment, many times; then process
# table slots reused while they are read.  Each write
# succeeds or fails with an error; no target is left without a live
# process behind it (issue: get_task_pid() may return NULL in target add,
# which matched an empty slot).
. "$(dirname "$0")/../lib.sh"
pgc_load
pgc_detail_on
S=$PGC_SYSFS
N=${PGC_RACES:-200}

bad=0
for ((i = 0; i < N; i++)); do
	/bin/true &
	p=$!
	# Either write may meet the process alive, exiting or reaped.
	echo "$p" >"$PGC_TARGETS/0/pid"
	if ! out=$(echo commit 2>&1 >"$PGC_TARGETS/0/state"); then
		case $out in
		*"No such process"* | *"Operation not supported"*) ;;
		*) bad=$((bad + 1)); echo "# targets/0 commit of $p: $out" ;;
		esac
	fi
	echo off >"$PGC_TARGETS/0/state"
	if ! out=$(echo "$p" 2>&1 >"$S/ad/pid"); then
		case $out in
		*"No such process"* | *"Operation not supported"*) ;;
		*) bad=$((bad + 1)); echo "# ad/pid $p: $out" ;;
		esac
	fi
	wait "$p"
done
ok "$N target commits and ad/pid writes on exiting processes: success or ESRCH (EOPNOTSUPP: the pid went to a kernel thread)" test "$bad" = 0
ok "no target is left whose process is gone" pgc_wait 30 sh -c \
	"! awk '\$1 == \"target\" { print \$2 }' $PGC_DEBUGFS/clock | while read -r t; do kill -0 \$t 2>/dev/null || echo \$t; done | grep -q ."
ok "no target with pid 0" sh -c "! grep -q '^target 0 ' $PGC_DEBUGFS/clock"
ok "ad/pid still reads a number" grep -qx '[0-9]*' "$S/ad/pid"

# Bug (review): two writes of a knob, both refused, each put back the
# value it found, and the second found the first's: faults/hook read 0
# while the hook stayed 2.  A target makes every change of it refused
# (EBUSY); two writers race.
p=$(pgc_hold anon 100)
pgc_target_add "$p" 1000
old=$(cat "$S/faults/hook")
w=()
for v in 0 1; do
	( for ((i = 0; i < N; i++)); do echo $v >"$S/faults/hook"; done 2>/dev/null ) &
	w+=($!)
done
wait "${w[@]}"
ok "$((2 * N)) refused writes of faults/hook from two writers at once leave $old ($(cat "$S/faults/hook"))" \
	test "$(cat "$S/faults/hook")" = "$old"
pgc_target_rm "$p"
pgc_release "$p"

# Bug (review): "forks" printed a record while a newer fork wrote it (the
# oldest line is the record the next fork takes): a line could mix two
# forks.  One process forks children one after another while the file
# is read in a loop: its lines, in the order of seq, keep their times
# in order.
"$WORK" forkexit $((10 * N)) &
fx=$!
while kill -0 "$fx" 2>/dev/null; do
	awk -v p="$fx" 'NR > 1 && $3 == p { if ($2 < t) print "out of order: " prev " / " $0; t = $2; prev = $0 }' \
		"$PGC_DEBUGFS/forks"
done >/tmp/pgc-forks-bad.out
wait "$fx"
ok "$((10 * N)) forks while forks is read: no line mixes two ($(grep -c . /tmp/pgc-forks-bad.out) bad)" \
	sh -c "! grep -q . /tmp/pgc-forks-bad.out || { head -n 3 /tmp/pgc-forks-bad.out; false; }"

# Slot reuse: with the smallest table (64 slots), hundreds of processes
# that live a moment take slots and leave them to the next while "procs"
# is read in a loop.  Every line read is whole, a live process's counters
# are its own, the kernel log silent (issue: a reused slot was cleared with
# memset while a hook on another CPU could still add to the old process's
# counters and a reader print half of each; that race is KCSAN's to see,
# this checks that reuse, now after an RCU grace period, still works).
ok "reload with max_procs=64" sh -c "rmmod pageclock && insmod $PAGECLOCK_KO max_procs=64"
pgc_detail_on
p=$(pgc_hold fill 3000)
( while :; do
	awk 'NR == 1 { n = NF } NR > 1 && NF != n { print "bad line: " $0 }' \
		"$PGC_DEBUGFS/procs"
  done ) > /tmp/pgc-procs-bad.out 2>&1 &
reader=$!
for ((i = 0; i < ${PGC_REUSE:-100}; i++)); do /bin/true; done
kill "$reader"
wait "$reader" 2>/dev/null
ids=$(awk 'NR > 1 && $3 > m { m = $3 } END { print m + 0 }' "$PGC_DEBUGFS/procs")
ok "slots were reused (ids up to $ids in 64 slots, $(grep -c . /tmp/pgc-procs-bad.out) bad lines)" \
	sh -c "[ $ids -gt 64 ] && ! grep -q . /tmp/pgc-procs-bad.out || { head -n 5 /tmp/pgc-procs-bad.out; false; }"
read -r mine kern <<<"$(pgc_fault_totals "$p")"
ok "a live process kept its counters through it ($mine faults, /proc/PID/stat $kern)" \
	pgc_near "$mine" "$kern" 1

# Bug: with the table full, a fork was "open" (its copies counted) though
# neither the parent nor the child had an entry to count them into.
sleeps=()
for ((i = 0; i < 70; i++)); do sleep 600 & sleeps+=($!); done
pf=$(pgc_hold fork 200 50)
st=$(pgc_fork_state "$pf")
ok "a fork with the process table full ($(awk '$1 == "procs_dropped" { print $2 }' "$PGC_DEBUGFS/faults") processes not tracked) is 'partial' ($st)" \
	test "$st" = partial
pgc_release "$pf"
kill "${sleeps[@]}"
wait "${sleeps[@]}" 2>/dev/null
pgc_release "$p"

# Bug (review): with the table full a target commit succeeded, though its
# process had no entry for the fault hook to count into: no hard budget,
# refaults or PFF signal for it.  The process starts before a reload, so
# it has none; sleepers fill the table, more of them after a second take
# the slots that exits meanwhile left, and the commit follows at once.
pn=$(pgc_hold anon 100)
ok "reload with max_procs=64" sh -c "rmmod pageclock && insmod $PAGECLOCK_KO max_procs=64"
sleeps=()
for ((i = 0; i < 80; i++)); do sleep 600 & sleeps+=($!); done
sleep 1
for ((i = 0; i < 40; i++)); do sleep 600 & sleeps+=($!); done
echo "$pn" >"$PGC_TARGETS/0/pid"
err=$({ echo commit >"$PGC_TARGETS/0/state"; } 2>&1)
ok "a target commit with the process table full fails: ENOSPC ($err)" \
	grep -q 'No space left on device' <<<"$err"
ok "... and makes no target" sh -c "! grep -q '^target $pn ' $PGC_DEBUGFS/clock"
kill "${sleeps[@]}"
wait "${sleeps[@]}" 2>/dev/null
pgc_release "$pn"
ok "unload after the storm" pgc_unload
pgc_done
