#!/usr/bin/env bash
# Fails when clang-tidy (the checks in .clang-tidy) finds anything in the project's own sources:
# app, models, views, importers, graph, generator, resources, bench and tests (tests too: a
# use-after-move or a dangling view in a test makes it assert nothing). Generated code (*_autogen,
# the build tree) is not ours and is left out. Uses the ci preset's compile_commands.json.
# usage: check-tidy.sh [--fix] [--changed [BASE]] [PATH...]
#   --fix           apply clang-tidy's fix-its (then run scripts/check-format.sh --fix)
#   --changed BASE  only the sources changed since BASE (default: main), committed or not, and the
#                   sources that include a changed header
#   PATH...         only the sources in these folders / files (e.g. importers/evtx app)
# The whole tree (~300 units) costs ~40 CPU-minutes (31 units measured: 241 s, 6 s for a source of
# models/query, 10 s for a Qt test), ~20 min on 2 idle cores: with CI's other steps (~28 min) over
# its 45, so CI checks what a change touched (--changed); run it whole locally after changing
# .clang-tidy.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

fix=0
changed=0
base=main
paths=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fix) fix=1 ;;
    --changed)
      changed=1
      if [ $# -gt 1 ] && [ "${2#-}" = "$2" ]; then
        base=$2
        shift
      fi
      ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed '$d'
      exit 0
      ;;
    -*)
      echo "check-tidy: unknown argument '$1' (usage: check-tidy.sh [--fix] [--changed [BASE]] [PATH...])" >&2
      exit 2
      ;;
    *) paths+=("${1%/}") ;;
  esac
  shift
done

tidy=$(command -v clang-tidy-14 || true)
runner=$(command -v run-clang-tidy-14 || true)
if [ -z "$tidy" ] || [ -z "$runner" ]; then
  echo "check-tidy: clang-tidy-14 / run-clang-tidy-14 not found (scripts/setup.sh installs them)" >&2
  exit 1
fi

# The compile database.
build=build/ci
if [ ! -f "$build/compile_commands.json" ]; then
  cmake --preset ci >/dev/null
fi

# The project's translation units in the database (no generated files, nothing in build/).
dirs='app|models|views|importers|graph|generator|resources|bench|tests'
mapfile -t units < <(python3 - "$build/compile_commands.json" "$root" "$dirs" <<'EOF'
import json, re, sys
db, root, dirs = sys.argv[1], sys.argv[2], sys.argv[3]
pat = re.compile(r'^(%s)/' % dirs)
seen = set()
for e in json.load(open(db)):
    f = e['file']
    if f.startswith(root + '/'):
        f = f[len(root) + 1:]
    if pat.match(f) and '_autogen' not in f and f not in seen:
        seen.add(f)
        print(f)
EOF
)

if [ "$changed" = 1 ]; then
  # Changed files (committed since BASE or not yet committed) and sources including a changed header.
  mapfile -t files < <({ git diff --name-only --diff-filter=d "$base" -- '*.cpp' '*.h'; git ls-files --others --exclude-standard -- '*.cpp' '*.h'; } | sort -u)
  want=()
  for f in "${files[@]}"; do
    case "$f" in
      *.h) mapfile -t -O "${#want[@]}" want < <(git grep -l -F "/$(basename "$f")\"" -- '*.cpp'; git grep -l -F "\"$(basename "$f")\"" -- '*.cpp') ;;
      *) want+=("$f") ;;
    esac
  done
  mapfile -t units < <(printf '%s\n' "${units[@]}" | grep -x -F -f <(printf '%s\n' "${want[@]}" | sort -u) || true)
  if [ ${#units[@]} -eq 0 ]; then
    echo "check-tidy: no changed sources since $base"
    exit 0
  fi
fi

if [ ${#paths[@]} -gt 0 ]; then
  mapfile -t units < <(for u in "${units[@]}"; do
    for p in "${paths[@]}"; do
      case "$u" in "$p" | "$p"/*) echo "$u" && break ;; esac
    done
  done)
  if [ ${#units[@]} -eq 0 ]; then
    echo "check-tidy: no sources in ${paths[*]}" >&2
    exit 2
  fi
fi

# The sources AUTOMOC generates that the tests include ("tst_x.moc"): the *_autogen targets
# (after a build, as in CI, they are up to date and cost nothing). Only the tests include them.
if grep -q '^tests/' <<<"$(printf '%s\n' "${units[@]}")"; then
  mapfile -t autogen < <(ninja -C "$build" -t targets all | sed -n 's/^\([^:]*_autogen\): .*/\1/p' | sort -u)
  if [ ${#autogen[@]} -gt 0 ]; then
    cmake --build "$build" --target "${autogen[@]}" >/dev/null
  fi
fi

args=(-clang-tidy-binary "$tidy" -p "$build" -quiet -j "$(nproc)"
  # The database is g++'s: clang does not know some of its options; -Werror is for the compiler run.
  -extra-arg=-Wno-unknown-warning-option -extra-arg=-Wno-error)
if [ "$fix" = 1 ]; then
  apply=$(command -v clang-apply-replacements-14 || true)
  if [ -z "$apply" ]; then
    echo "check-tidy: --fix needs clang-apply-replacements-14 (clang-tools-14; scripts/setup.sh installs it)" >&2
    exit 1
  fi
  args+=(-fix -clang-apply-replacements-binary "$apply")
fi
# run-clang-tidy takes regexes: anchor each file to the source tree.
mapfile -t regexes < <(printf '%s\n' "${units[@]}" | sed 's/[.+]/\\&/g; s|^|^'"$root"'/|; s/$/$/')

log=$(mktemp)
trap 'rm -f "$log"' EXIT
rc=0
"$runner" "${args[@]}" "${regexes[@]}" >"$log" 2>&1 || rc=$?

# Findings as file:line: check (a header's finding appears once per unit including it: once here).
# (run-clang-tidy-14 always asks for colour: the escapes go first.)
mapfile -t findings < <(sed 's/\x1b\[[0-9;]*m//g' "$log" | sed -n -E 's#^'"$root"'/([^:]*:[0-9]+:[0-9]+: (warning|error): .*)$#\1#p' | sort -u)
if [ ${#findings[@]} -gt 0 ]; then
  printf '%s\n' "${findings[@]}"
  echo "check-tidy: ${#findings[@]} findings in ${#units[@]} sources (scripts/check-tidy.sh --fix applies the fix-its)" >&2
  exit 1
fi
if [ "$rc" -ne 0 ]; then
  # clang-tidy failed without a finding in our files (e.g. a source that does not compile).
  grep -v '^clang-tidy\|^[0-9]* warnings\? generated\|^Suppressed\|^Use -header-filter' "$log" | head -50 >&2
  echo "check-tidy: run-clang-tidy failed (exit $rc)" >&2
  exit 1
fi
echo "check-tidy: ${#units[@]} sources clean"
