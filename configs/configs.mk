# Scenarios: compile configs/$(CONFIG).dts, check it on the host, pack it with the images.
SCENARIO_DTS := configs/$(CONFIG).dts
SCENARIO_DTB := $(BUILD)/configs/$(CONFIG).dtb
BUNDLE_CONFIG := $(BUILD)/bundles/$(CONFIG).itb
BUNDLE := $(BUILD)/bundle.itb
SCENARIO_CHECK := $(BUILD)/tools/scenario-check
BUNDLE_IMAGES = $(foreach g,$(GUESTS),$(g)=$(BUILD)/guests/$(g).bin) \
	$(foreach m,$(MODULES),mod-$(m)=$(BUILD)/modules/$(m).strip.so)

# The scenario's modules are checked against the modules built (their descriptors).
SCENARIO_MODULES = $(foreach m,$(MODULES),$(m)=$(BUILD)/modules/$(m).strip.so)

$(SCENARIO_CHECK): tools/scenario-check.c hyp/scenario.c hyp/scenario.h hyp/arch/asm_offsets.h \
		modcache/cache.h lib/fmt.c modcache/modelf.c | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=c11 -Wall -Wextra -Werror -O2 -Ihyp -Imodcache -Imodcache/include \
		-Ilib/include -Iipc/include -o $@ \
		tools/scenario-check.c hyp/scenario.c modcache/modelf.c lib/fmt.c -lfdt

$(BUILD)/configs/%.dtb: configs/%.dts $(SCENARIO_CHECK) $(MODULE_STRIPPED) | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  DTC     $<"
	$(Q)dtc -q -I dts -O dtb -o $@ $<
	$(Q)$(SCENARIO_CHECK) $@ $< $(SCENARIO_MODULES)

$(BUILD)/bundles/%.itb: $(BUILD)/configs/%.dtb $(GUEST_BINS) $(MODULE_STRIPPED) tools/mkbundle.py \
		$(MODSIG_C) | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  BUNDLE  $@"
	$(Q)$(PYTHON) tools/mkbundle.py -o $@ --scenario $< --sign $(MODSIG_DIR) $(BUNDLE_IMAGES)

# One FAT disk per guest, made without root (mkfs.vfat + mtools). The last 1 MiB of each disk,
# past the filesystem, is left for raw sector tests. QEMU gets them all; a scenario binds a VM
# to a disk by its serial. starry's disk is its root filesystem: static programs and busybox.
DISKS := starry liteos starry-ext4
DISK_IMGS := $(addprefix $(BUILD)/disks/,$(addsuffix .img,$(DISKS)))
DISK_FS_KIB_starry := 32768
DISK_FS_KIB_liteos := 8192

include guests/starry/apps/apps.mk

# $(1) image, $(2) a module, $(3) a sector (an expression): a header sector "MVLOCAL\0" + the
# module's size there, the module's image after it.
define disk_raw_copy
	$(Q)$(PYTHON) -c 'import struct,sys; sys.stdout.buffer.write(b"MVLOCAL\0" + \
		struct.pack("<Q", int(sys.argv[1])) + bytes(496))' $$(stat -c %s $(2)) | \
		dd of=$(1) bs=512 seek=$$(($(3))) conv=notrunc status=none
	$(Q)dd if=$(2) of=$(1) bs=512 seek=$$(($(3) + 1)) conv=notrunc status=none
endef

# $(1) image, $(2) the module copied there, $(3) the filesystem's size in KiB. A second copy,
# of the ext4 module, goes 1024 sectors into the raw space (guests/lib/bench.c's guest-local
# ext4 load; the probe's raw sector test writes past it).
DISK_RAW_EXT4 := $(BUILD)/modules/ext4.strip.so
define disk_raw_tail
	$(Q)truncate -s +1M $(1)
	$(call disk_raw_copy,$(1),$(2),$(3) * 2)
	$(Q)test $$(stat -c %s $(DISK_RAW_EXT4)) -lt $$((512 * 1024 - 512))
	$(call disk_raw_copy,$(1),$(DISK_RAW_EXT4),$(3) * 2 + 1024)
endef
$(DISK_IMGS): $(DISK_RAW_EXT4) configs/configs.mk

# The raw space holds a copy of the fatfs module (a header sector "MVLOCAL\0" + size, then
# the image), which the guest-local load benchmark finds 1 MiB before the end of the disk.
$(BUILD)/disks/%.img: $(BUILD)/modules/fatfs.strip.so | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  MKFS    $@"
	$(Q)test $$(stat -c %s $<) -lt $$((1024 * 1024 - 512))
	$(Q)rm -f $@ && mkfs.vfat -C -n $(shell echo $* | tr a-z A-Z) $@ $(DISK_FS_KIB_$*) >/dev/null
	$(call disk_raw_tail,$@,$<,$(DISK_FS_KIB_$*))
	$(Q)printf 'hello from the host, disk $*\n' > $@.txt && mcopy -i $@ $@.txt ::/HELLO.TXT && \
		rm -f $@.txt
	$(if $(filter starry,$*),$(call starry_disk_fill,$@))

$(BUILD)/disks/starry.img: $(STARRY_APPS_AARCH64) $(BUSYBOX) $(STARRY_SCRIPTS) \
	guests/starry/apps/apps.mk

# Further disks of a kind, for scenarios with several guests of it (starry2, liteos3, ...): a
# copy of the kind's image whose HELLO.TXT names the disk, so each guest shows it has its own.
define disk_copy_rule
$(BUILD)/disks/$(1)%.img: $(BUILD)/disks/$(1).img
	@echo "  COPY    $$@"
	$(Q)cp $$< $$@
	$(Q)printf 'hello from the host, disk $(1)$$*\n' > $$@.txt && \
		mcopy -o -i $$@ $$@.txt ::/HELLO.TXT && rm -f $$@.txt
endef
$(foreach d,$(DISKS),$(eval $(call disk_copy_rule,$(d))))

# The same root for Starry as an ext4 volume (configs/two-guests-ext4.dts): the same files laid
# out in a directory and written by mke2fs -d (no root needed), the same raw tail after it.
DISK_FS_KIB_starry-ext4 := 32768
$(BUILD)/disks/starry-ext4.img: $(BUILD)/modules/fatfs.strip.so $(STARRY_APPS_AARCH64) $(BUSYBOX) \
		$(STARRY_SCRIPTS) $(STARRY_ETC) guests/starry/apps/apps.mk | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  MKE2FS  $@"
	$(Q)rm -rf $@.d && mkdir -p $@.d/bin $@.d/sbin $@.d/etc $@.d/data
	$(Q)cp $(filter-out %/init,$(STARRY_APPS_AARCH64)) $(BUSYBOX) $@.d/bin/
	$(Q)cp $(BUILD)/starry-apps/aarch64/init $@.d/sbin/init
	$(Q)cp $(STARRY_SCRIPTS) $(STARRY_ETC) $@.d/etc/
	$(Q)cp $(BUSYBOX) $@.d/bin/sh
	$(Q)printf 'hello from the host, disk starry\n' > $@.d/HELLO.TXT
	$(Q)rm -f $@ && mkfs.ext4 -q -F -b 4096 -L STARRY -E lazy_itable_init=0 -d $@.d $@ \
		$(DISK_FS_KIB_starry-ext4)K >/dev/null
	$(Q)rm -rf $@.d
	$(call disk_raw_tail,$@,$<,$(DISK_FS_KIB_starry-ext4))

# make run/run-uboot/debug boot working copies, so that what a session writes stays there
# (until the image is rebuilt) and the tests always start from the images as built.
# The disks are those the scenario names (its VMs' `disk` serials), read from its compiled .dtb
# by the checker once it is built: `run-disks` copies them in a second make, which sees the .dtb.
SCENARIO_DISKS = $(shell $(SCENARIO_CHECK) --query disks $(SCENARIO_DTB) 2>/dev/null)
RUN_DISK_IMGS = $(addprefix $(BUILD)/run-disks/,$(addsuffix .img,$(SCENARIO_DISKS)))
$(BUILD)/run-disks/%.img: $(BUILD)/disks/%.img
	@mkdir -p $(dir $@)
	@echo "  COPY    $@ (the disk make run boots; rebuilt images replace it)"
	$(Q)cp $< $@

.PHONY: run-disks
run-disks: all
	$(Q)$(if $(RUN_DISK_IMGS),$(MAKE) --no-print-directory $(RUN_DISK_IMGS),true)

QEMU_DISKS = -global virtio-mmio.force-legacy=false \
	$(foreach d,$(SCENARIO_DISKS),-drive file=$(BUILD)/run-disks/$(d).img,format=raw,if=none,id=d$(d) \
		-device virtio-blk-device,drive=d$(d),serial=$(d))

# QEMU gets as many CPUs as the scenario pins vCPUs to: its highest cpu-affinity + 1.
QEMU_SMP = $(shell $(SCENARIO_CHECK) --query smp $(SCENARIO_DTB) 2>/dev/null || echo 2)

# `make check-scenario SCENARIO=path.dts` checks any scenario file without building a bundle.
.PHONY: check-scenario
check-scenario: $(SCENARIO_CHECK) $(MODULE_STRIPPED)
	@test -n "$(SCENARIO)" || { echo "usage: make check-scenario SCENARIO=file.dts" >&2; exit 2; }
	@mkdir -p $(BUILD)/configs
	$(Q)dtc -q -I dts -O dtb -o $(BUILD)/configs/check.dtb $(SCENARIO)
	$(Q)$(SCENARIO_CHECK) $(BUILD)/configs/check.dtb $(SCENARIO) $(SCENARIO_MODULES)

# build/bundle.itb is the bundle of the CONFIG last built.
$(BUNDLE): $(BUNDLE_CONFIG) FORCE
	@cmp -s $< $@ || cp $< $@

.PHONY: FORCE
FORCE:
