#!/usr/bin/env bash
# A real IPv6 keepalived pair where the MASTER's own link-local address failed
# duplicate address detection: it holds its link-local VIP fe80::100 but has no
# usable link-local address to advertise from, so its adverts never leave
# (keepalived logs "send advert error"), the BACKUP takes over, and both hold the
# VIP. haprep must not count the VIP as the node's source address:
# addr.ipv6_link_local fails naming the duplicate, and lists the VIP as never the source.
source "$(dirname "$0")/lib.sh"
require_root
command -v keepalived >/dev/null || skip "keepalived is not installed"

ns_with_vrrp_interface d     # $NS: the MASTER with the duplicate; $PEER_NS: the BACKUP
# The same link-local address on both ends: the peer's first, then ours with DAD on.
for spec in "$PEER_NS $PEER_IF" "$NS $IF"; do
    set -- $spec
    ip -n "$1" -6 addr flush dev "$2" scope link
done
ip -n "$PEER_NS" -6 addr add fe80::1/64 dev "$PEER_IF" nodad
in_ns "$NS" sysctl -qw "net.ipv6.conf.$IF.accept_dad=1" "net.ipv6.conf.$IF.dad_transmits=1"
ip -n "$NS" -6 addr add fe80::1/64 dev "$IF"
await "our fe80::1 failed DAD" bash -c "ip -n '$NS' -6 addr show dev '$IF' | grep -q 'dadfailed'"
ip -n "$PEER_NS" -6 addr add fe80::2/64 dev "$PEER_IF" nodad   # the peer's own source

# ipv6_keepalived NS NAME IF PRIORITY: an IPv6 VRRPv3 instance whose first VIP is
# link-local (RFC 5798), and a global VIP the test counts holders of.
ipv6_keepalived() {
    local ns=$1 name=$2 dev=$3 priority=$4
    cat >"$TMP/$name.conf" <<CONF
global_defs {
    router_id $name
}
vrrp_instance VI_6 {
    state BACKUP
    interface $dev
    virtual_router_id 61
    priority $priority
    advert_int 1
    virtual_ipaddress {
        fe80::100/64 dev $dev
        2001:db8::100/64 dev $dev
    }
}
CONF
    ip netns exec "$ns" keepalived -n -l -D -P -f "$TMP/$name.conf" \
        -p "$TMP/$name.pid" -r "$TMP/$name.vrrp.pid" >"$TMP/$name.log" 2>&1 &
    DAEMON_PIDS+=("$!")
}
holds_v6_vip() { ip -n "$1" -6 addr show dev "$2" | grep ' 2001:db8::100/' >/dev/null; }
both_hold() { holds_v6_vip "$NS" "$IF" && holds_v6_vip "$PEER_NS" "$PEER_IF"; }

ipv6_keepalived "$NS" master "$IF" 150
ipv6_keepalived "$PEER_NS" backup "$PEER_IF" 100
await "split brain: both nodes holding the IPv6 VIP" both_hold
await "keepalived on the MASTER fails to send its adverts" grep -q "send advert error" "$TMP/master.log"

run_haprep "$NS" --keepalived-conf "$TMP/master.conf" --only addr.ipv6_link_local check --format json
expect_rc 2 "dadfailed link-local on the VIP holder"
expect_json '.findings[0].status == "fail"'
expect_json '.findings[0].message | contains("fe80::1 on '"$IF"' failed duplicate address detection")'
expect_json '.findings[0].evidence["keepalived VIPs (never the source)"] | startswith("fe80::100/64")'
echo "ok: $(jq -r '.findings[0].message' <<<"$OUT")"
echo "PASS: $TEST_NAME"
