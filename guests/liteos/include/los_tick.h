/* LiteOS system tick: the count since the kernel started, and conversions to milliseconds. */
#ifndef _LOS_TICK_H
#define _LOS_TICK_H

#include "los_config.h"
#include "los_typedef.h"

UINT64 LOS_TickCountGet(VOID);
UINT32 LOS_MS2Tick(UINT32 millisec);
UINT32 LOS_Tick2MS(UINT32 tick);

#endif /* _LOS_TICK_H */
