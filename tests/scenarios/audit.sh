#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pageclock audit: each rule against a process built to pass it and one
# built to fail it (tests/workloads pgc-work audit KIND).
. "$(dirname "$0")/../lib.sh"
pgc_load
a=/tmp/pgc-audit.json
# audit PID RULE: its JSON in $a; its status.
audit() { pageclock audit --pid "$1" --"$2" --json >$a; }
# passes WHAT RULE WORKLOAD...: RULE passes for the held workload.
passes() {
	local what=$1 rule=$2
	shift 2
	p=$(pgc_hold "$@")
	ok "$rule: $what ($(audit "$p" "$rule"; jq -r ".rules.$rule.summary" $a))" \
		audit "$p" "$rule"
	pgc_release "$p"
}
# fails WHAT RULE JQ WORKLOAD...: RULE fails for it (status 6), with the
# findings the jq filter JQ accepts.
fails() {
	local what=$1 rule=$2 want=$3 st
	shift 3
	p=$(pgc_hold "$@")
	audit "$p" "$rule"
	st=$?
	ok "$rule: $what: status 6 ($st), $(jq -c "[.rules.$rule.findings[].finding] | unique" $a)" \
		sh -c "[ $st = 6 ] && jq -e '$want' $a"
	pgc_release "$p"
}
f='[.rules[].findings[].finding]'

passes "a process that called mlockall() and wrote its pages is ready" rt audit rt
fails "one that did not is not" rt \
	"$f | index(\"not locked\") != null and index(\"pages not present\") != null" anon 1000
passes "that one has no writable and executable mapping" wx anon 1000
fails "a page mapped writable and executable" wx \
	'.rules.wx.findings | length == 1 and .[0].perms == "rwxp"' audit wx
# A thread running at the read has no stack pointer to give: at least
# one of the four seen, none without its guard.
p=$(pgc_hold threads 100 4)
ok "guard: 4 threads of glibc's, each stack with its guard page ($(audit "$p" guard; jq -r .rules.guard.summary $a))" \
	sh -c "pageclock audit --pid $p --guard --json | jq -e '.pass and (.rules.guard.summary | test(\"[1-4] of 4 other threads.*, 0 without\"))'"
pgc_release "$p"
fails "a thread whose stack has no guard page" guard \
	"$f == [\"thread stack without a guard page\"]" audit noguard
fails "MADV_DONTDUMP memory unlocked and paged out" secrets \
	"($f | sort) == [\"sensitive, not locked\", \"sensitive, pages in swap\"]" audit secret
passes "the same memory locked first stays" secrets audit secretlocked
pgc_done
