#!/usr/bin/env bash
# End to end with a real keepalived pair whose VRRPv2 advert_int differs (master 1 s,
# backup 2 s): keepalived drops adverts with another interval, so both nodes hold the
# VIP. haprep, given the backup's configuration and the master's (--peer-conf), fails
# keepalived.advert_int with the file:line of the backup's value; with the intervals
# made equal, the check passes and exactly one node holds the VIP.
source "$(dirname "$0")/lib.sh"
require_root

ns_with_vrrp_interface pm     # $NS: the backup under test; $PEER_NS: the master
ROOT="$TMP/root"; mkdir -p "$ROOT/etc/keepalived"
start_keepalived "$PEER_NS" master "$PEER_IF" 150 1
start_keepalived "$NS" backup "$IF" 100 2
cp "$TMP/backup.conf" "$ROOT/etc/keepalived/keepalived.conf"
await "both nodes holding the VIP (the adverts are dropped)" vip_holders_are 2
log_says backup "advertisement interval mismatch" || log_says master "advertisement interval mismatch" ||
    fail "keepalived did not log the interval mismatch: $(tail -n 5 "$TMP"/*.log)"

run_haprep "$NS" --root "$ROOT" check --format json --only keepalived.advert_int --peer-conf "$TMP/master.conf"
expect_rc 2 "a VRRPv2 advert_int mismatch is a fail"
expect_json '.findings[] | select(.subject == "VI_1") | .status == "fail" and .source.file == "/etc/keepalived/keepalived.conf" and .source.line == 9'
# Without the peer's configuration there is nothing to compare: each side alone is valid.
run_haprep "$NS" --root "$ROOT" check --format json --only keepalived.advert_int
expect_rc 0

stop_keepalived backup
start_keepalived "$NS" backup2 "$IF" 100 1
cp "$TMP/backup2.conf" "$ROOT/etc/keepalived/keepalived.conf"
await "the restarted backup entering BACKUP state" log_says backup2 "Entering BACKUP STATE"
# Three advert intervals: a backup that did not hear the master would have taken over.
sleep 4
[ "$(vip_holders)" = 1 ] || fail "expected exactly one VIP holder, got $(vip_holders)"
holds_vip "$PEER_NS" "$PEER_IF" || fail "the master must hold the VIP"
run_haprep "$NS" --root "$ROOT" check --format json --only keepalived.advert_int --peer-conf "$TMP/master.conf"
expect_rc 0 "equal intervals pass"
echo "PASS: $TEST_NAME"
