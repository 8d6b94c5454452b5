UNIT_TESTS += heap
UNIT_SRCS_heap := tests/unit/test_heap.c guests/lib/heap.c
UNIT_CFLAGS_heap := -Iguests/lib -Imodcache/include
