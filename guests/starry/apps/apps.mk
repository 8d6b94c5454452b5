# Starry's Linux test programs (hosted C, static glibc): for the guest's disk, and for the host
# so that the integration test can compare their output with a native run. Plus Debian's busybox.
STARRY_APPS := hello fileio forkexec pipes signals memgrow segv efault futex threads timers procsig files init
STARRY_APPS_AARCH64 := $(addprefix $(BUILD)/starry-apps/aarch64/,$(STARRY_APPS))
STARRY_APPS_HOST := $(addprefix $(BUILD)/starry-apps/host/,$(STARRY_APPS) hello-pie)
# Guest-only programs: the benchmark reads the AArch64 cycle counter.
STARRY_APPS_AARCH64 += $(BUILD)/starry-apps/aarch64/bench $(BUILD)/starry-apps/aarch64/sysfuzz \
	$(BUILD)/starry-apps/aarch64/oom
# hello again, as a static PIE (ET_DYN loaded at a bias): forkexec runs both.
STARRY_APPS_AARCH64 += $(BUILD)/starry-apps/aarch64/hello-pie
# Guest-only too: it sets the wall clock, which needs root (guests/starry/apps/clock.c).
STARRY_APPS_AARCH64 += $(BUILD)/starry-apps/aarch64/clock
# Guest-only: it reads Starry's /proc/modules (the signal module's idle unload).
STARRY_APPS_AARCH64 += $(BUILD)/starry-apps/aarch64/sigidle
STARRY_SCRIPTS := $(wildcard guests/starry/apps/scripts/*.sh)
# A small system's /etc: root and nobody, their groups, localhost (name lookups, system()).
STARRY_ETC := $(addprefix guests/starry/apps/etc/,passwd group hosts)
STARRY_APPS_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror
BUSYBOX := $(BUILD)/deps/busybox/bin/busybox

$(BUILD)/starry-apps/aarch64/%: guests/starry/apps/%.c guests/starry/apps/common.h | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(XCC) $(STARRY_APPS_CFLAGS) -static -s -o $@ $< -lpthread

$(BUILD)/starry-apps/host/%: guests/starry/apps/%.c guests/starry/apps/common.h | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(STARRY_APPS_CFLAGS) -o $@ $< -lpthread

$(BUILD)/starry-apps/aarch64/hello-pie: guests/starry/apps/hello.c guests/starry/apps/common.h | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(XCC) $(STARRY_APPS_CFLAGS) -static-pie -s -o $@ $<

$(BUILD)/starry-apps/host/hello-pie: guests/starry/apps/hello.c guests/starry/apps/common.h | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(STARRY_APPS_CFLAGS) -static-pie -o $@ $<

# Debian's static busybox for arm64, unpacked (not installed) under build/deps/busybox/.
$(BUSYBOX): tools/apt-unpack.sh | $(DEPS)
	@echo "  FETCH   busybox-static:arm64"
	$(Q)tools/apt-unpack.sh busybox-static:arm64 $(BUILD)/deps/busybox $(BUILD)/deps/dl
	$(Q)touch $@

# Copies the programs onto a starry disk image ($(1)); FAT holds no links, so no applet links.
define starry_disk_fill
	$(Q)mmd -i $(1) ::/bin ::/sbin ::/etc ::/data
	$(Q)mcopy -i $(1) $(filter-out %/init,$(STARRY_APPS_AARCH64)) $(BUSYBOX) ::/bin/
	$(Q)mcopy -i $(1) $(BUILD)/starry-apps/aarch64/init ::/sbin/init
	$(Q)mcopy -i $(1) $(STARRY_SCRIPTS) ::/etc/
	$(Q)mcopy -i $(1) $(STARRY_ETC) ::/etc/
	$(Q)mcopy -i $(1) $(BUSYBOX) ::/bin/sh
endef

# /bin/sh is busybox again (FAT has no links): system(), popen() and "#!/bin/sh" scripts.
$(BUILD)/disks/starry.img: $(STARRY_ETC)

.PHONY: starry-apps
starry-apps: $(STARRY_APPS_AARCH64) $(STARRY_APPS_HOST) $(BUSYBOX)
all: $(STARRY_APPS_HOST)

# epoll, POSIX timers, blocking record locks, /proc/<pid>/fd: in init's list after files.
STARRY_APPS_AARCH64 += $(BUILD)/starry-apps/aarch64/events
STARRY_APPS_HOST += $(BUILD)/starry-apps/host/events
all starry-apps: $(BUILD)/starry-apps/host/events $(BUILD)/starry-apps/aarch64/events

# SQLite and Lua, built against Debian's arm64 static libraries.
include guests/starry/apps/libs/libs.mk
