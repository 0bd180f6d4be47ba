#!/usr/bin/env bash
# nft.conntrack in a fresh namespace: the evidence carries that namespace's own
# nf_conntrack_count and nf_conntrack_max from /proc/sys (or, when nf_conntrack is not
# loaded, the check passes as "not loaded"); then with a raw prerouting `notrack` for
# VRRP loaded with nft -f, the check says VRRP is not tracked.
#
# Whether nf_conntrack is loaded is machine-wide state: this test never loads or
# unloads a module, it follows what it finds (and skips the notrack step when
# nf_conntrack is not loaded, since a `notrack` rule would autoload it). The full
# table (fail) and the nearly full one (warn) are covered by the unit tests only:
# nf_conntrack_max is read-only inside a network namespace, and filling the table
# would drop new connections for the whole machine.
source "$(dirname "$0")/lib.sh"
require_root

ns_with_vrrp_interface c

conntrack_check() {
    run_haprep "$NS" --root "$TMP" --interface "$IF" --only nft.conntrack check --format json
    echo "nft.conntrack: $(jq -c '[.findings[] | {subject, status, message}]' <<<"$OUT")"
}

if ! in_ns "$NS" test -e /proc/sys/net/netfilter/nf_conntrack_count; then
    conntrack_check
    expect_rc 0 "conntrack not loaded"
    expect_json '(.findings | length) == 1 and .findings[0].status == "pass"'
    expect_contains "$(jq -r '.findings[0].message' <<<"$OUT")" "conntrack is not loaded"
    echo "ok: nf_conntrack is not loaded on this machine: pass \"not loaded\" (notrack step skipped)"
    echo "PASS: $TEST_NAME"
    exit 0
fi

# A tracked connection of this namespace's own, so the count it shows is not the
# machine's: a `ct state` rule makes the namespace track, and one UDP datagram from
# the peer (bash's /dev/udp) makes an entry (it lives 30 s, and goes with the namespace).
ns_count() { in_ns "$NS" cat /proc/sys/net/netfilter/nf_conntrack_count; }
ns_tracks() { [ "$(ns_count)" -ge 1 ]; }
if command -v nft >/dev/null; then
    in_ns "$NS" nft -f - <<'NFT' || fail "nft rejected the ct state ruleset"
table inet track {
    chain input {
        type filter hook input priority filter;
        ct state new counter accept
    }
}
NFT
    in_ns "$PEER_NS" bash -c 'echo haprep >/dev/udp/192.0.2.1/9' || fail "the peer cannot send to $NS"
    await "a conntrack entry in $NS" ns_tracks
    TRACKING=1
fi

# The namespace's own values, as root inside it sees them. The count is this
# namespace's (it may move while haprep runs), the limit the machine's.
MAX=$(in_ns "$NS" cat /proc/sys/net/netfilter/nf_conntrack_max)
BEFORE=$(ns_count)
conntrack_check
AFTER=$(ns_count)
echo "namespace: nf_conntrack_count $BEFORE..$AFTER, nf_conntrack_max $MAX"
[ -z "${TRACKING:-}" ] || [ "$BEFORE" -ge 1 ] || fail "the datagram left no conntrack entry in $NS"
expect_json '(.findings | length) >= 1'
jq -e --arg ifname "$IF" '[.findings[] | .subject | startswith($ifname + " (")] | all' >/dev/null <<<"$OUT" ||
    fail "expected one finding per family of $IF: $OUT"
jq -e --arg max "$MAX" '[.findings[] | .evidence["net.netfilter.nf_conntrack_max"] == $max] | all' >/dev/null <<<"$OUT" ||
    fail "expected nf_conntrack_max $MAX in the evidence: $OUT"
LO=$((BEFORE < AFTER ? BEFORE : AFTER)) HI=$((BEFORE > AFTER ? BEFORE : AFTER))
jq -e --argjson lo "$LO" --argjson hi "$HI" \
    '[.findings[] | .evidence["net.netfilter.nf_conntrack_count"] | tonumber | . >= $lo and . <= $hi] | all' \
    >/dev/null <<<"$OUT" || fail "expected nf_conntrack_count $BEFORE..$AFTER in the evidence: $OUT"
if [ "$MAX" -gt 0 ] && [ $((AFTER * 10)) -lt $((MAX * 9)) ]; then
    expect_rc 0 "room in the table"
    expect_json '[.findings[] | .status == "pass" and (.message | contains("has room"))] | all'
fi
echo "ok: the evidence shows this namespace's count and max"

command -v nft >/dev/null || skip "nft (nftables) is not installed (the notrack step needs it)"
cat >"$TMP/notrack.nft" <<'NFT'
table inet raw {
    chain prerouting {
        type filter hook prerouting priority raw;
        meta l4proto vrrp notrack
    }
}
NFT
in_ns "$NS" nft flush ruleset
in_ns "$NS" nft -f "$TMP/notrack.nft" || fail "nft rejected the notrack ruleset"
conntrack_check
expect_rc 0 "VRRP untracked"
expect_json '[.findings[] | .status == "pass" and (.message | startswith("VRRP is not tracked (notrack)"))] | all'
expect_json '[.findings[] | .evidence.conntrack | contains("notrack")] | all'
echo "ok: notrack in raw prerouting: VRRP is not tracked"
echo "PASS: $TEST_NAME"
