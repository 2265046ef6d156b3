# Widget tests (offscreen): the workbench window over cases built by the import engine.
tt_add_test(tst_case_overview_dock SOURCES views/tst_case_overview_dock.cpp core/EngineFixtures.cpp LIBS tt_views tt_importers)
tt_add_test(tst_workbench_import SOURCES views/tst_workbench_import.cpp core/EngineFixtures.cpp LIBS tt_views tt_importers tt_inference)
