# Sources of the Zeek parser and its normaliser, relative to importers/.
list(APPEND TT_IMPORTER_SOURCES
  zeek/ZeekParser.h zeek/ZeekParser.cpp
  zeek/ZeekNormalizer.h zeek/ZeekNormalizer.cpp
)
