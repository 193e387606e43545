#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hostile process names (a task names itself with any bytes but NUL, or
# none, or digits that a parser could take for a number):
# every file that prints a name and every CLI verb that shows one must give
# the right pid and state, one line per record, valid JSON, and no control
# byte on a terminal.  The first name made `pageclock pt` report a live
# process gone (issue: process names printed raw into debugfs).
. "$(dirname "$0")/../lib.sh"
pgc_load
pgc_detail_on

names=($'a\nstate gone' $'\e[2J\e]0;x\a' $'\xff\xfe%s%n' $'tab\there' 'sp ace\' '"q'"'" '' 007)

pt_alive() { # pt-output
	[ "$(grep -c '^state ' <<<"$1")" = 1 ] && grep -qx 'state alive' <<<"$1" &&
		[ "$(grep -c '^comm ' <<<"$1")" = 1 ]
}
# One line for PID in FILE, with as many fields as the header.
one_record() { # file pid
	awk -v p="$2" 'NR == 1 { h = NF; next } NF != h { bad = 1 } $1 == p { n++ }
		END { exit bad || n != 1 }' "$1"
}
fields_ok() { awk 'NR == 1 { h = NF; next } NF != h { exit 1 }' "$1"; }
no_control() { # command...: nothing but text and newlines on stdout
	"$@" > /tmp/pgc-names.out 2>&1 || return 1
	! tr -d '\n' < /tmp/pgc-names.out | LC_ALL=C grep -q '[[:cntrl:]]'
}
utf8_json() { # jq-filter command...
	local f=$1
	shift
	"$@" > /tmp/pgc-names.json && iconv -f utf-8 -t utf-8 /tmp/pgc-names.json >/dev/null &&
		jq -e "$f" /tmp/pgc-names.json >/dev/null
}

for name in "${names[@]}"; do
	label=$(printf '%q' "$name")
	p=$(PGC_NAME=$name pgc_hold fork 16 4) || { ok "workload named $label" false; continue; }
	ok "$label: the kernel has the name" \
		test "$(head -c 15 < <(printf '%s' "$name"))" = "$(head -c -1 "/proc/$p/comm")"
	ok "pt $label: state alive, one comm line" pt_alive "$(pgc_pt "$p")"
	ok "procs $label: one record for the pid" one_record "$PGC_DEBUGFS/procs" "$p"
	ok "forks $label: every record has the header's fields" fields_ok "$PGC_DEBUGFS/forks"
	ok "pageclock pt $label: status 0" pageclock pt --pid "$p"
	ok "pageclock faults --pid $label --json: valid UTF-8, right pid" \
		utf8_json ".pid == $p and (.comm | type) == \"string\"" pageclock faults --pid "$p" --json
	ok "pageclock top --once --json, $label: valid UTF-8" \
		utf8_json '.processes | type == "array"' pageclock top --once --json --interval 200
	ok "pageclock cow --json, $label: valid UTF-8" utf8_json '.forks | type == "array"' pageclock cow --json
	ok "pageclock pt --json, $label: valid UTF-8, comm a string" \
		utf8_json '(.comm | type) == "string"' pageclock pt --pid "$p" --json
	for verb in "faults --pid $p" "pt --pid $p" "tlb --pid $p" "top --once --interval 200" "cow"; do
		# shellcheck disable=SC2086
		ok "pageclock $verb, $label: no control byte on the terminal" no_control pageclock $verb
	done
	pgc_release "$p"
done
pgc_done
