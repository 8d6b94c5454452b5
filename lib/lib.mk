# Freestanding library objects, linked into the hypervisor and the guests.
LIB_SRCS := lib/freestanding/string.c lib/freestanding/stdlib.c lib/freestanding/stack_chk.c \
	lib/fmt.c lib/sha256.c
LIB_OBJS := $(patsubst %.c,$(BUILD)/x/%.o,$(LIB_SRCS))
