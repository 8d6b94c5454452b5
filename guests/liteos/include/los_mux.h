/* LiteOS mutexes: recursive, owned, with priority inheritance against priority inversion. */
#ifndef _LOS_MUX_H
#define _LOS_MUX_H

#include "los_base.h"
#include "los_list.h"
#include "los_sys.h"
#include "los_task.h"

#define LOS_ERRNO_MUX_NO_MEMORY LOS_ERRNO_OS_ERROR(LOS_MOD_MUX, 0x00)
#define LOS_ERRNO_MUX_INVALID LOS_ERRNO_OS_ERROR(LOS_MOD_MUX, 0x01)
#define LOS_ERRNO_MUX_PTR_NULL LOS_ERRNO_OS_ERROR(LOS_MOD_MUX, 0x02)
#define LOS_ERRNO_MUX_ALL_BUSY LOS_ERRNO_OS_ERROR(LOS_MOD_MUX, 0x03)
#define LOS_ERRNO_MUX_UNAVAILABLE LOS_ERRNO_OS_ERROR(LOS_MOD_MUX, 0x04)
#define LOS_ERRNO_MUX_PEND_INTERR LOS_ERRNO_OS_ERROR(LOS_MOD_MUX, 0x05)
#define LOS_ERRNO_MUX_PEND_IN_LOCK LOS_ERRNO_OS_ERROR(LOS_MOD_MUX, 0x06)
#define LOS_ERRNO_MUX_TIMEOUT LOS_ERRNO_OS_ERROR(LOS_MOD_MUX, 0x07)
#define LOS_ERRNO_MUX_OVERFLOW LOS_ERRNO_OS_ERROR(LOS_MOD_MUX, 0x08)
#define LOS_ERRNO_MUX_PENDED LOS_ERRNO_OS_ERROR(LOS_MOD_MUX, 0x09)
#define LOS_ERRNO_MUX_GET_COUNT_ERR LOS_ERRNO_OS_ERROR(LOS_MOD_MUX, 0x0a)
#define LOS_ERRNO_MUX_REG_ERROR LOS_ERRNO_OS_ERROR(LOS_MOD_MUX, 0x0b)
#define LOS_ERRNO_MUX_PEND_IN_SYSTEM_TASK LOS_ERRNO_OS_ERROR(LOS_MOD_MUX, 0x0c)

UINT32 LOS_MuxCreate(UINT32 *muxHandle);
/* LOS_ERRNO_MUX_PENDED while a task holds it or waits for it. */
UINT32 LOS_MuxDelete(UINT32 muxHandle);
/* The owner may take it again (it is recursive); a waiter lends its priority to the owner. */
UINT32 LOS_MuxPend(UINT32 muxHandle, UINT32 timeout);
/* Only the owner may post; the last post hands it to the highest-priority waiter. */
UINT32 LOS_MuxPost(UINT32 muxHandle);

#endif /* _LOS_MUX_H */
