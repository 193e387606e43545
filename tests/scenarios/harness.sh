#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The VM the harness booted is what the other scenarios assume.
. "$(dirname "$0")/../lib.sh"

ok "running as root" test "$(id -u)" = 0
ok "debugfs mounted" mountpoint -q /sys/kernel/debug
ok "module loaded by the harness" grep -q '^pageclock ' /proc/modules
ok "current directory writable" sh -c 'f=.pgc-w.$$; : > $f && rm $f'
if [ "${PAGECLOCK_SWAP:-0}" != 0 ]; then
	ok "swap device active ($PAGECLOCK_SWAP)" awk 'NR > 1 { n++ } END { exit !n }' /proc/swaps
fi
pgc_done
