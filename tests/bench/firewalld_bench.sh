#!/usr/bin/env bash
# `haprep check --only firewalld.vrrp` against what a shell check does with
# firewall-cmd: `--get-zone-of-interface` then `--zone=Z --query-protocol=vrrp`,
# both against the same real firewalld (its own bus, mount and network namespace,
# as the integration tests start it). The interface is bound to zone public, which
# has protocol vrrp, so both answer "yes" and do the same work. Prints the ratio.
#
# usage: tests/bench/firewalld_bench.sh /path/to/haprep [RUNS]

USAGE="/path/to/haprep [RUNS]"
source "$(dirname "$0")/lib.sh"
RUNS=${2:-10}
positive_integer RUNS "$RUNS"
command -v firewall-cmd >/dev/null || die "firewalld is not installed"

# What tests/integration/firewalld_lib.sh expects of its caller.
TMP=$WORK
DAEMON_PIDS=()
fail() { die "$*"; }
skip() { die "$*"; }
await() {
    local what=$1; shift
    for _ in $(seq 600); do "$@" && return 0; sleep 0.1; done
    die "never saw: $what"
}
stop_daemons() {
    local pid
    for pid in "${DAEMON_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${DAEMON_PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    cleanup
}
trap stop_daemons EXIT
source "$(dirname "$0")/../integration/firewalld_lib.sh"

ip -n "$NS" link add bench0 type veth peer name bench1
ip -n "$NS" link set bench0 up
ip -n "$NS" link set bench1 up
ip -n "$NS" addr add 192.0.2.1/24 dev bench0
start_firewalld "$NS"
fw_cmd --zone=public --change-interface=bench0 >/dev/null
fw_cmd --zone=public --add-protocol=vrrp >/dev/null
fw_cmd --permanent --zone=public --add-protocol=vrrp >/dev/null
# From here on every timed command runs inside firewalld's namespaces.
in_ns() { in_fw "$@"; }

HAPREP_CMD=("$HAPREP" --root "$ROOT" --interface bench0 --family ipv4 --only firewalld.vrrp check --format json)
BASELINE_CMD=(sh -c 'zone=$(firewall-cmd --get-zone-of-interface=bench0) && firewall-cmd --zone="$zone" --query-protocol=vrrp')
warm_up "${HAPREP_CMD[@]}"
verdict=$(in_ns "${HAPREP_CMD[@]}" | jq -r '.findings[0].status')
[ "$verdict" = pass ] || die "expected firewalld.vrrp to pass, got $verdict"
[ "$(in_ns "${BASELINE_CMD[@]}")" = yes ] || die "the firewall-cmd baseline does not say yes"
warm_up "${BASELINE_CMD[@]}"
h=$(time_runs "$RUNS" "${HAPREP_CMD[@]}")
b=$(time_runs "$RUNS" "${BASELINE_CMD[@]}")
awk -v runs="$RUNS" -v h="$h" -v b="$b" 'BEGIN {
    printf "haprep %.1f ms/run, firewall-cmd x2 %.1f ms/run, ratio firewall-cmd/haprep %.2fx (haprep is that many times faster)\n",
           h / runs / 1e6, b / runs / 1e6, b / h
}'
echo "peak RSS haprep $(peak_rss "${HAPREP_CMD[@]}"), firewall-cmd $(peak_rss firewall-cmd --zone=public --query-protocol=vrrp)"
