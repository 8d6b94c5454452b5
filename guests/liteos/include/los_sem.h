/* LiteOS counting and binary semaphores, with timeouts in ticks. */
#ifndef _LOS_SEM_H
#define _LOS_SEM_H

#include "los_base.h"
#include "los_err.h"
#include "los_list.h"
#include "los_task.h"

#define OS_SEM_COUNT_MAX 0xFFFEU
#define OS_SEM_BINARY_COUNT_MAX 1U

#define LOS_ERRNO_SEM_NO_MEMORY LOS_ERRNO_OS_ERROR(LOS_MOD_SEM, 0x00)
#define LOS_ERRNO_SEM_INVALID LOS_ERRNO_OS_ERROR(LOS_MOD_SEM, 0x01)
#define LOS_ERRNO_SEM_PTR_NULL LOS_ERRNO_OS_ERROR(LOS_MOD_SEM, 0x02)
#define LOS_ERRNO_SEM_ALL_BUSY LOS_ERRNO_OS_ERROR(LOS_MOD_SEM, 0x03)
#define LOS_ERRNO_SEM_UNAVAILABLE LOS_ERRNO_OS_ERROR(LOS_MOD_SEM, 0x04)
#define LOS_ERRNO_SEM_PEND_INTERR LOS_ERRNO_OS_ERROR(LOS_MOD_SEM, 0x05)
#define LOS_ERRNO_SEM_PEND_IN_LOCK LOS_ERRNO_OS_ERROR(LOS_MOD_SEM, 0x06)
#define LOS_ERRNO_SEM_TIMEOUT LOS_ERRNO_OS_ERROR(LOS_MOD_SEM, 0x07)
#define LOS_ERRNO_SEM_OVERFLOW LOS_ERRNO_OS_ERROR(LOS_MOD_SEM, 0x08)
#define LOS_ERRNO_SEM_PENDED LOS_ERRNO_OS_ERROR(LOS_MOD_SEM, 0x09)
#define LOS_ERRNO_SEM_PEND_IN_SYSTEM_TASK LOS_ERRNO_OS_ERROR(LOS_MOD_SEM, 0x0a)

UINT32 LOS_SemCreate(UINT16 count, UINT32 *semHandle);
UINT32 LOS_BinarySemCreate(UINT16 count, UINT32 *semHandle);
UINT32 LOS_SemDelete(UINT32 semHandle);
/* timeout: ticks, LOS_NO_WAIT or LOS_WAIT_FOREVER. Not in an interrupt, nor with the scheduler
 * locked unless the semaphore is available. */
UINT32 LOS_SemPend(UINT32 semHandle, UINT32 timeout);
/* Also from interrupts. */
UINT32 LOS_SemPost(UINT32 semHandle);
/* The units available now (LiteOS-M). */
UINT32 LOS_SemGetValue(UINT32 semHandle, INT32 *currVal);

#endif /* _LOS_SEM_H */
