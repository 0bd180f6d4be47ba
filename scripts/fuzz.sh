#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (tests/fuzz is a project of its own: the
# main build uses g++) and runs one of them for a bounded time over a copy of its seed
# corpus, so the checked-in seeds never change. Exits non-zero when
# the fuzzer finds a crash, a hang or undefined behaviour; the reproducer is kept in
# the build directory (crash-*, timeout-*, ...) and its path printed.
#
# usage: scripts/fuzz.sh [BUILD_DIR [TARGET]]   (default build-fuzz keepalived_parser)
#   TARGET: keepalived_parser (keepalived.conf, tests/fuzz/corpus) or firewall_rules
#           (iptables-save text, compat matches, the evaluator; tests/fuzz/corpus-firewall)
#   HAPREP_FUZZ_SECONDS   how long to fuzz (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

build=${1:-build-fuzz}
target=${2:-keepalived_parser}
case $target in
    keepalived_parser) seeds=tests/fuzz/corpus; max_len=8192 ;;
    firewall_rules) seeds=tests/fuzz/corpus-firewall; max_len=16384 ;;
    *) echo "fuzz.sh: unknown target $target" >&2; exit 2 ;;
esac
seconds=${HAPREP_FUZZ_SECONDS:-60}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: HAPREP_FUZZ_SECONDS must be a positive integer" >&2; exit 2; }
# clang-14 (what install-deps.sh installs) has no plain clang++ without the clang package.
cxx=$(command -v clang++ || command -v clang++-14) ||
    { echo "fuzz.sh: clang++ not found (scripts/install-deps.sh --with-tests)" >&2; exit 2; }
cc=$(command -v clang || command -v clang-14)

CC=$cc CXX=$cxx cmake -S tests/fuzz -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# Two fuzz tests may build the same directory at once (ctest runs them in parallel).
exec 9>"$build.lock"
flock 9
cmake --build "$build" --target "${target}_fuzz"
flock -u 9
build=$(cd "$build" && pwd)

corpus=$(mktemp -d "${TMPDIR:-/tmp}/haprep-fuzz.XXXXXX")
trap 'rm -rf "$corpus"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
cp "$root/$seeds"/* "$corpus"/

# -timeout: one input taking over 10 s is a hang. -rss_limit_mb bounds a blow-up
# (a definition or include that expands without end). Reproducers go to $build.
rc=0
(cd "$build" && ./"${target}_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$build/$target-" "$corpus") || rc=$?
if [ "$rc" -ne 0 ]; then
    echo "fuzz.sh: the fuzzer failed (exit $rc); reproducers:" >&2
    ls -1 "$build"/*crash-* "$build"/*timeout-* "$build"/*oom-* "$build"/*leak-* 2>/dev/null >&2 || true
    exit 1
fi
echo "fuzz.sh: $target: no crash in ${seconds}s"
