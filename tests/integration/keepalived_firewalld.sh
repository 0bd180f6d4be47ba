#!/usr/bin/env bash
# End to end with a real keepalived pair: the backup runs Debian's firewalld with
# its defaults (its own bus, mount and network namespace), whose zone public
# rejects the master's adverts: both nodes hold the VIP. `haprep check` there names
# firewalld.vrrp and the zone; after `fix --apply` (a rich rule for the peer
# 192.0.2.2, runtime and permanent, through firewalld) exactly one node holds the
# VIP, the master.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/firewalld_lib.sh"
require_root

ns_with_vrrp_interface k     # $NS: the backup under test; $PEER_NS: the master
start_firewalld "$NS"
start_keepalived "$PEER_NS" master "$PEER_IF" 150
start_keepalived "$NS" backup "$IF" 100
await "split brain: both nodes holding the VIP" vip_holders_are 2

ARGS=(--root "$TMP" --interface "$IF" --family ipv4 --peer 192.0.2.2)
run_haprep_fw "${ARGS[@]}" check --format json
expect_rc 2
expect_json '[.findings[] | select(.status == "fail") | .check] == ["nft.vrrp", "firewalld.vrrp"]'
expect_json '[.findings[] | select(.status == "fail") | .fix] | unique == ["firewalld.vrrp"]'
expect_json '.findings[] | select(.check == "firewalld.vrrp") | .message | contains("firewalld zone public does not let VRRP in")'

run_haprep_fw "${ARGS[@]}" fix --apply --format json
expect_rc 0 "fixed"
expect_json '.changed == true and ([.changes[].target] == ["zone public (runtime)", "zone public (permanent)"])'
expect_json '[.changes[].diff | contains("+ rich rule") and contains("source address=\"192.0.2.2\"")] | all'
# Printed, not asserted (no wall-clock limits in tests): keepalived's
# advert_int 1 makes this about a second.
await "exactly one node holding the VIP" vip_holders_are 1
holds_vip "$PEER_NS" "$PEER_IF" || fail "the master must be the one holding the VIP"
log_says backup "Entering BACKUP STATE" || fail "the backup never went back to BACKUP: $(tail "$TMP/backup.log")"
run_haprep_fw "${ARGS[@]}" check --format json --only firewalld.vrrp --only firewalld.permanent --only nft.vrrp
expect_rc 0
echo "PASS: $TEST_NAME"
