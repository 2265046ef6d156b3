# Sources of the evtx parser, relative to importers/.
list(APPEND TT_IMPORTER_SOURCES
  evtx/Utf16.h evtx/Utf16.cpp
  evtx/BinXmlValue.h evtx/BinXmlValue.cpp
  evtx/BinXmlTemplate.h
  evtx/BinXmlReader.h evtx/BinXmlReader.cpp
  evtx/EvtxEventBuilder.h evtx/EvtxEventBuilder.cpp
  evtx/EvtxChunkResult.h
  evtx/EvtxChunk.h evtx/EvtxChunk.cpp
  evtx/EvtxChunkWorker.h evtx/EvtxChunkWorker.cpp
  evtx/EvtxParser.h evtx/EvtxParser.cpp
)
