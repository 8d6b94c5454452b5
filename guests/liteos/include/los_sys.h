/* LiteOS system start: the system memory pool, kernel initialisation and the first task. */
#ifndef _LOS_SYS_H
#define _LOS_SYS_H

#include "los_base.h"
#include "los_hwi.h"
#include "los_tick.h"

struct boot_info;

/* The statistics slots (los_memstat) for allocations made by no task, and by modules. */
#define OS_MEMSTAT_ID_KERNEL 61U
#define OS_MEMSTAT_ID_MODULES 62U

/* Sets up memory, the task and IPC tables, the idle and software-timer tasks, the tick. */
UINT32 LOS_KernelInit(const struct boot_info *info);
/* Switches to the highest-priority task; the boot stack is left for good. */
__attribute__((noreturn)) VOID LOS_Start(VOID);
/* The boot information the kernel started with. */
const struct boot_info *LOS_BootInfo(VOID);

#endif /* _LOS_SYS_H */
