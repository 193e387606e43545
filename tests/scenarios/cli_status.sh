#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pageclock status reports the loaded module, then its absence.
. "$(dirname "$0")/../lib.sh"
pgc_load
pgc_detail_on

ok "status exits 0 when loaded" pageclock status
ok "status says loaded" sh -c 'pageclock status | grep -q "^module: *loaded$"'
ok "status names the running kernel" \
	sh -c "pageclock status | grep -q \"^kernel: *$(uname -r)$\""
ok "status lists features" sh -c 'pageclock status | grep -q "kretprobe:handle_mm_fault"'
ok "status --json is valid and complete" sh -c \
	"pageclock status --json | jq -e '.loaded == true and .kernel == \"$(uname -r)\" and (.features | length) >= 5'"
ok "status --json version matches sysfs" sh -c \
	"pageclock status --json | jq -e '.version == \"$(cat $PGC_SYSFS/version)\"'"
pgc_unload
ok "status exits 3 when not loaded" sh -c 'pageclock status; [ $? = 3 ]'
ok "status --json says not loaded" sh -c \
	'pageclock status --json | jq -e ".loaded == false"'
ok "reload" pgc_load
pgc_done
