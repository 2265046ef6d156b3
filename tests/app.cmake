# The workbench's graph and pivots, and the command line, on generated cases.
tt_add_test(tst_workbench_graph SOURCES app/tst_workbench_graph.cpp app/CaseBuilder.h app/CaseBuilder.cpp
  LIBS tt_views tt_app_import tt_importers tt_inference tt_generator)
tt_add_test(tst_cli SOURCES app/tst_cli.cpp app/CaseBuilder.h app/CaseBuilder.cpp app/HostileCase.h app/HostileCase.cpp
  LIBS tt_importers tt_inference tt_generator Qt6::Gui)
add_dependencies(tst_cli transfertrace)
tt_add_test(tst_annotations_gui SOURCES app/tst_annotations_gui.cpp app/CaseBuilder.h app/CaseBuilder.cpp
  LIBS tt_views tt_importers tt_inference tt_generator)
# Issue 15: the command line against hostile input and signals (the real executable).
tt_add_test(tst_cli_hardening SOURCES app/tst_cli_hardening.cpp LIBS tt_store)
add_dependencies(tst_cli_hardening transfertrace)
# Issue 11, item 5: chips, path combos, empty results, stale panels, Find Host, docks following the selection.
tt_add_test(tst_workbench_panels SOURCES app/tst_workbench_panels.cpp app/CaseBuilder.h app/CaseBuilder.cpp
  LIBS tt_views tt_importers tt_inference tt_generator)
# The workbench's importer (app/ImportRunner) and what the window shows of its summary.
tt_add_test(tst_import_runner SOURCES app/tst_import_runner.cpp LIBS tt_views tt_app_import tt_store)
# Issue 12 item 5: hidden docks idle, host groups in the graph (selection, expand, collapse).
tt_add_test(tst_workbench_scale SOURCES app/tst_workbench_scale.cpp app/CaseBuilder.h app/CaseBuilder.cpp
  LIBS tt_views tt_importers tt_inference tt_generator)
# Issue 12 item 5 (what was left): named host groups (Group as, undo, rename, delete, reopen), Find
# Host in a collapsed group, pivots on a grouped graph, far labels, `export graph --group`.
tt_add_test(tst_workbench_groups SOURCES app/tst_workbench_groups.cpp app/CaseBuilder.h app/CaseBuilder.cpp
  app/HostileCase.h app/HostileCase.cpp LIBS tt_views tt_importers tt_inference tt_generator)
add_dependencies(tst_workbench_groups transfertrace)
# Issue 14 item 5: deployment fans in the workbench (select, expand, collapse, toggle), `export graph`
# DOT / SVG with and without --no-fan, the report, and a `gen --deploy` case.
tt_add_test(tst_workbench_fans SOURCES app/tst_workbench_fans.cpp LIBS tt_views tt_store)
add_dependencies(tst_workbench_fans transfertrace)
