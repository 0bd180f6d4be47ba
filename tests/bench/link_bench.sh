#!/usr/bin/env bash
# `haprep check` on a namespace with 1,000 veth pairs (2,000 UP interfaces, each with
# IPv4 and IPv6 addresses, all judged as VRRP interfaces) against what it replaces
# for the link and address facts: `ip -j link` + `ip -j addr` for the same
# interfaces. Prints both times, the ratio and both peak RSS.
#
# usage: tests/bench/link_bench.sh /path/to/haprep [RUNS] [PAIRS]
#
# Runs as root in a network namespace of its own and removes it however it exits.

USAGE="/path/to/haprep [RUNS] [PAIRS]"
source "$(dirname "$0")/lib.sh"
[ $# -le 3 ] || usage
RUNS=${2:-10}
PAIRS=${3:-1000}
positive_integer RUNS "$RUNS"
positive_integer PAIRS "$PAIRS"

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

rc=0
in_ns "${HAPREP_CMD[@]}" >"$WORK/report.json" 2>"$WORK/err" || rc=$?
[ "$rc" -le 2 ] || { cat "$WORK/err" >&2; die "haprep exited $rc"; }
judged=$(jq '[.findings[] | select(.check == "link.up")] | length' "$WORK/report.json" 2>/dev/null || echo "?")
echo "haprep judged $judged interfaces"
in_ns "${BASELINE_CMD[@]}"

haprep_ns=$(time_runs "$RUNS" "${HAPREP_CMD[@]}")
baseline_ns=$(time_runs "$RUNS" "${BASELINE_CMD[@]}")
awk -v runs="$RUNS" -v h="$haprep_ns" -v b="$baseline_ns" 'BEGIN {
    printf "haprep check: %d runs, %.1f ms/run\n", runs, h / runs / 1e6
    printf "baseline (ip -j link + ip -j addr): %d runs, %.1f ms/run\n", runs, b / runs / 1e6
    printf "ratio haprep/baseline: %.2fx (below 1 is faster than the baseline)\n", h / b
}'

echo "peak RSS: haprep $(peak_rss "${HAPREP_CMD[@]}"), ip -j link $(peak_rss ip -j link show), ip -j addr $(peak_rss ip -j addr show)"
