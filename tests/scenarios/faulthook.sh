#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# faults/hook=1 (tp): the #PF tracepoints open a fault and per-thread perf
# events close it, only in the processes measured by name (issue 17);
# faults/hook=2 (auto, the default) the same but for CLOCK targets, which
# keep the kretprobe.  The same workloads as faults.sh must give the same
# classes; what the events cannot see (retry, OOM, GUP, failed kernel
# accesses to user memory) is stated, not faked.
. "$(dirname "$0")/../lib.sh"
# A fresh load: the counts checked below (unmatched, unfinished) are
# since the load.
pgc_unload
pgc_load

S=$PGC_SYSFS
F=$PGC_DEBUGFS/faults
row() { grep -E "^$1 +$2" "$PGC_DEBUGFS/features" >/dev/null; }
fcount() { awk -v k="$1" '$1 == k { print $2 }' "$F"; }
# N writes each counted, A as anon_new, O as other; the V whose VMA could
# not be read (6.1 only) among those O.
all_counted() { # n a o v
	local x
	# An empty count (no process, no report) fails, not the arithmetic.
	for x; do case $x in '' | *[!0-9]*) return 1 ;; esac; done
	pgc_near $(($2 + $3)) "$1" 3 && [ "$4" -le "$3" ] &&
		{ pgc_kernel_before 6.4 || [ "$4" = 0 ]; }
}
echo 0 >"$S/faults/detail"
ok "faults/hook is 2 (auto) by default" grep -qx 2 "$S/faults/hook"
ok "faults/hook=3 refused (ERANGE), still 2" sh -c \
	"! echo 3 >$S/faults/hook 2>/dev/null && grep -qx 2 $S/faults/hook"
ok "faults/hook=1 taken while nobody is measured" sh -c "echo 1 >$S/faults/hook"
ok "... and nothing attached for it" sh -c \
	"grep -Eq '^tp:page_fault_user +off +attached on demand' $PGC_DEBUGFS/features &&
	 grep -Eq '^kretprobe:handle_mm_fault +off' $PGC_DEBUGFS/features"

# A process named to a detail file: the tracepoints, not the kretprobe.
wrap=/tmp/pgc-measured.sh
printf '#!/bin/sh\necho $$ >&3 && exec "$@"\n' > $wrap
chmod +x $wrap
exec 3<>"$PGC_DEBUGFS/detail"
pm=$(PGC_WRAP=$wrap pgc_hold anon 3000)
ok "a pid written to a detail file attaches the tracepoints" row tp:page_fault_user attached
ok "... both of them" row tp:page_fault_kernel attached
ok "... not the kretprobe" row kretprobe:handle_mm_fault off
ok "... and debugfs faults says 'hook tp'" grep -qx 'hook tp' "$F"
ok "faults/hook=0 refused while a process is measured by name (EBUSY), still 1" sh -c \
	"! echo 0 >$S/faults/hook 2>/dev/null && grep -qx 1 $S/faults/hook"
ok "... 1 again taken: no change" sh -c "echo 1 >$S/faults/hook"
ok "the process named counts its 3000 first touches ($(pgc_proc_col "$pm" anon_new))" \
	pgc_near "$(pgc_proc_col "$pm" anon_new)" 3000 5
ok "... anon_new timed ($(pgc_proc_col "$pm" anon_new_ns) ns)" \
	test "$(pgc_proc_col "$pm" anon_new_ns)" -gt 0
read -r mine kern <<<"$(pgc_fault_totals "$pm")"
ok "... its minor+major $mine agree with /proc/PID/stat $kern within 1%" \
	pgc_near "$mine" "$kern" 1
pu=$(pgc_hold anon 3000)
v=$(pgc_proc_col "$pu" anon_new) || v=0
ok "... another process's faults are not counted ($v)" test "$v" -lt 100
pgc_release "$pm"
pgc_release "$pu"

# Bounded: a file names at most 64 processes under hook=1 (each costs
# perf events per thread), and a process named again is not given a
# second set (bug: every write gave every thread another pair).
# They are named as they start, some in the middle of a fault (see
# "unmatched" below).
exec 4<>"$PGC_DEBUGFS/detail"
sleep 1000 &
s0=$!
named=0
for ((i = 0; i < 70; i++)); do echo "$s0" >&4 2>/dev/null && named=$((named + 1)); done
ok "a process named 70 times is taken each time, as one ($named)" test "$named" = 70
sl=()
for ((i = 0; i < 63; i++)); do sleep 1000 & sl+=($!); done
named=0
for q in "${sl[@]}"; do echo "$q" >&4 2>/dev/null && named=$((named + 1)); done
ok "... and 63 more (64 in all: $((named + 1)))" test "$named" = 63
sleep 1000 &
s65=$!
ok "a 65th process is refused (ENOSPC)" sh -c "! echo $s65 >&4 2>/dev/null"
kill "${sl[@]}"
wait "${sl[@]}" 2>/dev/null
ok "... and taken once 63 of the others exited (bug: the dead kept their places)" \
	sh -c "echo $s65 >&4"
exec 4<&-
kill "$s0" "$s65"
wait "$s0" "$s65" 2>/dev/null

# A file held open for every process, then hook=1 (accepted: nobody is
# measured by name), then a pid: the events are made for the hook the
# file moves to.
exec 3<&-
exec 3<>"$PGC_DEBUGFS/detail"
echo 0 >"$S/faults/hook"
echo 1 >"$S/faults/hook"
pm=$(PGC_WRAP=$wrap pgc_hold anon 3000)
ok "hook=1 written while a file measured every process: the pid it names is counted ($(pgc_proc_col "$pm" anon_new))" \
	pgc_near "$(pgc_proc_col "$pm" anon_new)" 3000 5
pgc_release "$pm"

# Children inherit the events at fork, as they inherit the detail bit.
pf=$(PGC_WRAP=$wrap pgc_hold fork 2000 500)
child=$(sed -n 's/^child //p' /tmp/pgc-hold.out)
ok "a fork's child counts its 500 copies ($(pgc_proc_col "$child" cow_copy))" \
	pgc_between "$(pgc_proc_col "$child" cow_copy)" 500 600
rec=$(awk -v p="$pf" '$3 == p' "$PGC_DEBUGFS/forks" | tail -n 1)
ok "... and its fork record has them (c_child $(echo "$rec" | awk '{ print $8 }'))" \
	sh -c "echo '$rec' | awk '{ exit !(\$8 >= 475) }'"
pgc_release "$pf"

# Threads that exist before the pid is written get events of their own.
pt=$(pgc_hold threads 4000 4)
echo "$pt" >&3
kill -USR1 "$pt"
pgc_wait 60 grep -q 'threads done' /tmp/pgc-hold.out
ok "4 threads started before the pid was written count their 4000 first touches ($(pgc_proc_col "$pt" anon_new))" \
	pgc_near "$(pgc_proc_col "$pt" anon_new)" 4000 5
pgc_release "$pt"

# Bug (review): the tracepoint's look at the entry of the faulting
# address read each upper-level entry twice, so a munmap that freed the
# tables between the two reads led it into page 0.  One thread maps and
# unmaps a region alone in its 512 GiB (its tables freed each time)
# while another, named, faults there.
klog=$(dmesg | wc -l)
out=$($wrap "$WORK" tablechurn 5)
read -r _ nr _ ns <<<"$out"
ok "faults where page tables come and go: some find the region, some not ($out)" \
	sh -c "[ '${nr:-0}' -gt '${ns:-0}' ] && [ '${ns:-0}' -gt 0 ]"
ok "... nothing in the kernel log" pgc_klog_quiet "$klog"

# The signal hook is the kretprobe's: protection violations stay exact,
# and it closes a fault that ended in SIGBUS, which no perf event does.
u=$(fcount unfinished)
p=$(PGC_WRAP=$wrap pgc_hold segv)
for c in segv_write_ro segv_access segv_exec_nx segv_unmapped sigbus; do
	ok "$c = 1" test "$(pgc_proc_col "$p" "$c")" = 1
done
pgc_release "$p"
ok "... none of the 5 left open for its next fault or exit (unfinished +$(($(fcount unfinished) - u)))" \
	test "$(fcount unfinished)" = "$u"

# File pages, major and minor, on a real block device.
mnt=/tmp/pgc-mnt
if ok "ext4 on a zram disk" pgc_setup_fs $mnt 2048; then
	echo 3 > /proc/sys/vm/drop_caches
	p=$(PGC_WRAP=$wrap pgc_hold file $mnt/data)
	m=$(pgc_file_majflt) got=$(pgc_proc_col "$p" file_major)
	ok "file_major counts the $m major faults of reading 2048 uncached pages (got $got)" \
		pgc_file_major_near "$got" "$m"
	pgc_release "$p"
	# Write faults on a shared file page (VM_FAULT_COMPLETED on 6.1's
	# path reads the VMA under a trylock): each counted, none lost.  One
	# fault a page, or fewer where the kernel maps a large folio's pages
	# in one (7.2's ext4 page cache: 53 faults for the 2048 pages once,
	# where this check asked for 2048): the workload says how many its
	# writes took (getrusage), and the module must count at least those,
	# plus at most the 352 of loading the program.
	p=$(PGC_WRAP=$wrap pgc_hold shared $mnt/data)
	w=$(sed -n 's/^faults //p' /tmp/pgc-hold.out)
	n=$(( $(pgc_proc_col "$p" wp_other) + $(pgc_proc_col "$p" file_minor) +
	      $(pgc_proc_col "$p" file_major) + $(pgc_proc_col "$p" other) ))
	ok "writes to 2048 shared file pages: their ${w:-?} faults each counted once ($n, other $(pgc_proc_col "$p" other))" \
		pgc_between "$n" "${w:-1}" $((${w:-0} + 352))
	pgc_release "$p"
	umount $mnt
fi

# Swap-in, where the guest has swap.
if [ "${PAGECLOCK_SWAP:-0}" != 0 ]; then
	p=$(PGC_WRAP=$wrap pgc_hold swap 2000)
	n=$(( $(pgc_proc_col "$p" swapin_cache) + $(pgc_proc_col "$p" swapin_device) ))
	ok "swapin counts the 2000 paged-out pages within 5% (got $n)" \
		pgc_near "$n" 2000 5
	pgc_release "$p"
fi

# Measured processes that exit while they fault: 200 children inherit
# the events and exit at once, a leader exits before its thread.
p=$(PGC_WRAP=$wrap pgc_hold forkexit 200)
ok "200 measured children forked and exited" test -n "$p"
pgc_release "$p"
# On 6.1 some of its writes may be "other" (vma_unknown, below).
p=$(PGC_WRAP=$wrap pgc_hold leaderexit 1000)
a=$(pgc_proc_col "$p" anon_new) o=$(pgc_proc_col "$p" other)
ok "a measured process whose leader exited counts its thread's 1000 touches ($a anon_new + $o other)" \
	pgc_near $((a + o)) 1000 5
pgc_release "$p"
# Before 6.4 a write's VMA is read at the fault's end under a trylock,
# which fails while another thread's mmap() waits behind the fault: such
# writes are counted "other" and in vma_unknown, never lost, never
# silently (bug: the check above failed on 6.1, 929 anon_new and 92 other,
# when pthread_exit() loaded libgcc_s beside the writes; up to half of
# this workload's writes were "other" on the debug kernel).  Since 6.4 the
# VMA is read under RCU: every write classed.
u=$(fcount vma_unknown)
p=$(PGC_WRAP=$wrap pgc_hold mapwrite 2000)
a=$(pgc_proc_col "$p" anon_new) o=$(pgc_proc_col "$p" other)
v=$(($(fcount vma_unknown) - u))
ok "writes beside another thread's mmap() loop: each counted ($a anon_new + $o other of 2000), the unclassed said so (vma_unknown +$v)" \
	all_counted 2000 "$a" "$o" "$v"
pgc_release "$p"

# A CLOCK target takes the tracepoints too (its threads only), and its
# refaults, which PFF reads, come from the events' handler.
exec 3<&-
ok "the detail file's close detaches them" row tp:page_fault_user off
pc=$(pgc_hold anon 0)
pgc_target_add "$pc" 0
ok "a CLOCK target attaches the tracepoints" row tp:page_fault_user attached
pgc_target_rm "$pc"
ok "... and its removal detaches them" row tp:page_fault_user off
pgc_release "$pc"
pg=$(pgc_hold hotcold 3000 3000)
pgc_target_add "$pg" 2000
refaulted() { [ "$(pgc_rec clock target "$1" refaults)" -gt 0 ]; }
pgc_wait 60 refaulted "$pg"
ok "a target held under its working set refaults, seen by the events ($(pgc_rec clock target "$pg" refaults))" \
	test "$(pgc_rec clock target "$pg" refaults)" -gt 0
pgc_release "$pg"
# Bug: a fault begun after its target went, before the threads' events
# were taken back (a grace period later), counted its event "unmatched".
# A target held under its working set (so that its pages come back after
# each removal), made and removed 10 times.
pt=$(pgc_hold hotcold 3000 3000)
for ((i = 0; i < 10; i++)); do
	pgc_target_add "$pt" 2000
	pgc_nap 0.3
	pgc_target_rm "$pt"
done
# Bug: a fault still in flight when its events went (a swap-in across
# the grace period) left its slot open, and the exit of the thread,
# measured by nothing by then, counted it "unfinished".
u=$(fcount unfinished)
pgc_release "$pt"
ok "... whose exit, measured by nothing, counted nothing unfinished (+$(($(fcount unfinished) - u)))" \
	test "$(fcount unfinished)" = "$u"
# Bug: the fault in flight when a process's measuring began (its
# threads given their events in its middle, or faulting between the
# events and the measuring bit), or when the tracepoints attached, was
# counted "unmatched" as a missed tracepoint, which failed the check
# below (2 on debug-6.1).  At most one a thread each such time remains,
# the fault that began unmeasured: here a process always in the middle of
# a fault, named by a detail file and made a target 5 times each (each
# naming also attaches the tracepoints anew), and the processes named
# above; a tracepoint that missed a kind of fault would miss thousands.
pr=$(pgc_hold refill 64)
u=$(fcount unfinished)
named=0
for ((i = 0; i < 5; i++)); do
	exec 5<>"$PGC_DEBUGFS/detail"
	echo "$pr" >&5 && named=$((named + 1))
	pgc_nap 0.1
	exec 5<&-
	pgc_target_add "$pr" 0 && named=$((named + 1))
	pgc_nap 0.1
	pgc_target_rm "$pr"
done
pgc_release "$pr"
ok "a process always faulting, named and made a target 5 times each ($named of 10)" \
	test "$named" = 10
# Bug: while the tracepoints registered, their probes opened faults that
# the events, not yet counting, left open: hundreds "unfinished" at each
# naming of the detail file.  At most one a time (a fault in flight when
# its events went).
ok "... which left few faults open (unfinished +$(($(fcount unfinished) - u)), at most 10)" \
	test $(($(fcount unfinished) - u)) -le 10
ok "no fault lacked a slot (missed $(fcount missed))" test "$(fcount missed)" = 0
ok "unmatched only where measuring began or the tracepoints attached ($(fcount unmatched), at most 1 a time: 120)" \
	test "$(fcount unmatched)" -le 120
ok "few faults never ended (unfinished $(fcount unfinished))" \
	test "$(fcount unfinished)" -lt 20
# Bug: faults counted from the attach of the first tracepoint on, so the
# kernel-mode faults of a measured thread while the second registered
# found no open fault: "unmatched", hundreds in one read().  A process
# that faults only in read(), named to a detail file, while another file
# measures every process 5 times: each close gives the faults back to
# the tracepoints, attached anew.
pk=$(pgc_hold refill 64 read)
m=$(fcount unmatched)
exec 5<>"$PGC_DEBUGFS/detail"
echo "$pk" >&5
attached=0
for ((i = 0; i < 5; i++)); do
	exec 6<>"$PGC_DEBUGFS/detail"
	pgc_nap 0.1
	exec 6<&-
	row tp:page_fault_kernel attached && attached=$((attached + 1))
	pgc_nap 0.2
done
exec 5<&-
pgc_release "$pk"
ok "a process faulting in read() only, its tracepoints attached anew 5 times ($attached)" \
	test "$attached" = 5
ok "... counted no more unmatched than one a time (+$(($(fcount unmatched) - m)), at most 6)" \
	test $(($(fcount unmatched) - m)) -le 6

# Unload while the target's 4 threads fault: the events go before the
# module, no handler is left behind (the harness reads the kernel log).
pt=$(pgc_hold threads 8000 4)
pgc_target_add "$pt" 1000
kill -USR1 "$pt"
ok "unload while a target's threads fault under hook=tp" sh -c \
	"rmmod pageclock && insmod $PAGECLOCK_KO"
pgc_release "$pt"

# Under the default, auto, a detail file's processes are the
# tracepoints', a CLOCK target takes the kretprobe for every one while it
# is, and its removal gives them back.  Each process named is given its
# events whichever hook measures it at the moment: counted across the
# switches.
pc=$(pgc_hold anon 0)
pgc_target_add "$pc" 0
ok "auto: a CLOCK target takes the kretprobe" sh -c \
	"grep -Eq '^kretprobe:handle_mm_fault +attached' $PGC_DEBUGFS/features &&
	 grep -Eq '^tp:page_fault_user +off' $PGC_DEBUGFS/features"
ok "auto: faults/hook=1 refused while a target is (EBUSY), still 2" sh -c \
	"! echo 1 >$S/faults/hook 2>/dev/null && grep -qx 2 $S/faults/hook"
pa=$(pgc_hold threads 4000 4)
exec 3<>"$PGC_DEBUGFS/detail"
echo "$pa" >&3
ok "... a pid named to a detail file beside it keeps the kretprobe" \
	grep -qx 'hook kretprobe' "$F"
pgc_target_rm "$pc"
ok "... until the target goes: the tracepoints" grep -qx 'hook tp' "$F"
kill -USR1 "$pa"
pgc_wait 60 grep -q 'threads done' /tmp/pgc-hold.out
ok "... which count its 4 threads' 4000 first touches, its events given under the kretprobe ($(pgc_proc_col "$pa" anon_new))" \
	pgc_near "$(pgc_proc_col "$pa" anon_new)" 4000 5
pgc_release "$pa"
exec 3<&-
ok "... and the file's close detaches them" grep -qx 'hook off' "$F"
pb=$(pgc_hold threads 4000 4)
exec 3<>"$PGC_DEBUGFS/detail"
echo "$pb" >&3
ok "auto: a pid named to a detail file alone takes the tracepoints" \
	grep -qx 'hook tp' "$F"
pgc_target_add "$pc" 0
ok "... a target added then, the kretprobe" grep -qx 'hook kretprobe' "$F"
kill -USR1 "$pb"
pgc_wait 60 grep -q 'threads done' /tmp/pgc-hold.out
ok "... which counts the named process's 4000 first touches ($(pgc_proc_col "$pb" anon_new))" \
	pgc_near "$(pgc_proc_col "$pb" anon_new)" 4000 5
pgc_target_rm "$pc"
pgc_release "$pb"
exec 3<&-
# A stat while a target comes and goes says so: its counts are of both
# hooks, and the faults in flight at each handover went uncounted.
pageclock stat --json -o /tmp/pgc-stat-mixed.json -- sleep 4 &
st=$!
# (stat's own narrowing of its file, from every process to its own, is
# one too: the kretprobe's to the tracepoints, before its command runs.)
pgc_wait 30 grep -qx 'hook tp' "$F"
sw=$(fcount hook_switches)
pgc_target_add "$pc" 0
pgc_nap 0.5
pgc_target_rm "$pc"
wait "$st"
ok "hook_switches counts the two handovers (+$(($(fcount hook_switches) - sw)))" \
	test $(($(fcount hook_switches) - sw)) = 2
ok "... and stat's fault_hook is mixed" \
	jq -e '.fault_hook == "mixed"' /tmp/pgc-stat-mixed.json
pgc_release "$pc"

# pageclock stat names its command to a detail file: under the default
# the tracepoints measure it, and its report says so and what that
# leaves out.
out=/tmp/pgc-stat.json
ok "stat --json under the default hook" sh -c "pageclock stat --json -o $out -- $WORK fork 1000 300 >/dev/null"
ok "stat: fault_hook tp" jq -e '.fault_hook == "tp"' $out
ok "stat: the workload and its child, anon_new >= 1000, c >= 300" jq -e \
	'.process_count == 2 and .faults.anon_new >= 1000 and .forks[0].cow_copies >= 300' $out
ok "stat: the text report says what the tracepoints leave out" sh -c \
	"pageclock stat -- true 2>&1 >/dev/null | grep -q 'fault hook: tracepoints'"
# ... and how many writes it counted "other", their VMA unreadable.
ok "stat --json of writes beside an mmap() loop" sh -c \
	"pageclock stat --json -o $out -- $WORK mapwrite 2000 >/dev/null"
read -r a o v <<<"$(jq -r '"\(.faults.anon_new) \(.faults.other) \(.vma_unknown)"' $out)"
ok "stat: vma_unknown $v, within its other $o (anon_new $a)" \
	all_counted 2000 "$a" "$o" "$v"

# Measuring every process takes the kretprobe, whatever faults/hook says.
echo 1 >"$S/faults/detail"
ok "faults/detail=1 attaches the kretprobe, not the tracepoints" sh -c \
	"grep -Eq '^kretprobe:handle_mm_fault +attached' $PGC_DEBUGFS/features &&
	 grep -Eq '^tp:page_fault_user +off' $PGC_DEBUGFS/features"
echo 0 >"$S/faults/detail"

ok "faults/hook=0 taken once nobody is measured" sh -c "echo 0 >$S/faults/hook"
ok "... and 2 again" sh -c "echo 2 >$S/faults/hook"
rm -f $wrap
pgc_done
