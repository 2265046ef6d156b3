# Linux telemetry: audit / syslog / journald parsers, normalisation and the SSH / pull rules on
# hand-written fixtures, and a live scp / sftp / rsync recording between two network namespaces.
tt_add_test(tst_linux_parsers SOURCES linux/tst_linux_parsers.cpp LIBS tt_importers)
tt_add_test(tst_linux_inference SOURCES linux/tst_linux_inference.cpp LIBS tt_inference tt_views tt_importers)
