/* Kernel-internal tick state: the tick count and the hook tests use to act in an interrupt. */
#ifndef _LOS_TICK_PRI_H
#define _LOS_TICK_PRI_H

#include "los_tick.h"

/* Ticks since LOS_KernelInit; written only by the tick interrupt. */
extern volatile UINT64 g_tickCount;
/* If set, called from the tick interrupt after the kernel's own work (in-guest tests). */
extern VOID (*volatile g_tickTestHook)(VOID);

VOID OsTickStart(VOID);

#endif /* _LOS_TICK_PRI_H */
