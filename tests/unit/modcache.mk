UNIT_TESTS += modcache
UNIT_SRCS_modcache := tests/unit/test_modcache.c modcache/cache.c modcache/modelf.c
UNIT_LIBS_modcache := -lpthread
