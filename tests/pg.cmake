# PostgreSQL (issue 13): every test starts its own throw-away server (tests/pg/PgTestCluster.h:
# initdb + pg_ctl under /tmp, unix socket only, as `nobody` when root) and removes it; none needs
# a server that was running before, so none is ever skipped.
# Case locations: parsing, libpq parameters, redaction; no password in any error (with a server).
tt_add_test(tst_case_location SOURCES pg/tst_case_location.cpp LIBS tt_store)
# sql::PgDb / PgStmt (the statement API of Sqlite.h) and the case schema on PostgreSQL, checked
# column for column against the SQLite schema.
tt_add_test(tst_pg_store SOURCES pg/tst_pg_store.cpp LIBS tt_store)
# Issue 13 item 5: store::copyCase file -> server -> file on an annotated generated case (identical
# tables, rows and checksums), refusals and failures leaving nothing behind; the same round trip on
# a case of corpus recordings (skipped when ../shared/corpus is absent).
tt_add_test(tst_case_copy SOURCES pg/tst_case_copy.cpp LIBS tt_importers tt_inference tt_generator tt_store)
tt_add_test(tst_case_copy_corpus SOURCES pg/tst_case_copy.cpp LIBS tt_importers tt_inference tt_store tt_generator)
target_compile_definitions(tst_case_copy_corpus PRIVATE TT_COPY_CORPUS)
# Issue 13 item 4: viewer / analyst grants, pgCaseAccess, 42501 said clearly; the `server` and
# `copy` commands: exit codes, no password in any output, SIGINT leaves nothing half-written.
tt_add_test(tst_pg_roles SOURCES pg/tst_pg_roles.cpp LIBS tt_importers tt_inference tt_generator tt_store)
add_dependencies(tst_pg_roles transfertrace)
# Change notifications of server cases (issue 13 item 3): the triggers and store::CaseChangeListener.
# libpq directly too: the test reads the raw payloads the triggers send.
if(NOT TARGET PkgConfig::PQ)
  pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)
endif()
tt_add_test(tst_pg_notify SOURCES pg/tst_pg_notify.cpp LIBS tt_store PkgConfig::PQ)
# The proof of issue 13 item 2: the fixtures (and a few corpus recordings when present) imported
# into a case file and a server case give the same tables and the same command outputs; every
# command on a postgresql:// location, no password in any output, a server that is not there.
tt_add_test(tst_pg_case SOURCES pg/tst_pg_case.cpp LIBS tt_importers tt_inference tt_store TIMEOUT 300)
add_dependencies(tst_pg_case transfertrace)
# Issue 13 item 6: events partitioned by month with BRIN on ts; the workbench's queries (time brush,
# account pivot, event browser pages, transfers table) captured on a server case and EXPLAINed:
# partitions pruned, index access, no sequential scan of a month (plan node kinds, not costs).
tt_add_test(tst_pg_plans SOURCES pg/tst_pg_plans.cpp LIBS tt_models tt_store PkgConfig::PQ TIMEOUT 600)
add_dependencies(tst_pg_plans transfertrace)
# Several analysts at once (issue 13 item 3): edit conflicts keep both sides (compare-and-set,
# merge, conflict copies; a case file and a server case), two `transfertrace import` processes at
# once equal a serial import, the same files raced are stored once.
tt_add_test(tst_pg_concurrent SOURCES pg/tst_pg_concurrent.cpp LIBS tt_store TIMEOUT 600)
add_dependencies(tst_pg_concurrent transfertrace)
# The workbench half, offscreen: two workbench processes on one server case (this test drives one,
# tt_live_probe is the other) see each other's notes and another process's import without
# reopening; a stale edit becomes a conflict copy; closing stops the listener.
add_executable(tt_live_probe pg/tt_live_probe.cpp)
target_link_libraries(tt_live_probe PRIVATE tt_views)
tt_add_test(tst_pg_workbench_live SOURCES pg/tst_pg_workbench_live.cpp LIBS tt_views TIMEOUT 600)
target_compile_definitions(tst_pg_workbench_live PRIVATE TT_LIVE_PROBE="$<TARGET_FILE:tt_live_probe>")
add_dependencies(tst_pg_workbench_live transfertrace tt_live_probe)
# The writer's COPY buffers on a server case (processes, logons, file events, connections, shares,
# services, DNS, explicit logons; ends / marks of rows still buffered, sent, or of an earlier file;
# texts needing COPY escapes; a rolled-back file): the same rows, ids included, as a case file.
tt_add_test(tst_pg_writer SOURCES pg/tst_pg_writer.cpp LIBS tt_store)
# An older server case (schema 9 or 10) upgraded on a writable open, in one transaction: rows kept,
# the same schema as a new case, imports work; newer / read-only / another session refused.
tt_add_test(tst_pg_upgrade SOURCES pg/tst_pg_upgrade.cpp LIBS tt_store)
