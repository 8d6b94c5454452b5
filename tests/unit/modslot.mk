UNIT_TESTS += modslot
UNIT_SRCS_modslot := tests/unit/test_modslot.c modcache/modslot.c modcache/cache.c modcache/modelf.c
UNIT_LIBS_modslot := -lpthread
