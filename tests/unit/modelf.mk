UNIT_TESTS += modelf
UNIT_SRCS_modelf := tests/unit/test_modelf.c modcache/modelf.c
