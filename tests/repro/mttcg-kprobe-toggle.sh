#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Not pageclock's: arm and disarm a tracefs kretprobe on handle_mm_fault
# while processes fault and fork.  Under QEMU's multi-threaded TCG the
# guest hangs within a few dozen cycles (a vCPU loops on a stale int3 at
# handle_mm_fault+0 while another waits in text_poke_bp for it); with
# --tcg-single it survives.  Why tests/stress/ runs single-threaded:
#   tools/vm/run --no-module --kernel 6.1 --timeout 300 [--tcg-single] -- \
#	env N=300 bash tests/repro/mttcg-kprobe-toggle.sh
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T
echo 'r:pgcprobe handle_mm_fault' > $T/kprobe_events || exit 2
( while :; do /bin/true; done ) &
storm=$!
( while :; do /bin/true; done ) &
storm2=$!
for i in $(seq 1 "${N:-300}"); do
	echo 1 > $T/events/kprobes/pgcprobe/enable
	sleep 0.0$((RANDOM % 9))
	echo 0 > $T/events/kprobes/pgcprobe/enable
	[ $((i % 50)) = 0 ] && echo "cycle $i"
done
kill $storm $storm2
echo '-:pgcprobe' >> $T/kprobe_events
echo "survived ${N:-300} cycles"
