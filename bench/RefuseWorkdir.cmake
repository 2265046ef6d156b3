# ctest -P script: a bench given a work folder that does not exist must refuse it (exit 1, a
# message naming the problem) and write nothing, least of all at the file-system root.
# -DBENCH=path -DMISSING=a path that does not exist
if(EXISTS "${MISSING}")
  message(FATAL_ERROR "${MISSING} exists; the test needs a missing folder")
endif()
execute_process(COMMAND ${BENCH} --workdir ${MISSING}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "expected exit 1, got '${rc}'\nstdout: ${out}\nstderr: ${err}")
endif()
if(NOT err MATCHES "cannot create a work folder")
  message(FATAL_ERROR "no clear refusal on stderr: ${err}")
endif()
if(EXISTS "${MISSING}")
  message(FATAL_ERROR "the bench created ${MISSING}")
endif()
