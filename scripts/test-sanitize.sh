#!/usr/bin/env bash
# The unit tests under AddressSanitizer + UBSan: the clang `fuzz` preset (one build serves the
# fuzz targets and this run; benchmarks are not built). Arguments go to ctest.
# A sanitizer report aborts the test, which then fails; no check is relaxed.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh fuzz
export QT_QPA_PLATFORM=offscreen
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
ctest --preset fuzz --no-tests=error -j "${TT_JOBS:-$(nproc)}" "$@"
