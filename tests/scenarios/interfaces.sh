#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every debugfs and sysfs file is readable (write-only controls refuse a
# read); "features" follows its format.
. "$(dirname "$0")/../lib.sh"
pgc_load

ok "debugfs directory exists" test -d "$PGC_DEBUGFS"
for f in $(find "$PGC_DEBUGFS" "$PGC_SYSFS" -type f -perm /0444); do
	ok "readable: $f" cat "$f"
done
for f in $(find "$PGC_SYSFS" -type f ! -perm /0444); do
	ok "write-only, refuses a read: $f" sh -c "! cat '$f' 2>/dev/null"
done
ok "version names module and running kernel" \
	grep -qx "pageclock [0-9.]* kernel $(uname -r)" "$PGC_DEBUGFS/version"
ok "sysfs version matches debugfs version" \
	grep -q "pageclock $(cat "$PGC_SYSFS/version") " "$PGC_DEBUGFS/version"

# <name> <state> <why>, state from a fixed set; no kernel pointers.
features_well_formed() {
	awk 'NF < 2 { print "short line: " $0; bad = 1 }
	     $2 !~ /^(attached|available|unavailable|off|enforced)$/ {
		print "bad state: " $0; bad = 1 }
	     /0x[0-9a-f]{8,}|ffff[0-9a-f]{12}/ { print "pointer: " $0; bad = 1 }
	     END { exit bad }' "$PGC_DEBUGFS/features"
}
ok "features lines are well formed" features_well_formed
ok "features has an ibt line" grep -q '^ibt ' "$PGC_DEBUGFS/features"
ok "features says secondary MMUs' accesses are not seen" \
	grep -Eq '^mmu_notifier +unavailable .*secondary MMU' "$PGC_DEBUGFS/features"
ok "every unavailable line says why" \
	awk '$2 == "unavailable" && NF < 3 { exit 1 }' "$PGC_DEBUGFS/features"
ok "kprobe resolution found do_madvise" \
	grep -Eq '^sym:do_madvise +available' "$PGC_DEBUGFS/features"

# The resolver found the real entry: on this kernel's build, ENDBR (or its
# sealed NOP) exists exactly when the kernel was built with IBT.
entry_kind_matches_config() {
	local cfg=${PAGECLOCK_KCONFIG:-} kind
	[ -s "$cfg" ] || { echo "# no kernel config (PAGECLOCK_KCONFIG: '$cfg')"; return 1; }
	kind=$(sed -n 's/^sym:do_madvise .*entry=\([a-z]*\).*/\1/p' "$PGC_DEBUGFS/features")
	if grep -q '^CONFIG_X86_KERNEL_IBT=y' "$cfg"; then
		[ "$kind" = endbr ] || [ "$kind" = sealed ]
	else
		[ "$kind" = plain ]
	fi
}
ok "resolver entry kind matches CONFIG_X86_KERNEL_IBT" entry_kind_matches_config
ok "sysfs version is read-only" sh -c "! echo 1 > $PGC_SYSFS/version"
pgc_done
