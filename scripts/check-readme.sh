#!/usr/bin/env bash
# Fails when README.md no longer matches the code: every sub-command that `transfertrace --help`
# names must be listed under "## Command line", every top-level folder of the tree must have a row
# in the "## Layout" table, and every row must name a folder that exists (a ctest test: readme).
# usage: check-readme.sh TRANSFERTRACE [SOURCE_DIR [README]]
set -euo pipefail
bin=${1:?usage: check-readme.sh TRANSFERTRACE [SOURCE_DIR [README]]}
src=${2:-$(cd "$(dirname "$0")/.." && pwd)}
readme=${3:-$src/README.md}
problems=()

# Sub-commands: the first word after "transfertrace" on a usage line, when it is not an option.
mapfile -t commands < <("$bin" --help | sed -n -E 's/^.*transfertrace ([a-z][a-z-]*)( .*)?$/\1/p' | sort -u)
if [ ${#commands[@]} -lt 5 ]; then
  echo "check-readme: '$bin --help' names ${#commands[@]} sub-commands (expected the usage text)" >&2
  exit 1
fi
block=$(sed -n '/^## Command line/,/^```$/p' "$readme" | sed '1,2d')
for c in "${commands[@]}"; do
  grep -q -E "^transfertrace $c( |$)" <<<"$block" || problems+=("sub-command '$c' (transfertrace --help) is not under '## Command line'")
done

# Folders: what git tracks at the top level (every directory when the tree is no checkout).
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t folders < <(git -C "$src" ls-files | sed -n 's|^\([^/]*\)/.*|\1|p' | sort -u)
else
  mapfile -t folders < <(find "$src" -mindepth 1 -maxdepth 1 -type d ! -name .git ! -name 'build*' -printf '%f\n' | sort)
fi
mapfile -t rows < <(sed -n '/^## Layout/,/^## /p' "$readme" | sed -n -E 's/^\| `([^`]+)\/` \|.*/\1/p' | sort -u)
for f in "${folders[@]}"; do
  # (No `printf | grep -q`: grep leaving early breaks the pipe, and pipefail would call that a miss.)
  grep -q -x -F "$f" <<<"$(printf '%s\n' "${rows[@]}")" || problems+=("folder '$f/' has no row in the '## Layout' table")
done
for r in "${rows[@]}"; do
  [ -d "$src/$r" ] || problems+=("the '## Layout' table names '$r/', which does not exist")
done

if [ ${#problems[@]} -gt 0 ]; then
  printf 'check-readme: %s\n' "${problems[@]}" >&2
  exit 1
fi
echo "check-readme: ${#commands[@]} sub-commands listed, ${#folders[@]} folders in the layout table"
