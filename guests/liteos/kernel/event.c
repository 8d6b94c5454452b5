/* LiteOS events: tasks wait for AND/OR combinations of bits; a write wakes every satisfied one. */
#include "los_event.h"
#include "los_sched_pri.h"
#include "los_tick_pri.h"

UINT32 LOS_EventInit(PEVENT_CB_S eventCB)
{
	UINT32 intSave;

	if (eventCB == NULL)
		return LOS_ERRNO_EVENT_PTR_NULL;
	intSave = LOS_IntLock();
	eventCB->uwEventID = 0;
	LOS_ListInit(&eventCB->stEventList);
	LOS_IntRestore(intSave);
	return LOS_OK;
}

static UINT32 OsEventParamCheck(UINT32 eventMask, UINT32 mode)
{
	if (eventMask == 0)
		return LOS_ERRNO_EVENT_EVENTMASK_INVALID;
	/* Bit 25 marks error codes in LOS_EventRead's answer, so it cannot be an event. */
	if (eventMask & LOS_ERRTYPE_ERROR)
		return LOS_ERRNO_EVENT_SETBIT_INVALID;
	if ((mode & LOS_WAITMODE_OR) && (mode & LOS_WAITMODE_AND))
		return LOS_ERRNO_EVENT_FLAGS_INVALID;
	if (mode & ~(LOS_WAITMODE_OR | LOS_WAITMODE_AND | LOS_WAITMODE_CLR))
		return LOS_ERRNO_EVENT_FLAGS_INVALID;
	if (!(mode & (LOS_WAITMODE_OR | LOS_WAITMODE_AND)))
		return LOS_ERRNO_EVENT_FLAGS_INVALID;
	return LOS_OK;
}

static UINT32 OsEventMatch(UINT32 eventID, UINT32 eventMask, UINT32 mode)
{
	if (mode & LOS_WAITMODE_OR)
		return eventID & eventMask;
	return (eventID & eventMask) == eventMask ? eventMask : 0;
}

UINT32 LOS_EventPoll(UINT32 *eventID, UINT32 eventMask, UINT32 mode)
{
	UINT32 ret = OsEventParamCheck(eventMask, mode);
	UINT32 intSave;

	if (ret != LOS_OK)
		return ret;
	if (eventID == NULL)
		return LOS_ERRNO_EVENT_PTR_NULL;
	intSave = LOS_IntLock();
	ret = OsEventMatch(*eventID, eventMask, mode);
	if (ret && (mode & LOS_WAITMODE_CLR))
		*eventID &= ~ret;
	LOS_IntRestore(intSave);
	return ret;
}

UINT32 LOS_EventRead(PEVENT_CB_S eventCB, UINT32 eventMask, UINT32 mode, UINT32 timeout)
{
	UINT32 ret = OsEventParamCheck(eventMask, mode);
	UINT32 intSave;
	UINT64 deadline = g_tickCount + timeout;
	LosTaskCB *run = g_runTask;

	if (eventCB == NULL)
		return LOS_ERRNO_EVENT_PTR_NULL;
	if (ret != LOS_OK)
		return ret;
	if (OS_INT_ACTIVE)
		return LOS_ERRNO_EVENT_READ_IN_INTERRUPT;
	intSave = LOS_IntLock();
	for (;;) {
		UINT32 wait;

		ret = OsEventMatch(eventCB->uwEventID, eventMask, mode);
		if (ret) {
			if (mode & LOS_WAITMODE_CLR)
				eventCB->uwEventID &= ~ret;
			break;
		}
		if (timeout == LOS_NO_WAIT)
			break;
		if (!OsPreemptable()) {
			ret = LOS_ERRNO_EVENT_READ_IN_LOCK;
			break;
		}
		if (run->taskFlags & OS_TASK_FLAG_SYSTEM) {
			ret = LOS_ERRNO_EVENT_READ_IN_SYSTEM_TASK;
			break;
		}
		/* Another reader may clear the bits before this one runs: wait out the rest. */
		if (timeout == LOS_WAIT_FOREVER) {
			wait = LOS_WAIT_FOREVER;
		} else if (deadline > g_tickCount) {
			wait = (UINT32)(deadline - g_tickCount);
		} else {
			ret = LOS_ERRNO_EVENT_READ_TIMEOUT;
			break;
		}
		run->eventMask = eventMask;
		run->eventMode = mode;
		run->taskEvent = eventCB;
		if (OsSchedPend(&eventCB->stEventList, wait, FALSE)) {
			ret = LOS_ERRNO_EVENT_READ_TIMEOUT;
			break;
		}
	}
	run->taskEvent = NULL;
	LOS_IntRestore(intSave);
	OsSigCheck();
	return ret;
}

UINT32 LOS_EventWrite(PEVENT_CB_S eventCB, UINT32 events)
{
	UINT32 intSave;
	LosTaskCB *task = NULL;
	LosTaskCB *next = NULL;
	BOOL woke = FALSE;

	if (eventCB == NULL)
		return LOS_ERRNO_EVENT_PTR_NULL;
	if (events & LOS_ERRTYPE_ERROR)
		return LOS_ERRNO_EVENT_SETBIT_INVALID;
	intSave = LOS_IntLock();
	eventCB->uwEventID |= events;
	LOS_DL_LIST_FOR_EACH_ENTRY_SAFE(task, next, &eventCB->stEventList, LosTaskCB, pendList)
	{
		if (OsEventMatch(eventCB->uwEventID, task->eventMask, task->eventMode)) {
			OsSchedWake(task);
			woke = TRUE;
		}
	}
	if (woke)
		OsSchedule();
	LOS_IntRestore(intSave);
	OsSigCheck();
	return LOS_OK;
}

UINT32 LOS_EventClear(PEVENT_CB_S eventCB, UINT32 events)
{
	UINT32 intSave;

	if (eventCB == NULL)
		return LOS_ERRNO_EVENT_PTR_NULL;
	intSave = LOS_IntLock();
	eventCB->uwEventID &= events;
	LOS_IntRestore(intSave);
	return LOS_OK;
}

UINT32 LOS_EventDestroy(PEVENT_CB_S eventCB)
{
	UINT32 intSave;

	if (eventCB == NULL)
		return LOS_ERRNO_EVENT_PTR_NULL;
	intSave = LOS_IntLock();
	if (!LOS_ListEmpty(&eventCB->stEventList)) {
		LOS_IntRestore(intSave);
		return LOS_ERRNO_EVENT_SHOULD_NOT_DESTORY;
	}
	eventCB->uwEventID = 0;
	LOS_IntRestore(intSave);
	return LOS_OK;
}
