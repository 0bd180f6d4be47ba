#!/usr/bin/env bash
# The keepalived.* checks on a keepalived.conf of 2,000 vrrp_instances (8 veth
# interfaces, 250 VRIDs on each, IPv4 VIPs, sync groups and tracked scripts) against
# what an operator runs for the syntax alone: `keepalived -t -f FILE` on the same
# file. Prints both times and the ratio.
#
# usage: tests/bench/keepalived_bench.sh /path/to/haprep [RUNS] [INSTANCES]
#
# Runs as root in a network namespace of its own (which holds the interfaces the
# configuration names) and removes it however it exits.

USAGE="/path/to/haprep [RUNS] [INSTANCES]"
source "$(dirname "$0")/lib.sh"
[ $# -le 3 ] || usage
RUNS=${2:-10}
INSTANCES=${3:-2000}
positive_integer RUNS "$RUNS"
positive_integer INSTANCES "$INSTANCES"
KEEPALIVED=$(command -v keepalived) || die "keepalived is not installed"
# VRIDs are 1..255 per interface and family: 8 interfaces give room for 2,040.
IFACES=8
[ "$INSTANCES" -le $((IFACES * 255)) ] || die "INSTANCES must be at most $((IFACES * 255))"

for ((j = 0; j < IFACES; j++)); do
    echo "link add kv$j type veth peer name kp$j"
    echo "addr add 192.168.$j.1/24 dev kv$j"
    echo "link set kv$j up"
    echo "link set kp$j up"
done >"$WORK/batch"
ip -n "$NS" -batch "$WORK/batch"

CONF="$ROOT/etc/keepalived/keepalived.conf"
mkdir -p "$(dirname "$CONF")"
{
    printf 'global_defs {\n    router_id bench\n    script_user root\n    enable_script_security\n}\n\n'
    for ((s = 0; s < 4; s++)); do
        printf 'vrrp_script chk_%d {\n    script "/bin/true"\n    interval 2\n}\n\n' "$s"
    done
    for ((i = 0; i < INSTANCES; i++)); do
        j=$((i % IFACES))
        vrid=$((i / IFACES + 1))
        state=$([ $((i % 2)) -eq 0 ] && echo MASTER || echo BACKUP)
        prio=$([ "$state" = MASTER ] && echo 150 || echo 100)
        cat <<CONF
vrrp_instance VI_$i {
    state $state
    interface kv$j
    virtual_router_id $vrid
    priority $prio
    advert_int 1
    virtual_ipaddress {
        10.$((100 + j)).$((vrid / 250)).$((vrid % 250 + 1))/32 dev kv$j
    }
    track_script {
        chk_$((i % 4))
    }
}

CONF
    done
    # A few sync groups of four instances each.
    for ((g = 0; g < 5 && g * 4 + 3 < INSTANCES; g++)); do
        printf 'vrrp_sync_group G%d {\n    group {\n' "$g"
        for ((k = 0; k < 4; k++)); do printf '        VI_%d\n' $((g * 4 + k)); done
        printf '    }\n}\n\n'
    done
} >"$CONF"
echo "configuration: $INSTANCES vrrp_instances on $IFACES interfaces, $(wc -l <"$CONF") lines"

# Every keepalived.* check the binary has (the list grows; none is named twice).
mapfile -t CHECKS < <("$HAPREP" list 2>/dev/null | grep -o '^keepalived\.[a-z0-9_.]*' | sort -u)
[ "${#CHECKS[@]}" -gt 0 ] || CHECKS=(keepalived.parse keepalived.vrid keepalived.priority keepalived.interface)
ONLY=()
for c in "${CHECKS[@]}"; do ONLY+=(--only "$c"); done
echo "checks: ${CHECKS[*]}"

HAPREP_CMD=("$HAPREP" --root "$ROOT" "${ONLY[@]}" check --format json)
BASELINE_CMD=("$KEEPALIVED" -t -f "$CONF")

warm_up "${HAPREP_CMD[@]}"
warm_up "${BASELINE_CMD[@]}"
rc=0
in_ns "${HAPREP_CMD[@]}" >"$WORK/report.json" 2>"$WORK/err" || rc=$?
[ "$rc" -le 2 ] || { cat "$WORK/err" >&2; die "haprep exited $rc"; }
if command -v jq >/dev/null; then
    echo "haprep: $(jq '[.findings[]] | length' "$WORK/report.json" 2>/dev/null || echo "?") findings" \
        "($(jq -r '[.findings[] | .status] | group_by(.) | map("\(.[0]) \(length)") | join(", ")' \
            "$WORK/report.json" 2>/dev/null || echo "?"))"
fi

haprep_ns=$(time_runs "$RUNS" "${HAPREP_CMD[@]}")
baseline_ns=$(time_runs "$RUNS" "${BASELINE_CMD[@]}")
awk -v runs="$RUNS" -v h="$haprep_ns" -v b="$baseline_ns" 'BEGIN {
    printf "haprep check (keepalived.*): %d runs, %.1f ms/run\n", runs, h / runs / 1e6
    printf "keepalived -t: %d runs, %.1f ms/run\n", runs, b / runs / 1e6
    if (h <= b) printf "haprep %.1f× faster\n", b / h
    else printf "haprep %.1f× slower\n", h / b
}'
echo "peak RSS: haprep $(peak_rss "${HAPREP_CMD[@]}"), keepalived -t $(peak_rss "${BASELINE_CMD[@]}")"
