# Tests of the json parser: tt_add_test(NAME SOURCES ... LIBS tt_importers)
tt_add_test(tst_json_parser SOURCES json/tst_json_parser.cpp LIBS tt_importers)
tt_add_test(tst_json_corpus SOURCES json/tst_json_corpus.cpp LIBS tt_importers)
