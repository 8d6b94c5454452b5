# Host unit tests for the LiteOS per-task memory statistics (guests/liteos/mem).
include guests/liteos/mem/mem.mk
UNIT_TESTS += los_memstat
UNIT_SRCS_los_memstat := tests/unit/test_los_memstat.c $(LITEOS_MEM_SRCS)
UNIT_CFLAGS_los_memstat := -Iguests/liteos/include
