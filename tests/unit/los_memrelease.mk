# Host unit tests for free page reporting from LiteOS dynamic pools (OsTlsfFree's release hook).
include guests/liteos/mem/mem.mk
UNIT_TESTS += los_memrelease
UNIT_SRCS_los_memrelease := tests/unit/test_los_memrelease.c $(LITEOS_MEM_SRCS)
UNIT_CFLAGS_los_memrelease := -Iguests/liteos/include -Iguests/liteos/mem
