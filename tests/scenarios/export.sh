#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pageclock export against the real tools: promtool lints the textfile of
# a loaded module, and a Prometheus server (Debian's, unpacked by
# tools/setup-deps) scrapes --listen, negotiating OpenMetrics: a counter
# it stored must be what 'pageclock faults' says, a target's series there.
. "$(dirname "$0")/../lib.sh"
pgc_load
# tools/vm/run shows tools/setup-deps' unpacked Prometheus there.
bin=$PAGECLOCK_REPO/.vm/prometheus
d=/tmp/pgc-prom
rm -rf $d && mkdir -p $d/text

# Counted, then frozen: the hook detached, no fault is counted any more
# (a target, below, measures only its own, and it holds still).
pgc_detail_on
"$WORK" anon 2000
echo 0 >"$PGC_SYSFS/faults/detail"
p=$(pgc_hold anon 3000)
pgc_target_add "$p" 0
ok "export --textfile of the loaded module" pageclock export --textfile $d/text
ok "... promtool check metrics finds nothing to say" sh -c "$bin/promtool check metrics < $d/text/pageclock.prom"
ok "... the target's series" grep -q "^pageclock_clock_rss_bytes{pid=\"$p\"," $d/text/pageclock.prom

port=9464
pageclock export --listen 127.0.0.1:$port &
exp=$!
cat >$d/prometheus.yml <<YML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: pageclock
    static_configs:
      - targets: ['127.0.0.1:$port']
YML
$bin/prometheus --config.file=$d/prometheus.yml --storage.tsdb.path=$d/data \
	--web.listen-address=127.0.0.1:9090 >$d/log 2>&1 &
srv=$!
# One instant query's first value, "" until the series exists.
query() {
	curl -s -m 5 http://127.0.0.1:9090/api/v1/query --data-urlencode "query=$1" |
		jq -r '.data.result[0].value[1] // empty' 2>/dev/null
}
scraped() { [ -n "$(query 'pageclock_faults_total{class="anon_new"}')" ]; }
# Up to 180 s: the server starts slowly under TCG (KASAN: slower still).
pgc_wait 180 scraped
want=$(pageclock faults --json | jq .faults.anon_new)
got=$(query 'pageclock_faults_total{class="anon_new"}')
ok "Prometheus scraped it: anon_new $got, pageclock faults says $want" test "$got" = "$want" -a "$want" -ge 2000
ok "... up: the OpenMetrics it asked for parsed" test "$(query 'up{job="pageclock"}')" = 1
rss=$(query "pageclock_clock_rss_bytes{pid=\"$p\"}")
ok "... the target's RSS, in bytes ($rss)" test "${rss:-0}" -ge $((3000 * 4096))
q=$(query 'histogram_quantile(0.5, sum by (le) (pageclock_fault_duration_seconds_bucket))')
ok "... a histogram it takes a quantile of (median fault $q s)" test -n "$q"
kill $srv $exp
wait $srv $exp 2>/dev/null
pgc_release "$p"
grep -i 'level=error' $d/log | head -n 5
rm -rf $d
pgc_done
