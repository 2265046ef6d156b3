# README.md matches the code (issue 15 item 7): every sub-command of `transfertrace --help` is
# listed, every top-level folder is in the layout table (scripts/check-readme.sh); and the check
# catches a README that lost a command, a folder, or names a folder that is gone (readme_catches).
add_test(NAME readme COMMAND bash ${CMAKE_SOURCE_DIR}/scripts/check-readme.sh $<TARGET_FILE:transfertrace>
  ${CMAKE_SOURCE_DIR})
add_test(NAME readme_catches COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/readme/check-readme-test.sh ${CMAKE_SOURCE_DIR}
  $<TARGET_FILE:transfertrace>)
set_tests_properties(readme readme_catches PROPERTIES TIMEOUT 60)
