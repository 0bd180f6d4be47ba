#!/usr/bin/env bash
# nft.vrrp against real rulesets loaded with nft -f in a namespace: for each, the
# verdict haprep's evaluator reaches over the live netlink dump, and the rule (or
# policy) it names as deciding. Where it drops: `fix --apply` inserts haprep's accept
# rule(s) in one batch, the re-check passes, a second apply changes nothing, and the
# rules that were there before are all still there, in order.
source "$(dirname "$0")/lib.sh"
require_root
command -v nft >/dev/null || skip "nft (nftables) is not installed"

ns_with_vrrp_interface n

# ruleset_case NAME FAMILY EXPECTED_STATUS EXPECTED_MESSAGE_PART < ruleset
ruleset_case() {
    local name=$1 family=$2 status=$3 part=$4
    in_ns "$NS" nft flush ruleset
    sed "s/@IF@/$IF/g" >"$TMP/$name.nft"
    in_ns "$NS" nft -f "$TMP/$name.nft" || fail "$name: nft rejected the ruleset"
    run_haprep "$NS" --interface "$IF" --family "$family" --only nft.vrrp check --format json
    local got message
    got=$(jq -r '.findings[0].status' <<<"$OUT")
    message=$(jq -r '.findings[0].message' <<<"$OUT")
    [ "$got" = "$status" ] || fail "$name: expected $status, got $got: $message"
    grep -qF -- "$part" <<<"$message" || fail "$name: expected '$part' in: $message"
    echo "ok: $name: $status: $message"
    if [ "$status" = fail ]; then fix_case "$name" "$family"; fi
}

fix_case() {
    local name=$1 family=$2 saved=$OUT
    in_ns "$NS" nft list ruleset >"$TMP/$name.before"
    run_haprep "$NS" --root "$TMP" --interface "$IF" --family "$family" --only nft.vrrp fix
    expect_contains "$OUT" "+ nft insert rule"
    cmp -s <(in_ns "$NS" nft list ruleset) "$TMP/$name.before" || fail "$name: the dry run changed the ruleset"
    run_haprep "$NS" --root "$TMP" --interface "$IF" --family "$family" --only nft.vrrp fix --apply --format json
    expect_rc 0 "$name: fixed"
    expect_json '.changed == true and ([.changes[] | .applied and .result == "fixed"] | all)'
    in_ns "$NS" nft list ruleset | grep -v 'comment "haprep: allow VRRP' >"$TMP/$name.after"
    diff "$TMP/$name.before" "$TMP/$name.after" >/dev/null ||
        fail "$name: rules that were there changed: $(diff "$TMP/$name.before" "$TMP/$name.after")"
    run_haprep "$NS" --root "$TMP" --interface "$IF" --family "$family" --only nft.vrrp fix --apply --format json
    expect_rc 0
    expect_json '.changed == false and (.changes | length) == 0'
    echo "ok: $name: fixed by $(in_ns "$NS" nft list ruleset | grep -c 'haprep: allow VRRP') rule(s)"
    OUT=$saved
}

ruleset_case empty ipv4 pass "no base chain sees the packet" <<'NFT'
NFT

ruleset_case policy_drop_ssh_only ipv4 fail "inet filter input: policy drop" <<'NFT'
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        ct state established,related accept
        iifname "lo" accept
        tcp dport 22 accept
    }
}
NFT

ruleset_case explicit_vrrp_drop ipv4 fail "ip protocol vrrp drop" <<'NFT'
table ip filter {
    chain input {
        type filter hook input priority 0; policy accept;
        tcp dport 22 accept
        ip protocol vrrp drop
    }
}
NFT

ruleset_case raw_prerouting_drop ipv4 fail "ip raw prerouting: rule handle" <<'NFT'
table ip raw {
    chain prerouting {
        type filter hook prerouting priority raw; policy accept;
        ip daddr 224.0.0.18 drop
    }
}
NFT

ruleset_case netdev_ingress_drop ipv4 fail "netdev edge ingress" <<'NFT'
table netdev edge {
    chain ingress {
        type filter hook ingress device "@IF@" priority 0; policy accept;
        meta l4proto vrrp counter drop
    }
}
NFT

ruleset_case jump_to_dropping_chain ipv4 fail "chain block rule handle" <<'NFT'
table inet filter {
    chain block {
        meta l4proto vrrp drop
    }
    chain input {
        type filter hook input priority 0; policy accept;
        iifname "@IF@" jump block
    }
}
NFT

ruleset_case goto_dropping_chain ipv4 fail "chain deny rule handle" <<'NFT'
table inet filter {
    chain deny {
        ip daddr 224.0.0.0/4 reject
    }
    chain input {
        type filter hook input priority 0; policy accept;
        goto deny
    }
}
NFT

ruleset_case not_tcp_udp_icmp ipv4 fail "meta l4proto != { icmp, tcp, udp }" <<'NFT'
table inet filter {
    chain input {
        type filter hook input priority 0; policy accept;
        meta l4proto != { tcp, udp, icmp } drop
    }
}
NFT

ruleset_case interval_set_multicast ipv4 fail "ip daddr { 10.9.0.0-10.9.255.255, 224.0.0.0-239.255.255.255 } drop" <<'NFT'
table ip filter {
    chain input {
        type filter hook input priority 0; policy accept;
        ip daddr { 224.0.0.0/4, 10.9.0.0/16 } drop
    }
}
NFT

ruleset_case drop_on_other_interface ipv4 pass "every base chain accepts it" <<'NFT'
table inet filter {
    chain input {
        type filter hook input priority 0; policy accept;
        iifname "other0" meta l4proto vrrp drop
        iifname "lo*" drop
    }
}
NFT

ruleset_case ct_state_new_drop ipv4 fail "ct state new drop" <<'NFT'
table inet filter {
    chain input {
        type filter hook input priority 0; policy accept;
        ct state new drop
    }
}
NFT
# Multicast adverts get no replies and never become established: no conntrack line.
expect_json '.findings[0].evidence.conntrack == null'
run_haprep "$NS" --interface "$IF" --family ipv4 --mode unicast --peer 192.0.2.2 --only nft.vrrp check --format json
expect_json '.findings[0].status == "fail"'
expect_json '.findings[0].evidence.conntrack | contains("conntrack may let the peer'"'"'s adverts in after this node has sent to it")'
echo "ok: unicast: the established line says the pair starts split"

ruleset_case accept_then_drop_in_later_table ipv4 fail "inet late input: rule handle" <<'NFT'
table inet early {
    chain input {
        type filter hook input priority -10; policy accept;
        meta l4proto vrrp accept
    }
}
table inet late {
    chain input {
        type filter hook input priority 10; policy accept;
        meta l4proto vrrp drop
    }
}
NFT
expect_json '.findings[0].evidence["inet early input"] | startswith("accept")'

ruleset_case two_base_chains_drop ipv4 fail "ip raw prerouting: rule handle" <<'NFT'
table ip raw {
    chain prerouting {
        type filter hook prerouting priority raw; policy accept;
        ip protocol vrrp drop
    }
}
table inet filter {
    chain input {
        type filter hook input priority 0; policy drop;
        tcp dport 22 accept
    }
}
NFT
[ "$(in_ns "$NS" nft list ruleset | grep -c 'haprep: allow VRRP')" = 2 ] || fail "two base chains need two rules"
in_ns "$NS" nft list chain ip raw prerouting | grep "meta l4proto vrrp iifname \"$IF\" ip daddr 224.0.0.18 counter packets 0 bytes 0 accept comment \"haprep: allow VRRP on $IF\"" >/dev/null ||
    fail "haprep's rule as nft shows it: $(in_ns "$NS" nft list chain ip raw prerouting)"
# Inserted before the dropping rule, not appended after it.
in_ns "$NS" nft list chain ip raw prerouting | grep -A1 'haprep: allow VRRP' | grep 'ip protocol vrrp drop' >/dev/null || fail "rule order"

ruleset_case vmap_drop ipv4 fail "meta l4proto vmap { tcp : accept, vrrp : drop }" <<'NFT'
table inet filter {
    chain input {
        type filter hook input priority 0; policy accept;
        meta l4proto vmap { vrrp : drop, tcp : accept }
    }
}
NFT

ruleset_case ipv6_nexthdr_drop ipv6 fail "ip6 nexthdr vrrp drop" <<'NFT'
table ip6 filter {
    chain input {
        type filter hook input priority 0; policy accept;
        ip6 nexthdr vrrp drop
    }
}
NFT

ruleset_case ipv6_healthy ipv6 pass "every base chain accepts it" <<'NFT'
table inet filter {
    chain input {
        type filter hook input priority 0; policy drop;
        ip6 daddr ff02::12 meta l4proto vrrp accept
    }
}
NFT

ruleset_case ipv4_rule_does_not_drop_ipv6 ipv6 pass "every base chain accepts it" <<'NFT'
table inet filter {
    chain input {
        type filter hook input priority 0; policy accept;
        ip protocol vrrp drop
    }
}
NFT

ruleset_case healthy_policy_drop ipv4 pass "every base chain accepts it" <<'NFT'
table inet filter {
    chain input {
        type filter hook input priority 0; policy drop;
        ct state established,related accept
        meta l4proto vrrp iifname "@IF@" ip daddr 224.0.0.18 counter accept
    }
}
NFT

ruleset_case healthy_wildcard_iifname ipv4 pass "every base chain accepts it" <<'NFT'
table ip filter {
    chain input {
        type filter hook input priority 0; policy drop;
        iifname "v*" ip protocol 112 accept
    }
}
NFT

FIB_RULESET='table inet filter {
    chain prerouting {
        type filter hook prerouting priority 0; policy accept;
        fib saddr . iif oif missing drop
    }
}'
# An IPv4 reverse-path lookup for an unknown peer cannot be decided: unknown, naming
# the rule. With the peer named, the route back to it decides (here: via the VRRP
# interface, so it passes). The same rule passes an IPv6 advert, whose link-local
# source always routes back via iif.
ruleset_case fib_is_indeterminate ipv4 unknown "fib saddr . iif oif missing drop (fib lookup: the route back to the peer is not known" <<<"$FIB_RULESET"
expect_rc 3
in_ns "$NS" nft flush ruleset
in_ns "$NS" nft -f - <<<"$FIB_RULESET"
run_haprep "$NS" --interface "$IF" --family ipv4 --peer 192.0.2.2 --only nft.vrrp check --format json
expect_rc 0 "fib with a known peer"
expect_json '.findings[0].status == "pass"'
echo "ok: fib_known_peer: the reverse path to 192.0.2.2 is $IF: pass"

ruleset_case fib_passes_link_local ipv6 pass "every base chain accepts it" <<<"$FIB_RULESET"

ruleset_case limit_is_noted ipv4 pass "every base chain accepts it" <<'NFT'
table inet filter {
    chain input {
        type filter hook input priority 0; policy drop;
        meta l4proto vrrp limit rate 100/second accept
    }
}
NFT
expect_json '.findings[0].evidence.rate | contains("limit rate 100/second accept lets 100/second through")'

# A limit below the adverts' rate (one per second) drops the rest: the backup flaps.
ruleset_case limit_below_advert_rate ipv4 fail "below the adverts' 1/second" <<'NFT'
table inet filter {
    chain input {
        type filter hook input priority 0; policy drop;
        meta l4proto vrrp limit rate 10/minute accept
    }
}
NFT
expect_contains "$(jq -r '.findings[0].message' <<<"$OUT")" "limit rate 10/minute"
echo "PASS: $TEST_NAME"
