#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unload at any moment: load/unload cycles while two targets are being
# squeezed (one under a PFF controller), A/D sweeps run, every debugfs
# file is read in a loop and processes fork and exit; then targets whose
# processes exit at random moments.  The checksummed data of the squeezed
# processes must survive it all; the harness checks the kernel log.
#
# make check runs it after the scenarios of vm-6.1, vm-6.12 and
# vm-debug-6.1, and in debug-stress-6.12, under QEMU's single-threaded TCG: under the default multi-threaded TCG a vCPU can
# keep running a stale translation of the int3 that ftrace writes while
# a probe at handle_mm_fault is armed or disarmed, and the guest hangs or
# jumps to 0.  That needs no pageclock: tests/repro/mttcg-kprobe-toggle.sh
# does it with a tracefs kretprobe alone (see Documentation/status.md).
# Run it:
#   make -C userspace && make -C tests/workloads
#   tools/vm/run --kernel 6.1 --swap 256M --tcg-single -- \
#	tests/guest-run tests/stress/unload-under-faults.sh
. "$(dirname "$0")/../lib.sh"
# A fresh load: the scenarios before it in the same guest set knobs.
pgc_unload
pgc_load
S=$PGC_SYSFS
# The trust issue's counts; make check asks for fewer (tests/run).
CYCLES=${PGC_STRESS_CYCLES:-100}
EXITS=${PGC_STRESS_EXITS:-1000}
# The most pages an exiting target writes (its life is that long).
PAGES=${PGC_STRESS_PAGES:-600}

# Two processes of checksummed pages, each with its own output.
hold() { # name pages
	PGC_HOLD=/tmp/pgc-$1.pid "$WORK" fill "$2" >"/tmp/pgc-$1.out" 2>&1 &
	pgc_wait 60 test -s "/tmp/pgc-$1.pid"
	cat "/tmp/pgc-$1.pid"
}
rm -f /tmp/pgc-s1.pid /tmp/pgc-s2.pid
p1=$(hold s1 6000)
p2=$(hold s2 6000)
# After each load (every slot off, its files at their defaults): the
# targets in slots 0 and 1 and the sweeps again, with shell builtins only:
# a fork costs tens of ms under TCG, and this runs a hundred times.  Each
# third cycle under each faults/hook (HOOK): under 1 the targets' threads
# carry perf events, which the unload must take back, and the readers'
# opens of debugfs detail switch the fault hook between the kretprobe and
# the tracepoints while the targets fault; under 2 (auto) the targets
# keep the kretprobe.
aim() { # hook
	local t0=$PGC_TARGETS/0 t1=$PGC_TARGETS/1
	echo "$1" >"$S/faults/hook"
	echo "$p1" >"$t0/pid" && echo 1500 >"$t0/budget_pages" &&
		echo commit >"$t0/state"
	echo "$p2" >"$t1/pid" && echo 3000 >"$t1/budget_pages" &&
		echo 1 >"$t1/pff/enabled" && echo 50 >"$t1/pff/window_ms" &&
		echo commit >"$t1/state"
	echo "$p1" >"$S/ad/pid"
	echo 100 >"$S/ad/interval_ms"
}
aim 0

# Readers of every debugfs file, and a fork/exit storm.
( while :; do
	for f in "$PGC_DEBUGFS"/*; do cat "$f" >/dev/null 2>&1; done
	# Between unload and load there is no file: say nothing of it.
	echo "$p2" 2>/dev/null >"$PGC_DEBUGFS/pt"
  done ) &
readers=$!
( while :; do /bin/true; done ) &
storm=$!

# rmmod refuses while a reader has a file open: the module's reference,
# as it should be; it is asked again.  kmod says "in use" when it saw the
# reference itself, "Resource temporarily unavailable" (EWOULDBLOCK from
# delete_module) when a reader opened a file just after it looked.
unload() {
	local i
	for i in $(seq 1 50); do
		rmmod pageclock 2>/tmp/pgc-rmmod.err && return 0
		grep -qE 'in use|Resource temporarily unavailable' /tmp/pgc-rmmod.err || break
		sleep 0.1
	done
	cat /tmp/pgc-rmmod.err
	return 1
}
bad=0
for ((i = 1; i <= CYCLES; i++)); do
	sleep 0.$((RANDOM % 5))
	if ! unload || ! insmod "$PAGECLOCK_KO"; then
		bad=$((bad + 1))
		pgc_load
	fi
	# The last cycle's hook=1 stays for the exiting targets below.
	aim $(((CYCLES - i + 1) % 3)) 2>/dev/null
done
ok "$CYCLES unloads and loads under eviction, PFF, sweeps, readers and forks" test "$bad" = 0

# Targets that exit at random moments: mid-add, mid-sweep, mid-eviction
# (and, hook=1, mid-way through giving their threads perf events).
# Each writes a random number of pages and exits: its life is that long.
# Up to 600, not 3000: past its 50-page budget each one's own sweeps swap
# out what it writes, and 3000 made this part 257 s of make check.
odd=0 kids=()
for ((i = 0; i < EXITS; i++)); do
	"$WORK" anon $((RANDOM % PAGES)) >/dev/null 2>&1 &
	q=$!
	kids+=("$q")
	# Slots 2..15 in turn (aim() took 0 and 1): off, then the new one.
	t=$PGC_TARGETS/$((2 + i % 14))
	echo off >"$t/state"
	echo "$q" >"$t/pid"
	echo 50 >"$t/budget_pages"
	if ! out=$(echo commit 2>&1 >"$t/state"); then
		case $out in
		*"No such process"* | *"Operation not supported"*) ;;
		*) odd=$((odd + 1)); echo "# commit of $q in $t: $out" ;;
		esac
	fi
done
wait "${kids[@]}" 2>/dev/null
ok "$EXITS targets exiting at random moments: success or ESRCH (EOPNOTSUPP: the pid went to a kernel thread)" test "$odd" = 0
kill "$readers" "$storm"
wait "$readers" "$storm" 2>/dev/null

for n in s1 s2; do
	p=$(cat /tmp/pgc-$n.pid)
	kill -USR1 "$p"
	pgc_wait 120 grep -q mismatches "/tmp/pgc-$n.out"
	ok "$n: 6000 pages intact after it all ($(grep mismatches /tmp/pgc-$n.out))" \
		grep -q '^mismatches 0$' "/tmp/pgc-$n.out"
	pgc_release "$p"
done
echo 0 > "$S/ad/interval_ms"
echo 0 > "$S/ad/pid"
ok "a last unload" pgc_unload
ok "and load" pgc_load
pgc_done
