# Host unit tests for scenario parsing and validation (hyp/scenario.c), blobs built with libfdt.
UNIT_TESTS += scenario
UNIT_SRCS_scenario := tests/unit/test_scenario.c hyp/scenario.c lib/fmt.c
UNIT_LIBS_scenario := -lfdt
