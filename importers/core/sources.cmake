# Format-neutral pieces: records, byte sources, time handling, detection, archives, the engine.
list(APPEND TT_IMPORTER_SOURCES
  core/RawEvent.h core/ByteSource.h core/RecordSink.h core/FormatParser.h
  core/FileSource.h core/FileSource.cpp
  core/TimeUtil.h core/TimeUtil.cpp
)
