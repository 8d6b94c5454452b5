# The EL2 hypervisor image: build/hyp.elf and the bootable build/hyp.bin (arm64 Image header).
HYP_ELF := $(BUILD)/hyp.elf
HYP_BIN := $(BUILD)/hyp.bin

HYP_SRCS := \
	hyp/arch/head.S hyp/arch/vectors.S hyp/arch/mmu.c hyp/arch/cache.c hyp/arch/psci_fw.c \
	hyp/arch/stage2_arch.c hyp/arch/sysreg_trap.c \
	hyp/main.c hyp/console.c hyp/pl011.c hyp/panic.c hyp/frame.c hyp/mm.c hyp/hostdtb.c \
	hyp/trap.c hyp/vcpu.c hyp/vm.c hyp/guest_dtb.c hyp/vuart.c hyp/mmio.c hyp/psci.c \
	hyp/cpu.c hyp/report.c hyp/account.c hyp/irq.c hyp/conmux.c hyp/vgic.c hyp/vgic_mmio.c hyp/arch/gic_hw.c \
	hyp/bundle.c hyp/scenario.c hyp/spinlock.c \
	ipc/hypercall.c \
	modcache/cache.c modcache/modelf.c modcache/modslot.c modcache/vmmod.c \
	hyp/virtio/virtq.c hyp/virtio/vblk_req.c hyp/virtio/vblk_phys.c hyp/virtio/vblk_dev.c \
	hyp/virtio/vblk_queue.c \
	stage2/stage2.c stage2/stage2_desc.c
HYP_SRCS += hyp/aarch32.c
HYP_SRCS += hyp/el2map.c
# Time-shared vCPUs: the pure decisions, their glue, and the arch context switch.
HYP_SRCS += hyp/sched_rq.c hyp/vsched.c hyp/arch/context.c hyp/arch/fpsimd.S hyp/arch/el2timer.c
# The console's pure parts (also unit-tested on the host).
HYP_SRCS += hyp/console_filter.c hyp/console_stage.c hyp/ratelimit.c
HYP_SRCS += hyp/conmux_focus.c
# Module signatures (hyp/crypto.mk adds mbedtls and the baked-in key to HYP_OBJS).
HYP_SRCS += hyp/modsig.c
# The per-VM virtual PL031 RTC: its pure register model, its glue and the machine's RTC.
HYP_SRCS += hyp/vrtc_model.c hyp/vrtc.c hyp/arch/rtc_hw.c
# Free page reporting (MV_HVC_MEM_RELEASE) and its pure parts.
HYP_SRCS += hyp/memrelease.c hyp/page_runs.c

HYP_OBJS := $(patsubst %,$(BUILD)/x/%.o,$(basename $(HYP_SRCS)))
XCFLAGS_hyp := -Ihyp -Istage2 -Iipc -Imodcache -Imodcache/include
XCFLAGS_ipc := -Ihyp -Istage2 -Iipc -Imodcache -Imodcache/include
XCFLAGS_modcache := -Ihyp -Istage2 -Iipc -Imodcache -Imodcache/include
XCFLAGS_stage2 := -Istage2
XASFLAGS_hyp := -Ihyp
include hyp/crypto.mk

$(HYP_ELF): $(HYP_OBJS) $(LIB_OBJS) $(LIBFDT_A) hyp/arch/hyp.ld
	@echo "  LD      $@"
	$(Q)$(XCC) $(XLDFLAGS_COMMON) -T hyp/arch/hyp.ld -o $@ $(HYP_OBJS) $(LIB_OBJS) $(LIBFDT_A) $(LIBGCC)

$(HYP_BIN): $(HYP_ELF)
	$(Q)$(XOBJCOPY) -O binary $< $@
