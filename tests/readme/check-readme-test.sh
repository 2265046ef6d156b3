#!/usr/bin/env bash
# scripts/check-readme.sh catches what it is meant to: a README that lost a sub-command's line
# and a folder's layout row fails, naming both; a row for a folder that does not exist fails too.
# usage: check-readme-test.sh SOURCE_DIR TRANSFERTRACE
set -uo pipefail
src=$1
bin=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "readme_catches: $*" >&2
  exit 1
}
check() { bash "$src/scripts/check-readme.sh" "$bin" "$src" "$1" 2>&1; }

out=$(check "$src/README.md") || fail "the tree's README does not pass: $out"
sed '/^transfertrace spread /d; /^| `views\/` |/d' "$src/README.md" >"$tmp/lost.md"
out=$(check "$tmp/lost.md") && fail "a README without spread and views/ passed: $out"
grep -q "sub-command 'spread'" <<<"$out" || fail "the lost sub-command is not named: $out"
grep -q "folder 'views/'" <<<"$out" || fail "the lost folder is not named: $out"
sed 's/^| `views\/` |/| `viewz\/` |/' "$src/README.md" >"$tmp/renamed.md"
out=$(check "$tmp/renamed.md") && fail "a README naming a missing folder passed: $out"
grep -q "names 'viewz/'" <<<"$out" || fail "the missing folder is not named: $out"
echo "readme_catches: lost sub-command, lost folder and stale row all caught"
