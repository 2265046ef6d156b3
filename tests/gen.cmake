# Tests of the scenario generator (tt_generator).
tt_add_test(tst_generator SOURCES gen/tst_generator.cpp LIBS tt_generator)
