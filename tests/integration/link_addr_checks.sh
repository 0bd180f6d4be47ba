#!/usr/bin/env bash
# The link and address checks against real kernel state in namespaces: an interface
# that is DOWN, one without carrier, IPv6 link-local flushed, a real duplicate
# address detection failure between the two ends of a veth, and an interface that
# does not exist.
source "$(dirname "$0")/lib.sh"
require_root

ns_with_vrrp_interface k
status_of() { jq -r --arg c "$1" '.findings[] | select(.check == $c) | .status' <<<"$OUT"; }
message_of() { jq -r --arg c "$1" '.findings[] | select(.check == $c) | .message' <<<"$OUT"; }

run_haprep "$NS" --interface "$IF" --family both check --format json
expect_rc 0 "a healthy link passes everything"

# Carrier lost: the peer end is down.
ip -n "$PEER_NS" link set "$PEER_IF" down
run_haprep "$NS" --interface "$IF" check --format json --only link.up
expect_rc 2
[ "$(status_of link.up)" = fail ] || fail "no carrier must fail: $OUT"
expect_contains "$(message_of link.up)" "has no carrier"
ip -n "$PEER_NS" link set "$PEER_IF" up

# Administratively down.
ip -n "$NS" link set "$IF" down
run_haprep "$NS" --interface "$IF" check --format json --only link.up
expect_rc 2
expect_contains "$(message_of link.up)" "is administratively down"
ip -n "$NS" link set "$IF" up

# Link-local flushed, IPv6 VRRP requested.
ip -n "$NS" -6 addr flush dev "$IF" scope link
run_haprep "$NS" --interface "$IF" --family ipv6 check --format json --only addr.ipv6_link_local
expect_rc 2
expect_contains "$(message_of addr.ipv6_link_local)" "has no IPv6 link-local address"

# A real DAD failure: the same link-local address on both ends, DAD on where it is
# added second.
in_ns "$NS" sysctl -qw "net.ipv6.conf.$IF.accept_dad=1"
ip -n "$PEER_NS" addr add fe80::77/64 dev "$PEER_IF" nodad
ip -n "$NS" addr add fe80::77/64 dev "$IF"
for _ in $(seq 100); do
    ip -n "$NS" -6 addr show dev "$IF" | grep dadfailed >/dev/null && break
    sleep 0.1
done
ip -n "$NS" -6 addr show dev "$IF" | grep dadfailed >/dev/null || fail "the kernel did not report the DAD failure"
run_haprep "$NS" --interface "$IF" check --format json --only addr.ipv6_link_local
expect_rc 2 "auto family: the interface has IPv6 addresses"
[ "$(status_of addr.ipv6_link_local)" = fail ] || fail "dadfailed must fail: $OUT"
expect_contains "$(message_of addr.ipv6_link_local)" "fe80::77 on $IF failed duplicate address detection"
expect_json '.findings[0].observed | contains("fe80::77/64") and contains("dadfailed")'

# IPv4 address removed: nothing to advertise from.
ip -n "$NS" -4 addr flush dev "$IF"
run_haprep "$NS" --interface "$IF" --family ipv4 check --format json --only addr.ipv4_source
expect_rc 2
expect_contains "$(message_of addr.ipv4_source)" "has no IPv4 address"

# An interface that is not there.
run_haprep "$NS" --interface nosuch0 check --format json
expect_rc 2
[ "$(status_of link.present)" = fail ] || fail "missing interface must fail link.present: $OUT"
[ "$(status_of link.up)" = skip ] || fail "link.up must skip a missing interface: $OUT"
expect_contains "$(message_of link.present)" "no interface nosuch0"
echo "PASS: $TEST_NAME"
