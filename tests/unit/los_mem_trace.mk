# A randomized trace over several LiteOS dynamic pools, checked against a model.
include guests/liteos/mem/mem.mk
UNIT_TESTS += los_mem_trace
UNIT_SRCS_los_mem_trace := tests/unit/test_los_mem_trace.c $(LITEOS_MEM_SRCS)
# The model reads block headers (private layout) to know each block's exact size.
UNIT_CFLAGS_los_mem_trace := -Iguests/liteos/include -Iguests/liteos/mem
