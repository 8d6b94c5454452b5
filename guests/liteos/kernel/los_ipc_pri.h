/* Kernel-internal IPC interface: table set-up at boot and what the task code asks of IPC. */
#ifndef _LOS_IPC_PRI_H
#define _LOS_IPC_PRI_H

#include "los_typedef.h"

/*
 * Handles carry a generation count in their upper 16 bits and the table index in the lower
 * 16, as in LiteOS: a deleted object's old handle no longer matches when the slot is reused.
 */
#define OS_IPC_INDEX(handle) ((handle)&0xFFFFU)
#define OS_IPC_COUNT(handle) ((handle) >> 16)
#define OS_IPC_HANDLE(count, index) ((((count)&0xFFFFU) << 16) | (index))
#define OS_IPC_UNUSED 0U
#define OS_IPC_USED 1U

UINT32 OsSemInit(VOID);
UINT32 OsQueueInit(VOID);
UINT32 OsSwtmrInit(VOID);
/* From the tick interrupt: queue the handlers of expired timers for the timer task. */
VOID OsSwtmrScan(UINT64 now);
/* The handle of the semaphore a task pends on, or OS_INVALID. */
UINT32 OsSemIdOf(const VOID *sem);

#endif /* _LOS_IPC_PRI_H */
