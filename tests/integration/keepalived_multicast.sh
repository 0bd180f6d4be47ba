#!/usr/bin/env bash
# End to end with a real keepalived pair: the backup's interface lacks MULTICAST, so
# keepalived disables its instance (no HA). haprep names link.multicast; after
# `fix --apply` and a keepalived restart the backup runs its instance as BACKUP and
# exactly one node holds the VIP.
source "$(dirname "$0")/lib.sh"
require_root

ns_with_vrrp_interface e     # $NS: the backup under test; $PEER_NS: the master
ip -n "$NS" link set "$IF" multicast off
ROOT="$TMP/root"; mkdir -p "$ROOT"
start_keepalived "$PEER_NS" master "$PEER_IF" 150
start_keepalived "$NS" backup "$IF" 100
await "the backup's keepalived refusing the interface" log_says backup "does not support multicast"
await "the master holding the VIP" holds_vip "$PEER_NS" "$PEER_IF"

run_haprep "$NS" --root "$ROOT" --interface "$IF" check --format json
expect_rc 2
expect_json '[.findings[] | select(.status == "fail") | .check] == ["link.multicast"]'

run_haprep "$NS" --root "$ROOT" --interface "$IF" fix --apply --format json
expect_rc 0 "fixed"
expect_json '.changed == true and (.changes[0].result == "fixed") and (.changes[0].note | startswith("runtime only"))'

stop_keepalived backup
start_keepalived "$NS" backup2 "$IF" 100
await "the restarted backup entering BACKUP state" log_says backup2 "Entering BACKUP STATE"
# Three advert intervals: a backup that did not hear the master would have taken over.
sleep 4
[ "$(vip_holders)" = 1 ] || fail "expected exactly one VIP holder, got $(vip_holders)"
holds_vip "$PEER_NS" "$PEER_IF" || fail "the master must hold the VIP"
! log_says backup2 "does not support multicast" || fail "keepalived still refuses the interface"
echo "PASS: $TEST_NAME"
