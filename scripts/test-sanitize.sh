#!/usr/bin/env bash
# The unit tests under AddressSanitizer + UBSan: the clang `fuzz` preset (one build serves the
# fuzz targets and this run; benchmarks are not built). Arguments go to ctest.
# A sanitizer report aborts the test, which then fails; no check is relaxed.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh fuzz
export QT_QPA_PLATFORM=offscreen
asan=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
# Tests that lay out pinned nodes with Graphviz's neato (or cyclic graphs with dot) run with the full (slow) unwinder so the
# suppressions in tests/sanitizers/lsan.supp can name the third-party module that leaks; every
# other test runs with the fast unwinder and no suppression at all.
graphviz_pinned='^(tst_graphviz_layout|tst_annotations_gui|tst_workbench_graph|tst_workbench_groups|tst_pg_workbench_live)$'
rc=0
ASAN_OPTIONS=$asan ctest --preset fuzz --no-tests=error -j "${TT_JOBS:-$(nproc)}" -E "$graphviz_pinned" "$@" || rc=$?
ASAN_OPTIONS=$asan:fast_unwind_on_malloc=0 LSAN_OPTIONS=suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=1 \
  ctest --preset fuzz --no-tests=error -j "${TT_JOBS:-$(nproc)}" -R "$graphviz_pinned" "$@" || rc=$?
exit $rc
