# Tests of the xml parser: tt_add_test(NAME SOURCES ... LIBS tt_importers)
tt_add_test(tst_xml_parser SOURCES xml/tst_xml_parser.cpp LIBS tt_importers)
