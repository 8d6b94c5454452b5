/* LiteOS system tick: the count since the kernel started, and conversions to milliseconds. */
#ifndef _LOS_TICK_H
#define _LOS_TICK_H

#include "los_config.h"
#include "los_err.h"
#include "los_errno.h"

#define OS_SYS_MS_PER_SECOND 1000U
#define OS_SYS_US_PER_SECOND 1000000U
#define OS_SYS_NS_PER_SECOND 1000000000U
#define OS_SYS_US_PER_MS 1000U
#define OS_SYS_NS_PER_MS 1000000U
#define OS_SYS_NS_PER_US 1000U

#define LOS_ERRNO_TICK_CFG_INVALID LOS_ERRNO_OS_ERROR(LOS_MOD_TICK, 0x00)
#define LOS_ERRNO_TICK_NO_HWTIMER LOS_ERRNO_OS_ERROR(LOS_MOD_TICK, 0x01)
#define LOS_ERRNO_TICK_PER_SEC_TOO_SMALL LOS_ERRNO_OS_ERROR(LOS_MOD_TICK, 0x02)

UINT64 LOS_TickCountGet(VOID);
/* Cycles of the generic timer (virtual count) per tick. */
UINT32 LOS_CyclePerTickGet(VOID);
/* The generic timer's virtual count (LiteOS-M's name), and the same split in two halves. */
UINT64 LOS_SysCycleGet(VOID);
VOID LOS_GetCpuCycle(UINT32 *cntHi, UINT32 *cntLo);
/* Nanoseconds of the generic timer's virtual count. */
UINT64 LOS_CurrNanosec(VOID);
/* Busy-wait delays: the task keeps the CPU (lower tasks do not run). */
VOID LOS_Udelay(UINT32 usecs);
VOID LOS_Mdelay(UINT32 msecs);
UINT32 LOS_MS2Tick(UINT32 millisec);
UINT32 LOS_Tick2MS(UINT32 tick);

#endif /* _LOS_TICK_H */
