# Host unit tests for the AArch32 trap helpers (hyp/aarch32.c): condition check, IT advance.
UNIT_TESTS += aarch32
UNIT_SRCS_aarch32 := tests/unit/test_aarch32.c hyp/aarch32.c
UNIT_LIBS_aarch32 :=
