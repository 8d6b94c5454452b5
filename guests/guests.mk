# Guest kernels: each is linked from its own sources plus guests/lib and lib/, then made raw.
GUEST_LIB_SRCS := guests/lib/head.S guests/lib/vectors.S guests/lib/console.c guests/lib/smccc.c \
	guests/lib/bootinfo.c guests/lib/mmu.c guests/lib/exceptions.c guests/lib/gic.c \
	guests/lib/timer.c guests/lib/uart_rx.c guests/lib/selftest.c guests/lib/heap.c \
	guests/lib/modload.c guests/lib/virtio_blk.c guests/lib/kservices.c guests/lib/ondemand.c \
	guests/lib/moddemo.c guests/lib/bench.c modcache/modelf.c
GUEST_LIB_SRCS += guests/lib/selftest_memory.c
GUEST_LIB_SRCS += guests/lib/wallclock.c guests/lib/selftest_rtc.c
GUEST_LIB_SRCS += guests/lib/selftest_console.c
GUEST_LIB_SRCS += guests/lib/selftest_sched.c
GUEST_LIB_SRCS += guests/lib/selftest_unload.c
GUEST_LIB_SRCS += guests/lib/selftest_release.c
GUEST_LIB_SRCS += guests/lib/modidle.c
GUEST_LIB_SRCS += guests/lib/lineq.c
XCFLAGS_guests := -Iguests/lib -Imodcache -Imodcache/include -Iguests/liteos/include
GUESTS := starry liteos

include guests/starry/starry.mk # sets STARRY_SRCS
include guests/liteos/liteos.mk # sets LITEOS_SRCS

define guest_rule
$(1)_OBJS := $$(patsubst %,$(BUILD)/x/%.o,$$(basename $$($(2)_SRCS) $$(GUEST_LIB_SRCS)))
$(BUILD)/guests/$(1).elf: $$($(1)_OBJS) $$(LIB_OBJS) $$(LIBFDT_A) guests/lib/guest.ld
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$$(Q)$$(XCC) $$(XLDFLAGS_COMMON) -T guests/lib/guest.ld -o $$@ $$($(1)_OBJS) $$(LIB_OBJS) \
		$$(LIBFDT_A) $$(LIBGCC)
$(BUILD)/guests/$(1).bin: $(BUILD)/guests/$(1).elf
	$$(Q)$$(XOBJCOPY) -O binary $$< $$@
endef
$(eval $(call guest_rule,starry,STARRY))
$(eval $(call guest_rule,liteos,LITEOS))

GUEST_BINS := $(addprefix $(BUILD)/guests/,$(addsuffix .bin,$(GUESTS)))
