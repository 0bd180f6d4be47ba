#!/usr/bin/env bash
# Legacy iptables (x_tables) rules, invisible to nftables, in a namespace: haprep reads
# them with iptables-legacy-save and nft.vrrp runs the advert through them too. (a) a
# legacy `-A INPUT -p vrrp -j DROP` fails nft.vrrp naming that rule; (b) policy DROP
# with `-p vrrp -j ACCEPT` passes; (c) unprivileged, the legacy tables cannot be read
# (/proc/net/ip_tables_names is 0440): nft.legacy is unknown, never pass.
source "$(dirname "$0")/lib.sh"
require_root
command -v iptables-legacy >/dev/null || skip "iptables-legacy is not installed"
command -v iptables-legacy-save >/dev/null || skip "iptables-legacy-save is not installed"
command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"

ns_with_vrrp_interface l
# Only this namespace's x_tables: a fresh namespace has no legacy rules at all.
in_ns "$NS" iptables-legacy -F INPUT

vrrp_check() {
    run_haprep "$NS" --interface "$IF" --family ipv4 --only nft.vrrp check --format json
}

# The snapshot carries what iptables-legacy-save printed.
in_ns "$NS" iptables-legacy -A INPUT -p 112 -j DROP
SAVED=$(in_ns "$NS" iptables-legacy-save | grep -- '^-A INPUT')
echo "iptables-legacy-save: $SAVED"
run_haprep "$NS" snapshot
expect_rc 0 "snapshot"
expect_json '.legacy_iptables.value.ipv4 == ["filter"]'
jq -e --arg rule "$SAVED" '.legacy_iptables.value.save_ipv4 | contains($rule)' >/dev/null <<<"$OUT" ||
    fail "the snapshot lacks the legacy rule: $(jq -c .legacy_iptables <<<"$OUT")"

# (a) a legacy drop: nft.vrrp fails and names the rule as saved.
vrrp_check
expect_rc 2 "(a) legacy -p vrrp -j DROP"
expect_json '.findings[0].status == "fail"'
jq -e --arg rule "$SAVED" '[.findings[0].message, (.findings[0].evidence // [] | tostring)] | any(contains($rule))' \
    >/dev/null <<<"$OUT" || fail "(a) the finding does not name '$SAVED': $OUT"
echo "ok: (a) $(jq -r '.findings[0].message' <<<"$OUT")"

# (b) policy DROP, VRRP accepted: passes.
in_ns "$NS" iptables-legacy -F INPUT
in_ns "$NS" iptables-legacy -P INPUT DROP
in_ns "$NS" iptables-legacy -A INPUT -p vrrp -j ACCEPT
vrrp_check
expect_rc 0 "(b) policy DROP with -p vrrp -j ACCEPT"
expect_json '.findings[0].status == "pass"'
echo "ok: (b) $(jq -r '.findings[0].message' <<<"$OUT")"

# ... and without that rule the policy drops it.
in_ns "$NS" iptables-legacy -F INPUT
vrrp_check
expect_rc 2 "(b') policy DROP alone"
expect_json '.findings[0].status == "fail" and (.findings[0].message | contains("policy drop"))'
echo "ok: (b') $(jq -r '.findings[0].message' <<<"$OUT")"
in_ns "$NS" iptables-legacy -P INPUT ACCEPT

# (c) unprivileged: the table list is unreadable, so nft.legacy is unknown.
chmod 755 "$TMP"
as_nobody() { in_ns "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
RC=0; as_nobody "$HAPREP" --root "$TMP" --interface "$IF" --only nft.legacy check --format json >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
expect_rc 3 "(c) nft.legacy unprivileged"
expect_json '.findings[0].status == "unknown" and (.findings[0].message | contains("ip_tables_names"))'
echo "ok: (c) $(jq -r '.findings[0].message' <<<"$OUT")"

# As root the same table is read, and nft.vrrp judges its rules: nft.legacy passes
# and says so.
run_haprep "$NS" --interface "$IF" --only nft.legacy check --format json
expect_json '.findings[0].status == "pass" and (.findings[0].message | contains("nft.vrrp judges them"))'
echo "ok: as root: $(jq -r '.findings[0].status + ": " + .findings[0].message' <<<"$OUT")"

echo "PASS: $TEST_NAME"
