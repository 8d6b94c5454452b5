# The LiteOS guest kernel's sources: its kernel, POSIX-style layer, shell, demo, in-guest
# tests, example applications, and the memory managers (guests/liteos/mem/mem.mk).
include guests/liteos/mem/mem.mk

LITEOS_APP_SRCS := $(sort $(wildcard guests/liteos/apps/*.c))
LITEOS_SRCS := guests/liteos/main.c guests/liteos/demo.c \
	$(sort $(wildcard guests/liteos/kernel/*.c guests/liteos/kernel/*.S)) \
	$(sort $(wildcard guests/liteos/compat/*.c guests/liteos/shell/*.c)) \
	$(sort $(wildcard guests/liteos/tests/*.c)) $(LITEOS_MEM_SRCS) $(LITEOS_APP_SRCS)

# The kernel's private headers are for the kernel's own files only.
$(BUILD)/x/guests/liteos/%.o: XCFLAGS_guests += -Iguests/liteos/kernel -Iguests/liteos/compat \
	-Iguests/liteos/libc -Iguests/liteos/apps

# The example applications see only what a LiteOS application sees: the public LOS headers
# and the C library (guest libc for stdio, lib/freestanding for string.h and stdlib.h); no
# kernel, guest-library or project header. This more specific rule wins over the generic one.
LITEOS_APP_CFLAGS = $(filter-out -I%,$(XCFLAGS_COMMON)) -Ilib/freestanding \
	-Iguests/liteos/include -Iguests/liteos/libc -Iguests/liteos/apps
$(BUILD)/x/guests/liteos/apps/%.o: guests/liteos/apps/%.c | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC      $< (application)"
	$(Q)$(XCC) $(LITEOS_APP_CFLAGS) -c $< -o $@
