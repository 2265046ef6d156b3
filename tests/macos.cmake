# macOS telemetry: eslogger and unified-log NDJSON parsers, normalisation, and the SSH / pull rules
# on a macOS host.
tt_add_test(tst_macos SOURCES macos/tst_macos.cpp LIBS tt_inference tt_importers)
