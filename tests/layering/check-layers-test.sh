#!/usr/bin/env bash
# Proves scripts/check-layers.sh catches what it is meant to: plants one violation at a time in a
# copy of the tree's sources (C++ and CMake files) and expects a failure naming that file:line; then
# checks what must stay allowed (comments, models/store, tests/) and the allow-list's rules.
# usage: check-layers-test.sh SOURCE_DIR
set -u
src=$(cd "${1:?usage: check-layers-test.sh SOURCE_DIR}" && pwd)
check="$src/scripts/check-layers.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# A copy of the sources the check reads, with the tree's own allow-list; fresh() puts back the
# files the previous case changed (each change goes through changing()).
mkdir -p "$work/tree"
(cd "$src" && find . \( -path ./.git -o -path './build*' \) -prune -o -type f \
    \( -name '*.cpp' -o -name '*.h' -o -name CMakeLists.txt -o -name '*.cmake' -o -name 'layering-allow.txt' \) \
    -print0 | xargs -0 cp --parents -t "$work/tree")
changed=()
changing() {
    changed+=("$1")
}
fresh() {
    local f
    for f in "${changed[@]}"; do
        cp "$src/$f" "$work/tree/$f"
    done
    changed=()
}

# Inserts TEXT as line N of FILE (relative to the copy).
plant() {
    changing "$1"
    sed -i "$2i\\$3" "$work/tree/$1"
}

# Runs the check on the copy. expect_caught WHAT WANT: exit 1 and an output line holding WANT;
# expect_clean WHAT: exit 0.
expect() {
    local what=$1 rc_wanted=$2 want=${3:-} out rc
    out=$(bash "$check" "$work/tree" 2>&1)
    rc=$?
    if [ $rc -ne "$rc_wanted" ]; then
        fail "$what: exit $rc, expected $rc_wanted:"$'\n'"$out"
    elif [ -n "$want" ] && ! grep -qF -- "$want" <<<"$out"; then
        fail "$what: no line '$want' in:"$'\n'"$out"
    else
        echo "ok: $what${want:+ -> $(grep -F -- "$want" <<<"$out" | head -1)}"
    fi
}
expect_caught() {
    expect "$1" 1 "$2"
}
expect_clean() {
    expect "$1" 0
}

fresh
expect_clean "the tree as it is"

plant views/NotesPanel.cpp 40 '    auto st = db.prepare("SELECT id FROM hosts WHERE name = ?");'
expect_caught "SQL in a view" "views/NotesPanel.cpp:40: SQL text"

fresh
plant importers/core/ImportEngine.cpp 3 '#include "store/Sqlite.h"'
expect_caught "store/Sqlite.h in an importer" "importers/core/ImportEngine.cpp:3: includes store/Sqlite.h"

fresh
plant app/InfoCommand.cpp 30 'static int64_t pages(store::CaseStore \&cs) { return cs.db().queryInt("PRAGMA page_count"); }'
expect_caught "PRAGMA through the raw connection in app/" \
    "app/InfoCommand.cpp:30: SQL text, raw connection (.db())"

fresh
plant models/workbench/FilterState.cpp 5 'void touch(tt::sql::Stmt \&st);'
expect_caught "sql::Stmt in models/workbench" "models/workbench/FilterState.cpp:5: sql::Stmt"

fresh
plant views/TimelineView.cpp 20 'auto w = [](auto \&store) { return store->db(); };'
expect_caught "->db() in a view" "views/TimelineView.cpp:20: raw connection (.db())"

fresh
plant app/DemoCommands.cpp 20 'static const char *kQ = "INSERT OR IGNORE INTO tags(name) VALUES(?)";'
expect_caught "INSERT OR IGNORE in app/" "app/DemoCommands.cpp:20: SQL text"

# An allow-list entry for one line does not cover another line of the same file.
fresh
plant app/ExportCommand.cpp 60 'static int64_t n(store::CaseStore \&cs) { return cs.db().queryInt("SELECT 1"); }'
expect_caught "a new line in a file with allowed lines" "app/ExportCommand.cpp:60: SQL text, raw connection (.db())"

# What stays allowed: comments, the store and query folders, tests and benchmarks.
fresh
plant views/NotesPanel.cpp 40 '    // the SELECT "SELECT id FROM hosts" used to live here, cs.db() too'
plant models/store/CaseStore.cpp 20 'static const char *kQ = "SELECT 1";'
plant models/query/GraphQuery.cpp 20 'static const char *kQ = "SELECT 1";'
plant tests/app/CaseBuilder.cpp 3 'static const char *kQ = "SELECT 1";'
expect_clean "comments, models/store, models/query and tests/"

# A stale allow-list entry fails (the list only shrinks).
fresh
changing scripts/layering-allow.txt
echo 'views/NotesPanel.cpp' >>"$work/tree/scripts/layering-allow.txt"
expect_caught "a stale allow-list entry" "stale entry (matches no violation any more, remove it): views/NotesPanel.cpp"

# Qt Widgets outside views/: directly, and through another target of the tree.
fresh
line=$(grep -n 'add_library(tt_importers' "$work/tree/importers/CMakeLists.txt" | cut -d: -f1)
changing importers/CMakeLists.txt
sed -i "s/PUBLIC tt_store Qt6::Core/PUBLIC tt_store Qt6::Core Qt6::Widgets/" "$work/tree/importers/CMakeLists.txt"
expect_caught "importers linking Qt6::Widgets" \
    "importers/CMakeLists.txt:$line: importers/ target links Qt Widgets, only views/ may: tt_importers -> Qt6::Widgets"
fresh
line=$(grep -n 'add_library(tt_models' "$work/tree/models/CMakeLists.txt" | cut -d: -f1)
changing models/CMakeLists.txt
sed -i 's/^target_link_libraries(tt_models PUBLIC tt_store Qt6::Gui/& tt_views/' \
    "$work/tree/models/CMakeLists.txt"
expect_caught "models linking the views (and so Widgets)" \
    "models/CMakeLists.txt:$line: models/ target links Qt Widgets, only views/ may: tt_models -> tt_views -> Qt6::Widgets"

if [ $failures -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
