UNIT_TESTS += stage2
UNIT_SRCS_stage2 := tests/unit/test_stage2.c stage2/stage2.c stage2/stage2_desc.c
