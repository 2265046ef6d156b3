#!/usr/bin/env bash
# Quick start 1: install what is missing, build, and open the workbench on the built-in demo
# case (generated on first use). Without a display it runs under Xvfb and saves a screenshot.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh dev transfertrace   # the application only: tests and benches are not needed here
bin=build/dev/app/transfertrace
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$bin" --demo "$@"
fi
echo "demo: no display found; running under Xvfb and saving the window to demo-screenshot.png"
exec xvfb-run -a -s "-screen 0 1600x1000x24" "$bin" --demo --screenshot demo-screenshot.png "$@"
