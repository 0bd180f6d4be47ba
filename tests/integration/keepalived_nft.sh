#!/usr/bin/env bash
# End to end with a real keepalived pair: an nftables rule on the backup drops the
# master's adverts, both nodes hold the VIP, and `haprep check` there names nft.vrrp
# and the rule; after `fix --apply` exactly one node holds the VIP.
source "$(dirname "$0")/lib.sh"
require_root
command -v nft >/dev/null || skip "nft (nftables) is not installed"

ns_with_vrrp_interface g     # $NS: the backup under test; $PEER_NS: the master
cat >"$TMP/drop.nft" <<NFT
table inet filter {
    chain input {
        type filter hook input priority 0; policy accept;
        iifname "$IF" ip protocol vrrp counter drop comment "lab hardening"
    }
}
NFT
in_ns "$NS" nft -f "$TMP/drop.nft"
start_keepalived "$PEER_NS" master "$PEER_IF" 150
start_keepalived "$NS" backup "$IF" 100
await "split brain: both nodes holding the VIP" vip_holders_are 2

run_haprep "$NS" --interface "$IF" --family ipv4 --peer 192.0.2.2 check --format json
expect_rc 2
expect_json '[.findings[] | select(.status == "fail") | .check] == ["nft.vrrp"]'
expect_json ".findings[] | select(.check == \"nft.vrrp\") | .message | contains(\"inet filter input: rule handle\") and contains(\"iifname \\\"$IF\\\" ip protocol vrrp counter drop comment \\\"lab hardening\\\"\")"

run_haprep "$NS" --root "$TMP" --interface "$IF" --family ipv4 --peer 192.0.2.2 fix --apply --format json
expect_rc 0 "fixed"
expect_json '.changed == true and (.changes[0].diff | startswith("+ nft insert rule inet filter input position"))'
await "exactly one node holding the VIP" vip_holders_are 1
holds_vip "$PEER_NS" "$PEER_IF" || fail "the master must be the one holding the VIP"
in_ns "$NS" nft list ruleset | grep 'comment "lab hardening"' >/dev/null || fail "the site's rule must stay"
run_haprep "$NS" --interface "$IF" --family ipv4 --peer 192.0.2.2 check --format json --only nft.vrrp
expect_rc 0
echo "PASS: $TEST_NAME"
