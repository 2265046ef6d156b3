#!/usr/bin/env bash
# Scale benchmark (issue 12 items 3 and 6): builds a case through the stream, as a big recording
# arrives, and measures each step in its own process:
#   transfertrace gen --stdout --events N --hosts H | (bytes counted on the pipe) | transfertrace import CASE - --no-infer
#   transfertrace infer CASE
#   bench_gui --case CASE            (workbench open / pivot / brush / layout; skipped with --no-gui
#                                     or when build/.../bench/bench_gui is not built)
# and prints one block of results (events/s, case bytes / input bytes, inference s and peak MiB,
# the workbench lines) with `uptime` before and after each step: the machine is shared.
#
# usage: bench/stream_scale.sh [--events N] [--hosts H] [--seed S] [--workdir DIR] [--build DIR]
#                              [--keep] [--no-gui] [--server URL | --pg-dir DIR] [--chunk-events N]
#   --chunk-events N  the stream is imported as consecutive sources of N lines each (`split -l N
#                  --filter`: one `import CASE -` per chunk, one transaction each, no file staged).
#                  One transaction holds every page it writes in the WAL until it commits, so a
#                  single 100 M-event stream needs about twice the case's size free on disk; chunks
#                  need the case plus one chunk's WAL. The first chunk builds its indexes in bulk,
#                  later ones (small beside the case) insert into live indexes.
#   --server URL   the case is a server case at URL (postgresql://...?case=NAME, which must not
#                  exist yet); it is dropped at the end unless --keep. Case bytes = the server's
#                  pg_total_relation_size of the case's tables (its schema).
#   --pg-dir DIR   start a throw-away PostgreSQL in DIR (made, must not exist; like
#                  scripts/pg-test-server.sh: unix socket only, as nobody when root, server
#                  defaults but max_wal_size=4GB), use case `scale` on it, stop and remove it at
#                  the end (kept with --keep). The data directory's size is printed too.
#   1 M:   bench/stream_scale.sh --events 1000000 --hosts 250
#   5 M:   bench/stream_scale.sh --events 5000000 --hosts 1000
#   10 M:  bench/stream_scale.sh --events 10000000 --hosts 1000
#   100 M: bench/stream_scale.sh --events 100000000 --hosts 1000 --chunk-events 10000000
#          (~140 GB through the pipe, a ~38 GB case at 0.27x: that plus ~4 GB of WAL free in --workdir)
# The case is deleted at the end unless --keep. Input bytes = what gen writes, counted on the pipe
# (the generated lines are never stored). Peak MiB = maximum resident set of that process
# (/usr/bin/time %M).
set -euo pipefail

events=1000000
hosts=250
seed=7
workdir=
build=
keep=0
gui=1
server=
pgdir=
chunk=0
while [[ $# -gt 0 ]]; do
    case "$1" in
    --events) events=$2; shift 2 ;;
    --hosts) hosts=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --workdir) workdir=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --no-gui) gui=0; shift ;;
    --server) server=$2; shift 2 ;;
    --pg-dir) pgdir=$2; shift 2 ;;
    --chunk-events) chunk=$2; shift 2 ;;
    -h | --help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "stream_scale.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
src=$(cd "$(dirname "$0")/.." && pwd)
[[ -n "$build" ]] || build="$src/build/ci"
tt="$build/app/transfertrace"
[[ -x "$tt" ]] || { echo "stream_scale.sh: $tt not built (cmake --build --preset ci --target transfertrace)" >&2; exit 2; }
# Never inside the checkout (bench/WorkDir.h's rule): default beside it.
[[ -n "$workdir" ]] || workdir="$(dirname "$src")/tt-bench-work"
mkdir -p "$workdir"
run=$(mktemp -d "$workdir/stream.XXXXXX")
case="$run/scale.ttcase"
pgbin=$(pg_config --bindir 2>/dev/null || true)
[[ -x "$pgbin/initdb" ]] || pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_server() { if [[ $(id -u) == 0 ]]; then setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups -- "$@"; else "$@"; fi; }
if [[ -n "$pgdir" ]]; then
    [[ -e "$pgdir" ]] && { echo "stream_scale.sh: --pg-dir $pgdir exists" >&2; exit 2; }
    mkdir -p "$pgdir"
    pgdir=$(cd "$pgdir" && pwd)
    [[ $(id -u) == 0 ]] && chown nobody:"$(id -gn nobody)" "$pgdir"
    (cd "$pgdir" && as_server "$pgbin/initdb" -D "$pgdir/data" -U tt --auth=trust -E UTF8 --no-locale >/dev/null)
    as_server "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -s \
        -o "-c listen_addresses='' -c unix_socket_directories='$pgdir' -c max_wal_size=4GB" start
    server="postgresql://tt@/postgres?case=scale&host=$pgdir"
fi
psql_case() { # SQL on the server of $server (tt, socket directory from the URL's host=)
    local host=${server##*host=}; host=${host%%&*}
    "$pgbin/psql" -X -q -t -A -h "$host" -U tt postgres -c "$1"
}
[[ -n "$server" ]] && case=$server
cleanup() {
    if [[ -n "$server" && $keep != 1 ]]; then
        local name=${server##*case=}; name=${name%%&*}
        [[ -z "$pgdir" ]] && psql_case "DROP SCHEMA IF EXISTS tt_$name CASCADE" >/dev/null 2>&1
    fi
    if [[ -n "$pgdir" && $keep != 1 ]]; then
        as_server "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -s stop || true
        rm -rf "$pgdir"
    fi
    [[ $keep == 1 ]] || rm -rf "$run"
}
trap cleanup EXIT

load() { uptime | sed 's/.*load average: /load /'; }
echo "stream_scale: $events events, $hosts hosts, seed $seed; $(nproc) cores; $(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "case: $case"

# 1. import through the pipe; bytes counted by wc on a tee branch
echo "import  start: $(load)"
set +e
t0=$(date +%s.%N)
if [[ $chunk -gt 0 ]]; then
    # One import per chunk: its /usr/bin/time line and its JSON summary appended in order.
    export tt case run
    "$tt" gen --stdout --events "$events" --hosts "$hosts" --seed "$seed" 2>"$run/gen.err" \
        | tee >(wc -c >"$run/bytes") \
        | split -l "$chunk" --filter='/usr/bin/time -a -f "%e %M %U %S" -o "$run/import.times" "$tt" import "$case" - --no-infer --quiet --json >>"$run/import.json" 2>>"$run/import.err"' -
    rcs=("${PIPESTATUS[@]}")
    t1=$(date +%s.%N)
    # wall = the whole stream; peak = the largest chunk's; CPU = the sum
    awk -v w="$(awk "BEGIN { print $t1 - $t0 }")" '{ if ($2 > m) m = $2; u += $3; s += $4 } END { printf "%.2f %d %.2f %.2f\n", w, m, u, s }' \
        "$run/import.times" >"$run/import.time"
else
    "$tt" gen --stdout --events "$events" --hosts "$hosts" --seed "$seed" 2>"$run/gen.err" \
        | tee >(wc -c >"$run/bytes") \
        | /usr/bin/time -f '%e %M %U %S' -o "$run/import.time" "$tt" import "$case" - --no-infer --quiet --json \
            >"$run/import.json" 2>"$run/import.err"
    rcs=("${PIPESTATUS[@]}")
fi
set -e
sleep 1 # the tee branch's wc finishing
echo "import  end:   $(load)"
if [[ ${rcs[0]} != 0 || ${rcs[2]} != 0 ]]; then
    echo "stream_scale: gen exit ${rcs[0]}, import exit ${rcs[2]}" >&2
    cat "$run/gen.err" "$run/import.err" >&2
    exit 1
fi
read -r iwall ipeak iuser isys <"$run/import.time"
inbytes=$(cat "$run/bytes")
if [[ -n "$server" ]]; then
    name=${server##*case=}; name=${name%%&*}
    casebytes=$(psql_case "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'tt_$name' AND c.relkind IN ('r', 'm')")
    walbytes=0
    echo "server: $(psql_case "SELECT count(*) FROM pg_inherits WHERE inhparent = 'tt_$name.events'::regclass") events partitions; $([[ -n "$pgdir" ]] && du -sb "$pgdir/data" | awk '{printf "data directory %.0f MiB", $1 / 1048576}')"
else
    casebytes=$(stat -c %s "$case")
    walbytes=$(stat -c %s "$case-wal" 2>/dev/null || echo 0)
fi
python3 - "$run/import.json" "$events" "$inbytes" "$casebytes" "$walbytes" "$iwall" "$ipeak" "$iuser" "$isys" <<'EOF'
import json, sys
text, docs, at = open(sys.argv[1]).read(), [], 0
dec = json.JSONDecoder()
while True:  # one summary per import (several with --chunk-events)
    while at < len(text) and text[at].isspace():
        at += 1
    if at >= len(text):
        break
    doc, at = dec.raw_decode(text, at)
    docs.append(doc)
events, inb, caseb, walb = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
wall, peak, user, sys_ = float(sys.argv[6]), int(sys.argv[7]), float(sys.argv[8]), float(sys.argv[9])
stored = sum(j["stored"] if "stored" in j else sum(f.get("stored", 0) for f in j.get("files", [])) for j in docs)
secs = sum(j["seconds"] for j in docs)
index = [j["index_seconds"] for j in docs if j.get("bulk_indexes")]
chunks = f", {len(docs)} imports of the stream's chunks" if len(docs) > 1 else ""
print(f"import: {stored} events stored of {events} in {secs:.1f} s = {stored / secs:,.0f} events/s "
      f"(process wall {wall:.1f} s, CPU {user:.1f}+{sys_:.1f} s, peak {peak / 1024:.0f} MiB{chunks}); "
      f"index rebuild {' + '.join(f'{x:.1f}' for x in index) if index else 'none (live indexes)'}")
print(f"bytes: input {inb / 2**20:,.0f} MiB on the pipe, case {caseb / 2**20:,.0f} MiB "
      f"(+ wal {walb / 2**20:,.0f} MiB) = {(caseb + walb) / inb:.3f}x input")
EOF

# 2. inference, its own process
echo "infer   start: $(load)"
/usr/bin/time -f '%e %M %U %S' -o "$run/infer.time" "$tt" infer "$case" >"$run/infer.out" 2>"$run/infer.err" \
    || { echo "stream_scale: infer failed" >&2; cat "$run/infer.err" >&2; exit 1; }
echo "infer   end:   $(load)"
read -r fwall fpeak fuser fsys <"$run/infer.time"
echo "infer: $fwall s wall (CPU $fuser+$fsys s), peak $((fpeak / 1024)) MiB: $(cat "$run/infer.out")"

# 3. the workbench on that case
gb="$build/bench/bench_gui"
if [[ $gui == 1 && -x "$gb" ]]; then
    echo "gui     start: $(load)"
    QT_QPA_PLATFORM=offscreen /usr/bin/time -f '%e %M' -o "$run/gui.time" "$gb" --case "$case" --workdir "$run" \
        >"$run/gui.out" 2>"$run/gui.err" || echo "stream_scale: bench_gui failed (exit $?): $(tail -3 "$run/gui.err")"
    echo "gui     end:   $(load)"
    cat "$run/gui.out"
    read -r gwall gpeak < <(tail -1 "$run/gui.time") || true # after "Command terminated ..." if it crashed
    [[ "$gpeak" =~ ^[0-9]+$ ]] || gpeak=0
    echo "bench_gui process: ${gwall:-?} s wall, peak $((${gpeak:-0} / 1024)) MiB"
else
    echo "gui: not run ($([[ $gui == 0 ]] && echo '--no-gui' || echo "$gb not built"))"
fi
