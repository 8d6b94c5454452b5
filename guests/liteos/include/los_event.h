/* LiteOS events: 32-bit event groups that tasks wait on with AND/OR masks, optionally clearing. */
#ifndef _LOS_EVENT_H
#define _LOS_EVENT_H

#include "los_base.h"
#include "los_list.h"

#define LOS_WAITMODE_AND 4U /* wait until every bit of the mask is set */
#define LOS_WAITMODE_OR 2U  /* wait until any bit of the mask is set */
#define LOS_WAITMODE_CLR 1U /* clear the bits that satisfied the wait */

#define LOS_ERRNO_EVENT_SETBIT_INVALID LOS_ERRNO_OS_ERROR(LOS_MOD_EVENT, 0x00)
#define LOS_ERRNO_EVENT_READ_TIMEOUT LOS_ERRNO_OS_ERROR(LOS_MOD_EVENT, 0x01)
#define LOS_ERRNO_EVENT_EVENTMASK_INVALID LOS_ERRNO_OS_ERROR(LOS_MOD_EVENT, 0x02)
#define LOS_ERRNO_EVENT_READ_IN_INTERRUPT LOS_ERRNO_OS_ERROR(LOS_MOD_EVENT, 0x03)
#define LOS_ERRNO_EVENT_FLAGS_INVALID LOS_ERRNO_OS_ERROR(LOS_MOD_EVENT, 0x04)
#define LOS_ERRNO_EVENT_READ_IN_LOCK LOS_ERRNO_OS_ERROR(LOS_MOD_EVENT, 0x05)
#define LOS_ERRNO_EVENT_PTR_NULL LOS_ERRNO_OS_ERROR(LOS_MOD_EVENT, 0x06)
#define LOS_ERRNO_EVENT_READ_IN_SYSTEM_TASK LOS_ERRNO_OS_ERROR(LOS_MOD_EVENT, 0x07)
#define LOS_ERRNO_EVENT_SHOULD_NOT_DESTORY LOS_ERRNO_OS_ERROR(LOS_MOD_EVENT, 0x08)

typedef struct tagEvent {
	UINT32 uwEventID;	 /* the bits set */
	LOS_DL_LIST stEventList; /* tasks waiting, highest priority first */
} EVENT_CB_S, *PEVENT_CB_S;

UINT32 LOS_EventInit(PEVENT_CB_S eventCB);
/*
 * Waits until the bits in eventMask satisfy mode (AND or OR, optionally with CLR), for up to
 * timeout ticks. Returns the bits that satisfied it, 0 if none did with LOS_NO_WAIT, or a
 * LOS_ERRNO_EVENT_* code (bit 25 is reserved so that the two never mix).
 */
UINT32 LOS_EventRead(PEVENT_CB_S eventCB, UINT32 eventMask, UINT32 mode, UINT32 timeout);
UINT32 LOS_EventWrite(PEVENT_CB_S eventCB, UINT32 events);
/* Keeps only the bits set in events (LiteOS's semantics: pass ~bits to clear bits). */
UINT32 LOS_EventClear(PEVENT_CB_S eventCB, UINT32 events);
/* Tests *eventID against eventMask and mode without blocking, clearing with CLR. */
UINT32 LOS_EventPoll(UINT32 *eventID, UINT32 eventMask, UINT32 mode);
UINT32 LOS_EventDestroy(PEVENT_CB_S eventCB);

#endif /* _LOS_EVENT_H */
