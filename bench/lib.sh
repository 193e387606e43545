# SPDX-License-Identifier: GPL-2.0
# Sourced by the bench/*-guest scripts.

# The numbers on stdin (spaces or lines): "median min max".
bench_stats() {
	tr ' ' '\n' | grep . | sort -n |
		awk '{ a[NR] = $1 } END { printf "%s %s %s", a[int((NR + 1) / 2)], a[1], a[NR] }'
}
