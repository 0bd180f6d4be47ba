#!/usr/bin/env bash
# firewalld.vrrp, firewalld.permanent and the firewalld fix against Debian's real
# firewalld (nftables backend), on its own bus in its own mount + network namespace:
# the default zone, a bound zone, target ACCEPT, rich rules that accept or reject
# protocol 112, and runtime and permanent configurations that disagree.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/firewalld_lib.sh"
require_root

ns_with_vrrp_interface f
start_firewalld "$NS"

ARGS=(--root "$TMP" --interface "$IF" --family ipv4)

# status_of CHECK: the status of CHECK's first finding in $OUT.
status_of() { jq -r --arg c "$1" '[.findings[] | select(.check == $c)][0].status' <<<"$OUT"; }
message_of() { jq -r --arg c "$1" '[.findings[] | select(.check == $c)][0].message' <<<"$OUT"; }

# expect_check CHECK STATUS MESSAGE_PART
expect_check() {
    local got message
    got=$(status_of "$1"); message=$(message_of "$1")
    [ "$got" = "$2" ] || fail "$1: expected $2, got $got: $message"
    grep -qF -- "$3" <<<"$message" || fail "$1: expected '$3' in: $message"
    echo "ok: $1 $2: $message"
}

check_fw() { run_haprep_fw "${ARGS[@]}" --only firewalld.vrrp --only firewalld.permanent --only nft.vrrp check --format json; }

# 1. The interface is in no zone: the default zone public takes it, and rejects VRRP.
check_fw
expect_rc 2 "default zone without vrrp"
expect_check firewalld.vrrp fail "firewalld zone public does not let VRRP in on $IF: target default (reject)"
expect_check firewalld.vrrp fail "the default zone public takes its traffic"
expect_check firewalld.permanent warn "does not let VRRP in on $IF either"
# nft sees firewalld's table; its drop is firewalld's to fix, never an nft rule.
expect_check nft.vrrp fail "inet firewalld filter_INPUT: chain filter_IN_public"
expect_json '[.findings[] | select(.check == "nft.vrrp")][0].fix == "firewalld.vrrp"'

run_haprep_fw "${ARGS[@]}" fix
expect_contains "$OUT" "zone public (runtime): + protocol vrrp"
expect_contains "$OUT" "zone public (permanent): + protocol vrrp"
[ "$(fw_cmd --zone=public --query-protocol=vrrp)" = no ] || fail "the dry run changed firewalld"
if in_fw nft list ruleset | grep 'haprep' >/dev/null; then fail "an nft rule was planned into firewalld's table"; fi

run_haprep_fw "${ARGS[@]}" fix --apply --format json
expect_rc 0 "fixed"
expect_json '.changed == true and (.changes | length) == 2 and ([.changes[] | .applied and .result == "fixed"] | all)'
expect_json '[.changes[].fix] | unique == ["firewalld.vrrp"]'
[ "$(fw_cmd --permanent --zone=public --query-protocol=vrrp)" = yes ] || fail "permanent vrrp missing"
[ "$(fw_cmd --zone=public --query-protocol=vrrp)" = yes ] || fail "runtime vrrp missing"
if in_fw nft list ruleset | grep 'haprep' >/dev/null; then fail "haprep wrote into firewalld's table"; fi
journal=$(ls "$TMP"/var/lib/haprep/journal/*.json | tail -n 1)
jq -e '[.changes[] | select(.kind == "firewalld_add_protocol")] | length == 2' "$journal" >/dev/null ||
    fail "the journal does not hold the firewalld changes: $(cat "$journal")"

fw_cmd --reload >/dev/null
check_fw
expect_rc 0 "after reload"
expect_check firewalld.vrrp pass "protocol vrrp"
expect_check firewalld.permanent pass "lets VRRP in on $IF too"
expect_check nft.vrrp pass "lets VRRP in"

run_haprep_fw "${ARGS[@]}" fix --apply --format json
expect_rc 0
expect_json '.changed == false and (.changes | length) == 0'
echo "ok: second apply: no change"
# IPv6 adverts from fe80:: pass firewalld's IPv6 rp filter (a fib rule) and the zone.
run_haprep_fw --root "$TMP" --interface "$IF" --family ipv6 --only firewalld.vrrp --only nft.vrrp check --format json
expect_rc 0 "ipv6 through firewalld"
expect_json '[.findings[] | .status] == ["pass", "pass"]'
expect_json '.findings[0].evidence["inet firewalld filter_PREROUTING"] == "accept (policy accept)"'
echo "ok: ipv6 passes firewalld's rp filter"
fw_cmd --zone=public --remove-protocol=vrrp >/dev/null
fw_cmd --permanent --zone=public --remove-protocol=vrrp >/dev/null

# 2. Bound to a non-default zone (runtime and permanent), which lacks VRRP.
fw_cmd --zone=internal --change-interface="$IF" >/dev/null
fw_cmd --permanent --zone=internal --change-interface="$IF" >/dev/null
check_fw
expect_check firewalld.vrrp fail "firewalld zone internal does not let VRRP in on $IF"
expect_check firewalld.vrrp fail "$IF is bound to zone internal"
run_haprep_fw "${ARGS[@]}" fix
expect_contains "$OUT" "zone internal (runtime): + protocol vrrp"

# 3. A zone with target ACCEPT.
fw_cmd --zone=trusted --change-interface="$IF" >/dev/null
check_fw
expect_check firewalld.vrrp pass "firewalld zone trusted lets VRRP in on $IF (target ACCEPT (accept))"
expect_check nft.vrrp pass "lets VRRP in"
fw_cmd --zone=public --change-interface="$IF" >/dev/null
fw_cmd --permanent --zone=internal --remove-interface="$IF" >/dev/null
fw_cmd --permanent --zone=public --add-interface="$IF" >/dev/null

# 4. A rich rule that accepts protocol 112, runtime and permanent.
rule='rule protocol value="112" accept'
fw_cmd --zone=public --add-rich-rule="$rule" >/dev/null
fw_cmd --permanent --zone=public --add-rich-rule="$rule" >/dev/null
check_fw
expect_rc 0 "rich rule accepts"
expect_check firewalld.vrrp pass "rich rule: rule protocol value=\"112\" accept"
expect_check firewalld.permanent pass "too"
fw_cmd --zone=public --remove-rich-rule="$rule" >/dev/null
fw_cmd --permanent --zone=public --remove-rich-rule="$rule" >/dev/null

# 5. A rich rule that rejects it wins over the zone's protocol vrrp; the fix does
#    not plan what cannot help, and never removes the admin's rule.
reject='rule family="ipv4" protocol value="vrrp" reject'
fw_cmd --zone=public --add-protocol=vrrp >/dev/null
fw_cmd --zone=public --add-rich-rule="$reject" >/dev/null
check_fw
expect_check firewalld.vrrp fail "rich rule: $reject"
expect_check nft.vrrp fail "inet firewalld"
run_haprep_fw "${ARGS[@]}" --only firewalld.vrrp fix --format json
expect_json '[.changes[] | select(.target == "zone public (runtime)")] | length == 0'
expect_json '[.findings[] | select(.check == "firewalld.vrrp")][0].message | contains("--remove-rich-rule")'
echo "ok: a rejecting rich rule is left to the admin"
fw_cmd --zone=public --remove-rich-rule="$reject" >/dev/null

# 6. Runtime only (protocol vrrp still there from 5): permanent warns; the fix adds
#    only the permanent one.
check_fw
expect_check firewalld.vrrp pass "protocol vrrp"
expect_check firewalld.permanent warn "lost at the next reload or reboot"
run_haprep_fw "${ARGS[@]}" fix --apply --format json
expect_rc 0 "permanent added"
expect_json '(.changes | length) == 1 and .changes[0].target == "zone public (permanent)" and .changes[0].result == "fixed"'
fw_cmd --zone=public --remove-protocol=vrrp >/dev/null

# 7. Permanent only: a reload would fix it, and the fix adds only the runtime one.
check_fw
expect_check firewalld.vrrp fail "\`firewall-cmd --reload\` would fix it"
expect_check firewalld.permanent warn "but runtime does not: \`firewall-cmd --reload\` would fix it"
run_haprep_fw "${ARGS[@]}" fix --apply --format json
expect_rc 0 "runtime added"
expect_json '(.changes | length) == 1 and .changes[0].target == "zone public (runtime)" and .changes[0].result == "fixed"'
echo "PASS: $TEST_NAME"
