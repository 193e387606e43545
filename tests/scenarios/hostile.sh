#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hostile input: every writable file refuses what is not valid, with an
# error, the old state kept and nothing in the kernel log (trust issue,
# hostile input).  tests/workloads/pgc-hostile generates the writes.
. "$(dirname "$0")/../lib.sh"
pgc_load
S=$PGC_SYSFS D=$PGC_DEBUGFS
p=$(pgc_hold anon 200)
pgc_target_add "$p" 1000
echo 100 > "$S/clock/interval_ms"
klog=$(dmesg | wc -l)

# Bug: every parser stopped at a NUL, so "VALUE\0junk" was taken as VALUE.
refused_nul() { # file value
	! printf '%s\0junk' "$2" > "$1" 2>/dev/null
}
ok "embedded NUL refused: clock/interval_ms 5000\\0junk" refused_nul "$S/clock/interval_ms" 5000
ok "... still 100" grep -qx 100 "$S/clock/interval_ms"
ad_pid=$(cat "$S/ad/pid")	# what an earlier scenario left
ok "embedded NUL refused: ad/pid $p\\0junk" refused_nul "$S/ad/pid" "$p"
ok "... still $ad_pid" grep -qx "$ad_pid" "$S/ad/pid"
T=$PGC_TARGETS/$(pgc_slot "$p")
ok "embedded NUL refused: budget_pages 500\\0junk" refused_nul "$T/budget_pages" 500
ok "... the staged budget is still 1000" grep -qx 1000 "$T/budget_pages"
ok "embedded NUL refused: state off\\0junk" refused_nul "$T/state" off
ok "... still a target" grep -q "^target $p slot [0-9]* budget 1000 " "$D/clock"
ok "embedded NUL refused: pt $p\\0junk" refused_nul "$D/pt" "$p"
ok "embedded NUL refused: ad/sweep sweep\\0junk" refused_nul "$S/ad/sweep" sweep

# 4 writers at once, 2500 writes each, across every writable file;
# PGC_SEED=N repeats a run.
seed=${PGC_SEED:-$RANDOM}
hostile() {
	"$PAGECLOCK_REPO/tests/workloads/pgc-hostile" "$S" "$D" "$p" 4 2500 \
		"$seed" > /tmp/pgc-hostile.out
	local st=$?
	cat /tmp/pgc-hostile.out
	return $st
}
ok "10000 hostile writes (seed $seed) refused, state unchanged" hostile
ok "... the counts add up" grep -qx 'writes 10000 refused 10000 wrong 0' /tmp/pgc-hostile.out
ok "nothing in the kernel log" pgc_klog_quiet "$klog"
ok "the target still runs under its budget" sh -c \
	"kill -0 $p && grep -q '^target $p slot [0-9]* budget 1000 ' $D/clock"
pgc_release "$p"
pgc_target_rm "$p" 2>/dev/null
pgc_done
