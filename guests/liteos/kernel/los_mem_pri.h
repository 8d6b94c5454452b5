/* Kernel-internal memory helpers: the system pool set-up and allocations charged to a slot. */
#ifndef _LOS_MEM_PRI_H
#define _LOS_MEM_PRI_H

#include "los_memory.h"
#include "los_sys.h"

struct boot_info;

/* Makes the free RAM after the boot heap the system pool and sets the memory module's hooks. */
UINT32 OsMemSystemInit(const struct boot_info *info);
/* Allocates from the system pool, charged in los_memstat to statId instead of the caller. */
VOID *OsMemAllocFor(UINT32 statId, UINT32 size, UINT32 align);

#endif /* _LOS_MEM_PRI_H */
