# The LOS_MemFree/LOS_MemboxFree fuzz target as a regression test (gcc, sanitizers).
# Without arguments its driver feeds it 1000 random inputs from a fixed seed.
include guests/liteos/mem/mem.mk
UNIT_TESTS += los_mem_fuzz
UNIT_SRCS_los_mem_fuzz := tests/fuzz/fuzz_los_free.c tests/fuzz/run_corpus.c \
	$(LITEOS_MEM_SRCS)
UNIT_CFLAGS_los_mem_fuzz := -Iguests/liteos/include
