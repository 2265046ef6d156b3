# Sources of the timeline importers (EvtxECmd, Hayabusa), relative to importers/.
list(APPEND TT_IMPORTER_SOURCES
  timeline/CsvReader.h timeline/CsvReader.cpp
  timeline/HayabusaTables.h timeline/HayabusaTables.cpp
  timeline/TimelineParser.h timeline/TimelineParser.cpp
)
