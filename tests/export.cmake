# Exports and the report: text escaping and DOT on hostile input (library), snapshots
# and the report from offscreen scenes over a case with planted hostile strings.
tt_add_test(tst_export_formats SOURCES export/tst_export_formats.cpp LIBS tt_graph_export)
tt_add_test(tst_graph_export SOURCES export/tst_graph_export.cpp app/CaseBuilder.h app/CaseBuilder.cpp
  app/HostileCase.h app/HostileCase.cpp LIBS tt_views tt_importers tt_inference tt_generator Qt6::Svg)
