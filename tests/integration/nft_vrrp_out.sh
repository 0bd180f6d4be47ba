#!/usr/bin/env bash
# nft.vrrp_out with a real keepalived pair: an nftables output rule on the MASTER drops
# its own adverts on the way out (keepalived logs "send advert error 1"), the BACKUP
# hears nothing and takes the VIP too. haprep on the MASTER fails nft.vrrp_out naming
# the rule (nft.vrrp, the inbound direction, still passes); `fix --apply` inserts an
# accept for the outgoing adverts before it and exactly one node holds the VIP again.
source "$(dirname "$0")/lib.sh"
require_root
command -v nft >/dev/null || skip "nft (nftables) is not installed"

ns_with_vrrp_interface o     # $NS: the MASTER under test; $PEER_NS: the BACKUP
cat >"$TMP/out.nft" <<NFT
table inet filter {
    chain output {
        type filter hook output priority 0; policy accept;
        oifname "$IF" meta l4proto vrrp counter drop comment "egress hardening"
    }
}
NFT
in_ns "$NS" nft -f "$TMP/out.nft"
start_keepalived "$NS" master "$IF" 150
start_keepalived "$PEER_NS" backup "$PEER_IF" 100
await "split brain: both nodes holding the VIP" vip_holders_are 2
await "keepalived on the MASTER cannot send" log_says master "send advert error"

run_haprep "$NS" --interface "$IF" --family ipv4 --peer 192.0.2.2 --only nft.vrrp --only nft.vrrp_out check --format json
expect_rc 2
expect_json '[.findings[] | select(.status == "fail") | .check] == ["nft.vrrp_out"]'
expect_json '.findings[] | select(.check == "nft.vrrp_out") | .subject == "'"$IF"' (ipv4, out)"'
expect_json '.findings[] | select(.check == "nft.vrrp_out") | .message | contains("oifname \"'"$IF"'\" meta l4proto vrrp counter drop comment \"egress hardening\"")'
echo "ok: $(jq -r '.findings[] | select(.check == "nft.vrrp_out") | .message' <<<"$OUT")"

run_haprep "$NS" --root "$TMP" --interface "$IF" --family ipv4 --peer 192.0.2.2 --only nft.vrrp_out fix --apply --format json
expect_rc 0 "fixed"
expect_json '.changed == true and (.changes[0].diff | startswith("+ nft insert rule inet filter output position"))'
await "exactly one node holding the VIP" vip_holders_are 1
holds_vip "$NS" "$IF" || fail "the MASTER must be the one holding the VIP"
in_ns "$NS" nft list ruleset | grep 'comment "egress hardening"' >/dev/null || fail "the site's rule must stay"
run_haprep "$NS" --root "$TMP" --interface "$IF" --family ipv4 --peer 192.0.2.2 --only nft.vrrp_out fix --apply --format json
expect_rc 0
expect_json '.changed == false'
echo "PASS: $TEST_NAME"
