# macOS telemetry: eslogger (Endpoint Security) NDJSON, unified log NDJSON exports, normalisation.
list(APPEND TT_IMPORTER_SOURCES
  macos/MacLogParsers.h macos/MacLogParsers.cpp
  macos/MacNormalizer.h macos/MacNormalizer.cpp
)
