# macOS telemetry: eslogger and unified-log NDJSON parsers, normalisation, and the SSH / pull rules
# on a macOS host.
tt_add_test(tst_macos SOURCES macos/tst_macos.cpp LIBS tt_inference tt_importers)
# The same exports through the real executable: AirDrop and smbd end to end, and a host-less export
# fixed by `import --host` (issue 14).
tt_add_test(tst_macos_cli SOURCES macos/tst_macos_cli.cpp LIBS tt_importers)
add_dependencies(tst_macos_cli transfertrace)
