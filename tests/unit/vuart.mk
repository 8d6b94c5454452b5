# Host unit tests for the emulated PL011's receive buffer and interrupt line (hyp/vuart.c).
UNIT_TESTS += vuart
UNIT_SRCS_vuart := tests/unit/test_vuart.c hyp/vuart.c
UNIT_LIBS_vuart :=
# hyp/vm.h includes the module cache's headers.
UNIT_CFLAGS_vuart := -Imodcache -Imodcache/include
