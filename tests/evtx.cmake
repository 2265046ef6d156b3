# Tests of the EVTX parser: synthetic files from EvtxTestWriter (no third-party EVTX in the repo)
# and, when ../shared/corpus is present, every corpus file against the reference counts.
tt_add_test(tst_evtx_parser
  SOURCES evtx/tst_evtx_parser.cpp evtx/EvtxTestWriter.h evtx/EvtxTestWriter.cpp
  LIBS tt_importers ZLIB::ZLIB)
tt_add_test(tst_evtx_corpus
  SOURCES evtx/tst_evtx_corpus.cpp
  LIBS tt_importers)
