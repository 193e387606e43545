#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The CLOCK policy against a target with a known hot set, a cold clean set
# (file pages) and a cold dirty set (anonymous pages) under a budget; data
# integrity through swap; on, off, unload under eviction; bad input.
. "$(dirname "$0")/../lib.sh"
pgc_load

S=$PGC_SYSFS
rec() { pgc_rec clock target "$1" "$2"; }
rss() { pgc_rss "$1"; }
# Pages of [START, END) (hex) present in memory, from /proc/PID/pagemap.
present() { python3 - "$1" "$2" "$3" <<'PY'
import struct, sys
pid, lo, hi = sys.argv[1], int(sys.argv[2], 16), int(sys.argv[3], 16)
n = 0
with open(f"/proc/{pid}/pagemap", "rb") as f:
    f.seek(lo // 4096 * 8)
    for _ in range((hi - lo) // 4096):
        n += struct.unpack("<Q", f.read(8))[0] >> 63
print(n)
PY
}
rss_le() { [ "$(rss "$1")" -le "$2" ]; }
wait_rss() { pgc_wait "$3" rss_le "$1" "$2"; } # pid pages seconds
# The same as a check: where it fails, what holds the pages (the largest
# mappings by resident KiB, and the hand's counters) goes in the log.
held_to() { # pid pages
	rss_le "$1" "$2" && return
	awk '/^[0-9a-f]+-[0-9a-f]+ / { m = $1 " " $6 } /^Rss:/ { print $2 " kB " m }' \
		"/proc/$1/smaps" | sort -rn | head -n 8
	grep "^target $1 " "$PGC_DEBUGFS/clock"
	return 1
}
sweeps_gt() { [ "$(rec "$1" sweeps)" -gt "$2" ]; }

# IBT is off in the test VMs: victims go to reclaim_pages in one batch.
ok "eviction through reclaim_pages ($(awk '$1 == "evict" { print $2 }' "$PGC_DEBUGFS/clock"))" \
	grep -qx 'evict reclaim_pages' "$PGC_DEBUGFS/clock"

mnt=/tmp/pgc-clock
H=500 D=4000 F=4000 B=4000
if ok "ext4 on a zram disk" pgc_setup_fs $mnt $F; then
	echo 3 > /proc/sys/vm/drop_caches
	p=$(pgc_hold clock $mnt/data $H $D)
	ranges=$(sed -n 's/^file \(.*\)-\(.*\) hot \(.*\)-\(.*\) dirty \(.*\)-\(.*\)$/\1 \2 \3 \4 \5 \6/p' /tmp/pgc-hold.out)
	read -r fl fh hl hh dl dh <<<"$ranges"
	r0=$(rss "$p")
	ok "pageclock target add $p --budget $B" pageclock target add "$p" --budget $B
	# Within 2%: on 6.12 MADV_PAGEOUT leaves a few pages of large folios.
	ok "RSS $r0 settles at the budget $B (got $(wait_rss "$p" $((B + B / 50)) 30; rss "$p"))" \
		pgc_between "$(rss "$p")" $((B - 200)) $((B + B / 50))
	hot=$(present "$p" "${hl#0x}" "${hh#0x}")
	file=$(present "$p" "${fl#0x}" "${fh#0x}")
	dirty=$(present "$p" "${dl#0x}" "${dh#0x}")
	echo "# resident after: hot $hot/$H, cold clean $file/$F, cold dirty $dirty/$D"
	ok "the hot set stays resident ($hot of $H)" test "$hot" -ge $((H * 98 / 100))
	ok "cold clean pages went first ($file of $F left)" test "$file" -le $((F / 20))
	ok "cold dirty pages went only for the rest ($dirty of $D left)" \
		test "$dirty" -ge $((D - (r0 - B - F) - 300))
	ok "victims: clean $(rec "$p" evicted_clean) >= $((F * 9 / 10)), dirty $(rec "$p" evicted_dirty)" \
		test "$(rec "$p" evicted_clean)" -ge $((F * 9 / 10))
	ok "second chances given ($(rec "$p" second_chances))" test "$(rec "$p" second_chances)" -ge $H
	ok "few refaults ($(rec "$p" refaults))" test "$(rec "$p" refaults)" -le 50
	ok "pageclock clock --json" sh -c "pageclock clock --pid $p --json | jq -e \
		'.budget == $B and .rss <= $((B + B / 50)) and .scanned > 0 and .second_chances > 0
		 and .evicted_clean > 0 and (.evicted_dirty | type) == \"number\" and .refaults >= 0'"
	ok "pageclock target list shows it" sh -c "pageclock target list | grep -q 'target $p'"
	# A new budget: the target grows back only by faulting, shrinks at once.
	ok "budget lowered to 3000" pageclock target add "$p" --budget 3000
	ok "RSS follows (got $(wait_rss "$p" 3060 30; rss "$p"))" pgc_between "$(rss "$p")" 2800 3060
	ok "pageclock target rm" pageclock target rm "$p"
	ok "gone from the list" sh -c "! pageclock target list | grep -q 'target $p'"
	pgc_release "$p"

	# Dirty pages of a shared file: written back, then evicted clean.  The
	# flusher stays off meanwhile: on a slow guest it cleaned them first.
	wb=$(cat /proc/sys/vm/dirty_writeback_centisecs)
	echo 0 > /proc/sys/vm/dirty_writeback_centisecs
	p=$(pgc_hold shared $mnt/data)
	echo "$p 1000" >"$S/target_add"
	ok "shared file: RSS down to the budget (got $(wait_rss "$p" 1010 60; rss "$p"))" \
		held_to "$p" 1010
	ok "... by starting writeback of its dirty pages ($(rec "$p" writebacks))" \
		test "$(rec "$p" writebacks)" -ge 2500
	ok "... then evicting them clean ($(rec "$p" evicted_clean) clean, $(rec "$p" evicted_dirty) dirty)" \
		test "$(rec "$p" evicted_clean)" -ge 2500
	pgc_release "$p"
	echo "$wb" > /proc/sys/vm/dirty_writeback_centisecs
	sync
	echo 3 > /proc/sys/vm/drop_caches
	ok "every page reached the file" python3 -c "
import sys
d = open('$mnt/data', 'rb').read()
bad = sum(d[i * 4096] != (i + 5) % 256 for i in range(len(d) // 4096))
print('bad pages', bad); sys.exit(bad != 0)"
	umount $mnt
fi

# Shared memory (tmpfs): no writeback to start, its dirty pages go to swap.
shm=$(mktemp -d)
mount -t tmpfs none "$shm"
dd if=/dev/zero of="$shm/data" bs=4096 count=4000 status=none
p=$(pgc_hold shared "$shm/data")
echo "$p 1000" >"$S/target_add"
ok "shmem: RSS down to the budget (got $(wait_rss "$p" 1010 60; rss "$p"))" \
	held_to "$p" 1010
ok "... through swap, not writeback ($(rec "$p" evicted_dirty) dirty, $(rec "$p" writebacks) writebacks)" \
	test "$(rec "$p" evicted_dirty)" -ge 2500 -a "$(rec "$p" writebacks)" -eq 0
pgc_release "$p"
ok "every shmem page kept its contents" python3 -c "
import sys
d = open('$shm/data', 'rb').read()
bad = sum(d[i * 4096] != (i + 5) % 256 for i in range(len(d) // 4096))
print('bad pages', bad); sys.exit(bad != 0)"
umount "$shm"
rmdir "$shm"

# Nothing lost: 20000 checksummed pages squeezed to 2000, read back.
p=$(pgc_hold fill 20000)
echo "$p 2000" >"$S/target_add"
ok "fill: RSS squeezed to 2000 (got $(wait_rss "$p" 2020 60; rss "$p"))" held_to "$p" 2020
ok "... through swap ($(rec "$p" evicted_dirty) dirty victims)" test "$(rec "$p" evicted_dirty)" -ge 15000
kill -USR1 "$p"
pgc_wait 60 grep -q mismatches /tmp/pgc-hold.out
ok "every page read back intact ($(grep mismatches /tmp/pgc-hold.out))" \
	grep -q '^mismatches 0$' /tmp/pgc-hold.out
pgc_release "$p"
ok "an exited target is dropped" pgc_wait 30 sh -c "! grep -q '^target $p ' $PGC_DEBUGFS/clock"

# A fork while the hand evicts: from the fork on, the child maps the
# target's pages too, and reclaim would take them from both.  Victims go
# to reclaim before the mmap lock that fork waits for is dropped (issue:
# a fork between judgment and reclaim_pages).
p=$(pgc_hold forks 8000 10)
echo "$p 1000" >"$S/target_add"
kill -USR1 "$p"
pgc_wait 120 grep -q '^forks' /tmp/pgc-hold.out
ok "fork under eviction: no child lost a page to the target's hand ($(grep '^forks' /tmp/pgc-hold.out), $(rec "$p" evicted_dirty) victims)" \
	grep -q '^forks 10 lost 0$' /tmp/pgc-hold.out
pgc_release "$p"

# Bug: the worker waited for a target's mmap lock while holding the lock
# that every target, sysfs write, debugfs read and rmmod waits for.  Now a
# pass that finds the mmap lock taken is given up ("busy"), and the
# target is squeezed at a later pass; the hand stays pages, not time.
p=$(pgc_hold churn 3000)
echo "$p 1000" >"$S/target_add"
ok "a target whose thread keeps taking its mmap lock: squeezed to the budget (RSS $(wait_rss "$p" 1100 60; rss "$p"))" \
	rss_le "$p" 1100
ok "... the worker passed over it when the lock was taken ($(rec "$p" busy) busy passes)" \
	test "$(rec "$p" busy)" -gt 0
pgc_release "$p"

# Transparent huge pages go whole.
p=$(pgc_hold thp 16)
thp0=$(awk '/^AnonHugePages:/ { print $2 }' "/proc/$p/smaps_rollup")
echo "$p 1000" >"$S/target_add"
# 6.12 may end a few dozen pages above (1018 and 1023 seen in 6 runs,
# 969-977 in the others): split pieces MADV_PAGEOUT keeps refusing.
ok "THP: ${thp0} KiB of THP squeezed to the budget (got $(wait_rss "$p" 1050 60; rss "$p"))" \
	test "$(rss "$p")" -le 1050
pgc_release "$p"

# The huge zero page (a read of untouched THP memory) is shared by every
# process: never judged, never a victim.  6.12 reads its mapcount of 0 as
# "not shared" (issue: the huge zero page counts as an evictable idle page).
p=$(pgc_hold zerothp 2000 32)
zthp=$(pgc_pt "$p" | awk '$1 == "kind" && $2 == "anon" { for (i = 3; i < NF; i++) if ($i == "thp") t += $(i + 1) } END { print t + 0 }')
if [ "$zthp" -lt 8 ]; then
	echo "# huge zero page not in use here ($zthp huge mappings): check skipped"
else
	echo "$p 1000" >"$S/target_add"
	# Done once the budget is met: the hand stops going round there.
	wait_rss "$p" 1050 60
	ev=$(( $(rec "$p" evicted_clean) + $(rec "$p" evicted_dirty) ))
	ok "zero THP: $zthp huge zero mappings, victims ($ev) only among the 2000 written pages" \
		test "$ev" -le 2000
	ok "... seen as shared ($(rec "$p" shared) page visits, a lap holds $((zthp * 512)))" \
		test "$(rec "$p" shared)" -ge $((zthp * 512))
fi
pgc_release "$p"

# mlock()ed memory is never a victim, whatever the budget.
p=$(pgc_hold mlocked 3000)
echo "$p 100" >"$S/target_add"
sleep 1.5
ok "mlocked: 3000 locked pages stay (RSS $(rss "$p"), victims $(rec "$p" evicted_dirty))" \
	sh -c "[ $(rss "$p") -ge 3000 ] && [ $(rec "$p" evicted_dirty) -lt 200 ]"
pgc_release "$p"

# Off, on, and unload while a target is being squeezed.
p=$(pgc_hold fill 20000)
echo "$p 1000" >"$S/target_add"
sleep 0.5
echo 0 >"$S/clock_enabled"
sleep 0.3
n=$(rec "$p" sweeps)
sleep 0.5
ok "clock_enabled 0 stops sweeps" test "$(rec "$p" sweeps)" = "$n"
echo 1 >"$S/clock_enabled"
ok "clock_enabled 1 resumes them" pgc_wait 30 sweeps_gt "$p" "$n"
ok "unload while evicting" sh -c "rmmod pageclock && insmod $PAGECLOCK_KO"
ok "the target lives on" kill -0 "$p"
pgc_release "$p"

# Bad input on every control: an error, the old state kept, nothing logged.
p=$(pgc_hold anon 10)
echo "$p 500" >"$S/target_add"
klog=$(dmesg | wc -l)
long=$(head -c 4096 /dev/zero | tr '\0' 1)
for bad in abc -1 0 12x "$p -5" "$p abc" "$p 0" "$p 99999999999999" "$p 5 6" 99999999 2 "$long"; do
	ok "target_add '${bad:0:16}' refused" bash -c "! echo '$bad' 2>/dev/null >'$S/target_add'"
done
ok "... budget still 500" test "$(rec "$p" budget)" = 500
for bad in abc -1 0 12x 99999999 "$long"; do
	ok "target_remove '${bad:0:12}' refused" bash -c "! echo '$bad' 2>/dev/null >'$S/target_remove'"
done
ok "... target still there" test "$(rec "$p" budget)" = 500
for kv in "clock_enabled 2" "clock_enabled -1" "clock_enabled x" \
	  "clock_interval_ms 5" "clock_interval_ms 70000" "clock_interval_ms 1e3" \
	  "clock_quota 10" "clock_quota 100000" "clock_quota 1k" \
	  "clock_clean_scan_pct 0" "clock_clean_scan_pct 101" "clock_clean_scan_pct 25%"; do
	read -r knob bad <<<"$kv"
	old=$(cat "$S/$knob")
	ok "$knob '$bad' refused, $old kept" bash -c \
		"! echo '$bad' 2>/dev/null >'$S/$knob' && [ \"\$(cat '$S/$knob')\" = '$old' ]"
done
ok "nothing in the kernel log" test "$(dmesg | wc -l)" = "$klog"
ok "target_add of a kernel thread: EOPNOTSUPP, not a bad value's EINVAL" bash -c \
	"echo '2 100' 2>&1 >'$S/target_add' | grep -q 'Operation not supported'"
ok "pageclock target add of a kernel thread: status 2" pgc_status 2 target add 2
ok "... which it names" sh -c "pageclock target add 2 2>&1 | grep -q 'kernel thread'"
ok "pageclock target add of a missing process: status 4" pgc_status 4 target add 3999999
ok "pageclock target add --budget -5: status 2" pgc_status 2 target add "$p" --budget -5
ok "pageclock target rm of a non-target: status 4" pgc_status 4 target rm 1
ok "pageclock clock of a non-target: status 4" pgc_status 4 clock --pid 1
ok "pageclock target frob: status 2" pgc_status 2 target frob
ok "pageclock target add -- CMD: CMD runs already a target, its status is ours" \
	sh -c 'pageclock target add --budget 100M -- sh -c "grep -q \"^target \$\$ budget 25600 \" \"\$1\" && exit 3" sh "$1"; [ $? = 3 ]' \
	sh "$PGC_DEBUGFS/clock"
echo "$p" >"$S/target_remove"
pgc_release "$p"
pgc_done
