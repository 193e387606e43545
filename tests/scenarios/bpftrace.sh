#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The bpftrace tools (tools/bpftrace/): each compiles against this kernel,
# attaches, runs on a workload and prints its maps; cow.bt and
# the module count the same copies, faults.bt and the module the same
# faults per process, reclaim.bt and the module see the same reclaim.
. "$(dirname "$0")/../lib.sh"
pgc_load
pgc_detail_on
BT=$PAGECLOCK_REPO/tools/bpftrace

if ! command -v bpftrace >/dev/null; then
	echo "# skipped: bpftrace not installed"
	pgc_done
	exit
fi

# Each tool runs once, on a workload the module also watches: it must
# compile against this kernel and attach every probe (an unknown
# function, field or tracepoint is an ERROR; a probe point that cannot
# attach a WARNING), print its maps, and agree with the module.  One
# start each: bpftrace takes about 10 s to start under TCG.
clean() { # script out
	ok "$1 compiles and attaches on $(uname -r), no warning" \
		sh -c "! grep -E 'WARNING|ERROR' '$2'"
}
# True when OUT has every map named.
maps() { # out maps...
	local out=$1 m
	shift
	for m in "$@"; do
		grep -q "^@$m" "$out" || { echo "# no @$m"; tail -n 5 "$out"; return 1; }
	done
}

# The sum of a bpftrace map's values for keys [PID, any comm] in OUT
# (a pid has two names when a shell forked it and it then ran exec).
bt_val() { # out map pid
	awk -F': ' -v k="@$2[$3, " 'index($0, k) == 1 { s += $2; n++ }
		END { if (n) print s }' "$1"
}

# Start SCRIPT in the background; its pid in $bt.  bpftrace takes about
# 10 s of CPU to start under TCG: the tools start together, on both vCPUs,
# and bt_attached waits for them.  Each runs a waiter as its -c command
# and bt_stop ends the waiter: bpftrace then prints its maps and exits on
# its own, as it does after `bpftrace -c CMD`.  Signals were not reliable
# (bug: once signalled together, cow.bt ended without printing its maps
# and faults.bt was still running 30 s after SIGTERM, CI's 6.1 guest;
# earlier, SIGINT was ignored, and timeout(1) sat 5 and 13 minutes).
bt_n=0
declare -A bt_file
bt_start() { # script out
	bt_n=$((bt_n + 1))
	rm -f "/tmp/pgc-bt-stop.$bt_n"
	# (-c wants an ELF: bpftrace said a script "does not exist or is
	# not executable"; and it splits at each space, so the waiter is
	# copied to a path without one.)
	cp "$PAGECLOCK_REPO/tests/bt-wait" /tmp/pgc-bt-wait
	bpftrace "$BT/$1" -c "/bin/sh /tmp/pgc-bt-wait /tmp/pgc-bt-stop.$bt_n" >"$2" 2>&1 &
	bt=$!
	bt_file[$bt]=/tmp/pgc-bt-stop.$bt_n
}
# Stop the bpftraces PIDS (their waiters end), SIGKILL to one still
# running 120 s later (its maps are lost: the checks on them fail).
bt_stop() { # pid...
	local p end=$((SECONDS + 120))
	for p; do
		touch "${bt_file[$p]}"
	done
	for p; do
		while kill -0 "$p" 2>/dev/null && [ $SECONDS -lt $end ]; do
			sleep 0.5
		done
		if kill -0 "$p" 2>/dev/null; then
			echo "# bpftrace $p: still running 120 s after its command ended, sending SIGKILL"
			kill -KILL "$p"
		fi
		wait "$p"
	done
}
# Running means its BEGIN banner is out: every probe attached and the
# event loop started.  "Attaching N probes" comes before that, and a
# SIGINT sent then was once not acted on until timeout's SIGTERM, ten
# minutes on (a make check saw cow.bt and faults.bt both sit so).
bt_attached() { # out...
	local o
	for o in "$@"; do
		pgc_wait 180 grep -q 'Hit Ctrl-C to end' "$o"
	done
}

swap=$(awk '/^SwapFree:/ { print int($2 / 4) }' /proc/meminfo)
bt_start cow.bt /tmp/pgc-cow-bt.out
cow_bt=$bt
bt_start faults.bt /tmp/pgc-faults-bt.out
faults_bt=$bt

echo "# $(date +%T) tlb.bt on a W^X toggler"
timeout 180 bpftrace "$BT/tlb.bt" -c "$WORK jit 200" >/tmp/pgc-bt.out 2>&1
ok "tlb.bt runs on it and prints @reason" maps /tmp/pgc-bt.out reason
clean tlb.bt /tmp/pgc-bt.out
# An independent witness of the module's count of the toggler's
# shootdowns (it reads on another CPU, which each toggle must flush).
tlb_agree() {
	local p bt mod
	p=$(sed -n 's/^@sent\[\([0-9]*\), pgc-work\]: .*/\1/p' /tmp/pgc-bt.out | head -n1)
	[ -n "$p" ] || { echo "no @sent for pgc-work"; return 1; }
	bt=$(bt_val /tmp/pgc-bt.out sent "$p")
	mod=$(pgc_proc_col "$p" tlb_sent)
	echo "pid $p: module $mod, bpftrace $bt"
	[ "${mod:-0}" -gt 0 ] && pgc_near "${bt:-0}" "$mod" 1 2
}
[ "$(nproc)" -lt 2 ] ||
	ok "tlb.bt and the module agree on the toggler's shootdowns" tlb_agree

echo "# $(date +%T) cow/faults cross-check"
# cow.bt and faults.bt against the module, on one fork job: the child of
# fork 2000 500 copies 500 pages.
bt_attached /tmp/pgc-cow-bt.out /tmp/pgc-faults-bt.out
p=$(pgc_hold fork 2000 500)
child=$(sed -n 's/^child //p' /tmp/pgc-hold.out)
bt_stop $cow_bt $faults_bt
ok "faults.bt prints @faults, @lat_ns and @by_process of a fork job" \
	maps /tmp/pgc-faults-bt.out faults lat_ns by_process
clean faults.bt /tmp/pgc-faults-bt.out
ok "cow.bt prints @forks, @copies and @reuses" maps /tmp/pgc-cow-bt.out forks copies reuses
clean cow.bt /tmp/pgc-cow-bt.out
mod=$(pgc_proc_col "$child" cow_copy)
got=$(bt_val /tmp/pgc-cow-bt.out copies "$child")
ok "cow.bt and the module agree on the child's copies (module $mod, bpftrace ${got:-none}; 2% or 5 pages)" \
	pgc_near "${got:-0}" "$mod" 2 5
mod=$(pgc_proc_col "$p" forks)
got=$(bt_val /tmp/pgc-cow-bt.out forks "$p")
ok "... and on its fork (module $mod, bpftrace ${got:-none})" test "$got" = "$mod"
for q in "$p" "$child"; do
	mod=$(($(pgc_proc_col "$q" minor) + $(pgc_proc_col "$q" major)))
	got=$(bt_val /tmp/pgc-faults-bt.out by_process "$q")
	ok "faults.bt and the module agree on pid $q's faults (module $mod, bpftrace ${got:-none}; 2% or 5)" \
		pgc_near "${got:-0}" "$mod" 2 5
done
pgc_release "$p"

echo "# $(date +%T) reclaim cross-check"
# reclaim.bt against the module: 64 MiB of anonymous memory held, then
# 32 MiB reclaimed through the root cgroup's memory.reclaim: the kernel's
# reclaim, which asks every shrinker, the module's too, what it could
# give; both witnesses must see it.  (Filling free memory plus 16 MiB did
# the same, in 20 s or, with bpftrace's own memory swapped out under it,
# in 278 s on 6.12: a kernel under pressure is not a test's clock.)
if [ "$swap" -gt 8192 ]; then
	bt_start reclaim.bt /tmp/pgc-reclaim-bt.out
	reclaim_bt=$bt
	bt_attached /tmp/pgc-reclaim-bt.out
	n=16384
	c0=$(awk '$1 == "shrinker_counts" { print $2 }' "$PGC_DEBUGFS/clock")
	p=$(pgc_hold fill $n)
	cg=$(pgc_cgroup2)
	ok "memory.reclaim of the root cgroup takes 32M" sh -c "echo 32M > '$cg/memory.reclaim'"
	bt_stop $reclaim_bt
	c1=$(awk '$1 == "shrinker_counts" { print $2 }' "$PGC_DEBUGFS/clock")
	got=$(awk -F': ' '/^@reclaimed_by\[/ { s += $2 } END { print s + 0 }' /tmp/pgc-reclaim-bt.out)
	ok "reclaim.bt saw pages reclaimed for a fill of $n pages ($got)" test "$got" -gt 0
	ok "... and the module's shrinker was asked meanwhile ($((c1 - c0)) calls)" test $((c1 - c0)) -gt 0
	clean reclaim.bt /tmp/pgc-reclaim-bt.out
	pgc_release "$p"
	echo "# $(date +%T) done"
else
	echo "# no swap: reclaim.bt only runs"
	timeout 180 bpftrace "$BT/reclaim.bt" -c "$WORK fill 100" >/tmp/pgc-bt.out 2>&1
	ok "reclaim.bt runs (its maps may be empty without pressure)" grep -q Attaching /tmp/pgc-bt.out
	clean reclaim.bt /tmp/pgc-bt.out
fi
pgc_done
