# The LiteOS guest kernel's sources: its kernel, POSIX-style layer, shell, demo, in-guest
# tests, and the memory managers (guests/liteos/mem/mem.mk).
include guests/liteos/mem/mem.mk

LITEOS_SRCS := guests/liteos/main.c guests/liteos/demo.c \
	$(sort $(wildcard guests/liteos/kernel/*.c guests/liteos/kernel/*.S)) \
	$(sort $(wildcard guests/liteos/compat/*.c guests/liteos/shell/*.c)) \
	$(sort $(wildcard guests/liteos/tests/*.c)) $(LITEOS_MEM_SRCS)

# The kernel's private headers are for the kernel's own files only.
$(BUILD)/x/guests/liteos/%.o: XCFLAGS_guests += -Iguests/liteos/kernel -Iguests/liteos/compat \
	-Iguests/liteos/libc
