# SPDX-License-Identifier: GPL-2.0
# Sourced by the bench/*-guest scripts.

# What the guest's seconds are (tools/vm/run passes PAGECLOCK_CLOCK).
bench_clock() {
	case ${PAGECLOCK_CLOCK:-tcg} in
	icount) echo "QEMU TCG, -icount: a second is 10^9 guest instructions" ;;
	kvm) echo "KVM" ;;
	*) echo "QEMU TCG" ;;
	esac
}

# bench_only ARRAY WANT...: narrow the array named ARRAY (configurations,
# controls) to none, every cost's baseline, and WANT, each once; fails,
# saying which, on one it does not have.
bench_only() {
	local -n _all=$1
	local c
	shift
	for c in "$@"; do
		[[ " ${_all[*]} " == *" $c "* ]] ||
			{ echo "no configuration '$c' here (${_all[*]})" >&2; return 1; }
	done
	mapfile -t _all < <(printf '%s\n' none "$@" | awk '!seen[$0]++')
}

# The numbers on stdin (spaces or lines): "median min max".
bench_stats() {
	tr ' ' '\n' | grep . | sort -n |
		awk '{ a[NR] = $1 } END { printf "%s %s %s", a[int((NR + 1) / 2)], a[1], a[NR] }'
}
