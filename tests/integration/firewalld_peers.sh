#!/usr/bin/env bash
# The firewalld fix never widens a restriction, against Debian's real firewalld on
# its own bus in its own mount + network namespace: the default zone takes VRRP from
# 192.0.2.9 only (a rich rule); with the peer 192.0.2.2 known the fix adds a rich rule
# for exactly that peer, at runtime and permanently, never protocol vrrp; with the
# peer unknown the verdict depends on the source and the fix plans nothing.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/firewalld_lib.sh"
require_root

ns_with_vrrp_interface p
start_firewalld "$NS"

ARGS=(--root "$TMP" --interface "$IF" --family ipv4)
PEER_ARGS=("${ARGS[@]}" --peer 192.0.2.2)
other='rule family="ipv4" source address="192.0.2.9" protocol value="vrrp" accept'
mine='rule family="ipv4" source address="192.0.2.2" protocol value="vrrp" accept'

status_of() { jq -r --arg c "$1" '[.findings[] | select(.check == $c)][0].status' <<<"$OUT"; }
message_of() { jq -r --arg c "$1" '[.findings[] | select(.check == $c)][0].message' <<<"$OUT"; }
expect_check() {
    local got message
    got=$(status_of "$1"); message=$(message_of "$1")
    [ "$got" = "$2" ] || fail "$1: expected $2, got $got: $message"
    grep -qF -- "$3" <<<"$message" || fail "$1: expected '$3' in: $message"
    echo "ok: $1 $2: $message"
}

# rich_rules [--permanent]: the zone's rich rules, one a line, sorted.
rich_rules() { fw_cmd "$@" --zone=public --list-rich-rules | sort; }
# expect_no_vrrp_protocol [--permanent]
expect_no_vrrp_protocol() {
    local protocols
    protocols=$(fw_cmd "$@" --zone=public --list-protocols)
    if grep -qw -e vrrp -e 112 <<<"$protocols"; then fail "zone public ${1:-} gained protocol vrrp: $protocols"; fi
}

fw_cmd --zone=public --add-rich-rule="$other" >/dev/null
fw_cmd --permanent --zone=public --add-rich-rule="$other" >/dev/null

check_fw() {
    run_haprep_fw "$@" --only firewalld.vrrp --only firewalld.permanent --only nft.vrrp check --format json
}

# 1. The peer is known, and the zone does not take VRRP from it.
check_fw "${PEER_ARGS[@]}"
expect_rc 2 "peer 192.0.2.2 not in the zone's rule"
expect_check firewalld.vrrp fail "firewalld zone public does not let VRRP in on $IF: target default (reject)"
expect_check firewalld.permanent warn "does not let VRRP in on $IF either"

run_haprep_fw "${PEER_ARGS[@]}" fix
expect_contains "$OUT" "zone public (runtime): + rich rule '$mine'"
expect_contains "$OUT" "zone public (permanent): + rich rule '$mine'"
if grep -qF "+ protocol" <<<"$OUT"; then fail "the dry run plans a protocol: $OUT"; fi
[ "$(rich_rules)" = "$other" ] || fail "the dry run changed firewalld: $(rich_rules)"
echo "ok: dry run plans the peer's rich rule in both layers"

run_haprep_fw "${PEER_ARGS[@]}" fix --apply --format json
expect_rc 0 "fixed"
expect_json '.changed == true and (.changes | length) == 2 and ([.changes[] | .applied and .result == "fixed"] | all)'
expect_json '[.changes[].target] == ["zone public (runtime)", "zone public (permanent)"]'
expected_rules=$(printf '%s\n%s\n' "$other" "$mine" | sort)
[ "$(rich_rules)" = "$expected_rules" ] || fail "runtime rich rules: $(rich_rules)"
[ "$(rich_rules --permanent)" = "$expected_rules" ] || fail "permanent rich rules: $(rich_rules --permanent)"
expect_no_vrrp_protocol
expect_no_vrrp_protocol --permanent
journal=$(ls "$TMP"/var/lib/haprep/journal/*.json | tail -n 1)
jq -e --arg r "$mine" '[.changes[] | select(.kind == "firewalld_add_rich_rule") | .after | fromjson | .rule] == [$r, $r]' \
    "$journal" >/dev/null || fail "the journal does not hold the rich rules: $(cat "$journal")"
echo "ok: exactly the peer's rich rule, runtime and permanent; no protocol vrrp"

check_fw "${PEER_ARGS[@]}"
expect_rc 0 "after the fix"
expect_check firewalld.vrrp pass "rich rule: $mine"
expect_check firewalld.permanent pass "lets VRRP in on $IF too"
expect_check nft.vrrp pass "lets VRRP in"

fw_cmd --reload >/dev/null
check_fw "${PEER_ARGS[@]}"
expect_rc 0 "after a reload"

run_haprep_fw "${PEER_ARGS[@]}" fix --apply --format json
expect_rc 0
expect_json '.changed == false and (.changes | length) == 0'
echo "ok: second apply: no change"

# 2. The peer is unknown: the zone takes VRRP from some sources only; haprep warns
#    and plans nothing (protocol vrrp would widen the admin's restriction).
fw_cmd --zone=public --remove-rich-rule="$mine" >/dev/null
fw_cmd --permanent --zone=public --remove-rich-rule="$mine" >/dev/null
check_fw "${ARGS[@]}"
expect_rc 1 "source-dependent"
expect_check firewalld.vrrp warn "only from some sources (rich rule: $other)"
run_haprep_fw "${ARGS[@]}" fix --apply --format json
expect_json '.changed == false and (.changes | length) == 0'
[ "$(rich_rules)" = "$other" ] || fail "runtime rich rules changed: $(rich_rules)"
[ "$(rich_rules --permanent)" = "$other" ] || fail "permanent rich rules changed: $(rich_rules --permanent)"
expect_no_vrrp_protocol
expect_no_vrrp_protocol --permanent
echo "ok: peer unknown: a warning, no change"
echo "PASS: $TEST_NAME"
