# Host unit tests for the guests' module idle tracking (guests/lib/modidle.c).
UNIT_TESTS += modidle
UNIT_SRCS_modidle := tests/unit/test_modidle.c guests/lib/modidle.c
UNIT_CFLAGS_modidle := -Iguests/lib
