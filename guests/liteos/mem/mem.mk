# The LiteOS memory module: TLSF dynamic pools, the pool list, membox, per-task statistics.
LITEOS_MEM_SRCS := guests/liteos/mem/los_tlsf.c guests/liteos/mem/los_memory.c \
	guests/liteos/mem/los_meminfo.c guests/liteos/mem/los_multipool.c \
	guests/liteos/mem/los_membox.c guests/liteos/mem/los_memstat.c \
	guests/liteos/mem/los_memhook.c
