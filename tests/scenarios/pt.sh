#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# debugfs "pt" and "pageclock pt" against a known layout: N blocks of 2 MiB
# at their own pgd entry, one page touched in each (tests/workloads).
. "$(dirname "$0")/../lib.sh"
pgc_load

N=32
# Same binary, same arguments but N, no ASLR: the layouts differ by N blocks.
PGC_WRAP="setarch -R"
p0=$(pgc_hold layout 0)
p1=$(pgc_hold layout $N)
PGC_WRAP=
pt0=$(pgc_pt "$p0")
pt1=$(pgc_pt "$p1")
k() { awk -v k="$2" '$1 == k { print $2 }' <<<"$1"; }
d() { echo $(( $(k "$pt1" "$1") - $(k "$pt0" "$1") )); }

ok "pt names the process and says alive" \
	sh -c "[ '$(k "$pt1" tgid)' = $p1 ] && [ '$(k "$pt1" state)' = alive ]"
ok "N=$N blocks add $N PTE tables (got $(d pte_tables))" test "$(d pte_tables)" = $N
ok "... one PMD table (got $(d pmd_tables))" test "$(d pmd_tables)" = 1
ok "... one PUD table (got $(d pud_tables))" test "$(d pud_tables)" = 1
# (once 31 in about 10 runs: the drops say whether a walk was resumed)
ok "... and $N present pages (got $(d pte_present); lock_drops $(k "$pt0" lock_drops) $(k "$pt1" lock_drops))" \
	pgc_between "$(d pte_present)" $N $((N + 8))
for pt in "$pt0" "$pt1"; do
	below=$(( $(k "$pt" table_bytes) - 4096 * $(k "$pt" pgd_tables) ))
	ok "tables below the pgd ($below bytes) = the kernel's count ($(k "$pt" kernel_pgtables_bytes))" \
		test "$below" = "$(k "$pt" kernel_pgtables_bytes)"
done
vmpte=$(awk '/^VmPTE:/ { print $2 * 1024 }' "/proc/$p1/status")
ok "kernel count matches /proc/PID/status VmPTE ($vmpte)" \
	test "$vmpte" = "$(k "$pt1" kernel_pgtables_bytes)"
ok "flat table for the 128 TiB user space is 256 GiB" \
	test $(( $(k "$pt1" flat_full_bytes) >> 30 )) = 255 -o \
	     $(( $(k "$pt1" flat_full_bytes) >> 30 )) = 256
ok "per-kind: anon holds the $N pages, one stack" sh -c \
	"echo '$pt1' | awk '\$1 == \"kind\" && \$2 == \"anon\" && \$8 >= $N { a = 1 }
		\$1 == \"kind\" && \$2 == \"stack\" && \$4 == 1 { s = 1 } END { exit !(a && s) }'"
ok "pageclock pt --json agrees" sh -c \
	"pageclock pt --pid $p1 --json | jq -e '.pte_tables == $(k "$pt1" pte_tables) and .kind.anon.present >= $N'"
ok "pageclock pt prints the flat-table comparison" sh -c \
	"pageclock pt --pid $p1 | grep -q 'flat table'"

# Bug: a whole-address-space walk held the mmap read lock throughout, so
# the process's mmap and munmap waited for it.  Now a waiting writer gets
# the lock between two tables and the walk goes on where it stopped: the
# counts stay whole.
C=2000
p=$(pgc_hold churn $C)
pt_lets_writer_in() { pt=$(pgc_pt "$p"); [ "$(k "$pt" lock_drops)" -gt 0 ]; }
ok "pt walk lets a waiting mmap writer in" pgc_wait 60 pt_lets_writer_in
ok "... $(k "$pt" lock_drops) times, and still counts $C tables ($(k "$pt" pte_tables)) and pages ($(k "$pt" pte_present))" \
	sh -c "[ $(k "$pt" pte_tables) -ge $C ] && [ $(k "$pt" pte_present) -ge $C ]"
echo "$p" > "$PGC_SYSFS/ad/pid"
# A sweep takes about 10 ms and most let no writer in (seen: the 11th
# and the 31st did; once none in 60 s of tries 0.2 s apart on 6.1): up
# to 60 s of sweeps back to back.  Say what they did either way.
ad_lets_writer_in() {
	local end=$((SECONDS + 60))
	ad_tries=0
	while [ $SECONDS -lt $end ]; do
		ad_tries=$((ad_tries + 1))
		ad_err=$({ echo sweep > "$PGC_SYSFS/ad/sweep"; } 2>&1) || continue
		ad=$(cat "$PGC_DEBUGFS/ad")
		[ "$(k "$ad" lock_drops)" -gt 0 ] && return 0
	done
	return 1
}
ok "ad sweep lets it in too" ad_lets_writer_in
echo "# ad: $ad_tries tries, sweeps $(k "$ad" sweeps), state $(k "$ad" state), last ${ad_err:-without error} in $(k "$ad" ns) ns; writer threads: $(ls "/proc/$p/task" | wc -l), voluntary switches $(awk '/^voluntary/ { print $2 }' "/proc/$p/status")"
ok "... $(k "$ad" lock_drops) times, and still sees its $C pages ($(k "$ad" pages))" \
	test "$(k "$ad" pages)" -ge $C
echo 0 > "$PGC_SYSFS/ad/pid"
pgc_release "$p"

# A THP is one huge pmd and no PTE table under it.
p=$(pgc_hold thp 8)
ok "THP mapping counted as pmd_thp (got $(k "$(pgc_pt "$p")" pmd_thp))" \
	test "$(k "$(pgc_pt "$p")" pmd_thp)" -ge 1
pgc_release "$p"

# Swapped-out pages are swap entries.
if swapon --show=NAME --noheadings | grep -q .; then
	p=$(pgc_hold pageout 2000)
	ok "2000 paged-out pages are swap entries (got $(k "$(pgc_pt "$p")" pte_swap))" \
		pgc_between "$(k "$(pgc_pt "$p")" pte_swap)" 1900 2100
	pgc_release "$p"
fi

# A process that exits between the request and the read.
p=$(pgc_hold anon 10)
exec 3<>"$PGC_DEBUGFS/pt"
echo "$p" >&3
pgc_release "$p"
ok "a process gone before the read says 'state gone'" grep -q '^state gone' <&3
exec 3<&-
ok "pageclock pt of an exited process: status 4" pgc_status 4 pt --pid "$p"

# Bad requests: an error, the old target kept, nothing in the kernel log.
klog=$(dmesg | wc -l)
exec 3<>"$PGC_DEBUGFS/pt"
echo "$p1" >&3
for bad in abc -5 0 12x "1 2" 99999999 2 "$(head -c 4096 /dev/zero | tr '\0' 1)"; do
	ok "write '${bad:0:12}' refused" sh -c "! printf '%s' '$bad' >&3"
done
ok "kernel thread refused with EOPNOTSUPP, not EINVAL (a bad value's)" bash -c "printf 2 2>&1 >&3 | grep -q 'Operation not supported'"
ok "missing process refused with ESRCH" bash -c "printf 99999999 2>&1 >&3 | grep -q 'No such process'"
ok "old target kept after bad writes" sh -c "grep -q '^tgid $p1\$' <&3"
exec 3<&-
ok "nothing in the kernel log" pgc_klog_quiet "$klog"
ok "pageclock pt without --pid: status 2" pgc_status 2 pt
ok "pageclock pt of a kernel thread: status 2" pgc_status 2 pt --pid 2

pgc_release "$p0"
pgc_release "$p1"
pgc_done
