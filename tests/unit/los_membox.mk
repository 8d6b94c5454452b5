# Host unit tests for the LiteOS fixed-size block pools (guests/liteos/mem/los_membox.c).
include guests/liteos/mem/mem.mk
UNIT_TESTS += los_membox
UNIT_SRCS_los_membox := tests/unit/test_los_membox.c $(LITEOS_MEM_SRCS)
UNIT_CFLAGS_los_membox := -Iguests/liteos/include
