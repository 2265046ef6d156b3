# Fuzz targets (issue 15): one entry point per parser / reader in tests/fuzz/Fuzz<Target>.cpp.
# tst_fuzz_regressions feeds every committed seed and crash reproducer (tests/fixtures/fuzz/<target>/)
# to them in every build; with TT_FUZZ=ON (clang, the `fuzz` preset) each target is also a
# libFuzzer executable fuzz_<target>, run by scripts/fuzz.sh.
set(TT_FUZZ_TARGETS
  evtx evtx_chunk binxml winxml jsonl zeek audit syslog journald esxi eslogger unifiedlog
  evtxecmd_csv evtxecmd_json hayabusa_csv hayabusa_jsonl archive detect case_open)
add_library(tt_fuzz_targets STATIC
  fuzz/FuzzTargets.h fuzz/FuzzSupport.h fuzz/FuzzSupport.cpp
  fuzz/FuzzEvtx.cpp fuzz/FuzzEvtxChunk.cpp fuzz/FuzzBinXml.cpp fuzz/FuzzWinXml.cpp fuzz/FuzzJsonLines.cpp
  fuzz/FuzzZeek.cpp fuzz/FuzzAudit.cpp fuzz/FuzzSyslog.cpp fuzz/FuzzJournald.cpp fuzz/FuzzEsxi.cpp
  fuzz/FuzzEslogger.cpp fuzz/FuzzUnifiedLog.cpp
  fuzz/FuzzEvtxECmdCsv.cpp fuzz/FuzzEvtxECmdJson.cpp fuzz/FuzzHayabusaCsv.cpp fuzz/FuzzHayabusaJsonl.cpp
  fuzz/FuzzArchive.cpp fuzz/FuzzDetect.cpp fuzz/FuzzCaseOpen.cpp)
set_target_properties(tt_fuzz_targets PROPERTIES AUTOMOC OFF)
target_include_directories(tt_fuzz_targets PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
target_link_libraries(tt_fuzz_targets PUBLIC tt_importers tt_store)

tt_add_test(tst_fuzz_regressions
  SOURCES fuzz/tst_fuzz_regressions.cpp
  LIBS tt_fuzz_targets)

if(TT_FUZZ)
  foreach(target IN LISTS TT_FUZZ_TARGETS)
    add_executable(fuzz_${target} fuzz/FuzzMain.cpp)
    target_compile_definitions(fuzz_${target} PRIVATE TT_FUZZ_ENTRY=${target})
    target_link_libraries(fuzz_${target} PRIVATE tt_fuzz_targets)
    target_link_options(fuzz_${target} PRIVATE -fsanitize=fuzzer)
    set_target_properties(fuzz_${target} PROPERTIES AUTOMOC OFF)
    list(APPEND TT_FUZZ_EXECUTABLES fuzz_${target})
  endforeach()
  add_custom_target(fuzz_all DEPENDS ${TT_FUZZ_EXECUTABLES})
endif()
