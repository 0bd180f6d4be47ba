#!/usr/bin/env bash
# `haprep check --only nft.vrrp` on rulesets of 10,000 and 100,000 rules against
# `nft -j list ruleset > /dev/null` on the same ruleset: the ratio (the issue aims at
# 1.5x or less) and both peak RSS. The rules match TCP ports and sources, so the
# evaluator walks all of them before the VRRP accept at the end.
#
# usage: tests/bench/nft_bench.sh /path/to/haprep [RUNS] [SIZES...]

USAGE="/path/to/haprep [RUNS] [SIZES...]"
source "$(dirname "$0")/lib.sh"
RUNS=${2:-5}
positive_integer RUNS "$RUNS"
shift $(($# >= 2 ? 2 : 1))
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(10000 100000)
for size in "${SIZES[@]}"; do positive_integer SIZE "$size"; done
command -v nft >/dev/null || die "nft (nftables) is not installed"

ip -n "$NS" link add bench0 type veth peer name bench1
ip -n "$NS" link set bench0 up
ip -n "$NS" link set bench1 up
ip -n "$NS" addr add 192.0.2.1/24 dev bench0

for size in "${SIZES[@]}"; do
    {
        echo "flush ruleset"
        echo "table inet filter {"
        echo "  chain input {"
        echo "    type filter hook input priority 0; policy drop;"
        for ((i = 0; i < size; i++)); do
            echo "    ip saddr 10.$((i / 65536 % 256)).$((i / 256 % 256)).$((i % 256)) tcp dport $((1024 + i % 60000)) accept"
        done
        echo "    meta l4proto vrrp accept"
        echo "  }"
        echo "}"
    } >"$WORK/ruleset.nft"
    in_ns nft -f "$WORK/ruleset.nft"
    HAPREP_CMD=("$HAPREP" --root "$ROOT" --interface bench0 --family ipv4 --only nft.vrrp check --format json)
    BASELINE_CMD=(sh -c 'nft -j list ruleset >/dev/null')
    warm_up "${HAPREP_CMD[@]}"
    verdict=$(in_ns "${HAPREP_CMD[@]}" | jq -r '.findings[0].status')
    [ "$verdict" = pass ] || die "expected nft.vrrp to pass on the generated ruleset, got $verdict"
    warm_up "${BASELINE_CMD[@]}"
    h=$(time_runs "$RUNS" "${HAPREP_CMD[@]}")
    b=$(time_runs "$RUNS" "${BASELINE_CMD[@]}")
    awk -v n="$size" -v runs="$RUNS" -v h="$h" -v b="$b" 'BEGIN {
        printf "%d rules: haprep %.1f ms/run, nft -j list ruleset %.1f ms/run, ratio haprep/nft %.2fx\n",
               n, h / runs / 1e6, b / runs / 1e6, h / b
    }'
    echo "$size rules: peak RSS haprep $(peak_rss "${HAPREP_CMD[@]}"), nft $(peak_rss nft -j list ruleset)"
done
