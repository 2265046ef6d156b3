# Tests of the evtx parser: tt_add_test(NAME SOURCES ... LIBS tt_importers)
