#!/usr/bin/env bash
# Installs what the tests need, builds haprep as shipped and with ASan+UBSan in one
# tree, and runs every test (unit, integration, both variants, and the parser's
# fuzzer for HAPREP_FUZZ_SECONDS) with ctest. Run as root: the integration tests
# create their own network namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh --with-tests
build=${HAPREP_TEST_BUILD_DIR:-build-test}
# -g1 (line tables only): sanitizer reports keep file:line, and two full builds with
# full debug info would take a good part of CI's 20 minutes.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
    -DHAPREP_SANITIZERS=ON -DHAPREP_FUZZ=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
exec ctest --output-on-failure -j"$(nproc)"
