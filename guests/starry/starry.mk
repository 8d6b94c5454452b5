# The Starry guest kernel's sources: every C and assembly file under guests/starry except the
# user programs in apps/ (built for EL0 by guests/starry/apps/apps.mk).
STARRY_SRCS := $(sort $(filter-out guests/starry/apps/%,$(wildcard guests/starry/*.c \
	guests/starry/*/*.c guests/starry/*/*.S)))
