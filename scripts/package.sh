#!/usr/bin/env bash
# Builds the Debian package (release preset, no tests) with CPack:
#   build/release/packages/transfertrace_<version>_<arch>.deb
# Install it with `apt install ./build/release/packages/transfertrace_*.deb` (pulls the libraries).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
jobs="${TT_JOBS:-$(nproc)}"
cmake --preset release -DBUILD_TESTING=OFF >/dev/null
cmake --build --preset release -j "$jobs"
cpack --config build/release/CPackConfig.cmake -B build/release/packages
ls -1 build/release/packages/*.deb
