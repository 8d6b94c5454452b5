/* Kernel-internal CPU usage accounting: what the scheduler and the tick tell cpup. */
#ifndef _LOS_CPUP_PRI_H
#define _LOS_CPUP_PRI_H

#include "los_typedef.h"

/* Starts counting (at kernel start). */
VOID OsCpupStart(VOID);
/* A switch away from task fromID, with IRQs masked. */
VOID OsCpupSwitch(UINT32 fromID);
/* A task slot was (re)used: its counts start at zero. IRQs masked. */
VOID OsCpupTaskCreated(UINT32 taskID);
/* Every tick, from the tick interrupt: takes a sample each second. */
VOID OsCpupTick(VOID);

#endif /* _LOS_CPUP_PRI_H */
