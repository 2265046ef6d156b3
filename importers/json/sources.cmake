# Sources of the json parser, relative to importers/.
list(APPEND TT_IMPORTER_SOURCES
  json/JsonLinesParser.h json/JsonLinesParser.cpp
)
