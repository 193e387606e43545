#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Which process a written id names, one rule for every file: any thread
# id of the process, read in the writer's pid namespace; the process is
# kept while any of its threads runs (issue: PID handling; add took the
# writer's namespace, remove the initial one, and a process whose leader
# had exited could not be added, or was dropped while it still ran).
. "$(dirname "$0")/../lib.sh"
pgc_load
S=$PGC_SYSFS
rec() { pgc_rec clock target "$1" "$2"; }
evicted_ge() { [ "$(rec "$1" evicted_dirty)" -ge "$2" ]; }

# The leader called pthread_exit(): one other thread runs, 3000 pages.
p=$(pgc_hold leaderexit 3000)
tid=$(ls "/proc/$p/task" | grep -vx "$p" | head -n1)
ok "leader of $p a zombie, thread $tid runs" sh -c \
	"awk '{ exit \$3 != \"Z\" }' /proc/$p/stat && [ -n '$tid' ]"
ok "target add of a process whose leader exited" pgc_target_add "$p" 1000
T=$PGC_TARGETS/$(pgc_slot "$p")
ok "... the same target named by its other thread ($tid)" sh -c \
	"echo $tid > $T/pid && echo 800 > $T/budget_pages && echo commit > $T/state &&
	 [ \$(grep -c '^target ' $PGC_DEBUGFS/clock) = 1 ]"
ok "... its pages go down to the budget ($(pgc_wait 60 evicted_ge "$p" 1800; rec "$p" evicted_dirty) evicted)" \
	evicted_ge "$p" 1800
ok "... and it stays a target while its thread runs" grep -q "^target $p " "$PGC_DEBUGFS/clock"
ok "ad/pid takes it" sh -c "echo $p > $S/ad/pid && [ \$(cat $S/ad/pid) = $p ]"
ok "pageclock pt of it" sh -c "pageclock pt --pid $p >/dev/null"
ok "target off, its slot named by the thread's id" pgc_target_rm "$tid"
ok "... gone" sh -c "! grep -q '^target $p ' $PGC_DEBUGFS/clock"
echo 0 > "$S/ad/pid"
pgc_release "$p"

# A target that exits while the worker is off is not dropped: its slot
# says so, and off takes it away.
echo 0 > "$S/clock/enabled"
p=$(pgc_hold anon 10)
pgc_target_add "$p" 500
pgc_release "$p"
T=$PGC_TARGETS/$(pgc_slot "$p")
ok "worker off: an exited target is still listed" grep -q "^target $p " "$PGC_DEBUGFS/clock"
ok "... its slot reads exited" grep -qx exited "$T/state"
ok "... off takes it away" sh -c \
	"echo off > $T/state && ! grep -q '^target $p ' $PGC_DEBUGFS/clock && grep -qx off $T/state"
echo 1 > "$S/clock/enabled"

# From inside a new pid namespace: the numbers the writer sees there.
out=$(unshare -p -f --mount-proc sh -c "
	sleep 60 & p=\$!
	echo \$p > $PGC_TARGETS/15/pid && echo commit > $PGC_TARGETS/15/state &&
		grep -qx on $PGC_TARGETS/15/state && echo added \$p
	echo off > $PGC_TARGETS/15/state && grep -qx off $PGC_TARGETS/15/state &&
		echo removed \$p
	kill \$p" 2>&1)
echo "# in a pid namespace: $(echo $out)"
ok "target add and remove by the numbers of the writer's namespace" \
	sh -c 'echo "$1" | grep -q "^added [0-9]" && echo "$1" | grep -q "^removed [0-9]"' sh "$out"
ok "... no target left" sh -c "! grep -q '^target ' $PGC_DEBUGFS/clock"
pgc_done
