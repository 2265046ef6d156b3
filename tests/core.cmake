# Format-neutral pieces and the import engine.
tt_add_test(tst_timeutil SOURCES core/tst_timeutil.cpp LIBS tt_importers)
tt_add_test(tst_integer SOURCES core/tst_integer.cpp LIBS tt_importers)
tt_add_test(tst_utf8 SOURCES core/tst_utf8.cpp LIBS tt_importers)
tt_add_test(tst_line_reader SOURCES core/tst_line_reader.cpp LIBS tt_importers)
tt_add_test(tst_hostname SOURCES core/tst_hostname.cpp LIBS tt_importers)
tt_add_test(tst_import_engine SOURCES core/tst_import_engine.cpp core/EngineFixtures.cpp LIBS tt_importers LibArchive::LibArchive)
tt_add_test(tst_import_corpus SOURCES core/tst_import_corpus.cpp LIBS tt_importers TIMEOUT 900)
tt_add_test(tst_payload_codec SOURCES core/tst_payload_codec.cpp LIBS tt_store)
