#!/usr/bin/env bash
# How long does `haprep check` take on a host with a handful of VRRP candidate
# interfaces, compared with the shell one-liner people write instead (ip + sysctl)?
#
# usage: tests/bench/rp_filter_bench.sh /path/to/haprep [RUNS]
#
# Runs as root in a network namespace of its own, so the rp_filter values it sets
# never reach this host's interfaces, and removes it again however it exits.

set -euo pipefail

usage() { echo "usage: $0 /path/to/haprep [RUNS]" >&2; exit 2; }
die() { echo "$(basename "$0"): $*" >&2; exit 1; }

if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
HAPREP=$(command -v -- "$1") || die "$1: not found or not executable"
RUNS=${2:-50}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, not '$RUNS'"
[ "$(id -u)" -eq 0 ] || die "must run as root (it creates a network namespace)"
command -v ip >/dev/null || die "ip (iproute2) is not installed"
command -v sysctl >/dev/null || die "sysctl (procps) is not installed"

# The PID makes the names unique, so parallel runs do not collide, and veth names
# stay within IFNAMSIZ (15): "hb" + at most 7 digits + 2.
NS="haprep-bench-$$"
PREFIX="hb$$"
NS_CREATED=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/haprep-bench.XXXXXX")

cleanup() {
    # Only a namespace this run created: a stale one with the same name may
    # belong to someone else's run.
    if [ "$NS_CREATED" -eq 1 ]; then ip netns del "$NS" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
# Without these, an interrupted run would skip the EXIT trap's cleanup.
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# An empty --root: no sysctl.d files, so haprep reads nothing of this host's /etc.
ROOT="$WORK/root"
mkdir "$ROOT"

ip netns add "$NS"
NS_CREATED=1
in_ns() { ip netns exec "$NS" "$@"; }

ip -n "$NS" link set lo up
in_ns sysctl -qw net.ipv4.conf.all.rp_filter=1
# A mix of off (0), strict (1) and loose (2) per interface, so both tools report
# passes and failures and neither takes a shortcut.
values=(0 1 2 1 0 2 1 2)
for i in 0 1 2 3; do
    a="${PREFIX}a$i"
    b="${PREFIX}b$i"
    ip -n "$NS" link add "$a" type veth peer name "$b"
    ip -n "$NS" link set "$a" up
    ip -n "$NS" link set "$b" up
    in_ns sysctl -qw "net.ipv4.conf.$a.rp_filter=${values[$((2 * i))]}"
    in_ns sysctl -qw "net.ipv4.conf.$b.rp_filter=${values[$((2 * i + 1))]}"
done

# The best the shell way does: `all` is read once, not once per interface, so the
# comparison is not against a strawman.
cat >"$WORK/baseline.sh" <<'EOF'
#!/bin/sh
set -eu
all=$(sysctl -n net.ipv4.conf.all.rp_filter)
status=0
for ifname in $(ip -o link show up | awk -F': ' '!/link\/loopback/ { sub(/@.*/, "", $2); print $2 }'); do
    # sysctl keys use "/" where an interface name (a VLAN: eth0.100) has ".".
    case $ifname in
        *.*) key=$(printf '%s' "$ifname" | tr . /) ;;
        *) key=$ifname ;;
    esac
    value=$(sysctl -n "net.ipv4.conf.$key.rp_filter")
    effective=$((all > value ? all : value))
    if [ "$effective" -eq 1 ]; then
        echo "fail $ifname rp_filter=$effective"
        status=2
    else
        echo "pass $ifname rp_filter=$effective"
    fi
done
exit $status
EOF
chmod +x "$WORK/baseline.sh"

# The loop runs inside the namespace, so the cost of entering it (setns, a fresh
# mount namespace with /sys remounted) is paid once and not charged to each run.
cat >"$WORK/loop.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
runs=$1
shift
start=$(date +%s%N)
for ((i = 0; i < runs; i++)); do
    rc=0
    "$@" >/dev/null 2>&1 || rc=$?
    # 1 and 2 are verdicts about the namespace (warn, fail), not errors.
    if [ "$rc" -gt 2 ]; then
        echo "$1 exited $rc on run $((i + 1))" >&2
        exit 1
    fi
done
end=$(date +%s%N)
echo $((end - start))
EOF

# One untimed run of each, with its stderr shown if it breaks, so a broken binary
# is reported as such rather than as a suspiciously fast benchmark. It also warms
# the page cache for both alike.
warm_up() {
    local rc=0
    in_ns "$@" >/dev/null 2>"$WORK/warmup.err" || rc=$?
    if [ "$rc" -gt 2 ]; then
        cat "$WORK/warmup.err" >&2
        die "$1 exited $rc"
    fi
}
HAPREP_CMD=("$HAPREP" --root "$ROOT" check --format json)
BASELINE_CMD=(sh "$WORK/baseline.sh")
warm_up "${HAPREP_CMD[@]}"
warm_up "${BASELINE_CMD[@]}"

haprep_ns=$(in_ns bash "$WORK/loop.sh" "$RUNS" "${HAPREP_CMD[@]}")
baseline_ns=$(in_ns bash "$WORK/loop.sh" "$RUNS" "${BASELINE_CMD[@]}")

awk -v runs="$RUNS" -v h="$haprep_ns" -v b="$baseline_ns" 'BEGIN {
    printf "haprep: %d runs, %.2f ms/run\n", runs, h / runs / 1e6
    printf "baseline (sysctl+ip shell): %d runs, %.2f ms/run\n", runs, b / runs / 1e6
    if (h > 0) printf "ratio baseline/haprep: %.2fx\n", b / h
    else print "ratio baseline/haprep: undefined (haprep took no measurable time)"
}'

# time(1) inside the namespace, so %M is haprep's own peak, not that of ip(8)
# which would otherwise be the measured process until it execs.
if [ -x /usr/bin/time ]; then
    rc=0
    in_ns /usr/bin/time -f %M -o "$WORK/rss" "${HAPREP_CMD[@]}" >/dev/null 2>&1 || rc=$?
    [ "$rc" -le 2 ] || die "haprep exited $rc while measuring its peak RSS"
    # GNU time prefixes a "Command exited with non-zero status" line for 1 and 2.
    echo "haprep peak RSS: $(tail -n 1 "$WORK/rss") KiB"
else
    echo "haprep peak RSS: unavailable (install the time package)"
fi
