# Widget tests (offscreen): the workbench window over cases built by the import engine.
tt_add_test(tst_case_window SOURCES views/tst_case_window.cpp core/EngineFixtures.cpp LIBS tt_views tt_importers)
