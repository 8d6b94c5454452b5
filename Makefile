# modvisor: the one entry point. `make run`, `make test`, `make bench`, `make run-uboot`, `make debug`.
.DEFAULT_GOAL := all
.SUFFIXES:
.SECONDARY:
.DELETE_ON_ERROR:
SHELL := /bin/bash

BUILD ?= build
CONFIG ?= two-guests
CROSS ?= aarch64-linux-gnu-
PYTHON := /usr/bin/python3
# V=1 shows every command.
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

DEPS := $(BUILD)/.deps-installed
LIBFDT_DIR := $(BUILD)/deps/libfdt-arm64
LIBFDT_A := $(LIBFDT_DIR)/usr/lib/aarch64-linux-gnu/libfdt.a
LIBFDT_INC := $(LIBFDT_DIR)/usr/include

XCC := $(CROSS)gcc
XLD := $(CROSS)ld
XOBJCOPY := $(CROSS)objcopy
HOSTCC := gcc

# Freestanding flags shared by the hypervisor, the guests and the modules. No FP/SIMD in our
# code: the hypervisor saves only general registers on a trap.
# Recursive (=) so the cross compiler is asked only after `deps` has installed it.
XCC_INCLUDE = $(shell $(XCC) -print-file-name=include)
XCFLAGS_COMMON = -std=c11 -Wall -Wextra -Werror -O2 -g -ffreestanding -nostdinc \
	-isystem $(XCC_INCLUDE) \
	-mgeneral-regs-only -mstrict-align -fno-common -fno-pic -fno-pie \
	-fstack-protector-strong -fno-omit-frame-pointer -ffunction-sections -fdata-sections \
	-Ilib/freestanding -Ilib/include -Iipc/include -I$(LIBFDT_INC) -MMD -MP
XASFLAGS_COMMON := -g -D__ASSEMBLY__ -Ilib/include -Iipc/include -MMD -MP
XLDFLAGS_COMMON := -nostdlib -static -no-pie -Wl,--gc-sections -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,-z,max-page-size=4096

LIBGCC = $(shell $(XCC) -print-libgcc-file-name)

# Host unit tests: sanitizers on, same warnings.
UNIT_CFLAGS := -std=c11 -Wall -Wextra -Werror -g -O1 -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer \
	-Ilib/include -Iipc/include -Istage2 -Ihyp -Imodcache -Imodcache/include

QEMU := qemu-system-aarch64
QEMU_MACHINE = -M virt,virtualization=on,gic-version=3 -cpu cortex-a72 -smp $(QEMU_SMP) -m 1G \
	-display none -monitor none -serial stdio -nic none
UBOOT_BIN := /usr/lib/u-boot/qemu_arm64/u-boot.bin

# --- parts -----------------------------------------------------------------------------------
include lib/lib.mk
include hyp/hyp.mk
include guests/guests.mk
include modcache/modules.mk
include configs/configs.mk
include tests/attacker/attacker.mk
-include $(wildcard tests/unit/*.mk)

# --- generic rules ---------------------------------------------------------------------------
$(BUILD)/x/%.o: %.c | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(XCC) $(XCFLAGS_COMMON) $(XCFLAGS_$(firstword $(subst /, ,$*))) -c $< -o $@

$(BUILD)/x/%.o: %.S | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(XCC) $(XASFLAGS_COMMON) $(XASFLAGS_$(firstword $(subst /, ,$*))) -c $< -o $@

$(DEPS):
	tools/install-deps.sh $(BUILD)
$(LIBFDT_A): $(DEPS)

.PHONY: all deps run run-uboot debug test unit integration bench format format-check lint clean

deps: $(DEPS)

all: $(DEPS) $(HYP_BIN) $(BUNDLE) $(DISK_IMGS)

run: all run-disks
	$(QEMU) $(QEMU_MACHINE) $(QEMU_DISKS) -kernel $(HYP_BIN) -initrd $(BUNDLE)

run-uboot: all run-disks
	$(QEMU) $(QEMU_MACHINE) $(QEMU_DISKS) -bios $(UBOOT_BIN) -kernel $(HYP_BIN) -initrd $(BUNDLE)

debug: all run-disks
	@echo "gdb-multiarch $(HYP_ELF) -ex 'target remote :1234'"
	$(QEMU) $(QEMU_MACHINE) $(QEMU_DISKS) -kernel $(HYP_BIN) -initrd $(BUNDLE) -S -gdb tcp::1234

# --- footprint: the same guests under each memory scenario, figures and a chart ------------
FOOTPRINT_CONFIGS := two-guests two-guests-noshare two-guests-eager two-guests-ext4
FOOTPRINT_DIR := $(BUILD)/footprint

.PHONY: footprint
footprint: all
	$(Q)$(PYTHON) tests/bench/run.py --footprint $(FOOTPRINT_DIR)
	$(Q)$(PYTHON) tools/footprint.py --png $(BUILD)/footprint.png \
		--json $(BUILD)/footprint.json $(addprefix $(FOOTPRINT_DIR)/,$(addsuffix .log,$(FOOTPRINT_CONFIGS))) \
		--sweep $(FOOTPRINT_DIR) --sweep-png $(BUILD)/footprint-sweep.png \
		--init $(FOOTPRINT_DIR)

# --- benchmarks: instruction counts under -icount, see docs/benchmarks.md -------------------
.PHONY: bench
# Fails when a figure is more than 2% above the committed table, unless ACCEPT_REGRESSIONS=1.
bench: all
	$(PYTHON) tests/bench/run.py --update-doc $(if $(ACCEPT_REGRESSIONS),--accept-regressions)

# --- tests -----------------------------------------------------------------------------------
UNIT_BINS := $(addprefix $(BUILD)/unit/,$(UNIT_TESTS))

define unit_rule
$(BUILD)/unit/$(1): $$(UNIT_SRCS_$(1)) $(DEPS) $$(wildcard lib/include/*.h ipc/include/modvisor/*.h \
		stage2/*.h hyp/*.h hyp/virtio/*.h modcache/*.h modcache/include/modvisor/*.h)
	@mkdir -p $$(dir $$@)
	@echo "  HOSTCC  $$@"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) $$(UNIT_CFLAGS_$(1)) -o $$@ $$(UNIT_SRCS_$(1)) -lcmocka $$(UNIT_LIBS_$(1))
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

unit: $(UNIT_BINS) fuzz-smoke
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

# The FAT mount fuzz target as a regression run (gcc, sanitizers): the seed images and
# deterministic corruptions of them. `make fuzz` runs libFuzzer when clang is installed, on
# the FAT target and then the ext4 one, FUZZ_SECONDS each.
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_SRCS = tests/fuzz/fuzz_fat_mount.c $(MODULE_SRCS_fatfs) lib/fmt.c

$(FUZZ_DIR)/run_corpus: tests/fuzz/run_corpus.c $(FUZZ_SRCS) tests/fuzz/fuzz_fs_harness.h | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -o $@ tests/fuzz/run_corpus.c $(FUZZ_SRCS)

# The ext4 mount fuzz target: the same driver over the same seeds (the ext4 ones mount).
FUZZ_EXT4_SRCS = tests/fuzz/fuzz_ext4_mount.c $(MODULE_SRCS_ext4) lib/fmt.c
$(FUZZ_DIR)/run_corpus_ext4: tests/fuzz/run_corpus.c $(FUZZ_EXT4_SRCS) \
		tests/fuzz/fuzz_fs_harness.h $(wildcard modcache/modules/ext4/*.h) | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -o $@ tests/fuzz/run_corpus.c $(FUZZ_EXT4_SRCS)

$(FUZZ_DIR)/seeds/.made: tests/fuzz/make_seeds.sh tests/fuzz/corrupt_seeds.py | $(DEPS)
	$(Q)rm -rf $(FUZZ_DIR)/seeds && tests/fuzz/make_seeds.sh $(FUZZ_DIR)/seeds >/dev/null
	$(Q)$(PYTHON) tests/fuzz/corrupt_seeds.py $(FUZZ_DIR)/seeds 80
	$(Q)touch $@

.PHONY: fuzz-smoke fuzz
fuzz-smoke: $(FUZZ_DIR)/run_corpus $(FUZZ_DIR)/run_corpus_ext4 $(FUZZ_DIR)/seeds/.made
	@echo "== fuzz regression: $$(ls $(FUZZ_DIR)/seeds | wc -l) images"
	$(Q)$(FUZZ_DIR)/run_corpus $(FUZZ_DIR)/seeds > $(FUZZ_DIR)/run_corpus.log
	@echo "$$(grep -c '^ok ' $(FUZZ_DIR)/run_corpus.log) passed, 0 failed"
	$(Q)$(FUZZ_DIR)/run_corpus_ext4 $(FUZZ_DIR)/seeds > $(FUZZ_DIR)/run_corpus_ext4.log
	@echo "ext4: $$(grep -c '^ok ' $(FUZZ_DIR)/run_corpus_ext4.log) passed, 0 failed"

fuzz: $(FUZZ_DIR)/seeds/.made
	@which clang >/dev/null || { echo "make fuzz needs clang: apt-get install clang" >&2; exit 1; }
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Ilib/include -Imodcache/include -o $(FUZZ_DIR)/fuzz_fat_mount $(FUZZ_SRCS)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Ilib/include -Imodcache/include -o $(FUZZ_DIR)/fuzz_ext4_mount $(FUZZ_EXT4_SRCS)
	@mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/ext4-corpus $(FUZZ_DIR)/artifacts
	$(FUZZ_DIR)/fuzz_fat_mount -max_total_time=$${FUZZ_SECONDS:-120} -timeout=10 \
		-artifact_prefix=$(FUZZ_DIR)/artifacts/ $(FUZZ_DIR)/corpus $(FUZZ_DIR)/seeds
	$(FUZZ_DIR)/fuzz_ext4_mount -max_total_time=$${FUZZ_SECONDS:-120} -timeout=30 \
		-artifact_prefix=$(FUZZ_DIR)/artifacts/ $(FUZZ_DIR)/ext4-corpus $(FUZZ_DIR)/seeds

integration: all
	$(PYTHON) -m pytest -q tests/integration

# Everything CI checks: style, static analysis, host unit tests, QEMU integration tests.
test: format-check lint headers-check unit integration

# --- code quality ----------------------------------------------------------------------------
FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)

format:
	clang-format -i $(FORMAT_FILES)

format-check: $(DEPS)
	@echo "  FORMAT-CHECK"
	$(Q)clang-format --dry-run --Werror $(FORMAT_FILES)

lint: $(DEPS)
	@echo "  CPPCHECK"
	$(Q)cppcheck --quiet --std=c11 --enable=warning,style,performance,portability \
		--error-exitcode=1 --inline-suppr --suppress=missingIncludeSystem \
		--suppress=unusedStructMember -U__ASSEMBLY__ \
		-Ilib/include -Iipc/include -Istage2 -Ihyp -Iguests/lib -I$(LIBFDT_INC) \
		$(filter-out tests/%,$(FORMAT_FILES))

.PHONY: headers-check
headers-check: $(DEPS)
	$(Q)MBEDTLS_INC=$(MBEDTLS_DIR)/include tools/check-headers.sh $(LIBFDT_INC)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
