# Host unit tests for the virtual GICv3 (hyp/vgic.c, hyp/vgic_mmio.c) against fake GIC hardware.
UNIT_TESTS += vgic
UNIT_SRCS_vgic := tests/unit/test_vgic.c hyp/vgic.c hyp/vgic_mmio.c hyp/mmio.c
UNIT_LIBS_vgic :=
# hyp/vm.h includes the module cache's headers.
UNIT_CFLAGS_vgic := -Imodcache -Imodcache/include
