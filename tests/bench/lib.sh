# Shared by the benchmarks: a network namespace of the benchmark's own (removed
# however the script exits), a scratch --root, and a timing loop that runs inside
# the namespace so entering it is not charged to each run.
# Sourcing scripts set USAGE first; $1 is the haprep binary.

set -euo pipefail

die() { echo "$(basename "$0"): $*" >&2; exit 1; }
usage() { echo "usage: $0 $USAGE" >&2; exit 2; }

# positive_integer NAME VALUE
positive_integer() { [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive integer, not '$2'"; }

[ $# -ge 1 ] || usage
HAPREP=$(command -v -- "$1") || die "$1: not found or not executable"
[ "$(id -u)" -eq 0 ] || die "must run as root (it creates a network namespace)"
command -v ip >/dev/null || die "ip (iproute2) is not installed"

# The PID makes the name unique, so parallel runs do not collide.
NS="haprep-bench-$(basename "$0" .sh)-$$"
NS_CREATED=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/haprep-bench.XXXXXX")
cleanup() {
    # Only a namespace this run created: a stale one may belong to another run.
    if [ "$NS_CREATED" -eq 1 ]; then ip netns del "$NS" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
# Without these, an interrupted run would skip the EXIT trap's cleanup.
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# An empty --root: haprep reads nothing of this host's /etc.
ROOT="$WORK/root"
mkdir "$ROOT"
ip netns add "$NS"
NS_CREATED=1
in_ns() { ip netns exec "$NS" "$@"; }
ip -n "$NS" link set lo up

# time_runs RUNS CMD...: nanoseconds for RUNS runs of CMD inside the namespace. Exit
# codes 1 and 2 are verdicts (warn, fail), anything above is an error.
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
time_runs() { in_ns bash "$WORK/loop.sh" "$@"; }

# warm_up CMD...: one untimed run with stderr shown if it breaks, so a broken binary
# is not reported as a suspiciously fast benchmark; it warms the page cache too.
warm_up() {
    local rc=0
    in_ns "$@" >/dev/null 2>"$WORK/warmup.err" || rc=$?
    if [ "$rc" -gt 2 ]; then cat "$WORK/warmup.err" >&2; die "$1 exited $rc"; fi
}

# peak_rss CMD...: peak RSS in KiB, measured inside the namespace so it is the
# command's own and not that of ip(8) before it execs.
peak_rss() {
    if [ ! -x /usr/bin/time ]; then echo "unavailable (install the time package)"; return; fi
    in_ns /usr/bin/time -f %M -o "$WORK/rss" "$@" >/dev/null 2>&1 || true
    # GNU time prefixes a "Command exited with non-zero status" line for 1 and 2.
    echo "$(tail -n 1 "$WORK/rss") KiB"
}
