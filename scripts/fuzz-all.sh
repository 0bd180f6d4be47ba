#!/usr/bin/env bash
# Runs every fuzz target one after the other for HAPREP_FUZZ_SECONDS each (default
# 600: the long runs the test command's one-minute runs are no substitute for) and
# prints each run's final statistics. Not part of CI.
#
# usage: scripts/fuzz-all.sh [BUILD_DIR]   (default build-fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."
export HAPREP_FUZZ_SECONDS=${HAPREP_FUZZ_SECONDS:-600}
rc=0
for target in keepalived_parser firewall_rules; do
    echo "== $target: ${HAPREP_FUZZ_SECONDS}s"
    ./scripts/fuzz.sh "${1:-build-fuzz}" "$target" || rc=1
done
exit $rc
