# Transfer inference (tt_inference): rules on small cases, the generated 50-host case, the corpus.
tt_add_test(tst_inference_rules SOURCES inference/tst_inference_rules.cpp inference/InferenceFixtures.cpp
            LIBS tt_inference tt_importers tt_generator)
tt_add_test(tst_inference_generator SOURCES inference/tst_inference_generator.cpp inference/GroundTruthMatcher.cpp
            LIBS tt_inference tt_importers tt_generator TIMEOUT 900)
tt_add_test(tst_inference_corpus SOURCES inference/tst_inference_corpus.cpp inference/GroundTruthMatcher.cpp
            LIBS tt_inference tt_importers tt_generator TIMEOUT 900)
# The repositories inference reads and writes through, and the one reader of transfer rows.
tt_add_test(tst_inference_repository SOURCES inference/tst_inference_repository.cpp inference/InferenceFixtures.cpp
            LIBS tt_inference tt_importers)
tt_add_test(tst_identity SOURCES inference/tst_identity.cpp inference/InferenceFixtures.cpp
            LIBS tt_inference tt_importers)
tt_add_test(tst_inference_mixed SOURCES inference/tst_inference_mixed.cpp inference/GroundTruthMatcher.cpp
            LIBS tt_inference tt_importers TIMEOUT 900)
tt_add_test(tst_inference_procedures SOURCES inference/tst_inference_procedures.cpp
            LIBS tt_inference tt_importers TIMEOUT 900)
tt_add_test(tst_inference_deploy SOURCES inference/tst_inference_deploy.cpp inference/InferenceFixtures.cpp
            LIBS tt_inference tt_importers tt_models)
add_dependencies(tst_inference_deploy transfertrace)
tt_add_test(tst_generator_deploy SOURCES inference/tst_generator_deploy.cpp inference/GroundTruthMatcher.cpp inference/GeneratedCase.cpp
            LIBS tt_inference tt_importers tt_generator tt_models TIMEOUT 900)
# Windows remote-execution procedures (issue 14 item 4): rules on small cases, then the real corpus.
tt_add_test(tst_inference_winproc SOURCES inference/tst_inference_winproc.cpp inference/InferenceFixtures.cpp
            LIBS tt_inference tt_importers)
tt_add_test(tst_inference_winproc_corpus SOURCES inference/tst_inference_winproc_corpus.cpp
            LIBS tt_inference tt_importers TIMEOUT 900)
# Generated remote procedures (Options::procedures): winrm copies against the ground truth.
tt_add_test(tst_generator_procedures SOURCES inference/tst_generator_procedures.cpp inference/GroundTruthMatcher.cpp inference/GeneratedCase.cpp
            LIBS tt_inference tt_importers tt_generator TIMEOUT 900)
# WinRM / PowerShell remoting as method winrm: 4103 module logging, WinRM-Operational 6 / 91 / 142.
tt_add_test(tst_inference_winrm SOURCES inference/tst_inference_winrm.cpp inference/InferenceFixtures.cpp
            LIBS tt_inference tt_importers)
# Issue 10 item 4: the reliability table (band -> transfers, true, precision) over the labelled
# corpus and generated recordings; the high band's precision and the labelled-high corpus transfers.
tt_add_test(tst_inference_calibration SOURCES inference/tst_inference_calibration.cpp inference/GroundTruthMatcher.cpp
            LIBS tt_inference tt_importers tt_generator TIMEOUT 900)
# Issue 12 item 1: processes read one host at a time; a run with no process cache beyond the host
# being read writes the same transfers, evidence and hosts as one holding the whole case (generated
# case; the corpus: lateral-movement recordings, all EVTX, Mordor; skipped without ../shared/corpus).
tt_add_test(tst_inference_window SOURCES inference/tst_inference_window.cpp LIBS tt_inference tt_importers tt_generator)
tt_add_test(tst_inference_window_corpus SOURCES inference/tst_inference_window.cpp
            LIBS tt_inference tt_importers tt_generator TIMEOUT 900)
target_compile_definitions(tst_inference_window_corpus PRIVATE TT_WINDOW_CORPUS)
# Generated ESXi hosts and Macs (Options::platforms): gen -> import (Macs with --host) -> transfers
# against the ground truth per method.
tt_add_test(tst_generator_platforms SOURCES inference/tst_generator_platforms.cpp inference/GroundTruthMatcher.cpp
            LIBS tt_inference tt_importers tt_generator TIMEOUT 900)
# Issue 10 item 6: gen --enterprise (cloned images sharing a machine SID and one local admin name,
# DHCP churn between days) against its ground truth: accounts per host, addresses by time.
tt_add_test(tst_generator_enterprise SOURCES inference/tst_generator_enterprise.cpp inference/GroundTruthMatcher.cpp inference/GeneratedCase.cpp
            LIBS tt_inference tt_importers tt_generator TIMEOUT 900)
# Issue 12 item 1: incremental inference after an import (runAfterImport) leaves the case as a
# whole-case run (`infer`) would: fixtures where B completes a transfer begun in A, generated cases
# split by host and by day; the corpus (lateral-movement recordings, Mordor) split in two.
tt_add_test(tst_inference_incremental SOURCES inference/tst_inference_incremental.cpp inference/InferenceFixtures.cpp
            LIBS tt_inference tt_importers tt_generator TIMEOUT 600)
tt_add_test(tst_inference_incremental_corpus SOURCES inference/tst_inference_incremental.cpp
            inference/InferenceFixtures.cpp LIBS tt_inference tt_importers tt_generator TIMEOUT 900)
target_compile_definitions(tst_inference_incremental_corpus PRIVATE TT_INCREMENTAL_CORPUS)
