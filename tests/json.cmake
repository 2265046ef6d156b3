# Tests of the json parser: tt_add_test(NAME SOURCES ... LIBS tt_importers)
