# Modules: position-independent shared objects, built, then checked against the module rules.
# A module is a folder, modcache/modules/<name>/: every .c in it is compiled, unless its
# optional <name>.mk sets MODULE_SRCS_<name>. Nothing else names modules: the hypervisor and the
# scenario checker read the name, version, kind and needs from each built image's descriptor.
MODULES :=
-include $(wildcard modcache/modules/*/*.mk)
MODULES := $(sort $(MODULES) $(patsubst modcache/modules/%/,%,$(dir $(wildcard modcache/modules/*/*.c))))
$(foreach m,$(MODULES),$(if $(MODULE_SRCS_$(m)),,\
	$(eval MODULE_SRCS_$(m) := $(wildcard modcache/modules/$(m)/*.c))))

MODULE_XCFLAGS = -std=c11 -Wall -Wextra -Werror -O2 -g -ffreestanding -nostdinc \
	-isystem $(XCC_INCLUDE) -mgeneral-regs-only -mstrict-align -fPIC -fvisibility=hidden \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-common \
	-Ilib/freestanding -Ilib/include -Iipc/include -Imodcache/include -MMD -MP
MODULE_LDFLAGS := -shared -nostdlib -Wl,-z,noseparate-code -Wl,--hash-style=sysv \
	-Wl,-z,norelro -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack -Wl,--build-id=none \
	-Wl,-T,modcache/module.ld
# What every module may use from lib/, compiled position-independent.
MODULE_LIB_SRCS := lib/freestanding/string.c lib/fmt.c
MODCHECK := $(BUILD)/tools/modcheck
MODULE_SOS := $(addprefix $(BUILD)/modules/,$(addsuffix .so,$(MODULES)))
# What the bundle and the disks carry: the same objects without their debug sections.
MODULE_STRIPPED := $(addprefix $(BUILD)/modules/,$(addsuffix .strip.so,$(MODULES)))

$(BUILD)/modules/%.strip.so: $(BUILD)/modules/%.so
	$(Q)$(CROSS)strip --strip-debug -o $@ $<
	$(Q)$(MODCHECK) $* $@ >/dev/null

$(BUILD)/m/%.o: %.c | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC [M]  $<"
	$(Q)$(XCC) $(MODULE_XCFLAGS) -c $< -o $@

$(MODCHECK): tools/modcheck.c modcache/modelf.c modcache/modelf.h | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=c11 -Wall -Wextra -Werror -O2 -Imodcache -Imodcache/include \
		-Iipc/include -Ilib/include -o $@ tools/modcheck.c modcache/modelf.c

# The link fails on anything the rules forbid, then modcheck applies the loader's own checks.
define module_rule
$(BUILD)/modules/$(1).so: $$(patsubst %.c,$(BUILD)/m/%.o,$$(MODULE_SRCS_$(1)) $(MODULE_LIB_SRCS)) \
		modcache/module.ld $(MODCHECK)
	@mkdir -p $$(dir $$@)
	@echo "  LD [M]  $$@"
	$(Q)$(XCC) $(MODULE_LDFLAGS) -o $$@.tmp \
		$$(patsubst %.c,$(BUILD)/m/%.o,$$(MODULE_SRCS_$(1)) $(MODULE_LIB_SRCS)) \
		-Wl,--no-undefined -Wl,--fatal-warnings
	$(Q)$(MODCHECK) $(1) $$@.tmp
	$(Q)mv $$@.tmp $$@
endef
$(foreach m,$(MODULES),$(eval $(call module_rule,$(m))))
