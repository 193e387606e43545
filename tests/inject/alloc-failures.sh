#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Allocation failures, one fallible point at a time, in turn at every
# point of: loading the module (every 8th, see each_point), adding a
# target (with and without a PFF controller, under either fault hook),
# naming the A/D target, an A/D sweep, and opening and reading every
# debugfs file.  After each: the
# call failed cleanly (an error, no trace of it left) or went on without
# what it could not get; the module unloads; at the end kmemleak finds
# nothing new.
#
# Needs the debug kernel (CONFIG_FAULT_INJECTION, tools/vm/debug.config)
# booted with kmemleak=on: make check's step debug-stress-6.12.  Run it:
#   make -C tests/workloads && make -C userspace
#   tools/vm/run --kernel debug-6.1 --tcg-single --append kmemleak=on -- \
#	tests/guest-run tests/inject/alloc-failures.sh
. "$(dirname "$0")/../lib.sh"
S=$PGC_SYSFS
FN=$PAGECLOCK_REPO/tests/workloads/pgc-failnth
KL=/sys/kernel/debug/kmemleak

ok "fault injection in this kernel (/proc/self/fail-nth)" test -w /proc/self/fail-nth || { pgc_done; exit; }
ok "kmemleak on (kmemleak=on)" sh -c "echo clear > $KL" || { pgc_done; exit; }
# Every allocation may fail, sleeping or not, of any order; quietly.
for f in failslab fail_page_alloc; do
	echo N > /sys/kernel/debug/$f/ignore-gfp-wait
	echo 0 > /sys/kernel/debug/$f/verbose
done
echo N > /sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem
echo 0 > /sys/kernel/debug/fail_page_alloc/min-order

# Fail the 1st, 2nd, ... fallible point of OP until OP makes fewer; after
# each, CHECK RET ERRNO judges the state (and restores it).  Each point's
# outcome goes to /tmp/pgc-inject.log; a failed check shows its last lines
# and the kernel's.
each_point() { # what check op args...
	local what=$1 check=$2 n=0 out injected=1 ret errno failed=0 bad=0 tried=0
	local step=1 first
	shift 2
	# A load costs about 2 s a point here, with some 500 points: every
	# STRIDEth from a random start (the ok line names it; stride 1 tries
	# them all).  A target commit's 150 points are mostly the fault
	# kretprobe's instances, allocated by register_kretprobe() one after
	# another: every COMMIT_STRIDEth.
	case "$what" in
	load) step=$STRIDE ;;
	"target commit"*) step=$COMMIT_STRIDE ;;
	esac
	first=$(((START - 1) % step + 1))
	n=$((first - step))
	while [ "$injected" = 1 ] && [ $n -lt 5000 ]; do
		n=$((n + step)) tried=$((tried + 1))
		out=$("$FN" $n "$@") || { echo "# $out"; bad=$((bad + 1)); break; }
		read -r _ injected _ ret _ errno <<<"$out"
		echo "$what $n: $out" >> /tmp/pgc-inject.log
		[ "$ret" -ge 0 ] || failed=$((failed + 1))
		if ! "$check" "$ret" "$errno" >/tmp/pgc-inject.out 2>&1; then
			bad=$((bad + 1))
			echo "# failing point $n: $out; $(tr '\n' ' ' </tmp/pgc-inject.out)"
			if [ $bad = 1 ]; then
				tail -n 4 /tmp/pgc-inject.log | sed 's/^/#   /'
				dmesg | tail -n 8 | sed 's/^/#   /'
			fi
		fi
	done
	ok "$what: $((tried - 1)) points failed in turn$([ $step = 1 ] || echo ", every ${step}th from $first") ($failed calls returned an error, $((tried - 1 - failed)) went on), state right after each" \
		test "$bad" = 0 -a "$injected" = 0
}

STRIDE=${PGC_INJECT_STRIDE:-8}
COMMIT_STRIDE=${PGC_INJECT_COMMIT_STRIDE:-1}
START=${PGC_INJECT_START:-$((RANDOM % STRIDE + 1))}

files() { ls "$S" "$PGC_DEBUGFS" 2>&1; }
# Loaded: every file of both interfaces there (issue: a debugfs file that
# could not be made was left out without a word), the exit's hook
# attached (bug: a load went on without it, and no process table entry
# was ever marked exited), and it unloads leaving nothing.  Not: nothing
# left.
load_check() { # ret errno
	if [ "$1" -ge 0 ]; then
		[ "$(files)" = "$all_files" ] || { echo "loaded without all its files:" $(files); rmmod pageclock; return 1; }
		grep -Eq '^tp:sched_process_exit +attached' "$PGC_DEBUGFS/features" ||
			{ echo "loaded without the exit's hook"; rmmod pageclock; return 1; }
		rmmod pageclock || return 1
		pgc_gone || { echo "unload left something"; return 1; }
	else
		pgc_gone || { echo "failed load left something ($2)"; return 1; }
	fi
}
pgc_load
all_files=$(files)
pgc_unload
each_point "load" load_check load "$PAGECLOCK_KO"
pgc_load

p=$(pgc_hold anon 2000)
budget() { pgc_rec clock target "$p" budget; }
# Added: the target is there with its budget (and is removed again).
# Refused: no target.
add_check() { # ret errno
	if [ "$1" -ge 0 ]; then
		[ "$(budget)" = 500 ] || { echo "added, budget '$(budget)'"; return 1; }
		pgc_target_rm "$p"
	else
		[ -z "$(budget)" ] || { echo "refused ($2) but a target"; return 1; }
	fi
}
T=$PGC_TARGETS/0
echo "$p" > "$T/pid"
echo 500 > "$T/budget_pages"
each_point "target commit" add_check write "$T/state" commit
echo 1 > "$T/pff/enabled"
echo 50 > "$T/pff/window_ms"
each_point "target commit with a PFF controller" add_check write "$T/state" commit
echo 0 > "$T/pff/enabled"
# Under faults/hook=1: the tracepoints' attach and the perf events given
# to the target's threads instead of the kretprobe's instances.
echo 1 > "$S/faults/hook"
each_point "target commit under faults/hook=1" add_check write "$T/state" commit
echo 2 > "$S/faults/hook"	# the default (auto: the kretprobe for targets)

ad_check() { # ret errno
	if [ "$1" -ge 0 ]; then
		[ "$(cat "$S/ad/pid")" = "$p" ] || { echo "set, ad/pid $(cat "$S/ad/pid")"; return 1; }
		echo 0 > "$S/ad/pid"
	else
		[ "$(cat "$S/ad/pid")" = 0 ] || { echo "refused ($2), ad/pid $(cat "$S/ad/pid")"; return 1; }
	fi
}
each_point "ad/pid" ad_check write "$S/ad/pid" "$p"

# A sweep may go on without age blocks it could not get: the next sweep
# still works.
echo "$p" > "$S/ad/pid"
sweep_check() { echo sweep > "$S/ad/sweep" && grep -q '^state ' "$PGC_DEBUGFS/ad"; }
each_point "A/D sweep" sweep_check write "$S/ad/sweep" sweep
echo 0 > "$S/ad/pid"

# A read: its error, or something where a clean read has something.
read_check() { [ "$1" -ne 0 ] || [ -z "$full" ]; }
pgc_target_add "$p" 500
for f in "$PGC_DEBUGFS"/*; do
	full=$(head -c 1 "$f")
	case ${f##*/} in
	pt) full=x; each_point "read of pt" read_check read "$f" "$p" ;;
	*) each_point "read of ${f##*/}" read_check read "$f" ;;
	esac
done
pgc_target_rm "$p"
pgc_release "$p"

ok "unload after it all" pgc_unload
# kmemleak reports an object unreferenced for 5 s or more.
sleep 6
echo scan > "$KL"
ok "kmemleak: nothing leaked" sh -c "! grep -q . $KL || { head -n 60 $KL; false; }"
ok "load again" pgc_load
pgc_done
