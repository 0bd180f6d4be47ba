#!/usr/bin/env bash
# The link.multicast fix needs a keepalived restart, and says so. keepalived (2.2.7)
# started on an interface without MULTICAST disables its multicast instance ("does not
# support multicast ... disabling") and never looks again: after `haprep fix --apply`
# sets the flag, the instance stays disabled (no VIP, never MASTER), and a reload
# (SIGHUP) disables it again; only a restart brings it up. haprep's dry run says
# "restart keepalived", the applied report carries "restart": "keepalived" on the
# change and "restart": ["keepalived"] at the top, and a second run needs none.
source "$(dirname "$0")/lib.sh"
require_root
command -v keepalived >/dev/null || skip "keepalived is not installed"

ns_with_vrrp_interface mr     # $NS: the node under test, alone: an enabled instance becomes MASTER
ip -n "$NS" link set "$IF" multicast off
ROOT="$TMP/root"; mkdir -p "$ROOT/etc/keepalived"
start_keepalived "$NS" node "$IF" 150
cp "$TMP/node.conf" "$ROOT/etc/keepalived/keepalived.conf"
await "keepalived disabling the instance" log_says node "does not support multicast"

# Dry run: the plan says the restart in words.
run_haprep "$NS" --root "$ROOT" fix --only link.multicast --no-color
expect_rc 2 "dry run: MULTICAST still off"
expect_contains "$OUT" "— planned; then restart keepalived"
expect_contains "$OUT" "restart keepalived: the change takes effect only when keepalived is restarted"
expect_contains "$OUT" "restart after applying: keepalived"
run_haprep "$NS" --root "$ROOT" fix --only link.multicast --format json
expect_json '.restart == ["keepalived"] and .changes[0].restart == "keepalived" and .changes[0].applied == false'

run_haprep "$NS" --root "$ROOT" fix --only link.multicast --apply --format json
expect_rc 0 "the flag is set: link.multicast passes"
expect_json ".changed == true and .changes[0].target == \"$IF\" and .changes[0].result == \"fixed\""
expect_json '.changes[0].restart == "keepalived" and .restart == ["keepalived"]'
expect_json '.changes[0].note | contains("keeps it disabled until it is restarted (a reload is not enough)")'
ip -n "$NS" link show "$IF" | grep -q MULTICAST || fail "the flag is not set"

# Flag on, keepalived untouched: five advert intervals, and an enabled instance alone
# on the link would have been MASTER after three.
sleep 5
! holds_vip "$NS" "$IF" || fail "the instance came up without a restart"
! log_says node "Entering MASTER STATE" || fail "keepalived became MASTER without a restart"
! log_says node "Entering BACKUP STATE" || fail "keepalived enabled the instance without a restart"

# A reload is not enough: keepalived disables the instance again.
kill -HUP "$KEEPALIVED_node"
await "keepalived reloading" log_says node "Reload complete"
[ "$(grep -c "does not support multicast" "$TMP/node.log")" -ge 2 ] ||
    fail "the reload did not disable the instance again: $(tail -n 10 "$TMP/node.log")"
sleep 5
! holds_vip "$NS" "$IF" || fail "the instance came up after a reload"
! log_says node "Entering MASTER STATE" || fail "keepalived became MASTER after a reload"

# The restart the report asked for.
stop_keepalived node
start_keepalived "$NS" node2 "$IF" 150
await "the restarted keepalived becoming MASTER" log_says node2 "Entering MASTER STATE"
await "the restarted keepalived holding the VIP" holds_vip "$NS" "$IF"
! log_says node2 "does not support multicast" || fail "keepalived still refuses the interface"

# Nothing left to do: nothing to restart.
run_haprep "$NS" --root "$ROOT" fix --only link.multicast --apply --format json
expect_rc 0
expect_json '.changed == false and (.changes | length) == 0 and .restart == []'
echo "PASS: $TEST_NAME"
