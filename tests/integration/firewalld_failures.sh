#!/usr/bin/env bash
# firewalld absent, present but unreachable, and failing half-way, against the real
# thing: no system bus → skip; a bus without firewalld → skip; firewalld killed
# while haprep waits for its answer → unknown with the D-Bus error, exit 3; the
# permanent call refused by the bus during `fix --apply` → the runtime change is
# taken back, exit 3, nothing half-applied.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/firewalld_lib.sh"
require_root
require_firewalld
command -v dbus-monitor >/dev/null || skip "dbus-monitor (dbus-bin) is not installed"

ns_with_vrrp_interface x
ARGS=(--root "$TMP" --interface "$IF" --family ipv4 --only firewalld.vrrp --only firewalld.permanent)

# 1. No system bus in this namespace at all (the host has none either, or it is
#    not this one: haprep must not care). Runs in a mount namespace with an empty
#    /run so that a host bus, if any, is out of sight.
RC=0
OUT=$(ip netns exec "$NS" unshare -m --propagation private sh -c \
    'mount -t tmpfs haprep-test-run /run && exec "$0" "$@"' "$HAPREP" "${ARGS[@]}" check --format json) || RC=$?
expect_rc 0 "no bus"
expect_json '[.findings[] | .status] == ["skip", "skip"]'
expect_json '.findings[0].message | startswith("no system bus, so firewalld is not running")'
echo "ok: no system bus: skip"

# 2. A bus, but firewalld is not on it. The bus refuses firewalld's permanent
#    addProtocol for the whole test (used in 3), in the mandatory policy.
FW_BUS_EXTRA_POLICY='<deny send_destination="org.fedoraproject.FirewallD1" send_interface="org.fedoraproject.FirewallD1.config.zone" send_member="addProtocol"/>'
start_bus "$NS"
run_haprep_fw "${ARGS[@]}" check --format json
expect_rc 0 "bus without firewalld"
expect_json '[.findings[] | .status] == ["skip", "skip"]'
expect_json '.findings[0].message == "firewalld is not running (org.fedoraproject.FirewallD1 is not on the system bus)"'
echo "ok: firewalld not running: skip"

# 3. fix --apply: the runtime protocol goes in, the permanent call is refused:
#    the runtime one is taken out again.
launch_firewalld
run_haprep_fw "${ARGS[@]}" fix --apply --format json
expect_rc 3 "permanent refused"
expect_contains "$ERR" "nothing left half-applied"
expect_contains "$ERR" "zone public (permanent): addProtocol(vrrp): org.freedesktop.DBus.Error.AccessDenied"
expect_json '.changes[0].result == "rolled back" and (.changes[1].result | startswith("failed: addProtocol(vrrp): org.freedesktop.DBus.Error.AccessDenied"))'
[ "$(fw_cmd --zone=public --query-protocol=vrrp)" = no ] || fail "the runtime change was left behind"
[ "$(fw_cmd --permanent --zone=public --query-protocol=vrrp)" = no ] || fail "a permanent change was made"
journal=$(ls "$TMP"/var/lib/haprep/journal/*.json | tail -n 1)
jq -e '.state == "rolled back"' "$journal" >/dev/null || fail "journal: $(cat "$journal")"
echo "ok: refused half-way: rolled back"

# 4. firewalld dies while haprep waits for it. It is stopped (SIGSTOP) so it cannot
#    answer; once the bus has delivered haprep's first firewalld call (seen by
#    dbus-monitor), it is killed: the bus answers NoReply for it.
#    killed_during COMMAND...: sets OUT, ERR, RC of haprep COMMAND.
killed_during() {
    local haprep_pid
    kill -STOP "$FW_PID"
    nsenter -t "$FW_HOLDER" -m -n -- env -u DBUS_SYSTEM_BUS_ADDRESS dbus-monitor --system >"$TMP/monitor.out" 2>&1 &
    DAEMON_PIDS+=("$!")
    await "dbus-monitor attached" grep -q "NameAcquired" "$TMP/monitor.out"
    in_fw "$HAPREP" "${ARGS[@]}" "$@" --format json >"$TMP/killed.out" 2>"$TMP/killed.err" &
    haprep_pid=$!
    await "haprep's call reached the bus" \
        grep -q "destination=org.fedoraproject.FirewallD1 .*member=Get" "$TMP/monitor.out"
    kill -9 "$FW_PID"
    RC=0
    wait "$haprep_pid" || RC=$?
    OUT=$(cat "$TMP/killed.out"); ERR=$(cat "$TMP/killed.err")
    expect_rc 3 "firewalld killed during $*"
    expect_json '[.findings[] | .status] == ["unknown", "unknown"]'
    expect_json '.findings[0].message | startswith("cannot read firewalld over D-Bus: firewalld: Get(org.fedoraproject.FirewallD1, state): org.freedesktop.DBus.Error.NoReply")'
}

killed_during check
echo "ok: killed during check: unknown, exit 3"

# A fix planned from a firewalld it could not read is no fix: nothing applied.
launch_firewalld
killed_during fix --apply
expect_json '(.changes | length) == 0 and .changed == false'
in_fw test ! -e /etc/firewalld/zones/public.xml || fail "the permanent configuration was written"
echo "ok: killed during fix --apply: unknown, exit 3, nothing changed"
echo "PASS: $TEST_NAME"
