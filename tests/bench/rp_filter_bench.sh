#!/usr/bin/env bash
# How long does `haprep check` take on a host with a handful of VRRP candidate
# interfaces, compared with the shell one-liner people write instead (ip + sysctl)?
#
# usage: tests/bench/rp_filter_bench.sh /path/to/haprep [RUNS]
#
# Runs as root in a network namespace of its own, so the rp_filter values it sets
# never reach this host's interfaces, and removes it again however it exits.

USAGE="/path/to/haprep [RUNS]"
source "$(dirname "$0")/lib.sh"
[ $# -le 2 ] || usage
RUNS=${2:-50}
positive_integer RUNS "$RUNS"
command -v sysctl >/dev/null || die "sysctl (procps) is not installed"
# veth names stay within IFNAMSIZ (15): "hb" + at most 7 digits + 2.
PREFIX="hb$$"

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

HAPREP_CMD=("$HAPREP" --root "$ROOT" check --format json)
BASELINE_CMD=(sh "$WORK/baseline.sh")
warm_up "${HAPREP_CMD[@]}"
warm_up "${BASELINE_CMD[@]}"

haprep_ns=$(time_runs "$RUNS" "${HAPREP_CMD[@]}")
baseline_ns=$(time_runs "$RUNS" "${BASELINE_CMD[@]}")

awk -v runs="$RUNS" -v h="$haprep_ns" -v b="$baseline_ns" 'BEGIN {
    printf "haprep: %d runs, %.2f ms/run\n", runs, h / runs / 1e6
    printf "baseline (sysctl+ip shell): %d runs, %.2f ms/run\n", runs, b / runs / 1e6
    if (h > 0) printf "ratio baseline/haprep: %.2fx\n", b / h
    else print "ratio baseline/haprep: undefined (haprep took no measurable time)"
}'

echo "haprep peak RSS: $(peak_rss "${HAPREP_CMD[@]}")"
