#!/usr/bin/env bash
# End to end with a real keepalived pair: strict rp_filter on the backup with the
# master's address routed back through another interface drops the master's adverts,
# so both nodes hold the VIP (split brain). haprep names sysctl.rp_filter and the
# peer; after `fix --apply` exactly one node holds the VIP.
source "$(dirname "$0")/lib.sh"
require_root

ns_with_vrrp_interface f     # $NS: the backup under test; $PEER_NS: the master
asymmetric_peer
in_ns "$NS" sysctl -qw net.ipv4.conf.all.rp_filter=0 "net.ipv4.conf.$IF.rp_filter=1"
ROOT="$TMP/root"; mkdir -p "$ROOT"
start_keepalived "$PEER_NS" master "$PEER_IF" 150
start_keepalived "$NS" backup "$IF" 100
await "split brain: both nodes holding the VIP" vip_holders_are 2

run_haprep "$NS" --root "$ROOT" --interface "$IF" --peer "$PEER" check --format json
expect_rc 2
expect_json '[.findings[] | select(.status == "fail") | .check] == ["sysctl.rp_filter"]'
expect_json ".findings[] | select(.check == \"sysctl.rp_filter\") | .message | contains(\"drops VRRP adverts from $PEER\")"

run_haprep "$NS" --root "$ROOT" --interface "$IF" --peer "$PEER" fix --apply --format json
expect_rc 0 "fixed"
expect_json '.changed == true'
await "exactly one node holding the VIP" vip_holders_are 1
holds_vip "$PEER_NS" "$PEER_IF" || fail "the higher-priority master must be the one holding the VIP"
log_says backup "Entering BACKUP STATE" || fail "the backup never stepped down: $(cat "$TMP/backup.log")"
echo "PASS: $TEST_NAME"
