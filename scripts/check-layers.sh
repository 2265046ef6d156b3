#!/usr/bin/env bash
# The layering rules the link graph alone cannot enforce (issue 13 item 1, STYLE.md "tiers"):
#  1. SQL and the raw connection stay behind the store: outside models/store and models/query
#     (tests/, bench/ and build folders excluded) no source file holds SQL statement text,
#     includes store/Sqlite.h, names sql::Db / sql::Stmt / sql::Transaction / sql::WalCheckpointer
#     or calls .db() / ->db() (a CaseStore's or a CaseWriter's connection).
#  2. Among models/, graph/, importers/ and views/, only views/ has targets linking Qt Widgets,
#     directly or through another target of the tree (read from the CMake files, no configure
#     needed; a link list this script cannot read, such as a ${VARIABLE}, is a failure).
# Each violation is printed as FILE:LINE: what; exit 1 when there is one, 0 otherwise.
# Exceptions live in scripts/layering-allow.txt (see there); an entry that matches nothing is a
# failure too, so the list only shrinks.
#
# usage: scripts/check-layers.sh [ROOT]   (ROOT: the source tree, default the one holding this script)
#        TT_LAYERING_ALLOW=FILE overrides the allow-list (an empty FILE: no exceptions)
set -u

root=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
allow=${TT_LAYERING_ALLOW:-$root/scripts/layering-allow.txt}
cd "$root" || {
    echo "check-layers: no such folder: $root" >&2
    exit 2
}

# --- 1. SQL outside the store ---------------------------------------------------------------

# One awk pass over the sources. SQL: statement text in a string literal (keywords in capitals, as
# the tree writes SQL) or the SQLite catalogue. Whole-line comments are prose and may name what they
# describe. (mawk has no \b: word boundaries are spelled out.)
hits=$(find . \( -path ./.git -o -path ./tests -o -path ./bench -o -path './build*' -o -path ./models/store \
    -o -path ./models/query \) -prune -o -type f \( -name '*.cpp' -o -name '*.h' \) -print | sort \
    | tr '\n' '\0' | xargs -0 -r awk '
    FNR == 1 { file = FILENAME; sub(/^\.\//, "", file) }
    {
        code = $0; sub(/^[ \t]+/, "", code)
        if (code ~ /^(\/\/|\*|\/\*)/) next
        what = ""
        if (code ~ /"(([^"\\]|\\.)*[^A-Za-z0-9_"\\])?(SELECT|INSERT( OR [A-Z]+)? INTO|UPDATE [A-Za-z_]+ SET|DELETE FROM|REPLACE INTO|CREATE (TEMP |TEMPORARY |UNIQUE |VIRTUAL )?(TABLE|INDEX|VIEW|TRIGGER)|DROP (TABLE|INDEX|VIEW|TRIGGER)|ALTER TABLE|PRAGMA|VACUUM|ATTACH DATABASE|WITH RECURSIVE)([^A-Za-z0-9_]|$)/ \
            || code ~ /"([^"\\]|\\.)*sqlite_(master|schema)/)
            what = what ", SQL text"
        if (code ~ /^#[ \t]*include[ \t]*[<"]store\/Sqlite\.h[">]/)
            what = what ", includes store/Sqlite.h"
        if (match(code, /sql::(Db|Stmt|Transaction|WalCheckpointer)([^A-Za-z0-9_]|$)/)) {
            t = substr(code, RSTART, RLENGTH); sub(/[^A-Za-z0-9_:]$/, "", t)
            what = what ", " t
        }
        if (code ~ /(\.|->)db\(\)/)
            what = what ", raw connection (.db())"
        if (what != "")
            print file ":" FNR ": " substr(what, 3) ": " substr(code, 1, 160)
    }')
violations=()
while IFS= read -r v; do
    [ -n "$v" ] && violations+=("$v")
done <<<"$hits"

# --- 2. Qt Widgets only in views/ -----------------------------------------------------------

# "target folder cmake-file line" for each add_library / add_executable, and "target dep" for each
# item of each target_link_libraries, over every CMake file of the tree (links cross folders).
cmake_files=$(find . \( -path ./.git -o -path './build*' \) -prune -o -type f \( -name CMakeLists.txt -o -name '*.cmake' \) -print | sort)
# shellcheck disable=SC2086
parsed=$(awk '
    function flush() {
        if (cmd == "") return
        gsub(/[()]/, " ", args); n = split(args, w, /[ \t]+/); t = ""
        for (i = 1; i <= n; i++) {
            if (w[i] == "") continue
            if (t == "") { t = w[i]; if (cmd != "target_link_libraries") { print "T", t, dir, file, line; break } continue }
            if (w[i] ~ /^(PUBLIC|PRIVATE|INTERFACE|LINK_PUBLIC|LINK_PRIVATE)$/) continue
            print "L", t, w[i], file, line
        }
        cmd = ""
    }
    FNR == 1 { flush(); file = FILENAME; sub(/^\.\//, "", file); dir = file; sub(/\/.*/, "", dir); if (dir == file) dir = "." }
    {
        s = $0; sub(/#.*/, "", s)
        if (cmd != "") { args = args " " s; if (s ~ /\)/) flush(); next }
        if (match(s, /^[ \t]*(add_library|add_executable|target_link_libraries)[ \t]*\(/)) {
            cmd = s; sub(/^[ \t]*/, "", cmd); sub(/[ \t]*\(.*/, "", cmd)
            args = s; sub(/^[^(]*\(/, "", args); line = FNR
            if (s ~ /\)/) flush()
        }
    }
    END { flush() }' $cmake_files)

declare -A folder_of where_of deps_of
while read -r kind a b c d; do
    if [ "$kind" = T ]; then
        folder_of[$a]=$b
        where_of[$a]="$c:$d"
    else
        deps_of[$a]+=" $b"
        [[ $b == *'${'* ]] && [[ ${folder_of[$a]:-} =~ ^(models|graph|importers|views)$ ]] \
            && violations+=("$c:$d: link list of $a not readable by this check ($b): spell the targets out")
    fi
done <<<"$parsed"

# Does target $1 reach Qt Widgets? Prints the chain ("tt_x -> tt_y -> Qt6::Widgets") when it does.
widgets_chain() {
    local t=$1 seen=$2 d chain
    for d in ${deps_of[$t]:-}; do
        if [[ $d =~ ^Qt[0-9]*::Widgets$ ]]; then
            echo "$t -> $d"
            return 0
        fi
        [[ -n ${folder_of[$d]:-} && " $seen " != *" $d "* ]] || continue
        if chain=$(widgets_chain "$d" "$seen $d"); then
            echo "$t -> $chain"
            return 0
        fi
    done
    return 1
}

for t in $(printf '%s\n' "${!folder_of[@]}" | sort); do
    case ${folder_of[$t]} in models | graph | importers) ;; *) continue ;; esac
    if chain=$(widgets_chain "$t" "$t"); then
        violations+=("${where_of[$t]}: ${folder_of[$t]}/ target links Qt Widgets, only views/ may: $chain")
    fi
done

# --- allow-list and report ------------------------------------------------------------------

# Entries: FILE (any violation in it) or FILE|TEXT (violations in FILE whose line contains TEXT).
entries=()
if [ -f "$allow" ]; then
    while IFS= read -r e; do
        e=${e%%#*}
        e=$(sed -E 's/[[:space:]]+$//' <<<"$e")
        [ -n "$e" ] && entries+=("$e")
    done <"$allow"
fi
declare -A used
failed=0
for v in "${violations[@]}"; do
    vf=${v%%:*}
    allowed=0
    for e in "${entries[@]}"; do
        ef=${e%%|*}
        [ "$ef" = "$vf" ] || continue
        if [[ $e == *'|'* ]]; then
            [[ $v == *"${e#*|}"* ]] || continue
        fi
        allowed=1
        used[$e]=1
    done
    if [ $allowed = 0 ]; then
        echo "$v"
        failed=1
    fi
done
for e in "${entries[@]}"; do
    if [ -z "${used[$e]:-}" ]; then
        echo "${allow#"$root"/}: stale entry (matches no violation any more, remove it): $e"
        failed=1
    fi
done
if [ $failed = 1 ]; then
    echo "check-layers: FAILED (SQL belongs in models/store or models/query; Widgets in views/)" >&2
    exit 1
fi
echo "check-layers: OK (${#violations[@]} allowed exception(s) in ${allow#"$root"/})"
