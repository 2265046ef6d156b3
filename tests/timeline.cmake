# Timeline importers (EvtxECmd, Hayabusa): parsing against the event XML reference, detection,
# bad input, and inference on cases imported from each format.
tt_add_test(tst_timeline SOURCES timeline/tst_timeline.cpp timeline/TimelineFixtures.cpp LIBS tt_inference tt_importers)
