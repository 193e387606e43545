# SPDX-License-Identifier: GPL-2.0
# Sourced by the scenarios in tests/scenarios/ (they run inside a VM).
# TAP-like lines; the runner counts them.

PGC_DEBUGFS=/sys/kernel/debug/pageclock
PGC_SYSFS=/sys/kernel/pageclock
pgc_pass=0
pgc_fail=0
pgc_last=$SECONDS

# Sleep SECONDS without starting a process: a read that times out on a
# FIFO nobody writes.  Polls use it: under TCG a fork and exec of sleep
# costs tens of ms of the guest's CPU (more under KASAN), taken from the
# workload the poll waits for.
pgc_nap_fifo=$(mktemp -u /tmp/pgc-nap.XXXXXX)
mkfifo "$pgc_nap_fifo" && exec {pgc_nap_fd}<>"$pgc_nap_fifo"
rm -f "$pgc_nap_fifo"
pgc_nap() { read -r -t "$1" -u "$pgc_nap_fd" _; true; }

# A check that came 5 s or more after the one before says so: where a
# scenario spends its time shows in every log.
ok() { # description command...
	local what=$1 took="" st
	shift
	if "$@" >/tmp/pgc-ok.out 2>&1; then
		st=ok
	else
		st="not ok"
	fi
	[ $((SECONDS - pgc_last)) -lt 5 ] || took=" [$((SECONDS - pgc_last)) s]"
	pgc_last=$SECONDS
	echo "$st - $what$took"
	if [ "$st" = ok ]; then
		pgc_pass=$((pgc_pass + 1))
	else
		pgc_fail=$((pgc_fail + 1))
		sed 's/^/#   /' /tmp/pgc-ok.out | head -n 20
		return 1
	fi
}

# The kernel log since MARK (its line count then) has no line of the
# module's and no complaint: what bad input must leave.  Other lines (a
# slow guest's clocksource or hrtimer notes: ad.sh failed on one in a
# make check on 6.12 with the host busy) do not fail it.  Prints the new
# lines, which ok() shows on failure.
pgc_klog_quiet() { # mark
	local new
	new=$(dmesg | tail -n +$(($1 + 1)))
	printf '%s\n' "$new"
	. "$PAGECLOCK_REPO/tools/vm/complaints.sh"
	! printf '%s\n' "$new" | grep -Eq "pageclock|$PGC_COMPLAINTS"
}

# Load or unload pageclock.ko (tools/vm/guest exports PAGECLOCK_KO).
pgc_load() { grep -q '^pageclock ' /proc/modules || insmod "$PAGECLOCK_KO"; }
# Fault classes for the rest of the scenario: the module attaches its fault
# hook only on demand (src/hooks.c), and these scenarios count faults of
# processes that no CLI verb holds it for.
pgc_detail_on() { echo 1 >"$PGC_SYSFS/faults/detail"; }
pgc_unload() { ! grep -q '^pageclock ' /proc/modules || rmmod pageclock; }
# True when the module and both its trees are gone.
pgc_gone() {
	! grep -q '^pageclock ' /proc/modules && [ ! -e "$PGC_DEBUGFS" ] && [ ! -e "$PGC_SYSFS" ]
}

# The root of a cgroup v2 hierarchy (mounted under /tmp if the guest has
# none at /sys/fs/cgroup), for memory.reclaim.
pgc_cgroup2() {
	local d=/tmp/pgc-cgroup2
	if [ -e /sys/fs/cgroup/memory.reclaim ]; then
		echo /sys/fs/cgroup
		return
	fi
	mkdir -p "$d"
	mountpoint -q "$d" || mount -t cgroup2 none "$d" || return 1
	echo "$d"
}

pgc_done() {
	echo "# $(basename "$0"): $pgc_pass passed, $pgc_fail failed"
	echo "PGC-RESULT $pgc_pass $pgc_fail"
	[ "$pgc_fail" = 0 ]
}

WORK=$PAGECLOCK_REPO/tests/workloads/pgc-work

# Run a workload until it is done and holding; print its pid.  The
# workload writes its pid to a file in $PGC_HOLD_DIR (default /tmp, which
# only root may write in the guests).
pgc_hold() { # workload args...
	local f i
	f=$(mktemp -u "${PGC_HOLD_DIR:-/tmp}/pgc-hold.XXXXXX")
	# $PGC_WRAP (e.g. "setarch -R") execs the workload: same pid.
	PGC_HOLD=$f $PGC_WRAP "$WORK" "$@" >/tmp/pgc-hold.out 2>&1 &
	for i in $(seq 1 600); do
		[ -s "$f" ] && { cat "$f"; rm -f "$f"; return 0; }
		kill -0 $! 2>/dev/null || break
		pgc_nap 0.1
	done
	echo "workload $* did not reach its hold point:" >&2
	cat /tmp/pgc-hold.out >&2
	return 1
}

pgc_release() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; true; }

# Until COMMAND succeeds, at most SECONDS: for what the module does at its
# next worker tick, which a slow guest (the KASAN kernel) makes late.
pgc_wait() { # seconds command...
	local end=$((SECONDS + $1))
	shift
	# Seconds, not tries: on the debug kernel a read of a debugfs file
	# the worker's lock guards can take a second, and 5 tries a second
	# made a 60-second wait last five minutes.
	while [ $SECONDS -lt $end ]; do
		"$@" && return 0
		pgc_nap 0.2
	done
	"$@"
}

# The state of PID's latest fork record in debugfs forks (open, exited,
# execed, partial), empty if none.
pgc_fork_state() { awk -v p="$1" '$3 == p { s = $9 } END { print s }' "$PGC_DEBUGFS/forks"; }

# A column of the newest "procs" line of process PID.
pgc_proc_col() { # pid column
	awk -v pid="$1" -v col="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) idx[$i] = i; next }
		$1 == pid && $3 > best { best = $3; v = $(idx[col]) }
		END { if (best == "") exit 1; print v }' "$PGC_DEBUGFS/procs"
}

# Process PID's faults as "MODULE KERNEL": minor+major in procs and in
# /proc/PID/stat.
pgc_fault_totals() { # pid
	echo "$(( $(pgc_proc_col "$1" minor) + $(pgc_proc_col "$1" major) ))" \
	     "$(( $(pgc_stat_field "$1" 10) + $(pgc_stat_field "$1" 12) ))"
}

# Field N of /proc/PID/stat (after the command name).
pgc_stat_field() { # pid field-number
	sed 's/^.*) //' "/proc/$1/stat" | awk -v n="$2" '{ print $(n - 2) }'
}

# True when the guest's kernel is older than VERSION (e.g. 6.4).
pgc_kernel_before() { # version
	[ "$(printf '%s\n' "$1" "$(uname -r)" | sort -V | head -n1)" != "$1" ]
}

# True when A is within PCT percent of B (or within ABS, if given).
pgc_near() { # a b pct [abs]
	awk -v a="$1" -v b="$2" -v p="$3" -v abs="${4:-0}" 'BEGIN {
		d = a - b; if (d < 0) d = -d
		exit !(d <= b * p / 100 || d <= abs) }'
}

# The major faults the kernel counted (getrusage) of the reads of the
# workload "file" just held: one a page with readahead off, fewer where
# the kernel reads a large folio at once (likely why the module counted
# 1786 for 2048 pages once on 7.2, 2026-12-07, where 2048 was asked for).
pgc_file_majflt() { sed -n 's/^minflt [0-9]* majflt //p' /tmp/pgc-hold.out; }
# A file_major GOT against those M: within 2%, or the up to 60 major
# faults of loading the program; none counted by the kernel fails.
pgc_file_major_near() { [ "${2:-0}" -gt 0 ] && pgc_near "$1" "$2" 2 60; } # got m

# Resident pages of process PID (builtins only: it is polled).
pgc_rss() {
	local k v _
	while read -r k v _; do
		[ "$k" = VmRSS: ] && { echo $((v / 4)); return 0; }
	done <"/proc/$1/status"
	return 1
}

# A "grow N S [T]" workload made a CLOCK target of BUDGET pages, then let
# grow, its RSS sampled every 100 ms until it says "grown": sets p (its
# pid) and hi (the largest RSS sampled).  clock.sh's hard-budget checks
# and bench/hookgrow.
pgc_grow_sampled() { # budget n s [t]
	local budget=$1 end=$((SECONDS + 120)) r
	shift
	p=$(pgc_hold grow "$@")
	pgc_target_add "$p" "$budget"
	pgc_nap 0.5	# the worker's one sweep after the commit, on a small target
	kill -USR1 "$p"
	hi=0
	while [ $SECONDS -lt $end ] && ! grep -q '^grown' /tmp/pgc-hold.out; do
		r=$(pgc_rss "$p")
		[ "$r" -gt "$hi" ] && hi=$r
		pgc_nap 0.1
	done
}

# Field KEY of the record "TABLE PID k v k v ..." in debugfs FILE.
pgc_rec() { # file table pid key
	awk -v t="$2" -v p="$3" -v k="$4" '$1 == t && $2 == p {
		for (i = 3; i < NF; i += 2) if ($i == k) print $(i + 1) }' "$PGC_DEBUGFS/$1"
}

# Writing VALUE to the sysfs file FILE fails and leaves FILE as it was.
# Builtins only: the scenarios call it once per bad value, dozens of times.
pgc_refused() { # file value
	local old new
	read -r old <"$1" || return 1
	if { echo "$2" >"$1"; } 2>/dev/null; then
		echo "# '${2:0:20}' taken"
		return 1
	fi
	read -r new <"$1"
	[ "$new" = "$old" ] || { echo "# '$old' became '$new'"; return 1; }
}

# True when LOW <= V <= HIGH.
pgc_between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

# The pageclock CLI exits with WANT and prints one "pageclock: " error line.
pgc_status() { # want-status args...
	local want=$1 err st
	shift
	err=$(pageclock "$@" 2>&1 >/dev/null)
	st=$?
	[ $st = "$want" ] && [ "$(echo "$err" | wc -l)" = 1 ] &&
		echo "$err" | grep -q '^pageclock: ' && return 0
	echo "# status $st (want $want), stderr:"
	echo "$err" | sed 's/^/#   /'
	return 1
}

# CLOCK targets: one directory per slot, settings staged, then committed.
PGC_TARGETS=$PGC_SYSFS/targets

# The slot whose target is PID (its pid file), else the first free one
# (read with builtins: a fork costs tens of ms under TCG).
pgc_slot() { # pid
	local n st pid free=
	for n in {0..15}; do
		read -r st <"$PGC_TARGETS/$n/state"
		read -r pid <"$PGC_TARGETS/$n/pid"
		[ "$st" != off ] && [ "$pid" = "$1" ] && echo "$n" && return 0
		[ "$st" = off ] && [ -z "$free" ] && free=$n
	done
	[ -n "$free" ] && echo "$free"
}

# Make PID a target with BUDGET pages (0: none) and FILE=VALUE settings
# of its slot (pff/enabled=1 pff/window_ms=50); a new slot's pff/ gets
# the module's defaults first.  The failing write's error on stderr.
pgc_target_add() { # pid budget [file=value]...
	local pid=$1 budget=$2 n d kv st
	shift 2
	n=$(pgc_slot "$pid") || { echo "no free target slot" >&2; return 1; }
	d=$PGC_TARGETS/$n
	read -r st <"$d/state"
	if [ "$st" = off ]; then
		awk '$1 == "knob" && ($4 == "pff" || $4 == "hand") { print $4, $2, $12 }' \
			"$PGC_DEBUGFS/knobs" |
		while read -r s k v; do echo "$v" >"$d/$s/$k"; done
		echo 0 >"$d/pff/enabled"
	fi
	echo "$pid" >"$d/pid" && echo "$budget" >"$d/budget_pages" || return 1
	for kv; do echo "${kv#*=}" >"$d/${kv%%=*}" || return 1; done
	echo commit >"$d/state"
}

# Write FILE=VALUE settings to slot directory DIR, commit, then put the
# old values back: true if the commit was refused with an error whose
# text matches WANT (empty: any).
pgc_commit_refused() { # dir want file=value...
	local d=$1 want=$2 kv out saved st=0
	shift 2
	saved=$(for kv; do echo "${kv%%=*}=$(cat "$d/${kv%%=*}")"; done)
	for kv; do echo "${kv#*=}" >"$d/${kv%%=*}"; done
	out=$(echo commit 2>&1 >"$d/state") && st=1
	for kv in $saved; do echo "${kv#*=}" >"$d/${kv%%=*}"; done
	[ $st = 0 ] && echo "$out" | grep -q "$want" && return 0
	echo "# commit: ${out:-accepted}"
	return 1
}

# PID is no longer a target.
pgc_target_rm() { # pid
	local n st
	n=$(pgc_slot "$1") && read -r st <"$PGC_TARGETS/$n/state" &&
		[ "$st" != off ] && echo off >"$PGC_TARGETS/$n/state"
}

# Ask debugfs "pt" about process PID.
pgc_pt() { # pid
	local out
	exec 4<>"$PGC_DEBUGFS/pt" || return 1
	echo "$1" >&4 && out=$(cat <&4)
	exec 4<&-
	echo "$out"
}

# ext4 on a fresh zram disk at DIR, with a file DIR/data of PAGES random pages.
pgc_setup_fs() { # dir pages
	local dev
	[ -e /sys/class/zram-control ] || modprobe zram num_devices=0 || return 1
	dev=/dev/zram$(cat /sys/class/zram-control/hot_add) &&
	echo 64M > /sys/block/${dev#/dev/}/disksize &&
	mkfs.ext4 -q "$dev" && mkdir -p "$1" && mount "$dev" "$1" &&
	dd if=/dev/urandom of="$1/data" bs=4096 count="$2" status=none && sync
}
