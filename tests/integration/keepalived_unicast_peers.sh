#!/usr/bin/env bash
# End to end with a real keepalived pair in unicast mode where the master's
# unicast_peer has a typo (192.0.2.9 for the backup's 192.0.2.1): keepalived sends a
# unicast instance's adverts only to the addresses it lists, so the backup never hears
# the master and both nodes hold the VIP. haprep on the backup, given the master's
# configuration (--peer-conf), fails keepalived.peers naming the missing address and
# the master's unicast_peer file:line; with the typo corrected the check passes and
# exactly one node holds the VIP.
source "$(dirname "$0")/lib.sh"
require_root
command -v keepalived >/dev/null || skip "keepalived is not installed"

ns_with_vrrp_interface up     # $NS: the backup under test (192.0.2.1); $PEER_NS: the master (192.0.2.2)

# unicast_node NS NAME IF PRIORITY SRC PEER: keepalived in NS, one unicast instance
# (VRID 51, VIP 192.0.2.100/24) from SRC to PEER; config, pid files and log under $TMP,
# in the foreground (-n) so its PID is ours. Line 10 is unicast_src_ip, line 11 opens
# unicast_peer.
unicast_node() {
    local ns=$1 name=$2 dev=$3 priority=$4 src=$5 peer=$6
    cat >"$TMP/$name.conf" <<CONF
global_defs {
    router_id $name
}
vrrp_instance VI_1 {
    state BACKUP
    interface $dev
    virtual_router_id 51
    priority $priority
    advert_int 1
    unicast_src_ip $src
    unicast_peer {
        $peer
    }
    virtual_ipaddress {
        192.0.2.100/24 dev $dev
    }
}
CONF
    ip netns exec "$ns" keepalived -n -l -D -P -f "$TMP/$name.conf" \
        -p "$TMP/$name.pid" -r "$TMP/$name.vrrp.pid" >"$TMP/$name.log" 2>&1 &
    DAEMON_PIDS+=("$!")
    printf -v "KEEPALIVED_${name}" '%s' "$!"
}

ROOT="$TMP/root"; mkdir -p "$ROOT/etc/keepalived"
unicast_node "$PEER_NS" master "$PEER_IF" 150 192.0.2.2 192.0.2.9   # the typo
unicast_node "$NS" backup "$IF" 100 192.0.2.1 192.0.2.2
cp "$TMP/backup.conf" "$ROOT/etc/keepalived/node1.conf"
await "the master's keepalived taking the VIP" holds_vip "$PEER_NS" "$PEER_IF"
await "both nodes holding the VIP (the backup never hears the master)" vip_holders_are 2
# Three advert intervals more: still split.
sleep 3
[ "$(vip_holders)" = 2 ] || fail "expected both nodes to hold the VIP, got $(vip_holders)"

check() {
    run_haprep "$NS" --root "$ROOT" --keepalived-conf /etc/keepalived/node1.conf check --format json \
        --only keepalived.peers --peer-conf "$TMP/master.conf"
}
check
expect_rc 2 "a unicast_peer that misses this node is a fail"
expect_json '.findings | length == 1'
expect_json '.findings[0] | .subject == "VI_1" and .status == "fail" and .source.file == "/etc/keepalived/node1.conf" and .source.line == 10'
expect_contains "$OUT" "does not list 192.0.2.1 in its unicast_peer ($TMP/master.conf:11)"
expect_contains "$OUT" "VI_1 on --peer-conf $TMP/master.conf ($TMP/master.conf:4)"
expect_contains "$OUT" "192.0.2.1 is the unicast source of VI_1 here (/etc/keepalived/node1.conf:4) (its unicast_src_ip, /etc/keepalived/node1.conf:10)"
# The other direction, judged from the master's side (our file as its peer).
cp "$TMP/master.conf" "$ROOT/etc/keepalived/node2.conf"
run_haprep "$PEER_NS" --root "$ROOT" --keepalived-conf /etc/keepalived/node2.conf check --format json \
    --only keepalived.peers --peer-conf "$TMP/backup.conf"
expect_rc 2 "the master's own list misses the backup"
expect_json '.findings[0] | .status == "fail" and .source.file == "/etc/keepalived/node2.conf" and .source.line == 11'
expect_contains "$OUT" "VI_1 here (/etc/keepalived/node2.conf:4) does not list 192.0.2.1 in its unicast_peer (/etc/keepalived/node2.conf:11)"

stop_keepalived master
unicast_node "$PEER_NS" master2 "$PEER_IF" 150 192.0.2.2 192.0.2.1
await "the corrected master taking the VIP" holds_vip "$PEER_NS" "$PEER_IF"
await "the backup giving the VIP up" vip_holders_are 1
sleep 3
[ "$(vip_holders)" = 1 ] || fail "expected exactly one VIP holder, got $(vip_holders)"
holds_vip "$PEER_NS" "$PEER_IF" || fail "the master must hold the VIP"
log_says backup "Entering BACKUP STATE" || fail "the backup never went back to BACKUP: $(tail -n 5 "$TMP/backup.log")"
run_haprep "$NS" --root "$ROOT" --keepalived-conf /etc/keepalived/node1.conf check --format json \
    --only keepalived.peers --peer-conf "$TMP/master2.conf"
expect_rc 0 "peers that list each other pass"
expect_json '.findings[0] | .status == "pass" and .evidence["unicast source here"] == "192.0.2.1 (its unicast_src_ip, /etc/keepalived/node1.conf:10)"'
echo "PASS: $TEST_NAME"
