# The attacker/canary test guest (tests/attacker/): one image, its role chosen by bootargs.
# It links only the pieces of guests/lib it needs (its own secondary_main and exception hook),
# so it is built like the other guests but from its own list.
ATTACKER_SRCS := tests/attacker/main.c tests/attacker/fuzz.c tests/attacker/vq.c \
	tests/attacker/canary.c guests/lib/head.S guests/lib/vectors.S guests/lib/console.c \
	guests/lib/smccc.c guests/lib/bootinfo.c guests/lib/mmu.c guests/lib/exceptions.c \
	guests/lib/gic.c guests/lib/timer.c guests/lib/virtio_blk.c guests/lib/uart_rx.c
ATTACKER_SRCS += guests/lib/lineq.c
XCFLAGS_tests := -Iguests/lib -Imodcache/include -mno-outline-atomics
ATTACKER_OBJS := $(patsubst %,$(BUILD)/x/%.o,$(basename $(ATTACKER_SRCS)))
ATTACKER_BIN := $(BUILD)/guests/attacker.bin

$(BUILD)/guests/attacker.elf: $(ATTACKER_OBJS) $(LIB_OBJS) $(LIBFDT_A) guests/lib/guest.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(XCC) $(XLDFLAGS_COMMON) -T guests/lib/guest.ld -o $@ $(ATTACKER_OBJS) $(LIB_OBJS) \
		$(LIBFDT_A) $(LIBGCC)
$(ATTACKER_BIN): $(BUILD)/guests/attacker.elf
	$(Q)$(XOBJCOPY) -O binary $< $@

all: $(ATTACKER_BIN)

# A long hypercall fuzz run (docs/security.md): FUZZ_HVC_CALLS per vCPU, FUZZ_HVC_SEED, and
# more attacker bootargs in FUZZ_HVC_ARGS (e.g. race=0).
FUZZ_HVC_CALLS ?= 500000
FUZZ_HVC_SEED ?= 0x5eed
FUZZ_HVC_ARGS ?=
.PHONY: fuzz-hvc
fuzz-hvc: all
	$(PYTHON) tests/attacker/attack.py --calls $(FUZZ_HVC_CALLS) --seed $(FUZZ_HVC_SEED) \
		--args '$(FUZZ_HVC_ARGS)'
