# Process ancestry, events / evidence and event details (models, queries and docks) on a small
# case built through the import engine.
tt_add_test(tst_ancestry SOURCES ancestry/tst_ancestry.cpp LIBS tt_views tt_importers)
