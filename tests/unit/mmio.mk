# Host unit tests for MMIO syndrome decoding and emulation (hyp/mmio.c).
UNIT_TESTS += mmio
UNIT_SRCS_mmio := tests/unit/test_mmio.c hyp/mmio.c
UNIT_LIBS_mmio :=
