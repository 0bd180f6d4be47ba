#!/usr/bin/env bash
# Strict rp_filter judged by the kernel's own route lookup: with the peer's /32 routed
# through a second veth the check fails naming the peer and the route; with the
# symmetric route it only warns; without known peers it warns.
source "$(dirname "$0")/lib.sh"
require_root

ns_with_vrrp_interface r
in_ns "$NS" sysctl -qw net.ipv4.conf.all.rp_filter=0 "net.ipv4.conf.$IF.rp_filter=1"
rp() { jq -r '.findings[] | select(.check == "sysctl.rp_filter") | '"$1" <<<"$OUT"; }

run_haprep "$NS" --interface "$IF" --peer 192.0.2.2 check --format json --only sysctl.rp_filter
expect_rc 1 "symmetric route: a warning"
[ "$(rp .status)" = warn ] || fail "expected warn: $OUT"
[ "$(rp '.evidence["route back to 192.0.2.2"]')" = "192.0.2.2 dev $IF src 192.0.2.1" ] || fail "route evidence: $OUT"

run_haprep "$NS" --interface "$IF" check --format json --only sysctl.rp_filter
expect_rc 1 "no known peers: a warning"
expect_contains "$(rp .message)" "--peer"

asymmetric_peer
run_haprep "$NS" --interface "$IF" --peer "$PEER" check --format json --only sysctl.rp_filter
expect_rc 2 "asymmetric route: fail"
expect_contains "$(rp .message)" "drops VRRP adverts from $PEER (the route back leaves via $SIDE_IF: $PEER dev $SIDE_IF"

# all=1 forces strict too (max semantics), and the same route decides.
in_ns "$NS" sysctl -qw net.ipv4.conf.all.rp_filter=1 "net.ipv4.conf.$IF.rp_filter=0"
run_haprep "$NS" --interface "$IF" --peer "$PEER" check --format json --only sysctl.rp_filter
expect_rc 2
# A peer with no route back at all.
ip -n "$NS" route del "$PEER/32" dev "$SIDE_IF"
run_haprep "$NS" --interface "$IF" --peer 203.0.113.9 check --format json --only sysctl.rp_filter
expect_rc 2 "no route back is dropped by strict mode"
expect_contains "$(rp .message)" "no route to 203.0.113.9"
echo "PASS: $TEST_NAME"
