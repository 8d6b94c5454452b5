/* Kernel-internal mutex interface: what the scheduler and task code tell the mutex code. */
#ifndef _LOS_MUX_PRI_H
#define _LOS_MUX_PRI_H

#include "los_mux.h"
#include "los_task_pri.h"

typedef struct {
	UINT8 muxStat;
	UINT16 muxCount; /* recursion depth of the owner */
	UINT32 muxID;
	LOS_DL_LIST muxList; /* waiters, highest priority first */
	LosTaskCB *owner;
	LOS_DL_LIST holdList; /* node in the owner's muxHeld, or in the unused list */
} LosMuxCB;

UINT32 OsMuxInit(VOID);
/* The waiter left the mutex's wait list (timeout, deletion): its owner's priority may drop. */
VOID OsMuxWaiterGone(LosTaskCB *task);
/* The task is being deleted: each mutex it holds goes to its highest-priority waiter. */
VOID OsMuxReleaseAll(LosTaskCB *task);
/* The task's base priority changed: recompute what it runs at, and along the wait chain. */
VOID OsMuxPrioUpdate(LosTaskCB *task);
/* The mutex ID a task pends on, or OS_INVALID. */
UINT32 OsMuxIdOf(const VOID *mux);

#endif /* _LOS_MUX_PRI_H */
