# Format-neutral pieces: records, byte sources, time handling, detection, archives, the engine.
list(APPEND TT_IMPORTER_SOURCES
  core/RawEvent.h core/ByteSource.h core/RecordSink.h core/FormatParser.h
  core/FileSource.h core/FileSource.cpp
  core/StreamAdapters.h core/StreamAdapters.cpp
  core/Sha256.h core/Sha256.cpp
  core/TimeUtil.h core/TimeUtil.cpp
  core/Integer.h core/Integer.cpp
  core/Utf8.h core/Utf8.cpp
  core/JsonText.h core/JsonText.cpp
  core/LineReader.h core/LineReader.cpp
  core/FormatDetector.h core/FormatDetector.cpp
  core/ArchiveReader.h core/ArchiveReader.cpp
  core/Normalizer.h core/Normalizer.cpp
  core/ParsePipeline.h core/ParsePipeline.cpp
  core/ReadAhead.h core/ReadAhead.cpp
  core/ParserRegistry.h core/ParserRegistry.cpp
  core/ImportEngine.h core/ImportEngine.cpp
)
