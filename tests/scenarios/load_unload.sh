#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Load and unload 20 times in a row: each load logs one "loaded" line and
# creates both interfaces; each unload removes them.  Then 5 more while
# processes fork.
. "$(dirname "$0")/../lib.sh"

cycle() {
	local before after
	before=$(dmesg | grep -c 'pageclock: loaded (')
	pgc_unload && insmod "$PAGECLOCK_KO" || return 1
	after=$(dmesg | grep -c 'pageclock: loaded (')
	[ "$after" = $((before + 1)) ] || { echo "no 'loaded' line"; return 1; }
	[ -r "$PGC_DEBUGFS/features" ] && [ -r "$PGC_SYSFS/version" ] || return 1
	rmmod pageclock || return 1
	[ ! -e "$PGC_DEBUGFS" ] && [ ! -e "$PGC_SYSFS" ] ||
		{ echo "interfaces left after unload"; return 1; }
}

for i in $(seq 1 20); do
	ok "load/unload cycle $i" cycle
done
# Unload while processes fork: a child counts its S on its way back to
# user space, in module code queued at fork, and the unload waits for it.
( while :; do /bin/true; done ) &
storm=$!
for i in $(seq 1 5); do
	ok "load/unload cycle $i under a fork storm" sh -c "insmod $PAGECLOCK_KO && sleep 0.2 && rmmod pageclock"
done
kill $storm
wait $storm 2>/dev/null
ok "reload for the next scenario" pgc_load
pgc_done
