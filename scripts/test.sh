#!/usr/bin/env bash
# Quick start 2: install what is missing, build with warnings as errors, run every test.
# Corpus tests run when ../shared/corpus exists and are reported as skipped otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh ci
export QT_QPA_PLATFORM=offscreen
ctest --preset ci --no-tests=error -j "${TT_JOBS:-$(nproc)}" "$@"
