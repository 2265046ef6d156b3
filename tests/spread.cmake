# Tool spread (issue 11, item 3): the query, the command line and the view, over SpreadCase.
tt_add_test(tst_spread_query SOURCES spread/tst_spread_query.cpp spread/SpreadCase.h spread/SpreadCase.cpp
  LIBS tt_models tt_importers)
tt_add_test(tst_spread_cli SOURCES spread/tst_spread_cli.cpp spread/SpreadCase.h spread/SpreadCase.cpp
  LIBS tt_models tt_importers tt_graph_export)
add_dependencies(tst_spread_cli transfertrace)
tt_add_test(tst_spread_view SOURCES spread/tst_spread_view.cpp spread/SpreadCase.h spread/SpreadCase.cpp
  LIBS tt_views tt_importers)
