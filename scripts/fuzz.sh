#!/usr/bin/env bash
# Builds the keepalived.conf parser's libFuzzer target with clang (tests/fuzz is a
# project of its own: the main build uses g++) and runs it for a bounded time over a
# copy of the seed corpus, so the checked-in seeds never change. Exits non-zero when
# the fuzzer finds a crash, a hang or undefined behaviour; the reproducer is kept in
# the build directory (crash-*, timeout-*, ...) and its path printed.
#
# usage: scripts/fuzz.sh [BUILD_DIR]     (default build-fuzz)
#   HAPREP_FUZZ_SECONDS   how long to fuzz (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

build=${1:-build-fuzz}
seconds=${HAPREP_FUZZ_SECONDS:-60}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: HAPREP_FUZZ_SECONDS must be a positive integer" >&2; exit 2; }
# clang-14 (what install-deps.sh installs) has no plain clang++ without the clang package.
cxx=$(command -v clang++ || command -v clang++-14) ||
    { echo "fuzz.sh: clang++ not found (scripts/install-deps.sh --with-tests)" >&2; exit 2; }
cc=$(command -v clang || command -v clang-14)

CC=$cc CXX=$cxx cmake -S tests/fuzz -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build"
build=$(cd "$build" && pwd)

corpus=$(mktemp -d "${TMPDIR:-/tmp}/haprep-fuzz.XXXXXX")
trap 'rm -rf "$corpus"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
cp "$root"/tests/fuzz/corpus/* "$corpus"/

# -timeout: one input taking over 10 s is a hang. -rss_limit_mb bounds a blow-up
# (a definition or include that expands without end). Reproducers go to $build.
rc=0
(cd "$build" && ./keepalived_parser_fuzz -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=8192 -print_final_stats=1 "$corpus") || rc=$?
if [ "$rc" -ne 0 ]; then
    echo "fuzz.sh: the fuzzer failed (exit $rc); reproducers:" >&2
    ls -1 "$build"/crash-* "$build"/timeout-* "$build"/oom-* "$build"/leak-* 2>/dev/null >&2 || true
    exit 1
fi
echo "fuzz.sh: no crash in ${seconds}s"
