# The layering check (scripts/check-layers.sh, issue 13): the tree passes it (SQL and the raw
# connection only in models/store and models/query, Qt Widgets only in views/), and the check
# catches what it is meant to (violations planted in a copy of the tree, file:line expected).
add_test(NAME layering COMMAND bash ${CMAKE_SOURCE_DIR}/scripts/check-layers.sh ${CMAKE_SOURCE_DIR})
add_test(NAME layering_catches COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/layering/check-layers-test.sh ${CMAKE_SOURCE_DIR})
set_tests_properties(layering layering_catches PROPERTIES TIMEOUT 300)
