#!/usr/bin/env bash
# Configures and builds one CMake preset (default: dev). Used by demo.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"
jobs="${TT_JOBS:-$(nproc)}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"
