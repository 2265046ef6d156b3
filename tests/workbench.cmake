# The workbench: timeline maths, queries and views (offscreen), over cases built by the import engine.
tt_add_test(tst_time_scale SOURCES workbench/tst_time_scale.cpp LIBS tt_views tt_importers)
tt_add_test(tst_timeline_query SOURCES workbench/tst_timeline_query.cpp workbench/TimelineCase.cpp
            LIBS tt_views tt_importers)
# Issue 12 item 5: event counts kept at import (schema 12) and the timeline density read from them.
tt_add_test(tst_event_density SOURCES workbench/tst_event_density.cpp LIBS tt_models tt_importers tt_generator)
tt_add_test(tst_timeline_view SOURCES workbench/tst_timeline_view.cpp workbench/TimelineCase.cpp
            LIBS tt_views tt_importers)
# Issue 12 item 5: hosts grouped by /24 or domain, edges merged, expand / collapse.
tt_add_test(tst_graph_aggregation SOURCES graph/tst_graph_aggregation.cpp LIBS tt_models)
# Issue 14 item 5: deployment pushes folded into fans (one node, one edge), attacker transfers never folded.
tt_add_test(tst_deployment_fans SOURCES graph/tst_deployment_fans.cpp LIBS tt_models)
