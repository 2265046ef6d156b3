# Zeek logs (importers/zeek) and network-observed transfers (graph/inference NetworkTransferRule).
tt_add_test(tst_zeek_parser SOURCES zeek/tst_zeek_parser.cpp LIBS tt_inference tt_importers)
tt_add_test(tst_zeek_corpus SOURCES zeek/tst_zeek_corpus.cpp LIBS tt_inference tt_importers TIMEOUT 900)
