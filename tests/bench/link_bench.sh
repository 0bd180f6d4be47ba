#!/usr/bin/env bash
# `haprep check` on a namespace with 1,000 veth pairs (2,000 UP interfaces, each with
# IPv4 and IPv6 addresses, all judged as VRRP interfaces) against what it replaces
# for the link and address facts: `ip -j link` + `ip -j addr` for the same
# interfaces. Prints both times, the ratio and both peak RSS.
#
# usage: tests/bench/link_bench.sh /path/to/haprep [RUNS] [PAIRS]
#
# Runs as root in a network namespace of its own and removes it however it exits.

set -euo pipefail

usage() { echo "usage: $0 /path/to/haprep [RUNS] [PAIRS]" >&2; exit 2; }
die() { echo "$(basename "$0"): $*" >&2; exit 1; }

if [ $# -lt 1 ] || [ $# -gt 3 ]; then usage; fi
HAPREP=$(command -v -- "$1") || die "$1: not found or not executable"
RUNS=${2:-10}
PAIRS=${3:-1000}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, not '$RUNS'"
[[ $PAIRS =~ ^[1-9][0-9]*$ ]] || die "PAIRS must be a positive integer, not '$PAIRS'"
[ "$(id -u)" -eq 0 ] || die "must run as root (it creates a network namespace)"
command -v ip >/dev/null || die "ip (iproute2) is not installed"

NS="haprep-lbench-$$"
NS_CREATED=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/haprep-lbench.XXXXXX")
cleanup() {
    if [ "$NS_CREATED" -eq 1 ]; then ip netns del "$NS" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

ROOT="$WORK/root"
mkdir "$ROOT"
ip netns add "$NS"
NS_CREATED=1
in_ns() { ip netns exec "$NS" "$@"; }
in_ns sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0

# One ip -batch: creating 2,000 links one process at a time would take minutes.
for ((i = 0; i < PAIRS; i++)); do
    echo "link add a$i type veth peer name b$i"
    echo "addr add 10.$((i / 250)).$((i % 250)).1/30 dev a$i"
    echo "addr add 10.$((100 + i / 250)).$((i % 250)).2/30 dev b$i"
    echo "link set a$i up"
    echo "link set b$i up"
done >"$WORK/batch"
ip -n "$NS" -batch "$WORK/batch"
echo "namespace: $(in_ns ip -o link | wc -l) links, $(in_ns ip -o addr | wc -l) addresses"

cat >"$WORK/baseline.sh" <<'SH'
#!/bin/sh
ip -j link show >/dev/null && ip -j addr show >/dev/null
SH
HAPREP_CMD=("$HAPREP" --root "$ROOT" check --format json)
BASELINE_CMD=(sh "$WORK/baseline.sh")

cat >"$WORK/loop.sh" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
runs=$1; shift
start=$(date +%s%N)
for ((i = 0; i < runs; i++)); do
    rc=0
    "$@" >/dev/null 2>&1 || rc=$?
    [ "$rc" -le 2 ] || { echo "$1 exited $rc on run $((i + 1))" >&2; exit 1; }
done
echo $(( $(date +%s%N) - start ))
SH

rc=0
in_ns "${HAPREP_CMD[@]}" >"$WORK/report.json" 2>"$WORK/err" || rc=$?
[ "$rc" -le 2 ] || { cat "$WORK/err" >&2; die "haprep exited $rc"; }
judged=$(jq '[.findings[] | select(.check == "link.up")] | length' "$WORK/report.json" 2>/dev/null || echo "?")
echo "haprep judged $judged interfaces"
in_ns "${BASELINE_CMD[@]}"

haprep_ns=$(in_ns bash "$WORK/loop.sh" "$RUNS" "${HAPREP_CMD[@]}")
baseline_ns=$(in_ns bash "$WORK/loop.sh" "$RUNS" "${BASELINE_CMD[@]}")
awk -v runs="$RUNS" -v h="$haprep_ns" -v b="$baseline_ns" 'BEGIN {
    printf "haprep check: %d runs, %.1f ms/run\n", runs, h / runs / 1e6
    printf "baseline (ip -j link + ip -j addr): %d runs, %.1f ms/run\n", runs, b / runs / 1e6
    printf "ratio haprep/baseline: %.2fx (below 1 is faster than the baseline)\n", h / b
}'

if [ -x /usr/bin/time ]; then
    peak() { in_ns /usr/bin/time -f %M -o "$WORK/rss" "$@" >/dev/null 2>&1 || true; tail -n 1 "$WORK/rss"; }
    echo "peak RSS: haprep $(peak "${HAPREP_CMD[@]}") KiB, ip -j link $(peak ip -j link show) KiB, ip -j addr $(peak ip -j addr show) KiB"
fi
