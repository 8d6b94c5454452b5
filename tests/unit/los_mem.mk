# Host unit tests for the LiteOS dynamic pools and the pool list (guests/liteos/mem).
include guests/liteos/mem/mem.mk
UNIT_TESTS += los_mem
UNIT_SRCS_los_mem := tests/unit/test_los_mem.c $(LITEOS_MEM_SRCS)
# The tests look at the private layout to overrun headers on purpose.
UNIT_CFLAGS_los_mem := -Iguests/liteos/include -Iguests/liteos/mem
