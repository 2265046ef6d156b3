# Widget tests (offscreen): the workbench window over cases built by the import engine.
tt_add_test(tst_case_overview_dock SOURCES views/tst_case_overview_dock.cpp core/EngineFixtures.cpp LIBS tt_views tt_importers)
tt_add_test(tst_workbench_import SOURCES views/tst_workbench_import.cpp core/EngineFixtures.cpp LIBS tt_views tt_importers tt_inference)
# The event browser: keyset pages, filters, full-text search (hostile input), the time-window pivot,
# a v4 case migrated and indexed, a superseded search cancelled.
tt_add_test(tst_event_browser SOURCES views/tst_event_browser.cpp LIBS tt_views)
# Issue 11 item 1: the transfers table (a generated intrusion and 5 000 synthetic transfers).
tt_add_test(tst_transfers_dock SOURCES views/tst_transfers_dock.cpp views/TransferTableCase.h views/TransferTableCase.cpp
  app/CaseBuilder.h app/CaseBuilder.cpp LIBS tt_views tt_importers tt_inference tt_generator)
# Issue 12 item 5: a superseded workbench query is interrupted and the newer result shows.
tt_add_test(tst_query_cancel SOURCES views/tst_query_cancel.cpp LIBS tt_views)
