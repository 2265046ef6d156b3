#!/usr/bin/env bash
# Fuzzes the parsers and readers (issue 15): scripts/fuzz.sh [TARGET|all] [SECONDS]
# Builds the `fuzz` preset (clang-14, libFuzzer, ASan + UBSan), then runs each target for SECONDS
# (default 60) over its seeds (tests/fixtures/fuzz/seeds.txt, plus samples of ../shared/corpus
# when it is there), growing build/fuzz-corpus/<target> (kept between runs, not in git).
# Prints per target: executions, exec/s, corpus size, crashes. Exits 1 when a target crashed,
# leaving the reproducer in build/fuzz-crashes/<target>/ (path printed); feed it back with
#   build/fuzz/tests/fuzz_<target> <reproducer>
# and commit it under tests/fixtures/fuzz/<target>/regress-* with the fix (tst_fuzz_regressions).
# The lead's long run: scripts/fuzz.sh all 600   (TT_FUZZ_NO_BUILD=1: run what is built)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target=${1:-all}
seconds=${2:-60}
case $seconds in '' | *[!0-9]*) echo "fuzz: SECONDS must be a number, not '$seconds'" >&2; exit 2 ;; esac

seedlist=tests/fixtures/fuzz/seeds.txt
mapfile -t all_targets < <(awk '!/^#/ && NF >= 2 { print $1 }' "$seedlist" | awk '!seen[$0]++')
if [ "$target" = all ]; then
  targets=("${all_targets[@]}")
else
  if ! printf '%s\n' "${all_targets[@]}" | grep -x -- "$target" >/dev/null; then
    echo "fuzz: unknown target '$target'; one of: all ${all_targets[*]}" >&2
    exit 2
  fi
  targets=("$target")
fi

if [ -z "${TT_FUZZ_NO_BUILD:-}" ]; then # set it to run the executables already built
  ./scripts/setup.sh
  build_targets=()
  for t in "${targets[@]}"; do build_targets+=("fuzz_$t"); done
  ./scripts/build.sh fuzz "${build_targets[@]}"
fi

bin=build/fuzz/tests
corpus_src=${TT_CORPUS_DIR:-$root/../shared/corpus}
seeds_root=build/fuzz-seeds
rm -rf "$seeds_root"

dict_of() {
  case $1 in
    evtx | evtx_chunk | binxml) echo binxml ;;
    jsonl | journald | evtxecmd_json | hayabusa_jsonl | eslogger | unifiedlog) echo json ;;
    evtxecmd_csv | hayabusa_csv) echo csv ;;
    winxml | zeek | audit | syslog | archive | case_open) echo "$1" ;;
    esxi) echo syslog ;;
    detect) echo detect ;;
  esac
}
max_len_of() {
  case $1 in
    evtx) echo 131072 ;;
    evtx_chunk | binxml | archive | case_open | detect) echo 65536 ;;
    *) echo 16384 ;;
  esac
}

# Seeds from the fixtures listed in seeds.txt.
add_fixture_seeds() { # target dir
  local t=$1 dir=$2 rel pattern f
  while read -r name rel; do
    [ "$name" = "$t" ] || continue
    pattern=${rel##*/}
    for f in tests/fixtures/${rel%/*}/$pattern; do
      if [ -f "$f" ]; then cp "$f" "$dir/$(echo "${f#tests/fixtures/}" | tr / _)"; fi
    done
  done < <(awk '!/^#/ && NF >= 2' "$seedlist")
}

# Samples of the real corpus: small EVTX files, their first chunk and first record, the first
# lines of JSON and Zeek logs inside the corpus zips.
add_corpus_seeds() { # target dir
  local t=$1 dir=$2 f n=0 size member
  [ -d "$corpus_src" ] || return 0
  case $t in
    evtx | evtx_chunk | binxml)
      while IFS= read -r f; do
        n=$((n + 1))
        case $t in
          evtx) cp "$f" "$dir/corpus-$n.evtx" ;;
          evtx_chunk) dd if="$f" of="$dir/corpus-$n.chunk" bs=4096 skip=1 count=16 status=none ;;
          binxml)
            size=$(od -An -tu4 -j 4612 -N4 "$f" | tr -d ' ')
            if [ -n "$size" ] && [ "$size" -gt 24 ] && [ "$size" -le 65024 ]; then
              dd if="$f" of="$dir/corpus-$n.bin" iflag=skip_bytes,count_bytes skip=4608 count="$size" status=none
            fi
            ;;
        esac
      done < <(find "$corpus_src/evtx" -name '*.evtx' -size -128k 2>/dev/null | sort | head -n 24)
      ;;
    jsonl)
      while IFS= read -r f; do
        n=$((n + 1))
        { unzip -p "$f" 2>/dev/null || true; } | head -n 40 > "$dir/corpus-$n.json"
      done < <(find "$corpus_src/mordor" -name '*.zip' 2>/dev/null | sort | head -n 8)
      ;;
    zeek)
      while IFS= read -r f; do
        while IFS= read -r member; do
          n=$((n + 1))
          { unzip -p "$f" "$member" 2>/dev/null || true; } | head -n 30 > "$dir/corpus-$n.log"
        done < <(unzip -Z1 "$f" 2>/dev/null | grep -E '\.(log|json)$' | head -n 12)
      done < <(find "$corpus_src/zeek" -name '*.zip' 2>/dev/null | sort | head -n 2)
      ;;
  esac
}

for t in "${targets[@]}"; do
  mkdir -p "$seeds_root/$t" "build/fuzz-corpus/$t" "build/fuzz-crashes/$t"
  add_fixture_seeds "$t" "$seeds_root/$t"
  add_corpus_seeds "$t" "$seeds_root/$t"
done
if printf '%s\n' "${targets[@]}" | grep -x detect >/dev/null; then
  # The detector sees the heads of every other target's seeds.
  for t in "${all_targets[@]}"; do
    [ "$t" = detect ] && continue
    mkdir -p "$seeds_root/$t.tmp"
    add_fixture_seeds "$t" "$seeds_root/$t.tmp"
    add_corpus_seeds "$t" "$seeds_root/$t.tmp"
    for f in "$seeds_root/$t.tmp"/*; do
      if [ -f "$f" ]; then dd if="$f" of="$seeds_root/detect/$t-${f##*/}" bs=8192 count=1 status=none; fi
    done
    rm -rf "$seeds_root/$t.tmp"
  done
  cat tests/fuzz/dict/*.dict > "$seeds_root/detect.dict"
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
failed=()
summary=()
for t in "${targets[@]}"; do
  dict=$(dict_of "$t")
  if [ "$dict" = detect ]; then dict=$seeds_root/detect.dict; else dict=tests/fuzz/dict/$dict.dict; fi
  crashdir=build/fuzz-crashes/$t
  log=build/fuzz-crashes/$t.log
  before=$(find "$crashdir" -type f | wc -l)
  echo "fuzz: $t for ${seconds} s ($(find "$seeds_root/$t" -type f | wc -l) seeds, dictionary ${dict##*/})"
  rc=0
  "$bin/fuzz_$t" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=3072 -max_len="$(max_len_of "$t")" \
    -dict="$dict" -artifact_prefix="$crashdir/" -print_final_stats=1 \
    "build/fuzz-corpus/$t" "$seeds_root/$t" > "$log" 2>&1 || rc=$?
  runs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log" | tail -n 1)
  speed=$(awk '/stat::average_exec_per_sec/ { print $2 }' "$log" | tail -n 1)
  files=$(find "build/fuzz-corpus/$t" -type f | wc -l)
  bytes=$(du -sk "build/fuzz-corpus/$t" | cut -f1)
  crashes=$(( $(find "$crashdir" -type f | wc -l) - before ))
  line="$t: ${runs:-?} executions, ${speed:-?} exec/s, corpus ${files} files (${bytes} KiB), crashes ${crashes}"
  if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
    line="$line, FAILED (exit $rc)"
    failed+=("$t")
    grep -E '^==[0-9]+==ERROR|runtime error|SUMMARY|Test unit written|^#[0-9]+ .* in ' "$log" | head -n 20 || true
    find "$crashdir" -type f -newer "$seeds_root/$t" -printf 'fuzz: reproducer %p\n'
    echo "fuzz: full log $log"
  fi
  echo "fuzz: $line"
  summary+=("$line")
done

echo "fuzz: summary (${seconds} s per target)"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]}" >&2
  exit 1
fi
