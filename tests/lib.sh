# SPDX-License-Identifier: GPL-2.0
# Sourced by the scenarios in tests/scenarios/ (they run inside a VM).
# TAP-like lines; the runner counts them.

PGC_DEBUGFS=/sys/kernel/debug/pageclock
PGC_SYSFS=/sys/kernel/pageclock
pgc_pass=0
pgc_fail=0

ok() { # description command...
	local what=$1
	shift
	if "$@" >/tmp/pgc-ok.out 2>&1; then
		pgc_pass=$((pgc_pass + 1))
		echo "ok - $what"
	else
		pgc_fail=$((pgc_fail + 1))
		echo "not ok - $what"
		sed 's/^/#   /' /tmp/pgc-ok.out | head -n 20
	fi
}

# Load or unload pageclock.ko (tools/vm/guest exports PAGECLOCK_KO).
pgc_load() { grep -q '^pageclock ' /proc/modules || insmod "$PAGECLOCK_KO"; }
pgc_unload() { ! grep -q '^pageclock ' /proc/modules || rmmod pageclock; }

pgc_done() {
	echo "# $(basename "$0"): $pgc_pass passed, $pgc_fail failed"
	echo "PGC-RESULT $pgc_pass $pgc_fail"
	[ "$pgc_fail" = 0 ]
}
