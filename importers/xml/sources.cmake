# Sources of the xml parser, relative to importers/.
list(APPEND TT_IMPORTER_SOURCES
  xml/WinXmlParser.h xml/WinXmlParser.cpp
)
