# Tests of the scenario generator (tt_generator).
tt_add_test(tst_generator SOURCES gen/tst_generator.cpp LIBS tt_generator)
# The mixed Windows / Linux / Zeek recording through the real importers and inference.
tt_add_test(tst_generator_mixed SOURCES gen/tst_generator_mixed.cpp inference/GroundTruthMatcher.cpp
            LIBS tt_inference tt_importers tt_generator TIMEOUT 600)
# Enterprise-size topologies: unique names and addresses for thousands of hosts.
tt_add_test(tst_generator_scale SOURCES gen/tst_generator_scale.cpp LIBS tt_generator)
# gen --stdout piped into import - (issue 12 item 4) against the file route; gzip on stdin.
tt_add_test(tst_gen_stream SOURCES gen/tst_gen_stream.cpp LIBS tt_store ZLIB::ZLIB)
add_dependencies(tst_gen_stream transfertrace)
