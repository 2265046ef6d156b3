# PostgreSQL (issue 13): every test starts its own throw-away server (tests/pg/PgTestCluster.h:
# initdb + pg_ctl under /tmp, unix socket only, as `nobody` when root) and removes it; none needs
# a server that was running before, so none is ever skipped.
# Case locations: parsing, libpq parameters, redaction; no password in any error (with a server).
tt_add_test(tst_case_location SOURCES pg/tst_case_location.cpp LIBS tt_store)
# sql::PgDb / PgStmt (the statement API of Sqlite.h) and the case schema on PostgreSQL, checked
# column for column against the SQLite schema.
tt_add_test(tst_pg_store SOURCES pg/tst_pg_store.cpp LIBS tt_store)
# Change notifications of server cases (issue 13 item 3): the triggers and store::CaseChangeListener.
# libpq directly too: the test reads the raw payloads the triggers send.
if(NOT TARGET PkgConfig::PQ)
  pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)
endif()
tt_add_test(tst_pg_notify SOURCES pg/tst_pg_notify.cpp LIBS tt_store PkgConfig::PQ)
