#!/usr/bin/env bash
# nft.vrrp on the firewalls Debian hosts really have, each judged against the truth of
# a real keepalived pair (how many nodes hold the VIP): plain iptables-nft rulesets
# with the common -m matches, a Docker-like and a kube-proxy-like ruleset (healthy:
# their chains cannot drop the advert), and stock `ufw enable` (broken; fixed through
# ufw). Each broken case is healed by `fix --apply`, and a second apply changes nothing.
#
# ufw keeps its state in /etc/ufw: every ufw command (and the haprep that runs ufw)
# runs in a private mount namespace where copies of /etc/ufw, /etc/default/ufw,
# /lib/ufw, /var/lib and /run are bound over the real ones, and the test asserts at the
# end that this machine's own ufw files did not change.
source "$(dirname "$0")/lib.sh"
require_root
command -v iptables-nft >/dev/null || skip "iptables (iptables-nft) is not installed"
command -v keepalived >/dev/null || skip "keepalived is not installed"

ns_with_vrrp_interface x     # $NS: the backup under test; $PEER_NS: the master
start_keepalived "$PEER_NS" master "$PEER_IF" 150
start_keepalived "$NS" backup "$IF" 100
await "one node holding the VIP" vip_holders_are 1

ipt() { in_ns "$NS" iptables-nft "$@"; }
reset_firewall() { in_ns "$NS" nft flush ruleset; }

# expect_verdict STATUS PART: nft.vrrp's status, and PART in its message or evidence.
expect_verdict() {
    run_haprep "$NS" --interface "$IF" --family ipv4 --only nft.vrrp check --format json
    local got text
    got=$(jq -r '.findings[0].status' <<<"$OUT")
    text=$(jq -r '.findings[0] | .message + " " + (.evidence | tostring)' <<<"$OUT")
    [ "$got" = "$1" ] || fail "expected $1, got $got: $text"
    grep -qF -- "$2" <<<"$text" || fail "expected '$2' in: $text"
}

# --- plain iptables-nft: policy DROP, conntrack, ports: really broken --------------
ipt -A INPUT -i lo -j ACCEPT
ipt -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
ipt -A INPUT -p tcp -m multiport --dports 22,80 -m comment --comment "ssh and web" -j ACCEPT
ipt -A INPUT -m recent --name scanners --rcheck --seconds 60 -j DROP
ipt -P INPUT DROP
await "split brain: both nodes holding the VIP" vip_holders_are 2
expect_verdict fail "ip filter INPUT: policy drop"
# The undecidable -m recent rule drops either way: named as assumed, not unknown.
expect_verdict fail "-A INPUT -m recent"
echo "ok: iptables-nft policy drop: fail, rules named as iptables-save prints them"

in_ns "$NS" iptables-nft-save >"$TMP/ipt.before"
run_haprep "$NS" --root "$TMP" --interface "$IF" --family ipv4 --only nft.vrrp fix --apply --format json
expect_rc 0 "iptables-nft fixed"
expect_json '.changed == true and (.changes[0].diff | startswith("+ nft insert rule ip filter INPUT"))'
await "one node holding the VIP again" vip_holders_are 1
holds_vip "$PEER_NS" "$PEER_IF" || fail "the master must be the one holding the VIP"
# Every rule that was there is still there, in order; iptables still reads the table.
in_ns "$NS" iptables-nft-save >"$TMP/ipt.after" || fail "iptables-nft-save cannot read the table after the fix"
grep -q "incompatible" "$TMP/ipt.after" && fail "the fix made the table unreadable for iptables: $(cat "$TMP/ipt.after")"
diff <(grep '^-A' "$TMP/ipt.before") <(grep '^-A' "$TMP/ipt.after" | grep -v 'haprep: allow VRRP') >/dev/null ||
    fail "rules changed: $(diff "$TMP/ipt.before" "$TMP/ipt.after")"
run_haprep "$NS" --root "$TMP" --interface "$IF" --family ipv4 --only nft.vrrp fix --apply --format json
expect_rc 0
expect_json '.changed == false'
echo "ok: iptables-nft: fixed, one VIP holder, second apply changes nothing"

# --- plain iptables-nft that lets VRRP in (with -m comment): healthy ---------------
reset_firewall
ipt -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
ipt -A INPUT -p vrrp -m comment --comment keepalived -j ACCEPT
ipt -P INPUT DROP
expect_verdict pass '-A INPUT -p vrrp -m comment --comment \"keepalived\" -j ACCEPT'
expect_rc 0
vip_holders_are 1 || fail "healthy ruleset, yet $(vip_holders) VIP holders"
echo "ok: iptables-nft with -p vrrp -m comment: pass"

# --- a Docker host: nat PREROUTING jumps on -m addrtype into DOCKER: healthy -------
reset_firewall
in_ns "$NS" ip link add docker0 type bridge
ipt -t nat -N DOCKER
ipt -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
ipt -t nat -A DOCKER -i docker0 -j RETURN
ipt -t nat -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
ipt -N DOCKER-USER
ipt -A FORWARD -j DOCKER-USER
ipt -A DOCKER-USER -j RETURN
expect_verdict pass "every base chain accepts it"
expect_rc 0
echo "ok: Docker-like ruleset: pass, not unknown"

# --- a kube-proxy node: marks, conntrack with DNAT, comments, addrtype: healthy -----
reset_firewall
ipt -N KUBE-FIREWALL
ipt -N KUBE-NODEPORTS
ipt -A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS
ipt -A INPUT -j KUBE-FIREWALL
ipt -A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" \
    -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
ipt -A KUBE-FIREWALL -m comment --comment "kubernetes firewall for dropping marked packets" -m mark --mark 0x8000/0x8000 -j DROP
ipt -t nat -N KUBE-SERVICES
ipt -t nat -N KUBE-NODEPORTS
ipt -t nat -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
ipt -t nat -A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
expect_verdict pass "every base chain accepts it"
expect_rc 0
vip_holders_are 1 || fail "healthy ruleset, yet $(vip_holders) VIP holders"
echo "ok: kube-proxy-like ruleset: pass, not unknown"

# --- stock `ufw enable`: broken; the fix goes through ufw --------------------------
if ! command -v ufw >/dev/null; then
    echo "PASS: $TEST_NAME (ufw not installed: its case skipped)"
    exit 0
fi
reset_firewall
host_ufw_state() { find /etc/ufw /etc/default/ufw /lib/ufw -type f -exec sha256sum {} + | sort | sha256sum; }
host_ufw_before=$(host_ufw_state)
mkdir -p "$TMP/ufw/etc" "$TMP/ufw/default" "$TMP/ufw/lib" "$TMP/ufw/varlib" "$TMP/ufw/run"
cp -a /etc/ufw "$TMP/ufw/etc/" && cp -a /etc/default/ufw "$TMP/ufw/default/ufw" && cp -a /lib/ufw "$TMP/ufw/lib/"
# in_ufw CMD...: CMD in $NS with the private copies of ufw's state bound over the real ones.
in_ufw() {
    in_ns "$NS" unshare -m --propagation private bash -c '
        mount --bind "$1/etc/ufw" /etc/ufw && mount --bind "$1/default/ufw" /etc/default/ufw &&
        mount --bind "$1/lib/ufw" /lib/ufw && mount --bind "$1/varlib" /var/lib && mount --bind "$1/run" /run &&
        shift && exec "$@"' _ "$TMP/ufw" "$@"
}
in_ufw ufw --force enable >/dev/null
await "split brain under ufw: both nodes holding the VIP" vip_holders_are 2
expect_verdict fail "ufw's chains: the fix goes through ufw"

# Under a --root other than /, ufw cannot be pointed there: refused, nothing changed.
run_haprep "$NS" --root "$TMP" --interface "$IF" --family ipv4 --only nft.vrrp fix --apply --format json
expect_rc 3 "ufw under --root"
expect_contains "$OUT$ERR" "cannot redirect"
vip_holders_are 2 || fail "a refused fix changed something"

RC=0
in_ufw "$HAPREP" --interface "$IF" --family ipv4 --peer 192.0.2.2 --only nft.vrrp fix --apply --format json >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
expect_rc 0 "ufw fixed"
expect_json '.changed == true and .changes[0].diff == "+ ufw allow in on '"$IF"' from 192.0.2.2 to 224.0.0.18 proto vrrp\n"'
await "one node holding the VIP under ufw" vip_holders_are 1
in_ufw ufw status | grep -q "224.0.0.18/vrrp on $IF" || fail "ufw does not list the rule: $(in_ufw ufw status)"
# ufw's rules are named as iptables-save prints them, native ones too.
run_haprep "$NS" --interface "$IF" --family ipv4 --peer 192.0.2.2 --only nft.vrrp check --format json
expect_json '.findings[0].status == "pass"'
expect_contains "$OUT" "chain ufw-user-input rule handle"
expect_contains "$OUT" "-A ufw-user-input -s 192.0.2.2/32 -d 224.0.0.18/32 -i $IF -p vrrp -j ACCEPT"
RC=0
in_ufw "$HAPREP" --interface "$IF" --family ipv4 --peer 192.0.2.2 --only nft.vrrp fix --apply --format json >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT=$(cat "$TMP/out")
expect_rc 0 "second ufw apply"
expect_json '.changed == false'
[ "$(host_ufw_state)" = "$host_ufw_before" ] ||
    fail "this machine's own /etc/ufw changed"
echo "ok: ufw: fixed through ufw, one VIP holder, second apply changes nothing, host's /etc/ufw untouched"
echo "PASS: $TEST_NAME"
