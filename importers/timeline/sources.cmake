# Sources of the timeline importers (EvtxECmd, Hayabusa), relative to importers/.
list(APPEND TT_IMPORTER_SOURCES
  timeline/TextReaders.h timeline/TextReaders.cpp
  timeline/HayabusaTables.h timeline/HayabusaTables.cpp
  timeline/TimelineParser.h timeline/TimelineParser.cpp
)
