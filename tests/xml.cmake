# Tests of the xml parser: tt_add_test(NAME SOURCES ... LIBS tt_importers)
