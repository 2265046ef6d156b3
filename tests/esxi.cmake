# ESXi telemetry: the ESXi log parser (local files of 6.5 / 7 / 8 and the same lines forwarded by
# syslog), detection beside Linux syslog, normalisation and the transfers into and out of ESXi hosts.
tt_add_test(tst_esxi_parsers SOURCES esxi/tst_esxi_parsers.cpp LIBS tt_importers tt_inference)
tt_add_test(tst_esxi_inference SOURCES esxi/tst_esxi_inference.cpp LIBS tt_graph_export tt_inference tt_importers)
