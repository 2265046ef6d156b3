# The workbench: timeline maths, queries and views (offscreen), over cases built by the import engine.
tt_add_test(tst_time_scale SOURCES workbench/tst_time_scale.cpp LIBS tt_views tt_importers)
tt_add_test(tst_timeline_query SOURCES workbench/tst_timeline_query.cpp workbench/TimelineCase.cpp
            LIBS tt_views tt_importers)
tt_add_test(tst_timeline_view SOURCES workbench/tst_timeline_view.cpp workbench/TimelineCase.cpp
            LIBS tt_views tt_importers)
