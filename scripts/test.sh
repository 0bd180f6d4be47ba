#!/usr/bin/env bash
# Installs what the tests need, builds haprep twice, as shipped ($build/plain) and
# with ASan+UBSan ($build/asan, -DHAPREP_SANITIZE=ON), and runs every test of both
# trees (unit, integration, the layer check, and the parsers' fuzzers for
# HAPREP_FUZZ_SECONDS) in one ctest run, which ends with its summary. Run as root:
# the integration tests create their own network namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh --with-tests
build=${HAPREP_TEST_BUILD_DIR:-build-test}
# -g1 (line tables only): sanitizer reports keep file:line, and two full builds with
# full debug info would take a good part of CI's time.
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG")
cmake -S . -B "$build/plain" "${flags[@]}" -DHAPREP_FUZZ=ON >/dev/null
cmake -S . -B "$build/asan" "${flags[@]}" -DHAPREP_SANITIZE=ON >/dev/null
cmake --build "$build/plain" -j"$(nproc)"
cmake --build "$build/asan" -j"$(nproc)"
# One ctest over both trees: tests of both run in parallel (the longest, the
# fuzzers, first) and one summary counts them all.
printf 'subdirs("plain" "asan")\n' >"$build/CTestTestfile.cmake"
cd "$build"
exec ctest --output-on-failure -j"$(nproc)"
