#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every debugfs and sysfs file is readable (write-only controls refuse a
# read); "features" follows its format.
. "$(dirname "$0")/../lib.sh"
pgc_load

ok "debugfs directory exists" test -d "$PGC_DEBUGFS"
for f in $(find "$PGC_DEBUGFS" "$PGC_SYSFS" -path "$PGC_SYSFS/targets" -prune -o \
	-type f -perm /0444 -print); do
	ok "readable: $f" cat "$f"
done
# The 16 slots' 192 files in one check, read by a builtin: a fork each
# would cost seconds under TCG.
ok "readable: every file of the target slots" bash -c \
	'n=0; for f in $(find "$1" -type f); do read -r _ <"$f" || exit 1; n=$((n + 1)); done; [ $n = 192 ]' \
	- "$PGC_SYSFS/targets"
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
	     $2 !~ /^(attached|available|unavailable|off|enforced|used)$/ {
		print "bad state: " $0; bad = 1 }
	     /0x[0-9a-f]{8,}|ffff[0-9a-f]{12}/ { print "pointer: " $0; bad = 1 }
	     END { exit bad }' "$PGC_DEBUGFS/features"
}
ok "features lines are well formed" features_well_formed
ok "features has an ibt line" grep -q '^ibt ' "$PGC_DEBUGFS/features"
ok "features says secondary MMUs' accesses are not seen" \
	grep -Eq '^mmu_notifier +unavailable .*secondary MMU' "$PGC_DEBUGFS/features"
# QEMU's CPU model has no INVLPGB: every shootdown is an IPI here.
ok "features says whether shootdowns bypass the IPI (INVLPGB)" \
	grep -Eq '^tlb_broadcast +off .*every shootdown is an IPI' "$PGC_DEBUGFS/features"
ok "every unavailable line says why" \
	awk '$2 == "unavailable" && NF < 3 { exit 1 }' "$PGC_DEBUGFS/features"
# Issue 17: what each hook costs, attached or on demand (9 hooks).
ok "every hook line in use says what it costs" awk '
	$1 ~ /^(tp|kprobe|kretprobe):/ && $2 ~ /^(attached|off)$/ {
		n++; if ($0 !~ /; cost [^ ]/) { print "no cost: " $0; bad = 1 } }
	END { exit bad || n != 9 }' "$PGC_DEBUGFS/features"
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

# debugfs "knobs": the one table of ranges and defaults.  Each line agrees
# with abi.md's table (RAM there: MemTotal in pages), each knob's file
# (a target slot's for pff) holds its value, takes both bounds and refuses
# one past them with ERANGE, and every sysfs knob file is a listed knob.
K=$PGC_DEBUGFS/knobs
pgc_unload && pgc_load	# the defaults, whatever ran before
ram=$(awk '/^MemTotal/ { print int($2 / 4) }' /proc/meminfo)
knob_documented() { # line of knobs
	local n s u mi ma de z row
	read -r _ n _ s _ u _ mi _ ma _ de _ z _ <<<"$1"
	row=$(grep "^| $n | $s | " "$PAGECLOCK_REPO/Documentation/abi.md") || return 1
	row=${row//RAM/R}
	# Only the PFF's page bounds may be all of RAM (KUnit: no
	# module-wide one is), so a fixed bound equal to it stays a number.
	if [ "$s" = pff ] && [ "$u" = pages ]; then
		[ "$ma" = "$ram" ] && ma=R
		[ "$de" = "$ram" ] && de=R
	fi
	[ "$row" = "| $n | $s | $u | $mi | $ma | $de | $([ "$z" = 1 ] && echo yes || echo no) |" ] ||
		{ echo "# abi.md: $row; knobs: $1"; return 1; }
}
knob_bounds_try() { # name min max zero_off
	local f=$PGC_SYSFS/$1 err v past=$(($3 + 1))
	for v in "$2" "$3"; do
		echo "$v" > "$f" && [ "$(cat "$f")" = "$v" ] || return 1
	done
	# Below min too, unless that is 0 and 0 means off.
	if [ "$2" -gt 1 ] || { [ "$2" = 1 ] && [ "$4" = 0 ]; }; then
		past+=" $(($2 - 1))"
	fi
	for v in $past; do
		err=$(LC_ALL=C bash -c "echo $v > '$f'" 2>&1)
		[[ $err == *"Numerical result out of range"* ]] || { echo "# $1=$v: ${err:-taken}"; return 1; }
	done
}
knob_bounds() { # name min max zero_off: the old value back whatever happened
	local old st
	old=$(cat "$PGC_SYSFS/$1")
	knob_bounds_try "$@"
	st=$?
	echo "$old" > "$PGC_SYSFS/$1"
	return $st
}
ok "knobs lists 16 knobs" test "$(grep -c '^knob ' "$K")" = 16
while read -r line; do
	read -r _ n _ s _ _ _ mi _ ma _ de _ z _ val <<<"$line"
	ok "knobs: $n as abi.md documents it" knob_documented "$line"
	if [ "$s" = pff ] || [ "$s" = hand ]; then
		ok "knobs: $s/$n of a free slot at its default" test "$(cat "$PGC_TARGETS/0/$s/$n")" = "$de"
		ok "knobs: targets/0/$s/$n takes $mi and $ma, refuses past them (ERANGE)" \
			knob_bounds "targets/0/$s/$n" "$mi" "$ma" "$z"
		continue
	fi
	ok "knobs: $s/$n's value is its file's ($val)" test "$(cat "$PGC_SYSFS/$s/$n")" = "$val"
	ok "knobs: $s/$n at its default after load" test "$val" = "$de"
	ok "knobs: $s/$n takes $mi and $ma, refuses past them (ERANGE)" knob_bounds "$s/$n" "$mi" "$ma" "$z"
done < "$K"
for f in $(cd "$PGC_SYSFS" && ls clock/* ad/* targets/0/pff/* targets/0/hand/*); do
	case $f in ad/pid | ad/sweep | targets/0/pff/enabled) continue ;; esac
	n=${f##*/} s=${f%/*}
	ok "sysfs $f is a knob in knobs" grep -q "^knob $n scope ${s##*/} " "$K"
done
ok "sysfs: 16 target slots, each with its 12 files" test \
	"$(cd "$PGC_TARGETS" && ls -d [0-9]* | wc -l) $(find "$PGC_TARGETS" -type f | wc -l)" = "16 192"
pgc_done
