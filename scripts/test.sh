#!/usr/bin/env bash
# Builds Hotline with warnings as errors and engine invariants checked, then runs the whole
# test suite (unit, integration against the real binary, browser) through CTest.
# Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --test
build=build-test
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHOTLINE_WERROR=ON \
      -DHOTLINE_CHECK_INVARIANTS=ON -DHOTLINE_BUILD_BENCH=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
# The browser tests' one npm dependency (playwright-core; it downloads no browser).
(cd tests/e2e && [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error)
cd "$build"
ctest --output-on-failure --timeout 600 -j"$(nproc)"
