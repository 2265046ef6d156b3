# The case store's annotation side: annotations, tags, bookmarks, saved views, case metadata, the
# session lock, Save As, migration of the v1 fixture (zlib unpacks it), a writer killed mid-edit.
tt_add_test(tst_case_store SOURCES store/tst_case_store.cpp LIBS tt_store ZLIB::ZLIB)
# `transfertrace notes` / `meta` / `info` on annotated and v1 cases (the real executable).
tt_add_test(tst_notes_cli SOURCES store/tst_notes_cli.cpp LIBS tt_store ZLIB::ZLIB)
add_dependencies(tst_notes_cli transfertrace)
# Records compressed in blocks (schema v6): block format, writer / reader byte-exact at every
# boundary, dictionaries, corrupt blocks, migration of the v5 fixture.
tt_add_test(tst_record_blocks SOURCES store/tst_record_blocks.cpp LIBS tt_store ZLIB::ZLIB)
# Imported files' records byte-exact from their blocks (fixtures, generated files; corpus EVTX).
tt_add_test(tst_record_import SOURCES store/tst_record_import.cpp LIBS tt_importers tt_generator)
tt_add_test(tst_record_corpus SOURCES store/tst_record_corpus.cpp LIBS tt_importers)
# Issue 13: the store's entry points for app/, views/ and importers/ (checkpoint, file size, counts,
# the item an annotation names), on a generated case.
tt_add_test(tst_store_entry_points SOURCES store/tst_store_entry_points.cpp app/CaseBuilder.h app/CaseBuilder.cpp
  LIBS tt_models tt_importers tt_inference tt_generator)
# Issue 12 item 5: the analyst's named host groups (schema 11): persisted, validated, edited, upgraded from 7.
tt_add_test(tst_host_groups SOURCES store/tst_host_groups.cpp LIBS tt_store)
# Issue 12 item 2, schema 15 (a compact case): hashes stored once and exact, the partial indexes still
# used, a version 9 case migrated to the same tables / indexes / records / transfers, deferred indexes renamed.
tt_add_test(tst_compact_case SOURCES store/tst_compact_case.cpp app/CaseBuilder.h app/CaseBuilder.cpp
  LIBS tt_models tt_importers tt_inference tt_generator)
