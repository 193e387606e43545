#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Load and unload 10 times in a row: each load logs one "loaded" line and
# creates both interfaces; each unload removes them.  (Cycles while
# processes fault, fork and are squeezed: tests/stress/.)
. "$(dirname "$0")/../lib.sh"

cycle() {
	local before after
	before=$(dmesg | grep -c 'pageclock: loaded (')
	pgc_unload && insmod "$PAGECLOCK_KO" || return 1
	after=$(dmesg | grep -c 'pageclock: loaded (')
	[ "$after" = $((before + 1)) ] || { echo "no 'loaded' line"; return 1; }
	[ -r "$PGC_DEBUGFS/features" ] && [ -r "$PGC_SYSFS/version" ] || return 1
	rmmod pageclock || return 1
	pgc_gone || { echo "interfaces left after unload"; return 1; }
}

for i in $(seq 1 10); do
	ok "load/unload cycle $i" cycle
done
ok "reload for the next scenario" pgc_load
pgc_done
