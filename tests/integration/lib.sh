# Shared helpers for the integration tests. Each test sources this, runs the real
# haprep binary ($HAPREP) inside network namespaces it creates itself, with --root
# on a temporary directory, and cleans up on exit even when an assertion fails.

set -euo pipefail

HAPREP=${1:?usage: $0 /path/to/haprep}
TEST_NAME=$(basename "$0" .sh)
# Unique per run: ctest may run tests (and the _asan variants) in parallel.
UNIQUE="$$$RANDOM"
NAMESPACES=()
TMP=$(mktemp -d "/tmp/haprep-${TEST_NAME}.XXXXXX")

DAEMON_PIDS=()
# Keep haprep (and everything else a test runs) off this machine's system bus: a
# firewalld there must never see a test's fix. Tests that need firewalld start
# their own bus, and firewalld_lib.sh's in_fw points at it.
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$TMP/no-system-bus"

cleanup() {
    local ns pid
    # Daemons first, by PID (and the children they forked, by their pid files).
    for pid in "${DAEMON_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${DAEMON_PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    for pid in $(cat "$TMP"/*.pid 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT

skip() { echo "SKIP: $TEST_NAME: $*"; exit 77; }
fail() { echo "FAIL: $TEST_NAME: $*" >&2; exit 1; }

require_root() {
    [ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces"
    command -v ip >/dev/null || skip "iproute2 is not installed"
    command -v jq >/dev/null || skip "jq is not installed"
}

# new_netns VAR: creates a namespace with a unique name and stores it in VAR.
new_netns() {
    local name="hp${UNIQUE}$1"
    ip netns add "$name"
    NAMESPACES+=("$name")
    ip -n "$name" link set lo up
    printf -v "$2" '%s' "$name"
}

# ns_with_vrrp_interface TAG: a healthy VRRP link. $NS holds $IF (192.0.2.1/24), a
# veth whose other end $PEER_IF (192.0.2.2/24) sits in the namespace $PEER_NS; both
# UP with carrier. DAD is off in $NS so the IPv6 link-local address is usable at once
# (tests that need DAD turn it on themselves).
ns_with_vrrp_interface() {
    new_netns "$1" NS
    new_netns "${1}p" PEER_NS
    in_ns "$NS" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
    IF="v${1}${UNIQUE}"
    PEER_IF="w${1}${UNIQUE}"
    ip -n "$NS" link add "$IF" type veth peer name "$PEER_IF" netns "$PEER_NS"
    ip -n "$NS" addr add 192.0.2.1/24 dev "$IF"
    ip -n "$PEER_NS" addr add 192.0.2.2/24 dev "$PEER_IF"
    ip -n "$NS" link set "$IF" up
    ip -n "$PEER_NS" link set "$PEER_IF" up
}

# asymmetric_peer: routes the peer's /32 in $NS out of a second veth to $PEER_NS
# ($SIDE_IF), so the reverse path to $PEER is not $IF: strict rp_filter drops it.
asymmetric_peer() {
    PEER=192.0.2.2
    SIDE_IF="s${UNIQUE}"
    ip -n "$NS" link add "$SIDE_IF" type veth peer name "t${UNIQUE}" netns "$PEER_NS"
    ip -n "$NS" link set "$SIDE_IF" up
    ip -n "$PEER_NS" link set "t${UNIQUE}" up
    ip -n "$NS" route add "$PEER/32" dev "$SIDE_IF"
}

# in_ns NS CMD...: runs CMD in the namespace (with its own /proc/sys/net).
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# run_haprep NS ARGS...: sets OUT, ERR, RC (never aborts on a non-zero exit).
run_haprep() {
    local ns=$1; shift
    RC=0
    in_ns "$ns" "$HAPREP" "$@" >"$TMP/out" 2>"$TMP/err" || RC=$?
    OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
}

expect_rc() {
    [ "$RC" -eq "$1" ] || fail "expected exit $1, got $RC (${2:-}); stdout: $OUT; stderr: $ERR"
}

# expect_json JQ-EXPR: the expression must be true on $OUT.
expect_json() {
    jq -e "$1" >/dev/null <<<"$OUT" || fail "expected JSON to satisfy: $1; got: $OUT"
}

expect_contains() {
    grep -qF -- "$2" <<<"$1" || fail "expected to find '$2' in: $1"
}

# start_keepalived NS NAME IF PRIORITY [ADVERT_INT]: Debian's keepalived in NS with its own config,
# pid files and log under $TMP, VRRP only, in the foreground (-n) so its PID is ours.
# The instance holds VIP 192.0.2.100/24 on IF; advert_int 1 unless given.
start_keepalived() {
    local ns=$1 name=$2 dev=$3 priority=$4 advert_int=${5:-1}
    command -v keepalived >/dev/null || skip "keepalived is not installed"
    cat >"$TMP/$name.conf" <<CONF
global_defs {
    router_id $name
}
vrrp_instance VI_1 {
    state BACKUP
    interface $dev
    virtual_router_id 51
    priority $priority
    advert_int $advert_int
    virtual_ipaddress {
        192.0.2.100/24 dev $dev
    }
}
CONF
    ip netns exec "$ns" keepalived -n -l -D -P -f "$TMP/$name.conf" \
        -p "$TMP/$name.pid" -r "$TMP/$name.vrrp.pid" >"$TMP/$name.log" 2>&1 &
    DAEMON_PIDS+=("$!")
    printf -v "KEEPALIVED_${name}" '%s' "$!"
}

# stop_keepalived NAME: stops that node's keepalived and waits until it is gone.
stop_keepalived() {
    local var="KEEPALIVED_$1" pid
    pid=${!var}
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
}

# holds_vip NS IF: does the node in NS hold the VIP? (Never `cmd | grep -q` under
# pipefail: grep exits at the first match and cmd's SIGPIPE fails the pipeline.)
holds_vip() { ip -n "$1" -4 addr show dev "$2" | grep ' 192\.0\.2\.100/' >/dev/null; }

# vip_holders: how many of the two nodes (NS/IF, PEER_NS/PEER_IF) hold the VIP.
vip_holders() {
    local n=0
    holds_vip "$NS" "$IF" && n=$((n + 1))
    holds_vip "$PEER_NS" "$PEER_IF" && n=$((n + 1))
    echo "$n"
}

# await DESCRIPTION CMD...: polls CMD every 0.1 s. The bound only keeps a broken
# setup from hanging ctest; it is not what the test asserts. Prints the time taken.
await() {
    local what=$1; shift
    local start=$SECONDS tries
    for tries in $(seq 600); do
        if "$@"; then
            echo "$TEST_NAME: $what after $((SECONDS - start)) s"
            return 0
        fi
        sleep 0.1
    done
    fail "never saw: $what; logs: $(tail -n 20 "$TMP"/*.log)"
}

vip_holders_are() { [ "$(vip_holders)" = "$1" ]; }

log_says() { grep -q -- "$2" "$TMP/$1.log"; }
