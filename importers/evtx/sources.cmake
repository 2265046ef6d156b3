# Sources of the evtx parser, relative to importers/.
list(APPEND TT_IMPORTER_SOURCES)
