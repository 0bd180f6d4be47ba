#!/usr/bin/env bash
# keepalived.conf tells the other checks what to judge: its instances' interfaces,
# families, modes and peers (no --interface needed), and --interface / --mode still
# override. A peer's configuration (--peer-conf) or snapshot (--peer-facts) is
# compared instance by instance. No file: the keepalived checks skip with the reason;
# a syntax error: keepalived.parse fails with file:line.
source "$(dirname "$0")/lib.sh"
require_root

ns_with_vrrp_interface kd
IF6="x${UNIQUE}"
ip -n "$NS" link add "$IF6" type veth peer name "y${UNIQUE}"
ip -n "$NS" link set "$IF6" up
ip -n "$NS" link set "y${UNIQUE}" up
asymmetric_peer  # the route back to 192.0.2.2 leaves through $SIDE_IF, not $IF
in_ns "$NS" sysctl -qw net.ipv4.conf.all.rp_filter=1 "net.ipv4.conf.$IF.rp_filter=1"
ip -n "$NS" link set "$IF" multicast off  # unicast does not need it

ROOT="$TMP/root"; mkdir -p "$ROOT/etc/keepalived"
conf() {  # conf PRIORITY ADVERT_INT SOURCE PEER
    cat <<CONF
vrrp_instance VI_1 {
    state BACKUP
    interface $IF
    virtual_router_id 51
    priority $1
    advert_int $2
    unicast_src_ip $3
    unicast_peer {
        $4
    }
    virtual_ipaddress {
        192.0.2.100/24
    }
}
vrrp_instance VI_6 {
    interface $IF6
    virtual_router_id 52
    virtual_ipaddress {
        fe80::52/64
        2001:db8::52/64
    }
}
CONF
}
conf 100 1 192.0.2.1 192.0.2.2 >"$ROOT/etc/keepalived/keepalived.conf"

run_haprep "$NS" --root "$ROOT" check --format json
subjects() { jq -r "[.findings[] | select(.check == \"$1\") | .subject] | join(\" \")" <<<"$OUT"; }
[ "$(subjects link.present)" = "$IF $IF6" ] || fail "link.present should judge the configured interfaces, got: $(subjects link.present)"
expect_json ".findings[] | select(.check == \"link.multicast\" and .subject == \"$IF\") | .status == \"pass\""
expect_json ".findings[] | select(.check == \"addr.ipv6_link_local\" and .subject == \"$IF6\") | .status == \"pass\""
expect_json "[.findings[] | select(.check == \"addr.ipv6_link_local\" and .subject == \"$IF\")] | length == 0 or .[0].status == \"skip\""
# The unicast peer from the configuration is whose reverse path strict rp_filter checks.
expect_json ".findings[] | select(.check == \"sysctl.rp_filter\" and .subject == \"$IF\") | .status == \"fail\" and (.message + (.evidence | tostring) | contains(\"192.0.2.2\"))"
expect_json '.findings[] | select(.check == "keepalived.priority" and .subject == "VI_1") | .status == "pass"'
# nftables judges each instance's own family: IPv4 on $IF, IPv6 on $IF6 (the first VIP's).
[ "$(subjects nft.vrrp)" = "$IF (ipv4) $IF6 (ipv6)" ] || fail "nft.vrrp should judge each instance's family, got: $(subjects nft.vrrp)"
expect_json '.findings[] | select(.check == "keepalived.ipv6_first_vip" and .subject == "VI_6") | .status == "pass"'

run_haprep "$NS" --root "$ROOT" --interface "$IF6" check --format json --only link.present
[ "$(subjects link.present)" = "$IF6" ] || fail "--interface must restrict the configured interfaces, got: $(subjects link.present)"
run_haprep "$NS" --root "$ROOT" --mode multicast check --format json --only link.multicast
expect_json ".findings[] | select(.subject == \"$IF\") | .status == \"fail\""

# The peer: the same priority (no gap) and, from its snapshot, another advert_int.
conf 100 1 192.0.2.2 192.0.2.1 >"$TMP/peer.conf"
run_haprep "$NS" --root "$ROOT" check --format json --only keepalived.priority --peer-conf "$TMP/peer.conf"
expect_rc 1 "equal priorities warn"
expect_json ".findings[] | select(.subject == \"VI_1\") | .status == \"warn\" and (.evidence | tostring | contains(\"$TMP/peer.conf\"))"
PEER_ROOT="$TMP/peer-root"; mkdir -p "$PEER_ROOT/etc/keepalived"
conf 90 2 192.0.2.2 192.0.2.1 | sed "s/$IF/$PEER_IF/" >"$PEER_ROOT/etc/keepalived/keepalived.conf"
run_haprep "$PEER_NS" --root "$PEER_ROOT" snapshot -o "$TMP/peer.json"
expect_rc 0
run_haprep "$NS" --root "$ROOT" check --format json --only keepalived.advert_int --only keepalived.priority --peer-facts "$TMP/peer.json"
expect_rc 2 "a VRRPv2 advert_int mismatch fails"
expect_json '.findings[] | select(.check == "keepalived.advert_int" and .subject == "VI_1") | .status == "fail" and .source.line == 6'
expect_json '.findings[] | select(.check == "keepalived.priority" and .subject == "VI_1") | .status == "pass"'

# A syntax error: file:line, and the other checks still know the interfaces.
printf 'vrrp_instance VI_9 {\n    interface %s\n    virtual_router_id 9\n' "$IF" >"$ROOT/etc/keepalived/keepalived.conf"
run_haprep "$NS" --root "$ROOT" check --format json --only keepalived.parse
expect_rc 2
expect_json '.findings[0] | .status == "fail" and .source.file == "/etc/keepalived/keepalived.conf" and .source.line == 1 and (.message | contains("never closed"))'

# No configuration: every keepalived check skips and says why.
rm "$ROOT/etc/keepalived/keepalived.conf"
run_haprep "$NS" --root "$ROOT" --interface "$IF" check --format json
expect_json '[.findings[] | select(.check | startswith("keepalived."))] | length > 0 and all(.status == "skip" and (.message | contains("/etc/keepalived/keepalived.conf: no such file")))'
echo "PASS: $TEST_NAME"
