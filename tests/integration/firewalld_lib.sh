# Real firewalld for a test, sourced after lib.sh. start_firewalld NS gives the
# namespace NS a private mount namespace (held by one `sleep` process) in which
# /run and /etc/firewalld are fresh tmpfs mounts, its own system bus (dbus-daemon,
# no service activation) and Debian's firewalld with the stock /etc/firewalld
# copied in. Nothing reaches the host's bus, firewall or /etc. in_fw runs a command
# in there (network + mount namespace); every process started is stopped by PID.

require_firewalld() {
    command -v firewalld >/dev/null || skip "firewalld is not installed"
    command -v dbus-daemon >/dev/null || skip "dbus-daemon is not installed"
    command -v nsenter >/dev/null || skip "nsenter (util-linux) is not installed"
}

# -w: keep the working directory (nsenter would start in the namespace's root).
# The test's own bus is at the standard path inside the namespace.
in_fw() { nsenter -t "$FW_HOLDER" -m -n -w"$PWD" -- env -u DBUS_SYSTEM_BUS_ADDRESS "$@"; }

# run_haprep_fw ARGS...: run_haprep inside firewalld's namespaces.
run_haprep_fw() {
    RC=0
    in_fw "$HAPREP" "$@" >"$TMP/out" 2>"$TMP/err" || RC=$?
    OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
}

# The bus: system.conf's default policy without activation (so nothing such as
# polkitd is started behind the test's back) plus $FW_BUS_EXTRA_POLICY, which a
# test may set to make one call fail for real.
write_bus_config() {
    cat >"$TMP/bus.conf" <<XML
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=/run/dbus/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
  </policy>
  <policy user="root">
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Monitoring"/>
  </policy>
  <includedir>/usr/share/dbus-1/system.d</includedir>
  <policy context="mandatory">
    ${FW_BUS_EXTRA_POLICY:-}
  </policy>
</busconfig>
XML
}

# start_firewalld NS: see above. Sets FW_HOLDER, FW_PID, BUS_PID.
start_firewalld() {
    start_bus "$1"
    launch_firewalld
}

# start_bus NS: the private mount namespace and its system bus, no firewalld yet.
start_bus() {
    local ns=$1 mine
    require_firewalld
    mkdir -p "$TMP/firewalld-etc"
    [ -d /etc/firewalld ] && cp -a /etc/firewalld/. "$TMP/firewalld-etc/"
    write_bus_config
    ip netns exec "$ns" unshare -m --propagation private sleep infinity &
    FW_HOLDER=$!
    DAEMON_PIDS+=("$FW_HOLDER")
    mine=$(readlink /proc/self/ns/mnt)
    for _ in $(seq 100); do
        [ "$(readlink "/proc/$FW_HOLDER/ns/mnt" 2>/dev/null)" != "$mine" ] &&
            [ "$(cat "/proc/$FW_HOLDER/comm" 2>/dev/null)" = sleep ] && break
        sleep 0.05
    done
    [ "$(cat "/proc/$FW_HOLDER/comm" 2>/dev/null)" = sleep ] || fail "the namespace holder did not start"
    in_fw mount -t tmpfs -o mode=755 haprep-test-run /run
    in_fw mkdir -p /run/dbus
    in_fw mount -t tmpfs -o mode=755 haprep-test-firewalld /etc/firewalld
    in_fw cp -a "$TMP/firewalld-etc/." /etc/firewalld/
    # nsenter itself, not the in_fw function: a backgrounded function is a subshell,
    # and $! must be the daemon's own PID.
    nsenter -t "$FW_HOLDER" -m -n -- env -u DBUS_SYSTEM_BUS_ADDRESS dbus-daemon --nofork --nopidfile --config-file="$TMP/bus.conf" >"$TMP/dbus.log" 2>&1 &
    BUS_PID=$!
    DAEMON_PIDS+=("$BUS_PID")
    for _ in $(seq 100); do in_fw test -S /run/dbus/system_bus_socket && break; sleep 0.05; done
    in_fw test -S /run/dbus/system_bus_socket || fail "dbus-daemon did not start: $(cat "$TMP/dbus.log")"
}

# launch_firewalld: (re)starts firewalld on the running bus and waits for RUNNING.
launch_firewalld() {
    nsenter -t "$FW_HOLDER" -m -n -- env -u DBUS_SYSTEM_BUS_ADDRESS firewalld --nofork --nopid --log-target file --log-file "$TMP/firewalld.log" >/dev/null 2>&1 &
    FW_PID=$!
    DAEMON_PIDS+=("$FW_PID")
    await "firewalld running" fw_running
}

fw_running() { [ "$(in_fw firewall-cmd --state 2>/dev/null)" = running ]; }

# stop_firewalld: stops firewalld (SIGTERM) and waits until it is gone.
stop_firewalld() {
    kill "$FW_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$FW_PID" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$FW_PID" 2>/dev/null || true
}

# fw_cmd ARGS...: firewall-cmd inside the namespace (quiet; the exit code tells).
fw_cmd() { in_fw firewall-cmd "$@"; }
