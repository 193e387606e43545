#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TLB flushes and shootdowns against workloads whose flushes are known:
# a two-thread W^X toggler on two CPUs, copy-on-write breaks after fork.
. "$(dirname "$0")/../lib.sh"
pgc_load
pgc_detail_on

ok "tp:tlb_flush attached" grep -Eq '^tp:tlb_flush +attached' "$PGC_DEBUGFS/features"
ok "kprobe:native_flush_tlb_multi attached" \
	grep -Eq '^kprobe:native_flush_tlb_multi +attached' "$PGC_DEBUGFS/features"

# Field F of record NAME in table T of debugfs "tlb".
rec() { awk -v t="$1" -v n="$2" -v f="$3" \
	'$1 == t && $2 == n { for (i = 3; i < NF; i += 2) if ($i == f) print $(i + 1) }' \
	"$PGC_DEBUGFS/tlb"; }

# Shootdowns CPU N received: the kernel's own count, beside the module's.
tlb_irqs() { awk -v c=$(($1 + 2)) '$1 == "TLB:" { print $c }' /proc/interrupts; }

# The reader on CPU 1 runs SCHED_FIFO, yet other tasks get CPU 1 for a
# while (RT throttling, 6.12's fair server: 50 ms a second, not to be
# switched off: 6.12 warns with a backtrace).  A process that runs there
# takes CPU 1 out of the toggler's mm_cpumask, and the toggles meanwhile
# flush locally (seen: 172 shootdowns of 200 on 6.12 with the host
# busy); a kernel thread or idle leaves it there, lazy, and the toggles
# still send (the tracepoint's "remote_shootdown_sent"), but the kernel
# skips the IPI to a lazy CPU (seen on 6.1: 357 sent, 189 received).  So
# the count lies between what CPU 1 received and one per mprotect.
N=200
if [ "$(nproc)" -ge 2 ]; then
	m0=$(rec cause mprotect sent)
	i0=$(tlb_irqs 1)
	p=$(pgc_hold jit $N)
	irqs=$(( $(tlb_irqs 1) - i0 ))
	sent=$(pgc_proc_col "$p" tlb_sent)
	ok "jit: $N W^X toggles sent at least $((N / 2)) shootdowns (got $sent)" \
		test "$sent" -ge $((N / 2))
	# Beside them a few of the process's own with other causes, such as
	# copy-on-write breaks of its data pages once the reader runs on
	# CPU 1 (411 and 417 for 400 mprotects on 7.2, make check with the
	# host busy): 10%.
	ok "... at most one per mprotect ($((2 * N)), 10% more allowed)" \
		test "$sent" -le $((2 * N + N / 5))
	# CPU 1 also gets others' shootdowns meanwhile (the kernel's own,
	# other processes'): 405 received for 399 sent on 7.2 (make check,
	# 2026-12-06, the host busy), past a bound of 5: N/10.
	ok "... no fewer than CPU 1 received ($irqs)" test "$irqs" -le $((sent + N / 10))
	# 6.1 reads mm_cpumask after checking it holds another CPU, and that
	# CPU may leave it in between: a few calls then target none (seen
	# once, 261 targets for 262, on the KASAN kernel).
	ok "... nearly each to another CPU (targets $(pgc_proc_col "$p" tlb_targets))" \
		test "$(pgc_proc_col "$p" tlb_targets)" -ge $((sent - sent / 50))
	# Those beyond one per mprotect have other causes (417 sent, 406 by
	# mprotect on 7.2, make check 2026-12-06), and a few within it may
	# too (403 sent, 401 by mprotect on 6.12): of those sent, up to one
	# per mprotect, all but 5 count as the mprotects'.
	m=$(( $(rec cause mprotect sent) - m0 ))
	upto=$(( sent < 2 * N ? sent : 2 * N ))
	ok "... counted under cause mprotect (+$m of $sent)" test $m -ge $((upto - 5))
	ok "pageclock tlb --pid reports them" sh -c \
		"pageclock tlb --pid $p --json | jq -e '.sent == $sent and .targets >= $sent - $sent / 50'"
	pgc_release "$p"
else
	echo "# skipped the two-CPU toggler: $(nproc) CPU"
fi

# tools/bpftrace/tlb.bt, an independent witness, counts the same
# toggler's shootdowns in bpftrace.sh (one bpftrace start for both).

# The child's 500 copy-on-write breaks each flush the old translation.
f0=$(rec cause fault local)
p=$(pgc_hold fork 2000 500)
child=$(sed -n 's/^child //p' /tmp/pgc-hold.out)
ok "COW breaks: child started >= 500 local flushes (got $(pgc_proc_col "$child" tlb_local))" \
	test "$(pgc_proc_col "$child" tlb_local)" -ge 500
ok "... counted under cause fault (+$(( $(rec cause fault local) - f0 )))" \
	test $(( $(rec cause fault local) - f0 )) -ge 500
ok "fork itself flushed the parent (cause fork)" sh -c \
	"[ \$(( $(rec cause fork local) + $(rec cause fork sent) )) -ge 1 ]"
pgc_release "$p"

# The two hooks see the same shootdowns; causes add up to reasons (one
# snapshot of the file).
read -r sent_tp sent_kp loc loc_c < <(awk '
	$1 == "reason" && $2 == "remote_shootdown_sent" { tp = $4 }
	$1 == "reason" && ($2 == "local_shootdown" || $2 == "local_mm_shootdown") { l += $4 }
	$1 == "cause" { lc += $4; kp += $6 }
	END { print tp, kp, l, lc }' "$PGC_DEBUGFS/tlb")
ok "shootdowns: tracepoint $sent_tp ~ kprobe $sent_kp" pgc_near "$sent_tp" "$sent_kp" 1 20
ok "local flushes: reasons $loc ~ causes $loc_c" pgc_near "$loc" "$loc_c" 1 20
ok "no probe hit missed" test "$(awk '$1 == "missed" { print $2 }' "$PGC_DEBUGFS/tlb")" = 0
ok "pageclock tlb prints reasons and causes" sh -c \
	"pageclock tlb | grep -q remote_shootdown_sent && pageclock tlb | grep -q mprotect"
ok "pageclock tlb --json is valid" sh -c "pageclock tlb --json | jq -e '.reason.task_switch >= 0'"
ok "pageclock stat reports TLB" sh -c "pageclock stat --json true 2>&1 >/dev/null | jq -e '.tlb.local >= 0'"
ok "pageclock tlb --pid of a missing process: status 4" pgc_status 4 tlb --pid 3999999
pgc_done
