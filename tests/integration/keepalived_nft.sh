#!/usr/bin/env bash
# End to end with a real keepalived pair: an nftables rule on the backup drops the
# master's adverts, both nodes hold the VIP, and `haprep check` there names nft.vrrp
# and the rule. (The nft.vrrp fix is not implemented yet; removing the rule by hand
# stands in for it here, to show the verdict follows the ruleset.)
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

in_ns "$NS" nft flush ruleset
await "exactly one node holding the VIP once the rule is gone" vip_holders_are 1
run_haprep "$NS" --interface "$IF" --family ipv4 --peer 192.0.2.2 check --format json --only nft.vrrp
expect_rc 0
echo "PASS: $TEST_NAME"
