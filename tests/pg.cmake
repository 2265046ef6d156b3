# PostgreSQL (issue 13): every test starts its own throw-away server (tests/pg/PgTestCluster.h:
# initdb + pg_ctl under /tmp, unix socket only, as `nobody` when root) and removes it; none needs
# a server that was running before, so none is ever skipped.
# Case locations: parsing, libpq parameters, redaction; no password in any error (with a server).
tt_add_test(tst_case_location SOURCES pg/tst_case_location.cpp LIBS tt_store)
# sql::PgDb / PgStmt (the statement API of Sqlite.h) and the case schema on PostgreSQL, checked
# column for column against the SQLite schema.
tt_add_test(tst_pg_store SOURCES pg/tst_pg_store.cpp LIBS tt_store)
# The proof of issue 13 item 2: the fixtures (and a few corpus recordings when present) imported
# into a case file and a server case give the same tables and the same command outputs; every
# command on a postgresql:// location, no password in any output, a server that is not there.
tt_add_test(tst_pg_case SOURCES pg/tst_pg_case.cpp LIBS tt_importers tt_inference tt_store TIMEOUT 300)
add_dependencies(tst_pg_case transfertrace)
