#!/usr/bin/env bash
# Configures and builds one CMake preset (default: dev), optionally only some targets.
# Used by demo.sh and test.sh.   usage: build.sh [PRESET] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"
shift || true
jobs="${TT_JOBS:-$(nproc)}"
cmake --preset "$preset" >/dev/null
if [ $# -gt 0 ]; then
  cmake --build --preset "$preset" -j "$jobs" --target "$@"
else
  cmake --build --preset "$preset" -j "$jobs"
fi
