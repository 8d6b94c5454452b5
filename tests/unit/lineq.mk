# Host unit tests for the guests' console line queue (guests/lib/lineq.c).
UNIT_TESTS += lineq
UNIT_SRCS_lineq := tests/unit/test_lineq.c guests/lib/lineq.c
UNIT_CFLAGS_lineq := -Iguests/lib
